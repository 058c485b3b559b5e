"""Quotes, and everyone quoted by name."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from fastapi import APIRouter

from ...corpus.query import QuoteRow, quotes
from ..access import StoreAccess
from ..bodies import Actor, Limit, Offset, Speaker

__all__ = ["quote_speakers", "quotes_router"]


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

    return router
