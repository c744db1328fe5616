"""Helpers for the emulator's tests: a controllable clock, clients, raw signing."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
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


def http_client() -> httpx.Client:
    """One shared client: building one (its TLS context) costs ~0.1 s."""
    if not _HTTP:
        _HTTP.append(httpx.Client(timeout=10))
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
