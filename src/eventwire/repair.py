"""Clean raw article text, keeping an exact map back to the raw characters.

Every change is an ``Edit`` of a raw span; ``apply_edits`` builds the cleaned
text together with the unchanged ``Segment``s and the ``Repair`` records, so any
cleaned offset maps back to the raw text (``model.clean_to_raw``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from .model import Paragraph, RawDocument, Repair, Segment, Zone


@dataclass(frozen=True, slots=True)
class Edit:
    raw_start: int
    raw_end: int
    replacement: str
    kind: str


@dataclass(frozen=True, slots=True)
class CleanText:
    text: str
    raw_map: tuple[Segment, ...]
    repairs: tuple[Repair, ...]
    paragraphs: tuple[Paragraph, ...]


def apply_edits(raw: str, edits: Iterable[Edit]) -> tuple[str, tuple[Segment, ...], tuple[Repair, ...]]:
    """Apply non-overlapping edits to ``raw``; return text, segments, repairs."""
    out: list[str] = []
    segments: list[Segment] = []
    repairs: list[Repair] = []
    pos = 0  # in raw
    length = 0  # of cleaned text so far
    for edit in sorted(edits, key=lambda e: (e.raw_start, e.raw_end)):
        if edit.raw_start < pos:
            raise ValueError(f"overlapping edit at {edit.raw_start}")
        if edit.raw_start > pos:
            chunk = raw[pos : edit.raw_start]
            segments.append(Segment(length, length + len(chunk), pos))
            out.append(chunk)
            length += len(chunk)
        repairs.append(
            Repair(
                kind=edit.kind,
                raw_start=edit.raw_start,
                raw_end=edit.raw_end,
                start=length,
                end=length + len(edit.replacement),
                raw=raw[edit.raw_start : edit.raw_end],
                replacement=edit.replacement,
            )
        )
        out.append(edit.replacement)
        length += len(edit.replacement)
        pos = edit.raw_end
    if pos < len(raw) or not segments and not repairs:
        segments.append(Segment(length, length + len(raw) - pos, pos))
        out.append(raw[pos:])
    return "".join(out), tuple(segments), tuple(repairs)


# Characters that look like spaces or nothing but break tokenization.
_ODD_SPACE = re.compile(r"[\u00a0\u2000-\u200a\u202f\u205f\u3000]")
_INVISIBLE = re.compile(r"[\u200b-\u200d\u2060\ufeff\u00ad]")
_CRLF = re.compile(r"\r\n?")


def normalization_edits(raw: str) -> list[Edit]:
    """Line endings, odd spaces and invisible characters."""
    edits = [Edit(m.start(), m.end(), "\n", "newline") for m in _CRLF.finditer(raw)]
    edits += [Edit(m.start(), m.end(), " ", "space") for m in _ODD_SPACE.finditer(raw)]
    edits += [Edit(m.start(), m.end(), "", "invisible") for m in _INVISIBLE.finditer(raw)]
    return edits


def split_paragraphs(text: str, has_title: bool) -> tuple[Paragraph, ...]:
    """Each non-blank line is a paragraph; the first is the title when the
    document has one."""
    paragraphs: list[Paragraph] = []
    for m in re.finditer(r"[^\n]+", text):
        start, end = m.start(), m.end()
        stripped = m.group().strip()
        if not stripped:
            continue
        start += len(m.group()) - len(m.group().lstrip())
        end -= len(m.group()) - len(m.group().rstrip())
        zone: Zone = "title" if has_title and not paragraphs else "body"
        paragraphs.append(Paragraph(start, end, zone))
    return tuple(paragraphs)


def clean(doc: RawDocument) -> CleanText:
    text, raw_map, repairs = apply_edits(doc.raw_text, normalization_edits(doc.raw_text))
    return CleanText(text, raw_map, repairs, split_paragraphs(text, doc.title is not None))
