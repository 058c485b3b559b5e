"""The pipeline's memoized ruler and lemmatizer against the model's own."""

import json
from pathlib import Path

import pytest
import spacy
from spacy.lang.en import English

from eventwire.extract import nlp
from eventwire.settings import DATA_DIR

SAMPLES = Path(__file__).resolve().parents[2] / "samples" / "articles.jsonl"

# Text that reaches the ruler's rarer rules: its two-token rules ("gon na",
# "got ta", "let 's", "y' all", "ai n't", "there is"), pronoun case by
# dependency, "do"/"have" as main verbs, spaces that are tokens, a word one
# of its regular expressions names.
RULE_CASES = (
    "We're gonna win, and y'all gotta see it. Let's go. It ain't over.\n\n"
    "There is hope; there were doubts. I told you it was fine and you saw it. "
    "They did it, have it and do it.   Nothin' changed.\n \nBut then it fell."
)


def _reference() -> spacy.language.Language:
    """The model as shipped, plus the same sentence breaks as ``nlp.load``."""
    model = spacy.load(nlp.MODEL_NAME)
    model.add_pipe(nlp.PARAGRAPH_BREAKS, before="parser")
    return model


def _texts() -> list[str]:
    texts = [json.loads(line)["text"] for line in SAMPLES.read_text(encoding="utf-8").splitlines() if line.strip()]
    gum = (DATA_DIR / "eval" / "gum_news.jsonl").read_text(encoding="utf-8").splitlines()
    texts.extend(json.loads(line)["text"] for line in gum[:6])
    return [RULE_CASES, *texts]


def _annotations(doc):
    return [
        (t.text, t.tag_, t.pos_, str(t.morph), t.lemma_, t.dep_, t.head.i, t.is_sent_start, t.ent_iob_, t.ent_type_)
        for t in doc
    ]


@pytest.fixture(scope="module")
def both():
    texts = _texts()
    return list(_reference().pipe(texts)), list(nlp.load().pipe(texts))


def test_every_token_is_annotated_as_the_shipped_components_would(both):
    reference, ours = both
    assert len(reference) == len(ours)
    compared = 0
    for expected, got in zip(reference, ours, strict=True):
        assert _annotations(got) == _annotations(expected)
        compared += len(expected)
    assert compared > 5_000


def test_the_two_token_rules_apply(both):
    _, ours = both
    lemmas = {t.text: t.lemma_ for t in ours[0]}
    assert lemmas["gon"] == "go"
    assert lemmas["ta"] == "to"
    assert lemmas["ai"] == "be"
    assert [t.pos_ for t in ours[0] if t.text == "\n \n"] == ["SPACE"]


def test_the_pipeline_runs_the_memoized_components_instead():
    pipeline = nlp.load()
    assert nlp.CACHED_ATTRIBUTES in pipeline.pipe_names
    assert {nlp.RULER, nlp.LEMMATIZER} <= set(pipeline.disabled)


def test_memos_start_afresh_past_their_size_and_stay_exact(monkeypatch):
    reference = _reference()
    fresh = spacy.load(nlp.MODEL_NAME)
    fresh.add_pipe(nlp.PARAGRAPH_BREAKS, before="parser")
    nlp.with_cached_attributes(fresh)
    monkeypatch.setattr(nlp, "MEMO_SIZE", 20)
    memoized = fresh.get_pipe(nlp.CACHED_ATTRIBUTES)
    for text in (RULE_CASES, RULE_CASES.upper(), RULE_CASES):
        assert _annotations(fresh(text)) == _annotations(reference(text))
        assert len(memoized.lemma_memo) <= 20 + len(text.split()) * 2


def test_a_rule_it_cannot_memoize_is_refused():
    blank = English()
    ruler = blank.add_pipe("attribute_ruler")
    ruler.add([[{"NORM": "gov"}]], {"POS": "NOUN"})
    lemmatizer = spacy.load(nlp.MODEL_NAME).get_pipe(nlp.LEMMATIZER)
    with pytest.raises(ValueError, match="not memoizable"):
        nlp.CachedAttributes(ruler, lemmatizer)


def test_a_newline_starts_a_sentence_wherever_it_lies():
    doc = nlp.load()("Minsk talks resume\nThe two presidents met on Friday.\n\n\nThey spoke.")
    starts = [t.text for t in doc if t.is_sent_start]
    assert starts == ["Minsk", "The", "They"]
