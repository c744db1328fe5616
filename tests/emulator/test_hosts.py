"""Who may reach the emulator: the Host header it answers to, and the
addresses it agrees to listen on while it accepts the public example key."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest
from ssm_emulator import (
    DEFAULT_CREDENTIALS,
    EmulatorServer,
    ExposedExampleKeyError,
    RunningEmulator,
    Settings,
    emulator_in_thread,
)
from ssm_emulator.server import check_listen_address
from ssm_emulator.settings import EmulatorCredentials

from tests.emulator.conftest import (
    CONTENT_TYPE,
    error_of,
    host_and_port,
    raw_exchange,
    send,
    signed_request,
)


@pytest.fixture(scope="module")
def emulator() -> Iterator[RunningEmulator]:
    with emulator_in_thread(Settings()) as running:
        yield running


def _signed_for_host(emu: RunningEmulator, host: str) -> httpx.Request:
    """A request correctly signed for ``Host: host``, sent to ``emu``.

    Signing is no hurdle for an attacker: the example key pair is public, so
    a page under DNS rebinding can sign its requests too.
    """
    signed = signed_request(
        f"http://{host}",
        "DescribeInventoryDeletions",
        {},
        credentials=DEFAULT_CREDENTIALS,
    )
    headers = {k: v for k, v in signed.headers.items() if k.lower() != "host"}
    return httpx.Request(
        "POST",
        emu.url + "/",
        content=signed.content,
        headers={**headers, "Host": host},
    )


def _port(emu: RunningEmulator) -> int:
    return host_and_port(emu.url)[1]


@pytest.mark.parametrize(
    "host", ["127.0.0.1:{port}", "localhost:{port}", "127.9.9.9:{port}"]
)
def test_loopback_names_with_the_served_port_are_answered(
    emulator: RunningEmulator, host: str
) -> None:
    request = _signed_for_host(emulator, host.format(port=_port(emulator)))
    assert send(request).status_code == 200


@pytest.mark.parametrize(
    "host",
    [
        "evil.example:{port}",  # DNS rebinding: the attacker's name, our port
        "evil.example",
        "127.0.0.1:{other}",
        "localhost",  # no port means 80, which is not ours
        "127.0.0.1.evil.example:{port}",
        "localhost.:{port}",
        "10.0.0.1:{port}",
    ],
)
def test_other_hosts_are_misdirected_even_when_correctly_signed(
    emulator: RunningEmulator, host: str
) -> None:
    port = _port(emulator)
    shown = host.format(port=port, other=port + 1 if port < 65535 else port - 1)
    status, code, message = error_of(send(_signed_for_host(emulator, shown)))
    assert (status, code) == (421, "MisdirectedRequestException")
    assert repr(shown) in message and "--allowed-host" in message


@pytest.mark.parametrize(
    "host",
    [
        b"[",
        b"[::1",
        b"::1:{port}",
        b"127.0.0.1:{port}:1",
        b"127.0.0.1:x",
        b":{port}",
        b"[]:{port}",
        b"\xff:{port}",
    ],
)
def test_malformed_host_headers_are_misdirected_not_errors(
    emulator: RunningEmulator, host: bytes
) -> None:
    # The review: "Host: [" raised ValueError in URL parsing (a 500).
    port = str(_port(emulator)).encode()
    request = (
        b"POST / HTTP/1.1\r\nHost: " + host.replace(b"{port}", port) + b"\r\n"
        b"Content-Type: " + CONTENT_TYPE.encode() + b"\r\n"
        b"X-Amz-Target: AmazonSSM.DescribeInventoryDeletions\r\n"
        b"Content-Length: 2\r\n\r\n{}"
    )
    status, code, _ = raw_exchange(emulator.url, request).error()
    assert (status, code) == (421, "MisdirectedRequestException")


def test_two_host_headers_are_a_bad_request(emulator: RunningEmulator) -> None:
    own = emulator.url.removeprefix("http://").encode()
    request = (
        b"POST / HTTP/1.1\r\nHost: " + own + b"\r\nHost: evil.example\r\n"
        b"Content-Length: 0\r\n\r\n"
    )
    # h11 refuses the request itself; the answer still has the AWS shape.
    status, code, _ = raw_exchange(emulator.url, request).error()
    assert (status, code) == (400, "BadRequestException")


def test_an_http_1_0_request_without_host_is_misdirected(
    emulator: RunningEmulator,
) -> None:
    request = b"POST / HTTP/1.0\r\nContent-Length: 0\r\n\r\n"
    status, code, message = raw_exchange(emulator.url, request).error()
    assert (status, code) == (421, "MisdirectedRequestException")
    assert "exactly one Host header; this one has 0" in message


def test_the_host_is_checked_before_the_path_is_claimed(
    emulator: RunningEmulator,
) -> None:
    request = b"GET /anything HTTP/1.1\r\nHost: evil.example\r\n\r\n"
    assert raw_exchange(emulator.url, request).error()[:2] == (
        421,
        "MisdirectedRequestException",
    )


@pytest.mark.parametrize(
    ("allowed", "host", "answered"),
    [
        (("emulator.internal",), "emulator.internal:{port}", True),
        (("emulator.internal",), "emulator.internal:4566", True),  # any port
        (("Proxy:4566",), "proxy:4566", True),
        (("proxy:4566",), "proxy:{port}", False),  # that port only
        (("proxy:4566",), "evil.example:{port}", False),
        (("*",), "anything.at.all:1", True),
    ],
)
def test_allowed_hosts_add_names(
    allowed: tuple[str, ...], host: str, answered: bool
) -> None:
    with emulator_in_thread(Settings(allowed_hosts=allowed)) as emu:
        response = send(_signed_for_host(emu, host.format(port=_port(emu))))
    if answered:
        assert response.status_code == 200, response.text
    else:
        assert error_of(response)[:2] == (421, "MisdirectedRequestException")


@pytest.mark.parametrize("entry", ["", " padded", 5])
def test_allowed_host_entries_are_validated(entry: object) -> None:
    with pytest.raises(ValueError, match="allowed_hosts"):
        Settings(allowed_hosts=(entry,))  # type: ignore[arg-type]


# --- the listening address ---------------------------------------------------

OWN_KEY = EmulatorCredentials(
    access_key_id="AKIDOWNKEY0000000000", secret_access_key="own-secret-not-public"
)


def test_the_example_key_is_refused_beyond_loopback() -> None:
    # Bound (never listening) on every interface: start() must refuse it.
    server = EmulatorServer(Settings(), host="0.0.0.0")
    with pytest.raises(ExposedExampleKeyError) as caught:
        server.start()
    message = str(caught.value)
    assert "refusing to listen on 0.0.0.0" in message
    assert "AWS documentation's example key pair" in message
    assert "public" in message
    assert "--allow-example-key-beyond-loopback" in message
    assert DEFAULT_CREDENTIALS.secret_access_key not in message
    assert not server.running


@pytest.mark.parametrize(
    ("address", "settings", "refused"),
    [
        ("0.0.0.0", Settings(), True),
        ("::", Settings(), True),
        ("192.168.1.10", Settings(), True),
        ("fe80::1%eth0", Settings(), True),
        ("127.0.0.1", Settings(), False),
        ("127.0.0.2", Settings(), False),
        ("::1", Settings(), False),
        ("0.0.0.0", Settings(allow_example_key_beyond_loopback=True), False),
        ("0.0.0.0", Settings(credentials=(OWN_KEY,)), False),
        ("0.0.0.0", Settings(credentials=(OWN_KEY, DEFAULT_CREDENTIALS)), True),
    ],
)
def test_which_listening_addresses_are_refused(
    address: str, settings: Settings, refused: bool
) -> None:
    if refused:
        with pytest.raises(ExposedExampleKeyError):
            check_listen_address(address, settings)
    else:
        check_listen_address(address, settings)


def test_listening_beyond_loopback_by_explicit_choice_is_logged(
    caplog: pytest.LogCaptureFixture,
) -> None:
    settings = Settings(allow_example_key_beyond_loopback=True)
    with caplog.at_level("WARNING", logger="ssm_emulator"):
        check_listen_address("0.0.0.0", settings)
    assert "public example key pair" in caplog.text
