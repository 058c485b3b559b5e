"""The embedded store: coded articles in one DuckDB file.

Every article is written in one transaction (its row, entities, mentions,
quotes, times and events), so a failure leaves nothing half-written. Articles
are keyed by ``doc_id`` — the content hash of the raw text — so ingesting the
same article twice stores it once. The full record is kept as JSON beside the
flattened tables, so ``Store.article`` gives back exactly the ``Article`` that
was added; the flat tables are there for queries (``eventwire.query``).
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from datetime import datetime, timezone
from pathlib import Path
from types import TracebackType
from typing import Any

import duckdb
from pydantic import TypeAdapter

from .model import (
    SCHEMA_VERSION,
    Article,
    Event,
)

# Bumped whenever the table layout below changes; a store written with another
# layout is refused rather than misread.
STORE_VERSION = "1"

# Multi-row INSERTs are far faster in DuckDB than one statement per row; this
# bounds the number of placeholders in one statement.
_ROWS_PER_INSERT = 200

_SCHEMA: tuple[str, ...] = (
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
    """CREATE TABLE IF NOT EXISTS entities (
        doc_id VARCHAR NOT NULL,
        entity_id VARCHAR NOT NULL,
        name VARCHAR NOT NULL,
        type VARCHAR NOT NULL,
        actor VARCHAR,
        n_mentions INTEGER NOT NULL,
        PRIMARY KEY (doc_id, entity_id)
    )""",
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
    """CREATE TABLE IF NOT EXISTS events (
        doc_id VARCHAR NOT NULL,
        event_id VARCHAR NOT NULL,
        code VARCHAR NOT NULL,
        root_code VARCHAR NOT NULL,
        label VARCHAR NOT NULL,
        plover VARCHAR,
        goldstein DOUBLE NOT NULL,
        quad_class INTEGER NOT NULL,
        source_entity VARCHAR,
        source_name VARCHAR,
        source_actor VARCHAR,
        target_entity VARCHAR,
        target_name VARCHAR,
        target_actor VARCHAR,
        date VARCHAR,
        date_basis VARCHAR NOT NULL,
        location VARCHAR,
        quantity_value DOUBLE,
        quantity_unit VARCHAR,
        quantity_item VARCHAR,
        modality VARCHAR NOT NULL,
        attributed_to VARCHAR,
        evidence_start INTEGER NOT NULL,
        evidence_end INTEGER NOT NULL,
        evidence_text VARCHAR NOT NULL,
        trigger_start INTEGER NOT NULL,
        trigger_end INTEGER NOT NULL,
        trigger_text VARCHAR NOT NULL,
        PRIMARY KEY (doc_id, event_id)
    )""",
)


class StoreError(Exception):
    """The store file cannot be used (missing, or written with another layout)."""


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
            self._con = duckdb.connect(self.path, read_only=read_only)
        except duckdb.Error as err:
            raise StoreError(f"cannot open store {self.path}: {err}") from err
        if read_only:
            self._check_version()
        else:
            self._create_schema()

    # -- lifecycle ---------------------------------------------------------

    def __enter__(self) -> Store:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def close(self) -> None:
        self._con.close()

    def _create_schema(self) -> None:
        self._con.execute("BEGIN TRANSACTION")
        try:
            for statement in _SCHEMA:
                self._con.execute(statement)
            self._con.execute(
                "INSERT INTO meta VALUES (?, ?) ON CONFLICT DO NOTHING", ["store_version", STORE_VERSION]
            )
            self._con.execute("COMMIT")
        except BaseException:
            self._con.execute("ROLLBACK")
            raise
        self._check_version()

    def _check_version(self) -> None:
        try:
            row = self._con.execute("SELECT value FROM meta WHERE key = ?", ["store_version"]).fetchone()
        except duckdb.CatalogException as err:
            raise StoreError(f"{self.path} is not an eventwire store") from err
        if row is None or row[0] != STORE_VERSION:
            found = row[0] if row else "none"
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
            con.execute("ROLLBACK")
            raise
        return True

    def _insert_article(self, a: Article) -> None:
        ingested_at = datetime.now(timezone.utc).replace(tzinfo=None)
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
        self._insert(
            "entities",
            [(a.doc_id, e.id, e.name, e.type, e.actor, len(e.mentions)) for e in a.entities],
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
        self._insert("events", [event_row(a.doc_id, ev) for ev in a.events])

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

    def rows(self, sql: str, params: Sequence[Any] = ()) -> list[dict[str, Any]]:
        """Run a parameterized read query; each row as a column -> value dict."""
        cursor = self._con.execute(sql, list(params))
        names = [d[0] for d in cursor.description or ()]
        return [dict(zip(names, r, strict=True)) for r in cursor.fetchall()]


def root_code(code: str) -> str:
    """The CAMEO root (first two digits) of an event code: "0311" -> "03"."""
    return code[:2]


def event_row(doc_id: str, ev: Event) -> tuple[Any, ...]:
    """One ``events`` table row, in column order."""
    source, target, quantity = ev.source, ev.target, ev.quantity
    return (
        doc_id,
        ev.id,
        ev.code,
        root_code(ev.code),
        ev.label,
        ev.plover,
        ev.goldstein,
        ev.quad_class,
        source.entity if source else None,
        source.name if source else None,
        source.actor if source else None,
        target.entity if target else None,
        target.name if target else None,
        target.actor if target else None,
        ev.date,
        ev.date_basis,
        ev.location,
        quantity.value if quantity else None,
        quantity.unit if quantity else None,
        quantity.item if quantity else None,
        ev.modality,
        ev.attributed_to,
        ev.evidence.start,
        ev.evidence.end,
        ev.evidence.text,
        ev.trigger.start,
        ev.trigger.end,
        ev.trigger.text,
    )


def article_from_dict(d: dict[str, Any]) -> Article:
    """The ``Article`` whose ``to_dict()`` is ``d`` (a stored or JSON-read record)."""
    if d.get("schema") != SCHEMA_VERSION:
        raise ValueError(f"record schema {d.get('schema')!r} is not {SCHEMA_VERSION!r}")
    return _ARTICLE_ADAPTER.validate_python(d)


# pydantic builds the nested frozen dataclasses from the schema it also emits.
_ARTICLE_ADAPTER: TypeAdapter[Article] = TypeAdapter(Article)
