"""Parquet shards: the store's tables written per input file, read in place or loaded.

``eventwire run`` (``scale.run``) analyses each input file into a store of its
own (``Store.add``: the same article dedup, actor identity and event
clustering as ``ingest``, within that input) and writes every data table of
that store as one Parquet file, ``DIR/<table>/<shard>.parquet``, then the
input's manifest, ``DIR/manifests/<shard>.json``, last and atomically: a shard
without a manifest is unfinished and nothing reads it.

Two ways to use a folder of shards:

* ``load_shards``: add every shard's article records to a store, input by
  input in the order the run listed them, through ``Store.add``: articles
  seen in two inputs are stored once and reports of one event in two inputs
  join one canonical event, exactly as a direct ``ingest`` of the same inputs.
* ``ShardData``: a ``Store`` whose tables are DuckDB views over the shards
  (``read_parquet``), so the query functions run unchanged on them, in place,
  locally or on object storage. The row tables are read as they are; the
  small tables (actors, aliases, summaries) are merged across shards when
  opened. Deduplication *across* inputs is ``load``'s work: until then an
  event reported in two input files counts as two events.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass, fields, replace
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import duckdb

from ..errors import StoreError
from .identity import preferred_name_rank_sql
from .memory import LEARNED_COLUMNS
from .store import DATA_TABLES, SCHEMA_STATEMENTS, SUMMARY_TABLES, Store, article_from_dict, summary_rows_sql

MANIFEST_DIR = "manifests"
ERROR_DIR = "errors"
MANIFEST_VERSION = 1
# Rows per Parquet row group (DuckDB's default).
ROW_GROUP_SIZE = 122_880
# The events, which dyad timelines read in place: sorted by dyad key, in row
# groups small enough that a dyad's rows lie in one or two that the min/max
# statistics let DuckDB go to, and compressed with LZ4, which a query decodes
# about twice as fast as zstd (``bench corpus --shards``: a dyad's timeline
# reads every column of one or two row groups per input file).
_EVENTS_LAYOUT = ("lz4", 10_000)
# The order each table is written in; ``events`` as ``Store.cluster`` keeps it.
_WRITE_ORDER = {"events": "dyad_key, day, event_key"}
# How the small tables are merged across shards (when a ``ShardData`` opens):
# the columns a row is keyed by, and the value of each other column.
# (``actors`` is merged by ``ShardData._merge_actors``.)
_MERGED_TABLES: dict[str, tuple[str, str]] = {
    "actor_aliases": ("actor_id, alias", "any_value(alias_key) AS alias_key, sum(n)::INTEGER AS n"),
    "event_stats": ("kind, key, asserted, dim, value",
                    ("sum(n)::INTEGER AS n, sum(n_source)::INTEGER AS n_source, sum(n_target)::INTEGER AS n_target,"
                    " sum(goldstein_sum)::DECIMAL(18, 3) AS goldstein_sum, sum(q1)::INTEGER AS q1,"
                    " sum(q2)::INTEGER AS q2, sum(q3)::INTEGER AS q3, sum(q4)::INTEGER AS q4,"
                    " min(first) AS first, max(last) AS last")),
    "unresolved_names": ("name", "sum(n)::INTEGER AS n"),
    "actor_totals": ("actor_id", "sum(mentions)::INTEGER AS mentions, sum(articles)::INTEGER AS articles"),
    "actor_codes": ("actor_id, code", "min(first) AS first, max(last) AS last, sum(n)::INTEGER AS n"),
    "actor_labels": ("actor_id, outlet, label", "sum(n)::INTEGER AS n"),
}
# The tables with a time of addition, and its column.
_TIME_COLUMNS = {"articles": "ingested_at", "events": "added"}


@dataclass(frozen=True, slots=True)
class Manifest:
    """What one input file became: its shard name, its position among the
    run's inputs (``load`` adds inputs in this order), the rows and bytes of
    every table, and its bad records (``errors``: the error file's name
    under ``DIR/errors``, None when there were none)."""

    input: str
    shard: str
    position: int
    articles: int
    failed: int
    seconds: float
    tables: dict[str, dict[str, int]]
    errors: str | None
    coder_version: str
    # The first and last time an article was added to the input's store
    # (ISO, None without articles): ``ShardData`` lays the inputs' times end
    # to end in input order, so "added earlier" means what it means in a store.
    first_added: str | None = None
    last_added: str | None = None

    def shift(self, start: datetime | None) -> tuple[timedelta, datetime | None]:
        """How much to move this input's times so that they begin at
        ``start`` (None: where they are), and where the next input's begin."""
        if self.first_added is None or self.last_added is None:
            return timedelta(0), start
        first, last = datetime.fromisoformat(self.first_added), datetime.fromisoformat(self.last_added)
        shift = timedelta(0) if start is None else start - first
        return shift, last + shift + timedelta(microseconds=1)

    def to_dict(self) -> dict[str, Any]:
        return {"manifest_version": MANIFEST_VERSION, **{f.name: getattr(self, f.name) for f in fields(self)}}

    @property
    def parquet_bytes(self) -> int:
        return sum(t["bytes"] for t in self.tables.values())


def table_path(out: str | Path, table: str, shard: str) -> Path:
    return Path(out) / table / f"{shard}.parquet"


def manifest_path(out: str | Path, shard: str) -> Path:
    return Path(out) / MANIFEST_DIR / f"{shard}.json"


def write_atomically(path: Path, write: Callable[[Path], object]) -> None:
    """``write`` to a temporary name beside ``path``, then rename it: a
    reader (or a restarted run) sees the whole file or none."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        write(temporary)
        os.replace(temporary, path)
    finally:
        temporary.unlink(missing_ok=True)


def write_store_shards(store: Store, out: str | Path, shard: str) -> dict[str, dict[str, int]]:
    """Every data table of ``store`` as ``out/<table>/<shard>.parquet``; the
    rows and bytes of each."""
    return {
        table: write_table_shard(store.connection, table, table_path(out, table, shard), table)
        for table in DATA_TABLES
    }


def write_table_shard(con: duckdb.DuckDBPyConnection, source: str, path: Path, table: str) -> dict[str, int]:
    """The rows of ``source`` (a table of ``table``'s columns) as the Parquet
    file ``path``, in ``table``'s order; its rows and bytes."""
    order = f" ORDER BY {_WRITE_ORDER[table]}" if table in _WRITE_ORDER else ""
    compression, row_group = _EVENTS_LAYOUT if table == "events" else ("zstd", ROW_GROUP_SIZE)

    def copy(target: Path) -> None:
        con.execute(
            f"COPY (SELECT * FROM {source}{order}) TO {repr_sql(str(target))}"
            f" (FORMAT parquet, COMPRESSION {compression}, ROW_GROUP_SIZE {row_group})"
        )

    write_atomically(path, copy)
    rows = con.execute(f"SELECT count(*) FROM {source}").fetchone()
    return {"rows": int(rows[0]) if rows else 0, "bytes": path.stat().st_size}


def added_span(store: Store) -> tuple[str | None, str | None]:
    """When the first and the last article were added to ``store`` (ISO)."""
    row = store.connection.execute("SELECT min(ingested_at), max(ingested_at) FROM articles").fetchone()
    first, last = row if row else (None, None)
    return (first.isoformat() if first else None, last.isoformat() if last else None)


def write_manifest(out: str | Path, manifest: Manifest) -> None:
    """The input's manifest, written last: it marks the input done."""
    text = json.dumps(manifest.to_dict(), ensure_ascii=False, indent=1)
    write_atomically(manifest_path(out, manifest.shard), lambda p: p.write_text(text, encoding="utf-8"))


def read_manifests(data: str | Path) -> list[Manifest]:
    """The finished inputs under ``data``, in the order of the run's inputs."""
    folder = Path(data) / MANIFEST_DIR
    if not Path(data).is_dir():
        raise StoreError(f"no shard folder at {data}")
    found: list[Manifest] = []
    for path in sorted(folder.glob("*.json")) if folder.is_dir() else []:
        d = json.loads(path.read_text(encoding="utf-8"))
        d.pop("manifest_version", None)
        found.append(Manifest(**d))
    found.sort(key=lambda m: (m.position, m.shard))
    return found


def finished_shards(data: str | Path) -> set[str]:
    return {m.shard for m in read_manifests(data)} if Path(data).is_dir() else set()


# ---------------------------------------------------------------------------
# Loading into a store


@dataclass(frozen=True, slots=True)
class LoadStats:
    shards: int
    read: int  # article records in the shards
    new: int  # stored by this load
    already: int  # already in the store (another shard's, or an earlier load's)


def shard_records(data: str | Path, manifests: list[Manifest] | None = None) -> Iterator[dict[str, Any]]:
    """Every article record (``Article.to_dict()``) of the finished shards,
    input by input, in the order each input's store received them."""
    import pyarrow.parquet as pq

    for m in read_manifests(data) if manifests is None else manifests:
        parquet = pq.ParquetFile(table_path(data, "articles", m.shard))
        for batch in parquet.iter_batches(columns=["record"], batch_size=256):
            for record in batch.column(0).to_pylist():
                yield json.loads(record)


def load_shards(data: str | Path, store: Store, *, on_article: Callable[[bool], None] | None = None) -> LoadStats:
    """Add the finished shards' articles to ``store`` (``Store.add``, one
    transaction each): what a direct ``ingest`` of the same inputs stores."""
    manifests = read_manifests(data)
    read = new = 0
    for record in shard_records(data, manifests):
        stored = store.add(article_from_dict(record))
        read += 1
        new += stored
        if on_article is not None:
            on_article(stored)
    return LoadStats(shards=len(manifests), read=read, new=new, already=read - new)


# ---------------------------------------------------------------------------
# Querying in place


class ShardData(Store):
    """The finished shards under ``data`` as a read-only ``Store``: an
    in-memory DuckDB database whose tables are views over the Parquet files
    (the row tables) or merged from them (the small tables), so every query
    function reads them as it reads a store file."""

    def __init__(self, data: str | Path) -> None:
        manifests = read_manifests(data)
        if not manifests:
            raise StoreError(f"no finished shards under {data} (run `eventwire run INPUT... --out {data}` first)")
        self.path = str(data)
        self.read_only = True
        self.manifests = manifests
        self._con = duckdb.connect(":memory:")
        try:
            self._con.execute("SET enable_progress_bar = false")
            # Reading the same footers for every query of a server costs more than the query.
            self._con.execute("SET parquet_metadata_cache = true")
            for statement in SCHEMA_STATEMENTS:
                if statement.lstrip().upper().startswith("CREATE TABLE"):
                    self._con.execute(statement)
            files = {t: [str(table_path(data, t, m.shard)) for m in manifests] for t in DATA_TABLES}
            self._shifts: list[timedelta] = []
            start: datetime | None = None
            for m in manifests:
                shift, start = m.shift(start)
                self._shifts.append(shift)
            shadowed = self._shadow_duplicates(files["articles"])
            for table in DATA_TABLES:
                if table not in _MERGED_TABLES and table not in ("actors", "learned_roles"):
                    self._view(table, files[table], shadowed)
            self._merge_learned(files["learned_roles"])
            self._merge_actors(files["actors"])
            for table in _MERGED_TABLES:
                self._merge(
                    table, files[table], recount=shadowed and table in SUMMARY_TABLES,
                    recount_aliases=shadowed and table == "actor_aliases",
                )
        except BaseException:
            self._con.close()
            raise

    def _shadow_duplicates(self, article_files: list[str]) -> bool:
        """Note (in ``shadowed``, by input: ``file_index``, the position of
        the input's file in every table's file list) each copy of an article
        that an earlier input also holds: the views leave its rows out, as the
        store keeps only the first copy. True when there is any."""
        self._con.execute(
            f"""CREATE TEMP TABLE shadowed AS
                SELECT doc_id, file_index FROM (
                    SELECT doc_id, file_index, row_number() OVER (PARTITION BY doc_id ORDER BY file_index) AS copy
                    FROM read_parquet({_file_list(article_files)})
                ) WHERE copy > 1"""
        )
        row = self._con.execute("SELECT count(*) FROM shadowed").fetchone()
        return bool(row and row[0])

    def _view(self, table: str, files: list[str], shadowed: bool) -> None:
        """The view of one row table over its shards. The input of a row is
        its file's place in ``files`` (DuckDB's ``file_index``), so neither a
        shadowed copy nor an input's time shift needs a join, which would sit
        between a query's filters and the scan."""
        self._con.execute(f"DROP TABLE {table}")
        columns = "t.*"
        if table in _TIME_COLUMNS and any(self._shifts):
            # Each input's times moved to follow the inputs before it.
            shifts = ", ".join(f"INTERVAL '{shift.total_seconds():.6f} seconds'" for shift in self._shifts)
            column = _TIME_COLUMNS[table]
            columns += f" REPLACE (t.{column} + [{shifts}][t.file_index::INTEGER + 1] AS {column})"
        where = (
            " WHERE NOT EXISTS (SELECT 1 FROM shadowed s WHERE s.doc_id = t.doc_id AND s.file_index = t.file_index)"
            if shadowed else ""
        )
        self._con.execute(f"CREATE VIEW {table} AS SELECT {columns} FROM read_parquet({_file_list(files)}) t{where}")

    def _merge_learned(self, files: list[str]) -> None:
        """Corpus memory across inputs: every input's roles taught again in
        input order, as the store would have learned them reading the inputs
        one after the other (a later input's title closes an earlier one's role)."""
        from .memory import insert_roles, role_from_row, updated_roles

        people: dict[tuple[str, str], list[Any]] = {}
        for file in files:
            rows = self._con.execute(
                f"SELECT {LEARNED_COLUMNS} FROM read_parquet({repr_sql(file)}) ORDER BY valid_from, taught_by"
            ).fetchall()
            for row in rows:
                taught = role_from_row(row)
                key = (taught.surname_key, taught.given_key)
                people[key] = updated_roles(people.get(key, []), replace(taught, valid_to=None, closed_by=None))
        insert_roles(self._con, [role for roles in people.values() for role in roles])

    def _merge_actors(self, files: list[str]) -> None:
        """One row per actor, as the store would have it after reading the
        inputs in order: the name ``preferred_name`` ranks highest (the
        earliest of equals), the fullest name key, the first given name and
        country known."""
        rank = preferred_name_rank_sql("name", "type", "starts_with(name_key, '=')")
        first = "coalesce(arg_min({c}, position) FILTER (WHERE {c} <> ''), '') AS {c}"
        self._con.execute(
            f"""INSERT INTO actors BY NAME
                SELECT actor_id,
                       arg_max(name, list_append({rank}, -position)) AS name,
                       arg_max(type, list_append({rank}, -position)) AS type,
                       arg_max(name_key, [len(string_split(name_key, ' ')), -position]) AS name_key,
                       arg_min(surname_key, position) AS surname_key,
                       {first.format(c="given_key")}, {first.format(c="country")}
                FROM (SELECT *, file_index::INTEGER AS position FROM read_parquet({_file_list(files)}))
                GROUP BY actor_id ORDER BY actor_id"""
        )

    def _merge(self, table: str, files: list[str], *, recount: bool, recount_aliases: bool) -> None:
        """The shards' rows of a small table merged by key, into the store's
        own table (its column order and types). When the shards hold one
        article twice, the summaries and alias counts are computed again from
        the views (which hold it once), as the store computes them."""
        if recount:
            self._con.execute(summary_rows_sql(table))
            return
        keys, values = _MERGED_TABLES[table]
        source = f"read_parquet([{', '.join(repr_sql(f) for f in files)}])"
        if recount_aliases:
            # An alias's count is the number of entities so named (``Store._resolve_actor``).
            self._con.execute(
                f"""INSERT INTO actor_aliases BY NAME
                    SELECT en.actor_id, en.name AS alias, any_value(al.alias_key) AS alias_key, count(*)::INTEGER AS n
                    FROM entities en
                    JOIN (SELECT DISTINCT actor_id, alias, alias_key FROM {source}) al
                      ON al.actor_id = en.actor_id AND al.alias = en.name
                    GROUP BY en.actor_id, en.name ORDER BY en.actor_id, en.name"""
            )
            return
        self._con.execute(
            f"INSERT INTO {table} BY NAME SELECT {keys}, {values} FROM {source} GROUP BY {keys} ORDER BY {keys}"
        )

    def close(self) -> None:
        self._con.close()


def _file_list(files: list[str]) -> str:
    """``files`` as an SQL list of strings, for ``read_parquet``."""
    return f"[{', '.join(repr_sql(f) for f in files)}]"


def repr_sql(value: str) -> str:
    """``value`` as a SQL string literal."""
    return f"'{_sql_string(value)}'"


def _sql_string(value: str) -> str:
    return value.replace("'", "''")
