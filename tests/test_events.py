"""Tests of eventwire.events on real parses (the real spaCy model, actors, timex, quotes)."""

from __future__ import annotations

import pytest

import eventwire
from eventwire import events
from eventwire.model import Article, Event


def _events(text: str, published: str | None = "2024-03-01") -> list[Event]:
    return list(eventwire.extract(text, published=published).events)


def _one(text: str, code_prefix: str, published: str | None = "2024-03-01") -> Event:
    found = [e for e in _events(text, published) if e.code.startswith(code_prefix)]
    assert found, f"no {code_prefix} event in {text!r}: {_events(text, published)}"
    return found[0]


# --- tables -----------------------------------------------------------------------------


def test_verb_dictionary_format_is_read():
    text = "\n".join(
        [
            "&WEAPON_", "+MISSILE", "+ROCKET", "",
            "####### VERB PATTERNS #######",
            "---  HURL   [---]  ---",
            "HURL", "THROW {THREW THROWN}",
            "- * &WEAPON_                 [190]    # HURL",
            "- * (AT ENVOY)               [111]    # THROW",
            "- * (FOR)                    [020]    # THROW",
            "---  SCOLD   [111]  ---",
            "+TELL_OFF", "SCOLD [112]",
            "- * (TO SEA)                 [:173]   # SCOLD",
        ]
    )  # fmt: skip
    rules = {(r.lemma, r.particle, r.obj, r.code) for r in events.parse_verb_dictionary(text)}
    assert ("hurl", None, "missile", "190") in rules and ("hurl", None, "rocket", "190") in rules
    assert ("throw", "at", "envoy", "111") in rules
    assert ("tell", "off", None, "111") in rules and ("scold", None, None, "112") in rules
    # a bare preposition, a target-only code and the [---] block default give nothing
    assert not any(r[1] == "for" or r[3] in ("173", "---") for r in rules)
    assert not any(r[0] == "hurl" and r[2] is None for r in rules)


def test_tables_load_and_hand_rows_win():
    tables = events.trigger_tables()
    assert tables.nouns["sanctions"] == "163" and "hold" in tables.light_verbs
    assert tables.verbs["impose"][0].code == "163"
    assert events.code_info("04299").code == "042"  # nearest listed ancestor
    assert events.code_info("036").plover == "AGREE"


# --- arguments, codes, quantity, location, date ------------------------------------------


def test_active_verb_with_prepositional_target_and_quantity():
    e = _one("France sold 24 Rafale jets to Egypt on Monday.", "06")  # the dictionary's SELL * JETS: 062
    assert (e.source.actor, e.target.actor) == ("FRA", "EGY")
    assert (e.quantity.value, e.quantity.unit, e.quantity.item) == (24, None, "Rafale jets")
    assert e.modality == "asserted" and e.date_basis == "trigger" and e.date == "2024-02-26"
    assert e.trigger.text == "sold" and e.plover == "COOPERATE"


def test_passive_agent_is_source_and_location_in_phrase():
    text = "The activists were arrested by Turkish police in Istanbul."
    e = _one(text, "173")
    assert e.source.actor == "TURCOP" and e.target.name == "activists"
    assert e.location == "Istanbul"
    assert text[e.trigger.start : e.trigger.end] == "arrested"
    assert e.evidence.start == 0 and e.evidence.text == text


def test_between_gives_one_directed_pair_and_place_on_the_verb():
    found = [e for e in _events("Talks between Israel and Egypt resumed in Cairo.") if e.code == "040"]
    assert [(e.source.actor, e.target.actor) for e in found] == [("ISR", "EGY")]
    assert found[0].location == "Cairo" and found[0].trigger.text == "Talks"


def test_light_verb_lends_its_subject_to_the_nominal():
    e = _one("Germany imposed new sanctions on Iran.", "163")
    assert (e.source.actor, e.target.actor) == ("DEU", "IRN")
    e = _one("Chinese officials held a meeting with Indian diplomats in Beijing.", "04")
    assert e.source.actor == "CHNGOV" and e.target.actor.startswith("IND") and e.location == "Beijing"


def test_no_event_without_any_coded_actor():
    assert _events("The children attacked the snowman in the garden.") == []


# --- modality and attribution ------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "code", "mode"),
    [
        ("Poland did not attack Russia.", "190", "negated"),
        ("Poland never attacked Russia.", "190", "negated"),
        ("Germany could impose sanctions on Iran.", "163", "hypothetical"),
        ("If talks fail, Germany will impose sanctions on Iran.", "163", "hypothetical"),
        ("Russia plans to deploy troops to Syria.", "15", "intended"),
        ("Russia is willing to attack Georgia.", "190", "intended"),
        ("Israel attacked Gaza.", "19", "asserted"),
    ],
)
def test_modality(text: str, code: str, mode: str):
    assert _one(text, code).modality == mode


def test_intended_meeting_is_coded_as_intent_to_meet():
    e = _one("Kenya's president will meet the Ugandan president in Nairobi.", "036")
    assert e.modality == "intended" and e.plover == "AGREE" and e.location == "Nairobi"


def test_reporting_verb_attributes_its_complement():
    art = eventwire.extract("The Japanese prime minister Fumio Kishida said that China had threatened Taiwan.")
    e = next(e for e in art.events if e.code == "130")
    assert (e.source.actor, e.target.actor) == ("CHN", "TWN")
    speaker = art.entity(e.attributed_to)
    assert speaker is not None and "Kishida" in speaker.name
    assert not any(ev.trigger.text == "said" for ev in art.events)  # a cue is not an event


# --- whole articles -------------------------------------------------------------------------


def _by_id(sample_articles: dict[str, Article], year: str) -> Article:
    return next(a for k, a in sample_articles.items() if year in k or year in (a.published or ""))


def test_sample_2023_supply_meeting_and_ids(sample_articles):
    art = _by_id(sample_articles, "2023")
    supply = next(e for e in art.events if e.trigger.text == "supplied")
    assert supply.source.actor == "BLRGOV" and supply.target.actor == "RUSGOV"
    assert supply.code.startswith("07") and supply.plover == "AID"
    assert (supply.quantity.value, supply.quantity.unit, supply.quantity.item) == (60000, "tons", "diesel")
    meeting = [e for e in art.events if e.code.startswith("04") and e.source and e.target and {e.source.actor, e.target.actor} == {"BLRGOV", "RUSGOV"}]
    assert meeting and any(e.location == "Sochi" for e in meeting)
    ids = [e.id for e in art.events]
    assert ids == [f"{art.doc_id}:{n}" for n in range(len(ids))]
    keys = [(e.code, e.source, e.target, e.trigger.start) for e in art.events]
    assert len(keys) == len(set(keys))
    for e in art.events:
        assert art.text[e.trigger.start : e.trigger.end] == e.trigger.text
        assert e.evidence.start <= e.trigger.start < e.trigger.end <= e.evidence.end


def test_sample_2020_intended_meeting_dated_and_negated_agreement(sample_articles):
    art = _by_id(sample_articles, "2020")
    meet = next(e for e in art.events if e.code == "036" and e.trigger.text == "meet")
    assert meet.modality == "intended" and meet.source.actor == "BLRGOV" and meet.target.actor == "RUSGOV"
    assert (meet.date, meet.date_basis) == ("2020-02-07", "trigger")
    agree = [e for e in art.events if e.trigger.text == "agree"]
    assert {(e.source.actor, e.target.actor) for e in agree} == {("BLRGOV", "RUSGOV"), ("RUSGOV", "BLRGOV")}
    assert all(e.modality == "negated" for e in agree)
    visit = [e for e in art.events if e.code == "042" and e.target.actor.startswith("BLR")]
    assert visit and visit[0].source.actor == "USAGOV"
