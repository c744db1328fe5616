"""Helpers for the emulator's tests: a controllable clock, clients, raw signing."""

from __future__ import annotations

import json
import os
import re
import shutil
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import boto3
import httpx
import pytest
from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.config import Config
from botocore.credentials import Credentials
from botocore.exceptions import ClientError
from ssm_emulator import RunningEmulator, Settings, emulator_in_thread

# The plugin's fixtures, made available to this package the way a conftest
# can (pytest_plugins is only honoured in a root conftest).
from ssm_emulator.pytest_plugin import ssm_emulator, ssm_emulator_settings  # noqa: F401
from ssm_emulator.settings import EmulatorCredentials

CONTENT_TYPE = "application/x-amz-json-1.1"


class FakeClock:
    """Epoch seconds that start at the real time and move only when told."""

    def __init__(self, offset: float = 0.0) -> None:
        self.now = time.time() + offset

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def emulator(clock: FakeClock) -> Iterator[RunningEmulator]:
    """A fresh in-memory emulator whose deletions take 10 s of the fake clock."""
    with emulator_in_thread(Settings(completion_seconds=10.0, clock=clock)) as running:
        yield running


@pytest.fixture(scope="session")
def boto_session() -> boto3.Session:
    # One session: its loader caches the service model, so clients are cheap.
    return boto3.Session()


def make_client(
    session: boto3.Session,
    emu: RunningEmulator,
    *,
    validate: bool = True,
    **overrides: Any,
) -> Any:
    """A boto3 SSM client for ``emu``; ``overrides`` replace client kwargs.

    ``validate=False`` turns off botocore's own parameter checks, so that
    out-of-range values reach the emulator.
    """
    kwargs = {**emu.boto3_client_kwargs(), **overrides}
    # No retries: an error must surface on the first answer.
    config = Config(
        retries={"max_attempts": 1, "mode": "standard"}, parameter_validation=validate
    )
    return session.client("ssm", config=config, **kwargs)


@pytest.fixture
def ssm(boto_session: boto3.Session, emulator: RunningEmulator) -> Any:
    return make_client(boto_session, emulator)


def signed_request(
    url: str,
    operation: str | None,
    body: bytes | str | dict[str, Any],
    *,
    credentials: EmulatorCredentials,
    region: str = "us-east-1",
    service: str = "ssm",
    content_type: str = CONTENT_TYPE,
    extra_headers: dict[str, str] | None = None,
) -> httpx.Request:
    """An httpx request signed with botocore's SigV4 signer, as a client would."""
    if isinstance(body, dict):
        body = json.dumps(body)
    data = body.encode() if isinstance(body, str) else body
    headers = {"Content-Type": content_type, **(extra_headers or {})}
    if operation is not None:
        headers["X-Amz-Target"] = f"AmazonSSM.{operation}"
    aws_request = AWSRequest(method="POST", url=url + "/", data=data, headers=headers)
    SigV4Auth(
        Credentials(
            credentials.access_key_id,
            credentials.secret_access_key,
            credentials.session_token,
        ),
        service,
        region,
    ).add_auth(aws_request)
    return httpx.Request(
        "POST", url + "/", content=data, headers=dict(aws_request.headers.items())
    )


_HTTP: list[httpx.Client] = []
_HTTP_LOCK = threading.Lock()


def http_client() -> httpx.Client:
    """One shared client: building one (its TLS context) costs ~0.1 s.

    Its pool has no connection or keep-alive limit: with a limit, httpcore's
    sync pool can close an idle connection it has just handed to a request
    waiting in another thread (encode/httpcore#1110), which the concurrent
    tests here saw as a rare ``ReadError: Bad file descriptor``.
    """
    with _HTTP_LOCK:
        if not _HTTP:
            unlimited = httpx.Limits(
                max_connections=None, max_keepalive_connections=None
            )
            _HTTP.append(httpx.Client(timeout=10, limits=unlimited))
        return _HTTP[0]


def send(request: httpx.Request) -> httpx.Response:
    return http_client().send(request)


def boto_error(call: Any, **kwargs: Any) -> tuple[int, str, str]:
    """(status, code, message) of the ClientError a boto3 call raises."""
    with pytest.raises(ClientError) as caught:
        call(**kwargs)
    response = caught.value.response
    return (
        response["ResponseMetadata"]["HTTPStatusCode"],
        response["Error"]["Code"],
        response["Error"]["Message"],
    )


def error_of(response: httpx.Response) -> tuple[int, str, str]:
    """(status, __type, message) of an error response."""
    document = response.json()
    return response.status_code, document["__type"], document.get("message", "")


class RawResponse:
    """An HTTP/1.1 response read off a socket by hand."""

    def __init__(self, status: int, headers: dict[str, str], body: bytes) -> None:
        self.status = status
        self.headers = headers
        self.body = body

    def error(self) -> tuple[int, str, str]:
        """(status, __type, message), checking the AWS JSON error shape."""
        assert self.headers.get("content-type") == CONTENT_TYPE, self.headers
        document = json.loads(self.body)
        assert isinstance(document.get("__type"), str), document
        assert isinstance(document.get("message"), str), document
        return self.status, document["__type"], document["message"]


def host_and_port(url: str) -> tuple[str, int]:
    host, port = url.removeprefix("http://").rsplit(":", 1)
    return host, int(port)


def read_response(sock: socket.socket) -> RawResponse | None:
    """The next final response on ``sock`` (1xx interim ones skipped, as
    ``Expect: 100-continue`` brings); None when it closes without one."""
    data = b""
    while True:
        while b"\r\n\r\n" not in data:
            try:
                chunk = sock.recv(65536)
            except ConnectionResetError:
                chunk = b""
            if not chunk:
                assert not data, f"connection closed mid-response: {data!r}"
                return None
            data += chunk
        head, _, data = data.partition(b"\r\n\r\n")
        status_line, *lines = head.decode("latin-1").split("\r\n")
        status = int(status_line.split(" ")[1])
        if status >= 200:
            break
    headers = {}
    for line in lines:
        name, _, value = line.partition(":")
        headers[name.strip().lower()] = value.strip()
    length = int(headers.get("content-length", "0"))
    body = data
    while len(body) < length:
        chunk = sock.recv(65536)
        assert chunk, "connection closed mid-body"
        body += chunk
    return RawResponse(status, headers, body[:length])


def raw_exchange(url: str, request: bytes, *, timeout: float = 10) -> RawResponse:
    """Send ``request`` as bytes on a new connection; the server's answer."""
    with socket.create_connection(host_and_port(url), timeout=timeout) as sock:
        sock.sendall(request)
        response = read_response(sock)
    assert response is not None, "the server closed the connection without answering"
    return response


def as_raw(
    request: httpx.Request, *, headers: list[tuple[bytes, bytes]] | None = None
) -> bytes:
    """``request`` as HTTP/1.1 bytes, with ``headers`` instead of its own if given."""
    lines = headers if headers is not None else list(request.headers.raw)
    head = b"".join(name + b": " + value + b"\r\n" for name, value in lines)
    return b"POST / HTTP/1.1\r\n" + head + b"\r\n" + request.content


LISTENING = re.compile(r"ssm-emulator listening on (http://\S+)")


def emulator_command() -> list[str]:
    """The installed console script (what users run), else the module."""
    script = Path(sys.executable).with_name("ssm-emulator")
    if script.exists():
        return [str(script)]
    found = shutil.which("ssm-emulator")
    return [found] if found else [sys.executable, "-m", "ssm_emulator.cli"]


@contextmanager
def emulator_process(
    options: Sequence[str],
) -> Iterator[tuple[subprocess.Popen[str], str]]:
    """An ``ssm-emulator`` process on a free loopback port: (process, url)."""
    process = subprocess.Popen(
        [*emulator_command(), "--port", "0", *options],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    try:
        assert process.stdout is not None
        line = process.stdout.readline()
        match = LISTENING.search(line)
        if not match:
            raise RuntimeError(f"ssm-emulator did not start: {line!r}")
        yield process, match.group(1)
    finally:
        process.terminate()
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(5)
