"""``eventwire eval TASK``: runs one evaluation task and prints its rows, each
figure beside a cheap baseline computed in the same run.

Tasks (``TASKS``) and their modules:

* ``ner`` — ``ner``: CoNLL-2003 test (restricted) and GUM news mentions.
* ``events`` — ``events``: PLOVER, PETRARCH-2 GSR and unit-test records.
* ``timex`` / ``quotes`` / ``actors`` / ``coref`` / ``repair`` — ``timex``,
  ``quotes``, ``actors``, ``repair``.

A task module is imported only when its task runs (each pulls in its own
baselines); this is the one module that reaches them. Every task scores what
``eventwire.extract`` produces (``datasets.run_eventwire``) with the scorers
of ``scoring``.

An evaluator that cannot run makes ``eventwire eval`` exit 1; the one
exception is a restricted data set that is absent (``restricted_absent``).
``eventwire eval --gate`` checks the headline figures against ``floors.json``
(``gate``).
"""

from __future__ import annotations

import importlib
import json
import sys
import traceback
from collections.abc import Callable
from typing import Any

from ..errors import EvaluationError
from ..model import CODER_VERSION
from .datasets import TE3_FILE, find_shared_file, restricted_absent


def normalise_delegated(entry: dict[str, Any]) -> dict[str, Any]:
    """Give another evaluator's result the common top-level keys: ``n`` from
    its document count and P/R/F1 from its first nested P/R/F1 block when it
    has none at the top (the block's name goes in ``match``)."""
    if "n" not in entry:
        for key in ("documents", "n_documents", "n_docs"):
            if isinstance(entry.get(key), int):
                entry["n"] = entry[key]
                break
    if "precision" not in entry:
        for key, value in list(entry.items()):
            if isinstance(value, dict) and {"precision", "recall", "f1"} <= set(value):
                entry.update({k: value[k] for k in ("precision", "recall", "f1")})
                entry.setdefault("match", key)
                break
    return entry


def run_timex(limit: int | None = None) -> list[dict[str, Any]]:
    """TE3 platinum: relaxed (``f1``), strict (``strict_f1``) and value
    (``value_f1``) F1 with the spaCy + dateparser baseline; ``limit`` caps the
    documents."""
    path = find_shared_file(TE3_FILE, restricted=False)
    if path is None:
        return [restricted_absent("timex", "te3_platinum", TE3_FILE, restricted=False)]
    from .timex import evaluate_te3

    return [normalise_delegated({"task": "timex", **evaluate_te3(path, limit=limit)})]


Runner = Callable[[int | None], list[dict[str, Any]]]

# A task is a runner here or "module:function" in a sibling task module,
# imported only when that task runs (each pulls in its own baselines).
TASKS: dict[str, Runner | str] = {
    "repair": "eval.repair:run_repair",
    "ner": "eval.ner:run_ner",
    "actors": "eval.actors:run_actors",
    "coref": "eval.actors:run_coref",
    "quotes": "eval.quotes:run_quotes",
    "timex": run_timex,
    "events": "eval.events:run_events",
}


def resolve_runner(task: str) -> Runner | None:
    """The runner of a task; None for an unknown task. An evaluator module that
    cannot be imported is an ``EvaluationError``, never a skip."""
    runner = TASKS.get(task)
    if isinstance(runner, str):
        module, function = runner.split(":")
        try:
            found: Runner = getattr(importlib.import_module(f"eventwire.{module}"), function)
        except (ImportError, AttributeError) as exc:
            raise EvaluationError(f"eventwire.{runner} cannot be loaded: {type(exc).__name__}: {exc}") from exc
        return found
    return runner


def run_task(task: str, limit: int | None = None) -> list[dict[str, Any]]:
    """The rows of one task. Raises ``EvaluationError`` when the task cannot run:
    its code fails, or a data set other than an absent restricted one is
    missing (a row with ``skipped`` but no ``restricted_absent``)."""
    runner = resolve_runner(task)
    if runner is None:
        raise EvaluationError(f"unknown eval task {task!r}; choose from {', '.join(TASKS)}")
    try:
        entries = runner(limit)
    except Exception as exc:
        traceback.print_exc(file=sys.stderr)
        raise EvaluationError(f"failed: {type(exc).__name__}: {exc}") from exc
    if not entries:
        raise EvaluationError("produced no result")
    for e in entries:
        e.setdefault("coder_version", CODER_VERSION)
    broken = [e for e in entries if "skipped" in e and not e.get("restricted_absent")]
    if broken:
        raise EvaluationError("; ".join(f"{e['task']}/{e['dataset']} could not run: {e['skipped']}" for e in broken))
    return entries


# ---------------------------------------------------------------------------
# Output


def _fmt(value: Any) -> str:
    return f"{value:.3f}" if isinstance(value, float) else str(value)


def format_table(entries: list[dict[str, Any]], version: str) -> str:
    lines = [f"eventwire coder {version}"]
    for e in entries:
        lines.append("")
        if "skipped" in e:
            lines.append(f"[{e['task']}/{e['dataset']}] not run: {e['skipped']}")
            continue
        size = f"n={e.get('n', '?')}" + (f", gold={e['n_gold']}" if "n_gold" in e else "")
        lines.append(f"[{e['task']}/{e['dataset']}] {size}" + (f", match={e['match']}" if "match" in e else ""))
        if "precision" not in e:
            lines.append(json.dumps(e, indent=2, default=str))
            continue
        lines.append(f"  {'system':<40}{'P':>7}{'R':>7}{'F1':>7}{'pred':>7}")
        base = e.get("baseline") or {}
        rows: list[tuple[str, dict[str, Any]]] = [("eventwire", e)]
        if base:
            rows.append((f"baseline: {base.get('name', '?')}", base))
        for key in ("per_type", "levels"):
            for name, s in (e.get(key) or {}).items():
                rows.append((f"eventwire {name}", s))
                if name in (base.get(key) or {}):
                    rows.append((f"baseline  {name}", base[key][name]))
        for key in ("all_events", "as_given", "head_match"):
            if key in e:
                rows.append((f"eventwire {key}", e[key]))
                if key in base:
                    rows.append((f"baseline  {key}", base[key]))
        for name, s in rows:
            lines.append(
                f"  {name:<40}{_fmt(s.get('precision', '')):>7}{_fmt(s.get('recall', '')):>7}"
                f"{_fmt(s.get('f1', '')):>7}{_fmt(s.get('n_pred', '')):>7}"
            )
        if e.get("errors"):
            from .events import format_errors

            lines.extend(format_errors(e["errors"]))
            lines.append(f"  extra predictions (match no gold event): top {e['extra_share']:.1%}, all {e['all_events_extra_share']:.1%}")
        if e.get("splits"):
            lines.append("  " + ", ".join(f"{part} half F1 {s['f1']:.3f} (n={s['n']})" for part, s in e["splits"].items()))
        if e.get("confusion"):
            from .events import format_confusion

            lines.extend(format_confusion(e["confusion"]))
    return "\n".join(lines)


def main_eval(task: str, as_json: bool, limit: int | None = None) -> int:
    """Entry point of ``eventwire eval TASK [--json]``. ``limit`` caps the
    records (documents) read per dataset, for quick checks. Exit status: 0,
    also when a restricted data set is absent (named on stderr); 1 when the
    task cannot run; 2 for an unknown task."""
    if task not in TASKS:
        print(f"unknown eval task {task!r}; choose from {', '.join(TASKS)}", file=sys.stderr)
        return 2
    try:
        entries = run_task(task, limit)
    except EvaluationError as err:
        print(f"eventwire eval {task}: {err}", file=sys.stderr)
        return 1
    for e in entries:
        if e.get("restricted_absent"):
            print(f"{e['task']}/{e['dataset']} not run: {e['skipped']}", file=sys.stderr)
    if as_json:
        print(json.dumps(entries[0] if len(entries) == 1 else entries, indent=2, default=str))
    else:
        print(format_table(entries, CODER_VERSION))
    return 0


if __name__ == "__main__":
    import argparse

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("task", choices=sorted(TASKS))
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--limit", type=int, default=None)
    args = parser.parse_args()
    sys.exit(main_eval(args.task, args.json, args.limit))
