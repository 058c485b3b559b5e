"""Actors: named entities resolved to canonical actors with CAMEO-style codes.

STUB — interface only; to be implemented.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from spacy.tokens import Token

from .model import Entity

if TYPE_CHECKING:
    from .pipeline import Context


class ActorIndex:
    """The entities of one article and lookups from text positions to them."""

    def __init__(self, entities: list[Entity]) -> None:
        self.entities = entities

    def at(self, start: int, end: int) -> Entity | None:
        """The entity one of whose mentions overlaps the char span, if any."""
        raise NotImplementedError

    def for_token(self, token: Token) -> Entity | None:
        """The entity a token refers to: a token inside a mention, the head of
        a noun phrase naming an actor ("the Belarusian leader"), or a pronoun /
        title resolved by in-document coreference."""
        raise NotImplementedError

    def actor_code(self, token: Token) -> str | None:
        """A CAMEO actor code for a token even when no entity covers it
        (e.g. "officials" in "Hungarian officials" -> "HUNGOV")."""
        raise NotImplementedError


def resolve(ctx: Context) -> ActorIndex:
    raise NotImplementedError
