import json
from pathlib import Path

import pytest

from eventwire import schema

ROOT = Path(__file__).resolve().parents[1]


def test_shipped_schema_matches_the_model():
    shipped = json.loads((ROOT / "docs" / "schema.json").read_text(encoding="utf-8"))
    assert shipped == schema.article_schema(), "run `make schema` to regenerate docs/schema.json"


def test_schema_is_versioned_and_strict():
    s = schema.article_schema()
    assert s["properties"]["schema"]["const"] == "eventwire/1"
    for name in ("doc_id", "source", "title", "published", "published_basis", "text", "entities", "times", "quotes", "events", "coder_version"):
        assert name in s["required"]
    assert s["$defs"]["Event"]["additionalProperties"] is False


def test_end_of_a_text_that_ends_in_a_repair_maps_to_the_raw_end():
    from eventwire.model import Repair, Segment, clean_to_raw

    # raw "ab\r\n" cleaned to "ab\n": one unchanged segment, then the repair.
    raw_map = (Segment(start=0, end=2, raw_start=0),)
    repairs = (Repair(kind="newline", raw_start=2, raw_end=4, start=2, end=3, raw="\r\n", replacement="\n"),)
    assert clean_to_raw(raw_map, repairs, 3, side="start") == 4
    assert clean_to_raw(raw_map, repairs, 3, side="end") == 4
    with pytest.raises(ValueError):
        clean_to_raw(raw_map, repairs, 5)
