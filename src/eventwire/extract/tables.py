"""The coding tables one extraction codes with, passed explicitly.

``CodingTables`` holds the actor lexicon (``actors.Lexicon``: named actors,
countries, agents, capitals), the event trigger tables
(``events.TriggerTables``) and the roles the corpus learned for persons the
dictionaries lack (``memory.LearnedRoles``, empty unless a store supplies them). The orchestrator puts them on every ``Context``
(``ctx.tables``) and the stages read them from there, never from a module
global, so two extractions with different tables can run side by side (a
validation suite's own dictionaries beside eventwire's).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from . import actors, events
from .memory import NO_LEARNED_ROLES, LearnedRoles


@dataclass(frozen=True, slots=True)
class CodingTables:
    """The actor lexicon, the event trigger tables and the learned roles to code with."""

    lexicon: actors.Lexicon
    triggers: events.TriggerTables
    learned: LearnedRoles = NO_LEARNED_ROLES


@cache
def default_tables() -> CodingTables:
    """eventwire's shipped dictionaries (``data/phoenix``, ``data/actors``,
    ``data/events``), parsed once per process."""
    return CodingTables(lexicon=actors.lexicon(), triggers=events.default_trigger_tables())
