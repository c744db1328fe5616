"""Hostile and broken responses from a real loopback server, under asyncio and trio.

Every case ends in success (after a retry when the fault is transient) or in
one of the project's typed errors: never a raw KeyError, JSONDecodeError,
httpx or h11 exception, never a hang (each test runs under anyio.fail_after).
"""

from __future__ import annotations

import gzip
import json
import re
import time
import tracemalloc
from typing import Any

import anyio
import pytest
from smithygen_runtime import (
    RequestTimeoutError,
    ResponseParseError,
    SmithyGenError,
    Timeouts,
    TransportError,
)
from ssm_inventory import (
    DeleteInventoryResult,
    DescribeInventoryDeletionsResult,
    InvalidDeletionIdException,
    UnknownSSMError,
)

from tests.reliability.conftest import client_for
from tests.support.loopback_server import (
    Action,
    Drip,
    Flood,
    LoopbackServer,
    Raw,
    Reply,
    Reset,
)

pytestmark = pytest.mark.anyio
EMPTY = DescribeInventoryDeletionsResult(inventory_deletions=[])
PROXY_PAGE = (
    b"<!DOCTYPE html><html><head><title>502 Bad Gateway</title></head>"
    b"<body><center><h1>502 Bad Gateway</h1></center><hr><center>nginx</center>"
    b"</body></html>"
)
HTML = (("Content-Type", "text/html"),)


async def _expect_error(
    server: LoopbackServer, error: type[SmithyGenError], **options: Any
) -> tuple[SmithyGenError, float]:
    """Call once; return the typed error it raised and the seconds it took."""
    with anyio.fail_after(15):
        async with client_for(server, **options) as client:
            started = time.monotonic()
            with pytest.raises(error) as info:
                await client.describe_inventory_deletions()
            elapsed = time.monotonic() - started
            # Whatever broke, the client still works for the next call.
            server.script.clear()
            server.handler = lambda _: Reply(200, {"InventoryDeletions": []})
            assert await client.describe_inventory_deletions() == EMPTY
    return info.value, elapsed


# --- transient faults: retried, then success -------------------------------

TRANSIENT: dict[str, Action] = {
    "reset mid-response": Reset(),
    "body cut short then close": Raw(
        b'HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n{"InventoryDeletions": [{"Del'
    ),
    "illegal status line": Raw(b"HELLO WORLD\r\n\r\n"),
    "illegal header line": Raw(b"HTTP/1.1 200 OK\r\nBad Header\r\n\r\n{}"),
    "proxy HTML 502": Reply(502, PROXY_PAGE, HTML),
}


@pytest.mark.parametrize("fault", list(TRANSIENT))
async def test_transient_fault_then_success(server: LoopbackServer, fault: str) -> None:
    server.push(TRANSIENT[fault])
    with anyio.fail_after(10):
        async with client_for(server) as client:
            assert await client.describe_inventory_deletions() == EMPTY
    assert len(server.requests) == 2


@pytest.mark.parametrize(
    ("fault", "fragment"),
    [
        ("reset mid-response", "ReadError|RemoteProtocolError"),
        ("illegal status line", "RemoteProtocolError: illegal status line"),
    ],
)
async def test_persistent_transport_fault_is_a_transport_error(
    server: LoopbackServer, fault: str, fragment: str
) -> None:
    action = TRANSIENT[fault]
    server.handler = lambda _: action
    error, elapsed = await _expect_error(server, TransportError)
    assert not isinstance(error, RequestTimeoutError)
    assert "attempt 3" in str(error)
    assert elapsed < 3
    assert re.search(fragment, str(error))
    assert len(server.requests) == 3 + 1


async def test_persistent_proxy_page_is_a_typed_service_error(
    server: LoopbackServer,
) -> None:
    server.handler = lambda _: Reply(502, PROXY_PAGE, HTML, reason="Bad Gateway")
    error, _ = await _expect_error(server, UnknownSSMError)
    assert isinstance(error, UnknownSSMError)
    assert (error.code, error.status_code, error.fault) == ("502", 502, "server")
    assert "Bad Gateway" in error.message
    assert len(server.requests) == 3 + 1


# --- unreadable or wrong-shaped 200s: a ResponseParseError, not retried -----

WRONG_SHAPE: dict[str, bytes | Any] = {
    "truncated JSON": b'{"InventoryDeletions": [{"DeletionId": "d-',
    "not UTF-8": b'{"NextToken": "\xff\xfe"}',
    "a JSON list": [{"InventoryDeletions": []}],
    "a JSON string": "InventoryDeletions",
    "a JSON number": 42,
    "InventoryDeletions a number": {"InventoryDeletions": 5},
    "InventoryDeletions a string": {"InventoryDeletions": "Complete"},
    "InventoryDeletions an object": {"InventoryDeletions": {"DeletionId": "x"}},
    "items are strings": {"InventoryDeletions": ["d-1", "d-2"]},
    "DeletionSummary a list": {"InventoryDeletions": [{"DeletionSummary": [1]}]},
    "timestamp a string": {"InventoryDeletions": [{"DeletionStartTime": "today"}]},
    "timestamp out of range": {"InventoryDeletions": [{"DeletionStartTime": 1e300}]},
    "timestamp NaN": b'{"InventoryDeletions": [{"DeletionStartTime": NaN}]}',
    "integer of 5000 digits": b'{"NextToken": ' + b"9" * 5000 + b"}",
}


async def test_wrong_shape_200s_are_parse_errors(server: LoopbackServer) -> None:
    outcomes: dict[str, str] = {}
    with anyio.fail_after(15):
        async with client_for(server) as client:
            for case, body in WRONG_SHAPE.items():
                server.push(Reply(200, body))
                try:
                    result = await client.describe_inventory_deletions()
                except ResponseParseError as exc:
                    if exc.status_code not in (200, None):
                        outcomes[case] = f"status_code {exc.status_code}"
                except Exception as exc:
                    outcomes[case] = f"{type(exc).__name__}: {exc}"
                else:
                    outcomes[case] = f"returned {result!r}"
            assert await client.describe_inventory_deletions() == EMPTY
    assert outcomes == {}, "not a ResponseParseError"
    # None was retried: one request per case, then the final good call.
    assert len(server.requests) == len(WRONG_SHAPE) + 1


WRONG_SCALARS: dict[str, Any] = {
    "NextToken a number": {"NextToken": 5},
    "NextToken a list": {"NextToken": ["a"]},
    "TotalCount a string": {
        "InventoryDeletions": [{"DeletionSummary": {"TotalCount": "many"}}]
    },
    "TotalCount a boolean": {
        "InventoryDeletions": [{"DeletionSummary": {"TotalCount": True}}]
    },
    "LastStatus an object": {"InventoryDeletions": [{"LastStatus": {"s": "x"}}]},
}


async def test_wrong_scalar_types_are_parse_errors(server: LoopbackServer) -> None:
    with anyio.fail_after(15):
        async with client_for(server) as client:
            for case, body in WRONG_SCALARS.items():
                server.push(Reply(200, body))
                with pytest.raises(ResponseParseError):
                    print(case, await client.describe_inventory_deletions())


# An error status with an unreadable body is the service's unknown error, as
# for the proxy page above; a 200 with one is a ResponseParseError.
@pytest.mark.parametrize(
    ("status", "expected"), [(200, ResponseParseError), (500, UnknownSSMError)]
)
async def test_deeply_nested_json_is_a_typed_error(
    server: LoopbackServer, status: int, expected: type[SmithyGenError]
) -> None:
    server.push(Reply(status, b"[" * 100_000))
    await _expect_error(server, expected, max_attempts=1)


async def test_undecodable_gzip_is_a_parse_error(server: LoopbackServer) -> None:
    server.push(Reply(200, b"this is not gzip", (("Content-Encoding", "gzip"),)))
    error, _ = await _expect_error(server, ResponseParseError)
    assert "decoded" in str(error)


async def test_gzip_body_cut_after_its_header_is_a_parse_error(
    server: LoopbackServer,
) -> None:
    compressed = gzip.compress(json.dumps({"NextToken": "t"}).encode())
    server.push(Reply(200, compressed[:10], (("Content-Encoding", "gzip"),)))
    await _expect_error(server, ResponseParseError)


async def test_gzip_body_is_inflated(server: LoopbackServer) -> None:
    page = {"InventoryDeletions": [], "NextToken": "next"}
    compressed = gzip.compress(json.dumps(page).encode())
    server.push(Reply(200, compressed, (("Content-Encoding", "gzip"),)))
    with anyio.fail_after(10):
        async with client_for(server) as client:
            result = await client.describe_inventory_deletions()
    assert result.next_token == "next"
    assert result.inventory_deletions == []


async def test_gzip_bomb_stops_at_the_size_cap(server: LoopbackServer) -> None:
    # 40 MB of zeros compress to about 40 kB: the cap applies to what is inflated.
    bomb = gzip.compress(b"0" * (40 * 1024 * 1024))
    assert len(bomb) < 100_000
    server.push(Reply(200, bomb, (("Content-Encoding", "gzip"),)))
    error, _ = await _expect_error(server, ResponseParseError)
    assert "once decompressed" in str(error)


async def test_redirect_is_not_followed(server: LoopbackServer) -> None:
    server.push(Reply(302, b"", (("Location", "http://169.254.169.254/"),)))
    error, _ = await _expect_error(server, UnknownSSMError)
    assert isinstance(error, UnknownSSMError) and error.status_code == 302
    assert len(server.requests) == 1 + 1


async def test_error_members_of_the_wrong_type_are_ignored(
    server: LoopbackServer,
) -> None:
    server.push(
        Reply(400, {"__type": "InvalidDeletionIdException", "Message": {"no": 1}})
    )
    error, _ = await _expect_error(server, InvalidDeletionIdException)
    assert isinstance(error, InvalidDeletionIdException)
    assert isinstance(error.message, str) and "no" not in error.message


# --- empty bodies: valid, empty outputs --------------------------------------


async def test_empty_200_body_is_an_empty_output(server: LoopbackServer) -> None:
    server.push(Reply(200, b""), Reply(200, b"  \n"))
    with anyio.fail_after(10):
        async with client_for(server) as client:
            empty = await client.describe_inventory_deletions()
            assert empty == DescribeInventoryDeletionsResult()
            deleted = await client.delete_inventory(type_name="Custom:Rack")
            assert deleted == DeleteInventoryResult()


# --- huge bodies ---------------------------------------------------------------

HUGE = 50 * 1024 * 1024


@pytest.mark.parametrize("chunked", [True, False], ids=["chunked", "content-length"])
async def test_huge_body_fails_cleanly_without_buffering_it(
    server: LoopbackServer, chunked: bool
) -> None:
    server.push(Flood(HUGE, chunked=chunked))
    tracemalloc.start()
    try:
        error, elapsed = await _expect_error(
            server, ResponseParseError, timeout=Timeouts(read=10)
        )
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert "byte limit" in str(error)
    # The client stops reading at its 32 MiB cap: it never holds the 50 MB.
    assert peak < HUGE * 0.9
    print(
        f"huge body ({'chunked' if chunked else 'declared'}): {elapsed:.2f} s, "
        f"peak {peak / 2**20:.0f} MiB"
    )


# --- slow drip -----------------------------------------------------------------

DRIP_BODY = b'{"InventoryDeletions": [], "NextToken": "n"}'


async def test_slow_drip_within_the_read_timeout_completes(
    server: LoopbackServer,
) -> None:
    # httpx's read timeout bounds each wait for data, not the whole body: a
    # body arriving 11 bytes every 0.2 s (0.8 s in all) passes a 0.5 s read
    # timeout. The call's ``deadline`` is what bounds the total.
    server.push(Drip(DRIP_BODY, interval=0.2, step=11))
    with anyio.fail_after(10):
        async with client_for(server, timeout=0.5) as client:
            started = time.monotonic()
            result = await client.describe_inventory_deletions()
            elapsed = time.monotonic() - started
    assert result.next_token == "n"
    assert 0.75 <= elapsed < 5
    assert len(server.requests) == 1


async def test_slow_drip_is_cut_by_the_deadline(server: LoopbackServer) -> None:
    server.push(Drip(DRIP_BODY, interval=0.2, step=6))
    error, elapsed = await _expect_error(
        server, RequestTimeoutError, timeout=0.5, deadline=0.6
    )
    assert "deadline" in str(error)
    assert 0.55 <= elapsed < 2.5


async def test_drip_slower_than_the_read_timeout_times_out(
    server: LoopbackServer,
) -> None:
    server.handler = lambda _: Drip(DRIP_BODY, interval=0.6, step=6)
    error, elapsed = await _expect_error(
        server, RequestTimeoutError, timeout=Timeouts(read=0.3), max_attempts=2
    )
    assert re.search(
        r"attempt 2 to http://127\.0\.0\.1:\d+/?: read timeout", str(error)
    )
    assert error.url is not None and error.url.startswith("http://127.0.0.1:")
    assert 0.55 <= elapsed < 3
