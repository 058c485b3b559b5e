"""Romanization-independent name keys, shared by the extraction (corpus memory
looks learned roles up by them) and the corpus (cross-document identity).

Names are folded to keys that ignore case, diacritics and the spelling
differences between romanization systems (the rules are data:
``data/identity/transliteration.tsv``): "Zelensky", "Zelenskyy" and
"Zelenskiy" all give "zelensk".
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from difflib import SequenceMatcher
from functools import lru_cache
from importlib import resources

# Possessive endings and punctuation are not part of a name.
_POSSESSIVE = re.compile(r"['’]s\b", re.IGNORECASE)
_NON_LETTER = re.compile(r"[^a-z0-9 ]+")
# How alike two given-name keys must be to count as one name in two
# romanizations (difflib ratio: "aleksander"/"aliaksandr" 0.80 and
# "vladimir"/"volodimir" 0.82 are one name; "aleksander"/"aleksei" 0.71 two).
GIVEN_NAME_SIMILARITY = 0.75
# Words whose keys are kept: the same names come back in every article, and
# rewriting a word letter group by letter group is the costly part.
WORD_KEY_MEMO = 1 << 14


@dataclass(frozen=True, slots=True)
class FoldingRules:
    letters: dict[str, str]
    # Letter groups, longest first, so "shch" is rewritten before "sh".
    groups: tuple[tuple[str, str], ...]
    endings: tuple[tuple[str, str], ...]


@lru_cache(maxsize=1)
def folding_rules() -> FoldingRules:
    letters: dict[str, str] = {}
    groups: list[tuple[str, str]] = []
    endings: list[tuple[str, str]] = []
    text = resources.files("eventwire.data").joinpath("identity/transliteration.tsv").read_text("utf-8")
    for line in text.splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        kind, source, target = (line.split("\t") + ["", ""])[:3]
        if kind == "letter":
            letters[source] = target
        elif kind == "group":
            groups.append((source, target))
        elif kind == "ending":
            endings.append((source, target))
        else:
            raise ValueError(f"transliteration.tsv: unknown row kind {kind!r}")
    groups.sort(key=lambda g: -len(g[0]))
    return FoldingRules(letters, tuple(groups), tuple(endings))


def fold(text: str) -> str:
    """Lower-case ASCII letters, digits and single spaces: "Łódź Wałęsa" -> "lodz walesa"."""
    rules = folding_rules()
    lowered = _POSSESSIVE.sub("", text).lower()
    lowered = "".join(rules.letters.get(ch, ch) for ch in lowered)
    decomposed = unicodedata.normalize("NFKD", lowered)
    ascii_only = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(_NON_LETTER.sub(" ", ascii_only.replace("-", " ")).split())


def _rewrite_groups(word: str, groups: tuple[tuple[str, str], ...]) -> str:
    out: list[str] = []
    i = 0
    while i < len(word):
        for source, target in groups:
            if word.startswith(source, i):
                out.append(target)
                i += len(source)
                break
        else:
            out.append(word[i])
            i += 1
    return "".join(out)


def _collapse_doubles(word: str) -> str:
    return re.sub(r"(.)\1+", r"\1", word)


@lru_cache(maxsize=WORD_KEY_MEMO)
def word_key(word: str, *, strip_ending: bool = True) -> str:
    """The romanization-independent key of one folded word:
    "zelensky", "zelenskyy" and "zelenskiy" all give "zelensk"."""
    rules = folding_rules()
    key = _collapse_doubles(_rewrite_groups(word, rules.groups))
    if not strip_ending:
        return key
    for source, target in rules.endings:
        # Only words long enough to keep a stem lose their ending.
        if key.endswith(source) and len(key) - len(source) >= 3:
            return key[: len(key) - len(source)] + target
    return key


def name_key(name: str) -> str:
    return " ".join(word_key(w) for w in fold(name).split())


def person_keys(name: str) -> tuple[str, str]:
    """(surname key, given-name key) of a person's name; the given name keeps
    its ending ("aleksei" and "aleksander" differ there) and is "" for a
    one-word name."""
    folded = fold(name).split()
    if not folded:
        return "", ""
    surname = word_key(folded[-1])
    given = word_key(folded[0], strip_ending=False) if len(folded) > 1 else ""
    return surname, given


def given_names_agree(a: str, b: str) -> bool:
    """Given names agree when equal, when one is missing, or when one is the
    other's initial ("a" and "aleksandr")."""
    if not a or not b:
        return True
    if a == b or (len(a) == 1 and b.startswith(a)) or (len(b) == 1 and a.startswith(b)):
        return True
    # Romanizations of one given name ("aleksander", "aliaksandr") keep its
    # first letter and most of its letters in order.
    return a[0] == b[0] and SequenceMatcher(None, a, b).ratio() >= GIVEN_NAME_SIMILARITY
