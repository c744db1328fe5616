"""The official ec2Query protocol compliance suite, run against generated clients.

Spec: aws-ec2-query-protocol.rst ("Protocol compliance tests": the suite SHALL be
considered a normative reference). Every client case runs; cases the project
cannot pass yet would be strict xfails listed in ``KNOWN_FAILURES`` with the
reason (none today).
"""

from __future__ import annotations

import anyio
import pytest

from tests.protocol.harness import Case, Suite
from tests.protocol.query_suite import generated_suite, params
from tests.protocol.runners import run_request_case, run_response_case

SUITE = "ec2Query"

# "<kind>:<case id>" -> why it fails (a strict xfail: a fixed case fails the run).
KNOWN_FAILURES: dict[str, str] = {}


@pytest.fixture(scope="module")
def ec2_suite(tmp_path_factory: pytest.TempPathFactory) -> Suite:
    return generated_suite(SUITE, tmp_path_factory.mktemp("ec2query-clients"))


@pytest.mark.parametrize("case", params(SUITE, "request", KNOWN_FAILURES))
def test_request(case: Case | str, ec2_suite: Suite) -> None:
    assert isinstance(case, Case), case
    anyio.run(run_request_case, ec2_suite.generated(case), case)


@pytest.mark.parametrize("case", params(SUITE, "response", KNOWN_FAILURES))
def test_response(case: Case | str, ec2_suite: Suite) -> None:
    assert isinstance(case, Case), case
    anyio.run(run_response_case, ec2_suite.generated(case), case)


def test_every_case_belongs_to_a_service(ec2_suite: Suite) -> None:
    assert not ec2_suite.orphans, ec2_suite.orphans


def test_known_failures_name_existing_cases(ec2_suite: Suite) -> None:
    keys = {case.key for case in ec2_suite.cases}
    assert set(KNOWN_FAILURES) <= keys, sorted(set(KNOWN_FAILURES) - keys)
