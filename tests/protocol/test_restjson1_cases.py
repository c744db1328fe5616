"""The official restJson1 protocol compliance suite, run against generated clients.

Every ``httpRequestTests`` / ``httpResponseTests`` case of
``../shared/smithy/protocol-tests/restJson1`` (with its API Gateway and
Glacier service customizations) is one test named by its id
(``suites.suite_tests``). Server-only cases (``appliesTo: server``) are
visible skips, never counted as passed; ``httpMalformedRequestTests``
(malformedRequests/, validation/) are server-side by definition, not
collected. The ``eventStreamTests`` of event-stream.smithy run as
``test_event_stream`` (event_stream_cases.py): all 84 client cases pass.
Cases the project cannot pass yet are strict xfails in ``KNOWN_FAILURES``
(and ``EVENT_STREAM_KNOWN_FAILURES``), each with its reason.
"""

from __future__ import annotations

from tests.protocol.event_stream_cases import (
    EventCase,
    event_cases,
    event_stream_tests,
)
from tests.protocol.harness import Suite
from tests.protocol.suites import (
    SuiteSource,
    shared_suite,
    suite_or_problem,
    suite_tests,
)

KNOWN_FAILURES: dict[str, str] = {}

# Every client case passes: a client sends a modeled error put in its input
# stream as an exception event (ClientErrorInput), and an initial response
# lacking a required member fails the call (MissingRequiredInitialResponseOutput:
# _event_stream.require_initial_members says why no error correction applies).
EVENT_STREAM_KNOWN_FAILURES: dict[str, str] = {}

SOURCE = SuiteSource(
    tag="restjson1",
    directories=shared_suite(
        ("smithy", "protocol-tests", "restJson1"),
        ("smithy", "protocol-tests", "shared"),
        # smithy.framework#ValidationException, which validation/ uses.
        ("smithy", "traits"),
    ),
    known_failures=KNOWN_FAILURES,
)
suite_tests(SOURCE, globals())


def _event_cases() -> list[EventCase] | str:
    suite = suite_or_problem(SOURCE)
    return suite if isinstance(suite, str) else event_cases(suite)


# eventStreamTests (event-stream.smithy): one test_event_stream per case.
event_stream_tests(
    "restjson1_suite", _event_cases, EVENT_STREAM_KNOWN_FAILURES, globals()
)


def test_the_official_restjson1_suite_is_complete(restjson1_suite: Suite) -> None:
    """157 request cases (15 server-only) and 116 response cases (8 server-only)."""
    kinds = [(case.kind, case.for_client) for case in restjson1_suite.cases]
    assert kinds.count(("request", True)) == 142
    assert kinds.count(("request", False)) == 15
    assert kinds.count(("response", True)) == 108
    assert kinds.count(("response", False)) == 8


def test_the_only_shape_no_service_runs_is_server_only(restjson1_suite: Suite) -> None:
    """http-accept.smithy's AcceptHeaderStarService: both its cases are for servers."""
    assert restjson1_suite.server_only_orphans == [
        "aws.protocoltests.misc#AcceptHeaderStarService"
    ]
