"""The official restXmlWithNamespace suite: a restXml service with @xmlNamespace.

Spec: aws-restxml-protocol.rst; the service's namespace is written on the
body's root element and ignored when reading.
"""

from __future__ import annotations

from tests.protocol.suites import SuiteSource, shared_suite, suite_tests

# "<kind>:<case id>" -> why it fails (a strict xfail: a fixed case fails the run).
KNOWN_FAILURES: dict[str, str] = {}

SOURCE = SuiteSource(
    tag="restxmlns",
    directories=shared_suite(
        ("smithy", "protocol-tests", "restXmlWithNamespace"),
        ("smithy", "protocol-tests", "shared"),
    ),
    known_failures=KNOWN_FAILURES,
)
suite_tests(SOURCE, globals())
