"""Events: CAMEO-coded who-did-what-to-whom from the dependency parse.

STUB — interface only; to be implemented.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .model import Event, Quote, TimeExpr

if TYPE_CHECKING:
    from .actors import ActorIndex
    from .pipeline import Context


def extract(
    ctx: Context, actors: ActorIndex, quotes: list[Quote], times: list[TimeExpr], doc_id: str
) -> list[Event]:
    raise NotImplementedError
