"""``eventwire bench``: throughput of the full pipeline against bare spaCy.

One run builds a deterministic synthetic corpus from the gold-set sentences
shipped in ``data/eval/`` (PLOVER GSR, PETRARCH-2 GSR, GUM news), parses it
with the untouched spaCy model (``nlp.load_bare().pipe``) and then analyses it
with ``eventwire.extract_many``; both are warmed up first. The ratio says what
eventwire's extraction costs on top of the parse it cannot avoid.
"""

from __future__ import annotations

import json
import random
import re
import resource
import sys
import time
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass
from pathlib import Path

import psutil

EVAL_DATA = Path(__file__).resolve().parent / "data" / "eval"
SENTENCE_FILES = ("plover_gsr_cameo.jsonl", "petrarch2_gsr_validation.jsonl")
DOCUMENT_FILES = ("gum_news.jsonl",)
MIN_UNIT_WORDS = 5  # drops GUM headings, datelines and captions
SENTENCES_PER_PARAGRAPH = 3
WARMUP_ARTICLES = 3

# Split detokenized GUM paragraphs into sentences: end punctuation (maybe
# followed by a closing quote), whitespace, then a capital or opening quote.
SENTENCE_BREAK = re.compile(r"(?:(?<=[.!?])|(?<=[.!?][\"'”’]))\s+(?=[A-Z\"“])")


@dataclass(frozen=True, slots=True)
class BenchResult:
    n_articles: int
    n_words: int
    spacy_seconds: float
    eventwire_seconds: float
    spacy_wps: float
    eventwire_wps: float
    ratio: float
    articles_per_s: float
    peak_rss_mb: float
    rss_mb: float
    coder_version: str


def _read_jsonl(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def split_sentences(paragraph: str) -> list[str]:
    parts = SENTENCE_BREAK.split(paragraph.strip())
    return [p.strip() for p in parts if p.strip()]


def gold_sentences(eval_dir: Path = EVAL_DATA) -> list[str]:
    """The sentence pool, in file order, then shuffled with a fixed seed so
    that every article mixes sources."""
    pool: list[str] = []
    for name in SENTENCE_FILES:
        pool.extend(r["text"].strip() for r in _read_jsonl(eval_dir / name) if r.get("text"))
    for name in DOCUMENT_FILES:
        for record in _read_jsonl(eval_dir / name):
            for paragraph in record["text"].split("\n\n"):
                pool.extend(split_sentences(paragraph))
    pool = [s for s in pool if len(s.split()) >= MIN_UNIT_WORDS]
    random.Random(0).shuffle(pool)
    return pool


def synthetic_articles(n: int, pool: list[str]) -> list[str]:
    """n articles of 10–20 consecutive pool sentences (wrapping around),
    in paragraphs of three sentences. Deterministic for a given pool."""
    if not pool:
        raise ValueError("empty sentence pool")
    articles: list[str] = []
    position = 0
    for k in range(n):
        size = 10 + (k * 7) % 11
        sentences = [pool[(position + j) % len(pool)] for j in range(size)]
        position += size
        paragraphs = [
            " ".join(sentences[i : i + SENTENCES_PER_PARAGRAPH])
            for i in range(0, len(sentences), SENTENCES_PER_PARAGRAPH)
        ]
        articles.append("\n\n".join(paragraphs))
    return articles


def count_words(texts: Iterable[str]) -> int:
    return sum(len(t.split()) for t in texts)


def _timed(run: Callable[[], int]) -> tuple[float, int]:
    start = time.perf_counter()
    count = run()
    return time.perf_counter() - start, count


def peak_rss_mb() -> float:
    # ru_maxrss is in KiB on Linux (bytes on macOS).
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / (1024 * 1024) if sys.platform == "darwin" else peak / 1024


def run_bench(n: int) -> BenchResult:
    import eventwire
    from eventwire.nlp import load_bare

    texts = synthetic_articles(n, gold_sentences())
    warmup = texts[:WARMUP_ARTICLES]
    bare = load_bare()
    # Warm-up: model loading, vocab growth and first-call costs stay out of the timings.
    for _ in bare.pipe(warmup):
        pass
    for _ in eventwire.extract_many(warmup):
        pass

    spacy_s, spacy_n = _timed(lambda: sum(1 for _ in bare.pipe(texts, batch_size=32)))
    eventwire_s, eventwire_n = _timed(lambda: sum(1 for _ in eventwire.extract_many(texts, batch_size=32)))
    if not spacy_n == eventwire_n == len(texts):
        raise RuntimeError(f"bench: {len(texts)} articles in, {spacy_n} parsed, {eventwire_n} analysed")

    words = count_words(texts)
    spacy_wps = words / spacy_s if spacy_s else 0.0
    eventwire_wps = words / eventwire_s if eventwire_s else 0.0
    return BenchResult(
        n_articles=len(texts),
        n_words=words,
        spacy_seconds=round(spacy_s, 3),
        eventwire_seconds=round(eventwire_s, 3),
        spacy_wps=round(spacy_wps, 1),
        eventwire_wps=round(eventwire_wps, 1),
        ratio=round(eventwire_wps / spacy_wps, 4) if spacy_wps else 0.0,
        articles_per_s=round(len(texts) / eventwire_s, 2) if eventwire_s else 0.0,
        peak_rss_mb=round(peak_rss_mb(), 1),
        rss_mb=round(psutil.Process().memory_info().rss / (1024 * 1024), 1),
        coder_version=eventwire.CODER_VERSION,
    )


def format_result(r: BenchResult) -> str:
    return "\n".join(
        [
            f"eventwire coder {r.coder_version}: {r.n_articles} synthetic articles, {r.n_words} words",
            f"  {'':<22}{'seconds':>10}{'words/s':>12}",
            f"  {'spaCy (bare) pipe':<22}{r.spacy_seconds:>10.2f}{r.spacy_wps:>12.0f}",
            f"  {'eventwire extract':<22}{r.eventwire_seconds:>10.2f}{r.eventwire_wps:>12.0f}",
            f"  ratio eventwire/spaCy: {r.ratio:.3f}   articles/s: {r.articles_per_s:.2f}",
            f"  peak RSS: {r.peak_rss_mb:.0f} MB (now {r.rss_mb:.0f} MB)",
        ]
    )


def main_bench(n: int = 200, as_json: bool = False) -> int:
    """Entry point of ``eventwire bench [--n N] [--json]``."""
    if n < 1:
        print("bench: --n must be at least 1", file=sys.stderr)
        return 2
    result = run_bench(n)
    print(json.dumps(asdict(result)) if as_json else format_result(result))
    return 0


if __name__ == "__main__":
    import argparse

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=200)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    sys.exit(main_bench(args.n, args.json))
