"""Fixtures for the reliability tests: a loopback server and SSM clients on it."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from smithygen_runtime import Credentials, RetryConfig, Timeouts
from ssm_inventory import SSMClient

from tests.conftest import isolate_aws_environment
from tests.support.loopback_server import LoopbackServer, running_server

ACCESS_KEY = "AKIDRELIABILITYTEST"
SECRET_KEY = "reliability/SECRET/key+do-not-log-0123456789"
SESSION_TOKEN = "reliability-SESSION-token//do+not+log=="
CREDENTIALS = Credentials(ACCESS_KEY, SECRET_KEY, SESSION_TOKEN)

# Retries that wait milliseconds, so a test measures the fault, not the backoff.
FAST_RETRY = RetryConfig(base_delay=0.001, max_backoff=0.01)
# Timeouts short enough to fail fast, long enough for a loaded 2-core machine.
SHORT = Timeouts(connect=2, read=0.5, write=2, pool=2)

MakeClient = Callable[..., SSMClient]


@pytest.fixture(autouse=True)
def _isolated_aws_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    isolate_aws_environment(monkeypatch, tmp_path)


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
