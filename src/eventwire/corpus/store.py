"""The embedded store: coded articles in one DuckDB file, one corpus across them.

Every article is written in one transaction (its row, entities, mentions,
quotes, times and event reports), so a failure leaves nothing half-written.
Articles are keyed by ``doc_id`` — the content hash of the raw text — so
ingesting the same article twice stores it once. The full record is kept as
JSON beside the flattened tables, so ``Store.article`` gives back exactly the
``Article`` that was added; the flat tables are there for queries
(``eventwire.corpus.query``).

Across articles the store keeps one row per real-world actor (``actors``,
``actor_aliases``; entities are linked by ``identity.py``'s name keys) and
one row per real-world event (``events``): each article's report of an event
is an ``event_mentions`` row clustered into the canonical event with the same
CAMEO root, modality and actors, dated within a day — GDELT's Events and
Mentions tables, with ``num_mentions``, ``num_articles`` and ``num_sources``.

The hot queries (dyad timelines, actor profiles) read only ``events`` and
``entities``: each canonical event carries its first article's title and date
and its sides' code prefixes and unordered dyad key; each entity its
article's date and outlet. ``events`` is kept physically ordered by dyad key
and day (``Store.cluster``), so DuckDB's zone maps let a dyad's query read a
few blocks instead of every row. Actor profiles read summary rows instead
(``event_stats``, ``actor_totals``, ``actor_codes``, ``actor_labels``; store
version 4): ``add`` keeps them up to date in the article's transaction,
migrations and ``reorganize`` compute them again from the rows.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from datetime import date as Date
from pathlib import Path
from types import TracebackType
from typing import Any, Self

import duckdb
from pydantic import TypeAdapter

from ..errors import StoreError
from ..model import (
    SCHEMA_VERSION,
    ActorRef,
    Article,
    Entity,
    Event,
    LearnedRole,
    Source,
)
from .identity import ActorKey, actor_id_for, actor_key, best_match, fold, name_key, preferred_name
from .memory import LEARNED_ROLES_DDL, learn, stored_roles

# Bumped whenever the table layout below changes. A store of an older layout
# is migrated when opened for writing (every table is rebuilt from the
# article records it keeps); read-only it is refused with a message saying so.
STORE_VERSION = "4"
# Layouts this version can migrate from: each kept the full article records.
# Version 1 is rebuilt from them; version 2 gains version 3's columns in place;
# versions 2 and 3 gain version 4's summary tables, computed from their rows.
_MIGRATABLE_VERSIONS = ("1", "2", "3")

# DuckDB's block size for new store files (the smallest it allows; its default
# is 256 KiB). Every table and index takes whole blocks, so with the default a
# store of two articles was 9.7 MB of mostly empty blocks; see README "Store size".
BLOCK_SIZE = 16_384

# ``events`` is re-sorted by dyad key when the rows appended since it was last
# sorted are this many and this share of the table (see ``Store.close``).
CLUSTER_TAIL_ROWS = 50_000
CLUSTER_TAIL_SHARE = 0.2

# The host of an article's URL: the outlet it is credited to when it names none.
URL_HOST_PATTERN = r"^[a-z]+://([^/]+)"

# Multi-row INSERTs are far faster in DuckDB than one statement per row; this
# bounds the number of placeholders in one statement.
_ROWS_PER_INSERT = 200

# Reports of one event in different articles may date it a day apart
# (time zones, "yesterday" in a story published after midnight).
DEDUP_WINDOW_DAYS = 1

# Columns shared by the per-article event rows and the canonical events.
_EVENT_COLUMNS = """
        code VARCHAR NOT NULL,
        root_code VARCHAR NOT NULL,
        label VARCHAR NOT NULL,
        plover VARCHAR,
        goldstein DOUBLE NOT NULL,
        quad_class INTEGER NOT NULL,
        source_name VARCHAR,
        source_actor VARCHAR,
        source_actor_id VARCHAR,
        target_name VARCHAR,
        target_actor VARCHAR,
        target_actor_id VARCHAR,
        date VARCHAR,
        date_basis VARCHAR NOT NULL,
        location VARCHAR,
        modality VARCHAR NOT NULL,
        evidence_start INTEGER NOT NULL,
        evidence_end INTEGER NOT NULL,
        evidence_text VARCHAR NOT NULL,
        is_root BOOLEAN NOT NULL,
        attributed_to VARCHAR"""

# Columns the hot queries read instead of joining ``articles``: the first
# report's article title and date; each side's code prefix (its first three
# letters: the country, or IGO/NGO...); the two prefixes in alphabetical order
# ("BLR|RUS" whichever side is which; "" for a side without a code).
_EVENT_QUERY_COLUMNS = """
        title VARCHAR,
        published VARCHAR,
        source_prefix VARCHAR,
        target_prefix VARCHAR,
        dyad_key VARCHAR"""

_EVENT_QUERY_COLUMN_NAMES = ("title", "published", "source_prefix", "target_prefix", "dyad_key")

# The same rules as ``side_prefix`` and ``dyad_key``, in SQL (for rebuilds).
_PREFIX_SQL = "nullif(left({code}, 3), '')"
_DYAD_KEY_SQL = "least(coalesce({a}, ''), coalesce({b}, '')) || '|' || greatest(coalesce({a}, ''), coalesce({b}, ''))"


def _events_table(name: str) -> str:
    """The DDL of the canonical events table (named ``name`` while rebuilt).
    ``date`` falls back to the article's publication date; ``day`` is that
    date when it names a whole day. Descriptive columns come from the first
    report."""
    return f"""CREATE TABLE IF NOT EXISTS {name} (
        event_key VARCHAR PRIMARY KEY,
        gid BIGINT NOT NULL,
        doc_id VARCHAR NOT NULL,
        event_id VARCHAR NOT NULL,
        day DATE,
        num_mentions INTEGER NOT NULL,
        num_articles INTEGER NOT NULL,
        num_sources INTEGER NOT NULL,
        added TIMESTAMP NOT NULL,{_EVENT_COLUMNS},{_EVENT_QUERY_COLUMNS}
    )"""


def _entities_table(name: str) -> str:
    """The DDL of the entities table; ``published`` and ``outlet`` (the
    credited outlet, see ``credited_outlet``) are the article's."""
    return f"""CREATE TABLE IF NOT EXISTS {name} (
        doc_id VARCHAR NOT NULL,
        entity_id VARCHAR NOT NULL,
        name VARCHAR NOT NULL,
        type VARCHAR NOT NULL,
        actor VARCHAR,
        n_mentions INTEGER NOT NULL,
        actor_id VARCHAR NOT NULL,
        labels VARCHAR[] NOT NULL,
        published VARCHAR,
        outlet VARCHAR,
        PRIMARY KEY (doc_id, entity_id)
    )"""


# The order ``Store.cluster`` gives ``events``: a dyad's events are adjacent.
_EVENTS_CLUSTER_ORDER = "dyad_key, day, event_key"
# DuckDB compression methods ``events`` is rebuilt without (see ``_rebuild_events``).
_EVENTS_DISABLED_COMPRESSION = "fsst,dict_fsst"

_SCHEMA: tuple[str, ...] = (
    # Roles persons were taught by titles, valid by date (corpus/memory.py).
    LEARNED_ROLES_DDL,
    """CREATE TABLE IF NOT EXISTS meta (
        key VARCHAR PRIMARY KEY,
        value VARCHAR NOT NULL
    )""",
    """CREATE TABLE IF NOT EXISTS articles (
        doc_id VARCHAR PRIMARY KEY,
        title VARCHAR,
        published VARCHAR,
        published_basis VARCHAR NOT NULL,
        path VARCHAR,
        url VARCHAR,
        outlet VARCHAR,
        text VARCHAR NOT NULL,
        raw_text VARCHAR NOT NULL,
        coder_version VARCHAR NOT NULL,
        schema_version VARCHAR NOT NULL,
        ingested_at TIMESTAMP NOT NULL,
        record JSON NOT NULL
    )""",
    # One row per real-world actor across articles (see identity.py).
    """CREATE TABLE IF NOT EXISTS actors (
        actor_id VARCHAR PRIMARY KEY,
        name VARCHAR NOT NULL,
        type VARCHAR NOT NULL,
        name_key VARCHAR NOT NULL,
        surname_key VARCHAR NOT NULL,
        given_key VARCHAR NOT NULL,
        country VARCHAR NOT NULL
    )""",
    # Every name an actor was given, with its name key (for finding it under
    # any romanization) and the number of entities named so.
    """CREATE TABLE IF NOT EXISTS actor_aliases (
        actor_id VARCHAR NOT NULL,
        alias VARCHAR NOT NULL,
        alias_key VARCHAR NOT NULL,
        n INTEGER NOT NULL,
        PRIMARY KEY (actor_id, alias)
    )""",
    _entities_table("entities"),
    """CREATE TABLE IF NOT EXISTS mentions (
        doc_id VARCHAR NOT NULL,
        entity_id VARCHAR NOT NULL,
        seq INTEGER NOT NULL,
        start_char INTEGER NOT NULL,
        end_char INTEGER NOT NULL,
        text VARCHAR NOT NULL,
        PRIMARY KEY (doc_id, entity_id, seq)
    )""",
    """CREATE TABLE IF NOT EXISTS quotes (
        doc_id VARCHAR NOT NULL,
        seq INTEGER NOT NULL,
        text VARCHAR NOT NULL,
        start_char INTEGER NOT NULL,
        end_char INTEGER NOT NULL,
        speaker VARCHAR,
        speaker_name VARCHAR,
        addressee VARCHAR,
        cue VARCHAR,
        kind VARCHAR NOT NULL,
        PRIMARY KEY (doc_id, seq)
    )""",
    """CREATE TABLE IF NOT EXISTS times (
        doc_id VARCHAR NOT NULL,
        seq INTEGER NOT NULL,
        text VARCHAR NOT NULL,
        start_char INTEGER NOT NULL,
        end_char INTEGER NOT NULL,
        value VARCHAR,
        type VARCHAR NOT NULL,
        PRIMARY KEY (doc_id, seq)
    )""",
    # Each article's report of an event (GDELT's Mentions table), linked to the
    # canonical event it was clustered into. ``date`` is the event's own date.
    f"""CREATE TABLE IF NOT EXISTS event_mentions (
        doc_id VARCHAR NOT NULL,
        event_id VARCHAR NOT NULL,
        event_key VARCHAR NOT NULL,
        source_entity VARCHAR,
        target_entity VARCHAR,
        quantity_value DOUBLE,
        quantity_unit VARCHAR,
        quantity_item VARCHAR,
        trigger_start INTEGER NOT NULL,
        trigger_end INTEGER NOT NULL,
        trigger_text VARCHAR NOT NULL,{_EVENT_COLUMNS},
        PRIMARY KEY (doc_id, event_id)
    )""",
    _events_table("events"),
    "CREATE INDEX IF NOT EXISTS event_mentions_by_key ON event_mentions (event_key)",
    "CREATE INDEX IF NOT EXISTS entities_by_actor ON entities (actor_id)",
    # An actor's events are found by index lookups on either side.
    "CREATE INDEX IF NOT EXISTS events_by_source_actor ON events (source_actor_id)",
    "CREATE INDEX IF NOT EXISTS events_by_target_actor ON events (target_actor_id)",
    "CREATE INDEX IF NOT EXISTS actors_by_surname ON actors (surname_key)",
    "CREATE INDEX IF NOT EXISTS actors_by_name ON actors (name_key)",
    # Summaries kept up to date by ``add`` (in the article's transaction) and
    # computed again by migrations and ``reorganize``: an actor profile reads
    # a few of their rows instead of every event and entity of the actor.
    #
    # Per actor (``kind`` 'actor', ``key`` an actor id) and per code prefix
    # (``kind`` 'prefix', ``key`` the first three letters of a code), the
    # canonical events it took part in, split by whether they were asserted:
    # totals (``dim`` ''), per partner code (``dim`` 'partner', ``value`` the
    # other side's code, '' for none) and per CAMEO root (``dim`` 'root').
    # An event with the key on both sides counts once, as source and target.
    # Goldstein sums are decimals (scores have one decimal place), so they
    # are the same whatever order the events were added in.
    """CREATE TABLE IF NOT EXISTS event_stats (
        kind VARCHAR NOT NULL,
        key VARCHAR NOT NULL,
        asserted BOOLEAN NOT NULL,
        dim VARCHAR NOT NULL,
        value VARCHAR NOT NULL,
        n INTEGER NOT NULL,
        n_source INTEGER NOT NULL,
        n_target INTEGER NOT NULL,
        goldstein_sum DECIMAL(18, 3) NOT NULL,
        q1 INTEGER NOT NULL,
        q2 INTEGER NOT NULL,
        q3 INTEGER NOT NULL,
        q4 INTEGER NOT NULL,
        first VARCHAR,
        last VARCHAR,
        PRIMARY KEY (kind, key, asserted, dim, value)
    )""",
    # Per actor: the mentions and articles of its entities.
    """CREATE TABLE IF NOT EXISTS actor_totals (
        actor_id VARCHAR PRIMARY KEY,
        mentions INTEGER NOT NULL,
        articles INTEGER NOT NULL
    )""",
    # Per actor and code: the entities given it, first and last publication date.
    """CREATE TABLE IF NOT EXISTS actor_codes (
        actor_id VARCHAR NOT NULL,
        code VARCHAR NOT NULL,
        first VARCHAR,
        last VARCHAR,
        n INTEGER NOT NULL,
        PRIMARY KEY (actor_id, code)
    )""",
    # Per actor, outlet and label: how often that outlet's articles called it so.
    """CREATE TABLE IF NOT EXISTS actor_labels (
        actor_id VARCHAR NOT NULL,
        outlet VARCHAR NOT NULL,
        label VARCHAR NOT NULL,
        n INTEGER NOT NULL,
        PRIMARY KEY (actor_id, outlet, label)
    )""",
    # Names of event sides that resolved to no actor, with the number of
    # canonical event sides so named: a name argument is matched against these
    # few rows, then looked up by equality, rather than matched against every event.
    """CREATE TABLE IF NOT EXISTS unresolved_names (
        name VARCHAR PRIMARY KEY,
        n INTEGER NOT NULL
    )""",
)

# The summary tables, each with the SQL computing its rows from the events
# (``{events}``: a condition on ``events e``) or entities (``{entities}``: a
# condition on ``entities en``) it summarizes, and how a row adds to a stored one.
_EVENT_STATS_SQL = """
WITH picked AS (
    SELECT e.event_key, e.modality = 'asserted' AS asserted, e.goldstein, e.quad_class, e.date, e.root_code,
           e.source_actor, e.target_actor, e.source_actor_id, e.target_actor_id, e.source_prefix, e.target_prefix
    FROM events e WHERE {events}
), sides AS (
    SELECT event_key, 'actor' AS kind, source_actor_id AS key, true AS src, false AS tgt
        FROM picked WHERE source_actor_id IS NOT NULL
    UNION ALL SELECT event_key, 'actor', target_actor_id, false, true FROM picked WHERE target_actor_id IS NOT NULL
    UNION ALL SELECT event_key, 'prefix', source_prefix, true, false FROM picked WHERE source_prefix IS NOT NULL
    UNION ALL SELECT event_key, 'prefix', target_prefix, false, true FROM picked WHERE target_prefix IS NOT NULL
), roles AS (
    SELECT event_key, kind, key, bool_or(src) AS as_source, bool_or(tgt) AS as_target
    FROM sides GROUP BY event_key, kind, key
), x AS (
    SELECT r.kind, r.key, r.as_source, r.as_target, p.asserted, p.goldstein, p.quad_class, p.date, p.root_code,
           CASE WHEN r.as_source THEN p.target_actor ELSE p.source_actor END AS partner
    FROM roles r JOIN picked p USING (event_key)
)
SELECT kind, key, asserted,
       CASE grouping(partner, root_code) WHEN 3 THEN '' WHEN 1 THEN 'partner' ELSE 'root' END AS dim,
       coalesce(partner, root_code, '') AS value,
       count(*)::INTEGER AS n, count(*) FILTER (WHERE as_source)::INTEGER AS n_source,
       count(*) FILTER (WHERE as_target)::INTEGER AS n_target,
       sum(goldstein::DECIMAL(18, 3))::DECIMAL(18, 3) AS goldstein_sum,
       count(*) FILTER (WHERE quad_class = 1)::INTEGER AS q1, count(*) FILTER (WHERE quad_class = 2)::INTEGER AS q2,
       count(*) FILTER (WHERE quad_class = 3)::INTEGER AS q3, count(*) FILTER (WHERE quad_class = 4)::INTEGER AS q4,
       min(date) AS first, max(date) AS last
FROM x GROUP BY GROUPING SETS ((kind, key, asserted), (kind, key, asserted, partner), (kind, key, asserted, root_code))
"""

_SUMMARIES: tuple[tuple[str, str, str, str], ...] = (
    # (table, its key columns, the SQL of its rows, the update of a stored row)
    (
        "event_stats",
        "kind, key, asserted, dim, value",
        _EVENT_STATS_SQL,
        ("n = event_stats.n + excluded.n, n_source = event_stats.n_source + excluded.n_source,"
        " n_target = event_stats.n_target + excluded.n_target,"
        " goldstein_sum = event_stats.goldstein_sum + excluded.goldstein_sum,"
        " q1 = event_stats.q1 + excluded.q1, q2 = event_stats.q2 + excluded.q2,"
        " q3 = event_stats.q3 + excluded.q3, q4 = event_stats.q4 + excluded.q4,"
        " first = least(event_stats.first, excluded.first), last = greatest(event_stats.last, excluded.last)"),
    ),
    (
        "unresolved_names",
        "name",
        """SELECT name, count(*)::INTEGER AS n FROM (
               SELECT e.source_name AS name FROM events e WHERE e.source_actor_id IS NULL AND {events}
               UNION ALL SELECT e.target_name FROM events e WHERE e.target_actor_id IS NULL AND {events}
           ) WHERE name IS NOT NULL GROUP BY name""",
        "n = unresolved_names.n + excluded.n",
    ),
    (
        "actor_totals",
        "actor_id",
        """SELECT en.actor_id, sum(en.n_mentions)::INTEGER AS mentions, count(DISTINCT en.doc_id)::INTEGER AS articles
           FROM entities en WHERE {entities} GROUP BY en.actor_id""",
        "mentions = actor_totals.mentions + excluded.mentions, articles = actor_totals.articles + excluded.articles",
    ),
    (
        "actor_codes",
        "actor_id, code",
        """SELECT en.actor_id, en.actor AS code, min(en.published) AS first, max(en.published) AS last,
                  count(*)::INTEGER AS n
           FROM entities en WHERE en.actor IS NOT NULL AND {entities} GROUP BY en.actor_id, en.actor""",
        ("first = least(actor_codes.first, excluded.first), last = greatest(actor_codes.last, excluded.last),"
        " n = actor_codes.n + excluded.n"),
    ),
    (
        "actor_labels",
        "actor_id, outlet, label",
        """SELECT actor_id, outlet, label, count(*)::INTEGER AS n FROM (
               SELECT en.actor_id, coalesce(en.outlet, '(unknown outlet)') AS outlet, unnest(en.labels) AS label
               FROM entities en WHERE len(en.labels) > 0 AND {entities}
           ) GROUP BY actor_id, outlet, label""",
        "n = actor_labels.n + excluded.n",
    ),
)
SUMMARY_TABLES = tuple(table for table, *_ in _SUMMARIES)


def summary_rows_sql(table: str) -> str:
    """The INSERT filling the summary ``table`` from every event and entity
    (as migrations and ``reorganize`` compute it)."""
    key_columns, select_sql = next((k, sql) for t, k, sql, _ in _SUMMARIES if t == table)
    rows_sql = select_sql.format(events="true", entities="true")
    return f"INSERT INTO {table} SELECT * FROM ({rows_sql}) ORDER BY {key_columns}"

# Tables holding what articles say; ``meta`` is not one of them.
DATA_TABLES = (
    "articles",
    "learned_roles",
    "actors",
    "actor_aliases",
    "entities",
    "mentions",
    "quotes",
    "times",
    "event_mentions",
    "events",
    *SUMMARY_TABLES,
)
# The statements creating an empty store's tables and indexes (``corpus.shards``
# builds its in-memory stand-in from them).
SCHEMA_STATEMENTS = _SCHEMA


@dataclass(frozen=True, slots=True)
class _Side:
    """One side of an event as clustering compares it."""

    code: str | None
    actor_id: str | None
    name: str  # folded, for sides with neither code nor actor


@dataclass(frozen=True, slots=True)
class _Report:
    """One article's report of an event, ready for clustering."""

    doc_id: str
    event: Event
    root: str
    date: str | None  # the event's date, else the article's
    date_basis: str
    day: Date | None  # (``date`` is the field above)
    source: _Side
    target: _Side
    location: str  # folded; "" when none
    is_root: bool


class Store:
    """One DuckDB file of coded articles. Use as a context manager::

        with Store("eventwire.duckdb") as store:
            store.add(article)

    ``read_only=True`` opens an existing store without taking the write lock,
    so several readers can share it; it fails when the file does not exist.
    """

    def __init__(self, path: str | Path, *, read_only: bool = False) -> None:
        self.path = str(path)
        self.read_only = read_only
        if read_only and self.path != ":memory:" and not Path(self.path).exists():
            raise StoreError(f"no store at {self.path}")
        try:
            if not read_only and self.path != ":memory:" and not Path(self.path).exists():
                # The block size is fixed when the file is made; later opens read it from the file.
                duckdb.connect(self.path, config={"default_block_size": str(BLOCK_SIZE)}).close()
            self._con = duckdb.connect(self.path, read_only=read_only)
        except duckdb.Error as err:
            raise StoreError(f"cannot open store {self.path}: {err}") from err
        try:
            # DuckDB's progress bar would write over the CLI's output.
            self._con.execute("SET enable_progress_bar = false")
            if read_only:
                self._check_version()
            else:
                self._create_schema()
        except BaseException:
            self._con.close()
            raise

    # -- lifecycle ---------------------------------------------------------

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def close(self) -> None:
        """Close the store; a writable one first sorts ``events`` again when
        enough rows were appended since it was last sorted (``cluster``)."""
        try:
            if not self.read_only and self._unclustered_rows() >= self._cluster_threshold():
                self.cluster()
        finally:
            self._con.close()

    def cursor(self, *, read_only: bool = True) -> Store:
        """Another handle on this open store for another thread: its own
        DuckDB connection (a cursor) to the same database, so the file is
        opened once and DuckDB's MVCC keeps each handle's transactions apart.
        Closing it leaves this store open. ``read_only`` here only says the
        handle is not meant for writes (``close`` then never re-sorts)."""
        handle = object.__new__(Store)
        handle.path = self.path
        handle.read_only = read_only or self.read_only
        try:
            handle._con = self._con.cursor()
        except duckdb.Error as err:
            raise StoreError(f"cannot open another handle on {self.path}: {err}") from err
        return handle

    @property
    def connection(self) -> duckdb.DuckDBPyConnection:
        """The DuckDB connection, for bulk loads and benchmarks."""
        return self._con

    def _stored_version(self) -> str | None:
        try:
            row = self._con.execute("SELECT value FROM meta WHERE key = ?", ["store_version"]).fetchone()
        except duckdb.CatalogException:
            tables = self._con.execute("SELECT count(*) FROM duckdb_tables()").fetchone()
            if tables and tables[0]:
                raise StoreError(f"{self.path} is not an eventwire store") from None
            return None
        return row[0] if row else "none"

    def _create_schema(self) -> None:
        found = self._stored_version()
        if found is not None and found != STORE_VERSION:
            if found not in _MIGRATABLE_VERSIONS:
                raise StoreError(
                    f"{self.path} has store version {found}; this eventwire reads version {STORE_VERSION}"
                )
            self._migrate(found)
            return
        self._con.execute("BEGIN TRANSACTION")
        try:
            for statement in _SCHEMA:
                self._con.execute(statement)
            self._con.execute(
                "INSERT INTO meta VALUES (?, ?) ON CONFLICT DO NOTHING", ["store_version", STORE_VERSION]
            )
            self._con.execute("COMMIT")
        except BaseException:
            self._rollback()
            raise
        self._check_version()

    def _rollback(self) -> None:
        """Roll back the open transaction after an error. A failed write (disk
        full) can leave DuckDB with no transaction to roll back; that second
        error is dropped so the first, the real cause, is what surfaces."""
        try:
            self._con.execute("ROLLBACK")
        except duckdb.Error:
            pass

    def _migrate(self, found: str) -> None:
        """Bring an older layout to this one in one transaction: the store is
        migrated entirely or not at all. Version 1 is rebuilt from the article
        records it kept; version 2 gains the query columns of version 3;
        versions 2 and 3 gain the summary tables of version 4."""
        con = self._con
        with self._without_fsst():
            con.execute("BEGIN TRANSACTION")
            try:
                if found == "1":
                    self._rebuild_from_records()
                else:
                    if found == "2":
                        self._rebuild_entities()
                        self._rebuild_events()
                    self._ensure_schema()
                    self._rebuild_summaries()
                    con.execute("UPDATE meta SET value = ? WHERE key = 'store_version'", [STORE_VERSION])
                con.execute("COMMIT")
            except BaseException as err:
                self._rollback()
                raise StoreError(
                    f"{self.path}: migrating store version {found} to {STORE_VERSION} failed: {err}"
                ) from err
            con.execute("CHECKPOINT")

    def _rebuild_from_records(self) -> None:
        con = self._con
        records = con.execute("SELECT record, ingested_at FROM articles ORDER BY ingested_at, doc_id").fetchall()
        old_tables = [r[0] for r in con.execute("SELECT table_name FROM duckdb_tables()").fetchall()]
        for table in old_tables:
            con.execute(f'DROP TABLE "{table}"')
        for statement in _SCHEMA:
            con.execute(statement)
        con.execute("INSERT INTO meta VALUES (?, ?)", ["store_version", STORE_VERSION])
        for record, ingested_at in records:
            self._insert_article(article_from_dict(json.loads(record)), ingested_at)

    def _replace_table(self, table: str, ddl: str, select_sql: str) -> None:
        """Replace ``table`` by a new one made by ``ddl`` (a CREATE TABLE
        with the placeholder name ``{table}``) and filled BY NAME from
        ``select_sql``. Within the caller's transaction; indexes on the old
        table go with it (``_ensure_schema`` recreates them)."""
        new = f"{table}_rebuilt"
        self._con.execute(ddl.format(table=new))
        self._con.execute(f"INSERT INTO {new} BY NAME {select_sql}")
        self._con.execute(f"DROP TABLE {table}")
        self._con.execute(f"ALTER TABLE {new} RENAME TO {table}")

    def _rebuild_summaries(self) -> None:
        """Every summary table computed again from the events and entities,
        its rows in key order (so zone maps confine a key's rows to a block)."""
        for table in SUMMARY_TABLES:
            self._con.execute(f"DROP TABLE IF EXISTS {table}")
            self._ensure_schema()
            self._con.execute(summary_rows_sql(table))

    def _add_to_summaries(self, events: tuple[str, list[Any]], entities: tuple[str, list[Any]]) -> None:
        """Add to the summary tables what the events matching the condition
        ``events`` (on ``events e``) and the entities matching ``entities``
        (on ``entities en``) contribute; each pair is (SQL, parameters)."""
        for table, key_columns, select_sql, update in _SUMMARIES:
            params = events[1] * select_sql.count("{events}") + entities[1] * select_sql.count("{entities}")
            rows_sql = select_sql.format(events=events[0], entities=entities[0])
            self._con.execute(
                f"INSERT INTO {table} SELECT * FROM ({rows_sql}) ON CONFLICT ({key_columns}) DO UPDATE SET {update}",
                params,
            )

    def _ensure_schema(self) -> None:
        """Create whatever table or index of ``_SCHEMA`` is missing."""
        for statement in _SCHEMA:
            self._con.execute(statement)

    def _rebuild_entities(self) -> None:
        """Entities with their article's date and credited outlet."""
        self._replace_table(
            "entities",
            _entities_table("{table}"),
            f"""SELECT en.*, a.published, {credited_outlet_sql("a")} AS outlet
                FROM (SELECT COLUMNS(lambda c: c NOT IN ('published', 'outlet')) FROM entities) en
                LEFT JOIN articles a ON a.doc_id = en.doc_id""",
        )

    def _rebuild_events(self) -> None:
        """Events sorted by dyad key and day, their query columns derived
        again from their sides and first article. Callers rebuild and
        checkpoint within ``_without_fsst``."""
        self._replace_table(
            "events",
            _events_table("{table}"),
            f"""SELECT e.*, a.title, a.published,
                       {_PREFIX_SQL.format(code="e.source_actor")} AS source_prefix,
                       {_PREFIX_SQL.format(code="e.target_actor")} AS target_prefix,
                       {_DYAD_KEY_SQL.format(a="source_prefix", b="target_prefix")} AS dyad_key
                FROM (SELECT COLUMNS(lambda c: c NOT IN ({", ".join(f"'{c}'" for c in _EVENT_QUERY_COLUMN_NAMES)}))
                      FROM events) e
                LEFT JOIN articles a ON a.doc_id = e.doc_id
                ORDER BY {_EVENTS_CLUSTER_ORDER}""",
        )
        self._con.execute(
            "INSERT OR REPLACE INTO meta VALUES ('clustered_events', (SELECT count(*)::VARCHAR FROM events))"
        )

    @contextmanager
    def _without_fsst(self) -> Iterator[None]:
        """Tables written (and checkpointed) meanwhile do without FSST string
        compression: timelines and profiles fetch event rows one by one, and
        fetching one value from an FSST block cost ten times a plain one
        (DuckDB 2.0.1, the synthetic corpus: 204 ms against 21 ms for 1,500
        rows). Appends and other tables keep DuckDB's choice."""
        self._con.execute(f"SET disabled_compression_methods = '{_EVENTS_DISABLED_COMPRESSION}'")
        try:
            yield
        finally:
            self._con.execute("RESET disabled_compression_methods")

    def cluster(self) -> None:
        """Sort ``events`` by dyad key and day (one transaction), so that
        zone maps confine a dyad's query to a few blocks. Rows appended later
        stay at the end until the next call; ``close`` calls it when they
        have become many (``CLUSTER_TAIL_ROWS``, ``CLUSTER_TAIL_SHARE``)."""
        self._rebuild(entities=False)

    def reorganize(self) -> None:
        """Derive every query column again (entities' article date and
        outlet, events' title, date, prefixes and dyad key), compute the
        summary tables again and sort events:
        for bulk loads that write the tables with SQL rather than ``add``."""
        self._con.execute("CHECKPOINT")  # what was loaded keeps DuckDB's compression
        self._rebuild(entities=True)

    def _rebuild(self, *, entities: bool) -> None:
        """Rebuild events (and ``entities``) in one transaction, then checkpoint."""
        con = self._con
        with self._without_fsst():
            con.execute("BEGIN TRANSACTION")
            try:
                if entities:
                    self._rebuild_entities()
                self._rebuild_events()
                self._ensure_schema()
                if entities:
                    self._rebuild_summaries()
                con.execute("COMMIT")
            except BaseException:
                self._rollback()
                raise
            con.execute("CHECKPOINT")

    def _unclustered_rows(self) -> int:
        """Events appended since ``events`` was last sorted."""
        row = self._con.execute(
            "SELECT (SELECT count(*) FROM events) - coalesce((SELECT value::BIGINT FROM meta"
            " WHERE key = 'clustered_events'), 0)"
        ).fetchone()
        return int(row[0]) if row else 0

    def _cluster_threshold(self) -> int:
        row = self._con.execute("SELECT count(*) FROM events").fetchone()
        return max(CLUSTER_TAIL_ROWS, int(CLUSTER_TAIL_SHARE * (int(row[0]) if row else 0)))

    def _check_version(self) -> None:
        found = self._stored_version()
        if found == STORE_VERSION:
            return
        if found is None:
            raise StoreError(f"{self.path} is not an eventwire store")
        if found in _MIGRATABLE_VERSIONS:
            raise StoreError(
                f"{self.path} has store version {found}; open it once for writing "
                f"(e.g. `eventwire ingest` with --db {self.path}) to migrate it to version {STORE_VERSION}"
            )
        raise StoreError(f"{self.path} has store version {found}; this eventwire reads version {STORE_VERSION}")

    # -- writing -----------------------------------------------------------

    def add(self, article: Article) -> bool:
        """Store ``article``; False (and nothing written) when its doc_id is
        already stored. Any error rolls the whole article back and re-raises."""
        con = self._con
        con.execute("BEGIN TRANSACTION")
        try:
            if con.execute("SELECT 1 FROM articles WHERE doc_id = ?", [article.doc_id]).fetchone():
                con.execute("ROLLBACK")
                return False
            self._insert_article(article)
            con.execute("COMMIT")
        except BaseException:
            self._rollback()
            raise
        return True

    def add_many(self, articles: Iterable[Article]) -> int:
        """Store each article (one transaction each); the number newly stored."""
        return sum(self.add(a) for a in articles)

    def _insert_article(self, a: Article, ingested_at: datetime | None = None) -> None:
        if ingested_at is None:
            ingested_at = datetime.now(UTC).replace(tzinfo=None)
        self._insert(
            "articles",
            [
                (
                    a.doc_id,
                    a.title,
                    a.published,
                    a.published_basis,
                    a.source.path,
                    a.source.url,
                    a.source.outlet,
                    a.text,
                    a.raw_text,
                    a.coder_version,
                    a.schema,
                    ingested_at,
                    json.dumps(a.to_dict(), ensure_ascii=False),
                )
            ],
        )
        actor_ids = {e.id: self._resolve_actor(e) for e in a.entities}
        outlet = credited_outlet(a.source)
        self._insert(
            "entities",
            [
                (a.doc_id, e.id, e.name, e.type, e.actor, len(e.mentions), actor_ids[e.id], list(e.labels),
                 a.published, outlet)
                for e in a.entities
            ],
        )
        self._insert(
            "mentions",
            [
                (a.doc_id, e.id, i, m.start, m.end, m.text)
                for e in a.entities
                for i, m in enumerate(e.mentions)
            ],
        )
        self._insert(
            "quotes",
            [
                (a.doc_id, i, q.text, q.start, q.end, q.speaker, q.speaker_name, q.addressee, q.cue, q.kind)
                for i, q in enumerate(a.quotes)
            ],
        )
        self._insert(
            "times",
            [(a.doc_id, i, t.text, t.start, t.end, t.value, t.type) for i, t in enumerate(a.times)],
        )
        lead = lead_paragraph(a)
        touched: set[str] = set()
        new_events: list[str] = []
        for ev in a.events:
            report = make_report(a, ev, actor_ids, lead)
            key = self._cluster_of(report)
            if key is None:
                key = event_key_of(a.doc_id, ev.id)
                self._insert("events", [canonical_event_row(key, report, ingested_at, a)])
                new_events.append(key)
            self._insert("event_mentions", [event_mention_row(key, report)])
            touched.add(key)
        self._recount(touched)
        # Only new canonical events change the summaries: a further report of
        # a known event changes its counts, not its sides, date or code.
        new_in = ("e.event_key IN (" + ", ".join("?" * len(new_events)) + ")") if new_events else "false"
        self._add_to_summaries((new_in, new_events), ("en.doc_id = ?", [a.doc_id]))
        learn(self._con, a)

    def _resolve_actor(self, entity: Entity) -> str:
        """The id of the actor ``entity`` is (created when new); its name is
        added to the actor's aliases."""
        key = actor_key(entity.name, entity.type, entity.actor, names_country=entity.names_country)
        column, value = ("surname_key", key.surname_key) if key.surname_key else ("name_key", key.name_key)
        rows = self._con.execute(
            f"SELECT actor_id, type, name_key, surname_key, given_key, country, name FROM actors WHERE {column} = ?",
            [value],
        ).fetchall()
        candidates = [(r[0], ActorKey(r[1], r[2], r[3], r[4], r[5])) for r in rows]
        actor_id = best_match(key, candidates)
        if actor_id is None:
            actor_id = self._new_actor_id(actor_id_for(key))
            self._con.execute(
                "INSERT INTO actors VALUES (?, ?, ?, ?, ?, ?, ?)",
                [actor_id, entity.name, entity.type, key.name_key, key.surname_key, key.given_key, key.country],
            )
        else:
            current = next(r for r in rows if r[0] == actor_id)
            name, type_ = preferred_name(
                (current[6], current[1]), (entity.name, entity.type), country=current[2].startswith("=")
            )
            # A fuller name teaches the actor its given name and country.
            fuller = len(key.name_key.split()) > len(current[2].split())
            self._con.execute(
                """UPDATE actors SET name = ?, type = ?,
                       name_key = CASE WHEN ? THEN ? ELSE name_key END,
                       given_key = CASE WHEN given_key = '' THEN ? ELSE given_key END,
                       country = CASE WHEN country = '' THEN ? ELSE country END
                   WHERE actor_id = ?""",
                [name, type_, fuller, key.name_key, key.given_key, key.country, actor_id],
            )
        self._con.execute(
            """INSERT INTO actor_aliases VALUES (?, ?, ?, 1)
               ON CONFLICT (actor_id, alias) DO UPDATE SET n = actor_aliases.n + 1""",
            [actor_id, entity.name, name_key(entity.name)],
        )
        return actor_id

    def _new_actor_id(self, base: str) -> str:
        """``base``, or ``base#2``, ``base#3``... when another actor (another
        country's person of the same name) already has it."""
        taken = {
            r[0]
            for r in self._con.execute(
                "SELECT actor_id FROM actors WHERE actor_id = ? OR starts_with(actor_id, ?)", [base, base + "#"]
            ).fetchall()
        }
        if base not in taken:
            return base
        n = 2
        while f"{base}#{n}" in taken:
            n += 1
        return f"{base}#{n}"

    def _cluster_of(self, r: _Report) -> str | None:
        """The canonical event ``r`` reports, or None when it is a new one.

        Candidates share the CAMEO root and modality, and on each side the
        actor (or, where a side resolved to no actor, the actor code); their
        locations do not contradict. Whole-day dates may differ by
        ``DEDUP_WINDOW_DAYS``; partial or missing dates match only reports of
        the same date in the same article.
        """
        common = (
            "SELECT e.event_key, e.day, e.num_mentions, e.source_actor, e.source_actor_id, e.source_name,"
            " e.target_actor, e.target_actor_id, e.target_name, e.location FROM events e"
            " WHERE e.root_code = ? AND e.modality = ?"
            " AND (e.source_actor IS NOT DISTINCT FROM ? OR e.source_actor_id = ?)"
            " AND (e.target_actor IS NOT DISTINCT FROM ? OR e.target_actor_id = ?)"
        )
        params: list[Any] = [
            r.root, r.event.modality, r.source.code, r.source.actor_id, r.target.code, r.target.actor_id,
        ]
        if r.day is not None:
            sql = common + " AND e.day BETWEEN ? AND ?"
            window = timedelta(days=DEDUP_WINDOW_DAYS)
            params += [r.day - window, r.day + window]
        else:
            sql = common + (
                " AND e.day IS NULL AND e.date IS NOT DISTINCT FROM ?"
                " AND e.event_key IN (SELECT event_key FROM event_mentions WHERE doc_id = ?)"
            )
            params += [r.date, r.doc_id]
        best: tuple[int, int, str] | None = None
        rows = self._con.execute(sql, params).fetchall()
        for key, day, n, src_code, src_id, src_name, tgt_code, tgt_id, tgt_name, location in rows:
            if not (
                _sides_agree(r.source, src_code, src_id, src_name)
                and _sides_agree(r.target, tgt_code, tgt_id, tgt_name)
                and (not r.location or not location or r.location == fold(location))
            ):
                continue
            # The nearest date first, then the most reported.
            rank = (abs((day - r.day).days) if day and r.day else 0, -n, key)
            if best is None or rank < best:
                best = rank
        return best[2] if best else None

    def _recount(self, keys: set[str]) -> None:
        """Mention, article and source counts of the canonical events ``keys``.
        A source is the outlet, else the URL's host, else the article itself."""
        if not keys:
            return
        self._con.execute(
            f"""
            UPDATE events SET num_mentions = c.m, num_articles = c.a, num_sources = c.s
            FROM (
                SELECT m.event_key, count(*)::INTEGER AS m, count(DISTINCT m.doc_id)::INTEGER AS a,
                       count(DISTINCT coalesce({credited_outlet_sql("a")}, a.doc_id))::INTEGER AS s
                FROM event_mentions m JOIN articles a USING (doc_id)
                WHERE list_contains(?, m.event_key)
                GROUP BY m.event_key
            ) c
            WHERE events.event_key = c.event_key
            """,
            [sorted(keys)],
        )

    def _insert(self, table: str, rows: Sequence[tuple[Any, ...]]) -> None:
        # ``table`` is always one of the literal names above, never user input.
        if not rows:
            return
        width = len(rows[0])
        row_marks = "(" + ", ".join("?" * width) + ")"
        for first in range(0, len(rows), _ROWS_PER_INSERT):
            chunk = rows[first : first + _ROWS_PER_INSERT]
            sql = f"INSERT INTO {table} VALUES " + ", ".join([row_marks] * len(chunk))
            self._con.execute(sql, [value for row in chunk for value in row])

    # -- reading -----------------------------------------------------------

    def __contains__(self, doc_id: object) -> bool:
        if not isinstance(doc_id, str):
            return False
        return self._con.execute("SELECT 1 FROM articles WHERE doc_id = ?", [doc_id]).fetchone() is not None

    def __len__(self) -> int:
        row = self._con.execute("SELECT count(*) FROM articles").fetchone()
        return int(row[0]) if row else 0

    def doc_ids(self) -> list[str]:
        """Every stored doc_id, oldest publication first (undated last)."""
        rows = self._con.execute(
            "SELECT doc_id FROM articles ORDER BY published NULLS LAST, ingested_at, doc_id"
        ).fetchall()
        return [r[0] for r in rows]

    def article(self, doc_id: str) -> Article:
        """The stored record of ``doc_id``; KeyError when it is not stored."""
        row = self._con.execute("SELECT record FROM articles WHERE doc_id = ?", [doc_id]).fetchone()
        if row is None:
            raise KeyError(doc_id)
        return article_from_dict(json.loads(row[0]))

    def articles(self) -> Iterator[Article]:
        for doc_id in self.doc_ids():
            yield self.article(doc_id)

    def table_counts(self) -> dict[str, int]:
        """Rows in every data table."""
        return {t: int(self._con.execute(f"SELECT count(*) FROM {t}").fetchone()[0]) for t in DATA_TABLES}  # type: ignore[index]

    def learned_roles(self) -> list[LearnedRole]:
        """Every role corpus memory learned (``corpus.memory``), by person and date."""
        return stored_roles(self._con)

    def rows(self, sql: str, params: Sequence[Any] = ()) -> list[dict[str, Any]]:
        """Run a parameterized read query; each row as a column -> value dict."""
        cursor = self._con.execute(sql, list(params))
        names = [d[0] for d in cursor.description or ()]
        return [dict(zip(names, r, strict=True)) for r in cursor.fetchall()]

    def tuples(self, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        """Run a parameterized read query; each row as a tuple in the query's
        column order (for many rows: no dict per row)."""
        return self._con.execute(sql, list(params)).fetchall()

    # -- re-coding (eventwire.corpus.recode) ----------------------------------------

    def replace_articles(self, recoded: Sequence[Article]) -> None:
        """Replace stored articles by their re-coded records (same doc_ids),
        keeping each replaced record in ``article_versions`` under its
        (doc_id, coder_version). Every table is rebuilt from the records in
        ingest order, so events cluster as if the new records had been
        ingested in the first place. One transaction: all or nothing."""
        con = self._con
        new = {a.doc_id: a for a in recoded}
        with self._without_fsst():
            con.execute("BEGIN TRANSACTION")
            try:
                con.execute(
                    """CREATE TABLE IF NOT EXISTS article_versions (
                        doc_id VARCHAR NOT NULL,
                        coder_version VARCHAR NOT NULL,
                        ingested_at TIMESTAMP NOT NULL,
                        record JSON NOT NULL,
                        PRIMARY KEY (doc_id, coder_version)
                    )"""
                )
                con.execute(
                    """INSERT INTO article_versions
                       SELECT doc_id, coder_version, ingested_at, record FROM articles
                       WHERE list_contains(?, doc_id) ON CONFLICT DO NOTHING""",
                    [sorted(new)],
                )
                records = con.execute("SELECT record, ingested_at FROM articles ORDER BY ingested_at, doc_id").fetchall()
                for table in DATA_TABLES:
                    con.execute(f"DROP TABLE {table}")
                con.execute("DELETE FROM meta WHERE key = 'clustered_events'")
                self._ensure_schema()
                for record, ingested_at in records:
                    stored = article_from_dict(json.loads(record))
                    self._insert_article(new.get(stored.doc_id, stored), ingested_at)
                con.execute("COMMIT")
            except BaseException:
                self._rollback()
                raise
            con.execute("CHECKPOINT")


def _sides_agree(side: _Side, code: str | None, actor_id: str | None, name: str | None) -> bool:
    """Two sides resolved to actors agree when they are one actor (whatever
    code each report gave it); otherwise their codes must be equal, and two
    uncoded sides must carry one name."""
    if side.actor_id and actor_id:
        return side.actor_id == actor_id
    if side.code != code:
        return False
    return side.code is not None or side.name == fold(name or "")


def root_code(code: str) -> str:
    """The CAMEO root (first two digits) of an event code: "0311" -> "03"."""
    return code[:2]


def whole_day(value: str | None) -> date | None:
    """The day a "YYYY-MM-DD" date names; None for partial or missing dates."""
    if not value or len(value) < 10:
        return None
    try:
        return date.fromisoformat(value[:10])
    except ValueError:
        return None


def lead_paragraph(a: Article) -> tuple[int, int]:
    """The span of the first body paragraph: events reported there are the
    story's root events (GDELT's IsRootEvent)."""
    for p in a.paragraphs:
        if p.zone == "body":
            return p.start, p.end
    return 0, len(a.text)


def _side(ref: ActorRef | None, actor_ids: dict[str, str]) -> _Side:
    if ref is None:
        return _Side(None, None, "")
    return _Side(ref.actor, actor_ids.get(ref.entity) if ref.entity else None, fold(ref.name))


def make_report(a: Article, ev: Event, actor_ids: dict[str, str], lead: tuple[int, int]) -> _Report:
    date_value = ev.date or a.published
    basis = ev.date_basis if ev.date else ("published" if a.published else "none")
    return _Report(
        doc_id=a.doc_id,
        event=ev,
        root=root_code(ev.code),
        date=date_value,
        date_basis=basis,
        day=whole_day(date_value),
        source=_side(ev.source, actor_ids),
        target=_side(ev.target, actor_ids),
        location=fold(ev.location) if ev.location else "",
        is_root=lead[0] <= ev.evidence.start < lead[1],
    )


def _shared_event_values(r: _Report, date_value: str | None, date_basis: str) -> tuple[Any, ...]:
    """The ``_EVENT_COLUMNS`` values, in order."""
    ev = r.event
    return (
        ev.code,
        r.root,
        ev.label,
        ev.plover,
        ev.goldstein,
        ev.quad_class,
        ev.source.name if ev.source else None,
        r.source.code,
        r.source.actor_id,
        ev.target.name if ev.target else None,
        r.target.code,
        r.target.actor_id,
        date_value,
        date_basis,
        ev.location,
        ev.modality,
        ev.evidence.start,
        ev.evidence.end,
        ev.evidence.text,
        r.is_root,
        ev.attributed_to,
    )


def event_mention_row(event_key: str, r: _Report) -> tuple[Any, ...]:
    """One ``event_mentions`` row, in column order."""
    ev = r.event
    quantity = ev.quantity
    return (
        r.doc_id,
        ev.id,
        event_key,
        ev.source.entity if ev.source else None,
        ev.target.entity if ev.target else None,
        quantity.value if quantity else None,
        quantity.unit if quantity else None,
        quantity.item if quantity else None,
        ev.trigger.start,
        ev.trigger.end,
        ev.trigger.text,
        *_shared_event_values(r, ev.date, ev.date_basis),
    )


def event_key_of(doc_id: str, event_id: str) -> str:
    """The key of a canonical event first reported as ``event_id`` in ``doc_id``
    (event ids are usually "doc_id:n" already)."""
    return event_id if event_id.startswith(doc_id + ":") else f"{doc_id}:{event_id}"


def event_gid(event_key: str) -> int:
    """A stable 60-bit integer id (GDELT's GLOBALEVENTID is numeric)."""
    return int(hashlib.sha256(event_key.encode("utf-8")).hexdigest()[:15], 16)


def canonical_event_row(event_key: str, r: _Report, added: datetime, article: Article) -> tuple[Any, ...]:
    """A new ``events`` row for the first report of an event, found in
    ``article`` (counts 1, fixed by ``Store._recount``)."""
    source_prefix, target_prefix = side_prefix(r.source.code), side_prefix(r.target.code)
    return (
        event_key,
        event_gid(event_key),
        r.doc_id,
        r.event.id,
        r.day,
        1,
        1,
        1,
        added,
        *_shared_event_values(r, r.date, r.date_basis),
        article.title,
        article.published,
        source_prefix,
        target_prefix,
        dyad_key(source_prefix, target_prefix),
    )


def side_prefix(code: str | None) -> str | None:
    """The first three letters of a side's CAMEO code (its country, or IGO,
    NGO...); None without a code. ``_PREFIX_SQL`` is the same rule in SQL."""
    return code[:3] if code else None


def dyad_key(a: str | None, b: str | None) -> str:
    """Two sides' prefixes as one key whichever side is which: "BLR|RUS";
    "" for a side without one. ``_DYAD_KEY_SQL`` is the same rule in SQL."""
    first, second = sorted((a or "", b or ""))
    return f"{first}|{second}"


def credited_outlet(source: Source) -> str | None:
    """The outlet an article is credited to: its outlet, else its URL's host;
    None when neither. ``credited_outlet_sql`` is the same rule in SQL."""
    if source.outlet is not None:
        return source.outlet
    found = re.match(URL_HOST_PATTERN, source.url or "")
    return found.group(1) if found else None


def credited_outlet_sql(alias: str) -> str:
    """``credited_outlet`` in SQL for the ``articles`` row named ``alias``."""
    return f"coalesce({alias}.outlet, nullif(regexp_extract({alias}.url, '{URL_HOST_PATTERN}', 1), ''))"


def article_from_dict(d: dict[str, Any]) -> Article:
    """The ``Article`` whose ``to_dict()`` is ``d`` (a stored or JSON-read record)."""
    if d.get("schema") != SCHEMA_VERSION:
        raise ValueError(f"record schema {d.get('schema')!r} is not {SCHEMA_VERSION!r}")
    return _ARTICLE_ADAPTER.validate_python(d)


# pydantic builds the nested frozen dataclasses from the schema it also emits.
_ARTICLE_ADAPTER: TypeAdapter[Article] = TypeAdapter(Article)
