"""``eventwire bench``: throughput of the full pipeline against bare spaCy.

One run builds a deterministic synthetic corpus from the gold-set sentences
shipped in ``data/eval/`` (PLOVER GSR, PETRARCH-2 GSR, GUM news), parses it
with the untouched spaCy model (``nlp.load_bare().pipe``), analyses it with
``eventwire.extract_many``, and parses it with eventwire's own spaCy pipeline
alone (``nlp.load``, whose ruler and lemmatizer are memoized), all warmed up
first. The three take turns on four parts of the corpus, in an order reversed
every other round, so that a change of load on the machine weighs on each
alike. The ratio says what eventwire costs against the bare parse; the share
of its own stages says how much of that is past its parse. Both are taken from
CPU time of this process (wall time is shown too): on a machine shared with
other work, CPU time is what the runs can be compared by.

Then the engines of ``eventwire.scale.engines``: the same articles on a local pool of
1 and of N workers, then of N workers and on Ray (local mode) with N
workers, timed once every worker has loaded the model, each pair taking
turns on two halves of the articles (A B B A); ``eventwire run`` on them (as input files, to
Parquet shards) with the local engine and with Ray, and ``load`` of the
shards into a store; and a memory run that streams short articles
(never stored) through the local pool, reading each worker's peak RSS after
``memory_from`` articles and at the end.
"""

from __future__ import annotations

import json
import random
import re
import sys
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import asdict, dataclass
from functools import partial
from pathlib import Path

import psutil

from ..scale.engines import LocalEngine, RayEngine, batched, peak_rss_mb
from ..settings import DATA_DIR

EVAL_DATA = DATA_DIR / "eval"
SENTENCE_FILES = ("plover_gsr_cameo.jsonl", "petrarch2_gsr_validation.jsonl")
DOCUMENT_FILES = ("gum_news.jsonl",)
MIN_UNIT_WORDS = 5  # drops GUM headings, datelines and captions
SENTENCES_PER_PARAGRAPH = 3
WARMUP_ARTICLES = 3
ROUNDS = 4
SCALE_ARTICLES = 240
MEMORY_FROM = 1_000
MEMORY_ARTICLES = 20_000
MEMORY_ARTICLE_SENTENCES = 4

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
    ratio: float  # from CPU time
    wall_ratio: float
    articles_per_s: float
    # eventwire's spaCy pipeline alone (``nlp.load``: memoized ruler and
    # lemmatizer), and the share of eventwire's CPU time spent past it
    parse_seconds: float
    parse_wps: float
    own_share: float
    rounds: int
    peak_rss_mb: float
    rss_mb: float
    coder_version: str


@dataclass(frozen=True, slots=True)
class ScaleResult:
    n_articles: int
    workers: int
    local_1_seconds: float
    local_n_seconds: float
    # CPU seconds of the local pools' workers on the articles: their sum for
    # N workers over that of 1 worker is what running side by side costs the
    # machine (shared caches, cores that are hyperthreads of one another)
    local_1_cpu_seconds: float
    local_n_cpu_seconds: float
    ray_n_seconds: float | None  # None: Ray could not start
    speedup: float  # local 1 worker / local N workers
    ray_vs_local: float | None  # local N / Ray N, measured side by side (> 1: Ray faster)


@dataclass(frozen=True, slots=True)
class ShardRunResult:
    """``eventwire run`` on the same articles split into input files, with the
    local engine and with Ray, each timed from start (workers' start-up
    included) to the last manifest; then ``load`` of the local run's shards."""

    n_articles: int
    inputs: int
    workers: int
    local_seconds: float
    ray_seconds: float | None  # None: Ray could not start
    ray_vs_local: float | None  # local time / Ray time (> 1: Ray faster)
    # Articles per second of worker time on the inputs (start-up left out).
    local_articles_per_worker_s: float
    ray_articles_per_worker_s: float | None
    parquet_bytes_per_article: float
    load_seconds: float
    load_articles_per_s: float


@dataclass(frozen=True, slots=True)
class MemoryResult:
    workers: int
    n_from: int
    n_articles: int
    peak_rss_from_mb: float  # the largest worker peak after n_from articles
    peak_rss_end_mb: float
    growth_pct: float
    seconds: float


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
    return list(stream_articles(n, pool))


def stream_articles(n: int, pool: list[str], sentences: int | None = None) -> Iterator[str]:
    """``synthetic_articles`` one at a time (nothing kept: for long memory
    runs); ``sentences`` fixes every article's length instead of 10–20."""
    if not pool:
        raise ValueError("empty sentence pool")
    position = 0
    for k in range(n):
        size = sentences or 10 + (k * 7) % 11
        chosen = [pool[(position + j) % len(pool)] for j in range(size)]
        position += size
        paragraphs = [
            " ".join(chosen[i : i + SENTENCES_PER_PARAGRAPH]) for i in range(0, len(chosen), SENTENCES_PER_PARAGRAPH)
        ]
        yield "\n\n".join(paragraphs)


def count_words(texts: Iterable[str]) -> int:
    return sum(len(t.split()) for t in texts)


def _timed(run: Callable[[], int]) -> tuple[float, float, int]:
    """Wall seconds, CPU seconds of this process, and what ``run`` counted."""
    start, cpu = time.perf_counter(), time.process_time()
    count = run()
    return time.perf_counter() - start, time.process_time() - cpu, count


def rounds_of(texts: list[str], rounds: int) -> list[list[str]]:
    """``texts`` in ``rounds`` consecutive parts of near-equal size."""
    size = -(-len(texts) // rounds)
    return [texts[i : i + size] for i in range(0, len(texts), size)]


def run_bench(n: int, rounds: int = ROUNDS) -> BenchResult:
    from ..extract.nlp import load, load_bare
    from ..extract.runner import extract_many
    from ..model import CODER_VERSION

    texts = synthetic_articles(n, gold_sentences())
    warmup = texts[:WARMUP_ARTICLES]
    bare = load_bare()
    ours = load()
    # Warm-up: model loading, vocab growth and first-call costs stay out of the timings.
    for _ in bare.pipe(warmup):
        pass
    for _ in extract_many(warmup):
        pass

    runs: dict[str, Callable[[list[str]], int]] = {
        "spacy": lambda part: sum(1 for _ in bare.pipe(part, batch_size=32)),
        "eventwire": lambda part: sum(1 for _ in extract_many(part, batch_size=32)),
        "parse": lambda part: sum(1 for _ in ours.pipe(part, batch_size=32)),
    }
    wall = dict.fromkeys(runs, 0.0)
    cpu = dict.fromkeys(runs, 0.0)
    counted = dict.fromkeys(runs, 0)
    # The runs take turns on parts of the corpus, in an order reversed every
    # other round (A B C, C B A, ...), so a change in the machine's load
    # during the run weighs on all of them alike.
    for k, part in enumerate(rounds_of(texts, rounds)):
        order = list(runs) if k % 2 == 0 else list(reversed(runs))
        for name in order:
            seconds, cpu_seconds, count = _timed(partial(runs[name], part))
            wall[name] += seconds
            cpu[name] += cpu_seconds
            counted[name] += count
    if set(counted.values()) != {len(texts)}:
        raise RuntimeError(f"bench: {len(texts)} articles in, counted {counted}")

    words = count_words(texts)

    def per_cpu_second(name: str) -> float:
        return words / cpu[name] if cpu[name] else 0.0

    spacy_wps, eventwire_wps = per_cpu_second("spacy"), per_cpu_second("eventwire")
    return BenchResult(
        n_articles=len(texts),
        n_words=words,
        spacy_seconds=round(wall["spacy"], 3),
        eventwire_seconds=round(wall["eventwire"], 3),
        spacy_wps=round(spacy_wps, 1),
        eventwire_wps=round(eventwire_wps, 1),
        ratio=round(eventwire_wps / spacy_wps, 4) if spacy_wps else 0.0,
        wall_ratio=round(wall["spacy"] / wall["eventwire"], 4) if wall["eventwire"] else 0.0,
        articles_per_s=round(len(texts) / wall["eventwire"], 2) if wall["eventwire"] else 0.0,
        parse_seconds=round(wall["parse"], 3),
        parse_wps=round(per_cpu_second("parse"), 1),
        own_share=round(1 - cpu["parse"] / cpu["eventwire"], 4) if cpu["eventwire"] else 0.0,
        rounds=rounds,
        peak_rss_mb=round(peak_rss_mb(), 1),
        rss_mb=round(psutil.Process().memory_info().rss / (1024 * 1024), 1),
        coder_version=CODER_VERSION,
    )


def format_result(r: BenchResult) -> str:
    return "\n".join(
        [
            f"eventwire coder {r.coder_version}: {r.n_articles} synthetic articles, {r.n_words} words",
            f"  {'':<22}{'wall s':>10}{'words/CPU s':>13}",
            f"  {'spaCy (bare) pipe':<22}{r.spacy_seconds:>10.2f}{r.spacy_wps:>13.0f}",
            f"  {'eventwire extract':<22}{r.eventwire_seconds:>10.2f}{r.eventwire_wps:>13.0f}",
            f"  {'  its parse alone':<22}{r.parse_seconds:>10.2f}{r.parse_wps:>13.0f}",
            f"  ratio eventwire/spaCy: {r.ratio:.3f} (CPU time; wall {r.wall_ratio:.3f})   articles/s: {r.articles_per_s:.2f}",
            f"  eventwire's own stages: {r.own_share:.0%} of its CPU time; {r.rounds} interleaved rounds",
            f"  peak RSS: {r.peak_rss_mb:.0f} MB (now {r.rss_mb:.0f} MB)",
        ]
    )


def _engine_seconds(engine: LocalEngine | RayEngine, docs: list, batch_size: int) -> float:
    start = time.perf_counter()
    # Unordered, as `eventwire ingest --engine` runs them: in input order a slow
    # batch at the head would leave the other workers waiting.
    done = sum(len(r.items) for r in engine.map_batches(batched(docs, batch_size), ordered=False))
    if done != len(docs):
        raise RuntimeError(f"bench: {len(docs)} articles in, {done} analysed by {engine.name}")
    return time.perf_counter() - start


def _workers_cpu(engine: LocalEngine | RayEngine) -> float:
    """CPU seconds the local pool's workers have used so far (0 for Ray)."""
    if not isinstance(engine, LocalEngine):
        return 0.0
    return sum(sum(psutil.Process(pid).cpu_times()[:2]) for pid in engine.pids)


def _alternating_seconds(
    first: LocalEngine | RayEngine, second: LocalEngine | RayEngine, docs: list, batch_size: int
) -> tuple[tuple[float, float], tuple[float, float]]:
    """Wall seconds and workers' CPU seconds of two ready engines on the same
    articles, in two halves run in the order first, second, second, first, so
    that a drift in the machine's speed during the measurement weighs on both."""
    half = len(docs) // 2
    a, b = docs[:half], docs[half:]
    wall, cpu = [0.0, 0.0], [0.0, 0.0]
    for which, part in ((0, a), (1, a), (1, b), (0, b)):
        if part:
            engine = (first, second)[which]
            before = _workers_cpu(engine)
            wall[which] += _engine_seconds(engine, part, batch_size)
            cpu[which] += _workers_cpu(engine) - before
    return (wall[0], cpu[0]), (wall[1], cpu[1])


def run_scale(n: int, workers: int = 2, batch_size: int = 4, with_ray: bool = True) -> ScaleResult:
    """The same n articles on the local pool with 1 and ``workers`` workers,
    then on the local pool and Ray with ``workers``, each pair alternating
    (``_alternating_seconds``) once its workers are ready."""
    from ..extract.runner import make_document

    docs = [make_document(t) for t in synthetic_articles(n, gold_sentences())]
    with LocalEngine(1) as one, LocalEngine(workers) as many:
        (local_1, local_1_cpu), (local_n, local_n_cpu) = _alternating_seconds(one, many, docs, batch_size)
    ray_n: float | None = None
    local_beside_ray: float | None = None
    if with_ray:
        try:
            with LocalEngine(workers) as many, RayEngine(workers) as ray_engine:
                (local_beside_ray, _), (ray_n, _) = _alternating_seconds(many, ray_engine, docs, batch_size)
        except Exception as err:  # noqa: BLE001 - Ray is optional for the bench: say why, go on
            print(f"bench: Ray not measured: {type(err).__name__}: {err}", file=sys.stderr)
    return ScaleResult(
        n_articles=n,
        workers=workers,
        local_1_seconds=round(local_1, 2),
        local_n_seconds=round(local_n, 2),
        local_1_cpu_seconds=round(local_1_cpu, 2),
        local_n_cpu_seconds=round(local_n_cpu, 2),
        ray_n_seconds=round(ray_n, 2) if ray_n is not None else None,
        speedup=round(local_1 / local_n, 3),
        ray_vs_local=round(local_beside_ray / ray_n, 3) if ray_n and local_beside_ray else None,
    )


def run_shard_runs(n: int, workers: int = 2, with_ray: bool = True, inputs_per_worker: int = 3) -> ShardRunResult:
    """The n articles as ``inputs_per_worker * workers`` JSONL files through
    ``run_shards`` on the local engine and on Ray, then loaded into a store."""
    import tempfile

    from ..corpus.shards import load_shards
    from ..corpus.store import Store
    from ..scale.run import RunOptions, run_shards

    texts = synthetic_articles(n, gold_sentences())
    n_inputs = max(1, min(n, inputs_per_worker * workers))
    with tempfile.TemporaryDirectory(prefix="eventwire-bench-run-") as tmp:
        inputs = []
        for k in range(n_inputs):
            path = Path(tmp) / f"input{k:03d}.jsonl"
            path.write_text("".join(json.dumps({"text": t}) + "\n" for t in texts[k::n_inputs]), encoding="utf-8")
            inputs.append(str(path))
        local = run_shards(inputs, RunOptions(out=str(Path(tmp) / "local"), engine="local", workers=workers))
        ray_seconds: float | None = None
        ray_rate: float | None = None
        if with_ray:
            try:
                ray = run_shards(inputs, RunOptions(out=str(Path(tmp) / "ray"), engine="ray", workers=workers))
                ray_seconds = ray.seconds
                ray_rate = round(n / ray.input_seconds, 2)
            except Exception as err:  # noqa: BLE001 - Ray is optional for the bench: say why, go on
                print(f"bench: run --engine ray not measured: {type(err).__name__}: {err}", file=sys.stderr)
        start = time.perf_counter()
        with Store(Path(tmp) / "loaded.duckdb") as store:
            loaded = load_shards(Path(tmp) / "local", store)
        load_seconds = time.perf_counter() - start
    if local.articles != n or loaded.new != n:
        raise RuntimeError(f"bench: {n} articles in, {local.articles} in shards, {loaded.new} loaded")
    return ShardRunResult(
        n_articles=n,
        inputs=n_inputs,
        workers=workers,
        local_seconds=local.seconds,
        ray_seconds=ray_seconds,
        ray_vs_local=round(local.seconds / ray_seconds, 3) if ray_seconds else None,
        local_articles_per_worker_s=round(n / local.input_seconds, 2),
        ray_articles_per_worker_s=ray_rate,
        parquet_bytes_per_article=round(local.parquet_bytes / n, 1),
        load_seconds=round(load_seconds, 2),
        load_articles_per_s=round(n / load_seconds, 1),
    )


def run_memory(n_from: int, n: int, workers: int = 2, batch_size: int = 32) -> MemoryResult:
    """Stream n short articles through the local pool without keeping them;
    each worker's peak RSS after the first n_from articles and at the end."""
    from ..extract.runner import make_document

    docs = (make_document(t) for t in stream_articles(n, gold_sentences(), MEMORY_ARTICLE_SENTENCES))
    peaks: dict[int, float] = {}
    at_from = 0.0
    done = 0
    start = time.perf_counter()
    with LocalEngine(workers) as engine:
        for result in engine.map_batches(batched(docs, batch_size)):
            peaks[result.worker] = max(peaks.get(result.worker, 0.0), result.peak_rss_mb)
            before, done = done, done + len(result.items)
            if before < n_from <= done:
                at_from = max(peaks.values())
    end = max(peaks.values())
    return MemoryResult(
        workers=workers,
        n_from=n_from,
        n_articles=done,
        peak_rss_from_mb=at_from,
        peak_rss_end_mb=end,
        growth_pct=round(100 * (end - at_from) / at_from, 2) if at_from else 0.0,
        seconds=round(time.perf_counter() - start, 1),
    )


def format_scale(r: ScaleResult) -> str:
    ray = f"{r.ray_n_seconds:.2f} s" if r.ray_n_seconds is not None else "not measured"
    versus = f"{r.ray_vs_local:.3f}" if r.ray_vs_local is not None else "-"
    return "\n".join(
        [
            f"engines: {r.n_articles} articles, timed after the workers loaded the model, in alternating halves",
            (f"  local pool, 1 worker: {r.local_1_seconds:.2f} s   {r.workers} workers: {r.local_n_seconds:.2f} s"
            f"   speed-up 1 -> {r.workers}: {r.speedup:.2f}x"),
            (f"  workers' CPU: 1 worker {r.local_1_cpu_seconds:.2f} s   {r.workers} workers {r.local_n_cpu_seconds:.2f} s"
            f"   (x{r.local_n_cpu_seconds / r.local_1_cpu_seconds if r.local_1_cpu_seconds else 0:.2f} side by side)"),
            f"  ray local, {r.workers} workers: {ray}   local pool / ray time (side by side): {versus}",
        ]
    )


def format_shard_runs(r: ShardRunResult) -> str:
    ray = f"{r.ray_seconds:.2f} s" if r.ray_seconds is not None else "not measured"
    versus = f"{r.ray_vs_local:.3f}" if r.ray_vs_local is not None else "-"
    return "\n".join(
        [
            f"run: {r.n_articles} articles in {r.inputs} input files to Parquet shards, {r.workers} workers, start-up included",
            f"  local engine: {r.local_seconds:.2f} s   ray engine: {ray}   local / ray time: {versus}",
            (f"  articles per worker-second on the inputs: local {r.local_articles_per_worker_s:.2f}"
            f"   ray {r.ray_articles_per_worker_s if r.ray_articles_per_worker_s is not None else '-'}"),
            (f"  Parquet: {r.parquet_bytes_per_article:,.0f} bytes per article"
            f"   load into a store: {r.load_seconds:.2f} s ({r.load_articles_per_s:.2f} articles/s)"),
        ]
    )


def format_memory(r: MemoryResult) -> str:
    return "\n".join(
        [
            (f"memory: {r.n_articles} streamed articles of {MEMORY_ARTICLE_SENTENCES} sentences, {r.workers} workers,"
            f" not stored ({r.seconds:.0f} s)"),
            (f"  peak RSS per worker after {r.n_from}: {r.peak_rss_from_mb:.0f} MB"
            f"   after {r.n_articles}: {r.peak_rss_end_mb:.0f} MB   growth: {r.growth_pct:+.1f}%"),
        ]
    )


def main_bench(
    n: int = 200,
    as_json: bool = False,
    *,
    scale_n: int = SCALE_ARTICLES,
    workers: int = 2,
    memory_from: int = MEMORY_FROM,
    memory_n: int = MEMORY_ARTICLES,
    with_ray: bool = True,
) -> int:
    """Entry point of ``eventwire bench [--n N] [--json]``: all three parts in
    one run; ``scale_n=0`` or ``memory_n=0`` leaves that part out."""
    if n < 1 or workers < 1 or scale_n < 0 or memory_n < 0 or (memory_n and not 0 < memory_from <= memory_n):
        print("bench: sizes must be positive (and memory_from at most memory_n)", file=sys.stderr)
        return 2
    result = run_bench(n)
    scaled = run_scale(scale_n, workers, with_ray=with_ray) if scale_n else None
    runs = run_shard_runs(scale_n, workers, with_ray=with_ray) if scale_n else None
    memory = run_memory(memory_from, memory_n, workers) if memory_n else None
    if as_json:
        payload = asdict(result) | {
            "scale": asdict(scaled) if scaled else None,
            "run": asdict(runs) if runs else None,
            "memory": asdict(memory) if memory else None,
        }
        print(json.dumps(payload))
    else:
        sections = [format_result(result)]
        if scaled:
            sections.append(format_scale(scaled))
        if runs:
            sections.append(format_shard_runs(runs))
        if memory:
            sections.append(format_memory(memory))
        print("\n".join(sections))
    return 0


if __name__ == "__main__":
    import argparse

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=200, help="articles for the spaCy/eventwire ratio")
    parser.add_argument("--scale-n", type=int, default=SCALE_ARTICLES, help="articles per engine run (0: skip)")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--memory-from", type=int, default=MEMORY_FROM)
    parser.add_argument("--memory-n", type=int, default=MEMORY_ARTICLES, help="streamed articles (0: skip)")
    parser.add_argument("--no-ray", action="store_true")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    sys.exit(
        main_bench(
            args.n,
            args.json,
            scale_n=args.scale_n,
            workers=args.workers,
            memory_from=args.memory_from,
            memory_n=args.memory_n,
            with_ray=not args.no_ray,
        )
    )
