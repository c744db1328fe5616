"""The official ec2Query protocol compliance suite, run against generated clients.

Spec: aws-ec2-query-protocol.rst ("Protocol compliance tests": the suite SHALL be
considered a normative reference). Every case is one test named by its id
(``suites.suite_tests``); cases the project cannot pass yet would be strict
xfails in ``KNOWN_FAILURES`` with the reason (none today).
"""

from __future__ import annotations

from tests.protocol.harness import Suite
from tests.protocol.suites import SuiteSource, shared_suite, suite_tests

# "<kind>:<case id>" -> why it fails (a strict xfail: a fixed case fails the run).
KNOWN_FAILURES: dict[str, str] = {}

SOURCE = SuiteSource(
    tag="ec2query",
    directories=shared_suite(
        ("smithy", "protocol-tests", "ec2Query"),
        ("smithy", "protocol-tests", "shared"),
    ),
    known_failures=KNOWN_FAILURES,
)
suite_tests(SOURCE, globals())


def test_the_official_ec2query_suite_is_complete(ec2query_suite: Suite) -> None:
    """All 30 request and 29 response cases load, none of them server-only."""
    kinds = [case.kind for case in ec2query_suite.cases]
    assert (kinds.count("request"), kinds.count("response")) == (30, 29)
    assert all(case.for_client for case in ec2query_suite.cases)
