"""The page's map: event places resolved by the gazetteer, countries and
their pairs, over the sample store's events."""

from __future__ import annotations

from dataclasses import replace

from eventwire.corpus.places import resolve_place
from eventwire.corpus.query import find_events
from eventwire.corpus.store import Store
from eventwire.serve.geo import event_map


def test_places_countries_and_dyads(sample_store):
    with Store(sample_store, read_only=True) as store:
        events = find_events(store, limit=500)
    dyad = next(e for e in events if e.source_actor and e.target_actor and e.source_actor[:3] != e.target_actor[:3])
    located = [replace(dyad, location="Minsk"), replace(dyad, location="Nowhere-on-earth"), *events]
    found = event_map(located)
    assert found.events == len(located)
    minsk = resolve_place("Minsk", [dyad.source_actor[:3], dyad.target_actor[:3]])
    assert minsk is not None
    (place,) = [p for p in found.places if p.name == minsk.name]
    assert (place.lat, place.lon, place.iso3) == (minsk.lat, minsk.lon, minsk.country_iso3)
    assert found.unplaced >= 1 and found.located == sum(p.events for p in found.places)
    pair = {dyad.source_actor[:3], dyad.target_actor[:3]}
    (between,) = [d for d in found.dyads if {d.a.iso3, d.b.iso3} == pair]
    expected = [e for e in located if e.source_actor and e.target_actor and {e.source_actor[:3], e.target_actor[:3]} == pair]
    assert between.events == len(expected)
    assert between.goldstein_mean == round(sum(e.goldstein for e in expected) / len(expected), 2)
    assert all(d.a.iso3 != d.b.iso3 for d in found.dyads)
