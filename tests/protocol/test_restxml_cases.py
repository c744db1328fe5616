"""The official restXml protocol compliance suites, run against generated clients.

Spec: aws-restxml-protocol.rst. The ``restXml`` folder (with its S3 service)
runs here, ``restXmlWithNamespace`` in test_restxml_namespace_cases.py; cases
the project cannot pass yet are strict xfails in ``KNOWN_FAILURES`` with the
reason.
"""

from __future__ import annotations

from tests.protocol.suites import SuiteSource, shared_suite, suite_tests

# "<kind>:<case id>" -> why it fails (a strict xfail: a fixed case fails the run).
# S3's bucket addressing, which the restXml protocol itself does not define: the
# S3 part of issue 15 (item 4) is not done in this branch. The harness does not
# apply a case's vendorParams (region, addressing style, dual-stack,
# accelerate: smithy aws-config's AwsConfig), and the client has no S3
# bucket addressing (the bucket moved from the path to the host by S3's
# endpoint rules, as botocore does).
_S3_ADDRESSING = (
    "S3 customization not implemented: virtual-hosted bucket addressing from the "
    "case's vendorParams (AwsConfig) and S3's endpoint rules puts the bucket in "
    "the host, not the path"
)
KNOWN_FAILURES: dict[str, str] = {
    "request:S3DefaultAddressing": _S3_ADDRESSING,
    "request:S3VirtualHostAddressing": _S3_ADDRESSING,
    "request:S3VirtualHostDualstackAddressing": _S3_ADDRESSING,
    "request:S3VirtualHostAccelerateAddressing": _S3_ADDRESSING,
    "request:S3VirtualHostDualstackAccelerateAddressing": _S3_ADDRESSING,
    "request:S3OperationAddressingPreferred": _S3_ADDRESSING,
    "request:S3EscapeObjectKeyInUriLabel": _S3_ADDRESSING,
    "request:S3EscapePathObjectKeyInUriLabel": _S3_ADDRESSING,
    "request:S3PreservesLeadingDotSegmentInUriLabel": _S3_ADDRESSING,
    "request:S3PreservesEmbeddedDotSegmentInUriLabel": _S3_ADDRESSING,
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
