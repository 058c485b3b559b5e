"""Record types of eventwire: the one place where the output schema is defined.

Every record is a frozen, slotted dataclass. Every span-bearing record carries
``start``/``end`` character offsets into ``Article.text`` (the cleaned text);
``Article.raw_map`` maps those offsets back to ``Article.raw_text``, the input
as received. ``docs/schema.json`` is generated from these types
(``python -m eventwire.schema``) and versioned by ``SCHEMA_VERSION``.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from typing import Any, Literal

SCHEMA_VERSION = "eventwire/1"
# Bumped whenever a stage's rules change what it extracts; stored with every
# article so re-coding can tell which version said what.
CODER_VERSION = "0.1.0"

EntityType = Literal["PERSON", "GPE", "ORG", "FAC", "LOC", "NORP"]
PublishedBasis = Literal["given", "metadata", "dateline", "caption", "text", "none"]
# requested: asked or urged of someone ("urged Y to allow"); alleged: charged by
# someone ("accused Y of ramming"); proposed: put forward ("proposed to hold talks").
Modality = Literal["asserted", "negated", "intended", "hypothetical", "requested", "alleged", "proposed"]
QuoteKind = Literal["direct", "partial", "reported"]
DateBasis = Literal["trigger", "sentence", "published", "none"]
Zone = Literal["title", "body", "caption", "credit", "boilerplate"]


@dataclass(frozen=True, slots=True)
class Mention:
    start: int
    end: int
    text: str


@dataclass(frozen=True, slots=True)
class Entity:
    id: str
    name: str
    type: EntityType
    actor: str | None
    mentions: tuple[Mention, ...]
    # Descriptions the article gives the entity ("dictator", "President"),
    # from appositions, titles and modifiers: how this outlet labels them.
    labels: tuple[str, ...] = ()
    # The name is its country's own name or demonym ("Belarus", "Belarusian"),
    # not a city or body coded with a country code: the store keys such an
    # actor by its code, so every article's "Belarus" is one actor.
    names_country: bool = False
    # What the actor code rests on: "dictionary" (a dictionary entry for the
    # name, valid on the article's date), "title" (a title or kind with a
    # country or body in the text: "Kenya's foreign minister X"), "name" (a
    # country word in an organisation's own name), or "context:sentence",
    # "context:dateline", "context:dominant" (a titled name whose country comes
    # from its sentence, the dateline, or the country the article is about),
    # or "corpus" (a role an earlier article taught for this person:
    # ``LearnedRole``).
    code_basis: str | None = None


@dataclass(frozen=True, slots=True)
class TimeExpr:
    text: str
    start: int
    end: int
    value: str | None
    type: Literal["DATE", "TIME", "DURATION", "SET"] = "DATE"
    # TIMEX3 modifier (START, END, MORE_THAN, APPROX, ...) where the text gives one.
    mod: str | None = None


@dataclass(frozen=True, slots=True)
class Quote:
    text: str
    start: int
    end: int
    speaker: str | None
    speaker_name: str | None
    addressee: str | None
    cue: str | None
    kind: QuoteKind = "direct"


@dataclass(frozen=True, slots=True)
class ActorRef:
    entity: str | None
    name: str
    actor: str | None


@dataclass(frozen=True, slots=True)
class Quantity:
    value: float
    unit: str | None
    item: str | None


@dataclass(frozen=True, slots=True)
class Evidence:
    start: int
    end: int
    text: str


@dataclass(frozen=True, slots=True)
class Event:
    id: str
    code: str
    label: str
    plover: str | None
    goldstein: float
    quad_class: int
    source: ActorRef | None
    target: ActorRef | None
    date: str | None
    date_basis: DateBasis
    location: str | None
    quantity: Quantity | None
    modality: Modality
    attributed_to: str | None
    trigger: Evidence
    evidence: Evidence
    # PLOVER mode (e.g. "verbal" vs "material"), where the code table gives one.
    plover_mode: str | None = None


@dataclass(frozen=True, slots=True)
class Paragraph:
    start: int
    end: int
    zone: Zone


@dataclass(frozen=True, slots=True)
class Segment:
    """A stretch of cleaned text copied unchanged from the raw text.

    Cleaned offsets inside ``[start, end)`` map to ``raw_start + (offset - start)``;
    offsets between segments fall in repaired stretches (see ``Repair``).
    """

    start: int
    end: int
    raw_start: int


@dataclass(frozen=True, slots=True)
class Repair:
    """One change made by the repair stage: raw ``[raw_start, raw_end)`` became
    cleaned ``[start, end)``. A repair the stage declined (kind ending in
    ``-skipped``) changes nothing: it is zero-width, at the start of what was
    left alone, and ``note`` says why."""

    kind: str
    raw_start: int
    raw_end: int
    start: int
    end: int
    raw: str
    replacement: str
    note: str = ""


@dataclass(frozen=True, slots=True)
class Source:
    path: str | None = None
    url: str | None = None
    outlet: str | None = None


@dataclass(frozen=True, slots=True)
class Article:
    doc_id: str
    source: Source
    title: str | None
    published: str | None
    published_basis: PublishedBasis
    text: str
    raw_text: str
    raw_map: tuple[Segment, ...]
    repairs: tuple[Repair, ...]
    paragraphs: tuple[Paragraph, ...]
    entities: tuple[Entity, ...]
    times: tuple[TimeExpr, ...]
    quotes: tuple[Quote, ...]
    events: tuple[Event, ...]
    coder_version: str = CODER_VERSION
    schema: Literal["eventwire/1"] = "eventwire/1"

    def to_dict(self) -> dict[str, Any]:
        """The JSON-ready record, with ``schema`` first."""
        record = dataclasses.asdict(self)
        return {"schema": record.pop("schema"), **record}

    def entity(self, entity_id: str) -> Entity | None:
        return next((e for e in self.entities if e.id == entity_id), None)

    def to_raw(self, offset: int, side: Literal["start", "end"] = "start") -> int:
        """Map an offset in ``text`` to the matching offset in ``raw_text``."""
        return clean_to_raw(self.raw_map, self.repairs, offset, side)

    def raw_span(self, start: int, end: int) -> tuple[int, int]:
        """The raw-text span a cleaned span ``[start, end)`` came from."""
        return self.to_raw(start, "start"), self.to_raw(end, "end") if end > start else self.to_raw(start)


def clean_to_raw(
    raw_map: tuple[Segment, ...],
    repairs: tuple[Repair, ...],
    offset: int,
    side: Literal["start", "end"] = "start",
) -> int:
    """Offset in the cleaned text -> offset in the raw text.

    A span's ``start`` is mapped with side="start" and its ``end`` with
    side="end": at a boundary between an unchanged segment and a repaired
    stretch the two sides differ. Inside a repaired stretch a start maps to the
    stretch's raw start and an end to its raw end, so a span always covers
    everything it came from.
    """
    if side == "start":
        for seg in raw_map:
            if seg.start <= offset < seg.end:
                return seg.raw_start + (offset - seg.start)
        for rep in repairs:
            if rep.start <= offset < rep.end:
                return rep.raw_start
    else:
        for seg in raw_map:
            if seg.start < offset <= seg.end:
                return seg.raw_start + (offset - seg.start)
        for rep in repairs:
            if rep.start < offset <= rep.end:
                return rep.raw_end
    # Zero-width positions: the text's edges and deleted characters.
    for seg in raw_map:
        if offset in (seg.start, seg.end):
            return seg.raw_start + (offset - seg.start)
    for rep in repairs:
        if offset == rep.start == rep.end:
            return rep.raw_start if side == "start" else rep.raw_end
    # The end of a text whose last characters were repaired ("\r\n" -> "\n").
    for rep in repairs:
        if offset == rep.end:
            return rep.raw_end
    if offset == 0:
        return 0
    raise ValueError(f"offset {offset} is outside the cleaned text")


@dataclass(frozen=True, slots=True)
class RawDocument:
    """What ingest hands to the pipeline: one article as received."""

    raw_text: str
    title: str | None = None
    published: str | None = None
    published_basis: PublishedBasis = "none"
    source: Source = field(default_factory=Source)


@dataclass(frozen=True, slots=True)
class FileError:
    """A per-file failure: reported, never fatal for the batch."""

    path: str
    reason: str


@dataclass(frozen=True, slots=True)
class LearnedRole:
    """A person's actor code learned from an article that gave strong evidence
    for it (a title with a country in the text: "Kenya's foreign minister
    Musalia Mudavadi" -> KENGOV), valid from that article's date until a later
    article gives a contradicting title. Corpus memory codes later mentions of
    the same person by it; a dictionary code for the same date always wins."""

    name: str  # the name as the teaching article wrote it
    surname_key: str  # romanization-independent keys (``extract.names.person_keys``)
    given_key: str
    code: str
    valid_from: str  # ISO date: the teaching article's publication date
    valid_to: str | None  # ISO date the role ended (exclusive); None while it holds
    taught_by: str  # doc_id of the teaching article
    start: int  # the teaching mention's offsets in that article's text
    end: int
    title: str  # the title words that taught it ("foreign minister")
    closed_by: str | None = None  # doc_id of the article whose title ended it


@dataclass(frozen=True, slots=True)
class SkippedFile(FileError):
    """A file a directory or pattern holds that ingest does not read (no
    article format): listed with the reason, never counted as a failure."""
