"""Store access for the routes.

The store is opened per request, so ``eventwire ingest`` in another process
can write between requests (DuckDB allows one writer process). Inside this
process a readers-writer gate keeps the one write connection apart from the
read-only ones, which DuckDB will not mix on one file.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager

from ..corpus.shards import ShardData
from ..corpus.store import Store, StoreError
from .requests import error

__all__ = ["Gate", "StoreAccess"]


class Gate:
    """Many readers or one writer at a time, within this process."""

    def __init__(self) -> None:
        self._cond = threading.Condition()
        self._readers = 0
        self._writing = False

    @contextmanager
    def reading(self) -> Iterator[None]:
        with self._cond:
            self._cond.wait_for(lambda: not self._writing)
            self._readers += 1
        try:
            yield
        finally:
            with self._cond:
                self._readers -= 1
                self._cond.notify_all()

    @contextmanager
    def writing(self) -> Iterator[None]:
        with self._cond:
            self._cond.wait_for(lambda: not self._writing and self._readers == 0)
            self._writing = True
        try:
            yield
        finally:
            with self._cond:
                self._writing = False
                self._cond.notify_all()


class StoreAccess:
    """The store at ``db_path``, opened per request behind the gate; a store
    that cannot be opened is a 503. With ``data`` (a folder of Parquet shards)
    requests read the shards in place instead, and there is nothing to write."""

    def __init__(self, db_path: str, data: str | None = None) -> None:
        self.db_path = db_path
        self.data = data
        self.gate = Gate()
        # The pipeline (spaCy) runs one article at a time.
        self.pipeline_lock = threading.Lock()

    @contextmanager
    def read(self) -> Iterator[Store]:
        with self.gate.reading():
            try:
                store = ShardData(self.data) if self.data else Store(self.db_path, read_only=True)
            except StoreError as err:
                raise error(503, f"store unavailable: {err}") from err
            with store:
                yield store

    @contextmanager
    def write(self) -> Iterator[Store]:
        with self.gate.writing():
            try:
                store = Store(self.db_path)
            except StoreError as err:
                raise error(503, f"store unavailable: {err}") from err
            with store:
                yield store
