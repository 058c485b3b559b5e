"""The HTTP API and the analysts' web page over one store.

``create_app(db_path, token=...)`` builds a FastAPI app: read-only JSON
endpoints over the store (events, articles with their annotated text, actors,
dyad timelines, quotes) and ``POST /api/articles``, which runs the pipeline on
one article and stores it. Writes need ``Authorization: Bearer <token>``;
without a token the server is read-only. The page (``/``) is plain static
HTML/JS/CSS from ``data/web``: no build step, nothing fetched from elsewhere.

The routes live in ``serve.routes`` (one module per group), the store access
in ``serve.access``, the bodies and parameter types in ``serve.bodies`` and
the request helpers in ``serve.requests``, the Host allowlist and security
headers in ``serve.security``; this module only assembles them.
``serve.server`` runs the app for ``eventwire serve``.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.middleware.gzip import GZipMiddleware
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import HTMLResponse, JSONResponse
from starlette.exceptions import HTTPException
from starlette.requests import ClientDisconnect

from ..corpus.store import StoreError
from ..errors import ActorQueryError
from ..settings import VERSION
from .access import StoreAccess, WritesFirst
from .bodies import ERROR_RESPONSES
from .requests import error_response, validation_errors
from .routes import actors, articles, events, export, meta, quotes, web
from .routes import handoff as handoff_routes
from .security import Guard

__all__ = ["DEFAULT_MAX_BODY_BYTES", "SWAGGER_UI", "close_app", "create_app"]

log = logging.getLogger("eventwire.serve.app")

# Bodies of POST /api/articles above this are refused with 413.
DEFAULT_MAX_BODY_BYTES = 1_000_000


def create_app(
    db_path: str | Path,
    token: str | None = None,
    *,
    max_body_bytes: int = DEFAULT_MAX_BODY_BYTES,
    handoff_token: str | None = None,
    allow_hosts: Iterable[str] = (),
    data: str | Path | None = None,
) -> FastAPI:
    """The API and page over the store at ``db_path``, opened once for the
    app's life (``app.state.access``; ``close_app`` closes it). With
    ``token`` the store is created when missing and ``POST /api/articles``
    accepts that bearer token; without one every write is refused (403).
    With ``handoff_token`` the CLI's ingest may hand this server its
    articles (``serve.handoff``). With either the store is open for writing
    (this process is its one writer), else read-only. Requests for a host
    other than a loopback name or ``allow_hosts`` get 421. With ``data`` (a
    folder of ``eventwire run`` shards) the API reads the shards in place,
    read-only."""
    db = str(db_path)
    if data is not None and (token or handoff_token):
        raise StoreError(f"{data}: shards are read-only; serve them without a token")
    writable = data is None and (token is not None or handoff_token is not None)
    access = StoreAccess(db, writable=writable, data=str(data) if data is not None else None)
    app = FastAPI(
        title="eventwire",
        version=VERSION,
        description="Sourced political event data: events, articles with character offsets, actors, quotes.",
        responses=ERROR_RESPONSES,
        # /docs is served from vendored files (``_offline_docs``); ReDoc would need a CDN.
        docs_url=None,
        redoc_url=None,
    )
    app.state.access = access
    _handle_errors(app)
    _offline_docs(app)
    app.include_router(meta.meta_router(access, writable=token is not None))
    app.include_router(events.events_router(access))
    app.include_router(articles.articles_router(access, token=token, max_body_bytes=max_body_bytes))
    app.include_router(actors.actors_router(access))
    app.include_router(quotes.quotes_router(access))
    app.include_router(export.export_router(access))
    if handoff_token is not None:
        app.include_router(handoff_routes.handoff_router(access, token=handoff_token))
    app.include_router(web.web_router())
    web.mount_static(app)
    # The vendored chart library is ~0.5 MB of JavaScript; gzip makes it ~150 kB.
    app.add_middleware(GZipMiddleware, minimum_size=1000)
    app.add_middleware(WritesFirst, gate=access.gate)
    app.add_middleware(Guard, allow_hosts=tuple(allow_hosts))
    _declare_bearer(app)
    return app


def close_app(app: FastAPI) -> None:
    """Close the store the app holds open."""
    app.state.access.close()


def _handle_errors(app: FastAPI) -> None:
    """Every error answer is an ``ErrorBody``; unexpected ones are logged."""

    @app.exception_handler(HTTPException)
    async def http_error(request: Request, exc: HTTPException) -> JSONResponse:
        return error_response(exc.status_code, str(exc.detail), headers=exc.headers)

    @app.exception_handler(ActorQueryError)
    async def actor_query_error(request: Request, exc: ActorQueryError) -> JSONResponse:
        # An actor argument naming nothing (404) or several actors (400): the candidates to pick from.
        candidates = [{"loc": ["query", "actor"], "msg": label, "type": "candidate", "value": value}
                      for value, label in exc.candidates]  # fmt: skip
        return error_response(404 if exc.reason == "unknown" else 400, str(exc), candidates)

    @app.exception_handler(RequestValidationError)
    async def invalid_request(request: Request, exc: RequestValidationError) -> JSONResponse:
        return error_response(422, "invalid request", validation_errors(exc))

    @app.exception_handler(ClientDisconnect)
    async def client_gone(request: Request, exc: ClientDisconnect) -> JSONResponse:
        # Nobody reads the answer; one line in the log, not a traceback.
        log.warning("client disconnected during %s %s", request.method, request.url.path)
        return error_response(400, "client disconnected")

    @app.exception_handler(Exception)
    async def server_error(request: Request, exc: Exception) -> JSONResponse:
        log.exception("unhandled error on %s %s", request.method, request.url.path)
        return error_response(500, "internal error")


# Swagger UI from npm's swagger-ui-dist, vendored under data/web/vendor (see its README.md).
SWAGGER_UI = "/static/vendor/swagger-ui-5.35.0"


def _offline_docs(app: FastAPI) -> None:
    """``/docs``: FastAPI's Swagger UI page, its script and styles served from
    the vendored copy instead of a CDN, so it works offline."""

    @app.get("/docs", include_in_schema=False)
    def docs() -> HTMLResponse:
        return get_swagger_ui_html(
            openapi_url=app.openapi_url or "/openapi.json",
            title=f"{app.title} API",
            swagger_js_url=f"{SWAGGER_UI}/swagger-ui-bundle.js",
            swagger_css_url=f"{SWAGGER_UI}/swagger-ui.css",
            swagger_favicon_url=f"{SWAGGER_UI}/favicon-32x32.png",
        )


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
