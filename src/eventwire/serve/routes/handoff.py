"""The hand-off routes: ``eventwire ingest`` in another process, finding this
server running on its store, analyses its articles itself and gives the
records to this server, the store's one writer (``serve.handoff`` is the
client; docs/concurrency.md the design).

Only the CLI calls them, with the per-run token from the endpoint file beside
the store (mode 0600), so they stay out of the OpenAPI description.
"""

from __future__ import annotations

import dataclasses
import hmac
import json
import os
from typing import Any

from fastapi import APIRouter, Request
from starlette.concurrency import run_in_threadpool

from ...corpus.store import article_from_dict
from ..access import StoreAccess
from ..requests import bearer_token, error, read_capped

__all__ = ["HANDOFF_MAX_BODY_BYTES", "HANDOFF_PREFIX", "handoff_router"]

HANDOFF_PREFIX = "/internal/handoff"
# One analysed article: its raw and clean text (5 MB each at most) and every annotation.
HANDOFF_MAX_BODY_BYTES = 64_000_000


def handoff_router(access: StoreAccess, *, token: str) -> APIRouter:
    router = APIRouter(prefix=HANDOFF_PREFIX, include_in_schema=False)

    @router.get("/store")
    def which_store(request: Request) -> dict[str, Any]:
        """Which store this server writes (the client checks it is its own)."""
        _check(request, token)
        return {"store": os.path.realpath(access.db_path), "articles": access.count()}

    @router.get("/learned-roles")
    def learned_roles(request: Request) -> dict[str, Any]:
        """The roles corpus memory learned, for the client's coding tables."""
        _check(request, token)
        with access.read() as store:
            return {"roles": [dataclasses.asdict(role) for role in store.learned_roles()]}

    @router.get("/articles/{doc_id}")
    def is_stored(request: Request, doc_id: str) -> dict[str, bool]:
        _check(request, token)
        with access.read() as store:
            return {"stored": doc_id in store}

    @router.post("/articles")
    async def add_article(request: Request) -> dict[str, Any]:
        _check(request, token)
        body = await read_capped(request, HANDOFF_MAX_BODY_BYTES)
        try:
            article = article_from_dict(json.loads(body))
        except ValueError as err:  # JSON and pydantic errors alike
            raise error(422, f"not an article record: {str(err)[:300]}") from err
        return {"doc_id": article.doc_id, "stored": await run_in_threadpool(_add, access, article)}

    return router


def _add(access: StoreAccess, article: Any) -> bool:
    from ...extract.runner import content_hash

    if content_hash(article.raw_text) != article.doc_id:
        raise error(422, "doc_id is not the content hash of raw_text")
    with access.write() as store:
        return store.add(article)


def _check(request: Request, token: str) -> None:
    given = bearer_token(request) or ""
    if not hmac.compare_digest(given.encode(), token.encode()):
        raise error(403, "wrong hand-off token")
