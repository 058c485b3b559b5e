"""What the API speaks: the pydantic bodies of requests and answers, the
error answers every route may give, and the types of the query parameters
the routes share (so each route states its limits once)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Annotated, Any, Literal

from fastapi import Query
from pydantic import BaseModel, Field

from ..corpus.query import DyadBucket, OutletBalance, QuoteRow, TimelineEvent
from ..corpus.resolve import ResolvedActor

__all__ = [
    "ACTOR_PATTERN",
    "DATE_PATTERN",
    "ERROR_RESPONSES",
    "MAX_PAGE",
    "Actor",
    "ActorArg",
    "ArticleIn",
    "CodeName",
    "DateArg",
    "ErrorBody",
    "EventMap",
    "EventPage",
    "Health",
    "Ingested",
    "Limit",
    "MapCountry",
    "MapDyad",
    "MapPlace",
    "NameOrCode",
    "Offset",
    "QuotePage",
    "QuotePart",
    "QuoteView",
    "Speaker",
    "Text",
    "Timeline",
]

MAX_PAGE = 500
# A date or a leading part of one, as events and filters write them.
DATE_PATTERN = r"^\d{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?)?$"
# An actor argument: a code prefix or a name; printable, one line.
ACTOR_PATTERN = r"^[^\x00-\x1f\x7f]+$"


# ---------------------------------------------------------------------------
# Response and request bodies


class ErrorBody(BaseModel):
    """Every error answer: the HTTP status, a sentence, and per-field problems
    for invalid requests."""

    status: int
    detail: str
    errors: list[dict[str, Any]] = Field(default_factory=list)


class Health(BaseModel):
    status: Literal["ok"]
    version: str
    articles: int
    writable: bool


class EventPage(BaseModel):
    """One page of canonical events; ``has_more`` says whether another follows."""

    limit: int
    offset: int
    has_more: bool
    events: list[TimelineEvent]


class Timeline(BaseModel):
    """A dyad: its events, their series per period (counts per quad class and
    Goldstein sums) and how each outlet reports it."""

    a: str
    b: str
    # What each side was taken to mean (``resolve.resolve_actor``).
    a_resolved: ResolvedActor | None = None
    b_resolved: ResolvedActor | None = None
    interval: str
    goldstein_sum: float
    series: list[DyadBucket]
    by_outlet: list[OutletBalance]
    events: list[TimelineEvent]


class Speaker(BaseModel):
    """Someone quoted: the name the quotes give, the speaker's actor code
    when coded, and how many quotes they have."""

    name: str
    actor: str | None
    quotes: int


class CodeName(BaseModel):
    """A CAMEO actor code and what it says in words ("BLRGOV": "Belarus government")."""

    code: str
    description: str


class MapCountry(BaseModel):
    """A country on the map: ISO3 (CAMEO's country code), ISO 3166-1 numeric
    (the world atlas's shape id), name, and events one of whose sides is of it."""

    iso3: str
    numeric: str
    name: str
    events: int


class MapPlace(BaseModel):
    """An event location resolved by the gazetteer; a country-level place has
    no coordinates (the page uses the country's centroid)."""

    name: str
    kind: str
    iso3: str
    numeric: str
    lat: float | None
    lon: float | None
    events: int
    event_keys: list[str]


class MapDyad(BaseModel):
    """Two countries whose actors face each other in events."""

    a: MapCountry
    b: MapCountry
    events: int
    goldstein_mean: float


class EventMap(BaseModel):
    """The map of the events matching a view's filters: ``located`` of the
    ``events`` have a place; ``unplaced`` had a location the gazetteer could
    not resolve."""

    events: int
    located: int
    unplaced: int
    places: list[MapPlace]
    countries: list[MapCountry]
    dyads: list[MapDyad]


class QuotePart(BaseModel):
    """A partial quote folded into the full one: where it stands in the article."""

    text: str
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class QuoteView(QuoteRow):
    """A quote (``QuoteRow``'s fields) with the partial quotes of the same
    speaker in the same article that it contains (by offsets or by wording)."""

    parts: list[QuotePart] = field(default_factory=list)


class QuotePage(BaseModel):
    """One page of folded quotes; ``total`` counts them all."""

    total: int
    limit: int
    offset: int
    quotes: list[QuoteView]


class ArticleIn(BaseModel):
    """One article to ingest (JSON); a text/plain body is the text alone."""

    text: str = Field(min_length=1)
    title: str | None = None
    published: str | None = Field(default=None, pattern=r"^\d{4}-\d{2}-\d{2}$")
    url: str | None = None
    outlet: str | None = None


class Ingested(BaseModel):
    doc_id: str
    stored: bool
    entities: int
    quotes: int
    events: int


# The error answers any route may give, as the OpenAPI description lists them.
ERROR_RESPONSES: dict[int | str, dict[str, Any]] = {
    code: {"model": ErrorBody, "description": text}
    for code, text in {
        400: "Bad request (an impossible filter)",
        404: "Not found",
        422: "Invalid parameters",
        503: "Store unavailable",
    }.items()
}


# ---------------------------------------------------------------------------
# Query parameters

Actor = Annotated[str | None, Query(min_length=1, max_length=100, pattern=ACTOR_PATTERN,
                                    description="actor code prefix (BLR) or name")]
# A required actor argument (the two sides of a dyad).
ActorArg = Annotated[str, Query(min_length=1, max_length=100, pattern=ACTOR_PATTERN)]
Text = Annotated[str | None, Query(min_length=1, max_length=100, pattern=ACTOR_PATTERN)]
NameOrCode = Annotated[str | None, Query(min_length=1, max_length=100, pattern=ACTOR_PATTERN,
                                         description="part of a name, or an actor code")]
DateArg = Annotated[str | None, Query(pattern=DATE_PATTERN, description="YYYY, YYYY-MM or YYYY-MM-DD")]
Limit = Annotated[int, Query(ge=1, le=MAX_PAGE)]
Offset = Annotated[int, Query(ge=0, le=1_000_000)]
