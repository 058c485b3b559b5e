"""eventwire: sourced political event data from news articles.

The public API: ``extract`` and ``extract_many`` turn text into ``Article``
records (optionally with other ``CodingTables``), ``Store`` keeps them in a
DuckDB file. Everything else is reached through the subpackages."""

from .corpus.store import Store
from .extract.runner import extract, extract_many
from .extract.tables import CodingTables
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
    "CodingTables",
    "Entity",
    "Event",
    "Evidence",
    "Mention",
    "Quantity",
    "Quote",
    "RawDocument",
    "Source",
    "Store",
    "TimeExpr",
    "__version__",
    "extract",
    "extract_many",
]
