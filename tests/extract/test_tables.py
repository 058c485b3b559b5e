"""Coding tables passed explicitly (``extract/tables.py``): an extraction codes
with the tables it is given, and only with them; other extractions in the same
process, interleaved or in other threads, keep eventwire's own."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import pytest

import eventwire
from eventwire.extract import actors, events
from eventwire.extract.runner import analyse, extract_many, make_document
from eventwire.extract.tables import CodingTables, default_tables
from eventwire.model import Article

# An invented world: Zorvia's government and the country of Quentara, and one verb.
ZORVIA = actors.Lexicon(
    actors={"ZORVIA": (actors.Role("XYZGOV"),)},
    countries={"QUENTARA": "QNT"},
    country_codes=frozenset({"QNT", "XYZ"}),
    agents={},
    metonyms={"ZORVIA": "XYZGOV"},
    surnames={},
    country_names={"QNT": ("QUENTARA",)},
)
ONE_VERB = events.build_trigger_tables("kind\tlemma\tparticle\tobject\tcode\nverb\tpraise\t\t\t051\n", "", recode_intent=False)
INVENTED = CodingTables(lexicon=ZORVIA, triggers=ONE_VERB)

INVENTED_TEXT = "Zorvia praised Quentara on Monday."
KNOWN_TEXT = "France praised Germany on Monday."


def dyads(article: Article) -> list[tuple[str, str | None, str | None]]:
    return [
        (e.code, e.source.actor if e.source else None, e.target.actor if e.target else None)
        for e in article.events
    ]


def actor_codes(article: Article) -> set[str | None]:
    return {e.actor for e in article.entities}


def test_default_tables_are_the_shipped_dictionaries_parsed_once() -> None:
    tables = default_tables()
    assert tables is default_tables()
    assert tables.lexicon is actors.lexicon() and tables.triggers is events.default_trigger_tables()
    assert tables.lexicon.countries["BELARUSIAN"] == "BLR" and "hold" in tables.triggers.light_verbs


def test_an_extraction_codes_with_the_tables_it_is_given() -> None:
    article = eventwire.extract(INVENTED_TEXT, published="2024-03-01", tables=INVENTED)
    assert dyads(article) == [("051", "XYZGOV", "QNT")]
    assert actor_codes(article) == {"XYZGOV", "QNT"}


def test_only_with_those_tables_not_beside_the_shipped_ones() -> None:
    # France and Germany are in every real dictionary, not in the invented one.
    invented = eventwire.extract(KNOWN_TEXT, published="2024-03-01", tables=INVENTED)
    assert dyads(invented) == [] and actor_codes(invented) == {None}
    # A verb the invented tables lack codes nothing, though eventwire's own know it.
    assert dyads(eventwire.extract("Zorvia attacked Quentara on Monday.", published="2024-03-01", tables=INVENTED)) == []


def test_the_default_extraction_in_the_same_process_is_unaffected() -> None:
    before = eventwire.extract(KNOWN_TEXT, published="2024-03-01").to_dict()
    eventwire.extract(INVENTED_TEXT, published="2024-03-01", tables=INVENTED)
    after = eventwire.extract(KNOWN_TEXT, published="2024-03-01")
    assert after.to_dict() == before
    assert dyads(after) == [("051", "FRA", "DEU")]
    assert actor_codes(eventwire.extract(INVENTED_TEXT, published="2024-03-01")) == {None}


def test_interleaved_lazy_extractions_keep_their_own_tables() -> None:
    """``extract_many`` is lazy: its articles are made while the caller reads
    them, between other extractions (a scoped override would leak here)."""
    invented = extract_many([{"text": INVENTED_TEXT, "published": "2024-03-01"}] * 2, batch_size=1, tables=INVENTED)
    shipped = extract_many([{"text": KNOWN_TEXT, "published": "2024-03-01"}] * 2, batch_size=1)
    order = [next(invented), next(shipped), next(shipped), next(invented)]
    assert [dyads(a) for a in order] == [
        [("051", "XYZGOV", "QNT")],
        [("051", "FRA", "DEU")],
        [("051", "FRA", "DEU")],
        [("051", "XYZGOV", "QNT")],
    ]


def test_threads_with_different_tables_do_not_leak_into_each_other() -> None:
    def run(custom: bool) -> list[tuple[str, str | None, str | None]]:
        text = INVENTED_TEXT if custom else KNOWN_TEXT
        return dyads(eventwire.extract(text, published="2024-03-01", tables=INVENTED if custom else None))

    jobs = [n % 2 == 0 for n in range(8)]
    with ThreadPoolExecutor(max_workers=4) as pool:
        results = list(pool.map(run, jobs))
    for custom, found in zip(jobs, results, strict=True):
        assert found == ([("051", "XYZGOV", "QNT")] if custom else [("051", "FRA", "DEU")])


def test_no_stage_reads_a_module_table_when_given_tables(monkeypatch: pytest.MonkeyPatch) -> None:
    def forbidden() -> None:
        raise AssertionError("a stage read the shipped tables")

    monkeypatch.setattr(actors, "lexicon", forbidden)
    monkeypatch.setattr(events, "default_trigger_tables", forbidden)
    article = eventwire.extract(INVENTED_TEXT, published="2024-03-01", tables=INVENTED)
    assert dyads(article) == [("051", "XYZGOV", "QNT")]


def test_analyse_passes_the_tables_on() -> None:
    docs = [make_document(INVENTED_TEXT, published="2024-03-01"), make_document(KNOWN_TEXT, published="2024-03-01")]
    found = [a for a in analyse(docs, tables=INVENTED) if isinstance(a, Article)]
    assert [dyads(a) for a in found] == [[("051", "XYZGOV", "QNT")], []]


def test_the_override_machinery_is_gone() -> None:
    for name in ("coding_with", "trigger_tables", "_TABLES_OVERRIDE"):
        assert not hasattr(events, name), name
