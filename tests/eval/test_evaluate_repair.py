"""The glued-words benchmark: how it is built and scored."""

import random

from eventwire.eval import repair as er

TEXT = "Officials in Ruritania said on Monday that Anna Kowalczyk met Jan Novak in the capital of Ruritania."


def test_glue_removes_spaces_next_to_capitalized_words_only_and_is_seeded():
    a = er.glue(TEXT, random.Random(1), rate=0.5)
    b = er.glue(TEXT, random.Random(1), rate=0.5)
    assert a == b and a.removed
    for offset in a.removed:
        assert TEXT[offset] == " "
        left, right = TEXT[:offset].split()[-1], TEXT[offset + 1 :].split()[0]
        assert left[0].isupper() or right[0].isupper()
    assert a.glued.replace(" ", "") == TEXT.replace(" ", "")
    assert len(a.glued) == len(TEXT) - len(a.removed)
    assert er.insert_spaces(a.glued, a.gold) == TEXT
    # never two removed spaces around one word
    assert all(" " in TEXT[x + 1 : y] for x, y in zip(a.removed, a.removed[1:], strict=False))


def test_offset_maps_between_clean_glued_and_repaired_text():
    sample = er.glue(TEXT, random.Random(3), rate=0.5)
    to_clean = er.offset_map_removed(len(sample.glued), sample.removed)
    for g, ch in enumerate(sample.glued):
        assert TEXT[to_clean[g]] == ch
    repaired = er.insert_spaces(sample.glued, sample.gold)
    back = er.offset_map_inserted(len(sample.glued), sample.gold)
    assert len(back) == len(repaired) + 1
    for r, ch in enumerate(repaired):
        if ch != " " or r == 0 or repaired[r - 1] == " ":
            continue
        assert back[r] <= len(sample.glued)


def test_split_score_counts_exact_positions():
    score = er.split_score([5, 10, 20], [5, 11, 20, 30])
    assert (score.precision, score.recall) == (0.5, 2 / 3)


def test_dev_and_test_splits_are_disjoint_and_stable():
    ids = [f"doc{i}" for i in range(200)]
    dev = {i for i in ids if er.is_dev("gum_news", i)}
    assert 60 < len(dev) < 140
    assert dev == {i for i in ids if er.is_dev("gum_news", i)}


def test_run_repair_rows_have_the_scores_and_entity_errors():
    rows = er.run_repair(limit=4)
    assert rows[0]["dataset"] == "all (test)" and rows[-1]["dataset"].startswith("all (dev")
    for row in rows:
        assert row["task"] == "repair"
        for key in ("n", "precision", "recall", "f1", "false_splits_per_10k_words", "baseline"):
            assert key in row
        errors = row["entity_errors_bare_spacy"]
        assert set(errors) == {"clean_entities", "glued_before_repair", "after_repair"}
    total = rows[0]
    assert total["n_gold"] > 0 and total["precision"] >= 0.9
    assert total["entity_errors_bare_spacy"]["after_repair"] <= total["entity_errors_bare_spacy"]["glued_before_repair"]


def test_one_split_can_be_scored_alone_and_dev_errors_are_listed():
    dev_only = er.run_repair(limit=6, with_entities=False, split="dev")
    assert dev_only and all("(dev" in row["dataset"] for row in dev_only)
    test_only = er.run_repair(limit=6, with_entities=False, split="test")
    assert test_only and all("(test)" in row["dataset"] for row in test_only)
    # the glue of each document does not depend on which split is scored
    both = er.run_repair(limit=6, with_entities=False)
    assert both[0] == test_only[0] and both[-1] == dev_only[0]
    for _dataset, kind, context in er.dev_errors(limit=6):
        assert kind in {"missed", "wrong", "false"} and "|" in context


def test_predicted_splits_are_the_extracted_records_glue_repairs():
    glued = "Officials in Ruritania said that AnnaKowalczyk met Jan Novak."
    clean = "Officials in Ruritania said that Anna Kowalczyk met Jan Novak."
    assert er.predicted_splits([glued, clean]) == [(glued.index("Kowalczyk"),), ()]
