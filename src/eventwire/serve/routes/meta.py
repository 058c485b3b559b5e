"""``/healthz``: the server is up, and what it serves."""

from __future__ import annotations

from fastapi import APIRouter

from ...settings import VERSION
from ..access import StoreAccess
from ..bodies import Health

__all__ = ["meta_router"]


def meta_router(access: StoreAccess, *, writable: bool) -> APIRouter:
    router = APIRouter(tags=["meta"])

    @router.get("/healthz", response_model=Health)
    def healthz() -> Health:
        # A pooled read handle: nothing is opened per request.
        return Health(status="ok", version=VERSION, articles=access.count(), writable=writable)

    return router
