"""The project generated for each golden model is exactly the committed one.

``<package>/`` holds the package, ``project/<package>/`` the files smithygen
writes beside it (pyproject.toml, README.md; LICENSE is the generator's license
text, checked in tests/packaging). A generator change shows up here as a
readable diff. After reviewing it, accept the new output with
``UPDATE_GOLDEN=1 .venv/bin/python -m pytest tests/golden``.

``widgets`` covers every shape kind and feature; ``dual`` a service offering
awsJson1_0 and rpcv2Cbor (tests/rpcv2cbor's model); ``edges`` holds the shapes
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
GOLDEN_PROJECTS = HERE / "project"
PROJECT_FILES = ("pyproject.toml", "README.md")

#: package name -> (model files, service shape id)
CASES: dict[str, tuple[list[str], str]] = {
    "widgets": (["widgets.json"], "example.widgets#WidgetStore"),
    "edges": (["edges.smithy", "edges-other.smithy"], "example.edges#Edges"),
    # awsJson1_0 and rpcv2Cbor: _serde_cbor.py, other_serializers, protocols.
    "dual": (["../rpcv2cbor/model/dual.smithy"], "example.dual#DualService"),
}


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


@pytest.mark.parametrize("package", sorted(CASES))
def test_generated_project_matches_the_golden_files(
    package: str, tmp_path: Path
) -> None:
    models, service = CASES[package]
    produced = generate(
        [HERE / m for m in models], service=service, package=package, out=tmp_path
    )
    golden = HERE / package
    golden_project = GOLDEN_PROJECTS / package
    if os.environ.get("UPDATE_GOLDEN"):
        shutil.rmtree(golden, ignore_errors=True)
        shutil.copytree(produced, golden, ignore=shutil.ignore_patterns("__pycache__"))
        golden_project.mkdir(parents=True, exist_ok=True)
        for name in PROJECT_FILES:
            shutil.copyfile(tmp_path / name, golden_project / name)
    diff = _diff(_files(golden), _files(produced), package)
    diff += _diff(
        _files(golden_project),
        {name: (tmp_path / name).read_text(encoding="utf-8") for name in PROJECT_FILES},
        f"project/{package}",
    )
    assert not diff, "generated project differs from tests/golden:\n" + "".join(diff)


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
