"""Store access for the routes: the store is opened once, when the app is
built, and every request borrows a handle on it.

Reads borrow one of a small pool of DuckDB cursors on the open database and
run inside a transaction, so each request reads one consistent snapshot
(taken at its first query).
Writes go through the one writer handle, one at a time (a lock); DuckDB's
MVCC keeps a write and the snapshots of concurrent reads apart, so a write
never waits for readers and readers never wait for a write (see
docs/concurrency.md). Nothing opens the file per request.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterator
from contextlib import contextmanager

import duckdb

from ..corpus.store import Store, StoreError
from .requests import error

__all__ = ["DEFAULT_READERS", "StoreAccess"]

log = logging.getLogger("eventwire.serve.access")

# Concurrent reads; more wait for a free cursor. DuckDB runs each query on
# its own threads as well, so a few cursors keep every core busy.
DEFAULT_READERS = 8
# What a client is told when the store cannot be read: no path, no PID (the
# server's log has the details).
UNAVAILABLE = "store unavailable; try again shortly"


class StoreAccess:
    """The store at ``db_path``, open for the app's life: ``writable`` opens
    it for writing (this process is then the store's one writer), else
    read-only (other processes may read it too)."""

    def __init__(self, db_path: str, *, writable: bool, readers: int = DEFAULT_READERS) -> None:
        self.db_path = db_path
        self.writable = writable
        self._root = Store(db_path, read_only=not writable)
        self._writer = self._root.cursor(read_only=False) if writable else None
        self._write_lock = threading.Lock()
        # The pipeline (spaCy) runs one article at a time.
        self.pipeline_lock = threading.Lock()
        self._pool_lock = threading.Lock()
        self._idle = [self._root.cursor() for _ in range(readers)]
        self._slots = threading.BoundedSemaphore(readers)
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

    def count(self) -> int:
        with self.read() as store:
            return len(store)

    def close(self) -> None:
        """Close every handle and the store (a writable one re-sorts its
        events first when due, see ``Store.close``)."""
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
