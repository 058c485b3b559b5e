"""``eventwire eval repair``: how well ``repair`` splits glued words.

The benchmark is built from clean text: the texts of the openly licensed gold
sets shipped in ``data/eval/`` (GUM news, PLOVER, PETRARCH-2 GSR and the
PETRARCH unit-test records).
Link-stripping glues a linked word to its neighbour, so the space at a word
boundary next to a capitalized word is removed, about one boundary in twenty
overall, with a seeded RNG. Then:

* split precision / recall: the spaces the production path inserts (the
  ``glued-words`` repairs of the ``Article`` that ``eventwire.extract`` makes
  of the glued text) against the spaces that were removed;
* false splits per 10,000 words of the *untouched* clean text;
* bare-spaCy entity errors caused by glue: the entities the bare model finds
  in the glued (and in the repaired) text, mapped back onto the clean text,
  against those it finds in the clean text (symmetric difference of
  (start, end, label) spans).

Documents are split by a hash of their id into a dev half (used to tune the
splitter) and a test half (reported as the headline row); both are reported.
The baseline is a frequency-only splitter: any token that is not an English
word (wordfreq) split at the first cut giving two common words.
"""

from __future__ import annotations

import dataclasses
import hashlib
import itertools
import json
import random
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from wordfreq import zipf_frequency

from ..extract.nlp import load_bare
from .datasets import PACKAGE_EVAL, run_eventwire
from .scoring import EMPTY, Score

SEED = 20240611
GLUE_RATE = 1 / 20  # of all word boundaries
# Datasets: (name, file in data/eval/), all shipped with eventwire.
DATASETS: tuple[tuple[str, str], ...] = (
    ("gum_news", "gum_news.jsonl"),
    ("plover_gsr", "plover_gsr_cameo.jsonl"),
    ("petrarch2_gsr", "petrarch2_gsr_validation.jsonl"),
    ("petrarch2_unit", "petrarch2_validation.jsonl"),
)
_WORD = re.compile(r"[^\W\d_]+(?:[-'’][^\W\d_]+)*")


@dataclass(frozen=True, slots=True)
class GluedText:
    """A clean text with some spaces removed: ``removed`` are the clean
    offsets of the removed spaces, ``gold`` the glued offsets where a space
    belongs again."""

    clean: str
    glued: str
    removed: tuple[int, ...]
    gold: tuple[int, ...]


# ---------------------------------------------------------------------------
# Building the benchmark


def word_boundaries(text: str) -> list[tuple[int, bool]]:
    """(offset of the single space, next to a capitalized word?) for every
    space between two words."""
    words = list(_WORD.finditer(text))
    found = []
    for left, right in itertools.pairwise(words):
        if right.start() - left.end() == 1 and text[left.end()] == " ":
            found.append((left.end(), left.group()[0].isupper() or right.group()[0].isupper()))
    return found


def glue(text: str, rng: random.Random, rate: float = GLUE_RATE) -> GluedText:
    """Remove the space at about ``rate`` of the word boundaries, choosing only
    boundaries next to a capitalized word, never two around the same word."""
    boundaries = word_boundaries(text)
    eligible = [offset for offset, capital in boundaries if capital]
    p = min(1.0, rate * len(boundaries) / len(eligible)) if eligible else 0.0
    removed: list[int] = []
    for offset in eligible:
        if rng.random() < p and (not removed or not _same_word_between(text, removed[-1], offset)):
            removed.append(offset)
    glued = "".join(ch for i, ch in enumerate(text) if i not in set(removed))
    gold = tuple(offset - k for k, offset in enumerate(removed))
    return GluedText(text, glued, tuple(removed), gold)


def _same_word_between(text: str, a: int, b: int) -> bool:
    return " " not in text[a + 1 : b]


def is_dev(dataset: str, doc_id: str) -> bool:
    """Half of the documents, by a stable hash of their id, form the dev split."""
    return hashlib.sha1(f"{dataset}/{doc_id}".encode()).digest()[0] % 2 == 0


def dataset_texts(file: str, limit: int | None) -> Iterator[tuple[str, str]]:
    """(id, text) of each record of a gold set, up to ``limit``."""
    with (PACKAGE_EVAL / file).open(encoding="utf-8") as fh:
        for n, line in enumerate(fh):
            if limit is not None and n >= limit:
                return
            record = json.loads(line)
            if record.get("text"):
                yield str(record.get("id", n)), record["text"]


# ---------------------------------------------------------------------------
# Scoring


def predicted_splits(texts: Sequence[str]) -> list[tuple[int, ...]]:
    """For each text, the offsets where ``eventwire.extract`` inserts a space
    between glued words: its ``Article``'s ``glued-words`` repairs."""
    return [
        tuple(r.raw_start for r in article.repairs if r.kind == "glued-words")
        for article in run_eventwire({"text": t} for t in texts)
    ]


def frequency_only_splits(text: str) -> tuple[int, ...]:
    """The baseline: a token unknown to wordfreq is split at the first cut that
    leaves two words of Zipf >= 3."""
    found = []
    for m in _WORD.finditer(text):
        token = m.group()
        if len(token) < 4 or zipf_frequency(token.lower(), "en") > 0:
            continue
        for cut in range(2, len(token) - 1):
            if min(zipf_frequency(token[:cut].lower(), "en"), zipf_frequency(token[cut:].lower(), "en")) >= 3:
                found.append(m.start() + cut)
                break
    return tuple(found)


def split_score(gold: Iterable[int], predicted: Iterable[int]) -> Score:
    gold_set, pred_set = set(gold), set(predicted)
    hits = len(gold_set & pred_set)
    return Score(hits, len(pred_set), hits, len(gold_set))


def offset_map_removed(length: int, removed: tuple[int, ...]) -> list[int]:
    """For each offset 0..length of a text with the characters at ``removed``
    (offsets in the longer text) taken out: the offset in the longer text."""
    out = []
    k = 0
    for g in range(length + 1):
        while k < len(removed) and removed[k] <= g + k:
            k += 1
        out.append(g + k)
    return out


def offset_map_inserted(length: int, inserted: tuple[int, ...]) -> list[int]:
    """For each offset of a text made by inserting one character before each
    offset in ``inserted`` (offsets in the shorter text): the shorter offset."""
    out = []
    ins = sorted(inserted)
    k = 0
    pos = 0
    while pos <= length + len(ins):
        if k < len(ins) and pos == ins[k] + k:
            out.append(ins[k])  # the inserted space sits at the original offset
            k += 1
        else:
            out.append(pos - k)
        pos += 1
    return out


def entity_spans(text: str, to_clean: list[int]) -> set[tuple[int, int, str]]:
    doc = load_bare()(text)
    return {(to_clean[e.start_char], to_clean[e.end_char], e.label_) for e in doc.ents}


def insert_spaces(text: str, offsets: tuple[int, ...]) -> str:
    out, last = [], 0
    for offset in sorted(offsets):
        out += [text[last:offset], " "]
        last = offset
    return "".join([*out, text[last:]])


@dataclass(slots=True)
class Tally:
    docs: int = 0
    words: int = 0
    glued: int = 0
    split: Score = field(default=EMPTY)
    baseline: Score = field(default=EMPTY)
    false_splits_clean: int = 0
    baseline_false_splits_clean: int = 0
    ents_clean: int = 0
    errors_glued: int = 0
    errors_repaired: int = 0

    def add_document(self, sample: GluedText, pred: tuple[int, ...], pred_clean: tuple[int, ...], with_entities: bool) -> None:
        """One document: ``pred`` the splits predicted in its glued text,
        ``pred_clean`` those predicted in its clean text (all false)."""
        self.docs += 1
        self.words += len(_WORD.findall(sample.clean))
        self.glued += len(sample.gold)
        self.split += split_score(sample.gold, pred)
        self.baseline += split_score(sample.gold, frequency_only_splits(sample.glued))
        self.false_splits_clean += len(pred_clean)
        self.baseline_false_splits_clean += len(frequency_only_splits(sample.clean))
        if not with_entities:
            return
        identity = list(range(len(sample.clean) + 1))
        clean_ents = entity_spans(sample.clean, identity)
        glued_to_clean = offset_map_removed(len(sample.glued), sample.removed)
        repaired_to_glued = offset_map_inserted(len(sample.glued), pred)
        repaired_to_clean = [glued_to_clean[g] for g in repaired_to_glued]
        self.ents_clean += len(clean_ents)
        self.errors_glued += len(clean_ents ^ entity_spans(sample.glued, glued_to_clean))
        self.errors_repaired += len(clean_ents ^ entity_spans(insert_spaces(sample.glued, pred), repaired_to_clean))

    def merge(self, other: Tally) -> None:
        for f in dataclasses.fields(self):
            setattr(self, f.name, getattr(self, f.name) + getattr(other, f.name))

    def as_row(self, dataset: str) -> dict[str, Any]:
        per_10k = 10_000 / self.words if self.words else 0.0
        return {
            "task": "repair",
            "dataset": dataset,
            "n": self.docs,
            "words": self.words,
            "n_gold": self.glued,
            **self.split.as_dict(),
            "false_splits_per_10k_words": round(self.false_splits_clean * per_10k, 3),
            "false_splits_clean": self.false_splits_clean,
            "entity_errors_bare_spacy": {
                "clean_entities": self.ents_clean,
                "glued_before_repair": self.errors_glued,
                "after_repair": self.errors_repaired,
            },
            "baseline": {
                "name": "frequency-only splitter (wordfreq)",
                **self.baseline.as_dict(),
                "false_splits_per_10k_words": round(self.baseline_false_splits_clean * per_10k, 3),
            },
        }


SPLITS = ("both", "dev", "test")


def run_repair(limit: int | None = None, *, with_entities: bool = True, split: str = "both") -> list[dict[str, Any]]:
    """Rows: all test documents together, each dataset's test split, then all
    dev documents (the split the splitter was tuned on). ``limit`` caps the
    records read per dataset; ``split`` ("dev" or "test") scores one half only
    (tuning reads the dev half alone)."""
    if split not in SPLITS:
        raise ValueError(f"split must be one of {SPLITS}, not {split!r}")
    rng = random.Random(SEED)
    per_dataset: dict[str, Tally] = {}
    test_all, dev_all = Tally(), Tally()
    chosen = [
        (name, doc_id, sample)
        for name, doc_id, sample in glued_samples(rng, limit)
        if split == "both" or (split == "dev") == is_dev(name, doc_id)
    ]
    preds = predicted_splits([sample.glued for _, _, sample in chosen])
    preds_clean = predicted_splits([sample.clean for _, _, sample in chosen])
    for (name, doc_id, sample), pred, pred_clean in zip(chosen, preds, preds_clean, strict=True):
        dev = is_dev(name, doc_id)
        one = Tally()
        one.add_document(sample, pred, pred_clean, with_entities)
        if dev:
            dev_all.merge(one)
            per_dataset.setdefault(f"{name} (dev)", Tally()).merge(one)
        else:
            test_all.merge(one)
            per_dataset.setdefault(f"{name} (test)", Tally()).merge(one)
    rows = []
    if split != "dev":
        rows.append(test_all.as_row("all (test)"))
        rows += [t.as_row(label) for label, t in per_dataset.items() if label.endswith("(test)")]
    if split != "test":
        rows.append(dev_all.as_row("all (dev, tuned on)"))
        if split == "dev":
            rows += [t.as_row(label) for label, t in per_dataset.items()]
    return rows


def glued_samples(rng: random.Random, limit: int | None) -> Iterator[tuple[str, str, GluedText]]:
    """(dataset, id, glued text) for every document, in a fixed order: the RNG
    is drawn for every document whichever split is scored, so both halves
    always get the same glue."""
    for name, file in DATASETS:
        for doc_id, text in dataset_texts(file, limit):
            yield name, doc_id, glue(text, rng)


def dev_errors(limit: int | None = None) -> Iterator[tuple[str, str, str]]:
    """(dataset, kind, context) of every dev-split error: "missed" glue,
    "wrong" splits of glued text and "false" splits of the clean text."""
    dev = [(name, sample) for name, doc_id, sample in glued_samples(random.Random(SEED), limit) if is_dev(name, doc_id)]
    preds = predicted_splits([sample.glued for _, sample in dev])
    preds_clean = predicted_splits([sample.clean for _, sample in dev])
    for (name, sample), found, found_clean in zip(dev, preds, preds_clean, strict=True):
        pred = set(found)
        gold = set(sample.gold)
        for kind, offsets, text in (
            ("missed", gold - pred, sample.glued),
            ("wrong", pred - gold, sample.glued),
            ("false", set(found_clean), sample.clean),
        ):
            for offset in sorted(offsets):
                yield name, kind, f"{text[max(0, offset - 30) : offset]}|{text[offset : offset + 30]}".replace("\n", " ")


def main(argv: list[str] | None = None) -> int:
    """``python -m eventwire.eval.repair --split dev [--errors]``: score one
    split without the entity pass, or list the dev split's errors."""
    import argparse

    parser = argparse.ArgumentParser(prog="python -m eventwire.eval.repair")
    parser.add_argument("--split", choices=SPLITS, default="dev")
    parser.add_argument("--limit", type=int)
    parser.add_argument("--entities", action="store_true", help="also count bare-spaCy entity errors (slow)")
    parser.add_argument("--errors", action="store_true", help="list the dev split's errors")
    args = parser.parse_args(argv)
    if args.errors:
        for name, kind, context in dev_errors(args.limit):
            print(f"{name}\t{kind}\t{context}")
        return 0
    for row in run_repair(args.limit, with_entities=args.entities, split=args.split):
        print(json.dumps(row))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
