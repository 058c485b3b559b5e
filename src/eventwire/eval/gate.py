"""``eventwire eval --gate``: the headline evaluation figures against their floors.

The floors live in ``floors.json`` at the repository root (found in the
working directory, else beside the source checkout; ``--floors PATH`` names
another). ``make test`` runs the gate after pytest, so a change that lowers a
headline figure fails the build with the figure, its value and its floor.

* ``HEADLINES`` lists the figures held, every one higher-is-better: each
  event set (top and all events), the actor sets, NER, quotes, time, repair
  and coreference. A headline with no floor fails the gate too.
* A figure of an absent restricted data set (CoNLL-2003, PolNeAR, TempEval-3
  platinum) is reported as not measured; any other evaluation that cannot
  run fails the gate.
* ``floors.json`` also pins a fingerprint of the gold data (``corpus``): a
  floor set on other data fails the gate until it is set again.
* ``--update-floors`` raises each floor to its current figure (rounded down
  to three decimals) and never lowers one; with ``--allow-lower`` it lowers a
  floor to a figure that fell below it. Lowering a floor is a decision to
  explain in the commit that makes it.
"""

from __future__ import annotations

import hashlib
import json
import math
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TextIO

from ..errors import EvaluationError
from .datasets import (
    CONLL_FILE,
    GSR_FILE,
    GUM_FILE,
    GUM_QUOTES_FILE,
    PACKAGE_EVAL,
    PLOVER_FILE,
    POLNEAR_FILE,
    REPO_ROOT,
    TE3_FILE,
    UNIT_FILE,
    VALIDATION_DICTS_DIR,
    find_shared_file,
)
from .runner import TASKS, run_task

FLOORS_FILE = "floors.json"

# (task, dataset, figure): a figure is a key of the task's row, dotted into
# nested blocks ("all_events.f1", "levels.pronoun.accuracy").
HEADLINES: tuple[tuple[str, str, str], ...] = (
    ("repair", "all (test)", "f1"),
    ("repair", "all (test)", "precision"),
    ("ner", "conll2003_test", "f1"),
    ("ner", "gum_news", "f1"),
    ("actors", "plover_gsr_cameo", "accuracy"),
    ("actors", "petrarch2_gsr_validation", "f1"),
    ("actors", "petrarch2_gsr_validation", "precision"),
    ("actors", "plover_gsr_cameo (person entries ablated)", "accuracy"),
    ("actors", "petrarch2_gsr_validation (person entries ablated)", "recall"),
    ("actors", "petrarch2_gsr_validation", "recall"),
    ("coref", "gum_news", "accuracy"),
    ("coref", "gum_news", "levels.pronoun.accuracy"),
    ("coref", "gum_news", "levels.surname.accuracy"),
    ("quotes", "polnear_test_direct", "f1"),
    ("quotes", "polnear_test_direct", "speaker_accuracy"),
    ("quotes", "polnear_test_reported", "f1"),
    ("quotes", "gum_news_quotes", "f1"),
    ("quotes", "gum_news_quotes", "speaker_accuracy"),
    ("quotes", "gum_news_reported", "f1"),
    ("timex", "te3_platinum", "f1"),
    ("timex", "te3_platinum", "strict_f1"),
    ("timex", "te3_platinum", "value_f1"),
    ("events", "plover_gsr_cameo", "f1"),
    ("events", "plover_gsr_cameo", "all_events.f1"),
    ("events", "petrarch2_gsr_validation", "f1"),
    ("events", "petrarch2_gsr_validation", "all_events.f1"),
    ("events", "petrarch2_unit_cameo", "f1"),
    ("events", "petrarch2_unit_cameo", "all_events.f1"),
)

# Datasets read from a restricted file, which may be absent (never shipped).
RESTRICTED: dict[str, str] = {
    "conll2003_test": CONLL_FILE,
    "polnear_test_direct": POLNEAR_FILE,
    "polnear_test_reported": POLNEAR_FILE,
    "te3_platinum": TE3_FILE,
}


def key(task: str, dataset: str, figure: str) -> str:
    return f"{task}/{dataset}/{figure}"


def figure_of(row: dict[str, Any], path: str) -> float | None:
    value: Any = row
    for part in path.split("."):
        if not isinstance(value, dict) or part not in value:
            return None
        value = value[part]
    return float(value) if isinstance(value, int | float) and not isinstance(value, bool) else None


def floor_of(value: float) -> float:
    """A figure rounded down to three decimals: the floor it sets."""
    return round(math.floor(value * 1000 + 1e-9) / 1000, 3)


# ---------------------------------------------------------------------------
# The gold data's fingerprint


def corpus_files() -> dict[str, Path | None]:
    """Every gold file the gated tasks read; None where a restricted one is absent."""
    files: dict[str, Path | None] = {
        name: PACKAGE_EVAL / name for name in (GUM_FILE, GUM_QUOTES_FILE, PLOVER_FILE, GSR_FILE, UNIT_FILE)
    }
    for path in sorted((PACKAGE_EVAL / VALIDATION_DICTS_DIR).glob("*.txt")):
        files[f"{VALIDATION_DICTS_DIR}/{path.name}"] = path
    files[TE3_FILE] = find_shared_file(TE3_FILE, restricted=False)
    files[CONLL_FILE] = find_shared_file(CONLL_FILE, restricted=True)
    files[POLNEAR_FILE] = find_shared_file(POLNEAR_FILE, restricted=True)
    return files


def fingerprint(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()[:16]


def corpus_fingerprint() -> dict[str, str]:
    return {name: fingerprint(path) for name, path in corpus_files().items() if path is not None}


def corpus_changes(pinned: dict[str, str], current: dict[str, str]) -> list[str]:
    """Gold files whose content differs from the pinned fingerprint (absent
    restricted files are not compared)."""
    return [name for name, digest in sorted(pinned.items()) if name in current and current[name] != digest]


# ---------------------------------------------------------------------------
# Checking and updating floors


@dataclass(frozen=True, slots=True)
class Check:
    key: str
    value: float | None  # None: not measured
    floor: float | None  # None: no floor yet
    note: str = ""

    @property
    def below(self) -> bool:
        return self.value is not None and self.floor is not None and self.value < self.floor

    @property
    def unfloored(self) -> bool:
        return self.value is not None and self.floor is None


def measure(rows: Sequence[dict[str, Any]], tasks: Sequence[str]) -> dict[str, float | str]:
    """Headline figures of the tasks run, by key. A figure that was not
    measured maps to the reason (a restricted data set absent); a figure
    missing for any other reason is an ``EvaluationError``."""
    absent = {str(r["restricted_absent"]) for r in rows if r.get("restricted_absent")}
    by_dataset = {(r["task"], r["dataset"]): r for r in rows if "skipped" not in r}
    found: dict[str, float | str] = {}
    for task, dataset, figure in HEADLINES:
        if task not in tasks:
            continue
        row = by_dataset.get((task, dataset))
        value = figure_of(row, figure) if row is not None else None
        if value is not None:
            found[key(task, dataset, figure)] = value
        elif row is None and RESTRICTED.get(dataset) in absent:
            found[key(task, dataset, figure)] = f"restricted data set {RESTRICTED[dataset]} absent"
        else:
            raise EvaluationError(f"headline figure {key(task, dataset, figure)} was not produced")
    return found


def check(figures: dict[str, float | str], floors: dict[str, float]) -> list[Check]:
    return [
        Check(name, value, floors.get(name)) if isinstance(value, float) else Check(name, None, floors.get(name), value)
        for name, value in figures.items()
    ]


def updated_floors(
    floors: dict[str, float], figures: dict[str, float | str], allow_lower: bool = False
) -> tuple[dict[str, float], list[str]]:
    """Floors raised to the figures (rounded down to three decimals); a floor
    above its figure is lowered only with ``allow_lower``. Returns the new
    floors and a line per change."""
    new = dict(floors)
    changes: list[str] = []
    for name, value in figures.items():
        if not isinstance(value, float):
            continue
        old, candidate = floors.get(name), floor_of(value)
        if old is None:
            new[name] = candidate
            changes.append(f"set     {name}: {candidate:.3f}")
        elif candidate > old:
            new[name] = candidate
            changes.append(f"raised  {name}: {old:.3f} -> {candidate:.3f}")
        elif value < old and allow_lower:
            new[name] = candidate
            changes.append(f"LOWERED {name}: {old:.3f} -> {candidate:.3f} (say why in the commit)")
    return dict(sorted(new.items())), changes


# ---------------------------------------------------------------------------
# The floors file


def find_floors(given: str | Path | None = None) -> Path:
    """``given``, else ``floors.json`` in the working directory, else the one
    at the root of the checkout this package runs from."""
    if given is not None:
        return Path(given)
    here = Path.cwd() / FLOORS_FILE
    if here.is_file():
        return here
    checkout = REPO_ROOT / FLOORS_FILE
    return checkout if checkout.is_file() else here


class FloorsError(Exception):
    """A floors file that cannot be read."""


def read_floors(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise FloorsError(f"{path}: {exc}") from exc
    if not isinstance(data, dict) or not isinstance(data.get("floors"), dict):
        raise FloorsError(f"{path}: expected an object with a \"floors\" object")
    return data


ABOUT = (
    "Floors of eventwire's headline evaluation figures, checked by `eventwire eval --gate` (run by `make test`). "
    "`eventwire eval --gate --update-floors` raises them to the current figures (rounded down to 3 decimals); "
    "lowering one also needs --allow-lower, and the commit that lowers it says why. "
    "`corpus` pins the gold data the floors were measured on (sha256, first 16 hex digits)."
)


def write_floors(path: Path, floors: dict[str, float], corpus: dict[str, str]) -> None:
    data = {"about": ABOUT, "floors": dict(sorted(floors.items())), "corpus": dict(sorted(corpus.items()))}
    path.write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")


# ---------------------------------------------------------------------------
# Entry point


def run_gate(
    floors_path: str | Path | None = None,
    tasks: Sequence[str] | None = None,
    limit: int | None = None,
    update: bool = False,
    allow_lower: bool = False,
    out: TextIO | None = None,
) -> int:
    """Run the tasks (all by default) and hold their headline figures to the
    floors. 0: every figure at or above its floor; 1: a figure below its
    floor, a headline without a floor, changed gold data, or an evaluation
    that cannot run; 2: a usage mistake."""
    out = out or sys.stdout
    err = sys.stderr
    chosen = list(tasks or TASKS)
    unknown = [t for t in chosen if t not in TASKS]
    if unknown:
        print(f"eval --gate: unknown task {', '.join(unknown)}; choose from {', '.join(TASKS)}", file=err)
        return 2
    if allow_lower and not update:
        print("eval --gate: --allow-lower only goes with --update-floors", file=err)
        return 2
    if update and limit is not None:
        print("eval --gate: floors are set on the full sets; drop --limit to update them", file=err)
        return 2
    path = find_floors(floors_path)
    data: dict[str, Any] = {"floors": {}}
    if path.is_file():
        try:
            data = read_floors(path)
        except FloorsError as exc:
            print(f"eval --gate: {exc}", file=err)
            return 2
    elif not update:
        print(f"eval --gate: no floors file at {path} (pass --floors PATH, or create it with --update-floors)", file=err)
        return 2
    floors = {str(k): float(v) for k, v in data["floors"].items()}

    print(f"eventwire eval --gate: {', '.join(chosen)} against {path}", file=out)
    if limit is not None:
        print(f"  (--limit {limit}: figures on subsets, not comparable with floors set on the full sets)", file=out)
    rows: list[dict[str, Any]] = []
    started = time.monotonic()
    try:
        for task in chosen:
            t0 = time.monotonic()
            rows += run_task(task, limit)
            print(f"  ran {task} in {time.monotonic() - t0:.0f} s", file=out, flush=True)
        figures = measure(rows, chosen)
    except EvaluationError as exc:
        print(f"eval --gate FAILED: {exc}", file=err)
        return 1

    pinned: dict[str, str] = data.get("corpus") or {}
    corpus = corpus_fingerprint()
    changed = corpus_changes(pinned, corpus)
    if update:
        floors, changes = updated_floors(floors, figures, allow_lower)
        repin = not changed or allow_lower
        write_floors(path, floors, {**pinned, **corpus} if repin else pinned)
        for line in changes or ["no floor changed"]:
            print(f"  {line}", file=out)
        if repin:
            changed = []

    checks = check(figures, floors)
    width = max((len(c.key) for c in checks), default=0)
    for c in checks:
        if c.value is None:
            print(f"  n/a    {c.key:<{width}}  not measured: {c.note}", file=out)
        else:
            status = "BELOW" if c.below else "NO FLOOR" if c.unfloored else "ok"
            floor = f"{c.floor:.3f}" if c.floor is not None else "-"
            print(f"  {status:<6} {c.key:<{width}}  {c.value:.4f}  floor {floor}", file=out)
    failures = [f"{c.key} = {c.value:.4f} is below its floor {c.floor:.3f}" for c in checks if c.below]
    failures += [f"{c.key} = {c.value:.4f} has no floor in {path} (run --update-floors)" for c in checks if c.unfloored]
    failures += [
        f"gold data {name} differs from the data the floors were set on (check the figures, then re-pin: "
        "--update-floors --allow-lower)"
        for name in changed
    ]
    elapsed = time.monotonic() - started
    if failures:
        print(f"eval --gate FAILED ({len(failures)}) after {elapsed:.0f} s:", file=err)
        for line in failures:
            print(f"  {line}", file=err)
        return 1
    print(f"gate passed: {sum(c.value is not None for c in checks)} figures at or above their floors ({elapsed:.0f} s)", file=out)
    return 0
