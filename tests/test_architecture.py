"""The package's shape: the public API, no import cycles between modules
(imports inside functions count; ``if TYPE_CHECKING:`` imports do not), and
every setting documented in the README."""

from __future__ import annotations

import re
from pathlib import Path

import grimp

import eventwire
from eventwire.settings import SETTINGS

ROOT = Path(__file__).resolve().parents[1]


def test_public_api_is_pinned():
    assert sorted(eventwire.__all__) == sorted([
        "CODER_VERSION", "SCHEMA_VERSION", "ActorRef", "Article", "CodingTables", "Entity", "Event",
        "Evidence", "Mention", "Quantity", "Quote", "RawDocument", "Source", "Store", "TimeExpr",
        "__version__", "extract", "extract_many",
    ])
    for name in eventwire.__all__:
        assert getattr(eventwire, name) is not None, name


def _module_cycle(graph: grimp.ImportGraph) -> list[str] | None:
    """One cycle among the graph's modules (import edges between modules, not
    packages), or None. Depth-first search with colours: linear in the graph."""
    edges = {m: sorted(graph.find_modules_directly_imported_by(m)) for m in graph.modules}
    state: dict[str, int] = {}
    path: list[str] = []

    def visit(module: str) -> list[str] | None:
        state[module] = 1
        path.append(module)
        for nxt in edges.get(module, ()):
            if state.get(nxt) == 1:
                return path[path.index(nxt):] + [nxt]
            if nxt not in state:
                found = visit(nxt)
                if found:
                    return found
        path.pop()
        state[module] = 2
        return None

    for module in sorted(edges):
        if module not in state:
            found = visit(module)
            if found:
                return found
    return None


def test_no_import_cycle_between_modules():
    graph = grimp.build_graph("eventwire", exclude_type_checking_imports=True)
    # The package's __init__ re-exports the public API; a submodule never
    # imports the root package itself.
    for module in graph.modules:
        if module != "eventwire":
            assert "eventwire" not in graph.find_modules_directly_imported_by(module), module
    graph.remove_module("eventwire")
    assert _module_cycle(graph) is None


def test_every_setting_is_documented_in_the_readme():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for setting in SETTINGS:
        row = re.search(rf"^\|[^\n]*`{re.escape(setting.env)}`[^\n]*\|$", readme, re.MULTILINE)
        assert row, f"{setting.env} has no row in the README's settings table"
        cells = [c.strip() for c in row.group(0).strip("|").split("|")]
        assert cells[0] == f"`{setting.name}`" and cells[2] == (f"`{setting.default}`" if setting.default else "—"), cells


def test_edges_stay_thin():
    # serve/ and cli/ parse, call the library and render: no function there
    # grows past 80 lines.
    import ast

    for folder in ("serve", "cli"):
        for path in (ROOT / "src" / "eventwire" / folder).rglob("*.py"):
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                    assert node.end_lineno - node.lineno < 80, f"{path.name}:{node.name}"
