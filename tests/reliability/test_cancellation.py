"""Cancelling calls and closing the client, under asyncio and trio.

A cancelled call must return at once, drop its connection (the server sees
it closed) and leave the client usable; ``aclose()`` is idempotent and calls
after it raise ConfigurationError. ``aclose()`` with calls in flight:
test_close_in_flight.py.
"""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable

import anyio
import pytest
from smithygen_runtime import ConfigurationError
from ssm_inventory import DescribeInventoryDeletionsResult, SSMClient

from tests.reliability.conftest import client_for
from tests.support.loopback_server import LoopbackServer, Reply, Stall, ok_reply

pytestmark = pytest.mark.anyio
EMPTY = DescribeInventoryDeletionsResult(inventory_deletions=[])


async def _until(condition: Callable[[], bool], timeout: float = 10.0) -> bool:
    """Poll ``condition`` without blocking the event loop.

    A wait for a state, not a timing assertion: generous, so that a loaded
    machine (80 connections to set up) does not fail it.
    """
    with anyio.move_on_after(timeout):
        while not condition():
            await anyio.sleep(0.01)
    return condition()


async def _cancel_when(
    call: Callable[[], Awaitable[object]],
    ready: Callable[[], bool],
    settle: float = 0.0,
) -> float:
    """Start ``call`` in a task, cancel it ``settle`` s after ``ready()``.

    Returns the seconds from the cancellation to the end of the task.
    """
    ended = anyio.Event()
    cancelled_at = 0.0

    async def run() -> None:
        try:
            await call()
        finally:
            ended.set()

    async with anyio.create_task_group() as tg:
        tg.start_soon(run)
        assert await _until(ready), "the call never reached the point to cancel it"
        await anyio.sleep(settle)
        cancelled_at = time.monotonic()
        tg.cancel_scope.cancel()
    assert ended.is_set()
    return time.monotonic() - cancelled_at


async def _warm(client: SSMClient, server: LoopbackServer) -> None:
    # The first call sets the client up in a worker thread; do it beforehand
    # so a test cancels the request, not the set-up.
    server.push(Reply(200, {}))
    await client.describe_inventory_deletions()


async def test_cancelling_a_stalled_call_is_prompt_and_leaks_nothing(
    server: LoopbackServer,
) -> None:
    with anyio.fail_after(10):
        async with client_for(server, timeout=30) as client:
            await _warm(client, server)
            server.handler = lambda _: Stall()
            took = await _cancel_when(
                client.describe_inventory_deletions, lambda: len(server.requests) == 2
            )
            assert took < 1.0
            # The stalled connection is closed, not parked in the pool.
            assert await _until(lambda: server.open_now == 0)
            server.handler = ok_reply
            assert await client.describe_inventory_deletions() == EMPTY
            assert server.opened == 2


async def test_move_on_after_cancels_a_stalled_call(server: LoopbackServer) -> None:
    with anyio.fail_after(10):
        async with client_for(server, timeout=30) as client:
            await _warm(client, server)
            server.push(Stall())
            started = time.monotonic()
            with anyio.move_on_after(0.3) as scope:
                await client.describe_inventory_deletions()
            assert scope.cancelled_caught
            assert time.monotonic() - started < 1.3
            assert await _until(lambda: server.open_now == 0)
            assert await client.describe_inventory_deletions() == EMPTY


async def test_cancelling_during_retry_backoff(server: LoopbackServer) -> None:
    with anyio.fail_after(10):
        async with client_for(server) as client:
            await _warm(client, server)
            server.push(Reply(503, headers=(("x-amz-retry-after", "5000"),)))
            # The server records a request before answering: give the client
            # time to read the 503 and start its 5 s wait before cancelling.
            took = await _cancel_when(
                client.describe_inventory_deletions,
                lambda: len(server.requests) == 2,
                settle=0.3,
            )
            assert took < 1.0
            assert len(server.requests) == 2  # no retry was sent
            assert await client.describe_inventory_deletions() == EMPTY
        # The 503 was read whole, so its connection went back to the pool
        # and was reused; closing the client closes it.
        assert server.opened == 1
        assert await _until(lambda: server.open_now == 0)


async def test_cancelling_during_first_use_set_up(server: LoopbackServer) -> None:
    with anyio.fail_after(10):
        async with client_for(server) as client:
            started = time.monotonic()
            with anyio.move_on_after(0.001):
                await client.describe_inventory_deletions()
            # The set-up runs in a worker thread; under trio the cancellation
            # waits for that thread (it cannot be abandoned safely).
            assert time.monotonic() - started < 2
            assert await client.describe_inventory_deletions() == EMPTY


async def test_cancelling_many_concurrent_calls(server: LoopbackServer) -> None:
    # More calls than the client's pool holds connections: some stall at the
    # server, the others wait for a connection; all are cancelled together.
    calls = 80
    with anyio.fail_after(30):
        async with client_for(server, timeout=30) as client:
            await _warm(client, server)
            server.handler = lambda _: Stall()

            async def many() -> None:
                async with anyio.create_task_group() as tg:
                    for _ in range(calls):
                        tg.start_soon(client.describe_inventory_deletions)

            took = await _cancel_when(
                many, lambda: len(server.requests) >= 1 + 8, settle=0.2
            )
            assert took < 1.0
            stalled = len(server.requests) - 1
            assert await _until(lambda: server.open_now == 0)
            server.handler = ok_reply
            assert await client.describe_inventory_deletions() == EMPTY
    # Calls queued for the pool were cancelled before sending anything.
    assert stalled < calls


async def test_aclose_is_idempotent_and_later_calls_fail_clearly(
    server: LoopbackServer,
) -> None:
    with anyio.fail_after(10):
        client = client_for(server)
        assert await client.describe_inventory_deletions() == EMPTY
        await client.aclose()
        await client.aclose()
        assert await _until(lambda: server.open_now == 0)
        with pytest.raises(ConfigurationError, match="closed") as info:
            await client.describe_inventory_deletions()
        assert "create a new client" in str(info.value)
        with pytest.raises(ConfigurationError, match="closed"):
            await client.delete_inventory(type_name="Custom:Rack")
        with pytest.raises(ConfigurationError, match="closed"):
            async with client:
                pass
        assert "closed" in repr(client)
    assert len(server.requests) == 1


async def test_closing_an_unused_client_sends_nothing(server: LoopbackServer) -> None:
    client = client_for(server)
    await client.aclose()
    await client.aclose()
    with pytest.raises(ConfigurationError, match="closed"):
        await client.describe_inventory_deletions()
    assert server.requests == [] and server.opened == 0
