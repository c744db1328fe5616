"""A minimal asyncio HTTP/1.1 server in a child process, for the load test.

The threaded LoopbackServer shares the test's GIL: under load its threads and
the client's event loop take turns and the figures measure that contention,
not the client. This server runs in its own process (spawned, so nothing of
the test process is inherited), answers every FAILURE_EVERY-th first attempt
(``amz-sdk-request: attempt=1; ...``) with a 503 and counts, in shared memory,
requests, injected failures and connections opened, closed and open at once.

Only first attempts fail: with failures drawn from all requests a call now
and then meets a 503 on each of its three attempts (at 5% that is one call in
8,000), and the test could not tell that from a retry bug.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import multiprocessing
import multiprocessing.sharedctypes
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import attrs

OK = json.dumps({"InventoryDeletions": []}).encode()
UNAVAILABLE = b"<html><body>503 Service Unavailable</body></html>"
# Indexes into the shared counters.
REQUESTS, FAILURES, OPENED, CLOSED, MAX_OPEN, FIRST_ATTEMPTS = range(6)


def _response(status: str, body: bytes, content_type: str) -> bytes:
    head = (
        f"HTTP/1.1 {status}\r\nContent-Type: {content_type}\r\n"
        f"Content-Length: {len(body)}\r\nx-amzn-RequestId: load\r\n\r\n"
    )
    return head.encode() + body


def _serve(stats: Any, port: Any, ready: Any, stop: Any, failure_every: int) -> None:
    ok = _response("200 OK", OK, "application/x-amz-json-1.1")
    unavailable = _response("503 Service Unavailable", UNAVAILABLE, "text/html")

    async def handle(
        reader: asyncio.StreamReader, writer: asyncio.StreamWriter
    ) -> None:
        stats[OPENED] += 1
        stats[MAX_OPEN] = max(stats[MAX_OPEN], stats[OPENED] - stats[CLOSED])
        try:
            while True:
                head = await reader.readuntil(b"\r\n\r\n")
                length = 0
                first = False
                for line in head.split(b"\r\n"):
                    name, _, value = line.partition(b":")
                    name = name.strip().lower()
                    if name == b"content-length":
                        length = int(value)
                    elif name == b"amz-sdk-request":
                        first = value.strip().startswith(b"attempt=1;")
                await reader.readexactly(length)
                stats[REQUESTS] += 1
                stats[FIRST_ATTEMPTS] += first
                if first and stats[FIRST_ATTEMPTS] % failure_every == 0:
                    stats[FAILURES] += 1
                    writer.write(unavailable)
                else:
                    writer.write(ok)
                await writer.drain()
        except (
            asyncio.IncompleteReadError,
            ConnectionError,
            asyncio.LimitOverrunError,
        ):
            pass
        finally:
            stats[CLOSED] += 1
            writer.close()

    async def main() -> None:
        server = await asyncio.start_server(handle, "127.0.0.1", 0, backlog=1024)
        port.value = server.sockets[0].getsockname()[1]
        ready.set()
        loop = asyncio.get_running_loop()
        await loop.run_in_executor(None, stop.wait)
        server.close()

    asyncio.run(main())


@attrs.define
class LoadServer:
    """Handle on the child process: its URL and live counters."""

    url: str
    _stats: Any

    def stat(self, index: int) -> int:
        return int(self._stats[index])

    @property
    def open_now(self) -> int:
        return self.stat(OPENED) - self.stat(CLOSED)


@contextmanager
def load_server(failure_every: int) -> Iterator[LoadServer]:
    """Start the server process; stop it on exit."""
    context = multiprocessing.get_context("spawn")
    stats = context.Array("q", 6, lock=False)
    port = context.Value("i", 0, lock=False)
    ready, stop = context.Event(), context.Event()
    process = context.Process(
        target=_serve, args=(stats, port, ready, stop, failure_every), daemon=True
    )
    process.start()
    try:
        if not ready.wait(30):
            raise RuntimeError("the load server did not start")
        yield LoadServer(f"http://127.0.0.1:{port.value}", stats)
    finally:
        stop.set()
        process.join(5)
        if process.is_alive():
            with contextlib.suppress(Exception):
                process.kill()
            process.join(5)
