"""Corpus memory in the store: roles taught by titles, valid by date, ended by a
contradicting title, and used for later articles in the same run. Sentences
written for these tests; the people are invented."""

from __future__ import annotations

import json
from dataclasses import replace

from eventwire.corpus.memory import learned_tables, taught_roles, updated_roles
from eventwire.corpus.store import Store
from eventwire.extract.names import person_keys
from eventwire.extract.runner import extract
from eventwire.extract.tables import default_tables
from eventwire.model import LearnedRole
from eventwire.scale.engines import run_corpus

TEACH = "Kenya's foreign minister Amani Wekesa met his Ugandan counterpart in Kampala on Monday."
UNTITLED = "Amani Wekesa arrived in Addis Ababa on Tuesday. Wekesa criticised Ethiopia over the border closure."
CONTRADICT = "Amani Wekesa, Kenya's opposition leader, led a rally in Nairobi on Sunday."


def taught(code: str, day: str, by: str) -> LearnedRole:
    return LearnedRole("Amani Wekesa", *person_keys("Amani Wekesa"), code, day, None, by, 0, 12, "minister")


def spans(roles: list[LearnedRole]) -> list[tuple[str, str, str | None, str | None]]:
    return [(r.code, r.valid_from, r.valid_to, r.closed_by) for r in roles]


def test_roles_arriving_in_any_order_end_where_the_next_title_begins():
    roles = updated_roles([], taught("KENGOV", "2020-03-01", "a"))
    assert spans(updated_roles(roles, taught("KENGOV", "2021-01-01", "b"))) == [("KENGOV", "2020-03-01", None, None)]
    roles = updated_roles(roles, taught("KENOPP", "2023-01-10", "c"))
    assert spans(roles) == [("KENGOV", "2020-03-01", "2023-01-10", "c"), ("KENOPP", "2023-01-10", None, None)]
    # An older article teaching the first role moves its start back.
    earlier = updated_roles(roles, taught("KENGOV", "2019-06-01", "d"))
    assert spans(earlier)[0] == ("KENGOV", "2019-06-01", "2023-01-10", "c")
    # An older article teaching another code opens a role that ends where the known one starts.
    before = updated_roles(roles, taught("KENMIL", "2018-01-01", "e"))
    assert spans(before)[0] == ("KENMIL", "2018-01-01", "2020-03-01", None)


def test_only_a_title_with_a_country_in_a_dated_article_teaches():
    article = extract(TEACH, published="2020-03-01")
    [role] = taught_roles(article)
    assert (role.name, role.code, role.valid_from, role.taught_by) == ("Amani Wekesa", "KENGOV", "2020-03-01", article.doc_id)
    assert article.text[role.start : role.end] == "Amani Wekesa"
    assert taught_roles(extract(TEACH)) == []  # no date, no role
    assert taught_roles(extract(UNTITLED, published="2021-05-10")) == []  # no title


def test_the_store_keeps_roles_with_their_provenance_and_codes_later_articles(tmp_path):
    with Store(tmp_path / "memory.duckdb") as store:
        store.add(extract(TEACH, published="2020-03-01"))
        store.add(extract(CONTRADICT, published="2023-01-10"))
        roles = store.learned_roles()
        assert spans(roles) == [("KENGOV", "2020-03-01", "2023-01-10", roles[1].taught_by), ("KENOPP", "2023-01-10", None, None)]
        tables = replace(default_tables(), learned=learned_tables(roles))
    codes = {
        day: {e.actor for e in extract(UNTITLED, published=day, tables=tables).entities if e.name == "Amani Wekesa"}
        for day in ("2019-01-01", "2021-05-10", "2024-02-02")
    }
    assert codes == {"2019-01-01": {None}, "2021-05-10": {"KENGOV"}, "2024-02-02": {"KENOPP"}}


def test_ingest_codes_a_later_article_of_the_same_run_from_what_an_earlier_one_taught(tmp_path):
    source = tmp_path / "two.jsonl"
    rows = [{"id": "teach", "text": TEACH, "published": "2020-03-01"}, {"id": "later", "text": UNTITLED, "published": "2021-05-10"}]
    source.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    db = tmp_path / "run.duckdb"
    stats = run_corpus([str(source)], db, engine="inline", batch_size=1)
    assert stats.new == 2
    with Store(db, read_only=True) as store:
        coded = store.rows("SELECT doc_id, actor FROM entities WHERE name = 'Amani Wekesa' ORDER BY published")
    assert [r["actor"] for r in coded] == ["KENGOV", "KENGOV"]
