"""End to end: the whole pipeline on the real model and the sample articles."""

import json

import jsonschema

import eventwire
from eventwire import schema


def _spans(article):
    for e in article.entities:
        for m in e.mentions:
            yield m.start, m.end, m.text
    for t in article.times:
        yield t.start, t.end, t.text
    for q in article.quotes:
        yield q.start, q.end, q.text
    for ev in article.events:
        yield ev.evidence.start, ev.evidence.end, ev.evidence.text
        yield ev.trigger.start, ev.trigger.end, ev.trigger.text


def test_output_validates_against_the_shipped_schema(sample_articles):
    validator = jsonschema.Draft202012Validator(schema.article_schema())
    for article in sample_articles.values():
        record = json.loads(json.dumps(article.to_dict()))
        errors = sorted(validator.iter_errors(record), key=str)
        assert not errors, errors[:3]
        assert record["schema"] == "eventwire/1"


def test_every_offset_points_into_the_text_and_back_to_the_raw_input(sample_articles):
    for article in sample_articles.values():
        spans = list(_spans(article))
        assert spans, "the pipeline found nothing at all"
        for start, end, text in spans:
            assert 0 <= start < end <= len(article.text)
            assert article.text[start:end] == text
            raw_start, raw_end = article.raw_span(start, end)
            assert 0 <= raw_start < raw_end <= len(article.raw_text)
            touched = [r for r in article.repairs if r.start < end and r.end > start]
            if not touched:
                assert article.raw_text[raw_start:raw_end] == text


def test_each_stage_produces_records_on_real_news(sample_articles):
    for article in sample_articles.values():
        assert article.entities and article.events and article.times
        assert any(e.actor for e in article.entities)
        assert article.title and article.text.startswith(article.title)
    assert any(a.quotes for a in sample_articles.values())


def test_publication_date_given_or_read_from_the_text(sample_articles):
    given = sample_articles["belarus_oil_talks_2020"]
    assert (given.published, given.published_basis) == ("2020-02-02", "given")
    inferred = sample_articles["belarus_fuel_shipments_2023"]
    assert inferred.published_basis == "text"
    assert inferred.published == "2023-09-15"


def test_extract_and_extract_many_agree(sample_records, sample_articles):
    record = sample_records[1]
    single = eventwire.extract(record["text"], title=record["title"], published=record["published"])
    assert single.to_dict() == sample_articles[record["id"]].to_dict()


def test_doc_id_is_a_content_hash(sample_records):
    r = sample_records[0]
    a = eventwire.extract(r["text"], title=r["title"])
    b = eventwire.extract(r["text"], title=r["title"])
    c = eventwire.extract(r["text"] + " Extra sentence.", title=r["title"])
    assert a.doc_id == b.doc_id != c.doc_id
