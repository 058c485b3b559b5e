"""Who may write a store: one process at a time, by a lock file beside it.

DuckDB lets one process open a file for writing and refuses every other
process at once. The writer lock (``STORE.writer.lock``, an OS file lock
through ``filelock``) is taken before that, by ``eventwire ingest`` for its
run and by ``eventwire serve`` for its life, so a second writer can wait its
turn instead of failing. The OS releases the lock when its holder dies, even
by ``kill -9``: a lock is never stale. See docs/concurrency.md.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

from filelock import FileLock, Timeout

from ..errors import StoreError

__all__ = ["WRITER_LOCK_SUFFIX", "WriterLock", "writer_lock_path"]

WRITER_LOCK_SUFFIX = ".writer.lock"
# How often a waiting writer looks again (and may check something else between).
POLL_SECONDS = 0.25


def writer_lock_path(db: str | Path) -> Path:
    return Path(f"{db}{WRITER_LOCK_SUFFIX}")


class WriterLock:
    """The writer lock of the store at ``db`` (not re-entrant)."""

    def __init__(self, db: str | Path) -> None:
        self.path = writer_lock_path(db)
        # Kept on release: removing it would let a waiter lock a file no longer
        # there while a newcomer creates and locks a new one.
        self._lock = FileLock(str(self.path), thread_local=False, preserve_lock_file=True)

    @property
    def held(self) -> bool:
        return self._lock.is_locked

    def try_acquire(self, seconds: float = 0.0) -> bool:
        """Take the lock within ``seconds``; False when another process holds it."""
        try:
            self._lock.acquire(timeout=max(seconds, 0.0), poll_interval=0.05)
        except Timeout:
            return False
        return True

    def acquire(self, wait: float | None, *, on_wait: Callable[[], None] | None = None,
                meanwhile: Callable[[], bool] | None = None) -> bool:
        """Take the lock, waiting at most ``wait`` seconds (None: as long as
        it takes). ``on_wait`` is called once if the lock is busy; between
        tries ``meanwhile`` may end the wait early by returning True (then
        the lock is not taken and the result is False). StoreError when the
        wait runs out."""
        deadline = None if wait is None else time.monotonic() + wait
        waited = False
        while True:
            if meanwhile is not None and meanwhile():
                return False
            if self.try_acquire(0.0 if wait == 0 else POLL_SECONDS):
                return True
            if deadline is not None and time.monotonic() >= deadline:
                raise StoreError(
                    f"another eventwire process is writing {self.path.name.removesuffix(WRITER_LOCK_SUFFIX)}; "
                    f"gave up after waiting {wait:g} s (--wait SECONDS to wait longer)"
                )
            if not waited and on_wait is not None:
                on_wait()
            waited = True

    def release(self) -> None:
        if self._lock.is_locked:
            self._lock.release(force=True)
