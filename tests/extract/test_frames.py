"""Tests of eventwire.extract.frames on real parses (the real spaCy model),
on sentences written for these tests."""

from __future__ import annotations

from spacy.tokens import Token

from eventwire.extract import frames
from eventwire.extract.nlp import parse


def _frame(text: str, predicate: str) -> frames.Frame:
    doc = parse(text)
    found = [f for f in frames.clause_frames(doc[:]) if f.predicate.text == predicate]
    assert found, f"no frame for {predicate!r} in {text!r}"
    return found[0]


def _words(tokens: tuple[Token, ...]) -> list[str]:
    return [t.text for t in tokens]


def test_coordinated_verbs_share_their_subject():
    f = _frame("Soldiers stormed the town hall and arrested the mayor.", "arrested")
    assert _words(f.agents) == ["Soldiers"] and _words(f.patients) == ["mayor"] and f.shared == "conj"


def test_passive_takes_its_agent_from_by_and_shares_it_across_coordination():
    f = _frame("Two reporters were detained and questioned by the police.", "questioned")
    assert _words(f.agents) == ["police"] and _words(f.patients) == ["reporters"] and f.passive
    g = _frame("The convoy was shelled near the border.", "shelled")
    assert g.agents == () and _words(g.patients) == ["convoy"]


def test_relative_clauses_give_the_head_noun_its_role():
    f = _frame("The militia, which has kidnapped dozens of farmers, denied the report.", "kidnapped")
    assert _words(f.agents) == ["militia"] and _words(f.patients) == ["dozens"]
    g = _frame("The envoy who was expelled by the government left on Sunday.", "expelled")
    assert _words(g.agents) == ["government"] and _words(g.patients) == ["envoy"]
    h = _frame("The prisoners that the army released were flown home.", "released")
    assert _words(h.agents) == ["army"] and _words(h.patients) == ["prisoners"]


def test_control_and_raising():
    assert _words(_frame("The rebels agreed to withdraw their fighters.", "withdraw").agents) == ["rebels"]
    urged = _frame("Oslo urged the junta to free the students.", "free")
    assert _words(urged.agents) == ["junta"] and urged.shared == "object_control"
    forced = _frame("The governor was forced to resign.", "resign")
    assert _words(forced.agents) == ["governor"] and forced.shared == "raising"
    accused = _frame("Hanoi accused Seoul of jamming its radar.", "jamming")
    assert _words(accused.agents) == ["Seoul"] and _words(accused.patients) == ["radar"]


def test_participle_clauses():
    f = _frame("Gunmen ambushed a patrol, killing four policemen.", "killing")
    assert _words(f.agents) == ["Gunmen"] and _words(f.patients) == ["policemen"] and f.shared == "participle"
    g = _frame("Three monks arrested by soldiers were later freed.", "arrested")
    assert _words(g.agents) == ["soldiers"] and _words(g.patients) == ["monks"]


def test_nominalisations_and_light_verbs():
    doc = parse("Turkish airstrikes on the camps killed five people.")
    strikes = next(t for t in doc if t.text == "airstrikes")
    f = frames.noun_frame(strikes)
    assert _words(f.agents) == ["Turkish"] and [(p, o.text) for p, o in f.obliques] == [("on", "camps")] and f.nominal
    doc = parse("The arrest of the editor by security agents drew protests.")
    g = frames.noun_frame(next(t for t in doc if t.text == "arrest"))
    assert _words(g.agents) == ["agents"] and _words(g.patients) == ["editor"]
    doc = parse("Chile held talks with Peru on Friday.")
    talks, held = (next(t for t in doc if t.text == w) for w in ("talks", "held"))
    h = frames.noun_frame(talks, light=held)
    assert _words(h.agents) == ["Chile"] and h.oblique("with")[0].text == "Peru" and h.light is held


def test_phrase_span_covers_the_noun_phrase_without_its_clauses():
    text = "The arrest of two journalists, which shocked many, was condemned."
    doc = parse(text)
    start, end = frames.phrase_span(next(t for t in doc if t.text == "arrest"))
    assert text[start:end] == "The arrest of two journalists"


def test_only_a_verb_of_requesting_passes_control_through_on():
    assert _words(_frame("Oslo called on the junta to free the students.", "free").agents) == ["junta"]
    assert _words(_frame("The rebels agreed on Friday to free the students.", "free").agents) == ["rebels"]
