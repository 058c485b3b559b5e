"""``eventwire ingest`` while ``eventwire serve`` runs on the same store
(docs/concurrency.md): real processes, a real DuckDB file, reads over httpx
from 8 connections on 127.0.0.1 the whole time. Every article is stored
exactly once, no read fails, and ``kill -9`` of either side loses nothing."""

from __future__ import annotations

import json
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import pytest

from eventwire.corpus.store import Store
from eventwire.corpus.writer import WriterLock
from eventwire.serve.handoff import endpoint_path, find_server

EVENTWIRE = [sys.executable, "-m", "eventwire.cli.main"]
N_ARTICLES = 50
READERS = 8
# Bounds of the read loop: it stops at the first of these.
MAX_READS = 20_000
MAX_READ_SECONDS = 300
# Between two reads of one connection: steady load that leaves the 2-core test
# machine room for the ingest.
PAUSE_SECONDS = 0.1
READ_PATHS = ("/healthz", "/api/articles?limit=20", "/api/events?limit=20", "/api/actors", "/api/quotes", "/api/search?q=talks")


def articles(n: int, tag: str = "") -> list[dict[str, str]]:
    """``n`` distinct short articles of our own."""
    return [
        {"id": f"{tag}{i}", "title": f"Round {i} of talks{tag}",
         "text": f"The foreign ministers of Ruritania and Freedonia met on Thursday for round {i}{tag} of talks, officials said. "
                 f'"We made progress in round {i}," the Ruritanian minister told reporters.'}
        for i in range(n)
    ]


def write_jsonl(path: Path, records: list[dict[str, str]]) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    return path


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def running_server(db: Path) -> Iterator[tuple[subprocess.Popen[str], str]]:
    """``eventwire serve`` (read-only API, no token) on a free port, until its endpoint file is up."""
    port = _free_port()
    server = subprocess.Popen([*EVENTWIRE, "serve", "--db", str(db), "--port", str(port)],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        assert server.stdout is not None and "serving" in server.stdout.readline()
        assert find_server(db) is not None
        yield server, f"http://127.0.0.1:{port}"
    finally:
        if server.poll() is None:
            server.terminate()
        server.communicate(timeout=60)


@dataclass
class ReadLoop:
    """Reads from ``READERS`` connections until stopped (or its bounds)."""

    url: str
    stop: threading.Event = field(default_factory=threading.Event)
    ok: int = 0
    failed: list[str] = field(default_factory=list)

    def run(self, k: int) -> None:
        started = time.monotonic()
        with httpx.Client(base_url=self.url, timeout=60) as client:
            i = k
            while not self.stop.is_set() and self.ok + len(self.failed) < MAX_READS and time.monotonic() - started < MAX_READ_SECONDS:
                path = READ_PATHS[i % len(READ_PATHS)]
                i += 1
                try:
                    answer = client.get(path)
                except httpx.HTTPError as err:
                    self.failed.append(f"{path}: {err!r}")
                    continue
                if answer.status_code == 200:
                    self.ok += 1
                else:
                    self.failed.append(f"{path}: {answer.status_code} {answer.text[:200]}")
                time.sleep(PAUSE_SECONDS)

    @contextmanager
    def running(self) -> Iterator[ReadLoop]:
        threads = [threading.Thread(target=self.run, args=(k,)) for k in range(READERS)]
        for t in threads:
            t.start()
        try:
            yield self
        finally:
            self.stop.set()
            for t in threads:
                t.join(timeout=120)


def ingest(db: Path, source: Path, *extra: str) -> list[str]:
    return [*EVENTWIRE, "ingest", str(source), "--db", str(db), "--quiet", *extra]


def stored_ids(db: Path) -> list[str]:
    with Store(db, read_only=True) as store:
        return store.doc_ids()


def wait_for_articles(url: str, n: int, writer: subprocess.Popen[str]) -> None:
    deadline = time.monotonic() + 300
    while writer.poll() is None and time.monotonic() < deadline:
        if httpx.get(f"{url}/healthz", timeout=30).json()["articles"] >= n:
            return
        time.sleep(0.1)


@pytest.mark.slow
def test_ingest_while_serving_stores_every_article_once_and_every_read_answers(tmp_path):
    db = tmp_path / "store.duckdb"
    Store(db).close()
    source = write_jsonl(tmp_path / "fifty.jsonl", articles(N_ARTICLES))
    with running_server(db) as (_server, url), ReadLoop(url).running() as reads:
        run = subprocess.run(ingest(db, source), check=False, capture_output=True, text=True, timeout=600)
        assert run.returncode == 0, run.stderr
        assert f"{N_ARTICLES} new, 0 already stored, 0 failed" in run.stdout and f"via the server at {url}" in run.stdout
        assert httpx.get(f"{url}/healthz", timeout=30).json()["articles"] == N_ARTICLES
    assert reads.failed == [] and reads.ok > 0
    ids = stored_ids(db)
    assert len(ids) == len(set(ids)) == N_ARTICLES


@pytest.mark.slow
def test_ingest_killed_while_serving_then_rerun_stores_every_article_once(tmp_path):
    db = tmp_path / "store.duckdb"
    Store(db).close()
    source = write_jsonl(tmp_path / "fifty.jsonl", articles(N_ARTICLES))
    with running_server(db) as (_server, url), ReadLoop(url).running() as reads:
        writer = subprocess.Popen(ingest(db, source), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, text=True)
        wait_for_articles(url, 5, writer)
        writer.send_signal(signal.SIGKILL)
        writer.wait()
        assert writer.returncode == -signal.SIGKILL  # killed midway, not finished
        midway = httpx.get(f"{url}/healthz", timeout=30).json()["articles"]
        assert 0 < midway < N_ARTICLES
        rerun = subprocess.run(ingest(db, source), check=False, capture_output=True, text=True, timeout=600)
        assert rerun.returncode == 0, rerun.stderr
        assert httpx.get(f"{url}/healthz", timeout=30).json()["articles"] == N_ARTICLES
    assert reads.failed == [] and reads.ok > 0
    ids = stored_ids(db)
    assert len(ids) == len(set(ids)) == N_ARTICLES


@pytest.mark.slow
def test_server_killed_mid_ingest_the_ingest_goes_on_locally(tmp_path):
    db = tmp_path / "store.duckdb"
    Store(db).close()
    source = write_jsonl(tmp_path / "fifty.jsonl", articles(N_ARTICLES))
    with running_server(db) as (server, url):
        writer = subprocess.Popen(ingest(db, source), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        wait_for_articles(url, 5, writer)
        server.send_signal(signal.SIGKILL)
        out, err = writer.communicate(timeout=600)
    assert writer.returncode == 0, err
    assert "stopped; writing" in err and "0 failed" in out
    assert endpoint_path(db).exists() and find_server(db) is None  # the dead server's file is ignored
    ids = stored_ids(db)
    assert len(ids) == len(set(ids)) == N_ARTICLES


@pytest.mark.slow
def test_two_ingests_into_one_store_wait_for_each_other(tmp_path):
    db = tmp_path / "store.duckdb"
    sources = [write_jsonl(tmp_path / f"{tag}.jsonl", articles(n, tag)) for tag, n in (("a", 8), ("b", 4), ("c", 4))]
    other = WriterLock(db)  # another writer holds the store
    assert other.try_acquire()
    try:
        at_once = subprocess.run(ingest(db, sources[0], "--wait", "0"), check=False, capture_output=True, text=True, timeout=120)
        waiting = subprocess.Popen(ingest(db, sources[0], "--wait", "600"), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        assert waiting.stderr is not None and "waiting" in waiting.stderr.readline()
    finally:
        other.release()
    out, err = waiting.communicate(timeout=600)
    assert at_once.returncode == 1 and "another eventwire process is writing" in at_once.stderr
    assert "--wait" in at_once.stderr and "Traceback" not in at_once.stderr
    assert waiting.returncode == 0 and "8 new" in out, err
    # Two plain ingests started together: one waits for the other, both store everything.
    both = [subprocess.Popen(ingest(db, source), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for source in sources[1:]]
    for run in both:
        out, err = run.communicate(timeout=600)
        assert run.returncode == 0 and "4 new" in out, err
    ids = stored_ids(db)
    assert len(ids) == len(set(ids)) == 16
