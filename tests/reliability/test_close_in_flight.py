"""``aclose()`` while calls are in flight, under asyncio and trio, on real sockets.

Every call in flight ends at once with ConfigurationError ("closed ... while
<Operation> was in flight"), whatever it was doing: waiting for a pooled
connection, reading a body, sleeping a backoff, fetching a paginator's page.
No further attempt is sent and no retry quota is spent.

Each client's backoff is 20 s exactly (``base_delay=20`` and a jitter of 1),
so a call that slept a backoff instead of ending would trip the test's 10 s
bound: the bound catches that, not a performance figure.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

import anyio
import attrs
import httpx
import pytest
from smithygen_runtime import (
    ConfigurationError,
    Interceptor,
    RetryConfig,
    WaiterProgress,
)
from ssm_inventory import SSMClient

from tests.reliability.conftest import client_for
from tests.support.loopback_server import Drip, LoopbackServer, Reply, Stall

pytestmark = pytest.mark.anyio

SLOW_BACKOFF = RetryConfig(base_delay=20, max_backoff=20)
IN_FLIGHT = (
    "was closed \\(aclose\\(\\)\\) while DescribeInventoryDeletions was in flight"
)


class _RecordsTheOutcome(Interceptor):
    """Keeps the error each call ended with, as ``read_after_execution`` saw it."""

    def __init__(self) -> None:
        self.errors: list[BaseException | None] = []

    def read_after_execution(self, context: Any) -> None:
        self.errors.append(context.error)


def _client(server: LoopbackServer, **options: Any) -> SSMClient:
    options.setdefault("timeout", 30)
    client = client_for(server, retry=SLOW_BACKOFF, **options)
    client._random = lambda: 1.0  # full backoff: 20 s
    return client


async def _until(condition: Callable[[], bool], timeout: float = 5.0) -> bool:
    with anyio.move_on_after(timeout):
        while not condition():
            await anyio.sleep(0.01)
    return condition()


async def _close_while(
    client: SSMClient,
    calls: list[Callable[[], Awaitable[object]]],
    ready: Callable[[], bool],
    settle: float = 0.0,
) -> list[BaseException]:
    """Start ``calls``, close the client ``settle`` s after ``ready()``; what each raised."""
    errors: list[BaseException] = []

    async def run(call: Callable[[], Awaitable[object]]) -> None:
        try:
            await call()
        except Exception as exc:
            errors.append(exc)

    async with anyio.create_task_group() as tg:
        for call in calls:
            tg.start_soon(run, call)
        assert await _until(ready), "the calls never got where the test closes"
        await anyio.sleep(settle)
        await client.aclose()
    return errors


def _quota(client: SSMClient) -> int:
    quota = client._config.retry.quota
    assert quota is not None
    return quota.available


async def test_a_call_reading_its_body_ends_at_once_and_spends_no_quota(
    server: LoopbackServer,
) -> None:
    recorder = _RecordsTheOutcome()
    with anyio.fail_after(10):
        client = _client(server, interceptors=[recorder])
        await client.describe_inventory_deletions()
        before = _quota(client)
        # The headers come at once, the body a byte every 0.1 s (20 s in
        # all): half a second in, the call is reading it.
        body = b'{"InventoryDeletions": [' + b" " * 200 + b"]}"
        server.push(Drip(body, interval=0.1, step=1))
        errors = await _close_while(
            client,
            [client.describe_inventory_deletions],
            lambda: len(server.requests) == 2,
            settle=0.5,
        )
        assert len(errors) == 1 and isinstance(errors[0], ConfigurationError)
        assert "may or may not have reached the service" in str(errors[0])
        with pytest.raises(ConfigurationError, match=IN_FLIGHT):
            raise errors[0]
        assert _quota(client) == before
        # Interceptors see the same error (read_after_execution always runs).
        assert recorder.errors[-1] is errors[0]
        assert await _until(lambda: server.open_now == 0)
    assert len(server.requests) == 2  # no further attempt


async def test_calls_waiting_for_a_pooled_connection_end_at_once(
    server: LoopbackServer,
) -> None:
    with anyio.fail_after(10):
        client = _client(server, max_connections=1)
        await client.describe_inventory_deletions()
        before = _quota(client)
        server.handler = lambda _: Stall()
        # One call holds the only connection (stalled at the server); the
        # other two wait in the pool.
        errors = await _close_while(
            client,
            [client.describe_inventory_deletions] * 3,
            lambda: len(server.requests) == 2,
        )
        assert len(errors) == 3
        assert all(isinstance(error, ConfigurationError) for error in errors)
        assert all("in flight" in str(error) for error in errors)
        assert _quota(client) == before
        assert await _until(lambda: server.open_now == 0)
    assert len(server.requests) == 2 and server.opened == 1


async def test_a_call_sleeping_its_backoff_ends_at_once_and_retries_no_more(
    server: LoopbackServer,
) -> None:
    with anyio.fail_after(10):
        client = _client(server)
        await client.describe_inventory_deletions()
        capacity = _quota(client)
        server.push(Reply(503, {"__type": "InternalServerError"}))
        # The 503's retry is decided (and paid) before the 20 s backoff
        # starts: once the quota drops, the call is asleep.
        errors = await _close_while(
            client,
            [client.describe_inventory_deletions],
            lambda: _quota(client) < capacity,
        )
        in_backoff = _quota(client)
        assert len(errors) == 1
        with pytest.raises(ConfigurationError, match=IN_FLIGHT):
            raise errors[0]
        await anyio.sleep(0.1)
        assert _quota(client) == in_backoff  # closing spent nothing more
    assert len(server.requests) == 2  # the retry was never sent


async def test_a_paginator_ends_at_once_in_a_page_and_between_pages(
    server: LoopbackServer,
) -> None:
    page = {"InventoryDeletions": [], "NextToken": "page-2"}
    with anyio.fail_after(10):
        # Closed while a page is in flight.
        client = _client(server)
        server.push(Reply(200, page))
        server.handler = lambda _: Stall()
        pages: list[object] = []

        async def iterate() -> None:
            async for each in client.paginate_describe_inventory_deletions():
                pages.append(each)

        errors = await _close_while(
            client, [iterate], lambda: len(server.requests) == 2
        )
        assert len(pages) == 1 and len(errors) == 1
        with pytest.raises(ConfigurationError, match=IN_FLIGHT):
            raise errors[0]

        # Closed by the loop's body, between two pages: the next page is refused.
        client = _client(server)
        server.push(Reply(200, page))
        with pytest.raises(ConfigurationError, match="is closed; create a new"):
            async for _ in client.paginate_describe_inventory_deletions():
                await client.aclose()
    assert len(server.requests) == 3


async def test_an_injected_http_client_is_left_open_while_its_calls_end(
    server: LoopbackServer,
) -> None:
    with anyio.fail_after(10):
        async with httpx.AsyncClient(timeout=30) as http:
            client = _client(server, http_client=http)
            await client.describe_inventory_deletions()
            before = _quota(client)
            server.handler = lambda _: Stall()
            errors = await _close_while(
                client,
                [client.describe_inventory_deletions],
                lambda: len(server.requests) == 2,
            )
            assert len(errors) == 1
            with pytest.raises(ConfigurationError, match=IN_FLIGHT):
                raise errors[0]
            assert _quota(client) == before
            assert not http.is_closed
            server.handler = lambda _: Reply(200, {})
            assert (await http.post(server.url, content=b"{}")).status_code == 200


async def test_a_waiter_asleep_between_polls_ends_at_once(
    server: LoopbackServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The same ConfigurationError a closed client gives, not after the delay."""
    from ssm_inventory import waiters

    # 30 s between polls at least: a waiter that slept it through would trip
    # the 10 s bound.
    slow = attrs.evolve(waiters._DELETION_COMPLETED_WAITER, min_delay=30, max_delay=60)
    monkeypatch.setattr(waiters, "_DELETION_COMPLETED_WAITER", slow)
    in_progress = {
        "InventoryDeletions": [{"DeletionId": "d-1", "LastStatus": "InProgress"}]
    }
    progress: list[WaiterProgress] = []
    with anyio.fail_after(10):
        client = _client(server)
        server.handler = lambda _: Reply(200, in_progress)
        errors = await _close_while(
            client,
            [
                lambda: client.wait_until_deletion_completed(
                    max_wait=600, on_attempt=progress.append
                )
            ],
            # on_attempt runs just before the pause, with no await between.
            lambda: len(progress) == 1,
        )
        assert progress[0].next_delay >= 30
        assert len(errors) == 1
        with pytest.raises(ConfigurationError, match="is closed; create a new client"):
            raise errors[0]
    assert len(server.requests) == 1  # no second poll
