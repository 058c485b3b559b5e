"""Clause frames: who does what to whom in one clause, read off the dependency parse.

A ``Frame`` names a predicate (a verb, or an event noun with the light verb
that carries it: "held talks", "carried out strikes") and its arguments:
agents (who acts), patients (whom or what the act is done to), recipients
(indirect objects) and obliques (prepositional objects, with their
preposition). The event coder reads frames, not raw arcs; the grammar of
English argument sharing lives here, once:

* coordination: "stormed the building and arrested the mayor": the second
  verb shares the first one's agent; "was arrested and charged": and its patient;
* passives: the subject is the patient, the "by" object the agent;
* relative clauses: "the junta, which has detained ..." (the head noun is the
  agent), "the activists that the junta detained", "the man who was arrested"
  (the head noun is the patient);
* control and raising: "agreed to withdraw" (the subject acts), "urged X to
  allow" (the object acts), "was forced to leave" (the passive subject acts);
  "accused X of ramming", "blamed X for attacking" (the object acts);
* participle clauses: ", killing three soldiers" (the main clause's agent),
  "the journalists arrested by police" (the head noun is the patient);
* nominalisations: "Turkish airstrikes on X", "the arrest of X by Y", "X's
  visit to Y": the possessive, the nationality and "by" give the agent, "of"
  the patient; a light verb lends its subject ("X held talks with Y").

Everything here is grammar (spaCy's English dependency labels); which words
are triggers and which roles make the source and target of an event is the
coder's business (``extract/events.py``). Spans are character offsets into
the parsed text (``phrase_span``).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from spacy.tokens import Span, Token

from .words import word_set

SUBJECT_DEPS = frozenset({"nsubj", "csubj"})
PREP_DEPS = frozenset({"prep", "agent", "dative"})
WH_PRONOUNS = word_set("pronouns", "relative")
# Dependents that are clauses or lists of their own, not part of a noun phrase's span.
CLAUSAL_DEPS = frozenset({"relcl", "acl", "appos", "conj", "cc", "punct", "advcl", "ccomp", "parataxis"})
# Prepositions of a gerund whose agent is the governing verb's object:
# "accused X of ramming", "blamed X for attacking", "prevented X from entering".
OBJECT_CONTROL_PREPS = frozenset({"of", "for", "from"})
# Prepositions whose object controls the infinitive of a verb of requesting:
# "called on X to free", "pressed upon X to stay".
OBJECT_CONTROL_ON = frozenset({"on", "upon"})
REQUEST_HEADS = word_set("modality", "request_heads")


@dataclass(frozen=True, slots=True)
class Frame:
    """One predicate and its arguments (noun-phrase heads; see ``phrase_span``)."""

    predicate: Token
    agents: tuple[Token, ...]
    patients: tuple[Token, ...]
    recipients: tuple[Token, ...]
    obliques: tuple[tuple[str, Token], ...]
    passive: bool = False
    nominal: bool = False
    # The verb that lends a nominal predicate its subject ("held" in "held talks").
    light: Token | None = None
    # How the agent was found when the clause has no subject of its own:
    # "conj", "xcomp", "object_control", "raising", "relcl", "participle", "gerund".
    shared: str | None = None

    def oblique(self, *preps: str) -> list[Token]:
        """The objects of the given prepositions, in text order."""
        return [obj for prep, obj in self.obliques if prep in preps]

    @property
    def span(self) -> tuple[int, int]:
        return phrase_span(self.predicate)


def phrase_span(token: Token) -> tuple[int, int]:
    """Character offsets of the noun phrase a head token stands for: its
    determiners, modifiers and of-phrases, without clauses, appositives or
    coordinated members ("the arrest of two journalists", not "..., who ...")."""
    tokens = [token]
    stack = [c for c in token.children if c.dep_ not in CLAUSAL_DEPS]
    while stack:
        child = stack.pop()
        tokens.append(child)
        stack.extend(c for c in child.children if c.dep_ not in CLAUSAL_DEPS)
    first = min(tokens, key=lambda t: t.i)
    last = max(tokens, key=lambda t: t.i)
    return first.idx, last.idx + len(last.text)


def conjuncts_of(tokens: Iterable[Token]) -> tuple[Token, ...]:
    """Each token with its coordinated members, once, in order."""
    out: list[Token] = []
    for t in tokens:
        for x in (t, *t.conjuncts):
            if x not in out:
                out.append(x)
    return tuple(out)


def is_passive(verb: Token) -> bool:
    """A passive clause, or a reduced relative ("the journalists arrested by
    police"): a participle attached to a noun with no object of its own or of a
    coordinated verb (else it is a misparsed active verb: "groups donated and
    delivered goods")."""
    if any(c.dep_ in ("auxpass", "nsubjpass") for c in verb.children):
        return True
    if verb.tag_ != "VBN" or verb.dep_ != "acl":
        return False
    return not any(c.dep_ == "dobj" for v in (verb, *verb.conjuncts) for c in v.children)


def _obliques(head: Token) -> list[tuple[str, Token]]:
    return [
        (prep.lower_, obj)
        for prep in head.children
        if prep.dep_ in PREP_DEPS
        for obj in prep.children
        if obj.dep_ == "pobj"
    ]


def _by_agents(verb: Token) -> list[Token]:
    return [obj for prep in verb.children if prep.dep_ == "agent" for obj in prep.children if obj.dep_ == "pobj"]


def _own_subjects(verb: Token) -> list[Token]:
    return [c for c in verb.children if c.dep_ in SUBJECT_DEPS]


def _agents(verb: Token, depth: int = 0) -> tuple[list[Token], str | None]:
    """The agents of a verb and, when borrowed from another clause, how."""
    if depth > 6:
        return [], None
    passive = is_passive(verb)
    own = _by_agents(verb) if passive else _own_subjects(verb)
    if own and all(s.lower_ in WH_PRONOUNS for s in own) and verb.dep_ == "relcl":
        return [verb.head], "relcl"  # "the junta, which has detained ..."
    if own:
        return own, None
    if passive:
        return [], None  # an agentless passive: nobody is named
    head = verb.head
    if head.i == verb.i:
        return [], None
    if verb.dep_ == "relcl":
        return [head], "relcl"  # "forces loyal to X, firing on ..." parsed as a relative clause
    if verb.dep_ == "acl":
        return [head], "participle"  # "troops firing on protesters" (an active participle)
    if verb.dep_ == "xcomp":
        if is_passive(head):
            # "was forced to leave": the passive subject is the one who leaves.
            raised = [c for c in head.children if c.dep_ == "nsubjpass"]
            if raised:
                return raised, "raising"
        objects = [c for c in head.children if c.dep_ == "dobj"]
        if not objects and head.lemma_.lower() in REQUEST_HEADS:
            # "called on X to free" (not "agreed on Wednesday to cooperate").
            objects = [obj for prep, obj in _obliques(head) if prep in OBJECT_CONTROL_ON and obj.ent_type_ not in ("DATE", "TIME")]
        if objects:
            return objects, "object_control"  # "urged X to allow", "called on X to free"
        return _agents(head, depth + 1)[0], "xcomp"  # "agreed to withdraw"
    if verb.dep_ == "pcomp" and head.dep_ == "prep":
        governor = head.head
        objects = [c for c in governor.children if c.dep_ == "dobj"]
        if head.lower_ in OBJECT_CONTROL_PREPS and is_passive(governor):
            # "X was accused of spying", "nationals suspected by the West of blowing up".
            return [c for c in governor.children if c.dep_ == "nsubjpass"] or [governor.head], "object_control"
        if head.lower_ in OBJECT_CONTROL_PREPS and objects and governor.pos_ in ("VERB", "AUX"):
            return objects, "object_control"  # "accused X of ramming"
        if governor.pos_ in ("VERB", "AUX"):
            return _agents(governor, depth + 1)[0], "gerund"  # "X met Y before signing"
        return [], None
    if verb.dep_ in ("conj", "advcl", "acomp"):
        shared = "conj" if verb.dep_ == "conj" else "participle"
        return _agents(head, depth + 1)[0], shared  # "stormed ... and arrested", ", killing ..."
    return [], None


def _shares_passive_subject(verb: Token) -> bool:
    return verb.dep_ == "conj" and verb.tag_ == "VBN" and is_passive(verb.head) and not _own_subjects(verb)


def _patients(verb: Token) -> list[Token]:
    passive = is_passive(verb)
    patients = [c for c in verb.children if c.dep_ == ("nsubjpass" if passive else "dobj")]
    if passive and verb.dep_ == "acl":
        patients = [verb.head]  # "the journalists arrested by police"
    relative = any(p.lower_ in WH_PRONOUNS for p in patients)
    if verb.dep_ == "relcl" and (relative or (passive and not patients)):
        # "the man who was arrested", "the activists that the junta detained".
        patients = [verb.head]
    if not patients and _shares_passive_subject(verb):
        # "were arrested and charged": the second verb shares the passive subject.
        patients = [c for c in verb.head.children if c.dep_ == "nsubjpass"]
    return patients


def verb_frame(verb: Token) -> Frame:
    """The frame of a verb's clause."""
    agents, shared = _agents(verb)
    passive = is_passive(verb) or _shares_passive_subject(verb)
    if passive and not is_passive(verb):
        agents = _by_agents(verb) or _by_agents(verb.head)  # "were arrested and charged by police"
        shared = "conj"
    recipients = [c for c in verb.children if c.dep_ in ("dative", "iobj") and not any(g.dep_ == "pobj" for g in c.children)]
    return Frame(
        predicate=verb,
        agents=conjuncts_of(agents),
        patients=conjuncts_of(_patients(verb)),
        recipients=conjuncts_of(recipients),
        obliques=tuple(_obliques(verb)),
        passive=passive,
        shared=shared,
    )


# Modifiers of an event noun that name who does it: "Turkish airstrikes",
# "Russian shelling", "the Chinese-Philippine talks".
AGENT_MODIFIER_DEPS = frozenset({"amod", "compound", "nmod"})


def _hyphen_pair(modifier: Token) -> list[Token]:
    """A modifier with the one joined to it by a hyphen: "Chinese-Philippine"
    parses as "Chinese" modifying "Philippine"; both name a party."""
    doc = modifier.doc
    joined = [
        c for c in modifier.children
        if c.dep_ in AGENT_MODIFIER_DEPS and c.i + 1 < len(doc) and doc[c.i + 1].text == "-"
    ]
    return [*joined, modifier]


def noun_frame(noun: Token, light: Token | None = None) -> Frame:
    """The frame of an event noun: "Turkish airstrikes on X", "X's visit to Y",
    "the arrest of X by Y"; with a light verb ("X held talks with Y") the
    verb's agent and obliques join the noun's."""
    agents = [c for c in noun.children if c.dep_ == "poss"]
    agents += [obj for prep in noun.children if prep.dep_ in PREP_DEPS and prep.lower_ == "by" for obj in prep.children if obj.dep_ == "pobj"]
    modifiers = [c for c in noun.children if c.dep_ in AGENT_MODIFIER_DEPS and c.pos_ in ("PROPN", "ADJ")]
    agents += [joined for m in modifiers for joined in _hyphen_pair(m)]
    obliques = _obliques(noun)
    patients = [obj for prep, obj in obliques if prep == "of"]
    if not any(prep == "by" for prep, _ in obliques):
        # "the arrest of the editor by agents": the parser often hangs "by" on the of-object.
        agents += [obj for patient in patients for prep, obj in _obliques(patient) if prep == "by"]
    shared = None
    if light is not None:
        light_frame = verb_frame(light)
        # The noun's own modifiers may name no actor ("military aid"): the light
        # verb's agent joins them. "X was engaged in attacks": the passive subject takes part.
        agents += light_frame.patients if light_frame.passive and noun.dep_ == "pobj" else light_frame.agents
        shared = "light"
        obliques += [(p, o) for p, o in light_frame.obliques if o is not noun]
    return Frame(
        predicate=noun,
        agents=conjuncts_of(agents),
        patients=conjuncts_of(patients),
        recipients=(),
        obliques=tuple(obliques),
        nominal=True,
        light=light,
        shared=shared,
    )


def clause_frames(sentence: Span) -> list[Frame]:
    """The frame of every verb of a sentence, in reading order (for inspection
    and tests; the coder builds frames for its triggers only)."""
    return [verb_frame(t) for t in sentence if t.pos_ == "VERB"]
