"""STS endpoints from its rule set, as botocore resolves them.

STS's rules pick the global endpoint (sts.amazonaws.com, signed for
us-east-1) or the regional one from ``AWS::STS::UseGlobalEndpoint``. botocore
sets that built-in only under ``sts_regional_endpoints = legacy``
(AWS_STS_REGIONAL_ENDPOINTS), for the regions that once had no regional
endpoint, without FIPS, dual-stack or a custom endpoint; the default
("regional") sends every region to its own endpoint. For each region,
setting and variant both clients send GetCallerIdentity; the URL and the
SigV4 credential scope (signing region and name) must be the same.
"""

from __future__ import annotations

import re
from types import ModuleType
from typing import Any

import httpx
import pytest
from botocore.awsrequest import AWSPreparedRequest, AWSResponse
from botocore.compat import HTTPHeaders
from smithygen_runtime import ConfigurationError

from tests.query.equivalence import botocore_sts, call_ours
from tests.query.sts_server import CALLER, NAMESPACE

_SCOPE = re.compile(r"Credential=[^/]+/\d{8}/(?P<region>[^/]+)/(?P<service>[^/]+)/")
_BODY = (
    f'<GetCallerIdentityResponse xmlns="{NAMESPACE}"><GetCallerIdentityResult>'
    f"{CALLER}</GetCallerIdentityResult></GetCallerIdentityResponse>"
).encode()


class _Raw:
    def stream(self, **_: Any) -> Any:
        yield _BODY


def _botocore(region: str, endpoint_url: str | None, **config: Any) -> tuple[str, str]:
    """(URL, credential scope region/service) of botocore's request."""
    seen: list[AWSPreparedRequest] = []

    def answer(request: AWSPreparedRequest, **_: Any) -> AWSResponse:
        seen.append(request)
        return AWSResponse(request.url, 200, HTTPHeaders(), _Raw())

    client = botocore_sts(endpoint_url, region, **config)
    client.meta.events.register("before-send.sts", answer)
    client.get_caller_identity()
    request = seen[0]
    return _normal(request.url), _scope(str(request.headers["Authorization"]))


def _normal(url: str) -> str:
    """The URL with its path "/" when empty (botocore leaves it out)."""
    return str(httpx.URL(url).copy_with(path=httpx.URL(url).path or "/"))


def _scope(authorization: str) -> str:
    match = _SCOPE.search(authorization)
    assert match, authorization
    return f"{match['region']}/{match['service']}"


def _ours(
    sts: ModuleType, region: str, endpoint_url: str | None, **options: Any
) -> tuple[str, str]:
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200, headers={"Content-Type": "text/xml"}, content=_BODY)

    http = httpx.AsyncClient(transport=httpx.MockTransport(handler))
    result = call_ours(
        sts,
        "get_caller_identity",
        {},
        region=region,
        endpoint_url=endpoint_url,
        http_client=http,
        **options,
    )
    assert isinstance(result, sts.GetCallerIdentityResponse), result
    request = seen[0]
    return _normal(str(request.url)), _scope(request.headers["Authorization"])


REGIONS = [
    "us-east-1",
    "us-west-2",
    "eu-west-1",
    "ap-northeast-1",
    "ap-east-1",  # never had only the global endpoint: regional under legacy too
    "me-south-1",
    "cn-north-1",
    "us-gov-west-1",
    "aws-global",
]


@pytest.mark.parametrize("setting", [None, "regional", "legacy"])
@pytest.mark.parametrize("region", REGIONS)
def test_endpoint_and_scope_match_botocore(
    sts: ModuleType,
    monkeypatch: pytest.MonkeyPatch,
    region: str,
    setting: str | None,
) -> None:
    if setting is not None:
        monkeypatch.setenv("AWS_STS_REGIONAL_ENDPOINTS", setting)
    assert _ours(sts, region, None) == _botocore(region, None)


@pytest.mark.parametrize("setting", ["regional", "legacy"])
@pytest.mark.parametrize(
    ("region", "variant"),
    [
        ("us-east-1", "use_fips"),
        ("us-west-2", "use_fips"),
        ("us-gov-west-1", "use_fips"),
        ("us-east-1", "use_dual_stack"),
        ("eu-west-1", "use_dual_stack"),
    ],
)
def test_fips_and_dual_stack_variants_match_botocore(
    sts: ModuleType,
    monkeypatch: pytest.MonkeyPatch,
    region: str,
    variant: str,
    setting: str,
) -> None:
    monkeypatch.setenv("AWS_STS_REGIONAL_ENDPOINTS", setting)
    botocore_option = {
        "use_fips": "use_fips_endpoint",
        "use_dual_stack": "use_dualstack_endpoint",
    }[variant]
    ours = _ours(sts, region, None, **{variant: True})
    assert ours == _botocore(region, None, **{botocore_option: True})


def test_a_custom_endpoint_is_kept_under_legacy(
    sts: ModuleType, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("AWS_STS_REGIONAL_ENDPOINTS", "legacy")
    url = "https://sts.internal.example:8443"
    ours = _ours(sts, "us-east-1", url)
    assert ours == _botocore("us-east-1", url)
    assert ours[0].startswith(url)


def test_the_legacy_global_endpoint_is_sts_amazonaws_com(
    sts: ModuleType, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The two settings do differ (so the comparisons above can fail)."""
    monkeypatch.setenv("AWS_STS_REGIONAL_ENDPOINTS", "legacy")
    assert _ours(sts, "eu-west-1", None) == (
        "https://sts.amazonaws.com/",
        "us-east-1/sts",
    )
    monkeypatch.setenv("AWS_STS_REGIONAL_ENDPOINTS", "regional")
    assert _ours(sts, "eu-west-1", None) == (
        "https://sts.eu-west-1.amazonaws.com/",
        "eu-west-1/sts",
    )


def test_a_bad_setting_is_a_configuration_error(
    sts: ModuleType, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("AWS_STS_REGIONAL_ENDPOINTS", "globalish")
    error = call_ours(sts, "get_caller_identity", {})
    assert isinstance(error, ConfigurationError)
    assert "AWS_STS_REGIONAL_ENDPOINTS" in str(error)
