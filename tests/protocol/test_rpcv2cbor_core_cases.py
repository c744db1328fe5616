"""The Smithy RPC v2 CBOR core suite (rpcv2Cbor-core, smithy-protocol-tests),
run against generated clients.

The suite's errors name ``smithy.framework#ValidationException``, defined in
the trait models of ``../shared/smithy/traits``, which are loaded with it.
Request bodies compare as decoded CBOR (``runners.check_cbor_body``).
"""

from __future__ import annotations

from tests.protocol.harness import Suite
from tests.protocol.suites import SuiteSource, shared_suite, suite_tests

KNOWN_FAILURES: dict[str, str] = {}

SOURCE = SuiteSource(
    tag="rpcv2cbor_core",
    directories=shared_suite(
        ("smithy", "protocol-tests", "rpcv2Cbor-core"),
        ("smithy", "protocol-tests", "shared-core"),
        ("smithy", "traits"),
    ),
    known_failures=KNOWN_FAILURES,
)
suite_tests(SOURCE, globals())


def test_the_rpcv2cbor_core_suite_is_complete(rpcv2cbor_core_suite: Suite) -> None:
    """Every case of the suite loads: 43 request and 45 response cases."""
    kinds = [case.kind for case in rpcv2cbor_core_suite.cases]
    assert (kinds.count("request"), kinds.count("response")) == (43, 45)
