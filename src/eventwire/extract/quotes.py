"""Quotes: quotations with speaker, addressee and cue.

Offsets convention: a quote's ``[start, end)`` covers the quotation *including*
its quotation marks (as GUM's gold does), and ``Quote.text`` is exactly
``ctx.text[start:end]``. A quote left open at the end of its paragraph (the
news convention for a quotation running on into the next paragraph) ends at
the paragraph's end. A quotation running over several paragraphs gives one
``Quote`` per paragraph, each attributed to the same speaker.

Steps:
1. ``find_marked_spans``: pair quotation marks inside each paragraph, pure
   string work (straight, curly, low-9 and angle marks; a quote opened with a
   closing mark; apostrophes are not quotation marks).
2. ``quote_kind``: a span that opens a sentence or follows a colon, comma or
   speech verb is a direct quote; one embedded in running text is partial.
   Names and headlines in marks ("The Internet Explorer 6 Countdown") and
   partial quotes with no speech verb above them (scare quotes) are dropped.
3. ``attribute``, for a direct quote, in this order: the main verb before a
   colon that introduces it ("She continued: “…”"); the cue verb
   (``data/quotes/cue_verbs.txt``) or attribution phrase
   (``data/quotes/cue_phrases.txt``) nearest to it in its own sentences; a
   reporting clause set inside the marks ("«…, — said X, — …»"); a cue in the
   sentence before or after it in the paragraph; a "Name, Outlet:" label
   opening the paragraph; and, for a quote opening its paragraph, the previous
   paragraph's speaker (captions and credits in between are skipped). For a
   partial quote: the nearest cue verb above it in the parse. The speaker is
   the cue's subject (borrowed from the governing verb for "…, adding" or
   "issued a statement saying"), resolved by the ``ActorIndex``; a pronoun it
   cannot resolve takes the most recent named speaker. The addressee is the
   object of a "tell"-type verb (marked in the data file) or of "to".
4. ``reported_speech``: speech without marks. A cue verb's clausal complement
   ("X said [that] …", "…, X told Y") or the clause an attribution phrase
   hangs from ("…, according to a statement released by X") is a ``reported``
   record whose ``[start, end)`` is the reported clause (no "that", no final
   punctuation); its speaker and addressee are found as for a quote. A clause
   that overlaps a direct quote is that quote's attribution, not reported
   speech; a clause may contain partial quotes.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import TYPE_CHECKING

from spacy.tokens import Doc, Span, Token

from ..model import Entity, Quote, QuoteKind
from .context import SKIPPED_ZONES, doc_text, sentences
from .trace import SpeakerWords
from .words import cue_verb_rows, word_map, word_set

if TYPE_CHECKING:
    from .actors import ActorIndex
    from .context import Context

# Quotation marks by family: a quote opened by a mark of one family is closed
# by a mark of the same family (leniently: writers mix “ ” and "). The marks
# and punctuation are listed in data/words/quotation.toml.
DOUBLE_MARKS = word_set("quotation", "double_marks")
SINGLE_MARKS = word_set("quotation", "single_marks")
QUOTE_MARKS = DOUBLE_MARKS | SINGLE_MARKS
# Which marks may close a quote opened by a given mark.
CLOSERS: dict[str, frozenset[str]] = {mark: frozenset(closing) for mark, closing in word_map("quotation", "closers").items()}
# Every mark that opens or closes, and the double marks: a paragraph is
# searched for the next one, not walked a character at a time.
_MARK = re.compile("[" + "".join(map(re.escape, sorted(QUOTE_MARKS | set(CLOSERS) | set().union(*CLOSERS.values())))) + "]")
_DOUBLE_MARK = re.compile("[" + "".join(map(re.escape, sorted(DOUBLE_MARKS))) + "]")
# Characters after which a mark can open a quote, besides whitespace.
OPEN_AFTER = word_set("quotation", "open_after")
# Characters before which a mark can close a quote, besides whitespace.
CLOSE_BEFORE = word_set("quotation", "close_before")
SENTENCE_END = word_set("quotation", "sentence_end")
# A direct quote with no cue and no speaker shorter than this is taken for a
# title or scare quote and dropped.
MIN_UNATTRIBUTED_WORDS = 4
# An unattributed quote without closing punctuation shorter than this is a
# headline or term, not speech ("Anon declares war on Church of Scientology").
MIN_FRAGMENT_WORDS = 10
# The longest "Name, Affiliation:" label taken as a speaker.
MAX_LABEL_TOKENS = 12
# Dependency labels of a subject phrase's left part ("the ministry's spokesperson").
NP_LEFT_DEPS = frozenset({"compound", "det", "amod", "poss", "nmod", "nummod", "case", "quantmod"})
# A verb without a subject of its own takes the one of the verb it hangs from
# through these relations ("pcomp"/"prep": "before noting").
BORROWED_SUBJECT_DEPS = frozenset({"conj", "xcomp", "advcl", "pcomp", "prep"})
FIRST_SECOND_PERSON = word_set("pronouns", "first_second_person")
# Punctuation that sets off a reporting clause inside a quotation.
PARENTHESIS_MARKS = word_set("quotation", "parenthesis_marks")
ADDRESSEE_DEPS = frozenset({"dobj", "dative", "iobj"})
# "a statement from the ministry", "a report by the agency": the object of
# these prepositions issued the document named as a source.
ISSUER_PREPOSITIONS = word_set("prepositions", "issuer")
# A clausal complement of a cue verb is reported speech ("said [that] …").
REPORTED_CLAUSE_DEPS = frozenset({"ccomp"})
# Words opening a reported clause that belong to the reporting frame, not to
# what was said ("said *that* …").
REPORTED_CLAUSE_MARKERS = word_set("quotation", "reported_clause_markers")
# A reported clause shorter than this (in words) is no statement ("said so").
MIN_REPORTED_WORDS = 3
# How many tokens may stand between a quote and its cue with no parsed subject
# ("…with you”Smith said"): those tokens are taken as the speaker.
MAX_GAP_SPEAKER_TOKENS = 5


def _cue_table() -> tuple[tuple[str, ...], ...]:
    return cue_verb_rows()


@lru_cache(maxsize=1)
def cue_lemmas() -> frozenset[str]:
    """Speech-verb lemmas from ``data/quotes/cue_verbs.txt``."""
    return frozenset(row[0] for row in _cue_table())


@lru_cache(maxsize=1)
def addressee_lemmas() -> frozenset[str]:
    """Speech verbs whose direct object is the person spoken to ("told X")."""
    return frozenset(row[0] for row in _cue_table() if "addressee" in row[1:])


@lru_cache(maxsize=1)
def reporting_lemmas() -> frozenset[str]:
    """Verbs of cognition, finding and ruling from
    ``data/quotes/reporting_verbs.txt``: cues of reported speech only."""
    text = resources.files("eventwire").joinpath("data/quotes/reporting_verbs.txt").read_text("utf-8")
    return frozenset(line.strip().lower() for line in text.splitlines() if line.strip() and not line.startswith("#"))


@lru_cache(maxsize=1)
def cue_phrases() -> tuple[tuple[str, ...], ...]:
    """Prepositional attribution phrases from ``data/quotes/cue_phrases.txt``,
    as word tuples ("according", "to")."""
    text = resources.files("eventwire").joinpath("data/quotes/cue_phrases.txt").read_text("utf-8")
    return tuple(
        tuple(line.lower().split()) for line in text.splitlines() if line.strip() and not line.startswith("#")
    )


@lru_cache(maxsize=1)
def cue_phrases_by_last_word() -> dict[str, tuple[tuple[str, ...], ...]]:
    """``cue_phrases`` keyed by their last word, in file order: every token is
    tested, and almost none ends a phrase."""
    index: dict[str, list[tuple[str, ...]]] = {}
    for words in cue_phrases():
        index.setdefault(words[-1], []).append(words)
    return {last: tuple(phrases) for last, phrases in index.items()}


@dataclass(frozen=True, slots=True)
class MarkedSpan:
    """Text between paired quotation marks, marks included."""

    start: int
    end: int
    closed: bool  # ends with a closing mark (else runs to the paragraph end)
    opened: bool = True  # starts with an opening mark (else its opener was lost)


@dataclass(frozen=True, slots=True)
class SpeakerMention:
    """The words naming a speaker (the cue's subject) and what they resolve to."""

    start: int
    end: int
    text: str
    head: int  # char offset of the phrase's head token
    entity: Entity | None
    is_pronoun: bool
    name: str  # the entity's name, else the phrase (a pronoun's is its antecedent's)


@dataclass(frozen=True, slots=True)
class Attribution:
    """A quote with everything found about it; ``extract`` reduces it to a ``Quote``."""

    start: int
    end: int
    text: str
    kind: QuoteKind
    cue: str | None
    speaker: SpeakerMention | None
    addressee: Entity | None
    continued: bool  # speaker carried over from the previous paragraph


# ---------------------------------------------------------------------------
# 1. Quotation marks (pure string functions)


def _can_open(text: str, i: int, lo: int, hi: int) -> bool:
    prev = text[i - 1] if i > lo else None
    nxt = text[i + 1] if i + 1 < hi else None
    if nxt is None or nxt.isspace():
        return False
    return prev is None or prev.isspace() or prev in OPEN_AFTER or prev in QUOTE_MARKS


def _can_close(text: str, i: int, lo: int, hi: int, mark: str) -> bool:
    prev = text[i - 1] if i > lo else None
    nxt = text[i + 1] if i + 1 < hi else None
    if prev is None or prev.isspace():
        return False
    if nxt is None or nxt.isspace() or nxt in CLOSE_BEFORE or nxt in QUOTE_MARKS:
        return True
    # A double mark glued to the next word still closes ("…with you”He said");
    # a single one between letters is an apostrophe ("Smith’s").
    return mark in DOUBLE_MARKS


def find_marked_spans(text: str, lo: int = 0, hi: int | None = None) -> list[MarkedSpan]:
    """Quotations in ``text[lo:hi]`` (one paragraph), marks included.

    A double-mark quote left open runs to ``hi`` (continued in the next
    paragraph); a single-mark opener that is never closed was an apostrophe
    ("’90s") and is skipped, so scanning resumes right after it. A paragraph
    whose first double mark can only close and whose double marks are odd in
    number lost its opening mark: the quote runs from the paragraph start.
    """
    hi = len(text) if hi is None else hi
    spans: list[MarkedSpan] = []
    i = lo
    orphan = _orphan_closer(text, lo, hi)
    if orphan is not None:
        spans.append(MarkedSpan(lo, orphan + 1, True, opened=False))
        i = orphan + 1
    closing = _closing_marks(text, lo, hi)
    while i < hi:
        mark = _MARK.search(text, i, hi)
        if mark is None:
            break
        i = mark.start()
        ch = text[i]
        if ch not in CLOSERS or not _can_open(text, i, lo, hi) or _is_elision(text, i, hi):
            i += 1
            continue
        close = _find_closer(closing, text, i)
        if close is not None:
            if _has_words(text[i + 1 : close]):
                spans.append(MarkedSpan(i, close + 1, True))
            i = close + 1
        elif ch in DOUBLE_MARKS:
            if _has_words(text[i + 1 : hi]):
                spans.append(MarkedSpan(i, hi, False))
            break
        else:
            i += 1
    return spans


def _orphan_closer(text: str, lo: int, hi: int) -> int | None:
    """The first double mark of the paragraph when it closes a quote whose
    opening mark is missing ("We will win,” he said.")."""
    marks = [m.start() for m in _DOUBLE_MARK.finditer(text, lo, hi)]
    if len(marks) % 2 == 0:
        return None
    first = marks[0]
    if _can_open(text, first, lo, hi) or not _can_close(text, first, lo, hi, text[first]):
        return None
    return first if _has_words(text[lo:first]) else None


def _is_elision(text: str, i: int, hi: int) -> bool:
    """A single mark before a digit is an apostrophe ("'90s"); "’" never opens
    a quote in English typography (it is the apostrophe), so it has no entry in
    ``CLOSERS`` at all."""
    return text[i] in SINGLE_MARKS and i + 1 < hi and text[i + 1].isdigit()


def _closing_marks(text: str, lo: int, hi: int) -> dict[str, list[int]]:
    """Offsets of the marks in ``text[lo:hi]`` that can close a quote, by mark."""
    found: dict[str, list[int]] = {}
    for m in _MARK.finditer(text, lo, hi):
        if _can_close(text, m.start(), lo, hi, m.group()):
            found.setdefault(m.group(), []).append(m.start())
    return found


def _find_closer(closing: dict[str, list[int]], text: str, opener: int) -> int | None:
    """The first mark after ``opener`` that can close it: a binary search per
    closing mark in ``_closing_marks``. A scan to the paragraph's end for each
    opener was quadratic in a paragraph of unclosed single marks (22,000
    characters took 16 s)."""
    best: int | None = None
    for mark in CLOSERS.get(text[opener], ()):
        positions = closing.get(mark, [])
        k = bisect.bisect_right(positions, opener)
        if k < len(positions) and (best is None or positions[k] < best):
            best = positions[k]
    return best


def _has_words(s: str) -> bool:
    return any(c.isalnum() for c in s)


def looks_like_title(inner: str) -> bool:
    """A name or headline rather than speech: no closing punctuation and every
    longer word capitalized ("The Internet Explorer 6 Countdown")."""
    words = [w for w in inner.split() if len(w) > 3 and any(c.isalpha() for c in w)]
    return bool(words) and not _ends_like_speech(inner) and all(w[0].isupper() or not w[0].isalpha() for w in words)


def _ends_like_speech(inner: str) -> bool:
    """Quoted speech ends with sentence punctuation, or a comma before the cue."""
    tail = inner.rstrip().rstrip("".join(QUOTE_MARKS) + ")]")
    return bool(tail) and tail[-1] in SENTENCE_END | frozenset(",;:")


def _inner(text: str, span: MarkedSpan) -> str:
    """The quotation without its marks."""
    end = span.end - 1 if span.closed else span.end
    return text[span.start + int(span.opened) : end]


# ---------------------------------------------------------------------------
# 2. Direct or partial


def quote_kind(text: str, span: MarkedSpan, paragraph_start: int, preceding: Token | None) -> QuoteKind:
    """Direct when the quote opens its paragraph or sentence, or follows a
    colon, a comma or a speech verb ("said: “…”", "replied “…”"); partial when
    it is embedded in running text ("said that “…”", "has “great interest”")."""
    before = text[paragraph_start : span.start].rstrip()
    while before and before[-1] in QUOTE_MARKS | frozenset(")]"):
        before = before[:-1].rstrip()
    if not before or before[-1] in SENTENCE_END or before[-1] in ":,":
        return "direct"
    if preceding is not None and _is_cue(preceding):
        return "direct"
    return "partial"


# ---------------------------------------------------------------------------
# 3. Cues and speakers


def _is_cue(token: Token) -> bool:
    if token.pos_ not in ("VERB", "AUX") and token.tag_ not in ("VBD", "VBZ", "VBP", "VBN", "VBG", "VB"):
        return False
    if token.dep_ == "amod":
        return False  # a participle used as an adjective: "so-called", "the announced plan"
    return token.lemma_.lower() in cue_lemmas()


def _phrase_object(token: Token) -> Token | None:
    """For the last word of an attribution phrase ("according *to*", "in the
    words *of*", "quoting"), the speaker it introduces."""
    if _matched_phrase(token) is None:
        return None
    return next((c for c in token.children if c.dep_ in ("pobj", "dobj")), None)


def _is_cue_phrase(token: Token) -> bool:
    return _phrase_object(token) is not None


def _matched_phrase(token: Token) -> tuple[str, ...] | None:
    """The attribution phrase (from the data file) that ``token`` ends."""
    for words in cue_phrases_by_last_word().get(token.lower_, ()):
        start = token.i - len(words) + 1
        if start >= 0 and tuple(t.lower_ for t in token.doc[start : token.i + 1]) == words:
            return words
    return None


def cue_text(cue: Token) -> str:
    """The words of a cue as written: the verb, or the whole attribution
    phrase ("according to")."""
    words = _matched_phrase(cue)
    if words is None or _phrase_object(cue) is None:
        return cue.text
    return cue.doc[cue.i - len(words) + 1 : cue.i + 1].text


def _inside(token: Token, start: int, end: int) -> bool:
    return token.idx < end and token.idx + len(token.text) > start


@lru_cache(maxsize=1)
def document_lemmas() -> frozenset[str]:
    """Nouns of documents and messages (``data/quotes/source_documents.txt``)
    that speak for their issuer."""
    text = resources.files("eventwire").joinpath("data/quotes/source_documents.txt").read_text("utf-8")
    return frozenset(line.strip().lower() for line in text.splitlines() if line.strip() and not line.startswith("#"))


def _issuer(noun: Token) -> Token:
    """Who stands behind a document named as a source: "X's statement", "a
    statement released by X", "a report from X" give X; any other noun is its
    own source ("a man from Ohio" speaks for himself)."""
    if noun.lemma_.lower() not in document_lemmas():
        return noun
    for child in noun.children:
        if child.dep_ == "poss" and child.pos_ in ("PROPN", "NOUN"):
            return child
        if child.dep_ == "acl":
            agent = next((c for c in child.children if c.dep_ == "agent"), None)
            by = next((c for c in agent.children if c.dep_ == "pobj"), None) if agent is not None else None
            if by is not None:
                return by
        if child.dep_ == "prep" and child.lower_ in ISSUER_PREPOSITIONS:
            source = next((c for c in child.children if c.dep_ == "pobj"), None)
            if source is not None and source.pos_ in ("PROPN", "NOUN"):
                return source
    return noun


def _subject(cue: Token) -> Token | None:
    """The cue's subject; a conjoined, controlled or participial verb borrows
    its head's ("met him and said", "wanted to say", "…, adding", "before
    noting"); "according to X" gives X (the issuer of "a statement by X")."""
    introduced = _phrase_object(cue)
    if introduced is not None:
        return _issuer(introduced)
    verb: Token = cue
    for _ in range(4):
        # Only an active subject speaks: "he was told" names the addressee.
        subj = next((c for c in verb.children if c.dep_ == "nsubj"), None)
        if subj is not None and subj.tag_ in ("WDT", "WP") and verb.dep_ == "relcl":
            return verb.head  # "the minister, who said" -> the minister
        if subj is not None:
            return _issuer(subj)
        if verb.dep_ == "acl" and verb.head.pos_ in ("PROPN", "NOUN", "PRON"):
            noun = verb.head
            if noun.dep_ not in ("dobj", "pobj") or noun.head is noun:
                return noun  # "Mr. Smith, noting that …" -> Mr. Smith
            verb = noun.head  # "X issued a statement saying …" -> X
            continue
        if verb.dep_ not in BORROWED_SUBJECT_DEPS or verb.head is verb:
            return None
        verb = verb.head
        if verb.dep_ in REPORTED_CLAUSE_DEPS and _is_cue(verb.head) and cue.tag_ == "VBG":
            # "X noted that the talks failed, adding …": the parser hangs
            # "adding" on the reported clause; it is X who adds.
            verb = verb.head
    return None


def _phrase(token: Token) -> Span:
    """A subject's noun phrase up to its head: modifiers on the left, no
    appositions or relative clauses ("the ministry's spokesperson Jane Doe")."""
    left = token.i
    for child in token.lefts:
        if child.dep_ in NP_LEFT_DEPS:
            left = min(left, child.left_edge.i)
    right = token.i
    for child in token.rights:
        if child.dep_ in ("compound", "flat") and child.i == right + 1:
            right = child.i
    return token.doc[left : right + 1]


def _addressee(cue: Token, actors: ActorIndex, quote_start: int, quote_end: int) -> Entity | None:
    """The person spoken to: "told the minister", "said to reporters"; the object of
    "called him a liar" is not one."""
    for child in cue.children:
        if _inside(child, quote_start, quote_end):
            continue
        if child.dep_ == "dative" or child.dep_ in ADDRESSEE_DEPS and cue.lemma_.lower() in addressee_lemmas():
            entity = actors.for_token(child)
            if entity is not None:
                return entity
        if child.dep_ == "prep" and child.lower_ == "to":
            obj = next((c for c in child.children if c.dep_ == "pobj"), None)
            if obj is not None and not _inside(obj, quote_start, quote_end):
                entity = actors.for_token(obj)
                if entity is not None:
                    return entity
    return None


def _speaker_from_cue(
    cue: Token,
    actors: ActorIndex,
    text: str,
    quote: MarkedSpan,
    last_named: SpeakerMention | None,
) -> SpeakerMention | None:
    subj = _subject(cue)
    # A subject inside the quote is the quoted text's, unless the cue itself is
    # a reporting clause set inside the marks.
    if subj is not None and (not _inside(subj, quote.start, quote.end) or _inside(cue, quote.start, quote.end)):
        phrase = _phrase(subj)
        # Only an entity at the phrase's head speaks: in "the French foreign
        # ministry" or "X's spokesman" the named modifier is not the speaker.
        entity = actors.for_token(subj)
        mention = SpeakerMention(
            start=phrase.start_char,
            end=phrase.end_char,
            text=phrase.text,
            head=subj.idx,
            entity=entity,
            is_pronoun=subj.pos_ == "PRON" and len(phrase) == 1,
            name=entity.name if entity is not None else phrase.text,
        )
        return _named(mention, last_named)
    gap = _gap_speaker(cue, actors, text, quote)
    return _named(gap, last_named) if gap is not None else None


def _gap_speaker(cue: Token, actors: ActorIndex, text: str, quote: MarkedSpan) -> SpeakerMention | None:
    """The words between a quote and a cue that follows it without a parsed
    subject: "…with you”Smith said" (a glued mark confuses the parser)."""
    if cue.idx < quote.end:
        return None
    between = text[quote.end : cue.idx]
    stripped = between.strip(" ,")
    if not stripped or not any(c.isalpha() for c in stripped) or any(c in ".!?;:\n" for c in stripped):
        return None
    if len(stripped.split()) > MAX_GAP_SPEAKER_TOKENS:
        return None
    start = quote.end + between.index(stripped)
    end = start + len(stripped)
    head = start + stripped.rfind(" ") + 1 if " " in stripped else start
    words = cue.doc.char_span(start, end, alignment_mode="expand")
    pronoun = words is not None and len(words) == 1 and words[0].pos_ == "PRON"
    entity = actors.at(start, end) or _entity_by_name(actors, stripped)
    return SpeakerMention(start, end, stripped, head, entity, pronoun, entity.name if entity else stripped)


def _entity_by_name(actors: ActorIndex, words: str) -> Entity | None:
    """The one entity with a mention spelt ``words`` (the parser and NER miss
    names glued to a quotation mark, so no mention covers them there)."""
    matches = {e.id: e for e in actors.entities for m in e.mentions if m.text == words}
    return next(iter(matches.values())) if len(matches) == 1 else None


def _named(mention: SpeakerMention, last_named: SpeakerMention | None) -> SpeakerMention:
    """A pronoun speaker that the actor index could not resolve is taken to be
    the most recent named speaker (a quote's "he said" follows its speaker)."""
    if mention.entity is None and mention.is_pronoun and last_named is not None:
        return SpeakerMention(
            mention.start, mention.end, mention.text, mention.head, last_named.entity, True, last_named.name
        )
    return mention


def _cue_tokens(tokens: Iterable[Token], quotes: list[MarkedSpan]) -> list[Token]:
    return [t for t in tokens if (_is_cue(t) or _is_cue_phrase(t)) and not _in_a_quote(t, quotes)]


def _in_a_quote(token: Token, quotes: list[MarkedSpan]) -> bool:
    """Whether ``token`` overlaps one of ``quotes``, a paragraph's spans in
    order and apart (as ``find_marked_spans`` gives them): only the last
    quote that starts before the token ends can, found by binary search. A
    test of every quote for every cue was quadratic in a paragraph of
    thousands of quotes."""
    i = bisect.bisect_left(quotes, token.idx + len(token.text), key=lambda q: q.start) - 1
    return i >= 0 and _inside(token, quotes[i].start, quotes[i].end)


def _gap(token: Token, span: MarkedSpan) -> int:
    if token.idx >= span.end:
        return token.idx - span.end
    return max(0, span.start - (token.idx + len(token.text)))


def _sentences_of(doc: Doc, start: int, end: int) -> list[Span]:
    """The sentences overlapping ``[start, end)``; found from the span's own
    tokens, since scanning ``doc.sents`` per quote is quadratic on long texts."""
    span = doc.char_span(start, end, alignment_mode="expand") if start < end else None
    if span is None or not len(span):
        return [s for s in sentences(doc) if s.start_char < end and s.end_char > start]
    return [s for s in span.sents if s.start_char < end and s.end_char > start]  # type: ignore[attr-defined]


def _direct_cue(
    doc: Doc, span: MarkedSpan, quotes: list[MarkedSpan], para_start: int, para_end: int
) -> Token | None:
    """The speech verb nearest the quote in its own sentences; else in the
    sentence before (in the paragraph, or ending with a colon just before it)
    or after it in the paragraph."""
    own = _sentences_of(doc, span.start, span.end)
    if not own:
        return None
    introducing = _colon_verb(doc, span, own[0])
    if introducing is not None:
        return introducing
    candidates = _cue_tokens((t for s in own for t in s), quotes)
    if candidates:
        return min(candidates, key=lambda t: (_gap(t, span), t.idx < span.start))
    inside = _parenthetical_cue(doc, span)
    if inside is not None:
        return inside
    neighbours: list[Span] = []
    first, last = own[0], own[-1]
    if first.start > 0:
        before = doc[first.start - 1].sent
        if before.start_char >= para_start or before.text.rstrip().endswith(":"):
            neighbours.append(before)
    if last.end < len(doc):
        after = doc[last.end].sent
        if after.start_char < para_end:  # its trailing newline may lie past the paragraph
            neighbours.append(after)
    for sent in neighbours:
        found = _cue_tokens(sent, quotes)
        if found:
            return min(found, key=lambda t: _gap(t, span))
    return None


def _parenthetical_cue(doc: Doc, span: MarkedSpan) -> Token | None:
    """A reporting clause set off inside the marks, as in translated news:
    "«We will win, — said the minister, — and …»"; first- and second-person
    subjects are the quoted speaker talking, not an attribution."""
    inner = doc.char_span(span.start, span.end, alignment_mode="expand")
    if inner is None:
        return None
    for token in inner:
        if not _is_cue(token):
            continue
        subj = _subject(token)
        if subj is None or subj.lower_ in FIRST_SECOND_PERSON or subj.pos_ not in ("PROPN", "PRON", "NOUN"):
            continue
        phrase = _phrase(subj)
        first, last = min(token.i, phrase.start), max(token.i, phrase.end - 1)
        if (
            first > inner.start
            and last + 1 < inner.end
            and doc[first - 1].text in PARENTHESIS_MARKS
            and doc[last + 1].text in PARENTHESIS_MARKS
        ):
            return token
    return None


def _label_speaker(
    doc: Doc, actors: ActorIndex, span: MarkedSpan, paragraph_start: int, paragraph_end: int
) -> SpeakerMention | None:
    """A paragraph that is a label naming the speaker, a colon and the quote,
    with no verb: "Jane Doe, The Daily Planet: “…”", "Smith: “…”"."""
    if _has_words(doc_text(doc)[span.end : paragraph_end]):
        return None  # a headline's quoted word: "Reports: 'streamlined' process …"
    label = doc.char_span(paragraph_start, span.start, alignment_mode="contract")
    if label is None or len(label) < 2 or label[-1].text != ":" or len(label) > MAX_LABEL_TOKENS:
        return None
    words = label[:-1]
    if any(t.pos_ in ("VERB", "AUX") for t in words):
        return None
    comma = next((t.i for t in words if t.text == ","), words.end)
    name = doc[words.start : comma]
    if not len(name) or not any(t.pos_ in ("PROPN", "NOUN") for t in name):
        return None
    head = name.root
    entity = actors.for_token(head) or actors.at(name.start_char, name.end_char)
    return SpeakerMention(
        name.start_char, name.end_char, name.text, head.idx, entity, False, entity.name if entity else name.text
    )


def _colon_verb(doc: Doc, span: MarkedSpan, sentence: Span) -> Token | None:
    """"She continued: “…”", "Sunak defended the record: “…”": a colon right
    before a quote makes the main verb of the clause before it the cue, speech
    verb or not."""
    before = [t for t in sentence if t.idx + len(t.text) <= span.start and not t.is_space]
    if not before or before[-1].text != ":":
        return None
    verbs = [t for t in before if t.pos_ in ("VERB", "AUX") and _subject(t) is not None]
    # A speech verb nearest the colon first ("…, with Boswell stating: “…”"),
    # else the clause's main verb.
    speech = [t for t in verbs if _is_cue(t)]
    if speech:
        return speech[-1]
    return min(verbs, key=lambda t: (len(list(t.ancestors)), t.i), default=None)


def _governing_cue(doc: Doc, span: MarkedSpan) -> Token | None:
    """The nearest speech verb above a partial quote in the parse ("said that
    “there were problems”", "assured that X has “great interest”")."""
    inner = doc.char_span(span.start, span.end, alignment_mode="expand")
    if inner is None:
        return None
    for token in inner:
        if token.is_punct:
            continue
        head = token
        for _ in range(12):
            if head.head is head:
                break
            head = head.head
            if not _inside(head, span.start, span.end) and _is_cue(head):
                return head
    return None


def _preceding_token(doc: Doc, offset: int) -> Token | None:
    # len(doc.text) would rebuild the whole text; the last token's end is the same length.
    length = doc[-1].idx + len(doc[-1].text_with_ws) if len(doc) else 0
    at = doc.char_span(offset, min(offset + 1, length), alignment_mode="expand")
    i = at[0].i - 1 if at is not None and len(at) else len(doc) - 1
    while i >= 0 and doc[i].is_space:
        i -= 1
    return doc[i] if i >= 0 else None


def _last_cue_speaker(
    doc: Doc, lo: int, hi: int, actors: ActorIndex, last_named: SpeakerMention | None
) -> SpeakerMention | None:
    """The subject of the last speech verb of a paragraph that has one."""
    span = doc.char_span(lo, hi, alignment_mode="expand")
    if span is None:
        return None
    for token in reversed(list(span)):
        if _is_cue(token):
            subj = _subject(token)
            if subj is not None:
                return _speaker_from_cue(token, actors, doc_text(doc), MarkedSpan(hi, hi, True), last_named)
    return None


# Paragraphs that neither give nor break a quote's continuation: a photo
# caption or credit line between two paragraphs of one quotation.
TRANSPARENT_ZONES = word_set("zones", "transparent") | SKIPPED_ZONES


def _is_named(speaker: SpeakerMention) -> bool:
    return speaker.entity is not None or not speaker.is_pronoun


@dataclass(slots=True)
class _Thread:
    """What attribution carries from one quote and paragraph to the next."""

    last_named: SpeakerMention | None = None  # most recent speaker with an entity or a name
    previous_paragraph: SpeakerMention | None = None  # last speaker of the previous paragraph
    this_paragraph: SpeakerMention | None = None  # last speaker so far in this paragraph

    def heard(self, speaker: SpeakerMention | None) -> None:
        if speaker is None:
            return
        self.this_paragraph = speaker
        if _is_named(speaker):
            self.last_named = speaker


def _attribute_span(
    ctx: Context,
    actors: ActorIndex,
    span: MarkedSpan,
    spans: list[MarkedSpan],
    paragraph_start: int,
    paragraph_end: int,
    thread: _Thread,
) -> Attribution | None:
    """One quote attributed, or None for a scare quote, title or headline."""
    doc, text = ctx.doc, ctx.text
    inner = _inner(text, span)
    if looks_like_title(inner):
        return None
    kind = quote_kind(text, span, paragraph_start, _preceding_token(doc, span.start))
    if kind == "direct":
        cue = _direct_cue(doc, span, spans, paragraph_start, paragraph_end)
    else:
        cue = _governing_cue(doc, span)
        if cue is None:
            return None  # a scare quote: no one is quoted
    speaker = _speaker_from_cue(cue, actors, text, span, thread.last_named) if cue is not None else None
    if cue is None and kind == "direct":
        speaker = _label_speaker(doc, actors, span, paragraph_start, paragraph_end)
    continued = False
    if cue is None and speaker is None:
        # No cue: a paragraph opening with a quote continues the previous
        # paragraph's speaker; a later quote, this paragraph's speaker.
        carried = thread.previous_paragraph if span.start == paragraph_start else thread.this_paragraph
        if carried is not None:
            speaker, continued = carried, True
        short = len(inner.split())
        if span.closed and not _ends_like_speech(inner) and short < MIN_FRAGMENT_WORDS:
            return None  # a headline or term standing alone, not a quotation
        if speaker is None and short < MIN_UNATTRIBUTED_WORDS:
            return None
    return Attribution(
        start=span.start,
        end=span.end,
        text=text[span.start : span.end],
        kind=kind,
        cue=cue_text(cue) if cue is not None else None,
        speaker=speaker,
        addressee=_addressee(cue, actors, span.start, span.end) if cue is not None else None,
        continued=continued,
    )


# ---------------------------------------------------------------------------
# 4. Reported speech (no marks): speech verbs, and the verbs of cognition,
# finding and ruling in ``data/quotes/reporting_verbs.txt``


def _is_frame_token(token: Token) -> bool:
    """Punctuation, spaces and "that" at a reported clause's edge belong to
    the reporting frame; quotation marks belong to the clause."""
    if token.is_space:
        return True
    if token.text in QUOTE_MARKS:
        return False
    return token.is_punct or token.lower_ in REPORTED_CLAUSE_MARKERS and token.dep_ == "mark"


def _trimmed(tokens: list[Token]) -> tuple[int, int] | None:
    """Char bounds of a run of tokens without frame tokens at either edge."""
    lo, hi = 0, len(tokens)
    while lo < hi and _is_frame_token(tokens[lo]):
        lo += 1
    while hi > lo and _is_frame_token(tokens[hi - 1]):
        hi -= 1
    if sum(1 for t in tokens[lo:hi] if t.is_alpha) < MIN_REPORTED_WORDS:
        return None
    return tokens[lo].idx, tokens[hi - 1].idx + len(tokens[hi - 1].text)


def _borrows_speaker(token: Token) -> bool:
    """A participle or conjoined cue inside a clause that speaks for the same
    subject ("…, adding that …"): a new report, not part of this one."""
    return _is_cue(token) and token.dep_ in ("advcl", "conj") and not any(
        c.dep_ in ("nsubj", "nsubjpass") for c in token.children
    )


def _complement_clause(cue: Token) -> tuple[int, int] | None:
    """The clausal complement of a speech verb, cut before a later cue that
    starts another report of the same speaker ("said X, adding Y")."""
    comp = next((c for c in cue.children if c.dep_ in REPORTED_CLAUSE_DEPS), None) or _directive(cue)
    if comp is None:
        return None
    tokens = list(comp.subtree)
    cut = next((t for t in tokens if t is not comp and t.i > comp.i and _borrows_speaker(t)), None)
    if cut is not None:
        tokens = [t for t in tokens if t.i < cut.left_edge.i]
    return _trimmed(tokens)


def _directive(cue: Token) -> Token | None:
    """What a speaker asks of, or charges, someone: "urged X *to leave*",
    "told X *to stop*", "accused X *of lying*" (the object is the addressee)."""
    if not any(c.dep_ in ADDRESSEE_DEPS for c in cue.children):
        return None
    for child in cue.children:
        if child.dep_ == "xcomp" and child.pos_ in ("VERB", "AUX"):
            return child
        if child.dep_ == "prep" and child.lower_ == "of":
            return next((c for c in child.children if c.dep_ == "pcomp"), None)
    return None


def _phrase_clause(token: Token) -> tuple[int, int] | None:
    """The clause an attribution phrase hangs from ("the plant will close,
    according to X"; "According to X, the plant will close"), without it."""
    words = _matched_phrase(token)
    if words is None:
        return None
    first = token.doc[token.i - len(words) + 1]
    if first.dep_ != "prep":
        return None
    # Hung from a verb, the phrase attributes its clause; hung from a noun
    # (a parse slip), the whole sentence.
    head = first.head if first.head.pos_ in ("VERB", "AUX") else first.sent.root
    phrase = range(first.left_edge.i, first.right_edge.i + 1)
    if head.i in phrase:
        return None
    clause = list(head.subtree)
    before = [t for t in clause if t.i < phrase.start]
    after = [t for t in clause if t.i >= phrase.stop]
    return _trimmed(before if len(before) >= len(after) else after)


def _widened(bounds: tuple[int, int], spans: list[MarkedSpan]) -> tuple[int, int]:
    """A clause never ends or starts inside a quotation: a misparse that cuts
    one ("the nominee “is dogged, resilient …”") takes it whole."""
    start, end = bounds
    for span in spans:
        if span.start < start < span.end:
            start = span.start
        if span.start < end < span.end:
            end = span.end
    return start, end


def _reporting_tokens(tokens: Iterable[Token], quotes: list[MarkedSpan]) -> list[Token]:
    """Verbs of cognition, finding and ruling outside quotations, with a
    subject of their own: "to think about" reports no one's thought."""
    return [
        t
        for t in tokens
        if t.pos_ == "VERB"
        and t.lemma_.lower() in reporting_lemmas()
        and any(c.dep_ == "nsubj" for c in t.children)
        and not _in_a_quote(t, quotes)
    ]


def _overlaps(start: int, end: int, other_start: int, other_end: int) -> bool:
    return start < other_end and other_start < end


def reported_speech(
    ctx: Context,
    actors: ActorIndex,
    paragraph_start: int,
    paragraph_end: int,
    spans: list[MarkedSpan],
    direct: list[Attribution],
    last_named: SpeakerMention | None,
) -> list[Attribution]:
    """Statements reported without marks in one paragraph: "X said [that] …",
    "…, X told Y", "…, according to X". Cues inside quotations are the quoted
    speaker's words; a clause overlapping a direct quote is that quote's."""
    doc = ctx.doc
    region = doc.char_span(paragraph_start, paragraph_end, alignment_mode="contract")
    if region is None:
        return []
    found: list[Attribution] = []
    seen: set[tuple[int, int]] = set()
    for cue in _cue_tokens(region, spans) + _reporting_tokens(region, spans):
        bounds = _phrase_clause(cue) if _is_cue_phrase(cue) else _complement_clause(cue)
        if bounds is None or bounds in seen:
            continue
        start, end = _widened(bounds, spans)
        if any(_overlaps(start, end, d.start, d.end) for d in direct if d.kind == "direct"):
            continue
        clause = MarkedSpan(start, end, True)
        if _subject(cue) is None:
            continue  # "it was said that …": no one to attribute it to
        speaker = _speaker_from_cue(cue, actors, ctx.text, clause, last_named)
        if speaker is None:
            continue
        seen.add(bounds)
        found.append(
            Attribution(
                start=start,
                end=end,
                text=ctx.text[start:end],
                kind="reported",
                cue=cue_text(cue),
                speaker=speaker,
                addressee=_addressee(cue, actors, start, end),
                continued=False,
            )
        )
    return found


def attribute(ctx: Context, actors: ActorIndex) -> list[Attribution]:
    """Every quote and reported statement of the article with its kind, cue,
    speaker and addressee, in text order."""
    found: list[Attribution] = []
    thread = _Thread()
    for paragraph in ctx.clean.paragraphs:
        if paragraph.zone in SKIPPED_ZONES:
            continue
        spans = find_marked_spans(ctx.text, paragraph.start, paragraph.end)
        thread.this_paragraph = None
        marked: list[Attribution] = []
        for span in spans:
            item = _attribute_span(ctx, actors, span, spans, paragraph.start, paragraph.end, thread)
            if item is not None:
                marked.append(item)
                thread.heard(item.speaker)
        reported = reported_speech(ctx, actors, paragraph.start, paragraph.end, spans, marked, thread.last_named)
        found.extend(sorted(marked + reported, key=lambda a: (a.start, a.end)))
        if thread.this_paragraph is None:
            thread.heard(_last_cue_speaker(ctx.doc, paragraph.start, paragraph.end, actors, thread.last_named))
        if paragraph.zone not in TRANSPARENT_ZONES:
            thread.previous_paragraph = thread.this_paragraph
    return found


def to_quote(item: Attribution) -> Quote:
    speaker = item.speaker
    return Quote(
        text=item.text,
        start=item.start,
        end=item.end,
        speaker=speaker.entity.id if speaker is not None and speaker.entity is not None else None,
        speaker_name=speaker.name if speaker is not None else None,
        addressee=item.addressee.id if item.addressee is not None else None,
        cue=item.cue,
        kind=item.kind,
    )


def extract(ctx: Context, actors: ActorIndex) -> list[Quote]:
    """Quotes of the article (none from credit or boilerplate paragraphs); with
    a ``ctx.trace``, the words naming each quote's speaker are traced."""
    found = attribute(ctx, actors)
    if ctx.trace is not None:
        ctx.trace.speakers.extend(
            SpeakerWords(ctx.doc_id, a.start, a.end, a.speaker.start, a.speaker.end, a.speaker.text)
            for a in found
            if a.speaker is not None
        )
    return [to_quote(a) for a in found]
