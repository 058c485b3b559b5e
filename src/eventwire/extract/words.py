"""Word lists: the closed-class English words and conventions the stages read.

Each list is written once, in a TOML file under ``data/words/`` (one file per
topic: ``zones``, ``pronouns``, ``prepositions``, ``modality``, ``numbers``,
``time``, ``names``, ``quotation``), with a comment on what it is and where it
comes from. A list is either an array of words (``word_set``, ``word_list``)
or a table of word -> value (``word_map``). Files are parsed once per process.

This module imports nothing from eventwire: any layer may read word lists.
"""

from __future__ import annotations

import tomllib
from functools import cache
from importlib import resources
from importlib.resources.abc import Traversable
from typing import Any

__all__ = ["cue_verb_rows", "list_names", "word_files", "word_list", "word_map", "word_set"]

SUFFIX = ".toml"


def _directory() -> Traversable:
    return resources.files("eventwire").joinpath("data", "words")


@cache
def word_files() -> tuple[str, ...]:
    """The names of the word-list files ("modality", "time", ...), sorted."""
    return tuple(sorted(p.name.removesuffix(SUFFIX) for p in _directory().iterdir() if p.name.endswith(SUFFIX)))


@cache
def _parsed(file: str) -> dict[str, Any]:
    """One file as parsed (cached: read once). Never handed out: callers get copies."""
    text = _directory().joinpath(file + SUFFIX).read_text("utf-8")
    return tomllib.loads(text)


def list_names(file: str) -> tuple[str, ...]:
    """The names of the lists in one file, in file order."""
    return tuple(_parsed(file))


def _entry(file: str, name: str) -> Any:
    try:
        return _parsed(file)[name]
    except KeyError:
        raise KeyError(f"data/words/{file}{SUFFIX} has no list {name!r}") from None


def word_list(file: str, name: str) -> tuple[str, ...]:
    """An array of words in file order (order matters where code tries them in turn)."""
    words = _entry(file, name)
    if not isinstance(words, list) or not all(isinstance(w, str) and w for w in words):
        raise TypeError(f"data/words/{file}{SUFFIX}: {name!r} is not an array of words")
    return tuple(words)


def word_set(file: str, name: str) -> frozenset[str]:
    """An array of words as a set."""
    return frozenset(word_list(file, name))


def word_map(file: str, name: str) -> dict[str, Any]:
    """A table of word -> value, in file order; array values come as tuples.
    A fresh dict each call: callers may keep it as their own constant."""
    table = _entry(file, name)
    if not isinstance(table, dict):
        raise TypeError(f"data/words/{file}{SUFFIX}: {name!r} is not a table")
    return {key: _frozen(value) for key, value in table.items()}


def _frozen(value: Any) -> Any:
    """A value of a table as callers may keep it: arrays as tuples, inline tables copied."""
    if isinstance(value, list):
        return tuple(value)
    if isinstance(value, dict):
        return {k: _frozen(v) for k, v in value.items()}
    return value


@cache
def cue_verb_rows() -> tuple[tuple[str, ...], ...]:
    """``data/quotes/cue_verbs.txt``: speech-verb lemmas, each with its marks
    ("addressee"). Read by quotes (who said a quotation) and actors (who a
    pronoun inside a quotation cannot be)."""
    text = resources.files("eventwire").joinpath("data/quotes/cue_verbs.txt").read_text("utf-8")
    return tuple(tuple(line.lower().split()) for line in text.splitlines() if line.strip() and not line.startswith("#"))
