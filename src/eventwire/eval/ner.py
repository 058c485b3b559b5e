"""``eventwire eval ner``: the entity mentions of what ``eventwire.extract``
produces, on CoNLL-2003 test (restricted: read from ``../shared/eval/restricted/``
or ``$EVENTWIRE_EVAL_DIR``, never shipped) and GUM news proper mentions
(shipped). Baseline: the bare spaCy model.

eventwire and spaCy labels are mapped onto each gold set's classes; spans are
compared in offsets of the text as given (``Article.raw_span``).
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

from spacy.tokens import Doc

from ..model import Article
from .datasets import (
    CONLL_FILE,
    GUM_FILE,
    PACKAGE_EVAL,
    bare_nlp,
    find_shared_file,
    read_jsonl,
    restricted_absent,
    run_eventwire,
)
from .scoring import Score, Span, score_spans, score_spans_by_label, score_spans_head, spans_from_iob2

# eventwire entity types -> CoNLL-2003 labels.
EVENTWIRE_TO_CONLL = {"PERSON": "PER", "GPE": "LOC", "LOC": "LOC", "FAC": "LOC", "ORG": "ORG", "NORP": "MISC"}
# Bare spaCy (OntoNotes) labels -> CoNLL-2003 labels; numeric/temporal labels dropped.
SPACY_TO_CONLL = {
    **EVENTWIRE_TO_CONLL,
    "EVENT": "MISC",
    "PRODUCT": "MISC",
    "LAW": "MISC",
    "WORK_OF_ART": "MISC",
    "LANGUAGE": "MISC",
}
# GUM has no GPE (countries and cities are places) and no MISC class.
EVENTWIRE_TO_GUM = {"PERSON": "person", "ORG": "organization", "GPE": "place", "LOC": "place", "FAC": "place"}
GUM_TYPES = frozenset(EVENTWIRE_TO_GUM.values())


def eventwire_spans(article: Article, doc_id: str, mapping: dict[str, str]) -> list[Span]:
    """Entity mentions as spans of the raw input text (the pipeline's cleaned
    text may differ from what was given, so offsets are mapped back)."""
    spans: list[Span] = []
    for entity in article.entities:
        label = mapping.get(entity.type)
        if label is None:
            continue
        for m in entity.mentions:
            start, end = article.raw_span(m.start, m.end)
            spans.append((doc_id, start, end, label))
    return spans


def spacy_spans(doc: Doc, doc_id: str, mapping: dict[str, str]) -> list[Span]:
    return [(doc_id, e.start_char, e.end_char, mapping[e.label_]) for e in doc.ents if e.label_ in mapping]


def conll_documents(rows: Iterable[dict[str, Any]]) -> list[tuple[str, str, list[Span], int]]:
    """CoNLL sentences grouped into documents: (id, text, gold spans, tokens).
    Tokens are joined by spaces, sentences by newlines; -DOCSTART- dropped."""
    grouped: dict[int, list[dict[str, Any]]] = {}
    for row in rows:
        grouped.setdefault(int(row["doc"]), []).append(row)
    documents = []
    for doc_index, sentences in sorted(grouped.items()):
        doc_id = f"conll-{doc_index}"
        parts: list[str] = []
        gold: list[Span] = []
        n_tokens = 0
        offset = 0
        for sentence in sentences:
            tokens, tags = sentence["tokens"], sentence["tags"]
            if not tokens or tokens[0] == "-DOCSTART-":
                continue
            offsets = []
            for tok in tokens:
                offsets.append((offset, offset + len(tok)))
                offset += len(tok) + 1  # the space, or the newline after the last token
            gold.extend(spans_from_iob2(doc_id, offsets, tags))
            parts.append(" ".join(tokens))
            n_tokens += len(tokens)
        if parts:
            documents.append((doc_id, "\n".join(parts), gold, n_tokens))
    return documents


def gum_gold(record: dict[str, Any]) -> list[tuple[Span, tuple[tuple[int, int], ...]]]:
    """Proper mentions of person/organization/place entities, with heads."""
    gold = []
    for entity in record["entities"]:
        if entity["type"] not in GUM_TYPES:
            continue
        for m in entity["mentions"]:
            if m["form"] == "proper":
                span = (record["id"], m["start"], m["end"], entity["type"])
                gold.append((span, tuple((h[0], h[1]) for h in m.get("head") or ())))
    return gold


def _entry(task: str, dataset: str, n: int, system: Score, baseline_name: str, baseline: Score) -> dict[str, Any]:
    return {
        "task": task,
        "dataset": dataset,
        "n": n,
        "precision": round(system.precision, 4),
        "recall": round(system.recall, 4),
        "f1": round(system.f1, 4),
        "n_pred": system.n_pred,
        "n_gold": system.n_gold,
        "baseline": {"name": baseline_name, **Score.as_dict(baseline)},
    }


def _by_label(entry: dict[str, Any], system: dict[str, Score], baseline: dict[str, Score]) -> None:
    entry["per_type"] = {label: s.as_dict() for label, s in system.items()}
    entry["baseline"]["per_type"] = {label: s.as_dict() for label, s in baseline.items()}


def eval_ner_conll(path: Path, limit: int | None = None) -> dict[str, Any]:
    documents = conll_documents(read_jsonl(path))
    if limit is not None:
        documents = documents[:limit]
    texts = [text for _, text, _, _ in documents]
    gold = [s for _, _, spans, _ in documents for s in spans]
    system = [
        s
        for (doc_id, _, _, _), article in zip(documents, run_eventwire([{"text": t} for t in texts]), strict=True)
        for s in eventwire_spans(article, doc_id, EVENTWIRE_TO_CONLL)
    ]
    baseline = [
        s
        for (doc_id, _, _, _), doc in zip(documents, bare_nlp().pipe(texts), strict=True)
        for s in spacy_spans(doc, doc_id, SPACY_TO_CONLL)
    ]
    entry = _entry("ner", "conll2003_test", len(documents), score_spans(gold, system), "spacy_bare", score_spans(gold, baseline))
    entry["n_tokens"] = sum(n for *_, n in documents)
    # The span rules in actors.py were developed looking at errors on the first half
    # of the documents only; the second half is held out.
    half = len(documents) // 2
    first_ids = {doc_id for doc_id, *_ in documents[:half]}
    for name, keep in (("dev_first_half", True), ("held_out_second_half", False)):
        g = [s for s in gold if (s[0] in first_ids) == keep]
        entry[name] = {
            "eventwire": score_spans(g, [s for s in system if (s[0] in first_ids) == keep]).as_dict(),
            "spacy_bare": score_spans(g, [s for s in baseline if (s[0] in first_ids) == keep]).as_dict(),
        }
    _by_label(entry, score_spans_by_label(gold, system), score_spans_by_label(gold, baseline))
    return entry


GUM_DETERMINERS = ("the ", "The ")
GUM_POSSESSIVES = ("'s", "\u2019s")


def gum_extent(text: str, span: Span) -> Span:
    """A name span in GUM's mention convention, which marks the whole noun phrase:
    a determiner "the" right before the name and a possessive "'s" right after it
    are part of the mention ("the United States", "Afghanistan's"). CoNLL and the
    pipeline mark the bare name. Applied to every system scored on GUM alike."""
    doc_id, start, end, label = span
    for det in GUM_DETERMINERS:
        if text[max(0, start - len(det)) : start] == det and (start == len(det) or not text[start - len(det) - 1].isalnum()):
            start -= len(det)
            break
    for pos in GUM_POSSESSIVES:
        if text[end : end + len(pos)] == pos and (end + len(pos) == len(text) or not text[end + len(pos)].isalnum()):
            end += len(pos)
            break
    return (doc_id, start, end, label)


def eval_ner_gum(path: Path, limit: int | None = None) -> dict[str, Any]:
    """GUM proper mentions. Scored twice: exact spans as the systems give them
    (``as_given``), and exact spans after ``gum_extent`` (the headline figures);
    plus head match."""
    records = read_jsonl(path, limit)
    gold_with_heads = [g for r in records for g in gum_gold(r)]
    gold = [g for g, _ in gold_with_heads]
    texts = [r["text"] for r in records]
    items = [{"text": r["text"], "published": r.get("date")} for r in records]
    system = [
        s
        for r, article in zip(records, run_eventwire(items), strict=True)
        for s in eventwire_spans(article, r["id"], EVENTWIRE_TO_GUM)
    ]
    baseline = [
        s
        for r, doc in zip(records, bare_nlp().pipe(texts), strict=True)
        for s in spacy_spans(doc, r["id"], EVENTWIRE_TO_GUM)
    ]
    texts_by_id = {r["id"]: r["text"] for r in records}
    system_np = [gum_extent(texts_by_id[s[0]], s) for s in system]
    baseline_np = [gum_extent(texts_by_id[s[0]], s) for s in baseline]
    entry = _entry("ner", "gum_news", len(records), score_spans(gold, system_np), "spacy_bare", score_spans(gold, baseline_np))
    entry["match"] = "exact, GUM noun-phrase extent (the/'s)"
    _by_label(entry, score_spans_by_label(gold, system_np), score_spans_by_label(gold, baseline_np))
    entry["as_given"] = score_spans(gold, system).as_dict()
    entry["baseline"]["as_given"] = score_spans(gold, baseline).as_dict()
    entry["head_match"] = score_spans_head(gold_with_heads, system).as_dict()
    entry["baseline"]["head_match"] = score_spans_head(gold_with_heads, baseline).as_dict()
    return entry


def run_ner(limit: int | None = None) -> list[dict[str, Any]]:
    conll = find_shared_file(CONLL_FILE, restricted=True)
    entries = [eval_ner_conll(conll, limit) if conll else restricted_absent("ner", "conll2003_test", CONLL_FILE)]
    entries.append(eval_ner_gum(PACKAGE_EVAL / GUM_FILE, limit))
    return entries
