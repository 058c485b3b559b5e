"""JSON Schema of the ``eventwire/1`` article record, generated from ``model.py``.

``python -m eventwire.schema > docs/schema.json`` regenerates the shipped file;
a test fails when the two drift apart.
"""

from __future__ import annotations

import json
from functools import lru_cache
from typing import Any

from pydantic import TypeAdapter

from .model import SCHEMA_VERSION, Article

SCHEMA_ID = "https://eventwire.invalid/schema/eventwire-1.json"


@lru_cache(maxsize=1)
def article_schema() -> dict[str, Any]:
    schema = TypeAdapter(Article).json_schema(mode="serialization")
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["$id"] = SCHEMA_ID
    schema["title"] = f"eventwire article record ({SCHEMA_VERSION})"
    # Every field is always written by Article.to_dict(), defaults included.
    schema["required"] = sorted(schema["properties"])
    for definition in schema.get("$defs", {}).values():
        if "properties" in definition:
            definition["required"] = sorted(definition["properties"])
            definition["additionalProperties"] = False
    schema["additionalProperties"] = False
    return schema


def render() -> str:
    return json.dumps(article_schema(), indent=2, ensure_ascii=False) + "\n"


if __name__ == "__main__":
    print(render(), end="")
