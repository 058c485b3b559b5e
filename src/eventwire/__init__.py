"""eventwire: sourced political event data from news articles."""

from .extract.runner import extract, extract_many
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
from .settings import VERSION

__version__ = VERSION

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
