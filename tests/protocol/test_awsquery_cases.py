"""The official awsQuery protocol compliance suite, run against generated clients.

Spec: aws-query-protocol.rst ("Protocol compliance tests": the suite SHALL be
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
    tag="awsquery",
    directories=shared_suite(
        ("smithy", "protocol-tests", "awsQuery"),
        ("smithy", "protocol-tests", "shared"),
    ),
    known_failures=KNOWN_FAILURES,
)
suite_tests(SOURCE, globals())


def test_the_official_awsquery_suite_is_complete(awsquery_suite: Suite) -> None:
    """All 38 request and 39 response cases load, none of them server-only."""
    kinds = [case.kind for case in awsquery_suite.cases]
    assert (kinds.count("request"), kinds.count("response")) == (38, 39)
    assert all(case.for_client for case in awsquery_suite.cases)
