"""Every exception eventwire raises on purpose, in one tree::

    EventwireError
    ├── IngestError       a file or line cannot be read (becomes a FileError)
    ├── ArticleTimeout    one article's analysis ran past its time limit
    ├── StoreError        the store file cannot be used (missing, locked, other layout)
    ├── ActorQueryError   an actor argument names nothing, or several actors
    └── EvaluationError   an evaluation cannot run (its data or code is missing)

Per-file problems in a batch are not raised to the caller: they become
``model.FileError`` records and the rest of the batch goes on.
"""

from __future__ import annotations


class EventwireError(Exception):
    """The root of eventwire's own exceptions."""


class IngestError(EventwireError):
    """A reason a file or line cannot be read; becomes a ``FileError``."""


class ArticleTimeout(EventwireError):
    """An article's analysis ran past its time limit."""


class StoreError(EventwireError):
    """The store file cannot be used (missing, or written with another layout)."""


class ActorQueryError(EventwireError):
    """An actor argument of a query names no actor (``reason`` "unknown") or
    several (``reason`` "ambiguous"); ``candidates`` are (argument to type,
    readable label) pairs the user may have meant."""

    def __init__(self, query: str, reason: str, candidates: tuple[tuple[str, str], ...]) -> None:
        self.query = query
        self.reason = reason
        self.candidates = candidates
        what = "matches no actor" if reason == "unknown" else "names several actors"
        listed = "; ".join(f"{value} ({label})" if label != value else value for value, label in candidates)
        super().__init__(f"{query!r} {what}" + (f"; did you mean: {listed}" if listed else ""))


class EvaluationError(EventwireError):
    """An evaluation cannot run: its gold data or a component is missing."""


def describe_error(err: BaseException) -> str:
    """One line for a per-file error message: the exception's type and text."""
    return f"{type(err).__name__}: {err}" if str(err) else type(err).__name__
