"""The command line: query commands over a hand-built store, error handling,
and one end-to-end run of the installed ``eventwire`` script."""

from __future__ import annotations

import dataclasses
import json
import subprocess
import sys
from pathlib import Path

import pytest
from records import TEXT, make_article, make_event, mention

from eventwire.cli import main as cli
from eventwire.cli import render
from eventwire.corpus.store import Store
from eventwire.extract import runner as pipeline
from eventwire.model import Article, Entity, FileError, RawDocument, Source

ROOT = Path(__file__).resolve().parents[2]
SAMPLES = ROOT / "samples" / "articles.jsonl"
SCRIPT = Path(sys.executable).parent / "eventwire"

BLR = ("e1", "Belarus", "BLR")
RUS = ("e2", "Russia", "RUS")


@pytest.fixture()
def db(tmp_path) -> str:
    path = tmp_path / "cli.duckdb"
    article = make_article(
        "a",
        events=(
            make_event(TEXT, "a1", BLR, RUS),
            make_event(TEXT, "a2", RUS, BLR, code="125", label="Reject proposal", goldstein=-4.0,
                       modality="negated", trigger="reject", sentence="Russia did not reject the offer"),
        ),
    )
    with Store(path) as store:
        store.add(article)
    return str(path)


def test_timeline_table_and_json(db, capsys):
    assert cli.main(["timeline", "BLR", "RUS", "--db", db]) == 0
    out = capsys.readouterr().out
    assert "Belarus [BLR] → Russia [RUS]" in out
    assert "0711" in out and "Provide economic aid" in out and "+7.4" in out
    assert "Reject proposal" not in out  # negated: only with --all-modalities
    assert "Goldstein sum +7.4" in out

    assert cli.main(["timeline", "russia", "belarus", "--db", db, "--all-modalities", "--json"]) == 0
    payload = json.loads(capsys.readouterr().out)
    assert [e["event_id"] for e in payload["events"]] == ["a1", "a2"]
    assert payload["goldstein_sum"] == pytest.approx(3.4)


def test_quotes_and_actors(db, capsys):
    assert cli.main(["quotes", "--db", db, "--speaker", "Lukashenko"]) == 0
    out = capsys.readouterr().out
    assert "Alexander Lukashenko [BLRGOV]: “We will help,”" in out
    assert cli.main(["quotes", "--db", db, "--speaker", "Putin", "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == []

    assert cli.main(["actors", "--db", db, "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert {"name": "Russia", "actor": "RUS", "type": "GPE", "mentions": 2, "articles": 1} in rows
    assert cli.main(["actors", "--db", db]) == 0
    assert "Alexander Lukashenko  BLRGOV" in capsys.readouterr().out


def test_actors_learned_lists_roles_with_their_teaching_article(tmp_path, capsys):
    path = tmp_path / "learned.duckdb"
    titled = Entity("e1", "Amani Wekesa", "PERSON", "KENGOV", (mention(TEXT, "Alexander Lukashenko"),), ("foreign minister",), code_basis="title")
    with Store(path) as store:
        store.add(make_article("teacher", entities=(titled,), quotes=(), events=(), published="2020-03-01"))
    assert cli.main(["actors", "--learned", "--db", str(path)]) == 0
    out = capsys.readouterr().out
    assert "Amani Wekesa" in out and "KENGOV" in out and "2020-03-01" in out and "teacher" in out
    assert cli.main(["actors", "--learned", "--db", str(path), "--json"]) == 0
    [role] = json.loads(capsys.readouterr().out)
    assert (role["code"], role["valid_from"], role["valid_to"], role["taught_by"]) == ("KENGOV", "2020-03-01", None, "teacher")


def test_report_lists_articles_and_dyad(db, capsys):
    assert cli.main(["report", "--db", db]) == 0
    out = capsys.readouterr().out
    assert "## Minsk ships fuel to Moscow" in out
    assert "Published: 2023-09-15 (given)" in out
    assert "Main actors: " in out and "Russia [RUS]" in out
    assert "Alexander Lukashenko [BLRGOV]: “We will help,”" in out
    assert "Reject proposal [negated]" in out  # per-article listing keeps every modality
    assert "## Timeline BLR – RUS" in out and "Goldstein sum +7.4" in out


def test_query_without_store_fails_cleanly(tmp_path, capsys):
    assert cli.main(["timeline", "BLR", "RUS", "--db", str(tmp_path / "none.duckdb")]) == 1
    assert "no store at" in capsys.readouterr().err


def test_bad_files_exit_1_with_path_and_reason(tmp_path, capsys):
    missing = tmp_path / "missing.txt"
    empty = tmp_path / "empty.txt"
    empty.write_text("")
    assert cli.main(["extract", str(missing), str(empty)]) == 1
    captured = capsys.readouterr()
    assert captured.out == ""
    lines = captured.err.strip().splitlines()
    assert lines[0].startswith(f"{missing}: ") and len(lines[0]) > len(f"{missing}: ")
    assert lines[1].startswith(f"{empty}: ")

    assert cli.main(["ingest", str(missing), "--db", str(tmp_path / "x.duckdb"), "-q"]) == 1
    captured = capsys.readouterr()
    assert "0 new, 0 already stored, 1 failed" in captured.out
    assert str(missing) in captured.err


def test_bad_published_is_a_usage_error(capsys):
    with pytest.raises(SystemExit) as exit_info:
        cli.main(["extract", "x.txt", "--published", "2023-02-30"])
    assert exit_info.value.code == 2


def _fake_extract_documents(docs, batch_size=32, tables=None, trace=None):
    """Stands in for the pipeline to test batching and isolation: a document
    whose text contains BOOM makes its whole batch fail."""
    docs = list(docs)
    if any("BOOM" in d.raw_text for d in docs):
        raise RuntimeError("stage crashed")
    for d in docs:
        yield dataclasses.replace(make_article(pipeline.content_hash(d.raw_text)), source=d.source)


def test_one_crashing_article_does_not_end_the_batch(monkeypatch):
    monkeypatch.setattr(pipeline, "extract_documents", _fake_extract_documents)
    docs = [RawDocument(raw_text=t, source=Source(path=f"{t}.txt")) for t in ("one", "BOOM", "three")]
    items = [*docs[:2], FileError("gone.txt", "no such file"), docs[2]]
    out = list(pipeline.analyse(items, batch_size=2))
    kinds = [(type(x).__name__, x.path if isinstance(x, FileError) else x.source.path) for x in out]
    assert kinds == [
        ("Article", "one.txt"),
        ("FileError", "BOOM.txt"),
        ("FileError", "gone.txt"),
        ("Article", "three.txt"),
    ]
    assert "analysis failed: RuntimeError: stage crashed" in out[1].reason


def test_ingest_tally_and_idempotence(monkeypatch, tmp_path, capsys):
    monkeypatch.setattr(pipeline, "extract_documents", _fake_extract_documents)
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for name in ("a", "b"):
        (corpus / f"{name}.txt").write_text(f"Article {name}\n\nBody of article {name}.\n")
    (corpus / "c.txt").write_text("BOOM\n\nThis one crashes the pipeline.\n")
    (corpus / "notes.md").write_text("# Not an article\n")
    db = str(tmp_path / "t.duckdb")
    assert cli.main(["ingest", str(corpus), "--db", db, "-q"]) == 1
    captured = capsys.readouterr()
    assert "2 new, 0 already stored, 1 failed, 1 skipped (listed above) (2 articles" in captured.out
    assert "c.txt: analysis failed" in captured.err
    assert "notes.md: skipped: .md is not an article format" in captured.err
    (corpus / "c.txt").unlink()
    # A skipped file is no failure: the exit status is 0.
    assert cli.main(["ingest", str(corpus), "--db", db, "-q"]) == 0
    assert "0 new, 2 already stored, 0 failed, 1 skipped (listed above) (2 articles" in capsys.readouterr().out


def test_version(capsys):
    with pytest.raises(SystemExit) as exit_info:
        cli.main(["--version"])
    assert exit_info.value.code == 0
    assert "eventwire/1" in capsys.readouterr().out


def test_helpers():
    assert render.snippet("a\n  b " + "x" * 200, 10) == "a b xxxxx…"
    assert render.actor_label("Russia", "RUS") == "Russia [RUS]"
    assert render.actor_label(None, "RUS") == "[RUS]"
    table = render.format_table(["a", "bb"], [["xxx", "y"], ["z", "w"]])
    assert table.splitlines() == ["a    bb", "---  --", "xxx  y", "z    w"]


# ---------------------------------------------------------------------------
# End to end, through the real pipeline and the installed script.


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(SCRIPT), *args], check=False, capture_output=True, text=True, timeout=300, cwd=ROOT)


def test_end_to_end_ingest_and_timeline(tmp_path):
    db = str(tmp_path / "e2e.duckdb")
    ingest = _run("ingest", str(SAMPLES), "--db", db)
    assert ingest.returncode == 0, ingest.stderr
    assert "2 new, 0 already stored, 0 failed" in ingest.stdout
    again = _run("ingest", str(SAMPLES), "--db", db, "-q")
    assert "0 new, 2 already stored, 0 failed" in again.stdout

    result = _run("timeline", "BLR", "RUS", "--db", db, "--json")
    assert result.returncode == 0, result.stderr
    events = json.loads(result.stdout)["events"]
    assert events, "the samples hold Belarus–Russia events"
    dates = [e["date"] for e in events if e["date"]]
    assert dates == sorted(dates)
    for e in events:
        sides = {(e["source_actor"] or "")[:3], (e["target_actor"] or "")[:3]}
        assert sides == {"BLR", "RUS"}
        assert e["modality"] == "asserted"

    with Store(db, read_only=True) as store:
        article: Article = store.article(store.doc_ids()[0])
    for ev in article.events:
        assert article.text[ev.evidence.start : ev.evidence.end] == ev.evidence.text


def test_end_to_end_extract_jsonl():
    result = _run("extract", str(SAMPLES), "--published", "2023-09-15")
    assert result.returncode == 0, result.stderr
    records = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(records) == 2
    assert all(next(iter(r)) == "schema" for r in records)
    assert {r["published"] for r in records} == {"2023-09-15"}
    assert {r["published_basis"] for r in records} == {"given"}


def test_eval_delegates_and_reports_unknown_task(capsys):
    assert cli.main(["eval", "no-such-task"]) == 2
    assert "unknown eval task" in capsys.readouterr().err


def test_quoted_normalises_marks():
    assert render.quoted('"great interest"') == "“great interest”"
    assert render.quoted("”I was there,”") == "“I was there,”"
    assert render.quoted("plain") == "“plain”"


def test_every_option_has_help_text():
    import argparse

    from eventwire.cli.parser import build_parser

    sub = next(a for a in build_parser()._actions if isinstance(a, argparse._SubParsersAction))
    for name, parser in sub.choices.items():
        for action in parser._actions:
            assert action.help, f"{name} {action.dest}"


def _help(capsys, *args: str) -> str:
    with pytest.raises(SystemExit) as exit_info:
        cli.main([*args, "--help"])
    assert exit_info.value.code == 0
    return capsys.readouterr().out


def test_help_lists_eval_tasks_and_serve_defaults(capsys):
    from eventwire.cli.parser import DEFAULT_DB
    from eventwire.eval.runner import TASKS

    text = " ".join(_help(capsys, "eval").split())
    assert all(task in text for task in TASKS)
    serve = " ".join(_help(capsys, "serve").split())
    assert all(f"default {value}" in serve for value in (DEFAULT_DB, "127.0.0.1", "8000", "$EVENTWIRE_TOKEN"))


def test_date_bound_errors_speak_of_the_bound(capsys):
    with pytest.raises(SystemExit) as exit_info:
        cli.main(["timeline", "BLR", "RUS", "--start", "2023-02-30"])
    assert exit_info.value.code == 2
    err = capsys.readouterr().err
    assert "--start" in err and "not a real date" in err and "published" not in err


def test_counts_are_plural_only_when_not_one(db, capsys):
    assert render.plural(1, "event") == "1 event" and render.plural(2, "event") == "2 events"
    assert render.plural(0, "article") == "0 articles" and render.plural(1_000, "article") == "1,000 articles"
    assert cli.main(["timeline", "BLR", "RUS", "--db", db]) == 0
    assert "\n1 event between BLR and RUS" in capsys.readouterr().out


def test_country_names_and_codes_give_the_same_timeline(sample_store, capsys):
    def events(*args: str) -> list[str]:
        assert cli.main(["timeline", *args, "--db", sample_store, "--json"]) == 0
        return [e["event_key"] for e in json.loads(capsys.readouterr().out)["events"]]

    by_code = events("BLR", "RUS")
    # The government, its leaders and every other BLR... actor are Belarus.
    assert by_code == events("Belarus", "Russia") == events("belarus", "RUS")
    exact = events("=BLR", "=RUS")
    assert set(exact) < set(by_code) and exact == events("BLR", "RUS", "--exact")
    assert cli.main(["timeline", "Belarus", "Russia", "--db", sample_store]) == 0
    out = capsys.readouterr().out
    assert out.startswith("Belarus: BLR*: every actor whose code starts with BLR")
    assert "Alexander Lukashenko" in out.splitlines()[0]  # the description names who is included


def test_unknown_actor_exits_1_with_candidates(sample_store, capsys):
    assert cli.main(["timeline", "BLR", "XYZ", "--db", sample_store]) == 1
    captured = capsys.readouterr()
    assert captured.out == ""
    assert "'XYZ' matches no actor" in captured.err and "candidates:" in captured.err
    assert "  RUS  (" in captured.err  # a code in the store is offered
    assert cli.main(["report", "--db", sample_store, "--dyad", "Belarus", "Nobodyland"]) == 1
    assert "'Nobodyland' matches no actor" in capsys.readouterr().err


def test_serve_on_a_missing_store_creates_an_empty_one(tmp_path, capsys, monkeypatch):
    from eventwire.serve import app, server

    served = []
    monkeypatch.setattr(server, "run_server", lambda options: served.append(options) or 0)
    db = tmp_path / "new.duckdb"
    assert cli.main(["serve", "--db", str(db)]) == 0
    assert "created an empty store" in capsys.readouterr().out
    assert served and served[0].db == str(db)
    with Store(db, read_only=True) as store:
        assert len(store) == 0
    app.create_app(db)  # read-only serving of it works


def test_commands_build_the_libraries_options_with_the_same_defaults():
    from eventwire.cli.parser import DEFAULT_DB, build_parser
    from eventwire.corpus.export import ExportFilter, ExportOptions
    from eventwire.serve.server import ServeOptions

    parser = build_parser()
    serve = parser.parse_args(["serve"])
    assert ServeOptions(db=serve.db) == ServeOptions(db=DEFAULT_DB, host=serve.host, port=serve.port, token=serve.token,
                                                     token_file=serve.token_file, allow_hosts=tuple(serve.allow_host or ()))
    export = parser.parse_args(["export", "--actor", "BLR", "--start", "2020-01-01"])
    options = ExportOptions(db=export.db, start=export.start, actor=export.actor)
    assert (options.format, options.output) == (export.format, export.output)
    assert options.filter == ExportFilter(start="2020-01-01", actor="BLR")


@pytest.mark.slow
def test_run_load_and_queries_over_shards_equal_ingest(tmp_path, capsys):
    """`run` then `load` stores what `ingest` stores; every query command
    reads the shards in place (--data) as it reads the stores (--db)."""
    inputs = [str(SAMPLES), str(ROOT / "tests" / "data")]
    shards, loaded, ingested = tmp_path / "shards", tmp_path / "loaded.duckdb", tmp_path / "ingested.duckdb"
    assert cli.main(["run", *inputs, "--out", str(shards), "--workers", "1", "-q"]) == 0
    assert capsys.readouterr().out.startswith("3 inputs done, 0 already done, 0 failed: 4 articles")
    assert cli.main(["ingest", *inputs, "--db", str(ingested), "-q"]) == 0
    ingest_tally = capsys.readouterr().out.split(" (")[0]  # "N new, M already stored, 0 failed"
    assert cli.main(["load", str(shards), "--db", str(loaded), "-q"]) == 0
    load_tally = capsys.readouterr().out
    assert load_tally.startswith(ingest_tally.replace(", 0 failed", ", from 3 shards")), (load_tally, ingest_tally)

    def output(*argv: str) -> str:
        assert cli.main(list(argv)) == 0
        return capsys.readouterr().out

    for command in (["timeline", "BLR", "RUS"], ["timeline", "Lukashenko", "Putin", "--json"], ["actors"],
                    ["quotes", "--json"]):
        in_place = output(*command, "--data", str(shards))
        assert in_place == output(*command, "--db", str(loaded)) == output(*command, "--db", str(ingested)), command
    assert "events between BLR and RUS" in output("timeline", "BLR", "RUS", "--data", str(shards))
    report = output("report", "--data", str(shards)).split("\n", 1)
    assert report[1] == output("report", "--db", str(ingested)).split("\n", 1)[1]


def test_data_and_db_are_one_or_the_other(tmp_path, capsys):
    with pytest.raises(SystemExit):
        cli.main(["timeline", "BLR", "RUS", "--db", "x.duckdb", "--data", str(tmp_path)])
    assert "not allowed with argument" in capsys.readouterr().err
    assert cli.main(["timeline", "BLR", "RUS", "--data", str(tmp_path / "none")]) == 1
    assert "no shard folder" in capsys.readouterr().err
