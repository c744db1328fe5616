"""The official awsJson1_1 protocol compliance suite, run against generated clients.

Every case is one test named by its id (``suites.suite_tests``); cases the
project cannot pass yet are strict xfails listed in ``known_failures.py``.
"""

from __future__ import annotations

from tests.protocol.harness import Suite
from tests.protocol.known_failures import KNOWN_FAILURES
from tests.protocol.suites import SuiteSource, shared_suite, suite_tests

SOURCE = SuiteSource(
    tag="awsjson11",
    directories=shared_suite(
        ("smithy", "protocol-tests", "awsJson1_1"),
        ("smithy", "protocol-tests", "shared"),
    ),
    known_failures=KNOWN_FAILURES,
)
suite_tests(SOURCE, globals())


def test_the_official_awsjson11_suite_is_complete(awsjson11_suite: Suite) -> None:
    """All 60 request and 63 response cases load (incl. the 4 server-only ones)."""
    kinds = [case.kind for case in awsjson11_suite.cases]
    assert (kinds.count("request"), kinds.count("response")) == (60, 63)
