"""Quotes, and everyone quoted by name."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import fields
from typing import Annotated

from fastapi import APIRouter, Query

from ...corpus.query import QuoteRow, quotes
from ..access import StoreAccess
from ..bodies import ACTOR_PATTERN, Actor, Limit, Offset, QuotePage, QuotePart, QuoteView, Speaker

__all__ = ["fold_quotes", "quote_matches", "quote_speakers", "quotes_router"]

QuoteText = Annotated[str | None, Query(min_length=1, max_length=200, pattern=ACTOR_PATTERN,
                                        description="words in the quote or its speaker's name")]
# Quotation marks, and the punctuation a quote may start or end with.
_MARKS = "\"'“”‘’„«».,;:!? "


def quote_speakers(rows: Sequence[QuoteRow]) -> list[Speaker]:
    """Named speakers of ``rows`` with their quote counts, most quoted first;
    one row per name and code."""
    counts = Counter((q.speaker_name, q.speaker_actor) for q in rows if q.speaker_name)
    ordered = sorted(counts.items(), key=lambda item: (-item[1], item[0][0], item[0][1] or ""))
    return [Speaker(name=name, actor=actor, quotes=n) for (name, actor), n in ordered]


def quotes_router(access: StoreAccess) -> APIRouter:
    router = APIRouter(tags=["quotes"])

    @router.get("/api/quotes/speakers", response_model=list[Speaker])
    def get_quote_speakers(limit: Limit = 100, offset: Offset = 0) -> list[Speaker]:
        """Everyone quoted by name, most quoted first."""
        with access.read() as store:
            return quote_speakers(quotes(store))[offset : offset + limit]

    @router.get("/api/quotes", response_model=list[QuoteRow])
    def get_quotes(speaker: Actor = None, limit: Limit = 100, offset: Offset = 0) -> list[QuoteRow]:
        with access.read() as store:
            return quotes(store, speaker)[offset : offset + limit]

    @router.get("/api/quotes/browse", response_model=QuotePage)
    def browse_quotes(speaker: Actor = None, q: QuoteText = None, limit: Limit = 20, offset: Offset = 0) -> QuotePage:
        """Quotes for reading: partial quotes folded into the full quote of the
        same speaker in the same article, filtered by ``q``, one page."""
        with access.read() as store:
            folded = fold_quotes(quotes(store, speaker))
        if q is not None:
            folded = [view for view in folded if quote_matches(view, q)]
        return QuotePage(total=len(folded), limit=limit, offset=offset, quotes=folded[offset : offset + limit])

    return router


def _wording(text: str) -> str:
    """A quote's words for comparing quotes: case-folded, spaces collapsed,
    without the quotation marks and punctuation around it."""
    return " ".join(text.casefold().split()).strip(_MARKS)


def _contains(full: QuoteRow, part: QuoteRow, full_words: str, part_words: str) -> bool:
    inside = full.start <= part.start and part.end <= full.end
    return inside or (bool(part_words) and part_words in full_words)


def fold_quotes(rows: Sequence[QuoteRow]) -> list[QuoteView]:
    """``rows`` with every partial quote folded into the longest quote of the
    same speaker in the same article that contains it (by offsets, or by
    wording: a phrase quoted again later); in the order of ``rows``. Quotes
    without a speaker are never folded."""
    kept: dict[int, QuoteView] = {}
    by_speaker: dict[tuple[str, str], list[tuple[QuoteRow, str, QuoteView]]] = {}
    order = {id(row): i for i, row in enumerate(rows)}
    for row in sorted(rows, key=lambda r: (-(r.end - r.start), r.start)):
        speaker = row.speaker or row.speaker_name
        words = _wording(row.text)
        group = by_speaker.setdefault((row.doc_id, speaker), []) if speaker else []
        full = next((view for other, other_words, view in group if _contains(other, row, other_words, words)), None)
        if full is not None:
            full.parts.append(QuotePart(text=row.text, start=row.start, end=row.end))
            continue
        view = QuoteView(**{f.name: getattr(row, f.name) for f in fields(row)})
        kept[order[id(row)]] = view
        group.append((row, words, view))
    for view in kept.values():
        view.parts.sort(key=lambda p: p.start)
    return [kept[i] for i in sorted(kept)]


def quote_matches(view: QuoteView, q: str) -> bool:
    """``q`` (any case) is in the quote's text or its speaker's name."""
    needle = q.casefold()
    return needle in view.text.casefold() or needle in (view.speaker_name or "").casefold()
