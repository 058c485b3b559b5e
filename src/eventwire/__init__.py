"""eventwire: sourced political event data from news articles."""

from .model import (
    CODER_VERSION,
    SCHEMA_VERSION,
    ActorRef,
    Article,
    Entity,
    Event,
    Evidence,
    Mention,
    Quantity,
    Quote,
    RawDocument,
    Source,
    TimeExpr,
)
from .pipeline import extract, extract_many

__version__ = "0.1.0"

__all__ = [
    "CODER_VERSION",
    "SCHEMA_VERSION",
    "ActorRef",
    "Article",
    "Entity",
    "Event",
    "Evidence",
    "Mention",
    "Quantity",
    "Quote",
    "RawDocument",
    "Source",
    "TimeExpr",
    "__version__",
    "extract",
    "extract_many",
]
