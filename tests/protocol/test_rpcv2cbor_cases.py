"""The AWS rpcv2Cbor suite (smithy-aws-protocol-tests): query-compatible and
not, run against generated clients.

The error cases give the awsQuery code and type they expect in
``vendorParams`` (``aws.protocoltests.config#ErrorCodeParams``, in
``shared/aws-config.smithy``).
"""

from __future__ import annotations

from tests.protocol.harness import Suite
from tests.protocol.suites import SuiteSource, shared_suite, suite_tests

KNOWN_FAILURES: dict[str, str] = {}

SOURCE = SuiteSource(
    tag="rpcv2cbor",
    directories=shared_suite(
        ("smithy", "protocol-tests", "rpcv2Cbor"),
        ("smithy", "protocol-tests", "shared"),
    ),
    known_failures=KNOWN_FAILURES,
)
suite_tests(SOURCE, globals())


def test_the_aws_rpcv2cbor_suite_is_complete(rpcv2cbor_suite: Suite) -> None:
    """Both services load, with their 2 request and 2 response cases."""
    kinds = [case.kind for case in rpcv2cbor_suite.cases]
    assert (kinds.count("request"), kinds.count("response")) == (2, 2)
