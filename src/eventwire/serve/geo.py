"""Where events happen, for the page's world map: each event's location
resolved with ``corpus.places`` (the event's own actors' countries break ties
between same-named cities), and the country pairs of its two sides (dyads).

Countries carry their ISO 3166-1 numeric code, the id of the vendored world
atlas's shapes; a place resolved only to a country has no coordinates here
and the page puts it at the country's centroid on the atlas.

Loading the gazetteer takes seconds, so the server loads it in the
background as it starts (``start_loading_gazetteer``), and a request that
needs it waits for that one load rather than starting another.
"""

from __future__ import annotations

import threading
from collections import defaultdict
from collections.abc import Sequence

from ..corpus.identity import country_of
from ..corpus.places import resolve_place
from ..corpus.query import TimelineEvent
from .bodies import EventMap, MapCountry, MapDyad, MapPlace
from .codes import country_info

__all__ = ["event_map", "load_gazetteer", "start_loading_gazetteer"]

_gazetteer_lock = threading.Lock()
_gazetteer_loaded = threading.Event()


def load_gazetteer() -> None:
    """Load the gazetteer once per process; callers during the load wait for it."""
    with _gazetteer_lock:
        if not _gazetteer_loaded.is_set():
            resolve_place("London")  # any name: the first lookup loads the tables
            _gazetteer_loaded.set()


def start_loading_gazetteer() -> None:
    if not _gazetteer_loaded.is_set():
        threading.Thread(target=load_gazetteer, name="eventwire-gazetteer", daemon=True).start()


def _country(iso3: str) -> MapCountry | None:
    info = country_info(iso3)
    return MapCountry(iso3=info.iso3, numeric=info.numeric, name=info.name, events=0) if info else None


def _places(events: Sequence[TimelineEvent]) -> tuple[list[MapPlace], int]:
    """The resolved locations with their event counts, and how many events
    had a location that could not be placed."""
    found: dict[tuple[str, str], MapPlace] = {}
    unplaced = 0
    if any(ev.location for ev in events):
        load_gazetteer()
    for ev in events:
        if not ev.location:
            continue
        sides = [c for c in (country_of(ev.source_actor), country_of(ev.target_actor)) if c]
        place = resolve_place(ev.location, sides)
        country = country_info(place.country_iso3) if place else None
        if place is None or country is None:
            unplaced += 1
            continue
        key = (place.name, place.country_iso3)
        if key not in found:
            found[key] = MapPlace(name=place.name, kind=place.kind, iso3=country.iso3, numeric=country.numeric,
                                  lat=place.lat, lon=place.lon, events=0, event_keys=[])  # fmt: skip
        found[key].events += 1
        found[key].event_keys.append(ev.event_key)
    return sorted(found.values(), key=lambda p: (-p.events, p.name)), unplaced


def event_map(events: Sequence[TimelineEvent]) -> EventMap:
    """The map of ``events``: their places, the countries their sides belong
    to (events per country) and the country pairs (dyads) between sides of
    two different countries, each with its event count and mean Goldstein."""
    countries: dict[str, MapCountry] = {}
    dyads: dict[tuple[str, str], list[float]] = defaultdict(list)
    for ev in events:
        sides = {c for c in (country_of(ev.source_actor), country_of(ev.target_actor)) if c}
        for iso3 in sides:
            if iso3 not in countries and (made := _country(iso3)) is not None:
                countries[iso3] = made
            if iso3 in countries:
                countries[iso3].events += 1
        if len(sides) == 2 and sides <= countries.keys():
            first, second = sorted(sides)
            dyads[(first, second)].append(ev.goldstein)
    places, unplaced = _places(events)
    pairs = [
        MapDyad(a=countries[a], b=countries[b], events=len(scores), goldstein_mean=round(sum(scores) / len(scores), 2))
        for (a, b), scores in dyads.items()
    ]
    return EventMap(
        events=len(events),
        located=sum(p.events for p in places),
        unplaced=unplaced,
        places=places,
        countries=sorted(countries.values(), key=lambda c: (-c.events, c.name)),
        dyads=sorted(pairs, key=lambda d: (-d.events, d.a.name, d.b.name)),
    )
