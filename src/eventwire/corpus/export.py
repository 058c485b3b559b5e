"""Exports of the store: GDELT 2.0 events and mentions, CSV and Parquet
events, PLOVER JSON events, JSON Lines article records.

Every event export holds asserted events unless asked for all modalities
(``ExportFilter.asserted_only``): a negated, intended, hypothetical, requested, alleged or proposed event
did not happen, and GDELT 2.0 has no column to say so.

* ``gdelt``: the canonical events as GDELT 2.0's Events table — all 61 columns
  in GDELT's order, tab-separated, no header (as GDELT ships it); with
  ``with_modality`` a 62nd column, the modality, follows (not GDELT). Events
  not dated to a whole day are left out (SQLDATE must be a day); eventwire
  computes no tone, so AvgTone is empty. ActionGeo is the event's location
  resolved with ``places.resolve_place``, else (type 1, country level) the
  country of its source actor, else its target's; Actor1Geo/Actor2Geo are the
  actor itself when it is a place (Kyiv), else its code's country. Countries
  sit at their centroid (``places.country_place``). SOURCEURL is the article's
  URL, or ``eventwire:<doc_id>`` when it came without one.
* ``gdelt-mentions``: GDELT 2.0's Mentions table (16 columns), one row per
  article's report of an exported event.
* ``csv`` / ``parquet``: the canonical events with their counts, place and
  first report's evidence (``CSV_COLUMNS``), typed (``PARQUET_SCHEMA``;
  ``date`` is the event's day, ``date_text`` the date as coded, maybe a month).
* ``plover``: one PLOVER JSON record per line per event with a PLOVER type.
* ``jsonl``: one ``eventwire/1`` article record per line, exactly as stored.

Filters (``ExportFilter``): events dated within ``--start``/``--end`` and
touching ``--actor`` (resolved by ``resolve.resolve_actor``: a country
includes its government and people); for ``jsonl``, the articles reporting
such an event.
"""

from __future__ import annotations

import csv
import json
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import date, datetime
from pathlib import Path
from typing import Any, TextIO

from .identity import country_of
from .places import Place, country_place, resolve_place
from .resolve import ResolvedActor, resolve_actor
from .store import Store, StoreError, article_from_dict, credited_outlet_sql

# GDELT 2.0 Events table, column order (GDELT 2.0 Event Database Data Format
# Codebook V2.0, and the header file GDELT publishes with it).
GDELT_EVENT_COLUMNS: tuple[str, ...] = (
    "GLOBALEVENTID", "SQLDATE", "MonthYear", "Year", "FractionDate",
    "Actor1Code", "Actor1Name", "Actor1CountryCode", "Actor1KnownGroupCode", "Actor1EthnicCode",
    "Actor1Religion1Code", "Actor1Religion2Code", "Actor1Type1Code", "Actor1Type2Code", "Actor1Type3Code",
    "Actor2Code", "Actor2Name", "Actor2CountryCode", "Actor2KnownGroupCode", "Actor2EthnicCode",
    "Actor2Religion1Code", "Actor2Religion2Code", "Actor2Type1Code", "Actor2Type2Code", "Actor2Type3Code",
    "IsRootEvent", "EventCode", "EventBaseCode", "EventRootCode", "QuadClass", "GoldsteinScale",
    "NumMentions", "NumSources", "NumArticles", "AvgTone",
    "Actor1Geo_Type", "Actor1Geo_FullName", "Actor1Geo_CountryCode", "Actor1Geo_ADM1Code", "Actor1Geo_ADM2Code",
    "Actor1Geo_Lat", "Actor1Geo_Long", "Actor1Geo_FeatureID",
    "Actor2Geo_Type", "Actor2Geo_FullName", "Actor2Geo_CountryCode", "Actor2Geo_ADM1Code", "Actor2Geo_ADM2Code",
    "Actor2Geo_Lat", "Actor2Geo_Long", "Actor2Geo_FeatureID",
    "ActionGeo_Type", "ActionGeo_FullName", "ActionGeo_CountryCode", "ActionGeo_ADM1Code", "ActionGeo_ADM2Code",
    "ActionGeo_Lat", "ActionGeo_Long", "ActionGeo_FeatureID",
    "DATEADDED", "SOURCEURL",
)  # fmt: skip

# CAMEO type codes after which the next three letters name a known group
# ("IGOUNO": an intergovernmental organization, the UN).
_GROUP_TYPES = frozenset({"IGO", "NGO", "IMG", "MNC"})
_EMPTY_GEO = ("0", "", "", "", "", "", "", "")
# Actor types (the head of an actor id) whose name may be a place.
_PLACE_TYPES = frozenset({"GPE", "LOC", "FAC"})

CSV_COLUMNS: tuple[str, ...] = (
    "event_key", "gid", "date", "date_text", "date_basis", "code", "label", "plover", "quad_class", "goldstein",
    "source_name", "source_actor", "source_actor_id", "target_name", "target_actor", "target_actor_id",
    "location", "geo_basis", "geo_type", "geo_name", "geo_country", "geo_lat", "geo_lon", "geo_feature_id",
    "modality", "num_mentions", "num_articles", "num_sources",
    "doc_id", "event_id", "evidence_start", "evidence_end", "evidence_text", "url",
)  # fmt: skip

# GDELT 2.0 Mentions table, column order (GDELT 2.0 Event Database Data
# Format Codebook V2.0, "Mentions table").
GDELT_MENTION_COLUMNS: tuple[str, ...] = (
    "GLOBALEVENTID", "EventTimeDate", "MentionTimeDate", "MentionType", "MentionSourceName",
    "MentionIdentifier", "SentenceID", "Actor1CharOffset", "Actor2CharOffset", "ActionCharOffset",
    "InRawText", "Confidence", "MentionDocLen", "MentionDocTone", "MentionDocTranslationInfo", "Extras",
)  # fmt: skip

# GDELT geo types: 1 country, 4 world city (US cities and states are 3 and 2;
# the gazetteer's cities are all given 4 or, in the US, 3).
_GEO_COUNTRY, _GEO_US_CITY, _GEO_WORLD_CITY = "1", "3", "4"
# GDELT MentionType 1: a web article; ours are articles given as text or URL.
_MENTION_TYPE_WEB = "1"
# GDELT Confidence (10-100): a reported event we coded as asserted is given
# full confidence; every other modality (negated, intended, hypothetical, requested, alleged, proposed) half.
_CONFIDENCE_ASSERTED, _CONFIDENCE_OTHER = "100", "50"
_TIMESTAMP = "%Y%m%d%H%M%S"


@dataclass(frozen=True, slots=True)
class ExportFilter:
    """Which events are exported: dated (``date``, "YYYY-MM-DD" or partial)
    within [start, end], touching ``actor`` (resolved as ``resolved``; a bare
    ``actor`` is a code prefix or an actor id), asserted unless not
    ``asserted_only``."""

    start: str | None = None
    end: str | None = None
    actor: str | None = None
    asserted_only: bool = True
    resolved: ResolvedActor | None = None

    def condition(self, alias: str) -> tuple[str, list[Any]]:
        """SQL condition on the event row ``alias`` (events or event_mentions), and its parameters."""
        parts: list[str] = []
        params: list[Any] = []
        if self.asserted_only:
            parts.append(f"{alias}.modality = 'asserted'")
        if self.start:
            parts.append(f"{alias}.date >= ?")
            params.append(self.start)
        if self.end:
            # A partial date ("2020-08") is within the range when it starts in it.
            parts.append(f"left({alias}.date, 10) <= ?")
            params.append(self.end)
        if self.resolved is not None:
            sql, actor_params = _resolved_condition(self.resolved, alias)
            parts.append(sql)
            params += actor_params
        elif self.actor:
            parts.append(
                f"(starts_with({alias}.source_actor, ?) OR starts_with({alias}.target_actor, ?)"
                f" OR {alias}.source_actor_id = ? OR {alias}.target_actor_id = ?)"
            )
            params += [self.actor.upper(), self.actor.upper(), self.actor, self.actor]
        return (" AND ".join(parts) or "true"), params

    @property
    def empty(self) -> bool:
        """No date or actor bound (jsonl then writes every article)."""
        return not (self.start or self.end or self.actor)


def _resolved_condition(r: ResolvedActor, alias: str) -> tuple[str, list[Any]]:
    """Either side of the event row ``alias`` is what ``r`` resolved to."""
    parts: list[str] = []
    params: list[Any] = []
    for side in ("source", "target"):
        if r.code:
            parts.append(f"{alias}.{side}_actor = ?" if r.exact else f"starts_with({alias}.{side}_actor, ?)")
            params.append(r.code)
        if r.actor_ids:
            parts.append(f"list_contains(?, {alias}.{side}_actor_id)")
            params.append(list(r.actor_ids))
        if r.names:
            parts.append(f"({alias}.{side}_actor_id IS NULL AND list_contains(?, {alias}.{side}_name))")
            params.append(list(r.names))
    return "(" + (" OR ".join(parts) or "false") + ")", params


_EVENTS_FOR_EXPORT = """
SELECT e.*, coalesce(a.url, 'eventwire:' || e.doc_id) AS url, {outlet} AS outlet
FROM events e JOIN articles a ON a.doc_id = e.doc_id
WHERE {where}
ORDER BY e.date NULLS LAST, e.gid
"""

# Each article's report of an exported (day-dated) event. The actor offsets
# are the first mention of each side's entity inside the evidence sentence
# (-1 when none, as GDELT writes it); the sentence number counts
# sentence-final punctuation before the evidence.
_MENTIONS_FOR_EXPORT = """
SELECT e.gid, e.added, m.doc_id, m.modality, m.trigger_start, a.ingested_at, length(a.text) AS doc_len,
       coalesce(a.url, 'eventwire:' || m.doc_id) AS url, {outlet} AS outlet,
       1 + len(regexp_extract_all(left(a.text, m.evidence_start), '[.!?]["\u201d\u2019)]?\\s+')) AS sentence,
       coalesce((SELECT min(x.start_char) FROM mentions x WHERE x.doc_id = m.doc_id
                 AND x.entity_id = m.source_entity AND x.start_char >= m.evidence_start
                 AND x.end_char <= m.evidence_end), -1) AS actor1_offset,
       coalesce((SELECT min(x.start_char) FROM mentions x WHERE x.doc_id = m.doc_id
                 AND x.entity_id = m.target_entity AND x.start_char >= m.evidence_start
                 AND x.end_char <= m.evidence_end), -1) AS actor2_offset
FROM event_mentions m JOIN events e USING (event_key) JOIN articles a ON a.doc_id = m.doc_id
WHERE e.day IS NOT NULL AND {where}
ORDER BY e.gid, a.ingested_at, m.doc_id, m.event_id
"""


def split_actor_code(code: str | None) -> tuple[str, str, tuple[str, str, str]]:
    """A CAMEO actor code's (country, known group, three type codes):
    "BLRGOV" -> ("BLR", "", ("GOV", "", "")), "IGOUNO" -> ("", "UNO", ("IGO", "", ""))."""
    if not code:
        return "", "", ("", "", "")
    country = country_of(code)
    rest = code[3:] if country else code
    chunks = [rest[i : i + 3] for i in range(0, len(rest) - 2, 3) if rest[i : i + 3].isalpha()]
    group = ""
    types: list[str] = []
    for i, chunk in enumerate(chunks):
        if i > 0 and chunks[i - 1] in _GROUP_TYPES and not group:
            group = chunk
        else:
            types.append(chunk)
    padded = (types + ["", "", ""])[:3]
    return country, group, (padded[0], padded[1], padded[2])


def _actor_columns(code: str | None, name: str | None) -> list[str]:
    country, group, types = split_actor_code(code)
    # Ethnic and religion codes: eventwire does not code them.
    return [code or "", (name or "").upper() if code else "", country, group, "", "", "", *types]


def fraction_date(day: date) -> str:
    """GDELT's FractionDate: the year plus the day's share of it, 4 decimals."""
    return f"{day.year + (day.timetuple().tm_yday - 1) / 365:.4f}"


def _clean_field(value: str) -> str:
    # Tabs and newlines would break GDELT's one-line, tab-separated rows.
    return " ".join(value.split())


def geo_columns(place: Place | None) -> list[str]:
    """GDELT's eight geo columns (Type, FullName, CountryCode, ADM1Code,
    ADM2Code, Lat, Long, FeatureID) for a resolved place; type 0 and empty
    when unresolved. Country codes are FIPS 10-4, as GDELT writes them, and
    ADM1 is the country's FIPS code followed by the GeoNames admin1 code; a
    country's FeatureID is its FIPS code, a city's its GeoNames id."""
    if place is None:
        return list(_EMPTY_GEO)
    lat = f"{place.lat:.4f}" if place.lat is not None else ""
    lon = f"{place.lon:.4f}" if place.lon is not None else ""
    if place.kind == "country":
        return [_GEO_COUNTRY, place.name, place.country_fips, place.country_fips, "", lat, lon, place.country_fips]
    geo_type = _GEO_US_CITY if place.country_iso2 == "US" else _GEO_WORLD_CITY
    return [
        geo_type,
        f"{place.name}, {place.country_name}",
        place.country_fips,
        place.country_fips + place.admin1,
        "",
        lat,
        lon,
        str(place.geonameid),
    ]


# The former name of ``geo_columns``.
action_geo_columns = geo_columns


@dataclass(frozen=True, slots=True)
class EventPlaces:
    """Where an event's actors and action are (None: unknown), and what the
    action's place came from: "place" (the event's location), "actor place"
    (a side that is itself a city) or "actor country" (its source's, else
    its target's country)."""

    actor1: Place | None = None
    actor2: Place | None = None
    action: Place | None = None
    action_basis: str = ""


def gdelt_row(e: dict[str, Any], places: EventPlaces | Place | None = None, *, with_modality: bool = False) -> list[str] | None:
    """One GDELT 2.0 Events row for a canonical event (a row of the ``events``
    table plus its article's ``url``) and its places (a bare ``Place`` is the
    action's); None when it is not dated to a day. ``with_modality`` appends
    the event's modality as a 62nd column."""
    day: date | None = e["day"]
    if day is None:
        return None
    if not isinstance(places, EventPlaces):
        places = EventPlaces(action=places)
    added: datetime = e["added"]
    row = [
        str(e["gid"]),
        day.strftime("%Y%m%d"),
        day.strftime("%Y%m"),
        str(day.year),
        fraction_date(day),
        *_actor_columns(e["source_actor"], e["source_name"]),
        *_actor_columns(e["target_actor"], e["target_name"]),
        "1" if e["is_root"] else "0",
        e["code"],
        e["code"][:3],
        e["root_code"],
        str(e["quad_class"]),
        f"{e['goldstein']:.1f}",
        str(e["num_mentions"]),
        str(e["num_sources"]),
        str(e["num_articles"]),
        "",
        *geo_columns(places.actor1),
        *geo_columns(places.actor2),
        *geo_columns(places.action),
        added.strftime(_TIMESTAMP),
        e["url"],
    ]
    if with_modality:
        row.append(e["modality"])
    return [_clean_field(v) for v in row]


def _dict_rows(store: Store, sql: str, params: list[Any]) -> Iterator[dict[str, Any]]:
    cursor = store.connection.execute(sql, params)
    names = [d[0] for d in cursor.description or ()]
    while batch := cursor.fetchmany(10_000):
        for values in batch:
            yield dict(zip(names, values, strict=True))


def _export_rows(store: Store, flt: ExportFilter) -> Iterator[dict[str, Any]]:
    where, params = flt.condition("e")
    yield from _dict_rows(store, _EVENTS_FOR_EXPORT.format(outlet=credited_outlet_sql("a"), where=where), params)


class _ArticleFacts:
    """What an export needs of an event's article beside its row: the
    article's countries (the country parts of its entities' actor codes),
    its events' PLOVER modes, and locations resolved with those countries.
    Reads through a cursor of its own while the events are being fetched."""

    def __init__(self, store: Store) -> None:
        self._cursor = store.connection.cursor()
        self._modes: dict[str, dict[str, str | None]] = {}
        self._countries: dict[str, frozenset[str]] = {}
        self._places: dict[tuple[str, frozenset[str]], Place | None] = {}

    def article_countries(self, doc_id: str) -> frozenset[str]:
        if doc_id not in self._countries:
            rows = self._cursor.execute(
                "SELECT DISTINCT actor FROM entities WHERE doc_id = ? AND actor IS NOT NULL", [doc_id]
            ).fetchall()
            self._countries[doc_id] = frozenset(c for (code,) in rows if (c := country_of(code)))
        return self._countries[doc_id]

    def place(self, e: dict[str, Any]) -> Place | None:
        location: str | None = e["location"]
        if not location:
            return None
        key = (location, self.article_countries(e["doc_id"]))
        if key not in self._places:
            self._places[key] = resolve_place(location, key[1])
        return self._places[key]

    def actor_place(self, e: dict[str, Any], side: str) -> Place | None:
        """Where one side of an event is: the actor itself when it is a place
        that resolves (Kyiv), else the country of its code."""
        actor_id: str | None = e[f"{side}_actor_id"]
        code: str | None = e[f"{side}_actor"]
        name: str | None = e[f"{side}_name"]
        if name and actor_id and actor_id.partition(":")[0] in _PLACE_TYPES:
            key = (name, self.article_countries(e["doc_id"]))
            if key not in self._places:
                self._places[key] = resolve_place(name, key[1])
            found = self._places[key]
            if found is not None and (not country_of(code) or found.country_iso3 == country_of(code)):
                return found
        return country_place(country_of(code))

    def event_places(self, e: dict[str, Any]) -> EventPlaces:
        actor1, actor2 = self.actor_place(e, "source"), self.actor_place(e, "target")
        action = self.place(e)
        if action is not None:
            return EventPlaces(actor1, actor2, action, "place")
        # No place of its own: a side that is a city (a minister "visited Kyiv"),
        # else the source's country, else the target's.
        city = next((p for p in (actor1, actor2) if p is not None and p.kind == "city"), None)
        if city is not None:
            return EventPlaces(actor1, actor2, city, "actor place")
        fallback = country_place(country_of(e["source_actor"])) or country_place(country_of(e["target_actor"]))
        return EventPlaces(actor1, actor2, fallback, "actor country" if fallback else "")

    def plover_mode(self, doc_id: str, event_id: str) -> str | None:
        """An event's PLOVER mode, kept only in its article's record."""
        if doc_id not in self._modes:
            row = self._cursor.execute("SELECT record FROM articles WHERE doc_id = ?", [doc_id]).fetchone()
            events = article_from_dict(json.loads(row[0])).events if row else ()
            self._modes[doc_id] = {ev.id: ev.plover_mode for ev in events}
        return self._modes[doc_id].get(event_id)


def write_gdelt(
    store: Store, out: TextIO, flt: ExportFilter = ExportFilter(), *, with_modality: bool = False
) -> tuple[int, int]:
    """Write the GDELT Events table; (rows written, events left out undated)."""
    written = skipped = 0
    facts = _ArticleFacts(store)
    for e in _export_rows(store, flt):
        if e["day"] is None:
            skipped += 1
            continue
        row = gdelt_row(e, facts.event_places(e), with_modality=with_modality)
        if row is not None:
            out.write("\t".join(row) + "\n")
            written += 1
    return written, skipped


def gdelt_mention_row(m: dict[str, Any]) -> list[str]:
    """One GDELT 2.0 Mentions row for an article's report of an event (a row
    of ``_MENTIONS_FOR_EXPORT``). eventwire finds events in the text it was
    given (InRawText 1), computes no tone and translates nothing."""
    row = [
        str(m["gid"]),
        m["added"].strftime(_TIMESTAMP),
        m["ingested_at"].strftime(_TIMESTAMP),
        _MENTION_TYPE_WEB,
        m["outlet"] or "",
        m["url"],
        str(m["sentence"]),
        str(m["actor1_offset"]),
        str(m["actor2_offset"]),
        str(m["trigger_start"]),
        "1",
        _CONFIDENCE_ASSERTED if m["modality"] == "asserted" else _CONFIDENCE_OTHER,
        str(m["doc_len"]),
        "",
        "",
        "",
    ]
    return [_clean_field(v) for v in row]


def write_gdelt_mentions(store: Store, out: TextIO, flt: ExportFilter = ExportFilter()) -> int:
    """Write the GDELT Mentions table for the events ``write_gdelt`` writes."""
    where, params = flt.condition("e")
    sql = _MENTIONS_FOR_EXPORT.format(outlet=credited_outlet_sql("a"), where=where)
    n = 0
    for m in _dict_rows(store, sql, params):
        out.write("\t".join(gdelt_mention_row(m)) + "\n")
        n += 1
    return n


def typed_rows(store: Store, flt: ExportFilter = ExportFilter()) -> Iterator[dict[str, Any]]:
    """The exported events as ``CSV_COLUMNS`` dicts of typed values (``date``
    a ``datetime.date`` or None)."""
    facts = _ArticleFacts(store)
    for e in _export_rows(store, flt):
        places = facts.event_places(e)
        geo = geo_columns(places.action)
        row = {c: e.get(c) for c in CSV_COLUMNS}
        row.update(
            date=e["day"], date_text=e["date"], geo_basis=places.action_basis or None,
            geo_type=int(geo[0]) if places.action else None, geo_name=geo[1] or None, geo_country=geo[2] or None,
            geo_lat=places.action.lat if places.action else None, geo_lon=places.action.lon if places.action else None,
            geo_feature_id=geo[7] or None, url=None if e["url"].startswith("eventwire:") else e["url"],
        )  # fmt: skip
        yield row


def write_csv(store: Store, out: TextIO, flt: ExportFilter = ExportFilter()) -> int:
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    n = 0
    for row in typed_rows(store, flt):
        writer.writerow(["" if row[c] is None else row[c] for c in CSV_COLUMNS])
        n += 1
    return n


def parquet_schema() -> Any:
    """The Parquet export's columns and types (``CSV_COLUMNS``' order)."""
    import pyarrow as pa

    types = {
        "gid": pa.int64(), "date": pa.date32(), "quad_class": pa.int8(), "goldstein": pa.float64(),
        "geo_type": pa.int8(), "geo_lat": pa.float64(), "geo_lon": pa.float64(),
        "num_mentions": pa.int32(), "num_articles": pa.int32(), "num_sources": pa.int32(),
        "evidence_start": pa.int32(), "evidence_end": pa.int32(),
    }  # fmt: skip
    return pa.schema([(c, types.get(c, pa.string())) for c in CSV_COLUMNS])


def write_parquet(store: Store, path: str, flt: ExportFilter = ExportFilter(), *, batch_rows: int = 50_000) -> int:
    """The CSV export's columns, typed (``parquet_schema``), as one Parquet file at ``path``."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    schema = parquet_schema()
    n = 0
    with pq.ParquetWriter(path, schema) as writer:
        batch: list[dict[str, Any]] = []
        for row in typed_rows(store, flt):
            batch.append(row)
            if len(batch) >= batch_rows:
                writer.write_table(pa.Table.from_pylist(batch, schema=schema))
                n, batch = n + len(batch), []
        if batch or n == 0:
            writer.write_table(pa.Table.from_pylist(batch, schema=schema))
            n += len(batch)
    return n


def _plover_country(code: str | None) -> str | None:
    return country_of(code) or None


def plover_record(e: dict[str, Any], mode: str | None, place: Place | None, geo_basis: str = "place") -> dict[str, Any]:
    """A PLOVER event record (the PLOVER manual's fields: id, date,
    event_type, mode, context, actor/recipient with their country, the
    source text) with eventwire's CAMEO coding and provenance beside them."""
    return {
        "id": f"eventwire-{e['gid']}",
        "event_key": e["event_key"],
        "date": e["date"],
        "date_basis": e["date_basis"],
        "event_type": e["plover"],
        "mode": mode or "",
        "context": [],  # eventwire codes no PLOVER contexts
        "actor": e["source_name"],
        "actor_code": e["source_actor"],
        "actor_country": _plover_country(e["source_actor"]),
        "recipient": e["target_name"],
        "recipient_code": e["target_actor"],
        "recipient_country": _plover_country(e["target_actor"]),
        "modality": e["modality"],
        "cameo": e["code"],
        "goldstein": e["goldstein"],
        "quad_class": e["quad_class"],
        "location": e["location"],
        "geo": None
        if place is None
        else {
            "name": place.name,
            "kind": place.kind,
            "country": place.country_iso3,
            "lat": place.lat,
            "lon": place.lon,
            "geonameid": place.geonameid,
            "basis": geo_basis,
        },
        "source_text": e["evidence_text"],
        "source_start": e["evidence_start"],
        "source_end": e["evidence_end"],
        "doc_id": e["doc_id"],
        "url": None if e["url"].startswith("eventwire:") else e["url"],
        "publisher": e["outlet"],
        "num_mentions": e["num_mentions"],
        "num_articles": e["num_articles"],
        "num_sources": e["num_sources"],
    }


def write_plover(store: Store, out: TextIO, flt: ExportFilter = ExportFilter()) -> tuple[int, int]:
    """PLOVER JSON records, one per line; (written, events left out for lack
    of a PLOVER type)."""
    written = skipped = 0
    facts = _ArticleFacts(store)
    for e in _export_rows(store, flt):
        if not e["plover"]:
            skipped += 1
            continue
        places = facts.event_places(e)
        record = plover_record(e, facts.plover_mode(e["doc_id"], e["event_id"]), places.action, places.action_basis)
        out.write(json.dumps(record, ensure_ascii=False) + "\n")
        written += 1
    return written, skipped


def write_jsonl(store: Store, out: TextIO, flt: ExportFilter = ExportFilter()) -> int:
    """The stored article records, oldest publication first, one per line;
    with a filter, those reporting a matching event."""
    wanted: set[str] | None = None
    if not flt.empty:
        where, params = flt.condition("m")
        rows = store.connection.execute(f"SELECT DISTINCT doc_id FROM event_mentions m WHERE {where}", params)
        wanted = {r[0] for r in rows.fetchall()}
    n = 0
    for doc_id in store.doc_ids():
        if wanted is not None and doc_id not in wanted:
            continue
        row = store.connection.execute("SELECT record FROM articles WHERE doc_id = ?", [doc_id]).fetchone()
        if row is not None:
            out.write(str(row[0]).replace("\n", " ") + "\n")
            n += 1
    return n


@contextmanager
def _output(path: str) -> Iterator[TextIO]:
    if path in ("-", ""):
        yield sys.stdout
        sys.stdout.flush()
        return
    with Path(path).open("w", encoding="utf-8", newline="") as f:
        yield f


EXPORT_FORMATS = ("jsonl", "csv", "parquet", "gdelt", "gdelt-mentions", "plover")


@dataclass(frozen=True, slots=True)
class ExportOptions:
    """What ``eventwire export`` writes: the store ``db``, the ``format`` (one
    of ``EXPORT_FORMATS``), the ``output`` file ("-": stdout; parquet needs a
    file), the events' date range and actor (see ``ExportFilter``; ``exact``
    as ``resolve_actor`` takes it), whether only asserted events go out, and
    whether the GDELT export appends the modality column."""

    db: str
    format: str = "jsonl"
    output: str = "-"
    start: str | None = None
    end: str | None = None
    actor: str | None = None
    exact: bool = False
    asserted_only: bool = True
    with_modality: bool = False

    @property
    def filter(self) -> ExportFilter:
        return ExportFilter(self.start, self.end, self.actor, self.asserted_only)


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}{'' if n == 1 else 's'}"


def _write_text_format(store: Store, fmt: str, out: TextIO, flt: ExportFilter, *, with_modality: bool) -> str:
    """Write one text format; the summary of what was written."""
    if fmt == "gdelt":
        written, skipped = write_gdelt(store, out, flt, with_modality=with_modality)
        return _count(written, "event") + (f" ({skipped} not dated to a day left out)" if skipped else "")
    if fmt == "gdelt-mentions":
        return _count(write_gdelt_mentions(store, out, flt), "mention")
    if fmt == "plover":
        written, skipped = write_plover(store, out, flt)
        return _count(written, "event") + (f" ({skipped} without a PLOVER type left out)" if skipped else "")
    if fmt == "csv":
        return _count(write_csv(store, out, flt), "event")
    if fmt == "jsonl":
        return _count(write_jsonl(store, out, flt), "article")
    raise ValueError(f"unknown export format {fmt!r}")


def run_export(options: ExportOptions) -> int:
    """``eventwire export --format FORMAT [--db] [-o FILE] [--start] [--end]
    [--actor]`` (formats: ``EXPORT_FORMATS``; parquet needs ``-o``); a summary
    goes to stderr so stdout stays the data."""
    db = options.db
    if not Path(db).exists():
        raise StoreError(f"no store at {db} (run `eventwire ingest PATH... --db {db}` first)")
    fmt = options.format
    output = options.output or "-"
    if fmt not in EXPORT_FORMATS:
        raise ValueError(f"unknown export format {fmt!r}")
    if fmt == "parquet" and output == "-":
        print("eventwire: parquet export needs -o FILE", file=sys.stderr)
        return 2
    flt = options.filter
    with Store(db, read_only=True) as store:
        if options.actor:
            resolved = resolve_actor(store, options.actor, exact=options.exact)
            flt = replace(flt, resolved=resolved)
            print(f"{options.actor}: {resolved.description}", file=sys.stderr)
        if fmt == "parquet":
            note = _count(write_parquet(store, output, flt), "event")
        else:
            with _output(output) as out:
                note = _write_text_format(store, fmt, out, flt, with_modality=options.with_modality)
    which = "asserted " if options.asserted_only and fmt != "jsonl" else ""
    print(f"exported {which}{note} as {fmt}", file=sys.stderr)
    return 0
