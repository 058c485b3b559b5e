"""The subcommands: each turns its parsed arguments into the library's
options, calls the library, and renders the result.

Per-file problems are reported on stderr as ``path: reason`` and make the exit
status 1; the rest of the batch still runs. The store, query and serving
modules (and duckdb) load only for the commands that use them.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from dataclasses import asdict
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from ..model import FileError, SkippedFile
from .render import actor_table, learned_table, plural, quote_line, render_article, render_timeline, resolved_lines

if TYPE_CHECKING:
    from ..corpus.resolve import ResolvedActor
    from ..corpus.store import Store

__all__ = [
    "cmd_actors",
    "cmd_bench",
    "cmd_eval",
    "cmd_export",
    "cmd_extract",
    "cmd_ingest",
    "cmd_load",
    "cmd_quotes",
    "cmd_recode",
    "cmd_report",
    "cmd_run",
    "cmd_serve",
    "cmd_timeline",
    "shard_folder",
]


def _report_error(err: FileError, out: TextIO) -> None:
    print(f"{err.path}: {err.reason}", file=out, flush=True)


class ShardFolder(str):
    """A ``--data DIR`` argument: a folder of Parquet shards, where ``--db`` names a store file."""

    __slots__ = ()


def shard_folder(value: str) -> ShardFolder:
    return ShardFolder(value)


def _open_store(db: str) -> Store:
    from ..corpus.store import Store, StoreError

    if isinstance(db, ShardFolder):
        from ..corpus.shards import ShardData

        return ShardData(db)
    if not Path(db).exists():
        raise StoreError(f"no store at {db} (run `eventwire ingest PATH... --db {db}` first)")
    try:
        return Store(db, read_only=True)
    except StoreError:
        from ..serve.handoff import find_server

        server = find_server(db)
        if server is None:
            raise
        server.close()
        raise StoreError(f"{db} is open in `eventwire serve` at {server.url}: ask its API, or stop it first") from None


# ---------------------------------------------------------------------------
# Analysis


def cmd_extract(args: argparse.Namespace) -> int:
    from ..extract.runner import analyse
    from ..ingest.readers import read_paths

    failed = False
    for item in analyse(read_paths(args.paths, published=args.published)):
        if isinstance(item, FileError):
            failed = failed or not isinstance(item, SkippedFile)
            _report_error(item, sys.stderr)
            continue
        sys.stdout.write(json.dumps(item.to_dict(), ensure_ascii=False) + "\n")
    sys.stdout.flush()
    return 1 if failed else 0


def cmd_ingest(args: argparse.Namespace) -> int:
    """``ingest``: in this process by default, or on a process pool or Ray
    (``--engine local|ray --workers N``); the driver is the only writer, or,
    while ``eventwire serve`` runs on the store, hands its articles to it."""
    from tqdm import tqdm

    from ..corpus.store import StoreError
    from ..scale.engines import run_corpus
    from ..serve.handoff import IngestTarget

    if args.workers is not None and args.workers < 1:
        print("ingest: --workers must be at least 1", file=sys.stderr)
        return 2
    if args.wait is not None and args.wait < 0:
        print("ingest: --wait must be 0 or more seconds", file=sys.stderr)
        return 2
    engine = args.engine or ("local" if args.workers is not None else "inline")
    from ..ingest.readers import count_documents

    # A total (hence an ETA) where the input's size is known without reading it.
    total = None if args.quiet else count_documents(args.paths)
    progress = tqdm(desc="ingest", unit=" article", total=total, file=sys.stderr, disable=args.quiet or None)

    def notice(line: str) -> None:
        progress.write(f"ingest: {line}", file=sys.stderr)

    try:
        target = IngestTarget(args.db, wait=args.wait, notice=notice)
    except StoreError as err:
        progress.close()
        print(f"ingest: {err}", file=sys.stderr)
        return 1
    with target:
        stats = run_corpus(
            args.paths,
            args.db,
            engine=engine,
            workers=args.workers or (1 if engine == "inline" else len(os.sched_getaffinity(0))),
            published=args.published,
            # The store does not care in which order articles arrive (each is its own
            # transaction, keyed by content hash): take batches as they finish.
            ordered=False,
            on_item=lambda _: progress.update(1),
            on_error=lambda err: progress.write(f"{err.path}: {err.reason}", file=sys.stderr),
            target=target,
        )
        via = f" via the server at {target.via}" if target.via else ""
    progress.close()
    skipped = f", {stats.skipped} skipped (listed above)" if stats.skipped else ""
    print(
        f"{stats.new} new, {stats.already} already stored, {stats.failed} failed{skipped} "
        f"({plural(stats.stored_total, 'article')} in {args.db}{via})"
    )
    return 1 if stats.failed else 0


def cmd_run(args: argparse.Namespace) -> int:
    """``run``: every input file to Parquet shards under ``--out``; a rerun
    skips the inputs already finished."""
    from tqdm import tqdm

    from ..scale.run import RunOptions, run_shards

    if args.workers is not None and args.workers < 1:
        print("run: --workers must be at least 1", file=sys.stderr)
        return 2
    workers = args.workers or len(os.sched_getaffinity(0))
    options = RunOptions(
        out=args.out, engine=args.engine, workers=workers, address=args.address, published=args.published
    )
    progress = tqdm(desc="run", unit=" input", file=sys.stderr, disable=args.quiet or None)
    try:
        summary = run_shards(
            args.paths, options,
            on_input=lambda _: progress.update(1),
            on_error=lambda line: progress.write(line, file=sys.stderr),
        )
    except ValueError as err:
        print(f"run: {err}", file=sys.stderr)
        return 2
    finally:
        progress.close()
    print(
        f"{summary.done} inputs done, {summary.skipped} already done, {summary.failed} failed: "
        f"{summary.articles} articles, {summary.parquet_bytes:,} bytes of Parquet in {args.out} "
        f"({summary.seconds:.1f} s, {summary.engine}, {summary.workers} workers)"
    )
    return 1 if summary.failed else 0


def cmd_load(args: argparse.Namespace) -> int:
    """``load``: the shards' articles into the store, deduplicated as ``ingest`` does."""
    from tqdm import tqdm

    from ..corpus.shards import load_shards
    from ..corpus.store import Store

    progress = tqdm(desc="load", unit=" article", file=sys.stderr, disable=args.quiet or None)
    with Store(args.db) as store:
        stats = load_shards(args.data, store, on_article=lambda _: progress.update(1))
        total = len(store)
    progress.close()
    print(
        f"{stats.new} new, {stats.already} already stored, from {stats.shards} shards "
        f"({total} articles in {args.db})"
    )
    return 0


# ---------------------------------------------------------------------------
# Reading the store


def cmd_timeline(args: argparse.Namespace) -> int:
    from ..corpus.query import goldstein_sum, timeline

    with _open_store(args.db) as store:
        a, b = _resolve_sides(store, [args.a, args.b], exact=args.exact)
        events = timeline(store, a, b, asserted_only=not args.all_modalities, start=args.start, end=args.end)
    if args.json:
        payload = {
            "a": args.a, "b": args.b, "resolved": {"a": asdict(a), "b": asdict(b)},
            "goldstein_sum": goldstein_sum(events), "events": [asdict(e) for e in events],
        }  # fmt: skip
        print(json.dumps(payload, ensure_ascii=False, indent=2))
    else:
        print(resolved_lines([a, b]) + "\n")
        print(render_timeline(events, args.a, args.b))
    return 0


def _resolve_sides(store: Store, args: list[str], *, exact: bool) -> list[ResolvedActor]:
    """Each actor argument resolved (``ActorQueryError`` for one naming nothing
    or several actors: ``main`` prints it with its candidates)."""
    from ..corpus.resolve import resolve_actor

    return [resolve_actor(store, arg, exact=exact) for arg in args]


def cmd_quotes(args: argparse.Namespace) -> int:
    from ..corpus.query import quotes

    with _open_store(args.db) as store:
        found = quotes(store, args.speaker)
    if args.json:
        print(json.dumps([asdict(q) for q in found], ensure_ascii=False, indent=2))
        return 0
    if not found:
        print("No quotes." if args.speaker is None else f"No quotes by {args.speaker}.")
        return 0
    for q in found:
        print(quote_line(q))
    return 0


def cmd_actors(args: argparse.Namespace) -> int:
    from ..corpus.query import actor_entries, actors

    with _open_store(args.db) as store:
        if args.learned:
            roles = store.learned_roles()
            print(json.dumps([asdict(r) for r in roles], ensure_ascii=False, indent=2) if args.json else learned_table(roles) or "No learned roles.")
            return 0
        if args.json:
            print(json.dumps([asdict(a) for a in actors(store)], ensure_ascii=False, indent=2))
            return 0
        entries = actor_entries(store)
    print(actor_table(entries) or "No actors.")
    return 0


def cmd_report(args: argparse.Namespace) -> int:
    from ..corpus.query import article_summaries, timeline

    with _open_store(args.db) as store:
        summaries = article_summaries(store)
        sections = [render_article(store.article(s.doc_id), s.main_actors) for s in summaries]
        a, b = _resolve_sides(store, list(args.dyad), exact=args.exact)
        dyad = timeline(store, a, b)
    print(f"# eventwire report: {plural(len(summaries), 'article')} ({args.db})\n")
    for section in sections:
        print(section + "\n")
    print(f"## Timeline {a.query} – {b.query} (asserted events, all articles)")
    print(resolved_lines([a, b]) + "\n")
    print(render_timeline(dyad, a.query, b.query))
    return 0


# ---------------------------------------------------------------------------
# Evaluation and benchmarks


def cmd_eval(args: argparse.Namespace) -> int:
    if args.gate or args.update_floors:
        from ..eval.gate import run_gate

        return run_gate(
            args.floors, [args.task] if args.task else None, args.limit, update=args.update_floors, allow_lower=args.allow_lower
        )
    if args.task is None:
        print("eval: name a TASK, or run every gated task with --gate", file=sys.stderr)
        return 2
    if args.floors or args.allow_lower:
        print("eval: --floors and --allow-lower go with --gate", file=sys.stderr)
        return 2
    from ..eval.runner import main_eval

    return main_eval(args.task, args.json, args.limit)


def cmd_bench(args: argparse.Namespace) -> int:
    if args.what == "serve":
        from ..bench.serve import DEFAULT_READS, BenchServeOptions, run_bench_serve

        return run_bench_serve(BenchServeOptions(reads=args.n or DEFAULT_READS, as_json=args.json))
    if args.what == "corpus":
        from ..bench.corpus import DEFAULT_EVENTS, DEFAULT_SHARD_EVENTS, BenchCorpusOptions, run_bench_corpus

        events = args.n or (DEFAULT_SHARD_EVENTS if args.shards else DEFAULT_EVENTS)
        options = BenchCorpusOptions(events=events, as_json=args.json, store_sizes=args.store_sizes or (), shards=args.shards)
        return run_bench_corpus(options)
    from ..bench.throughput import main_bench

    sizes = {
        name: getattr(args, name)
        for name in ("scale_n", "workers", "memory_from", "memory_n")
        if getattr(args, name) is not None
    }
    return main_bench(args.n or 200, args.json, with_ray=not args.no_ray, **sizes)


# ---------------------------------------------------------------------------
# Serving, exporting, re-coding


def cmd_serve(args: argparse.Namespace) -> int:
    from ..corpus.store import Store
    from ..serve.server import ServeOptions, run_server

    data = args.db if isinstance(args.db, ShardFolder) else None
    if data is None and args.db != ":memory:" and not Path(args.db).exists():
        Store(args.db).close()
        print(f"eventwire: created an empty store at {args.db} (add articles with `eventwire ingest PATH... "
              f"--db {args.db}`)", flush=True)  # fmt: skip
    options = ServeOptions(
        db=args.db, host=args.host, port=args.port, token=args.token,
        token_file=args.token_file, allow_hosts=tuple(args.allow_host or ()), data=data,
    )
    return run_server(options)


def cmd_export(args: argparse.Namespace) -> int:
    from ..corpus.export import ExportOptions, run_export

    options = ExportOptions(
        db=args.db, format=args.format, output=args.output or "-", start=args.start, end=args.end, actor=args.actor,
        exact=args.exact, asserted_only=not args.all_modalities, with_modality=args.with_modality,
    )  # fmt: skip
    return run_export(options)


def cmd_recode(args: argparse.Namespace) -> int:
    from ..corpus.recode import RecodeOptions, run_recode

    return run_recode(RecodeOptions(db=args.db))
