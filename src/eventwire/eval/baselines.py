"""The cheap baseline event coder that ``eventwire eval events`` scores beside
eventwire: the first verb whose lemma is in a keyword table
(``baseline_keywords.tsv``: lemma, PLOVER type, CAMEO code), with the first
and the next different country named in the text as source and target.

Country words come from the Phoenix country actor dictionary
(``parse_country_words``); ``eventwire eval actors`` uses them for its
baseline too.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from spacy.tokens import Doc

from .datasets import KEYWORDS_FILE, PACKAGE_DATA, PACKAGE_EVAL
from .scoring import PredEvent

COUNTRIES_FILE = PACKAGE_DATA / "phoenix" / "Phoenix.Countries.actors.txt"


@dataclass(frozen=True, slots=True)
class KeywordRule:
    plover: str
    cameo: str


def load_keywords(path: Path = PACKAGE_EVAL / KEYWORDS_FILE) -> dict[str, KeywordRule]:
    table: dict[str, KeywordRule] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith(("#", "lemma\t")):
            continue
        lemma, plover, cameo = line.split("\t")[:3]
        table[lemma.strip().lower()] = KeywordRule(plover.strip(), cameo.strip())
    return table


def parse_country_words(lines: Iterable[str]) -> dict[tuple[str, ...], str]:
    """Country-level entries of a TABARI actor dictionary: a ``NAME_ [XXX]``
    line with a bare three-letter code, followed by ``+SYNONYM_`` lines
    (adjectives, capitals, spelling variants). Keys are lowercase word tuples."""
    words: dict[tuple[str, ...], str] = {}
    code: str | None = None
    for raw in lines:
        line = raw.split("#", 1)[0].strip()
        if not line:
            continue
        if line.startswith("+"):
            if code:
                words.setdefault(_actor_words(line[1:]), code)
            continue
        if line.startswith("["):
            continue
        code = None
        if "[" in line:
            name, _, rest = line.partition("[")
            entry_code = rest.split("]", 1)[0].strip()
            if len(entry_code) == 3 and entry_code.isalpha():
                code = entry_code.upper()
                words.setdefault(_actor_words(name), code)
    words.pop((), None)
    return words


def _actor_words(name: str) -> tuple[str, ...]:
    return tuple(w for w in name.strip().lower().split("_") if w)


@lru_cache(maxsize=1)
def country_words() -> dict[tuple[str, ...], str]:
    with COUNTRIES_FILE.open(encoding="utf-8", errors="replace") as handle:
        return parse_country_words(handle)


def find_countries(words: Sequence[str], table: dict[tuple[str, ...], str], longest: int = 4) -> list[str]:
    """Country codes named in a word sequence, in order, longest match first.
    A name must start with a capital: the dictionary is all caps, and "us"
    the pronoun is not "US" the country."""
    lowered = [w.lower() for w in words]
    found: list[str] = []
    i = 0
    while i < len(lowered):
        if not words[i][:1].isupper():
            i += 1
            continue
        for n in range(min(longest, len(lowered) - i), 0, -1):
            code = table.get(tuple(lowered[i : i + n]))
            if code:
                found.append(code)
                i += n
                break
        else:
            i += 1
    return found


def baseline_events(
    doc: Doc, keywords: dict[str, KeywordRule], countries: dict[tuple[str, ...], str], scheme: str
) -> list[PredEvent]:
    """At most one event per text: the first verb whose lemma is in the keyword
    table; source = the first country named, target = the next different one."""
    rule = next(
        (keywords[t.lemma_.lower()] for t in doc if t.pos_ == "VERB" and t.lemma_.lower() in keywords),
        None,
    )
    if rule is None:
        return []
    named: list[str] = []
    for code in find_countries([t.text for t in doc], countries):
        if code not in named:
            named.append(code)
    code = rule.plover if scheme == "plover" else rule.cameo
    return [PredEvent(code, named[0] if named else None, named[1] if len(named) > 1 else None)]
