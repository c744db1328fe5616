"""Loopback servers that record what a client sends: HTTP(S) endpoints and a proxy.

They run in threads of their own, so a synchronous botocore client and an
async client can both call them from the test's thread.
"""

from __future__ import annotations

import http.server
import json
import socket
import ssl
import threading
from typing import Any

BODIES = {
    200: {"InventoryDeletions": []},
    500: {"__type": "InternalServerError", "message": "scripted failure"},
}


class RecordingServer(http.server.ThreadingHTTPServer):
    """Answers every POST with one status, keeping each request's headers.

    With ``tls``, connections are TLS; ``connections`` counts TCP accepts, so
    handshakes that fail (an untrusted CA) are counted too.
    """

    daemon_threads = True

    def __init__(self, label: str, *, tls: ssl.SSLContext | None = None) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.label = label
        self.tls = tls
        self.status = 200
        self.requests: list[dict[str, str]] = []
        self.connections = 0
        self._lock = threading.Lock()
        scheme = "https" if tls else "http"
        self.url = f"{scheme}://127.0.0.1:{self.server_address[1]}"
        self._thread = threading.Thread(target=self.serve_forever, daemon=True)

    def start(self) -> RecordingServer:
        self._thread.start()
        return self

    def stop(self) -> None:
        self.shutdown()
        self.server_close()

    def reset(self, status: int) -> None:
        with self._lock:
            self.status = status
            self.requests.clear()
            self.connections = 0

    def get_request(self) -> tuple[socket.socket, Any]:
        sock, address = self.socket.accept()
        with self._lock:
            self.connections += 1
        if self.tls is not None:
            # The handshake happens in the handler's thread, on first read.
            sock = self.tls.wrap_socket(
                sock, server_side=True, do_handshake_on_connect=False
            )
        return sock, address

    def handle_error(self, request: Any, client_address: Any) -> None:
        pass  # failed handshakes are expected in the TLS scenarios

    def record(self, headers: dict[str, str]) -> int:
        with self._lock:
            self.requests.append(headers)
            return self.status


class _Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: RecordingServer

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length", "0"))
        self.rfile.read(length)
        status = self.server.record({k.lower(): v for k, v in self.headers.items()})
        body = json.dumps(BODIES[status]).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/x-amz-json-1.1")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("x-amzn-RequestId", "scenario")
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: Any) -> None:
        pass


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
