"""Parquet shards: loaded into a store they equal a direct ingest; read in
place they answer the queries as the store does."""

from __future__ import annotations

import pytest
from records import make_article

from eventwire.corpus import query
from eventwire.corpus.shards import (
    Manifest,
    ShardData,
    added_span,
    load_shards,
    read_manifests,
    table_path,
    write_manifest,
    write_store_shards,
)
from eventwire.corpus.store import DATA_TABLES, Store
from eventwire.errors import StoreError

# Set when a row is written, so never equal between two stores.
TIMESTAMP_COLUMNS = ("ingested_at", "added")


def table_rows(store: Store, table: str) -> list[tuple]:
    columns = [r["column_name"] for r in store.rows(f"SELECT column_name FROM (DESCRIBE {table})")]
    kept = ", ".join(c for c in columns if c not in TIMESTAMP_COLUMNS)
    return [tuple(r.values()) for r in store.rows(f"SELECT {kept} FROM {table} ORDER BY ALL")]


def write_input(out, tmp_path, shard: str, position: int, articles) -> None:
    """What ``eventwire run`` writes for one input holding ``articles``."""
    with Store(tmp_path / f"{shard}.duckdb") as store:
        stored = sum(store.add(a) for a in articles)
        tables = write_store_shards(store, out, shard)
        first, last = added_span(store)
    write_manifest(out, Manifest(
        input=f"{shard}.jsonl", shard=shard, position=position, articles=stored, failed=0, seconds=0.0,
        tables=tables, errors=None, coder_version="test", first_added=first, last_added=last,
    ))


@pytest.fixture()
def inputs(sample_articles):
    """Three inputs in run order: one sample; the other sample and the first
    again (one article in two inputs); a hand-made article."""
    first, second = sample_articles.values()
    return [("one", [first]), ("two", [second, first]), ("three", [make_article("made")])]


@pytest.fixture()
def shards(tmp_path, inputs):
    out = tmp_path / "shards"
    # Written out of order: the manifests' positions give the order.
    for position, (shard, articles) in reversed(list(enumerate(inputs))):
        write_input(out, tmp_path, shard, position, articles)
    return out


@pytest.fixture()
def direct(tmp_path, inputs):
    """The same articles added to one store in input order, as `ingest` does."""
    path = tmp_path / "direct.duckdb"
    with Store(path) as store:
        for _, articles in inputs:
            for a in articles:
                store.add(a)
    return path


def test_manifests_and_table_files(shards, inputs):
    manifests = read_manifests(shards)
    assert [m.shard for m in manifests] == [shard for shard, _ in inputs]
    assert [m.articles for m in manifests] == [len(articles) for _, articles in inputs]
    for m in manifests:
        assert set(m.tables) == set(DATA_TABLES)
        assert m.tables["articles"]["rows"] == m.articles
        assert all(table_path(shards, t, m.shard).stat().st_size == m.tables[t]["bytes"] for t in DATA_TABLES)
    assert manifests[1].tables["events"]["rows"] > 0


def test_load_equals_a_direct_ingest(shards, direct, tmp_path):
    with Store(tmp_path / "loaded.duckdb") as loaded:
        stats = load_shards(shards, loaded)
    assert (stats.shards, stats.read, stats.new, stats.already) == (3, 4, 3, 1)
    with Store(tmp_path / "loaded.duckdb", read_only=True) as loaded, Store(direct, read_only=True) as store:
        for table in DATA_TABLES:
            assert table_rows(loaded, table) == table_rows(store, table), table
        # a second load stores nothing
    with Store(tmp_path / "loaded.duckdb") as loaded:
        assert load_shards(shards, loaded).new == 0


def test_shards_read_in_place_answer_as_the_store(shards, direct):
    with ShardData(shards) as data, Store(direct, read_only=True) as store:
        for table in DATA_TABLES:
            assert table_rows(data, table) == table_rows(store, table), table
        # Same events in the same order: events of one date in the order
        # their inputs were given, as in the store, whenever each input was written.
        assert query.timeline(data, "BLR", "RUS") == query.timeline(store, "BLR", "RUS")
        assert len(query.timeline(data, "BLR", "RUS")) > 3
        assert query.timeline(data, "Lukashenko", "Putin") == query.timeline(store, "Lukashenko", "Putin")
        assert query.actor_entries(data) == query.actor_entries(store)
        assert query.actor_profile(data, "BLR") == query.actor_profile(store, "BLR")
        assert query.quotes(data) == query.quotes(store)
        assert query.article_summaries(data) == query.article_summaries(store)
        assert [data.article(d) for d in data.doc_ids()] == [store.article(d) for d in store.doc_ids()]


def test_without_duplicates_the_small_tables_are_merged_not_recomputed(tmp_path, sample_articles):
    out = tmp_path / "shards"
    for position, article in enumerate(sample_articles.values()):
        write_input(out, tmp_path, f"s{position}", position, [article])
    with Store(tmp_path / "direct.duckdb") as store:
        for article in sample_articles.values():
            store.add(article)
        with ShardData(out) as data:
            for table in DATA_TABLES:
                assert table_rows(data, table) == table_rows(store, table), table


def test_an_unfinished_input_is_not_read(shards, tmp_path):
    # Shards written, manifest not (a run killed before the end of the input).
    with Store(tmp_path / "half.duckdb") as store:
        store.add(make_article("half"))
        write_store_shards(store, shards, "half")
    with ShardData(shards) as data:
        assert "half" not in data.doc_ids()
        assert len(data) == 3


def test_a_folder_without_finished_shards_is_refused(tmp_path):
    with pytest.raises(StoreError, match="no shard folder"):
        ShardData(tmp_path / "missing")
    (tmp_path / "empty").mkdir()
    with pytest.raises(StoreError, match="no finished shards"):
        ShardData(tmp_path / "empty")
