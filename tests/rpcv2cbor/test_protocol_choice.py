"""A service offering awsJson1_0 and rpcv2Cbor: botocore's default, the user's choice.

The model lists rpcv2Cbor first; botocore picks by its own order
(``botocore.utils.PRIORITY_ORDERED_SUPPORTED_PROTOCOLS``: json before
smithy-rpc-v2-cbor), so the client speaks awsJson1_0 unless built with
``protocol="rpcv2Cbor"``. Both write the same input and read the same output
and errors; the service is @awsQueryCompatible, so both send
``x-amzn-query-mode`` (signed) and take the error code from
``x-amzn-query-error``.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Callable
from datetime import UTC, datetime
from types import ModuleType
from typing import Any

import botocore.utils
import cbor2
import httpx
import pytest
from smithygen.emit.context import BOTOCORE_PROTOCOL_ORDER
from smithygen_runtime import ConfigurationError

from tests.support.generated_client import client_on_mock_transport

STAMP = datetime(2024, 6, 1, 12, 30, 15, 250000, tzinfo=UTC)
EPOCH_SECONDS = STAMP.timestamp()

Handler = Callable[[httpx.Request], httpx.Response]


def _client(dual: ModuleType, handler: Handler, **options: Any) -> tuple[Any, Any]:
    return client_on_mock_transport(
        dual.client.DualClient, handler, "https://dual.example/base", **options
    )


async def _put_metric(
    dual: ModuleType, handler: Handler, **options: Any
) -> tuple[Any, list[httpx.Request]]:
    seen: list[httpx.Request] = []

    def record(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return handler(request)

    client, http = _client(dual, record, **options)
    try:
        async with client:
            result = await client.put_metric(
                name="cpu",
                value=float("nan"),
                stamp=STAMP,
                logged=STAMP,
                payload=b"\x00\xff",
                tags={"k": "v"},
                values=[1.5, float("inf")],
            )
    finally:
        await http.aclose()
    return result, seen


def test_the_service_lists_both_protocols_json_first(dual: ModuleType) -> None:
    spec = dual.client.DualClient._service
    assert spec.protocol == "awsJson1_0"
    assert spec.protocols == ("awsJson1_0", "rpcv2Cbor")
    assert spec.query_compatible is True


def test_our_order_of_protocols_is_botocores() -> None:
    """The generator's order must follow botocore's, which decides the default."""
    botocore_names = {
        "json": ("awsJson1_0", "awsJson1_1"),
        "rest-json": ("restJson1",),
        "rest-xml": ("restXml",),
        "smithy-rpc-v2-cbor": ("rpcv2Cbor",),
        "query": ("awsQuery",),
        "ec2": ("ec2Query",),
    }
    expected = tuple(
        name
        for protocol in botocore.utils.PRIORITY_ORDERED_SUPPORTED_PROTOCOLS
        for name in botocore_names[protocol]
    )
    assert expected == BOTOCORE_PROTOCOL_ORDER


@pytest.mark.anyio
async def test_by_default_the_client_speaks_awsjson10(dual: ModuleType) -> None:
    def answer(request: httpx.Request) -> httpx.Response:
        body = {
            "Name": "cpu",
            "Value": "NaN",
            "Stamp": EPOCH_SECONDS,
            "Payload": "AP8=",
            "Values": [1.5, "Infinity"],
        }
        return httpx.Response(200, json=body)

    result, (request,) = await _put_metric(dual, answer)
    assert request.url.path == "/base/"
    assert request.headers["content-type"] == "application/x-amz-json-1.0"
    assert request.headers["x-amz-target"] == "DualService.PutMetric"
    assert "smithy-protocol" not in request.headers
    sent = json.loads(request.content)
    assert sent["Payload"] == base64.b64encode(b"\x00\xff").decode()
    assert sent["Stamp"] == EPOCH_SECONDS
    assert sent["Logged"] == "2024-06-01T12:30:15.25Z"  # @timestampFormat applies
    assert sent["Value"] == "NaN"
    assert sent["Values"] == [1.5, "Infinity"]
    _check_output(result)


@pytest.mark.anyio
async def test_protocol_rpcv2cbor_sends_cbor_to_the_operation_path(
    dual: ModuleType,
) -> None:
    def answer(request: httpx.Request) -> httpx.Response:
        body = {
            "Name": "cpu",
            "Value": float("nan"),
            "Stamp": STAMP,
            "Payload": b"\x00\xff",
            "Values": [1.5, float("inf")],
        }
        content = cbor2.dumps(body, datetime_as_timestamp=True)
        headers = {"smithy-protocol": "rpc-v2-cbor", "content-type": "application/cbor"}
        return httpx.Response(200, headers=headers, content=content)

    result, (request,) = await _put_metric(dual, answer, protocol="rpcv2Cbor")
    # After the endpoint's own path (the spec's {prefix?}).
    assert request.url.path == "/base/service/DualService/operation/PutMetric"
    assert request.headers["smithy-protocol"] == "rpc-v2-cbor"
    assert request.headers["accept"] == "application/cbor"
    assert request.headers["content-type"] == "application/cbor"
    assert "x-amz-target" not in request.headers
    sent = cbor2.loads(request.content)
    assert sent["Payload"] == b"\x00\xff"  # a byte string, not base64 text
    # Tag 1 for both: rpcv2Cbor ignores @timestampFormat.
    assert sent["Stamp"] == STAMP
    assert sent["Logged"] == STAMP
    assert request.content.count(b"\xc1") == 2
    assert sent["Value"] != sent["Value"]  # NaN as a CBOR float
    assert sent["Values"] == [1.5, float("inf")]
    _check_output(result)


def _check_output(result: Any) -> None:
    assert result.name == "cpu"
    assert result.value != result.value  # NaN
    assert result.stamp == STAMP
    assert result.payload == b"\x00\xff"
    assert result.values == [1.5, float("inf")]


@pytest.mark.anyio
@pytest.mark.parametrize("protocol", [None, "rpcv2Cbor"])
async def test_both_protocols_send_the_signed_query_mode_header(
    dual: ModuleType, protocol: str | None
) -> None:
    seen: list[httpx.Request] = []

    def answer(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200, headers={"smithy-protocol": "rpc-v2-cbor"})

    client, http = _client(dual, answer, protocol=protocol)
    try:
        async with client:
            await client.ping()
    finally:
        await http.aclose()
    (request,) = seen
    assert request.headers["x-amzn-query-mode"] == "true"
    signed = request.headers["authorization"].split("SignedHeaders=")[1]
    assert "x-amzn-query-mode" in signed.split(",")[0].split(";")


@pytest.mark.anyio
async def test_an_operation_without_input_sends_no_cbor_body(dual: ModuleType) -> None:
    seen: list[httpx.Request] = []

    def answer(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200, headers={"smithy-protocol": "rpc-v2-cbor"})

    client, http = _client(dual, answer, protocol="rpcv2Cbor")
    try:
        async with client:
            assert await client.ping() is None
    finally:
        await http.aclose()
    (request,) = seen
    assert request.content == b""
    assert "content-type" not in request.headers
    assert request.url.path == "/base/service/DualService/operation/Ping"


@pytest.mark.parametrize("protocol", ["awsJson1_1", "restJson1", "json", ""])
def test_a_protocol_the_service_does_not_offer_is_a_configuration_error(
    dual: ModuleType, protocol: str
) -> None:
    with pytest.raises(ConfigurationError) as caught:
        dual.client.DualClient(region="us-east-1", protocol=protocol)
    message = str(caught.value)
    assert repr(protocol) in message
    assert "'awsJson1_0', 'rpcv2Cbor'" in message


async def _error(dual: ModuleType, answer: Handler, **options: Any) -> Any:
    client, http = _client(dual, answer, **options)
    try:
        async with client:
            await client.put_metric(name="cpu")
    except Exception as exc:
        return exc
    finally:
        await http.aclose()
    raise AssertionError("the call should have failed")


@pytest.mark.anyio
@pytest.mark.parametrize("protocol", [None, "rpcv2Cbor"])
async def test_errors_read_the_same_in_both_protocols(
    dual: ModuleType, protocol: str | None
) -> None:
    """The error classes' member readers take JSON and CBOR values alike."""
    if protocol is None:
        content = json.dumps(
            {
                "__type": "example.dual#MetricLimitExceeded",
                "message": "too many",
                "Since": EPOCH_SECONDS,
                "Detail": "AP8=",
            }
        ).encode()
    else:
        content = cbor2.dumps(
            {
                "__type": "example.dual#MetricLimitExceeded",
                "message": "too many",
                "Since": STAMP,
                "Detail": b"\x00\xff",
            },
            datetime_as_timestamp=True,
        )

    def answer(request: httpx.Request) -> httpx.Response:
        headers = {
            "smithy-protocol": "rpc-v2-cbor",
            "x-amzn-query-error": "LimitExceeded;Sender",
            "x-amzn-requestid": "req-1",
        }
        return httpx.Response(400, headers=headers, content=content)

    error = await _error(dual, answer, protocol=protocol)
    assert type(error) is dual.errors.MetricLimitExceeded
    assert error.code == "LimitExceeded"  # the awsQuery code, from the header
    assert error.fault == "client"
    assert error.message == "too many"
    assert error.since == STAMP
    assert error.detail == b"\x00\xff"
    assert error.request_id == "req-1"
