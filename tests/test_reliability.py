"""Faults injected into ingest and the store (docs/reliability.md): bad
files, kill -9 mid-run, a locked store, a full disk, hostile inputs. Each test
is one row of the table there."""

from __future__ import annotations

import contextlib
import gzip
import json
import os
import re
import resource
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from eventwire.corpus.store import Store
from eventwire.extract.repair import clean
from eventwire.ingest import readers as ingest
from eventwire.model import FileError, RawDocument

ROOT = Path(__file__).resolve().parents[1]
EVENTWIRE = [sys.executable, "-m", "eventwire.cli.main"] if not (Path(sys.executable).parent / "eventwire").exists() else [str(Path(sys.executable).parent / "eventwire")]


@contextlib.contextmanager
def store_held_by_another_process(db: Path) -> Iterator[None]:
    """Another process holds the store open for writing (DuckDB's file lock) while the block runs."""
    holder = subprocess.Popen(
        [sys.executable, "-c", f"from eventwire.corpus.store import Store; import time; s = Store({str(db)!r}); print('held', flush=True); time.sleep(60)"],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
        yield
    finally:
        holder.kill()
        holder.wait()


def short_articles(n: int) -> list[dict[str, str]]:
    """``n`` distinct small articles (distinct texts, so distinct doc_ids)."""
    return [
        {
            "id": f"a{i}",
            "title": f"Ministers meet for round {i}",
            "text": f"The foreign ministers of Ruritania and Freedonia met on Thursday for round {i} of talks, officials said. "
            f'"We made progress in round {i}," the Ruritanian minister told reporters.',
        }
        for i in range(n)
    ]


def write_jsonl(path: Path, records: list[dict[str, str]]) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    return path


def ingest_cmd(db: Path, *paths: Path) -> list[str]:
    return [*EVENTWIRE, "ingest", *map(str, paths), "--db", str(db), "--quiet"]


def stored(db: Path) -> tuple[list[str], dict[str, int]]:
    with Store(db, read_only=True) as store:
        return store.doc_ids(), store.table_counts()


def fresh_counts(tmp_path: Path, records: list[dict[str, str]]) -> dict[str, int]:
    """Table counts of the same articles stored by one uninterrupted run."""
    import eventwire

    with Store(tmp_path / "reference.duckdb") as store:
        store.add_many(eventwire.extract_many(records))
        return store.table_counts()


def test_bad_files_are_reported_one_by_one_and_the_rest_is_stored(tmp_path):
    batch = tmp_path / "batch"
    batch.mkdir()
    write_jsonl(batch / "good.jsonl", short_articles(2))
    (batch / "empty.txt").write_bytes(b"")
    (batch / "binary.txt").write_bytes(bytes(range(256)) * 8)
    (batch / "latin.txt").write_bytes(b"\xff\xfe\xfa not text \x81\x8d" * 3)
    lines = "".join(json.dumps(r) + "\n" for r in short_articles(40)[2:]).encode()
    packed = gzip.compress(lines)
    (batch / "cut.jsonl.gz").write_bytes(packed[: len(packed) // 2])
    (batch / "cut.warc.gz").write_bytes(gzip.compress(b"WARC/1.1\r\nWARC-Type: response\r\nContent-Length: 9000\r\n\r\nHTTP/1.1 200"))
    db = tmp_path / "store.duckdb"
    run = subprocess.run(ingest_cmd(db, batch), check=False, capture_output=True, text=True, timeout=300)
    assert run.returncode == 1
    for name in ("empty.txt", "binary.txt", "latin.txt", "cut.jsonl.gz", "cut.warc.gz"):
        assert name in run.stderr, name
    assert "Traceback" not in run.stderr
    ids, _ = stored(db)
    # the two good articles and the whole lines before the cut of the gzip
    assert 2 < len(ids) < 40


@pytest.mark.slow
def test_kill_during_ingest_then_rerun_stores_every_article_once(tmp_path):
    records = short_articles(100)
    source = write_jsonl(tmp_path / "many.jsonl", records)
    db = tmp_path / "store.duckdb"
    proc = subprocess.Popen(ingest_cmd(db, source), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    # Kill it in the middle: as soon as the first articles reach the store.
    deadline = time.monotonic() + 120
    while proc.poll() is None and time.monotonic() < deadline:
        if db.exists() and db.stat().st_size > 1_000_000 or Path(f"{db}.wal").exists() and Path(f"{db}.wal").stat().st_size > 0:
            break
        time.sleep(0.02)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    # The kill must land while the ingest runs, or this test shows nothing.
    assert proc.returncode == -signal.SIGKILL
    ids, _ = stored(db)  # the store opens after the kill
    assert len(ids) == len(set(ids)) < len(records)
    rerun = subprocess.run(ingest_cmd(db, source), check=False, capture_output=True, text=True, timeout=300)
    assert rerun.returncode == 0, rerun.stderr
    ids, counts = stored(db)
    assert len(ids) == len(set(ids)) == len(records)
    # only whole articles: the tables hold exactly what one clean run stores
    assert counts == fresh_counts(tmp_path, records)


def test_locked_store_is_a_clear_error_and_changes_nothing(tmp_path):
    db = tmp_path / "store.duckdb"
    source = write_jsonl(tmp_path / "one.jsonl", short_articles(1))
    with store_held_by_another_process(db):
        run = subprocess.run(ingest_cmd(db, source), check=False, capture_output=True, text=True, timeout=120)
    assert run.returncode != 0
    assert "cannot open store" in run.stderr and "lock" in run.stderr
    assert "Traceback" not in run.stderr
    ids, _ = stored(db)
    assert ids == []


def _small_file_limit() -> None:
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a write past the limit fails with EFBIG instead
    resource.setrlimit(resource.RLIMIT_FSIZE, (40_000, 40_000))


@pytest.mark.slow
def test_disk_full_stores_no_half_article_and_a_rerun_completes(tmp_path):
    records = short_articles(20)
    source = write_jsonl(tmp_path / "twenty.jsonl", records)
    db = tmp_path / "store.duckdb"
    full = subprocess.run(ingest_cmd(db, source), check=False, capture_output=True, text=True, timeout=300, preexec_fn=_small_file_limit)
    assert full.returncode == 1
    assert "not stored" in full.stderr
    ids, _ = stored(db)
    assert len(ids) < len(records)
    rerun = subprocess.run(ingest_cmd(db, source), check=False, capture_output=True, text=True, timeout=300)
    assert rerun.returncode == 0, rerun.stderr
    ids, counts = stored(db)
    assert len(ids) == len(records)
    assert counts == fresh_counts(tmp_path, records)


def _read(path: Path) -> list[RawDocument | FileError]:
    return list(ingest.read_paths([str(path)]))


def test_hostile_files_give_a_clear_error_or_a_bounded_result(tmp_path):
    utf16 = tmp_path / "utf16.txt"
    utf16.write_bytes(("Ministers met on Thursday to talk about the border. " * 20).encode("utf-16-le"))
    nested = tmp_path / "nested.html"
    nested.write_text("<html><body>" + "<div>" * 100_000 + "<p>" + "Some words here. " * 20 + "</p>" + "</div>" * 100_000 + "</body></html>")
    zeros = tmp_path / "zeros.txt"
    zeros.write_bytes(bytes(4096))
    for path, fragment in [(utf16, "UTF-16 without a byte-order mark"), (nested, "no article text"), (zeros, "binary")]:
        (err,) = _read(path)
        assert isinstance(err, FileError) and fragment in err.reason, (path.name, err)


def test_a_one_megabyte_word_is_cleaned_without_splitting():
    word = "Ab" * 500_000
    cleaned = clean(RawDocument(raw_text=word))
    assert cleaned.text == word
    assert [(r.kind, r.start) for r in cleaned.repairs] == [("glued-words-skipped", len(word))]


def test_a_fifty_megabyte_jsonl_line_costs_only_that_line(tmp_path):
    path = tmp_path / "big.jsonl"
    with path.open("w", encoding="utf-8") as fh:
        fh.write(json.dumps({"text": "x" * (50 * 1024 * 1024)}) + "\n")
        fh.write(json.dumps({"text": "A short article."}) + "\n")
    err, doc = _read(path)
    assert isinstance(err, FileError) and "too long" in err.reason
    assert isinstance(doc, RawDocument) and doc.raw_text == "A short article."
    os.remove(path)


@pytest.mark.slow
def test_disk_full_reports_the_real_write_error(tmp_path):
    source = write_jsonl(tmp_path / "twenty.jsonl", short_articles(20))
    db = tmp_path / "store.duckdb"
    full = subprocess.run(ingest_cmd(db, source), check=False, capture_output=True, text=True, timeout=300, preexec_fn=_small_file_limit)
    reasons = [line for line in full.stderr.splitlines() if "not stored" in line]
    assert reasons, full.stderr
    assert not any("cannot rollback" in line for line in reasons), reasons[0]
    assert all(re.search(r"File too large|IO Error|No space", line, re.IGNORECASE) for line in reasons), reasons[0]


# --- the HTTP server -----------------------------------------------------------


def test_server_holds_the_store_and_another_writer_process_gets_a_clear_error(tmp_path, serve):
    """The server opens the store once and keeps it (docs/concurrency.md):
    another process that opens the file for writing itself (not through
    `eventwire ingest`, which hands its articles to the server) is refused by
    DuckDB's lock with a clear error, and the server keeps answering 200."""
    import httpx

    from eventwire.serve.app import create_app

    db = tmp_path / "store.duckdb"
    with Store(db) as store:
        store.add_many(__import__("eventwire").extract_many(short_articles(1)))
    url = serve(create_app(str(db)))
    other = subprocess.run(
        [sys.executable, "-c", f"from eventwire.corpus.store import Store; Store({str(db)!r})"],
        check=False, capture_output=True, text=True, timeout=60,
    )
    assert other.returncode != 0 and "cannot open store" in other.stderr and "lock" in other.stderr
    answer = httpx.get(f"{url}/api/articles", timeout=30)
    assert answer.status_code == 200 and len(answer.json()) == 1


def _free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.mark.slow
def test_server_killed_mid_request_leaves_whole_articles_and_a_retry_stores_once(tmp_path):
    import httpx
    import psutil

    db = tmp_path / "store.duckdb"
    Store(db).close()
    port = _free_port()
    command = [*EVENTWIRE, "serve", "--db", str(db), "--port", str(port), "--token", "s3cret"]
    body = {"text": short_articles(1)[0]["text"], "title": "Ministers meet"}
    headers = {"Authorization": "Bearer s3cret"}

    def start() -> subprocess.Popen:
        server = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
        assert server.stdout is not None and "serving" in server.stdout.readline()
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=5)
                return server
            except httpx.TransportError:
                time.sleep(0.1)
        raise RuntimeError("server did not start")

    server = start()
    children: list = []

    def kill_server() -> None:
        children.extend(psutil.Process(server.pid).children(recursive=True))
        server.kill()

    try:
        # The first write loads the model (seconds): kill -9 the server in the middle of it.
        with pytest.raises(httpx.TransportError):
            import threading

            threading.Timer(1.0, kill_server).start()
            httpx.post(f"http://127.0.0.1:{port}/api/articles", json=body, headers=headers, timeout=120)
    finally:
        server.kill()
        server.wait()
    # The pipeline process (and multiprocessing's helper) end with the server.
    assert children and psutil.wait_procs(children, timeout=30)[1] == []
    ids, counts = stored(db)  # the store opens and holds nothing half-written
    assert ids == [] and counts["articles"] == 0
    server = start()
    try:
        first = httpx.post(f"http://127.0.0.1:{port}/api/articles", json=body, headers=headers, timeout=120)
        second = httpx.post(f"http://127.0.0.1:{port}/api/articles", json=body, headers=headers, timeout=120)
    finally:
        server.kill()
        server.wait()
    assert first.status_code in (200, 201) and first.json()["stored"] is True
    assert second.json()["stored"] is False and second.json()["doc_id"] == first.json()["doc_id"]
    ids, _ = stored(db)
    assert len(ids) == 1


# --- pathological articles: bounded work or a clear error ----------------------


def test_a_million_tiny_paragraphs_is_refused_at_ingest_with_a_reason(tmp_path):
    path = tmp_path / "lines.txt"
    path.write_text("a\n\n" * 1_000_000)  # 3 MB, under the size cap
    (err,) = _read(path)
    assert isinstance(err, FileError) and "too many lines" in err.reason
    fine = tmp_path / "fine.txt"
    fine.write_text("Ministers met.\n" * ingest.MAX_ARTICLE_LINES)
    (doc,) = _read(fine)
    assert isinstance(doc, RawDocument)


def test_a_five_megabyte_line_without_spaces_is_analysed_in_bounded_chunks():
    import eventwire

    word = "Ab" * (2_500_000 - 10)
    article = eventwire.extract(word)
    assert article.text == word and not article.events


def test_an_article_past_the_time_limit_is_one_clear_error_and_the_batch_goes_on(monkeypatch):
    """A stage that stalls on one article (simulated: the event stage sleeps
    on it) costs that article only, with the reason; the others are analysed."""
    from eventwire.extract import events
    from eventwire.extract import runner as pipeline
    from eventwire.extract.runner import analyse

    real = events.extract

    def stalling(ctx, *args, **kwargs):
        if "stall" in ctx.text:
            time.sleep(30)
        return real(ctx, *args, **kwargs)

    monkeypatch.setattr(pipeline, "ARTICLE_SECONDS", 1.0)
    monkeypatch.setattr(events, "extract", stalling)
    docs = [pipeline.make_document(r["text"]) for r in short_articles(3)]
    docs.insert(1, pipeline.make_document("Ministers stall the talks in Geneva."))
    results = list(analyse(docs))
    errors = [r for r in results if isinstance(r, FileError)]
    assert len(errors) == 1 and "took longer than the limit of 1 s" in errors[0].reason
    assert sum(1 for r in results if not isinstance(r, FileError)) == 3
