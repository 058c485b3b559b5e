import json

import pytest

from eventwire.bench import throughput as bench


def test_split_sentences_keeps_quotes_with_their_sentence():
    text = 'He said "we will win." Then he left. The U.S. team won 3-1.'
    assert bench.split_sentences(text) == ['He said "we will win."', "Then he left.", "The U.S. team won 3-1."]


def test_synthetic_articles_are_deterministic_and_sized():
    pool = bench.gold_sentences()
    assert len(pool) > 500
    assert all(len(s.split()) >= bench.MIN_UNIT_WORDS for s in pool)
    first = bench.synthetic_articles(30, pool)
    assert first == bench.synthetic_articles(30, bench.gold_sentences())
    assert len(first) == 30
    # Read back, the articles are the pool's sentences in order, none skipped
    # or repeated, 10 to 20 to an article, in paragraphs of at most three.
    paragraphs = [p.split("\n\n") for p in first]
    assert all(1 <= len(paras) and all(p.strip() for p in paras) for paras in paragraphs)
    joined = " ".join(" ".join(paras) for paras in paragraphs)
    used = sum(1 for _ in _consume_in_order(joined, pool))
    assert joined == " ".join(pool[:used])
    sizes = [sum(1 for _ in _consume_in_order(" ".join(paras), pool[start:])) for paras, start in _starts(paragraphs, pool)]
    assert all(10 <= size <= 20 for size in sizes)
    assert len(set(sizes)) > 3  # lengths vary
    assert all(len(paras) == -(-size // 3) for paras, size in zip(paragraphs, sizes, strict=True))
    # wrapping around the pool still yields n articles
    assert len(bench.synthetic_articles(3, pool[:12])) == 3


def _consume_in_order(text: str, pool: list[str]):
    """The pool sentences that ``text`` starts with, in order."""
    position = 0
    for sentence in pool:
        if not text.startswith(sentence, position):
            return
        yield sentence
        position += len(sentence) + 1
        if position > len(text):
            return


def _starts(paragraphs: list[list[str]], pool: list[str]):
    start = 0
    for paras in paragraphs:
        yield paras, start
        start += sum(1 for _ in _consume_in_order(" ".join(paras), pool[start:]))


def test_stream_articles_fixed_length_and_lazy():
    pool = bench.gold_sentences()
    stream = bench.stream_articles(10**9, pool, sentences=4)
    first = [next(stream) for _ in range(3)]  # a huge n is fine: nothing is built ahead
    assert first[0] == " ".join(pool[:3]) + "\n\n" + pool[3]
    assert all(a.count("\n\n") == 1 for a in first)
    assert list(bench.stream_articles(5, pool)) == bench.synthetic_articles(5, pool)


def test_main_bench_json_keys(capsys):
    assert bench.main_bench(5, True, scale_n=0, memory_n=0) == 0
    result = json.loads(capsys.readouterr().out)
    assert {"spacy_wps", "eventwire_wps", "ratio", "articles_per_s", "peak_rss_mb", "n_articles", "n_words"} <= set(
        result
    )
    assert result["n_articles"] == 5
    assert result["n_words"] > 5 * 10 * bench.MIN_UNIT_WORDS
    assert result["spacy_wps"] > 0 and result["eventwire_wps"] > 0 and result["peak_rss_mb"] > 50
    # eventwire's parse alone is part of eventwire's work, never all of it
    assert result["parse_wps"] > result["eventwire_wps"]
    assert 0 < result["own_share"] < 1
    assert result["rounds"] == bench.ROUNDS


def test_rounds_cover_the_corpus_in_order():
    texts = [str(i) for i in range(10)]
    parts = bench.rounds_of(texts, 4)
    assert [t for part in parts for t in part] == texts
    assert [len(p) for p in parts] == [3, 3, 3, 1]
    assert bench.rounds_of(texts[:2], 4) == [["0"], ["1"]]


def test_main_bench_rejects_empty_run(capsys):
    assert bench.main_bench(0, True) == 2
    assert bench.main_bench(5, True, memory_from=10, memory_n=5) == 2


@pytest.mark.slow
def test_engine_and_memory_parts_measure_every_article(capsys):
    scaled = bench.run_scale(4, workers=2, batch_size=1, with_ray=False)
    assert scaled.n_articles == 4 and scaled.ray_n_seconds is None and scaled.ray_vs_local is None
    assert scaled.local_1_seconds > 0 and scaled.local_n_seconds > 0 and scaled.speedup > 0
    assert 0 < scaled.local_1_cpu_seconds and 0 < scaled.local_n_cpu_seconds
    memory = bench.run_memory(6, 12, workers=2, batch_size=3)
    assert memory.n_articles == 12 and memory.n_from == 6
    assert 50 < memory.peak_rss_from_mb <= memory.peak_rss_end_mb
    assert "growth" in bench.format_memory(memory) and "speed-up 1 -> 2" in bench.format_scale(scaled)


@pytest.mark.slow
def test_shard_run_part_writes_and_loads_every_article():
    runs = bench.run_shard_runs(3, workers=1, with_ray=False, inputs_per_worker=2)
    assert (runs.n_articles, runs.inputs, runs.workers) == (3, 2, 1)
    assert runs.ray_seconds is None and runs.ray_vs_local is None
    assert runs.local_seconds > 0 and runs.load_seconds > 0 and runs.parquet_bytes_per_article > 100
    assert "local engine" in bench.format_shard_runs(runs)
