"""Timeouts and the per-call deadline against a server that stops answering.

The runtime's ``timeout`` sets httpx's connect/read/write/pool timeouts per
attempt; ``deadline`` bounds the whole call, retries and backoff included.
A read timeout is retried (standard mode), a pool timeout is not.
"""

from __future__ import annotations

import socket
import time
from collections.abc import Iterator

import anyio
import httpx
import pytest
from smithygen_runtime import RequestTimeoutError, RetryConfig, Timeouts
from ssm_inventory import SSMClient

from tests.reliability.conftest import CREDENTIALS, FAST_RETRY, client_for
from tests.support.loopback_server import LoopbackServer, Reply, Stall

pytestmark = pytest.mark.anyio


@pytest.fixture
def black_hole() -> Iterator[str]:
    """A URL whose connections never complete: a listener that never accepts,
    its accept queue already full, so Linux drops further SYNs."""
    listener = socket.create_server(("127.0.0.1", 0), backlog=0)
    url = f"http://127.0.0.1:{listener.getsockname()[1]}"
    fillers = []
    try:
        for _ in range(4):
            filler = socket.socket()
            filler.setblocking(False)
            filler.connect_ex(listener.getsockname())
            fillers.append(filler)
        probe = socket.socket()
        probe.settimeout(0.2)
        try:
            probe.connect(listener.getsockname())
        except TimeoutError:
            pass
        else:
            pytest.skip("this kernel completes connections past a full accept queue")
        finally:
            probe.close()
        yield url
    finally:
        for filler in fillers:
            filler.close()
        listener.close()


async def test_connect_timeout_is_typed_and_retried(black_hole: str) -> None:
    timeouts = Timeouts(connect=0.3, read=5, write=5, pool=5)
    with anyio.fail_after(10):
        async with client_for(black_hole, timeout=timeouts) as client:
            with anyio.move_on_after(0.001):
                await client.describe_inventory_deletions()  # set-up only
            started = time.monotonic()
            with pytest.raises(
                RequestTimeoutError,
                match=r"attempt 3 to http://127\.0\.0\.1:\d+/?: connect timeout",
            ):
                await client.describe_inventory_deletions()
            elapsed = time.monotonic() - started
    assert 0.85 <= elapsed < 4


async def test_silent_server_read_timeout_without_retry(
    server: LoopbackServer,
) -> None:
    server.handler = lambda _: Stall()
    with anyio.fail_after(10):
        async with client_for(server, timeout=0.5, max_attempts=1) as client:
            started = time.monotonic()
            with pytest.raises(RequestTimeoutError, match="read timeout"):
                await client.describe_inventory_deletions()
            elapsed = time.monotonic() - started
    assert 0.45 <= elapsed < 2.5
    assert len(server.requests) == 1


async def test_silent_server_read_timeouts_are_retried_then_typed(
    server: LoopbackServer,
) -> None:
    server.handler = lambda _: Stall()
    with anyio.fail_after(15):
        async with client_for(server, timeout=0.5) as client:
            started = time.monotonic()
            with pytest.raises(
                RequestTimeoutError,
                match=r"attempt 3 to http://127\.0\.0\.1:\d+/?: read timeout",
            ):
                await client.describe_inventory_deletions()
            elapsed = time.monotonic() - started
    # Three read timeouts of 0.5 s and millisecond backoffs.
    assert 1.4 <= elapsed < 4.5
    assert len(server.requests) == 3
    # Each timed-out attempt dropped its connection.
    assert server.wait_until(lambda: server.open_now == 0)


async def test_deadline_cuts_a_stalled_attempt(server: LoopbackServer) -> None:
    server.handler = lambda _: Stall()
    with anyio.fail_after(10):
        async with client_for(server, timeout=30, deadline=0.7) as client:
            started = time.monotonic()
            with pytest.raises(
                RequestTimeoutError, match=r"deadline of 0\.7 s"
            ) as info:
                await client.describe_inventory_deletions()
            elapsed = time.monotonic() - started
            assert server.wait_until(lambda: server.open_now == 0)
            server.handler = lambda _: Reply(200, {})
            await client.describe_inventory_deletions()
    assert 0.65 <= elapsed < 2.5
    assert not info.value.retryable


async def test_deadline_bounds_all_attempts_and_backoff(
    server: LoopbackServer,
) -> None:
    server.handler = lambda _: Reply(503)
    retry = RetryConfig(max_attempts=50, base_delay=0.2, max_backoff=0.2)
    with anyio.fail_after(10):
        async with client_for(server, retry=retry, deadline=1.0) as client:
            started = time.monotonic()
            with pytest.raises(RequestTimeoutError, match="deadline"):
                await client.describe_inventory_deletions()
            elapsed = time.monotonic() - started
    assert 0.95 <= elapsed < 3
    assert 2 <= len(server.requests) < 50


async def test_pool_timeout_is_typed_and_not_retried(server: LoopbackServer) -> None:
    # One connection in the pool, held by a stalled call: the next call waits
    # for the pool and gives up after the pool timeout, sending nothing.
    server.handler = lambda _: Stall()
    http = httpx.AsyncClient(limits=httpx.Limits(max_connections=1))
    timeouts = Timeouts(connect=2, read=10, write=2, pool=0.3)
    client = SSMClient(
        region="us-east-1",
        endpoint_url=server.url,
        credentials=CREDENTIALS,
        http_client=http,
        timeout=timeouts,
        retry=FAST_RETRY,
    )
    with anyio.fail_after(10):
        async with http, client, anyio.create_task_group() as tg:
            tg.start_soon(client.describe_inventory_deletions)
            while not server.requests:
                await anyio.sleep(0.01)
            started = time.monotonic()
            with pytest.raises(RequestTimeoutError, match="pool"):
                await client.describe_inventory_deletions()
            elapsed = time.monotonic() - started
            tg.cancel_scope.cancel()
    assert 0.25 <= elapsed < 2
    assert len(server.requests) == 1
