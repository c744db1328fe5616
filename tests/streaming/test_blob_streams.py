"""Streaming blobs through the pipeline, over the loopback server (issue 14 item 2).

Inputs are sent as they are read (bytes, a file read off the loop, an async
iterable) and signed as botocore signs them: the payload's SHA-256, or
UNSIGNED-PAYLOAD over https for an operation with aws.auth#unsignedPayload
(botocore.auth.SigV4Auth.payload). Outputs are a ByteStream that is never
read whole and gives its connection back when closed or exhausted.
"""

from __future__ import annotations

import hashlib
import io
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from smithygen_runtime import ByteStream, RetryConfig, TransportError, ValidationError
from smithygen_runtime._client_protocol import PROTOCOL_MODULES
from smithygen_runtime._streaming import UNSIGNED_PAYLOAD, BlobBody

from tests.reliability.sigv4 import expected_signature, signature_of
from tests.runtime.demo_service import CREDENTIALS
from tests.streaming.streaming_service import BlobClient
from tests.support.loopback_server import (
    Drip,
    LoopbackServer,
    Reply,
    Reset,
)

pytestmark = pytest.mark.anyio

# Retries in tests wait milliseconds, not seconds.
FAST_RETRY = RetryConfig(base_delay=0.001, max_backoff=0.01)


@pytest.fixture(autouse=True)
def _test_blob_protocol(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(
        PROTOCOL_MODULES,
        "testBlob",
        "tests.streaming.streaming_service",
    )


def blob_client(url: str, **options: Any) -> BlobClient:
    options.setdefault("region", "us-east-1")
    options.setdefault("credentials", CREDENTIALS)
    return BlobClient(endpoint_url=url, **options)


async def chunks(*parts: bytes) -> AsyncIterator[bytes]:
    for part in parts:
        yield part


def payload_hash_signed(server: LoopbackServer) -> str:
    """The signature botocore computes for the recorded request, checked against ours."""
    request = server.requests[-1]
    assert signature_of(request) == expected_signature(request, CREDENTIALS)
    return signature_of(request)


async def test_bytes_body_is_sent_with_its_length_and_signed_with_its_hash(
    server: LoopbackServer,
) -> None:
    server.push(Reply(200, b"ok"))
    async with blob_client(server.url) as client:
        output = await client.put_blob(body=b"hello blob")
        assert output.body is not None
        await output.body.aclose()
    request = server.requests[0]
    assert request.body == b"hello blob"
    assert request.headers["content-length"] == "10"
    # botocore signs the same bytes to the same signature (payload hash in it).
    payload_hash_signed(server)


async def test_file_body_is_read_off_the_loop_and_sent_whole(
    server: LoopbackServer, tmp_path: Path
) -> None:
    data = bytes(range(256)) * 1000  # several reads of the file
    path = tmp_path / "blob.bin"
    path.write_bytes(b"skipped" + data)
    server.push(Reply(200, b""))
    async with blob_client(server.url) as client:
        with path.open("rb") as file:
            file.seek(7)  # sent from where the file stands, as botocore does
            output = await client.put_blob(body=file)
            assert output.body is not None
            await output.body.aclose()
    request = server.requests[0]
    assert request.body == data
    assert request.headers["content-length"] == str(len(data))
    payload_hash_signed(server)


async def test_async_iterable_body_is_sent_chunked_as_it_comes(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # One-pass streams cannot be hashed before sending: over https with an
    # unsigned-payload operation they are signed as UNSIGNED-PAYLOAD.
    seen: list[httpx.Request] = []
    bodies: list[bytes] = []

    async def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        bodies.append(b"".join([part async for part in request.stream]))  # type: ignore[union-attr]
        return httpx.Response(200, content=b"")

    transport = httpx.MockTransport(handler)
    async with (
        httpx.AsyncClient(transport=transport) as http,
        blob_client("https://blob.example", http_client=http) as client,
    ):
        output = await client.put_blob(
            body=chunks(b"one ", b"two ", b"three"), unsigned=True
        )
        assert output.body is not None
        await output.body.aclose()
    assert bodies == [b"one two three"]
    assert seen[0].headers.get("transfer-encoding") == "chunked"
    assert "content-length" not in seen[0].headers


async def test_a_one_pass_stream_that_needs_a_payload_hash_is_refused_by_name(
    server: LoopbackServer,
) -> None:
    # Over http botocore always hashes the payload, which a one-pass stream
    # cannot give before it is sent.
    async with blob_client(server.url) as client:
        with pytest.raises(ValidationError, match="seekable binary file") as caught:
            await client.put_blob(body=chunks(b"x"), unsigned=True)
    assert caught.value.path == "body"
    assert server.request_count == 0


@pytest.mark.parametrize(
    ("url", "unsigned", "expected"),
    [
        ("https://blob.example", True, UNSIGNED_PAYLOAD),
        ("https://blob.example", False, hashlib.sha256(b"abc").hexdigest()),
        ("http://blob.example", True, hashlib.sha256(b"abc").hexdigest()),
    ],
)
async def test_payload_hash_follows_botocore_unsigned_payload_rule(
    url: str, unsigned: bool, expected: str
) -> None:
    canonical: list[str] = []

    async def handler(request: httpx.Request) -> httpx.Response:
        await request.aread()
        return httpx.Response(200)

    from smithygen_runtime import _signing

    original = _signing.SigV4Signer.sign

    def recording_sign(self: Any, *args: Any, **kwargs: Any) -> Any:
        result = original(self, *args, **kwargs)
        canonical.append(result.canonical_request)
        return result

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(_signing.SigV4Signer, "sign", recording_sign)
        transport = httpx.MockTransport(handler)
        async with (
            httpx.AsyncClient(transport=transport) as http,
            blob_client(url, http_client=http) as client,
        ):
            output = await client.put_blob(body=b"abc", unsigned=unsigned)
            assert output.body is not None
            await output.body.aclose()
    # The canonical request's last line is the payload hash.
    assert canonical[-1].rsplit("\n", 1)[1] == expected


async def test_anything_else_as_a_body_is_a_validation_error(
    server: LoopbackServer,
) -> None:
    async with blob_client(server.url) as client:
        with pytest.raises(ValidationError, match="not str") as caught:
            await client.put_blob(body="text")  # type: ignore[arg-type]
    assert caught.value.path == "body"
    assert server.request_count == 0


async def test_a_chunk_that_is_not_bytes_is_a_validation_error() -> None:
    body = BlobBody(chunks(b"ok", "text"))  # type: ignore[arg-type]
    with pytest.raises(ValidationError, match="chunks must be bytes"):
        _ = [chunk async for chunk in body.open()]


async def test_a_replayable_body_is_resent_on_a_retry(server: LoopbackServer) -> None:
    server.push(Reply(500, b"boom"), Reply(200, b""))
    async with blob_client(server.url, retry=FAST_RETRY) as client:
        output = await client.put_blob(body=io.BytesIO(b"again"))
        assert output.body is not None
        await output.body.aclose()
    assert [r.body for r in server.requests] == [b"again", b"again"]


async def test_a_one_pass_body_is_not_retried(server: LoopbackServer) -> None:
    # The stream was consumed by the first attempt: nothing to send again.
    server.push(Reply(500, b"boom"), Reply(200, b""))
    async with blob_client(server.url, retry=FAST_RETRY) as client:
        body = BlobBody(chunks(b"once"))
        body._hash = hashlib.sha256(b"once").hexdigest()  # signed as botocore would
        with pytest.raises(Exception, match="boom"):
            await client.put_blob(body=body)  # type: ignore[arg-type]
    assert server.request_count == 1


# --- output -----------------------------------------------------------------


async def test_output_is_read_in_chunks_as_it_arrives(server: LoopbackServer) -> None:
    server.push(Drip(b"abcdefghij", interval=0.001, step=3))
    async with blob_client(server.url) as client:
        output = await client.put_blob(body=b"")
        stream = output.body
        assert isinstance(stream, ByteStream)
        assert stream.content_length == 10
        assert await stream.read(4) == b"abcd"
        received = [chunk async for chunk in stream]
        assert b"".join(received) == b"efghij"
        assert stream.closed  # exhausted: the response is closed


async def test_read_gives_the_rest_and_then_empty(server: LoopbackServer) -> None:
    server.push(Reply(200, b"x" * 100_000))
    async with blob_client(server.url) as client:
        output = await client.put_blob(body=b"")
        assert output.body is not None
        async with output.body as stream:
            assert len(await stream.read()) == 100_000
            assert await stream.read() == b""
            assert await stream.read(5) == b""


async def test_an_exhausted_stream_returns_its_connection_for_reuse(
    server: LoopbackServer,
) -> None:
    server.push(Reply(200, b"first"), Reply(200, b"second"))
    async with blob_client(server.url, max_connections=1) as client:
        first = await client.put_blob(body=b"")
        assert first.body is not None
        assert await first.body.read() == b"first"
        second = await client.put_blob(body=b"")
        assert second.body is not None
        assert await second.body.read() == b"second"
    assert server.opened == 1  # the same connection served both calls


async def test_a_stream_closed_early_frees_the_pool_slot(
    server: LoopbackServer,
) -> None:
    server.push(Reply(200, b"y" * 1_000_000), Reply(200, b"next"))
    async with blob_client(server.url, max_connections=1, timeout=5) as client:
        first = await client.put_blob(body=b"")
        assert first.body is not None
        async with first.body as stream:
            assert len(await stream.read(10)) == 10
        assert stream.closed
        # With one connection allowed, this call waits forever if the slot leaked.
        second = await client.put_blob(body=b"")
        assert second.body is not None
        assert await second.body.read() == b"next"


async def test_a_body_cut_mid_stream_is_a_transport_error_and_closes(
    server: LoopbackServer,
) -> None:
    server.push(Reset(b"HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\n" + b"z" * 100))
    async with blob_client(server.url, max_attempts=1) as client:
        output = await client.put_blob(body=b"")
        assert output.body is not None
        with pytest.raises(TransportError) as caught:
            await output.body.read()
        assert not caught.value.retryable
        assert output.body.closed


async def test_an_error_status_is_read_whole_and_raised(
    server: LoopbackServer,
) -> None:
    server.push(Reply(404, b"no such blob"))
    async with blob_client(server.url, max_attempts=1) as client:
        with pytest.raises(Exception, match="no such blob"):
            await client.put_blob(body=b"")
    assert server.open_now <= 1
