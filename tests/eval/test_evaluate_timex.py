"""The TempEval-3 scorer, the spaCy + dateparser baseline, the split into a
tune and a held-out half, and the scores on the shared set (slow; skipped
where the set is absent: it is never copied into the repo)."""

from __future__ import annotations

import pytest

from eventwire.eval import datasets, runner
from eventwire.eval import timex as evaluate_timex
from eventwire.model import TimeExpr


def gold(text: str, start: int, value: str, kind: str = "DATE") -> dict:
    return {"text": text, "start": start, "end": start + len(text), "value": value, "type": kind}


def test_score_document_counts_relaxed_strict_and_value_matches() -> None:
    golds = [gold("last Friday", 10, "2013-03-15"), gold("two weeks", 40, "P2W", "DURATION"), gold("now", 70, "PRESENT_REF")]
    preds = [
        TimeExpr("Friday", 15, 21, "2013-03-15"),  # overlaps, right value, not the same extent
        TimeExpr("two weeks", 40, 49, "P3W", "DURATION"),  # same extent, wrong value
        TimeExpr("1990", 90, 94, "1990"),  # spurious
    ]
    counts = evaluate_timex.score_document(golds, preds)
    assert (counts["relaxed_pred"], counts["relaxed_gold"], counts["strict"], counts["value"]) == (2, 2, 1, 1)
    result = evaluate_timex.scores([counts])
    assert result["precision"] == round(2 / 3, 4) and result["recall"] == round(2 / 3, 4)
    assert result["strict_f1"] == round(1 / 3, 4)
    assert result["value_f1"] == round(1 / 3, 4)
    assert result["type_accuracy"] == 1.0


def test_mod_is_scored_over_matched_pairs() -> None:
    golds = [{**gold("early 2011", 0, "2011"), "mod": "START"}, gold("2012", 20, "2012")]
    preds = [TimeExpr("early 2011", 0, 10, "2011", mod="START"), TimeExpr("2012", 20, 24, "2012", mod="END")]
    assert evaluate_timex.scores([evaluate_timex.score_document(golds, preds)])["mod_accuracy"] == 0.5


def test_the_split_is_fixed_by_the_document_id() -> None:
    ids = [f"doc_{i}" for i in range(40)]
    halves = [evaluate_timex.half(i) for i in ids]
    assert halves == [evaluate_timex.half(i) for i in reversed(ids)][::-1]
    assert 10 < halves.count("heldout") < 30


def test_predict_reads_the_extracted_record_dated_by_the_creation_time() -> None:
    # TE3 texts start with blank lines; repairs must not shift the offsets scored.
    text = "\n\nThe talks ended on Friday.\r\nThey resume next month."
    preds = evaluate_timex.predict(text, "2013-03-22")
    assert [(text[p.start : p.end], p.value) for p in preds] == [("Friday", "2013-03-22"), ("next month", "2013-04")]
    assert [p.value for p in evaluate_timex.predict(text, "2001-01-10")][:1] == ["2001-01-05"]


def test_baseline_values_with_dateparser_relative_to_the_creation_time() -> None:
    assert evaluate_timex.dateparser_value("March 5, 2013", "2013-03-22") == "2013-03-05"
    assert evaluate_timex.dateparser_value("yesterday", "2013-03-22") == "2013-03-21"
    assert evaluate_timex.dateparser_value("April 2012", "2013-03-22") == "2012-04"
    assert evaluate_timex.dateparser_value("the coming decades", "2013-03-22") is None


def test_baseline_uses_the_bare_model_spans() -> None:
    text = "The talks ended on March 5, 2013, after two weeks."
    preds = evaluate_timex.predict_baseline(text, "2013-03-22")
    march = next(p for p in preds if "March 5" in p.text)
    assert text[march.start : march.end] == march.text
    assert march.value == "2013-03-05"


def test_markdown_table_has_the_anchors_and_both_systems() -> None:
    brief = {"documents": 10, "f1": 0.9, "strict_f1": 0.8, "value_f1": 0.7}
    result = {**brief, "halves": {"heldout": brief}, "baseline": {**brief, "halves": {"heldout": brief}}}
    table = evaluate_timex.markdown_table(result)
    assert "| HeidelTime (published) | 90.3 | 81.3 | 77.6 |" in table
    assert "| SUTime (published) | 90.3 | 79.6 | 67.4 |" in table
    assert "spaCy DATE/TIME spans + dateparser | 90.0 | 80.0 | 70.0 |" in table


@pytest.fixture(scope="module")
def te3_row() -> dict:
    if datasets.find_shared_file(datasets.TE3_FILE, restricted=False) is None:
        pytest.skip("TempEval-3 platinum set not in ../shared/eval (never copied into the repo)")
    rows = runner.run_timex(None)
    assert len(rows) == 1
    return rows[0]


@pytest.mark.slow
def test_run_timex_row_shape(te3_row: dict) -> None:
    assert te3_row["task"] == "timex" and "te3" in te3_row["dataset"]
    assert te3_row["f1"] == te3_row["relaxed"]["f1"]
    assert te3_row["strict_f1"] == te3_row["strict"]["f1"] and te3_row["value_f1"] == te3_row["value"]["f1"]
    assert te3_row["baseline"]["name"] == evaluate_timex.BASELINE_NAME
    assert {"f1", "strict_f1", "value_f1"} <= set(te3_row["baseline"])
    assert te3_row["n"] == 20 and te3_row["gold"] == 138
    assert te3_row["halves"]["tune"]["gold"] + te3_row["halves"]["heldout"]["gold"] == 138


@pytest.mark.slow
def test_te3_targets_hold_and_beat_the_baseline(te3_row: dict) -> None:
    assert te3_row["f1"] >= 0.90
    assert te3_row["value_f1"] >= 0.80
    assert te3_row["halves"]["heldout"]["value_f1"] >= 0.80
    assert te3_row["value_f1"] > te3_row["baseline"]["value_f1"] + 0.2
