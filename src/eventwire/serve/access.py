"""Store access for the routes: the store is opened once, when the app is
built, and every request borrows a handle on it.

Reads borrow one of a small pool of DuckDB cursors on the open database and
run inside a transaction, so each request reads one consistent snapshot
(taken at its first query).
Writes go through the one writer handle, one at a time (a lock); DuckDB's
MVCC keeps a write and the snapshots of concurrent reads apart, so a write
never waits for readers and readers never wait for a write (see
docs/concurrency.md). Nothing opens the file per request. The pipeline of
``POST /api/articles`` runs in a process of its own (``pipeline``).
"""

from __future__ import annotations

import asyncio
import logging
import multiprocessing
import os
import threading
import time
from collections.abc import AsyncIterator, Iterator
from concurrent.futures import ProcessPoolExecutor
from contextlib import asynccontextmanager, contextmanager
from typing import Any

import duckdb

from ..corpus.shards import ShardData
from ..corpus.store import Store, StoreError
from .requests import error

__all__ = ["DEFAULT_READERS", "FairGate", "StoreAccess", "WritesFirst"]

log = logging.getLogger("eventwire.serve.access")

# Concurrent reads; more wait for a free cursor. DuckDB runs each query on
# its own threads as well, so a few cursors keep every core busy.
DEFAULT_READERS = 8
# What a client is told when the store cannot be read: no path, no PID (the
# server's log has the details).
UNAVAILABLE = "store unavailable; try again shortly"
# How often the pipeline process looks whether the server is still there.
PARENT_CHECK_SECONDS = 1.0


def exit_with_parent(parent: int) -> None:
    """In the pipeline process: end when the server is gone, even killed
    with ``kill -9`` (no orphan keeps the model in memory)."""

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(PARENT_CHECK_SECONDS)
        os._exit(0)

    threading.Thread(target=watch, name="exit-with-parent", daemon=True).start()


class FairGate:
    """Readers share; a writer has the gate alone, and a writer that waits
    goes ahead of readers who come after it (they wait for it), so a write
    waits at most for the reads already running. For the event loop: the
    requests wait without holding a thread."""

    def __init__(self) -> None:
        self._cond: asyncio.Condition | None = None
        self._readers = 0
        self._writers_waiting = 0
        self._writing = False

    def _condition(self) -> asyncio.Condition:
        if self._cond is None:  # made in the server's event loop, on first use
            self._cond = asyncio.Condition()
        return self._cond

    @asynccontextmanager
    async def reading(self) -> AsyncIterator[None]:
        cond = self._condition()
        async with cond:
            await cond.wait_for(lambda: not self._writing and self._writers_waiting == 0)
            self._readers += 1
        try:
            yield
        finally:
            async with cond:
                self._readers -= 1
                cond.notify_all()

    @asynccontextmanager
    async def writing(self) -> AsyncIterator[None]:
        cond = self._condition()
        async with cond:
            self._writers_waiting += 1
            try:
                await cond.wait_for(lambda: not self._writing and self._readers == 0)
            finally:
                self._writers_waiting -= 1
            self._writing = True
        try:
            yield
        finally:
            async with cond:
                self._writing = False
                cond.notify_all()


class WritesFirst:
    """ASGI middleware: each ``POST /api/articles`` (which runs the
    pipeline) has the server to itself once the requests already running are
    done, and reads that come meanwhile wait for it. Not for the store's sake
    (MVCC keeps reads and writes apart) but for the CPU's: a crowd of readers
    would otherwise slow the parse and the write down many times over, and
    the write's wait under read load would have no bound."""

    def __init__(self, app: Any, gate: FairGate) -> None:
        self.app = app
        self.gate = gate

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
        elif scope["method"] == "POST" and scope["path"] == "/api/articles":
            async with self.gate.writing():
                await self.app(scope, receive, send)
        elif scope["method"] in ("GET", "HEAD"):
            async with self.gate.reading():
                await self.app(scope, receive, send)
        else:
            await self.app(scope, receive, send)


class StoreAccess:
    """The store at ``db_path``, open for the app's life: ``writable`` opens
    it for writing (this process is then the store's one writer), else
    read-only (other processes may read it too). With ``data`` (a folder of
    ``eventwire run`` Parquet shards) requests read the shards in place
    instead, and there is nothing to write."""

    def __init__(self, db_path: str, *, writable: bool, readers: int = DEFAULT_READERS, data: str | None = None) -> None:
        self.db_path = db_path
        self.data = data
        self.writable = writable and data is None
        self._root = ShardData(data) if data is not None else Store(db_path, read_only=not self.writable)
        self._writer = self._root.cursor(read_only=False) if self.writable else None
        self._write_lock = threading.Lock()
        self._pipeline: ProcessPoolExecutor | None = None
        self._pipeline_lock = threading.Lock()
        self._pool_lock = threading.Lock()
        self._idle = [self._root.cursor() for _ in range(readers)]
        self._slots = threading.BoundedSemaphore(readers)
        # Used by ``WritesFirst`` around whole requests.
        self.gate = FairGate()
        self._closed = False

    @contextmanager
    def read(self) -> Iterator[Store]:
        """A handle reading one snapshot of the store."""
        with self._slots:
            handle = self._borrow()
            try:
                handle.connection.execute("BEGIN TRANSACTION")
            except duckdb.Error as err:
                self._discard(handle, err)
                raise error(503, UNAVAILABLE) from err
            try:
                yield handle
            finally:
                self._give_back(handle)

    @contextmanager
    def write(self) -> Iterator[Store]:
        """The writer handle, to this thread alone while the block runs."""
        if self._writer is None:
            raise error(403, "this server is read-only")
        with self._write_lock:
            yield self._writer

    def pipeline(self) -> ProcessPoolExecutor:
        """The process that runs the pipeline (spaCy) for ``POST
        /api/articles``, one article at a time, started on first use. In a
        process of its own, the parse does not share this process's
        interpreter lock with the readers' threads, so a write's wait under
        read load stays short; there the per-article time limit applies too."""
        with self._pipeline_lock:
            if self._pipeline is None:
                self._pipeline = ProcessPoolExecutor(
                    max_workers=1, mp_context=multiprocessing.get_context("spawn"),
                    initializer=exit_with_parent, initargs=(os.getpid(),),
                )
            return self._pipeline

    def restart_pipeline(self) -> None:
        """Drop a pipeline process that died; the next use starts another."""
        with self._pipeline_lock:
            if self._pipeline is not None:
                self._pipeline.shutdown(wait=False, cancel_futures=True)
                self._pipeline = None

    def count(self) -> int:
        with self.read() as store:
            return len(store)

    def close(self) -> None:
        """Close every handle and the store (a writable one re-sorts its
        events first when due, see ``Store.close``)."""
        self.restart_pipeline()
        with self._pool_lock:
            if self._closed:
                return
            self._closed = True
            for handle in self._idle:
                handle.close()
            self._idle.clear()
        with self._write_lock:
            if self._writer is not None:
                self._writer.close()
            self._root.close()

    def _borrow(self) -> Store:
        with self._pool_lock:
            if self._closed:
                raise error(503, UNAVAILABLE)
            if self._idle:
                return self._idle.pop()
            try:
                return self._root.cursor()
            except StoreError as err:
                log.error("cannot open a read handle: %s", err)
                raise error(503, UNAVAILABLE) from err

    def _give_back(self, handle: Store) -> None:
        try:
            handle.connection.execute("ROLLBACK")
        except duckdb.Error as err:
            self._discard(handle, err)
            return
        with self._pool_lock:
            if self._closed:
                handle.close()
            else:
                self._idle.append(handle)

    def _discard(self, handle: Store, err: duckdb.Error) -> None:
        """Drop a handle DuckDB refused; the next borrow opens a new one."""
        log.warning("dropped a read handle: %s", err)
        try:
            handle.close()
        except duckdb.Error:
            pass
