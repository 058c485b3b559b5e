"""Corpus memory: persons the dictionaries lack, remembered across articles.

When an article codes a person from strong evidence, a title with a country
or international body in the text ("Kenya's foreign minister Musalia
Mudavadi" -> KENGOV, ``Entity.code_basis == "title"``), the store keeps that
as a ``LearnedRole``: valid from the article's publication date, with the
article and the mention that taught it. A later article giving the same
person a contradicting title closes the role on its own date and opens the
new one, so roles are valid by date. Later articles that name the person
without a title are coded from the role that holds on their date
(``extract.memory``); a dictionary code for the same date always wins.

The role logic here is pure; the store calls ``learn`` inside the
transaction that writes the teaching article.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import replace
from typing import Any

import duckdb

from ..extract.memory import LearnedRoles, holds_on
from ..extract.names import person_keys
from ..model import Article, LearnedRole

# The entity code bases strong enough to teach a role: the article itself
# gives the title and the country or body ("title"). A country guessed from
# the sentence, the dateline or the article's topic is not evidence about the
# person, and a role learned from memory must not teach itself again.
TEACHING_BASES = frozenset({"title"})

LEARNED_ROLES_DDL = """CREATE TABLE IF NOT EXISTS learned_roles (
    surname_key VARCHAR NOT NULL,
    given_key VARCHAR NOT NULL,
    name VARCHAR NOT NULL,
    code VARCHAR NOT NULL,
    valid_from DATE NOT NULL,
    valid_to DATE,
    taught_by VARCHAR NOT NULL,
    start_char INTEGER NOT NULL,
    end_char INTEGER NOT NULL,
    title VARCHAR NOT NULL,
    closed_by VARCHAR
)"""

LEARNED_COLUMNS = "surname_key, given_key, name, code, valid_from, valid_to, taught_by, start_char, end_char, title, closed_by"


def taught_roles(article: Article) -> list[LearnedRole]:
    """The roles ``article`` teaches: one per person it codes from a title
    with a country or body in the text. An undated article teaches nothing
    (a role needs the date it held on)."""
    if not article.published:
        return []
    day = article.published[:10]
    taught: list[LearnedRole] = []
    for entity in article.entities:
        if entity.type != "PERSON" or entity.code_basis not in TEACHING_BASES or not entity.actor:
            continue
        if entity.actor.startswith("---") or not entity.mentions:
            continue
        surname, given = person_keys(entity.name)
        if not surname:
            continue
        first = entity.mentions[0]
        taught.append(
            LearnedRole(
                name=entity.name,
                surname_key=surname,
                given_key=given,
                code=entity.actor,
                valid_from=day,
                valid_to=None,
                taught_by=article.doc_id,
                start=first.start,
                end=first.end,
                title=", ".join(entity.labels),
            )
        )
    return taught


def updated_roles(roles: Sequence[LearnedRole], taught: LearnedRole) -> list[LearnedRole]:
    """One person's roles after ``taught`` (same person, any order of
    arrival). The same code on a date it already holds changes nothing; an
    earlier date for the role that follows moves its start back; a different
    code closes the role holding on that date and opens the new one until the
    next known role. Two codes taught on the same first day: the first stays."""
    ordered = sorted(roles, key=lambda r: r.valid_from)
    day = taught.valid_from
    holding = next((r for r in ordered if holds_on(r, day)), None)
    if holding is not None:
        if holding.code == taught.code or holding.valid_from == day:
            return ordered
        closed = replace(holding, valid_to=day, closed_by=taught.taught_by)
        opened = replace(taught, valid_to=holding.valid_to)
        return sorted([r for r in ordered if r is not holding] + [closed, opened], key=lambda r: r.valid_from)
    following = next((r for r in ordered if r.valid_from > day), None)
    if following is not None and following.code == taught.code:
        # The same role, known from an earlier date than before.
        earlier = replace(taught, valid_to=following.valid_to, closed_by=following.closed_by)
        return sorted([r for r in ordered if r is not following] + [earlier], key=lambda r: r.valid_from)
    opened = replace(taught, valid_to=following.valid_from if following is not None else None)
    return sorted([*ordered, opened], key=lambda r: r.valid_from)


def role_from_row(row: Sequence[Any]) -> LearnedRole:
    surname, given, name, code, valid_from, valid_to, taught_by, start, end, title, closed_by = row
    return LearnedRole(
        name=name,
        surname_key=surname,
        given_key=given,
        code=code,
        valid_from=str(valid_from),
        valid_to=str(valid_to) if valid_to is not None else None,
        taught_by=taught_by,
        start=start,
        end=end,
        title=title,
        closed_by=closed_by,
    )


def _row(role: LearnedRole) -> tuple[Any, ...]:
    return (
        role.surname_key, role.given_key, role.name, role.code, role.valid_from, role.valid_to,
        role.taught_by, role.start, role.end, role.title, role.closed_by,
    )


def learn(con: duckdb.DuckDBPyConnection, article: Article) -> int:
    """Update ``learned_roles`` with what ``article`` teaches, inside the
    caller's transaction; the number of roles it taught."""
    taught = taught_roles(article)
    for role in taught:
        keys = [role.surname_key, role.given_key]
        rows = con.execute(
            f"SELECT {LEARNED_COLUMNS} FROM learned_roles WHERE surname_key = ? AND given_key = ?", keys
        ).fetchall()
        roles = updated_roles([role_from_row(r) for r in rows], role)
        con.execute("DELETE FROM learned_roles WHERE surname_key = ? AND given_key = ?", keys)
        insert_roles(con, roles)
    return len(taught)


def insert_roles(con: duckdb.DuckDBPyConnection, roles: Sequence[LearnedRole]) -> None:
    if roles:
        con.executemany(f"INSERT INTO learned_roles ({LEARNED_COLUMNS}) VALUES ({', '.join('?' * 11)})", [_row(r) for r in roles])


def stored_roles(con: duckdb.DuckDBPyConnection) -> list[LearnedRole]:
    """Every learned role in the store, by person and date; none in a store
    written before corpus memory existed."""
    try:
        rows = con.execute(f"SELECT {LEARNED_COLUMNS} FROM learned_roles ORDER BY surname_key, given_key, valid_from").fetchall()
    except duckdb.CatalogException:
        return []
    return [role_from_row(r) for r in rows]


def learned_tables(roles: Iterable[LearnedRole]) -> LearnedRoles:
    """The roles as a coding table (``CodingTables.learned``)."""
    return LearnedRoles.of(roles)
