"""Events: CAMEO-coded who-did-what-to-whom from the dependency parse.

A trigger is a verb or a nominal ("meeting", "sanctions") listed in the trigger
tables: ``data/events/triggers.tsv`` (hand-curated, wins) and the verb blocks of
the PETRARCH2 dictionary ``data/phoenix/CAMEO.2.0.txt`` (fallback). Its
arguments come from the parse: source = active subject or passive agent,
target = direct object, passive subject or a prepositional object ("meet with
X", "supplied ... to X"); "between X and Y" gives X->Y and Y->X. A trigger
with no target takes the subject of its clause for directed speech acts ("X
demanded that Y ..."), the target of its infinitive complement ("threatened to
cut off supplies to Y") or, for consultations, the country it happens in ("arrived
in Y"). An intent verb whose coded complement it announces ("agreed to lift") is
not a second event. Each argument is resolved to an actor through the
``ActorIndex``; a non-actor noun stands for its owner or agent ("Y's reforms",
"an attack by Y", "the leaders of X, Y and Z" -> one actor each, "a camp for
Y refugees"), an uncoded name for its appositive, "it"/"they"/"its" for the
nearest actor subject above it (or the previous sentence's subject), a
first-person subject in a quote for its speaker. When no target names an
actor, a prepositional object one phrase down may ("advised against travel
to Y"); a complaint aims at what it is about ("over Y's raids"); a verb of
receiving swaps the roles ("Y received tanks from X"); an agentless passive
comes from its "from" phrase. A reporting verb coded as an event ranks after
the act it reports.

The tables come with the article (``ctx.tables.triggers``, see
``extract/tables.py``); another coding scheme (a validation suite's verb
dictionary, ``build_trigger_tables(...)``) is passed to the extraction call
as ``tables=CodingTables(...)``. Every function here that reads the tables
takes them as its first argument.

Rule for keeping an event: at least one of source and target carries a CAMEO
actor code with a known country or organisation (not "---CVL" alone): an event
with neither says nothing about political actors.

Events of one sentence are listed main clause first (shallowest trigger in the
parse tree), then in reading order: the first event of a sentence is its
"top" event.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from functools import lru_cache
from importlib import resources
from typing import TYPE_CHECKING

from spacy.attrs import POS
from spacy.symbols import NOUN, PROPN, VERB
from spacy.tokens import Span, Token

from ..model import ActorRef, DateBasis, Event, Evidence, Modality, Quantity, Quote, TimeExpr
from .context import SKIPPED_ZONES, sentences, tokens_where
from .frames import noun_frame, verb_frame
from .quotes import cue_lemmas
from .timex import time_for_span
from .words import word_list, word_map, word_set

if TYPE_CHECKING:
    from .actors import ActorIndex
    from .context import Context

# --- English function words (grammar, not world knowledge): data/words/ --------

NEGATORS = word_set("modality", "negators")
HYPOTHETICAL_AUX = word_set("modality", "hypothetical_aux")
FUTURE_AUX = word_set("modality", "future_aux")
CONDITION_MARKS = word_set("modality", "condition_marks")
# Heads whose infinitive complement is only planned: "plans to meet".
INTENT_HEADS = word_set("modality", "intent_heads")
# Verbs of planning: with an infinitive they only announce the act they govern.
PLANNING_VERBS = word_set("modality", "planning_verbs")
# Heads whose complement does not happen: "refused to meet".
NEGATING_HEADS = word_set("modality", "negating_heads")
INTENT_MODIFIERS = word_set("modality", "intent_modifiers")
# Heads whose complement is only requested, alleged or proposed ("urged Y to
# allow", "accused Y of ramming", "proposed to meet"): no assertion of the act.
EMBEDDING_HEADS: tuple[tuple[Modality, frozenset[str]], ...] = (
    ("requested", word_set("modality", "request_heads")),
    ("alleged", word_set("modality", "allegation_heads")),
    ("proposed", word_set("modality", "proposal_heads")),
)
# Prepositions of a gerund or noun a request or charge is about: "accused Y of
# ramming", "blamed Y for the attacks", "asked for aid".
EMBEDDING_PREPS = frozenset({"of", "for"})
HYPOTHETICAL_MODIFIERS = word_set("modality", "hypothetical_modifiers")
# Prepositions whose object is the target of a trigger, in order of preference.
TARGET_PREPS = word_list("prepositions", "target")
# Prepositions whose object may carry the target one phrase further down.
NESTING_PREPS = (*TARGET_PREPS, *word_list("prepositions", "nesting"))
# Prepositions of a verb whose object (a nominal trigger) its subject takes part in.
PARTAKING_PREPS = word_set("prepositions", "partaking")
# What a speech act is about: a target only when nothing else is ("warned about X").
TOPIC_PREPS = word_list("prepositions", "topic")
LOCATION_PREPS = word_set("prepositions", "location")
LOCATION_TYPES = frozenset({"GPE", "FAC", "LOC"})
SUBJECT_DEPS = frozenset({"nsubj", "csubj"})
WH_PRONOUNS = word_set("pronouns", "relative")
NUMBER_WORDS: dict[str, float] = {**word_map("numbers", "cardinals"), **word_map("numbers", "count_words")}
SCALES: dict[str, float] = word_map("numbers", "scales")


# --- tables -----------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class CodeInfo:
    """One row of ``cameo_codes.tsv``."""

    code: str
    name: str
    goldstein: float
    quad_class: int
    plover: str | None
    plover_mode: str | None = None


@dataclass(frozen=True, slots=True)
class TriggerRule:
    """A verb (or nominal) and the dependents it needs to mean ``code``."""

    lemma: str
    particle: str | None
    obj: str | None
    code: str
    curated: bool
    # The code of the same act seen from the target ("visit" 042 -> "host" 043),
    # from a dictionary's "[A:B]": the coder adds the reversed event.
    reverse: str | None = None
    # A verb of receiving ("Y received tanks from X"): the giver is the source.
    recipient: bool = False

    @property
    def specificity(self) -> int:
        # A rule naming an object or a particle says more than the bare verb;
        # at equal specificity the hand-curated table wins over the dictionary.
        return 4 * (self.obj is not None) + 2 * (self.particle is not None) + int(self.curated)


@dataclass(frozen=True, slots=True)
class TriggerTables:
    verbs: dict[str, tuple[TriggerRule, ...]]
    nouns: dict[str, str]
    light_verbs: frozenset[str]
    # Verbs too general to mean an act on their own ("leave", "face", "take",
    # "issue"): they code only through a rule naming their object or particle.
    vague: frozenset[str] = frozenset()
    # Verbs of receiving ("receive", "obtain"): with a "from" phrase, any rule of
    # theirs makes the giver the source ("received rifles from X").
    receivers: frozenset[str] = frozenset()
    # eventwire's own tables code an announced cooperative act as the intent to
    # do it (03x); a foreign dictionary codes the verb as written.
    recode_intent: bool = True


def _data_text(path: str) -> str:
    return resources.files("eventwire").joinpath(path).read_text("utf-8")


def _tsv_rows(text: str) -> Iterator[list[str]]:
    lines = [line for line in text.splitlines() if line.strip() and not line.startswith("#")]
    for line in lines[1:]:  # the first remaining line is the header
        yield line.split("\t")


@lru_cache(maxsize=1)
def cameo_codes() -> dict[str, CodeInfo]:
    """CAMEO event code -> name, Goldstein weight, quad class, PLOVER type."""
    table: dict[str, CodeInfo] = {}
    for row in _tsv_rows(_data_text("data/cameo_codes.tsv")):
        row += [""] * (8 - len(row))
        code, name, goldstein, _root, quad, plover, mode = row[:7]
        table[code] = CodeInfo(code, name, float(goldstein), int(quad), plover or None, mode or None)
    return table


def code_info(code: str) -> CodeInfo | None:
    """The table row of ``code``, or of its nearest listed ancestor ("0874" -> "087")."""
    table = cameo_codes()
    for n in range(len(code), 1, -1):
        if code[:n] in table:
            return table[code[:n]]
    return None


@lru_cache(maxsize=1)
def symmetric_prefixes() -> tuple[str, ...]:
    """CAMEO code prefixes of mutual acts (``data/events/symmetric_codes.tsv``)."""
    return tuple(row[0] for row in _tsv_rows(_data_text("data/events/symmetric_codes.tsv")))


def is_symmetric(code: str) -> bool:
    """A mutual act: "X and Y met" is X->Y and Y->X; "X and Y condemned" is not."""
    return code.startswith(symmetric_prefixes())


@lru_cache(maxsize=1)
def intent_codes() -> dict[str, str]:
    """CAMEO root -> the 03x code of expressing the intent to do it."""
    return {row[0]: row[1] for row in _tsv_rows(_data_text("data/events/intent_codes.tsv"))}


COORDINATORS = frozenset({"and", "or"})
# Parts of speech a trigger may have (spaCy's symbol ids, for ``tokens_where``).
VERB_POS = frozenset({VERB})
NOUN_POS = frozenset({NOUN, PROPN})
_DICT_CODE = re.compile(r"\[([^\]]*)\]")
_PARTICLES = word_set("prepositions", "particles")


def _dict_code(text: str) -> str | None:
    """The usable event code of a ``[...]`` field: the first of "A:B", none for
    "---" (no event) or ":B" (codes the subject as the target: not handled)."""
    m = _DICT_CODE.search(text)
    if not m:
        return None
    code = m.group(1).strip().split(":")[0]
    return code if code.isdigit() else None


def _dict_reverse(text: str) -> str | None:
    """The B of a ``[A:B]`` field: the code of the target's side of the act."""
    m = _DICT_CODE.search(text)
    if not m or ":" not in m.group(1):
        return None
    code = m.group(1).split(":", 1)[1].strip()
    return code if code.isdigit() else None


def _dict_words(element: str, synsets: dict[str, list[str]]) -> list[str]:
    """Object phrases of one pattern element: WORD, {W1 W2} or W1_W2 (the last
    word is the noun), &SET (its members)."""
    element = element.strip("{}")
    if element.startswith("&"):
        return synsets.get(element, []) if len(element.split()) == 1 else []
    words = element.replace("_", " ").split()
    if not words or not all(re.fullmatch(r"[A-Z][A-Z'-]*", w) for w in words):
        return []
    # A phrase keeps its modifiers: "TRADE PROTOCOL" is not any protocol.
    return [" ".join(words).lower()]


def parse_verb_dictionary(text: str) -> list[TriggerRule]:
    """Verb -> CAMEO code rules from a PETRARCH2 verb dictionary.

    Read: synonym sets (``&NAME`` then ``+WORD`` lines), verb blocks (``--- NAME
    [code] ---`` then verb lines ``VERB {forms} [code]`` or ``+VERB_PARTICLE``)
    and the simple patterns of a block (``- * OBJECT [code]``, ``- * (PREP
    OBJECT)``, ``- * (PREP)``, ``- * PARTICLE OBJECT``), which apply to every
    verb of the block as in PETRARCH2. Skipped: patterns that constrain the
    subject or need more than one phrase, and code 010 ("make statement"):
    a reporting verb attributes a quote, it is not an event.
    """
    synsets: dict[str, list[str]] = {}
    rules: list[TriggerRule] = []
    current_set: str | None = None
    block_code: str | None = None
    block_reverse: str | None = None
    block_verbs: list[tuple[str, str | None]] = []
    in_patterns = False
    for raw in text.splitlines():
        line = raw.split("#", 1)[0].rstrip()
        if not line.strip():
            continue
        if line.startswith("-") and not line.startswith("---") and in_patterns:
            rules.extend(_pattern_rules(raw, block_verbs, synsets))
            continue
        if line.startswith("&"):
            current_set = line.split()[0]
            synsets[current_set] = []
            continue
        if line.startswith("+") and current_set is not None and not in_patterns:
            synsets[current_set].append(line[1:].split()[0].rstrip("_").replace("_", " ").lower())
            continue
        if line.startswith("---"):
            current_set, in_patterns = None, True
            block_code, block_reverse = _dict_code(line), _dict_reverse(line)
            block_verbs = []
            continue
        if not in_patterns:
            continue
        word = line.split()[0]
        code = _dict_code(line) if "[" in line else block_code
        multi = word.startswith("+")
        parts = word.lstrip("+").rstrip("_").lower().split("_")
        if not multi and len(parts) > 1:
            continue
        if len(parts) > 2 or not all(p.isalpha() for p in parts):
            continue
        verb, particle = parts[0], parts[1] if len(parts) == 2 else None
        if particle in COORDINATORS:
            continue  # "+KILLED_AND_WOUNDED": two verbs, not a verb and its particle
        block_verbs.append((verb, particle))
        if code and code != "010":
            reverse = _dict_reverse(line) if "[" in line else block_reverse
            rules.append(TriggerRule(verb, particle, None, code, curated=False, reverse=reverse))
    return rules


def _pattern_rules(
    line: str, block_verbs: list[tuple[str, str | None]], synsets: dict[str, list[str]]
) -> list[TriggerRule]:
    code = _dict_code(line.split("#", 1)[0])
    body = _DICT_CODE.sub("", line.split("#", 1)[0])[1:].strip()
    if code is None or code == "010" or not body.startswith("*"):
        return []
    rest = body[1:].strip()
    elements = re.findall(r"\([^)]*\)|\{[^}]*\}|\S+", rest)
    particle: str | None = None
    objects: list[str | None]
    if len(elements) == 2 and elements[0].lower() in _PARTICLES and not elements[1].startswith("("):
        particle = elements[0].lower()
        elements = elements[1:]
    if 1 < len(elements) <= 3 and all(re.fullmatch(r"[A-Z][A-Z'-]*", e) for e in elements):
        # "* TRADE PROTOCOL": an object noun phrase, matched by its head (last) word.
        elements = [" ".join(elements)]
    if len(elements) != 1:
        return []
    element = elements[0]
    if element.startswith("("):
        inner = element.strip("()").split(None, 1)
        if not inner or not inner[0].isalpha():
            return []
        particle = inner[0].lower()
        if len(inner) != 2:
            return []  # a bare preposition ("* (FOR)") is too weak a cue on its own
        objects = list(_dict_words(inner[1], synsets))
    else:
        objects = list(_dict_words(element, synsets))
    # The comment names the verb the pattern was written for; PETRARCH2 applies
    # it to the whole block, but the blocks are loose synonym sets ("attack" sits
    # with "tackle"), so only the named verb gets it.
    named = line.split("#", 1)[1].split(",")[0].strip().lower() if "#" in line else ""
    if re.fullmatch(r"[a-z]+", named):
        verbs = [(v, p) for v, p in block_verbs if v == named] or [(named, None)]
    else:
        verbs = block_verbs
    reverse = _dict_reverse(line.split("#", 1)[0])
    return [
        TriggerRule(verb, particle or verb_particle, obj, code, curated=False, reverse=reverse)
        for verb, verb_particle in verbs
        for obj in objects
        if not (particle and verb_particle and particle != verb_particle)
    ]


@lru_cache(maxsize=1)
def default_trigger_tables() -> TriggerTables:
    """The hand-curated triggers, then the PETRARCH2 verb dictionary, parsed
    once per process: what ``tables.default_tables()`` codes with. No stage
    calls it; the stage reads ``ctx.tables.triggers``."""
    return build_trigger_tables(_data_text("data/events/triggers.tsv"), _data_text("data/phoenix/CAMEO.2.0.txt"))


def build_trigger_tables(curated_tsv: str, verb_dictionary: str, recode_intent: bool = True) -> TriggerTables:
    """Trigger tables from a curated table (``triggers.tsv`` format; may be
    empty) and a PETRARCH verb dictionary."""
    verbs: dict[str, list[TriggerRule]] = {}
    nouns: dict[str, str] = {}
    light: set[str] = set()
    vague: set[str] = set()
    for row in _tsv_rows(curated_tsv):
        row += [""] * (5 - len(row))
        kind, lemma, particle, obj, code = (c.strip() for c in row[:5])
        if kind == "light":
            light.add(lemma)
        elif kind == "vague":
            vague.add(lemma)
        elif kind == "noun":
            nouns[lemma] = code
        elif kind in ("verb", "receive"):
            rule = TriggerRule(lemma, particle or None, obj or None, code, curated=True, recipient=kind == "receive")
            verbs.setdefault(lemma, []).append(rule)
    for rule in dict.fromkeys(parse_verb_dictionary(verb_dictionary)):
        verbs.setdefault(rule.lemma, []).append(rule)
    ordered = {k: tuple(sorted(v, key=lambda r: -r.specificity)) for k, v in verbs.items()}
    receivers = frozenset(lemma for lemma, rules in ordered.items() if any(r.recipient for r in rules))
    return TriggerTables(ordered, nouns, frozenset(light), frozenset(vague), receivers, recode_intent)


# --- trigger matching ---------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Match:
    """A trigger found in the parse: its token, code and the object it consumed."""

    token: Token
    code: str
    consumed: Token | None  # the object noun named by the rule ("hold [meeting]")
    light: Token | None = None  # the light verb governing a nominal trigger
    reverse: str | None = None  # the code of the target's side, if the rule has one
    recipient: bool = False  # the subject receives: the "from" object is the source


def _word_forms(token: Token) -> set[str]:
    return {token.lemma_.lower(), token.lower_}


@dataclass(frozen=True, slots=True)
class ObjectWords:
    """The word forms of an object noun a rule's object is matched against,
    computed once per noun rather than once per rule."""

    head: frozenset[str]
    lefts: frozenset[str]  # every left dependent
    modifiers: frozenset[str]  # compounds and adjectives


def object_words(obj: Token) -> ObjectWords:
    lefts = list(obj.lefts)
    return ObjectWords(
        frozenset(_word_forms(obj)),
        frozenset(form for c in lefts for form in _word_forms(c)),
        frozenset(form for c in lefts if c.dep_ in ("compound", "amod") for form in _word_forms(c)),
    )


def object_matches(phrase: str, obj: Token | ObjectWords) -> bool:
    """A rule's object ("ties", "trade protocol") names the object noun: its last
    word is the noun, the others are among the noun's modifiers."""
    words = obj if isinstance(obj, ObjectWords) else object_words(obj)
    *modifiers, head = phrase.split()
    if head not in words.head:
        # A one-word object may name the noun's compound or adjective ("fired
        # artillery shells" matches "* ARTILLERY", "renewed diplomatic ties"
        # "* DIPLOMATIC"), as PETRARCH matches any word of the phrase.
        return not modifiers and head in words.modifiers
    return all(m in words.lefts for m in modifiers)


def _particles(verb: Token) -> dict[str, Token]:
    """Particles and prepositions hanging on a verb, by their lower-case form."""
    return {c.lower_: c for c in verb.children if c.dep_ in ("prt", "prep", "agent", "dative")}


def _objects(verb: Token, particle: str | None) -> list[Token]:
    """Candidate object nouns: direct objects, and the objects of the particle
    (or of any preposition when the rule names none)."""
    found = [c for c in verb.children if c.dep_ in ("dobj", "attr", "oprd")]
    for prep in verb.children:
        if prep.dep_ in ("prep", "prt") and (particle is None or prep.lower_ == particle):
            found.extend(c for c in prep.children if c.dep_ == "pobj")
    # "will launch missiles": xcomp/advcl objects are their own verbs' business.
    return found + [c for f in list(found) for c in f.conjuncts]


def match_verb(tables: TriggerTables, verb: Token) -> Match | None:
    """The most specific rule whose particle and object are present.

    A reporting verb ("say", "add", "note") is an event only through a rule
    that names its object or one written by hand: bare, it introduces what
    someone said. A verb of planning with an infinitive ("plans to deploy")
    is not an event of its own: the planned act is, with intended modality.
    """
    lemma = verb.lemma_.lower()
    verbs = tables.verbs
    # A dictionary may list an inflected form as its own entry ("met", "left").
    # Its rules come first; the lemma's still apply ("KILLED" listed for its own
    # patterns does not hide "KILL").
    inflected = verbs.get(verb.lower_, ()) if verb.lower_ != lemma else ()
    rules = (*inflected, *verbs.get(lemma, ())) if inflected else verbs.get(lemma, ())
    if not rules:
        return None
    if lemma in PLANNING_VERBS and any(c.dep_ == "xcomp" for c in verb.children):
        return None
    reporting = lemma in cue_lemmas()
    particles = _particles(verb)
    objects: dict[str | None, list[tuple[Token, ObjectWords]]] = {}  # by particle: once per verb, not per rule
    for rule in rules:
        if reporting and rule.obj is None and not rule.curated and rule.code.startswith("01"):
            continue
        if rule.particle is not None and rule.particle not in particles:
            continue
        if rule.obj is None and rule.particle is None and not rule.curated and lemma in tables.vague:
            continue  # "left", "faces", "issued": only a pattern with an object codes them
        if rule.obj is None:
            return Match(verb, rule.code, None, reverse=rule.reverse, recipient=_receives(tables, rule, verb))
        if rule.particle not in objects:
            objects[rule.particle] = [(o, object_words(o)) for o in _objects(verb, rule.particle)]
        for obj, words in objects[rule.particle]:
            if object_matches(rule.obj, words):
                return Match(verb, rule.code, obj, reverse=rule.reverse, recipient=_receives(tables, rule, verb))
    return None


def _receives(tables: TriggerTables, rule: TriggerRule, verb: Token) -> bool:
    """A rule of receiving, or any rule of a verb of receiving with a giver named."""
    if rule.recipient:
        return True
    return verb.lemma_.lower() in tables.receivers and bool(_gift_origins(verb))


def noun_code(tables: TriggerTables, noun: Token) -> str | None:
    """The code of a nominal trigger; a two-word row ("hunger strike") wins
    over its head noun alone ("strike")."""
    nouns = tables.nouns
    for modifier in (c for c in noun.lefts if c.dep_ in ("compound", "amod")):
        for form in _word_forms(noun):
            code = nouns.get(f"{modifier.lower_} {form}")
            if code is not None:
                return code
    return nouns.get(noun.lower_) or nouns.get(noun.lemma_.lower())


def _is_light(tables: TriggerTables, verb: Token) -> bool:
    """A light verb, also under a lemmatizer slip ("staged" -> "stag"): its
    past form without "d"/"ed" is tried too."""
    lower = verb.lower_
    forms = {verb.lemma_.lower(), lower}
    if verb.tag_ in ("VBD", "VBN"):
        forms |= {lower[:-1], lower[:-2]}
    return bool(forms & tables.light_verbs)


def match_noun(tables: TriggerTables, noun: Token) -> Match | None:
    code = noun_code(tables, noun)
    if code is None or noun.dep_ in ("compound", "amod", "nmod"):
        return None
    light = noun.head if noun.dep_ in ("dobj", "attr") and noun.head.pos_ in ("VERB", "AUX") else None
    if light is not None and _is_light(tables, light):
        return Match(noun, code, None, light)
    # "were engaged in attacks": a light verb may hold its noun through "in".
    if _takes_part_in(noun) and _is_light(tables, noun.head.head):
        return Match(noun, code, None, noun.head.head)
    return Match(noun, code, None, None)


def find_triggers(tables: TriggerTables, sentence: Span) -> list[Match]:
    """Every trigger of a sentence; a noun a verb rule consumed is not its own event."""
    doc = sentence.doc
    verbs = tokens_where(doc, POS, VERB_POS, sentence.start, sentence.end)
    verb_matches = [m for t in verbs if (m := match_verb(tables, t)) is not None]
    consumed = {m.consumed.i for m in verb_matches if m.consumed is not None}
    nouns = tokens_where(doc, POS, NOUN_POS, sentence.start, sentence.end)
    noun_matches = [m for t in nouns if t.i not in consumed and (m := match_noun(tables, t)) is not None]
    # A light verb that matched a bare verb rule ("held") yields to its noun.
    lights = {m.light.i for m in noun_matches if m.light is not None}
    found = [m for m in verb_matches if m.token.i not in lights or m.consumed is not None] + noun_matches
    return [m for m in found if not _announces_coded_act(m, found)]


def _announces_coded_act(match: Match, found: list[Match]) -> bool:
    """An intent verb ("agreed", "offered", "promised": CAMEO 03) whose infinitive
    complement is itself coded ("agreed to lift sanctions") only announces that
    act, which is coded with intended modality: the two are one event."""
    if not match.code.startswith("03") or match.token.pos_ != "VERB":
        return False
    complements = [c for c in match.token.children if c.dep_ == "xcomp"]
    inside = {t.i for c in complements for t in _own_clause(c)}
    return any(other.token.i in inside for other in found if other is not match)


# Dependents that open a clause of their own: what is in them is not the verb's act.
CLAUSE_DEPS = frozenset({"relcl", "acl", "advcl", "ccomp", "parataxis", "csubj", "appos"})


def _own_clause(verb: Token) -> list[Token]:
    """The tokens of a verb's own clause: its subtree without relative,
    adverbial or reported clauses ("offered to hand over nationals suspected
    of ..." holds "hand over", not "suspected")."""
    out: list[Token] = []
    stack = [verb]
    while stack:
        token = stack.pop()
        out.append(token)
        stack.extend(c for c in token.children if c.dep_ not in CLAUSE_DEPS)
    return out


# --- arguments --------------------------------------------------------------------------


def _actor_ref(tables: TriggerTables, token: Token, actors: ActorIndex) -> ActorRef | None:
    """The actor a noun phrase head stands for; "the leaders of X" -> X."""
    refs = _actor_refs(tables, token, actors)
    return refs[0] if refs else None


def _actor_refs(tables: TriggerTables, token: Token, actors: ActorIndex, depth: int = 0) -> list[ActorRef]:
    """The actors a noun phrase head stands for: its own entity or code, else
    (for a noun that names no actor) whoever it belongs to, each of a
    coordinated list ("the ambassadors of X, Y and Z", "X and Y leaders")."""
    entity = actors.for_token(token)
    code = entity.actor if entity is not None and entity.actor else actors.actor_code(token)
    if entity is not None and entity.type == "PERSON" and not entity.actor and code and code.startswith("---"):
        # A named person of no known country is not an unknown country's
        # government: a title alone ("President Bush") does not code a person.
        code = None
    if code is None and depth <= 3:
        if token.pos_ == "PRON" and entity is None:
            antecedent = pronoun_antecedent(tables, token, actors)
            if antecedent is None:
                return []
            # "X and Y said they will ...": a plural pronoun stands for the whole list.
            plural = token.lower_ in PLURAL_PRONOUNS
            return _refs_with_conjuncts(tables, antecedent, actors, depth) if plural else _actor_refs(tables, antecedent, actors, depth + 1)
        # A name the actors stage knows but cannot code ("the autonomous
        # X republic of Y") may still say whose it is.
        owners = _owner_refs(tables, token, actors, depth)
        if owners or entity is None:
            return owners
    if entity is None and code is None:
        return []
    name = entity.name if entity is not None else _phrase_text(token)
    ref = ActorRef(entity=entity.id if entity is not None else None, name=name, actor=code)
    listed = _listed_countries(tables, token, actors) if code is not None else []
    if code is not None and (code.startswith("---") or code[:3] in listed) and len(listed) >= 2:
        # "the ambassadors of X, Y and Z", "X and Y leaders": one actor per country.
        return [replace(ref, actor=country + code[3:]) for country in listed]
    if code is not None and code.startswith("---"):
        # "refineries in X", "soldiers from X": a sector of no known country
        # placed in one is that country's ("---MIL" -> "XXXMIL").
        for place in _pobjs(token, ("in", "from", "of")):
            country = _country_of(tables, place, actors)
            if country is not None:
                return [replace(ref, actor=country + code[3:])]
    return [ref]


def _listed_countries(tables: TriggerTables, noun: Token, actors: ActorIndex) -> list[str]:
    """The countries of a coordinated modifier or of-phrase of an agent noun
    ("French and German leaders", "the ambassadors of X, Y and Z")."""
    heads = [c for c in noun.children if c.dep_ in ("amod", "compound", "nmod")] + _pobjs(noun, ("of", "in", "from"))
    for head in heads:
        members = _with_conjuncts([head])
        if len(members) < 2:
            continue
        countries = [_country_of(tables, m, actors) for m in members]
        if all(countries):
            return list(dict.fromkeys(c for c in countries if c))
    return []


def _country_of(tables: TriggerTables, token: Token, actors: ActorIndex) -> str | None:
    ref = _actor_ref(tables, token, actors)
    return ref.actor[:3] if _political(ref) and ref is not None and ref.actor is not None else None


def _owner_refs(tables: TriggerTables, token: Token, actors: ActorIndex, depth: int) -> list[ActorRef]:
    """Who a non-actor noun stands for, in order of evidence: "the leaders of X",
    "an attack by X" (an act stands for its agent); "X's efforts", "X mediation"
    (an act or thing named by its owner); "houses in X", "roads in the capital
    of X" (a thing placed in a country, not an act: "talks in X" are not X's);
    "a camp for X refugees" (a thing for someone)."""
    for pobj in _pobjs(token, ("of", "by")):
        refs = _refs_with_conjuncts(tables, pobj, actors, depth)
        if refs:
            return refs
    # "N., the X relief coordinator": an uncoded name is its appositive.
    for appositive in (c for c in token.children if c.dep_ == "appos"):
        refs = [r for r in _actor_refs(tables, appositive, actors, depth + 1) if _political(r)]
        if refs:
            return refs
    for owner in token.children:
        if owner.dep_ in ("poss", "compound", "amod", "nmod") and owner.pos_ in ("PROPN", "ADJ", "PRON"):
            refs = [r for r in _refs_with_conjuncts(tables, owner, actors, depth) if r.actor]
            if refs:
                return refs
    # An act placed in a country ("a ceasefire in X") is not that country's; a
    # thing for people ("a camp for X refugees") is theirs.
    placed = [] if match_noun(tables, token) is not None or token.pos_ == "VERB" else _pobjs(token, ("in", "from", "for"))
    for pobj in placed:
        refs = [r for r in _refs_with_conjuncts(tables, pobj, actors, depth) if _political(r)]
        if refs:
            return refs
    return []


def _refs_with_conjuncts(tables: TriggerTables, token: Token, actors: ActorIndex, depth: int) -> list[ActorRef]:
    refs: list[ActorRef] = []
    for t in _with_conjuncts([token]):
        refs += [r for r in _actor_refs(tables, t, actors, depth + 1) if r not in refs]
    return refs


# Pronouns that may stand for a country, organisation or group ("it", "they");
# person pronouns the actors stage cannot resolve fall back to the same rule.
REFERRING_PRONOUNS = word_set("pronouns", "referring")
PLURAL_PRONOUNS = word_set("pronouns", "plural")
OBJECT_DEPS = frozenset({"dobj", "dative", "iobj", "pobj"})
PLURAL_NOUN_TAGS = frozenset({"NNS", "NNPS"})


def pronoun_antecedent(tables: TriggerTables, pronoun: Token, actors: ActorIndex) -> Token | None:
    """The noun a pronoun stands for, from the parse: the nearest subject above
    it that names an actor ("X said it would ...", "X withdrew its troops",
    "X said a bomb was fired at it"); for a pronoun with none in its
    sentence, the subject of the previous sentence's main verb ("X ... . It
    said ...")."""
    if pronoun.lower_ not in REFERRING_PRONOUNS:
        return None
    excluded: set[int] = set()
    if pronoun.dep_ in OBJECT_DEPS:
        # An object pronoun is not its own clause's agent ("X expelled the envoy,
        # accusing him": him is not X); in a participle or coordinated clause it
        # stands for the main clause's object.
        clause = pronoun.head.head if pronoun.dep_ == "pobj" else pronoun.head
        excluded = {a.i for a in verb_frame(clause).agents}
        if clause.dep_ in ("advcl", "conj") and clause.head.i != clause.i:
            for patient in verb_frame(clause.head).patients:
                if patient.pos_ != "PRON" and _political(_first_own_ref(tables, patient, actors)):
                    return patient
    # "it" and "he" do not stand for a plural noun ("forces ... overran it").
    singular = pronoun.lower_ not in PLURAL_PRONOUNS
    for verb in pronoun.ancestors:
        for subject in _with_conjuncts(c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass")):
            if subject.i in excluded or (singular and subject.tag_ in PLURAL_NOUN_TAGS):
                continue
            if subject.pos_ != "PRON" and subject.i != pronoun.i and _political(_first_own_ref(tables, subject, actors)):
                return subject
    sentence = pronoun.sent
    if sentence.start == 0 or pronoun.i - sentence.start > 3:
        return None
    previous = pronoun.doc[sentence.start - 1].sent
    for subject in (c for c in previous.root.children if c.dep_ in ("nsubj", "nsubjpass")):
        if subject.pos_ != "PRON" and _political(_first_own_ref(tables, subject, actors)):
            return subject
    return None


def _first_own_ref(tables: TriggerTables, token: Token, actors: ActorIndex) -> ActorRef | None:
    """The actor a noun names without pronoun resolution (no loops between pronouns)."""
    refs = _actor_refs(tables, token, actors, depth=3)
    return refs[0] if refs else None


def _phrase_text(token: Token) -> str:
    """A noun's compounds and adjectives with the noun ("Hungarian officials")."""
    lefts = [c for c in token.lefts if c.dep_ in ("compound", "amod", "nmod")]
    start = min([token.i, *(c.left_edge.i for c in lefts)])
    return token.doc[start : token.i + 1].text


def _with_conjuncts(tokens: Iterable[Token]) -> list[Token]:
    """Each token with its conjuncts; "the US, Russia, and Switzerland" parsed as
    an apposition whose appositive is coordinated is a list too."""
    out: list[Token] = []
    for t in tokens:
        listed = [a for a in t.children if a.dep_ == "appos" and any(c.dep_ == "conj" for c in a.children)]
        for x in (t, *t.conjuncts, *(y for a in listed for y in (a, *a.conjuncts))):
            if x not in out:
                out.append(x)
    return out


def _pobjs(head: Token, preps: Iterable[str]) -> list[Token]:
    wanted = set(preps)
    return [p for c in head.children if c.dep_ in ("prep", "agent", "dative") and c.lower_ in wanted for p in c.children if p.dep_ == "pobj"]


def _pobjs_by_prep(head: Token) -> dict[str, list[Token]]:
    """``_pobjs`` for every preposition of ``head`` at once, in its order."""
    found: dict[str, list[Token]] = {}
    for c in head.children:
        if c.dep_ in ("prep", "agent", "dative"):
            objects = [p for p in c.children if p.dep_ == "pobj"]
            if objects:
                found.setdefault(c.lower_, []).extend(objects)
    return found


def _verb_subjects(verb: Token) -> list[Token]:
    """Who acts in a verb's clause (the frame's agents: see ``extract/frames.py``)."""
    return list(verb_frame(verb).agents)


def _between(head: Token) -> list[Token]:
    return _with_conjuncts(_pobjs(head, ("between", "among")))


@dataclass(frozen=True, slots=True)
class Arguments:
    sources: list[Token]
    targets: list[Token]
    # Read only when no target names an actor: prepositional objects one
    # phrase down ("advised against travel to X", "an offensive in its war with X").
    nested_targets: tuple[Token, ...] = ()
    # "talks between X and Y": the members act on each other whatever the code.
    joint: bool = False


def verb_arguments(tables: TriggerTables, verb: Token) -> Arguments:
    frame = verb_frame(verb)
    sources = list(frame.agents)
    targets = [*frame.patients, *frame.recipients]
    if not sources and verb.lemma_.lower() in tables.light_verbs and _pobjs(verb, PARTAKING_PREPS):
        # "X was engaged in attacks": the passive subject is the one taking part.
        sources = [c for c in verb.children if c.dep_ == "nsubjpass"]
        targets = [t for t in targets if t not in sources]
    if not sources and frame.passive:
        # "a bomb was fired at Y from X": with no agent, a passive act comes from its origin.
        sources = frame.oblique("from")
    objects = _with_conjuncts(c for c in verb.children if c.dep_ == "dobj")
    # "welcomed a resumption of ties with X": the act's own "of" nouns carry it on.
    nouns = objects + [n for o in objects for n in _of_chain(o)]
    verb_objects = _pobjs_by_prep(verb)
    noun_objects = [_pobjs_by_prep(obj) for obj in nouns]
    for preposition in TARGET_PREPS:
        targets += [p for p in verb_objects.get(preposition, ()) if p not in sources]
        for by_prep in noun_objects:  # "held a meeting with X", "accused X of", "supplied diesel to X"
            targets += by_prep.get(preposition, ())
    pair = _between(verb) or [t for o in nouns for t in _between(o)]
    if sources:
        targets += pair  # "X welcomed the ties between Y and Z": X->Y, X->Z
    elif pair:
        return between_arguments(pair)
    nested = [p for head in (verb, *nouns) for p in _pobjs(head, NESTING_PREPS)]
    nested_targets = [t for p in nested for t in _pobjs(p, TARGET_PREPS)]
    nested_targets += [p for p in _pobjs(verb, TOPIC_PREPS)]
    return Arguments(_with_conjuncts(sources), _with_conjuncts(targets), tuple(_with_conjuncts(nested_targets)))


def _gift_origins(verb: Token) -> list[Token]:
    """The "from" objects of a verb of receiving or of its object ("received
    rifles from X" often hangs "from X" on "rifles")."""
    return _pobjs(verb, ("from",)) or [p for o in verb.children if o.dep_ == "dobj" for p in _pobjs(o, ("from",))]


def recipient_arguments(verb: Token) -> Arguments:
    """"Y received tanks from X": X gave, Y got (source and target swap roles)."""
    return Arguments(_with_conjuncts(_gift_origins(verb)), _with_conjuncts(_verb_subjects(verb)))


def between_arguments(members: list[Token]) -> Arguments:
    """"talks between X and Y": X->Y and Y->X; "between X, Y and Z": every
    ordered pair, as CAMEO codes a joint act (coordinated sources act on each
    other)."""
    return Arguments(members, [], joint=True)


def _of_chain(noun: Token, depth: int = 2) -> list[Token]:
    """Nouns reached through "of" from ``noun``: "resumption of ties" -> ties."""
    found: list[Token] = []
    for pobj in _pobjs(noun, ("of",)):
        found.append(pobj)
        if depth > 1:
            found += _of_chain(pobj, depth - 1)
    return found


def _takes_part_in(noun: Token) -> bool:
    """A nominal trigger in an "in"/"during" phrase of a verb."""
    prep = noun.head
    return noun.dep_ == "pobj" and prep.dep_ == "prep" and prep.lower_ in PARTAKING_PREPS and prep.head.pos_ in ("VERB", "AUX")


def noun_arguments(match: Match) -> Arguments:
    noun = match.token
    # "Turkish airstrikes", "X's visit", "an attack by X"; "X held talks" (the light verb's agent).
    sources = list(noun_frame(noun, match.light).agents)
    if not sources and match.light is None and _takes_part_in(noun):
        # "X was engaged in fighting", "X joined in protests": the one taking part acts.
        verb = noun.head.head
        sources += [c for c in verb.children if c.dep_ == "nsubjpass"] or _verb_subjects(verb)
    targets = [p for prep in TARGET_PREPS for p in _pobjs(noun, (prep,))]
    of_objects = _pobjs(noun, ("of",))
    # "the visit of X to Y": of names the visitor; "the arrest of X": the one arrested.
    if match.code.startswith("04") and (targets or not sources):
        sources += of_objects
    else:
        targets += of_objects
    pair = _between(noun)
    if pair:
        # "talks between X and Y"; "talks between the X and Y ministers" (one
        # noun naming several countries: each is a member).
        return between_arguments(pair)
    return Arguments(_with_conjuncts(sources), _with_conjuncts(targets))


def _resolved(tables: TriggerTables, tokens: list[Token], actors: ActorIndex) -> list[ActorRef]:
    refs: list[ActorRef] = []
    for t in tokens:
        if actors.in_dateline(t.idx):
            continue  # "NAIROBI, Kenya (AP) — Police detained ...": the place only says where
        refs += [r for r in _actor_refs(tables, t, actors) if r not in refs]
    return refs


def _same_actor(a: ActorRef, b: ActorRef) -> bool:
    """One entity, or one actor code under two names ("the group" and "their"
    resolved to it): an act of an actor on itself is no dyad."""
    return (a.entity is not None and a.entity == b.entity) or a == b or (a.actor is not None and a.actor == b.actor)


def _prefer_countries(refs: list[ActorRef]) -> list[ActorRef]:
    """Drop actors of no known country ("---MIL" soldiers) beside ones with a
    country: "deployed soldiers to X" targets X."""
    known = [r for r in refs if r.actor and not r.actor.startswith("---")]
    return known or refs


def _other_actors(refs: list[ActorRef], sources: list[ActorRef]) -> list[ActorRef]:
    return _prefer_countries([t for t in refs if not any(_same_actor(t, s) for s in sources)])


def actor_pairs(
    tables: TriggerTables, args: Arguments, actors: ActorIndex, symmetric: bool = True
) -> list[tuple[ActorRef | None, ActorRef | None]]:
    """(source, target) pairs. Coordinated subjects with no object act on each
    other when the act is mutual ("X and Y agreed", "X and Y clashed": a
    ``symmetric`` code, or members of a "between" phrase); otherwise each acts
    on its own ("X and Y condemned ..." is no dyad of X and Y)."""
    sources = _prefer_countries(_resolved(tables, args.sources, actors))
    targets = _other_actors(_resolved(tables, args.targets, actors), sources)
    if not any(_political(t) for t in targets):
        # A weak cue: a nested object of the source's own country ("X and Y
        # cannot agree on supplies to X") is what they act about, not on.
        countries = {s.actor[:3] for s in sources if s.actor}
        nested = [t for t in _resolved(tables, list(args.nested_targets), actors) if _political(t) and t.actor and t.actor[:3] not in countries]
        targets = _other_actors(nested, sources) or targets
    if not targets and len(sources) >= 2 and (symmetric or args.joint):
        return [(s, t) for s in sources for t in sources if not _same_actor(s, t)]
    if not sources:
        return [(None, t) for t in targets]
    if not targets:
        return [(s, None) for s in sources]
    return [(s, t) for s in sources for t in targets]


# --- modality, attribution, date, place, quantity -------------------------------------------


def _clause_chain(token: Token) -> list[Token]:
    """The trigger and the verbs whose auxiliaries and negation it shares:
    up through infinitive complements and coordinated verbs without their own auxiliaries."""
    chain = [token]
    while token.dep_ in ("xcomp", "conj") and token.head.i != token.i and len(chain) < 6:
        if token.dep_ == "conj" and any(c.dep_ in ("aux", "neg") for c in token.children):
            break
        token = token.head
        chain.append(token)
    return chain


# Dependencies that stay inside one clause: from a noun up to its verb.
WITHIN_CLAUSE_DEPS = frozenset(
    {"dobj", "pobj", "prep", "attr", "oprd", "nsubj", "nsubjpass", "appos", "compound", "amod", "npadvmod", "dative", "conj"}
)


def embedding(match: Match) -> tuple[Modality, Token] | None:
    """The verb that only requests, alleges or proposes the trigger's act, with
    that modality: "urged Y to allow aid" (requested), "demanded that Y
    withdraw", "accused Y of ramming a boat" (alleged), "proposed to hold
    talks" (proposed). Walks up from the trigger to its verb, then through
    coordinated verbs, infinitive and that-clauses and of/for phrases,
    stopping at any other clause boundary."""
    node = match.light if match.light is not None else match.token
    for _ in range(10):
        head = node.head
        if head.i == node.i:
            return None
        if node.dep_ in ("pcomp", "pobj") and head.dep_ == "prep" and head.lower_ in EMBEDDING_PREPS and head.head.pos_ in ("VERB", "AUX"):
            governor = head.head  # "accused Y of ramming", "blamed Y for the attacks"
        elif node.dep_ in ("xcomp", "ccomp"):
            governor = head
        elif node.dep_ == "conj" or (node.pos_ not in ("VERB", "AUX") and node.dep_ in WITHIN_CLAUSE_DEPS):
            node = head
            continue
        else:
            return None
        lemma = governor.lemma_.lower()
        for mode, heads in EMBEDDING_HEADS:
            if lemma in heads:
                return mode, governor
        if node.dep_ == "ccomp":
            return None
        node = governor
    return None


def in_question(token: Token, sentence: Span) -> bool:
    """Whether the sentence part holding ``token`` ends in a question mark
    ("Why would we attack our neighbours?"), or ``token`` is the verb that
    reports the question ("'Did we harm X?' he asked"): a question asserts no act."""
    # The parser may end the sentence at the question's closing quote: look two tokens back.
    start = max(sentence.start - 2, 0)
    if token.lemma_.lower() in cue_lemmas() and any(t.text == "?" for t in token.doc[start : token.i]):
        return True
    for following in token.doc[token.i : sentence.end]:
        if following.text in (".", "!", ";"):
            return False
        if following.text == "?":
            return True
    return False


def modality(match: Match) -> Modality:
    heads = _clause_chain(match.light if match.light is not None else match.token)
    if match.light is not None or match.token.pos_ == "NOUN":
        heads = [match.token, *heads]
    negated = hypothetical = intended = False
    for i, tok in enumerate(heads):
        children = list(tok.children)
        lowers = {c.lower_ for c in children if c.dep_ in ("neg", "aux", "auxpass", "det", "advmod", "mark", "amod", "preconj")}
        if any(c.dep_ == "neg" for c in children) or lowers & NEGATORS:
            negated = True
        if lowers & HYPOTHETICAL_AUX or lowers & CONDITION_MARKS or lowers & HYPOTHETICAL_MODIFIERS:
            hypothetical = True
        if lowers & FUTURE_AUX or lowers & INTENT_MODIFIERS:
            intended = True
        if tok.dep_ in ("xcomp", "acl") and i + 1 < len(heads) or tok.dep_ == "xcomp":
            head_lemma = tok.head.lemma_.lower()
            if head_lemma in NEGATING_HEADS:
                negated = True
            elif head_lemma in INTENT_HEADS:
                intended = True
    # "if it were needed, they could meet": a conditional clause anywhere above.
    # "If talks fail, X will impose ...": the main clause depends on its condition.
    if any(c.dep_ == "advcl" and any(m.dep_ == "mark" and m.lower_ in ("if", "unless") for m in c.children) for h in heads for c in h.children):
        hypothetical = True
    for anc in heads[-1].ancestors:
        if any(c.dep_ == "mark" and c.lower_ in CONDITION_MARKS for c in anc.children) and anc.dep_ == "advcl":
            hypothetical = True
    if negated:
        return "negated"
    if hypothetical:
        return "hypothetical"
    embedded = embedding(match)
    if embedded is not None:
        return embedded[0]
    if intended:
        return "intended"
    return "asserted"


def attributed_to(token: Token, quotes: list[Quote], actors: ActorIndex) -> str | None:
    """The speaker of a quote around the trigger, or of a reporting verb whose
    complement holds it ("X said that ...", "according to X")."""
    for q in quotes:
        if q.start <= token.idx < q.end and q.speaker:
            return q.speaker
    cues = cue_lemmas()
    node = token
    while node.head.i != node.i:
        dep, node = node.dep_, node.head
        if dep in ("ccomp", "parataxis") and node.lemma_.lower() in cues:
            for subj in node.children:
                if subj.dep_ in SUBJECT_DEPS:
                    entity = actors.for_token(subj)
                    return entity.id if entity is not None else None
            return None
    for prep in token.sent:
        if prep.lower_ == "according" and prep.i + 1 < len(token.doc) and token.doc[prep.i + 1].lower_ == "to":
            for pobj in token.doc[prep.i + 1].children:
                if pobj.dep_ == "pobj":
                    entity = actors.for_token(pobj)
                    return entity.id if entity is not None else None
    return None


def embedding_speaker(match: Match, actors: ActorIndex) -> str | None:
    """Who requests, alleges or proposes an embedded act ("Manila accused
    Beijing of ramming": Manila)."""
    embedded = embedding(match)
    if embedded is None:
        return None
    for agent in verb_frame(embedded[1]).agents:
        entity = actors.for_token(agent)
        if entity is not None:
            return entity.id
    return None


def _attached_to(time: TimeExpr, anchors: set[int], doc_span: Span) -> bool:
    span = doc_span.doc.char_span(time.start, time.end, alignment_mode="expand")
    if span is None or len(span) == 0:
        return False
    head = span.root.head
    if head.dep_ == "prep":
        head = head.head
    return head.i in anchors and span.root.i not in anchors


def _anchors(match: Match) -> list[Token]:
    """Where a trigger's date and place may hang: the trigger, its light verb,
    and for a nominal subject its verb ("talks resumed in X on Monday")."""
    heads = [match.token] + ([match.light] if match.light is not None else [])
    if match.token.pos_ != "VERB" and match.token.dep_ in ("nsubj", "nsubjpass"):
        heads.append(match.token.head)
    return heads


def _is_dated(time: TimeExpr) -> bool:
    """A calendar value: "2023-09-15", "2022-04"; not "PAST_REF" or "XXXX-02-07"."""
    return time.type in ("DATE", "TIME") and bool(time.value) and (time.value or "")[:1].isdigit()


def event_date(match: Match, sentence: Span, times: list[TimeExpr], ctx: Context) -> tuple[str | None, DateBasis]:
    anchors = {t.i for t in _anchors(match)}
    for t in times:
        if sentence.start_char <= t.start and t.end <= sentence.end_char and _is_dated(t) and _attached_to(t, anchors, sentence):
            return t.value, "trigger"
    found = time_for_span([t for t in times if _is_dated(t)], sentence.start_char, sentence.end_char, near=match.token.idx)
    if found is not None and found.value:
        return found.value, "sentence"
    if ctx.published is not None:
        return ctx.published.isoformat(), "published"
    return None, "none"


def _entity_span(token: Token) -> Span | None:
    """The place entity the token is part of. Read from the token's own IOB
    tags: ``doc.ents`` builds every entity of the article on each access."""
    if token.ent_type_ not in LOCATION_TYPES:
        return None
    doc = token.doc
    start = token.i
    while doc[start].ent_iob_ != "B" and start > 0 and doc[start - 1].ent_type_ == token.ent_type_:
        start -= 1
    end = token.i + 1
    while end < len(doc) and doc[end].ent_iob_ == "I":
        end += 1
    return Span(doc, start, end, label=token.ent_type_)


def location_token(match: Match) -> Token | None:
    """The place in an in/at phrase on the trigger, its light verb or its object."""
    heads = _anchors(match)
    heads += [c for h in list(heads) for c in h.children if c.dep_ == "dobj"]
    for head in heads:
        for pobj in _pobjs(head, LOCATION_PREPS):
            for candidate in (pobj, *_pobjs(pobj, ("of",)), *[c for c in pobj.children if c.dep_ in ("appos", "compound")]):
                if _entity_span(candidate) is not None:
                    return candidate
    return None


def location(match: Match) -> str | None:
    place = location_token(match)
    ent = _entity_span(place) if place is not None else None
    return ent.text if ent is not None else None


DISAPPROVE_ROOT = "11"
# Roots of directed speech acts: appeal, demand, disapprove, reject, threaten.
ADDRESSED_ROOTS = frozenset({"02", "10", "11", "12", "13"})


def complement_target(tables: TriggerTables, match: Match, args: Arguments) -> Arguments:
    """"threatened to cut off electricity to Y", "refused to send troops to Y": a
    trigger with no target of its own aims at its infinitive complement's target."""
    if match.token.pos_ != "VERB":
        return args
    for complement in (c for c in match.token.children if c.dep_ == "xcomp" and c.pos_ == "VERB"):
        inner = verb_arguments(tables, complement)
        if not args.targets and inner.targets:
            return replace(args, targets=inner.targets, nested_targets=inner.nested_targets)
        if inner.targets or inner.nested_targets:
            # Its own objects name no actor: the complement's may ("threatened to
            # launch an offensive in its war with Y").
            return replace(args, nested_targets=(*args.nested_targets, *inner.targets, *inner.nested_targets))
    return args


def complaint_target(tables: TriggerTables, match: Match, args: Arguments, actors: ActorIndex) -> Arguments:
    """"X complained to Y over Z's raids": a disapproval aims at what it is
    about (Z), not at whom it is addressed to (Y)."""
    if match.code[:2] != DISAPPROVE_ROOT or match.token.pos_ != "VERB":
        return args
    topics = _pobjs(match.token, TOPIC_PREPS)
    if any(_political(r) for r in _resolved(tables, topics, actors)):
        return replace(args, targets=_with_conjuncts(topics), nested_targets=())
    return args


def clause_target(match: Match, args: Arguments) -> Arguments:
    """"X demanded that Y withdraw": a demand, appeal, accusation or threat with no
    object is aimed at the subject of the clause it governs."""
    if args.targets or match.code[:2] not in ADDRESSED_ROOTS or match.token.pos_ != "VERB":
        return args
    clauses = [c for c in match.token.children if c.dep_ == "ccomp"]
    subjects = [s for c in clauses for s in c.children if s.dep_ in ("nsubj", "nsubjpass")]
    return replace(args, targets=_with_conjuncts(subjects), nested_targets=()) if subjects else args


PROTEST_ROOT = "14"
GOVERNMENT = "GOV"


def protest_target(
    tables: TriggerTables, match: Match, pairs: list[tuple[ActorRef | None, ActorRef | None]], actors: ActorIndex
) -> list[tuple[ActorRef | None, ActorRef | None]]:
    """A protest naming no target is aimed at the country it happens in when
    that is not the protesters' own ("X activists protested in Beijing" -> CHN),
    else at the protesters' own government (the CAMEO codebook's 14, "political
    dissent", is dissent against the state): "Algerian students rallied" ->
    DZAGOV; a country-level source is mostly its people ("Algerians rallied":
    a state's own complaint is a disapproval, 11). The government target is
    named after the code; it is no entity of the text."""
    if not match.code.startswith(PROTEST_ROOT):
        return pairs
    place = location_token(match)
    host = _actor_ref(tables, place, actors) if place is not None else None
    out: list[tuple[ActorRef | None, ActorRef | None]] = []
    for source, target in pairs:
        code = source.actor if source is not None else None
        if target is None and code and len(code) >= 3 and not code.startswith("---"):
            if host is not None and _political(host) and host.actor and host.actor[:3] != code[:3]:
                target = host
            elif code[3:6] != GOVERNMENT:
                target = ActorRef(None, f"government ({code[:3]})", code[:3] + GOVERNMENT)
        out.append((source, target))
    return out


# Roots whose act is done to the place it happens in when no one else is named.
PLACE_TARGET_ROOTS = ("04", "15", "17", "18", "19", "20")


def host_target(tables: TriggerTables, match: Match, pairs: list[tuple[ActorRef | None, ActorRef | None]], actors: ActorIndex) -> list[tuple[ActorRef | None, ActorRef | None]]:
    """A consultation with no target takes the country it happens in ("arrived
    in X", "talks in X"): CAMEO codes a visit as an act towards the host. So
    does a coercive or violent act ("imposed a curfew in X", "bombs exploded in
    X"): it is done to the place's people."""
    if not match.code.startswith(PLACE_TARGET_ROOTS) or any(t is not None for _, t in pairs):
        return pairs
    place = location_token(match)
    host = _actor_ref(tables, place, actors) if place is not None else None
    if host is None or not _political(host):
        return pairs
    return [(s, host) for s, _ in pairs if s is None or not _same_actor(s, host)] or pairs


def _number(words: list[str]) -> float | None:
    value: float | None = None
    for w in words:
        w = w.lower().replace(",", "")
        if w in SCALES and value is not None:
            value *= SCALES[w]
        elif re.fullmatch(r"\d+(\.\d+)?", w):
            value = float(w)
        elif w in NUMBER_WORDS:
            value = NUMBER_WORDS[w] if value is None else value * NUMBER_WORDS[w]
        else:
            return None
    return value


def quantity_of(noun: Token) -> Quantity | None:
    """"60,000 tons of diesel" -> (60000, tons, diesel); "24 jets" -> (24, None, jets)."""
    nummods = [c for c in noun.children if c.dep_ == "nummod"]
    if not nummods:
        return None
    words = [t.text for c in nummods for t in c.subtree if t.dep_ not in ("quantmod", "advmod") or t.like_num]
    value = _number(words)
    if value is None:
        return None
    of_objects = _pobjs(noun, ("of",))
    if of_objects:
        return Quantity(value, noun.lower_, _phrase_text(of_objects[0]))
    lefts = [c for c in noun.lefts if c.dep_ in ("compound", "amod") and c not in nummods and c.i > max(n.i for n in nummods)]
    start = min([noun.i, *(c.left_edge.i for c in lefts)])
    return Quantity(value, None, noun.doc[start : noun.i + 1].text)


def quantity(match: Match) -> Quantity | None:
    head = match.token
    if head.pos_ in ("NOUN", "PROPN"):
        candidates = [head, *_pobjs(head, ("of",))]
    else:
        candidates = [c for c in head.children if c.dep_ in ("dobj", "nsubjpass")]
        candidates += [x for c in list(candidates) for x in c.conjuncts]
    for c in candidates:
        found = quantity_of(c)
        if found is not None:
            return found
    return None


# --- assembly --------------------------------------------------------------------------------


def _depth(token: Token) -> int:
    return sum(1 for _ in token.ancestors)


# Reporting verbs that are acts of their own: "X claimed that Y attacked"
# accuses Y (demand, disapprove, reject, threaten).
ACCUSING_ROOTS = frozenset({"10", "11", "12", "13"})
# Past the depth of any parse: a reporting verb ranks after what it reports.
REPORTED_RANK = 1000


def _rank(match: Match, matches: list[Match]) -> int:
    """Main clause first; but a reporting verb coded as an event ("X is about to
    restore ties with Y, an official said") ranks after the act it reports,
    which is what the sentence is about."""
    if match.token.lemma_.lower() in cue_lemmas() and match.code[:2] not in ACCUSING_ROOTS:
        reported = {t.i for c in match.token.children if c.dep_ in ("ccomp", "parataxis") for t in c.subtree}
        if any(other.token.i in reported for other in matches if other is not match):
            return REPORTED_RANK + _depth(match.token)
    return _depth(match.token)


def _evidence(ctx: Context, start: int, end: int) -> Evidence:
    text = ctx.text[start:end]
    stripped = text.rstrip()
    return Evidence(start, start + len(stripped), stripped)


def _political(ref: ActorRef | None) -> bool:
    """An actor of a known country or organisation: "---CVL" (civilians of no
    known country) alone does not make an event political."""
    return ref is not None and ref.actor is not None and not ref.actor.startswith("---")


FIRST_PERSON = word_set("pronouns", "first_person")


def _speaker_ref(entity_id: str | None, actors: ActorIndex) -> ActorRef | None:
    entity = next((e for e in actors.entities if e.id == entity_id), None) if entity_id else None
    return ActorRef(entity.id, entity.name, entity.actor) if entity is not None else None


def speaker_as_source(
    pairs: list[tuple[ActorRef | None, ActorRef | None]], speaker: ActorRef | None
) -> list[tuple[ActorRef | None, ActorRef | None]]:
    """"We will not sign", said X: a first-person subject in reported speech is its speaker."""
    if speaker is None:
        return pairs
    return [(speaker if s is None else s, t) for s, t in pairs if t is None or not _same_actor(speaker, t)]


def _final_code(tables: TriggerTables, code: str, mode: Modality) -> str:
    """An intended cooperative act is coded as the intent to do it (CAMEO 03x)."""
    if mode == "intended" and tables.recode_intent:
        return intent_codes().get(code[:2], code)
    return code


def _sentence_events(
    ctx: Context, sentence: Span, actors: ActorIndex, quotes: list[Quote], times: list[TimeExpr]
) -> list[tuple[int, int, Event]]:
    tables = ctx.tables.triggers
    found: list[tuple[int, int, Event]] = []
    matches = find_triggers(tables, sentence)
    for match in matches:
        rank = _rank(match, matches)
        if match.recipient:
            args = recipient_arguments(match.token)
        else:
            args = verb_arguments(tables, match.token) if match.token.pos_ == "VERB" else noun_arguments(match)
        args = complaint_target(tables, match, complement_target(tables, match, clause_target(match, args)), actors)
        pairs = host_target(tables, match, actor_pairs(tables, args, actors, is_symmetric(match.code)), actors)
        pairs = protest_target(tables, match, pairs, actors)
        if any(t.lower_ in FIRST_PERSON for t in args.sources):
            pairs = speaker_as_source(pairs, _speaker_ref(attributed_to(match.token, quotes, actors), actors))
        pairs = [(s, t) for s, t in pairs if _political(s) or _political(t)]
        if not pairs:
            continue
        if in_question(match.token, sentence):
            continue
        mode = modality(match)
        speaker = attributed_to(match.token, quotes, actors) or embedding_speaker(match, actors)
        code = _final_code(tables, match.code, mode)
        info = code_info(code)
        if info is None:
            continue
        date, basis = event_date(match, sentence, times, ctx)
        trigger = _evidence(ctx, match.token.idx, match.token.idx + len(match.token.text))
        evidence = _evidence(ctx, sentence.start_char, sentence.end_char)
        common = Event(
            id="", code=code, label=info.name, plover=info.plover, plover_mode=info.plover_mode, goldstein=info.goldstein,
            quad_class=info.quad_class, source=None, target=None, date=date, date_basis=basis, location=location(match),
            quantity=quantity(match), modality=mode, attributed_to=speaker, trigger=trigger, evidence=evidence,
        )  # fmt: skip
        for source, target in pairs:
            found.append((rank, match.token.idx, replace(common, source=source, target=target)))
        reverse_info = code_info(match.reverse) if match.reverse else None
        if reverse_info is None or match.reverse is None:
            continue
        # "[042:043]": the target's side of the same act (the host of a visit).
        reverse = replace(
            common, code=match.reverse, label=reverse_info.name, plover=reverse_info.plover,
            plover_mode=reverse_info.plover_mode, goldstein=reverse_info.goldstein, quad_class=reverse_info.quad_class,
        )  # fmt: skip
        for source, target in pairs:
            if source is not None and target is not None:
                found.append((rank, match.token.idx, replace(reverse, source=target, target=source)))
    return found


def extract(
    ctx: Context, actors: ActorIndex, quotes: list[Quote], times: list[TimeExpr], doc_id: str
) -> list[Event]:
    """The events of an article, numbered ``{doc_id}:{n}`` in text order of
    their sentences (main clause first within a sentence)."""
    events: list[Event] = []
    seen: set[tuple[object, ...]] = set()
    for sentence in sentences(ctx.doc):
        if ctx.zone_at(sentence.start_char) in SKIPPED_ZONES or not sentence.text.strip():
            continue
        for _depth, _start, event in sorted(_sentence_events(ctx, sentence, actors, quotes, times), key=lambda x: x[:2]):
            key = (event.code, event.source, event.target, event.trigger.start)
            if key in seen:
                continue
            seen.add(key)
            events.append(event)
    return [_with_id(e, f"{doc_id}:{n}") for n, e in enumerate(events)]


def _with_id(event: Event, event_id: str) -> Event:
    return replace(event, id=event_id)
