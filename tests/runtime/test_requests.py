"""The requests the runtime builds for its own httpx client (``_requests``).

An in-memory body goes into the request as a ready stream, with the Host and
Content-Length headers httpx's ``Request(content=...)`` would have given it:
these tests hold the two to the same header list, byte for byte and in order.
"""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator

import httpx
import pytest
from smithygen_runtime._loops import HttpClientForLoop
from smithygen_runtime._requests import RequestFactory, invocation_id, request_headers

CASES = [
    # awsJson: a POST with a body, the protocol's and the client's headers.
    (
        "POST",
        "http://127.0.0.1:8123/",
        {"Content-Type": "application/x-amz-json-1.1", "X-Amz-Target": "S.Op"},
        b'{"MaxResults": 50}',
    ),
    ("POST", "http://127.0.0.1:8123/", {"X-Amz-Target": "S.Op"}, b""),  # length 0
    ("PUT", "https://example.com/k", {}, b""),
    ("PATCH", "https://example.com/k", {"a": "b"}, b""),
    ("post", "https://example.com/", {}, b"x"),  # httpx upper-cases the method
    ("GET", "https://example.com/2015-03-31/functions?MaxItems=50", {}, b""),
    ("DELETE", "https://example.com/x", {}, b""),  # no length for an empty DELETE
    ("HEAD", "https://example.com/x", {"Accept": "*/*"}, b""),
    # Headers a binding (@httpHeader) may set: httpx keeps the given ones.
    ("PUT", "https://example.com/k", {"content-length": "5"}, b"hello"),
    ("PUT", "https://example.com/k", {"Content-Length": "9"}, b""),
    ("POST", "https://example.com/", {"Transfer-Encoding": "chunked"}, b""),
    ("POST", "https://example.com/", {"transfer-encoding": "chunked"}, b"abc"),
    ("POST", "https://example.com/", {"HOST": "other.example"}, b"abc"),
    # IPv6, explicit and default ports.
    ("POST", "http://[::1]:8443/p", {}, b"abc"),
    ("POST", "https://example.com:443/p", {}, b"abc"),
    ("POST", "http://example.com:8080/p", {}, b"abc"),
]


@pytest.mark.parametrize(("method", "url", "headers", "body"), CASES)
def test_request_headers_are_those_httpx_gives_a_request_with_content(
    method: str, url: str, headers: dict[str, str], body: bytes
) -> None:
    target = httpx.URL(url)
    ours = httpx.Request(
        method,
        target,
        headers=request_headers(method, target, headers, body),
        stream=httpx.ByteStream(body),
    )
    theirs = httpx.Request(method, target, headers=headers, content=body)
    assert ours.headers.raw == theirs.headers.raw


@pytest.mark.anyio
async def test_the_factory_builds_the_request_httpx_would_with_its_body_read() -> None:
    http = httpx.AsyncClient(timeout=httpx.Timeout(3.0))
    try:
        factory = RequestFactory(HttpClientForLoop(http, lambda: http, "Client"), None)
        headers = {"Content-Type": "application/x-amz-json-1.1", "X-Amz-Target": "S.Op"}
        url = httpx.URL("http://127.0.0.1:8123/")
        request = factory("POST", url, headers, b'{"a": 1}')
        expected = httpx.Request("POST", url, headers=headers, content=b'{"a": 1}')
        assert request.headers.raw == expected.headers.raw
        assert request.content == b'{"a": 1}'
        assert request.extensions["timeout"] == httpx.Timeout(3.0).as_dict()
        # Read again (a retry's copy, botocore's payload hash): the same bytes.
        assert b"".join([chunk async for chunk in request.stream]) == b'{"a": 1}'  # type: ignore[union-attr]
    finally:
        await http.aclose()


@pytest.mark.anyio
async def test_the_factory_leaves_a_streamed_body_to_httpx() -> None:
    async def chunks() -> AsyncIterator[bytes]:
        yield b"ab"
        yield b"c"

    http = httpx.AsyncClient()
    try:
        factory = RequestFactory(HttpClientForLoop(http, lambda: http, "Client"), None)
        request = factory("PUT", httpx.URL("https://example.com/k"), {}, chunks())
        assert request.headers["transfer-encoding"] == "chunked"
        assert "content-length" not in request.headers
    finally:
        await http.aclose()


def test_invocation_ids_are_random_version_4_uuids_in_their_text_form() -> None:
    ids = {invocation_id() for _ in range(2000)}
    assert len(ids) == 2000
    for text in ids:
        parsed = uuid.UUID(text)
        assert str(parsed) == text
        assert parsed.version == 4
        assert parsed.variant == uuid.RFC_4122
