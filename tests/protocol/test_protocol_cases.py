"""The Smithy HTTP protocol compliance cases, run against generated clients.

The suites come from ``PROTOCOL_TESTS`` (``:``-separated directories; by
default the official awsJson1_1 suite and its shared shapes in ../shared), so
``PROTOCOL_TESTS=DIR1:DIR2 pytest tests/protocol`` runs another suite with the
same harness. Every case is one test named by its id; cases the project cannot
pass yet are strict xfails listed in ``known_failures.py``.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import anyio
import pytest

from tests.conftest import PROJECT_ROOT, require_shared, shared_dir
from tests.protocol.harness import (
    Case,
    Suite,
    case_params,
    load_suite,
)
from tests.protocol.known_failures import KNOWN_FAILURES
from tests.protocol.runners import run_request_case, run_response_case

DEFAULT_PARTS = (
    ("smithy", "protocol-tests", "awsJson1_1"),
    ("smithy", "protocol-tests", "shared"),
)


def _directories() -> tuple[tuple[Path, ...], bool]:
    """The suite's directories, and whether PROTOCOL_TESTS chose them."""
    chosen = os.environ.get("PROTOCOL_TESTS")
    if chosen:
        return tuple(Path(p) for p in chosen.split(":") if p), True
    return tuple(shared_dir().joinpath(*parts) for parts in DEFAULT_PARTS), False


def _suite_or_problem() -> Suite | str:
    directories, _ = _directories()
    missing = [str(d) for d in directories if not d.is_dir()]
    if missing:
        return f"protocol test directories absent: {', '.join(missing)}"
    try:
        return load_suite(directories, "protocol")
    except Exception as exc:  # reported by a failing test, not a collection crash
        return f"loading {', '.join(map(str, directories))} failed: {type(exc).__name__}: {exc}"


def _params(kind: str) -> list[Any]:
    suite = _suite_or_problem()
    if isinstance(suite, str):
        return [pytest.param(suite, id="suite-unavailable")]
    return case_params(suite, kind, KNOWN_FAILURES)  # type: ignore[arg-type]


def _unavailable(problem: str) -> None:
    if not _directories()[1]:
        for parts in DEFAULT_PARTS:
            require_shared(*parts)  # skip, or fail under CI, when ../shared is absent
    pytest.fail(problem)


@pytest.fixture(scope="session")
def protocol_suite(tmp_path_factory: pytest.TempPathFactory) -> Suite:
    """The default (or PROTOCOL_TESTS) suite with its clients generated."""
    suite = _suite_or_problem()
    if isinstance(suite, str):
        _unavailable(suite)
    assert isinstance(suite, Suite)
    suite.generate_all(tmp_path_factory.mktemp("protocol-clients"))
    return suite


@pytest.mark.parametrize("case", _params("request"))
def test_request(case: Case | str, protocol_suite: Suite) -> None:
    assert isinstance(case, Case)
    anyio.run(run_request_case, protocol_suite.generated(case), case)


@pytest.mark.parametrize("case", _params("response"))
def test_response(case: Case | str, protocol_suite: Suite) -> None:
    assert isinstance(case, Case)
    anyio.run(run_response_case, protocol_suite.generated(case), case)


def test_every_test_case_belongs_to_a_service(protocol_suite: Suite) -> None:
    assert not protocol_suite.orphans, (
        "test cases on shapes no service uses (never run): "
        + ", ".join(protocol_suite.orphans)
    )


def test_known_failures_name_existing_cases(protocol_suite: Suite) -> None:
    """A stale entry (a renamed or removed case) would silently hide nothing."""
    if _directories()[1]:
        pytest.skip("known_failures.py describes the default suite")
    json10 = load_suite((PROJECT_ROOT / "tests" / "awsjson10" / "model",), "json10")
    keys = {case.key for case in [*protocol_suite.cases, *json10.cases]}
    listed = {k for k in KNOWN_FAILURES if k.startswith(("request:", "response:"))}
    assert listed <= keys, sorted(listed - keys)


def test_the_official_awsjson11_suite_is_complete(protocol_suite: Suite) -> None:
    """All 60 request and 63 response cases load (incl. the 4 server-only ones)."""
    if _directories()[1]:
        pytest.skip("counts of the default suite only")
    kinds = [case.kind for case in protocol_suite.cases]
    assert (kinds.count("request"), kinds.count("response")) == (60, 63)
