"""An optional record of what the stages found but the ``Article`` does not hold.

Evaluations need a little more than the record: the words a quote stage took
as a quote's speaker, and the entity the actor stage links a pronoun or a
title to. Pass an ``ExtractTrace`` to the extraction call
(``extract_many(items, trace=trace)``); the stages append to it while they
run, and extraction without one does no extra work. All offsets are
character offsets into the repaired text (``Article.text``), as in the record.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..model import Entity


@dataclass(frozen=True, slots=True)
class SpeakerWords:
    """The words naming a quote's speaker, as the quote stage found them."""

    doc_id: str  # the Article's doc_id
    quote_start: int  # the quote, as in the Article's ``Quote.start``/``end``
    quote_end: int
    start: int  # the words naming its speaker ("the minister", "he", "Jane Doe")
    end: int
    text: str


@dataclass(frozen=True, slots=True)
class Antecedent:
    """A token and the entity the actor stage resolves it to
    (``ActorIndex.for_token``): a name inside one of the entity's mentions, or
    by coreference a pronoun ("she"), a title ("the minister") or a title
    bound to a name ("President" in "President X")."""

    doc_id: str  # the Article's doc_id
    start: int  # the token
    end: int
    entity: Entity  # as the actor stage made it: every mention, even those the Article drops in skipped zones


@dataclass(slots=True)
class ExtractTrace:
    """Lists the stages append to, over every article of the extraction call.

    ``speakers``: one ``SpeakerWords`` per quote whose speaker the quote stage
    named, in text order within an article.
    ``antecedents``: one ``Antecedent`` per token of the article that the
    actor stage links to an entity, in token order within an article.

    Entries are keyed by ``doc_id`` (equal raw texts share one); an article
    analysed twice (``analyse`` retries each document of a failed batch alone)
    appends its entries again, identical to the first."""

    speakers: list[SpeakerWords] = field(default_factory=list)
    antecedents: list[Antecedent] = field(default_factory=list)
