"""The ``eventwire`` argument parser: one sub-parser per command, each
option with its help text, each sub-parser naming its ``cmd_*`` function."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from ..model import CODER_VERSION, SCHEMA_VERSION
from ..settings import VERSION
from .commands import (
    cmd_actors,
    cmd_bench,
    cmd_eval,
    cmd_export,
    cmd_extract,
    cmd_ingest,
    cmd_load,
    cmd_quotes,
    cmd_recode,
    cmd_report,
    cmd_run,
    cmd_serve,
    cmd_timeline,
    shard_folder,
)

__all__ = ["DEFAULT_DB", "DEFAULT_DYAD", "build_parser"]

DEFAULT_DB = "eventwire.duckdb"
DEFAULT_DYAD = ("BLR", "RUS")

if TYPE_CHECKING:
    # What ``add_subparsers`` returns; argparse gives it no public name.
    _Subparsers = argparse._SubParsersAction[argparse.ArgumentParser]


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
    _add_extract(sub)
    _add_ingest(sub)
    _add_run(sub)
    _add_store_readers(sub)
    _add_eval(sub)
    _add_bench(sub)
    _add_serve(sub)
    _add_export(sub)
    _add_recode(sub)
    return parser


def _published_arg(value: str) -> str:
    from ..ingest.readers import validate_published

    try:
        return validate_published(value)
    except ValueError as err:
        raise argparse.ArgumentTypeError(str(err)) from err


def _db_option(p: argparse.ArgumentParser) -> None:
    p.add_argument("--db", default=DEFAULT_DB, help=f"store file (default {DEFAULT_DB})")


def _source_option(p: argparse.ArgumentParser) -> None:
    """--db STORE, or --data DIR: the Parquet shards of `eventwire run`, read in place."""
    source = p.add_mutually_exclusive_group()
    _db_option(source)  # type: ignore[arg-type]
    source.add_argument(
        "--data", dest="db", type=shard_folder, metavar="DIR",
        help="read the Parquet shards that `eventwire run` wrote to DIR instead of a store",
    )


def _published_option(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--published",
        type=_published_arg,
        metavar="YYYY-MM-DD",
        help="publication date for every article (overrides metadata)",
    )


def _json_option(p: argparse.ArgumentParser) -> None:
    p.add_argument("--json", action="store_true", help="JSON on stdout instead of text")


def _add_extract(sub: _Subparsers) -> None:
    p = sub.add_parser("extract", help="analyse articles, one JSON record per line on stdout")
    p.add_argument("paths", nargs="+", metavar="PATH", help="files, directories, globs, or - for stdin")
    _published_option(p)
    p.set_defaults(func=cmd_extract)


def _add_ingest(sub: _Subparsers) -> None:
    p = sub.add_parser("ingest", help="analyse articles into the store")
    p.add_argument("paths", nargs="+", metavar="PATH", help="files, directories, globs, or - for stdin")
    _db_option(p)
    _published_option(p)
    p.add_argument("-q", "--quiet", action="store_true", help="no progress bar")
    p.add_argument(
        "--engine",
        choices=("local", "ray"),
        default=None,
        help="analyse on a process pool (local) or Ray; default: this process only",
    )
    p.add_argument("--workers", type=int, default=None, metavar="N", help="workers (default: all cores)")
    p.set_defaults(func=cmd_ingest)


def _add_run(sub: _Subparsers) -> None:
    """run (inputs to Parquet shards) and load (shards into a store)."""
    p = sub.add_parser("run", help="analyse input files into Parquet shards (resumable; local pool or Ray)")
    p.add_argument("paths", nargs="+", metavar="INPUT", help="files, directories or globs")
    p.add_argument("--out", required=True, metavar="DIR", help="folder of the shards (made when missing)")
    p.add_argument("--engine", choices=("local", "ray"), default="local", help="process pool (default) or Ray Data")
    p.add_argument("--address", metavar="ADDR", help="Ray cluster to join (ray engine; default: a local Ray)")
    p.add_argument("--workers", type=int, default=None, metavar="N", help="workers (default: all cores)")
    _published_option(p)
    p.add_argument("-q", "--quiet", action="store_true", help="no progress bar")
    p.set_defaults(func=cmd_run)

    p = sub.add_parser("load", help="add the Parquet shards of `eventwire run` to a store")
    p.add_argument("data", metavar="DIR", help="the folder `eventwire run --out` wrote")
    _db_option(p)
    p.add_argument("-q", "--quiet", action="store_true", help="no progress bar")
    p.set_defaults(func=cmd_load)


def _add_store_readers(sub: _Subparsers) -> None:
    """timeline, quotes, actors, report."""
    p = sub.add_parser("timeline", help="events between two actors, in date order")
    p.add_argument("a", metavar="A", help="actor code prefix (BLR) or name")
    p.add_argument("b", metavar="B", help="actor code prefix (RUS) or name")
    _source_option(p)
    p.add_argument("--all-modalities", action="store_true", help="include negated, intended, hypothetical events")
    p.add_argument("--start", type=_published_arg, metavar="YYYY-MM-DD", help="events dated on or after (undated ones left out)")
    p.add_argument("--end", type=_published_arg, metavar="YYYY-MM-DD", help="events dated on or before (undated ones left out)")
    _json_option(p)
    p.set_defaults(func=cmd_timeline)

    p = sub.add_parser("quotes", help="stored quotes")
    p.add_argument("--speaker", metavar="NAME", help="speaker name or actor code prefix")
    _source_option(p)
    _json_option(p)
    p.set_defaults(func=cmd_quotes)

    p = sub.add_parser("actors", help="actors across the store")
    _source_option(p)
    _json_option(p)
    p.set_defaults(func=cmd_actors)

    p = sub.add_parser("report", help="readable summary of the store")
    _source_option(p)
    p.add_argument(
        "--dyad", nargs=2, metavar=("A", "B"), default=list(DEFAULT_DYAD),
        help=f"the dyad whose timeline ends the report (default {' '.join(DEFAULT_DYAD)})",
    )
    p.set_defaults(func=cmd_report)


def _add_eval(sub: _Subparsers) -> None:
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


def _add_bench(sub: _Subparsers) -> None:
    p = sub.add_parser("bench", help="throughput against bare spaCy; `bench corpus`: store query times")
    p.add_argument(
        "what", nargs="?", choices=("pipeline", "corpus"), default="pipeline",
        help="pipeline throughput (default) or query times on a synthetic store",
    )
    p.add_argument("--n", type=int, default=None, help="synthetic articles (pipeline, default 200) or events (corpus)")
    p.add_argument("--scale-n", type=int, help="articles per engine run (default 240; 0: skip)")
    p.add_argument("--workers", type=int, help="workers of the parallel runs (default 2)")
    p.add_argument("--memory-from", type=int, help="articles before the first memory reading (default 1,000)")
    p.add_argument("--memory-n", type=int, help="articles streamed for memory growth (default 20,000; 0: skip)")
    p.add_argument("--no-ray", action="store_true", help="leave the Ray engine out")
    p.add_argument(
        "--shards", action="store_true",
        help="corpus: time queries over Parquet shards read in place (default 10,000,000 events)",
    )
    _json_option(p)
    p.set_defaults(func=cmd_bench)


def _add_serve(sub: _Subparsers) -> None:
    p = sub.add_parser("serve", help="HTTP API and web page over the store")
    _source_option(p)
    p.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    p.add_argument("--port", type=int, default=8000, help="port to listen on (default 8000)")
    p.add_argument("--token", default=None, help="bearer token for write endpoints (default $EVENTWIRE_TOKEN)")
    p.set_defaults(func=cmd_serve)


def _add_export(sub: _Subparsers) -> None:
    p = sub.add_parser("export", help="events as GDELT 2.0 events/mentions, CSV, Parquet, PLOVER or JSONL")
    _db_option(p)
    p.add_argument(
        "--format", choices=("jsonl", "csv", "parquet", "gdelt", "gdelt-mentions", "plover"), default="jsonl",
        help="output format (default jsonl: one stored article record per line)",
    )
    p.add_argument("-o", "--output", default="-", help="file (default stdout; parquet needs one)")
    p.add_argument("--start", type=_published_arg, metavar="YYYY-MM-DD", help="events dated on or after")
    p.add_argument("--end", type=_published_arg, metavar="YYYY-MM-DD", help="events dated on or before")
    p.add_argument("--actor", metavar="CODE", help="events touching this actor code (prefix) or actor id")
    p.set_defaults(func=cmd_export)


def _add_recode(sub: _Subparsers) -> None:
    p = sub.add_parser("recode", help="re-extract stored articles coded by another coder version")
    _db_option(p)
    p.set_defaults(func=cmd_recode)
