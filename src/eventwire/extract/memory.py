"""Corpus memory, the extraction's side: a person the dictionaries do not code
gets the code an earlier article taught for them, valid on this article's date.

The roles themselves are learned and stored by the corpus
(``corpus.memory``); here they are one of the coding tables
(``CodingTables.learned``), passed in explicitly like the dictionaries.
Persons are matched by romanization-independent keys (``names.person_keys``):
the same surname, and given names that agree when both are written.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from ..model import LearnedRole
from .names import given_names_agree, person_keys


@dataclass(frozen=True, slots=True)
class LearnedRoles:
    """Every learned role, indexed by surname key."""

    roles: tuple[LearnedRole, ...] = ()
    by_surname: dict[str, tuple[LearnedRole, ...]] = field(default_factory=dict, compare=False, repr=False)

    @classmethod
    def of(cls, roles: Iterable[LearnedRole]) -> LearnedRoles:
        ordered = tuple(sorted(roles, key=lambda r: (r.surname_key, r.given_key, r.valid_from)))
        index: dict[str, list[LearnedRole]] = {}
        for role in ordered:
            index.setdefault(role.surname_key, []).append(role)
        return cls(ordered, {k: tuple(v) for k, v in index.items()})

    def __len__(self) -> int:
        return len(self.roles)


NO_LEARNED_ROLES = LearnedRoles()


def holds_on(role: LearnedRole, day: str) -> bool:
    """Whether ``role`` is valid on the ISO date ``day`` (its end is exclusive)."""
    return role.valid_from <= day and (role.valid_to is None or day < role.valid_to)


def remembered_role(learned: LearnedRoles, name: str, published: date | None) -> LearnedRole | None:
    """The learned role of the person ``name`` on the article's date; None when
    nothing was learned, when the name could be several learned people (a bare
    surname two people share), or when their roles disagree on that date. An
    undated article gets a role only when the person was only ever taught one
    code."""
    surname, given = person_keys(name)
    if not surname or not learned.roles:
        return None
    candidates = [r for r in learned.by_surname.get(surname, ()) if given_names_agree(given, r.given_key)]
    if not given and len({r.given_key for r in candidates}) > 1:
        return None
    if published is None:
        valid = candidates
    else:
        day = published.isoformat()
        valid = [r for r in candidates if holds_on(r, day)]
    if not valid or len({r.code for r in valid}) != 1:
        return None
    return valid[0]
