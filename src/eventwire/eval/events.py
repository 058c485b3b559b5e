"""``eventwire eval events``: the event coder on three public gold sets.

* ``plover_gsr_cameo`` — PLOVER gold-standard records (one event each): PLOVER
  type + actor and recipient country.
* ``petrarch2_gsr_validation`` — PETRARCH-2 GSR sentences with real actors:
  CAMEO root + source and target actor (country part).
* ``petrarch2_unit_cameo`` — the PETRARCH unit-test records whose expected codes
  are all CAMEO (185), coded with the suite's own validation dictionaries
  (fictional countries): root-code triples (root, source, target).

Every row carries P/R/F1 at several match levels, the keyword baseline, the
scores of a fixed dev/test split of the records (``splits``; see
``split_of``) and a per-family confusion table (gold family -> predicted).

Scoring conventions (why):

* A gold record lists one event per coded act; the system may see several acts
  in a sentence. The main level scores the sentence's *top* events (those of
  its main-clause trigger, as PETRARCH codes one event per sentence); the
  ``all_events`` levels score every event the coder emits.
* Only events the text asserts or announces (``asserted``, ``intended``) are
  scored: negated, hypothetical, requested, alleged and proposed events are
  not codings in these sets.
* Each row also carries ``errors``: the error buckets of ``scoring.error_buckets``
  for top and all events, and ``extra_share``: the share of predictions that
  match no gold event.
* Matching is one-to-one per record (``scoring.score_events``): a prediction
  matches at most one gold event and a gold event at most one prediction.
* PLOVER allows a compound actor instead of duplicated events: gold source
  [HUN, ROU] with no target is matched by HUN->ROU and ROU->HUN, the CAMEO way
  of coding a joint act (see ``scoring.target_matches``); one-to-one, one of
  the two pairs matches the gold event and the other counts against precision.

The main figures (``precision``/``recall``/``f1``) are the top events at the
main level; ``all_events`` holds every scored event at the same level.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from ..extract import actors, events
from ..extract.tables import CodingTables
from ..model import Article, Event
from .baselines import baseline_events, country_words, load_keywords
from .datasets import (
    GSR_FILE,
    PACKAGE_EVAL,
    PLOVER_FILE,
    UNIT_FILE,
    VALIDATION_DICTS_DIR,
    bare_nlp,
    read_jsonl,
    run_eventwire,
)
from .scoring import (
    CAMEO_LEVELS,
    ERROR_BUCKETS,
    PLOVER_LEVELS,
    EventMatch,
    GoldEvent,
    PredEvent,
    Score,
    error_buckets,
    score_events,
)

VALIDATION_DICTS = PACKAGE_EVAL / VALIDATION_DICTS_DIR
SCORED_MODALITIES = frozenset({"asserted", "intended"})
# The type-only level of each scheme: what "wrong code" is judged by.
TYPE_LEVEL = {"plover": "type", "cameo": "root"}
NO_EVENT = "none"


# ---------------------------------------------------------------------------
# Gold events


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


# ---------------------------------------------------------------------------
# Predictions


@dataclass(frozen=True, slots=True)
class CodedEvent:
    """A system event reduced to what the gold sets score, plus where it sits."""

    pred: PredEvent
    sentence: int  # evidence start: events of one sentence share it
    trigger: int


def coded_events(article: Article, scheme: str) -> list[CodedEvent]:
    """The scored events of an article, in the coder's order (main clause first)."""
    return [
        CodedEvent(
            PredEvent(
                (e.plover or "").split("|")[0] or None if scheme == "plover" else e.code,
                e.source.actor if e.source else None,
                e.target.actor if e.target else None,
            ),
            e.evidence.start,
            e.trigger.start,
        )
        for e in article.events
        if is_scored(e)
    ]


def is_scored(event: Event) -> bool:
    return event.modality in SCORED_MODALITIES


def top_events(coded: Sequence[CodedEvent]) -> list[PredEvent]:
    """Per sentence, the events of its first trigger (the coder lists the
    main-clause trigger first): one act per sentence, each of its dyads."""
    first: dict[int, int] = {}
    for c in coded:
        first.setdefault(c.sentence, c.trigger)
    return [c.pred for c in coded if first[c.sentence] == c.trigger]


def all_events(coded: Sequence[CodedEvent]) -> list[PredEvent]:
    return [c.pred for c in coded]


# ---------------------------------------------------------------------------
# Splits and confusion tables


def split_of(record_id: str) -> str:
    """A fixed half/half dev/test split by a hash of the record id (not by
    position: the sets are sorted by category)."""
    return "dev" if hashlib.sha1(record_id.encode("utf-8")).digest()[0] % 2 == 0 else "test"


def family(code: str | None, scheme: str) -> str:
    """The family a code is tallied under: PLOVER type or CAMEO root."""
    if not code:
        return NO_EVENT
    return code if scheme == "plover" else code[:2]


def confusion(
    records: Sequence[tuple[Sequence[GoldEvent], Sequence[PredEvent]]], scheme: str
) -> dict[str, dict[str, int]]:
    """gold family -> predicted family -> count. Per gold event, the predicted
    family is its own when any prediction of the record has it, else the first
    prediction's, else "none"; predictions of records with no gold are tallied
    under gold "none"."""
    table: dict[str, dict[str, int]] = {}

    def add(gold_family: str, pred_family: str) -> None:
        row = table.setdefault(gold_family, {})
        row[pred_family] = row.get(pred_family, 0) + 1

    for gold, pred in records:
        families = [family(p.code, scheme) for p in pred]
        for g in gold:
            gf = family(g.code, scheme)
            add(gf, gf if gf in families else (families[0] if families else NO_EVENT))
        if not gold:
            for pf in families[:1]:
                add(NO_EVENT, pf)
    return {k: dict(sorted(v.items(), key=lambda kv: -kv[1])) for k, v in sorted(table.items())}


def format_confusion(table: dict[str, dict[str, int]]) -> list[str]:
    """Text lines of a confusion table: one row per gold family."""
    lines = ["  confusion (gold family: predicted family counts; top events)"]
    for gold, row in table.items():
        total = sum(row.values())
        cells = ", ".join(f"{pred} {n}" for pred, n in row.items())
        lines.append(f"    {gold:<12} n={total:<4} {cells}")
    return lines


# ---------------------------------------------------------------------------
# Running one set


@dataclass(frozen=True, slots=True)
class EventSet:
    dataset: str
    records: list[dict[str, Any]]
    gold_of: Callable[[dict[str, Any]], list[GoldEvent]]
    scheme: str  # "plover" or "cameo"
    levels: dict[str, EventMatch]


def _scores(
    golds: list[list[GoldEvent]], preds: list[list[PredEvent]], levels: dict[str, EventMatch]
) -> dict[str, Score]:
    return {name: score_events(zip(golds, preds, strict=True), m) for name, m in levels.items()}


def evaluate_set(event_set: EventSet, articles: list[Article], main_level: str) -> dict[str, Any]:
    """The result row of one set, from the already coded articles."""
    records, levels, scheme = event_set.records, event_set.levels, event_set.scheme
    golds = [event_set.gold_of(r) for r in records]
    coded = [coded_events(a, scheme) for a in articles]
    tops = [top_events(c) for c in coded]
    everything = [all_events(c) for c in coded]
    keywords, countries = load_keywords(), country_words()
    baseline = [baseline_events(d, keywords, countries, scheme) for d in bare_nlp().pipe(r["text"] for r in records)]
    system = _scores(golds, tops, levels)
    system_all = _scores(golds, everything, levels)
    base = _scores(golds, baseline, levels)
    main = system[main_level]
    entry: dict[str, Any] = {
        "task": "events",
        "dataset": event_set.dataset,
        "n": len(records),
        "precision": round(main.precision, 4),
        "recall": round(main.recall, 4),
        "f1": round(main.f1, 4),
        "n_pred": main.n_pred,
        "n_gold": main.n_gold,
        "match": main_level,
        "scored": "top events per sentence; modality asserted or intended; one-to-one matching",
        "all_events": system_all[main_level].as_dict(),
        "n_gold_events": sum(len(g) for g in golds),
        "levels": {name: s.as_dict() for name, s in system.items()}
        | {f"all_events {name}": s.as_dict() for name, s in system_all.items()},
        "baseline": {
            "name": "keyword_coder",
            **base[main_level].as_dict(),
            "levels": {name: s.as_dict() for name, s in base.items()},
        },
        "confusion": confusion(list(zip(golds, tops, strict=True)), scheme),
        "errors": {
            "top_events": error_buckets(zip(golds, tops, strict=True), levels[main_level], levels[TYPE_LEVEL[scheme]]),
            "all_events": error_buckets(zip(golds, everything, strict=True), levels[main_level], levels[TYPE_LEVEL[scheme]]),
        },
        "baseline_confusion": confusion(list(zip(golds, baseline, strict=True)), scheme),
    }
    splits: dict[str, Any] = {}
    for part in ("dev", "test"):
        idx = [i for i, r in enumerate(records) if split_of(str(r["id"])) == part]
        score = score_events(((golds[i], tops[i]) for i in idx), levels[main_level])
        splits[part] = {"n": len(idx), **score.as_dict()}
    entry["splits"] = splits
    # As UniversalPetrarch reports it: the share of predictions that match no gold event.
    for key, errors_key, preds in (("extra_share", "top_events", tops), ("all_events_extra_share", "all_events", everything)):
        n_pred = sum(len(p) for p in preds)
        extra = entry["errors"][errors_key]["extra event"]
        entry[key] = round(extra / n_pred, 4) if n_pred else 0.0
    return entry


def format_errors(errors: dict[str, dict[str, int]]) -> list[str]:
    """Text lines of the error-bucket table (top events and all events)."""
    lines = [f"  {'errors (gold events missed; extra predictions)':<48}" + "".join(f"{b:>18}" for b in ERROR_BUCKETS)]
    for name, counts in errors.items():
        lines.append(f"    {name:<46}" + "".join(f"{counts.get(b, 0):>18}" for b in ERROR_BUCKETS))
    return lines


def _items(records: list[dict[str, Any]]) -> list[dict[str, str | None]]:
    return [{"text": r["text"], "published": r.get("date")} for r in records]


def eval_plover(path: Path, limit: int | None = None) -> dict[str, Any]:
    event_set = EventSet("plover_gsr_cameo", read_jsonl(path, limit), plover_gold, "plover", PLOVER_LEVELS)
    articles = list(run_eventwire(_items(event_set.records)))
    return evaluate_set(event_set, articles, "type+source+target_country")


def eval_gsr(path: Path, limit: int | None = None) -> dict[str, Any]:
    event_set = EventSet("petrarch2_gsr_validation", read_jsonl(path, limit), gsr_gold, "cameo", CAMEO_LEVELS)
    articles = list(run_eventwire(_items(event_set.records)))
    return evaluate_set(event_set, articles, "root+source+target_country")


# ---------------------------------------------------------------------------
# The PETRARCH unit-test records and their own dictionaries


@lru_cache(maxsize=1)
def cameo_code_set() -> frozenset[str]:
    return frozenset(events.cameo_codes())


def unit_records(path: Path, limit: int | None = None) -> list[dict[str, Any]]:
    """Records with at least one expected event, all of them CAMEO codes (the
    rest use the suite's older WEIS codes, which no CAMEO coder can produce)."""
    codes = cameo_code_set()
    chosen = [
        r
        for r in read_jsonl(path)
        if r.get("expected") and all(str(e.get("code")) in codes for e in r["expected"])
    ]
    return chosen[:limit] if limit is not None else chosen


def unit_gold(record: dict[str, Any]) -> list[GoldEvent]:
    return gsr_gold(record)


def validation_lexicon(folder: Path = VALIDATION_DICTS) -> actors.Lexicon:
    """An actors ``Lexicon`` built from the suite's own actor and agent files
    with the actors stage's own parsers. Every named actor also counts as a
    country-level name: the suite codes its fictional places and people alike."""
    lines = (folder / "PETR.Validate.actors.txt").read_text(encoding="utf-8", errors="replace").splitlines()
    entries: dict[str, tuple[actors.Role, ...]] = {}
    countries: dict[str, str] = {}
    for names, roles in actors.parse_actor_lines(line for line in lines if not line.lstrip().startswith("<")):
        entry = tuple(actors.Role(r.code.upper(), r.start, r.end) for r in roles)
        code = actors.code_on(entry, None)
        for name in names:
            key = actors.name_key(name)
            if key:
                entries.setdefault(key, entry)
                if code and code != "---":
                    countries.setdefault(key, code)
    agent_lines = (folder / "PETR.Validate.agents.txt").read_text(encoding="utf-8", errors="replace").splitlines()
    agents = actors.parse_agent_lines(line for line in agent_lines if not line.lstrip().startswith("<"))
    codes = frozenset(c[:3] for c in countries.values())
    return actors.Lexicon(
        actors=entries,
        countries=countries,
        country_codes=codes,
        agents=agents,
        metonyms={},
        surnames={},
        country_names={c: tuple(k for k, v in countries.items() if v == c) for c in codes},
    )


def validation_tables(folder: Path = VALIDATION_DICTS) -> events.TriggerTables:
    """Trigger tables from the suite's verb dictionary alone (no eventwire rows)."""
    text = (folder / "PETR.Validate.verbs.txt").read_text(encoding="utf-8", errors="replace")
    return events.build_trigger_tables("", text, recode_intent=False)


def validation_coding(folder: Path = VALIDATION_DICTS) -> CodingTables:
    """The suite's own actor lexicon and trigger tables, to pass to the
    extraction call (``tables=``) in place of eventwire's."""
    return CodingTables(lexicon=validation_lexicon(folder), triggers=validation_tables(folder))


def eval_unit(path: Path, limit: int | None = None) -> dict[str, Any]:
    from ..extract.runner import extract_many

    event_set = EventSet("petrarch2_unit_cameo", unit_records(path, limit), unit_gold, "cameo", CAMEO_LEVELS)
    articles = list(extract_many(_items(event_set.records), tables=validation_coding()))
    entry = evaluate_set(event_set, articles, "root+source+target_country")
    entry["dictionaries"] = "petrarch_validation_dicts (PETR.Validate.actors/agents/verbs.txt)"
    return entry


# ---------------------------------------------------------------------------
# Error listing for development: read the dev half only


SETS: dict[str, tuple[str, Callable[[dict[str, Any]], list[GoldEvent]], str, str]] = {
    "plover": (PLOVER_FILE, plover_gold, "plover", "type+source+target_country"),
    "gsr": (GSR_FILE, gsr_gold, "cameo", "root+source+target_country"),
    "unit": (UNIT_FILE, unit_gold, "cameo", "root+source+target_country"),
}


def _show(p: PredEvent | GoldEvent) -> str:
    if isinstance(p, GoldEvent):
        return f"{p.code} {'/'.join(p.sources) or '-'} -> {'/'.join(p.targets) or '-'}"
    return f"{p.code} {p.source or '-'} -> {p.target or '-'}"


def dev_errors(name: str, limit: int | None = None, part: str = "dev") -> list[str]:
    """Text blocks for the records of one split whose top events miss the main
    level: gold, top and all predicted events, and the text. Tune on "dev" only."""
    file, gold_of, scheme, level = SETS[name]
    path = PACKAGE_EVAL / file
    records = unit_records(path) if name == "unit" else read_jsonl(path)
    records = [r for r in records if split_of(str(r["id"])) == part][:limit]
    if name == "unit":
        from ..extract.runner import extract_many

        articles = list(extract_many(_items(records), tables=validation_coding()))
    else:
        articles = list(run_eventwire(_items(records)))
    levels = PLOVER_LEVELS if scheme == "plover" else CAMEO_LEVELS
    match = levels[level]
    blocks: list[str] = []
    for record, article in zip(records, articles, strict=True):
        gold = gold_of(record)
        coded = coded_events(article, scheme)
        tops = top_events(coded)
        if score_events([(gold, tops)], match) == Score(len(tops), len(tops), len(gold), len(gold)):
            continue
        lines = [f"[{record['id']}] {record['text']}"]
        lines += [f"  gold {_show(g)}" for g in gold]
        lines += [f"  top  {_show(p)}" for p in tops]
        lines += [f"  all  {_show(c.pred)} @{c.trigger}" for c in coded if c.pred not in tops]
        blocks.append("\n".join(lines))
    return blocks


def run_events(limit: int | None = None) -> list[dict[str, Any]]:
    return [
        eval_plover(PACKAGE_EVAL / PLOVER_FILE, limit),
        eval_gsr(PACKAGE_EVAL / GSR_FILE, limit),
        eval_unit(PACKAGE_EVAL / UNIT_FILE, limit),
    ]


if __name__ == "__main__":  # python -m eventwire.eval.events plover|gsr|unit [limit]
    import sys

    print("\n".join(dev_errors(sys.argv[1], int(sys.argv[2]) if len(sys.argv) > 2 else None)))
