import json

from eventwire import bench


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
    position = 0
    for k, article in enumerate(first):
        size = 10 + (k * 7) % 11
        expected = pool[position : position + size]
        position += size
        assert all(sentence in article for sentence in expected)
        assert len(article.split()) == sum(len(s.split()) for s in expected)
        assert article.count("\n\n") == (size - 1) // bench.SENTENCES_PER_PARAGRAPH
    # wrapping around the pool still yields n articles
    assert len(bench.synthetic_articles(3, pool[:12])) == 3


def test_main_bench_json_keys(capsys):
    assert bench.main_bench(5, True) == 0
    result = json.loads(capsys.readouterr().out)
    assert {"spacy_wps", "eventwire_wps", "ratio", "articles_per_s", "peak_rss_mb", "n_articles", "n_words"} <= set(
        result
    )
    assert result["n_articles"] == 5
    assert result["n_words"] > 5 * 10 * bench.MIN_UNIT_WORDS
    assert result["spacy_wps"] > 0 and result["eventwire_wps"] > 0 and result["peak_rss_mb"] > 50


def test_main_bench_rejects_empty_run(capsys):
    assert bench.main_bench(0, True) == 2
