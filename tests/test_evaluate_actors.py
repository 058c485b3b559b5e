"""The actors/coref evaluations: pure helpers on hand-made records, runners on one record."""

from __future__ import annotations

from eventwire import evaluate_actors as ea
from eventwire.model import Segment


def test_country_of_maps_old_gold_codes() -> None:
    assert ea.country_of("JAPGOV") == "JPN"
    assert ea.country_of("USAGOVMIL") == "USA"
    assert ea.country_of(None) is None
    assert ea.sectors_of("USAGOVMIL") == frozenset({"GOV", "MIL"})


def test_find_span_uses_the_longest_piece_of_an_elided_text() -> None:
    text = "U.S. and Russian negotiators return to Geneva."
    assert ea.find_span(text, "Russian negotiators") == (9, 28)
    start, end = ea.find_span(text, "U.S. ... negotiators")
    assert text[start:end] == "negotiators"
    assert ea.find_span(text, "Martians") is None


def test_code_span_codes_an_actor_text_in_its_sentence() -> None:
    ctx, index = ea.analyse("Senior Hungarian and Romanian officials agreed on Wednesday to cooperate.", None)
    start, end = ea.find_span(ctx.text, "Romanian")
    assert ea.code_span(index, ctx.doc, start, end) == "ROUGOV"


def test_raw_to_clean_follows_segments() -> None:
    segments = (Segment(0, 5, 0), Segment(6, 10, 5))  # one character inserted at 5
    assert ea.raw_to_clean(segments, 3) == 3
    assert ea.raw_to_clean(segments, 7) == 8


def test_coref_items_pick_person_pronouns_and_surnames() -> None:
    record = {
        "entities": [
            {
                "type": "person",
                "mentions": [
                    {"start": 0, "end": 9, "text": "Ann Smith", "form": "proper"},
                    {"start": 20, "end": 23, "text": "she", "form": "pronoun"},
                    {"start": 30, "end": 35, "text": "Smith", "form": "proper"},
                ],
            },
            {"type": "place", "mentions": [{"start": 40, "end": 42, "text": "it", "form": "pronoun"}]},
        ]
    }
    items = ea.coref_items(record)
    assert [(i.kind, i.start) for i in items] == [("pronoun", 20), ("surname", 30)]
    assert items[1].antecedents == ((0, 9), (20, 23))


def test_run_actors_and_coref_report_accuracies_beside_baselines() -> None:
    plover, gsr = ea.run_actors(limit=3)
    assert "plover" in plover["dataset"] and plover["f1"] == plover["levels"]["source_country"]["accuracy"] or plover["n_gold"] > 0
    assert 0.0 <= plover["f1"] <= 1.0 and plover["baseline"]["name"]
    assert gsr["levels"]["country"]["total"] == gsr["n_gold"]
    (coref,) = ea.run_coref(limit=1)
    assert coref["task"] == "coref" and coref["n"] == 1
    assert coref["levels"]["pronoun"]["total"] + coref["levels"]["surname"]["total"] == coref["n_gold"]


def test_dev_split_is_a_stable_hash_half() -> None:
    from eventwire.evaluate_actors import is_dev_record

    ids = [f"PLOVER-GSR01-X-{i:04d}" for i in range(200)]
    dev = [i for i in ids if is_dev_record(i)]
    assert 60 < len(dev) < 140  # roughly half
    assert dev == [i for i in ids if is_dev_record(i)]  # same split every run
