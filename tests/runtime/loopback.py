"""A real HTTP/1.1 server on 127.0.0.1 that misbehaves on request.

It runs in its own threads (one per connection), so it works the same under
the asyncio and trio tests and never shares their event loop. Each request
takes the next scripted behaviour; when the script runs out it answers 200.
"""

from __future__ import annotations

import json
import socket
import struct
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

OK_BODY = json.dumps({"Items": ["ok"]}).encode()


class LoopbackServer:
    def __init__(self, *script: str) -> None:
        self.script = list(script)
        self.requests: list[dict[str, str]] = []
        self.connections = 0  # accepted so far
        self.open_connections = 0
        self.max_open_connections = 0
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._sock = socket.create_server(("127.0.0.1", 0), backlog=256)
        self._sock.settimeout(0.02)
        self.port = self._sock.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}"
        self._threads: list[threading.Thread] = []

    def start(self) -> None:
        thread = threading.Thread(target=self._accept_loop, daemon=True)
        thread.start()
        self._threads.append(thread)

    def stop(self) -> None:
        self._stop.set()
        self._sock.close()
        for thread in self._threads:
            thread.join(timeout=2)

    def _accept_loop(self) -> None:
        while not self._stop.is_set():
            try:
                conn, _ = self._sock.accept()
            except (TimeoutError, OSError):
                continue
            with self._lock:
                self.connections += 1
                self.open_connections += 1
                self.max_open_connections = max(
                    self.max_open_connections, self.open_connections
                )
            thread = threading.Thread(target=self._serve, args=(conn,), daemon=True)
            thread.start()
            self._threads.append(thread)

    def _next_behaviour(self) -> str:
        with self._lock:
            return self.script.pop(0) if self.script else "ok"

    def _read_request(
        self, conn: socket.socket, buffer: bytes
    ) -> tuple[dict[str, str], bytes] | None:
        while b"\r\n\r\n" not in buffer:
            chunk = conn.recv(65536)
            if not chunk:
                return None
            buffer += chunk
        head, _, rest = buffer.partition(b"\r\n\r\n")
        headers: dict[str, str] = {}
        for line in head.decode("latin-1").split("\r\n")[1:]:
            name, _, value = line.partition(":")
            headers[name.strip().lower()] = value.strip()
        length = int(headers.get("content-length", "0"))
        while len(rest) < length:
            chunk = conn.recv(65536)
            if not chunk:
                return None
            rest += chunk
        self.requests.append(headers)
        return headers, rest[length:]

    def _serve(self, conn: socket.socket) -> None:
        buffer = b""
        conn.settimeout(10)
        try:
            while not self._stop.is_set():
                request = self._read_request(conn, buffer)
                if request is None:
                    return
                buffer = request[1]
                if not self._respond(conn, self._next_behaviour()):
                    return
        except OSError:
            return
        finally:
            conn.close()
            with self._lock:
                self.open_connections -= 1

    def _respond(self, conn: socket.socket, behaviour: str) -> bool:
        """Act out one behaviour; False when the connection must end."""

        def send(
            status: str,
            body: bytes,
            content_type: str = "application/x-amz-json-1.1",
            length: int | None = None,
        ) -> None:
            declared = len(body) if length is None else length
            conn.sendall(
                f"HTTP/1.1 {status}\r\nContent-Type: {content_type}\r\n"
                f"Content-Length: {declared}\r\nx-amzn-RequestId: req-{len(self.requests)}\r\n\r\n".encode()
                + body
            )

        if behaviour == "ok":
            send("200 OK", OK_BODY)
            return True
        if behaviour == "reset":
            # Headers and part of the body, then a TCP reset (SO_LINGER 0).
            conn.sendall(b'HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n{"Items": [')
            conn.setsockopt(
                socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0)
            )
            return False
        if behaviour == "cut":
            # Fewer bytes than Content-Length, then an orderly close.
            send("200 OK", b'{"Items": ["a"', length=40)
            return False
        if behaviour == "truncated_json":
            send("200 OK", b'{"Items": ["a"')
            return True
        if behaviour == "empty":
            send("200 OK", b"")
            return True
        if behaviour == "html_503":
            send(
                "503 Service Unavailable",
                b"<html><body><h1>503 Service Unavailable</h1></body></html>",
                "text/html",
            )
            return True
        if behaviour == "wrong_shape":
            send("200 OK", b'["Items", 1]')
            return True
        if behaviour == "huge":
            conn.sendall(b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n")
            chunk = b"x" * 65536
            try:
                for _ in range(64):  # 4 MiB, past the limit the test sets
                    conn.sendall(b"%x\r\n%s\r\n" % (len(chunk), chunk))
                conn.sendall(b"0\r\n\r\n")
            except OSError:
                pass
            return False
        if behaviour == "drip":
            body = b" " * 200 + OK_BODY
            conn.sendall(
                f"HTTP/1.1 200 OK\r\nContent-Length: {len(body)}\r\n\r\n".encode()
            )
            for byte in body:
                if self._stop.is_set():
                    return False
                conn.sendall(bytes([byte]))
                time.sleep(0.05)
            return True
        if behaviour == "silent":
            self._stop.wait(5)
            return False
        raise AssertionError(f"unknown behaviour {behaviour}")


@contextmanager
def loopback(*script: str) -> Iterator[LoopbackServer]:
    server = LoopbackServer(*script)
    server.start()
    try:
        yield server
    finally:
        server.stop()
