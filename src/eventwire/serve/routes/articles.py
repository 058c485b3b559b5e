"""Articles: search, list, one with its annotated text, and ``POST
/api/articles``, which runs the pipeline on one article and stores it
(bearer token required; without a token the server is read-only)."""

from __future__ import annotations

import hmac
from concurrent.futures.process import BrokenProcessPool
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import ValidationError
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException

from ...corpus.query import ArticleHit, ArticleSummary, article_summaries, search_articles
from ...model import Article, Source
from ..access import StoreAccess
from ..bodies import ACTOR_PATTERN, ArticleIn, ErrorBody, Ingested, Limit, Offset
from ..requests import bearer_token, check_published, error, parse_article_body, read_capped

__all__ = ["articles_router", "ingest"]

SearchText = Annotated[str, Query(min_length=1, max_length=200, pattern=ACTOR_PATTERN)]

# What the POST route documents beyond the JSON body schema FastAPI cannot
# infer (the route reads the body itself, to check token and size first).
_POST_RESPONSES: dict[int | str, dict[str, Any]] = {
    200: {"model": Ingested, "description": "Already stored"},
    401: {"model": ErrorBody, "description": "No bearer token"},
    403: {"model": ErrorBody, "description": "Wrong token, or the server is read-only"},
    413: {"model": ErrorBody, "description": "Body over the size limit"},
    415: {"model": ErrorBody, "description": "Neither JSON nor plain text"},
}
_POST_OPENAPI: dict[str, Any] = {
    "requestBody": {
        "required": True,
        "content": {
            "application/json": {"schema": ArticleIn.model_json_schema()},
            "text/plain": {"schema": {"type": "string", "minLength": 1}},
        },
    },
    "security": [{"bearer": []}],
}


def articles_router(access: StoreAccess, *, token: str | None, max_body_bytes: int) -> APIRouter:
    router = APIRouter(tags=["articles"])

    @router.get("/api/search", response_model=list[ArticleHit])
    def get_search(q: SearchText, limit: Limit = 20, offset: Offset = 0) -> list[ArticleHit]:
        """Articles whose text contains ``q`` (any case), newest first."""
        with access.read() as store:
            return search_articles(store, q, limit=limit, offset=offset)

    @router.get("/api/articles", response_model=list[ArticleSummary])
    def get_articles(limit: Limit = 100, offset: Offset = 0) -> list[ArticleSummary]:
        with access.read() as store:
            return article_summaries(store)[offset : offset + limit]

    @router.get("/api/articles/{doc_id}", response_model=Article)
    def get_article(doc_id: str) -> Article:
        with access.read() as store:
            try:
                return store.article(doc_id)
            except KeyError:
                raise error(404, f"no article {doc_id!r}") from None

    @router.post("/api/articles", response_model=Ingested, status_code=201,
                 responses=_POST_RESPONSES, openapi_extra=_POST_OPENAPI)
    async def post_article(request: Request) -> JSONResponse:
        _check_token(request, token)
        body = await read_capped(request, max_body_bytes)
        try:
            item = parse_article_body(body, request.headers.get("content-type", ""))
        except ValidationError as err:
            raise RequestValidationError(err.errors()) from err
        if not item.text.strip():
            raise error(400, "text is blank")
        if item.published is not None:
            check_published(item.published)
        result = await run_in_threadpool(ingest, access, item)
        return JSONResponse(result.model_dump(), status_code=201 if result.stored else 200)

    return router


def _check_token(request: Request, token: str | None) -> None:
    """403 on a read-only server or a wrong token, 401 without one."""
    if token is None:
        raise error(403, "this server is read-only (started without a token)")
    given = bearer_token(request)
    if given is None:
        raise HTTPException(401, "a bearer token is required", headers={"WWW-Authenticate": "Bearer"})
    if not hmac.compare_digest(given.encode(), token.encode()):
        raise error(403, "wrong token")


def ingest(access: StoreAccess, item: ArticleIn) -> Ingested:
    """Run the pipeline on ``item`` (in the pipeline process, one article at
    a time) and store it."""
    from ...extract.runner import extract

    source = Source(url=item.url, outlet=item.outlet)
    try:
        article = access.pipeline().submit(extract, item.text, title=item.title, published=item.published,
                                           source=source).result()
    except BrokenProcessPool:
        access.restart_pipeline()
        raise error(503, "the pipeline process stopped; try again") from None
    with access.write() as store:
        stored = store.add(article)
    return Ingested(
        doc_id=article.doc_id,
        stored=stored,
        entities=len(article.entities),
        quotes=len(article.quotes),
        events=len(article.events),
    )
