"""An awsJson service for the endpoint discovery tests (models/discovered.smithy).

The shared loopback server (tests/support/loopback_server.py) with a handler.

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
from typing import Any

import httpx

from tests.support.loopback_server import (
    Action,
    LoopbackServer,
    Reply,
    Request,
    running,
)


class Seen:
    def __init__(self, host: str, target: str, headers: dict[str, str], body: Any):
        self.host = host
        self.target = target
        self.headers = headers
        self.body = body

    @property
    def operation(self) -> str:
        return self.target.rpartition(".")[2]


class DiscoveryServer:
    """The shared loopback server (tests/support) answering as ``answer`` says."""

    def __init__(self) -> None:
        self.seen: list[Seen] = []
        self.lock = threading.Lock()
        self.cells = 0
        self.describe_delay = 0.0
        self.cache_minutes = 1
        self.invalid_cells: set[str] = set()
        self.describe_fails = False
        self._server = LoopbackServer()
        self._server.handler = self._reply

    @property
    def port(self) -> int:
        return self._server.port

    def operations(self) -> list[str]:
        return [s.operation for s in self.seen]

    def _reply(self, request: Request) -> Action:
        seen = Seen(
            request.headers.get("host", ""),
            request.headers.get("x-amz-target", ""),
            request.headers,
            json.loads(request.body or b"{}"),
        )
        with self.lock:
            self.seen.append(seen)
        status, answer = self.answer(seen)
        return Reply(
            status,
            answer,
            headers=(("Content-Type", "application/x-amz-json-1.0"),),
        )

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


@contextmanager
def discovery_server() -> Iterator[DiscoveryServer]:
    server = DiscoveryServer()
    with running(server._server):
        yield server


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
