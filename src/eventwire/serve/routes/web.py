"""The analysts' web page: plain static HTML/JS/CSS from ``data/web``, with
no build step and nothing fetched from elsewhere."""

from __future__ import annotations

from importlib import resources
from typing import Any

from fastapi import APIRouter, FastAPI
from fastapi.responses import FileResponse, Response
from fastapi.staticfiles import StaticFiles

__all__ = ["WEB_DIR", "mount_static", "web_router"]

WEB_DIR = resources.files("eventwire") / "data" / "web"


def web_router() -> APIRouter:
    """``/``: the page itself."""
    router = APIRouter(include_in_schema=False)

    @router.get("/")
    def index() -> FileResponse:
        return FileResponse(str(WEB_DIR / "index.html"), media_type="text/html")

    return router


def mount_static(app: FastAPI) -> None:
    """The page's files under ``/static``; the vendored libraries under
    ``/static/vendor`` may be cached for good."""
    app.mount("/static/vendor", _VersionedFiles(directory=str(WEB_DIR / "vendor")), name="vendor")
    app.mount("/static", StaticFiles(directory=str(WEB_DIR)), name="static")


class _VersionedFiles(StaticFiles):
    """The vendored libraries carry their version in their file names, so a
    browser may keep them for good."""

    def file_response(self, *args: Any, **kwargs: Any) -> Response:
        response = super().file_response(*args, **kwargs)
        response.headers["Cache-Control"] = "public, max-age=31536000, immutable"
        return response
