"""The input every extract stage shares: ``Context``, one parsed article.

A ``Context`` holds the spaCy ``Doc`` (which never leaves the extract layer),
the repaired text with its zoned paragraphs, the publication date, the coding
tables to code with (``ctx.tables``) and an optional trace to append to
(``ctx.trace``). It is built by the orchestrator (``runner``) and read by the
stages; this module imports no stage, so every stage can import it.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING

from spacy.attrs import IDX, LENGTH

from .words import word_set

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span, Token

    from ..model import Paragraph
    from .repair import CleanText
    from .tables import CodingTables
    from .trace import ExtractTrace

# Zones whose text is never a source of entities, quotes, times or events.
SKIPPED_ZONES = word_set("zones", "skipped")


def doc_text(doc: Doc) -> str:
    """``doc.text``, kept in the Doc's user data: spaCy rebuilds the text from
    every token on each access, and a Doc's text never changes."""
    text = doc.user_data.get("eventwire.text")
    if text is None:
        text = doc.user_data["eventwire.text"] = doc.text
    return text


def sentences(doc: Doc) -> list[Span]:
    """``doc.sents`` as a list. spaCy walks every token to find the sentences
    on each access, and the stages ask for them several times an article, so
    their bounds are kept in the Doc's user data (bounds, not spans: a span
    kept there would tie the Doc in a reference cycle that only the garbage
    collector's full passes free). Sentence bounds never change after the parse."""
    bounds = doc.user_data.get("eventwire.sentences")
    if bounds is None:
        bounds = doc.user_data["eventwire.sentences"] = [(s.start, s.end) for s in doc.sents]
    return [doc[start:end] for start, end in bounds]


def token_texts(doc: Doc) -> list[str]:
    """Every token's text, cut from the Doc's text by the tokens' offsets (no
    Token objects) once per Doc and kept in its user data."""
    texts = doc.user_data.get("eventwire.token_texts")
    if texts is None:
        text = doc_text(doc)
        texts = doc.user_data["eventwire.token_texts"] = [text[a : a + n] for a, n in doc.to_array([IDX, LENGTH]).tolist()]
    return texts


def tokens_where(doc: Doc, attr: int, values: frozenset[int], start: int = 0, end: int | None = None) -> list[Token]:
    """The tokens of ``doc[start:end]`` whose attribute ``attr`` (a spaCy
    attribute id: ``POS``, ``TAG``, ...) is one of ``values`` (symbol ids:
    ``VERB``, ...). The column is read once per Doc with ``Doc.to_array``
    and kept in its user data, so a scan for the few verbs of a sentence does
    not build a Python object for every token. Annotations never change
    after the parse, except entities (never asked for here)."""
    key = f"eventwire.column.{attr}"
    column = doc.user_data.get(key)
    if column is None:
        column = doc.user_data[key] = doc.to_array(attr).tolist()
    stop = len(column) if end is None else end
    return [doc[i] for i in range(start, stop) if column[i] in values]


@dataclass(slots=True)
class Context:
    """Everything the extractors of one article share.

    ``tables`` are the dictionaries the stages code with (never a module
    global); ``trace``, when given, collects what the ``Article`` record does
    not hold (see ``ExtractTrace``); ``doc_id`` names the article in it."""

    doc: Doc
    text: str
    published: date | None
    clean: CleanText
    tables: CodingTables
    trace: ExtractTrace | None = None
    doc_id: str = ""
    # Paragraphs by start, for a binary search: a scan per lookup made an
    # article of many paragraphs quadratic (docs/reliability.md).
    # Built on first use and again whenever ``clean`` is replaced.
    _indexed: tuple[Paragraph, ...] | None = field(init=False, repr=False, default=None)
    _by_start: list[Paragraph] = field(init=False, repr=False, default_factory=list)
    _starts: list[int] = field(init=False, repr=False, default_factory=list)

    def zone_at(self, offset: int) -> str:
        """The zone of the paragraph holding ``offset`` ("body" outside any)."""
        if self._indexed is not self.clean.paragraphs:
            self._indexed = self.clean.paragraphs
            self._by_start = sorted(self.clean.paragraphs, key=lambda p: p.start)
            self._starts = [p.start for p in self._by_start]
        i = bisect.bisect_right(self._starts, offset) - 1
        if i >= 0 and offset < self._by_start[i].end:
            return self._by_start[i].zone
        return "body"

    def in_skipped_zone(self, offset: int) -> bool:
        """Whether ``offset`` lies in a credit or boilerplate zone (``SKIPPED_ZONES``)."""
        return self.zone_at(offset) in SKIPPED_ZONES
