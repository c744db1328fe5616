"""One pytest module per protocol compliance suite, from one declaration.

A suite module (``tests/protocol/test_<suite>_cases.py``) declares its
``SuiteSource`` and calls ``suite_tests(SOURCE, globals())``, which defines the
module's session fixture and its tests: one ``test_request``/``test_response``
per case (named by the case id; known failures are strict xfails, server-only
cases visible skips), plus the checks that every case belongs to a service and
that every known-failure entry names a case of the suite.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, MutableMapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import anyio
import pytest

from tests.conftest import require_shared, shared_dir
from tests.protocol.harness import Case, Kind, Suite, case_params, load_suite
from tests.protocol.runners import run_request_case, run_response_case


@dataclass(frozen=True)
class SuiteSource:
    """Where a suite's models are, and what is known about its cases."""

    tag: str
    """Prefix of the generated packages (``<tag>_<service>``); unique per suite."""
    directories: Callable[[], tuple[Path, ...]]
    """The model directories (a callable: ``../shared`` is found at run time)."""
    known_failures: Mapping[str, str] = field(default_factory=dict)
    """``<kind>:<case id>`` -> why the project cannot pass it yet."""
    shared: bool = True
    """The directories are reference data: absent, they skip (fail under CI)."""


def shared_suite(*parts: tuple[str, ...]) -> Callable[[], tuple[Path, ...]]:
    """Directories inside the reference data, e.g. ``("smithy", "protocol-tests", "restJson1")``."""
    return lambda: tuple(shared_dir().joinpath(*p) for p in parts)


def suite_or_problem(source: SuiteSource) -> Suite | str:
    """The loaded suite, or why it cannot be loaded (reported by a failing test)."""
    directories = source.directories()
    missing = [str(d) for d in directories if not d.is_dir()]
    if missing:
        return f"protocol test directories absent: {', '.join(missing)}"
    try:
        return load_suite(directories, source.tag)
    except Exception as exc:  # reported by a failing test, not a collection crash
        names = ", ".join(map(str, directories))
        return f"loading {names} failed: {type(exc).__name__}: {exc}"


def _params(source: SuiteSource, kind: Kind) -> list[Any]:
    suite = suite_or_problem(source)
    if isinstance(suite, str):
        return [pytest.param(suite, id="suite-unavailable")]
    return case_params(suite, kind, source.known_failures)


def _unavailable(source: SuiteSource, problem: str) -> None:
    if source.shared:
        for directory in source.directories():
            # skip, or fail under CI, when ../shared is absent
            require_shared(*directory.relative_to(shared_dir()).parts)
    pytest.fail(problem)


def suite_tests(source: SuiteSource, namespace: MutableMapping[str, Any]) -> None:
    """Define the suite's fixture and tests in a test module's ``namespace``."""
    fixture_name = f"{source.tag}_suite"

    def generated_suite(tmp_path_factory: pytest.TempPathFactory) -> Suite:
        suite = suite_or_problem(source)
        if isinstance(suite, str):
            _unavailable(source, suite)
        assert isinstance(suite, Suite)
        suite.generate_all(tmp_path_factory.mktemp(f"{source.tag}-clients"))
        return suite

    def run(case: Case | str, request: pytest.FixtureRequest, kind: Kind) -> None:
        suite: Suite = request.getfixturevalue(fixture_name)
        assert isinstance(case, Case), case
        runner = run_request_case if kind == "request" else run_response_case
        anyio.run(runner, suite.generated(case), case)

    @pytest.mark.parametrize("case", _params(source, "request"))
    def test_request(case: Case | str, request: pytest.FixtureRequest) -> None:
        run(case, request, "request")

    @pytest.mark.parametrize("case", _params(source, "response"))
    def test_response(case: Case | str, request: pytest.FixtureRequest) -> None:
        run(case, request, "response")

    def test_every_test_case_belongs_to_a_service(
        request: pytest.FixtureRequest,
    ) -> None:
        suite: Suite = request.getfixturevalue(fixture_name)
        assert not suite.orphans, (
            "test cases on shapes no service uses (never run): "
            + ", ".join(suite.orphans)
        )

    def test_known_failures_name_existing_cases(request: pytest.FixtureRequest) -> None:
        """A stale entry (a renamed or removed case) would silently hide nothing."""
        suite: Suite = request.getfixturevalue(fixture_name)
        keys = {case.key for case in suite.cases}
        assert set(source.known_failures) <= keys, sorted(
            set(source.known_failures) - keys
        )

    generated_suite.__name__ = fixture_name
    namespace[fixture_name] = pytest.fixture(scope="session", name=fixture_name)(
        generated_suite
    )
    namespace["test_request"] = test_request
    namespace["test_response"] = test_response
    namespace["test_every_test_case_belongs_to_a_service"] = (
        test_every_test_case_belongs_to_a_service
    )
    namespace["test_known_failures_name_existing_cases"] = (
        test_known_failures_name_existing_cases
    )
