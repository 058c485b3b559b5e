"""Scale: the same pipeline in this process, on a local process pool or on Ray.

Three engines run the unchanged analysis (``pipeline.analyse``: one article
in, one ``Article`` out, a failing batch retried article by article) on
batches of documents:

* ``inline``: this process, one batch at a time (plain ``eventwire ingest``);
* ``local``: a pool of spawned processes (``ProcessPoolExecutor``), each
  loading the spaCy pipeline once when it starts;
* ``ray``: one Ray actor per worker holding the pipeline; a local Ray instance
  (no dashboard, no network) unless an ``address`` names a cluster.

Both are driven by the same loop (``Engine.map_batches``): documents are read
lazily, at most ``BATCHES_IN_FLIGHT_PER_WORKER`` batches per worker are out at
once (memory stays bounded whatever the corpus size), and results come back in
input order or, with ``ordered=False``, as they finish. Workers never touch the
store: the driver process is its single writer (DuckDB allows one writing
process per file), and because a stored article is keyed by its content hash
(``doc_id``), a run that was killed can simply be started again: documents
already stored are skipped before analysis, none is stored twice.
"""

from __future__ import annotations

import contextlib
import logging
import multiprocessing
import os
import resource
import sys
import time
from collections import deque
from collections.abc import Callable, Collection, Iterable, Iterator, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from dataclasses import dataclass, replace
from pathlib import Path
from types import TracebackType
from typing import Any, Literal, Protocol, Self

from ..corpus.memory import learned_tables, taught_roles
from ..errors import describe_error
from ..extract.memory import NO_LEARNED_ROLES, LearnedRoles
from ..model import Article, FileError, LearnedRole, RawDocument, SkippedFile
from ..settings import SETTINGS_BY_ENV

EngineName = Literal["inline", "local", "ray"]
ENGINES: tuple[EngineName, ...] = ("inline", "local", "ray")
DEFAULT_BATCH_SIZE = 32
# Two batches per worker: one being analysed, one waiting, so a worker never
# idles while the driver stores the previous result.
BATCHES_IN_FLIGHT_PER_WORKER = 2
# A worker that has not loaded the model after this long is taken for dead.
WORKER_START_TIMEOUT_S = 600.0
WARM_UP_TEXT = "The minister said on Monday that the two countries signed an agreement in the capital."

Item = Article | FileError


class ArticleTarget(Protocol):
    """What ``run_corpus`` stores articles in: a ``Store``, or anything that
    answers the same three questions (``serve.handoff.IngestTarget``)."""

    def __contains__(self, doc_id: object) -> bool: ...

    def add(self, article: Article) -> bool: ...

    def __len__(self) -> int: ...

    def learned_roles(self) -> list[LearnedRole]: ...


@dataclass(frozen=True, slots=True)
class BatchResult:
    """One analysed batch, with the worker that did it and its memory so far."""

    items: tuple[Item, ...]
    worker: int  # process id
    peak_rss_mb: float


@dataclass(frozen=True, slots=True)
class RunStats:
    """What ``run_corpus`` did."""

    engine: str
    workers: int
    read: int  # documents read, skipped ones included
    new: int
    already: int  # already in the store (skipped before analysis, or stored meanwhile)
    failed: int  # unreadable files/lines and articles that could not be analysed or stored
    stored_total: int  # articles in the store afterwards
    seconds: float
    worker_peak_rss_mb: tuple[float, ...]  # per worker, highest first
    skipped: int = 0  # files of no article format found in a directory (``SkippedFile``)


def peak_rss_mb() -> float:
    """This process's peak resident memory so far, in MiB."""
    # On Linux ru_maxrss survives exec: a spawned worker would report its
    # parent's peak. VmHWM belongs to this process's own address space.
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    # ru_maxrss is in KiB on Linux (bytes on macOS).
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / (1024 * 1024) if sys.platform == "darwin" else peak / 1024


def batched(items: Iterable[RawDocument], size: int) -> Iterator[list[RawDocument]]:
    batch: list[RawDocument] = []
    for item in items:
        batch.append(item)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


# ---------------------------------------------------------------------------
# Worker side: the same code in a pool process and in a Ray actor


def start_worker() -> None:
    """Load the pipeline and run it once, so lazy tables and first-call costs
    are paid before the first real batch."""
    from ..extract.runner import extract

    extract(WARM_UP_TEXT, title="Warm-up")


def analyse_batch(docs: Sequence[RawDocument], learned: LearnedRoles = NO_LEARNED_ROLES) -> BatchResult:
    """Analyse one batch in this process, exactly as the single-process path
    does, with eventwire's dictionaries and the roles the store has learned.

    The parse runs inside a spaCy memory zone: strings and lexemes that the
    batch added to the vocabulary are freed afterwards, so a long-running
    worker does not grow with every new name it reads. Nothing spaCy-owned
    leaves the zone: the records are plain dataclasses of Python strings.
    """
    from ..extract import nlp
    from ..extract.runner import analyse
    from ..extract.tables import default_tables

    tables = replace(default_tables(), learned=learned) if learned else None
    with nlp.load().memory_zone():
        items = tuple(analyse(docs, batch_size=max(1, len(docs)), tables=tables))
    return BatchResult(items, os.getpid(), round(peak_rss_mb(), 1))


def _pool_worker_ready(ready: Any) -> None:
    start_worker()
    ready.put(os.getpid())


def _pool_ping() -> int:
    return os.getpid()


class _RayWorker:
    """A Ray actor: one process holding the pipeline."""

    def __init__(self) -> None:
        start_worker()

    def ready(self) -> int:
        return os.getpid()

    def analyse(self, docs: Sequence[RawDocument], learned: LearnedRoles) -> BatchResult:
        return analyse_batch(docs, learned)


# ---------------------------------------------------------------------------
# Engines


class Engine:
    """Workers with the pipeline loaded. Construction returns once every
    worker is ready; use as a context manager so they are always stopped."""

    name: str = ""
    workers: int = 0
    # The roles corpus memory has learned; batches submitted from now on are coded with them.
    learned: LearnedRoles = NO_LEARNED_ROLES

    def submit(self, batch: list[RawDocument]) -> Any:
        raise NotImplementedError

    def result(self, handle: Any) -> BatchResult:
        raise NotImplementedError

    def first_done(self, handles: Collection[Any]) -> Any:
        raise NotImplementedError

    def close(self) -> None:
        raise NotImplementedError

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    def map_batches(self, batches: Iterable[list[RawDocument]], ordered: bool = True) -> Iterator[BatchResult]:
        """Analyse ``batches`` on the workers, reading them lazily and keeping
        at most ``BATCHES_IN_FLIGHT_PER_WORKER`` per worker outstanding."""
        limit = self.workers * BATCHES_IN_FLIGHT_PER_WORKER
        window: deque[Any] = deque()
        for batch in batches:
            window.append(self.submit(batch))
            if len(window) >= limit:
                yield self.result(self._take(window, ordered))
        while window:
            yield self.result(self._take(window, ordered))

    def _take(self, window: deque[Any], ordered: bool) -> Any:
        if ordered:
            return window.popleft()
        done = self.first_done(window)
        window.remove(done)
        return done


class InlineEngine(Engine):
    """This process as the one worker: the pipeline runs where the store is
    written, one batch at a time (``eventwire ingest`` without ``--engine``)."""

    name = "inline"

    def __init__(self) -> None:
        self.workers = 1
        self.pids = (os.getpid(),)

    def submit(self, batch: list[RawDocument]) -> list[RawDocument]:
        return batch  # analysed when its result is asked for, so memory holds one batch

    def result(self, handle: list[RawDocument]) -> BatchResult:
        return analyse_batch(handle, self.learned)

    def first_done(self, handles: Collection[Any]) -> Any:
        return next(iter(handles))

    def close(self) -> None:
        pass


class LocalEngine(Engine):
    """A pool of spawned processes. Spawned, not forked: the driver holds an
    open DuckDB connection and its threads, which a fork would copy."""

    name = "local"

    def __init__(self, workers: int) -> None:
        if workers < 1:
            raise ValueError("workers must be at least 1")
        self.workers = workers
        context = multiprocessing.get_context("spawn")
        ready = context.Queue()
        self._pool = ProcessPoolExecutor(
            max_workers=workers, mp_context=context, initializer=_pool_worker_ready, initargs=(ready,)
        )
        try:
            # The pool starts one process per submission while none is idle:
            # one ping per worker starts them all; each reports once loaded.
            for _ in range(workers):
                self._pool.submit(_pool_ping)
            self.pids = tuple(sorted(ready.get(timeout=WORKER_START_TIMEOUT_S) for _ in range(workers)))
        except BaseException:
            self._pool.shutdown(wait=True, cancel_futures=True)
            raise

    def submit(self, batch: list[RawDocument]) -> Future[BatchResult]:
        return self._pool.submit(analyse_batch, batch, self.learned)

    def result(self, handle: Future[BatchResult]) -> BatchResult:
        return handle.result()

    def first_done(self, handles: Collection[Future[BatchResult]]) -> Future[BatchResult]:
        done, _ = wait(handles, return_when=FIRST_COMPLETED)
        return next(iter(done))

    def close(self) -> None:
        self._pool.shutdown(wait=True, cancel_futures=True)


def start_ray(num_cpus: int | None = None, address: str | None = None) -> bool:
    """Connect to Ray quietly; True when this call started it (and so should
    shut it down). Without ``address`` a local instance is started on
    127.0.0.1 with no dashboard and no usage reporting, so it needs no network."""
    ray_stats = SETTINGS_BY_ENV["RAY_USAGE_STATS_ENABLED"]
    os.environ.setdefault(ray_stats.env, ray_stats.default)
    import ray

    if ray.is_initialized():
        return False
    options: dict[str, Any] = {
        "include_dashboard": False,
        "log_to_driver": False,  # workers' console output stays out of the user's way
        "logging_level": logging.ERROR,
        "configure_logging": True,
    }
    if address:
        ray.init(address=address, **options)
    else:
        ray.init(num_cpus=num_cpus, _node_ip_address="127.0.0.1", **options)
    return True


class RayEngine(Engine):
    """One Ray actor per worker; batches go to the actor with the fewest outstanding."""

    name = "ray"

    def __init__(self, workers: int, address: str | None = None) -> None:
        if workers < 1:
            raise ValueError("workers must be at least 1")
        import ray

        self.workers = workers
        self._started = start_ray(num_cpus=workers, address=address)
        try:
            worker_class = ray.remote(num_cpus=1)(_RayWorker)
            self._actors: list[Any] = [worker_class.remote() for _ in range(workers)]
            self.pids = tuple(sorted(ray.get([a.ready.remote() for a in self._actors], timeout=WORKER_START_TIMEOUT_S)))
        except BaseException:
            self._stop()
            raise
        self._outstanding = [0] * workers
        self._owner: dict[Any, int] = {}

    def submit(self, batch: list[RawDocument]) -> Any:
        k = min(range(self.workers), key=self._outstanding.__getitem__)
        ref = self._actors[k].analyse.remote(batch, self.learned)
        self._outstanding[k] += 1
        self._owner[ref] = k
        return ref

    def result(self, handle: Any) -> BatchResult:
        import ray

        try:
            return ray.get(handle)
        finally:
            self._outstanding[self._owner.pop(handle)] -= 1

    def first_done(self, handles: Collection[Any]) -> Any:
        import ray

        ready, _ = ray.wait(list(handles), num_returns=1)
        return ready[0]

    def close(self) -> None:
        self._stop()

    def _stop(self) -> None:
        import ray

        for actor in getattr(self, "_actors", []):
            ray.kill(actor)
        self._actors = []
        if self._started:
            ray.shutdown()
            self._started = False


def open_engine(name: str, workers: int, *, address: str | None = None) -> Engine:
    if name == "inline":
        if address:
            raise ValueError("--address is for the ray engine")
        return InlineEngine()
    if name == "local":
        if address:
            raise ValueError("--address is for the ray engine")
        return LocalEngine(workers)
    if name == "ray":
        return RayEngine(workers, address=address)
    raise ValueError(f"unknown engine {name!r} (choose from {', '.join(ENGINES)})")


# ---------------------------------------------------------------------------
# A corpus into the store


def run_corpus(
    paths: Sequence[str],
    db: str | Path,
    *,
    engine: str = "local",
    workers: int = 2,
    batch_size: int = DEFAULT_BATCH_SIZE,
    resume: bool = True,
    ordered: bool = True,
    published: str | None = None,
    address: str | None = None,
    on_item: Callable[[Item | None], None] | None = None,
    on_error: Callable[[FileError], None] | None = None,
    target: ArticleTarget | None = None,
) -> RunStats:
    """Read ``paths`` (as ``ingest.read_paths``), analyse them on ``workers``
    workers of ``engine`` and store the articles in the DuckDB file ``db``.

    With ``resume`` (the default) documents whose doc_id is already stored are
    skipped before analysis, which makes a rerun after a crash finish the
    corpus without analysing or storing anything twice. ``on_item`` is called
    after each stored article or FileError, and with None for each skipped
    document (a progress hook); ``on_error`` gets every FileError, including
    articles that could not be stored. ``target`` takes the articles
    instead of the store at ``db`` opened here (the CLI passes one that may
    hand them to a running server, ``serve.handoff.IngestTarget``).
    """
    from ..corpus.store import Store
    from ..extract.runner import content_hash
    from ..ingest.readers import read_paths

    started = time.perf_counter()
    read = new = already = failed = skipped = 0
    peaks: dict[int, float] = {}

    def report(err: FileError) -> None:
        nonlocal failed, skipped
        if isinstance(err, SkippedFile):
            skipped += 1
        else:
            failed += 1
        if on_error is not None:
            on_error(err)
        if on_item is not None:
            on_item(err)

    with contextlib.ExitStack() as stack:
        store: ArticleTarget = target if target is not None else stack.enter_context(Store(db))

        def to_analyse() -> Iterator[RawDocument]:
            nonlocal read, already
            for item in read_paths(paths, published=published):
                if isinstance(item, FileError):
                    report(item)
                    continue
                read += 1
                if resume and content_hash(item.raw_text) in store:
                    already += 1
                    if on_item is not None:
                        on_item(None)
                    continue
                yield item

        with open_engine(engine, workers, address=address) as pool:
            pool.learned = learned_tables(store.learned_roles())
            for result in pool.map_batches(batched(to_analyse(), batch_size), ordered=ordered):
                peaks[result.worker] = max(peaks.get(result.worker, 0.0), result.peak_rss_mb)
                for item in result.items:
                    if isinstance(item, FileError):
                        report(item)
                        continue
                    try:
                        stored = store.add(item)
                    except Exception as err:  # noqa: BLE001 - the article is rolled back; go on with the rest
                        report(FileError(item.source.path or item.doc_id, f"not stored: {describe_error(err)}"))
                        continue
                    new += stored
                    already += not stored
                    if on_item is not None:
                        on_item(item)
                if any(isinstance(item, Article) and taught_roles(item) for item in result.items):
                    # Articles still to be submitted are coded with what these taught.
                    pool.learned = learned_tables(store.learned_roles())
        total = len(store)
    return RunStats(
        engine=engine,
        workers=workers,
        read=read,
        new=new,
        already=already,
        failed=failed,
        stored_total=total,
        seconds=round(time.perf_counter() - started, 3),
        worker_peak_rss_mb=tuple(sorted(peaks.values(), reverse=True)),
        skipped=skipped,
    )
