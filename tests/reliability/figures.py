"""Attempts and time for each fault, measured as in the tests: a table for reports.

Run: ``.venv/bin/python -m tests.reliability.figures [asyncio|trio]``. Each row
is one call of the generated SSMClient against the loopback server, with fast
retries (1-10 ms backoff) unless the row says otherwise.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import anyio
from smithygen_runtime import RetryConfig, Timeouts

from tests.reliability.conftest import client_for
from tests.reliability.test_clock_skew import skewed_server
from tests.support.loopback_server import (
    Action,
    Drip,
    Flood,
    LoopbackServer,
    Raw,
    Reply,
    Reset,
    Stall,
    running_server,
)

READ_05 = Timeouts(connect=2, read=0.5, write=2, pool=2)
DRIP = b'{"InventoryDeletions": [], "NextToken": "n"}'
HTML = Reply(
    502, b"<html><h1>502 Bad Gateway</h1></html>", (("Content-Type", "text/html"),)
)


def always(action: Action) -> Callable[[LoopbackServer], None]:
    def setup(server: LoopbackServer) -> None:
        server.handler = lambda _: action

    return setup


def once(action: Action) -> Callable[[LoopbackServer], None]:
    return lambda server: server.push(action)


ROWS: list[tuple[str, Callable[[LoopbackServer], None], dict[str, Any]]] = [
    ("503 once", once(Reply(503)), {}),
    ("ThrottlingException once", once(Reply(400, {"__type": "ThrottlingException"})), {}),
    ("connection reset once", once(Reset()), {}),
    ("closed without response once", once(Raw(b"")), {}),
    ("read timeout once (read 0.5 s)", once(Stall()), {"timeout": READ_05}),
    ("500 always", always(Reply(500, {"__type": "InternalServerError"})), {}),
    ("500 always, default backoff", always(Reply(500)), {"retry": RetryConfig()}),
    ("proxy HTML 502 always", always(HTML), {}),
    ("reset always", always(Reset()), {}),
    ("silent server (read 0.5 s)", always(Stall()), {"timeout": READ_05}),
    ("silent server, deadline 0.7 s", always(Stall()), {"timeout": 30, "deadline": 0.7}),
    ("InvalidDeletionIdException", once(Reply(400, {"__type": "InvalidDeletionIdException"})), {}),
    ("clock 1 h ahead", lambda s: setattr(s, "handler", skewed_server(lambda: timedelta(hours=1))), {}),
    ("truncated JSON 200", once(Reply(200, b'{"InventoryDeletions": [')), {}),
    ("empty 200", once(Reply(200, b"")), {}),
    ("JSON list 200", once(Reply(200, [1, 2])), {}),
    ("InventoryDeletions a number", once(Reply(200, {"InventoryDeletions": 5})), {}),
    ("100,000 nested '['", once(Reply(200, b"[" * 100_000)), {}),
    ("gzip body of text", once(Reply(200, b"not gzip", (("Content-Encoding", "gzip"),))), {}),
    ("gzip body of 1 byte (known gap)", once(Reply(200, b"x", (("Content-Encoding", "gzip"),))), {}),
    ("50 MB chunked body", once(Flood(50 << 20)), {"timeout": 10}),
    ("50 MB declared body", once(Flood(50 << 20, chunked=False)), {"timeout": 10}),
    ("drip 6 B / 0.2 s (read 0.5 s)", once(Drip(DRIP, 0.2, 6)), {"timeout": 0.5}),
    ("same drip, deadline 0.6 s", once(Drip(DRIP, 0.2, 6)), {"timeout": 0.5, "deadline": 0.6}),
    ("drip 6 B / 0.6 s (read 0.3 s)", always(Drip(DRIP, 0.6, 6)), {"timeout": Timeouts(read=0.3)}),
]  # fmt: skip


async def measure(
    name: str, setup: Callable[[LoopbackServer], None], options: dict[str, Any]
) -> str:
    with running_server() as server:
        async with client_for(server, **options) as client:
            await client.describe_inventory_deletions()  # set-up, off the clock
            before = len(server.requests)
            setup(server)
            started = time.monotonic()
            try:
                with anyio.fail_after(30):
                    await client.describe_inventory_deletions()
                outcome = "success"
            except Exception as exc:
                outcome = type(exc).__name__
            elapsed = time.monotonic() - started
        attempts = len(server.requests) - before
    return f"| {name} | {outcome} | {attempts} | {elapsed:.2f} |"


async def main() -> None:
    print("| fault | outcome | attempts | seconds |\n|---|---|---|---|")
    for row in ROWS:
        print(await measure(*row))


if __name__ == "__main__":
    anyio.run(main, backend=sys.argv[1] if len(sys.argv) > 1 else "asyncio")
