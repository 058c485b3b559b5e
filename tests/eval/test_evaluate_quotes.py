"""``eventwire eval quotes``: the pure scorers, the textacy baseline, and the
dataset runners on small gold files written here (real model, real actors)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from eventwire.eval import quotes as evaluate_quotes
from eventwire.eval.quotes import (
    GoldQuote,
    PredQuote,
    Tally,
    coverage,
    evaluate_gum,
    evaluate_polnear,
    eventwire_predictions,
    speaker_right,
    tally_document,
    textacy_predictions,
)

# --- pure scoring -------------------------------------------------------------


def test_coverage_counts_the_union_of_the_other_spans() -> None:
    assert coverage([(0, 10)], [(0, 5)]) == 0.5
    assert coverage([(0, 10)], [(0, 3), (2, 6)]) == 0.6
    assert coverage([(0, 4), (10, 14)], [(0, 4)]) == 0.5  # a gold item in two pieces
    assert coverage([(0, 10)], []) == 0.0
    assert coverage([], [(0, 1)]) == 0.0


def test_tally_found_needs_half_of_the_gold_span() -> None:
    gold = [GoldQuote(((0, 10),), True, ((20, 25),)), GoldQuote(((30, 40),), True)]
    preds = [PredQuote(0, 6, True, ((20, 25),)), PredQuote(30, 34, True), PredQuote(50, 60, True)]
    tally = Tally()
    tally_document(tally, gold, preds, [(0, 10), (30, 40)])
    result = tally.as_dict()
    # (30, 34) covers 40% of its gold item: not found, but it lies in gold content.
    assert (result["matched_gold"], result["n_gold"]) == (1, 2)
    assert (result["matched_pred"], result["n_pred"]) == (2, 3)
    assert result["speaker_accuracy"] == 1.0 and result["speaker_scored"] == 1


def test_speaker_by_phrase_or_by_entity_mention() -> None:
    gold = GoldQuote(((0, 10),), True, ((100, 105),))
    by_entity = PredQuote(0, 10, True, ((50, 52),), ((100, 105),))  # "he", entity mentioned at 100
    assert not speaker_right(by_entity, gold)
    assert speaker_right(by_entity, gold, with_entity=True)
    assert not speaker_right(PredQuote(0, 10, True), gold)


def test_speaker_accuracy_is_the_named_phrase_for_both_systems() -> None:
    gold = [GoldQuote(((0, 10),), True, ((100, 105),))]
    ours, theirs = Tally(), Tally()
    # eventwire names "he" at 50 (its entity also mentioned at 100); textacy names 100.
    tally_document(ours, gold, [PredQuote(0, 10, True, ((50, 52),), ((100, 105),))], [(0, 10)])
    tally_document(theirs, gold, [PredQuote(0, 10, True, ((100, 105),))], [(0, 10)])
    assert ours.as_dict()["speaker_accuracy"] == 0.0 and ours.as_dict()["speaker_entity_accuracy"] == 1.0
    assert theirs.as_dict()["speaker_accuracy"] == 1.0


def test_eventwire_predictions_come_from_extract_in_raw_offsets() -> None:
    # Windows line breaks are repaired to "\n": offsets are mapped back to the text as given.
    text = 'Talks in Berlin.\r\n\r\n"We will win," she said on Monday.\r\n\r\nAngela Merkel said that talks would go on.'
    [preds] = eventwire_predictions([{"text": text, "published": "2020-01-02"}])
    marked = [p for p in preds if p.marked]
    assert [text[p.start : p.end] for p in marked] == ['"We will win,"']
    assert [text[s:e] for s, e in marked[0].speaker] == ["she"]
    reported = [p for p in preds if not p.marked]
    assert [text[s:e] for p in reported for s, e in p.speaker] == ["Angela Merkel"]


def test_wrong_speaker_lowers_accuracy_not_recall() -> None:
    tally = Tally()
    tally_document(tally, [GoldQuote(((0, 10),), True, ((20, 25),))], [PredQuote(0, 10, True, ((30, 35),))], [(0, 10)])
    result = tally.as_dict()
    assert result["recall"] == 1.0 and result["speaker_accuracy"] == 0.0


# --- the baseline ---------------------------------------------------------------


def test_textacy_baseline_counts_its_errors() -> None:
    balanced = '"We will not retreat from this position," Angela Merkel said on Monday.'
    odd = 'Angela Merkel said: "We will go on.\n\n"We are partners," she added.'
    found, errors = textacy_predictions([balanced, odd])
    assert errors == 1
    assert found[1] == []
    (quote,) = found[0]
    assert balanced[quote.start : quote.end].startswith('"We will not retreat')
    assert any("Merkel" in balanced[s:e] for s, e in quote.speaker)


# --- datasets -------------------------------------------------------------------


def polnear_record(text: str, quotes: list[dict[str, Any]], primary: bool = True) -> dict[str, Any]:
    return {"id": "a_x", "article": "a", "primary": primary, "text": text, "quotes": quotes}


def attribution(text: str, content: str, speaker: str | None, marks: bool) -> dict[str, Any]:
    start = text.index(content)
    who = text.index(speaker) if speaker else None
    return {
        "quote_spans": [[start, start + len(content)]],
        "speaker_start": who,
        "speaker_end": who + len(speaker) if speaker and who is not None else None,
        "type": "Attribution" if speaker else "Attribution-no-source",
        "has_quote_marks": marks,
    }


def test_evaluate_polnear_on_a_small_file(tmp_path: Path) -> None:
    text = (
        "Talks in Berlin.\n\n"
        '"We will not retreat from this position," Angela Merkel said on Monday.\n\n'
        "Emmanuel Macron said that the border would stay open until May."
    )
    record = polnear_record(
        text,
        [
            attribution(text, '"We will not retreat from this position,"', "Angela Merkel", True),
            attribution(text, "the border would stay open until May", "Emmanuel Macron", False),
        ],
    )
    path = tmp_path / "quotes_polnear_test.jsonl"
    lines = [record, {**record, "id": "a_y", "primary": False}]  # a second annotator is not scored
    path.write_text("".join(json.dumps(r) + "\n" for r in lines), encoding="utf-8")
    direct, reported = evaluate_polnear(path)
    assert "polnear" in direct["dataset"] and direct["n"] == 1
    assert (direct["f1"], direct["speaker_accuracy"]) == (1.0, 1.0)
    assert direct["baseline"]["name"] == "textacy.direct_quotations"
    assert direct["baseline"]["recall"] == 1.0 and direct["baseline"]["errors"] == 0
    assert (reported["f1"], reported["attribution_f1"], reported["speaker_accuracy"]) == (1.0, 1.0, 1.0)
    assert reported["baseline"]["recall"] == 0.0


def test_evaluate_gum_on_a_small_gold_file(tmp_path: Path) -> None:
    text = 'Angela Merkel spoke in Berlin.\n\n"We will win," she said. The weather was "fine".'
    quote = '"We will win,"'
    start, she = text.index(quote), text.index("she")
    doc = {
        "id": "d1",
        "text": text,
        "entities": [{"id": "1", "mentions": [{"start": 0, "end": 13}, {"start": she, "end": she + 3}]}],
    }
    gold = {
        "id": "d1",
        "quotes": [
            {"start": start, "end": start + len(quote), "text": quote, "speaker_entity": "1", "speaker_source": "attribution"}
        ],
        "attributions": [],
    }
    (tmp_path / "gum_news.jsonl").write_text(json.dumps(doc) + "\n", encoding="utf-8")
    (tmp_path / "gum_news_quotes.jsonl").write_text(json.dumps(gold) + "\n", encoding="utf-8")
    row, reported = evaluate_gum(tmp_path / "gum_news_quotes.jsonl")
    assert reported["dataset"] == "gum_news_reported" and reported["n_gold"] == 0
    # The scare-quoted "fine" has no speech verb above it and is not predicted.
    assert (row["n_pred"], row["precision"], row["recall"]) == (1, 1.0, 1.0)
    assert row["speaker_accuracy"] == 1.0 and row["speaker_accuracy_all_items"] == 1.0
    # The baseline finds the quotation too, with the pronoun as its speaker.
    assert (row["baseline"]["n_pred"], row["baseline"]["speaker_accuracy"]) == (1, 1.0)


def test_run_quotes_skips_polnear_when_the_restricted_folder_is_absent(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(evaluate_quotes, "find_polnear", lambda: None)
    monkeypatch.setattr(
        evaluate_quotes, "evaluate_gum", lambda path, limit=None: [{"task": "quotes", "dataset": "gum_news_quotes"}]
    )
    rows = evaluate_quotes.run_quotes(limit=1)
    assert rows[0]["dataset"] == "polnear_test" and rows[0]["restricted_absent"] == "quotes_polnear_test.jsonl"
    assert rows[1]["dataset"] == "gum_news_quotes"


def test_gum_reported_speech_scored_on_head_units(tmp_path: Path) -> None:
    text = "Angela Merkel said that the border would stay open until May because of the summit."
    head = "the border would stay open until May"  # GUM gives only the head unit
    start, who = text.index(head), text.index("Angela Merkel")
    doc = {"id": "d1", "text": text, "entities": [{"id": "1", "mentions": [{"start": who, "end": who + 13}]}]}
    gold = {
        "id": "d1",
        "quotes": [],
        "attributions": [
            {
                "content_edu": {"start": start, "end": start + len(head), "text": head},
                "sources": [{"start": who, "end": who + 13}],
                "source_entity": "1",
            }
        ],
    }
    (tmp_path / "gum_news.jsonl").write_text(json.dumps(doc) + "\n", encoding="utf-8")
    (tmp_path / "gum_news_quotes.jsonl").write_text(json.dumps(gold) + "\n", encoding="utf-8")
    _, reported = evaluate_gum(tmp_path / "gum_news_quotes.jsonl")
    assert (reported["precision"], reported["recall"], reported["speaker_accuracy"]) == (1.0, 1.0, 1.0)


@pytest.mark.slow
def test_gum_figures() -> None:
    row, reported = evaluate_gum()
    assert reported["recall"] >= 0.4 and reported["precision"] >= 0.85
    assert row["n_gold"] == 84
    assert row["recall"] >= 0.8
    assert row["speaker_accuracy"] >= 0.85
    assert row["f1"] > row["baseline"]["f1"]
