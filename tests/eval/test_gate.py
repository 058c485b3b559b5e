"""``eventwire eval --gate``: floors, their updates, and the gate on a quick
real evaluation (the actors task on a few records)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from eventwire.cli import main as cli
from eventwire.eval import datasets, gate

ACTORS_KEYS = [gate.key(t, d, f) for t, d, f in gate.HEADLINES if t == "actors"]


def write(path: Path, floors: dict[str, float]) -> Path:
    path.write_text(json.dumps({"floors": floors}), encoding="utf-8")
    return path


def test_floor_of_rounds_down_to_three_decimals() -> None:
    assert gate.floor_of(0.3414) == 0.341
    assert gate.floor_of(0.9999) == 0.999
    assert gate.floor_of(0.29) == 0.29  # 0.29 * 1000 is 289.99999999999997
    assert gate.floor_of(1.0) == 1.0


def test_update_raises_and_lowers_only_when_allowed() -> None:
    floors = {"a": 0.5, "b": 0.8}
    figures: dict[str, float | str] = {"a": 0.6234, "b": 0.7, "c": 0.1, "d": "restricted data set x absent"}
    raised, changes = gate.updated_floors(floors, figures)
    assert raised == {"a": 0.623, "b": 0.8, "c": 0.1}
    assert len(changes) == 2 and not any("LOWERED" in c for c in changes)
    lowered, changes = gate.updated_floors(floors, figures, allow_lower=True)
    assert lowered["b"] == 0.7 and any(c.startswith("LOWERED b") for c in changes)
    # A figure at its floor's three decimals never moves the floor.
    assert gate.updated_floors({"a": 0.623}, {"a": 0.6234}, allow_lower=True) == ({"a": 0.623}, [])


def test_figure_of_reads_dotted_keys() -> None:
    row = {"f1": 0.5, "all_events": {"f1": 0.25}, "levels": {"pronoun": {"accuracy": 1}}, "flag": True}
    assert gate.figure_of(row, "f1") == 0.5
    assert gate.figure_of(row, "all_events.f1") == 0.25
    assert gate.figure_of(row, "levels.pronoun.accuracy") == 1.0
    assert gate.figure_of(row, "levels.surname.accuracy") is None
    assert gate.figure_of(row, "flag") is None


def test_corpus_changes_ignore_absent_files() -> None:
    pinned = {"a.jsonl": "1", "b.jsonl": "2", "restricted.jsonl": "3"}
    assert gate.corpus_changes(pinned, {"a.jsonl": "1", "b.jsonl": "9"}) == ["b.jsonl"]


def test_checked_in_floors_cover_every_headline_and_the_gold_data() -> None:
    data = gate.read_floors(datasets.REPO_ROOT / gate.FLOORS_FILE)
    assert set(data["floors"]) == {gate.key(*h) for h in gate.HEADLINES}
    assert all(0.0 < v <= 1.0 for v in data["floors"].values())
    current = gate.corpus_fingerprint()
    assert gate.corpus_changes(data["corpus"], current) == []
    assert {"plover_gsr_cameo.jsonl", "petrarch2_validation.jsonl", "gum_news.jsonl"} <= set(data["corpus"])


def test_gate_fails_when_a_floor_is_above_the_figure_and_passes_otherwise(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    passing = write(tmp_path / "ok.json", dict.fromkeys(ACTORS_KEYS, 0.0))
    assert gate.run_gate(passing, ["actors"], limit=2) == 0
    assert "gate passed" in capsys.readouterr().out

    high = "actors/plover_gsr_cameo/accuracy"
    failing = write(tmp_path / "high.json", {**dict.fromkeys(ACTORS_KEYS, 0.0), high: 1.01})
    assert cli.main(["eval", "actors", "--gate", "--limit", "2", "--floors", str(failing)]) == 1
    err = capsys.readouterr().err
    assert f"{high} = " in err and "is below its floor 1.010" in err

    missing = write(tmp_path / "missing.json", {high: 0.0})
    assert gate.run_gate(missing, ["actors"], limit=2) == 1
    err = capsys.readouterr().err
    assert "actors/petrarch2_gsr_validation/f1 = " in err and "has no floor" in err


def test_gate_names_an_absent_restricted_set_and_passes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv(datasets.EVAL_DIR_ENV, str(tmp_path))
    floors = write(tmp_path / "floors.json", {"ner/conll2003_test/f1": 0.5, "ner/gum_news/f1": 0.0})
    assert gate.run_gate(floors, ["ner"], limit=1) == 0
    assert f"restricted data set {datasets.CONLL_FILE} absent" in capsys.readouterr().out


def test_gate_usage_mistakes(tmp_path: Path) -> None:
    floors = write(tmp_path / "floors.json", {})
    assert gate.run_gate(floors, ["actors"], limit=2, update=True) == 2  # floors come from full sets
    assert gate.run_gate(floors, ["actors"], allow_lower=True) == 2
    assert gate.run_gate(tmp_path / "none.json", ["actors"]) == 2
    assert gate.run_gate(floors, ["nonsense"]) == 2
    assert cli.main(["eval"]) == 2
