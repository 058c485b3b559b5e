"""Time expressions: recognized and normalized against the publication date.

STUB — interface only; to be implemented.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from .model import TimeExpr

if TYPE_CHECKING:
    from .pipeline import Context


def infer_published(ctx: Context) -> date | None:
    """The publication date read from the text (e.g. a caption's full date)."""
    raise NotImplementedError


def extract(ctx: Context) -> list[TimeExpr]:
    raise NotImplementedError
