"""Quotes: direct quotations with speaker, addressee and cue.

STUB — interface only; to be implemented.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .model import Quote

if TYPE_CHECKING:
    from .actors import ActorIndex
    from .pipeline import Context


def extract(ctx: Context, actors: ActorIndex) -> list[Quote]:
    raise NotImplementedError
