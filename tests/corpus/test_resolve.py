"""The actor resolver: countries by code or name include their government and
people, names mean one actor, unknown and ambiguous arguments list candidates."""

from __future__ import annotations

import pytest
from records import make_article, mention

from eventwire.corpus.resolve import is_actor_id, resolve_actor
from eventwire.corpus.store import Store
from eventwire.errors import ActorQueryError
from eventwire.model import Entity

TWO_LUKASHENKOS = "Two Lukashenkos\n\nAlexander Lukashenko met Viktor Lukashenko in Minsk. Belarus and Russia signed a deal on Friday."


@pytest.fixture()
def store(tmp_path):
    text = TWO_LUKASHENKOS
    entities = (
        Entity("e1", "Alexander Lukashenko", "PERSON", "BLRGOV", (mention(text, "Alexander Lukashenko"),)),
        Entity("e2", "Viktor Lukashenko", "PERSON", "BLRGOV", (mention(text, "Viktor Lukashenko"),)),
        Entity("e3", "Belarus", "GPE", "BLR", (mention(text, "Belarus"),)),
        Entity("e4", "Russia", "GPE", "RUS", (mention(text, "Russia"),)),
    )
    with Store(tmp_path / "r.duckdb") as s:
        s.add(make_article("a", text=text, entities=entities, events=(), quotes=()))
        yield s


def test_country_code_and_name_resolve_to_the_same_prefix(store):
    by_code, by_name = resolve_actor(store, "BLR"), resolve_actor(store, "Belarus")
    assert (by_code.kind, by_code.code, by_code.exact) == ("country", "BLR", False)
    assert (by_name.kind, by_name.code) == ("country", "BLR")
    # The description names the actors the prefix takes in.
    assert "Alexander Lukashenko" in by_code.description and "Belarus" in by_code.description
    # A country the store has not seen yet is still a country (ISO 3166 names and codes).
    assert resolve_actor(store, "France").code == resolve_actor(store, "FRA").code == "FRA"


def test_exact_asks_for_the_code_itself(store):
    for resolved in (resolve_actor(store, "=BLR"), resolve_actor(store, "BLR", exact=True)):
        assert (resolved.code, resolved.exact) == ("BLR", True)
        assert resolved.description.startswith("=BLR: only actors coded exactly BLR")
        assert "Lukashenko" not in resolved.description


def test_a_person_name_means_that_person(store):
    alexander = resolve_actor(store, "Alexander Lukashenko")
    assert alexander.kind == "actor" and len(alexander.actor_ids) == 1
    assert is_actor_id(alexander.actor_ids[0])
    assert resolve_actor(store, alexander.actor_ids[0]).actor_ids == alexander.actor_ids
    # Another romanization of the same name finds the same person.
    assert resolve_actor(store, "Aleksandr Lukashenka").actor_ids == alexander.actor_ids


def test_ambiguous_and_unknown_arguments_list_candidates(store):
    with pytest.raises(ActorQueryError) as ambiguous:
        resolve_actor(store, "Lukashenko")
    assert ambiguous.value.reason == "ambiguous"
    labels = [label for _, label in ambiguous.value.candidates]
    assert any("Alexander" in x for x in labels) and any("Viktor" in x for x in labels)
    assert all(is_actor_id(value) for value, _ in ambiguous.value.candidates)

    with pytest.raises(ActorQueryError) as unknown_code:
        resolve_actor(store, "XYZ")
    assert unknown_code.value.reason == "unknown"
    assert {"BLR", "RUS"} <= {value for value, _ in unknown_code.value.candidates}
    with pytest.raises(ActorQueryError) as misspelt:
        resolve_actor(store, "Alexander Lukashevich")
    assert misspelt.value.candidates[0][1].startswith("Alexander Lukashenko")
    with pytest.raises(ActorQueryError):
        resolve_actor(store, "PERSON:nobody at all")
    with pytest.raises(ActorQueryError):
        resolve_actor(store, "=")
