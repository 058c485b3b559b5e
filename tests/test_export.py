"""Exports: GDELT 2.0 events read back by a reader written from GDELT's codebook."""

from __future__ import annotations

import csv
import io
import json
import re
from argparse import Namespace
from importlib import resources

import pytest

from eventwire.export import main_export, split_actor_code
from eventwire.store import Store

# GDELT 2.0 Event Database codebook: the 61 fields of the Events table, in order.
GDELT_FIELDS = """GLOBALEVENTID SQLDATE MonthYear Year FractionDate
Actor1Code Actor1Name Actor1CountryCode Actor1KnownGroupCode Actor1EthnicCode Actor1Religion1Code
Actor1Religion2Code Actor1Type1Code Actor1Type2Code Actor1Type3Code
Actor2Code Actor2Name Actor2CountryCode Actor2KnownGroupCode Actor2EthnicCode Actor2Religion1Code
Actor2Religion2Code Actor2Type1Code Actor2Type2Code Actor2Type3Code
IsRootEvent EventCode EventBaseCode EventRootCode QuadClass GoldsteinScale NumMentions NumSources
NumArticles AvgTone
Actor1Geo_Type Actor1Geo_FullName Actor1Geo_CountryCode Actor1Geo_ADM1Code Actor1Geo_ADM2Code
Actor1Geo_Lat Actor1Geo_Long Actor1Geo_FeatureID
Actor2Geo_Type Actor2Geo_FullName Actor2Geo_CountryCode Actor2Geo_ADM1Code Actor2Geo_ADM2Code
Actor2Geo_Lat Actor2Geo_Long Actor2Geo_FeatureID
ActionGeo_Type ActionGeo_FullName ActionGeo_CountryCode ActionGeo_ADM1Code ActionGeo_ADM2Code
ActionGeo_Lat ActionGeo_Long ActionGeo_FeatureID
DATEADDED SOURCEURL""".split()


def read_gdelt_events(text: str) -> list[dict[str, str]]:
    """GDELT's event files: no header, one event a line, tab-separated."""
    rows = []
    for line in text.splitlines():
        fields = line.split("\t")
        assert len(fields) == len(GDELT_FIELDS) == 61, len(fields)
        rows.append(dict(zip(GDELT_FIELDS, fields, strict=True)))
    return rows


def cameo_codes() -> set[str]:
    table = resources.files("eventwire.data").joinpath("cameo_codes.tsv").read_text("utf-8")
    return {line.split("\t")[0] for line in table.splitlines()[1:] if line}


@pytest.fixture()
def sample_db(tmp_path, sample_articles) -> str:
    path = str(tmp_path / "samples.duckdb")
    with Store(path) as store:
        for article in sample_articles.values():
            store.add(article)
    return path


def export(db: str, fmt: str, capsys) -> str:
    assert main_export(Namespace(db=db, format=fmt, output="-")) == 0
    return capsys.readouterr().out


def test_gdelt_export_parses_with_the_codebook_reader(sample_db, capsys):
    rows = read_gdelt_events(export(sample_db, "gdelt", capsys))
    assert rows
    codes = cameo_codes()
    with Store(sample_db, read_only=True) as store:
        dated = store.rows("SELECT count(*) AS n FROM events WHERE day IS NOT NULL")[0]["n"]
    assert len(rows) == dated
    assert len({r["GLOBALEVENTID"] for r in rows}) == len(rows)
    for r in rows:
        assert int(r["GLOBALEVENTID"]) > 0
        assert re.fullmatch(r"(19|20)\d\d(0[1-9]|1[0-2])(0[1-9]|[12]\d|3[01])", r["SQLDATE"])
        assert r["MonthYear"] == r["SQLDATE"][:6] and r["Year"] == r["SQLDATE"][:4]
        assert float(r["FractionDate"]) == pytest.approx(int(r["Year"]), abs=1)
        assert re.fullmatch(r"\d{14}", r["DATEADDED"])
        assert r["EventCode"] in codes and r["EventBaseCode"] in codes and r["EventRootCode"] in codes
        assert r["EventCode"].startswith(r["EventBaseCode"]) and r["EventBaseCode"].startswith(r["EventRootCode"])
        assert r["QuadClass"] in {"1", "2", "3", "4"} and r["IsRootEvent"] in {"0", "1"}
        assert -10.0 <= float(r["GoldsteinScale"]) <= 10.0
        assert int(r["NumMentions"]) >= int(r["NumArticles"]) >= int(r["NumSources"]) >= 1
        for side in ("Actor1", "Actor2"):
            code = r[f"{side}Code"]
            if r[f"{side}CountryCode"]:
                assert code.startswith(r[f"{side}CountryCode"])
        assert r["SOURCEURL"]
    assert any(r["Actor1CountryCode"] == "BLR" and r["Actor1Type1Code"] == "GOV" for r in rows)


def test_csv_and_jsonl_exports(sample_db, capsys, sample_articles):
    rows = list(csv.DictReader(io.StringIO(export(sample_db, "csv", capsys))))
    with Store(sample_db, read_only=True) as store:
        assert len(rows) == store.table_counts()["events"]
    assert all(r["evidence_text"] for r in rows)
    records = [json.loads(line) for line in export(sample_db, "jsonl", capsys).splitlines()]
    assert {r["doc_id"] for r in records} == {a.doc_id for a in sample_articles.values()}
    assert all(r["schema"] == "eventwire/1" for r in records)


def test_export_to_file_and_missing_store(tmp_path, sample_db, capsys):
    out = tmp_path / "events.tsv"
    assert main_export(Namespace(db=sample_db, format="gdelt", output=str(out))) == 0
    assert read_gdelt_events(out.read_text(encoding="utf-8"))
    from eventwire.store import StoreError

    with pytest.raises(StoreError):
        main_export(Namespace(db=str(tmp_path / "none.duckdb"), format="gdelt", output="-"))


def test_split_actor_code():
    assert split_actor_code("BLRGOV") == ("BLR", "", ("GOV", "", ""))
    assert split_actor_code("IGOUNO") == ("", "UNO", ("IGO", "", ""))
    assert split_actor_code("USAGOVMIL") == ("USA", "", ("GOV", "MIL", ""))
    assert split_actor_code(None) == ("", "", ("", "", ""))
