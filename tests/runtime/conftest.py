"""Fixtures for the runtime tests: a demo client over httpx.MockTransport."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
import pytest
from smithygen_runtime import RetryConfig

from tests.conftest import isolate_aws_environment
from tests.runtime.demo_service import CREDENTIALS, DemoClient

# Retries in tests wait microseconds, not seconds.
FAST_RETRY = RetryConfig(base_delay=0.001, max_backoff=0.01)

Handler = Callable[[httpx.Request], httpx.Response]


class Recorder:
    """A MockTransport handler that answers from a script and keeps the requests."""

    def __init__(self, *responses: httpx.Response | Handler | Exception) -> None:
        self.responses = list(responses)
        self.requests: list[httpx.Request] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        step = self.responses[min(len(self.requests), len(self.responses)) - 1]
        if isinstance(step, Exception):
            raise step
        if isinstance(step, httpx.Response):
            return step
        return step(request)


def json_response(
    status: int = 200,
    body: Any = None,
    headers: dict[str, str] | None = None,
    **kw: Any,
) -> httpx.Response:
    if body is None:
        return httpx.Response(status, headers=headers, **kw)
    return httpx.Response(status, json=body, headers=headers)


@pytest.fixture(autouse=True)
def _isolated_aws_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    isolate_aws_environment(monkeypatch, tmp_path)


@pytest.fixture
def make_client() -> Callable[..., DemoClient]:
    """Build a DemoClient on a MockTransport; defaults suit most tests."""

    def build(handler: Handler, **options: Any) -> DemoClient:
        options.setdefault("region", "us-east-1")
        options.setdefault("endpoint_url", "https://demo.example.com")
        options.setdefault("credentials", CREDENTIALS)
        options.setdefault("retry", FAST_RETRY)
        transport = httpx.MockTransport(handler)
        options.setdefault("http_client", httpx.AsyncClient(transport=transport))
        return DemoClient(**options)

    return build
