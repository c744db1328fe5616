"""Fixtures for the reliability tests: a loopback server and SSM clients on it."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from smithygen_runtime import Credentials, RetryConfig, Timeouts
from ssm_inventory import SSMClient

from tests.reliability.server import LoopbackServer, running_server

ACCESS_KEY = "AKIDRELIABILITYTEST"
SECRET_KEY = "reliability/SECRET/key+do-not-log-0123456789"
SESSION_TOKEN = "reliability-SESSION-token//do+not+log=="
CREDENTIALS = Credentials(ACCESS_KEY, SECRET_KEY, SESSION_TOKEN)

# Retries that wait milliseconds, so a test measures the fault, not the backoff.
FAST_RETRY = RetryConfig(base_delay=0.001, max_backoff=0.01)
# Timeouts short enough to fail fast, long enough for a loaded 2-core machine.
SHORT = Timeouts(connect=2, read=0.5, write=2, pool=2)

MakeClient = Callable[..., SSMClient]

_AWS_VARIABLES = (
    "AWS_REGION",
    "AWS_DEFAULT_REGION",
    "AWS_PROFILE",
    "AWS_DEFAULT_PROFILE",
    "AWS_ACCESS_KEY_ID",
    "AWS_SECRET_ACCESS_KEY",
    "AWS_SESSION_TOKEN",
    "AWS_ENDPOINT_URL",
    "AWS_ENDPOINT_URL_SSM",
    "AWS_IGNORE_CONFIGURED_ENDPOINT_URLS",
    "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI",
    "AWS_CONTAINER_CREDENTIALS_FULL_URI",
    "AWS_WEB_IDENTITY_TOKEN_FILE",
    "AWS_ROLE_ARN",
)


@pytest.fixture(autouse=True)
def _isolated_aws_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """No test reads the real ~/.aws, the caller's AWS settings, or IMDS."""
    for name in _AWS_VARIABLES:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "config"))
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(tmp_path / "credentials"))
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")


@pytest.fixture
def server() -> Iterator[LoopbackServer]:
    """A fresh loopback server for one test."""
    with running_server() as running:
        yield running


def client_for(server: LoopbackServer | str, **options: Any) -> SSMClient:
    """An SSMClient on ``server`` with fast retries and short timeouts by default."""
    options.setdefault("region", "us-east-1")
    options.setdefault("credentials", CREDENTIALS)
    options.setdefault("timeout", SHORT)
    options.setdefault("retry", FAST_RETRY)
    url = server if isinstance(server, str) else server.url
    return SSMClient(endpoint_url=url, **options)
