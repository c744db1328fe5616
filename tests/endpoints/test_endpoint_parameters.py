"""Endpoint rule parameters bound as the Smithy rules traits say, through a
generated client (models/streams.smithy), on the request actually sent.

Sources, in botocore's order: staticContextParams, contextParam,
operationContextParams (JMESPath over the input), clientContextParams, then
built-ins (AWS::Region, AWS::UseFIPS, SDK::Endpoint, AWS::Auth::AccountId,
AWS::Auth::AccountIdEndpointMode). The endpoint's authSchemes decide the
signing name and region (rules-engine specification, "authSchemes").
"""

from __future__ import annotations

from collections.abc import Callable
from types import ModuleType
from typing import Any

import httpx
import pytest
from smithygen_runtime import ConfigurationError, Credentials, RetryConfig

from tests.endpoints.conftest import CREDENTIALS

STREAM_ARN = "arn:aws:streams:eu-west-1:123456789012:stream/orders"


class Sent:
    """The requests a MockTransport saw."""

    def __init__(self) -> None:
        self.requests: list[httpx.Request] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        return httpx.Response(200, json={})

    def scope(self, index: int = -1) -> str:
        """``region/service`` of the request's SigV4 credential scope."""
        authorization = self.requests[index].headers["authorization"]
        credential = authorization.split("Credential=")[1].split(",")[0]
        _key, _date, region, service, _ = credential.split("/")
        return f"{region}/{service}"


@pytest.fixture
def streams(generated: Callable[[str], ModuleType]) -> ModuleType:
    return generated("streams.smithy")


async def _call(
    streams: ModuleType, method: str, args: dict[str, Any], **options: Any
) -> Sent:
    sent = Sent()
    http = httpx.AsyncClient(transport=httpx.MockTransport(sent))
    options.setdefault("region", "us-west-2")
    options.setdefault("credentials", CREDENTIALS)
    client = streams.StreamsClient(
        http_client=http, retry=RetryConfig(max_attempts=1), **options
    )
    try:
        async with client:
            await getattr(client, method)(**args)
    finally:
        await http.aclose()
    return sent


@pytest.mark.anyio
async def test_context_param_and_static_context_param_pick_the_account_host(
    streams: ModuleType,
) -> None:
    sent = await _call(streams, "describe_stream", {"stream_arn": STREAM_ARN})
    assert sent.requests[0].url.host == (
        "123456789012.control-streams.us-west-2.amazonaws.com"
    )
    # authSchemes: signing region from the ARN, signing name "streams".
    assert sent.scope() == "eu-west-1/streams"
    data = await _call(streams, "put_record", {"stream_arn": STREAM_ARN, "data": "x"})
    assert data.requests[0].url.host == (
        "123456789012.data-streams.us-west-2.amazonaws.com"
    )


@pytest.mark.anyio
async def test_without_the_context_member_the_regional_host_is_used(
    streams: ModuleType,
) -> None:
    sent = await _call(streams, "describe_stream", {"stream_name": "orders"})
    assert sent.requests[0].url.host == "streams.us-west-2.amazonaws.com"
    # sigv4a is listed first but the runtime signs sigv4: the sigv4 entry's
    # signing name applies.
    assert sent.scope() == "us-west-2/streamsvc"


@pytest.mark.anyio
async def test_operation_context_params_evaluate_jmespath_over_the_input(
    streams: ModuleType,
) -> None:
    shards = [streams.models.Shard(name="s-7"), streams.models.Shard(name="s-9")]
    sent = await _call(streams, "list_shards", {"shards": shards})
    assert sent.requests[0].url.host == "s-7.shards.streams.us-west-2.amazonaws.com"


@pytest.mark.anyio
async def test_endpoints_are_resolved_per_call(streams: ModuleType) -> None:
    sent = Sent()
    http = httpx.AsyncClient(transport=httpx.MockTransport(sent))
    async with streams.StreamsClient(
        region="us-west-2", credentials=CREDENTIALS, http_client=http
    ) as client:
        await client.describe_stream(stream_arn=STREAM_ARN)
        await client.describe_stream(
            stream_arn="arn:aws:streams:us-east-2:999999999999:stream/other"
        )
        await client.get_health()
        await client.describe_stream(stream_arn=STREAM_ARN)
    await http.aclose()
    hosts = [r.url.host for r in sent.requests]
    assert hosts == [
        "123456789012.control-streams.us-west-2.amazonaws.com",
        "999999999999.control-streams.us-west-2.amazonaws.com",
        "streams.us-west-2.amazonaws.com",
        "123456789012.control-streams.us-west-2.amazonaws.com",
    ]
    assert [sent.scope(i) for i in range(4)] == [
        "eu-west-1/streams",
        "us-east-2/streams",
        "us-west-2/streamsvc",
        "eu-west-1/streams",
    ]


@pytest.mark.anyio
async def test_client_context_params_are_typed_client_options(
    streams: ModuleType,
) -> None:
    options = streams.StreamsClient.ClientContext(tier="gold")
    sent = await _call(streams, "get_health", {}, client_context=options)
    request = sent.requests[0]
    assert request.url.host == "streams-gold.us-west-2.amazonaws.com"
    assert request.headers["x-streams-tier"] == "gold"
    legacy = streams.StreamsClient.ClientContext(use_legacy_host=True)
    sent = await _call(streams, "get_health", {}, client_context=legacy)
    assert sent.requests[0].url.host == "legacy-streams.us-west-2.amazonaws.com"


def test_client_context_of_another_type_is_a_configuration_error(
    streams: ModuleType,
) -> None:
    with pytest.raises(ConfigurationError, match="StreamsClientContext"):
        streams.StreamsClient(region="us-east-1", client_context={"tier": "gold"})


@pytest.mark.anyio
async def test_static_and_context_params_win_over_client_context(
    streams: ModuleType,
) -> None:
    options = streams.StreamsClient.ClientContext(tier="gold")
    sent = await _call(
        streams, "describe_stream", {"stream_arn": STREAM_ARN}, client_context=options
    )
    assert sent.requests[0].url.host.startswith("123456789012.control-streams.")


@pytest.mark.anyio
async def test_account_id_comes_from_credentials_that_carry_one(
    streams: ModuleType, monkeypatch: pytest.MonkeyPatch
) -> None:
    with_account = Credentials("AKIDEXAMPLE", "secret", account_id="111122223333")
    sent = await _call(streams, "get_health", {}, credentials=with_account)
    assert sent.requests[0].url.host == (
        "111122223333.account.streams.us-west-2.amazonaws.com"
    )
    # account_id_endpoint_mode "disabled" (option or environment) leaves it out.
    sent = await _call(
        streams,
        "get_health",
        {},
        credentials=with_account,
        account_id_endpoint_mode="disabled",
    )
    assert sent.requests[0].url.host == "streams.us-west-2.amazonaws.com"
    monkeypatch.setenv("AWS_ACCOUNT_ID_ENDPOINT_MODE", "disabled")
    sent = await _call(streams, "get_health", {}, credentials=with_account)
    assert sent.requests[0].url.host == "streams.us-west-2.amazonaws.com"


def test_account_id_endpoint_mode_is_checked(streams: ModuleType) -> None:
    with pytest.raises(ConfigurationError, match="preferred, disabled, required"):
        streams.StreamsClient(region="us-east-1", account_id_endpoint_mode="sometimes")


@pytest.mark.anyio
async def test_endpoint_url_goes_to_the_rules_as_sdk_endpoint(
    streams: ModuleType,
) -> None:
    sent = await _call(
        streams,
        "describe_stream",
        {"stream_arn": STREAM_ARN},
        endpoint_url="http://localhost:4566",
    )
    request = sent.requests[0]
    assert (request.url.scheme, request.url.host, request.url.port) == (
        "http",
        "localhost",
        4566,
    )
    assert sent.scope() == "us-west-2/streams"


@pytest.mark.anyio
async def test_account_id_comes_from_the_credential_chain(
    streams: ModuleType, monkeypatch: pytest.MonkeyPatch
) -> None:
    """botocore's environment provider reads AWS_ACCOUNT_ID with the key pair."""
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "AKIDEXAMPLE")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "secret")
    monkeypatch.setenv("AWS_ACCOUNT_ID", "444455556666")
    sent = await _call(streams, "get_health", {}, credentials=None)
    assert sent.requests[0].url.host == (
        "444455556666.account.streams.us-west-2.amazonaws.com"
    )
