"""``/api/export``: the events of a page view (a dyad, an actor, a date
range) as a download, in the formats of ``eventwire export`` (CSV, Parquet,
GDELT 2.0 events, PLOVER JSON lines), written by ``corpus.export``. Asserted
events only unless ``all_modalities`` is set, as on the page and in the CLI."""

from __future__ import annotations

import io
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends
from fastapi.responses import Response

from ...corpus.export import ExportFilter, write_csv, write_gdelt, write_parquet, write_plover
from ...corpus.store import Store
from ..access import StoreAccess
from ..geo import load_gazetteer
from .events import EventView, event_view, view_events

__all__ = ["DOWNLOADS", "ViewFilter", "export_router"]

DownloadFormat = Literal["csv", "parquet", "gdelt", "plover"]

# Format -> (file name, media type).
DOWNLOADS: dict[str, tuple[str, str]] = {
    "csv": ("eventwire-events.csv", "text/csv; charset=utf-8"),
    "parquet": ("eventwire-events.parquet", "application/vnd.apache.parquet"),
    "gdelt": ("eventwire-events.gdelt.tsv", "text/tab-separated-values; charset=utf-8"),
    "plover": ("eventwire-events.plover.jsonl", "application/x-ndjson; charset=utf-8"),
}


@dataclass(frozen=True, slots=True)
class ViewFilter(ExportFilter):
    """An export filter narrowed to a view: asserted events only (unless
    ``asserted_only`` is off) and, when given, the events ``event_keys``
    (the ones the page shows for a dyad or an actor)."""

    asserted_only: bool = True
    event_keys: tuple[str, ...] | None = None

    def condition(self, alias: str) -> tuple[str, list[Any]]:
        where, params = ExportFilter.condition(self, alias)
        parts = [where]
        if self.asserted_only:
            parts.append(f"{alias}.modality = 'asserted'")
        if self.event_keys is not None:
            parts.append(f"list_contains(?, {alias}.event_key)")
            params = [*params, list(self.event_keys)]
        return " AND ".join(parts), params

    @property
    def empty(self) -> bool:
        return ExportFilter.empty.fget(self) and not self.asserted_only and self.event_keys is None  # type: ignore[attr-defined]


def _write(store: Store, fmt: str, flt: ExportFilter) -> bytes:
    if fmt == "parquet":
        with tempfile.TemporaryDirectory(prefix="eventwire-export-") as folder:
            path = Path(folder) / "events.parquet"
            write_parquet(store, str(path), flt)
            return path.read_bytes()
    out = io.StringIO()
    if fmt in ("gdelt", "plover"):
        load_gazetteer()  # they resolve places: wait for the one load under way
    if fmt == "csv":
        write_csv(store, out, flt)
    elif fmt == "gdelt":
        write_gdelt(store, out, flt)
    else:
        write_plover(store, out, flt)
    return out.getvalue().encode("utf-8")


def export_router(access: StoreAccess) -> APIRouter:
    router = APIRouter(tags=["export"])

    @router.get("/api/export", response_class=Response,
                responses={200: {"description": "The events as a file", "content": {m: {} for _, m in DOWNLOADS.values()}}})
    def get_export(format: DownloadFormat, view: Annotated[EventView, Depends(event_view)]) -> Response:
        """The events of a view as a file: the ``a``–``b`` dyad when both are
        given, else those touching ``actor``, else all; within ``start``–``end``."""
        with access.read() as store:
            keys = tuple(e.event_key for e in view_events(store, view)) if view.narrowed else None
            flt = ViewFilter(start=view.start, end=view.end, asserted_only=view.asserted_only, event_keys=keys)
            body = _write(store, format, flt)
        name, media = DOWNLOADS[format]
        return Response(body, media_type=media, headers={"Content-Disposition": f'attachment; filename="{name}"'})

    return router
