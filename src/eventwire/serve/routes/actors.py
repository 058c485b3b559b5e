"""Actors: the list (one row per name and code), one actor's profile, and
actor entries (one per identity, with aliases, codes over time and labels)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter
from fastapi import Path as PathParam

from ...corpus.query import (
    ActorEntry,
    ActorProfile,
    ActorSummary,
    actor_entries,
    actor_profile,
    actors,
    matching_actor_ids,
)
from ...model import LearnedRole
from ..access import StoreAccess
from ..bodies import ACTOR_PATTERN, CodeName, Limit, NameOrCode, Offset
from ..codes import describe_code
from ..requests import error

__all__ = ["actor_matches", "actors_router"]

# Every actor code the store holds, on entities or on either side of an event.
_STORE_CODES_SQL = """
SELECT actor AS code FROM entities WHERE actor IS NOT NULL
UNION SELECT source_actor FROM events WHERE source_actor IS NOT NULL
UNION SELECT target_actor FROM events WHERE target_actor IS NOT NULL
ORDER BY code
"""

ActorPath = Annotated[str, PathParam(max_length=100, pattern=ACTOR_PATTERN)]


def actor_matches(actor: ActorSummary, q: str) -> bool:
    """``q`` is part of the actor's name (any case) or a prefix of its code."""
    return q.lower() in actor.name.lower() or bool(actor.actor and actor.actor.startswith(q))


def actors_router(access: StoreAccess) -> APIRouter:
    router = APIRouter(tags=["actors"])

    @router.get("/api/actors", response_model=list[ActorSummary])
    def get_actors(q: NameOrCode = None, limit: Limit = 100, offset: Offset = 0) -> list[ActorSummary]:
        with access.read() as store:
            found = actors(store)
        if q is not None:
            found = [x for x in found if actor_matches(x, q)]
        return found[offset : offset + limit]

    @router.get("/api/actors/{actor}", response_model=ActorProfile)
    def get_actor(actor: ActorPath) -> ActorProfile:
        """An actor argument (code prefix, name or actor id): the actors it
        names — aliases, codes over time, each outlet's labels — and its events."""
        with access.read() as store:
            profile = actor_profile(store, actor)
        if not profile.actors and not (profile.events_as_source or profile.events_as_target):
            raise error(404, f"no actor {actor!r}")
        return profile

    @router.get("/api/actor-entries", response_model=list[ActorEntry])
    def get_actor_entries(q: NameOrCode = None, limit: Limit = 100, offset: Offset = 0) -> list[ActorEntry]:
        """Actors one per identity (``actor_id``), most seen first, each with its
        aliases, codes over time and the labels each outlet gave it."""
        with access.read() as store:
            if q is None:
                return actor_entries(store, limit=offset + limit)[offset:]
            ids = matching_actor_ids(store, q, limit=offset + limit)
            return actor_entries(store, actor_ids=ids)[offset : offset + limit]

    @router.get("/api/learned-roles", response_model=list[LearnedRole])
    def get_learned_roles(q: NameOrCode = None, limit: Limit = 100, offset: Offset = 0) -> list[LearnedRole]:
        """Roles corpus memory learned for persons the dictionaries lack: the
        code, the dates it held, the article and mention that taught it and
        the article whose title ended it. ``q``: part of the name or a code prefix."""
        with access.read() as store:
            roles = store.learned_roles()
        if q is not None:
            roles = [r for r in roles if q.lower() in r.name.lower() or r.code.startswith(q)]
        return roles[offset : offset + limit]

    @router.get("/api/codes", response_model=list[CodeName])
    def get_codes() -> list[CodeName]:
        """Every actor code in the store, in words ("BLRGOV": "Belarus government")."""
        with access.read() as store:
            rows = store.rows(_STORE_CODES_SQL)
        return [CodeName(code=r["code"], description=describe_code(r["code"])) for r in rows]

    return router
