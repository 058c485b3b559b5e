"""Quote extraction scored on GUM news (``gum_news_quotes.jsonl`` + ``gum_news.jsonl``).

Span scores (GUM's ``<quote>`` spans include their quotation marks, as ours do):

* ``overlap``: a gold quote is found when predicted quotes cover at least half
  of it; a predicted quote is correct when gold quotes cover at least half of
  it. Coverage, not one-to-one pairing, because GUM sometimes cuts one
  quotation into pieces at sentence or discourse-unit boundaries while we
  keep a quotation whole within its paragraph.
* ``exact``: identical spans (one-to-one).

Speaker scores, for gold quotes with a ``speaker_entity``, reported for the
strict ``attribution`` items and for all items:

* ``mention``: the head of the predicted speaker phrase (the cue's subject, or
  the carried-over speaker of a continued quote) lies inside a gold mention of
  the gold speaker's entity — i.e. we picked the right words, pronouns included.
* ``entity``: the predicted speaker entity is the gold one (at least half of
  its mentions lie in gold mentions of the gold entity); without a predicted
  entity, the ``mention`` criterion.

Each accuracy is given over the gold quotes we found (``*_acc_found``) and over
all gold quotes with a speaker (``*_acc_all``).
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from . import actors as actors_stage
from . import nlp, quotes, repair
from .actors import ActorIndex
from .model import Entity, RawDocument, clean_to_raw
from .pipeline import Context

DEFAULT_DIR = Path(__file__).parent / "data" / "eval"
MIN_COVERAGE = 0.5

Span = tuple[int, int]


def _load(path: str | Path) -> tuple[list[dict[str, Any]], dict[str, dict[str, Any]]]:
    """(quote records, documents by id) from the quotes file or its folder."""
    path = Path(path)
    quotes_path = path / "gum_news_quotes.jsonl" if path.is_dir() else path
    docs_path = quotes_path.with_name("gum_news.jsonl")
    records = [json.loads(line) for line in quotes_path.read_text("utf-8").splitlines() if line.strip()]
    docs = {
        d["id"]: d for d in (json.loads(line) for line in docs_path.read_text("utf-8").splitlines() if line.strip())
    }
    return records, docs


def _coverage(span: Span, others: list[Span]) -> float:
    """Share of ``span`` covered by the union of ``others``."""
    start, end = span
    if end <= start:
        return 0.0
    covered = [False] * (end - start)
    for o_start, o_end in others:
        for i in range(max(start, o_start), min(end, o_end)):
            covered[i - start] = True
    return sum(covered) / (end - start)


def _overlap(a: Span, b: Span) -> int:
    return max(0, min(a[1], b[1]) - max(a[0], b[0]))


def _prf(tp_pred: int, n_pred: int, tp_gold: int, n_gold: int) -> dict[str, float]:
    p = tp_pred / n_pred if n_pred else 0.0
    r = tp_gold / n_gold if n_gold else 0.0
    return {"precision": round(p, 4), "recall": round(r, 4), "f1": round(2 * p * r / (p + r), 4) if p + r else 0.0}


def _ratio(part: int, whole: int) -> float:
    return round(part / whole, 4) if whole else 0.0


def _in_cluster(offset: int, cluster: list[Span]) -> bool:
    return any(start <= offset < end for start, end in cluster)


def _entity_in_cluster(entity: Entity, to_raw: Callable[[int, str], int], cluster: list[Span]) -> bool:
    if not entity.mentions:
        return False
    hits = sum(
        1
        for m in entity.mentions
        if any(_overlap((to_raw(m.start, "start"), to_raw(m.end, "end")), c) for c in cluster)
    )
    return hits * 2 >= len(entity.mentions)


OffsetMap = Callable[[int, str], int]


def predict(text: str, resolve: Callable[[Context], ActorIndex]) -> tuple[list[quotes.Attribution], OffsetMap]:
    """Our attributions for one raw text and the cleaned->raw offset map."""
    cleaned = repair.clean(RawDocument(raw_text=text))
    ctx = Context(doc=nlp.parse(cleaned.text), text=cleaned.text, published=None, clean=cleaned)
    index = resolve(ctx)

    def to_raw(offset: int, side: str = "start") -> int:
        return clean_to_raw(cleaned.raw_map, cleaned.repairs, offset, side)  # type: ignore[arg-type]

    return quotes.attribute(ctx, index), to_raw


def evaluate_gum(
    path: str | Path = DEFAULT_DIR, resolve: Callable[[Context], ActorIndex] = actors_stage.resolve
) -> dict[str, Any]:
    """Quote span P/R/F1 and speaker accuracy on GUM news.

    ``path`` is ``gum_news_quotes.jsonl`` or the folder holding it next to
    ``gum_news.jsonl``; ``resolve`` builds the actor index (the real stage by default).
    """
    records, docs = _load(path)
    n_pred = n_gold = tp_pred = tp_gold = exact = 0
    # Precision where GUM annotated quotes at all (several news documents with
    # many quotation marks have no <quote> element), and for direct quotes only
    # (GUM leaves short embedded fragments to <q>, which is not in the gold).
    annotated = {"predicted": 0, "correct": 0}
    direct = {"predicted": 0, "correct": 0}
    kinds: dict[str, int] = {}
    speaker: dict[str, dict[str, int]] = {
        group: {"gold": 0, "found": 0, "mention": 0, "entity": 0} for group in ("attribution", "all")
    }
    for record in records:
        doc = docs[record["id"]]
        predicted, to_raw = predict(doc["text"], resolve)
        pred_spans = [(to_raw(a.start, "start"), to_raw(a.end, "end")) for a in predicted]
        gold_spans = [(q["start"], q["end"]) for q in record["quotes"]]
        clusters = {
            e["id"]: [(m["start"], m["end"]) for m in e["mentions"]] for e in doc["entities"]
        }
        n_pred += len(pred_spans)
        n_gold += len(gold_spans)
        tp_pred += sum(_coverage(p, gold_spans) >= MIN_COVERAGE for p in pred_spans)
        tp_gold += sum(_coverage(g, pred_spans) >= MIN_COVERAGE for g in gold_spans)
        exact += len(set(pred_spans) & set(gold_spans))
        for a, p in zip(predicted, pred_spans, strict=True):
            correct = _coverage(p, gold_spans) >= MIN_COVERAGE
            if gold_spans:
                annotated["predicted"] += 1
                annotated["correct"] += correct
                if a.kind == "direct":
                    direct["predicted"] += 1
                    direct["correct"] += correct
        for a in predicted:
            kinds[a.kind] = kinds.get(a.kind, 0) + 1
        for q, g in zip(record["quotes"], gold_spans, strict=True):
            if q["speaker_entity"] is None:
                continue
            groups = ["all"] + (["attribution"] if q["speaker_source"] == "attribution" else [])
            cluster = clusters.get(q["speaker_entity"], [])
            best = max(range(len(pred_spans)), key=lambda i: _overlap(pred_spans[i], g), default=None)
            found = best is not None and _coverage(g, pred_spans) >= MIN_COVERAGE and _overlap(pred_spans[best], g) > 0
            mention_ok = entity_ok = False
            if found and best is not None and predicted[best].speaker is not None:
                spk = predicted[best].speaker
                assert spk is not None
                mention_ok = _in_cluster(to_raw(spk.head, "start"), cluster)
                entity_ok = (
                    _entity_in_cluster(spk.entity, to_raw, cluster) if spk.entity is not None else mention_ok
                )
            for group in groups:
                speaker[group]["gold"] += 1
                speaker[group]["found"] += found
                speaker[group]["mention"] += mention_ok
                speaker[group]["entity"] += entity_ok
    result: dict[str, Any] = {
        "documents": len(records),
        "gold_quotes": n_gold,
        "predicted_quotes": n_pred,
        "predicted_kinds": kinds,
        "overlap": _prf(tp_pred, n_pred, tp_gold, n_gold),
        "exact": _prf(exact, n_pred, exact, n_gold),
        "precision_annotated_docs": _ratio(annotated["correct"], annotated["predicted"]),
        "precision_annotated_docs_direct": _ratio(direct["correct"], direct["predicted"]),
    }
    for group, counts in speaker.items():
        found = counts["found"]
        result[f"speaker_{group}"] = {
            **counts,
            "mention_acc_found": _ratio(counts["mention"], found),
            "mention_acc_all": _ratio(counts["mention"], counts["gold"]),
            "entity_acc_found": _ratio(counts["entity"], found),
            "entity_acc_all": _ratio(counts["entity"], counts["gold"]),
        }
    return result


def evaluate_polnear(
    path: str | Path, resolve: Callable[[Context], ActorIndex] = actors_stage.resolve
) -> dict[str, Any]:
    """Quotes with marks scored on PolNeAR's test split (one annotator per
    article, the ``primary`` records). The file has no open license: pass the
    path of ``restricted/quotes_polnear_test.jsonl``; it is never shipped.

    PolNeAR annotates attributions, whose content may run beyond the marks, so
    a predicted quote is correct when at least half of it lies in an attributed
    content span, and a gold attribution containing quotation marks is found
    when a correct predicted quote lies in it. The speaker is right when our
    speaker phrase's head lies in the annotated source span (a local mention,
    pronouns included).
    """
    records = [json.loads(line) for line in Path(path).read_text("utf-8").splitlines() if line.strip()]
    n_pred = tp_pred = n_gold = tp_gold = 0
    speaker = {"gold": 0, "found": 0, "mention": 0}
    for record in (r for r in records if r.get("primary")):
        predicted, to_raw = predict(record["text"], resolve)
        pred_spans = [(to_raw(a.start, "start"), to_raw(a.end, "end")) for a in predicted]
        contents = [(s, e) for q in record["quotes"] for s, e in q["quote_spans"]]
        correct = [_coverage(p, contents) >= MIN_COVERAGE for p in pred_spans]
        n_pred += len(pred_spans)
        tp_pred += sum(correct)
        for q in record["quotes"]:
            if not q["has_quote_marks"]:
                continue
            gold = [(s, e) for s, e in q["quote_spans"]]
            inside = [
                i for i, p in enumerate(pred_spans) if correct[i] and _coverage(p, gold) >= MIN_COVERAGE
            ]
            n_gold += 1
            tp_gold += bool(inside)
            if q["type"] != "Attribution" or q["speaker_start"] is None:
                continue
            speaker["gold"] += 1
            if not inside:
                continue
            speaker["found"] += 1
            best = max(inside, key=lambda i: sum(_overlap(pred_spans[i], g) for g in gold))
            spk = predicted[best].speaker
            if spk is not None and q["speaker_start"] <= to_raw(spk.head, "start") < q["speaker_end"]:
                speaker["mention"] += 1
    return {
        "documents": sum(1 for r in records if r.get("primary")),
        "gold_quotes_with_marks": n_gold,
        "predicted_quotes": n_pred,
        "overlap": _prf(tp_pred, n_pred, tp_gold, n_gold),
        "speaker": {
            **speaker,
            "mention_acc_found": _ratio(speaker["mention"], speaker["found"]),
            "mention_acc_all": _ratio(speaker["mention"], speaker["gold"]),
        },
    }


if __name__ == "__main__":
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT_DIR
    if "polnear" in target.name:
        print(json.dumps(evaluate_polnear(target), indent=2))
    else:
        print(json.dumps(evaluate_gum(target), indent=2))
