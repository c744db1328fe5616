"""The project generated for ``widgets.json`` is exactly the committed one.

``widgets/`` holds the package, ``project/`` the files smithygen writes beside
it (pyproject.toml, README.md; LICENSE is the generator's license text, checked
in tests/packaging). A generator change shows up here as a readable diff.
After reviewing it, accept the new output with
``UPDATE_GOLDEN=1 .venv/bin/python -m pytest tests/golden``.
"""

from __future__ import annotations

import difflib
import os
import shutil
from pathlib import Path

from smithygen.generate import generate

HERE = Path(__file__).parent
MODEL = HERE / "widgets.json"
GOLDEN = HERE / "widgets"
GOLDEN_PROJECT = HERE / "project"
PROJECT_FILES = ("pyproject.toml", "README.md")


def _files(root: Path) -> dict[str, str]:
    return {
        str(p.relative_to(root)): p.read_text(encoding="utf-8")
        for p in sorted(root.rglob("*"))
        if p.is_file() and "__pycache__" not in p.parts
    }


def _diff(expected: dict[str, str], actual: dict[str, str], where: str) -> list[str]:
    diff: list[str] = []
    for name in sorted(expected.keys() | actual.keys()):
        diff += difflib.unified_diff(
            expected.get(name, "").splitlines(keepends=True),
            actual.get(name, "").splitlines(keepends=True),
            fromfile=f"golden/{where}/{name}",
            tofile=f"generated/{where}/{name}",
        )
    return diff


def test_generated_project_matches_the_golden_files(tmp_path: Path) -> None:
    produced = generate(
        [MODEL], service="example.widgets#WidgetStore", package="widgets", out=tmp_path
    )
    if os.environ.get("UPDATE_GOLDEN"):
        shutil.rmtree(GOLDEN, ignore_errors=True)
        shutil.copytree(produced, GOLDEN, ignore=shutil.ignore_patterns("__pycache__"))
        GOLDEN_PROJECT.mkdir(exist_ok=True)
        for name in PROJECT_FILES:
            shutil.copyfile(tmp_path / name, GOLDEN_PROJECT / name)
    diff = _diff(_files(GOLDEN), _files(produced), "widgets")
    diff += _diff(
        _files(GOLDEN_PROJECT),
        {name: (tmp_path / name).read_text(encoding="utf-8") for name in PROJECT_FILES},
        "project",
    )
    assert not diff, "generated code differs from tests/golden:\n" + "".join(diff)
