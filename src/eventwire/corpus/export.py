"""Exports of the store: GDELT 2.0 events and mentions, CSV and Parquet
events, PLOVER JSON events, JSON Lines article records.

* ``gdelt``: the canonical events as GDELT 2.0's Events table — all 61 columns
  in GDELT's order, tab-separated, no header (as GDELT ships it). Events that
  are not dated to a whole day are left out (SQLDATE must be a day); eventwire
  computes no tone, so AvgTone is empty. The event's location is resolved
  with ``places.resolve_place`` into the ActionGeo columns (unresolved: type
  0, empty); the actors' own geo columns stay empty.
* ``gdelt-mentions``: GDELT 2.0's Mentions table (16 columns), one row per
  article's report of an exported event.
* ``csv`` / ``parquet``: the canonical events with their counts and first
  report's evidence (``CSV_COLUMNS``).
* ``plover``: one PLOVER JSON record per line per event with a PLOVER type.
* ``jsonl``: one ``eventwire/1`` article record per line, exactly as stored.

Filters (``ExportFilter``): events dated within ``--start``/``--end`` and
touching ``--actor`` (a code prefix such as BLR or BLRGOV, or an actor id);
for ``jsonl``, the articles reporting such an event.
"""

from __future__ import annotations

import csv
import json
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any, TextIO

from .identity import country_of
from .places import Place, resolve_place
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

CSV_COLUMNS: tuple[str, ...] = (
    "event_key", "gid", "date", "date_basis", "code", "label", "plover", "quad_class", "goldstein",
    "source_name", "source_actor", "source_actor_id", "target_name", "target_actor", "target_actor_id",
    "location", "modality", "num_mentions", "num_articles", "num_sources",
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
# full confidence; negated, intended or hypothetical ones half.
_CONFIDENCE_ASSERTED, _CONFIDENCE_OTHER = "100", "50"
_TIMESTAMP = "%Y%m%d%H%M%S"


@dataclass(frozen=True, slots=True)
class ExportFilter:
    """Which events are exported: dated (``date``, "YYYY-MM-DD" or partial)
    within [start, end], touching ``actor`` (a code prefix or an actor id)."""

    start: str | None = None
    end: str | None = None
    actor: str | None = None

    def condition(self, alias: str) -> tuple[str, list[Any]]:
        """SQL condition on the event row ``alias`` (events or event_mentions), and its parameters."""
        parts: list[str] = []
        params: list[Any] = []
        if self.start:
            parts.append(f"{alias}.date >= ?")
            params.append(self.start)
        if self.end:
            # A partial date ("2020-08") is within the range when it starts in it.
            parts.append(f"left({alias}.date, 10) <= ?")
            params.append(self.end)
        if self.actor:
            parts.append(
                f"(starts_with({alias}.source_actor, ?) OR starts_with({alias}.target_actor, ?)"
                f" OR {alias}.source_actor_id = ? OR {alias}.target_actor_id = ?)"
            )
            params += [self.actor.upper(), self.actor.upper(), self.actor, self.actor]
        return (" AND ".join(parts) or "true"), params

    @property
    def empty(self) -> bool:
        return not (self.start or self.end or self.actor)


_EVENTS_FOR_EXPORT = """
SELECT e.*, coalesce(a.url, a.path, 'eventwire:' || e.doc_id) AS url, {outlet} AS outlet
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
       coalesce(a.url, a.path, 'eventwire:' || m.doc_id) AS url, {outlet} AS outlet,
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


def action_geo_columns(place: Place | None) -> list[str]:
    """GDELT's eight ActionGeo columns (Type, FullName, CountryCode, ADM1Code,
    ADM2Code, Lat, Long, FeatureID) for a resolved place; type 0 and empty
    when unresolved. Country codes are FIPS 10-4, as GDELT writes them; a
    country's FeatureID is its FIPS code, a city's its GeoNames id."""
    if place is None:
        return list(_EMPTY_GEO)
    if place.kind == "country":
        return [_GEO_COUNTRY, place.name, place.country_fips, place.country_fips, "", "", "", place.country_fips]
    geo_type = _GEO_US_CITY if place.country_iso2 == "US" else _GEO_WORLD_CITY
    return [
        geo_type,
        f"{place.name}, {place.country_name}",
        place.country_fips,
        place.country_fips,  # the ADM1 code without the region: the gazetteer has no FIPS regions
        "",
        f"{place.lat:.4f}" if place.lat is not None else "",
        f"{place.lon:.4f}" if place.lon is not None else "",
        str(place.geonameid),
    ]


def gdelt_row(e: dict[str, Any], place: Place | None = None) -> list[str] | None:
    """One GDELT 2.0 Events row for a canonical event (a row of the ``events``
    table plus its article's ``url``) and its resolved location; None when it
    is not dated to a day."""
    day: date | None = e["day"]
    if day is None:
        return None
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
        *_EMPTY_GEO,
        *_EMPTY_GEO,
        *action_geo_columns(place),
        added.strftime(_TIMESTAMP),
        e["url"],
    ]
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

    def plover_mode(self, doc_id: str, event_id: str) -> str | None:
        """An event's PLOVER mode, kept only in its article's record."""
        if doc_id not in self._modes:
            row = self._cursor.execute("SELECT record FROM articles WHERE doc_id = ?", [doc_id]).fetchone()
            events = article_from_dict(json.loads(row[0])).events if row else ()
            self._modes[doc_id] = {ev.id: ev.plover_mode for ev in events}
        return self._modes[doc_id].get(event_id)


def write_gdelt(store: Store, out: TextIO, flt: ExportFilter = ExportFilter()) -> tuple[int, int]:
    """Write the GDELT Events table; (rows written, events left out undated)."""
    written = skipped = 0
    facts = _ArticleFacts(store)
    for e in _export_rows(store, flt):
        row = gdelt_row(e, facts.place(e) if e["day"] is not None else None)
        if row is None:
            skipped += 1
            continue
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


def write_csv(store: Store, out: TextIO, flt: ExportFilter = ExportFilter()) -> int:
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    n = 0
    for e in _export_rows(store, flt):
        writer.writerow(["" if e[c] is None else e[c] for c in CSV_COLUMNS])
        n += 1
    return n


def write_parquet(store: Store, path: str, flt: ExportFilter = ExportFilter()) -> int:
    """The CSV export's columns, typed, as one Parquet file at ``path``."""
    import pyarrow.parquet as pq

    where, params = flt.condition("e")
    inner = _EVENTS_FOR_EXPORT.format(outlet=credited_outlet_sql("a"), where=where)
    # A cursor of its own: the store's connection may hold an unfinished result.
    table = store.connection.cursor().sql(f"SELECT {', '.join(CSV_COLUMNS)} FROM ({inner})", params=params).to_arrow_table()
    pq.write_table(table, path)
    return table.num_rows


def _plover_country(code: str | None) -> str | None:
    return country_of(code) or None


def plover_record(e: dict[str, Any], mode: str | None, place: Place | None) -> dict[str, Any]:
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
        },
        "source_text": e["evidence_text"],
        "source_start": e["evidence_start"],
        "source_end": e["evidence_end"],
        "doc_id": e["doc_id"],
        "url": e["url"],
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
        record = plover_record(e, facts.plover_mode(e["doc_id"], e["event_id"]), facts.place(e))
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
    file) and the events' date range and actor (see ``ExportFilter``)."""

    db: str
    format: str = "jsonl"
    output: str = "-"
    start: str | None = None
    end: str | None = None
    actor: str | None = None

    @property
    def filter(self) -> ExportFilter:
        return ExportFilter(self.start, self.end, self.actor)


def _write_text_format(store: Store, fmt: str, out: TextIO, flt: ExportFilter) -> str:
    """Write one text format; the summary of what was written."""
    if fmt == "gdelt":
        written, skipped = write_gdelt(store, out, flt)
        return f"{written} events" + (f" ({skipped} not dated to a day left out)" if skipped else "")
    if fmt == "gdelt-mentions":
        return f"{write_gdelt_mentions(store, out, flt)} mentions"
    if fmt == "plover":
        written, skipped = write_plover(store, out, flt)
        return f"{written} events" + (f" ({skipped} without a PLOVER type left out)" if skipped else "")
    if fmt == "csv":
        return f"{write_csv(store, out, flt)} events"
    if fmt == "jsonl":
        return f"{write_jsonl(store, out, flt)} articles"
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
        if fmt == "parquet":
            note = f"{write_parquet(store, output, flt)} events"
        else:
            with _output(output) as out:
                note = _write_text_format(store, fmt, out, flt)
    print(f"exported {note} as {fmt}", file=sys.stderr)
    return 0
