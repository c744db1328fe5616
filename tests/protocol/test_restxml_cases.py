"""The official restXml protocol compliance suites, run against generated clients.

Spec: aws-restxml-protocol.rst. The ``restXml`` folder (with its S3 service)
runs here, ``restXmlWithNamespace`` in test_restxml_namespace_cases.py; cases
the project cannot pass yet are strict xfails in ``KNOWN_FAILURES`` with the
reason.
"""

from __future__ import annotations

from tests.protocol.suites import SuiteSource, shared_suite, suite_tests

# "<kind>:<case id>" -> why it fails (a strict xfail: a fixed case fails the run).
# The S3 cases run with S3's endpoint rules applied to the suite's cut-down S3
# service and their vendorParams (AwsConfig) as the client's configuration
# (tests/protocol/s3_setup.py).
_DOT_SEGMENTS = (
    "httpx removes dot segments from a URL's path (RFC 3986 section 5.2.4) "
    "through its public API, so a '.' or '..' key segment is sent "
    "percent-encoded (%2E%2E, the same key to S3) instead of literally"
)
KNOWN_FAILURES: dict[str, str] = {
    "request:S3PreservesLeadingDotSegmentInUriLabel": _DOT_SEGMENTS,
    "request:S3PreservesEmbeddedDotSegmentInUriLabel": _DOT_SEGMENTS,
    "request:S3OperationAddressingPreferred": (
        "the client has no per-operation configuration: AwsConfig's operation "
        "scope (addressing_style virtual over the client's path) cannot be "
        "expressed, so the client-scoped path style applies"
    ),
}

SOURCE = SuiteSource(
    tag="restxml",
    directories=shared_suite(
        ("smithy", "protocol-tests", "restXml"),
        ("smithy", "protocol-tests", "shared"),
    ),
    known_failures=KNOWN_FAILURES,
)
suite_tests(SOURCE, globals())
