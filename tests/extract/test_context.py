"""``extract/context.py`` (the stages' shared input, out of the orchestrator)
and ``extract/trace.py`` (what the stages found beyond the ``Article``)."""

from __future__ import annotations

import ast
from pathlib import Path

import spacy

from eventwire.extract import actors, quotes
from eventwire.extract.context import SKIPPED_ZONES, Context
from eventwire.extract.repair import clean
from eventwire.extract.runner import extract_many, make_document
from eventwire.extract.tables import default_tables
from eventwire.extract.trace import ExtractTrace
from eventwire.model import Paragraph

EXTRACT = Path(__file__).resolve().parents[2] / "src" / "eventwire" / "extract"


def runtime_imports(path: Path) -> set[str]:
    """The sibling modules a module of ``extract`` imports when it runs, at
    module level or inside functions (``if TYPE_CHECKING:`` blocks aside)."""
    found: set[str] = set()

    def visit(node: ast.AST) -> None:
        if isinstance(node, ast.If) and isinstance(node.test, ast.Name) and node.test.id == "TYPE_CHECKING":
            for child in node.orelse:
                visit(child)
            return
        if isinstance(node, ast.ImportFrom) and node.level == 1:
            if node.module:
                found.add(node.module.split(".")[0])
            else:
                found.update(alias.name for alias in node.names)
        for child in ast.iter_child_nodes(node):
            visit(child)

    visit(ast.parse(path.read_text("utf-8")))
    return found


def test_no_import_cycle_between_extract_modules() -> None:
    graph = {p.stem: runtime_imports(p) for p in EXTRACT.glob("*.py") if p.stem != "__init__"}
    state: dict[str, str] = {}

    def walk(module: str, path: list[str]) -> None:
        state[module] = "open"
        for other in sorted(graph.get(module, ())):
            assert state.get(other) != "open", " -> ".join([*path, other])
            if other not in state:
                walk(other, [*path, other])
        state[module] = "done"

    for module in sorted(graph):
        if module not in state:
            walk(module, [module])


def test_context_imports_no_stage_and_no_stage_imports_the_orchestrator() -> None:
    assert runtime_imports(EXTRACT / "context.py") <= {"words"}
    for path in EXTRACT.glob("*.py"):
        if path.stem != "runner":
            assert "runner" not in runtime_imports(path), path.name


def test_zone_at_follows_the_paragraphs_and_skips_credits() -> None:
    cleaned = clean(make_document("Talks went on.\n\nPhoto: Jane Roe"))
    first, second = cleaned.paragraphs
    credited = (Paragraph(first.start, first.end, "body"), Paragraph(second.start, second.end, "credit"))
    ctx = Context(
        doc=spacy.blank("en")(cleaned.text),
        text=cleaned.text,
        published=None,
        clean=cleaned,
        tables=default_tables(),
    )
    object.__setattr__(ctx.clean, "paragraphs", credited)  # the zones a repair could have given
    assert ctx.zone_at(first.start) == "body" and not ctx.in_skipped_zone(first.start)
    assert ctx.zone_at(second.start + 1) == "credit" and ctx.in_skipped_zone(second.start + 1)
    assert "credit" in SKIPPED_ZONES
    assert ctx.zone_at(len(cleaned.text) + 10) == "body"  # past every paragraph


STORY = (
    "Mara Velkova, the Ruritanian trade minister, arrived in Paris on Monday. "
    '"We will sign the deal," she told reporters. She said talks would go on.'
)


def test_trace_collects_speaker_words_and_antecedents() -> None:
    trace = ExtractTrace()
    (article,) = extract_many([STORY], trace=trace)
    velkova = next(e for e in article.entities if e.name == "Mara Velkova")

    # Each quote with a named speaker, the words naming it, keyed like the record.
    assert {(s.quote_start, s.quote_end) for s in trace.speakers} == {(q.start, q.end) for q in article.quotes}
    for s in trace.speakers:
        assert s.doc_id == article.doc_id and article.text[s.start : s.end] == s.text
    assert [s.text for s in trace.speakers] == ["she", "She"]

    # Pronouns, titles and names, each with the entity it stands for.
    linked = {(article.text[a.start : a.end], a.entity.id) for a in trace.antecedents}
    assert {("she", velkova.id), ("She", velkova.id), ("minister", velkova.id), ("Velkova", velkova.id)} <= linked
    assert all(a.doc_id == article.doc_id for a in trace.antecedents)
    assert next(a for a in trace.antecedents if article.text[a.start : a.end] == "she").entity.mentions == velkova.mentions


def test_a_trace_changes_no_record_and_collects_per_call() -> None:
    plain = next(extract_many([STORY]))
    first, second = ExtractTrace(), ExtractTrace()
    assert next(extract_many([STORY], trace=first)).to_dict() == plain.to_dict()
    next(extract_many(["Talks went on."], trace=second))
    assert first.speakers and not second.speakers and not second.antecedents


def test_the_stages_append_only_when_asked() -> None:
    ctx = Context(
        doc=spacy.blank("en")("x"),
        text="x",
        published=None,
        clean=clean(make_document("x")),
        tables=default_tables(),
    )
    assert ctx.trace is None
    # Without a trace the stages run as before: nothing to append to, nothing kept.
    assert quotes.extract(ctx, actors.resolve(ctx)) == []
