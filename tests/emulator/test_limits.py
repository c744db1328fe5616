"""Limits for an open port: head and body deadlines, a connection cap, no
body read before the head authenticates, and memory that stays bounded.

Deadlines are set short here (0.5 s) so that waiting for them is cheap; the
bounds checked are generous liveness bounds ("dropped at all, well before the
old behaviour of never"), not timings.
"""

from __future__ import annotations

import os
import socket
import time
from collections.abc import Iterator

import pytest
from ssm_emulator import (
    DEFAULT_CREDENTIALS,
    RunningEmulator,
    Settings,
    emulator_in_thread,
)

from tests.emulator import slow_clients
from tests.emulator.conftest import (
    RawResponse,
    as_raw,
    host_and_port,
    raw_exchange,
    read_response,
    send,
    signed_request,
)

SHORT = 0.5
# Far beyond SHORT, far below "never": a client not dropped by then never is.
GIVE_UP = 10.0


@pytest.fixture(scope="module")
def emulator() -> Iterator[RunningEmulator]:
    settings = Settings(header_timeout=SHORT, body_timeout=SHORT)
    with emulator_in_thread(settings) as running:
        yield running


def _connect(emu: RunningEmulator) -> socket.socket:
    return socket.create_connection(host_and_port(emu.url), timeout=GIVE_UP)


def _until_dropped(sock: socket.socket) -> tuple[RawResponse | None, float]:
    """Trickle nothing more; wait for the server's answer and close."""
    started = time.monotonic()
    response = read_response(sock)
    assert sock.recv(1) == b"", "the connection stayed open after the answer"
    return response, time.monotonic() - started


def test_a_head_trickled_a_byte_at_a_time_gets_a_408_and_is_closed(
    emulator: RunningEmulator,
) -> None:
    # Each byte used to restart uvicorn's keep-alive timer: no deadline at all.
    host = emulator.url.removeprefix("http://")
    started = time.monotonic()
    with _connect(emulator) as sock:
        sock.sendall(f"POST / HTTP/1.1\r\nHost: {host}\r\n".encode())
        sock.settimeout(0.1)
        answer = b""
        while time.monotonic() - started < GIVE_UP:
            try:
                sock.sendall(b"X")
                answer = sock.recv(65536)
                break
            except TimeoutError:
                continue
            except OSError:
                break
        elapsed = time.monotonic() - started
    assert answer.startswith(b"HTTP/1.1 408 "), answer
    assert b'"__type": "RequestTimeoutException"' in answer
    assert elapsed < GIVE_UP
    print(f"\ntrickled head dropped after {elapsed:.2f} s (header_timeout {SHORT})")


def test_a_silent_connection_is_closed_without_an_answer(
    emulator: RunningEmulator,
) -> None:
    with _connect(emulator) as sock:
        response, elapsed = _until_dropped(sock)
    assert response is None
    assert elapsed < GIVE_UP


def test_a_kept_alive_connection_gets_the_same_head_deadline(
    emulator: RunningEmulator,
) -> None:
    request = signed_request(
        emulator.url, "DescribeInventoryDeletions", {}, credentials=DEFAULT_CREDENTIALS
    )
    with _connect(emulator) as sock:
        sock.sendall(as_raw(request))
        first = read_response(sock)
        assert first is not None and first.status == 200
        assert "connection" not in first.headers  # kept alive
        sock.sendall(b"POST / HTTP/1.1\r\n")  # the next head starts, then stalls
        response, elapsed = _until_dropped(sock)
    assert response is not None
    assert response.error()[:2] == (408, "RequestTimeoutException")
    assert elapsed < GIVE_UP


def test_a_body_that_stalls_gets_a_408_and_the_connection_closes(
    emulator: RunningEmulator,
) -> None:
    request = signed_request(
        emulator.url,
        "DeleteInventory",
        {"TypeName": "Custom:Stalled"},
        credentials=DEFAULT_CREDENTIALS,
    )
    with _connect(emulator) as sock:
        sock.sendall(as_raw(request)[:-5])  # all but the body's last bytes
        response, elapsed = _until_dropped(sock)
    assert response is not None
    status, code, message = response.error()
    assert (status, code) == (408, "RequestTimeoutException")
    assert message == "The request body did not arrive within 0.5 seconds."
    assert response.headers["connection"] == "close"
    assert elapsed < GIVE_UP
    listed = send(
        signed_request(
            emulator.url,
            "DescribeInventoryDeletions",
            {},
            credentials=DEFAULT_CREDENTIALS,
        )
    ).json()["InventoryDeletions"]
    assert "Custom:Stalled" not in [d["TypeName"] for d in listed]


@pytest.mark.parametrize(
    ("authorization", "code"),
    [
        (None, "MissingAuthenticationTokenException"),
        (
            "AWS4-HMAC-SHA256 Credential=AKIAUNKNOWN000000000/20240101/us-east-1/ssm/"
            "aws4_request, SignedHeaders=host;x-amz-date, Signature=" + "0" * 64,
            "UnrecognizedClientException",
        ),
    ],
)
def test_an_unauthenticated_request_is_refused_before_its_body_is_read(
    emulator: RunningEmulator, authorization: str | None, code: str
) -> None:
    # The head declares a 1 MiB body that never comes: the answer must not
    # wait for it (it did, buffering bodies before authentication).
    host = emulator.url.removeprefix("http://")
    head = (
        f"POST / HTTP/1.1\r\nHost: {host}\r\n"
        "Content-Type: application/x-amz-json-1.1\r\n"
        "X-Amz-Target: AmazonSSM.DeleteInventory\r\n"
        "X-Amz-Date: 20240101T000000Z\r\n"
        + (f"Authorization: {authorization}\r\n" if authorization else "")
        + f"Content-Length: {2**20}\r\n\r\n"
    )
    response = raw_exchange(emulator.url, head.encode())
    assert response.error()[:2] == (400, code)
    assert response.headers["connection"] == "close"


def test_an_oversized_body_is_refused_and_the_connection_closed(
    emulator: RunningEmulator,
) -> None:
    request = signed_request(
        emulator.url,
        "DeleteInventory",
        {"TypeName": "Custom:Big", "Padding": "x" * (64 * 1024)},
        credentials=DEFAULT_CREDENTIALS,
    )
    response = raw_exchange(emulator.url, as_raw(request))
    assert response.error()[:2] == (413, "RequestEntityTooLargeException")
    assert response.headers["connection"] == "close"


def test_connections_beyond_the_cap_are_refused_then_served_again() -> None:
    with emulator_in_thread(Settings(max_connections=3)) as emu:
        held = [_connect(emu) for _ in range(3)]
        try:
            for sock in held:  # a byte each, so the server has accepted them
                sock.sendall(b"P")
            time.sleep(0.2)
            with _connect(emu) as extra:
                try:
                    refused = read_response(extra)
                except ConnectionResetError:
                    refused = None
            if refused is not None:  # the 503 may be lost to a reset
                assert refused.error()[:2] == (503, "ServiceUnavailableException")
        finally:
            for sock in held:
                sock.close()
        request = signed_request(
            emu.url, "DescribeInventoryDeletions", {}, credentials=DEFAULT_CREDENTIALS
        )
        deadline = time.monotonic() + GIVE_UP
        while True:  # the server notices the closed connections shortly
            response = raw_exchange(emu.url, as_raw(request))
            if response.status == 200 or time.monotonic() > deadline:
                break
            time.sleep(0.05)
        assert response.status == 200


@pytest.mark.slow
@pytest.mark.skipif(not os.path.exists("/proc/self/status"), reason="reads /proc")
def test_150_slow_clients_are_all_dropped_and_memory_stays_bounded() -> None:
    figures = slow_clients.run(
        150,
        ["--header-timeout", "1", "--body-timeout", "1", "--max-connections", "200"],
        give_up_after=30,
    )
    print("\n" + figures.report())
    assert figures.still_open == 0
    assert sorted(set(figures.answers["head"])) == [408]
    assert sorted(set(figures.answers["signed"])) == [408]
    # Refused at once, body unread: answered before any trickle could matter.
    assert sorted(set(figures.answers["anonymous"])) == [400]
    # 50 signed clients can make it hold 50 bodies of up to 64 KiB (3.2 MiB);
    # the old server grew by over 100 MiB and kept most of it.
    assert figures.rss_peak - figures.rss_before < 40 * 2**20
