"""``eventwire eval TASK``: precision/recall/F1 of eventwire against gold sets,
each beside a cheap baseline computed in the same run.

Tasks and datasets:

* ``ner`` — CoNLL-2003 test (restricted: read from ``../shared/eval/restricted/``
  or ``$EVENTWIRE_EVAL_DIR``, never shipped) and GUM news proper mentions
  (shipped). Baseline: the bare spaCy model.
* ``events`` — PLOVER gold-standard records (PLOVER type, actor countries), the
  PETRARCH-2 GSR validation sentences (CAMEO code, actor codes) and the PETRARCH
  unit-test records coded with their own dictionaries: see ``evaluate_events``.
  Baseline: a naive keyword coder (first listed verb lemma, first/second country word).
* ``timex`` / ``quotes`` / ``actors`` / ``coref`` / ``repair`` — in the sibling
  ``evaluate_*`` modules.

Every task scores what ``eventwire.extract`` produces: the gold texts go
through ``extract_many`` (with the publication date the gold set gives) and
the ``Article`` records are read. Events are matched one-to-one (``max_matching``).

An evaluator that cannot run makes ``eventwire eval`` exit 1; the one
exception is a restricted data set that is absent (``restricted_absent``).
``eventwire eval --gate`` checks the headline figures against ``floors.json``
(``evaluate_gate``).

Scorers are pure functions over plain tuples so they can be unit-tested
without a model; the runners below them do the I/O and the parsing.
"""

from __future__ import annotations

import importlib
import json
import sys
import traceback
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from types import ModuleType
from typing import Any

from spacy.tokens import Doc

from ..errors import EvaluationError
from ..model import Article
from ..settings import CHECKOUT_DIR, DATA_DIR, setting

PACKAGE_DATA = DATA_DIR
PACKAGE_EVAL = PACKAGE_DATA / "eval"
REPO_ROOT = CHECKOUT_DIR
EVAL_DIR_ENV = "EVENTWIRE_EVAL_DIR"

CONLL_FILE = "ner_conll2003_test.jsonl"
TE3_FILE = "timex_te3_platinum.jsonl"
PLOVER_FILE = "plover_gsr_cameo.jsonl"
GSR_FILE = "petrarch2_gsr_validation.jsonl"
GUM_FILE = "gum_news.jsonl"
GUM_QUOTES_FILE = "gum_news_quotes.jsonl"
KEYWORDS_FILE = "baseline_keywords.tsv"
COUNTRIES_FILE = PACKAGE_DATA / "phoenix" / "Phoenix.Countries.actors.txt"

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


# ---------------------------------------------------------------------------
# Scores


@dataclass(frozen=True, slots=True)
class Score:
    """Counts behind P/R/F1. Predicted and gold matches are counted apart: they
    differ where a scorer lets one prediction match several gold items (relaxed
    span scores); one-to-one scorers give the same count twice."""

    matched_pred: int
    n_pred: int
    matched_gold: int
    n_gold: int

    @property
    def precision(self) -> float:
        return self.matched_pred / self.n_pred if self.n_pred else 0.0

    @property
    def recall(self) -> float:
        return self.matched_gold / self.n_gold if self.n_gold else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def __add__(self, other: Score) -> Score:
        return Score(
            self.matched_pred + other.matched_pred,
            self.n_pred + other.n_pred,
            self.matched_gold + other.matched_gold,
            self.n_gold + other.n_gold,
        )

    def as_dict(self) -> dict[str, float | int]:
        return {
            "precision": round(self.precision, 4),
            "recall": round(self.recall, 4),
            "f1": round(self.f1, 4),
            "n_pred": self.n_pred,
            "n_gold": self.n_gold,
            "matched_pred": self.matched_pred,
            "matched_gold": self.matched_gold,
        }


EMPTY = Score(0, 0, 0, 0)

# (document id, start, end, label)
Span = tuple[str, int, int, str]


def score_spans(gold: Iterable[Span], pred: Iterable[Span]) -> Score:
    """Exact-span, exact-label matching; duplicates count once."""
    gold_set, pred_set = set(gold), set(pred)
    hits = len(gold_set & pred_set)
    return Score(hits, len(pred_set), hits, len(gold_set))


def score_spans_by_label(gold: Iterable[Span], pred: Iterable[Span]) -> dict[str, Score]:
    gold_set, pred_set = set(gold), set(pred)
    labels = sorted({s[3] for s in gold_set} | {s[3] for s in pred_set})
    return {
        label: score_spans((s for s in gold_set if s[3] == label), (s for s in pred_set if s[3] == label))
        for label in labels
    }


def score_spans_head(gold: Iterable[tuple[Span, tuple[tuple[int, int], ...]]], pred: Iterable[Span]) -> Score:
    """Relaxed span matching: a prediction matches a gold mention of the same
    label when it lies inside the gold span and covers all its head tokens
    (so "United States" matches gold "the United States"). One-to-one: GUM
    nests mentions, and one prediction may not count for two of them."""
    gold_list = list(set(gold))
    pred_list = list(set(pred))

    def matches(p: Span, g: Span, heads: tuple[tuple[int, int], ...]) -> bool:
        return (
            p[0] == g[0]
            and p[3] == g[3]
            and g[1] <= p[1]
            and p[2] <= g[2]
            and all(p[1] <= hs and he <= p[2] for hs, he in heads)
        )

    by_doc: dict[str, list[int]] = {}
    for j, (g, _) in enumerate(gold_list):
        by_doc.setdefault(g[0], []).append(j)
    edges = [[j for j in by_doc.get(p[0], ()) if matches(p, *gold_list[j])] for p in pred_list]
    matched = max_matching(edges, len(gold_list))
    return Score(matched, len(pred_list), matched, len(gold_list))


def max_matching(edges: Sequence[Sequence[int]], n_right: int) -> int:
    """The size of a maximum one-to-one matching in a bipartite graph:
    ``edges[i]`` lists the right-hand items left-hand item ``i`` may match.
    Augmenting paths (Kuhn's algorithm), ample for the few items of a record."""
    owner: list[int | None] = [None] * n_right

    def augment(i: int, seen: set[int]) -> bool:
        for j in edges[i]:
            if j in seen:
                continue
            seen.add(j)
            current = owner[j]
            if current is None or augment(current, seen):
                owner[j] = i
                return True
        return False

    return sum(augment(i, set()) for i in range(len(edges)))


def spans_from_iob2(doc_id: str, offsets: Sequence[tuple[int, int]], tags: Sequence[str]) -> list[Span]:
    """Character spans of IOB2-tagged entities. A stray I- after O or after a
    different type starts a new entity (the conlleval convention)."""
    spans: list[Span] = []
    start = end = -1
    label = ""
    for (tok_start, tok_end), tag in zip(offsets, tags, strict=True):
        prefix, _, tag_label = tag.partition("-")
        continues = prefix == "I" and tag_label == label and start >= 0
        if continues:
            end = tok_end
            continue
        if start >= 0:
            spans.append((doc_id, start, end, label))
            start, label = -1, ""
        if prefix in ("B", "I"):
            start, end, label = tok_start, tok_end, tag_label
    if start >= 0:
        spans.append((doc_id, start, end, label))
    return spans


# ---------------------------------------------------------------------------
# Event scoring


@dataclass(frozen=True, slots=True)
class GoldEvent:
    """One expected event: a PLOVER type or a CAMEO code, with the actor codes
    allowed on each side (PLOVER gold may name a compound actor)."""

    code: str
    sources: tuple[str, ...]
    targets: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class PredEvent:
    code: str | None
    source: str | None
    target: str | None


EventMatch = Callable[[PredEvent, GoldEvent], bool]


def country(actor_code: str | None) -> str | None:
    """The country part of a CAMEO actor code (its first three characters)."""
    return actor_code[:3].upper() if actor_code and len(actor_code) >= 3 else None


def side_matches(pred_code: str | None, gold_codes: tuple[str, ...], key: Callable[[str | None], str | None]) -> bool:
    """A gold side with no code accepts only a prediction with no code: an
    invented target is a wrong dyad, not a harmless extra."""
    gold_keys = {key(c) for c in gold_codes} - {None}
    if not gold_keys:
        return key(pred_code) is None
    return key(pred_code) in gold_keys


def exact_code(actor_code: str | None) -> str | None:
    return actor_code.upper() if actor_code else None


def match_code(pred: PredEvent, gold: GoldEvent) -> bool:
    return pred.code is not None and pred.code == gold.code


def match_root(pred: PredEvent, gold: GoldEvent) -> bool:
    return pred.code is not None and pred.code[:2] == gold.code[:2]


def match_code_source_country(pred: PredEvent, gold: GoldEvent) -> bool:
    return match_code(pred, gold) and side_matches(pred.source, gold.sources, country)


def target_matches(pred: PredEvent, gold: GoldEvent, key: Callable[[str | None], str | None]) -> bool:
    """The target side. A gold compound source with no target is a joint act
    ("X and Y agreed"): PLOVER names both actors once where CAMEO codes X->Y and
    Y->X, so a target that is another member of the compound matches too."""
    if side_matches(pred.target, gold.targets, key):
        return True
    members = {key(c) for c in gold.sources} - {None}
    if {key(c) for c in gold.targets} - {None} or len(members) < 2:
        return False
    return key(pred.target) in members and key(pred.target) != key(pred.source)


def match_code_dyad_country(pred: PredEvent, gold: GoldEvent) -> bool:
    return match_code_source_country(pred, gold) and target_matches(pred, gold, country)


def match_root_dyad_country(pred: PredEvent, gold: GoldEvent) -> bool:
    return match_root(pred, gold) and side_matches(pred.source, gold.sources, country) and target_matches(pred, gold, country)


def match_code_dyad_exact(pred: PredEvent, gold: GoldEvent) -> bool:
    return (
        match_code(pred, gold)
        and side_matches(pred.source, gold.sources, exact_code)
        and target_matches(pred, gold, exact_code)
    )


def match_root_dyad_exact(pred: PredEvent, gold: GoldEvent) -> bool:
    return match_root(pred, gold) and side_matches(pred.source, gold.sources, exact_code) and target_matches(pred, gold, exact_code)


PLOVER_LEVELS: dict[str, EventMatch] = {
    "type": match_code,
    "type+source_country": match_code_source_country,
    "type+source+target_country": match_code_dyad_country,
}
CAMEO_LEVELS: dict[str, EventMatch] = {
    "root": match_root,
    "code": match_code,
    "root+source+target_country": match_root_dyad_country,
    "root+source+target_exact": match_root_dyad_exact,
    "code+source+target_exact": match_code_dyad_exact,
}


def score_events(records: Iterable[tuple[Sequence[GoldEvent], Sequence[PredEvent]]], match: EventMatch) -> Score:
    """Per record, one-to-one: a prediction matches at most one gold event and
    a gold event at most one prediction (a maximum matching), so the two
    directed events of a joint act count once against one gold event and the
    second is a false positive."""
    total = EMPTY
    for gold, pred in records:
        matched = max_matching([[j for j, g in enumerate(gold) if match(p, g)] for p in pred], len(gold))
        total = total + Score(matched, len(pred), matched, len(gold))
    return total


# ---------------------------------------------------------------------------
# Baseline event coder: keyword verb + country words


@dataclass(frozen=True, slots=True)
class KeywordRule:
    plover: str
    cameo: str


def load_keywords(path: Path = PACKAGE_EVAL / KEYWORDS_FILE) -> dict[str, KeywordRule]:
    table: dict[str, KeywordRule] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith(("#", "lemma\t")):
            continue
        lemma, plover, cameo = line.split("\t")[:3]
        table[lemma.strip().lower()] = KeywordRule(plover.strip(), cameo.strip())
    return table


def parse_country_words(lines: Iterable[str]) -> dict[tuple[str, ...], str]:
    """Country-level entries of a TABARI actor dictionary: a ``NAME_ [XXX]``
    line with a bare three-letter code, followed by ``+SYNONYM_`` lines
    (adjectives, capitals, spelling variants). Keys are lowercase word tuples."""
    words: dict[tuple[str, ...], str] = {}
    code: str | None = None
    for raw in lines:
        line = raw.split("#", 1)[0].strip()
        if not line:
            continue
        if line.startswith("+"):
            if code:
                words.setdefault(_actor_words(line[1:]), code)
            continue
        if line.startswith("["):
            continue
        code = None
        if "[" in line:
            name, _, rest = line.partition("[")
            entry_code = rest.split("]", 1)[0].strip()
            if len(entry_code) == 3 and entry_code.isalpha():
                code = entry_code.upper()
                words.setdefault(_actor_words(name), code)
    words.pop((), None)
    return words


def _actor_words(name: str) -> tuple[str, ...]:
    return tuple(w for w in name.strip().lower().split("_") if w)


@lru_cache(maxsize=1)
def country_words() -> dict[tuple[str, ...], str]:
    with COUNTRIES_FILE.open(encoding="utf-8", errors="replace") as handle:
        return parse_country_words(handle)


def find_countries(words: Sequence[str], table: dict[tuple[str, ...], str], longest: int = 4) -> list[str]:
    """Country codes named in a word sequence, in order, longest match first.
    A name must start with a capital: the dictionary is all caps, and "us"
    the pronoun is not "US" the country."""
    lowered = [w.lower() for w in words]
    found: list[str] = []
    i = 0
    while i < len(lowered):
        if not words[i][:1].isupper():
            i += 1
            continue
        for n in range(min(longest, len(lowered) - i), 0, -1):
            code = table.get(tuple(lowered[i : i + n]))
            if code:
                found.append(code)
                i += n
                break
        else:
            i += 1
    return found


def baseline_events(
    doc: Doc, keywords: dict[str, KeywordRule], countries: dict[tuple[str, ...], str], scheme: str
) -> list[PredEvent]:
    """At most one event per text: the first verb whose lemma is in the keyword
    table; source = the first country named, target = the next different one."""
    rule = next(
        (keywords[t.lemma_.lower()] for t in doc if t.pos_ == "VERB" and t.lemma_.lower() in keywords),
        None,
    )
    if rule is None:
        return []
    named: list[str] = []
    for code in find_countries([t.text for t in doc], countries):
        if code not in named:
            named.append(code)
    code = rule.plover if scheme == "plover" else rule.cameo
    return [PredEvent(code, named[0] if named else None, named[1] if len(named) > 1 else None)]


# ---------------------------------------------------------------------------
# Locating and reading data


def read_jsonl(path: Path, limit: int | None = None) -> list[dict[str, Any]]:
    records: list[dict[str, Any]] = []
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            if line.strip():
                records.append(json.loads(line))
                if limit is not None and len(records) >= limit:
                    break
    return records


def shared_eval_dirs() -> list[Path]:
    """Where peer evaluation data may live: ``$EVENTWIRE_EVAL_DIR`` when set
    (and then only there), else ``../shared/eval`` beside the repository."""
    configured = setting("eval_dir")
    if configured:
        return [Path(configured)]
    return [REPO_ROOT.parent / "shared" / "eval", Path.cwd().parent / "shared" / "eval"]


def find_shared_file(name: str, restricted: bool) -> Path | None:
    for base in shared_eval_dirs():
        for candidate in ([base / "restricted" / name] if restricted else []) + [base / name]:
            if candidate.is_file():
                return candidate
    return None


# ---------------------------------------------------------------------------
# Running the systems


def run_eventwire(items: Iterable[dict[str, str | None]]) -> Iterator[Article]:
    """The production path: ``eventwire.extract_many`` over dicts with ``text``
    and optional ``published`` (what ``eventwire extract`` runs)."""
    from ..extract.runner import extract_many

    return extract_many(items)


@contextmanager
def kept_calls(module: ModuleType, name: str) -> Iterator[list[tuple[tuple[Any, ...], Any]]]:
    """Within the block, every call of ``module.name`` is kept as (arguments,
    result), in call order. For what a stage computes on the production path
    but the ``Article`` record does not hold (a pronoun's antecedent, the
    words naming a quote's speaker): read from the very ``extract`` run that
    made the records. The pipeline reaches each stage through its module
    attribute, so wrapping it for the block (and restoring it) changes no
    pipeline code and no result."""
    calls: list[tuple[tuple[Any, ...], Any]] = []
    original = getattr(module, name)

    def keep(*args: Any) -> Any:
        result = original(*args)
        calls.append((args, result))
        return result

    setattr(module, name, keep)
    try:
        yield calls
    finally:
        setattr(module, name, original)


def bare_nlp() -> Any:
    from ..extract.nlp import load_bare

    return load_bare()


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


def plover_gold(record: dict[str, Any]) -> list[GoldEvent]:
    return [
        GoldEvent(e["code_plover_current"], tuple(e.get("source") or ()), tuple(e.get("target") or ()))
        for e in record["expected"]
        if e.get("code_plover_current")
    ]


def gsr_gold(record: dict[str, Any]) -> list[GoldEvent]:
    def codes(value: str | None) -> tuple[str, ...]:
        # A quoted value is an uncoded new-actor text, not an actor code.
        return (value,) if value and not value.startswith('"') else ()

    return [GoldEvent(e["code"], codes(e.get("source")), codes(e.get("target"))) for e in record.get("expected") or []]


def eval_events_plover(path: Path, limit: int | None = None) -> dict[str, Any]:
    from .events import eval_plover

    return eval_plover(path, limit)


def eval_events_gsr(path: Path, limit: int | None = None) -> dict[str, Any]:
    from .events import eval_gsr

    return eval_gsr(path, limit)


def restricted_absent(task: str, dataset: str, file: str, restricted: bool = True) -> dict[str, Any]:
    """The row of a restricted data set that is not on this machine: the one
    case where a task runs without one of its sets and still succeeds."""
    where = "../shared/eval/restricted/" if restricted else "../shared/eval/"
    return {
        "task": task,
        "dataset": dataset,
        "skipped": f"restricted data set {file} not found in {where} or ${EVAL_DIR_ENV} (never shipped)",
        "restricted_absent": file,
    }


def run_ner(limit: int | None = None) -> list[dict[str, Any]]:
    conll = find_shared_file(CONLL_FILE, restricted=True)
    entries = [eval_ner_conll(conll, limit) if conll else restricted_absent("ner", "conll2003_test", CONLL_FILE)]
    entries.append(eval_ner_gum(PACKAGE_EVAL / GUM_FILE, limit))
    return entries


def run_events(limit: int | None = None) -> list[dict[str, Any]]:
    """The three event sets (PLOVER, GSR, unit tests): see ``evaluate_events``."""
    from .events import run_events as run_all_event_sets

    return run_all_event_sets(limit)


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
    from . import timex as evaluate_timex

    return [normalise_delegated({"task": "timex", **evaluate_timex.evaluate_te3(path, limit=limit)})]


def run_quotes(limit: int | None = None) -> list[dict[str, Any]]:
    """PolNeAR test (restricted; skipped when absent: direct-quote and
    reported-speech rows) and GUM news quotes, each beside textacy's
    ``direct_quotations``; see ``evaluate_quotes``. ``limit`` caps the documents."""
    from . import quotes as evaluate_quotes

    return evaluate_quotes.run_quotes(limit)


Runner = Callable[[int | None], list[dict[str, Any]]]

# A task is a runner here or "module:function" in a sibling evaluate_* module,
# imported only when that task runs (each pulls in its own baselines).
TASKS: dict[str, Runner | str] = {
    "repair": "eval.repair:run_repair",
    "ner": run_ner,
    "actors": "eval.actors:run_actors",
    "coref": "eval.actors:run_coref",
    "quotes": run_quotes,
    "timex": run_timex,
    "events": run_events,
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
    from ..model import CODER_VERSION

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
    from ..model import CODER_VERSION

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
