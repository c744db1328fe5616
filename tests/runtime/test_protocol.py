"""awsJson 1.0/1.1 on the wire, through the client and httpx.MockTransport.

Spec: aws-json-1_1-protocol.rst, aws_protocols_aws-json-1_0-protocol.rst and
the shared aws-json.rst.template ("Protocol behavior", "Operation error
serialization").
"""

from __future__ import annotations

import gzip
import json
from collections.abc import Callable
from typing import Any

import attrs
import httpx
import pytest
from smithygen_runtime import (
    ConfigurationError,
    OperationSpec,
    ResponseParseError,
    ValidationError,
)

from tests.runtime.conftest import Recorder, json_response
from tests.runtime.demo_service import (
    ACCESS_KEY,
    CREDENTIALS,
    GET_THING_AT_NAME,
    GET_THING_PREFIXED,
    DemoClient,
    DemoJson10Client,
    GetThingInput,
    GetThingOutput,
    InternalServerError,
    ThingLocked,
    ThingNotFound,
    UnknownDemoError,
)

pytestmark = pytest.mark.anyio
MakeClient = Callable[..., DemoClient]


async def test_request_is_a_signed_json_post(make_client: MakeClient) -> None:
    recorder = Recorder(json_response(200, {"Items": ["a", "b"], "NextToken": "t"}))
    async with make_client(recorder) as client:
        result = await client.get_thing(name="x", max_results=5)

    assert result == GetThingOutput(items=["a", "b"], next_token="t")
    (request,) = recorder.requests
    assert request.method == "POST"
    assert request.url.host == "demo.example.com"
    assert request.url.raw_path == b"/"
    assert request.headers["X-Amz-Target"] == "DemoService.GetThing"
    assert request.headers["Content-Type"] == "application/x-amz-json-1.1"
    # json.dumps' default layout, byte for byte what botocore sends.
    assert request.content == b'{"Name": "x", "MaxResults": 5}'
    authorization = request.headers["Authorization"]
    assert (
        authorization.startswith(f"AWS4-HMAC-SHA256 Credential={ACCESS_KEY}/")
        and "/us-east-1/demo/aws4_request" in authorization
    )
    signed = authorization.split("SignedHeaders=")[1].split(",")[0].split(";")
    for header in (
        "content-type",
        "host",
        "x-amz-date",
        "x-amz-target",
        "x-amz-security-token",
    ):
        assert header in signed
    # httpx's own headers stay out of the signature (proxies may rewrite them).
    assert "content-length" not in signed and "accept-encoding" not in signed
    assert "amz-sdk-invocation-id" not in signed and "amz-sdk-request" not in signed


async def test_empty_input_serializes_as_empty_object(make_client: MakeClient) -> None:
    recorder = Recorder(json_response(200, {}))
    async with make_client(recorder) as client:
        await client.get_thing()
    assert recorder.requests[0].content == b"{}"


async def test_json_1_0_content_type() -> None:
    recorder = Recorder(json_response(200, {}))
    client = DemoJson10Client(
        region="us-east-1",
        endpoint_url="https://demo.example.com",
        credentials=CREDENTIALS,
        http_client=httpx.AsyncClient(transport=httpx.MockTransport(recorder)),
    )
    async with client:
        await client.get_thing()
    assert recorder.requests[0].headers["Content-Type"] == "application/x-amz-json-1.0"


async def test_endpoint_path_is_kept(make_client: MakeClient) -> None:
    recorder = Recorder(json_response(200, {}))
    async with make_client(
        recorder, endpoint_url="http://127.0.0.1:4566/ssm"
    ) as client:
        await client.get_thing()
    # The endpoint's path is a base; the operation path "/" follows it
    # (http-protocol-compliance-tests.rst, case AwsJson11HostWithPath).
    assert recorder.requests[0].url.raw_path == b"/ssm/"


async def test_host_prefix_is_applied_and_its_labels_validated(
    make_client: MakeClient,
) -> None:
    recorder = Recorder(json_response(200, {}))
    async with make_client(recorder) as client:
        await client._invoke(GET_THING_PREFIXED, GetThingInput(name="abc"))
        assert recorder.requests[0].url.host == "abc.data.demo.example.com"
        with pytest.raises(ValidationError) as info:
            await client._invoke(GET_THING_PREFIXED, GetThingInput(name="a.b"))
    assert info.value.path == "Name" and info.value.rule == "hostLabel"
    assert len(recorder.requests) == 1


async def test_endpoint_from_input_overrides_the_client_endpoint(
    make_client: MakeClient,
) -> None:
    recorder = Recorder(json_response(200, {}))
    async with make_client(recorder) as client:
        await client._invoke(
            GET_THING_AT_NAME, GetThingInput(name="https://custom.example.com/ml")
        )
        # Absent: the client's own endpoint.
        await client._invoke(GET_THING_AT_NAME, GetThingInput())
        for bad in ("not a url", "ftp://custom.example.com/", "https://"):
            with pytest.raises(ValidationError) as info:
                await client._invoke(GET_THING_AT_NAME, GetThingInput(name=bad))
            assert info.value.rule == "url"
    first, second = recorder.requests
    assert (first.url.host, first.url.raw_path) == ("custom.example.com", b"/ml/")
    assert second.url.host == "demo.example.com"
    # Signed for the host it went to (SigV4 covers the host header).
    assert first.headers["host"] == "custom.example.com"
    assert "host" in first.headers["authorization"].split("SignedHeaders=")[1]


@pytest.mark.parametrize("body", [b"", b"null", b"  ", b"{}"])
async def test_empty_or_null_success_body_reads_as_empty_object(
    make_client: MakeClient, body: bytes
) -> None:
    async with make_client(Recorder(httpx.Response(200, content=body))) as client:
        assert await client.get_thing() == GetThingOutput(items=[])


async def test_unknown_members_are_ignored(make_client: MakeClient) -> None:
    response = json_response(200, {"Items": ["a"], "Brand": {"New": 1}})
    async with make_client(Recorder(response)) as client:
        assert await client.get_thing() == GetThingOutput(items=["a"])


@pytest.mark.parametrize(
    ("content", "fragment"),
    [
        (b'{"Items": ["a"', "not valid JSON"),
        (b"<html>oops</html>", "not valid JSON"),
        (b"[1, 2]", "got a JSON array"),
        (b'"text"', "got a JSON string"),
        (b"\xff\xfe", "not valid JSON"),
        (b'{"Items": "not-a-list"}', "does not have the modeled shape"),
        (b'{"Items": [1, 2]}', "does not have the modeled shape"),
        (b"[" * 100_000, "not valid JSON"),  # deeper than the recursion limit
    ],
)
async def test_unreadable_success_bodies_raise_response_parse_error(
    make_client: MakeClient, content: bytes, fragment: str
) -> None:
    recorder = Recorder(httpx.Response(200, content=content))
    async with make_client(recorder) as client:
        with pytest.raises(ResponseParseError, match=fragment):
            await client.get_thing()
    assert len(recorder.requests) == 1  # a 200 that cannot be read is not retried


# aws-json.rst.template, "Operation error serialization": the type may come in
# X-Amzn-Errortype, a body "code" or a body "__type"; anything before a '#' and
# after a ':' is dropped. Where several are present "__type" wins, then the
# header, then "code" (botocore's JSON parser reads "__type" only).
ERROR_CODE_CASES = [
    ({"x-amzn-errortype": "ThingNotFound"}, {}, "ThingNotFound"),
    (
        {"x-amzn-errortype": "ThingNotFound:http://internal.amazon.com/"},
        {},
        "ThingNotFound",
    ),
    ({"x-amzn-errortype": "aws.demo#ThingNotFound:http://x/"}, {}, "ThingNotFound"),
    ({}, {"code": "ThingNotFound"}, "ThingNotFound"),
    ({}, {"__type": "ThingNotFound"}, "ThingNotFound"),
    ({}, {"__type": "com.amazonaws.demo#ThingNotFound"}, "ThingNotFound"),
    ({}, {"__type": "com.amazonaws.demo#ThingNotFound:http://x/"}, "ThingNotFound"),
    ({}, {"__type": "ThingNotFound", "code": "Other"}, "ThingNotFound"),
    ({"x-amzn-errortype": "Other"}, {"__type": "ThingNotFound"}, "ThingNotFound"),
    ({"x-amzn-errortype": "ThingNotFound"}, {"code": "Other"}, "ThingNotFound"),
]


@pytest.mark.parametrize(("headers", "body", "code"), ERROR_CODE_CASES)
async def test_error_code_variants(
    make_client: MakeClient, headers: dict[str, str], body: dict[str, Any], code: str
) -> None:
    body = {**body, "message": "no such thing"}
    headers = {**headers, "x-amzn-RequestId": "req-1"}
    async with make_client(Recorder(json_response(400, body, headers))) as client:
        with pytest.raises(ThingNotFound) as info:
            await client.get_thing(name="x")
    error = info.value
    assert (error.code, error.message, error.status_code, error.request_id) == (
        code,
        "no such thing",
        400,
        "req-1",
    )
    assert error.fault == "client" and not error.retryable


async def test_message_may_be_capitalised(make_client: MakeClient) -> None:
    response = json_response(400, {"__type": "ThingNotFound", "Message": "gone"})
    async with make_client(Recorder(response)) as client:
        with pytest.raises(ThingNotFound, match="gone"):
            await client.get_thing()


async def test_service_level_error_is_mapped_when_the_operation_does_not_list_it(
    make_client: MakeClient,
) -> None:
    response = json_response(500, {"__type": "InternalServerError", "message": "boom"})
    async with make_client(Recorder(response), max_attempts=1) as client:
        with pytest.raises(InternalServerError) as info:
            await client.get_thing()
    assert info.value.fault == "server"


async def test_unknown_code_keeps_the_code(make_client: MakeClient) -> None:
    response = json_response(400, {"__type": "prefix#BrandNewError", "message": "new"})
    async with make_client(Recorder(response)) as client:
        with pytest.raises(UnknownDemoError) as info:
            await client.get_thing()
    assert info.value.code == "BrandNewError"
    assert info.value.fault == "client"
    assert "BrandNewError: new" in str(info.value)


async def test_modeled_error_members_are_read(make_client: MakeClient) -> None:
    response = json_response(400, {"__type": "ThingLocked", "LockOwner": "bob"})
    async with make_client(Recorder(response)) as client:
        with pytest.raises(ThingLocked) as info:
            await client.get_thing()
    assert info.value.lock_owner == "bob"


async def test_modeled_error_with_wrong_member_shape_is_a_parse_error(
    make_client: MakeClient,
) -> None:
    response = json_response(400, {"__type": "ThingLocked", "LockOwner": 7})
    async with make_client(Recorder(response)) as client:
        with pytest.raises(ResponseParseError, match="ThingLocked"):
            await client.get_thing()


@pytest.mark.parametrize(
    "content",
    [b"<html><body>Bad Gateway</body></html>", b"", b"[1]", b'{"trunc', b"[" * 100_000],
)
async def test_error_status_with_unreadable_body_uses_the_status(
    make_client: MakeClient, content: bytes
) -> None:
    async with make_client(Recorder(httpx.Response(403, content=content))) as client:
        with pytest.raises(UnknownDemoError) as info:
            await client.get_thing()
    assert info.value.code == "403"
    assert info.value.status_code == 403
    assert "Forbidden" in info.value.message


async def test_validation_runs_before_anything_is_sent(make_client: MakeClient) -> None:
    recorder = Recorder(json_response(200, {}))
    async with make_client(recorder) as client:
        with pytest.raises(ValidationError) as info:
            await client.get_thing(max_results=500)
    assert (info.value.path, info.value.rule) == ("MaxResults", "range")
    assert "MaxResults" in str(info.value) and "range" in str(info.value)
    assert isinstance(info.value, ValueError)
    assert recorder.requests == []


async def test_validation_can_be_switched_off(make_client: MakeClient) -> None:
    recorder = Recorder(json_response(200, {}))
    async with make_client(recorder, validate=False) as client:
        await client.get_thing(max_results=500)
    assert json.loads(recorder.requests[0].content) == {"MaxResults": 500}


async def test_invoke_for_waiter_returns_errors_instead_of_raising(
    make_client: MakeClient,
) -> None:
    from tests.runtime.demo_service import GET_THING

    recorder = Recorder(
        json_response(200, {"Items": ["a"]}),
        json_response(400, {"__type": "ThingNotFound"}),
    )
    async with make_client(recorder) as client:
        ok = await client._invoke_for_waiter(GET_THING, GetThingInput())
        failed = await client._invoke_for_waiter(GET_THING, GetThingInput())
    assert ok == (GetThingOutput(items=["a"]), {"Items": ["a"]}, None)
    assert failed[:2] == (None, None) and isinstance(failed[2], ThingNotFound)


async def test_unencodable_input_with_validation_off_is_a_validation_error(
    make_client: MakeClient,
) -> None:
    recorder = Recorder(json_response(200, {}))
    async with make_client(recorder, validate=False) as client:
        with pytest.raises(ValidationError, match="JSON"):
            await client.get_thing(name=object())  # type: ignore[arg-type]
        with pytest.raises(ValidationError, match="JSON"):
            await client.get_thing(max_results=float("nan"))  # type: ignore[arg-type]
    assert recorder.requests == []


async def test_serializer_failure_is_a_validation_error(
    make_client: MakeClient,
) -> None:
    def broken(value: GetThingInput) -> dict[str, Any]:
        return {"Name": value.name.upper()}  # type: ignore[union-attr]

    operation: OperationSpec[GetThingInput, GetThingOutput] = OperationSpec(
        name="GetThing",
        serialize=broken,
        deserialize=lambda body: GetThingOutput(items=[]),
        validate=None,
        errors={},
    )
    recorder = Recorder(json_response(200, {}))
    async with make_client(recorder) as client:
        with pytest.raises(ValidationError, match="AttributeError"):
            await client._invoke(operation, GetThingInput())
    assert recorder.requests == []


def _compressed_operation() -> OperationSpec[GetThingInput, GetThingOutput]:
    from tests.runtime.demo_service import GET_THING

    return attrs.evolve(GET_THING, request_compression=("gzip",))


async def test_request_compression_gzips_large_bodies(make_client: MakeClient) -> None:
    recorder = Recorder(json_response(200, {}))
    operation = _compressed_operation()
    async with make_client(recorder) as client:
        await client._invoke(operation, GetThingInput(name="x" * 20_000))
        await client._invoke(operation, GetThingInput(name="small"))
    big, small = recorder.requests
    assert big.headers["Content-Encoding"] == "gzip"
    assert json.loads(gzip.decompress(big.content)) == {"Name": "x" * 20_000}
    # The signature covers the compressed bytes that were sent.
    assert "content-encoding" in big.headers["Authorization"]
    assert "Content-Encoding" not in small.headers
    assert json.loads(small.content) == {"Name": "small"}


async def test_request_compression_settings_from_environment(
    make_client: MakeClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    recorder = Recorder(json_response(200, {}))
    operation = _compressed_operation()
    monkeypatch.setenv("AWS_REQUEST_MIN_COMPRESSION_SIZE_BYTES", "0")
    async with make_client(recorder) as client:
        await client._invoke(operation, GetThingInput())
    monkeypatch.setenv("AWS_DISABLE_REQUEST_COMPRESSION", "true")
    async with make_client(recorder) as client:
        await client._invoke(operation, GetThingInput(name="x" * 20_000))
    assert recorder.requests[0].headers["Content-Encoding"] == "gzip"
    assert "Content-Encoding" not in recorder.requests[1].headers
    monkeypatch.delenv("AWS_DISABLE_REQUEST_COMPRESSION")
    monkeypatch.setenv("AWS_REQUEST_MIN_COMPRESSION_SIZE_BYTES", "-1")
    with pytest.raises(ConfigurationError, match="COMPRESSION_SIZE"):
        make_client(recorder)
