"""Faults and hostile responses from a real loopback server (not a mock).

Each ends in success after a retry or in one of the runtime's typed errors,
never a raw httpx/h11/json exception and never a hang.
"""

from __future__ import annotations

import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import anyio
import pytest
from smithygen_runtime import (
    RequestTimeoutError,
    ResponseParseError,
    Timeouts,
    TransportError,
)
from smithygen_runtime._client import MAX_CONNECTIONS

from tests.runtime.conftest import FAST_RETRY
from tests.runtime.demo_service import (
    CREDENTIALS,
    DemoClient,
    GetThingOutput,
    UnknownDemoError,
)
from tests.runtime.loopback import LoopbackServer, loopback

pytestmark = pytest.mark.anyio
OK = GetThingOutput(items=["ok"])


@asynccontextmanager
async def client_for(
    server: LoopbackServer, **options: object
) -> AsyncIterator[DemoClient]:
    options.setdefault("timeout", Timeouts(connect=1, read=0.5, write=1, pool=1))
    options.setdefault("retry", FAST_RETRY)
    async with DemoClient(
        region="us-east-1",
        endpoint_url=server.url,
        credentials=CREDENTIALS,
        **options,  # type: ignore[arg-type]
    ) as client:
        yield client


@pytest.mark.parametrize("fault", ["reset", "cut", "html_503"])
async def test_transient_fault_then_success(fault: str) -> None:
    with loopback(fault) as server:
        async with client_for(server) as client:
            assert await client.get_thing() == OK
    assert len(server.requests) == 2
    assert [r["amz-sdk-request"] for r in server.requests] == [
        "attempt=1; max=3",
        "attempt=2; max=3",
    ]


async def test_persistent_reset_is_a_transport_error() -> None:
    with loopback("reset", "reset", "reset") as server:
        async with client_for(server) as client:
            with pytest.raises(TransportError) as info:
                await client.get_thing()
    assert not isinstance(info.value, RequestTimeoutError)
    assert len(server.requests) == 3


async def test_persistent_html_503_is_a_typed_service_error() -> None:
    with loopback("html_503", "html_503", "html_503") as server:
        async with client_for(server) as client:
            with pytest.raises(UnknownDemoError) as info:
                await client.get_thing()
    error = info.value
    assert (error.code, error.status_code, error.fault) == ("503", 503, "server")
    assert "Service Unavailable" in error.message and "<html>" in error.message


@pytest.mark.parametrize(
    ("fault", "fragment"),
    [("truncated_json", "not valid JSON"), ("wrong_shape", "JSON array")],
)
async def test_unreadable_200_is_a_parse_error(fault: str, fragment: str) -> None:
    with loopback(fault) as server:
        async with client_for(server) as client:
            with pytest.raises(ResponseParseError, match=fragment):
                await client.get_thing()
            # The connection and the client are still fine afterwards.
            assert await client.get_thing() == OK


async def test_empty_200_body_is_an_empty_output() -> None:
    with loopback("empty") as server:
        async with client_for(server) as client:
            assert await client.get_thing() == GetThingOutput(items=[])


async def test_huge_body_is_cut_off(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("smithygen_runtime._client.MAX_RESPONSE_BYTES", 1024 * 1024)
    with loopback("huge") as server:
        async with client_for(server) as client:
            with pytest.raises(ResponseParseError, match="byte limit"):
                await client.get_thing()
            assert await client.get_thing() == OK


async def test_silent_server_times_out_within_the_read_timeout() -> None:
    with loopback("silent", "silent") as server:
        timeouts = Timeouts(connect=1, read=0.25, write=1, pool=1)
        async with client_for(server, max_attempts=2, timeout=timeouts) as client:
            started = time.monotonic()
            with pytest.raises(RequestTimeoutError, match="read timeout"):
                await client.get_thing()
            elapsed = time.monotonic() - started
    assert len(server.requests) == 2
    assert 0.45 < elapsed < 1.5  # two read timeouts of 0.25 s, plus tiny backoff


async def test_slow_drip_is_stopped_by_the_deadline() -> None:
    # Every byte arrives well within the read timeout; only the deadline helps.
    with loopback("drip") as server:
        async with client_for(server, deadline=0.4) as client:
            started = time.monotonic()
            with pytest.raises(RequestTimeoutError, match="deadline"):
                await client.get_thing()
            elapsed = time.monotonic() - started
            assert elapsed < 0.9
            assert await client.get_thing() == OK


async def test_connection_refused_is_retried_then_a_transport_error() -> None:
    with loopback() as server:
        url = server.url
    started = time.monotonic()
    async with DemoClient(
        region="us-east-1", endpoint_url=url, credentials=CREDENTIALS, retry=FAST_RETRY
    ) as client:
        with pytest.raises(TransportError, match="attempt 3"):
            await client.get_thing()
    assert time.monotonic() - started < 2


def _pool_connections(client: DemoClient) -> int:
    return len(client._http._transport._pool.connections)


async def _wait_for_requests(server: LoopbackServer, count: int) -> None:
    with anyio.fail_after(5):
        while len(server.requests) < count:
            await anyio.sleep(0.005)


async def test_cancelling_a_call_is_prompt_and_leaves_the_client_usable() -> None:
    with loopback("ok", "silent") as server:
        async with client_for(server, timeout=30) as client:
            assert await client.get_thing() == OK  # set up, one pooled connection
            assert _pool_connections(client) == 1
            async with anyio.create_task_group() as tg:
                tg.start_soon(client.get_thing)
                # Cancel only once the server holds the request (it never answers).
                await _wait_for_requests(server, 2)
                started = time.monotonic()
                tg.cancel_scope.cancel()
            assert time.monotonic() - started < 0.5
            # The connection of the cancelled request was dropped, not pooled
            # half-read, so the next call cannot inherit its pending response.
            assert _pool_connections(client) == 0
            assert await client.get_thing() == OK
            assert _pool_connections(client) == 1
    assert len(server.requests) == 3


async def test_cancelled_call_in_its_own_task_reports_cancellation() -> None:
    with loopback("ok", "silent") as server:
        async with client_for(server, timeout=30) as client:
            await client.get_thing()
            finished = anyio.Event()
            outcome: list[str] = []

            async def call() -> None:
                try:
                    await client.get_thing()
                except anyio.get_cancelled_exc_class():
                    outcome.append("cancelled")
                    raise
                finally:
                    finished.set()

            with anyio.move_on_after(10):
                async with anyio.create_task_group() as tg:
                    tg.start_soon(call)
                    await _wait_for_requests(server, 2)
                    started = time.monotonic()
                    tg.cancel_scope.cancel()
            assert finished.is_set() and outcome == ["cancelled"]
            assert time.monotonic() - started < 0.5
            assert await client.get_thing() == OK


async def test_keep_alive_reuses_one_connection() -> None:
    with loopback() as server:
        async with client_for(server) as client:
            for _ in range(5):
                await client.get_thing()
    assert server.connections == 1


@pytest.mark.parametrize("limit", [None, 3])
async def test_concurrent_calls_stay_within_the_pool_limit(limit: int | None) -> None:
    # The default pool (MAX_CONNECTIONS, botocore's 10) and the
    # max_connections option: open connections never go above the limit.
    calls, concurrency = 200, 50
    options: dict[str, object] = {"timeout": 10}
    if limit is None:
        limit = MAX_CONNECTIONS
    else:
        options["max_connections"] = limit
    with loopback() as server:
        async with client_for(server, **options) as client:
            results: list[GetThingOutput] = []

            async def lane(count: int) -> None:
                for _ in range(count):
                    results.append(await client.get_thing())

            async with anyio.create_task_group() as tg:
                for _ in range(concurrency):
                    tg.start_soon(lane, calls // concurrency)
            assert _pool_connections(client) <= limit
    assert results == [OK] * calls
    assert len(server.requests) == calls
    assert 1 < server.max_open_connections <= limit
