"""Scorers: precision, recall and F1 over plain values (spans, coded events).

Pure functions, no I/O and no model, so they are unit-tested on their own:

* ``Score`` — the counts behind P/R/F1; ``EMPTY`` is zero of everything.
* Entity spans — ``score_spans`` (exact), ``score_spans_by_label``,
  ``score_spans_head`` (relaxed: head tokens covered), ``spans_from_iob2``.
* Events — ``GoldEvent``/``PredEvent``, the ``match_*`` levels gathered in
  ``PLOVER_LEVELS`` and ``CAMEO_LEVELS``, and ``score_events``.

Every one-to-one count is a maximum bipartite matching (``max_matching``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

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
    return len(matching_pairs(edges, n_right))


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
def match_root_source_country(pred: PredEvent, gold: GoldEvent) -> bool:
    return match_root(pred, gold) and side_matches(pred.source, gold.sources, country)


CAMEO_LEVELS: dict[str, EventMatch] = {
    "root": match_root,
    "code": match_code,
    "root+source_country": match_root_source_country,
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


def matching_pairs(edges: Sequence[Sequence[int]], n_right: int) -> list[tuple[int, int]]:
    """A maximum one-to-one matching as (left, right) pairs (see ``max_matching``)."""
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

    for i in range(len(edges)):
        augment(i, set())
    return sorted((i, j) for j, i in enumerate(owner) if i is not None)


# Why a gold event was missed, from the closest unmatched prediction; and
# predictions left with no gold event at all.
ERROR_BUCKETS = ("no event", "wrong code", "wrong source", "no target", "wrong target", "swapped direction", "extra event")


def _bucket(pred: PredEvent, gold: GoldEvent, same_type: EventMatch) -> str:
    """The error a prediction makes on a gold event (buckets in order of closeness)."""
    if not same_type(pred, gold):
        return "wrong code"
    sources = {country(c) for c in gold.sources} - {None}
    targets = {country(c) for c in gold.targets} - {None}
    if country(pred.source) in targets and (country(pred.target) in sources or not sources):
        return "swapped direction"
    if not side_matches(pred.source, gold.sources, country):
        return "wrong source"
    return "no target" if pred.target is None else "wrong target"


def error_buckets(
    records: Iterable[tuple[Sequence[GoldEvent], Sequence[PredEvent]]], full: EventMatch, same_type: EventMatch
) -> dict[str, int]:
    """Counts of the error buckets over records. Per record: gold events fully
    matched one-to-one (``full``) are right; each other gold event takes the
    closest remaining prediction (same type before another type; within a
    type: swapped, wrong target, no target, wrong source) and is tallied under
    that error, or under "no event" when none is left; predictions left over
    are "extra event"."""
    counts = dict.fromkeys(ERROR_BUCKETS, 0)
    order = {name: n for n, name in enumerate(("swapped direction", "wrong target", "no target", "wrong source", "wrong code"))}
    for gold, pred in records:
        pairs = matching_pairs([[j for j, g in enumerate(gold) if full(p, g)] for p in pred], len(gold))
        free_pred = [p for i, p in enumerate(pred) if i not in {i for i, _ in pairs}]
        for j, g in enumerate(gold):
            if j in {j for _, j in pairs}:
                continue
            if not free_pred:
                counts["no event"] += 1
                continue
            best = min(free_pred, key=lambda p: order[_bucket(p, g, same_type)])
            counts[_bucket(best, g, same_type)] += 1
            free_pred.remove(best)
        counts["extra event"] += len(free_pred)
    return counts
