"""The loopback server every contender talks to: canned awsJson1_1 answers.

Every response is rendered once at start-up, so the server's cost per request
is a header scan, a dictionary look-up and one ``transport.write``, the same
for every contender. It does not verify signatures or targets: it answers a form
body starting ``Action=GetCallerIdentity`` with STS's answer (``bench.sts``) and
any other POST as ``DescribeInventoryDeletions``.

Pagination: the answer to a request without ``NextToken`` is page 0 of
:data:`PAGES` pages of :data:`PAGE_SIZE` deletions each; page *k* carries the
token ``page-(k+1)`` and the last page none, so following the tokens yields
``PAGES * PAGE_SIZE`` (10,000) distinct deletions. Per-call benchmarks send no
token and so always get page 0, the same 50-item page.

``GET /2015-03-31/functions`` (Lambda ``ListFunctions``, the restJson1 row)
answers the canned 50-function page of :mod:`bench.rest_json`.

``GET /__stats`` answers the requests served, connections accepted and the
server process's CPU seconds so far, so the runner can report the server's own
cost and how many connections each contender opened.

Run as ``python -m bench.server [--port N]``: it prints ``PORT <n>`` once
listening and stops when its standard input closes.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
import threading
import time
from typing import Any

from bench.rest_json import list_functions_body
from bench.sts import IDENTITY_RESPONSE

PAGE_SIZE = 50
PAGES = 200
TOKEN_PREFIX = "page-"
_EPOCH_BASE = 1_700_000_000


def deletion_item(index: int) -> dict[str, Any]:
    """One ``InventoryDeletionStatusItem`` as the wire carries it, distinct per index."""
    total = 100 + index % 900
    done = index % 3 != 0
    return {
        "DeletionId": f"{index:08x}-1c2d-4e5f-8a9b-{index * 7919 % 16**12:012x}",
        "TypeName": ("AWS:Application", "AWS:InstanceInformation", "Custom:Disk")[
            index % 3
        ],
        "DeletionStartTime": _EPOCH_BASE + index * 61.25,
        "LastStatus": "Complete" if done else "InProgress",
        "LastStatusMessage": "Deletion is successful"
        if done
        else "Deletion in progress",
        "DeletionSummary": {
            "TotalCount": total,
            "RemainingCount": 0 if done else total // 2,
            "SummaryItems": [
                {"Version": "1.0", "Count": total, "RemainingCount": 0},
                {"Version": "2.0", "Count": total // 4, "RemainingCount": 0},
            ],
        },
        "LastStatusUpdateTime": _EPOCH_BASE + index * 61.25 + 3600,
    }


def page_body(page: int) -> bytes:
    """The JSON body of page ``page`` (0-based) of the canned listing."""
    start = page * PAGE_SIZE
    document: dict[str, Any] = {
        "InventoryDeletions": [
            deletion_item(i) for i in range(start, start + PAGE_SIZE)
        ]
    }
    if page + 1 < PAGES:
        document["NextToken"] = f"{TOKEN_PREFIX}{page + 1}"
    return json.dumps(document, separators=(",", ":")).encode()


def _http_response(status: str, body: bytes, content_type: str) -> bytes:
    head = (
        f"HTTP/1.1 {status}\r\n"
        f"Content-Type: {content_type}\r\n"
        f"Content-Length: {len(body)}\r\n"
        "x-amzn-RequestId: 8f1c6a52-0d1e-4b7a-9c3e-5a4b3c2d1e0f\r\n"
        "Date: Fri, 27 Nov 2026 00:00:00 GMT\r\n"
        "\r\n"
    )
    return head.encode("ascii") + body


def _render_pages() -> list[bytes]:
    return [
        _http_response("200 OK", page_body(k), "application/x-amz-json-1.1")
        for k in range(PAGES)
    ]


_BAD_TOKEN = _http_response(
    "400 Bad Request",
    b'{"__type":"InvalidNextToken","message":"The token is not valid"}',
    "application/x-amz-json-1.1",
)


STS_ACTION = b"Action=GetCallerIdentity"
_STS_IDENTITY = _http_response("200 OK", IDENTITY_RESPONSE, "text/xml")


class _Stats:
    def __init__(self) -> None:
        self.requests = 0
        self.connections = 0


class CannedProtocol(asyncio.Protocol):
    """HTTP/1.1 with keep-alive, just enough for clients that send Content-Length."""

    def __init__(
        self, pages: list[bytes], stats: _Stats, functions: bytes = b""
    ) -> None:
        self._pages = pages
        self._functions = functions
        self._stats = stats
        self._buffer = bytearray()
        self._transport: asyncio.Transport | None = None

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        assert isinstance(transport, asyncio.Transport)
        self._transport = transport
        self._stats.connections += 1

    def data_received(self, data: bytes) -> None:
        self._buffer += data
        # Several pipelined requests may sit in one read; a partial one waits.
        while True:
            end = self._buffer.find(b"\r\n\r\n")
            if end < 0:
                return
            head = bytes(self._buffer[:end]).lower()
            length = 0
            at = head.find(b"\r\ncontent-length:")
            if at >= 0:
                stop = head.find(b"\r\n", at + 2)
                length = int(head[at + 17 : stop if stop >= 0 else len(head)])
            total = end + 4 + length
            if len(self._buffer) < total:
                return
            body = bytes(self._buffer[end + 4 : total])
            del self._buffer[:total]
            self._answer(head, body)

    def _answer(self, head: bytes, body: bytes) -> None:
        transport = self._transport
        assert transport is not None
        self._stats.requests += 1
        if head.startswith(b"get /__stats"):
            payload = json.dumps(
                {
                    "requests": self._stats.requests - 1,
                    "connections": self._stats.connections,
                    "cpu_seconds": time.process_time(),
                }
            ).encode()
            self._stats.requests -= 1
            transport.write(_http_response("200 OK", payload, "application/json"))
        elif head.startswith(b"get /2015-03-31/functions"):
            transport.write(self._functions)
        else:
            transport.write(self._page_for(body))
        if b"\r\nconnection: close" in head:
            transport.close()

    def _page_for(self, body: bytes) -> bytes:
        if body.startswith(STS_ACTION):
            return _STS_IDENTITY  # bench.sts: the awsQuery row
        at = body.find(b'"NextToken"')
        if at < 0:
            return self._pages[0]
        start = body.find(TOKEN_PREFIX.encode(), at)
        if start < 0:
            return _BAD_TOKEN
        start += len(TOKEN_PREFIX)
        stop = start
        while stop < len(body) and 48 <= body[stop] <= 57:
            stop += 1
        if stop == start:
            return _BAD_TOKEN
        page = int(body[start:stop])
        return self._pages[page] if 0 < page < len(self._pages) else _BAD_TOKEN


async def serve(port: int, ready: threading.Event | None = None) -> None:
    """Serve on 127.0.0.1:``port`` until standard input closes (port 0: any free port)."""
    loop = asyncio.get_running_loop()
    pages = _render_pages()
    functions = _http_response("200 OK", list_functions_body(), "application/json")
    stats = _Stats()
    server = await loop.create_server(
        lambda: CannedProtocol(pages, stats, functions),
        "127.0.0.1",
        port,
        backlog=256,
    )
    bound = server.sockets[0].getsockname()[1]
    print(f"PORT {bound}", flush=True)
    stopped = asyncio.Event()

    def watch_stdin() -> None:
        sys.stdin.read()
        loop.call_soon_threadsafe(stopped.set)

    threading.Thread(target=watch_stdin, daemon=True).start()
    async with server:
        await stopped.wait()


def main() -> None:
    """Entry point of ``python -m bench.server``."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=0)
    args = parser.parse_args()
    asyncio.run(serve(args.port))


if __name__ == "__main__":
    main()
