"""The local process pool and Ray give the records of the single-process path;
a run killed midway and restarted stores every article exactly once."""

import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from eventwire.bench import throughput as bench
from eventwire.cli import main as cli
from eventwire.corpus.store import Store
from eventwire.extract import runner as pipeline
from eventwire.extract.runner import content_hash, make_document
from eventwire.ingest.readers import read_paths
from eventwire.model import Article, RawDocument
from eventwire.scale import engines as scale

ROOT = Path(__file__).resolve().parents[2]
SAMPLE_PATHS = [str(ROOT / "samples" / "articles.jsonl"), *sorted(str(p) for p in (ROOT / "tests" / "data").glob("*.txt"))]


def pool_paragraphs(n: int, sentences: int, offset: int = 0) -> list[str]:
    pool = bench.gold_sentences()
    return [" ".join(pool[offset + k * sentences : offset + (k + 1) * sentences]) for k in range(n)]


def write_warc(path: Path) -> None:
    """Three HTML pages (news-like text from the gold sentence pool) and one
    image record, which ingest must skip."""
    from io import BytesIO

    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    with path.open("wb") as fh:
        writer = WARCWriter(fh, gzip=True)
        for k, body in enumerate(pool_paragraphs(3, 6, offset=100)):
            title = f"Report number {k + 1} on the talks"
            html = (
                f"<html><head><title>{title}</title></head><body><article><h1>{title}</h1>"
                f"<p>{body}</p><p>Officials gave no further details on Tuesday.</p></article></body></html>"
            ).encode()
            headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1")
            record = writer.create_warc_record(
                f"https://news.example.org/{k}", "response", payload=BytesIO(html), http_headers=headers
            )
            writer.write_record(record)
        image = StatusAndHeaders("200 OK", [("Content-Type", "image/png")], protocol="HTTP/1.1")
        writer.write_record(
            writer.create_warc_record(
                "https://news.example.org/a.png", "response", payload=BytesIO(b"\x89PNG...."), http_headers=image
            )
        )


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> list[str]:
    warc = tmp_path_factory.mktemp("warc") / "news.warc.gz"
    write_warc(warc)
    return [*SAMPLE_PATHS, str(warc)]


@pytest.fixture(scope="module")
def reference(corpus) -> dict[str, dict]:
    """The single-process records, by doc_id."""
    articles = [a for a in pipeline.analyse(read_paths(corpus)) if isinstance(a, Article)]
    from_warc = [a for a in articles if a.source.url and a.source.url.startswith("https://news.example.org/")]
    assert len(from_warc) == 3, "the WARC's three HTML pages are read, its image is not"
    assert sum(len(a.events) for a in articles) > 5
    first: dict[str, dict] = {}
    for a in articles:  # the store keeps the first of two equal raw texts
        first.setdefault(a.doc_id, a.to_dict())
    return first


def stored_records(db: Path) -> dict[str, dict]:
    with Store(db, read_only=True) as store:
        return {doc_id: store.article(doc_id).to_dict() for doc_id in store.doc_ids()}


def without_source(records: dict[str, dict]) -> dict[str, dict]:
    return {doc_id: {k: v for k, v in r.items() if k != "source"} for doc_id, r in records.items()}


def test_batched_keeps_order_and_remainder():
    docs = [make_document(f"Text {i}.") for i in range(7)]
    assert [len(b) for b in scale.batched(docs, 3)] == [3, 3, 1]
    assert [d for b in scale.batched(docs, 3) for d in b] == docs
    assert list(scale.batched([], 3)) == []


def test_unknown_engine_and_bad_worker_count_are_refused():
    with pytest.raises(ValueError, match="unknown engine"):
        scale.open_engine("spark", 2)
    with pytest.raises(ValueError, match="at least 1"):
        scale.LocalEngine(0)


def test_local_engine_through_cli_gives_single_process_records(corpus, reference, tmp_path, capsys):
    db = tmp_path / "local.duckdb"
    argv = ["ingest", *corpus, "--db", str(db), "--engine", "local", "--workers", "2", "-q"]
    n_docs = sum(isinstance(d, RawDocument) for d in read_paths(corpus))
    repeated = n_docs - len(reference)  # a sample in two forms: one article
    assert cli.main(argv) == 0
    out = capsys.readouterr().out.strip()
    assert out == f"{len(reference)} new, {repeated} already stored, 0 failed ({len(reference)} articles in {db})"
    assert stored_records(db) == reference
    # a second run finds everything stored and analyses nothing
    assert cli.main(argv) == 0
    assert capsys.readouterr().out.startswith(f"0 new, {n_docs} already stored, 0 failed")


def test_local_engine_unordered_results_cover_every_batch():
    docs = [make_document(p) for p in pool_paragraphs(6, 2)]
    with scale.LocalEngine(2) as engine:
        assert len(engine.pids) == 2 and os.getpid() not in engine.pids
        results = list(engine.map_batches(scale.batched(docs, 1), ordered=False))
    assert sorted(r.items[0].doc_id for r in results) == sorted(content_hash(d.raw_text) for d in docs)
    assert {r.worker for r in results} <= set(engine.pids)
    assert all(r.peak_rss_mb > 50 for r in results)


@pytest.fixture
def ray_local():
    """Ray on this machine only; always shut down, so no process outlives the test."""
    ray = pytest.importorskip("ray")
    scale.start_ray(num_cpus=2)
    yield ray
    ray.shutdown()


@pytest.mark.slow
def test_ray_engine_gives_single_process_records(ray_local, corpus, reference, tmp_path):
    db = tmp_path / "ray.duckdb"
    stats = scale.run_corpus(corpus, db, engine="ray", workers=2, batch_size=2, ordered=False)
    n_docs = sum(isinstance(d, RawDocument) for d in read_paths(corpus))
    assert (stats.read, stats.new, stats.already, stats.failed) == (n_docs, len(reference), n_docs - len(reference), 0)
    assert stats.stored_total == len(reference)
    assert len(stats.worker_peak_rss_mb) == 2
    # Unordered: which copy of the repeated sample is stored first depends on
    # which batch finishes first, so sources are compared apart.
    stored = stored_records(db)
    assert without_source(stored) == without_source(reference)
    urls = {r["source"]["url"] for r in stored.values() if r["source"]["url"]}
    assert urls == {f"https://news.example.org/{k}" for k in range(3)}
    assert ray_local.is_initialized(), "an engine leaves a Ray it did not start running"


KILLABLE_RUN = textwrap.dedent(
    """
    import sys
    from eventwire.scale.engines import run_corpus

    def stored(item):
        if item is not None:
            print("stored", flush=True)

    if __name__ == "__main__":
        run_corpus([sys.argv[1]], sys.argv[2], engine="local", workers=2, batch_size=3, on_item=stored)
    """
)


def test_run_killed_midway_and_restarted_stores_every_article_once(tmp_path):
    import json

    texts = pool_paragraphs(36, 3, offset=300)
    source = tmp_path / "corpus.jsonl"
    source.write_text("".join(json.dumps({"text": t}) + "\n" for t in texts), encoding="utf-8")
    script = tmp_path / "run.py"
    script.write_text(KILLABLE_RUN, encoding="utf-8")
    db = tmp_path / "resumed.duckdb"

    proc = subprocess.Popen(
        [sys.executable, str(script), str(source), str(db)],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        start_new_session=True,  # its own process group: the pool's workers die with it
    )
    try:
        seen = 0
        for line in proc.stdout:
            seen += line.strip() == "stored"
            if seen >= 6:
                break
    finally:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
    assert seen >= 6, "the run ended before it could be killed"

    with Store(db, read_only=True) as store:
        before = len(store)
    assert 6 <= before < len(texts)

    stats = scale.run_corpus([str(source)], db, engine="local", workers=2, batch_size=3)
    assert (stats.read, stats.already, stats.new, stats.failed) == (len(texts), before, len(texts) - before, 0)

    expected = {a.doc_id: a.to_dict() for a in pipeline.analyse(RawDocument(raw_text=t) for t in texts)}
    assert len(expected) == len(texts)
    # the source path ("file:line") is the only field the analysis did not make
    assert without_source(stored_records(db)) == without_source(expected)
    with Store(db, read_only=True) as store:
        rows = store.rows("SELECT count(*) AS n, count(DISTINCT doc_id || event_id) AS distinct_n FROM event_mentions")
    assert rows[0]["n"] == rows[0]["distinct_n"] == sum(len(r["events"]) for r in expected.values())
