import json
from pathlib import Path

import eventwire
from eventwire import schema

ROOT = Path(__file__).resolve().parents[1]


def test_public_api_is_pinned():
    assert eventwire.__all__ == [
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


def test_shipped_schema_matches_the_model():
    shipped = json.loads((ROOT / "docs" / "schema.json").read_text(encoding="utf-8"))
    assert shipped == schema.article_schema(), "run `make schema` to regenerate docs/schema.json"


def test_schema_is_versioned_and_strict():
    s = schema.article_schema()
    assert s["properties"]["schema"]["const"] == "eventwire/1"
    for name in ("doc_id", "source", "title", "published", "published_basis", "text", "entities", "times", "quotes", "events", "coder_version"):
        assert name in s["required"]
    assert s["$defs"]["Event"]["additionalProperties"] is False
