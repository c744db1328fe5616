"""The code generated for ``widgets.json`` is exactly the committed ``widgets/``.

A generator change shows up here as a readable diff. After reviewing it, accept
the new output with ``UPDATE_GOLDEN=1 .venv/bin/python -m pytest tests/golden``.
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


def _files(root: Path) -> dict[str, str]:
    return {
        str(p.relative_to(root)): p.read_text(encoding="utf-8")
        for p in sorted(root.rglob("*"))
        if p.is_file() and "__pycache__" not in p.parts
    }


def test_generated_code_matches_the_golden_files(tmp_path: Path) -> None:
    produced = generate(
        [MODEL], service="example.widgets#WidgetStore", package="widgets", out=tmp_path
    )
    if os.environ.get("UPDATE_GOLDEN"):
        shutil.rmtree(GOLDEN, ignore_errors=True)
        shutil.copytree(produced, GOLDEN, ignore=shutil.ignore_patterns("__pycache__"))
    expected, actual = _files(GOLDEN), _files(produced)
    diff = []
    for name in sorted(expected.keys() | actual.keys()):
        diff += difflib.unified_diff(
            expected.get(name, "").splitlines(keepends=True),
            actual.get(name, "").splitlines(keepends=True),
            fromfile=f"golden/widgets/{name}",
            tofile=f"generated/widgets/{name}",
        )
    assert not diff, "generated code differs from tests/golden/widgets:\n" + "".join(
        diff
    )
