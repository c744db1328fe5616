"""SSM's own ``smithy.rules#endpointTests`` (official model in ../shared) through
the real generated ``SSMClient``: its packaged rule set, its options, and the
URL of the request it actually sends (captured by httpx.MockTransport).

This is where the rule set's cases run: the generated client end to end
(rule set shipped in generated/ssm_inventory, option plumbing, signing scope
of the sent request).
"""

from __future__ import annotations

import functools
import json
from collections.abc import Mapping
from typing import Any

import anyio
import httpx
import pytest
from smithygen_runtime import ConfigurationError, Credentials, RetryConfig
from ssm_inventory import SSMClient

from tests.conftest import require_shared, shared_dir

SSM_MODEL = ("aws-models", "ssm-2014-11-06.json")
SERVICE = "com.amazonaws.ssm#AmazonSSM"
CREDENTIALS = Credentials("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY")


@functools.cache
def _cases() -> list[Mapping[str, Any]]:
    model = json.loads(require_shared(*SSM_MODEL).read_text(encoding="utf-8"))
    tests = model["shapes"][SERVICE]["traits"]["smithy.rules#endpointTests"]
    cases: list[Mapping[str, Any]] = tests["testCases"]
    return cases


def _params() -> list[Any]:
    if not shared_dir().joinpath(*SSM_MODEL).exists():
        return [pytest.param(None, id="model-absent")]
    return [
        pytest.param(case, id=f"{i:02d}-{case['documentation']}")
        for i, case in enumerate(_cases())
    ]


@pytest.fixture(autouse=True)
def _no_aws_configuration(monkeypatch: pytest.MonkeyPatch, tmp_path: Any) -> None:
    """No region, endpoint or profile may leak in from the environment."""
    for name in (
        "AWS_REGION",
        "AWS_DEFAULT_REGION",
        "AWS_PROFILE",
        "AWS_ENDPOINT_URL",
        "AWS_ENDPOINT_URL_SSM",
        "AWS_USE_FIPS_ENDPOINT",
        "AWS_USE_DUALSTACK_ENDPOINT",
    ):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "absent-config"))
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(tmp_path / "absent-creds"))


# The rule set's error messages and the words a message for the same reason
# must contain: the runtime may refuse a conflicting setting (or a missing
# region) with its own wording before the rules run.
_REASONS = {
    "FIPS and custom endpoint": ("fips", "custom endpoint"),
    "Dualstack and custom endpoint": ("dual", "custom endpoint"),
    "Missing Region": ("region",),
}


def assert_same_reason(rule_error: str, message: str) -> None:
    """The client's error is the rule's, or names the same cause."""
    if rule_error in message:
        return
    for phrase, words in _REASONS.items():
        if phrase in rule_error:
            lowered = message.lower()
            assert all(w in lowered for w in words), (rule_error, message)
            return
    raise AssertionError(f"expected {rule_error!r}, got {message!r}")


def wire_target(url: httpx.URL) -> tuple[str, str, int | None, bytes]:
    """Scheme, host, port and request path as sent (an empty path is "/")."""
    return url.scheme, url.host, url.port, url.raw_path or b"/"


def _client(params: Mapping[str, Any], http: httpx.AsyncClient) -> SSMClient:
    return SSMClient(
        region=params.get("Region"),
        use_fips=params.get("UseFIPS", False),
        use_dual_stack=params.get("UseDualStack", False),
        endpoint_url=params.get("Endpoint"),
        credentials=CREDENTIALS,
        http_client=http,
        retry=RetryConfig(max_attempts=1),
    )


@pytest.mark.parametrize("case", _params())
def test_ssm_endpoint_case_through_the_generated_client(
    case: Mapping[str, Any] | None,
) -> None:
    require_shared(*SSM_MODEL)
    assert case is not None
    params = case.get("params", {})
    expect = case["expect"]
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200, json={})

    async def call() -> None:
        http = httpx.AsyncClient(transport=httpx.MockTransport(handler))
        try:
            async with _client(params, http) as client:
                await client.describe_inventory_deletions()
        finally:
            await http.aclose()

    if "error" in expect:
        # The client may refuse at construction or at its first call (it sets
        # up its endpoint lazily); either way nothing is sent.
        with pytest.raises(ConfigurationError) as info:
            anyio.run(call)
        assert not seen
        assert_same_reason(expect["error"], str(info.value))
        return

    try:
        anyio.run(call)
    except ConfigurationError as exc:
        if "Region" in params or "region" not in str(exc):
            raise
        pytest.skip(
            "the client needs a region to sign (SigV4 credential scope) and refuses "
            "to start without one, as botocore does (NoRegionError); the rule "
            "outcome itself is checked in tests/runtime/test_endpoints.py "
            "(test_ssm_rule_cases_without_a_region)"
        )
    (request,) = seen
    endpoint = expect["endpoint"]
    assert wire_target(request.url) == wire_target(httpx.URL(endpoint["url"]))
    for name, values in endpoint.get("headers", {}).items():
        assert request.headers.get_list(name) == values
    # The credential scope names the region the request is signed for.
    region = params.get("Region")
    for scheme in endpoint.get("properties", {}).get("authSchemes", []):
        region = scheme.get("signingRegion", region)
    scope = f"/{region}/ssm/aws4_request"
    assert scope in request.headers["authorization"]


def test_every_rule_case_is_collected() -> None:
    require_shared(*SSM_MODEL)
    assert len(_cases()) == len(_params()) >= 40
