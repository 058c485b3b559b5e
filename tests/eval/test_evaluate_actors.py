"""The actors/coref evaluations: pure helpers on hand-made records, runners on
a few records through ``eventwire.extract``."""

from __future__ import annotations

import eventwire
from eventwire.eval import actors as ea
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


def test_code_of_span_prefers_the_best_fit_and_takes_an_event_actors_sector() -> None:
    spans = [
        ea.CodedSpan(7, 16, "HUN", False),  # the entity "Hungarian"
        ea.CodedSpan(21, 29, "ROU", False),  # the entity "Romanian"
        ea.CodedSpan(0, 39, "HUNGOV", True),  # event actor "Senior Hungarian and Romanian officials"
        ea.CodedSpan(0, 39, "ROUGOV", True),
    ]
    assert ea.code_of_span(spans, 21, 29) == "ROUGOV"  # ROU, with the sector of the ROU event actor
    assert ea.code_of_span(spans, 7, 16) == "HUNGOV"
    assert ea.code_of_span(spans, 40, 50) is None
    assert ea.code_of_span([ea.CodedSpan(0, 5, "USA", False), ea.CodedSpan(0, 5, "USAGOV", True)], 0, 5) == "USAGOV"


def test_codes_are_read_off_the_extracted_record() -> None:
    article = eventwire.extract("Senior Hungarian and Romanian officials agreed on Wednesday to cooperate.")
    spans = ea.coded_spans(article)
    assert all(article.text[s.start : s.end] for s in spans)
    start, end = ea.find_span(article.text, "Romanian")
    assert ea.code_of_span(spans, start, end) == "ROUGOV"
    # Entities' codes and events' actor codes; the events' alone.
    assert {"HUN", "ROU"} <= ea.proposed_codes(article)
    assert ea.proposed_codes(article, events_only=True) <= ea.proposed_codes(article)
    assert not {"HUN", "ROU"} & ea.proposed_codes(article, events_only=True)


def test_set_score_gives_precision_of_the_proposed_codes() -> None:
    s = ea.set_score({"USAGOV", "RUSGOV"}, {"USAGOV", "USA", "RUS", "FRAGOV"})
    assert (s.precision, s.recall) == (0.25, 0.5)


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
    plover, gsr, plover_ablated, gsr_ablated = ea.run_actors(limit=3)
    assert plover["dataset"] == "plover_gsr_cameo" and plover["n"] == 3
    # The same records coded with no person in the dictionaries.
    assert plover_ablated["dataset"] == "plover_gsr_cameo (person entries ablated)"
    assert plover_ablated["n_gold"] == plover["n_gold"] and gsr_ablated["n_gold"] == gsr["n_gold"]
    levels = plover["levels"]
    assert plover["n_gold"] == levels["source_country"]["total"] + levels["target_country"]["total"] > 0
    correct = levels["source_country"]["correct"] + levels["target_country"]["correct"]
    assert plover["f1"] == plover["accuracy"] == round(correct / plover["n_gold"], 4)
    assert 0.0 <= plover["f1"] <= 1.0 and plover["baseline"]["name"]
    # GSR: precision of the proposed codes beside their recall, from the counts.
    full = gsr["levels"]["full_code"]
    assert gsr["dataset"] == "petrarch2_gsr_validation" and gsr["n_gold"] == full["n_gold"] > 0
    assert gsr["precision"] == round(full["matched_pred"] / full["n_pred"], 4)
    assert gsr["recall"] == round(full["matched_gold"] / full["n_gold"], 4)
    assert gsr["n_pred"] >= gsr["levels"]["event actors only, full code"]["n_pred"]
    (coref,) = ea.run_coref(limit=1)
    assert coref["task"] == "coref" and coref["n"] == 1
    assert coref["levels"]["pronoun"]["total"] + coref["levels"]["surname"]["total"] == coref["n_gold"]


def test_dev_split_is_a_stable_hash_half() -> None:
    from eventwire.eval.actors import is_dev_record

    ids = [f"PLOVER-GSR01-X-{i:04d}" for i in range(200)]
    dev = [i for i in ids if is_dev_record(i)]
    assert 60 < len(dev) < 140  # roughly half
    assert dev == [i for i in ids if is_dev_record(i)]  # same split every run


def test_the_person_ablation_removes_people_and_keeps_countries_and_groups():
    from eventwire.extract import actors
    from eventwire.extract.actors import name_key

    lex = actors.lexicon()
    people = {key for keys in lex.surnames.values() for key in keys}
    assert people and people <= set(lex.actors)
    ablated = ea.without_people(lex)
    assert not people & set(ablated.actors) and not ablated.surnames
    assert ablated.countries == lex.countries and ablated.agents == lex.agents
    # Organisations and groups stay (they are no person entry).
    kept = set(lex.actors) - people
    assert kept and kept <= set(ablated.actors)
    assert name_key("Belarus") in ablated.countries
