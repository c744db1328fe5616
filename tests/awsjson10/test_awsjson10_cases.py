"""awsJson 1.0: our own protocol test cases (model/json10.smithy), run through
the same harness as the official suites in tests/protocol.

The service carries ``@aws.protocols#awsJson1_0``, so the generated client
must send ``application/x-amz-json-1.0`` and the 1.0 X-Amz-Target; the cases
also cover every shape kind, defaults, idempotency tokens, host prefixes and
error identification (aws_protocols_aws-json-1_0-protocol.rst).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import anyio
import pytest

from tests.protocol.harness import (
    Case,
    Suite,
    case_params,
    load_suite,
)
from tests.protocol.runners import run_request_case, run_response_case

MODEL_DIR = Path(__file__).resolve().parent / "model"
# <kind>:<case id> -> why the project cannot pass it yet (strict xfails).
KNOWN_FAILURES: dict[str, str] = {}


def _suite() -> Suite:
    return load_suite((MODEL_DIR,), "json10")


def _params(kind: str) -> list[Any]:
    return case_params(_suite(), kind, KNOWN_FAILURES)  # type: ignore[arg-type]


@pytest.fixture(scope="session")
def json10_suite(tmp_path_factory: pytest.TempPathFactory) -> Suite:
    suite = _suite()
    suite.generate_all(tmp_path_factory.mktemp("json10-clients"))
    return suite


@pytest.mark.parametrize("case", _params("request"))
def test_request(case: Case, json10_suite: Suite) -> None:
    anyio.run(run_request_case, json10_suite.generated(case), case)


@pytest.mark.parametrize("case", _params("response"))
def test_response(case: Case, json10_suite: Suite) -> None:
    anyio.run(run_response_case, json10_suite.generated(case), case)


def _service_spec(suite: Suite, name: str) -> Any:
    case = next(c for c in suite.cases if c.service.id.name == name)
    return suite.generated(case).client.SERVICE


def test_the_generated_service_speaks_awsjson10(json10_suite: Suite) -> None:
    spec = _service_spec(json10_suite, "JsonRpc10Demo")
    assert spec.protocol == "awsJson1_0"
    assert spec.target_prefix == "JsonRpc10Demo"
    assert spec.query_compatible is False


def test_a_query_compatible_service_generates_and_says_so(json10_suite: Suite) -> None:
    """aws.protocols#awsQueryCompatible reaches the ServiceSpec (errors holding
    only a message once broke generation: errors.py imported nothing from _serde)."""
    spec = _service_spec(json10_suite, "QueryCompatibleJsonRpc10")
    assert spec.query_compatible is True
    assert spec.signing_name == "query-compatible-jsonrpc10"


def test_every_case_belongs_to_a_service_and_is_for_clients() -> None:
    suite = _suite()
    assert not suite.orphans
    assert all(c.for_client and c.protocol_supported for c in suite.cases)
    assert len(suite.cases) >= 15
