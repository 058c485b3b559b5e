"""Actors: named entities resolved to canonical actors with CAMEO-style codes.

Knowledge comes from data files only:

* ``data/phoenix/*.actors.txt`` — the Phoenix/PETRARCH2 actor dictionaries (named
  actors with date-restricted roles, countries with their synonyms, IGOs, non-state
  armed groups);
* ``data/actors/nonstate_since_2018.actors.txt`` — groups, paramilitaries, parties
  and movements active since 2018, each with its public source;
* ``data/phoenix/Phoenix.agents.txt`` plus ``data/actors/agents_extra.txt`` — generic
  agents ("president", "police") mapped to sector codes such as ``~GOV``;
* ``data/actors/capitals.tsv`` — capitals and seats of government as metonyms;
* pycountry — country names missing from Phoenix.

The shipped dictionaries are parsed once per process (``lexicon()``, cached)
and reach the stage through ``Context.tables`` (``extract/tables.py``): every
function here that reads a dictionary takes the ``Lexicon`` as its first
argument, so an extraction with other tables never reads these.
"""

from __future__ import annotations

import csv
import itertools
import re
from bisect import bisect_right
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, replace
from datetime import date
from functools import cache, lru_cache
from importlib import resources
from typing import TYPE_CHECKING, TypeVar

from spacy.attrs import POS
from spacy.symbols import NOUN
from spacy.tokens import Doc, Span, Token

from ..model import Entity, EntityType, Mention
from .context import SKIPPED_ZONES, doc_text, sentences, token_texts, tokens_where
from .memory import remembered_role
from .names import given_names_agree, person_keys
from .published import dateline_place
from .repair import MAX_GLUED_LENGTH, zipf
from .trace import Antecedent
from .words import cue_verb_rows, word_list, word_map, word_set

if TYPE_CHECKING:
    from .context import Context

ENTITY_TYPES: frozenset[str] = frozenset({"PERSON", "GPE", "ORG", "FAC", "LOC", "NORP"})
# (folder under data/, file): the Phoenix dictionaries, then eventwire's table of
# groups active since 2018 (read last, so Phoenix's own entries win).
ACTOR_FILES = (
    ("phoenix", "Phoenix.Countries.actors.txt"),
    ("phoenix", "Phoenix.International.actors.txt"),
    ("phoenix", "Phoenix.MilNonState.actors.txt"),
    ("actors", "nonstate_since_2018.actors.txt"),
)
# Prepositions that place a group somewhere ("refugees in X", "students throughout X").
PLACE_PREPOSITIONS = word_set("prepositions", "place")
PRONOUN_GENDER: dict[str, str] = word_map("pronouns", "person_gender")
PERSON_PRONOUNS = frozenset(PRONOUN_GENDER)
REFLEXIVES = word_set("pronouns", "reflexives")
# Prefixes of stance ("pro-Russia rebels"): the word after them is not the group's country.
STANCE_PREFIXES = tuple(word_list("names", "stance_prefixes"))
# Lemmas of speech verbs (data/quotes/cue_verbs.txt): their subject speaks a quotation.
SPEECH_VERBS = frozenset(row[0] for row in cue_verb_rows())
# An honorific or gendered noun beside a name outweighs pronouns counted near it.
GENDER_WORD_WEIGHT = 3
# Dependency labels that keep a modifier inside the noun phrase of its head.
NP_MODIFIER_DEPS = frozenset({"compound", "amod", "nmod", "poss", "det", "nummod", "case", "punct"})
MAX_AGENT_WORDS = 6
# How many sentences back a pronoun looks for its antecedent (quotes can be long).
PRONOUN_SENTENCES = 8
BRACKETED = re.compile(r"\[([^\]]*)\]")
# A glued word ("Smithsaid") is split only when its tail is a common English word.
GLUE_MIN_ZIPF = 4.5
GLUED_MAX_ZIPF = 3.0


# ----------------------------------------------------------------------------------------
# Dictionaries


@dataclass(frozen=True, slots=True)
class Role:
    """One code line of a dictionary entry, valid in ``[start, end)`` (None = open)."""

    code: str
    start: date | None = None
    end: date | None = None

    @property
    def dated(self) -> bool:
        return self.start is not None or self.end is not None

    def valid_on(self, day: date) -> bool:
        return (self.start is None or self.start <= day) and (self.end is None or day < self.end)


@dataclass(frozen=True, slots=True)
class Lexicon:
    """All actor knowledge, keyed by normalised names (see ``name_key``)."""

    actors: dict[str, tuple[Role, ...]]
    countries: dict[str, str]  # name, adjective or demonym -> country code
    country_codes: frozenset[str]
    agents: dict[str, str]  # generic noun phrase -> agent code ("~GOV", "IGO~")
    metonyms: dict[str, str]  # capital or seat -> code ("BLRGOV")
    surnames: dict[str, tuple[str, ...]]  # last word of a person name -> full-name keys
    country_names: dict[str, tuple[str, ...]]  # country code -> its own names (no cities)
    # Peoples placed in one country ("YORUBA" -> NGA, in ``countries`` too): typed NORP.
    peoples: frozenset[str] = frozenset()
    # ``surname_deletions`` of this lexicon, filled on first use (a memo of
    # this object, not a table: it never changes what the lexicon codes).
    _surname_forms: dict[str, tuple[str, ...]] = field(default_factory=dict, init=False, repr=False, compare=False)
    _romanized_surnames: dict[str, tuple[str, ...]] = field(default_factory=dict, init=False, repr=False, compare=False)


@lru_cache(maxsize=1 << 17)
def name_key(name: str) -> str:
    """A name in the shape of dictionary keys: "John F. Kennedy" -> "JOHN F KENNEDY".
    Cached: the same few thousand strings are keyed over and over."""
    key = " ".join(name.upper().replace("\u2019", "'").replace("_", " ").replace(".", " ").replace("-", " ").split())
    key = key.removeprefix("THE ")
    return key


PARENTHESISED = re.compile(r"\s*\(([^)]*)\)\s*")
# A parenthesised word this common in English is a qualifier, not an acronym.
ACRONYM_MAX_ZIPF = 3.5
ACRONYM_MAX_LETTERS = 6
# Words left out of initialisms ("National Patriotic Front of Liberia" -> NPFL).
INITIALISM_SKIP = word_set("names", "initialism_skip")
MIN_INITIALISM_WORDS = 3


def name_variants(name: str) -> list[str]:
    """Keys of a dictionary name: "LIBERATION_TIGERS_OF_TAMIL_EELAM_(LTTE)" gives the
    name without its parenthesis and the acronym inside it."""
    inner = PARENTHESISED.findall(name)
    # Only an acronym inside the parenthesis names the actor; a word or a place
    # there is a qualifier ("GEORGIA_(COUNTRY)_", "..._(COLOMBIA)_") and must not
    # become a key ("country" coded as Georgia).
    keys = [name_key(PARENTHESISED.sub(" ", name)), *(name_key(i) for i in inner if is_acronym(i))]
    return [k for k in dict.fromkeys(keys) if k]


def is_acronym(word: str) -> bool:
    """A short single word of letters that is no common English word: "LTTE", "PRC"."""
    return word.isalpha() and len(word) <= ACRONYM_MAX_LETTERS and zipf(word.lower()) < ACRONYM_MAX_ZIPF


def initialism(key: str) -> str | None:
    """The initials of a name of three or more content words, "PEOPLE'S REPUBLIC OF
    CHINA" -> "PRC"; None for shorter names."""
    words = [w for w in key.split() if w not in INITIALISM_SKIP and w[:1].isalpha()]
    if len(words) < MIN_INITIALISM_WORDS or len(words) > 6:
        return None
    return "".join(w[0] for w in words)


def parse_yymmdd(text: str) -> date | None:
    """TABARI dates: YYMMDD (00-30 -> 20YY, else 19YY) or YYYYMMDD; None if invalid."""
    text = text.strip()
    if not text.isdigit():
        return None
    try:
        if len(text) == 6:
            year = int(text[:2])
            return date(2000 + year if year <= 30 else 1900 + year, int(text[2:4]), int(text[4:6]))
        if len(text) == 8:
            return date(int(text[:4]), int(text[4:6]), int(text[6:8]))
    except ValueError:
        return None
    return None


@cache
def parse_role(bracketed: str) -> Role | None:
    """``BLRGOV``, ``BLRGOV >940720``, ``BLRGOV <940720`` or ``BLRGOV 940101-950101``."""
    parts = bracketed.split()
    if not parts:
        return None
    code = parts[0]
    if len(parts) == 1:
        return Role(code)
    restriction = "".join(parts[1:])
    if restriction[0] == ">":
        start = parse_yymmdd(restriction[1:])
        return Role(code, start=start) if start else None
    if restriction[0] == "<":
        end = parse_yymmdd(restriction[1:])
        return Role(code, end=end) if end else None
    first, _, second = restriction.partition("-")
    start, end = parse_yymmdd(first), parse_yymmdd(second)
    if start is None or end is None:
        return None
    return Role(code, start=start, end=end)


def parse_actor_lines(lines: Iterable[str]) -> Iterator[tuple[list[str], list[Role]]]:
    """(names, roles) entries of a Phoenix .actors file.

    As in PETRARCH's reader, a primary name without a code joins the names of the
    next coded entry, ``+`` lines are synonyms, and indented ``[...]`` lines add roles.
    """
    names: list[str] = []
    roles: list[Role] = []
    for raw_line in lines:
        line = raw_line.split("#", 1)[0]
        stripped = line.strip()
        if not stripped:
            continue
        name_part = stripped.split("[", 1)[0].strip()
        found = [r for r in map(parse_role, BRACKETED.findall(stripped)) if r] if "[" in stripped else []
        if stripped.startswith("["):
            roles.extend(found)
            continue
        if stripped.startswith("+"):
            names.append(name_part[1:])
            roles.extend(found)
            continue
        if roles:
            yield names, roles
            names, roles = [], []
        names.append(name_part)
        roles.extend(found)
    if names and roles:
        yield names, roles


def regular_plural(noun: str) -> str:
    if noun.endswith("Y") and not noun.endswith(("AY", "EY", "OY")):
        return noun[:-1] + "IES"
    if noun.endswith(("S", "SH", "CH", "X")):
        return noun + "ES"
    return noun + "S"


def parse_agent_lines(lines: Iterable[str]) -> dict[str, str]:
    """Agent phrase -> code, with ``!SET!`` substitutions and plurals expanded."""
    substitutions: dict[str, list[str]] = {}
    agents: dict[str, str] = {}
    for raw_line in lines:
        line = raw_line.split("#", 1)[0].strip()
        if not line:
            continue
        if "=" in line and line.startswith("!"):
            marker, _, values = line.partition("=")
            substitutions[marker.strip().strip("!")] = [v.strip() for v in values.split(",") if v.strip()]
            continue
        if "[" not in line:
            continue
        phrase, _, rest = line.partition("[")
        code = rest.partition("]")[0].strip()
        phrase = phrase.strip()
        forms: list[str]
        if "!" in phrase:
            head, _, tail = phrase.partition("!")
            marker, _, after = tail.partition("!")
            forms = [head + value + after for value in substitutions.get(marker, [])]
        elif "{" in phrase:
            singular, _, plural = phrase.partition("{")
            forms = [singular, plural.partition("}")[0]]
        else:
            forms = [phrase, regular_plural(phrase.rstrip("_ "))]
        for form in forms:
            key = name_key(form)
            if key:
                agents.setdefault(key, code)
    return agents


def _data_lines(*parts: str) -> list[str]:
    path = resources.files("eventwire").joinpath("data", *parts)
    return path.read_bytes().decode("utf-8", errors="replace").splitlines()


def is_country_code(code: str) -> bool:
    return len(code) == 3 and code.isalpha() and code.isupper()


@lru_cache(maxsize=1)
def lexicon() -> Lexicon:
    """The shipped dictionaries, parsed once per process: what
    ``tables.default_tables()`` codes with. No stage calls it; they read
    ``ctx.tables.lexicon``."""
    actors: dict[str, tuple[Role, ...]] = {}
    countries: dict[str, str] = {}
    surnames: dict[str, list[str]] = {}
    country_names: dict[str, list[str]] = {}
    initials: dict[str, list[tuple[Role, ...]]] = {}
    for folder, filename in ACTOR_FILES:
        for names, roles in parse_actor_lines(_data_lines(folder, filename)):
            entry = tuple(roles)
            country = country_of_entry(entry) if filename == ACTOR_FILES[0][1] else None
            if filename != ACTOR_FILES[0][1]:
                entry = narrowed_to_named_country(entry, names, countries)
            if country:
                country_names.setdefault(country, []).append(name_key(names[0]))
            for name in names:
                for key in name_variants(name):
                    actors.setdefault(key, entry)
                    if country:
                        countries.setdefault(key, country)
                    elif " " in key and filename == ACTOR_FILES[0][1]:
                        surnames.setdefault(key.rsplit(" ", 1)[1], []).append(key)
            if filename != ACTOR_FILES[0][1] or country:
                # Groups and countries are written by their initials ("NPFL", "PRC").
                for name in names:
                    short = initialism(name_key(name))
                    if short:
                        initials.setdefault(short, []).append(entry)
    for short, entries in initials.items():
        if short not in actors and len(set(entries)) == 1:
            actors[short] = entries[0]
            country = country_of_entry(entries[0])
            if country:
                countries.setdefault(short, country)
    country_codes = frozenset(countries.values())
    _add_pycountry_names(countries, country_codes, country_names)
    peoples = _add_peoples(countries)
    agents = parse_agent_lines(_data_lines("actors", "agents_extra.txt"))
    for key, code in parse_agent_lines(_data_lines("phoenix", "Phoenix.agents.txt")).items():
        agents.setdefault(key, code)
    metonyms = _read_metonyms(countries)
    return Lexicon(
        actors=actors,
        countries=countries,
        country_codes=country_codes,
        agents=agents,
        metonyms=metonyms,
        surnames={k: tuple(dict.fromkeys(v)) for k, v in surnames.items()},
        country_names={k: tuple(dict.fromkeys(v)) for k, v in country_names.items()},
        peoples=peoples,
    )


def _add_peoples(countries: dict[str, str]) -> frozenset[str]:
    """Peoples placed in one country (``data/actors/peoples.tsv``) as country
    words; a word the dictionaries already have keeps its code. Their keys."""
    keys: set[str] = set()
    for line in _data_lines("actors", "peoples.tsv"):
        if not line.strip() or line.startswith("#"):
            continue
        word, code = line.split("\t")[:2]
        key = name_key(word)
        if key not in countries:
            countries[key] = code.strip()
            keys.add(key)
    return frozenset(keys)


# Region prefixes of Phoenix group codes ("AFRREB", "WAFREB"): the group's own name
# often says which country it fights in.
REGION_CODES = frozenset({"AFR", "WAF", "EAF", "SAF", "NAF", "MEA", "SAS", "SEA", "CAS", "LAM", "EEU", "WEU", "EUR", "ASA", "SAM"})


def narrowed_to_named_country(roles: tuple[Role, ...], names: list[str], countries: dict[str, str]) -> tuple[Role, ...]:
    """A group coded by region whose name contains one country word ("National
    Patriotic Front of Liberia" [AFRREB]) is coded by that country (LBRREB)."""
    if not any(r.code[:3] in REGION_CODES for r in roles):
        return roles
    named = {countries[w] for n in names for w in name_key(n).split() if w in countries}
    if len(named) != 1:
        return roles
    country = named.pop()
    return tuple(Role(country + r.code[3:], r.start, r.end) if r.code[:3] in REGION_CODES else r for r in roles)


def country_of_entry(roles: tuple[Role, ...]) -> str | None:
    """The current country code of a country entry (its open-ended 3-letter code)."""
    code = code_on(roles, None)
    return code if code and is_country_code(code) else None


def _add_pycountry_names(
    countries: dict[str, str], known: frozenset[str], country_names: dict[str, list[str]]
) -> None:
    """ISO names Phoenix lacks, for countries whose ISO code is also the CAMEO code."""
    import pycountry

    for country in pycountry.countries:
        if country.alpha_3 not in known:
            continue
        for attr in ("name", "official_name", "common_name"):
            value = getattr(country, attr, None)
            if value:
                countries.setdefault(name_key(value), country.alpha_3)
                country_names.setdefault(country.alpha_3, []).append(name_key(value))


def _read_metonyms(countries: dict[str, str]) -> dict[str, str]:
    rows = [line for line in _data_lines("actors", "capitals.tsv") if line and not line.startswith("#")]
    metonyms: dict[str, str] = {}
    for row in csv.DictReader(rows, delimiter="\t", quoting=csv.QUOTE_NONE):
        country = countries.get(name_key(row["country"]), row["iso3"])
        metonyms.setdefault(name_key(row["name"]), country + row["sector"])
    return metonyms


def code_on(roles: tuple[Role, ...], day: date | None) -> str | None:
    """The code valid on ``day``.

    A dated role valid on the day wins (the latest-starting one when several are);
    otherwise the first undated role is the default. Without a date the open-ended
    (current) role is preferred, then the default, then the latest-ending role.
    """
    dated = [r for r in roles if r.dated]
    default = next((r.code for r in roles if not r.dated), None)
    if day is not None:
        valid = [r for r in dated if r.valid_on(day)]
        if valid:
            return max(valid, key=lambda r: r.start or date.min).code
        return default
    current = [r for r in dated if r.end is None]
    if current:
        return max(current, key=lambda r: r.start or date.min).code
    if default:
        return default
    if dated:
        return max(dated, key=lambda r: r.end or date.max).code
    return None


def combine(country: str | None, agent: str | None) -> str | None:
    """Country (or country-government) code + agent code, as PETRARCH mixes them:
    ("RUS", "~GOV") -> "RUSGOV"; ("RUSGOV", "~GOV") -> "RUSGOV"; (None, "~COP") -> "---COP"."""
    if agent is None:
        return country
    if agent.endswith("~"):
        return agent[:-1] + (country[:3] if country else "")
    sector = agent.lstrip("~")
    base = country or "---"
    if not sector or sector in base[3:]:
        return base
    return base + sector


# ----------------------------------------------------------------------------------------
# Lookups by name


def lookup_name(lex: Lexicon, name: str, published: date | None) -> str | None:
    """A code for a proper name: metonyms, then countries, then dictionary actors."""
    key = name_key(name)
    if not key:
        return None
    if key in lex.metonyms:
        return lex.metonyms[key]
    if key in lex.countries:
        return lex.countries[key]
    if key in lex.actors:
        return code_on(lex.actors[key], published)
    for variant in slash_variants(key):
        if variant in lex.actors:
            return code_on(lex.actors[variant], published)
    return country_of_demonym(lex, key)


def slash_variants(key: str) -> list[str]:
    """"SPLM/A" is the SPLM and the SPLA: each reading of a slashed name."""
    if "/" not in key or " " in key:
        return []
    head, _, tail = key.partition("/")
    if not head or not tail:
        return []
    return [head, head[: -len(tail)] + tail] if len(tail) < len(head) else [head, tail]


def country_of_demonym(lex: Lexicon, key: str) -> str | None:
    """Plural demonyms ("RUSSIANS") and possessives by their singular form."""
    for suffix in ("'S", "S", "ES"):
        if key.endswith(suffix) and key[: -len(suffix)] in lex.countries:
            return lex.countries[key[: -len(suffix)]]
    return None


def country_in_text(lex: Lexicon, text: str) -> str | None:
    """Country-level code (or metonym code) for a word or phrase naming a country."""
    key = name_key(text)
    if key.endswith((" 'S", "'S")):
        key = key[:-2].rstrip(" '")
    return lex.metonyms.get(key) or lex.countries.get(key) or country_of_demonym(lex, key)


def person_code(lex: Lexicon, keys: list[str], known_countries: set[str], published: date | None) -> str | None:
    """Dictionary code for a person: any full name, else an unambiguous surname whose
    only candidate belongs to a country mentioned in the article."""
    for key in keys:
        if key in lex.actors:
            return code_on(lex.actors[key], published)
    for key in keys:
        # Several entries (one person listed twice) must agree on the country.
        codes = [code_on(lex.actors[full], published) for full in spelling_variants_of(lex, key)]
        if codes and all(codes) and len({c[:3] for c in codes if c}) == 1:
            return max(codes, key=lambda c: (codes.count(c), len(c or "")))
    for key in keys:
        # The same person in another romanization; all entries must agree on the country.
        codes = [code_on(lex.actors[full], published) for full in romanized_variants_of(lex, key)]
        if codes and all(codes) and len({c[:3] for c in codes if c}) == 1:
            return max(codes, key=lambda c: (codes.count(c), len(c or "")))
    if any(" " in key for key in keys):
        return None  # a full name the dictionary lacks is not one of its namesakes
    for key in keys:
        candidates = []
        for full in lex.surnames.get(key.rsplit(" ", 1)[-1], ()):
            code = code_on(lex.actors[full], published)
            if code and code[:3] in known_countries:
                candidates.append(code)
        if len(set(candidates)) == 1:
            return candidates[0]
    return None


# Surnames this long may differ from the dictionary's by one letter ("Mitterand").
MIN_FUZZY_SURNAME = 5
# Names of at least this many words may drop or add middle names.
MIN_SUBSEQUENCE_WORDS = 3
# An article's dominant country: named in at least this many of its sentences,
# more than any other, in an article of at least this many sentences.
DOMINANT_MIN_MENTIONS = 2
DOMINANT_MIN_SENTENCES = 3


def deletions(word: str) -> set[str]:
    return {word[:i] + word[i + 1 :] for i in range(len(word))}


def surname_deletions(lex: Lexicon) -> dict[str, tuple[str, ...]]:
    """Long dictionary surnames by each form with one letter deleted (and as they
    are): two words within one edit share a key (symmetric-delete lookup).
    Built once per lexicon and kept on it, whole: one ``dict.update`` from a
    finished dict, so a thread never reads a half-built index."""
    if not lex._surname_forms and lex.surnames:
        index: dict[str, list[str]] = {}
        for surname in lex.surnames:
            if len(surname) >= MIN_FUZZY_SURNAME:
                for form in deletions(surname) | {surname}:
                    index.setdefault(form, []).append(surname)
        lex._surname_forms.update({k: tuple(v) for k, v in index.items()})
    return lex._surname_forms


def one_edit_apart(a: str, b: str) -> bool:
    if abs(len(a) - len(b)) > 1 or a == b:
        return a == b
    if len(a) == len(b):
        diffs = [i for i in range(len(a)) if a[i] != b[i]]
        return len(diffs) == 1 or len(diffs) == 2 and a[diffs[0]] == b[diffs[1]] and a[diffs[1]] == b[diffs[0]]
    short, long_ = sorted((a, b), key=len)
    return any(long_[:i] + long_[i + 1 :] == short for i in range(len(long_)))


def spelling_variants_of(lex: Lexicon, key: str) -> tuple[str, ...]:
    """Dictionary persons a full name spelled differently may be: same first
    name, and a surname one edit away ("FRANCOIS MITTERAND" -> "FRANCOIS
    MITTERRAND") or the same surname with middle names dropped or added ("OMAR
    HASSAN AL BASHIR" -> "OMAR HASSAN AHMAD AL BASHIR")."""
    words = key.split()
    if len(words) < 2:
        return ()
    first, last = words[0], words[-1]
    surnames = {last} if last in lex.surnames else set()
    if len(last) >= MIN_FUZZY_SURNAME:
        index = surname_deletions(lex)
        for form in deletions(last) | {last}:
            surnames.update(s for s in index.get(form, ()) if one_edit_apart(s, last))
    found: dict[tuple[Role, ...], str] = {}
    for surname in surnames:
        for full in lex.surnames.get(surname, ()):
            full_words = full.split()
            if full_words[0] != first:
                continue
            if surname != last and len(full_words) == len(words) or surname == last and min(len(words), len(full_words)) >= MIN_SUBSEQUENCE_WORDS and is_subsequence(words, full_words):
                found.setdefault(lex.actors[full], full)
    return tuple(found.values())


def romanized_surnames(lex: Lexicon) -> dict[str, tuple[str, ...]]:
    """Dictionary persons by the romanization-independent key of their surname
    (``names.person_keys``): "ZELENSKIY" and "Zelensky" share one. Built once
    per lexicon and kept on it, whole, like ``surname_deletions``."""
    if not lex._romanized_surnames and lex.surnames:
        index: dict[str, list[str]] = {}
        for fulls in lex.surnames.values():
            for full in fulls:
                surname, _ = person_keys(full)
                index.setdefault(surname, []).append(full)
        lex._romanized_surnames.update({k: tuple(dict.fromkeys(v)) for k, v in index.items()})
    return lex._romanized_surnames


def romanized_variants_of(lex: Lexicon, key: str) -> tuple[str, ...]:
    """Dictionary persons a full name written in another romanization may be:
    the same surname key and given names that agree ("VOLODYMYR ZELENSKY" ->
    "VOLODIMIR ZELENSKIY"). Only full names: a surname alone is left to the
    stricter surname rules."""
    if " " not in key:
        return ()
    surname, given = person_keys(key)
    found: dict[tuple[Role, ...], str] = {}
    for full in romanized_surnames(lex).get(surname, ()):
        other_given = person_keys(full)[1]
        if other_given and given_names_agree(given, other_given):
            found.setdefault(lex.actors[full], full)
    return tuple(found.values())


def is_subsequence(short: list[str], long_: list[str]) -> bool:
    if len(short) >= len(long_):
        short, long_ = long_, short
    remaining = iter(long_)
    return all(word in remaining for word in short)


# ----------------------------------------------------------------------------------------
# Mentions


@dataclass(slots=True)
class RawMention:
    """A cleaned NER span: ``[start, end)`` chars, tokens ``[first, last]``."""

    start: int
    end: int
    text: str
    label: str
    first: int
    last: int
    code: str | None = None
    titles: set[str] = field(default_factory=set)
    agent: str | None = None  # the title's sector code ("~GOV"), country or not
    basis: str | None = None  # what ``code`` rests on (``Entity.code_basis``)
    sent_start: int = 0  # first token of the mention's sentence


def glued_tail_cut(lex: Lexicon, token: Token, name_before: str, known: set[str]) -> int | None:
    """Where a following word glued onto the name's last token starts
    ("...Smithsaid" -> before "said"): the token must be no word itself, the tail a
    common English word, and the name up to the cut a name known from elsewhere in the
    text (another token or entity) or from the dictionaries. ``name_before`` is the
    name's text before ``token``, as written (``Doc.text`` is rebuilt on every access,
    so callers pass the slice they have)."""
    text = token.text
    # A token longer than any two glued words is no glue: every cut would
    # cost a frequency lookup of the tail, quadratic in the token's length.
    if not 3 <= len(text) <= MAX_GLUED_LENGTH or not text.isalpha() or zipf(text) >= GLUED_MAX_ZIPF:
        return None
    for cut in range(len(text) - 1, 0, -1):
        head, tail = text[:cut], text[cut:]
        if not tail.islower() or zipf(tail) < GLUE_MIN_ZIPF:
            continue
        name = name_key(name_before + head)
        if (cut >= 3 and head in known) or name in known or name in lex.countries or name in lex.actors:
            return cut
    return None


def clean_span(lex: Lexicon, span: Span, known: set[str]) -> RawMention | None:
    """The proper-name part of an entity span: no leading "the", no trailing
    possessive, whitespace or punctuation, no glued-on following word."""
    tokens = [t for t in span]
    while tokens and (tokens[0].lower_ in {"the", "a", "an"} or tokens[0].is_space or tokens[0].is_punct):
        tokens.pop(0)
    while tokens and (tokens[-1].is_space or tokens[-1].is_punct or tokens[-1].lower_ in {"'s", "\u2019s"}):
        tokens.pop()
    if not tokens:
        return None
    first, last = tokens[0], tokens[-1]
    name_before = "".join(t.text_with_ws for t in tokens[:-1])
    end = last.idx + len(last.text)
    cut = glued_tail_cut(lex, last, name_before, known)
    if cut is not None:
        end = last.idx + cut
    text = name_before + last.text[: end - last.idx]
    if "\n" in text or not any(c.isalpha() for c in text):
        return None
    return RawMention(first.idx, end, text, span.label_, first.i, last.i)


def raw_mentions(ctx: Context) -> list[RawMention]:
    doc, lex = ctx.doc, ctx.tables.lexicon
    spans = [span for span in entity_spans(lex, doc) if ctx.zone_at(span.start_char) not in SKIPPED_ZONES]
    # Names seen elsewhere: capitalised tokens as they are, entity texts normalised.
    known = {w for w in token_texts(doc) if w[:1].isupper()} | {name_key(s.text) for s in spans}
    found: list[RawMention] = []
    for span in spans:
        mention = clean_span(lex, span, known)
        if mention is not None:
            found.append(mention)
    return found


# ----------------------------------------------------------------------------------------
# Entity spans: the model's entities, fixed by dictionary and document rules
#
# en_core_web_sm misses names in all-caps headlines and datelines, tags capitals and
# countries as ORG or PERSON, and labels the same name differently within one story.
# The rules below work on the model's output (no second model pass).

# Endings of demonyms and nationality adjectives ("Russian", "Japanese", "Polish", "Iraqi").
DEMONYM_ENDINGS = word_list("names", "demonym_endings")
# Dictionary code prefixes of organisations (international bodies, NGOs, media, companies).
ORG_CODE_PREFIXES = ("IGO", "NGO", "MED", "MNC", "BUS")
# Lower-case words that may sit inside a name ("Bank of England").
NAME_CONNECTORS = word_set("names", "connectors")
MAX_NAME_WORDS = 4
# A line where at least this share of tokens are numbers is a table (results, standings).
TABLE_NUMBER_SHARE = 0.3
# An all-caps word at least this frequent in English is a headline word, not a name.
ALL_CAPS_COMMON_ZIPF = 4.0
# A common noun, the head of a description ("the dictator"): spaCy's symbol id.
NOUN_POS = frozenset({NOUN})


def is_capitalised(token: Token) -> bool:
    return _capitalised_word(token.text)


def _capitalised_word(text: str) -> bool:
    return text[:1].isupper() and any(c.isalpha() for c in text)


def capitalised_tokens(doc: Doc) -> list[bool]:
    """``is_capitalised`` of every token, worked out once per Doc from the
    token texts and kept in its user data: the name scans ask it of every token."""
    found = doc.user_data.get("eventwire.capitalised")
    if found is None:
        found = doc.user_data["eventwire.capitalised"] = [_capitalised_word(w) for w in token_texts(doc)]
    return found


def continues_name(token: Token) -> bool:
    """Whether a neighbouring word may belong to the same name: capitalised, and in an
    all-caps line ("FLOODS HIT NORTHERN PERU") not a common English word."""
    if not is_capitalised(token):
        return False
    if not token.text.isupper() or len(token.text) <= 1:
        return True
    return zipf(token.lower_) < ALL_CAPS_COMMON_ZIPF


def entity_spans(lex: Lexicon, doc: Doc) -> list[Span]:
    """The model's entities of the types eventwire codes, relabelled by the
    dictionaries, plus dictionary names and repeated names the model missed."""
    spans = [Span(doc, s.start, s.end, label=dictionary_label(lex, s) or s.label_) for s in doc.ents]
    surnames = person_surnames(spans)
    spans = [whole_surname(s, surnames) for s in spans]
    taken = {i for s in spans for i in range(s.start, s.end)}
    spans += gazetteer_spans(lex, doc, taken, surnames)
    spans = consistent_labels(doc, spans)
    spans = [relabel_team(lex, s) for s in spans]
    spans += table_spans(doc, {i for s in spans for i in range(s.start, s.end)})
    return sorted((s for s in spans if s.label_ in ENTITY_TYPES), key=lambda s: s.start)


def lexicon_label(lex: Lexicon, key: str, token: Token | None = None) -> str | None:
    """The entity type a dictionary gives a normalised name: a country's own name,
    a capital or seat -> GPE; a nationality word -> NORP; another place listed under
    a country -> GPE; an international body, agency or company -> ORG."""
    if key in lex.metonyms:
        return "GPE"
    if key in lex.peoples:
        return "NORP"
    code = lex.countries.get(key)
    if code is not None:
        if key in lex.country_names.get(code, ()) or len(key.replace(" ", "")) <= 3:
            return "GPE"
        adjective = token is not None and not token.text.isupper() and token.pos_ == "ADJ"
        return "NORP" if adjective or key.endswith(DEMONYM_ENDINGS) else "GPE"
    if country_of_demonym(lex, key):
        return "NORP"
    roles = lex.actors.get(key)
    if roles and " " in key:
        code = code_on(roles, None) or ""
        if code.startswith(ORG_CODE_PREFIXES):
            return "ORG"
    return None


def dictionary_label(lex: Lexicon, span: Span) -> str | None:
    """A model span whose whole text the dictionaries type differently: "Kyiv" as ORG,
    "Japan" as PERSON. Organisations named after a place ("Leeds United") are left alone."""
    if span.label_ not in ENTITY_TYPES:
        return None
    key = name_key(span.text)
    if key.endswith((" 'S", "'S")):
        key = key[:-2].rstrip(" '")
    label = lexicon_label(lex, key, span.root)
    if label is None or label == span.label_:
        return None
    if label == "NORP" and span.label_ in {"GPE", "LOC"}:
        return None  # a city the country entry lists under an adjective-like ending
    return label


def whole_surname(span: Span, surnames: set[str]) -> Span:
    """A person span the model cut inside a hyphenated surname the story
    spells out elsewhere ("Oyelaran" of "Oyelaran-Pike"), extended to it."""
    doc = span.doc
    if span.label_ != "PERSON" or span.end + 1 >= len(doc) or span[-1].whitespace_ or doc[span.end].text != "-":
        return span
    end = span.end
    while end + 1 < len(doc) and doc[end].text == "-" and not doc[end - 1].whitespace_ and not doc[end].whitespace_:
        end += 2
        if name_key(doc[span.end - 1 : end].text) in surnames:
            return Span(doc, span.start, end, label=span.label_)
    return span


def person_surnames(spans: list[Span]) -> set[str]:
    """Last words of the multi-word person names among ``spans`` (name keys).
    A hyphenated surname ("Oyelaran-Pike", three tokens) is one word."""
    surnames = set()
    for span in spans:
        words = [t for t in span if is_capitalised(t)]
        if span.label_ == "PERSON" and len(words) >= 2 and len(words[-1].text) > 2:
            first = words[-1].i
            while first > span.start and not span.doc[first - 1].whitespace_:
                first -= 1
            surnames.add(name_key(span.doc[first : words[-1].i + 1].text))
    return surnames


def scan_names(
    doc: Doc,
    taken: set[int],
    longest: int,
    label_of: Callable[[Span], str | None],
    may_start: Callable[[int], bool] = lambda i: True,
) -> list[Span]:
    """Left to right, the longest run of capitalised words (at most ``longest``)
    that overlaps no ``taken`` token and that ``label_of`` gives a label; a run
    found is skipped over whole."""
    found: list[Span] = []
    capitalised = capitalised_tokens(doc)
    i = 0
    while i < len(doc):
        if i in taken or not capitalised[i] or not may_start(i):
            i += 1
            continue
        for n in range(min(longest, len(doc) - i), 0, -1):
            if any(j in taken for j in range(i, i + n)) or not capitalised[i + n - 1]:
                continue
            words = doc[i : i + n]
            label = label_of(words)
            if label is not None:
                found.append(Span(doc, i, i + n, label=label))
                i += n
                break
        else:
            i += 1
    return found


def gazetteer_spans(lex: Lexicon, doc: Doc, taken: set[int], surnames: set[str]) -> list[Span]:
    """Dictionary names the model left untagged: a whole run of capitalised words
    ("Japan", "NATO", "MELBOURNE" in an all-caps dateline) that is not part of a
    longer name ("Real Madrid") nor the surname of a person in the story."""

    def may_start(i: int) -> bool:
        return not (i > 0 and continues_name(doc[i - 1]) and not doc[i].is_sent_start)

    def label_of(words: Span) -> str | None:
        if any(not is_capitalised(t) and t.lower_ not in NAME_CONNECTORS for t in words):
            return None
        after = doc[words.end] if words.end < len(doc) else None
        if after is not None and continues_name(after) and not after.is_sent_start or name_key(words.text) in surnames:
            return None
        return lexicon_label(lex, name_key(words.text), words[0])

    return scan_names(doc, taken, MAX_NAME_WORDS, label_of, may_start)


def consistent_labels(doc: Doc, spans: list[Span]) -> list[Span]:
    """One story, one label per name: a name tagged once is tagged at its other
    occurrences, and takes its most frequent label everywhere; a person's surname
    alone ("Smith" after "John Smith") is that person."""
    votes: dict[str, dict[str, int]] = {}
    for span in spans:
        if span.label_ in ENTITY_TYPES:
            key = name_key(span.text)
            votes.setdefault(key, {})
            votes[key][span.label_] = votes[key].get(span.label_, 0) + 1
    for surname in person_surnames(spans):
        votes.setdefault(surname, {})["PERSON"] = len(spans)  # a surname outvotes other readings
    best = {key: max(labels, key=lambda lab: labels[lab]) for key, labels in votes.items()}
    fixed = [
        Span(doc, s.start, s.end, label=best.get(name_key(s.text), s.label_)) if s.label_ in ENTITY_TYPES else s
        for s in spans
    ]
    taken = {i for s in spans for i in range(s.start, s.end)}
    longest = max((len(k.split()) for k in best), default=0)

    def label_of(words: Span) -> str | None:
        # A lone sentence-initial capitalised common word is no name.
        if len(words) == 1 and words[0].is_sent_start and words[0].is_stop:
            return None
        return best.get(name_key(words.text))

    return fixed + scan_names(doc, taken, min(longest, MAX_NAME_WORDS), label_of)


def is_table_line(text: str, span: Span) -> bool:
    """Whether the span's line of ``text`` (its Doc's text, which callers compute
    once: ``Doc.text`` is rebuilt on every access) is mostly numbers (a results
    table or standings)."""
    line_start = text.rfind("\n", 0, span.start_char) + 1
    line_end = text.find("\n", span.end_char)
    line = text[line_start : len(text) if line_end < 0 else line_end].split()
    numbers = sum(1 for w in line if w[:1].isdigit())
    return numbers >= 2 and numbers >= TABLE_NUMBER_SHARE * len(line)


def is_number(token: Token) -> bool:
    return token.text[:1].isdigit()


def table_spans(doc: Doc, taken: set[int]) -> list[Span]:
    """Untagged names in results tables: a name followed by a score outside
    brackets is a team ("Caen 20 3 7", "Bologna ( 4 ) v Piacenza ( 13 )"); a name
    inside brackets after a team, or after a squad number ("5 - Name"), is a player."""
    found: list[Span] = []
    line_checked: dict[int, bool] = {}
    text = doc_text(doc)
    capitalised = capitalised_tokens(doc)
    depth = 0
    i = 0
    while i < len(doc):
        token = doc[i]
        if token.is_sent_start and "\n" in (doc[i - 1].whitespace_ if i else "\n"):
            depth = 0
        depth += (token.text == "(") - (token.text == ")")
        if i in taken or not capitalised[i] or i > 0 and capitalised[i - 1] and i - 1 not in taken:
            i += 1
            continue
        end = i
        while end < len(doc) and end not in taken and (capitalised[end] or doc[end].text in {"'", "."}):
            end += 1
        if end == i or all(len(t.text) <= 2 for t in doc[i:end]):  # column heads ("W L T")
            i += 1
            continue
        span = Span(doc, i, end)
        line = text.rfind("\n", 0, span.start_char)
        if line not in line_checked:
            line_checked[line] = is_table_line(text, span)
        if line_checked[line]:
            after = doc[end : end + 3]
            squad = i >= 2 and doc[i - 1].text == "-" and is_number(doc[i - 2])
            if depth > 0 or squad:
                found.append(Span(doc, i, end, label="PERSON"))
            elif after and (is_number(after[0]) or len(after) > 1 and after[0].text == "(" and is_number(after[1])):
                found.append(Span(doc, i, end, label="ORG"))
        i = end
    return found


def relabel_team(lex: Lexicon, span: Span) -> Span:
    """A place other than a country followed by a score in a results line is a
    team ("Leeds 2 Arsenal 1", "Lille 20 7 7 6"): an organisation."""
    doc = span.doc
    if span.label_ not in {"GPE", "LOC", "NORP"} or span.end >= len(doc) or not doc[span.end].text[:1].isdigit():
        return span
    key = name_key(span.text)
    code = lex.countries.get(key)
    if code is not None and key in lex.country_names.get(code, ()):
        return span
    return Span(doc, span.start, span.end, label="ORG") if is_table_line(doc_text(doc), span) else span


# ----------------------------------------------------------------------------------------
# Context: titles and country words around a name


def noun_phrase_tokens(head: Token, exclude: range) -> list[Token]:
    """The head's noun phrase left of it, itself, and an "of"-phrase after it
    ("US Secretary of State"), without the tokens in ``exclude``."""
    out: list[Token] = []
    for child in head.lefts:
        out.extend(t for t in child.subtree if t.i not in exclude)
    if head.i not in exclude:
        out.append(head)
    for child in head.rights:
        if child.dep_ == "prep" and child.lower_ == "of":
            out.extend(t for t in child.subtree if t.i not in exclude and t.i - head.i <= 4)
    return sorted(out, key=lambda t: t.i)


def context_tokens(lex: Lexicon, doc: Doc, first: int, last: int) -> list[Token]:
    """Tokens that can carry a title or country for the name at tokens [first, last]:
    its own noun phrase, an apposition on either side, and the noun it compounds."""
    span = doc[first : last + 1]
    root = span.root
    inside = range(first, last + 1)
    tokens = [t for t in noun_phrase_tokens(root, inside) if t.i < first]
    for child in root.children:
        if child.dep_ == "appos" and child.i > last:
            tokens.extend(noun_phrase_tokens(child, inside))
    for child in root.rights:
        if child.dep_ == "prep" and child.lower_ == "of" and child.i == last + 1:
            tokens.extend(t for t in child.subtree if t.i - last <= 4)  # "King X of Morocco"
    if root.dep_ == "appos" and root.head.i < first or root.dep_ == "compound" and root.head.i > last and root.head.pos_ == "NOUN":
        tokens.extend(noun_phrase_tokens(root.head, inside))
    title = comma_title_before(lex, doc, first)
    if title is not None:
        # "X's leader, Name" read linearly: glued or run-on text often breaks the parse.
        tokens.extend(noun_phrase_tokens(title, inside))
    seen: dict[int, Token] = {t.i: t for t in tokens if abs(t.i - first) <= 12}
    return [seen[i] for i in sorted(seen)]


def comma_title_before(lex: Lexicon, doc: Doc, first: int) -> Token | None:
    """The agent noun in "<agent noun>, <name>", if the name at ``first`` follows one."""
    if first < 2 or doc[first - 1].text != ",":
        return None
    noun = doc[first - 2]
    if noun.pos_ != "NOUN" or name_key(noun.lemma_) not in lex.agents:
        return None
    return noun


def agent_in(lex: Lexicon, tokens: list[Token]) -> tuple[str, str] | None:
    """The longest agent phrase among contiguous runs of ``tokens``: (code, title),
    the title being the lemma of the phrase's syntactic head ("secretary" in
    "Secretary of State")."""
    agents = lex.agents
    best: tuple[int, str, str] | None = None
    for i in range(len(tokens)):
        for j in range(i, min(len(tokens), i + MAX_AGENT_WORDS)):
            if j > i and tokens[j].i != tokens[j - 1].i + 1:
                break
            run = tokens[i : j + 1]
            code = agents.get(name_key(" ".join(t.text for t in run)))
            if code is None and j == i:
                code = agents.get(name_key(tokens[j].lemma_))
            if code is not None and (best is None or len(run) >= best[0]):
                best = (len(run), code, phrase_head(run).lemma_.lower())
    return (best[1], best[2]) if best else None


def phrase_head(run: list[Token]) -> Token:
    indexes = {t.i for t in run}
    return next((t for t in run if t.head.i not in indexes or t.head.i == t.i), run[-1])


def country_near(lex: Lexicon, tokens: list[Token], anchor: int, mentions_at: dict[int, RawMention]) -> str | None:
    """The country (or seat-of-government) code among ``tokens`` nearest to token
    ``anchor``; "whose" stands for the noun before it."""
    doc = tokens[0].doc if tokens else None
    found: list[tuple[int, str]] = []
    for token in tokens:
        candidates = [token]
        if token.lower_ == "whose" and doc is not None:
            candidates = [t for t in doc[max(0, token.i - 3) : token.i] if not t.is_punct][-1:]
        for cand in candidates:
            mention = mentions_at.get(cand.i)
            if mention is not None and mention.label != "PERSON":
                code = mention.code
            else:
                code = country_in_text(lex, cand.text)
            if code:
                found.append((abs(token.i - anchor), code))
    for a, b in itertools.pairwise(tokens):
        if b.i == a.i + 1 and a.i not in mentions_at:
            code = country_in_text(lex, f"{a.text} {b.text}")
            if code:
                found.append((abs(a.i - anchor), code))
    return min(found)[1] if found else None


def context_code(
    lex: Lexicon, doc: Doc, first: int, last: int, mentions_at: dict[int, RawMention]
) -> tuple[str | None, set[str], str | None]:
    """(code, title words, agent code) from a title/agent plus a country word near a
    name; no code without an agent word."""
    tokens = context_tokens(lex, doc, first, last)
    agent = agent_in(lex, tokens) if tokens else None
    if agent is None:
        return None, set(), None
    country = country_near(lex, tokens, first, mentions_at)
    heads = [t for t in tokens if t.lemma_.lower() == agent[1]]
    labels = description_forms(heads[0]) if heads else {agent[1]}
    if country is None:
        return None, labels, agent[0]
    return combine(country, agent[0]), labels, agent[0]


def own_name_code(lex: Lexicon, name: Span) -> str | None:
    """An organisation the dictionaries lack, coded by the country its name begins
    with and the agent noun in it ("Kenya Anti-Corruption Commission" -> KENGOV,
    "Montenegro Assembly" -> MNELEG); no code without a country word."""
    words = [t for t in name if not t.is_punct]
    if len(words) < 2:
        return None
    country = country_in_text(lex, words[0].text)
    if not country or country[:3] not in lex.country_codes:
        return None
    agent = agent_in(lex, words[1:])
    return combine(country[:3], agent[0] if agent else None)


def sentence_countries(lex: Lexicon, doc: Doc, mentions: list[RawMention]) -> dict[int, set[str]]:
    """The countries each sentence names (by its first token), from coded place,
    nationality and organisation mentions; sets each mention's ``sent_start``."""
    starts = [s.start for s in sentences(doc)] if mentions else []
    found: dict[int, set[str]] = {}
    country_codes = lex.country_codes
    for mention in mentions:
        mention.sent_start = starts[bisect_right(starts, mention.first) - 1]
        code = mention.code
        if mention.label == "PERSON" or not code or code[:3] not in country_codes:
            continue
        found.setdefault(mention.sent_start, set()).add(code[:3])
    return found


# ----------------------------------------------------------------------------------------
# Clustering


@dataclass(slots=True)
class Cluster:
    label: str
    mentions: list[RawMention]
    code: str | None = None
    titles: set[str] = field(default_factory=set)


def person_words(text: str) -> tuple[str, ...]:
    return tuple(name_key(text).split())


@dataclass(slots=True)
class PersonIndex:
    """Person clusters by every form a later mention of them may take, so a
    mention finds its cluster by a few lookups: a scan of every earlier
    mention made an article of many names quadratic (20,000 names took
    minutes). ``find`` answers what that scan answered: the most recently
    mentioned cluster with a mention of the same name, a longer name the
    mention ends (a surname) or holds as a word (one name word), or a
    shorter name the mention ends."""

    clusters: list[Cluster] = field(default_factory=list)
    recency: list[int] = field(default_factory=list)  # per cluster: when last mentioned
    whole: dict[tuple[str, ...], set[int]] = field(default_factory=dict)
    endings: dict[tuple[str, ...], set[int]] = field(default_factory=dict)  # proper endings of longer names
    words: dict[str, set[int]] = field(default_factory=dict)  # words of names of two or more words
    clock: int = 0

    def find(self, words: tuple[str, ...]) -> int | None:
        found = set(self.whole.get(words, ()))
        found |= self.endings.get(words, set())
        if len(words) == 1:
            found |= self.words.get(words[0], set())
        for n in range(1, len(words)):
            found |= self.whole.get(words[-n:], set())
        return max(found, key=self.recency.__getitem__) if found else None

    def add(self, cluster: Cluster) -> int:
        self.clusters.append(cluster)
        self.recency.append(0)
        return len(self.clusters) - 1

    def mention(self, number: int, words: tuple[str, ...]) -> None:
        """Cluster ``number`` is mentioned (now the most recent) as ``words``."""
        self.clock += 1
        self.recency[number] = self.clock
        self.whole.setdefault(words, set()).add(number)
        for n in range(1, len(words)):
            self.endings.setdefault(words[-n:], set()).add(number)
        if len(words) > 1:
            for word in words:
                self.words.setdefault(word, set()).add(number)


def cluster_mentions(lex: Lexicon, mentions: list[RawMention]) -> list[Cluster]:
    clusters: list[Cluster] = []
    by_key: dict[tuple[str, str], Cluster] = {}
    persons = PersonIndex()
    for mention in mentions:
        label = mention.label
        if label == "PERSON":
            words = person_words(mention.text)
            number = persons.find(words)
            if number is None:
                person = Cluster(label, [])
                clusters.append(person)
                number = persons.add(person)
            persons.mention(number, words)
            persons.clusters[number].mentions.append(mention)
            continue
        group = "NORP" if label == "NORP" else "PLACE" if label in {"GPE", "LOC"} else label
        code = mention.code
        by_code = code and is_country_code(code) and (group == "NORP" or is_country_form(lex, mention.text, code))
        key = (group, code) if by_code and code else (group, name_key(mention.text))
        cluster = by_key.get(key)
        if cluster is None:
            cluster = by_key[key] = Cluster(label, [])
            clusters.append(cluster)
        cluster.mentions.append(mention)
    return clusters


def names_country(lex: Lexicon, name: str, entity_type: str, code: str | None) -> bool:
    """Whether an entity's name is its country's own name or demonym (a city
    coded with a country code is not)."""
    return bool(code) and entity_type != "PERSON" and is_country_form(lex, name, code or "")


def is_country_form(lex: Lexicon, text: str, code: str) -> bool:
    """Whether a name is a form of the country's own name ("Russia", "USA", "America")
    rather than a city the Phoenix country entry also lists."""
    if text.isupper() and text.replace(".", "").isalpha() and len(text.replace(".", "")) <= 4:
        return True
    key = name_key(text)
    for name in lex.country_names.get(code, ()):
        if name[:4] == key[:4] or key in name.split():
            return True
    return False


def canonical_name(cluster: Cluster) -> str:
    """The fullest form: most words, then longest, then earliest."""
    best = max(cluster.mentions, key=lambda m: (len(m.text.split()), len(m.text), -m.start))
    return " ".join(best.text.split())


# ----------------------------------------------------------------------------------------
# The index


@lru_cache(maxsize=1)
def gender_words() -> dict[str, str]:
    """Honorifics and gendered nouns -> "m" / "f" (``data/actors/gender_words.tsv``)."""
    rows = (line.split("\t") for line in _data_lines("actors", "gender_words.tsv") if line and not line.startswith("#"))
    return {word.strip(): gender.strip() for word, gender in rows}


@cache
def given_name_genders() -> dict[str, str]:
    """Given names nearly all of whose bearers are of one gender -> "m" / "f"
    (``data/actors/given_names.tsv``, from the 1990 US census name files)."""
    rows = (line.split("\t") for line in _data_lines("actors", "given_names.tsv") if line and not line.startswith("#"))
    return {name.strip(): gender.strip() for name, gender in rows}


def person_genders(doc: Doc, entities: list[Entity]) -> dict[str, str]:
    """Each person's gender as this article shows it: honorifics and gendered nouns
    beside a mention ("Mrs", "queen", "the actress X"), a given name nearly always
    of one gender ("Kathryn"), pronouns in a sentence whose only earlier person is
    the entity ("X said his ..."), and a first name another person of known gender
    in the article shares."""
    words = gender_words()
    given_names = given_name_genders()
    votes: dict[str, dict[str, int]] = {}
    persons = [(m, e) for e in entities if e.type == "PERSON" for m in e.mentions]

    def vote(entity_id: str, gender: str, weight: int) -> None:
        tally = votes.setdefault(entity_id, {"m": 0, "f": 0})
        tally[gender] += weight

    for entity in entities:
        given = given_names.get(entity.name.split()[0].lower()) if entity.type == "PERSON" and entity.name.split() else None
        if given:
            vote(entity.id, given, GENDER_WORD_WEIGHT)

    by_sentence: dict[int, list[tuple[Span, str]]] = {}
    for mention, entity in persons:
        span = doc.char_span(mention.start, mention.end, alignment_mode="expand")
        if span is None:
            continue
        before = span.start - 1
        if before > 0 and doc[before].text == ".":  # "Mr . Smith" as some texts split it
            before -= 1
        word = doc[before].lower_.rstrip(".") if before >= 0 else ""
        if word in words:
            vote(entity.id, words[word], GENDER_WORD_WEIGHT)
        by_sentence.setdefault(span.sent.start, []).append((span, entity.id))
    quoted = quoted_regions(doc_text(doc))
    for sent in sentences(doc):
        named = by_sentence.get(sent.start)
        # Only a sentence about one person, its subject, outside quotations (where
        # "he" is often someone the speaker talks about).
        if not named or len({entity_id for _, entity_id in named}) != 1 or not any(is_subject(span) for span, _ in named):
            continue
        first = min(span.start for span, _ in named)
        for t in sent:
            gender = PRONOUN_GENDER.get(t.lower_)
            if gender and t.i > first and t.pos_ == "PRON" and not any(qs <= t.idx < qe for qs, qe in quoted):
                vote(named[0][1], gender, 1)
    genders = {k: max(v, key=lambda g: v[g]) for k, v in votes.items() if v["m"] != v["f"]}
    by_first_name: dict[str, set[str]] = {}
    for entity in entities:
        if entity.id in genders and len(entity.name.split()) > 1:
            by_first_name.setdefault(entity.name.split()[0], set()).add(genders[entity.id])
    for entity in entities:
        known = by_first_name.get(entity.name.split()[0]) if entity.type == "PERSON" and len(entity.name.split()) > 1 else None
        if entity.id not in genders and known and len(known) == 1:
            genders[entity.id] = next(iter(known))
    return genders


@dataclass(frozen=True, slots=True)
class ArticleCountry:
    """The country an article's generic agents belong to, and why: its
    dateline's place ("dateline") or the country its sentences name most
    ("dominant")."""

    code: str
    basis: str


_Found = TypeVar("_Found")


class ActorIndex:
    """The entities of one article and lookups from text positions to them,
    coded with the lexicon ``lex`` (the article's ``ctx.tables.lexicon``).
    ``context``: the country of generic agents whose phrase names none."""

    def __init__(
        self,
        lex: Lexicon,
        entities: list[Entity],
        doc: Doc | None = None,
        titles: dict[str, set[str]] | None = None,
        context: ArticleCountry | None = None,
        dateline: tuple[int, int] | None = None,
    ) -> None:
        self._lex = lex
        self.context = context
        self._dateline = dateline
        self.entities = entities
        self._doc = doc
        self._titles = titles or {}
        self._gender_cache: dict[str, str] | None = None
        # What for_token and actor_code found for a token of ``doc``, by
        # position: the event coder asks again for the same heads, and the
        # index never changes once built.
        self._entity_at_token: dict[int, Entity | None] = {}
        self._code_at_token: dict[int, str | None] = {}
        spans = sorted((m.start, m.end, e) for e in entities for m in e.mentions)
        self._spans = spans
        self._starts = [s for s, _, _ in spans]
        # The longest mention bounds how far before a position an overlapping
        # mention can start, so a lookup reads a few spans, not all before it.
        self._longest = max((e - s for s, e, _ in spans), default=0)
        self._quoted = quoted_regions(doc_text(doc)) if doc is not None else []
        # For each mention, the quoted region that holds it whole (-1: none);
        # regions do not overlap, so one bisect finds the candidate.
        quote_starts = [qs for qs, _ in self._quoted]
        self._quote_of_span: list[int] = []
        for s, e, _ in spans:
            q = bisect_right(quote_starts, s) - 1
            self._quote_of_span.append(q if q >= 0 and e <= self._quoted[q][1] else -1)

    def at(self, start: int, end: int) -> Entity | None:
        """The entity one of whose mentions overlaps the char span, if any."""
        hi = bisect_right(self._starts, max(start, end - 1))
        lo = bisect_right(self._starts, start - self._longest)
        best: Entity | None = None
        best_overlap = 0
        for s, e, entity in self._spans[lo:hi]:
            overlap = min(e, end) - max(s, start)
            if start == end and s <= start < e:
                overlap = 1
            if overlap > best_overlap:
                best, best_overlap = entity, overlap
        return best

    def for_token(self, token: Token) -> Entity | None:
        """The entity a token refers to: a token inside a mention, the head of
        a noun phrase naming an actor ("the Belarusian leader"), or a pronoun /
        title resolved by in-document coreference."""
        return self._per_token(self._entity_at_token, token, self._entity_for)

    def _per_token(self, memo: dict[int, _Found], token: Token, find: Callable[[Token], _Found]) -> _Found:
        """``find(token)``, kept in ``memo`` by position for a token of this index's Doc."""
        if token.doc is not self._doc:
            return find(token)
        if token.i not in memo:
            memo[token.i] = find(token)
        return memo[token.i]

    def _entity_for(self, token: Token) -> Entity | None:
        inside = self.at(token.idx, token.idx + len(token.text))
        if inside is not None:
            return inside
        linked = self._linked_name(token)
        if linked is not None:
            return linked
        if token.lower_ in PERSON_PRONOUNS and token.pos_ == "PRON":
            return self._pronoun_antecedent(token)
        if token.pos_ in {"NOUN", "PROPN"}:
            return self._title_antecedent(token)
        return None

    def in_dateline(self, offset: int) -> bool:
        """Whether ``offset`` lies in the article's dateline place."""
        return self._dateline is not None and self._dateline[0] <= offset < self._dateline[1]

    def actor_code(self, token: Token) -> str | None:
        """A CAMEO actor code for a token even when no entity covers it
        (e.g. "officials" in "Hungarian officials" -> "HUNGOV")."""
        return self._per_token(self._code_at_token, token, self._code_for)

    def _code_for(self, token: Token) -> str | None:
        entity = self.for_token(token)
        if entity is not None and entity.actor:
            if entity.type == "NORP" and token.pos_ in {"NOUN", "PROPN"}:
                residence = self._residence(token, entity.actor[:3])
                if residence:
                    return residence + "CVL"
            return entity.actor
        if token.pos_ not in {"NOUN", "PROPN"}:
            return None
        name_code = country_in_text(self._lex, token.text)
        if name_code:
            return name_code
        # "anti-government protesters" are protesters, not a government.
        tokens = [t for t in noun_phrase_tokens(token, range(0)) if not is_stance_prefixed(t)]
        agent = agent_in(self._lex, [t for t in tokens if t.i <= token.i])
        if agent is None or agent[1] != token.lemma_.lower() and name_key(token.text) not in self._lex.agents:
            return None
        # No guess from elsewhere in the sentence: "the government thanked China" is
        # not China's government. With no country in its own phrase, an agent
        # is of the article's country (its dateline, or the one it is about).
        country = self._country_among(tokens, token) or self._place_after(token)
        if country is None and self.context is not None:
            country = self.context.code
        return combine(country, agent[0])

    def _place_after(self, head: Token, depth: int = 2) -> str | None:
        """The country of a place phrase after a noun ("refugees in Liberia",
        "workers of the bus company of Tehran", "students throughout Indonesia")."""
        for child in head.rights:
            if child.dep_ == "prep" and child.lower_ in PLACE_PREPOSITIONS:
                for obj in child.children:
                    if obj.dep_ != "pobj":
                        continue
                    code = self._entity_code_at(obj) or country_in_text(self._lex, obj.text)
                    if code and code[:3] in self._lex.country_codes:
                        return code[:3]
                    if depth > 1:
                        deeper = self._place_after(obj, depth - 1)
                        if deeper:
                            return deeper
            elif child.dep_ == "acl" and depth > 1:  # "refugees fleeing (the war) in X"
                for node in [child, *(g for g in child.children if g.dep_ == "dobj")]:
                    deeper = self._place_after(node, depth - 1)
                    if deeper:
                        return deeper
        return None

    def _countries_of_sentence(self, token: Token) -> list[tuple[int, str]]:
        """(distance, country) for each coded place or organisation in the token's sentence."""
        sent = token.sent
        found = []
        codes = self._lex.country_codes
        for s, _, ent in self._spans:
            if sent.start_char <= s < sent.end_char and ent.type != "PERSON" and ent.actor and ent.actor[:3] in codes:
                found.append((abs(s - token.idx), ent.actor[:3]))
        return sorted(found)

    def _residence(self, token: Token, own: str) -> str | None:
        """Where members of a nationality live, when that is another country: "Albanians
        of southern Serbia"; "ethnic Turks" of the nearest other country named."""
        place = self._place_after(token, 1)
        if place and place != own:
            return place
        if any(c.lower_ == "ethnic" for c in token.children):
            others = [c for _, c in self._countries_of_sentence(token) if c != own]
            return others[0] if others else None
        return None

    # -- helpers ---------------------------------------------------------------------

    def _entity_code_at(self, token: Token) -> str | None:
        entity = self.at(token.idx, token.idx + len(token.text))
        return entity.actor if entity is not None and entity.type != "PERSON" else None

    def _country_among(self, tokens: list[Token], head: Token | None = None) -> str | None:
        """The country word among ``tokens`` nearest the head noun: in "French and
        Egyptian warships" the warships nearest "Egyptian" are Egypt's."""
        if head is not None:
            tokens = sorted(tokens, key=lambda t: abs(t.i - head.i))
        for t in tokens:
            if is_stance_prefixed(t):
                continue  # "pro-Russia rebels" support Russia; they are not Russia's
            code = self._entity_code_at(t) or country_in_text(self._lex, t.text)
            if code:
                return code
        return None

    def _linked_name(self, token: Token) -> Entity | None:
        """A title noun bound to a name by compound or apposition ("President" in
        "President X Y", "president" in "the president, X Y", "operator" in "the
        operator ACME")."""
        doc = token.doc
        candidates: list[Token] = []
        if token.dep_ == "appos" or token.dep_ == "compound" and token.head.pos_ == "PROPN":
            candidates.append(token.head)
        candidates += [c for c in token.children if c.dep_ == "appos"]
        title = comma_title_before(self._lex, doc, token.i + 2) if token.i + 2 < len(doc) else None
        if title is not None and title.i == token.i:
            candidates.append(doc[token.i + 2])
        for other in candidates:
            entity = self.at(other.idx, other.idx + len(other.text))
            if entity is not None and entity.type in {"PERSON", "ORG"}:
                return entity
        return None

    @property
    def _genders(self) -> dict[str, str]:
        if self._gender_cache is None:
            self._gender_cache = person_genders(self._doc, self.entities) if self._doc is not None else {}
        return self._gender_cache

    def _mentions_before(self, offset: int, kind: str = "PERSON") -> list[tuple[int, int, Entity]]:
        return [(s, e, ent) for s, e, ent in self._spans if e <= offset and ent.type == kind]

    def _pronoun_antecedent(self, token: Token) -> Entity | None:
        """The subject of the nearest earlier sentence part with a person in it; the most
        recent person mention when no subject is one."""
        doc = token.doc
        # The pronoun's sentence and the PRONOUN_SENTENCES before it, nearest first.
        window = [token.sent]
        while len(window) <= PRONOUN_SENTENCES and window[-1].start > 0:
            window.append(doc[window[-1].start - 1].sent)
        # A person named inside someone's quotation is not who "he" outside it
        # refers to: the quotation is another voice.
        q = bisect_right([qs for qs, _ in self._quoted], token.idx) - 1
        own_quote = q if q >= 0 and token.idx < self._quoted[q][1] else -1
        gender = PRONOUN_GENDER.get(token.lower_)
        lo = bisect_right(self._starts, window[-1].start_char - 1)
        hi = bisect_right(self._starts, token.idx)
        # A pronoun never takes a person of the other gender.
        before = [
            (s, e, ent)
            for (s, e, ent), q in zip(self._spans[lo:hi], self._quote_of_span[lo:hi], strict=True)
            if e <= token.idx
            and ent.type == "PERSON"
            and q in (-1, own_quote)
            and self._genders.get(ent.id, gender) == gender
        ]
        if own_quote >= 0 and before:
            # "He" inside a quotation is not its speaker, who would have said "I".
            speakers = self._quote_speakers(own_quote, doc)
            before = [x for x in before if x[2].id not in speakers]
        if not before:
            return None
        if token.lower_ in REFLEXIVES:
            # "himself" is bound inside its own clause: the nearest person before it there.
            own = [ent for s, _, ent in before if s >= token.sent.start_char]
            return own[-1] if own else None
        for sent in window:
            in_sent = [(s, e, ent) for s, e, ent in before if sent.start_char <= s < sent.end_char]
            if not in_sent:
                continue
            subjects = [ent for s, e, ent in in_sent if is_subject(doc.char_span(s, e, alignment_mode="expand"))]
            if subjects:
                return subjects[0]
            return in_sent[-1][2]
        return None

    def _quote_speakers(self, q: int, doc: Doc) -> set[str]:
        """Ids of the persons who speak quotation ``q``: subjects of a speech
        verb outside it, in a sentence it overlaps or the one after it (named,
        or "he" resolved outside the quotation)."""
        qs, qe = self._quoted[q]
        speakers: set[str] = set()
        first = doc.char_span(qs, qs + 1, alignment_mode="expand")
        last = doc.char_span(max(qs, qe - 1), qe, alignment_mode="expand")
        if first is None or last is None:
            return speakers
        end = last.sent.end
        if end < len(doc):
            end = doc[end].sent.end  # the attribution may follow: '"...," Smith said.'
        for t in doc[first.sent.start : end]:
            if qs <= t.idx < qe or t.lemma_.lower() not in SPEECH_VERBS:
                continue
            for child in t.children:
                if child.dep_ == "nsubj" and not qs <= child.idx < qe:
                    entity = self.for_token(child)
                    if entity is not None and entity.type == "PERSON":
                        speakers.add(entity.id)
        return speakers

    def _title_antecedent(self, token: Token) -> Entity | None:
        """A definite title noun phrase ("the dictator", "the Belarusian leader") -> the
        most salient earlier person whose title or country fits."""
        if not any(c.dep_ == "det" and c.lower_ in {"the", "this", "that"} for c in token.children):
            return None
        tokens = noun_phrase_tokens(token, range(0))
        agent = agent_in(self._lex, [t for t in tokens if t.i <= token.i])
        if agent is None or agent[1] != token.lemma_.lower():
            return None
        country = self._country_among([t for t in tokens if t.i != token.i])
        title = token.lemma_.lower()
        sector = agent[0].strip("~") if agent[0].startswith("~") else None
        scores: dict[str, tuple[int, int, int, int]] = {}
        entities: dict[str, Entity] = {}
        for s, _, ent in self._mentions_before(token.idx):
            title_fit = title in self._titles.get(ent.id, set())
            country_fit = bool(country and ent.actor and ent.actor[:3] == country[:3])
            # "the dictator" without a country: a person coded in the title's sector.
            sector_fit = bool(ent.actor and sector and sector in ent.actor[3:])
            if country and not country_fit:
                continue
            if not (title_fit or country_fit or sector_fit):
                continue
            count = scores.get(ent.id, (0, 0, 0, 0))[2] + 1
            scores[ent.id] = (int(title_fit), int(country_fit), count, s)
            entities[ent.id] = ent
        if not scores:
            return None
        return entities[max(scores, key=lambda k: scores[k])]


_QUOTED = re.compile(r'["\u201c\u201d\u00ab][^"\u201c\u201d\u00ab\u00bb\n]{2,}["\u201d\u00bb]')


def is_stance_prefixed(token: Token) -> bool:
    """A word after "pro-" or "anti-" ("pro-Russia", "anti-government"): it
    names whom a group supports or opposes, not whose the group is."""
    doc = token.doc
    if token.lower_.startswith(STANCE_PREFIXES):
        return True
    return token.i >= 2 and doc[token.i - 1].text == "-" and doc[token.i - 2].lower_ + "-" in STANCE_PREFIXES


def quoted_regions(text: str) -> list[tuple[int, int]]:
    """Stretches of one line between double quotation marks."""
    return [(m.start(), m.end()) for m in _QUOTED.finditer(text)]


def is_subject(span: Span | None) -> bool:
    return span is not None and span.root.dep_ in {"nsubj", "nsubjpass"}


def resolve(ctx: Context) -> ActorIndex:
    """Entities of the article, clustered and coded with ``ctx.tables.lexicon``;
    with a ``ctx.trace``, every token the index links to an entity is traced."""
    doc, lex = ctx.doc, ctx.tables.lexicon
    mentions = raw_mentions(ctx)
    for mention in mentions:
        if mention.label != "PERSON":
            mention.code = lookup_name(lex, mention.text, ctx.published)
            mention.basis = "dictionary" if mention.code else None
    text = ctx.text
    mentions = [m for m in mentions if not inside_agent_phrase(lex, doc, m, text)]
    mentions_at = {i: m for m in mentions for i in range(m.first, m.last + 1)}
    for mention in mentions:
        # Persons always (their titles serve coreference); organisations the
        # dictionaries did not code.
        if mention.label == "PERSON" or mention.label == "ORG" and not mention.code:
            mention.code, mention.titles, mention.agent = context_code(lex, doc, mention.first, mention.last, mentions_at)
            mention.basis = "title" if mention.code else None
            if mention.label == "ORG" and not mention.code:
                mention.code = own_name_code(lex, doc[mention.first : mention.last + 1])
                mention.basis = "name" if mention.code else None
    clusters = cluster_mentions(lex, mentions)
    known_countries = {m.code[:3] for m in mentions if m.code and m.label != "PERSON"}
    by_sentence = sentence_countries(lex, doc, mentions)
    dateline = dateline_place(ctx.text, ctx.clean.paragraphs)
    context = article_country(lex, ctx, by_sentence, dateline)
    entities: list[Entity] = []
    titles: dict[str, set[str]] = {}
    for number, cluster in enumerate(clusters, start=1):
        entity_id = f"E{number}"
        code = cluster_code(lex, cluster, known_countries, ctx.published)
        basis = next((m.basis for m in cluster.mentions if m.code == code), "dictionary") if code else None
        if code is None and cluster.label == "PERSON":
            # What an earlier article's title taught about this person, on this date.
            role = remembered_role(ctx.tables.learned, canonical_name(cluster), ctx.published)
            code, basis = (role.code, "corpus") if role is not None else (None, None)
        if code is None:
            code = sentence_guess(cluster, by_sentence)
            basis = "context:sentence" if code else None
        if code is None:
            code = titled_in_context(doc, cluster, context)
            basis = (f"context:{context.basis}" if context is not None else "title") if code else None
        cluster_titles = set().union(*(m.titles for m in cluster.mentions))
        entities.append(
            Entity(
                id=entity_id,
                name=canonical_name(cluster),
                type=entity_type(cluster),
                actor=code,
                mentions=tuple(Mention(m.start, m.end, m.text) for m in sorted(cluster.mentions, key=lambda m: m.start)),
                # The titles and descriptions this article gives the entity ("president").
                labels=tuple(sorted(cluster_titles)),
                names_country=names_country(lex, canonical_name(cluster), entity_type(cluster), code),
                code_basis=basis,
            )
        )
        titles[entity_id] = cluster_titles
    described = description_labels(lex, ActorIndex(lex, entities, doc, titles), doc)
    if described:
        entities = [
            replace(e, labels=tuple(sorted(set(e.labels) | described[e.id]))) if e.id in described else e for e in entities
        ]
    index = ActorIndex(lex, entities, doc, titles, context, dateline)
    if ctx.trace is not None:
        ctx.trace.antecedents.extend(traced_links(ctx.doc_id, index, doc))
    return index


def titled_in_context(doc: Doc, cluster: Cluster, context: ArticleCountry | None) -> str | None:
    """A person or group the article introduces by a title or kind but no
    country ("Prime Minister X said", "the paramilitary X", "X, a militia"):
    the article's country when it has one; a group of no known country is
    still of its kind ("---MIL"), a person without one stays uncoded. Only a
    title that introduces the name counts: in "Islamic State militants" the
    militants are not the group's title."""
    for m in cluster.mentions:
        if not m.agent or m.label not in ("PERSON", "ORG") or not introduced(doc, m):
            continue
        if context is None and m.label == "PERSON":
            return None
        return combine(context.code if context is not None else None, m.agent)
    return None


def introduced(doc: Doc, mention: RawMention) -> bool:
    """Whether one of the mention's title words stands before it ("the
    paramilitary X", "Prime Minister X") or in an apposition after it ("X, a
    militia")."""
    before = doc[max(0, mention.first - MAX_AGENT_WORDS) : mention.first]
    if any(t.lemma_.lower() in mention.titles for t in before):
        return True
    after = doc[mention.last + 1 : mention.last + 3]
    return len(after) == 2 and after[0].text == "," and after[1].lower_ in ("a", "an", "the")


def article_country(
    lex: Lexicon, ctx: Context, by_sentence: dict[int, set[str]], place: tuple[int, int] | None
) -> ArticleCountry | None:
    """The country a generic agent of this article belongs to when its own
    phrase names none ("police said", "the ministry"): the dateline's place,
    else the country most of the article's sentences name, when one clearly
    leads in an article of at least ``DOMINANT_MIN_SENTENCES`` sentences."""
    if place is not None:
        for part in reversed(ctx.text[place[0] : place[1]].split(",")):
            code = country_in_text(lex, part.strip()) or lookup_name(lex, part.strip(), ctx.published)
            if code and code[:3] in lex.country_codes:
                return ArticleCountry(code[:3], "dateline")
    if len(sentences(ctx.doc)) < DOMINANT_MIN_SENTENCES:
        return None
    counts = Counter(code for codes in by_sentence.values() for code in codes)
    ranked = counts.most_common(2)
    if ranked and ranked[0][1] >= DOMINANT_MIN_MENTIONS and (len(ranked) == 1 or ranked[0][1] > ranked[1][1]):
        return ArticleCountry(ranked[0][0], "dominant")
    return None


def traced_links(doc_id: str, index: ActorIndex, doc: Doc) -> list[Antecedent]:
    """Each token of ``doc`` the index resolves to an entity, with that entity
    (``ExtractTrace.antecedents``): for what the ``Article`` does not hold, a
    pronoun's or a title's antecedent."""
    found = []
    for token in doc:
        entity = index.for_token(token)
        if entity is not None:
            found.append(Antecedent(doc_id, token.idx, token.idx + len(token.text), entity))
    return found


def description_labels(lex: Lexicon, index: ActorIndex, doc: Doc) -> dict[str, set[str]]:
    """Labels from definite descriptions the article uses for an earlier person ("the
    dictator", "the Belarusian leader"): the description's head lemma and, with a
    nationality or other adjective, the lowercased phrase."""
    agents = lex.agents
    found: dict[str, set[str]] = {}
    for token in tokens_where(doc, POS, NOUN_POS):
        if name_key(token.lemma_) not in agents or index.at(token.idx, token.idx + len(token.text)):
            continue
        entity = index.for_token(token)
        if entity is None or entity.type != "PERSON":
            continue
        found.setdefault(entity.id, set()).update(description_forms(token))
    return found


def description_forms(head: Token) -> set[str]:
    """"leader" and "belarusian leader" for "the Belarusian leader"."""
    lemma = head.lemma_.lower()
    adjectives = [c for c in head.children if c.dep_ in {"amod", "compound"} and c.i < head.i and c.is_alpha]
    forms = {lemma}
    if adjectives:
        forms.add(" ".join([*(a.lower_ for a in adjectives), lemma]))
    return forms


def sentence_guess(cluster: Cluster, by_sentence: dict[int, set[str]]) -> str | None:
    """A titled name with no country of its own, in a sentence that names only one
    country ("Planning Minister X said Vietnam ..."), is of that country."""
    for m in cluster.mentions:
        named = by_sentence.get(m.sent_start, set())
        if m.agent and len(named) == 1:
            return combine(next(iter(named)), m.agent)
    return None


def entity_type(cluster: Cluster) -> EntityType:
    labels = [m.label for m in cluster.mentions]
    label = max(set(labels), key=lambda lab: (labels.count(lab), -labels.index(lab)))
    return label  # type: ignore[return-value]


def cluster_code(lex: Lexicon, cluster: Cluster, known_countries: set[str], published: date | None) -> str | None:
    """Dictionary first (dated), then what the context of any mention taught. The
    context wins over a guess: a bare surname's namesake, or a dictionary person whose
    dated roles cannot be told apart because the article has no date."""
    context = next((m.code for m in cluster.mentions if m.code), None)
    if cluster.label != "PERSON":
        return context
    keys = sorted({name_key(m.text) for m in cluster.mentions}, key=lambda k: -len(k.split()))
    exact = next((lex.actors[k] for k in keys if k in lex.actors), None)
    surname_only = not any(" " in k for k in keys)
    if context and (surname_only or exact is not None and published is None and any(r.dated for r in exact)):
        return context
    return person_code(lex, keys, known_countries, published) or context


def inside_agent_phrase(lex: Lexicon, doc: Doc, mention: RawMention, text: str | None = None) -> bool:
    """An ORG span that is only part of a title ("State" in "Secretary of State").
    ``text`` is the Doc's text, passed by callers that check many mentions."""
    if mention.label != "ORG":
        return False
    text = doc_text(doc) if text is None else text
    agents = lex.agents
    own = name_key(mention.text)
    for left in range(max(0, mention.first - MAX_AGENT_WORDS), mention.first + 1):
        for right in range(mention.last, min(len(doc), mention.last + MAX_AGENT_WORDS)):
            key = name_key(text[doc[left].idx : doc[right].idx + len(doc[right].text)])
            # "the Democratic Party" is the name itself, not a longer title around it.
            if (left < mention.first or right > mention.last) and key != own and key in agents:
                return True
    return False
