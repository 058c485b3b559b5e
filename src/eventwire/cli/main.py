"""The ``eventwire`` command line: a thin layer over the Python API.

Subcommands: extract, ingest, timeline, quotes, actors, report, eval, bench.
Per-file problems are reported on stderr as ``path: reason`` and make the exit
status 1; the rest of the batch still runs. Usage mistakes exit 2 (argparse).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
from collections.abc import Sequence
from dataclasses import asdict
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from ..model import CODER_VERSION, SCHEMA_VERSION, Article, FileError
from ..settings import VERSION

if TYPE_CHECKING:
    # The store and query modules (and duckdb) load only for commands that use them.
    from ..corpus.query import ActorEntry, ActorSummary, CodeSpan, TimelineEvent
    from ..corpus.store import Store

DEFAULT_DB = "eventwire.duckdb"
DEFAULT_DYAD = ("BLR", "RUS")
SNIPPET_CHARS = 90


# ---------------------------------------------------------------------------
# Small pure helpers


def snippet(text: str, limit: int = SNIPPET_CHARS) -> str:
    """``text`` on one line, cut to ``limit`` characters with an ellipsis."""
    flat = re.sub(r"\s+", " ", text).strip()
    return flat if len(flat) <= limit else flat[: limit - 1].rstrip() + "…"


_QUOTE_MARKS = "\"'“”„‟«»‘’‚‹›"


def quoted(text: str, limit: int = SNIPPET_CHARS) -> str:
    """A quotation as one line between curly quotes, whatever marks it came with."""
    return f"“{snippet(text.strip().strip(_QUOTE_MARKS).strip(), limit)}”"


def actor_label(name: str | None, code: str | None) -> str:
    if name and code:
        return f"{name} [{code}]"
    return name or (f"[{code}]" if code else "?")


def format_table(headers: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    """Left-aligned columns; the last column is never padded."""
    if not rows:
        return ""
    widths = [max(len(str(r[i])) for r in [headers, *rows]) for i in range(len(headers) - 1)]

    def line(cells: Sequence[str]) -> str:
        padded = [str(c).ljust(w) for c, w in zip(cells, widths, strict=False)]
        return "  ".join([*padded, str(cells[-1])]).rstrip()

    rule = "  ".join(["-" * w for w in widths] + ["-" * len(headers[-1])])
    return "\n".join([line(headers), rule, *(line(r) for r in rows)])


def _published_arg(value: str) -> str:
    from ..ingest.readers import validate_published

    try:
        return validate_published(value)
    except ValueError as err:
        raise argparse.ArgumentTypeError(str(err)) from err


def _report_error(err: FileError, out: TextIO) -> None:
    print(f"{err.path}: {err.reason}", file=out, flush=True)


# ---------------------------------------------------------------------------
# Subcommands


def cmd_extract(args: argparse.Namespace) -> int:
    from ..extract.runner import analyse
    from ..ingest.readers import read_paths

    failed = False
    for item in analyse(read_paths(args.paths, published=args.published)):
        if isinstance(item, FileError):
            failed = True
            _report_error(item, sys.stderr)
            continue
        sys.stdout.write(json.dumps(item.to_dict(), ensure_ascii=False) + "\n")
    sys.stdout.flush()
    return 1 if failed else 0


def cmd_ingest(args: argparse.Namespace) -> int:
    """``ingest``: in this process by default, or on a process pool or Ray
    (``--engine local|ray --workers N``); the driver is the only writer."""
    from tqdm import tqdm

    from ..scale.engines import run_corpus

    if args.workers is not None and args.workers < 1:
        print("ingest: --workers must be at least 1", file=sys.stderr)
        return 2
    engine = args.engine or ("local" if args.workers is not None else "inline")
    progress = tqdm(desc="ingest", unit=" article", file=sys.stderr, disable=args.quiet or None)
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
    )
    progress.close()
    print(
        f"{stats.new} new, {stats.already} already stored, {stats.failed} failed "
        f"({stats.stored_total} articles in {args.db})"
    )
    return 1 if stats.failed else 0


def _open_store(db: str) -> Store:
    from ..corpus.store import Store, StoreError

    if not Path(db).exists():
        raise StoreError(f"no store at {db} (run `eventwire ingest PATH... --db {db}` first)")
    return Store(db, read_only=True)


def _timeline_rows(events: Sequence[TimelineEvent]) -> list[list[str]]:
    return [
        [
            e.date or "?",
            f"{actor_label(e.source_name, e.source_actor)} → {actor_label(e.target_name, e.target_actor)}",
            e.code,
            e.label,
            f"{e.goldstein:+.1f}",
            e.modality,
            str(e.num_mentions),
            snippet(e.evidence),
        ]
        for e in events
    ]


def render_timeline(events: Sequence[TimelineEvent], a: str, b: str) -> str:
    from ..corpus.query import goldstein_sum

    if not events:
        return f"No events between {a} and {b}."
    table = format_table(
        ["date", "source → target", "code", "label", "goldstein", "modality", "reports", "evidence"],
        _timeline_rows(events),
    )
    return f"{table}\n\n{len(events)} events between {a} and {b}; Goldstein sum {goldstein_sum(events):+.1f}"


def cmd_timeline(args: argparse.Namespace) -> int:
    from ..corpus.query import goldstein_sum, timeline

    with _open_store(args.db) as store:
        events = timeline(
            store, args.a, args.b, asserted_only=not args.all_modalities, start=args.start, end=args.end
        )
    if args.json:
        payload = {"a": args.a, "b": args.b, "goldstein_sum": goldstein_sum(events), "events": [asdict(e) for e in events]}
        print(json.dumps(payload, ensure_ascii=False, indent=2))
    else:
        print(render_timeline(events, args.a, args.b))
    return 0


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
        speaker = actor_label(q.speaker_name, q.speaker_actor) if q.speaker_name else "(unattributed)"
        print(f"{q.published or '?'}  {speaker}: {quoted(q.text, 200)}")
    return 0


def _codes_over_time(entry: ActorEntry) -> str:
    def span(c: CodeSpan) -> str:
        if not c.first:
            return c.code
        return f"{c.code} {c.first}" if c.first == c.last else f"{c.code} {c.first}..{c.last}"

    return "; ".join(span(c) for c in entry.codes) or "-"


def _labels_by_outlet(entry: ActorEntry) -> str:
    by_outlet: dict[str, list[str]] = {}
    for label in entry.labels:
        by_outlet.setdefault(label.outlet, []).append(f"{label.label} ({label.n})")
    return "; ".join(f"{outlet}: {', '.join(labels)}" for outlet, labels in by_outlet.items()) or "-"


def cmd_actors(args: argparse.Namespace) -> int:
    from ..corpus.query import actor_entries, actors

    with _open_store(args.db) as store:
        if args.json:
            print(json.dumps([asdict(a) for a in actors(store)], ensure_ascii=False, indent=2))
            return 0
        entries = actor_entries(store)
    rows = [
        [
            e.name,
            _codes_over_time(e),
            e.type,
            str(e.mentions),
            str(e.articles),
            ", ".join(a.value for a in e.aliases if a.value != e.name) or "-",
            _labels_by_outlet(e),
        ]
        for e in entries
    ]
    headers = ["name", "codes over time", "type", "mentions", "articles", "aliases", "labels by outlet"]
    print(format_table(headers, rows) or "No actors.")
    return 0


def render_article(article: Article, main_actors: Sequence[ActorSummary]) -> str:
    lines = [f"## {article.title or '(untitled)'}"]
    basis = f" ({article.published_basis})" if article.published else ""
    lines.append(f"Published: {article.published or 'unknown'}{basis}")
    where = article.source.url or article.source.path
    if where:
        lines.append(f"Source: {where}")
    lines.append(f"Doc id: {article.doc_id}")
    if main_actors:
        lines.append("Main actors: " + ", ".join(f"{a.name} [{a.actor}]" for a in main_actors))
    lines.append("")
    lines.append(f"Quotes ({len(article.quotes)}):")
    for q in article.quotes:
        entity = article.entity(q.speaker) if q.speaker else None
        name = q.speaker_name or (entity.name if entity else None)
        speaker = actor_label(name, entity.actor if entity else None) if name else "(unattributed)"
        lines.append(f"  - {speaker}: {quoted(q.text, 160)}")
    lines.append("")
    lines.append(f"Events ({len(article.events)}):")
    for e in article.events:
        source = actor_label(e.source.name, e.source.actor) if e.source else "?"
        target = actor_label(e.target.name, e.target.actor) if e.target else "?"
        modality = "" if e.modality == "asserted" else f" [{e.modality}]"
        lines.append(f"  - {e.date or '?'}  {source} → {target}  {e.code} {e.label}{modality}")
        lines.append(f"      {quoted(e.evidence.text, 140)}")
    return "\n".join(lines)


def cmd_report(args: argparse.Namespace) -> int:
    from ..corpus.query import article_summaries, timeline

    a, b = args.dyad
    with _open_store(args.db) as store:
        summaries = article_summaries(store)
        sections = [render_article(store.article(s.doc_id), s.main_actors) for s in summaries]
        dyad = timeline(store, a, b)
    noun = "article" if len(summaries) == 1 else "articles"
    print(f"# eventwire report: {len(summaries)} {noun} ({args.db})\n")
    for section in sections:
        print(section + "\n")
    print(f"## Timeline {a} – {b} (asserted events, all articles)")
    print(render_timeline(dyad, a, b))
    return 0


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
    from ..eval.core import main_eval

    return main_eval(args.task, args.json, args.limit)


def cmd_bench(args: argparse.Namespace) -> int:
    if args.what == "corpus":
        from ..bench.corpus import main_bench_corpus

        return main_bench_corpus(args)
    from ..bench.throughput import main_bench

    sizes = {
        name: getattr(args, name)
        for name in ("scale_n", "workers", "memory_from", "memory_n")
        if getattr(args, name) is not None
    }
    return main_bench(args.n or 200, args.json, with_ray=not args.no_ray, **sizes)


def cmd_serve(args: argparse.Namespace) -> int:
    from ..serve.app import main_serve

    return main_serve(args)


def cmd_export(args: argparse.Namespace) -> int:
    from ..corpus.export import main_export

    return main_export(args)


def cmd_recode(args: argparse.Namespace) -> int:
    from ..corpus.recode import main_recode

    return main_recode(args)


# ---------------------------------------------------------------------------
# Parser


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="eventwire", description="Sourced political event data from news articles."
    )
    parser.add_argument(
        "--version",
        action="version",
        version=f"eventwire {VERSION} (record {SCHEMA_VERSION}, coder {CODER_VERSION})",
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def db_option(p: argparse.ArgumentParser) -> None:
        p.add_argument("--db", default=DEFAULT_DB, help=f"store file (default {DEFAULT_DB})")

    def published_option(p: argparse.ArgumentParser) -> None:
        p.add_argument(
            "--published",
            type=_published_arg,
            metavar="YYYY-MM-DD",
            help="publication date for every article (overrides metadata)",
        )

    p = sub.add_parser("extract", help="analyse articles, one JSON record per line on stdout")
    p.add_argument("paths", nargs="+", metavar="PATH", help="files, directories, globs, or - for stdin")
    published_option(p)
    p.set_defaults(func=cmd_extract)

    p = sub.add_parser("ingest", help="analyse articles into the store")
    p.add_argument("paths", nargs="+", metavar="PATH")
    db_option(p)
    published_option(p)
    p.add_argument("-q", "--quiet", action="store_true", help="no progress bar")
    p.add_argument(
        "--engine",
        choices=("local", "ray"),
        default=None,
        help="analyse on a process pool (local) or Ray; default: this process only",
    )
    p.add_argument("--workers", type=int, default=None, metavar="N", help="workers (default: all cores)")
    p.set_defaults(func=cmd_ingest)

    p = sub.add_parser("timeline", help="events between two actors, in date order")
    p.add_argument("a", metavar="A", help="actor code prefix (BLR) or name")
    p.add_argument("b", metavar="B", help="actor code prefix (RUS) or name")
    db_option(p)
    p.add_argument("--all-modalities", action="store_true", help="include negated, intended, hypothetical events")
    p.add_argument("--start", type=_published_arg, metavar="YYYY-MM-DD")
    p.add_argument("--end", type=_published_arg, metavar="YYYY-MM-DD")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_timeline)

    p = sub.add_parser("quotes", help="stored quotes")
    p.add_argument("--speaker", metavar="NAME", help="speaker name or actor code prefix")
    db_option(p)
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_quotes)

    p = sub.add_parser("actors", help="actors across the store")
    db_option(p)
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_actors)

    p = sub.add_parser("report", help="readable summary of the store")
    db_option(p)
    p.add_argument("--dyad", nargs=2, metavar=("A", "B"), default=list(DEFAULT_DYAD))
    p.set_defaults(func=cmd_report)

    p = sub.add_parser(
        "eval",
        help="score against gold data; --gate: hold the headline figures to floors.json",
        description="Score eventwire against gold data, each figure beside a baseline. Tasks: "
        "repair, ner, actors, coref, quotes, timex, events. Exits 1 when an evaluation cannot run "
        "(an absent restricted data set is only named).",
    )
    p.add_argument("task", metavar="TASK", nargs="?", help="what to score; with --gate, gate only this task")
    p.add_argument("--json", action="store_true")
    p.add_argument("--limit", type=int, default=None, help="documents per dataset (quick checks)")
    p.add_argument("--gate", action="store_true", help="fail (exit 1) when a headline figure is below its floor")
    p.add_argument("--floors", metavar="PATH", default=None, help="floors file (default ./floors.json)")
    p.add_argument(
        "--update-floors", action="store_true", help="with --gate: raise the floors to the current figures (never lowers)"
    )
    p.add_argument("--allow-lower", action="store_true", help="with --update-floors: also lower floors above their figures")
    p.set_defaults(func=cmd_eval)

    p = sub.add_parser("bench", help="throughput against bare spaCy; `bench corpus`: store query times")
    p.add_argument("what", nargs="?", choices=("pipeline", "corpus"), default="pipeline")
    p.add_argument("--n", type=int, default=None, help="synthetic articles (pipeline, default 200) or events (corpus)")
    p.add_argument("--scale-n", type=int, help="articles per engine run (default 240; 0: skip)")
    p.add_argument("--workers", type=int, help="workers of the parallel runs (default 2)")
    p.add_argument("--memory-from", type=int, help="articles before the first memory reading (default 1,000)")
    p.add_argument("--memory-n", type=int, help="articles streamed for memory growth (default 20,000; 0: skip)")
    p.add_argument("--no-ray", action="store_true", help="leave the Ray engine out")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_bench)

    p = sub.add_parser("serve", help="HTTP API and web page over the store")
    db_option(p)
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=8000)
    p.add_argument("--token", default=None, help="bearer token for write endpoints (default $EVENTWIRE_TOKEN)")
    p.set_defaults(func=cmd_serve)

    p = sub.add_parser("export", help="events as GDELT 2.0 events/mentions, CSV, Parquet, PLOVER or JSONL")
    db_option(p)
    p.add_argument(
        "--format", choices=("jsonl", "csv", "parquet", "gdelt", "gdelt-mentions", "plover"), default="jsonl"
    )
    p.add_argument("-o", "--output", default="-", help="file (default stdout; parquet needs one)")
    p.add_argument("--start", type=_published_arg, metavar="YYYY-MM-DD", help="events dated on or after")
    p.add_argument("--end", type=_published_arg, metavar="YYYY-MM-DD", help="events dated on or before")
    p.add_argument("--actor", metavar="CODE", help="events touching this actor code (prefix) or actor id")
    p.set_defaults(func=cmd_export)

    p = sub.add_parser("recode", help="re-extract stored articles coded by another coder version")
    db_option(p)
    p.set_defaults(func=cmd_recode)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    from ..corpus.store import StoreError

    args = build_parser().parse_args(argv)
    try:
        return int(args.func(args))
    except StoreError as err:
        print(f"eventwire: {err}", file=sys.stderr)
        return 1
    except BrokenPipeError:
        # The reader (e.g. `| head`) went away: not an error of ours. Point
        # stdout at /dev/null so the interpreter's final flush stays quiet.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 0
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
