"""``eventwire run``: each engine writes shards holding the records of
``ingest``; a run killed midway and started again finishes every input once;
bad records go to the input's error file."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import textwrap
from io import BytesIO
from pathlib import Path

import pytest

from eventwire.bench.throughput import gold_sentences
from eventwire.corpus.shards import ShardData, load_shards, read_manifests
from eventwire.corpus.store import DATA_TABLES, Store
from eventwire.scale.engines import run_corpus
from eventwire.scale.run import STDIN_REASON, RunOptions, plan_inputs, run_shards, shard_name

ROOT = Path(__file__).resolve().parents[2]
SAMPLES = [str(ROOT / "samples" / "articles.jsonl"), str(ROOT / "tests" / "data")]
TIMESTAMP_COLUMNS = ("ingested_at", "added")


def paragraphs(n: int, sentences: int, offset: int) -> list[str]:
    pool = gold_sentences()
    return [" ".join(pool[offset + k * sentences : offset + (k + 1) * sentences]) for k in range(n)]


def write_warc(path: Path) -> None:
    """Two HTML pages and an image record (skipped by the reader)."""
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    with path.open("wb") as fh:
        writer = WARCWriter(fh, gzip=True)
        for k, body in enumerate(paragraphs(2, 5, offset=40)):
            html = (f"<html><head><title>Talks, day {k + 1}</title></head><body><article><h1>Talks, day {k + 1}</h1>"
                    f"<p>{body}</p></article></body></html>").encode()
            headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1")
            writer.write_record(writer.create_warc_record(
                f"https://wire.example.org/{k}", "response", payload=BytesIO(html), http_headers=headers
            ))
        image = StatusAndHeaders("200 OK", [("Content-Type", "image/png")], protocol="HTTP/1.1")
        writer.write_record(writer.create_warc_record(
            "https://wire.example.org/a.png", "response", payload=BytesIO(b"\x89PNG...."), http_headers=image
        ))


def table_rows(store: Store, table: str) -> list[tuple]:
    columns = [r["column_name"] for r in store.rows(f"SELECT column_name FROM (DESCRIBE {table})")]
    kept = ", ".join(c for c in columns if c not in TIMESTAMP_COLUMNS)
    return [tuple(r.values()) for r in store.rows(f"SELECT {kept} FROM {table} ORDER BY ALL")]


def records(store: Store) -> dict[str, dict]:
    return {doc_id: store.article(doc_id).to_dict() for doc_id in store.doc_ids()}


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> list[str]:
    warc = tmp_path_factory.mktemp("warc") / "wire.warc.gz"
    write_warc(warc)
    return [*SAMPLES, str(warc)]


@pytest.fixture(scope="module")
def ingested(corpus, tmp_path_factory) -> Path:
    """A direct `ingest` of the corpus, in this process."""
    db = tmp_path_factory.mktemp("ingest") / "ingest.duckdb"
    stats = run_corpus(corpus, db, engine="inline", workers=1)
    assert stats.failed == 0 and stats.new >= 5
    return db


def check_shards_match_ingest(out: Path, ingested: Path, corpus: list[str], tmp_path: Path) -> None:
    tasks, _ = plan_inputs(corpus)
    assert [m.shard for m in read_manifests(out)] == [t.shard for t in tasks]
    with ShardData(out) as data, Store(ingested, read_only=True) as store:
        assert records(data) == records(store)
    with Store(tmp_path / "loaded.duckdb") as loaded:
        load_shards(out, loaded)
    with Store(tmp_path / "loaded.duckdb", read_only=True) as loaded, Store(ingested, read_only=True) as store:
        for table in DATA_TABLES:
            assert table_rows(loaded, table) == table_rows(store, table), table


def test_plan_inputs_names_files_once_and_refuses_stdin(corpus, tmp_path):
    tasks, errors = plan_inputs([*corpus, corpus[0], "-", str(tmp_path / "missing.txt")])
    assert [Path(t.path).name for t in tasks] == [
        "articles.jsonl", "belarus_fuel_shipments_2023.txt", "belarus_oil_talks_2020.txt", "wire.warc.gz",
    ]
    assert [t.position for t in tasks] == [0, 1, 2, 3]
    assert len({t.shard for t in tasks}) == 4 and all(t.shard == shard_name(t.path) for t in tasks)
    assert [(e.path, e.reason) for e in errors] == [("-", STDIN_REASON), (str(tmp_path / "missing.txt"), "no such file or directory")]


@pytest.mark.slow
def test_local_run_gives_the_records_of_ingest(corpus, ingested, tmp_path):
    out = tmp_path / "shards"
    summary = run_shards(corpus, RunOptions(out=str(out), engine="local", workers=2))
    assert (summary.inputs, summary.done, summary.skipped, summary.failed) == (4, 4, 0, 0)
    assert summary.parquet_bytes == sum(m.parquet_bytes for m in read_manifests(out))
    check_shards_match_ingest(out, ingested, corpus, tmp_path)
    # Started again, it finds every input done.
    again = run_shards(corpus, RunOptions(out=str(out), engine="local", workers=2))
    assert (again.done, again.skipped, again.articles) == (0, 4, 0)


@pytest.mark.slow
def test_ray_run_gives_the_records_of_ingest(corpus, ingested, tmp_path):
    ray = pytest.importorskip("ray")
    out = tmp_path / "shards"
    summary = run_shards(corpus, RunOptions(out=str(out), engine="ray", workers=2))
    assert (summary.inputs, summary.done, summary.failed) == (4, 4, 0)
    assert not ray.is_initialized(), "the Ray the run started is shut down"
    check_shards_match_ingest(out, ingested, corpus, tmp_path)


def test_bad_records_go_to_the_input_error_file(tmp_path):
    source = tmp_path / "mixed.jsonl"
    good = paragraphs(1, 3, offset=200)[0]
    source.write_text(json.dumps({"text": good}) + "\n{not json\n" + json.dumps({"text": ""}) + "\n", encoding="utf-8")
    out = tmp_path / "shards"
    reported: list[str] = []
    summary = run_shards([str(source)], RunOptions(out=str(out), engine="inline", workers=1), on_error=reported.append)
    assert (summary.done, summary.articles, summary.failed) == (1, 1, 2)
    (manifest,) = read_manifests(out)
    assert manifest.failed == 2 and manifest.errors == f"{manifest.shard}.txt"
    lines = (out / "errors" / manifest.errors).read_text(encoding="utf-8").splitlines()
    assert lines == reported and all(line.startswith(f"{source}:") for line in lines)
    with ShardData(out) as data:
        assert len(data) == 1


def test_unknown_engine_and_misplaced_address_are_refused(tmp_path):
    with pytest.raises(ValueError, match="unknown engine"):
        run_shards(SAMPLES, RunOptions(out=str(tmp_path), engine="spark"))
    with pytest.raises(ValueError, match="ray engine"):
        run_shards(SAMPLES, RunOptions(out=str(tmp_path), address="10.0.0.1:6379"))


KILLABLE_RUN = textwrap.dedent(
    """
    import sys
    from eventwire.scale.run import RunOptions, run_shards

    if __name__ == "__main__":
        run_shards(sys.argv[2:], RunOptions(out=sys.argv[1], workers=2, batch_size=1),
                   on_input=lambda r: print("done", r.shard, flush=True))
    """
)


@pytest.mark.slow
def test_a_run_killed_midway_and_restarted_finishes_every_article_once(tmp_path):
    texts = paragraphs(6, 3, offset=300)
    inputs = []
    for k, text in enumerate(texts):
        path = tmp_path / f"part{k}.jsonl"
        path.write_text(json.dumps({"text": text}) + "\n", encoding="utf-8")
        inputs.append(str(path))
    script = tmp_path / "run.py"
    script.write_text(KILLABLE_RUN, encoding="utf-8")
    out = tmp_path / "shards"
    proc = subprocess.Popen(
        [sys.executable, str(script), str(out), *inputs],
        stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
        start_new_session=True,  # its own process group: the pool's workers die with it
    )
    try:
        assert proc.stdout is not None
        first = proc.stdout.readline()
    finally:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
    assert first.startswith("done"), "the run ended before it could be killed"
    finished = read_manifests(out)
    assert 1 <= len(finished) < len(inputs)

    # Restarted (in this process, where the pipeline is loaded already).
    summary = run_shards(inputs, RunOptions(out=str(out), engine="inline", workers=1))
    assert summary.skipped == len(finished) and summary.done == len(inputs) - len(finished)
    with ShardData(out) as data:
        stored = data.rows("SELECT doc_id, count(*) AS n FROM articles GROUP BY doc_id")
        assert len(stored) == len(texts) and all(r["n"] == 1 for r in stored)
        assert len(data.rows("SELECT * FROM (SELECT doc_id FROM read_parquet(?)) GROUP BY doc_id HAVING count(*) > 1",
                             [[str(p) for p in (out / "articles").glob("*.parquet")]])) == 0
    with Store(tmp_path / "loaded.duckdb") as loaded:
        assert load_shards(out, loaded).new == len(texts)
