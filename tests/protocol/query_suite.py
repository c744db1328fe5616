"""Shared set-up of the official awsQuery and ec2Query suites' test modules.

Each suite is the protocol's folder plus the shared shapes folder of
../shared/smithy/protocol-tests; its clients are generated once per session.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.conftest import require_shared, shared_dir
from tests.protocol.harness import Suite, case_params, load_suite


def suite_directories(name: str) -> tuple[Path, ...]:
    root = shared_dir() / "smithy" / "protocol-tests"
    return (root / name, root / "shared")


def suite_or_problem(name: str) -> Suite | str:
    directories = suite_directories(name)
    missing = [str(d) for d in directories if not d.is_dir()]
    if missing:
        return f"protocol test directories absent: {', '.join(missing)}"
    try:
        return load_suite(directories, name.lower())
    except Exception as exc:  # reported by a failing test, not a collection crash
        return f"loading the {name} suite failed: {type(exc).__name__}: {exc}"


def params(name: str, kind: str, known: dict[str, str]) -> list[Any]:
    """pytest params for the suite's cases of one kind (one failing param if none)."""
    suite = suite_or_problem(name)
    if isinstance(suite, str):
        return [pytest.param(suite, id="suite-unavailable")]
    return case_params(suite, kind, known)  # type: ignore[arg-type]


def generated_suite(name: str, out: Path) -> Suite:
    """The suite with its clients generated into ``out`` (skip or fail if absent)."""
    suite = suite_or_problem(name)
    if isinstance(suite, str):
        require_shared("smithy", "protocol-tests", name)
        pytest.fail(suite)
    suite.generate_all(out)
    return suite
