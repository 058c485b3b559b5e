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


def _date_arg(value: str) -> str:
    """A ``--start``/``--end`` bound: a real date written YYYY-MM-DD."""
    from ..ingest.readers import validate_published

    try:
        return validate_published(value)
    except ValueError as err:
        raise argparse.ArgumentTypeError(f"{value!r} is not a real date written YYYY-MM-DD") from err


def _date_range_options(p: argparse.ArgumentParser, *, undated: str = "") -> None:
    p.add_argument("--start", type=_date_arg, metavar="YYYY-MM-DD", help=f"events dated on or after this day{undated}")
    p.add_argument("--end", type=_date_arg, metavar="YYYY-MM-DD", help=f"events dated on or before this day{undated}")


def _exact_option(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--exact", action="store_true",
        help="take each actor argument exactly: the code itself (BLR, not BLRGOV), one actor's id or full name; "
        "=ARG does the same for one argument",
    )


def _sizes_arg(value: str) -> tuple[int, ...]:
    try:
        sizes = tuple(int(part) for part in value.split(","))
    except ValueError as err:
        raise argparse.ArgumentTypeError(f"{value!r} is not a list of numbers such as 2,1000,100000") from err
    if not sizes or min(sizes) < 1:
        raise argparse.ArgumentTypeError("article counts must be at least 1")
    return sizes


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
    p.add_argument(
        "--wait", type=float, default=None, metavar="SECONDS",
        help="while another ingest writes the store, wait at most this long (default: until it ends; 0: fail at once)",
    )
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
    p = sub.add_parser(
        "timeline", help="events between two actors, in date order",
        description="Events between two actors, in either direction. A country's code or name (BLR, Belarus) "
        "includes every actor whose code starts with it (BLRGOV, BLRMIL, its leaders); =BLR or --exact asks "
        "for the code itself. A person's name means that person. An unknown or ambiguous argument exits 1 "
        "and lists candidates.",
    )  # fmt: skip
    p.add_argument("a", metavar="A", help="actor: code (BLR), country (Belarus), name (Zelensky) or actor id")
    p.add_argument("b", metavar="B", help="the other actor, written the same ways")
    _source_option(p)
    _exact_option(p)
    p.add_argument("--all-modalities", action="store_true", help="include negated, intended, hypothetical, requested, alleged and proposed events")
    _date_range_options(p, undated=" (undated events left out)")
    _json_option(p)
    p.set_defaults(func=cmd_timeline)

    p = sub.add_parser("quotes", help="stored quotes")
    p.add_argument("--speaker", metavar="NAME", help="speaker name or actor code prefix")
    _source_option(p)
    _json_option(p)
    p.set_defaults(func=cmd_quotes)

    p = sub.add_parser("actors", help="actors across the store")
    p.add_argument(
        "--learned",
        action="store_true",
        help="list the roles corpus memory learned for persons the dictionaries lack: code, dates valid, teaching article",
    )
    _source_option(p)
    _json_option(p)
    p.set_defaults(func=cmd_actors)

    p = sub.add_parser("report", help="readable summary of the store")
    _source_option(p)
    p.add_argument(
        "--dyad", nargs=2, metavar=("A", "B"), default=list(DEFAULT_DYAD),
        help=f"the dyad whose timeline ends the report (default {' '.join(DEFAULT_DYAD)})",
    )
    _exact_option(p)
    p.set_defaults(func=cmd_report)


def _add_eval(sub: _Subparsers) -> None:
    from ..eval.runner import TASKS

    p = sub.add_parser(
        "eval",
        help="score against gold data; --gate: hold the headline figures to floors.json",
        description="Score eventwire against gold data, each figure beside a baseline. Tasks: "
        f"{', '.join(TASKS)}. Exits 1 when an evaluation cannot run "
        "(an absent restricted data set is only named).",
    )
    p.add_argument(
        "task", metavar="TASK", nargs="?",
        help=f"what to score ({', '.join(TASKS)}); with --gate, gate only this task",
    )
    p.add_argument("--json", action="store_true", help="the scores as JSON on stdout")
    p.add_argument("--limit", type=int, default=None, help="documents per dataset (quick checks; default: all)")
    p.add_argument("--gate", action="store_true", help="fail (exit 1) when a headline figure is below its floor")
    p.add_argument("--floors", metavar="PATH", default=None, help="floors file (default ./floors.json)")
    p.add_argument(
        "--update-floors", action="store_true", help="with --gate: raise the floors to the current figures (never lowers)"
    )
    p.add_argument("--allow-lower", action="store_true", help="with --update-floors: also lower floors above their figures")
    p.set_defaults(func=cmd_eval)


def _add_bench(sub: _Subparsers) -> None:
    p = sub.add_parser(
        "bench", help="throughput against bare spaCy; `bench corpus`: store query times; `bench serve`: the server under load"
    )
    p.add_argument(
        "what", nargs="?", choices=("pipeline", "corpus", "serve"), default="pipeline",
        help="pipeline throughput (default), query times on a synthetic store, or reads and writes to a local server",
    )
    p.add_argument(
        "--n", type=int, default=None,
        help="synthetic articles (pipeline, default 200), events (corpus) or reads (serve, default 2,000)",
    )
    p.add_argument(
        "--store-sizes", type=_sizes_arg, metavar="N,N,...",
        help="corpus: report store bytes per article at these article counts (e.g. 2,1000,100000) instead",
    )
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
    p = sub.add_parser(
        "serve", help="HTTP API and web page over the store",
        description="Serve the HTTP API (/api, docs at /docs) and the web page (/) over the store; "
        "a store that does not exist yet is created empty.",
    )  # fmt: skip
    _source_option(p)
    p.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    p.add_argument("--port", type=int, default=8000, help="port to listen on (default 8000)")
    p.add_argument(
        "--token", default=None,
        help="bearer token for write endpoints (default $EVENTWIRE_TOKEN; without either the server is read-only; "
        "visible in ps: prefer --token-file)",
    )
    p.add_argument("--token-file", default=None, metavar="PATH", help="file whose first line is the bearer token (default: none)")
    p.add_argument(
        "--allow-host", action="append", metavar="NAME",
        help="a host name clients may use besides loopback names (repeatable); other Host headers get 421",
    )
    p.set_defaults(func=cmd_serve)


def _add_export(sub: _Subparsers) -> None:
    p = sub.add_parser(
        "export", help="events as GDELT 2.0 events/mentions, CSV, Parquet, PLOVER or JSONL",
        description="Export asserted events (--all-modalities: negated, intended, hypothetical, requested, alleged and proposed ones too). "
        "CSV, Parquet and PLOVER carry each event's modality; GDELT 2.0 has no column for it, so "
        "--with-modality appends it as an extra last column.",
    )  # fmt: skip
    _db_option(p)
    p.add_argument(
        "--format", choices=("jsonl", "csv", "parquet", "gdelt", "gdelt-mentions", "plover"), default="jsonl",
        help="output format (default jsonl: one stored article record per line)",
    )
    p.add_argument("-o", "--output", default="-", help="file (default stdout; parquet needs one)")
    _date_range_options(p)
    p.add_argument("--actor", metavar="ACTOR", help="events touching this actor: code (BLR), country, name or actor id")
    _exact_option(p)
    p.add_argument("--all-modalities", action="store_true", help="include negated, intended, hypothetical, requested, alleged and proposed events")
    p.add_argument(
        "--with-modality", action="store_true",
        help="gdelt: append the modality as an extra last column (not part of GDELT 2.0)",
    )
    p.set_defaults(func=cmd_export)


def _add_recode(sub: _Subparsers) -> None:
    p = sub.add_parser("recode", help="re-extract stored articles coded by another coder version")
    _db_option(p)
    p.set_defaults(func=cmd_recode)
