"""Re-coding: articles stored by an older coder version are analysed again,
and what the older version said is kept."""

from __future__ import annotations

import dataclasses
import json

import pytest

import eventwire
from eventwire.cli.main import main
from eventwire.corpus.recode import raw_document, recode_store, stale_articles
from eventwire.corpus.store import Store
from eventwire.model import CODER_VERSION

OLD_VERSION = "0.0.1-test"

TEXTS = [
    {
        "title": "Talks in Berlin",
        "published": "2023-05-02",
        "text": "French President Emmanuel Macron met German Chancellor Olaf Scholz in Berlin on Monday.",
    },
    {
        "title": "Fighting",
        "published": "2023-05-03",
        "text": "Ukrainian troops attacked Russian positions near Kharkiv on Tuesday, the Ukrainian military said.",
    },
]


@pytest.fixture(scope="module")
def coded():
    return list(eventwire.extract_many(TEXTS))


def make_old_store(path: str, coded) -> None:
    """A store whose first article was coded by an 'older version' that found
    no events; the second is current."""
    old = dataclasses.replace(coded[0], events=(), coder_version=OLD_VERSION)
    with Store(path) as store:
        store.add(old)
        store.add(coded[1])


def test_recode_replaces_old_extractions_and_keeps_them(tmp_path, coded):
    assert coded[0].events  # the current coder finds the meeting
    path = str(tmp_path / "old.duckdb")
    make_old_store(path, coded)
    with Store(path) as store:
        assert stale_articles(store) == [(coded[0].doc_id, OLD_VERSION)]
        before = store.table_counts()
        report = recode_store(store)
        assert report.recoded == 1 and report.from_versions == {OLD_VERSION: 1}
        assert stale_articles(store) == []
        after = store.table_counts()
        assert after["events"] == before["events"] + len(coded[0].events)
        assert after["articles"] == before["articles"] == 2
        assert store.article(coded[0].doc_id) == coded[0]
        assert store.article(coded[1].doc_id) == coded[1]
        kept = store.rows("SELECT doc_id, coder_version, record FROM article_versions")
        assert [(r["doc_id"], r["coder_version"]) for r in kept] == [(coded[0].doc_id, OLD_VERSION)]
        old_record = json.loads(kept[0]["record"])
        assert old_record["coder_version"] == OLD_VERSION and old_record["events"] == []
        # Nothing left to re-code: a second run changes nothing.
        assert recode_store(store).recoded == 0
        assert store.table_counts() == after


def test_recode_cli(tmp_path, coded, capsys):
    path = str(tmp_path / "cli.duckdb")
    make_old_store(path, coded)
    assert main(["recode", "--db", path]) == 0
    assert f"re-coded 1 article with coder {CODER_VERSION}" in capsys.readouterr().err
    assert main(["recode", "--db", path]) == 0
    assert "nothing to re-code" in capsys.readouterr().err
    assert main(["recode", "--db", str(tmp_path / "missing.duckdb")]) == 1


def test_raw_document_keeps_given_dates_only(coded):
    doc = raw_document(coded[0])
    assert doc.raw_text == coded[0].raw_text and doc.published == "2023-05-02"
    found = dataclasses.replace(coded[0], published_basis="text")
    assert raw_document(found).published is None
