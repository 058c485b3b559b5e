"""Cross-document identity: when two entities from different articles are one actor.

Names are folded to keys that ignore case, diacritics and the spelling
differences between romanization systems (the rules are data:
``data/identity/transliteration.tsv``). A person is identified by surname key,
given-name key (when present) and country; anything else by its full name key,
and a country by its bare country code ("Russia" and "Russian Federation" are
both RUS). Everything here is pure: the store keeps the actors and asks
``same_actor`` which of its candidates an entity belongs to.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from ..extract.names import fold, given_names_agree, name_key, word_key

# Entity types whose identity is a person's name (surname + given names).
_PERSON = "PERSON"
# A bare CAMEO country code (three capitals, nothing after) names the country itself.
_COUNTRY_CODE = re.compile(r"[A-Z]{3}")



@dataclass(frozen=True, slots=True)
class ActorKey:
    """What identifies an actor across articles."""

    type: str
    name_key: str  # every word's key, space-joined
    surname_key: str  # persons: the last word's key; others: ""
    given_key: str  # persons: the first word's key when there are two or more words
    country: str  # the first three letters of a country-coded actor code, else ""


def country_of(code: str | None) -> str:
    """The country part of a CAMEO actor code ("BLRGOV" -> "BLR"); "" for
    codes that do not start with a country (IGO..., MED, ...)."""
    if not code or len(code) < 3 or not code[:3].isalpha():
        return ""
    return code[:3] if code[:3] in _country_codes() else ""


@lru_cache(maxsize=1)
def _country_codes() -> frozenset[str]:
    import pycountry

    return frozenset(c.alpha_3 for c in pycountry.countries)


def actor_key(name: str, type_: str, code: str | None, *, names_country: bool = False) -> ActorKey:
    """The identity key of an entity. ``names_country``: the name is a form of
    the country's own name or its demonym ("Russia", "Russian Federation",
    "Russians"), not a city the country code was also given to."""
    words = name_key(name).split()
    country = country_of(code)
    if type_ == _PERSON and words:
        # Given names keep their endings: "aleksei" and "aleksander" differ there.
        given = word_key(fold(name).split()[0], strip_ending=False) if len(words) > 1 else ""
        return ActorKey(type_, " ".join(words), words[-1], given, country)
    if names_country and code and _COUNTRY_CODE.fullmatch(code) and country:
        # The country itself, whatever it is called.
        return ActorKey(type_, f"={code}", "", "", country)
    return ActorKey(type_, " ".join(words), "", "", country)


def same_actor(a: ActorKey, b: ActorKey) -> bool:
    """Whether two keys name one actor. Countries must not contradict each
    other (a missing country contradicts nothing)."""
    if a.country and b.country and a.country != b.country:
        return False
    if a.type == _PERSON or b.type == _PERSON:
        return (
            a.type == b.type
            and bool(a.surname_key)
            and a.surname_key == b.surname_key
            and given_names_agree(a.given_key, b.given_key)
        )
    # Places, organizations and peoples: the same name (or country) is the
    # same actor even when the NER type differs (GPE vs LOC vs ORG).
    return bool(a.name_key) and a.name_key == b.name_key


def best_match(key: ActorKey, candidates: list[tuple[str, ActorKey]]) -> str | None:
    """The id of the candidate actor ``key`` belongs to: exact name keys first,
    then candidates with a given name that agrees; None when none fits. A
    surname alone matching several different people is ambiguous: None."""
    fitting = [(actor_id, c) for actor_id, c in candidates if same_actor(key, c)]
    if not fitting:
        return None
    exact = [actor_id for actor_id, c in fitting if c.name_key == key.name_key]
    if exact:
        return min(exact)
    if key.type == _PERSON and not key.given_key:
        people = {c.given_key for _, c in fitting if c.given_key}
        if len(people) > 1:
            return None
    return min(actor_id for actor_id, _ in fitting)


def actor_id_for(key: ActorKey) -> str:
    """A readable, stable id for a new actor: its type and name key."""
    return f"{key.type}:{key.name_key}"


# When one actor is seen under several names, the name shown for it: the
# country's own name before its demonym; then a person's fullest form, or a
# country's shortest ("Russia", not "Russian Federation").
_TYPE_RANK = {"PERSON": 0, "GPE": 0, "ORG": 1, "FAC": 1, "LOC": 2, "NORP": 3}


def preferred_name(current: tuple[str, str], candidate: tuple[str, str], *, country: bool = False) -> tuple[str, str]:
    """Of two (name, type) pairs naming one actor, the one to display;
    ``country``: the actor is a country."""
    sign = -1 if country else 1

    def rank(pair: tuple[str, str]) -> tuple[int, int, int]:
        name, type_ = pair
        return (-_TYPE_RANK.get(type_, 4), sign * len(name.split()), sign * len(name))

    return candidate if rank(candidate) > rank(current) else current


def preferred_name_rank_sql(name: str, type_: str, country: str) -> str:
    """``preferred_name``'s rank of the row's (``name``, ``type_``) in SQL,
    as a list that compares as the rank does; ``country`` is a boolean SQL
    expression. Of several names, the one with the highest rank is displayed."""
    type_rank = " ".join(f"WHEN '{t}' THEN {r}" for t, r in _TYPE_RANK.items())
    sign = f"(CASE WHEN {country} THEN -1 ELSE 1 END)"
    words = rf"len(string_split_regex(trim({name}), '\s+'))"
    return f"[-(CASE {type_} {type_rank} ELSE 4 END), {sign} * {words}, {sign} * length({name})]"
