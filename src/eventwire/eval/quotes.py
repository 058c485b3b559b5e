"""``eventwire eval quotes``: quotations and reported speech against gold
attributions, with textacy's ``direct_quotations`` (on the bare spaCy model)
as the baseline in the same run.

Datasets:

* PolNeAR test (restricted: read from ``../shared/eval/restricted/`` or
  ``$EVENTWIRE_EVAL_DIR/restricted``, never shipped; skipped when absent). One
  annotator per article (the ``primary`` records). Two rows:
  ``polnear_test_direct`` scores the attributions whose content holds
  quotation marks against our records holding marks (direct and partial
  quotes, and reported clauses with a partial quote inside);
  ``polnear_test_reported`` scores the attributions without marks against our
  ``reported`` records.
* GUM news (shipped, CC BY: ``data/eval/gum_news_quotes.jsonl`` with
  ``gum_news.jsonl``; the only other open quote set in ``../shared/eval`` per
  its README, identical to the shipped copy). Two rows: ``gum_news_quotes``
  (the ``<quote>`` spans) and ``gum_news_reported`` (eRST attribution
  relations whose content has no marks).

Scoring (pure functions over character spans of the raw text):

* span: a gold item is found when predictions cover at least half of it
  (``MIN_COVERAGE``); a prediction is correct when gold contents of any kind
  cover at least half of it. Coverage rather than one-to-one pairing, because
  gold sets cut a quotation at sentence or paragraph breaks differently.
* speaker, over the found gold items with a speaker, the same way for both
  systems: the prediction overlapping the gold item most is right when the
  phrase it names as the speaker overlaps a gold speaker span (PolNeAR: the
  annotated source; GUM: any mention of the gold speaker entity). textacy
  names a span of tokens; eventwire the words its quote stage took as the
  speaker (the cue's subject, "she" in "she said", whose entity then gives
  ``speaker_name``). eventwire's ``speaker_entity_accuracy`` also accepts any
  mention of the entity named: it has no counterpart in the baseline.

Predictions are what ``eventwire.extract`` produces: the texts go through
``extract_many`` with the gold set's publication date, and the ``Article``'s
quotes are read, mapped back to the offsets of the text as given. The record
names a speaker (``speaker``, ``speaker_name``) but not where the words naming
it are written, so those are read from the quote stage's attributions in the
same run (an ``ExtractTrace`` passed to the extraction).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..extract import nlp, quotes
from ..extract.trace import ExtractTrace, SpeakerWords
from ..model import Article, Quote
from .datasets import (
    GUM_FILE,
    GUM_QUOTES_FILE,
    PACKAGE_EVAL,
    POLNEAR_FILE,
    find_shared_file,
    restricted_absent,
    run_eventwire,
)

GUM_DOCS_FILE = GUM_FILE
MIN_COVERAGE = 0.5
BASELINE_NAME = "textacy.direct_quotations"

Span = tuple[int, int]


@dataclass(frozen=True, slots=True)
class GoldQuote:
    """One gold attribution: its content spans, whether they hold quotation
    marks, and the spans naming its speaker (empty when none is scored)."""

    spans: tuple[Span, ...]
    marked: bool
    speaker: tuple[Span, ...] = ()


@dataclass(frozen=True, slots=True)
class PredQuote:
    """One predicted quote or reported clause, in raw-text offsets.
    ``speaker``: the phrase the system names as the speaker (its pieces);
    ``speaker_entity``: the mentions of the entity it names (eventwire only)."""

    start: int
    end: int
    marked: bool
    speaker: tuple[Span, ...] = ()
    speaker_entity: tuple[Span, ...] = ()


# ---------------------------------------------------------------------------
# Scores (pure)


def coverage(spans: Sequence[Span], others: Sequence[Span]) -> float:
    """Share of the characters of ``spans`` that the union of ``others`` covers."""
    total = covered = 0
    for start, end in spans:
        for i in range(start, end):
            total += 1
            covered += any(o_start <= i < o_end for o_start, o_end in others)
    return covered / total if total else 0.0


def overlap(a: Span, b: Span) -> int:
    return max(0, min(a[1], b[1]) - max(a[0], b[0]))


def _prf(matched_pred: int, n_pred: int, matched_gold: int, n_gold: int) -> dict[str, float | int]:
    p = matched_pred / n_pred if n_pred else 0.0
    r = matched_gold / n_gold if n_gold else 0.0
    return {
        "precision": round(p, 4),
        "recall": round(r, 4),
        "f1": round(2 * p * r / (p + r), 4) if p + r else 0.0,
        "n_pred": n_pred,
        "n_gold": n_gold,
        "matched_pred": matched_pred,
        "matched_gold": matched_gold,
    }


def _ratio(part: int, whole: int) -> float:
    return round(part / whole, 4) if whole else 0.0


@dataclass(slots=True)
class Tally:
    """Counts behind span P/R/F1 and speaker accuracy, summed over documents."""

    n_pred: int = 0
    matched_pred: int = 0
    n_gold: int = 0
    matched_gold: int = 0
    speaker_gold: int = 0  # found gold items with a speaker
    speaker_all: int = 0  # gold items with a speaker
    speaker_right: int = 0
    speaker_entity_right: int = 0

    def as_dict(self) -> dict[str, Any]:
        return {
            **_prf(self.matched_pred, self.n_pred, self.matched_gold, self.n_gold),
            "speaker_accuracy": _ratio(self.speaker_right, self.speaker_gold),
            "speaker_accuracy_all": _ratio(self.speaker_right, self.speaker_all),
            "speaker_entity_accuracy": _ratio(self.speaker_entity_right, self.speaker_gold),
            "speaker_scored": self.speaker_gold,
        }


def speaker_right(pred: PredQuote, gold: GoldQuote, with_entity: bool = False) -> bool:
    """The phrase named as the speaker overlaps a gold speaker span (``with_entity``:
    or a mention of the entity named does)."""
    named = pred.speaker + pred.speaker_entity if with_entity else pred.speaker
    return any(overlap(p, g) for p in named for g in gold.speaker)


def tally_document(
    tally: Tally,
    golds: Sequence[GoldQuote],
    preds: Sequence[PredQuote],
    contents: Sequence[Span],
    heads_only: bool = False,
) -> None:
    """Add one document to ``tally``: ``golds`` are the items to find,
    ``preds`` the predictions scored, ``contents`` every gold content span of
    the document (a prediction inside any of them is correct). ``heads_only``:
    the gold contents are only the head units of longer contents (GUM's
    discourse units), so a prediction is correct when it covers half of one."""
    pred_spans = [(p.start, p.end) for p in preds]
    tally.n_pred += len(preds)
    if heads_only:
        tally.matched_pred += sum(any(coverage([c], [s]) >= MIN_COVERAGE for c in contents) for s in pred_spans)
    else:
        tally.matched_pred += sum(coverage([s], contents) >= MIN_COVERAGE for s in pred_spans)
    for gold in golds:
        tally.n_gold += 1
        found = coverage(gold.spans, pred_spans) >= MIN_COVERAGE
        tally.matched_gold += found
        if not gold.speaker:
            continue
        tally.speaker_all += 1
        if not found:
            continue
        tally.speaker_gold += 1
        best = max(preds, key=lambda p: sum(overlap((p.start, p.end), g) for g in gold.spans))
        tally.speaker_right += speaker_right(best, gold)
        tally.speaker_entity_right += speaker_right(best, gold, with_entity=True)


def is_marked(text: str) -> bool:
    """Holds a quotation mark; "'" and "’" are left out, as mostly apostrophes."""
    return any(c in quotes.DOUBLE_MARKS or c in "‘‚‛‹›" for c in text)


# ---------------------------------------------------------------------------
# Predictions: eventwire and the baseline


def eventwire_predictions(items: Iterable[dict[str, str | None]]) -> list[list[PredQuote]]:
    """The quotes of the ``Article`` that ``eventwire.extract`` makes of each
    item (``text``, optional ``published``), in offsets of the text as given,
    each with the words its quote stage took as the speaker."""
    trace = ExtractTrace()
    articles = list(run_eventwire(items, trace=trace))
    phrases = {(w.doc_id, w.quote_start, w.quote_end): w for w in trace.speakers}
    return [[to_pred(article, q, phrases.get((article.doc_id, q.start, q.end))) for q in article.quotes] for article in articles]


def to_pred(article: Article, quote: Quote, phrase: SpeakerWords | None) -> PredQuote:
    """A quote record in raw offsets, with the words naming its speaker and the
    mentions of its speaker entity."""
    entity = article.entity(quote.speaker) if quote.speaker else None
    mentions = tuple(article.raw_span(m.start, m.end) for m in entity.mentions) if entity else ()
    named = (article.raw_span(phrase.start, phrase.end),) if phrase is not None else ()
    start, end = article.raw_span(quote.start, quote.end)
    return PredQuote(start, end, is_marked(quote.text), named, mentions)


def textacy_predictions(texts: Sequence[str]) -> tuple[list[list[PredQuote]], int]:
    """textacy's direct quotations on the bare model, and how many texts it
    raised on (it refuses texts with an odd number of quotation marks)."""
    from textacy.extract.triples import direct_quotations

    found: list[list[PredQuote]] = []
    errors = 0
    for doc in nlp.load_bare().pipe(texts):
        try:
            triples = list(direct_quotations(doc))
        except Exception:  # noqa: BLE001 - the baseline's own failure, counted
            errors += 1
            triples = []
        found.append(
            [
                PredQuote(t.content.start_char, t.content.end_char, True, tuple((w.idx, w.idx + len(w.text)) for w in t.speaker))
                for t in triples
            ]
        )
    return found, errors


# ---------------------------------------------------------------------------
# Datasets


def read_jsonl(path: Path, limit: int | None = None) -> list[dict[str, Any]]:
    records = [json.loads(line) for line in path.read_text("utf-8").splitlines() if line.strip()]
    return records[:limit] if limit is not None else records


def polnear_gold(record: dict[str, Any]) -> list[GoldQuote]:
    return [
        GoldQuote(
            tuple((s, e) for s, e in q["quote_spans"]),
            bool(q["has_quote_marks"]),
            ((q["speaker_start"], q["speaker_end"]),)
            if q["type"] == "Attribution" and q.get("speaker_start") is not None
            else (),
        )
        for q in record["quotes"]
    ]


def _row(dataset: str, n: int, ours: Tally, base: Tally, **extra: Any) -> dict[str, Any]:
    return {
        "task": "quotes",
        "dataset": dataset,
        "n": n,
        "match": f"coverage>={MIN_COVERAGE}",
        **ours.as_dict(),
        "baseline": {"name": BASELINE_NAME, **base.as_dict()},
        **extra,
    }


def evaluate_polnear(path: Path, limit: int | None = None) -> list[dict[str, Any]]:
    """Two rows on PolNeAR's test articles: quotations with marks (``f1`` is
    the direct-quote span F1) and reported speech without marks."""
    records = [r for r in read_jsonl(path) if r.get("primary")][:limit]
    texts = [r["text"] for r in records]
    ours = list(eventwire_predictions({"text": r["text"], "published": r.get("date")} for r in records))
    base, errors = textacy_predictions(texts)
    direct, reported = Tally(), Tally()
    base_direct, base_reported = Tally(), Tally()
    for record, mine, theirs in zip(records, ours, base, strict=True):
        golds = polnear_gold(record)
        contents = [s for g in golds for s in g.spans]
        marked = [g for g in golds if g.marked]
        unmarked = [g for g in golds if not g.marked]
        tally_document(direct, marked, [p for p in mine if p.marked], contents)
        tally_document(reported, unmarked, [p for p in mine if not p.marked], contents)
        tally_document(base_direct, marked, theirs, contents)
        tally_document(base_reported, unmarked, [p for p in theirs if not p.marked], contents)
    rows = [
        _row("polnear_test_direct", len(records), direct, base_direct),
        _row("polnear_test_reported", len(records), reported, base_reported),
    ]
    rows[0]["baseline"]["errors"] = errors
    rows[1]["attribution_f1"] = rows[1]["f1"]
    rows[1]["baseline"]["note"] = "the baseline extracts quotations with marks only"
    return rows


def gum_gold(record: dict[str, Any], doc: dict[str, Any], strict: bool) -> list[GoldQuote]:
    """GUM ``<quote>`` spans; the speaker is the cluster of the derived speaker
    entity (``strict``: only the reliable ``attribution`` derivations)."""
    clusters = {e["id"]: tuple((m["start"], m["end"]) for m in e["mentions"]) for e in doc["entities"]}
    return [
        GoldQuote(
            ((q["start"], q["end"]),),
            is_marked(q["text"]),
            clusters.get(q["speaker_entity"], ())
            if q["speaker_entity"] is not None and (q["speaker_source"] == "attribution" or not strict)
            else (),
        )
        for q in record["quotes"]
    ]


def gum_attributions(record: dict[str, Any], doc: dict[str, Any]) -> list[GoldQuote]:
    """GUM's eRST attribution relations whose content unit has no quotation
    marks: reported speech, with the source entity's mentions as speaker."""
    clusters = {e["id"]: tuple((m["start"], m["end"]) for m in e["mentions"]) for e in doc["entities"]}
    golds = []
    for a in record["attributions"]:
        content = a["content_edu"]
        if is_marked(content["text"]):
            continue
        named = tuple((s["start"], s["end"]) for s in a["sources"]) + clusters.get(a["source_entity"], ())
        golds.append(GoldQuote(((content["start"], content["end"]),), False, named))
    return golds


def evaluate_gum(path: Path = PACKAGE_EVAL / GUM_QUOTES_FILE, limit: int | None = None) -> list[dict[str, Any]]:
    """Two rows on GUM news. ``gum_news_quotes``: the ``<quote>`` spans against
    our records holding marks; ``speaker_accuracy`` is over the reliable
    ``attribution`` speakers, ``speaker_accuracy_all_items`` includes the
    discourse-chain ones; ``precision_annotated_docs`` leaves out documents
    where GUM marked no quotation at all (several quote people without a
    ``<quote>``). ``gum_news_reported``: attribution relations without marks
    against our ``reported`` records (GUM gives only the head unit of the
    content, so a prediction is correct when it covers half of one)."""
    records = read_jsonl(path, limit)
    docs = {d["id"]: d for d in read_jsonl(path.with_name(GUM_DOCS_FILE))}
    texts = [docs[r["id"]]["text"] for r in records]
    ours = list(eventwire_predictions({"text": docs[r["id"]]["text"], "published": docs[r["id"]].get("date")} for r in records))
    base, errors = textacy_predictions(texts)
    tallies = {name: Tally() for name in ("strict", "loose", "annotated", "reported")}
    base_tallies = {name: Tally() for name in tallies}
    for record, mine, theirs in zip(records, ours, base, strict=True):
        doc = docs[record["id"]]
        contents = [(q["start"], q["end"]) for q in record["quotes"]]
        heads = [(a["content_edu"]["start"], a["content_edu"]["end"]) for a in record["attributions"]] + contents
        for group, preds in ((tallies, [p for p in mine if p.marked]), (base_tallies, theirs)):
            tally_document(group["strict"], gum_gold(record, doc, True), preds, contents)
            tally_document(group["loose"], gum_gold(record, doc, False), preds, contents)
            if contents:
                tally_document(group["annotated"], [], preds, contents)
        tally_document(tallies["reported"], gum_attributions(record, doc), [p for p in mine if not p.marked], heads, True)
        tally_document(
            base_tallies["reported"], gum_attributions(record, doc), [p for p in theirs if not p.marked], heads, True
        )
    quotes_row = _row("gum_news_quotes", len(records), tallies["strict"], base_tallies["strict"])
    for row_part, group in ((quotes_row, tallies), (quotes_row["baseline"], base_tallies)):
        row_part["speaker_accuracy_all_items"] = group["loose"].as_dict()["speaker_accuracy"]
        row_part["precision_annotated_docs"] = group["annotated"].as_dict()["precision"]
    quotes_row["baseline"]["errors"] = errors
    reported_row = _row("gum_news_reported", len(records), tallies["reported"], base_tallies["reported"])
    reported_row["attribution_f1"] = reported_row["f1"]
    reported_row["baseline"]["note"] = "the baseline extracts quotations with marks only"
    return [quotes_row, reported_row]


def find_polnear() -> Path | None:
    return find_shared_file(POLNEAR_FILE, restricted=True)


def run_quotes(limit: int | None = None) -> list[dict[str, Any]]:
    """Every quote dataset: PolNeAR (when the restricted folder is there) and GUM."""
    path = find_polnear()
    rows = [restricted_absent("quotes", "polnear_test", POLNEAR_FILE)] if path is None else evaluate_polnear(path, limit)
    return rows + evaluate_gum(PACKAGE_EVAL / GUM_QUOTES_FILE, limit)


if __name__ == "__main__":
    print(json.dumps(run_quotes(), indent=2))
