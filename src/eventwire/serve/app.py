"""The HTTP API and the analysts' web page over one store.

``create_app(db_path, token=...)`` builds a FastAPI app: read-only JSON
endpoints over the store (events, articles with their annotated text, actors,
dyad timelines, quotes) and ``POST /api/articles``, which runs the pipeline on
one article and stores it. Writes need ``Authorization: Bearer <token>``;
without a token the server is read-only. The page (``/``) is plain static
HTML/JS/CSS from ``data/web``: no build step, nothing fetched from elsewhere.

The routes live in ``serve.routes`` (one module per group), the store access
in ``serve.access``, the bodies and parameter types in ``serve.bodies`` and
the request helpers in ``serve.requests``; this module only assembles them.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.middleware.gzip import GZipMiddleware
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException

from ..corpus.shards import ShardData
from ..corpus.store import Store, StoreError
from ..settings import VERSION, setting
from .access import StoreAccess
from .bodies import ERROR_RESPONSES
from .requests import error_response, validation_errors
from .routes import actors, articles, events, meta, quotes, web

__all__ = ["DEFAULT_MAX_BODY_BYTES", "ServeOptions", "create_app", "run_server"]

log = logging.getLogger("eventwire.serve.app")

# Bodies of POST /api/articles above this are refused with 413.
DEFAULT_MAX_BODY_BYTES = 1_000_000


def create_app(
    db_path: str | Path,
    token: str | None = None,
    *,
    max_body_bytes: int = DEFAULT_MAX_BODY_BYTES,
    data: str | Path | None = None,
) -> FastAPI:
    """The API and page over the store at ``db_path``. With ``token`` the
    store is created when missing and ``POST /api/articles`` accepts that
    bearer token; without one every write is refused (403). With ``data``
    (a folder of ``eventwire run`` shards) the API reads the shards in place,
    read-only."""
    db = str(db_path)
    if data is not None:
        if token:
            raise StoreError(f"{data}: shards are read-only; serve them without a token")
        ShardData(data).close()  # fail at start, not on every request
    elif token:
        Store(db).close()  # create (or migrate) it now, not on the first write
    else:
        Store(db, read_only=True).close()  # fail at start, not on every request
    access = StoreAccess(db, str(data) if data is not None else None)
    app = FastAPI(
        title="eventwire",
        version=VERSION,
        description="Sourced political event data: events, articles with character offsets, actors, quotes.",
        responses=ERROR_RESPONSES,
    )
    _handle_errors(app)
    app.include_router(meta.meta_router(access, writable=token is not None))
    app.include_router(events.events_router(access))
    app.include_router(articles.articles_router(access, token=token, max_body_bytes=max_body_bytes))
    app.include_router(actors.actors_router(access))
    app.include_router(quotes.quotes_router(access))
    app.include_router(web.web_router())
    web.mount_static(app)
    # The vendored chart library is ~0.5 MB of JavaScript; gzip makes it ~150 kB.
    app.add_middleware(GZipMiddleware, minimum_size=1000)
    _declare_bearer(app)
    return app


def _handle_errors(app: FastAPI) -> None:
    """Every error answer is an ``ErrorBody``; unexpected ones are logged."""

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


@dataclass(frozen=True, slots=True)
class ServeOptions:
    """What ``eventwire serve`` runs: the store, where to listen, and the
    bearer token for writes (None: ``$EVENTWIRE_TOKEN``, else read-only)."""

    db: str
    host: str = "127.0.0.1"
    port: int = 8000
    token: str | None = None
    data: str | None = None  # a folder of Parquet shards, read in place instead of ``db``


def run_server(options: ServeOptions) -> int:
    """``eventwire serve``: run the app with uvicorn until interrupted."""
    import uvicorn

    token = options.token or setting("token") or None
    app = create_app(options.db, token=token, data=options.data)
    mode = "writes need the bearer token" if token else "read-only (no token)"
    print(f"eventwire: serving {options.db} on http://{options.host}:{options.port}/ — {mode}", flush=True)
    uvicorn.run(app, host=options.host, port=options.port, log_level="warning")
    return 0
