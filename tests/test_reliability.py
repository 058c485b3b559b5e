"""Faults injected into ingest and the store (docs/reliability.md): bad
files, kill -9 mid-run, a locked store, a full disk, hostile inputs. Each test
is one row of the table there."""

from __future__ import annotations

import gzip
import json
import os
import resource
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from eventwire import ingest
from eventwire.model import FileError, RawDocument
from eventwire.repair import clean
from eventwire.store import Store

ROOT = Path(__file__).resolve().parents[1]
EVENTWIRE = [sys.executable, "-m", "eventwire.cli"] if not (Path(sys.executable).parent / "eventwire").exists() else [str(Path(sys.executable).parent / "eventwire")]


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
    run = subprocess.run(ingest_cmd(db, batch), capture_output=True, text=True, timeout=300)
    assert run.returncode == 1
    for name in ("empty.txt", "binary.txt", "latin.txt", "cut.jsonl.gz", "cut.warc.gz"):
        assert name in run.stderr, name
    assert "Traceback" not in run.stderr
    ids, _ = stored(db)
    # the two good articles and the whole lines before the cut of the gzip
    assert 2 < len(ids) < 40


@pytest.mark.slow
def test_kill_during_ingest_then_rerun_stores_every_article_once(tmp_path):
    records = short_articles(40)
    source = write_jsonl(tmp_path / "many.jsonl", records)
    db = tmp_path / "store.duckdb"
    proc = subprocess.Popen(ingest_cmd(db, source), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    # Kill it somewhere in the middle: after the model loaded, before the end.
    deadline = time.monotonic() + 120
    while proc.poll() is None and time.monotonic() < deadline:
        if db.exists() and db.stat().st_size > 1_000_000 or Path(f"{db}.wal").exists() and Path(f"{db}.wal").stat().st_size > 0:
            break
        time.sleep(0.05)
    time.sleep(0.5)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    ids, _ = stored(db)  # the store opens after the kill
    assert len(ids) == len(set(ids)) < len(records) or proc.returncode == 0
    rerun = subprocess.run(ingest_cmd(db, source), capture_output=True, text=True, timeout=300)
    assert rerun.returncode == 0, rerun.stderr
    ids, counts = stored(db)
    assert len(ids) == len(set(ids)) == len(records)
    # only whole articles: the tables hold exactly what one clean run stores
    assert counts == fresh_counts(tmp_path, records)


def test_locked_store_is_a_clear_error_and_changes_nothing(tmp_path):
    db = tmp_path / "store.duckdb"
    source = write_jsonl(tmp_path / "one.jsonl", short_articles(1))
    holder = subprocess.Popen(
        [sys.executable, "-c", f"from eventwire.store import Store; import time; s = Store({str(db)!r}); print('held', flush=True); time.sleep(60)"],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
        run = subprocess.run(ingest_cmd(db, source), capture_output=True, text=True, timeout=120)
    finally:
        holder.kill()
        holder.wait()
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
    full = subprocess.run(ingest_cmd(db, source), capture_output=True, text=True, timeout=300, preexec_fn=_small_file_limit)
    assert full.returncode == 1
    assert "not stored" in full.stderr
    ids, _ = stored(db)
    assert len(ids) < len(records)
    rerun = subprocess.run(ingest_cmd(db, source), capture_output=True, text=True, timeout=300)
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
    assert cleaned.text == word and not cleaned.repairs


def test_a_fifty_megabyte_jsonl_line_costs_only_that_line(tmp_path):
    path = tmp_path / "big.jsonl"
    with path.open("w", encoding="utf-8") as fh:
        fh.write(json.dumps({"text": "x" * (50 * 1024 * 1024)}) + "\n")
        fh.write(json.dumps({"text": "A short article."}) + "\n")
    err, doc = _read(path)
    assert isinstance(err, FileError) and "too long" in err.reason
    assert isinstance(doc, RawDocument) and doc.raw_text == "A short article."
    os.remove(path)
