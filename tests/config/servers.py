"""What the configuration scenarios send to: recording HTTP(S) endpoints and a proxy.

The endpoints are the shared loopback server (tests/support/loopback_server.py)
answering one scripted status; the proxy refuses every CONNECT and records
its target. Both run in threads of their own, so a synchronous botocore
client and an async client can both call them from the test's thread.
"""

from __future__ import annotations

import socket
import ssl
import threading

from tests.support.loopback_server import Action, LoopbackServer, Reply, Request

BODIES = {
    200: {"InventoryDeletions": []},
    500: {"__type": "InternalServerError", "message": "scripted failure"},
}


class RecordingServer:
    """Answers every POST with one status, keeping each request's headers.

    The shared loopback server (tests/support) underneath. With ``tls``,
    connections are TLS; ``connections`` counts TCP accepts, so handshakes
    that fail (an untrusted CA) are counted too.
    """

    def __init__(self, label: str, *, tls: ssl.SSLContext | None = None) -> None:
        self.label = label
        self.tls = tls
        self.status = 200
        self._server = LoopbackServer(tls)
        self._server.handler = self._answer
        self.url = self._server.url

    def _answer(self, request: Request) -> Action:
        return Reply(self.status, BODIES[self.status], reason="Scripted")

    @property
    def requests(self) -> list[dict[str, str]]:
        """The headers of each request (names lower-cased)."""
        return [request.headers for request in self._server.requests]

    @property
    def connections(self) -> int:
        return self._server.opened

    def start(self) -> RecordingServer:
        self._server.start()
        return self

    def stop(self) -> None:
        self._server.stop()

    def reset(self, status: int) -> None:
        self.status = status
        self._server.reset()


class RefusingProxy:
    """An HTTP proxy that records each CONNECT target and refuses it (403).

    Requests for the service's real endpoints (the rules' result) come here
    and go no further: the scenarios see where a client would have gone
    without any network.
    """

    def __init__(self) -> None:
        self._sock = socket.create_server(("127.0.0.1", 0))
        self._sock.settimeout(0.05)
        self.url = f"http://127.0.0.1:{self._sock.getsockname()[1]}"
        self.targets: list[str] = []
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._serve, daemon=True)

    def start(self) -> RefusingProxy:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(timeout=2)
        self._sock.close()

    def reset(self) -> None:
        with self._lock:
            self.targets.clear()

    def _serve(self) -> None:
        while not self._stop.is_set():
            try:
                conn, _ = self._sock.accept()
            except (TimeoutError, OSError):
                continue
            with conn:
                conn.settimeout(2)
                head = b""
                try:
                    while b"\r\n\r\n" not in head:
                        chunk = conn.recv(4096)
                        if not chunk:
                            break
                        head += chunk
                    method, target, *_ = head.split(b"\r\n", 1)[0].decode().split()
                    with self._lock:
                        self.targets.append(f"{method} {target}")
                    conn.sendall(
                        b"HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\n"
                        b"Connection: close\r\n\r\n"
                    )
                except (OSError, ValueError):
                    continue
