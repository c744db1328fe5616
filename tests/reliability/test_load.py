"""A small load test: many concurrent calls through one client, 5% of them 503.

Every call must succeed (the 503s are retried), the client must never hold
more connections than its pool limit, every connection must be closed by
``aclose()``, and memory must stay flat from the thousandth call (or the
middle of a shorter run) to the last.

Size: LOAD_CALLS calls at LOAD_CONCURRENCY (2,000 at 64 by default, as
``make test`` runs it); the issue's full size is
``LOAD_CALLS=10000 LOAD_CONCURRENCY=100 pytest tests/reliability/test_load.py -s``.
The figures are printed (use -s to see them).
"""

from __future__ import annotations

import gc
import os
import time
from collections.abc import Iterator

import anyio
import pytest
from smithygen_runtime import RetryConfig
from smithygen_runtime._client import MAX_CONNECTIONS
from ssm_inventory import DescribeInventoryDeletionsResult

from tests.reliability.conftest import client_for
from tests.reliability.load_server import (
    FAILURES,
    MAX_OPEN,
    OPENED,
    REQUESTS,
    LoadServer,
    load_server,
)

pytestmark = pytest.mark.anyio
CALLS = int(os.environ.get("LOAD_CALLS", "2000"))
CONCURRENCY = int(os.environ.get("LOAD_CONCURRENCY", "64"))
FAILURE_EVERY = 20  # 5% of calls meet a 503 on their first attempt
# Memory is compared between this call (after the warm-up) and the end.
MARK = min(1000, CALLS // 2)
# The owned client's pool size (a private constant: no public API reads it).
POOL_LIMIT = MAX_CONNECTIONS
EMPTY = DescribeInventoryDeletionsResult(inventory_deletions=[])


@pytest.fixture
def anyio_backend() -> str:
    """asyncio: the load is about the client's pool and memory, not the loop."""
    return "asyncio"


def _rss_bytes() -> int:
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")


@pytest.fixture
def server() -> Iterator[LoadServer]:
    with load_server(FAILURE_EVERY) as running:
        yield running


async def _until_closed(server: LoadServer, timeout: float = 5.0) -> bool:
    with anyio.move_on_after(timeout):
        while server.open_now:
            await anyio.sleep(0.02)
    return server.open_now == 0


@pytest.mark.skipif(
    not os.path.exists("/proc/self/statm"), reason="needs /proc to read RSS"
)
async def test_concurrent_calls_with_injected_503s(server: LoadServer) -> None:
    # The standard retry settings, but with backoff in tens of milliseconds
    # so the run measures the client rather than sleeping.
    retry = RetryConfig(base_delay=0.05, max_backoff=0.05)
    results: list[DescribeInventoryDeletionsResult] = []
    rss: dict[str, int] = {}
    next_call = iter(range(CALLS))
    with anyio.fail_after(max(60, CALLS / 20)):
        async with client_for(server.url, retry=retry, timeout=30) as client:

            async def worker() -> None:
                for number in next_call:
                    results.append(await client.describe_inventory_deletions())
                    if number == MARK:
                        gc.collect()
                        rss["middle"] = _rss_bytes()

            started = time.monotonic()
            async with anyio.create_task_group() as tg:
                for _ in range(CONCURRENCY):
                    tg.start_soon(worker)
            elapsed = time.monotonic() - started
            gc.collect()
            rss["end"] = _rss_bytes()
            open_during = server.open_now
        assert await _until_closed(server), "connections left open after aclose()"

    failures = server.stat(FAILURES)
    assert len(results) == CALLS and all(r == EMPTY for r in results)
    assert failures == CALLS // FAILURE_EVERY
    assert server.stat(REQUESTS) == CALLS + failures
    assert server.stat(MAX_OPEN) <= POOL_LIMIT
    assert open_during <= POOL_LIMIT
    growth = rss["end"] - rss["middle"]
    assert growth < 16 * 2**20, f"RSS grew by {growth / 2**20:.1f} MiB"
    print(
        f"\nload: {CALLS} calls at concurrency {CONCURRENCY}: {elapsed:.2f} s, "
        f"{CALLS / elapsed:.0f} calls/s; {failures} injected 503s retried; "
        f"{server.stat(OPENED)} connections opened (max {server.stat(MAX_OPEN)} "
        f"open at once, pool limit {POOL_LIMIT}); RSS {rss['middle'] / 2**20:.1f}"
        f" -> {rss['end'] / 2**20:.1f} MiB from call {MARK} to the end"
    )
