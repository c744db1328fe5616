"""Slow clients against an ``ssm-emulator`` process: its memory, and when each
client is dropped.

Three kinds of client, in equal numbers, each on its own connection, all
trickling one byte every ``TRICKLE`` seconds for as long as the server keeps
them:

* ``head``: a request head that never ends (a header line at a time);
* ``anonymous``: a complete head without a signature declaring a 1 MiB body,
  then the body a byte at a time;
* ``signed``: a head correctly signed with the example key declaring a body
  just under the body cap, nearly all of it sent at once, the rest trickled
  (the most a client can make the server hold).

Run: ``.venv/bin/python -m tests.emulator.slow_clients [CONNECTIONS]
[ssm-emulator options...]`` prints the figures; ``test_limits.py`` runs it
with short timeouts and checks them.
"""

from __future__ import annotations

import json
import re
import selectors
import socket
import sys
import threading
import time
from collections.abc import Sequence

import attrs

from tests.emulator.conftest import emulator_process, raw_exchange

KINDS = ("head", "anonymous", "signed")
TRICKLE = 0.2


@attrs.define
class Figures:
    """What one run measured."""

    connections: int
    rss_before: int
    rss_peak: int
    rss_after: int
    #: per kind: seconds from opening to being dropped, one per connection
    dropped_after: dict[str, list[float]]
    #: per kind: the status codes answered (0 when closed without a response)
    answers: dict[str, list[int]]
    #: connections still open when the run gave up waiting
    still_open: int

    def report(self) -> str:
        mib = 2**20
        lines = [
            f"{self.connections} slow connections: server RSS "
            f"{self.rss_before / mib:.1f} MiB before, peak {self.rss_peak / mib:.1f} "
            f"MiB (+{(self.rss_peak - self.rss_before) / mib:.1f}), "
            f"{self.rss_after / mib:.1f} MiB after; {self.still_open} never dropped"
        ]
        for kind in KINDS:
            times = sorted(self.dropped_after[kind])
            if times:
                statuses = sorted(set(self.answers[kind]))
                lines.append(
                    f"  {kind}: {len(times)} dropped after {times[0]:.2f}-"
                    f"{times[-1]:.2f} s (median {times[len(times) // 2]:.2f} s), "
                    f"answers {statuses}"
                )
        return "\n".join(lines)


def rss_of(pid: int) -> int:
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) * 1024
    raise RuntimeError("no VmRSS")


def _signed_head(url: str, length: int) -> bytes:
    # Imported here: the figures need botocore only for this kind.
    from botocore.auth import SigV4Auth
    from botocore.awsrequest import AWSRequest
    from botocore.credentials import Credentials
    from ssm_emulator import DEFAULT_CREDENTIALS

    body = json.dumps({"Padding": "x" * (length - 15)}).encode()
    assert len(body) == length
    request = AWSRequest(
        method="POST",
        url=url + "/",
        data=body,
        headers={
            "Content-Type": "application/x-amz-json-1.1",
            "X-Amz-Target": "AmazonSSM.DescribeInventoryDeletions",
        },
    )
    SigV4Auth(
        Credentials(
            DEFAULT_CREDENTIALS.access_key_id, DEFAULT_CREDENTIALS.secret_access_key
        ),
        "ssm",
        "us-east-1",
    ).add_auth(request)
    host = url.removeprefix("http://")
    lines = [f"Host: {host}", f"Content-Length: {length}"] + [
        f"{k}: {v}" for k, v in request.headers.items()
    ]
    return ("POST / HTTP/1.1\r\n" + "\r\n".join(lines) + "\r\n\r\n").encode() + body


@attrs.define
class _Client:
    kind: str
    sock: socket.socket
    opened: float
    pending: bytes  # trickled a byte at a time


def _open(kind: str, url: str, max_body: int) -> _Client:
    host, port = url.removeprefix("http://").rsplit(":", 1)
    sock = socket.create_connection((host, int(port)), timeout=5)
    sock.setblocking(False)
    opened = time.monotonic()
    if kind == "head":
        first, pending = (
            f"POST / HTTP/1.1\r\nHost: {host}:{port}\r\n",
            b"X-Slow: y\r\n" * 10_000,
        )
    elif kind == "anonymous":
        first = (
            f"POST / HTTP/1.1\r\nHost: {host}:{port}\r\nContent-Type: "
            "application/x-amz-json-1.1\r\nX-Amz-Target: AmazonSSM.DeleteInventory\r\n"
            f"Content-Length: {2**20}\r\n\r\n"
        )
        pending = b"x" * 10_000
    else:
        whole = _signed_head(url, max_body - 100)
        first, pending = whole[:-100].decode("latin-1"), whole[-100:]
    sock.sendall(first.encode("latin-1"))
    return _Client(kind, sock, opened, pending)


def _answer(data: bytes) -> int:
    match = re.match(rb"HTTP/1\.1 (\d{3})", data)
    return int(match.group(1)) if match else 0


def run(
    connections: int = 150,
    options: Sequence[str] = (),
    *,
    max_body: int = 64 * 1024,
    give_up_after: float = 60.0,
) -> Figures:
    """Open ``connections`` slow clients against a fresh emulator process."""
    with emulator_process(options) as (process, url):
        # Warm up (imports, first request) before the baseline.
        raw_exchange(url, b"GET / HTTP/1.1\r\nHost: " + url[7:].encode() + b"\r\n\r\n")
        time.sleep(0.3)
        rss_before = rss_of(process.pid)
        peak = rss_before
        clients = [_open(KINDS[i % 3], url, max_body) for i in range(connections)]
        selector = selectors.DefaultSelector()
        for index, client in enumerate(clients):
            selector.register(client.sock, selectors.EVENT_READ, index)
        dropped: dict[str, list[float]] = {kind: [] for kind in KINDS}
        answers: dict[str, list[int]] = {kind: [] for kind in KINDS}
        open_clients = set(range(len(clients)))
        stop = threading.Event()

        def trickle() -> None:
            while not stop.wait(TRICKLE):
                for index in list(open_clients):
                    client = clients[index]
                    if client.pending:
                        try:
                            client.sock.send(client.pending[:1])
                            client.pending = client.pending[1:]
                        except OSError:
                            pass

        sender = threading.Thread(target=trickle, daemon=True)
        sender.start()
        deadline = time.monotonic() + give_up_after
        try:
            while open_clients and time.monotonic() < deadline:
                peak = max(peak, rss_of(process.pid))
                for key, _ in selector.select(0.05):
                    index = key.data
                    client = clients[index]
                    try:
                        data = client.sock.recv(65536)
                    except BlockingIOError:
                        continue
                    except OSError:
                        data = b""
                    # A response or the close: either way the server let go
                    # (a response always closes these connections).
                    open_clients.discard(index)
                    selector.unregister(client.sock)
                    dropped[client.kind].append(time.monotonic() - client.opened)
                    answers[client.kind].append(_answer(data))
        finally:
            stop.set()
            sender.join(5)
            for client in clients:
                client.sock.close()
        time.sleep(0.5)
        rss_after = rss_of(process.pid)
    return Figures(
        connections=connections,
        rss_before=rss_before,
        rss_peak=peak,
        rss_after=rss_after,
        dropped_after=dropped,
        answers=answers,
        still_open=len(open_clients),
    )


if __name__ == "__main__":
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 150
    print(run(count, sys.argv[2:]).report())
