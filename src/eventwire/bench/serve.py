"""``eventwire bench serve``: the HTTP server under mixed load.

Builds a temporary store from the samples (``samples/articles.jsonl``),
starts a real ``eventwire serve`` process on 127.0.0.1 (token from a file),
and, after one warm-up write that loads the model, sends ``--n`` reads
(default 2,000) over the API's read routes from 12 connections while a 13th
sends 20 ``POST /api/articles`` of new articles one after another. Reports
read p50/p95/p99, write p50/p95/max and every error. Everything stays on
127.0.0.1 and is bounded in count and in time. A benchmark, not a test: the
figures depend on the machine (the target is 0 errors and write p95 <= 2 s).
"""

from __future__ import annotations

import json
import os
import secrets
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from ..corpus.store import Store
from ..settings import CHECKOUT_DIR

__all__ = ["DEFAULT_READS", "BenchServeOptions", "ServeFigures", "run_bench_serve"]

SAMPLES = CHECKOUT_DIR / "samples" / "articles.jsonl"
DEFAULT_READS = 2000
WRITE_P95_TARGET_S = 2.0
REQUEST_TIMEOUT_S = 60.0
START_TIMEOUT_S = 120.0


@dataclass(frozen=True, slots=True)
class BenchServeOptions:
    reads: int = DEFAULT_READS
    connections: int = 12
    posts: int = 20
    seconds: float = 600.0  # the whole load phase stops after this, done or not
    as_json: bool = False


@dataclass(slots=True)
class ServeFigures:
    reads: int = 0
    read_errors: int = 0
    writes: int = 0
    write_errors: int = 0
    writes_during_reads: int = 0
    read_ms: dict[str, float] = field(default_factory=dict)
    write_s: dict[str, float] = field(default_factory=dict)
    first_write_s: float = 0.0
    reads_per_s: float = 0.0
    seconds: float = 0.0
    errors: list[str] = field(default_factory=list)


def _percentile(values: list[float], q: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q / 100 * (len(ordered) - 1)))]


def _build_store(path: Path) -> list[dict[str, Any]]:
    from ..extract.runner import extract_many

    records = [json.loads(line) for line in SAMPLES.read_text(encoding="utf-8").splitlines() if line.strip()]
    with Store(path) as store:
        store.add_many(extract_many(records))
    return records


def _start_server(db: Path, token_file: Path) -> tuple[subprocess.Popen[str], str]:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    command = [sys.executable, "-m", "eventwire.cli.main", "serve", "--db", str(db), "--host", "127.0.0.1",
               "--port", str(port), "--token-file", str(token_file)]
    server = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    assert server.stdout is not None
    if "serving" not in server.stdout.readline():
        server.kill()
        raise RuntimeError("the server did not start")
    return server, f"http://127.0.0.1:{port}"


def _read_paths(client: Any) -> list[str]:
    """The read routes, with ids taken from the store."""
    doc_id = client.get("/api/articles?limit=1").json()[0]["doc_id"]
    event_key = client.get("/api/events?limit=1").json()["events"][0]["event_key"]
    return [
        "/healthz", "/api/events?limit=50", "/api/events?actor=RUS&limit=20", "/api/timeline?a=BLR&b=RUS",
        "/api/articles?limit=20", f"/api/articles/{doc_id}", f"/api/events/{event_key}", "/api/actors",
        "/api/actor-entries", "/api/quotes", "/api/quotes/speakers", "/api/search?q=minister",
    ]


def _new_article(records: list[dict[str, Any]], i: int, run: str) -> dict[str, str]:
    """A short new article (its own doc_id) from a sample's opening."""
    base = records[i % len(records)]
    opening = base["text"][:600].rsplit(".", 1)[0] + "."
    return {"text": f"{opening}\n\nOfficials met again on Friday for round {i} of the talks ({run}).",
            "title": f"Round {i}", "published": "2023-05-02"}


class _Load:
    """Shared counters of the load phase."""

    def __init__(self, options: BenchServeOptions, url: str, token: str) -> None:
        self.options, self.url, self.token = options, url, token
        self.lock = threading.Lock()
        self.issued = 0
        self.read_s: list[float] = []
        self.write_s: list[float] = []
        self.errors: list[str] = []
        self.read_errors = self.write_errors = self.writes_during_reads = 0
        self.reads_done = threading.Event()
        self.deadline = time.monotonic() + options.seconds

    def reader(self, paths: list[str]) -> None:
        import httpx

        with httpx.Client(base_url=self.url, timeout=REQUEST_TIMEOUT_S) as client:
            while time.monotonic() < self.deadline:
                with self.lock:
                    if self.issued >= self.options.reads:
                        return
                    n = self.issued
                    self.issued += 1
                path = paths[n % len(paths)]
                started = time.perf_counter()
                try:
                    ok = client.get(path).status_code == 200
                    why = "" if ok else "status"
                except httpx.HTTPError as err:
                    ok, why = False, repr(err)
                with self.lock:
                    self.read_s.append(time.perf_counter() - started)
                    if not ok:
                        self.read_errors += 1
                        self.errors.append(f"GET {path}: {why}")

    def writer(self, records: list[dict[str, Any]], run: str) -> None:
        import httpx

        headers = {"Authorization": f"Bearer {self.token}"}
        with httpx.Client(base_url=self.url, timeout=REQUEST_TIMEOUT_S) as client:
            for i in range(self.options.posts):
                if time.monotonic() >= self.deadline:
                    return
                during = not self.reads_done.is_set()
                started = time.perf_counter()
                try:
                    answer = client.post("/api/articles", json=_new_article(records, i, run), headers=headers)
                    ok, why = answer.status_code == 201, f"status {answer.status_code}"
                except httpx.HTTPError as err:
                    ok, why = False, repr(err)
                with self.lock:
                    self.write_s.append(time.perf_counter() - started)
                    self.writes_during_reads += during and not self.reads_done.is_set()
                    if not ok:
                        self.write_errors += 1
                        self.errors.append(f"POST /api/articles: {why}")


def _run_load(options: BenchServeOptions, url: str, token: str, records: list[dict[str, Any]]) -> ServeFigures:
    import httpx

    run = secrets.token_hex(4)
    with httpx.Client(base_url=url, timeout=START_TIMEOUT_S) as client:
        paths = _read_paths(client)
        started = time.perf_counter()  # the first write loads the model in the server
        client.post("/api/articles", json=_new_article(records, options.posts, run),
                    headers={"Authorization": f"Bearer {token}"}).raise_for_status()
        first_write = time.perf_counter() - started
    load = _Load(options, url, token)
    readers = [threading.Thread(target=load.reader, args=(paths,)) for _ in range(options.connections)]
    writer = threading.Thread(target=load.writer, args=(records, run))
    started = time.perf_counter()
    for thread in [writer, *readers]:
        thread.start()
    for thread in readers:
        thread.join()
    load.reads_done.set()
    read_seconds = time.perf_counter() - started
    writer.join()
    reads_ms = [s * 1000 for s in load.read_s]
    return ServeFigures(
        reads=len(load.read_s), read_errors=load.read_errors, writes=len(load.write_s), write_errors=load.write_errors,
        writes_during_reads=load.writes_during_reads,
        read_ms={f"p{q}": round(_percentile(reads_ms, q), 1) for q in (50, 95, 99)} | {"max": round(max(reads_ms, default=0), 1)},
        write_s={"p50": round(statistics.median(load.write_s), 3) if load.write_s else 0.0,
                 "p95": round(_percentile(load.write_s, 95), 3), "max": round(max(load.write_s, default=0), 3)},
        first_write_s=round(first_write, 2), reads_per_s=round(len(load.read_s) / read_seconds, 1),
        seconds=round(time.perf_counter() - started, 1), errors=load.errors[:20],
    )


def _render(figures: ServeFigures, options: BenchServeOptions, articles: int) -> str:
    r, w = figures.read_ms, figures.write_s
    verdict = "met" if figures.read_errors + figures.write_errors == 0 and w["p95"] <= WRITE_P95_TARGET_S else "NOT met"
    lines = [
        (f"eventwire bench serve: {figures.reads} reads from {options.connections} connections + {figures.writes} POSTs "
         f"on 127.0.0.1 (store of {articles} sample articles), {figures.seconds} s"),
        (f"  reads:  p50 {r['p50']} ms   p95 {r['p95']} ms   p99 {r['p99']} ms   max {r['max']} ms   "
         f"{figures.reads_per_s} reads/s   errors {figures.read_errors}"),
        (f"  writes: p50 {w['p50']} s   p95 {w['p95']} s   max {w['max']} s   errors {figures.write_errors}   "
         f"({figures.writes_during_reads} of {figures.writes} while the reads ran)"),
        f"  first write (the server loads the model): {figures.first_write_s} s",
        f"  target (0 errors, write p95 <= {WRITE_P95_TARGET_S:g} s): {verdict}",
    ]
    return "\n".join(lines + [f"  error: {e}" for e in figures.errors])


def run_bench_serve(options: BenchServeOptions) -> int:
    if not SAMPLES.exists():
        print(f"bench serve: the samples are not at {SAMPLES} (run it from a checkout)", file=sys.stderr)
        return 1
    with tempfile.TemporaryDirectory(prefix="eventwire-bench-serve-") as folder:
        db = Path(folder) / "bench.duckdb"
        records = _build_store(db)
        token = secrets.token_urlsafe(24)
        token_file = Path(folder) / "token"
        token_file.write_text(token + "\n", encoding="utf-8")
        os.chmod(token_file, 0o600)
        server, url = _start_server(db, token_file)
        try:
            figures = _run_load(options, url, token, records)
        finally:
            server.terminate()
            server.wait(timeout=60)
    if options.as_json:
        print(json.dumps(asdict(figures), indent=2))
    else:
        print(_render(figures, options, len(records)))
    return 0 if figures.read_errors + figures.write_errors == 0 else 1
