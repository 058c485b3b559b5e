"""Tests of eventwire.eval.events: the three event sets, the scoring
conventions and the validation-dictionary coding."""

from __future__ import annotations

import eventwire
from eventwire.eval import datasets, runner, scoring
from eventwire.eval import events as ee
from eventwire.model import ActorRef, Event, Evidence


def _event(code: str, plover: str | None, source: str | None, target: str | None, trigger: int, sentence: int = 0, modality: str = "asserted") -> Event:
    def ref(code: str | None) -> ActorRef | None:
        return ActorRef(None, code, code) if code else None

    return Event(
        id="x", code=code, label="", plover=plover, goldstein=0.0, quad_class=1, source=ref(source), target=ref(target),
        date=None, date_basis="none", location=None, quantity=None, modality=modality,  # type: ignore[arg-type]
        attributed_to=None, trigger=Evidence(trigger, trigger + 3, "abc"), evidence=Evidence(sentence, sentence + 50, "s"),
    )  # fmt: skip


class _Article:
    def __init__(self, evs: list[Event]) -> None:
        self.events = tuple(evs)


def test_top_events_keep_each_sentences_first_trigger_and_scored_modalities():
    art = _Article(
        [
            _event("042", "CONSULT", "USA", "CHN", trigger=5),
            _event("043", "CONSULT", "CHN", "USA", trigger=5),
            _event("190", "ASSAULT", "CHN", "TWN", trigger=20),
            _event("057", "SUPPORT", "CHN", "RUS", trigger=60, sentence=55, modality="negated"),
            _event("080", "CONCEDE|RETREAT", "RUS", None, trigger=70, sentence=55),
        ]
    )
    coded = ee.coded_events(art, "plover")  # type: ignore[arg-type]
    assert [c.pred.code for c in coded] == ["CONSULT", "CONSULT", "ASSAULT", "CONCEDE"]
    assert ee.top_events(coded) == [
        scoring.PredEvent("CONSULT", "USA", "CHN"), scoring.PredEvent("CONSULT", "CHN", "USA"), scoring.PredEvent("CONCEDE", "RUS", None)
    ]  # fmt: skip
    assert len(ee.all_events(coded)) == 4


def test_confusion_counts_each_gold_event_once():
    records = [
        ([scoring.GoldEvent("112", ("USA",), ("CHN",))], [scoring.PredEvent("190", None, None), scoring.PredEvent("111", None, None)]),
        ([scoring.GoldEvent("042", ("USA",), ())], [scoring.PredEvent("190", None, None)]),
        ([scoring.GoldEvent("042", ("USA",), ())], []),
        ([], [scoring.PredEvent("036", None, None)]),
    ]
    table = ee.confusion(records, "cameo")
    assert table == {"04": {"19": 1, "none": 1}, "11": {"11": 1}, "none": {"03": 1}}
    assert ee.format_confusion(table)[1].split()[:2] == ["04", "n=2"]


def test_split_is_fixed_and_roughly_even():
    ids = [f"R-{n}" for n in range(200)]
    parts = [ee.split_of(i) for i in ids]
    assert parts == [ee.split_of(i) for i in ids]
    assert 70 < parts.count("dev") < 130


def test_unit_records_are_the_185_all_cameo_records():
    records = ee.unit_records(datasets.PACKAGE_EVAL / ee.UNIT_FILE)
    assert len(records) == 185
    codes = ee.cameo_code_set()
    assert all(r["expected"] and all(e["code"] in codes for e in r["expected"]) for r in records)


def test_validation_lexicon_and_tables_code_the_fictional_world():
    lexicon = ee.validation_lexicon()
    assert lexicon.countries["ARNOR"] == "ARN" and lexicon.agents["PRESIDENT"] == "~GOV"
    tables = ee.validation_tables()
    assert not tables.recode_intent and "restore" in tables.verbs
    coding = ee.validation_coding()
    assert coding.lexicon.countries == lexicon.countries and coding.triggers.verbs == tables.verbs
    art = eventwire.extract("Arnor is about to restore full diplomatic ties with Gondor.", published="1995-01-01", tables=coding)
    assert [(e.code, e.source.actor, e.target.actor) for e in art.events] == [("064", "ARN", "GON")]
    # The same sentence with eventwire's own tables knows no Arnor.
    assert eventwire.extract("Arnor is about to restore full diplomatic ties with Gondor.").events == ()


def test_run_events_rows_on_a_small_subset():
    rows = ee.run_events(limit=3)
    assert [r["dataset"] for r in rows] == ["plover_gsr_cameo", "petrarch2_gsr_validation", "petrarch2_unit_cameo"]
    for row in rows:
        assert row["n"] == 3 and row["match"] in row["levels"] and f"all_events {row['match']}" in row["levels"]
        assert row["baseline"]["name"] == "keyword_coder" and "confusion" in row and "baseline_confusion" in row
        assert set(row["errors"]) == {"top_events", "all_events"} and 0 <= row["extra_share"] <= 1
    text = runner.format_table(rows, "test")
    assert text.count("confusion (gold family") == 3 and text.count("swapped direction") == 3
