"""Ingest: files, directories and stdin in; RawDocuments (or per-file errors) out.

STUB — interface only; to be implemented.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from .model import FileError, RawDocument


def read_paths(paths: Sequence[str], *, published: str | None = None) -> Iterator[RawDocument | FileError]:
    """Yield one RawDocument per article found under ``paths`` (``-`` = stdin),
    or a FileError per file (or JSONL line) that cannot be read; never raises
    for bad input. ``published`` overrides every document's date."""
    raise NotImplementedError
