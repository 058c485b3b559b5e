"""The DuckDB store: round trip, idempotent add, all-or-nothing writes."""

from __future__ import annotations

import dataclasses
import datetime
import json

import duckdb
import pytest
from records import TEXT, make_article, make_event, mention

from eventwire.corpus.store import STORE_VERSION, SUMMARY_TABLES, Store, StoreError, article_from_dict
from eventwire.model import (
    Article,
    Entity,
    Source,
)


def test_round_trip_reads_back_equal(tmp_path):
    article = make_article()
    with Store(tmp_path / "s.duckdb") as store:
        assert store.add(article) is True
        assert store.article(article.doc_id) == article
        assert article.doc_id in store and len(store) == 1
    # ...and after reopening the file, read-only.
    with Store(tmp_path / "s.duckdb", read_only=True) as store:
        back = store.article(article.doc_id)
    assert back == article
    assert back.to_dict() == article.to_dict()


def test_add_is_idempotent_by_doc_id(tmp_path):
    with Store(tmp_path / "s.duckdb") as store:
        assert store.add(make_article("x")) is True
        assert store.add(make_article("x")) is False
        assert store.add(make_article("y")) is True
        counts = store.table_counts()
        # "x" and "y" report the same event: one canonical event, two reports.
        assert store.add(make_article("x")) is False
        assert store.table_counts() == counts
    assert (counts["articles"], counts["event_mentions"], counts["events"], counts["mentions"]) == (2, 2, 1, 2 * 7)


def test_flat_tables_hold_the_record(tmp_path):
    with Store(tmp_path / "s.duckdb") as store:
        store.add(make_article())
        ev = store.rows("SELECT * FROM event_mentions")[0]
        canonical = store.rows("SELECT * FROM events")[0]
        ent = store.rows("SELECT * FROM entities WHERE entity_id = 'e2'")[0]
        art = store.rows("SELECT path, outlet, published, coder_version, record FROM articles")[0]
    assert ev["code"] == "0711" and ev["root_code"] == "07"
    assert (ev["source_actor"], ev["target_actor"], ev["source_name"]) == ("BLR", "RUS", "Belarus")
    assert (ev["quantity_value"], ev["quantity_unit"], ev["quantity_item"]) == (60000.0, "tons", "diesel")
    assert TEXT[ev["evidence_start"] : ev["evidence_end"]] == ev["evidence_text"]
    assert TEXT[ev["trigger_start"] : ev["trigger_end"]] == "supplied"
    assert ent["n_mentions"] == 2 and ent["actor"] == "RUS"
    assert canonical["event_key"] == ev["event_key"] == "doc-a:ev1"
    assert (canonical["num_mentions"], canonical["num_articles"], canonical["num_sources"]) == (1, 1, 1)
    assert str(canonical["day"]) == "2023-09-15" and canonical["source_actor_id"] == ev["source_actor_id"]
    assert art["path"] == "samples/a.txt" and art["outlet"] == "Test Wire"
    assert json.loads(art["record"])["schema"] == "eventwire/1"


def test_event_without_target_is_stored_with_nulls(tmp_path):
    article = make_article(events=(make_event(TEXT, "ev", ("e1", "Belarus", "BLR"), None, date=None),))
    with Store(tmp_path / "s.duckdb") as store:
        store.add(article)
        ev = store.rows("SELECT target_entity, target_name, target_actor, date FROM event_mentions")[0]
        canonical = store.rows("SELECT target_actor_id, date, date_basis, day FROM events")[0]
        assert store.article(article.doc_id) == article
    assert ev == {"target_entity": None, "target_name": None, "target_actor": None, "date": None}
    # The canonical event is dated by its article's publication date.
    assert canonical == {"target_actor_id": None, "date": "2023-09-15", "date_basis": "published",
                         "day": datetime.date(2023, 9, 15)}


def test_failing_insert_rolls_the_whole_article_back(tmp_path):
    good = make_article("good")
    # Two entities with one id break the entities primary key: the insert
    # fails after the article row (and nothing of it may remain).
    dup = make_article("bad")
    bad = dataclasses.replace(dup, entities=(*dup.entities, dup.entities[0]))
    with Store(tmp_path / "s.duckdb") as store:
        with pytest.raises(duckdb.ConstraintException):
            store.add(bad)
        assert set(store.table_counts().values()) == {0}
        assert "bad" not in store
        # The connection is still usable, and the same doc_id can be stored once fixed.
        assert store.add(good) is True
        assert store.add(dup) is True
        assert len(store) == 2


def test_missing_article_and_missing_store(tmp_path):
    with Store(tmp_path / "s.duckdb") as store, pytest.raises(KeyError):
        store.article("nope")
    with pytest.raises(StoreError):
        Store(tmp_path / "absent.duckdb", read_only=True)


def test_foreign_store_version_is_refused(tmp_path):
    path = tmp_path / "s.duckdb"
    with Store(path):
        pass
    con = duckdb.connect(str(path))
    con.execute("UPDATE meta SET value = ? WHERE key = 'store_version'", [STORE_VERSION + "x"])
    con.close()
    with pytest.raises(StoreError, match="store version"):
        Store(path)


def test_doc_ids_in_publication_order(tmp_path):
    with Store(tmp_path / "s.duckdb") as store:
        store.add(make_article("late", published="2024-01-02"))
        store.add(make_article("undated", published=None))
        store.add(make_article("early", published="2020-05-01"))
        assert store.doc_ids() == ["early", "late", "undated"]
        assert [a.doc_id for a in store.articles()] == ["early", "late", "undated"]


def test_article_from_dict_rejects_other_schema():
    record = make_article().to_dict()
    assert article_from_dict(record) == make_article()
    record["schema"] = "eventwire/0"
    with pytest.raises(ValueError):
        article_from_dict(record)


# -- corpus: one event, one actor across articles ------------------------------

THREE_REPORTS = (
    ("Kowalski in Vilnius", ("Polish Prime Minister Jan Kowalski met Lithuanian President Ona Petraitiene "
     "in Vilnius on Tuesday to discuss border security."), "2021-03-03", "Wire A"),
    ("Border talks", ("Jan Kowalski, Poland's prime minister, held talks with Lithuanian President "
     "Ona Petraitiene in Vilnius on Tuesday."), "2021-03-03", "Wire B"),
    ("Neighbours", ("On Tuesday the Polish prime minister, Jan Kowalski, met with President Ona Petraitiene "
     "of Lithuania in the Lithuanian capital."), "2021-03-04", "Wire C"),
)


def extract_all(items):
    import eventwire

    return [
        eventwire.extract(text, title=title, published=published, source=Source(outlet=outlet))
        for title, text, published, outlet in items
    ]


def test_one_event_reported_by_three_articles_is_one_event(tmp_path):
    articles = extract_all(THREE_REPORTS)
    # What the extractors (other modules) coded, shown when the store is not
    # what failed: each article must report the meeting for it to be one event.
    coded = [[(e.code, e.source and e.source.actor, e.target and e.target.name, e.date) for e in a.events]
             for a in articles]
    with Store(tmp_path / "s.duckdb") as store:
        for article in articles:
            assert store.add(article)
        meetings = store.rows(
            "SELECT * FROM events WHERE root_code = '04' AND source_actor = 'POLGOV'"
            " AND target_actor_id IN (SELECT actor_id FROM actor_aliases WHERE alias LIKE '%Petraitiene%')"
        )
        assert len(meetings) == 1, (meetings, coded)
        meeting = meetings[0]
        assert (meeting["num_mentions"], meeting["num_articles"], meeting["num_sources"]) == (3, 3, 3), coded
        reports = store.rows("SELECT doc_id, evidence_text FROM event_mentions WHERE event_key = ?",
                             [meeting["event_key"]])
        assert len({r["doc_id"] for r in reports}) == 3
        # "Kowalski" and "Jan Kowalski" across the three articles are one actor.
        kowalski = store.rows("SELECT DISTINCT actor_id FROM entities WHERE name LIKE '%Kowalski%'")
        assert len(kowalski) == 1


def test_two_different_events_on_one_day_between_the_same_actors_stay_two(tmp_path):
    items = (
        ("Accusation", ("Polish Prime Minister Jan Kowalski accused Lithuania of ignoring the border crisis "
         "on Tuesday."), "2021-03-03", "Wire D"),
        ("Agreement", "Polish Prime Minister Jan Kowalski signed a trade agreement with Lithuania on Tuesday.",
         "2021-03-03", "Wire E"),
    )
    with Store(tmp_path / "s.duckdb") as store:
        for article in extract_all(items):
            store.add(article)
        rows = store.rows("SELECT code, num_mentions FROM events WHERE source_actor = 'POLGOV'"
                          " AND target_actor = 'LTU' ORDER BY code")
    assert [r["code"][:2] for r in rows] == ["05", "11"]
    assert [r["num_mentions"] for r in rows] == [1, 1]


def person_article(doc_id: str, name: str, code: str | None, published: str, outlet: str,
                   labels: tuple[str, ...] = ()) -> Article:
    text = f"Story\n\n{name} met Vladimir Putin on Friday."
    base = make_article(doc_id, text=text, published=published, quotes=(), events=(
        make_event(text, "ev1", ("p", name, code), ("q", "Vladimir Putin", "RUSGOV"), code="040",
                   label="Consult", goldstein=1.0, date=published, trigger="met",
                   sentence=f"{name} met Vladimir Putin"),
    ), entities=(
        Entity("p", name, "PERSON", code, (mention(text, name),), labels),
        Entity("q", "Vladimir Putin", "PERSON", "RUSGOV", (mention(text, "Vladimir Putin"),)),
    ))
    return dataclasses.replace(base, source=Source(path=None, url=None, outlet=outlet))


def test_one_actor_across_transliterations_and_codes(tmp_path):
    with Store(tmp_path / "s.duckdb") as store:
        store.add(person_article("a", "Alexander Lukashenko", "BLRGOV", "2020-02-02", "Wire", ("President",)))
        store.add(person_article("b", "Lukashenka", "BLR", "2021-05-01", "Opposition Daily", ("dictator",)))
        store.add(person_article("c", "Łukašenka", None, "2022-01-01", "Polish Daily"))
        store.add(person_article("d", "Aliaksandr Lukashenka", "BLRGOV", "2023-01-01", "Opposition Daily",
                                 ("dictator",)))
        # Another person with the surname of a third country stays apart.
        store.add(person_article("e", "Ivan Lukashenko", "UKRGOV", "2023-01-02", "Wire"))
        ids = {r["name"]: r["actor_id"] for r in store.rows("SELECT name, actor_id FROM entities WHERE entity_id = 'p'")}
        aliases = store.rows("SELECT alias, n FROM actor_aliases WHERE actor_id = ? ORDER BY alias",
                             [ids["Lukashenka"]])
    assert ids["Alexander Lukashenko"] == ids["Lukashenka"] == ids["Łukašenka"] == ids["Aliaksandr Lukashenka"]
    assert ids["Ivan Lukashenko"] != ids["Lukashenka"]
    assert [a["alias"] for a in aliases] == ["Alexander Lukashenko", "Aliaksandr Lukashenka", "Lukashenka", "Łukašenka"]


def test_version_1_store_is_migrated_from_its_records(tmp_path):
    path = tmp_path / "old.duckdb"
    article = make_article("old")
    # A store as version 1 wrote it: the records are what matters.
    con = duckdb.connect(str(path))
    con.execute("CREATE TABLE meta (key VARCHAR PRIMARY KEY, value VARCHAR NOT NULL)")
    con.execute("INSERT INTO meta VALUES ('store_version', '1')")
    con.execute(
        "CREATE TABLE articles (doc_id VARCHAR PRIMARY KEY, title VARCHAR, published VARCHAR, published_basis VARCHAR,"
        " path VARCHAR, url VARCHAR, outlet VARCHAR, text VARCHAR, raw_text VARCHAR, coder_version VARCHAR,"
        " schema_version VARCHAR, ingested_at TIMESTAMP, record JSON)"
    )
    con.execute(
        "INSERT INTO articles VALUES (?, NULL, NULL, 'none', NULL, NULL, NULL, '', '', '0.1.0', 'eventwire/1',"
        " TIMESTAMP '2026-01-01', ?)",
        ["old", json.dumps(article.to_dict())],
    )
    con.execute("CREATE TABLE events (doc_id VARCHAR, event_id VARCHAR)")
    con.close()
    with pytest.raises(StoreError, match="open it once for writing"):
        Store(path, read_only=True)
    with Store(path) as store:
        assert store.article("old") == article
        counts = store.table_counts()
    assert counts["events"] == counts["event_mentions"] == 1 and counts["entities"] == 5
    with Store(path, read_only=True) as store:
        assert len(store) == 1


def test_unknown_file_is_not_a_store(tmp_path):
    path = tmp_path / "other.duckdb"
    con = duckdb.connect(str(path))
    con.execute("CREATE TABLE t (x INTEGER)")
    con.close()
    with pytest.raises(StoreError, match="not an eventwire store"):
        Store(path)


# -- version 3: query columns, clustering, in-place migration -------------------


def corpus_store(path, n_articles: int = 4) -> None:
    """A store of a few articles with events between three countries, one
    article credited to its URL's host rather than an outlet."""
    with Store(path) as store:
        for i in range(n_articles):
            article = make_article(
                f"c{i}",
                published=f"2023-09-{10 + 3 * i}",  # days apart: no two events are one
                events=(
                    make_event(TEXT, f"c{i}:ev1", ("e2", "Russia", "RUS"), ("e1", "Belarus", "BLR"),
                               date=f"2023-09-{10 + 3 * i}"),
                    make_event(TEXT, f"c{i}:ev2", ("e1", "Belarus", "BLR"), (None, "Ukraine", "UKR"),
                               code="111", date=f"2022-01-{10 + 3 * i}"),
                ),
            )
            if i == 0:
                article = dataclasses.replace(article, source=Source(url="https://news.example/x", outlet=None))
            store.add(article)


def derived_columns(store: Store) -> tuple[list[tuple], list[tuple]]:
    events = store.connection.execute(
        "SELECT event_key, title, published, source_prefix, target_prefix, dyad_key FROM events ORDER BY event_key"
    ).fetchall()
    entities = store.connection.execute(
        "SELECT doc_id, entity_id, published, outlet FROM entities ORDER BY doc_id, entity_id"
    ).fetchall()
    return events, entities


def test_events_carry_their_query_columns(tmp_path):
    corpus_store(tmp_path / "s.duckdb")
    with Store(tmp_path / "s.duckdb", read_only=True) as store:
        events, entities = derived_columns(store)
    assert len(events) == 8
    assert ("c1:ev1", TEXT[: TEXT.index("\n")], "2023-09-13", "RUS", "BLR", "BLR|RUS") in events
    assert {e[5] for e in events} == {"BLR|RUS", "BLR|UKR"}
    outlets = {doc: outlet for doc, _, _, outlet in entities}
    assert outlets["c0"] == "news.example" and outlets["c1"] == "Test Wire"


def test_cluster_sorts_events_by_dyad_and_keeps_every_row(tmp_path, monkeypatch):
    path = tmp_path / "s.duckdb"
    corpus_store(path)
    with Store(path) as store:
        before = store.rows("SELECT * FROM events ORDER BY event_key")
        counts = store.table_counts()
        # Appended in article order, the dyads alternate.
        assert [r["dyad_key"] for r in store.rows("SELECT dyad_key FROM events")][:2] == ["BLR|RUS", "BLR|UKR"]
        store.cluster()
        physical = [r["dyad_key"] for r in store.rows("SELECT dyad_key FROM events")]
        assert physical == sorted(physical)
        assert store.rows("SELECT * FROM events ORDER BY event_key") == before
        assert store.table_counts() == counts
        indexes = {r["index_name"] for r in store.rows("SELECT index_name FROM duckdb_indexes()")}
        assert {"events_by_source_actor", "events_by_target_actor", "entities_by_actor"} <= indexes
        # Still a working store: a new article is clustered with the rest.
        assert store.add(make_article("late", published="2023-09-10", events=(
            make_event(TEXT, "late:ev1", ("e2", "Russia", "RUS"), ("e1", "Belarus", "BLR"), date="2023-09-10"),
        )))
        assert store.rows("SELECT num_mentions FROM events WHERE event_key = 'c0:ev1'")[0]["num_mentions"] == 2
    # Closing sorts again once enough rows were appended since.
    monkeypatch.setattr("eventwire.corpus.store.CLUSTER_TAIL_ROWS", 1)
    with Store(path) as store:
        store.add(make_article("later", published="2021-01-01", events=(
            make_event(TEXT, "later:ev1", ("e1", "Belarus", "BLR"), ("e2", "Russia", "RUS"), date="2021-01-01"),
        )))
        assert store.rows("SELECT dyad_key FROM events")[-1]["dyad_key"] == "BLR|RUS"
    with Store(path, read_only=True) as store:
        physical = [r["dyad_key"] for r in store.rows("SELECT dyad_key FROM events")]
        assert physical == sorted(physical)


def downgrade_to_version_2(path) -> None:
    """Turn a store into the layout version 2 wrote: no query columns on
    events and entities, no event indexes, no clustering mark."""
    con = duckdb.connect(str(path))
    for index in ("events_by_source_actor", "events_by_target_actor", "entities_by_actor"):
        con.execute(f"DROP INDEX {index}")
    for column in ("title", "published", "source_prefix", "target_prefix", "dyad_key"):
        con.execute(f"ALTER TABLE events DROP COLUMN {column}")
    for column in ("published", "outlet"):
        con.execute(f"ALTER TABLE entities DROP COLUMN {column}")
    con.execute("CREATE INDEX entities_by_actor ON entities (actor_id)")
    con.execute("UPDATE meta SET value = '2' WHERE key = 'store_version'")
    con.execute("DELETE FROM meta WHERE key = 'clustered_events'")
    con.close()


def test_version_2_store_is_migrated_in_place(tmp_path):
    path = tmp_path / "v2.duckdb"
    corpus_store(path)
    with Store(path, read_only=True) as store:
        expected = derived_columns(store)
        counts = store.table_counts()
    downgrade_to_version_2(path)
    with pytest.raises(StoreError, match="open it once for writing"):
        Store(path, read_only=True)
    with Store(path) as store:
        # The SQL that derives the columns agrees with the Python that wrote them.
        assert derived_columns(store) == expected
        assert store.table_counts() == counts
        assert store.add(make_article("after-migration", published="2024-01-01"))
    with Store(path, read_only=True) as store:
        assert store.rows("SELECT value FROM meta WHERE key = 'store_version'")[0]["value"] == STORE_VERSION == "4"
        physical = [r["dyad_key"] for r in store.rows("SELECT dyad_key FROM events")]
        assert physical[: len(expected[0])] == sorted(physical[: len(expected[0])])


def meeting_article(doc_id: str, text: str, name: str, published: str, date: str, outlet: str) -> Article:
    """An article reporting, in its own words, one meeting of ``name`` (POLGOV)
    with Ona Petraitiene (LTUGOV), coded by hand."""
    sentence = text[text.index("\n\n") + 2 :]
    trigger = next(w for w in ("met", "held talks") if w in sentence)
    event = make_event(text, f"{doc_id}:ev1", ("p", name, "POLGOV"), ("q", "Ona Petraitiene", "LTUGOV"),
                       code="040", label="Consult", goldstein=1.0, date=date, trigger=trigger, sentence=sentence)
    base = make_article(doc_id, text=text, published=published, quotes=(), events=(event,), entities=(
        Entity("p", name, "PERSON", "POLGOV", (mention(text, name),)),
        Entity("q", "Ona Petraitiene", "PERSON", "LTUGOV", (mention(text, "Ona Petraitiene"),)),
    ))
    return dataclasses.replace(base, source=Source(path=None, url=None, outlet=outlet))


def test_three_reports_of_one_meeting_are_one_event_in_any_order(tmp_path):
    """The store's side of the dedup test above, with the extraction fixed by
    hand: differently worded reports (a surname alone, a date a day later)
    cluster into one event whatever order they arrive in."""
    import itertools

    reports = (
        meeting_article("m1", "Talks\n\nJan Kowalski met Ona Petraitiene in Vilnius on Friday.", "Jan Kowalski",
                        "2021-03-03", "2021-03-02", "Wire A"),
        meeting_article("m2", "Border\n\nKowalski held talks with Ona Petraitiene on Friday.", "Kowalski",
                        "2021-03-03", "2021-03-02", "Wire B"),
        meeting_article("m3", "Neighbours\n\nOn Friday Prime Minister Jan Kowalski met Ona Petraitiene.", "Jan Kowalski",
                        "2021-03-04", "2021-03-03", "Wire C"),
    )
    for i, order in enumerate(itertools.permutations(reports)):
        with Store(tmp_path / f"s{i}.duckdb") as store:
            for article in order:
                assert store.add(article)
            events = store.rows("SELECT num_mentions, num_articles, num_sources FROM events")
            assert events == [{"num_mentions": 3, "num_articles": 3, "num_sources": 3}], [a.doc_id for a in order]


def summary_rows(store: Store) -> dict[str, list[tuple]]:
    return {t: sorted(store.connection.execute(f"SELECT * FROM {t}").fetchall(), key=repr) for t in SUMMARY_TABLES}


def summarized_store(path) -> None:
    """``corpus_store`` plus one actor under several names, codes and labels."""
    corpus_store(path)
    with Store(path) as store:
        store.add(person_article("p1", "Alexander Lukashenko", "BLRGOV", "2020-02-02", "Wire", ("President",)))
        store.add(person_article("p2", "Lukashenka", "BLR", "2021-05-01", "Opposition Daily", ("dictator",)))
        store.add(person_article("p3", "Aliaksandr Lukashenka", "BLRGOV", "2023-01-01", "Opposition Daily",
                                 ("dictator",)))


def test_summaries_kept_at_insert_equal_summaries_computed_again(tmp_path):
    path = tmp_path / "s.duckdb"
    summarized_store(path)
    with Store(path) as store:
        kept = summary_rows(store)
        counts = store.table_counts()
        assert all(kept[t] for t in SUMMARY_TABLES)
        # Ingesting the same articles again changes no count.
        assert not store.add(person_article("p2", "Lukashenka", "BLR", "2021-05-01", "Opposition Daily",
                                            ("dictator",)))
        assert summary_rows(store) == kept and store.table_counts() == counts
        store.reorganize()
        assert summary_rows(store) == kept
    luk = [r for r in kept["actor_codes"] if r[1].startswith("BLRGOV")]
    assert [(r[2], r[3], r[4]) for r in luk] == [("2020-02-02", "2023-09-19", 6)]
    assert ("prefix", "BLR", True, "", "", 11) == kept["event_stats"][
        [r[:5] for r in kept["event_stats"]].index(("prefix", "BLR", True, "", ""))][:6]


def test_version_3_store_is_migrated_to_4(tmp_path):
    path = tmp_path / "v3.duckdb"
    summarized_store(path)
    with Store(path, read_only=True) as store:
        expected = summary_rows(store)
    con = duckdb.connect(str(path))
    for table in SUMMARY_TABLES:
        con.execute(f"DROP TABLE {table}")
    con.execute("UPDATE meta SET value = '3' WHERE key = 'store_version'")
    con.close()
    with pytest.raises(StoreError, match="open it once for writing"):
        Store(path, read_only=True)
    with Store(path) as store:
        assert summary_rows(store) == expected
    with Store(path, read_only=True) as store:
        assert store.rows("SELECT value FROM meta WHERE key = 'store_version'")[0]["value"] == "4"
