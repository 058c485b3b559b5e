"""The publication date of an article and what it rests on.

Priority: a date given with the article (``--published``, a JSONL field) >
HTML metadata (htmldate, or the crawl date of a WARC record) > a dateline
("KYIV, June 3, 2022 -" or a date line of its own near the top) > a dated
photo caption ("..., September 15, 2023.") that agrees with the article's
relative day mentions > none. A date after the time of ingest is never taken:
a story cannot be published in the future, so such a date is a misreading.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING

from ..model import Paragraph, PublishedBasis
from . import timex
from .words import word_map

if TYPE_CHECKING:
    from .context import Context

# How many paragraphs after the title a dateline may sit in (a kicker or a
# byline line may come first).
DATELINE_PARAGRAPHS = 3
# Characters of a paragraph's opening searched for a dateline's place and date.
DATELINE_WINDOW = 200
# A dateline: an optional place ("KYIV,", "PARIS (Reuters)"), the date, then a
# dash or colon or the end of the line.
_DATELINE_PLACE = r"(?:[A-Z][A-Za-z .'\u2019-]{0,40},?\s*)?(?:\([^()\n]{1,30}\)\s*)?(?:[-\u2013\u2014,]\s*)?"
_DATELINE_END = re.compile(r"\s*[-\u2013\u2014:|]")
# Weekday names in ISO order, Monday first: the index is the ISO number - 1.
_WEEKDAY_NUMBERS: dict[str, int] = word_map("time", "weekdays")
_WEEKDAYS = tuple(sorted(_WEEKDAY_NUMBERS, key=_WEEKDAY_NUMBERS.__getitem__))
_WEEKDAY_MENTION = re.compile(r"\b(?:this|on|last|since)?\s*(" + "|".join(_WEEKDAYS) + r")\b", re.IGNORECASE)
_TODAY = re.compile(r"\b(?:today|this morning|this afternoon|this evening|tonight)\b", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class Published:
    date: date | None
    basis: PublishedBasis


def full_dates(text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int, date]]:
    """(start, end, date) of the complete day-month-year dates in a stretch."""
    found = []
    for m in timex.FULL_DATE.finditer(text, start, len(text) if end is None else end):
        d = timex._full_date_of(m)
        if d is not None:
            found.append((m.start(), m.end(), d))
    return found


# A place dateline: a capitalised place ("NAIROBI", "NEW YORK", "Kyiv"), an
# optional ", Country" or state, an optional "(Agency)", then a dash standing
# apart ("Kyiv —", "LONDON -"; not the hyphen of "Qaeda-linked").
_PLACE_DATELINE = re.compile(
    r"(?!The )([A-Z][A-Za-z.'\u2019-]+(?: [A-Z][A-Za-z.'\u2019-]+){0,2})(?:, ([A-Z][A-Za-z.]+(?: [A-Z][A-Za-z.]+)?))?"
    r"(?:\s*\([^()\n]{1,30}\))?(?:\s*[\u2013\u2014]|\s+-{1,2})\s"
)


def dateline_place(text: str, paragraphs: Iterable[Paragraph]) -> tuple[int, int] | None:
    """The span of the place of a dateline that opens one of the first body
    paragraphs ("NAIROBI, Kenya (AP) —", "MOSCOW (Reuters) -"): the place and,
    when given, its country or state."""
    body = [p for p in paragraphs if p.zone == "body"][:DATELINE_PARAGRAPHS]
    for p in body:
        m = _PLACE_DATELINE.match(text, p.start, p.end)
        if m:
            return m.start(), m.end(2) if m.group(2) else m.end(1)
    return None


def dateline_date(text: str, paragraphs: Iterable[Paragraph]) -> date | None:
    """The date of a dateline in the first body paragraphs: the paragraph
    opens with (an optional place and) a full date followed by a dash, a colon
    or the end of the line."""
    body = [p for p in paragraphs if p.zone in ("body", "caption")][:DATELINE_PARAGRAPHS]
    for p in body:
        head = re.match(_DATELINE_PLACE, text[p.start : min(p.end, p.start + DATELINE_WINDOW)])
        offset = p.start + (head.end() if head else 0)
        # Only the paragraph's opening: a date further in is no dateline, and
        # a scan of the whole of a megabyte paragraph would find them all.
        for start, end, d in full_dates(text, offset, min(p.end, offset + DATELINE_WINDOW)):
            if start - offset <= 12 and (end == p.end or _DATELINE_END.match(text, end, p.end)):
                return d
            break
    return None


def relative_weekdays(text: str, paragraphs: Iterable[Paragraph]) -> tuple[set[int], bool]:
    """Weekdays (0 = Monday) the article's body mentions, and whether it says
    "today" (or "tonight", "this morning")."""
    days: set[int] = set()
    today = False
    for p in paragraphs:
        if p.zone != "body":
            continue
        chunk = text[p.start : p.end]
        days.update(_WEEKDAYS.index(m.group(1).lower()) for m in _WEEKDAY_MENTION.finditer(chunk))
        today = today or bool(_TODAY.search(chunk))
    return days, today


def caption_agrees(d: date, weekdays: set[int], today: bool) -> bool:
    """A caption date fits the article when the article names no weekday, or
    names the caption's own weekday or the day before it (a story filed the
    day after the picture)."""
    if not weekdays:
        return True
    return d.weekday() in weekdays or (d - timedelta(days=1)).weekday() in weekdays and not today


def caption_date(text: str, paragraphs: Iterable[Paragraph], not_after: date) -> date | None:
    """The latest full date in a caption paragraph that agrees with the
    article's relative day mentions."""
    paragraphs = tuple(paragraphs)
    weekdays, today = relative_weekdays(text, paragraphs)
    dates = [d for p in paragraphs if p.zone == "caption" for _, _, d in full_dates(text, p.start, p.end) if d <= not_after]
    agreeing = [d for d in dates if caption_agrees(d, weekdays, today)]
    return max(agreeing) if agreeing else None


def infer(
    text: str,
    paragraphs: Iterable[Paragraph],
    given: date | None,
    given_basis: PublishedBasis,
    *,
    now: date | None = None,
) -> Published:
    """The publication date by the priority above; ``given`` is what came with
    the document (basis "given" or "metadata"); ``now`` is the time of ingest
    (today by default)."""
    limit = now or date.today()
    if given is not None and given <= limit and given_basis in ("given", "metadata"):
        return Published(given, given_basis)
    paragraphs = tuple(paragraphs)
    dated = dateline_date(text, paragraphs)
    if dated is not None and dated <= limit:
        return Published(dated, "dateline")
    captioned = caption_date(text, paragraphs, limit)
    if captioned is not None:
        return Published(captioned, "caption")
    return Published(None, "none")


def for_context(ctx: Context, given: date | None, given_basis: PublishedBasis, now: date | None = None) -> Published:
    return infer(ctx.text, ctx.clean.paragraphs, given, given_basis, now=now)
