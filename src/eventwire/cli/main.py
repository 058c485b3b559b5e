"""The ``eventwire`` command line: a thin layer over the Python API.

Subcommands: extract, ingest, run, load, timeline, quotes, actors, report, eval, bench,
serve, export, recode. The parser is in ``cli.parser``, the commands in
``cli.commands``, the text they print in ``cli.render``. Per-file problems
are reported on stderr as ``path: reason`` and make the exit status 1; the
rest of the batch still runs. Usage mistakes exit 2 (argparse).
"""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence

from ..errors import ActorQueryError
from .parser import build_parser

__all__ = ["main"]


def main(argv: Sequence[str] | None = None) -> int:
    from ..corpus.store import StoreError
    args = build_parser().parse_args(argv)
    try:
        return int(args.func(args))
    except StoreError as err:
        print(f"eventwire: {err}", file=sys.stderr)
        return 1
    except ActorQueryError as err:
        print(_actor_query_message(err), file=sys.stderr)
        return 1
    except BrokenPipeError:
        # The reader (e.g. `| head`) went away: not an error of ours. Point
        # stdout at /dev/null so the interpreter's final flush stays quiet.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 0
    except KeyboardInterrupt:
        return 130


def _actor_query_message(err: ActorQueryError) -> str:
    """An unknown or ambiguous actor argument and its candidates, one a line."""
    what = "matches no actor or code" if err.reason == "unknown" else "names several actors; say which"
    lines = [f"eventwire: {err.query!r} {what}"]
    if err.candidates:
        lines.append("candidates:")
        lines += [f"  {value}  ({label})" for value, label in err.candidates]
    lines.append("(`=ARG` or --exact asks for exactly that code, id or name)")
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
