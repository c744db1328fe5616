"""uvicorn's HTTP/1.1 protocol with the limits a server on an open port needs.

uvicorn bounds the size of a request head (h11, 16 KiB) and closes idle
keep-alive connections, but it has no deadline for a head that arrives
slowly (each byte restarts its keep-alive timer), no cap on open connections
(its ``limit_concurrency`` answers 503 only once a head is complete, so slow
heads still pile up), and it answers a request h11 cannot parse with a
text/plain 400.  This subclass adds, per connection:

* a head deadline: ``header_timeout`` seconds from the connection's start, or
  from the previous response, until a complete request head; then a 408
  (when part of a head arrived) and the connection is closed;
* a connection cap: beyond ``max_connections`` open at once a new connection
  gets a 503 and is closed at once, before it can hold anything;
* the AWS JSON error shape for what it refuses itself (400, 408, 503).

The body deadline lives in the app (``app.py``), which reads the body.
"""

from __future__ import annotations

import asyncio
import json
import logging
import uuid
from typing import Any, ClassVar

import attrs
from uvicorn.protocols.http.h11_impl import H11Protocol

from .app import CONTENT_TYPE

__all__ = ["ConnectionLimits", "limited_protocol"]

_log = logging.getLogger("ssm_emulator")
_REASONS = {400: "Bad Request", 408: "Request Timeout", 503: "Service Unavailable"}


@attrs.frozen(kw_only=True)
class ConnectionLimits:
    """The per-server limits ``LimitedH11Protocol`` enforces."""

    header_timeout: float
    max_connections: int


def limited_protocol(limits: ConnectionLimits) -> type[H11Protocol]:
    """A protocol class bound to ``limits`` (uvicorn instantiates it itself)."""
    return type("LimitedH11Protocol", (_LimitedH11Protocol,), {"limits": limits})


def error_response(status: int, code: str, message: str) -> bytes:
    """A complete HTTP/1.1 error response in the awsJson shape, closing the
    connection; written raw because it may precede any request (h11 would
    refuse a response there)."""
    body = json.dumps({"__type": code, "message": message}).encode()
    head = (
        f"HTTP/1.1 {status} {_REASONS.get(status, 'Error')}\r\n"
        f"content-type: {CONTENT_TYPE}\r\n"
        f"content-length: {len(body)}\r\n"
        f"x-amzn-requestid: {uuid.uuid4()}\r\n"
        "connection: close\r\n\r\n"
    )
    return head.encode("ascii") + body


class _LimitedH11Protocol(H11Protocol):
    limits: ClassVar[ConnectionLimits]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._head_timer: asyncio.TimerHandle | None = None
        self._head_begun = False

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        if len(self.connections) > self.limits.max_connections:
            _log.warning(
                "connection refused: %d connections open (max_connections)",
                len(self.connections) - 1,
            )
            self._refuse(
                503,
                "ServiceUnavailableException",
                f"The emulator has {self.limits.max_connections} connections open, "
                "its limit; retry later.",
            )
            return
        self._arm_head_timer()

    def data_received(self, data: bytes) -> None:
        self._head_begun = self._head_begun or bool(data)
        super().data_received(data)

    def handle_events(self) -> None:
        waiting = self.cycle
        super().handle_events()
        if self.cycle is not waiting:  # a complete head made a new cycle
            self._disarm_head_timer()

    def on_response_complete(self) -> None:
        # Armed first: a pipelined request handled inside super() disarms it.
        self._arm_head_timer()
        super().on_response_complete()

    def connection_lost(self, exc: Exception | None) -> None:
        self._disarm_head_timer()
        super().connection_lost(exc)

    def send_400_response(self, msg: str) -> None:
        self._refuse(400, "BadRequestException", f"Invalid HTTP request: {msg}")

    def _arm_head_timer(self) -> None:
        self._disarm_head_timer()
        self._head_begun = False
        self._head_timer = self.loop.call_later(
            self.limits.header_timeout, self._head_timed_out
        )

    def _disarm_head_timer(self) -> None:
        if self._head_timer is not None:
            self._head_timer.cancel()
            self._head_timer = None

    def _head_timed_out(self) -> None:
        self._head_timer = None
        if self.transport.is_closing():
            return
        if not self._head_begun:
            self.transport.close()  # an idle connection: nothing to answer
            return
        self._refuse(
            408,
            "RequestTimeoutException",
            "The request head did not arrive within "
            f"{self.limits.header_timeout:g} seconds.",
        )

    def _refuse(self, status: int, code: str, message: str) -> None:
        self._disarm_head_timer()
        self.transport.write(error_response(status, code, message))
        self.transport.close()
