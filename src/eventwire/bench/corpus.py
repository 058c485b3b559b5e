"""``eventwire bench corpus``: query times on a large synthetic store.

Builds a store of ``--n`` canonical events (default 1,000,000) with the real
schema (``Store`` creates it, indexes included), filled by DuckDB SQL rather
than Python loops, then organized as ``Store.reorganize`` does after any bulk
load (query columns derived, events sorted by dyad key): articles, actors with aliases, entities with codes and
labels, event reports (about 1.3 per event) and canonical events over 60
countries and six sectors, with a skewed (squared-uniform) choice of actors
so some dyads are large and most are small. Then it times, several runs each,
the queries an analyst asks — a dyad timeline (the full list for a typical
dyad, the first 1,000 events and the monthly series for the largest dyad) and
actor profiles — through the same ``eventwire.corpus.query`` functions the CLI and
API use. A benchmark, not a test: the figures depend on the machine.

It also gives the store's size per article: of the synthetic store, and,
with ``--store-sizes 2,1000,100000``, of stores of real-shaped articles
(``measure_store_sizes``): news-like articles made of gold-set sentences run
through the pipeline and stored with ``Store.add``, then, past the seeds,
copied by SQL under new ids, each copy's texts (article, record, mentions,
quotes, evidence) with letters swapped by a permutation of its own so DuckDB's
compression cannot share them across copies, and the store organized as after
any bulk load.
"""

from __future__ import annotations

import json
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from importlib import resources
from pathlib import Path
from typing import Any

from ..corpus import query
from ..corpus.identity import name_key
from ..corpus.store import Store

DEFAULT_EVENTS = 1_000_000
DEFAULT_SHARD_EVENTS = 10_000_000
DEFAULT_SHARDS = 20
SHARDS_TARGET_MS = 200.0
RUNS = 7
TARGET_MS = 100.0
_COUNTRIES = 60
_SECTORS = ("", "GOV", "MIL", "BUS", "OPP", "MED")
_ACTORS_PER_CODE = 4
_OUTLETS = 40


# How many real-shaped articles are analysed and stored one by one before
# larger stores are made of their copies.
SIZE_SEEDS = 20


@dataclass(frozen=True, slots=True)
class StoreSize:
    articles: int
    bytes: int
    bytes_per_article: int
    seeds: int  # articles analysed and stored one by one; the rest are their copies


@dataclass(frozen=True, slots=True)
class QueryTime:
    query: str
    rows: int
    median_ms: float
    max_ms: float
    first_ms: float  # the first (cold) run
    median_cpu_ms: float = 0.0  # CPU time of this process, its DuckDB threads included


def country_codes(n: int = _COUNTRIES) -> list[str]:
    import pycountry

    return sorted(c.alpha_3 for c in pycountry.countries)[:n]


def build_synthetic_store(path: str, n_events: int) -> dict[str, int]:
    """Fill a new store at ``path`` with ``n_events`` synthetic canonical
    events and everything they refer to; the row count of every table."""
    cameo = str(resources.files("eventwire.data").joinpath("cameo_codes.tsv"))
    n_articles = max(n_events // 4, 1)
    codes = [c + s for c in country_codes() for s in _SECTORS]
    n_actors = len(codes) * _ACTORS_PER_CODE
    with Store(path) as store:
        con = store.connection
        con.execute("BEGIN TRANSACTION")
        con.execute(
            f"""CREATE TEMP TABLE cameo AS
                SELECT row_number() OVER (ORDER BY code) - 1 AS i, code, name, goldstein::DOUBLE AS goldstein,
                       root_code, quad_class::INTEGER AS quad_class, nullif(plover_event, '') AS plover
                FROM read_csv('{cameo}', delim = '\t', header = true, all_varchar = true, quote = '')
                WHERE length(code) >= 3"""
        )
        con.execute(
            """CREATE TEMP TABLE codes AS
               SELECT i - 1 AS i, c AS code FROM unnest(?) WITH ORDINALITY AS t(c, i)""",
            [codes],
        )
        # Actor j has code j // _ACTORS_PER_CODE; persons for government codes, else organizations.
        con.execute(
            f"""CREATE TEMP TABLE syn_actors AS
                SELECT a.i, c.code,
                       CASE WHEN c.code LIKE '%GOV' THEN 'PERSON' ELSE 'ORG' END AS type,
                       'Synthetic Actor ' || a.i AS name
                FROM range({n_actors}) a(i) JOIN codes c ON c.i = a.i // {_ACTORS_PER_CODE}"""
        )
        con.execute(
            """INSERT INTO actors
               SELECT type || ':synthetic actor ' || i, name, type, 'synthetic actor ' || i,
                      CASE WHEN type = 'PERSON' THEN '' || i ELSE '' END, '', left(code, 3)
               FROM syn_actors"""
        )
        # Alias keys come from identity.name_key, as the store computes them (a
        # few thousand rows: Python is fine here).
        aliases = [
            (f"{type_}:synthetic actor {i}", alias, name_key(alias), n)
            for i, type_, name in con.execute("SELECT i, type, name FROM syn_actors ORDER BY i").fetchall()
            for alias, n in ((name, 10), (f"Actor {i}", 3))
        ]
        con.executemany("INSERT INTO actor_aliases VALUES (?, ?, ?, ?)", aliases)
        con.execute(
            f"""INSERT INTO articles
                SELECT 'syn' || i, 'Synthetic article ' || i,
                       strftime(DATE '2015-01-01' + (hash(i, 'pub') % 3650)::INTEGER, '%Y-%m-%d'), 'given',
                       NULL, 'https://outlet' || (i % {_OUTLETS}) || '.example/' || i, 'Outlet ' || (i % {_OUTLETS}),
                       'Synthetic text of article ' || i || '.', 'Synthetic text of article ' || i || '.',
                       '0.1.0', 'eventwire/1', TIMESTAMP '2026-01-01', '{{}}'
                FROM range({n_articles}) t(i)"""
        )
        # Skewed actor choice: squaring a uniform number favours low actor numbers.
        con.execute(
            f"""CREATE TEMP TABLE syn_events AS
                SELECT i,
                       floor({n_actors} * pow((hash(i, 's') % 1000003) / 1000003.0, 2))::INTEGER AS s,
                       floor({n_actors} * pow((hash(i, 't') % 1000003) / 1000003.0, 2))::INTEGER AS t,
                       (hash(i, 'c') % (SELECT count(*) FROM cameo))::INTEGER AS c,
                       DATE '2015-01-01' + (hash(i, 'd') % 3650)::INTEGER AS day,
                       (hash(i, 'a') % {n_articles})::INTEGER AS article,
                       1 + (hash(i, 'm') % 10 = 0)::INTEGER + (hash(i, 'm') % 10 < 3)::INTEGER AS reports
                FROM range({n_events}) r(i)"""
        )
        con.execute(
            """CREATE TEMP TABLE syn_rows AS
               SELECT e.i, e.day, e.article, e.reports, k.code, k.name AS label, k.plover, k.goldstein,
                      k.root_code, k.quad_class,
                      sa.code AS source_actor, sa.type || ':synthetic actor ' || sa.i AS source_actor_id,
                      sa.name AS source_name,
                      ta.code AS target_actor, ta.type || ':synthetic actor ' || ta.i AS target_actor_id,
                      ta.name AS target_name
               FROM syn_events e
               JOIN cameo k ON k.i = e.c
               JOIN syn_actors sa ON sa.i = e.s
               JOIN syn_actors ta ON ta.i = e.t"""
        )
        shared = """code, root_code, label, plover, goldstein, quad_class,
                    source_name, source_actor, source_actor_id, target_name, target_actor, target_actor_id,
                    'trigger' AS date_basis, NULL AS location, 'asserted' AS modality,
                    0 AS evidence_start, 40 AS evidence_end,
                    'Synthetic evidence sentence number ' || i || '.' AS evidence_text, (i % 3 = 0) AS is_root"""
        con.execute(
            f"""INSERT INTO events BY NAME
                SELECT 'syn' || article || ':' || i AS event_key, (hash(i) >> 4)::BIGINT AS gid,
                       'syn' || article AS doc_id, 'syn' || article || ':' || i AS event_id, day,
                       strftime(day, '%Y-%m-%d') AS date, reports AS num_mentions, reports AS num_articles,
                       reports AS num_sources, TIMESTAMP '2026-01-01' AS added, {shared}
                FROM syn_rows"""
        )
        con.execute(
            f"""INSERT INTO event_mentions BY NAME
                SELECT 'syn' || ((article + k * 7919) % {n_articles}) AS doc_id,
                       'syn' || article || ':' || i || CASE WHEN k = 0 THEN '' ELSE '/' || k END AS event_id,
                       'syn' || article || ':' || i AS event_key,
                       NULL AS source_entity, NULL AS target_entity, NULL AS quantity_value,
                       NULL AS quantity_unit, NULL AS quantity_item, NULL AS attributed_to,
                       0 AS trigger_start, 5 AS trigger_end, 'acted' AS trigger_text,
                       strftime(day, '%Y-%m-%d') AS date, {shared}
                FROM syn_rows, range(3) r(k) WHERE k < reports"""
        )
        # Every article names two actors, with an outlet's label now and then.
        con.execute(
            f"""INSERT INTO entities
                SELECT 'syn' || a.i, 'E' || k, sa.name, sa.type, sa.code, 1 + (hash(a.i, k) % 4)::INTEGER,
                       sa.type || ':synthetic actor ' || sa.i,
                       CASE WHEN hash(a.i, k, 'l') % 5 = 0 THEN ['leader'] ELSE [] END,
                       NULL, NULL
                FROM range({n_articles}) a(i), range(2) r(k)
                JOIN syn_actors sa ON sa.i = floor({n_actors} * pow((hash(a.i, k) % 1000003) / 1000003.0, 2))"""
        )
        for table in ("cameo", "codes", "syn_actors", "syn_events", "syn_rows"):
            con.execute(f"DROP TABLE {table}")
        con.execute("COMMIT")
        # The tables were written with SQL, not ``Store.add``: derive the query
        # columns (events' article title and date, side prefixes, dyad key;
        # entities' article date and outlet) and sort events, as the store does.
        store.reorganize()
        return store.table_counts()


def seed_articles(n: int) -> list[Any]:
    """``n`` news-like articles (10-20 gold-set sentences each, as ``bench
    pipeline`` makes them) with dates, URLs and outlets, analysed."""
    from ..extract.runner import extract_many
    from .throughput import gold_sentences, synthetic_articles

    items: list[dict[str, str | None]] = [
        {"text": text, "title": text.split(".")[0][:80], "published": f"2023-{1 + i % 12:02d}-{1 + i % 28:02d}",
         "url": f"https://outlet{i % _OUTLETS}.example/{i}", "outlet": f"Outlet {i % _OUTLETS}"}
        for i, text in enumerate(synthetic_articles(n, gold_sentences()))
    ]  # fmt: skip
    return list(extract_many(items))


def measure_store_sizes(sizes: list[int], seeds: list[Any] | None = None) -> list[StoreSize]:
    """The file size of a new store of each number of articles (see the module docstring)."""
    seeds = seeds if seeds is not None else seed_articles(min(max(sizes), SIZE_SEEDS))
    found = []
    with tempfile.TemporaryDirectory(prefix="eventwire-size-") as tmp:
        for n in sizes:
            path = Path(tmp) / f"size-{n}.duckdb"
            stored = min(n, len(seeds))
            with Store(path) as store:
                for article in seeds[:stored]:
                    store.add(article)
                total = _copy_articles(store, -(-n // stored)) if n > stored else stored
            size = path.stat().st_size
            found.append(StoreSize(total, size, round(size / total), stored))
            path.unlink()
    return found


# Tables with one row set per article, and their texts each copy varies.
_PER_ARTICLE: dict[str, tuple[str, ...]] = {
    "articles": ("text", "raw_text", "record"),
    "entities": (),
    "mentions": ("text",),
    "quotes": ("text",),
    "times": (),
    "event_mentions": ("evidence_text", "trigger_text"),
    "events": ("evidence_text",),
}
# Letters a copy's texts swap among themselves. Left out: JSON escape letters
# and hex digits (b f n r t u a-f), and the letters of null/true/false (l s),
# so a varied record is still valid JSON of the same length.
_VARIED_LETTERS = "ghijkmopqvwxyz"


def _copy_articles(store: Store, copies: int) -> int:
    """Make every stored article ``copies`` times as many (new doc_ids, event
    keys and ids; organize the store; the article count. Each copy's texts
    swap letters by a permutation of its own, so DuckDB's compression cannot
    share them with another copy's (it would shrink copies, not articles)."""
    import random

    con = store.connection
    rng = random.Random(0)
    perms = ["".join(rng.sample(_VARIED_LETTERS, len(_VARIED_LETTERS))) for _ in range(copies - 1)]
    suffix = "'~' || t.k"
    con.execute("BEGIN TRANSACTION")
    try:
        con.execute("CREATE TEMP TABLE copy_perms AS SELECT unnest(range(1, ?)) AS k, unnest(?::VARCHAR[]) AS p",
                    [copies, perms])  # fmt: skip
        for table, varied in _PER_ARTICLE.items():
            changed = [f"t.doc_id || {suffix} AS doc_id"]
            if table in ("events", "event_mentions"):
                changed.append(f"t.event_key || {suffix} AS event_key")
            if table == "events":
                changed.append("(hash(t.event_key, t.k) >> 2)::BIGINT AS gid")
            changed += [f"translate(t.{c}::VARCHAR, '{_VARIED_LETTERS}', t.p) AS {c}" for c in varied]
            con.execute(
                f"INSERT INTO {table} SELECT t.* EXCLUDE (k, p) REPLACE ({', '.join(changed)})"
                f" FROM (SELECT x.*, c.k, c.p FROM {table} x, copy_perms c) t"
            )
        con.execute("DROP TABLE copy_perms")
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        raise
    store.reorganize()
    return int(store.table_counts()["articles"])


def render_sizes(sizes: list[StoreSize]) -> str:
    lines = [f"{'articles':>9}  {'store bytes':>13}  {'bytes/article':>13}  how"]
    for z in sizes:
        how = "stored one by one" if z.seeds == z.articles else f"{z.seeds} stored, the rest copies of them"
        lines.append(f"{z.articles:>9,}  {z.bytes:>13,}  {z.bytes_per_article:>13,}  {how}")
    return "\n".join(lines)


def build_synthetic_shards(out: str | Path, n_events: int, n_shards: int = DEFAULT_SHARDS) -> dict[str, int]:
    """Write ``n_events`` synthetic canonical events as the events shards of
    ``n_shards`` inputs under ``out``, as ``eventwire run`` lays them out
    (every table, each input's events sorted by dyad key and day, a manifest
    per input), filled by DuckDB SQL: the events as ``build_synthetic_store``
    makes them, with the actors and their aliases in the first input. The
    rows of each table written."""
    from ..corpus.shards import Manifest, table_path, write_manifest, write_store_shards, write_table_shard

    cameo = str(resources.files("eventwire.data").joinpath("cameo_codes.tsv"))
    codes = [c + s for c in country_codes() for s in _SECTORS]
    n_actors = len(codes) * _ACTORS_PER_CODE
    per_shard = -(-n_events // n_shards)
    totals: dict[str, int] = {}
    with Store(":memory:") as store:
        con = store.connection
        con.execute(
            f"""CREATE TEMP TABLE cameo AS
                SELECT row_number() OVER (ORDER BY code) - 1 AS i, code, name AS label, goldstein::DOUBLE AS goldstein,
                       root_code, quad_class::INTEGER AS quad_class, nullif(plover_event, '') AS plover
                FROM read_csv('{cameo}', delim = '	', header = true, all_varchar = true, quote = '')
                WHERE length(code) >= 3"""
        )
        # Actor j has code j // _ACTORS_PER_CODE; persons for government codes, else organizations.
        con.execute(
            f"""CREATE TEMP TABLE syn_actors AS
                SELECT i, code, CASE WHEN code LIKE '%GOV' THEN 'PERSON' ELSE 'ORG' END AS type,
                       'Synthetic Actor ' || i AS name
                FROM (SELECT a.i, (?::VARCHAR[])[a.i // {_ACTORS_PER_CODE} + 1] AS code FROM range({n_actors}) a(i))""",
            [codes],
        )
        # The events' columns and types without the store's key and indexes,
        # which would cost more than the rows.
        con.execute("CREATE TEMP TABLE syn_shard_events AS SELECT * FROM events LIMIT 0")
        for k in range(n_shards):
            first, last = k * per_shard, min(n_events, (k + 1) * per_shard)
            if k == 0:
                con.execute(
                    """INSERT INTO actors SELECT type || ':synthetic actor ' || i, name, type, 'synthetic actor ' || i,
                              CASE WHEN type = 'PERSON' THEN '' || i ELSE '' END, '', left(code, 3) FROM syn_actors"""
                )
                aliases = [
                    (f"{type_}:synthetic actor {i}", name, name_key(name), 10)
                    for i, type_, name in con.execute("SELECT i, type, name FROM syn_actors ORDER BY i").fetchall()
                ]
                con.executemany("INSERT INTO actor_aliases VALUES (?, ?, ?, ?)", aliases)
            con.execute(
                f"""INSERT INTO syn_shard_events BY NAME
                    WITH e AS (
                        SELECT i,
                               floor({n_actors} * pow((hash(i, 's') % 1000003) / 1000003.0, 2))::INTEGER AS s,
                               floor({n_actors} * pow((hash(i, 't') % 1000003) / 1000003.0, 2))::INTEGER AS t,
                               (hash(i, 'c') % (SELECT count(*) FROM cameo))::INTEGER AS c,
                               DATE '2015-01-01' + (hash(i, 'd') % 3650)::INTEGER AS day,
                               (hash(i, 'a') % {max(n_events // 4, 1)})::INTEGER AS article,
                               1 + (hash(i, 'm') % 10 = 0)::INTEGER + (hash(i, 'm') % 10 < 3)::INTEGER AS reports
                        FROM range({first}, {last}) r(i)
                    )
                    SELECT 'syn' || article || ':' || e.i AS event_key, (hash(e.i) >> 4)::BIGINT AS gid,
                           'syn' || article AS doc_id, 'syn' || article || ':' || e.i AS event_id, day,
                           reports AS num_mentions, reports AS num_articles, reports AS num_sources,
                           TIMESTAMP '2026-01-01' AS added, k.code, k.root_code, k.label, k.plover, k.goldstein,
                           k.quad_class, sa.name AS source_name, sa.code AS source_actor,
                           sa.type || ':synthetic actor ' || sa.i AS source_actor_id, ta.name AS target_name,
                           ta.code AS target_actor, ta.type || ':synthetic actor ' || ta.i AS target_actor_id,
                           strftime(day, '%Y-%m-%d') AS date, 'trigger' AS date_basis, NULL AS location,
                           'asserted' AS modality, 0 AS evidence_start, 40 AS evidence_end,
                           'Synthetic evidence sentence number ' || e.i || '.' AS evidence_text, (e.i % 3 = 0) AS is_root,
                           NULL AS attributed_to, 'Synthetic article ' || article AS title,
                           strftime(day, '%Y-%m-%d') AS published, left(sa.code, 3) AS source_prefix,
                           left(ta.code, 3) AS target_prefix,
                           least(left(sa.code, 3), left(ta.code, 3)) || '|' || greatest(left(sa.code, 3), left(ta.code, 3))
                               AS dyad_key
                    FROM e JOIN cameo k ON k.i = e.c JOIN syn_actors sa ON sa.i = e.s JOIN syn_actors ta ON ta.i = e.t"""
            )
            shard = f"synthetic{k:04d}"
            tables = write_store_shards(store, out, shard)  # every table, the events still empty
            tables["events"] = write_table_shard(con, "syn_shard_events", table_path(out, "events", shard), "events")
            # Times of addition, as a run's manifests give them: the views then
            # lay the inputs' times end to end, as they do over real shards.
            added = "2026-01-01T00:00:00"
            write_manifest(out, Manifest(
                input=f"(synthetic input {k})", shard=shard, position=k, articles=0, failed=0, seconds=0.0,
                tables=tables, errors=None, coder_version="synthetic", first_added=added, last_added=added,
            ))
            for table, written in tables.items():
                totals[table] = totals.get(table, 0) + written["rows"]
            for table in ("syn_shard_events", "actors", "actor_aliases"):
                con.execute(f"DELETE FROM {table}")
    return totals


def time_query(name: str, run: Callable[[], Any], runs: int = RUNS) -> QueryTime:
    times: list[float] = []
    cpu_times: list[float] = []
    rows = 0
    for _ in range(runs):
        t0, c0 = time.perf_counter(), time.process_time()
        result = run()
        times.append((time.perf_counter() - t0) * 1000)
        cpu_times.append((time.process_time() - c0) * 1000)
        rows = len(result) if isinstance(result, list) else 1
    return QueryTime(
        name, rows, round(statistics.median(times), 1), round(max(times), 1), round(times[0], 1),
        round(statistics.median(cpu_times), 1),
    )


def _dyads(store: Store) -> tuple[tuple[str, str], tuple[str, str]]:
    """The largest dyad (by event count, country codes) and a typical one (the median)."""
    rows = store.rows(
        """SELECT left(source_actor, 3) AS a, left(target_actor, 3) AS b, count(*) AS n
           FROM events WHERE left(source_actor, 3) < left(target_actor, 3)
           GROUP BY 1, 2 ORDER BY n DESC, a, b"""
    )
    top, median = rows[0], rows[len(rows) // 2]
    return (top["a"], top["b"]), (median["a"], median["b"])


def _actors(store: Store) -> tuple[str, str]:
    """The most active actor id and a typical (median) one."""
    rows = store.rows(
        """SELECT source_actor_id AS id, count(*) AS n FROM events
           GROUP BY 1 ORDER BY n DESC, id"""
    )
    return rows[0]["id"], rows[len(rows) // 2]["id"]


def run_queries(store: Store) -> list[QueryTime]:
    (ta, tb), (ma, mb) = _dyads(store)
    top_actor, typical_actor = _actors(store)
    country = ta
    return [
        time_query(f"timeline {ma} {mb} (typical dyad, all events)", lambda: query.timeline(store, ma, mb)),
        time_query(f"timeline {ta} {tb} (largest dyad, first 1,000)", lambda: query.timeline(store, ta, tb, limit=1000)),
        time_query(f"dyad series {ta} {tb} by month (largest dyad)", lambda: query.dyad_series(store, ta, tb)),
        time_query(f"actor profile {top_actor} (most active actor)", lambda: query.actor_profile(store, top_actor)),
        time_query(f"actor profile {typical_actor} (typical actor)", lambda: query.actor_profile(store, typical_actor)),
        time_query(f"actor profile {country} (country code prefix)", lambda: query.actor_profile(store, country)),
        time_query("timeline by name 'Synthetic Actor 7' 'Actor 11'", lambda: query.timeline(store, "Synthetic Actor 7", "Actor 11")),
    ]


def render(counts: dict[str, int], build_s: float, timings: list[QueryTime], db: str) -> str:
    lines = [
        f"synthetic store {db}: " + ", ".join(f"{t} {n:,}" for t, n in counts.items()),
        f"built in {build_s:.1f} s",
        "",
        f"{'query':58}  {'rows':>6}  {'median ms':>9}  {'max ms':>7}  {'first ms':>8}",
    ]
    for t in timings:
        flag = "" if t.median_ms < TARGET_MS else f"  (over {TARGET_MS:.0f} ms target)"
        lines.append(f"{t.query:58}  {t.rows:>6}  {t.median_ms:>9.1f}  {t.max_ms:>7.1f}  {t.first_ms:>8.1f}{flag}")
    lines.append(f"\n{RUNS} runs per query; target: under {TARGET_MS:.0f} ms median for dyad timeline and actor profile")
    return "\n".join(lines)


@dataclass(frozen=True, slots=True)
class BenchCorpusOptions:
    """What ``eventwire bench corpus`` builds and times: a synthetic store of
    ``events`` events, at ``db`` (which must not exist yet; None: a temporary
    file), reported as text or, with ``as_json``, JSON."""

    events: int = DEFAULT_EVENTS
    db: str | None = None
    as_json: bool = False
    # Article counts whose store sizes ``measure_store_sizes`` reports instead.
    store_sizes: tuple[int, ...] = ()
    shards: bool = False  # Parquet shards read in place instead of a store


def run_store_sizes(sizes: tuple[int, ...], as_json: bool) -> int:
    """``eventwire bench corpus --store-sizes 2,1000,100000``."""
    found = measure_store_sizes(list(sizes))
    print(json.dumps([asdict(z) for z in found], indent=2) if as_json else render_sizes(found))
    return 0


def run_shard_queries(data: Store) -> list[QueryTime]:
    """Dyad timelines over shards read in place: the typical and the largest dyad."""
    (ta, tb), (ma, mb) = _dyads(data)
    return [
        time_query(f"timeline {ma} {mb} (typical dyad, all events)", lambda: query.timeline(data, ma, mb)),
        time_query(f"timeline {ta} {tb} (largest dyad, first 1,000)", lambda: query.timeline(data, ta, tb, limit=1000)),
    ]


def run_bench_shards(options: BenchCorpusOptions) -> int:
    """``eventwire bench corpus --shards``: build the shards, time the timelines."""
    from ..corpus.shards import ShardData

    n = options.events
    with tempfile.TemporaryDirectory(prefix="eventwire-bench-shards-") as tmp:
        t0 = time.perf_counter()
        counts = build_synthetic_shards(tmp, n)
        build_s = time.perf_counter() - t0
        size = sum(f.stat().st_size for f in Path(tmp).rglob("*.parquet"))
        t0 = time.perf_counter()
        with ShardData(tmp) as data:
            open_ms = (time.perf_counter() - t0) * 1000
            timings = run_shard_queries(data)
    if options.as_json:
        payload = {"events": n, "shards": DEFAULT_SHARDS, "tables": counts, "build_s": round(build_s, 2),
                   "parquet_bytes": size, "open_ms": round(open_ms, 1), "runs": RUNS,
                   "target_ms": SHARDS_TARGET_MS, "queries": [asdict(t) for t in timings]}
        print(json.dumps(payload, indent=2))
        return 0
    lines = [
        f"synthetic shards: {counts['events']:,} events in {DEFAULT_SHARDS} inputs' Parquet files, {size / 2**20:,.0f} MiB",
        f"built in {build_s:.1f} s; opened in place (DuckDB views) in {open_ms:.0f} ms",
        "",
        f"{'query':50}  {'rows':>6}  {'median ms':>9}  {'CPU ms':>6}  {'max ms':>7}  {'first ms':>8}",
    ]
    for t in timings:
        flag = "" if t.median_ms < SHARDS_TARGET_MS else f"  (over {SHARDS_TARGET_MS:.0f} ms target)"
        lines.append(
            f"{t.query:50}  {t.rows:>6}  {t.median_ms:>9.1f}  {t.median_cpu_ms:>6.1f}  {t.max_ms:>7.1f}"
            f"  {t.first_ms:>8.1f}{flag}"
        )
    lines.append(
        f"\n{RUNS} runs per query (CPU ms: median CPU time of this process, DuckDB's threads included);"
        f" target: under {SHARDS_TARGET_MS:.0f} ms median"
    )
    print("\n".join(lines))
    return 0


def run_bench_corpus(options: BenchCorpusOptions) -> int:
    if options.store_sizes:
        return run_store_sizes(options.store_sizes, options.as_json)
    if options.shards:
        return run_bench_shards(options)
    n = options.events
    given_db = options.db
    with tempfile.TemporaryDirectory(prefix="eventwire-bench-") as tmp:
        db = given_db or str(Path(tmp) / "corpus.duckdb")
        if Path(db).exists():
            print(f"eventwire: {db} exists; bench corpus builds a new store", file=sys.stderr)
            return 1
        t0 = time.perf_counter()
        counts = build_synthetic_store(db, n)
        build_s = time.perf_counter() - t0
        size = Path(db).stat().st_size
        with Store(db, read_only=True) as store:
            timings = run_queries(store)
    if options.as_json:
        payload = {"events": n, "tables": counts, "build_s": round(build_s, 2), "store_bytes": size, "runs": RUNS,
                   "target_ms": TARGET_MS, "queries": [asdict(t) for t in timings]}
        print(json.dumps(payload, indent=2))
    else:
        print(render(counts, build_s, timings, db if given_db else f"({n:,} events, temporary)"))
        print(f"store file: {size:,} bytes, {round(size / max(counts['articles'], 1)):,} per (synthetic) article")
    return 0
