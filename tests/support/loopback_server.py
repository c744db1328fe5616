"""The loopback HTTP/1.1 server every socket-level test uses (127.0.0.1 only).

It runs in plain threads (one per connection), so it serves the asyncio and
the trio tests alike and never shares their event loop. Each request takes
the next scripted action, or asks ``handler`` when the script is empty; the
default answers 200 with a valid body for the operation named in
X-Amz-Target. The server records every request and counts the connections it
sees opened and closed, which is how the tests observe leaks from outside.
"""

from __future__ import annotations

import json
import select
import socket
import ssl
import struct
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from typing import Any

import attrs

OK_BODIES: dict[str, Any] = {
    "AmazonSSM.DescribeInventoryDeletions": {"InventoryDeletions": []},
    "AmazonSSM.DeleteInventory": {
        "DeletionId": "11111111-2222-3333-4444-555555555555",
        "TypeName": "Custom:Rack",
    },
}


@attrs.frozen
class Request:
    """One request as the server read it (header names lower-cased)."""

    method: str
    target: str
    headers: dict[str, str]
    body: bytes
    connection: int
    received: float  # time.monotonic() when the body was complete

    def json(self) -> Any:
        """The body parsed as JSON."""
        return json.loads(self.body)


@attrs.frozen
class Reply:
    """An ordinary response; ``body`` is bytes, or a value sent as JSON."""

    status: int = 200
    body: Any = b""
    headers: tuple[tuple[str, str], ...] = ()
    reason: str = "Whatever"
    delay: float = 0.0
    close: bool = False


@attrs.frozen
class Reset:
    """Send ``partial`` (the start of a response), then a TCP reset."""

    partial: bytes = (
        b"HTTP/1.1 200 OK\r\nContent-Type: application/x-amz-json-1.1\r\n"
        b'Content-Length: 200\r\n\r\n{"InventoryDeletions": [{"Deleti'
    )


@attrs.frozen
class Stall:
    """Read the request and never answer; hold the connection until the client
    closes it or the server stops."""


@attrs.frozen
class Drip:
    """A 200 whose body arrives ``step`` bytes every ``interval`` seconds."""

    body: bytes
    interval: float
    step: int = 1


@attrs.frozen
class Flood:
    """A 200 with a ``size``-byte body, chunked or with a Content-Length."""

    size: int
    chunked: bool = True


@attrs.frozen
class Raw:
    """Arbitrary bytes in place of a response, then close."""

    data: bytes


@attrs.frozen
class Hold:
    """Send ``data`` (the start of a response), then hold the connection open
    until the client closes it or the server stops (a stream still being sent)."""

    data: bytes


Action = Reply | Reset | Stall | Drip | Flood | Raw | Hold
Handler = Callable[[Request], Action]


def ok_reply(request: Request) -> Action:
    """A valid 200 for the operation the request names."""
    return Reply(200, OK_BODIES.get(request.headers.get("x-amz-target", ""), {}))


class LoopbackServer:
    """The server; use it through :func:`running_server`."""

    def __init__(
        self, tls: ssl.SSLContext | None = None, *, keep_requests: bool = True
    ) -> None:
        self.script: list[Action] = []
        self.handler: Handler = ok_reply
        self.requests: list[Request] = []
        self.request_count = 0
        # As HTTP servers do: a request with "Expect: 100-continue" gets an
        # interim "100 Continue" before its body is read (botocore waits up to
        # a second for it before sending the body).
        self.continue_expected = True
        self.interim_sent = 0
        self._keep = keep_requests
        self.opened = 0
        self.closed = 0
        self.max_open = 0
        self._tls = tls
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._conns: set[socket.socket] = set()
        self._sock = socket.create_server(("127.0.0.1", 0), backlog=512)
        self.port = self._sock.getsockname()[1]
        scheme = "https" if tls else "http"
        self.url = f"{scheme}://127.0.0.1:{self.port}"
        self._threads: list[threading.Thread] = []

    @property
    def open_now(self) -> int:
        """Connections accepted and not yet closed."""
        return self.opened - self.closed

    def reset(self) -> None:
        """Forget the requests and connection counts seen so far (and the script)."""
        with self._lock:
            self.script.clear()
            self.requests.clear()
            self.request_count = 0
            self.opened = self.closed = self.max_open = 0

    def push(self, *actions: Action) -> None:
        """Add actions to the script (taken one per request, in order)."""
        with self._lock:
            self.script.extend(actions)

    def wait_until(self, condition: Callable[[], bool], timeout: float = 3.0) -> bool:
        """Poll ``condition`` (from a test thread) until true or ``timeout``."""
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            if condition():
                return True
            time.sleep(0.01)
        return condition()

    def start(self) -> None:
        self._spawn(self._accept_loop)

    def stop(self) -> None:
        self._stop.set()
        self._sock.close()
        with self._lock:
            conns = list(self._conns)
        for conn in conns:
            with suppress(OSError):
                conn.shutdown(socket.SHUT_RDWR)
        for thread in list(self._threads):
            thread.join(timeout=2)

    def _spawn(self, target: Callable[..., None], *args: Any) -> None:
        thread = threading.Thread(target=target, args=args, daemon=True)
        self._threads.append(thread)
        thread.start()

    def _accept_loop(self) -> None:
        while not self._stop.is_set():
            try:
                if not select.select([self._sock], [], [], 0.05)[0]:
                    continue
                conn, _ = self._sock.accept()
            except (OSError, ValueError):  # closed by stop()
                continue
            with self._lock:
                self.opened += 1
                self.max_open = max(self.max_open, self.opened - self.closed)
                number = self.opened
                self._conns.add(conn)
            self._spawn(self._serve, conn, number)

    def _serve(self, conn: socket.socket, number: int) -> None:
        stream: socket.socket = conn
        try:
            if self._tls is not None:
                conn.settimeout(5)
                stream = self._tls.wrap_socket(conn, server_side=True)
            stream.settimeout(None)
            buffer = b""
            while not self._stop.is_set():
                parsed = self._read_request(stream, buffer, number)
                if parsed is None:
                    return
                request, buffer = parsed
                with self._lock:
                    self.request_count += 1
                    if self._keep:
                        self.requests.append(request)
                    action = self.script.pop(0) if self.script else None
                if action is None:
                    action = self.handler(request)
                if not self._act(stream, action):
                    return
        except (OSError, ssl.SSLError, ValueError):
            return
        finally:
            with suppress(OSError):
                stream.close()
            with self._lock:
                self.closed += 1
                self._conns.discard(conn)

    def _recv(self, stream: socket.socket) -> bytes:
        # Wake up regularly so stop() is noticed even on an idle keep-alive.
        while not self._stop.is_set():
            pending = isinstance(stream, ssl.SSLSocket) and stream.pending()
            if pending or select.select([stream], [], [], 0.05)[0]:
                return stream.recv(65536)
        return b""

    def _read_request(
        self, stream: socket.socket, buffer: bytes, number: int
    ) -> tuple[Request, bytes] | None:
        while b"\r\n\r\n" not in buffer:
            chunk = self._recv(stream)
            if not chunk:
                return None
            buffer += chunk
        head, _, rest = buffer.partition(b"\r\n\r\n")
        lines = head.decode("latin-1").split("\r\n")
        method, target, _ = lines[0].split(" ", 2)
        headers: dict[str, str] = {}
        for line in lines[1:]:
            name, _, value = line.partition(":")
            headers[name.strip().lower()] = value.strip()
        if (
            self.continue_expected
            and headers.get("expect", "").lower() == "100-continue"
        ):
            stream.sendall(b"HTTP/1.1 100 Continue\r\n\r\n")
            with self._lock:
                self.interim_sent += 1
        if headers.get("transfer-encoding", "").lower() == "chunked":
            unchunked = self._read_chunked(stream, rest)
            if unchunked is None:
                return None
            body, rest = unchunked
        else:
            length = int(headers.get("content-length", "0"))
            while len(rest) < length:
                chunk = self._recv(stream)
                if not chunk:
                    return None
                rest += chunk
            body, rest = rest[:length], rest[length:]
        request = Request(method, target, headers, body, number, time.monotonic())
        return request, rest

    def _read_chunked(
        self, stream: socket.socket, buffer: bytes
    ) -> tuple[bytes, bytes] | None:
        """A chunked request body (streamed uploads), and what follows it."""
        body = b""
        while True:
            while b"\r\n" not in buffer:
                chunk = self._recv(stream)
                if not chunk:
                    return None
                buffer += chunk
            size_line, _, buffer = buffer.partition(b"\r\n")
            size = int(size_line.split(b";", 1)[0], 16)
            while len(buffer) < size + 2:
                chunk = self._recv(stream)
                if not chunk:
                    return None
                buffer += chunk
            if size == 0:
                # No trailers are sent by httpx: the last chunk ends with CRLF.
                return body, buffer[2:]
            body += buffer[:size]
            buffer = buffer[size + 2 :]

    def _act(self, stream: socket.socket, action: Action) -> bool:
        """Carry out one action; False when the connection must end."""
        match action:
            case Reply():
                return self._reply(stream, action)
            case Reset(partial=partial):
                stream.sendall(partial)
                # SO_LINGER with a zero timeout turns close() into a reset.
                stream.setsockopt(
                    socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0)
                )
                return False
            case Stall():
                # Returns when the client closes its end (recv gives b"").
                while self._recv(stream):
                    pass
                return False
            case Drip(body=body, interval=interval, step=step):
                stream.sendall(
                    b"HTTP/1.1 200 OK\r\nContent-Type: application/x-amz-json-1.1\r\n"
                    b"Content-Length: %d\r\n\r\n" % len(body)
                )
                for start in range(0, len(body), step):
                    if self._stop.wait(interval):
                        return False
                    stream.sendall(body[start : start + step])
                return True
            case Flood(size=size, chunked=chunked):
                return self._flood(stream, size, chunked)
            case Raw(data=data):
                stream.sendall(data)
                return False
            case Hold(data=data):
                stream.sendall(data)
                while self._recv(stream):
                    pass
                return False
        raise AssertionError(f"unknown action {action!r}")

    def _reply(self, stream: socket.socket, reply: Reply) -> bool:
        if reply.delay and self._stop.wait(reply.delay):
            return False
        body = reply.body
        if not isinstance(body, bytes):
            body = json.dumps(body).encode()
        names = {name.lower() for name, _ in reply.headers}
        head = [f"HTTP/1.1 {reply.status} {reply.reason}"]
        if "content-type" not in names:
            head.append("Content-Type: application/x-amz-json-1.1")
        if "content-length" not in names:
            head.append(f"Content-Length: {len(body)}")
        head.append(f"x-amzn-RequestId: req-{self.request_count}")
        head.extend(f"{name}: {value}" for name, value in reply.headers)
        if reply.close:
            head.append("Connection: close")
        stream.sendall(("\r\n".join(head) + "\r\n\r\n").encode("latin-1") + body)
        return not reply.close

    def _flood(self, stream: socket.socket, size: int, chunked: bool) -> bool:
        framing = "Transfer-Encoding: chunked" if chunked else f"Content-Length: {size}"
        stream.sendall(f"HTTP/1.1 200 OK\r\n{framing}\r\n\r\n".encode())
        piece = b"[" + b"0," * (1 << 19)  # 1 MiB of a JSON array that never ends
        sent = 0
        while sent < size and not self._stop.is_set():
            part = piece[: size - sent]
            stream.sendall(b"%x\r\n%s\r\n" % (len(part), part) if chunked else part)
            sent += len(part)
        if chunked:
            stream.sendall(b"0\r\n\r\n")
        return True


@contextmanager
def running(server: LoopbackServer) -> Iterator[LoopbackServer]:
    """``server`` started, and stopped (all its connections cut) on exit."""
    server.start()
    try:
        yield server
    finally:
        server.stop()


@contextmanager
def running_server(
    tls: ssl.SSLContext | None = None, *, keep_requests: bool = True
) -> Iterator[LoopbackServer]:
    """A started server, stopped (all its connections cut) on exit.

    ``keep_requests=False`` only counts requests (for long load runs).
    """
    server = LoopbackServer(tls, keep_requests=keep_requests)
    server.start()
    try:
        yield server
    finally:
        server.stop()
