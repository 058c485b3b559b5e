"""Corpus memory on the extraction's side: a person the dictionaries lack is
coded from a learned role valid on the article's date, and never against a
dictionary code. Sentences written for these tests."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from eventwire.extract.memory import LearnedRoles, remembered_role
from eventwire.extract.names import person_keys
from eventwire.extract.runner import extract
from eventwire.extract.tables import default_tables
from eventwire.model import LearnedRole


def role(name: str, code: str, start: str, end: str | None = None) -> LearnedRole:
    surname, given = person_keys(name)
    return LearnedRole(name, surname, given, code, start, end, "teacher", 0, len(name), "minister")


WEKESA = LearnedRoles.of(
    [
        role("Amani Wekesa", "KENGOV", "2020-03-01", "2023-01-10"),
        role("Amani Wekesa", "KENOPP", "2023-01-10"),
    ]
)


def test_the_role_that_holds_on_the_date_is_found_in_any_romanization():
    assert remembered_role(WEKESA, "Amani Wekesa", date(2021, 5, 10)).code == "KENGOV"  # type: ignore[union-attr]
    assert remembered_role(WEKESA, "Wekessa", date(2023, 1, 10)).code == "KENOPP"  # type: ignore[union-attr]
    # Before anything was learned, nothing holds.
    assert remembered_role(WEKESA, "Amani Wekesa", date(2019, 12, 31)) is None
    # Undated: two codes over time, so none can be chosen.
    assert remembered_role(WEKESA, "Amani Wekesa", None) is None
    # Another given name is another person.
    assert remembered_role(WEKESA, "Joseph Wekesa", date(2021, 5, 10)) is None


def test_a_bare_surname_two_learned_people_share_is_not_coded():
    two = LearnedRoles.of([*WEKESA.roles, role("Grace Wekesa", "UGAGOV", "2020-01-01")])
    assert remembered_role(two, "Wekesa", date(2021, 5, 10)) is None
    assert remembered_role(two, "Grace Wekesa", date(2021, 5, 10)).code == "UGAGOV"  # type: ignore[union-attr]


def test_extract_codes_an_untitled_mention_from_memory_with_its_basis():
    tables = replace(default_tables(), learned=WEKESA)
    text = "Amani Wekesa arrived in Addis Ababa on Tuesday. Wekesa criticised Ethiopia over the border closure."
    without = extract(text, published="2021-05-10")
    with_memory = extract(text, published="2021-05-10", tables=tables)
    [plain] = [e for e in without.entities if e.name == "Amani Wekesa"]
    [remembered] = [e for e in with_memory.entities if e.name == "Amani Wekesa"]
    assert plain.actor is None
    assert (remembered.actor, remembered.code_basis) == ("KENGOV", "corpus")
    # The events of the sentence now have their source.
    assert any(ev.source is not None and ev.source.actor == "KENGOV" for ev in with_memory.events)
    # After the role changed, the same words give the new code.
    later = extract(text, published="2024-02-02", tables=tables)
    assert {e.actor for e in later.entities if e.name == "Amani Wekesa"} == {"KENOPP"}


def test_a_learned_role_never_overrides_a_dictionary_code():
    wrong = LearnedRoles.of([role("Vladimir Putin", "USAGOV", "2020-01-01")])
    article = extract("Vladimir Putin met officials in Moscow.", published="2021-05-10", tables=replace(default_tables(), learned=wrong))
    [putin] = [e for e in article.entities if e.name == "Vladimir Putin"]
    assert putin.code_basis == "dictionary"
    assert putin.actor is not None and putin.actor.startswith("RUS")
