"""The code generated for each golden model is exactly the committed package.

A generator change shows up here as a readable diff. After reviewing it, accept
the new output with ``UPDATE_GOLDEN=1 .venv/bin/python -m pytest tests/golden``.

``widgets`` covers every shape kind and feature; ``edges`` holds the shapes
that made (or could make) the generator emit invalid Python, so its package is
also type-checked with ``mypy --strict`` and imported.
"""

from __future__ import annotations

import difflib
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from smithygen.generate import generate

from tests.conftest import PROJECT_ROOT

HERE = Path(__file__).parent

#: package name -> (model files, service shape id)
CASES: dict[str, tuple[list[str], str]] = {
    "widgets": (["widgets.json"], "example.widgets#WidgetStore"),
    "edges": (["edges.smithy", "edges-other.smithy"], "example.edges#Edges"),
}


def _files(root: Path) -> dict[str, str]:
    return {
        str(p.relative_to(root)): p.read_text(encoding="utf-8")
        for p in sorted(root.rglob("*"))
        if p.is_file() and "__pycache__" not in p.parts
    }


@pytest.mark.parametrize("package", sorted(CASES))
def test_generated_code_matches_the_golden_files(package: str, tmp_path: Path) -> None:
    models, service = CASES[package]
    produced = generate(
        [HERE / m for m in models], service=service, package=package, out=tmp_path
    )
    golden = HERE / package
    if os.environ.get("UPDATE_GOLDEN"):
        shutil.rmtree(golden, ignore_errors=True)
        shutil.copytree(produced, golden, ignore=shutil.ignore_patterns("__pycache__"))
    expected, actual = _files(golden), _files(produced)
    diff = []
    for name in sorted(expected.keys() | actual.keys()):
        diff += difflib.unified_diff(
            expected.get(name, "").splitlines(keepends=True),
            actual.get(name, "").splitlines(keepends=True),
            fromfile=f"golden/{package}/{name}",
            tofile=f"generated/{package}/{name}",
        )
    assert not diff, f"generated code differs from tests/golden/{package}:\n" + "".join(
        diff
    )


def test_golden_edge_package_type_checks_and_imports() -> None:
    """Every awkward shape of edges.smithy gives code mypy --strict accepts."""
    result = subprocess.run(
        [
            sys.executable, "-m", "mypy", "--strict", "--no-incremental",
            "--config-file", str(PROJECT_ROOT / "pyproject.toml"),
            "-p", "tests.golden.edges",
        ],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr
