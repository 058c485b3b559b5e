"""Canonical events (``/api/events``, one with its reports) and dyad
timelines (``/api/timeline``)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Query

from ...corpus.query import (
    EventDetail,
    TimelineEvent,
    dyad_by_outlet,
    dyad_series,
    event_detail,
    find_events,
    goldstein_sum,
    timeline,
)
from ...corpus.resolve import resolve_actor
from ...corpus.store import Store
from ...model import Modality
from ..access import StoreAccess
from ..bodies import Actor, ActorArg, DateArg, EventMap, EventPage, Limit, Offset, Text, Timeline
from ..geo import event_map, start_loading_gazetteer
from ..requests import check_date_range, error

__all__ = ["VIEW_EVENTS_CAP", "EventView", "event_view", "events_router", "view_events"]

# The most events a view's map or download covers when it names an actor.
VIEW_EVENTS_CAP = 1_000_000

Code = Annotated[str | None, Query(pattern=r"^\d{2,4}$", description="CAMEO code prefix")]
Root = Annotated[str | None, Query(pattern=r"^\d{2}$", description="CAMEO root code")]


def events_router(access: StoreAccess) -> APIRouter:
    router = APIRouter(tags=["events"])
    start_loading_gazetteer()  # /api/map and the exports resolve places with it

    @router.get("/api/events", response_model=EventPage)
    def get_events(
        actor: Actor = None,
        source: Actor = None,
        target: Actor = None,
        code: Code = None,
        root: Root = None,
        modality: Modality | None = None,
        start: DateArg = None,
        end: DateArg = None,
        location: Text = None,
        outlet: Text = None,
        limit: Limit = 100,
        offset: Offset = 0,
        all_modalities: bool = False,
    ) -> EventPage:
        """Canonical events matching every filter given, in date order:
        asserted ones unless ``modality`` or ``all_modalities`` says otherwise
        (as the CLI). ``actor`` matches either side; actor arguments are
        resolved as the CLI's (a country includes its government; unknown:
        404, ambiguous: 400, each with candidates)."""
        check_date_range(start, end)
        if modality is None and not all_modalities:
            modality = "asserted"
        with access.read() as store:
            # One more than asked tells whether another page follows.
            found = find_events(
                store, actor=actor, source=source, target=target, code=code, root=root,
                modality=modality, start=start, end=end, location=location, outlet=outlet,
                limit=limit + 1, offset=offset,
            )
        return EventPage(limit=limit, offset=offset, has_more=len(found) > limit, events=found[:limit])

    @router.get("/api/events/{event_key}", response_model=EventDetail)
    def get_event(event_key: str) -> EventDetail:
        """One canonical event and every article's report of it, with offsets."""
        with access.read() as store:
            found = event_detail(store, event_key)
        if found is None:
            raise error(404, f"no event {event_key!r}")
        return found

    _add_dyad_routes(router, access)
    return router


def _add_dyad_routes(router: APIRouter, access: StoreAccess) -> None:
    """/api/timeline and /api/map: a dyad's (or a view's) events."""

    @router.get("/api/timeline", response_model=Timeline)
    def get_timeline(
        a: ActorArg,
        b: ActorArg,
        start: DateArg = None,
        end: DateArg = None,
        interval: Literal["day", "week", "month", "year"] = "month",
        all_modalities: bool = False,
        exact: bool = False,
    ) -> Timeline:
        """The ``a``–``b`` dyad in either direction. A country's code or name
        includes every actor coded under it unless ``exact`` (or ``=BLR``);
        ``a_resolved``/``b_resolved`` say what each side was taken to mean."""
        check_date_range(start, end)
        asserted_only = not all_modalities
        with access.read() as store:
            side_a, side_b = resolve_actor(store, a, exact=exact), resolve_actor(store, b, exact=exact)
            events = timeline(store, side_a, side_b, asserted_only=asserted_only, start=start, end=end)
            series = dyad_series(store, side_a, side_b, interval=interval, asserted_only=asserted_only,
                                 start=start, end=end)  # fmt: skip
            outlets = dyad_by_outlet(store, side_a, side_b, asserted_only=asserted_only)
        return Timeline(a=a, b=b, a_resolved=side_a, b_resolved=side_b, interval=interval,
                        goldstein_sum=goldstein_sum(events), series=series, by_outlet=outlets, events=events)

    @router.get("/api/map", response_model=EventMap)
    def get_map(view: Annotated[EventView, Depends(event_view)]) -> EventMap:
        """Where a view's events happen (their resolved locations) and the
        country pairs of their sides: the ``a``–``b`` dyad when both are
        given, else the events touching ``actor``, else all."""
        with access.read() as store:
            events = view_events(store, view)
        return event_map(events)


@dataclass(frozen=True, slots=True)
class EventView:
    """The events a page view shows, as the map and the download ask for
    them: the ``a``–``b`` dyad when both are given, else those touching
    ``actor`` (or all), within ``start``–``end``."""

    a: str | None
    b: str | None
    actor: str | None
    start: str | None
    end: str | None
    asserted_only: bool

    @property
    def narrowed(self) -> bool:
        """Whether the view names a dyad or an actor (else: every event)."""
        return bool(self.a and self.b or self.actor)


def event_view(
    a: Actor = None,
    b: Actor = None,
    actor: Actor = None,
    start: DateArg = None,
    end: DateArg = None,
    all_modalities: bool = False,
) -> EventView:
    """The query parameters of a view (a FastAPI dependency), dates checked."""
    check_date_range(start, end)
    return EventView(a, b, actor, start, end, asserted_only=not all_modalities)


def view_events(store: Store, view: EventView) -> list[TimelineEvent]:
    """The events of ``view``: a dyad's whole timeline, or at most
    ``VIEW_EVENTS_CAP`` of an actor's (or of all)."""
    if view.a and view.b:
        return timeline(store, view.a, view.b, asserted_only=view.asserted_only, start=view.start, end=view.end)
    return find_events(store, actor=view.actor, modality="asserted" if view.asserted_only else None,
                       start=view.start, end=view.end, limit=VIEW_EVENTS_CAP)  # fmt: skip
