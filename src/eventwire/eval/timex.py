"""Time expressions scored on the TempEval-3 platinum test set (TE3 Task A).

The set is read from ``../shared/eval/timex_te3_platinum.jsonl`` (or a path
given) at evaluation time and never copied into the project (see the shared
README: the article texts stay with their publishers).

Scores, as in the TE3 scorer:

* ``relaxed``: P/R/F1 of extents matched by overlap (a predicted expression is
  correct when it overlaps a gold one; a gold one is found when a predicted one
  overlaps it).
* ``strict``: P/R/F1 of identical extents.
* ``value``: P/R/F1 of expressions whose extent overlaps a gold one *and* whose
  value equals the gold value (``type_accuracy`` and ``mod_accuracy`` likewise
  for the type and the TIMEX3 modifier, over the matched pairs).

Each document goes through ``eventwire.extract`` (the production path, as
``eventwire extract --published DCT`` runs it) with its ``dct`` as the
publication date; the ``Article``'s time expressions are scored in the
offsets of the text as given.

The baseline, computed in the same run, is the bare spaCy model's DATE/TIME
entities valued by dateparser relative to the document creation time.

The rules of ``timex`` were tuned on this set, so its figures are optimistic.
The documents are split in two halves by a hash of their id (``half``): from
now on rules are tuned on the "tune" half only, and the "heldout" half is
reported apart.
"""

from __future__ import annotations

import json
import sys
import zlib
from collections.abc import Callable, Iterable
from datetime import date, datetime
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal

from ..extract import nlp, timex
from ..model import TimeExpr
from .datasets import TE3_FILE, find_shared_file

DATASET = "te3_platinum"
BASELINE_NAME = "spaCy DATE/TIME spans + dateparser"

Span = tuple[int, int]
Half = Literal["tune", "heldout"]
Predictor = Callable[[str, str | None], list[TimeExpr]]


def _prf(correct_pred: int, n_pred: int, correct_gold: int, n_gold: int) -> dict[str, float | int]:
    p = correct_pred / n_pred if n_pred else 0.0
    r = correct_gold / n_gold if n_gold else 0.0
    f1 = round(2 * p * r / (p + r), 4) if p + r else 0.0
    return {"precision": round(p, 4), "recall": round(r, 4), "f1": f1, "n_pred": n_pred}


def _overlaps(a: Span, b: Span) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def half(doc_id: str) -> Half:
    """The half of the set a document belongs to: fixed by its id alone, so the
    split never changes with the file's order or size."""
    return "heldout" if zlib.crc32(doc_id.encode("utf-8")) % 2 else "tune"


def predict(text: str, dct: str | None) -> list[TimeExpr]:
    """Our time expressions for one document, offsets into ``text``: those of
    the ``Article`` that ``eventwire.extract`` makes with ``dct`` as the
    publication date."""
    from ..extract.runner import extract

    article = extract(text, published=dct[:10] if dct else None)
    out: list[TimeExpr] = []
    for t in article.times:
        # Back to offsets of the text as given (repair may have changed characters).
        start, end = article.raw_span(t.start, t.end)
        out.append(TimeExpr(text=text[start:end], start=start, end=end, value=t.value, type=t.type, mod=t.mod))
    return out


# --- baseline ----------------------------------------------------------------------


@lru_cache(maxsize=64)
def _baseline_parser(base: datetime):
    from dateparser.date import DateDataParser

    return DateDataParser(languages=["en"], settings={"RELATIVE_BASE": base})


def dateparser_value(text: str, dct: str | None, with_time: bool = False) -> str | None:
    """dateparser's reading of ``text`` relative to ``dct``, as a TIMEX3 value
    at the granularity dateparser reports (day, month, year; a clock time for
    TIME entities). None when it reads nothing."""
    anchor = date.fromisoformat(dct[:10]) if dct else date.today()
    try:
        data = _baseline_parser(datetime(anchor.year, anchor.month, anchor.day)).get_date_data(text)
    except Exception:  # noqa: BLE001 - dateparser raises many kinds on odd input
        return None
    if data is None or data.date_obj is None:
        return None
    if with_time and data.period == "time":
        return data.date_obj.strftime("%Y-%m-%dT%H:%M")
    return timex.period_value(data.date_obj.date(), data.period or "day")


def predict_baseline(text: str, dct: str | None) -> list[TimeExpr]:
    """The bare spaCy model's DATE/TIME entities, each valued by dateparser."""
    doc = nlp.load_bare()(text)
    return [
        TimeExpr(
            text=ent.text,
            start=ent.start_char,
            end=ent.end_char,
            value=dateparser_value(ent.text, dct, with_time=ent.label_ == "TIME"),
            type="TIME" if ent.label_ == "TIME" else "DATE",
        )
        for ent in doc.ents
        if ent.label_ in ("DATE", "TIME")
    ]


# --- scoring ------------------------------------------------------------------------


def score_document(gold: list[dict[str, Any]], pred: list[TimeExpr]) -> dict[str, int]:
    """Counts for one document (summed over documents by ``scores``)."""
    counts = {"gold": len(gold), "pred": len(pred)}
    gold_spans = [(g["start"], g["end"]) for g in gold]
    pred_spans = [(p.start, p.end) for p in pred]
    counts["relaxed_pred"] = sum(any(_overlaps(p, g) for g in gold_spans) for p in pred_spans)
    counts["relaxed_gold"] = sum(any(_overlaps(g, p) for p in pred_spans) for g in gold_spans)
    counts["strict"] = len(set(gold_spans) & set(pred_spans))
    # Attribute scores over one-to-one pairs: each gold with its best-overlapping prediction.
    value_ok = type_ok = mod_ok = matched = 0
    used: set[int] = set()
    for g in gold:
        best, best_overlap = None, 0
        for i, p in enumerate(pred):
            if i in used:
                continue
            overlap = min(g["end"], p.end) - max(g["start"], p.start)
            if overlap > best_overlap:
                best, best_overlap = i, overlap
        if best is None:
            continue
        used.add(best)
        matched += 1
        value_ok += pred[best].value == g["value"]
        type_ok += pred[best].type == g["type"]
        mod_ok += pred[best].mod == g.get("mod")
    counts["matched"] = matched
    counts["value"] = value_ok
    counts["type"] = type_ok
    counts["mod"] = mod_ok
    return counts


def scores(per_document: Iterable[dict[str, int]]) -> dict[str, Any]:
    """Relaxed, strict and value P/R/F1 from summed per-document counts."""
    total: dict[str, int] = {}
    documents = 0
    for counts in per_document:
        documents += 1
        for k, v in counts.items():
            total[k] = total.get(k, 0) + v
    n_gold, n_pred, matched = total.get("gold", 0), total.get("pred", 0), total.get("matched", 0)
    relaxed = _prf(total.get("relaxed_pred", 0), n_pred, total.get("relaxed_gold", 0), n_gold)
    strict = _prf(total.get("strict", 0), n_pred, total.get("strict", 0), n_gold)
    value = _prf(total.get("value", 0), n_pred, total.get("value", 0), n_gold)
    return {
        "documents": documents,
        "gold": n_gold,
        **relaxed,
        "strict_f1": strict["f1"],
        "value_f1": value["f1"],
        "relaxed": relaxed,
        "strict": strict,
        "value": value,
        "type_accuracy": round(total.get("type", 0) / matched, 4) if matched else 0.0,
        "mod_accuracy": round(total.get("mod", 0) / matched, 4) if matched else 0.0,
        "value_accuracy": round(total.get("value", 0) / matched, 4) if matched else 0.0,
    }


def read_records(path: str | Path, limit: int | None = None) -> list[dict[str, Any]]:
    records = [json.loads(line) for line in Path(path).read_text("utf-8").splitlines() if line.strip()]
    return records[:limit] if limit is not None else records


def _system_scores(
    records: list[dict[str, Any]], predictor: Predictor, errors: list[dict[str, Any]] | None = None
) -> dict[str, Any]:
    """Scores over all records and over each half of the split."""
    by_half: dict[str, list[dict[str, int]]] = {"tune": [], "heldout": []}
    for rec in records:
        pred = predictor(rec["text"], rec.get("dct"))
        by_half[half(rec["id"])].append(score_document(rec["timexes"], pred))
        if errors is not None:
            _collect_errors(rec, pred, errors)
    result = scores(by_half["tune"] + by_half["heldout"])
    result["halves"] = {name: _brief(scores(counts)) for name, counts in by_half.items()}
    return result


def _brief(s: dict[str, Any]) -> dict[str, Any]:
    return {k: s[k] for k in ("documents", "gold", "n_pred", "precision", "recall", "f1", "strict_f1", "value_f1")}


def default_path() -> Path | None:
    """The TE3 file in ``$EVENTWIRE_EVAL_DIR`` or ``../shared/eval`` beside the checkout."""
    return find_shared_file(TE3_FILE, restricted=False)


def evaluate_te3(
    path: str | Path,
    errors: list[dict[str, Any]] | None = None,
    limit: int | None = None,
    only: Half | None = None,
) -> dict[str, Any]:
    """Relaxed (``f1``), strict (``strict_f1``) and value (``value_f1``) scores
    on the TE3 platinum file at ``path``, with the baseline's beside them and
    both split by half (``halves``; ``only`` keeps one half, for tuning).

    When ``errors`` is a list, our gold expressions missed or mis-valued and our
    spurious predictions are appended to it (for error analysis)."""
    records = read_records(path, limit)
    if only is not None:
        records = [r for r in records if half(r["id"]) == only]
    ours = _system_scores(records, predict, errors)
    base = _system_scores(records, predict_baseline)
    # "levels" rows are printed by ``eventwire eval`` beside the baseline's.
    levels = {
        "strict": ours["strict"],
        "value": ours["value"],
        **{f"{h} {k}": _level(ours["halves"][h], k) for h in ("heldout", "tune") for k in ("relaxed", "value")},
    }
    base_levels = {
        "strict": base["strict"],
        "value": base["value"],
        **{f"{h} {k}": _level(base["halves"][h], k) for h in ("heldout", "tune") for k in ("relaxed", "value")},
    }
    return {
        "dataset": DATASET,
        "n": ours["documents"],
        "n_gold": ours["gold"],
        "match": "relaxed",
        **ours,
        "levels": levels,
        "baseline": {"name": BASELINE_NAME, **base, "levels": base_levels},
        "tuned_on": "all of te3 until the split; the tune half since (heldout figures are optimistic too)",
    }


def _level(brief: dict[str, Any], kind: str) -> dict[str, Any]:
    """One half's relaxed or value F1 as a row (P/R only for relaxed)."""
    if kind == "relaxed":
        return {k: brief[k] for k in ("precision", "recall", "f1", "n_pred")}
    return {"precision": "", "recall": "", "f1": brief["value_f1"], "n_pred": brief["n_pred"]}


def _collect_errors(rec: dict[str, Any], pred: list[TimeExpr], errors: list[dict[str, Any]]) -> None:
    where = {"doc": rec["id"], "half": half(rec["id"])}
    for g in rec["timexes"]:
        hits = [p for p in pred if _overlaps((p.start, p.end), (g["start"], g["end"]))]
        if not hits:
            errors.append({**where, "kind": "missed", "gold": g["text"], "gold_value": g["value"]})
        elif all(p.value != g["value"] for p in hits):
            wrong = {"gold": g["text"], "gold_value": g["value"], "pred": hits[0].text, "pred_value": hits[0].value}
            errors.append({**where, "kind": "value", **wrong})
        elif hits[0].text != g["text"]:
            errors.append({**where, "kind": "extent", "gold": g["text"], "pred": hits[0].text})
    for p in pred:
        if not any(_overlaps((p.start, p.end), (g["start"], g["end"])) for g in rec["timexes"]):
            errors.append({**where, "kind": "spurious", "pred": p.text, "pred_value": p.value})


def markdown_table(result: dict[str, Any]) -> str:
    """The README table: published anchors, our figures and the baseline's (F1 x 100)."""

    def row(name: str, s: dict[str, Any]) -> str:
        return f"| {name} | {100 * s['f1']:.1f} | {100 * s['strict_f1']:.1f} | {100 * s['value_f1']:.1f} |"

    held = result["halves"]["heldout"]
    base_held = result["baseline"]["halves"]["heldout"]
    return "\n".join(
        [
            "| TempEval-3 platinum (138 TIMEX3) | relaxed F1 | strict F1 | value F1 |",
            "|---|---:|---:|---:|",
            "| HeidelTime (published) | 90.3 | 81.3 | 77.6 |",
            "| SUTime (published) | 90.3 | 79.6 | 67.4 |",
            row("eventwire (all 20 documents; rules tuned on this set)", result),
            row(f"eventwire, held-out half ({held['documents']} documents)", held),
            row(f"baseline: {BASELINE_NAME}", result["baseline"]),
            row(f"baseline, held-out half ({base_held['documents']} documents)", base_held),
        ]
    )


def main(argv: list[str] | None = None) -> int:
    """``python -m eventwire.eval.timex [PATH] [--errors] [--tune|--heldout] [--markdown]``."""
    args = sys.argv[1:] if argv is None else argv
    paths = [a for a in args if not a.startswith("--")]
    path = Path(paths[0]) if paths else default_path()
    if path is None or not path.exists():
        print(f"TempEval-3 platinum set ({TE3_FILE}) not found: restricted data, never shipped.", file=sys.stderr)
        return 0
    only: Half | None = "tune" if "--tune" in args else "heldout" if "--heldout" in args else None
    errors: list[dict[str, Any]] | None = [] if "--errors" in args else None
    result = evaluate_te3(path, errors, only=only)
    if "--markdown" in args:
        print(markdown_table(result))
    else:
        print(json.dumps(result, indent=2))
    for e in errors or []:
        print(json.dumps(e, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
