"""``eventwire run``: input files to Parquet shards, on a local process pool or Ray Data.

Each input file is one unit of work (CC-NEWS ships as WARC files of about a
gigabyte each): a worker reads it as a stream (``ingest.readers``), analyses
it in batches with the pipeline it loaded once (``engines.analyse_batch``),
adds the articles to a store of its own in a temporary file (``Store.add``:
the same dedup and identity rules as ``ingest``), writes every table of that
store as Parquet under ``DIR/<table>/<shard>.parquet`` and the input's bad
records to ``DIR/errors/<shard>.txt``, and then, last and atomically, the
input's manifest ``DIR/manifests/<shard>.json`` (``corpus.shards``).

So memory is bounded by one batch and the store's buffer per worker,
whatever the corpus size; workers share nothing but the output folder (on a
cluster, shared or object storage); and a run that was stopped or killed is
started again with the same command: inputs with a manifest are skipped,
the others are done again from the start, overwriting whatever they had
half-written.

Engines:

* ``inline``: this process, one input after the other (for tests and small jobs);
* ``local``: a pool of spawned processes, each loading the pipeline once;
* ``ray``: Ray Data streams the list of unfinished inputs through
  ``map_batches`` on an actor pool (``ActorPoolStrategy``), each actor
  loading the pipeline once; a local Ray instance unless ``address`` names a
  cluster. Progress bars and Ray Data's logs stay out of the console.
"""

from __future__ import annotations

import hashlib
import json
import logging
import multiprocessing
import os
import re
import tempfile
import time
import warnings
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any, Literal

from ..errors import describe_error
from ..model import CODER_VERSION, FileError, RawDocument
from .engines import DEFAULT_BATCH_SIZE, analyse_batch, batched, start_ray, start_worker

RunEngineName = Literal["inline", "local", "ray"]
RUN_ENGINES: tuple[RunEngineName, ...] = ("inline", "local", "ray")
STDIN_REASON = "eventwire run reads files, not stdin (a stopped run must be able to read its inputs again)"
_SHARD_STEM = re.compile(r"[^A-Za-z0-9._-]+")


@dataclass(frozen=True, slots=True)
class InputTask:
    """One input file, its shard name and its position among the run's inputs."""

    path: str
    shard: str
    position: int


@dataclass(frozen=True, slots=True)
class InputResult:
    """What a worker made of one input: the articles stored in its shard, its
    bad records (``errors``, each ``path: reason``), and whether it finished
    (its manifest was written)."""

    path: str
    shard: str
    articles: int
    errors: tuple[str, ...]
    seconds: float
    parquet_bytes: int
    finished: bool
    worker: int


@dataclass(frozen=True, slots=True)
class RunOptions:
    """Where the shards go and what runs the inputs."""

    out: str
    engine: str = "local"
    workers: int = 2
    address: str | None = None
    published: str | None = None
    batch_size: int = DEFAULT_BATCH_SIZE


@dataclass(frozen=True, slots=True)
class RunSummary:
    engine: str
    workers: int
    inputs: int  # input files named (after expanding folders and globs)
    done: int  # finished by this run
    skipped: int  # finished by an earlier run
    articles: int  # stored in this run's shards
    failed: int  # bad records and paths, and inputs that could not be finished
    parquet_bytes: int
    seconds: float
    input_seconds: float  # the workers' time on the inputs (their start-up left out)


def shard_name(path: str) -> str:
    """A stable, file-safe name for the shard of ``path``: its file name and a
    hash of its real path, so a restarted run finds the same shard."""
    digest = hashlib.sha256(os.path.realpath(path).encode("utf-8")).hexdigest()[:12]
    stem = _SHARD_STEM.sub("_", os.path.basename(path))[:60].strip("._") or "input"
    return f"{stem}-{digest}"


def plan_inputs(paths: Sequence[str]) -> tuple[list[InputTask], list[FileError]]:
    """The input files of ``paths`` (as ``ingest`` reads them), and the paths
    that name none."""
    from ..ingest.readers import input_files

    tasks: list[InputTask] = []
    errors: list[FileError] = []
    for item in input_files(paths):
        if isinstance(item, FileError):
            errors.append(item)
        elif item == "-":
            errors.append(FileError("-", STDIN_REASON))
        else:
            tasks.append(InputTask(item, shard_name(item), len(tasks)))
    return tasks, errors


# ---------------------------------------------------------------------------
# Worker side: one input file to its shards


def process_input(task: InputTask, out: str, published: str | None, batch_size: int) -> InputResult:
    """Analyse ``task``'s file into its shards and write its manifest; an
    error that stops the input (a full disk) is returned, not raised, and
    leaves no manifest, so the next run does the input again."""
    started = time.perf_counter()
    try:
        return _write_input(task, out, published, batch_size, started)
    except Exception as err:  # noqa: BLE001 - one input's failure must not stop the run
        return InputResult(
            task.path, task.shard, 0, (f"{task.path}: not finished: {describe_error(err)}",),
            round(time.perf_counter() - started, 3), 0, False, os.getpid(),
        )


def _write_input(task: InputTask, out: str, published: str | None, batch_size: int, started: float) -> InputResult:
    from ..corpus.shards import ERROR_DIR, Manifest, added_span, write_atomically, write_manifest, write_store_shards
    from ..corpus.store import Store
    from ..ingest.readers import read_paths

    errors: list[str] = []
    stored = 0

    def documents() -> Iterator[RawDocument]:
        for item in read_paths([task.path], published=published):
            if isinstance(item, FileError):
                errors.append(f"{item.path}: {item.reason}")
            else:
                yield item

    with tempfile.TemporaryDirectory(prefix="eventwire-shard-") as work, Store(Path(work) / "shard.duckdb") as store:
        for batch in batched(documents(), batch_size):
            for item in analyse_batch(batch).items:
                if isinstance(item, FileError):
                    errors.append(f"{item.path}: {item.reason}")
                    continue
                try:
                    stored += store.add(item)
                except Exception as err:  # noqa: BLE001 - the article is rolled back; go on with the rest
                    errors.append(f"{item.source.path or item.doc_id}: not stored: {describe_error(err)}")
        tables = write_store_shards(store, out, task.shard)
        first_added, last_added = added_span(store)
    error_file = Path(out) / ERROR_DIR / f"{task.shard}.txt"
    if errors:
        text = "".join(line + "\n" for line in errors)
        write_atomically(error_file, lambda p: p.write_text(text, encoding="utf-8"))
    else:
        error_file.unlink(missing_ok=True)  # an earlier, unfinished attempt's
    seconds = round(time.perf_counter() - started, 3)
    manifest = Manifest(
        input=task.path, shard=task.shard, position=task.position, articles=stored, failed=len(errors),
        seconds=seconds, tables=tables, errors=error_file.name if errors else None, coder_version=CODER_VERSION,
        first_added=first_added, last_added=last_added,
    )
    write_manifest(out, manifest)
    return InputResult(task.path, task.shard, stored, tuple(errors), seconds, manifest.parquet_bytes, True, os.getpid())


def ray_shard_writer(out: str, published: str | None, batch_size: int) -> type:
    """The Ray Data actor class: loads the pipeline once, then writes the
    shards of each input it is given (one per batch); its settings travel in
    its closure."""

    class ShardWriter:
        def __init__(self) -> None:
            start_worker()

        def __call__(self, batch: Any) -> Any:
            import pyarrow as pa

            results = [
                json.dumps(asdict(process_input(InputTask(**row), out, published, batch_size)))
                for row in batch.to_pylist()
            ]
            return pa.table({"result": results})

    return ShardWriter


# ---------------------------------------------------------------------------
# Driver side


def _run_inline(tasks: Sequence[InputTask], options: RunOptions) -> Iterator[InputResult]:
    for task in tasks:
        yield process_input(task, options.out, options.published, options.batch_size)


def _run_local(tasks: Sequence[InputTask], options: RunOptions) -> Iterator[InputResult]:
    context = multiprocessing.get_context("spawn")  # not forked: the driver may hold DuckDB threads
    with ProcessPoolExecutor(
        max_workers=min(options.workers, len(tasks)), mp_context=context, initializer=start_worker
    ) as pool:
        futures = [
            pool.submit(process_input, task, options.out, options.published, options.batch_size) for task in tasks
        ]
        for future in as_completed(futures):
            yield future.result()


def quiet_ray_data() -> None:
    """No progress bars, execution banners or statistics on the console."""
    from ray.data import DataContext

    with warnings.catch_warnings():
        # Ray 2.60's own defaults set fields it deprecates, which warns as the context is made.
        warnings.simplefilter("ignore", DeprecationWarning)
        context = DataContext.get_current()
    context.enable_progress_bars = False
    context.enable_operator_progress_bars = False
    context.print_on_execution_start = False
    context.verbose_stats_logs = False
    for name in ("ray", "ray.data"):
        logging.getLogger(name).setLevel(logging.ERROR)


def _run_ray(tasks: Sequence[InputTask], options: RunOptions) -> Iterator[InputResult]:
    import ray

    started_here = start_ray(num_cpus=None if options.address else options.workers, address=options.address)
    try:
        yield from _run_ray_data(tasks, options)
    finally:
        if started_here:
            ray.shutdown()


def _run_ray_data(tasks: Sequence[InputTask], options: RunOptions) -> Iterator[InputResult]:
    """The unfinished inputs as a Ray dataset streamed through the actor pool."""
    import ray.data

    quiet_ray_data()
    dataset = ray.data.from_items([asdict(t) for t in tasks], override_num_blocks=len(tasks))
    with warnings.catch_warnings():
        # Ray 2.60 names no parameter for ``max_restarts`` and deprecates the
        # keyword arguments it still takes.
        warnings.simplefilter("ignore", DeprecationWarning)
        results = dataset.map_batches(
            ray_shard_writer(options.out, options.published, options.batch_size),
            batch_size=1,
            batch_format="pyarrow",
            compute=ray.data.ActorPoolStrategy(size=min(options.workers, len(tasks))),
            num_cpus=1,
            # A lost actor is not restarted: a restartable one makes Ray print
            # an error line on the console at every run, and the run is
            # resumable anyway (the next run does its unfinished inputs again).
            max_restarts=0,
        )
    for row in results.iter_rows():
        fields = json.loads(row["result"])
        yield InputResult(**{**fields, "errors": tuple(fields["errors"])})


def _remove_leftovers(out: Path) -> None:
    """Temporary files of writes a killed run left half-done."""
    for leftover in out.glob("*/.*.tmp"):
        leftover.unlink(missing_ok=True)


def run_shards(
    paths: Sequence[str],
    options: RunOptions,
    *,
    on_input: Callable[[InputResult], None] | None = None,
    on_error: Callable[[str], None] | None = None,
) -> RunSummary:
    """Write the shards of every input of ``paths`` not finished yet under
    ``options.out``. ``on_input`` is called as each input ends; ``on_error``
    with each ``path: reason`` line (bad records, paths naming nothing,
    inputs that could not be finished)."""
    from ..corpus.shards import finished_shards

    if options.engine not in RUN_ENGINES:
        raise ValueError(f"unknown engine {options.engine!r} (choose from {', '.join(RUN_ENGINES)})")
    if options.workers < 1:
        raise ValueError("workers must be at least 1")
    if options.address and options.engine != "ray":
        raise ValueError("--address is for the ray engine")
    started = time.perf_counter()
    out = Path(options.out)
    out.mkdir(parents=True, exist_ok=True)
    _remove_leftovers(out)
    tasks, bad_paths = plan_inputs(paths)
    failed = 0
    for err in bad_paths:
        failed += 1
        if on_error is not None:
            on_error(f"{err.path}: {err.reason}")
    done_before = finished_shards(out)
    todo = [t for t in tasks if t.shard not in done_before]
    done = articles = parquet_bytes = 0
    input_seconds = 0.0
    if todo:
        run = {"inline": _run_inline, "local": _run_local, "ray": _run_ray}[options.engine]
        for result in run(todo, options):
            done += result.finished
            articles += result.articles
            parquet_bytes += result.parquet_bytes
            input_seconds += result.seconds
            failed += len(result.errors)
            if on_error is not None:
                for line in result.errors:
                    on_error(line)
            if on_input is not None:
                on_input(result)
    return RunSummary(
        engine=options.engine, workers=options.workers, inputs=len(tasks), done=done,
        skipped=len(tasks) - len(todo), articles=articles, failed=failed, parquet_bytes=parquet_bytes,
        seconds=round(time.perf_counter() - started, 3), input_seconds=round(input_seconds, 3),
    )
