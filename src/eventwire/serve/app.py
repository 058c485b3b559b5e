"""The HTTP API and the analysts' web page over one store.

``create_app(db_path, token=...)`` builds a FastAPI app: read-only JSON
endpoints over the store (events, articles with their annotated text, actors,
dyad timelines, quotes) and ``POST /api/articles``, which runs the pipeline on
one article and stores it. Writes need ``Authorization: Bearer <token>``;
without a token the server is read-only. The page (``/``) is plain static
HTML/JS/CSS from ``data/web``: no build step, nothing fetched from elsewhere.

The store is opened per request, so ``eventwire ingest`` in another process
can write between requests (DuckDB allows one writer process). Inside this
process a readers-writer gate keeps the one write connection apart from the
read-only ones, which DuckDB will not mix on one file.
"""

from __future__ import annotations

import argparse
import hmac
import logging
import threading
from collections import Counter
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import date
from importlib import resources
from pathlib import Path
from typing import Annotated, Any, Literal

from fastapi import FastAPI, Query, Request
from fastapi import Path as PathParam
from fastapi.exceptions import RequestValidationError
from fastapi.middleware.gzip import GZipMiddleware
from fastapi.responses import FileResponse, JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from pydantic import BaseModel, Field, ValidationError
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException

from ..corpus.query import (
    ActorEntry,
    ActorProfile,
    ActorSummary,
    ArticleHit,
    ArticleSummary,
    DyadBucket,
    EventDetail,
    OutletBalance,
    QuoteRow,
    TimelineEvent,
)
from ..corpus.store import Store, StoreError
from ..model import Article, Modality, Source
from ..settings import VERSION, setting

log = logging.getLogger("eventwire.serve.app")

# Bodies of POST /api/articles above this are refused with 413.
DEFAULT_MAX_BODY_BYTES = 1_000_000
MAX_PAGE = 500
WEB_DIR = resources.files("eventwire") / "data" / "web"

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


# ---------------------------------------------------------------------------
# Store access


class _Gate:
    """Many readers or one writer at a time, within this process."""

    def __init__(self) -> None:
        self._cond = threading.Condition()
        self._readers = 0
        self._writing = False

    @contextmanager
    def reading(self) -> Iterator[None]:
        with self._cond:
            self._cond.wait_for(lambda: not self._writing)
            self._readers += 1
        try:
            yield
        finally:
            with self._cond:
                self._readers -= 1
                self._cond.notify_all()

    @contextmanager
    def writing(self) -> Iterator[None]:
        with self._cond:
            self._cond.wait_for(lambda: not self._writing and self._readers == 0)
            self._writing = True
        try:
            yield
        finally:
            with self._cond:
                self._writing = False
                self._cond.notify_all()


def error(status: int, detail: str) -> HTTPException:
    return HTTPException(status_code=status, detail=detail)


class _StoreAccess:
    def __init__(self, db_path: str) -> None:
        self.db_path = db_path
        self.gate = _Gate()
        # The pipeline (spaCy) runs one article at a time.
        self.pipeline_lock = threading.Lock()

    @contextmanager
    def read(self) -> Iterator[Store]:
        with self.gate.reading():
            try:
                store = Store(self.db_path, read_only=True)
            except StoreError as err:
                raise error(503, f"store unavailable: {err}") from err
            with store:
                yield store

    @contextmanager
    def write(self) -> Iterator[Store]:
        with self.gate.writing():
            try:
                store = Store(self.db_path)
            except StoreError as err:
                raise error(503, f"store unavailable: {err}") from err
            with store:
                yield store


# ---------------------------------------------------------------------------
# Request helpers


def check_date_range(start: str | None, end: str | None) -> None:
    for name, value in (("start", start), ("end", end)):
        if value and not _is_real_date_prefix(value):
            raise error(400, f"{name} {value!r} is not a real date")
    if start and end and start[: len(end)] > end:
        raise error(400, f"start {start} is after end {end}")


def _is_real_date_prefix(value: str) -> bool:
    """Whether "YYYY", "YYYY-MM" or "YYYY-MM-DD" names a real year, month or day."""
    parts = value.split("-")
    filled = parts + ["01"] * (3 - len(parts))
    try:
        date(int(filled[0]), int(filled[1]), int(filled[2]))
    except ValueError:
        return False
    return True


def actor_matches(actor: ActorSummary, q: str) -> bool:
    """``q`` is part of the actor's name (any case) or a prefix of its code."""
    return q.lower() in actor.name.lower() or bool(actor.actor and actor.actor.startswith(q))


def quote_speakers(rows: Sequence[QuoteRow]) -> list[Speaker]:
    """Named speakers of ``rows`` with their quote counts, most quoted first;
    one row per name and code."""
    counts = Counter((q.speaker_name, q.speaker_actor) for q in rows if q.speaker_name)
    ordered = sorted(counts.items(), key=lambda item: (-item[1], item[0][0], item[0][1] or ""))
    return [Speaker(name=name, actor=actor, quotes=n) for (name, actor), n in ordered]


def bearer_token(request: Request) -> str | None:
    header = request.headers.get("authorization", "")
    scheme, _, value = header.partition(" ")
    return value.strip() if scheme.lower() == "bearer" and value.strip() else None


async def read_capped(request: Request, limit: int) -> bytes:
    """The request body, refused with 413 as soon as it passes ``limit`` bytes
    (declared or actually sent)."""
    declared = request.headers.get("content-length")
    if declared is not None and declared.isdigit() and int(declared) > limit:
        raise error(413, f"body of {declared} bytes is over the limit of {limit}")
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise error(413, f"body is over the limit of {limit} bytes")
        chunks.append(chunk)
    return b"".join(chunks)


def parse_article_body(body: bytes, content_type: str) -> ArticleIn:
    media = content_type.split(";")[0].strip().lower()
    try:
        if media == "application/json":
            return ArticleIn.model_validate_json(body)
        if media == "text/plain":
            return ArticleIn(text=body.decode("utf-8"))
    except UnicodeDecodeError as err:
        raise error(400, "body is not UTF-8 text") from err
    raise error(415, "send application/json or text/plain")


def validation_errors(err: ValidationError | RequestValidationError) -> list[dict[str, Any]]:
    """Per-field problems, JSON-safe (pydantic's ``ctx`` may hold exceptions)."""
    return [
        {"loc": [str(p) for p in e.get("loc", ())], "msg": str(e.get("msg", "")), "type": str(e.get("type", ""))}
        for e in err.errors()
    ]


def error_response(status: int, detail: str, errors: list[dict[str, Any]] | None = None,
                   headers: Mapping[str, str] | None = None) -> JSONResponse:
    body = ErrorBody(status=status, detail=detail, errors=errors or [])
    return JSONResponse(body.model_dump(), status_code=status, headers=headers)


# ---------------------------------------------------------------------------
# The app

_ERRORS: dict[int | str, dict[str, Any]] = {
    code: {"model": ErrorBody, "description": text}
    for code, text in {
        400: "Bad request (an impossible filter)",
        404: "Not found",
        422: "Invalid parameters",
        503: "Store unavailable",
    }.items()
}

Actor = Annotated[str | None, Query(min_length=1, max_length=100, pattern=ACTOR_PATTERN,
                                    description="actor code prefix (BLR) or name")]
Text = Annotated[str | None, Query(min_length=1, max_length=100, pattern=ACTOR_PATTERN)]
NameOrCode = Annotated[str | None, Query(min_length=1, max_length=100, pattern=ACTOR_PATTERN,
                                         description="part of a name, or an actor code")]
DateArg = Annotated[str | None, Query(pattern=DATE_PATTERN, description="YYYY, YYYY-MM or YYYY-MM-DD")]
Limit = Annotated[int, Query(ge=1, le=MAX_PAGE)]
Offset = Annotated[int, Query(ge=0, le=1_000_000)]


def create_app(
    db_path: str | Path,
    token: str | None = None,
    *,
    max_body_bytes: int = DEFAULT_MAX_BODY_BYTES,
) -> FastAPI:
    """The API and page over the store at ``db_path``. With ``token`` the
    store is created when missing and ``POST /api/articles`` accepts that
    bearer token; without one every write is refused (403)."""
    db = str(db_path)
    if token:
        Store(db).close()  # create (or migrate) it now, not on the first write
    else:
        Store(db, read_only=True).close()  # fail at start, not on every request
    access = _StoreAccess(db)
    app = FastAPI(
        title="eventwire",
        version=VERSION,
        description="Sourced political event data: events, articles with character offsets, actors, quotes.",
        responses=_ERRORS,
    )

    @app.exception_handler(HTTPException)
    async def http_error(request: Request, exc: HTTPException) -> JSONResponse:
        return error_response(exc.status_code, str(exc.detail), headers=exc.headers)

    @app.exception_handler(RequestValidationError)
    async def invalid_request(request: Request, exc: RequestValidationError) -> JSONResponse:
        return error_response(422, "invalid request", validation_errors(exc))

    @app.exception_handler(Exception)
    async def server_error(request: Request, exc: Exception) -> JSONResponse:
        log.exception("unhandled error on %s %s", request.method, request.url.path)
        return error_response(500, "internal error")

    @app.get("/healthz", response_model=Health, tags=["meta"])
    def healthz() -> Health:
        with access.read() as store:
            return Health(status="ok", version=VERSION, articles=len(store), writable=token is not None)

    @app.get("/api/events", response_model=EventPage, tags=["events"])
    def get_events(
        actor: Actor = None,
        source: Actor = None,
        target: Actor = None,
        code: Annotated[str | None, Query(pattern=r"^\d{2,4}$", description="CAMEO code prefix")] = None,
        root: Annotated[str | None, Query(pattern=r"^\d{2}$", description="CAMEO root code")] = None,
        modality: Modality | None = None,
        start: DateArg = None,
        end: DateArg = None,
        location: Text = None,
        outlet: Text = None,
        limit: Limit = 100,
        offset: Offset = 0,
    ) -> EventPage:
        """Canonical events matching every filter given, in date order.
        ``actor`` matches either side; actor arguments are a code prefix
        ("BLR"), a name or an actor id."""
        from ..corpus.query import find_events

        check_date_range(start, end)
        with access.read() as store:
            # One more than asked tells whether another page follows.
            found = find_events(
                store, actor=actor, source=source, target=target, code=code, root=root,
                modality=modality, start=start, end=end, location=location, outlet=outlet,
                limit=limit + 1, offset=offset,
            )
        return EventPage(limit=limit, offset=offset, has_more=len(found) > limit, events=found[:limit])

    @app.get("/api/events/{event_key}", response_model=EventDetail, tags=["events"])
    def get_event(event_key: str) -> EventDetail:
        """One canonical event and every article's report of it, with offsets."""
        from ..corpus.query import event_detail

        with access.read() as store:
            found = event_detail(store, event_key)
        if found is None:
            raise error(404, f"no event {event_key!r}")
        return found

    @app.get("/api/timeline", response_model=Timeline, tags=["events"])
    def get_timeline(
        a: Annotated[str, Query(min_length=1, max_length=100, pattern=ACTOR_PATTERN)],
        b: Annotated[str, Query(min_length=1, max_length=100, pattern=ACTOR_PATTERN)],
        start: DateArg = None,
        end: DateArg = None,
        interval: Literal["day", "week", "month", "year"] = "month",
        all_modalities: bool = False,
    ) -> Timeline:
        """The ``a``–``b`` dyad in either direction."""
        from ..corpus.query import dyad_by_outlet, dyad_series, goldstein_sum, timeline

        check_date_range(start, end)
        asserted_only = not all_modalities
        with access.read() as store:
            events = timeline(store, a, b, asserted_only=asserted_only, start=start, end=end)
            series = dyad_series(store, a, b, interval=interval, asserted_only=asserted_only, start=start, end=end)
            outlets = dyad_by_outlet(store, a, b, asserted_only=asserted_only)
        return Timeline(a=a, b=b, interval=interval, goldstein_sum=goldstein_sum(events),
                        series=series, by_outlet=outlets, events=events)

    @app.get("/api/search", response_model=list[ArticleHit], tags=["articles"])
    def get_search(
        q: Annotated[str, Query(min_length=1, max_length=200, pattern=ACTOR_PATTERN)],
        limit: Limit = 20,
        offset: Offset = 0,
    ) -> list[ArticleHit]:
        """Articles whose text contains ``q`` (any case), newest first."""
        from ..corpus.query import search_articles

        with access.read() as store:
            return search_articles(store, q, limit=limit, offset=offset)

    @app.get("/api/articles", response_model=list[ArticleSummary], tags=["articles"])
    def get_articles(limit: Limit = 100, offset: Offset = 0) -> list[ArticleSummary]:
        from ..corpus.query import article_summaries

        with access.read() as store:
            return article_summaries(store)[offset : offset + limit]

    @app.get("/api/articles/{doc_id}", response_model=Article, tags=["articles"])
    def get_article(doc_id: str) -> Article:
        with access.read() as store:
            try:
                return store.article(doc_id)
            except KeyError:
                raise error(404, f"no article {doc_id!r}") from None

    @app.post(
        "/api/articles",
        response_model=Ingested,
        status_code=201,
        tags=["articles"],
        responses={
            200: {"model": Ingested, "description": "Already stored"},
            401: {"model": ErrorBody, "description": "No bearer token"},
            403: {"model": ErrorBody, "description": "Wrong token, or the server is read-only"},
            413: {"model": ErrorBody, "description": "Body over the size limit"},
            415: {"model": ErrorBody, "description": "Neither JSON nor plain text"},
        },
        openapi_extra={
            "requestBody": {
                "required": True,
                "content": {
                    "application/json": {"schema": ArticleIn.model_json_schema()},
                    "text/plain": {"schema": {"type": "string", "minLength": 1}},
                },
            },
            "security": [{"bearer": []}],
        },
    )
    async def post_article(request: Request) -> JSONResponse:
        if token is None:
            raise error(403, "this server is read-only (started without a token)")
        given = bearer_token(request)
        if given is None:
            raise HTTPException(401, "a bearer token is required", headers={"WWW-Authenticate": "Bearer"})
        if not hmac.compare_digest(given.encode(), token.encode()):
            raise error(403, "wrong token")
        body = await read_capped(request, max_body_bytes)
        try:
            item = parse_article_body(body, request.headers.get("content-type", ""))
        except ValidationError as err:
            raise RequestValidationError(err.errors()) from err
        if not item.text.strip():
            raise error(400, "text is blank")
        result = await run_in_threadpool(_ingest, access, item)
        return JSONResponse(result.model_dump(), status_code=201 if result.stored else 200)

    @app.get("/api/actors", response_model=list[ActorSummary], tags=["actors"])
    def get_actors(
        q: NameOrCode = None,
        limit: Limit = 100,
        offset: Offset = 0,
    ) -> list[ActorSummary]:
        from ..corpus.query import actors

        with access.read() as store:
            found = actors(store)
        if q is not None:
            found = [x for x in found if actor_matches(x, q)]
        return found[offset : offset + limit]

    @app.get("/api/actors/{actor}", response_model=ActorProfile, tags=["actors"])
    def get_actor(actor: Annotated[str, PathParam(max_length=100, pattern=ACTOR_PATTERN)]) -> ActorProfile:
        """An actor argument (code prefix, name or actor id): the actors it
        names — aliases, codes over time, each outlet's labels — and its events."""
        from ..corpus.query import actor_profile

        with access.read() as store:
            profile = actor_profile(store, actor)
        if not profile.actors and not (profile.events_as_source or profile.events_as_target):
            raise error(404, f"no actor {actor!r}")
        return profile

    @app.get("/api/actor-entries", response_model=list[ActorEntry], tags=["actors"])
    def get_actor_entries(
        q: NameOrCode = None,
        limit: Limit = 100,
        offset: Offset = 0,
    ) -> list[ActorEntry]:
        """Actors one per identity (``actor_id``), most seen first, each with its
        aliases, codes over time and the labels each outlet gave it."""
        from ..corpus.query import actor_entries, matching_actor_ids

        with access.read() as store:
            if q is None:
                return actor_entries(store, limit=offset + limit)[offset:]
            ids = matching_actor_ids(store, q, limit=offset + limit)
            return actor_entries(store, actor_ids=ids)[offset : offset + limit]

    @app.get("/api/quotes/speakers", response_model=list[Speaker], tags=["quotes"])
    def get_quote_speakers(limit: Limit = 100, offset: Offset = 0) -> list[Speaker]:
        """Everyone quoted by name, most quoted first."""
        from ..corpus.query import quotes

        with access.read() as store:
            return quote_speakers(quotes(store))[offset : offset + limit]

    @app.get("/api/quotes", response_model=list[QuoteRow], tags=["quotes"])
    def get_quotes(speaker: Actor = None, limit: Limit = 100, offset: Offset = 0) -> list[QuoteRow]:
        from ..corpus.query import quotes

        with access.read() as store:
            return quotes(store, speaker)[offset : offset + limit]

    @app.get("/", include_in_schema=False)
    def index() -> FileResponse:
        return FileResponse(str(WEB_DIR / "index.html"), media_type="text/html")

    app.mount("/static/vendor", _VersionedFiles(directory=str(WEB_DIR / "vendor")), name="vendor")
    app.mount("/static", StaticFiles(directory=str(WEB_DIR)), name="static")
    # The vendored chart library is ~0.5 MB of JavaScript; gzip makes it ~150 kB.
    app.add_middleware(GZipMiddleware, minimum_size=1000)
    _declare_bearer(app)
    return app


class _VersionedFiles(StaticFiles):
    """The vendored libraries carry their version in their file names, so a
    browser may keep them for good."""

    def file_response(self, *args: Any, **kwargs: Any) -> Response:
        response = super().file_response(*args, **kwargs)
        response.headers["Cache-Control"] = "public, max-age=31536000, immutable"
        return response


def _declare_bearer(app: FastAPI) -> None:
    """Add the bearer scheme to the OpenAPI description (the POST route reads
    the header itself, to answer 401/403 before reading the body)."""
    base = app.openapi

    def openapi() -> dict[str, Any]:
        schema = base()
        schema.setdefault("components", {}).setdefault("securitySchemes", {})["bearer"] = {
            "type": "http",
            "scheme": "bearer",
        }
        return schema

    app.openapi = openapi  # type: ignore[method-assign]


def _ingest(access: _StoreAccess, item: ArticleIn) -> Ingested:
    from ..extract.runner import extract

    with access.pipeline_lock:
        article = extract(
            item.text,
            title=item.title,
            published=item.published,
            source=Source(url=item.url, outlet=item.outlet),
        )
    with access.write() as store:
        stored = store.add(article)
    return Ingested(
        doc_id=article.doc_id,
        stored=stored,
        entities=len(article.entities),
        quotes=len(article.quotes),
        events=len(article.events),
    )


def main_serve(args: argparse.Namespace) -> int:
    """``eventwire serve``: run the app with uvicorn until interrupted."""
    import uvicorn

    token = args.token or setting("token") or None
    app = create_app(args.db, token=token)
    mode = "writes need the bearer token" if token else "read-only (no token)"
    print(f"eventwire: serving {args.db} on http://{args.host}:{args.port}/ — {mode}", flush=True)
    uvicorn.run(app, host=args.host, port=args.port, log_level="warning")
    return 0
