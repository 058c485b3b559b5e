"""Clean raw article text, keeping an exact map back to the raw characters.

Every change is an ``Edit`` of a raw span; ``apply_edits`` builds the cleaned
text together with the unchanged ``Segment``s and the ``Repair`` records, so any
cleaned offset maps back to the raw text (``model.clean_to_raw``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from wordfreq import zipf_frequency

from .model import Paragraph, RawDocument, Repair, Segment, Zone


@dataclass(frozen=True, slots=True)
class Edit:
    raw_start: int
    raw_end: int
    replacement: str
    kind: str


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


def normalization_edits(raw: str) -> list[Edit]:
    """Line endings, odd spaces and invisible characters."""
    edits = [Edit(m.start(), m.end(), "\n", "newline") for m in _CRLF.finditer(raw)]
    edits += [Edit(m.start(), m.end(), " ", "space") for m in _ODD_SPACE.finditer(raw)]
    edits += [Edit(m.start(), m.end(), "", "invisible") for m in _INVISIBLE.finditer(raw)]
    return edits


# Words glued where a link or markup was stripped ("Franceand", "MerkelMacron").
_WORD = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)*")
# A closing mark glued to the next word: `with you”Merkel said`.
_GLUED_CLOSER = re.compile(r"(?<=[^\W\d_.,!?])[\u201d\u00bb](?=[^\W\d_])")
MIN_GLUED_LENGTH = 6
# Thresholds on wordfreq's Zipf scale (log10 of frequency per billion words).
KNOWN_WORD_ZIPF = 1.5  # below this the whole token is not a word of English
COMMON_TAIL_ZIPF = 3.5  # a glued-on tail of four letters or more is a common word
FUNCTION_TAIL_ZIPF = 5.0  # a short tail ("in", "is", "and") must be very common


@lru_cache(maxsize=65536)
def _zipf(word: str) -> float:
    return float(zipf_frequency(word, "en"))


def _is_name(part: str, article_words: set[str]) -> bool:
    return part[:1].isupper() and (part in article_words or _zipf(part.lower()) >= COMMON_TAIL_ZIPF)


def glued_split(token: str, article_words: set[str]) -> int | None:
    """Where to split a token made of two words stuck together, or None.

    Only tokens that are not words themselves (wordfreq) are split, so real
    words and rare names that the frequency lists or the article know stay
    whole. A split needs a capitalized head that the article uses on its own
    (or a common capitalized word) and a tail that is a common word, or two
    capitalized words run together ("UnknownBelarus").
    """
    if len(token) < MIN_GLUED_LENGTH or token in article_words:
        return None
    # wordfreq scores a hyphenated token by its parts, so such a token is only
    # split after a head that the article itself uses on its own ("Jong-un").
    hyphenated = "-" in token
    if not hyphenated and _zipf(token.lower()) >= KNOWN_WORD_ZIPF:
        return None
    for cut in range(len(token) - 2, 2, -1):
        head, tail = token[:cut], token[cut:]
        if not head[-1].isalpha():
            continue
        if tail[0].isupper():
            if head[-1].islower() and len(tail) >= 3 and _is_name(head, article_words) and (
                tail in article_words or _zipf(tail.lower()) >= COMMON_TAIL_ZIPF
            ):
                return cut
            continue
        if not tail.isalpha() or not tail.islower():
            continue
        needed = FUNCTION_TAIL_ZIPF if len(tail) <= 3 else COMMON_TAIL_ZIPF
        if _zipf(tail) < needed:
            continue
        if head in article_words:
            return cut
        # An unknown capitalized head needs a long, common tail ("...refugee").
        if not hyphenated and len(head) >= 4 and len(tail) >= 5 and head[0].isupper() and head[-1].islower():
            return cut
    return None


def glued_word_edits(raw: str) -> list[Edit]:
    """Insert the missing space into glued tokens; the raw characters all stay."""
    words = [m.group() for m in _WORD.finditer(raw)]
    article_words = set(words)
    edits = [Edit(m.end(), m.end(), " ", "glued-quote") for m in _GLUED_CLOSER.finditer(raw)]
    for m in _WORD.finditer(raw):
        cut = glued_split(m.group(), article_words - {m.group()})
        if cut is not None:
            edits.append(Edit(m.start() + cut, m.start() + cut, " ", "glued-words"))
    return edits


def split_paragraphs(text: str, has_title: bool) -> tuple[Paragraph, ...]:
    """Each non-blank line is a paragraph; the first is the title when the
    document has one."""
    paragraphs: list[Paragraph] = []
    for m in re.finditer(r"[^\n]+", text):
        start, end = m.start(), m.end()
        stripped = m.group().strip()
        if not stripped:
            continue
        start += len(m.group()) - len(m.group().lstrip())
        end -= len(m.group()) - len(m.group().rstrip())
        zone: Zone = "title" if has_title and not paragraphs else "body"
        paragraphs.append(Paragraph(start, end, zone))
    return tuple(paragraphs)


def clean(doc: RawDocument) -> CleanText:
    edits = normalization_edits(doc.raw_text) + glued_word_edits(doc.raw_text)
    text, raw_map, repairs = apply_edits(doc.raw_text, edits)
    return CleanText(text, raw_map, repairs, split_paragraphs(text, doc.title is not None))
