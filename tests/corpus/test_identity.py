"""Cross-document identity: name keys and the same-actor rule."""

from __future__ import annotations

import pytest

from eventwire.corpus.identity import actor_key, best_match, fold, name_key, preferred_name, same_actor


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Lukashenko", "Lukashenka"),
        ("Lukashenka", "Łukašenka"),
        ("Zelensky", "Zelenskyy"),
        ("Zelenskiy", "Zelenskij"),
        ("Tikhanovskaya", "Tikhanovskaja"),
        ("Kim Jong-un", "Kim Jong Un"),
        ("Müller", "Muller"),
        ("Putin's", "Putin"),
    ],
)
def test_romanizations_share_a_key(a, b):
    assert name_key(a) == name_key(b)


@pytest.mark.parametrize(("a", "b"), [("Putin", "Rutin"), ("Kim Jong-un", "Kim Yo-jong"), ("Paris", "Parma")])
def test_different_names_keep_different_keys(a, b):
    assert name_key(a) != name_key(b)


def test_fold_keeps_ascii_letters_and_single_spaces():
    assert fold("  Łukašenka’s  Ørsted-Smith ") == "lukasenka orsted smith"


def test_people_match_by_surname_given_name_and_country():
    full = actor_key("Alexander Lukashenko", "PERSON", "BLRGOV")
    assert same_actor(full, actor_key("Lukashenka", "PERSON", None))
    assert same_actor(full, actor_key("Aliaksandr Lukashenka", "PERSON", "BLR"))
    assert same_actor(full, actor_key("A. Lukashenko", "PERSON", "BLRGOV"))
    assert not same_actor(full, actor_key("Viktor Lukashenko", "PERSON", "BLRGOV"))
    assert not same_actor(full, actor_key("Aleksei Lukashenko", "PERSON", "BLRGOV"))
    assert not same_actor(full, actor_key("Lukashenko", "PERSON", "UKRGOV"))  # another country's
    assert not same_actor(full, actor_key("Lukashenko", "ORG", "BLRGOV"))


def test_countries_match_by_code_only_when_named_as_the_country():
    russia = actor_key("Russia", "GPE", "RUS", names_country=True)
    assert same_actor(russia, actor_key("Russian Federation", "GPE", "RUS", names_country=True))
    assert same_actor(russia, actor_key("Russians", "NORP", "RUS", names_country=True))
    # A city the actors stage coded with the country code is not the country.
    assert not same_actor(russia, actor_key("Sochi", "GPE", "RUS"))


def test_best_match_prefers_exact_and_refuses_ambiguous_surnames():
    a = ("PERSON:a", actor_key("Anna Kowalska", "PERSON", "POLGOV"))
    b = ("PERSON:b", actor_key("Beata Kowalska", "PERSON", "POLGOV"))
    assert best_match(actor_key("Anna Kowalska", "PERSON", None), [a, b]) == "PERSON:a"
    assert best_match(actor_key("Kowalska", "PERSON", "POL"), [a, b]) is None
    assert best_match(actor_key("Kowalska", "PERSON", "POL"), [a]) == "PERSON:a"
    assert best_match(actor_key("Zofia Nowak", "PERSON", None), [a, b]) is None


def test_preferred_name():
    assert preferred_name(("Lukashenko", "PERSON"), ("Alexander Lukashenko", "PERSON")) == (
        "Alexander Lukashenko",
        "PERSON",
    )
    assert preferred_name(("Russians", "NORP"), ("Russia", "GPE"), country=True) == ("Russia", "GPE")
    assert preferred_name(("Russia", "GPE"), ("Russian Federation", "GPE"), country=True) == ("Russia", "GPE")
