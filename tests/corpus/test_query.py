"""Queries over a store built from hand-made articles."""

from __future__ import annotations

import duckdb
import pytest
from records import TEXT, make_article, make_event

from eventwire.corpus.query import (
    actor_profile,
    actors,
    article_summaries,
    dyad_series,
    event_detail,
    find_events,
    goldstein_sum,
    is_code_argument,
    name_pattern,
    quotes,
    search_articles,
    timeline,
)
from eventwire.corpus.store import Store
from eventwire.errors import ActorQueryError
from eventwire.model import Entity, Mention

BLR = ("e1", "Belarus", "BLR")
RUS = ("e2", "Russia", "RUS")
LUK = ("e3", "Alexander Lukashenko", "BLRGOV")
PUT = ("e4", "Vladimir Putin", "RUSGOV")
UKR = (None, "Ukraine", "UKR")


@pytest.fixture()
def store(tmp_path):
    a = make_article(
        "a",
        published="2023-09-15",
        events=(
            make_event(TEXT, "a1", BLR, RUS, date="2023-09-15"),
            make_event(TEXT, "a2", PUT, LUK, code="040", label="Consult", goldstein=1.0, date="2023-09-14",
                       trigger="told", sentence="Lukashenko told Vladimir Putin"),
            make_event(TEXT, "a3", RUS, BLR, code="125", label="Reject proposal", goldstein=-4.0,
                       modality="negated", trigger="reject", sentence="Russia did not reject the offer"),
            make_event(TEXT, "a4", BLR, UKR, code="111", label="Criticize", goldstein=-2.0),
        ),
    )
    b = make_article(
        "b",
        published="2020-02-07",
        events=(make_event(TEXT, "b1", RUS, BLR, code="0831", label="Ease sanctions", goldstein=4.0, date=None),),
    )
    with Store(tmp_path / "q.duckdb") as s:
        s.add(a)
        s.add(b)
        yield s


def ids(events):
    return [e.event_id for e in events]


def test_timeline_by_code_prefix_both_directions_in_date_order(store):
    got = timeline(store, "BLR", "RUS")
    # b1 has no date of its own: it takes its article's publication date.
    assert ids(got) == ["b1", "a2", "a1"]
    assert got[0].date == "2020-02-07" and got[0].date_basis == "published"
    assert goldstein_sum(got) == pytest.approx(4.0 + 1.0 + 7.4)


def test_timeline_code_prefix_is_a_prefix_not_a_substring(store):
    assert ids(timeline(store, "BLRGOV", "RUS")) == ["a2"]
    assert ids(timeline(store, "BLRGOV", "RUSGOV")) == ["a2"]
    with pytest.raises(ActorQueryError):  # a code nothing starts with
        timeline(store, "LRG", "RUS")


def test_timeline_by_name_is_case_insensitive_whole_words(store):
    assert ids(timeline(store, "lukashenko", "PUTIN")) == ["a2"]
    # A country's name is its code: the government and its people included.
    assert ids(timeline(store, "Belarus", "Russia")) == ids(timeline(store, "BLR", "RUS")) == ["b1", "a2", "a1"]
    # "Rus" is neither a code (not capitals) nor a whole word of a name.
    with pytest.raises(ActorQueryError):
        timeline(store, "Belarus", "Rus")
    assert ids(timeline(store, "belarus", "ukraine")) == ["a4"]


def test_timeline_modality_filter(store):
    assert "a3" not in ids(timeline(store, "BLR", "RUS"))
    everything = timeline(store, "BLR", "RUS", asserted_only=False)
    assert ids(everything) == ["b1", "a2", "a1", "a3"]
    assert [e.modality for e in everything if e.event_id == "a3"] == ["negated"]


def test_timeline_date_bounds(store):
    assert ids(timeline(store, "BLR", "RUS", start="2023-01-01")) == ["a2", "a1"]
    assert ids(timeline(store, "BLR", "RUS", end="2023-09-14")) == ["b1", "a2"]
    assert ids(timeline(store, "BLR", "RUS", start="2023-09-15", end="2023-09-15")) == ["a1"]


def test_timeline_names_fall_back_to_entity_names(tmp_path):
    # An event whose ActorRef carries a pronoun's text still matches through its entity.
    article = make_article("p", events=(make_event(TEXT, "p1", ("e3", "he", "BLRGOV"), PUT),))
    with Store(tmp_path / "p.duckdb") as s:
        s.add(article)
        assert ids(timeline(s, "Lukashenko", "Putin")) == ["p1"]
        assert timeline(s, "Lukashenko", "Putin")[0].source_name == "he"


def test_quotes_filtered_by_speaker(store):
    everything = quotes(store)
    assert len(everything) == 2
    assert {q.speaker_name for q in everything} == {"Alexander Lukashenko"}
    assert everything[0].published == "2020-02-07"  # oldest article first
    assert quotes(store, "lukashenko")[0].speaker_actor == "BLRGOV"
    assert len(quotes(store, "BLR")) == 2
    assert quotes(store, "Putin") == []
    q = everything[0]
    assert TEXT[q.start : q.end] == q.text


def test_actors_grouped_across_articles(store):
    found = {(a.name, a.actor): a for a in actors(store)}
    assert found[("Russia", "RUS")].mentions == 4 and found[("Russia", "RUS")].articles == 2
    assert found[("Minsk", None)].type == "GPE"
    ordered = actors(store)
    assert ordered[0].articles >= ordered[-1].articles
    assert ordered[0].mentions == max(a.mentions for a in ordered)


def test_article_summaries(tmp_path):
    extra = Entity("e9", "Kremlin", "ORG", "RUSGOV", tuple(Mention(0, 5, "Minsk") for _ in range(3)))
    base = make_article("s")
    with Store(tmp_path / "s.duckdb") as s:
        s.add(make_article("s", entities=(*base.entities, extra)))
        s.add(make_article("t", published=None, events=()))
        summaries = article_summaries(s, main_actors=2)
    assert [x.doc_id for x in summaries] == ["s", "t"]
    first = summaries[0]
    assert (first.entities, first.quotes, first.events) == (6, 1, 1)
    assert [a.name for a in first.main_actors] == ["Kremlin", "Alexander Lukashenko"]
    assert all(a.actor for a in first.main_actors)  # uncoded entities (Minsk) are not actors
    assert summaries[1].events == 0 and summaries[1].published is None


def test_argument_helpers():
    assert is_code_argument("BLR") and is_code_argument("RUSGOV")
    assert not is_code_argument("Putin") and not is_code_argument("BL")
    # The pattern is RE2 (DuckDB's regexp_matches), with Unicode classes.
    con = duckdb.connect()

    def matches(pattern: str, text: str) -> bool:
        return con.execute("SELECT regexp_matches(?, ?)", [text, pattern]).fetchone()[0]

    assert matches(name_pattern("Vladimir  Putin"), "president vladimir putin said")
    assert matches(name_pattern("Łukasz"), "łukasz")
    assert not matches(name_pattern("putin"), "putinism")
    assert not matches(name_pattern("kin"), "łkin")


# -- the corpus queries on the sample articles ----------------------------------


@pytest.fixture()
def sample_store(tmp_path, sample_articles):
    with Store(tmp_path / "samples.duckdb") as s:
        for article in sample_articles.values():
            assert s.add(article)
        yield s


def test_ingesting_the_samples_twice_changes_no_table(sample_store, sample_articles):
    before = sample_store.table_counts()
    assert all(before[t] > 0 for t in ("articles", "actors", "entities", "event_mentions", "events"))
    for article in sample_articles.values():
        assert sample_store.add(article) is False
    assert sample_store.table_counts() == before


def test_belarus_russia_timeline_spans_2020_and_2023_with_evidence(sample_store):
    events = timeline(sample_store, "BLR", "RUS", asserted_only=False)
    years = {e.date[:4] for e in events if e.date}
    assert {"2020", "2023"} <= years
    dates = [e.date for e in events]
    assert dates == sorted(dates)
    for e in events:
        text = sample_store.article(e.doc_id).text
        assert e.evidence and text[e.evidence_start : e.evidence_end] == e.evidence
        assert {(e.source_actor or "")[:3], (e.target_actor or "")[:3]} == {"BLR", "RUS"}
    # Two sentences about the Sochi meeting are one event reported twice.
    assert max(e.num_mentions for e in events) >= 2


def test_find_events_filters_and_pages(sample_store):
    everything = find_events(sample_store, limit=1000)
    assert len(everything) == sample_store.table_counts()["events"]
    consults = find_events(sample_store, root="04", actor="Lukashenko", limit=1000)
    assert consults and all(e.code.startswith("04") for e in consults)
    assert all("PERSON:" in (e.source_actor_id or "") + (e.target_actor_id or "") for e in consults)
    negated = find_events(sample_store, modality="negated")
    assert negated and {e.modality for e in negated} == {"negated"}
    page1 = find_events(sample_store, limit=3)
    page2 = find_events(sample_store, limit=3, offset=3)
    assert [e.event_key for e in page1 + page2] == [e.event_key for e in everything[:6]]
    assert find_events(sample_store, start="2023-01-01", code="0", limit=1000) == [
        e for e in everything if e.date and e.date >= "2023" and e.code.startswith("0")
    ]


def test_event_detail_lists_every_report_with_offsets(sample_store):
    repeated = max(timeline(sample_store, "BLR", "RUS"), key=lambda e: e.num_mentions)
    detail = event_detail(sample_store, repeated.event_key)
    assert detail is not None and detail.event.event_key == repeated.event_key
    assert len(detail.reports) == repeated.num_mentions
    for r in detail.reports:
        text = sample_store.article(r.doc_id).text
        assert text[r.evidence_start : r.evidence_end] == r.evidence
        assert text[r.trigger_start : r.trigger_end] == r.trigger
    assert event_detail(sample_store, "no-such-event") is None


def test_dyad_series_and_actor_profile(sample_store):
    months = dyad_series(sample_store, "BLR", "RUS", interval="month", asserted_only=False)
    assert [b.period for b in months] == sorted(b.period for b in months)
    assert sum(b.events for b in months) == len(
        [e for e in timeline(sample_store, "BLR", "RUS", asserted_only=False) if e.date and len(e.date) == 10]
    )
    assert all(sum(b.quad_counts) == b.events for b in months)
    with pytest.raises(ValueError):
        dyad_series(sample_store, "BLR", "RUS", interval="fortnight")

    profile = actor_profile(sample_store, "Lukashenka")  # another transliteration finds him
    assert profile.actors and profile.actors[0].name == "Alexander Lukashenko"
    assert "BLRGOV" in {c.code for c in profile.actors[0].codes}
    assert profile.events_as_source > 0 and "RUSGOV" in {p.value for p in profile.top_partners}
    assert 0 < sum(profile.quad_counts) <= profile.events_as_source + profile.events_as_target


def test_search_articles(sample_store):
    hits = search_articles(sample_store, "DIESEL")
    assert len(hits) == 1 and "diesel" in hits[0].snippet.lower()
    text = sample_store.article(hits[0].doc_id).text
    assert text[hits[0].start : hits[0].start + 6].lower() == "diesel"
    assert search_articles(sample_store, "no such words anywhere") == []


def test_actor_arguments_agree_with_a_plain_scan(sample_store):
    """Index lookups, dyad keys and UNION ALL branches pick exactly the rows a
    plain OR over every event picks."""
    rows = sample_store.rows("SELECT * FROM events")
    some_id = next(r["source_actor_id"] for r in rows if r["source_actor_id"])
    by_id = actor_profile(sample_store, some_id, asserted_only=False)
    as_source = sum(r["source_actor_id"] == some_id for r in rows)
    as_target = sum(r["target_actor_id"] == some_id for r in rows)
    assert (by_id.events_as_source, by_id.events_as_target) == (as_source, as_target)
    either = [r for r in rows if some_id in (r["source_actor_id"], r["target_actor_id"])]
    assert sum(by_id.quad_counts) == len(either)
    assert sorted(e.event_key for e in find_events(sample_store, actor=some_id, limit=1000)) == sorted(
        r["event_key"] for r in either
    )
    blr_rus = [
        r for r in rows
        if {(r["source_actor"] or "")[:3], (r["target_actor"] or "")[:3]} == {"BLR", "RUS"}
        and (r["source_actor"] or "")[:3] != (r["target_actor"] or "")[:3]
    ]
    assert sorted(e.event_key for e in timeline(sample_store, "BLR", "RUS", asserted_only=False)) == sorted(
        r["event_key"] for r in blr_rus
    )
    # A missing actor is an error naming candidates, not an empty profile.
    with pytest.raises(ActorQueryError) as missing:
        actor_profile(sample_store, "PERSON:nobody at all")
    assert missing.value.reason == "unknown" and missing.value.candidates


def test_profiles_from_summaries_equal_profiles_from_events(sample_store, monkeypatch):
    """The summary rows kept at insert answer a profile exactly as the events
    themselves do (the path taken when an argument matches in several ways)."""
    from eventwire.corpus import query

    rows = sample_store.rows("SELECT source_actor_id, target_actor_id, source_actor FROM events")
    ids = sorted({r[k] for r in rows for k in ("source_actor_id", "target_actor_id") if r[k]})[:12]
    prefixes = sorted({r["source_actor"][:3] for r in rows if r["source_actor"]})[:6]
    args = [*ids, *prefixes, "Lukashenka"]
    summarized = [a for a in args if query._summary_key(query.resolve_argument(sample_store, a)) is not None]
    assert set(ids) <= set(summarized) and set(prefixes) <= set(summarized)
    from_summaries = [actor_profile(sample_store, a, asserted_only=o) for a in args for o in (False, True)]
    monkeypatch.setattr(query, "_summary_key", lambda spec: None)
    from_events = [actor_profile(sample_store, a, asserted_only=o) for a in args for o in (False, True)]
    assert from_summaries == from_events
    assert any(p.events_as_source and p.top_partners and p.top_roots for p in from_summaries)


def test_name_timeline_finds_unresolved_sides_and_swaps_the_lookup_side(store):
    # "Ukraine" resolved to no actor: its name is kept among the unresolved names.
    assert store.rows("SELECT name, n FROM unresolved_names") == [{"name": "Ukraine", "n": 1}]
    assert ids(timeline(store, "ukraine", "belarus")) == ids(timeline(store, "belarus", "ukraine")) == ["a4"]
    # Either argument order gives the same events whichever side is looked up.
    assert ids(timeline(store, "Putin", "Lukashenko")) == ids(timeline(store, "Lukashenko", "Putin")) == ["a2"]
