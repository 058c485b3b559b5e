"""Exports: GDELT 2.0 events and mentions read back by readers written from
GDELT's codebook; Parquet read back with pyarrow; PLOVER JSON; filters."""

from __future__ import annotations

import csv
import io
import json
import re
from importlib import resources

import pytest

from eventwire.corpus.export import CSV_COLUMNS, ExportOptions, run_export, split_actor_code
from eventwire.corpus.identity import country_of
from eventwire.corpus.store import Store
from eventwire.errors import ActorQueryError

# GDELT 2.0 Event Database codebook: the 61 fields of the Events table, in order.
GDELT_FIELDS = ["GLOBALEVENTID", "SQLDATE", "MonthYear", "Year", "FractionDate", "Actor1Code", "Actor1Name", "Actor1CountryCode", "Actor1KnownGroupCode", "Actor1EthnicCode", "Actor1Religion1Code", "Actor1Religion2Code", "Actor1Type1Code", "Actor1Type2Code", "Actor1Type3Code", "Actor2Code", "Actor2Name", "Actor2CountryCode", "Actor2KnownGroupCode", "Actor2EthnicCode", "Actor2Religion1Code", "Actor2Religion2Code", "Actor2Type1Code", "Actor2Type2Code", "Actor2Type3Code", "IsRootEvent", "EventCode", "EventBaseCode", "EventRootCode", "QuadClass", "GoldsteinScale", "NumMentions", "NumSources", "NumArticles", "AvgTone", "Actor1Geo_Type", "Actor1Geo_FullName", "Actor1Geo_CountryCode", "Actor1Geo_ADM1Code", "Actor1Geo_ADM2Code", "Actor1Geo_Lat", "Actor1Geo_Long", "Actor1Geo_FeatureID", "Actor2Geo_Type", "Actor2Geo_FullName", "Actor2Geo_CountryCode", "Actor2Geo_ADM1Code", "Actor2Geo_ADM2Code", "Actor2Geo_Lat", "Actor2Geo_Long", "Actor2Geo_FeatureID", "ActionGeo_Type", "ActionGeo_FullName", "ActionGeo_CountryCode", "ActionGeo_ADM1Code", "ActionGeo_ADM2Code", "ActionGeo_Lat", "ActionGeo_Long", "ActionGeo_FeatureID", "DATEADDED", "SOURCEURL"]


def read_gdelt_table(text: str, columns: list[str]) -> list[dict[str, str]]:
    """A GDELT reader written from the GDELT 2.0 codebook: no header, one row
    a line, tab-separated, every column present."""
    rows = []
    for line in text.splitlines():
        fields = line.split("\t")
        assert len(fields) == len(columns), len(fields)
        rows.append(dict(zip(columns, fields, strict=True)))
    return rows


def read_gdelt_events(text: str) -> list[dict[str, str]]:
    assert len(GDELT_FIELDS) == 61
    return read_gdelt_table(text, GDELT_FIELDS)


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


def export(db: str, fmt: str, capsys, **filters) -> str:
    assert run_export(ExportOptions(db=db, format=fmt, output="-", **filters)) == 0
    return capsys.readouterr().out


# GDELT 2.0 Event Database codebook, "Mentions table": its 16 fields, in order.
GDELT_MENTION_FIELDS = ["GLOBALEVENTID", "EventTimeDate", "MentionTimeDate", "MentionType", "MentionSourceName", "MentionIdentifier", "SentenceID", "Actor1CharOffset", "Actor2CharOffset", "ActionCharOffset", "InRawText", "Confidence", "MentionDocLen", "MentionDocTone", "MentionDocTranslationInfo", "Extras"]


def read_gdelt_mentions(text: str) -> list[dict[str, str]]:
    assert len(GDELT_MENTION_FIELDS) == 16
    return read_gdelt_table(text, GDELT_MENTION_FIELDS)


# Two short articles of our own whose events happen in named cities.
OWN_ARTICLES = [
    {
        "id": "own-1",
        "title": "Talks in Berlin",
        "published": "2023-05-02",
        "text": "French President Emmanuel Macron met German Chancellor Olaf Scholz in Berlin on Monday. "
        "Macron said they discussed trade.",
    },
    {
        "id": "own-2",
        "title": "Fighting",
        "published": "2023-05-03",
        "text": "Ukrainian troops attacked Russian positions near Kharkiv on Tuesday, the Ukrainian military said.",
    },
]


@pytest.fixture(scope="module")
def own_db(tmp_path_factory) -> str:
    import eventwire

    path = str(tmp_path_factory.mktemp("own") / "own.duckdb")
    with Store(path) as store:
        store.add_many(eventwire.extract_many(OWN_ARTICLES))
    return path


def test_gdelt_export_parses_with_the_codebook_reader(sample_db, capsys):
    rows = read_gdelt_events(export(sample_db, "gdelt", capsys))
    assert rows
    codes = cameo_codes()
    with Store(sample_db, read_only=True) as store:
        dated = store.rows("SELECT count(*) AS n FROM events WHERE day IS NOT NULL AND modality = 'asserted'")[0]["n"]
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
        # The article's URL; the samples came without one: the store's id, never a file path.
        assert r["SOURCEURL"].startswith(("http://", "https://", "eventwire:"))
        assert_geo_where_known(r)
    assert any(r["Actor1CountryCode"] == "BLR" and r["Actor1Type1Code"] == "GOV" for r in rows)


def has_point(r: dict[str, str], prefix: str) -> bool:
    return r[f"{prefix}_Type"] != "0" and bool(r[f"{prefix}_Lat"]) and bool(r[f"{prefix}_Long"])


def assert_geo_where_known(r: dict[str, str]) -> None:
    """Coordinates for every actor with a country and every event with a place or an actor's country."""
    for side in ("Actor1", "Actor2"):
        if r[f"{side}CountryCode"]:
            assert has_point(r, f"{side}Geo"), r
    if r["Actor1CountryCode"] or r["Actor2CountryCode"]:
        assert has_point(r, "ActionGeo"), r
    for prefix in ("Actor1Geo", "Actor2Geo", "ActionGeo"):
        if has_point(r, prefix):
            assert -90 <= float(r[f"{prefix}_Lat"]) <= 90 and -180 <= float(r[f"{prefix}_Long"]) <= 180
            assert r[f"{prefix}_CountryCode"] and r[f"{prefix}_FeatureID"] and r[f"{prefix}_FullName"]


def test_gdelt_export_holds_asserted_events_unless_asked(sample_db, capsys):
    with Store(sample_db, read_only=True) as store:
        modality = {str(r["gid"]): r["modality"] for r in store.rows("SELECT gid, modality FROM events WHERE day IS NOT NULL")}
    assert set(modality.values()) > {"asserted"}  # the samples have negated, intended, hypothetical events
    default = read_gdelt_events(export(sample_db, "gdelt", capsys))
    assert {modality[r["GLOBALEVENTID"]] for r in default} == {"asserted"}
    text = export(sample_db, "gdelt", capsys, asserted_only=False, with_modality=True)
    # --with-modality: GDELT's 61 columns, then the modality as a 62nd.
    every = read_gdelt_table(text, [*GDELT_FIELDS, "Modality"])
    assert {r["GLOBALEVENTID"]: r["Modality"] for r in every} == modality
    assert [{k: v for k, v in r.items() if k != "Modality"} for r in every if r["Modality"] == "asserted"] == default


def test_csv_and_jsonl_exports(sample_db, capsys, sample_articles, tmp_path):
    import duckdb

    rows = list(csv.DictReader(io.StringIO(export(sample_db, "csv", capsys))))
    with Store(sample_db, read_only=True) as store:
        asserted = store.rows("SELECT count(*) AS n FROM events WHERE modality = 'asserted'")[0]["n"]
        assert len(rows) == asserted < store.table_counts()["events"]
        every = list(csv.DictReader(io.StringIO(export(sample_db, "csv", capsys, asserted_only=False))))
        assert len(every) == store.table_counts()["events"]
    assert all(r["evidence_text"] for r in rows) and {r["modality"] for r in rows} == {"asserted"}
    assert {r["modality"] for r in every} > {"asserted"}
    # DuckDB's CSV reader finds the types: dates are DATEs, numbers numbers.
    path = tmp_path / "events.csv"
    path.write_text(export(sample_db, "csv", capsys, asserted_only=False), encoding="utf-8")
    con = duckdb.connect()
    types = dict(con.execute(f"DESCRIBE SELECT * FROM read_csv('{path}')").fetchall()[i][:2] for i in range(len(CSV_COLUMNS)))
    assert types["date"] == "DATE" and types["goldstein"] == "DOUBLE" and types["geo_lat"] == "DOUBLE"
    assert types["quad_class"] in ("BIGINT", "INTEGER") and types["num_mentions"] in ("BIGINT", "INTEGER")
    placed = con.execute(f"SELECT count(*) FROM read_csv('{path}') WHERE geo_lat IS NOT NULL").fetchone()[0]
    known = con.execute(
        f"SELECT count(*) FROM read_csv('{path}') WHERE location IS NOT NULL OR source_actor IS NOT NULL"
        " OR target_actor IS NOT NULL"
    ).fetchone()[0]
    assert placed >= 1 and placed == con.execute(f"SELECT count(*) FROM read_csv('{path}') WHERE geo_basis IS NOT NULL").fetchone()[0]
    assert placed <= known
    records = [json.loads(line) for line in export(sample_db, "jsonl", capsys).splitlines()]
    assert {r["doc_id"] for r in records} == {a.doc_id for a in sample_articles.values()}
    assert all(r["schema"] == "eventwire/1" for r in records)


def test_export_to_file_and_missing_store(tmp_path, sample_db, capsys):
    out = tmp_path / "events.tsv"
    assert run_export(ExportOptions(db=sample_db, format="gdelt", output=str(out))) == 0
    assert read_gdelt_events(out.read_text(encoding="utf-8"))
    from eventwire.corpus.store import StoreError

    with pytest.raises(StoreError):
        run_export(ExportOptions(db=str(tmp_path / "none.duckdb"), format="gdelt", output="-"))


def test_split_actor_code():
    assert split_actor_code("BLRGOV") == ("BLR", "", ("GOV", "", ""))
    assert split_actor_code("IGOUNO") == ("", "UNO", ("IGO", "", ""))
    assert split_actor_code("USAGOVMIL") == ("USA", "", ("GOV", "MIL", ""))
    assert split_actor_code(None) == ("", "", ("", "", ""))


def test_gdelt_mentions_parse_and_point_into_the_articles(sample_db, capsys, sample_articles):
    events = read_gdelt_events(export(sample_db, "gdelt", capsys))
    mentions = read_gdelt_mentions(export(sample_db, "gdelt-mentions", capsys))
    event_ids = {r["GLOBALEVENTID"] for r in events}
    assert {m["GLOBALEVENTID"] for m in mentions} == event_ids
    by_id = {r["GLOBALEVENTID"]: r for r in events}
    counted: dict[str, int] = {}
    texts = {f"eventwire:{a.doc_id}": a.text for a in sample_articles.values()}
    for m in mentions:
        counted[m["GLOBALEVENTID"]] = counted.get(m["GLOBALEVENTID"], 0) + 1
        assert m["EventTimeDate"] == by_id[m["GLOBALEVENTID"]]["DATEADDED"]
        assert re.fullmatch(r"\d{14}", m["MentionTimeDate"])
        assert m["MentionType"] == "1" and m["InRawText"] == "1"
        assert 10 <= int(m["Confidence"]) <= 100 and int(m["SentenceID"]) >= 1
        text = texts[m["MentionIdentifier"]]
        assert int(m["MentionDocLen"]) == len(text)
        assert 0 <= int(m["ActionCharOffset"]) < len(text)
        for side in ("Actor1CharOffset", "Actor2CharOffset"):
            assert -1 <= int(m[side]) < len(text)
    # Each event's mention rows are as many as its NumMentions.
    assert all(counted[i] == int(by_id[i]["NumMentions"]) for i in event_ids)


def test_parquet_export_reads_back_with_pyarrow(sample_db, tmp_path, capsys):
    import pyarrow.parquet as pq

    out = tmp_path / "events.parquet"
    assert run_export(ExportOptions(db=sample_db, format="parquet", output=str(out))) == 0
    table = pq.read_table(out)
    assert tuple(table.column_names) == CSV_COLUMNS
    with Store(sample_db, read_only=True) as store:
        assert table.num_rows == store.rows("SELECT count(*) AS n FROM events WHERE modality = 'asserted'")[0]["n"]
        days = {r["event_key"]: r["day"] for r in store.rows("SELECT event_key, day FROM events")}
    types = {f.name: str(f.type) for f in table.schema}
    assert types["date"] == "date32[day]" and types["goldstein"] == "double" and types["gid"] == "int64"
    assert types["geo_lat"] == types["geo_lon"] == "double" and types["num_mentions"] == "int32"
    events = table.to_pylist()
    assert all(e["evidence_text"] for e in events) and {e["modality"] for e in events} == {"asserted"}
    assert all(e["date"] == days[e["event_key"]] for e in events)
    # Coordinates for every event with an actor that has a country.
    for e in events:
        if any(code and country_of(code) for code in (e["source_actor"], e["target_actor"])):
            assert e["geo_lat"] is not None and e["geo_lon"] is not None, e
    # Parquet cannot go to stdout.
    assert run_export(ExportOptions(db=sample_db, format="parquet", output="-")) == 2


def test_plover_records(sample_db, capsys):
    records = [json.loads(line) for line in export(sample_db, "plover", capsys).splitlines()]
    assert records
    table = resources.files("eventwire.data").joinpath("plover_event_types.tsv").read_text("utf-8")
    plover_types = {line.split("\t")[0] for line in table.splitlines()[1:] if line}
    for r in records:
        assert r["event_type"] in plover_types
        assert r["id"].startswith("eventwire-") and r["source_text"]
        assert r["source_end"] - r["source_start"] == len(r["source_text"])
        if r["actor_code"] and r["actor_country"]:
            assert r["actor_code"].startswith(r["actor_country"])
        assert isinstance(r["context"], list)
    # Modes come from the stored records ("visit", "phone", ...) where given.
    assert any(r["mode"] for r in records)


def test_filters_by_date_and_actor(sample_db, capsys):
    every = read_gdelt_events(export(sample_db, "gdelt", capsys))
    in_2023 = read_gdelt_events(export(sample_db, "gdelt", capsys, start="2023-01-01", end="2023-12-31"))
    assert in_2023 and len(in_2023) < len(every)
    assert all(r["Year"] == "2023" for r in in_2023)
    assert in_2023 == [r for r in every if r["Year"] == "2023"]
    russian = read_gdelt_events(export(sample_db, "gdelt", capsys, actor="RUS"))
    assert russian and len(russian) < len(every)
    assert all("RUS" in (r["Actor1Code"][:3], r["Actor2Code"][:3]) for r in russian)
    # The actor is resolved as timeline resolves it: a country's name is its code; unknown is an error.
    assert read_gdelt_events(export(sample_db, "gdelt", capsys, actor="Russia")) == russian
    with pytest.raises(ActorQueryError):
        export(sample_db, "csv", capsys, actor="ZZZ")
    # Mentions and article records follow the same filter.
    mentions = read_gdelt_mentions(export(sample_db, "gdelt-mentions", capsys, actor="RUS"))
    assert {m["GLOBALEVENTID"] for m in mentions} == {r["GLOBALEVENTID"] for r in russian}
    records = export(sample_db, "jsonl", capsys, start="2023-01-01").splitlines()
    assert len(records) == 1 and json.loads(records[0])["published"].startswith("2023")


def test_action_geo_columns_from_resolved_locations(own_db, capsys):
    rows = read_gdelt_events(export(own_db, "gdelt", capsys))
    by_place = {r["ActionGeo_FullName"]: r for r in rows if r["ActionGeo_Type"] != "0"}
    berlin = by_place["Berlin, Germany"]
    assert berlin["ActionGeo_Type"] == "4" and berlin["ActionGeo_CountryCode"] == "GM"  # FIPS, not ISO
    assert float(berlin["ActionGeo_Lat"]) == pytest.approx(52.52, abs=0.1)
    assert float(berlin["ActionGeo_Long"]) == pytest.approx(13.40, abs=0.1)
    assert berlin["ActionGeo_FeatureID"].isdigit()
    kharkiv = by_place["Kharkiv, Ukraine"]
    assert kharkiv["ActionGeo_CountryCode"] == "UP"
    for r in rows:
        assert_geo_where_known(r)
    plover = [json.loads(line) for line in export(own_db, "plover", capsys).splitlines()]
    assert any(r["geo"] and r["geo"]["country"] == "DEU" for r in plover)
