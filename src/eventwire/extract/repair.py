"""Clean raw article text, keeping an exact map back to the raw characters.

Every change is an ``Edit`` of a raw span; ``apply_edits`` builds the cleaned
text together with the unchanged ``Segment``s and the ``Repair`` records, so any
cleaned offset maps back to the raw text (``model.clean_to_raw``).
"""

from __future__ import annotations

import bisect
import itertools
import math
import re
import unicodedata
from collections import Counter
from collections.abc import Container, Iterable
from dataclasses import dataclass
from functools import lru_cache

from wordfreq import get_frequency_dict, zipf_frequency

from ..model import Paragraph, RawDocument, Repair, Segment, Zone
from ..settings import DATA_DIR


@dataclass(frozen=True, slots=True)
class Edit:
    raw_start: int
    raw_end: int
    replacement: str
    kind: str
    note: str = ""


@dataclass(frozen=True, slots=True)
class CleanText:
    text: str
    raw_map: tuple[Segment, ...]
    repairs: tuple[Repair, ...]
    paragraphs: tuple[Paragraph, ...]


def apply_edits(raw: str, edits: Iterable[Edit]) -> tuple[str, tuple[Segment, ...], tuple[Repair, ...]]:
    """Apply non-overlapping edits to ``raw``; return text, segments, repairs."""
    out: list[str] = []
    segments: list[Segment] = []
    repairs: list[Repair] = []
    pos = 0  # in raw
    length = 0  # of cleaned text so far
    for edit in sorted(edits, key=lambda e: (e.raw_start, e.raw_end)):
        if edit.raw_start < pos:
            raise ValueError(f"overlapping edit at {edit.raw_start}")
        if edit.raw_start > pos:
            chunk = raw[pos : edit.raw_start]
            segments.append(Segment(length, length + len(chunk), pos))
            out.append(chunk)
            length += len(chunk)
        repairs.append(
            Repair(
                kind=edit.kind,
                raw_start=edit.raw_start,
                raw_end=edit.raw_end,
                start=length,
                end=length + len(edit.replacement),
                raw=raw[edit.raw_start : edit.raw_end],
                replacement=edit.replacement,
                note=edit.note,
            )
        )
        out.append(edit.replacement)
        length += len(edit.replacement)
        pos = edit.raw_end
    if pos < len(raw) or not segments and not repairs:
        segments.append(Segment(length, length + len(raw) - pos, pos))
        out.append(raw[pos:])
    return "".join(out), tuple(segments), tuple(repairs)


# Characters that look like spaces or nothing but break tokenization.
_ODD_SPACE = re.compile(r"[\u00a0\u2000-\u200a\u202f\u205f\u3000]")
_INVISIBLE = re.compile(r"[\u200b-\u200d\u2060\ufeff\u00ad]")
_CRLF = re.compile(r"\r\n?")


# Control characters (Unicode Cc) other than tab and line breaks: dropped;
# vertical tab and form feed read as a space.
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f-\x9f]")
_CONTROL_SPACE = re.compile(r"[\x0b\x0c]")
# A character followed by combining marks (or Hangul jamo that compose).
_CLUSTER = re.compile(r".[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f\u0483-\u0489\u0591-\u05c7\u0610-\u061a\u064b-\u065f\u0900-\u0dff\u1160-\u11ff\u3099\u309a]*", re.DOTALL)


def nfc_edits(raw: str) -> list[Edit]:
    """Unicode NFC, one character cluster at a time, so each change is a
    small recorded edit ("e" + combining acute -> "\u00e9")."""
    if unicodedata.is_normalized("NFC", raw):
        return []
    edits = []
    for m in _CLUSTER.finditer(raw):
        cluster = m.group()
        if _CONTROL.match(cluster) or _INVISIBLE.match(cluster) or _ODD_SPACE.match(cluster) or cluster[0] in "\r\x0b\x0c":
            continue  # left to the other edits
        normal = unicodedata.normalize("NFC", cluster)
        if normal != cluster:
            edits.append(Edit(m.start(), m.end(), normal, "nfc"))
    return edits


def normalization_edits(raw: str) -> list[Edit]:
    """Line endings, odd spaces, invisible and control characters, NFC."""
    edits = [Edit(m.start(), m.end(), "\n", "newline") for m in _CRLF.finditer(raw)]
    edits += [Edit(m.start(), m.end(), " ", "space") for m in _ODD_SPACE.finditer(raw)]
    edits += [Edit(m.start(), m.end(), "", "invisible") for m in _INVISIBLE.finditer(raw)]
    edits += [Edit(m.start(), m.end(), "", "control") for m in _CONTROL.finditer(raw)]
    edits += [Edit(m.start(), m.end(), " ", "space") for m in _CONTROL_SPACE.finditer(raw)]
    return edits + nfc_edits(raw)


# Words glued where a link or markup was stripped ("Franceand", "MerkelMacron").
# A token: letters, joined by hyphens or apostrophes ("Al-Sadr", "Gondor's").
_WORD = re.compile(r"[^\W\d_]+(?:[-'\u2019][^\W\d_]+)*")
# A closing mark glued to the next word: `with you\u201dMerkel said`.
_GLUED_CLOSER = re.compile(r"(?<=[^\W\d_.,!?])[\u201d\u00bb](?=[^\W\d_])")
# A word glued to a dotted abbreviation: "theU.S.", "WashingtonD.C.".
_GLUED_ABBREVIATION = re.compile(r"(?<![\w.])([^\W\d_]*[a-z])(?=(?:[A-Z]\.){2,})")
_POSSESSIVE = re.compile(r"['\u2019]s$")
MIN_GLUED_LENGTH = 4
# Longer tokens are not two words (and every cut of a megabyte "word" would
# be scored): left alone.
MAX_GLUED_LENGTH = 48
# A run without whitespace longer than this (a base64 blob, a megabyte
# "word") is no prose: none of its tokens is judged, which would cost
# frequency lookups by the hundred thousand, and the skip is recorded as a
# "glued-words-skipped" repair at its end (a long URL is no prose either).
MAX_REPAIR_RUN = 300
_LONG_RUN = re.compile(rf"\S{{{MAX_REPAIR_RUN + 1},}}")
# Thresholds on wordfreq's Zipf scale (log10 of frequency per billion words).
# A token this frequent is a word, not two: low, so that rare real words and
# names stay whole. Tokens with an inner capital ("NewZealand") need more,
# because wordfreq's lists hold some glued junk of that shape at low counts.
KNOWN_WORD_ZIPF = 1.0
# ... unless both halves of a cut are this much more frequent than the whole.
JUNK_GAP = 3.5
JUNK_PART_ZIPF = 5.5
CAMEL_JUNK_GAP = 2.3
KNOWN_PART_ZIPF = 3.0  # a head or a capitalized tail that is a word on its own
SHORT_TAIL_ZIPF = 5.0  # a glued-on tail of one to three letters ("is", "and")
TAIL_ZIPF = 3.0  # a lowercase tail of five or six letters
FOUR_LETTER_TAIL_ZIPF = 4.5  # "said", "told"; not "wire" or "tian" ("Sidewire")
SHORT_HEAD_ZIPF = 5.0  # a head of two or three letters ("The", "in")
CAPITAL_TRIGRAM_HEAD_ZIPF = 4.5  # a capitalized three-letter head before a capitalized word
LETTER_HEAD_ZIPF = 7.0  # a head of one letter ("A", "I")
LONG_TAIL = 7  # a lowercase tail this long may be rarer ("minefield")
LONG_TAIL_ZIPF = 2.5
# A very common lowercase word before a capital ("andGondor", "withSmith")
# is a glue point whatever the capitalized word is.
FUNCTION_HEAD_ZIPF = 5.5
# ... and so is a longer, fairly common one ("agencyWFNA").
LOWER_HEAD_MIN = 4
LOWER_HEAD_ZIPF = 3.5
# An unknown capitalized head (a rare name) is split off only before a long,
# common word, and only when it is long itself ("...refugee"). Shorter tails
# must be very common ("said", "would"): surnames end in words like "field",
# "ford" or "worth".
UNKNOWN_HEAD_MIN = 5
UNKNOWN_HEAD_TAIL_MIN = 6
UNKNOWN_HEAD_TAIL_ZIPF = 3.5
UNKNOWN_HEAD_SHORT_TAIL_MIN = 4
UNKNOWN_HEAD_SHORT_TAIL_ZIPF = 5.5
# A head this common ("the", "an", "in", "from") is a word of its own before
# any capitalized word, known or not ("TheKowalczyk"); "De", "La", "Mac", "Van"
# of surnames stay well below.
FUNCTION_WORD_ZIPF = 6.0
# A long lowercase word is one wordfreq knows at all ("reformingRuritania"):
# real words do not go on in a capital after six lowercase letters.
LONG_LOWER_HEAD = 6
LONG_LOWER_HEAD_ZIPF = 1.5
# An acronym before a long lowercase word ("NATOcommanders").
ACRONYM_LONG_TAIL = 5
ACRONYM_LONG_TAIL_ZIPF = 1.5
# A token wordfreq does not know, made of a name wordfreq does know and a
# function word ("Tiranahas", "Tiranafor"): the name is split off.
RARE_NAME_HEAD_MIN = 4
RARE_NAME_HEAD_ZIPF = 1.0
# Two-letter tails ("on", "in", "so") end too many rare names ("Troncon").
RARE_NAME_TAIL_MIN = 3
# Two capitalized name-like parts glued ("AnnaKowalczyk"), the whole unknown:
# each part this long.
NAME_PART_MIN = 4
# Word-forming tails: a lowercase tail that ends many words made of a word and
# itself ("goldsmith", "Stanford", "Ashworth"), compared with how common the
# tail is alone, ends names too ("Dunsmith"); see ``build_compound_tails``.
COMPOUND_TAILS_FILE = "compound_tails.tsv"
COMPOUND_TAIL_MIN_SCORE = -3.7  # (tails too rare to be glue are left out) log10(words ending in the tail + 1) - Zipf of the tail
COMPOUND_VOCABULARY = 150_000  # alphabetic words of wordfreq's list, most frequent first
COMPOUND_HEAD_VOCABULARY = 60_000  # ... of which heads
# ... but after a common word ("Danishmen", "Norwayacted") glue is likelier.
COMMON_HEAD_ZIPF = 4.0
# A glued token the article repeats is split only before a tail this common.
REPEATED_TAIL_ZIPF = 4.0
# Bonus in the choice between cuts for a cut at a change of case.
CASE_CUT_BONUS = 20.0
KNOWN_HEAD_BONUS = 10.0
ARTICLE_WORD_ZIPF = 4.0  # what a word the article uses on its own counts as
ACTOR_NAME_ZIPF = 3.5  # ... and a word of a Phoenix actor name
ACTOR_FILES = ("Phoenix.Countries.actors.txt", "Phoenix.International.actors.txt", "Phoenix.MilNonState.actors.txt")
_DATA = DATA_DIR


@lru_cache(maxsize=65536)
def zipf(word: str) -> float:
    """Zipf frequency of an English word (wordfreq), cached: the same words
    recur. A plain ASCII word wordfreq's list lacks is 0 at once: wordfreq
    would tokenize it first (a quarter of a millisecond), and an article of
    thousands of rare names asks for hundreds of thousands of them."""
    if word.isascii() and word.isalpha() and word.lower() not in _english_frequencies():
        return 0.0
    return float(zipf_frequency(word, "en"))


@lru_cache(maxsize=1)
def _english_frequencies() -> dict[str, float]:
    return get_frequency_dict("en")


@lru_cache(maxsize=1)
def actor_name_words() -> frozenset[str]:
    """Lower-cased words of the names in the Phoenix actor dictionaries: names
    too rare for the frequency lists that news still uses."""
    words: set[str] = set()
    for name in ACTOR_FILES:
        path = _DATA / "phoenix" / name
        if not path.is_file():
            continue
        for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
            entry = line.split("#", 1)[0].split("[", 1)[0]
            words.update(w.lower() for w in re.split(r"[_+\s]+", entry) if len(w) >= 3 and w.isalpha())
    return frozenset(words)


def build_compound_tails() -> list[tuple[str, int, float]]:
    """(tail, words it ends, Zipf) of every word-forming tail: of the most
    frequent wordfreq words, those made of a frequent word and a tail of three
    to eight letters, counted per tail. Writes ``data/repair/compound_tails.tsv``
    with ``python -c "from eventwire.extract.repair import write_compound_tails; write_compound_tails()"``."""
    from wordfreq import iter_wordlist

    words: list[str] = []
    for word in iter_wordlist("en"):
        if word.isalpha():
            words.append(word)
            if len(words) >= COMPOUND_VOCABULARY:
                break
    heads = set(words[:COMPOUND_HEAD_VOCABULARY])
    counts: Counter[str] = Counter()
    for word in words:
        for cut in range(3, len(word) - 2):
            if word[:cut] in heads and len(word) - cut <= 8:
                counts[word[cut:]] += 1
    found = []
    for tail, n in counts.items():
        tail_zipf = zipf(tail)
        if tail_zipf >= LONG_TAIL_ZIPF and math.log10(n + 1) - tail_zipf >= COMPOUND_TAIL_MIN_SCORE:
            found.append((tail, n, tail_zipf))
    return sorted(found)


def compound_tails_text() -> str:
    """The contents of ``compound_tails.tsv`` as ``build_compound_tails`` makes them."""
    lines = [
        "# Word-forming tails (see repair.build_compound_tails): generated from wordfreq's English list.",
        "# tail\twords ending in it (word + tail)\tZipf of the tail",
        *(f"{tail}\t{n}\t{tail_zipf}" for tail, n, tail_zipf in build_compound_tails()),
    ]
    return "\n".join(lines) + "\n"


def write_compound_tails() -> None:
    (_DATA / "repair" / COMPOUND_TAILS_FILE).write_text(compound_tails_text(), encoding="utf-8")


@lru_cache(maxsize=1)
def compound_tails() -> frozenset[str]:
    path = _DATA / "repair" / COMPOUND_TAILS_FILE
    if not path.is_file():
        return frozenset()
    lines = path.read_text(encoding="utf-8").splitlines()
    return frozenset(line.split("\t", 1)[0] for line in lines if line and not line.startswith("#"))


def _part_score(part: str, article_words: Container[str], actor_names: bool = True) -> float:
    """How surely ``part`` is a word of its own: its Zipf frequency, raised for
    a word the article uses on its own or (``actor_names``) an actor-name word.
    Actor names are not used for a head before a lowercase tail: the
    dictionaries hold many first names, and a rare surname often starts with
    one ("Gustaf" + "on")."""
    bare = _POSSESSIVE.sub("", part)
    score = zipf(bare.lower())
    if bare in article_words or part in article_words:
        score = max(score, ARTICLE_WORD_ZIPF)
    if actor_names and bare.lower() in actor_name_words():
        score = max(score, ACTOR_NAME_ZIPF)
    return score


def _case_cut_ok(head: str, tail: str, article_words: Container[str]) -> bool:
    """A cut before an inner capital ("inWashington", "NewZealand", "BBCNews")."""
    bare = _POSSESSIVE.sub("", tail)  # "ofNASA's"
    if len(bare) < 2 or not bare.isalpha():
        return False
    head_score, tail_score = _part_score(head, article_words), _part_score(tail, article_words)
    if not bare[1:].islower() and not bare.isupper():
        # A tail with capitals inside is a word only when known as it is
        # ("fromYouTube"), never a guess.
        return bare in article_words or zipf(bare.lower()) >= KNOWN_PART_ZIPF and head_score >= FUNCTION_WORD_ZIPF
    if head_score >= FUNCTION_WORD_ZIPF and len(head) >= 2 and not head.isupper():
        return True  # "TheKowalczyk", "AnOstrovian", "inLagos"
    if head.islower() and len(head) >= LONG_LOWER_HEAD and head_score >= LONG_LOWER_HEAD_ZIPF:
        return True  # "reformingRuritania"
    if len(head) == 1:  # "AMember", "IWill"; not "SAfrican" or "PShares"
        return head_score >= LETTER_HEAD_ZIPF and tail_score >= KNOWN_PART_ZIPF
    if head.isupper():  # "BBCNews": both parts must be words; "BTPs" is a plural
        return len(bare) >= 3 and min(head_score, tail_score) >= KNOWN_PART_ZIPF
    if head.islower() and len(head) >= 2 and head_score >= FUNCTION_HEAD_ZIPF:
        return True
    if head.islower() and len(head) >= LOWER_HEAD_MIN and head_score >= LOWER_HEAD_ZIPF:
        return True  # "newspaperJutarnji": an English word, then a name
    if len(head) == 3 and len(tail) >= 4 and head_score >= CAPITAL_TRIGRAM_HEAD_ZIPF and tail_score >= KNOWN_PART_ZIPF:
        return True  # "SkyNews"; "Mac" and "Van" stay below the threshold
    if _name_shaped(head) and _name_shaped(bare) and min(len(head), len(bare)) >= NAME_PART_MIN:
        return True  # "AnnaKowalczyk": the whole is no word (the caller checks)
    if head.islower() or len(head) <= 3:
        # "in", "the", "New": a short or lowercase head must be a common word,
        # which keeps "McCarthy", "LeBron" and "iPhone" whole.
        needed = SHORT_HEAD_ZIPF if len(head) <= 3 else KNOWN_PART_ZIPF
        return head_score >= needed and tail_score >= KNOWN_PART_ZIPF
    return max(head_score, tail_score) >= KNOWN_PART_ZIPF and min(head_score, tail_score) > 0


def _name_shaped(part: str) -> bool:
    return part[:1].isupper() and part[1:].islower()


def _tail_zipf_needed(tail: str) -> float:
    if len(tail) <= 3:
        return SHORT_TAIL_ZIPF
    if len(tail) == 4:
        return FOUR_LETTER_TAIL_ZIPF
    return LONG_TAIL_ZIPF if len(tail) >= LONG_TAIL else TAIL_ZIPF


def _tail_cut_ok(head: str, tail: str, article_words: Container[str]) -> bool:
    """A cut before a lowercase word glued to a capitalized one ("Francewhose")."""
    if not head[0].isupper() or not tail.isalpha() or not tail.islower():
        return False
    tail_zipf = zipf(tail)
    acronym = len(head) >= 2 and head.isupper()
    if acronym and len(tail) >= ACRONYM_LONG_TAIL and tail_zipf >= ACRONYM_LONG_TAIL_ZIPF:
        return True  # "NATOcommanders"
    if tail_zipf < _tail_zipf_needed(tail):
        return False
    head_score = _part_score(head, article_words, actor_names=False)
    if acronym or _POSSESSIVE.search(head) and len(head) > 3:
        return True  # "NATOand", "Gondor'sproposals": no real word has that shape
    if tail in compound_tails() and head_score < COMMON_HEAD_ZIPF:
        return False  # "Graysmith", "Ashworth": a name ending; not "Danishmen"
    if tail_zipf >= FUNCTION_WORD_ZIPF and len(tail) >= RARE_NAME_TAIL_MIN and len(head) >= RARE_NAME_HEAD_MIN and head_score >= RARE_NAME_HEAD_ZIPF and _name_shaped(head):
        return True  # "Tiranafor": a name wordfreq knows, then a function word
    short = len(head) <= 3 and not head.isupper()  # acronyms are short words too
    if head_score >= (LETTER_HEAD_ZIPF if len(head) == 1 else SHORT_HEAD_ZIPF if short else KNOWN_PART_ZIPF):
        return True
    return (
        head.isalpha()
        and len(head) >= UNKNOWN_HEAD_MIN
        and (
            len(tail) >= UNKNOWN_HEAD_TAIL_MIN and tail_zipf >= UNKNOWN_HEAD_TAIL_ZIPF
            or len(tail) >= UNKNOWN_HEAD_SHORT_TAIL_MIN and tail_zipf >= UNKNOWN_HEAD_SHORT_TAIL_ZIPF
        )
        and head[1:].islower()
    )


def _inner_capital_cuts(token: str) -> list[int]:
    return [i for i in range(1, len(token)) if token[i - 1].islower() and token[i].isupper()]


def _is_known_token(token: str, article_words: Container[str]) -> bool:
    """A word in its own right: used as it is elsewhere in the article, an
    actor-name word, or a frequent enough word. The frequency lists hold some
    glued junk ("inthe", "whitehouse"), so a token much rarer than both halves
    of some cut is not taken for a word."""
    camel = _inner_capital_cuts(token)
    # The dictionaries are upper case: they cannot vouch for an inner capital.
    if token in article_words or not camel and token.lower() in actor_name_words():
        return True
    whole = zipf(_POSSESSIVE.sub("", token).lower())
    if whole < KNOWN_WORD_ZIPF:
        return False
    if camel:
        return not any(min(zipf(token[:c].lower()), zipf(token[c:].lower())) - whole >= CAMEL_JUNK_GAP for c in camel)
    # Junk of two function words ("inthe", "Itwas"), not "Anon" or "Hitwise".
    for c in range(1, len(token)):
        parts = min(zipf(token[:c].lower()), zipf(token[c:].lower()))
        if parts >= JUNK_PART_ZIPF and parts - whole >= JUNK_GAP:
            return False
    return True


def glued_split(token: str, article_words: Container[str]) -> int | None:
    """Where to split a token made of two words stuck together, or None.

    Only tokens with a capital letter that are not words themselves
    (wordfreq, the article's own words, the actor dictionaries) are split. Every
    cut where both sides are words is scored by how common the two sides are
    (a word the article uses on its own counts as common), a cut at a change of
    case ("MerkelMacron", "inWashington") first; the best cut wins. In a
    hyphenated token glue can sit in the first part ("ofEuropean-based") or
    the last ("Vietnamese-ledforces", "Al-Sadris").
    """
    if len(token) > MAX_GLUED_LENGTH or token.islower():
        return None  # glue from stripped links sits next to a capital
    if "-" in token:
        return _hyphenated_split(token, article_words)
    if len(token) < MIN_GLUED_LENGTH or token.islower() or _is_known_token(token, article_words):
        return None
    best: tuple[float, int] | None = None
    for cut in range(1, len(token) - 1):
        head, tail = token[:cut], token[cut:]
        if not head[-1].isalpha() or not tail[0].isalpha():
            continue
        bare_tail = _POSSESSIVE.sub("", tail)  # "Thisyear's"
        if tail[0].isupper():
            if not (head[-1].islower() or head.isupper() and tail[1:2].islower()):
                continue
            if not _case_cut_ok(head, tail, article_words):
                continue
            # "inWashington", and "USPresident" before "USP|resident"
            at_case_change = head[-1].islower() or (
                len(head) >= 2 and head.isupper() and len(bare_tail) >= 4 and zipf(bare_tail.lower()) >= KNOWN_PART_ZIPF
            )
            bonus = CASE_CUT_BONUS if at_case_change else 0.0
            score = bonus + _part_score(head, article_words) + _part_score(tail, article_words)
        elif not bare_tail.isalpha():
            continue
        elif _tail_cut_ok(head, bare_tail, article_words):
            head_score = _part_score(head, article_words, actor_names=False)
            # A cut after a known head beats every cut after an unknown one;
            # after an unknown head (a rare name) the longest common tail
            # wins: "Slinker|almost", not "Slinkeral|most".
            known = head_score >= KNOWN_PART_ZIPF or head in article_words or head.isupper() or bool(_POSSESSIVE.search(head))
            score = KNOWN_HEAD_BONUS + head_score + zipf(bare_tail) if known else zipf(bare_tail) + len(bare_tail)
        else:
            continue
        if best is None or score > best[0]:
            best = (score, cut)
    return best[1] if best else None


def _hyphenated_split(token: str, article_words: Container[str]) -> int | None:
    first = token.split("-", 1)[0]
    cut = glued_split(first, article_words)
    if cut is not None:
        return cut
    head, last = token.rsplit("-", 1)
    if last in article_words or not last.isalpha():
        return None
    if not last.islower():
        cut = glued_split(last, article_words)
        return None if cut is None else len(head) + 1 + cut
    best: tuple[float, int] | None = None
    last_known = _is_known_token(last, article_words)
    for cut in range(1, len(last) - 1):
        part, tail = last[:cut], last[cut:]
        if zipf(tail) < _tail_zipf_needed(tail):
            continue
        # "Al-Sadris" after "Al-Sadr"; "Vietnamese-ledforces" when "ledforces"
        # is no word but "led" is.
        seen = f"{head}-{part}" in article_words
        if not seen and (last_known or zipf(part) < (SHORT_HEAD_ZIPF if len(part) <= 3 else KNOWN_PART_ZIPF)):
            continue
        score = (KNOWN_HEAD_BONUS if seen else 0.0) + zipf(part) + zipf(tail)
        if best is None or score > best[0]:
            best = (score, len(head) + 1 + cut)
    return best[1] if best else None


def _stem(token: str) -> str:
    """A token less a possessive or plural ending: "Hillblazers" and
    "Hillblazer" are the same word used twice."""
    return _POSSESSIVE.sub("", token).removesuffix("s")


@dataclass(frozen=True, slots=True)
class _WordsBut(Container[str]):
    """The article's words less the token being judged (which must not vouch
    for itself), without copying the set for every token."""

    words: frozenset[str]
    left_out: str

    def __contains__(self, word: object) -> bool:
        return word != self.left_out and word in self.words


def _inside(spans: list[tuple[int, int]], offset: int) -> bool:
    """Whether ``offset`` lies in one of the sorted, disjoint ``spans``."""
    i = bisect.bisect_right(spans, (offset, math.inf)) - 1
    return i >= 0 and offset < spans[i][1]


def glued_word_edits(raw: str) -> list[Edit]:
    """Insert the missing space into glued tokens; the raw characters all stay.
    A token without an inner capital that the article uses twice is a word
    (a coined word or a rare name, not glue); hashtags and handles are
    written run together on purpose."""
    long_runs = [m.span() for m in _LONG_RUN.finditer(raw)]
    # Tokens between the long runs only (a run starts and ends at whitespace
    # or the text's edge, so no token straddles one).
    gaps = itertools.pairwise([0, *itertools.chain.from_iterable(long_runs), len(raw)])
    tokens = [m for start, end in itertools.islice(gaps, 0, None, 2) for m in _WORD.finditer(raw, start, end)]
    counts = Counter(m.group() for m in tokens)
    stems = Counter(_stem(m.group()) for m in tokens)
    article_words = frozenset(counts) | {_POSSESSIVE.sub("", w) for w in counts}
    edits = [Edit(m.end(), m.end(), " ", "glued-quote") for m in _GLUED_CLOSER.finditer(raw)]
    edits += [
        # At the run's end: a point no other edit (an NFC cluster) can straddle.
        Edit(end, end, "", "glued-words-skipped", f"{end - start:,} characters without a space (over {MAX_REPAIR_RUN}): not prose, not split")
        for start, end in long_runs
    ]
    for m in tokens:
        token = m.group()
        if raw[m.start() - 1 : m.start()] in ("#", "@"):
            continue
        cut = glued_split(token, _WordsBut(article_words, token))
        if cut is not None and stems[_stem(token)] > 1 and not _inner_capital_cuts(token):
            # Used twice: a coined word or a rare name, unless the article
            # also uses the head on its own and the tail is a common word
            # (the same linked phrase glued twice: "Ruritaniagovernment").
            head, tail = token[:cut].rstrip(), token[cut:]
            if head not in article_words or zipf(tail.lower()) < REPEATED_TAIL_ZIPF:
                cut = None
        if cut is not None:
            edits.append(Edit(m.start() + cut, m.start() + cut, " ", "glued-words"))
    for m in _GLUED_ABBREVIATION.finditer(raw):
        if _inside(long_runs, m.start()):
            continue
        head = m.group(1)
        needed = SHORT_HEAD_ZIPF if len(head) <= 3 else KNOWN_PART_ZIPF
        if _part_score(head, article_words) >= needed and not any(e.raw_start == m.end() for e in edits):
            edits.append(Edit(m.end(), m.end(), " ", "glued-words"))
    return edits


@dataclass(frozen=True, slots=True)
class ZoneCue:
    zone: Zone
    anchored: bool  # must open the line (after an opening bracket)
    pattern: re.Pattern[str]


@lru_cache(maxsize=1)
def zone_cues() -> tuple[ZoneCue, ...]:
    """The credit and boilerplate cues of ``data/repair/zone_cues.tsv``."""
    cues = []
    for line in (_DATA / "repair" / "zone_cues.tsv").read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        zone, where, pattern = line.split("\t")[:3]
        cues.append(ZoneCue(zone, where == "start", re.compile(pattern, re.IGNORECASE)))  # type: ignore[arg-type]
    return tuple(cues)


# A photo credit in the wire style: capitalized names joined by slashes
# ("Agency/First Last/Pool"), maybe "via AGENCY" and a bracket, ending the line.
_NAME = r"[A-Z][\w.'\u2019&-]*"
_NAMES = rf"{_NAME}(?:[ \t]+{_NAME})*"
_SLASH_CREDIT = re.compile(rf"{_NAMES}(?:[ \t]*/[ \t]*{_NAMES})+/?(?:[ \t]+via[ \t]+{_NAMES})?(?:[ \t]*\([^()\n]*\))?[ \t]*$")
# A sentence end inside a line, where a trailing credit may begin.
_SENTENCE_END = re.compile(r"[.!?][\u201d\"')\]]?[ \t]+")
# The wire-photo caption idiom: "... in <place>, <Month> <day>, <year>."
_DATED_CAPTION = re.compile(
    r",\s+(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\.?\s+\d{1,2},\s+\d{4}\.?$"
)
MAX_CREDIT_WORDS = 15
# A dated line shorter than this is a dateline, not a caption.
MIN_CAPTION_WORDS = 8


def _stripped(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def _cue_zone(line: str) -> Zone | None:
    """The zone an anchored cue gives a whole line ("(With information
    from ...)", "© ..."), or None."""
    opened = line.lstrip("([ ")
    for cue in zone_cues():
        if cue.anchored and cue.pattern.match(opened):
            return cue.zone
    return None


def _trailing_credit(line: str) -> int | None:
    """Where a photo credit that closes ``line`` begins (0 for a whole-line
    credit), or None. A credit is short, begins the line or follows a
    sentence end, and is a slash credit or holds a credit cue without reading
    as a sentence (no final period)."""
    starts = [0] + [m.end() for m in _SENTENCE_END.finditer(line)]
    for start in starts:
        tail = line[start:].strip()
        if not tail or len(tail.split()) > MAX_CREDIT_WORDS:
            continue
        if _SLASH_CREDIT.fullmatch(tail):
            return start
        cued = any(not c.anchored and c.zone == "credit" and c.pattern.search(tail) for c in zone_cues())
        if cued and not tail.endswith("."):
            return start
    return None


def _line_zones(text: str, start: int, end: int, glue_points: list[int]) -> list[Paragraph]:
    """Zones of one body line: boilerplate, credit, a caption with its
    credit, or body."""
    line = text[start:end]
    zone = _cue_zone(line)
    if zone == "boilerplate":
        return [Paragraph(start, end, "boilerplate")]
    if zone == "credit":
        # A credit line runs until the first place where markup was stripped
        # ("© AgencyName<caption>"); what follows is the picture's caption.
        cut = next((g for g in glue_points if start < g < end), None)
        if cut is None:
            return [Paragraph(start, end, "credit")]
        rest = _stripped(text, cut, end)
        return [Paragraph(*_stripped(text, start, cut), "credit"), Paragraph(*rest, "caption")]
    credit = _trailing_credit(line)
    if credit is not None:
        if credit == 0:
            return [Paragraph(start, end, "credit")]
        caption = _stripped(text, start, start + credit)
        return [Paragraph(*caption, "caption"), Paragraph(*_stripped(text, start + credit, end), "credit")]
    if _DATED_CAPTION.search(line) and len(line.split()) >= MIN_CAPTION_WORDS:
        return [Paragraph(start, end, "caption")]
    return [Paragraph(start, end, "body")]


def split_paragraphs(text: str, has_title: bool, glue_points: Iterable[int] = ()) -> tuple[Paragraph, ...]:
    """Each non-blank line is a paragraph (a caption line may be split from
    the credit that closes it); the first is the title when the document has
    one; the others are labelled body, caption, credit or boilerplate.
    ``glue_points`` are the cleaned offsets where glued words were split."""
    points = sorted(glue_points)
    paragraphs: list[Paragraph] = []
    for m in re.finditer(r"[^\n]+", text):
        start, end = _stripped(text, m.start(), m.end())
        if start == end:
            continue
        if has_title and not paragraphs:
            paragraphs.append(Paragraph(start, end, "title"))
        else:
            paragraphs.extend(_line_zones(text, start, end, points))
    return tuple(paragraphs)


def clean(doc: RawDocument) -> CleanText:
    edits = normalization_edits(doc.raw_text) + glued_word_edits(doc.raw_text)
    text, raw_map, repairs = apply_edits(doc.raw_text, edits)
    glue_points = [r.start for r in repairs if r.kind == "glued-words"]
    return CleanText(text, raw_map, repairs, split_paragraphs(text, doc.title is not None, glue_points))
