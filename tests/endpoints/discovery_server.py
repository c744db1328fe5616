"""A loopback awsJson server for the endpoint discovery tests (models/discovered.smithy).

It answers on 127.0.0.1 whatever host a request names; ``LoopbackDns`` (an
httpx transport) sends every request there while the request keeps the URL,
Host header and signature it was made with, as if DNS pointed each name at
this server. ``DescribeEndpoints`` hands out ``cell-N.records.<region>...``
addresses; a cell listed in ``invalid_cells`` answers InvalidEndpointException.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import httpx


class Seen:
    def __init__(self, host: str, target: str, headers: dict[str, str], body: Any):
        self.host = host
        self.target = target
        self.headers = headers
        self.body = body

    @property
    def operation(self) -> str:
        return self.target.rpartition(".")[2]


class DiscoveryServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.seen: list[Seen] = []
        self.lock = threading.Lock()
        self.cells = 0
        self.describe_delay = 0.0
        self.cache_minutes = 1
        self.invalid_cells: set[str] = set()
        self.describe_fails = False

    @property
    def port(self) -> int:
        return int(self.server_address[1])

    def operations(self) -> list[str]:
        return [s.operation for s in self.seen]

    def answer(self, seen: Seen) -> tuple[int, dict[str, Any]]:
        op = seen.operation
        if op == "DescribeEndpoints":
            if self.describe_delay:
                time.sleep(self.describe_delay)
            if self.describe_fails:
                return 500, {"__type": "InternalFailure", "message": "down"}
            with self.lock:
                self.cells += 1
                cell = f"cell-{self.cells}.records.us-east-1.amazonaws.com"
            return 200, {
                "Endpoints": [
                    {"Address": cell, "CachePeriodInMinutes": self.cache_minutes}
                ]
            }
        if seen.host.split(":")[0] in self.invalid_cells:
            return 421, {"__type": "InvalidEndpointException", "Message": "moved"}
        if op == "WriteRecords":
            return 200, {"RecordsIngested": len(seen.body.get("Records", []))}
        if op == "ListTables":
            return 200, {"TableNames": ["t1"]}
        return 200, {"Status": "ok"}


class _Handler(BaseHTTPRequestHandler):
    server: DiscoveryServer

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length", "0"))
        body = json.loads(self.rfile.read(length) or b"{}")
        seen = Seen(
            self.headers.get("Host", ""),
            self.headers.get("X-Amz-Target", ""),
            {k.lower(): v for k, v in self.headers.items()},
            body,
        )
        with self.server.lock:
            self.server.seen.append(seen)
        status, answer = self.server.answer(seen)
        content = json.dumps(answer).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/x-amz-json-1.0")
        self.send_header("Content-Length", str(len(content)))
        self.end_headers()
        self.wfile.write(content)

    def log_message(self, format: str, *args: Any) -> None:
        pass


@contextmanager
def discovery_server() -> Iterator[DiscoveryServer]:
    server = DiscoveryServer()
    thread = threading.Thread(
        target=server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True
    )
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


class LoopbackDns(httpx.AsyncBaseTransport):
    """Connects every request to 127.0.0.1:port over plain HTTP, URL otherwise kept."""

    def __init__(self, port: int) -> None:
        self._port = port
        self._inner = httpx.AsyncHTTPTransport()

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        request.url = request.url.copy_with(
            scheme="http", host="127.0.0.1", port=self._port
        )
        return await self._inner.handle_async_request(request)

    async def aclose(self) -> None:
        await self._inner.aclose()
