"""The synthetic corpus benchmark, at a small size (no timing assertions)."""

from __future__ import annotations

import json

import pytest

from eventwire.bench.corpus import BenchCorpusOptions, build_synthetic_store, run_bench_corpus, run_queries
from eventwire.corpus import query
from eventwire.corpus.store import Store


def test_synthetic_store_is_a_real_store(tmp_path):
    path = str(tmp_path / "syn.duckdb")
    counts = build_synthetic_store(path, 4000)
    assert counts["events"] == 4000 and counts["articles"] == 1000
    assert counts["event_mentions"] > counts["events"]
    with Store(path, read_only=True) as store:
        # Counts agree with the reports, and queries see the events.
        agree = store.rows(
            "SELECT count(*) AS n FROM events e WHERE num_mentions ="
            " (SELECT count(*) FROM event_mentions m WHERE m.event_key = e.event_key)"
        )[0]["n"]
        assert agree == 4000
        # Organized as the store organizes itself: query columns filled, events sorted by dyad.
        missing = store.rows(
            "SELECT count(*) FILTER (WHERE title IS NULL OR dyad_key IS NULL OR source_prefix IS NULL) AS n FROM events"
        )[0]["n"]
        assert missing == 0
        assert store.rows("SELECT count(*) AS n FROM entities WHERE outlet IS NULL OR published IS NULL")[0]["n"] == 0
        physical = [r["dyad_key"] for r in store.rows("SELECT dyad_key FROM events")]
        assert physical == sorted(physical)
        timings = run_queries(store)
        top = store.rows("SELECT source_actor_id AS id FROM events GROUP BY 1 ORDER BY count(*) DESC, 1 LIMIT 1")[0]
        profile = query.actor_profile(store, top["id"])
    assert [t.query.split()[0] for t in timings[:3]] == ["timeline", "timeline", "dyad"]
    assert all(t.rows > 0 for t in timings[:3])
    assert profile.events_as_source > 0 and profile.actors[0].actor_id == top["id"]


def test_main_prints_json(capsys):
    assert run_bench_corpus(BenchCorpusOptions(events=2000, as_json=True)) == 0
    payload = json.loads(capsys.readouterr().out)
    assert payload["events"] == 2000 and len(payload["queries"]) == 7
    assert all(q["median_ms"] >= 0 for q in payload["queries"])


def test_store_sizes_of_stored_and_copied_articles(tmp_path):
    from records import TEXT, make_article

    from eventwire.bench.corpus import _copy_articles, measure_store_sizes

    seeds = [make_article("a"), make_article("b", text=TEXT + " Talks went on.", published="2020-02-07")]
    one, six = measure_store_sizes([1, 6], seeds)
    assert (one.articles, one.seeds, six.articles, six.seeds) == (1, 1, 6, 2)
    assert six.bytes_per_article * 6 == pytest.approx(six.bytes, abs=6) and one.bytes > 0
    # Copies are whole articles under new ids, with texts no other copy shares.
    with Store(tmp_path / "copies.duckdb") as store:
        for article in seeds:
            store.add(article)
        before = store.table_counts()
        assert _copy_articles(store, 3) == 6
        after = store.table_counts()
        for table in ("entities", "mentions", "quotes", "event_mentions", "events"):
            assert after[table] == 3 * before[table], table
        texts = [r["text"] for r in store.rows("SELECT text FROM articles")]
        assert len(set(texts)) == 6 and len({len(t) for t in texts}) == 2
        records = [json.loads(r["record"]) for r in store.rows("SELECT record FROM articles")]
        assert len({json.dumps(r) for r in records}) == 6


@pytest.mark.slow
def test_synthetic_shards_are_read_in_place(tmp_path, capsys):
    from eventwire.bench.corpus import build_synthetic_shards, run_shard_queries
    from eventwire.corpus.shards import ShardData, read_manifests

    counts = build_synthetic_shards(tmp_path, 3000, n_shards=3)
    assert counts["events"] == 3000 and counts["actors"] > 0
    assert [m.tables["events"]["rows"] for m in read_manifests(tmp_path)] == [1000, 1000, 1000]
    with ShardData(tmp_path) as data:
        assert len(data.rows("SELECT event_key FROM events")) == 3000
        keys = [r["dyad_key"] for r in data.rows("SELECT dyad_key FROM read_parquet(?)",
                                                   [str(tmp_path / "events" / "synthetic0001.parquet")])]
        assert keys == sorted(keys)
        timings = run_shard_queries(data)
    assert [t.query.split()[0] for t in timings] == ["timeline", "timeline"] and all(t.rows > 0 for t in timings)
    assert run_bench_corpus(BenchCorpusOptions(events=2000, as_json=True, shards=True)) == 0
    payload = json.loads(capsys.readouterr().out)
    assert payload["events"] == 2000 and len(payload["queries"]) == 2 and payload["parquet_bytes"] > 0
