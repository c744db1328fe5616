"""House rules for the hand-written code: no function longer than 60 lines.

A function is counted from its ``def`` line to its last line, docstring and
comments included (a long docstring belongs in the class or in ``docs/``).
Generated code and tests are not scanned: the emitters and the test
helpers have their own readers.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

from tests.conftest import PROJECT_ROOT

LIMIT = 60
SCANNED = ("runtime", "codegen", "emulator")


def _functions(
    tree: ast.AST, prefix: str = ""
) -> Iterator[tuple[str, ast.FunctionDef | ast.AsyncFunctionDef]]:
    """(qualified name, node) for every function, nested ones and methods too."""
    for node in ast.iter_child_nodes(tree):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            yield prefix + node.name, node
            yield from _functions(node, f"{prefix}{node.name}.")
        elif isinstance(node, ast.ClassDef):
            yield from _functions(node, f"{prefix}{node.name}.")
        else:
            yield from _functions(node, prefix)


def long_functions(root: Path, folders: tuple[str, ...] = SCANNED) -> dict[str, int]:
    """``path::qualified.name`` -> lines, for each function over LIMIT lines."""
    found: dict[str, int] = {}
    for folder in folders:
        for path in sorted((root / folder).rglob("*.py")):
            relative = path.relative_to(root)
            if {"build", ".venv"} & set(relative.parts):
                continue
            tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
            for name, node in _functions(tree):
                assert node.end_lineno is not None
                lines = node.end_lineno - node.lineno + 1
                if lines > LIMIT:
                    found[f"{relative.as_posix()}::{name}"] = lines
    return found


def test_no_function_in_runtime_codegen_or_emulator_is_longer_than_60_lines() -> None:
    too_long = long_functions(PROJECT_ROOT)
    assert not too_long, (
        "split these into small named steps (lines from def to the end): "
        + ", ".join(f"{name} ({lines})" for name, lines in sorted(too_long.items()))
    )


def _function(name: str, lines: int, indent: str = "") -> str:
    """A function of exactly ``lines`` lines, most of them its docstring."""
    blank = "\n" * (lines - 3)
    return (
        f'{indent}def {name}() -> None:\n{indent}    """Doc.{blank}\n{indent}    """\n'
    )


def test_the_scan_counts_from_def_to_the_last_line_docstring_included(
    tmp_path: Path,
) -> None:
    package = tmp_path / "runtime" / "pkg"
    package.mkdir(parents=True)
    (package / "module.py").write_text(
        _function("too_long", 61)
        + _function("at_the_limit", 60)
        + "class Holder:\n"
        + _function("long_method", 62, "    "),
        encoding="utf-8",
    )
    assert long_functions(tmp_path, ("runtime",)) == {
        "runtime/pkg/module.py::too_long": 61,
        "runtime/pkg/module.py::Holder.long_method": 62,
    }
