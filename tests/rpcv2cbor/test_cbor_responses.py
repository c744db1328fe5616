"""rpcv2Cbor responses that are broken, hostile or not rpcv2Cbor at all.

Spec (additional-specs_protocols_smithy-rpc-v2-cbor.rst, "Operation response
deserialization"): a response without the request's ``Smithy-Protocol``
header is malformed and handled on its status alone; ``Code``/``code`` and
``X-Amzn-ErrorType`` never name the error; CBOR ``undefined`` reads as null.
Whatever arrives, the caller gets a typed error, never a traceback of the
decoder, and no tag makes the client run a parser on the server's data.
"""

from __future__ import annotations

from types import ModuleType
from typing import Any

import cbor2
import httpx
import pytest
from smithygen_runtime import ResponseParseError

from tests.support.generated_client import client_on_mock_transport

RPC = {"smithy-protocol": "rpc-v2-cbor", "content-type": "application/cbor"}


async def _call(
    dual: ModuleType, status: int, headers: dict[str, str], content: bytes
) -> Any:
    """The output of put_metric against that response, or the exception it raised."""

    def answer(request: httpx.Request) -> httpx.Response:
        return httpx.Response(status, headers=headers, content=content)

    client, http = client_on_mock_transport(
        dual.client.DualClient, answer, "https://dual.example", protocol="rpcv2Cbor"
    )
    try:
        async with client:
            return await client.put_metric(name="cpu")
    except Exception as exc:
        return exc
    finally:
        await http.aclose()


@pytest.mark.anyio
async def test_undefined_reads_as_null(dual: ModuleType) -> None:
    content = cbor2.dumps({"Name": cbor2.undefined, "Values": [1.0]})
    result = await _call(dual, 200, RPC, content)
    assert result.name is None
    assert result.values == [1.0]


@pytest.mark.anyio
async def test_a_success_without_the_protocol_header_is_malformed(
    dual: ModuleType,
) -> None:
    content = cbor2.dumps({"Name": "cpu"})
    error = await _call(dual, 200, {"content-type": "application/cbor"}, content)
    assert isinstance(error, ResponseParseError)
    assert "smithy-protocol" in str(error)
    assert error.status_code == 200


@pytest.mark.anyio
async def test_an_error_without_the_protocol_header_is_judged_by_its_status(
    dual: ModuleType,
) -> None:
    """A proxy's 502 page: neither body nor headers are interpreted."""
    headers = {"x-amzn-query-error": "LimitExceeded;Sender"}
    content = cbor2.dumps({"__type": "example.dual#MetricLimitExceeded"})
    error = await _call(dual, 502, headers, content)
    assert type(error) is dual.errors.UnknownDualError
    assert error.code == "502"
    assert error.fault == "server"


@pytest.mark.anyio
async def test_code_members_and_the_errortype_header_never_name_the_error(
    dual: ModuleType,
) -> None:
    headers = {**RPC, "x-amzn-errortype": "MetricLimitExceeded"}
    content = cbor2.dumps({"code": "MetricLimitExceeded", "Code": "X", "message": "m"})
    error = await _call(dual, 400, headers, content)
    assert type(error) is dual.errors.UnknownDualError
    assert error.code == "400"
    assert error.message == "m"


@pytest.mark.anyio
async def test_a_common_aws_error_is_typed(dual: ModuleType) -> None:
    content = cbor2.dumps({"__type": "com.amazon.coral#ThrottlingException"})
    error = await _call(dual, 400, RPC, content)
    assert type(error) is dual.errors.ThrottlingException
    assert error.retryable is True


@pytest.mark.anyio
@pytest.mark.parametrize(
    ("content", "problem"),
    [
        (b"\xbf\x64Name", "not valid CBOR"),  # truncated
        (b"\x81" * 5000 + b"\x00", "not valid CBOR"),  # nested past the limit
        (cbor2.dumps(["a"]), "should be a CBOR map"),
        (cbor2.dumps({"Name": 5}), "Name"),
        (cbor2.dumps({"Stamp": "2024-01-01"}), "Stamp"),
    ],
)
async def test_a_broken_body_is_a_response_parse_error(
    dual: ModuleType, content: bytes, problem: str
) -> None:
    error = await _call(dual, 200, RPC, content)
    assert isinstance(error, ResponseParseError), error
    assert problem in str(error)
    assert error.status_code == 200


@pytest.mark.anyio
@pytest.mark.parametrize(
    "tagged",
    [
        cbor2.CBORTag(35, "(a+)+$"),  # a regular expression cbor2 would compile
        cbor2.CBORTag(36, "Content-Type: text/plain\n\nhi"),  # a MIME message
        cbor2.CBORTag(258, ["a"]),  # a set
        cbor2.CBORTag(29, 0),  # a shared reference (cyclic structures)
    ],
)
async def test_tags_beyond_rpcv2cbors_stay_inert(
    dual: ModuleType, tagged: cbor2.CBORTag
) -> None:
    """Only tags 1-4 are decoded; any other arrives as a value of the wrong type."""
    content = cbor2.dumps({"Name": tagged})
    error = await _call(dual, 200, RPC, content)
    assert isinstance(error, ResponseParseError), error
    assert "Name" in str(error)


@pytest.mark.anyio
async def test_bignums_and_decimal_fractions_decode(dual: ModuleType) -> None:
    """Tags 2 and 4 keep cbor2's decoders (bigInteger, bigDecimal members)."""
    from smithygen_runtime._rpcv2_cbor import decode_body

    decoded = decode_body(
        cbor2.dumps({"big": 2**80, "dec": cbor2.CBORTag(4, [-2, 15])})
    )
    assert decoded["big"] == 2**80
    assert str(decoded["dec"]) == "0.15"
