"""State a client keeps across calls follows the running event loop (issue 16 item 5).

A lock or event made in one event loop cannot be awaited from another: an
asyncio one used under trio fails with ``RuntimeError: no running event
loop``, and one left behind by a closed asyncio loop is bound to it. The
client's own httpx client is covered on real sockets in
``tests/reliability/test_event_loops.py``; these are the smaller pieces.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Mapping
from typing import Any

import trio
from smithygen_runtime._discovery import EndpointDiscovery
from smithygen_runtime._loops import LoopBound, current_loop
from smithygen_runtime._retries import AsyncTokenBucket


def test_loop_bound_makes_one_value_per_loop_and_keeps_it_within_the_loop() -> None:
    made: list[object] = []

    def make() -> object:
        made.append(object())
        return made[-1]

    bound = LoopBound(make)

    async def twice() -> tuple[object, object]:
        return bound.get(), bound.get()

    first = asyncio.run(twice())
    second = trio.run(twice)
    assert first[0] is first[1] and second[0] is second[1]
    assert first[0] is not second[0] and len(made) == 2


def test_current_loop_names_each_asyncio_run_and_trio_run_apart() -> None:
    async def loop() -> object:
        return current_loop()

    loops = [asyncio.run(loop()), asyncio.run(loop()), trio.run(loop), trio.run(loop)]
    assert len({id(each) for each in loops}) == 4  # all alive here: ids distinct


def test_the_adaptive_bucket_waits_in_a_new_loop_after_a_waiter_of_a_dead_one() -> None:
    # Two tokens a second, none accrued: a waiter waits about 0.5 s.
    bucket = AsyncTokenBucket(max_rate=2, clock=time.monotonic)

    async def leave_a_waiter() -> None:
        asyncio.get_running_loop().create_task(bucket.acquire())
        await asyncio.sleep(0.02)  # it waits on the bucket's event

    asyncio.run(leave_a_waiter())  # cancelled at the end of the run
    assert bucket._rate_changed is not None  # its event is left behind
    trio.run(bucket.acquire)  # waits on an event of its own, gets a token
    assert bucket.available < 1


def test_endpoint_discovery_refreshes_from_one_loop_after_another() -> None:
    discovery = EndpointDiscovery()
    key = ("AKIDLOOPS",)
    answers = 0

    async def describe() -> Mapping[str, Any]:
        nonlocal answers
        answers += 1
        # Cached for 0 minutes: every call refreshes, under the key's lock.
        address = f"discovered-{answers}.example"
        return {"Endpoints": [{"Address": address, "CachePeriodInMinutes": 0}]}

    async def address() -> str | None:
        return await discovery.address(key, describe, required=True, operation="Op")

    assert asyncio.run(address()) == "discovered-1.example"
    assert trio.run(address) == "discovered-2.example"
    assert asyncio.run(address()) == "discovered-3.example"
