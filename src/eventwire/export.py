"""Exports of the store: GDELT 2.0 events, CSV events, JSON Lines article records.

* ``gdelt``: the canonical events as GDELT 2.0's Events table — all 61 columns
  in GDELT's order, tab-separated, no header (as GDELT ships it). Events that
  are not dated to a whole day are left out (SQLDATE must be a day); eventwire
  computes no tone, so AvgTone is empty; places are not resolved to
  coordinates yet, so the geo columns are empty (type 0) rather than guessed.
* ``csv``: the canonical events with their counts and first report's evidence.
* ``jsonl``: one ``eventwire/1`` article record per line, exactly as stored.
"""

from __future__ import annotations

import argparse
import csv
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime
from pathlib import Path
from typing import Any, TextIO

from .identity import country_of
from .store import Store, StoreError

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

_EVENTS_FOR_EXPORT = """
SELECT e.*, coalesce(a.url, a.path, 'eventwire:' || e.doc_id) AS url
FROM events e JOIN articles a ON a.doc_id = e.doc_id
ORDER BY e.date NULLS LAST, e.gid
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


def gdelt_row(e: dict[str, Any]) -> list[str] | None:
    """One GDELT 2.0 Events row for a canonical event (a row of the ``events``
    table plus its article's ``url``); None when it is not dated to a day."""
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
        *_EMPTY_GEO,
        added.strftime("%Y%m%d%H%M%S"),
        e["url"],
    ]
    return [_clean_field(v) for v in row]


def _export_rows(store: Store) -> Iterator[dict[str, Any]]:
    cursor = store.connection.execute(_EVENTS_FOR_EXPORT)
    names = [d[0] for d in cursor.description or ()]
    while batch := cursor.fetchmany(10_000):
        for values in batch:
            yield dict(zip(names, values, strict=True))


def write_gdelt(store: Store, out: TextIO) -> tuple[int, int]:
    """Write the GDELT Events table; (rows written, events left out undated)."""
    written = skipped = 0
    for e in _export_rows(store):
        row = gdelt_row(e)
        if row is None:
            skipped += 1
            continue
        out.write("\t".join(row) + "\n")
        written += 1
    return written, skipped


def write_csv(store: Store, out: TextIO) -> int:
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    n = 0
    for e in _export_rows(store):
        writer.writerow(["" if e[c] is None else e[c] for c in CSV_COLUMNS])
        n += 1
    return n


def write_jsonl(store: Store, out: TextIO) -> int:
    """The stored article records, oldest publication first, one per line."""
    n = 0
    for doc_id in store.doc_ids():
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


def main_export(args: argparse.Namespace) -> int:
    """``eventwire export --format gdelt|csv|jsonl [--db] [-o FILE]``; a
    summary goes to stderr so stdout stays the data."""
    db: str = args.db
    if not Path(db).exists():
        raise StoreError(f"no store at {db} (run `eventwire ingest PATH... --db {db}` first)")
    fmt: str = args.format
    with Store(db, read_only=True) as store, _output(getattr(args, "output", "-")) as out:
        if fmt == "gdelt":
            written, skipped = write_gdelt(store, out)
            note = f"{written} events" + (f" ({skipped} not dated to a day left out)" if skipped else "")
        elif fmt == "csv":
            note = f"{write_csv(store, out)} events"
        elif fmt == "jsonl":
            note = f"{write_jsonl(store, out)} articles"
        else:
            raise ValueError(f"unknown export format {fmt!r}")
    print(f"exported {note} as {fmt}", file=sys.stderr)
    return 0
