import json

import pytest

from eventwire.eval import baselines, datasets, ner, runner, scoring
from eventwire.eval import events as ee
from eventwire.extract.nlp import load_bare

# --- span scoring -----------------------------------------------------------


def test_score_spans_exact_numbers():
    gold = [("d", 0, 5, "PER"), ("d", 6, 10, "LOC"), ("d", 12, 15, "ORG"), ("e", 0, 3, "PER")]
    pred = [("d", 0, 5, "PER"), ("d", 6, 10, "ORG"), ("d", 20, 25, "LOC"), ("e", 0, 3, "PER"), ("e", 0, 3, "PER")]
    s = scoring.score_spans(gold, pred)
    # duplicates count once: 4 distinct predictions, 2 right; 4 gold, 2 found
    assert (s.matched_pred, s.n_pred, s.matched_gold, s.n_gold) == (2, 4, 2, 4)
    assert s.precision == pytest.approx(0.5)
    assert s.recall == pytest.approx(0.5)
    assert s.f1 == pytest.approx(0.5)


def test_score_spans_by_label_and_empty_cases():
    gold = [("d", 0, 5, "PER"), ("d", 6, 10, "LOC")]
    pred = [("d", 0, 5, "PER"), ("d", 6, 10, "ORG")]
    by = scoring.score_spans_by_label(gold, pred)
    assert set(by) == {"PER", "LOC", "ORG"}
    assert (by["PER"].precision, by["PER"].recall) == (1.0, 1.0)
    assert (by["LOC"].precision, by["LOC"].recall, by["LOC"].n_pred) == (0.0, 0.0, 0)
    assert (by["ORG"].n_gold, by["ORG"].n_pred) == (0, 1)
    assert scoring.score_spans([], []).f1 == 0.0


def test_f1_is_harmonic_mean():
    s = scoring.Score(matched_pred=3, n_pred=4, matched_gold=3, n_gold=6)
    assert s.precision == 0.75 and s.recall == 0.5
    assert s.f1 == pytest.approx(0.6)
    assert (s + s).as_dict()["n_pred"] == 8


def test_head_match_accepts_span_without_determiner_only():
    gold = [(("d", 10, 31, "place"), ((14, 20), (21, 31)))]  # "the United States", heads United, States
    assert scoring.score_spans_head(gold, [("d", 14, 31, "place")]).recall == 1.0
    assert scoring.score_spans_head(gold, [("d", 21, 31, "place")]).recall == 0.0  # misses a head
    assert scoring.score_spans_head(gold, [("d", 14, 31, "person")]).recall == 0.0  # wrong type
    assert scoring.score_spans_head(gold, [("d", 5, 31, "place")]).precision == 0.0  # runs outside


def test_head_match_is_one_to_one_over_nested_gold():
    # GUM nests "the United States" inside "the United States government"-like
    # mentions of the same type: one prediction counts for one of them only.
    gold = [(("d", 10, 31, "place"), ((14, 31),)), (("d", 10, 40, "place"), ((14, 31),))]
    s = scoring.score_spans_head(gold, [("d", 14, 31, "place")])
    assert (s.matched_pred, s.n_pred, s.matched_gold, s.n_gold) == (1, 1, 1, 2)


def test_spans_from_iob2_handles_adjacent_and_stray_inside_tags():
    offsets = [(0, 3), (4, 8), (9, 12), (13, 17), (18, 20), (21, 25)]
    tags = ["B-PER", "I-PER", "B-PER", "O", "I-LOC", "I-ORG"]
    assert scoring.spans_from_iob2("x", offsets, tags) == [
        ("x", 0, 8, "PER"),
        ("x", 9, 12, "PER"),
        ("x", 18, 20, "LOC"),
        ("x", 21, 25, "ORG"),
    ]


def test_conll_documents_rebuild_text_with_sentence_newlines():
    rows = [
        {"doc": 0, "tokens": ["-DOCSTART-"], "tags": ["O"]},
        {"doc": 0, "tokens": ["Peter", "Blackburn"], "tags": ["B-PER", "I-PER"]},
        {"doc": 0, "tokens": ["BRUSSELS", "1996-08-22"], "tags": ["B-LOC", "O"]},
        {"doc": 1, "tokens": ["The", "European", "Commission", "said"], "tags": ["O", "B-ORG", "I-ORG", "O"]},
    ]
    docs = ner.conll_documents(rows)
    assert [d[0] for d in docs] == ["conll-0", "conll-1"]
    _doc_id, text, gold, n_tokens = docs[0]
    assert text == "Peter Blackburn\nBRUSSELS 1996-08-22"
    assert n_tokens == 4
    assert [(text[s:e], label) for _, s, e, label in gold] == [("Peter Blackburn", "PER"), ("BRUSSELS", "LOC")]
    _, text1, gold1, _ = docs[1]
    assert [text1[s:e] for _, s, e, _ in gold1] == ["European Commission"]


# --- event scoring ----------------------------------------------------------


def test_max_matching_finds_the_augmenting_path():
    # pred 0 may match gold 0 or 1, pred 1 only gold 0: taking the first
    # edge greedily pairs one; the maximum pairs both.
    assert scoring.max_matching([[0, 1], [0]], 2) == 2
    assert scoring.max_matching([[0], [0], [0]], 1) == 1  # three predictions, one gold
    assert scoring.max_matching([[], [1]], 2) == 1
    assert scoring.max_matching([], 3) == 0


def test_score_events_is_one_to_one():
    gold_a = [scoring.GoldEvent("AGREE", ("HUNGOV", "ROUGOV"), ())]
    pred_a = [
        scoring.PredEvent("AGREE", "HUNGOV", None),
        scoring.PredEvent("AGREE", "ROU", None),  # the other half of a compound actor: also right
        scoring.PredEvent("ACCUSE", "HUN", None),
    ]
    gold_b = [scoring.GoldEvent("ASSAULT", ("ISRMIL",), ("PSE",))]
    pred_b = [scoring.PredEvent("ASSAULT", "ISR", "LBN")]
    gold_c: list[scoring.GoldEvent] = []  # a record that expects no event
    pred_c = [scoring.PredEvent("CONSULT", "USA", "CHN")]
    records = [(gold_a, pred_a), (gold_b, pred_b), (gold_c, pred_c)]

    by_type = scoring.score_events(records, scoring.match_code)
    # Two AGREE predictions match record a's one gold event: one counts, the
    # other is a false positive (it counted twice before one-to-one matching).
    assert (by_type.matched_pred, by_type.n_pred, by_type.matched_gold, by_type.n_gold) == (2, 5, 2, 2)
    with_source = scoring.score_events(records, scoring.match_code_source_country)
    assert (with_source.matched_pred, with_source.matched_gold) == (2, 2)
    dyad = scoring.score_events(records, scoring.match_code_dyad_country)
    # record a: gold has no target and none was predicted; record b: wrong target
    assert (dyad.matched_pred, dyad.matched_gold) == (1, 1)
    assert dyad.precision == pytest.approx(1 / 5)
    assert dyad.recall == pytest.approx(1 / 2)
    # Two gold events, two predictions that both match only the first: one pair.
    twice = [scoring.GoldEvent("190", ("ISR",), ()), scoring.GoldEvent("190", ("LBN",), ())]
    both_isr = [scoring.PredEvent("190", "ISR", None), scoring.PredEvent("190", "ISRMIL", None)]
    s = scoring.score_events([(twice, both_isr)], scoring.match_code_source_country)
    assert (s.matched_pred, s.matched_gold) == (1, 1)


def test_cameo_levels_root_code_and_exact_actors():
    gold = scoring.GoldEvent("112", ("USAGOV",), ("RUSGOV",))
    assert scoring.match_root(scoring.PredEvent("111", None, None), gold)
    assert not scoring.match_code(scoring.PredEvent("111", None, None), gold)
    assert scoring.match_root_dyad_country(scoring.PredEvent("110", "USA", "RUSMIL"), gold)
    assert not scoring.match_code_dyad_exact(scoring.PredEvent("112", "USA", "RUSGOV"), gold)
    assert scoring.match_code_dyad_exact(scoring.PredEvent("112", "usagov", "RUSGOV"), gold)
    assert not scoring.match_code(scoring.PredEvent(None, "USAGOV", "RUSGOV"), gold)


def test_compound_gold_source_is_matched_by_both_directed_pairs():
    gold = scoring.GoldEvent("AGREE", ("HUNGOV", "ROUGOV"), ())
    assert scoring.match_code_dyad_country(scoring.PredEvent("AGREE", "HUN", "ROU"), gold)
    assert scoring.match_code_dyad_country(scoring.PredEvent("AGREE", "ROUGOV", "HUNGOV"), gold)
    assert scoring.match_code_dyad_country(scoring.PredEvent("AGREE", "ROU", None), gold)
    assert not scoring.match_code_dyad_country(scoring.PredEvent("AGREE", "HUN", "HUN"), gold)
    assert not scoring.match_code_dyad_country(scoring.PredEvent("AGREE", "HUN", "SRB"), gold)
    single = scoring.GoldEvent("AGREE", ("HUNGOV",), ())
    assert not scoring.match_code_dyad_country(scoring.PredEvent("AGREE", "HUN", "ROU"), single)
    directed = scoring.GoldEvent("AGREE", ("HUN", "ROU"), ("SRB",))
    assert not scoring.match_code_dyad_country(scoring.PredEvent("AGREE", "HUN", "ROU"), directed)


def test_gsr_gold_treats_quoted_actor_text_as_uncoded():
    record = {"expected": [{"source": '"INJURY TOLL"', "target": "AFG", "code": "190"}]}
    assert ee.gsr_gold(record) == [scoring.GoldEvent("190", (), ("AFG",))]
    assert scoring.country("---GOV") == "---"
    assert scoring.country(None) is None


# --- baseline coder ---------------------------------------------------------


def test_parse_country_words_reads_country_entries_and_synonyms_only():
    lines = [
        "# comment",
        "HUNGARY_  [HUN]",
        "+HUNGARIAN_ ",
        "+LAKE_BALATON_",
        "SOME_MINISTER_  # CountryInfo.txt",
        "[HUNGOV 940101-990101]",
        "+MINISTER_ALIAS_",
        "UNITED_STATES_OF_AMERICA_  [USA]",
        "+UNITED_STATES_",
        "US_VIRGIN_ISLANDS_ [USAVIR]",
    ]
    table = baselines.parse_country_words(lines)
    assert table == {
        ("hungary",): "HUN",
        ("hungarian",): "HUN",
        ("lake", "balaton"): "HUN",
        ("united", "states", "of", "america"): "USA",
        ("united", "states"): "USA",
    }


def test_find_countries_longest_match_and_capital_rule():
    table = {("united", "states"): "USA", ("us",): "USA", ("georgia",): "GEO", ("united",): "XXX"}
    assert baselines.find_countries(["The", "United", "States", "told", "us", "that", "Georgia"], table) == ["USA", "GEO"]


def test_keyword_table_uses_known_plover_types_and_cameo_codes():
    plover_types = {
        line.split("\t")[0]
        for line in (datasets.PACKAGE_DATA / "plover_event_types.tsv").read_text(encoding="utf-8").splitlines()[1:]
        if line.strip()
    }
    cameo = {
        line.split("\t")[0]
        for line in (datasets.PACKAGE_DATA / "cameo_codes.tsv").read_text(encoding="utf-8").splitlines()[1:]
        if line.strip()
    }
    table = baselines.load_keywords()
    assert len(table) > 50
    assert {r.plover for r in table.values()} <= plover_types
    assert {r.cameo for r in table.values()} <= cameo


def test_baseline_coder_on_sentences():
    nlp = load_bare()
    keywords, countries = baselines.load_keywords(), baselines.country_words()

    def code(text: str, scheme: str = "plover") -> list[scoring.PredEvent]:
        return baselines.baseline_events(nlp(text), keywords, countries, scheme)

    assert code("Hungarian officials accused Romania of mistreating refugees.") == [
        scoring.PredEvent("ACCUSE", "HUN", "ROU")
    ]
    assert code("Hungarian officials accused Romania of mistreating refugees.", "cameo")[0].code == "112"
    assert code("Troops attacked the town on Monday.") == [scoring.PredEvent("ASSAULT", None, None)]
    assert code("The weather in France was pleasant.") == []


# --- runners ----------------------------------------------------------------


def test_main_eval_events_json_on_small_subset(capsys):
    assert runner.main_eval("events", True, limit=4) == 0
    entries = json.loads(capsys.readouterr().out)
    names = [e["dataset"] for e in entries]
    assert names == ["plover_gsr_cameo", "petrarch2_gsr_validation", "petrarch2_unit_cameo"]
    assert ["plover" in names[0], "gsr" in names[1], "unit" in names[2]] == [True, True, True]
    for e in entries:
        assert {"task", "dataset", "n", "precision", "recall", "f1", "baseline", "levels", "confusion", "splits"} <= set(e)
        assert e["all_events"] == e["levels"][f"all_events {e['match']}"]
        assert e["all_events"]["matched_pred"] == e["all_events"]["matched_gold"]  # one-to-one
        assert e["task"] == "events" and e["n"] == 4
        assert {"name", "precision", "recall", "f1"} <= set(e["baseline"])
        assert all(0.0 <= e[k] <= 1.0 for k in ("precision", "recall", "f1"))
        assert e["splits"]["dev"]["n"] + e["splits"]["test"]["n"] == 4
    assert entries[0]["n_gold_events"] == 4
    assert set(scoring.PLOVER_LEVELS) <= set(entries[0]["levels"])
    assert sum(sum(row.values()) for row in entries[0]["confusion"].values()) == 4


def test_ner_names_absent_restricted_conll_and_still_succeeds(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv(datasets.EVAL_DIR_ENV, str(tmp_path))
    assert datasets.find_shared_file(datasets.CONLL_FILE, restricted=True) is None
    assert runner.main_eval("ner", True, limit=1) == 0
    captured = capsys.readouterr()
    conll, gum = json.loads(captured.out)
    assert conll["dataset"] == "conll2003_test" and conll["restricted_absent"] == datasets.CONLL_FILE
    assert datasets.CONLL_FILE in captured.err and "restricted" in captured.err
    assert gum["dataset"] == "gum_news" and gum["n"] == 1 and gum["baseline"]["name"] == "spacy_bare"
    assert set(gum["per_type"]) <= {"person", "organization", "place"}


def test_timex_names_absent_te3_and_still_succeeds(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv(datasets.EVAL_DIR_ENV, str(tmp_path))
    assert runner.main_eval("timex", True) == 0
    assert datasets.TE3_FILE in capsys.readouterr().err


def test_an_evaluator_that_cannot_run_exits_non_zero(monkeypatch, capsys):
    assert runner.main_eval("nonsense", False) == 2
    monkeypatch.setitem(runner.TASKS, "unloadable", "no_such_module:run")
    assert runner.main_eval("unloadable", False) == 1
    assert "no_such_module" in capsys.readouterr().err

    def failing(limit):
        raise FileNotFoundError("gold.jsonl")

    monkeypatch.setitem(runner.TASKS, "failing", failing)
    assert runner.main_eval("failing", True) == 1
    assert "FileNotFoundError: gold.jsonl" in capsys.readouterr().err

    def skipping(limit):  # a skipped row that is no absent restricted set is a failure
        return [{"task": "skipping", "dataset": "d", "skipped": "data not found"}]

    monkeypatch.setitem(runner.TASKS, "skipping", skipping)
    assert runner.main_eval("skipping", True) == 1
    assert "skipping/d could not run: data not found" in capsys.readouterr().err


def test_run_eventwire_fills_the_trace_from_the_same_run():
    from eventwire.extract.trace import ExtractTrace

    trace = ExtractTrace()
    [article] = datasets.run_eventwire([{"text": '"We will win," Angela Merkel said. She met Emmanuel Macron in Paris.'}], trace=trace)
    assert {w.doc_id for w in trace.speakers} == {article.doc_id}
    [words] = trace.speakers
    assert article.text[words.start : words.end] == "Angela Merkel"
    she = article.text.index("She")
    linked = {(a.start, a.end): a.entity.name for a in trace.antecedents}
    assert linked[(she, she + 3)] == "Angela Merkel"


def test_delegated_results_get_common_keys():
    entry = runner.normalise_delegated(
        {"task": "quotes", "dataset": "gum", "documents": 24, "overlap": {"precision": 0.5, "recall": 0.25, "f1": 0.3333}}
    )
    assert (entry["n"], entry["precision"], entry["recall"], entry["match"]) == (24, 0.5, 0.25, "overlap")
    kept = runner.normalise_delegated({"task": "timex", "dataset": "te3", "n": 20, "precision": 0.9, "recall": 0.8, "f1": 0.85})
    assert kept["precision"] == 0.9 and "match" not in kept


def test_error_buckets_name_the_closest_miss_and_count_extras():
    G, P = scoring.GoldEvent, scoring.PredEvent
    records = [
        ([G("190", ("RUS",), ("UKR",))], [P("190", "RUS", "UKR")]),  # right
        ([G("190", ("RUS",), ("UKR",))], [P("190", "UKR", "RUS")]),  # swapped
        ([G("173", ("KEN",), ("KEN",))], [P("173", "KEN", None), P("042", "USA", "KEN")]),  # no target + an extra
        ([G("042", ("FRA",), ("DEU",))], [P("042", "FRA", "ITA")]),  # wrong target
        ([G("112", ("PHL",), ("CHN",))], [P("190", "PHL", "CHN")]),  # wrong code
        ([G("112", ("PHL",), ("CHN",))], [P("112", "VNM", "CHN")]),  # wrong source
        ([G("036", ("IRN",), ())], []),  # no event
    ]
    counts = scoring.error_buckets(records, scoring.match_root_dyad_country, scoring.match_root)
    assert counts == {
        "no event": 1, "wrong code": 1, "wrong source": 1, "no target": 1, "wrong target": 1,
        "swapped direction": 1, "extra event": 1,
    }  # fmt: skip
    assert scoring.matching_pairs([[0, 1], [0]], 2) == [(0, 1), (1, 0)]
