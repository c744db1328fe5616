"""The IDL package's modules import each other without cycles; shared names have one home."""

from __future__ import annotations

import ast
from pathlib import Path

import smithygen.idl

IDL_PACKAGE = Path(smithygen.idl.__file__).parent


def _imports_by_module() -> dict[str, set[str]]:
    """Each module of ``smithygen.idl`` -> the package modules it imports (even under TYPE_CHECKING)."""
    graph: dict[str, set[str]] = {}
    for path in IDL_PACKAGE.glob("*.py"):
        imported: set[str] = set()
        for node in ast.walk(ast.parse(path.read_text())):
            if not isinstance(node, ast.ImportFrom) or node.module is None:
                continue
            if node.module == "smithygen.idl":
                imported.update(a.name for a in node.names if a.name.startswith("_"))
            elif node.module.startswith("smithygen.idl."):
                imported.add(node.module.rsplit(".", 1)[1])
        graph[path.stem] = imported
    return graph


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    found: list[list[str]] = []

    def visit(module: str, path: list[str]) -> None:
        for imported in sorted(graph.get(module, ())):
            if imported in path:
                found.append([*path[path.index(imported) :], imported])
            elif imported in graph:
                visit(imported, [*path, imported])

    for module in sorted(graph):
        visit(module, [module])
    return found


def test_the_idl_package_has_no_import_cycle() -> None:
    graph = _imports_by_module()
    assert {"_assembler", "_validate", "_references"} <= set(graph)
    assert "_assembler" in graph["__init__"]
    assert _cycles(graph) == []


def test_the_cycle_finder_finds_a_cycle() -> None:
    assert _cycles({"a": {"b"}, "b": {"a"}, "c": set()}) == [
        ["a", "b", "a"],
        ["b", "a", "b"],
    ]


def test_smithy_api_unit_is_spelled_once_in_the_idl_package() -> None:
    spelled = sorted(
        path.name for path in IDL_PACKAGE.glob("*.py") if "#Unit" in path.read_text()
    )
    assert spelled == ["_prelude.py"]
    assert smithygen.idl.UNIT == "smithy.api#Unit"
