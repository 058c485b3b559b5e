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
  value equals the gold value (``type_accuracy`` likewise for the type).

Each document is analysed with its ``dct`` as the publication date, through the
same steps as the pipeline (``repair.clean``, ``nlp.load()``, ``pipeline.Context``).
"""

from __future__ import annotations

import json
import os
import sys
from datetime import date
from pathlib import Path
from typing import Any

from . import nlp, repair, timex
from .model import RawDocument, TimeExpr, clean_to_raw
from .pipeline import Context

# ``$EVENTWIRE_EVAL_DIR`` or ``../shared/eval`` beside the checkout.
EVAL_DIR = Path(os.environ.get("EVENTWIRE_EVAL_DIR") or Path(__file__).resolve().parents[2].parent / "shared" / "eval")
DEFAULT_PATH = EVAL_DIR / "timex_te3_platinum.jsonl"

Span = tuple[int, int]


def _prf(correct_pred: int, n_pred: int, correct_gold: int, n_gold: int) -> dict[str, float]:
    p = correct_pred / n_pred if n_pred else 0.0
    r = correct_gold / n_gold if n_gold else 0.0
    return {"precision": round(p, 4), "recall": round(r, 4), "f1": round(2 * p * r / (p + r), 4) if p + r else 0.0}


def _overlaps(a: Span, b: Span) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def predict(text: str, dct: str | None) -> list[TimeExpr]:
    """Our time expressions for one document, offsets into ``text``."""
    raw = RawDocument(raw_text=text, published=dct, published_basis="given" if dct else "none")
    cleaned = repair.clean(raw)
    doc = nlp.load()(cleaned.text)
    published = date.fromisoformat(dct[:10]) if dct else None
    ctx = Context(doc=doc, text=cleaned.text, published=published, clean=cleaned)
    out: list[TimeExpr] = []
    for t in timex.extract(ctx):
        # Back to offsets of the text as given (repair may have changed characters).
        start = clean_to_raw(cleaned.raw_map, cleaned.repairs, t.start, "start")
        end = clean_to_raw(cleaned.raw_map, cleaned.repairs, t.end, "end")
        out.append(TimeExpr(text=text[start:end], start=start, end=end, value=t.value, type=t.type))
    return out


def score_document(gold: list[dict[str, Any]], pred: list[TimeExpr]) -> dict[str, int]:
    """Counts for one document (summed over documents by ``evaluate_te3``)."""
    counts = {"gold": len(gold), "pred": len(pred)}
    gold_spans = [(g["start"], g["end"]) for g in gold]
    pred_spans = [(p.start, p.end) for p in pred]
    counts["relaxed_pred"] = sum(any(_overlaps(p, g) for g in gold_spans) for p in pred_spans)
    counts["relaxed_gold"] = sum(any(_overlaps(g, p) for p in pred_spans) for g in gold_spans)
    counts["strict"] = len(set(gold_spans) & set(pred_spans))
    # Attribute scores over one-to-one pairs: each gold with its best-overlapping prediction.
    value_ok = type_ok = matched = 0
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
    counts["matched"] = matched
    counts["value"] = value_ok
    counts["type"] = type_ok
    return counts


def evaluate_te3(path: str | Path = DEFAULT_PATH, errors: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    """Relaxed, strict and value P/R/F1 on the TE3 platinum file at ``path``.

    When ``errors`` is a list, the gold expressions missed or mis-valued and the
    spurious predictions are appended to it (for error analysis)."""
    records = [json.loads(line) for line in Path(path).read_text("utf-8").splitlines() if line.strip()]
    total: dict[str, int] = {}
    for rec in records:
        pred = predict(rec["text"], rec.get("dct"))
        counts = score_document(rec["timexes"], pred)
        for k, v in counts.items():
            total[k] = total.get(k, 0) + v
        if errors is not None:
            _collect_errors(rec, pred, errors)
    n_gold, n_pred = total.get("gold", 0), total.get("pred", 0)
    return {
        "documents": len(records),
        "gold": n_gold,
        "predicted": n_pred,
        "relaxed": _prf(total.get("relaxed_pred", 0), n_pred, total.get("relaxed_gold", 0), n_gold),
        "strict": _prf(total.get("strict", 0), n_pred, total.get("strict", 0), n_gold),
        "value": _prf(total.get("value", 0), n_pred, total.get("value", 0), n_gold),
        "type_accuracy": round(total.get("type", 0) / total["matched"], 4) if total.get("matched") else 0.0,
        "value_accuracy": round(total.get("value", 0) / total["matched"], 4) if total.get("matched") else 0.0,
    }


def _collect_errors(rec: dict[str, Any], pred: list[TimeExpr], errors: list[dict[str, Any]]) -> None:
    for g in rec["timexes"]:
        hits = [p for p in pred if _overlaps((p.start, p.end), (g["start"], g["end"]))]
        if not hits:
            errors.append({"doc": rec["id"], "kind": "missed", "gold": g["text"], "gold_value": g["value"]})
        elif all(p.value != g["value"] for p in hits):
            errors.append(
                {"doc": rec["id"], "kind": "value", "gold": g["text"], "gold_value": g["value"],
                 "pred": hits[0].text, "pred_value": hits[0].value}  # fmt: skip
            )
    for p in pred:
        if not any(_overlaps((p.start, p.end), (g["start"], g["end"])) for g in rec["timexes"]):
            errors.append({"doc": rec["id"], "kind": "spurious", "pred": p.text, "pred_value": p.value})


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    path = Path(args[0]) if args else DEFAULT_PATH
    if not path.exists():
        print(f"TempEval-3 platinum set not found at {path}; skipping.", file=sys.stderr)
        return 0
    errors: list[dict[str, Any]] | None = [] if "--errors" in args else None
    print(json.dumps(evaluate_te3(path, errors), indent=2))
    for e in errors or []:
        print(json.dumps(e, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
