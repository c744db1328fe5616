"""An SSMClient (the generated ``ssm_inventory``) over a scripted httpx.MockTransport."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Any

import httpx
import pytest
from smithygen_runtime import Credentials, RetryConfig
from ssm_inventory import SSMClient

from tests.conftest import isolate_aws_environment

Handler = Callable[[httpx.Request], httpx.Response]


class Script:
    """Answers requests from a list of responses, keeping every request seen."""

    def __init__(self) -> None:
        self.responses: list[httpx.Response] = []
        self.requests: list[httpx.Request] = []

    def reply(
        self,
        body: Any = None,
        *,
        status: int = 200,
        headers: dict[str, str] | None = None,
    ) -> Script:
        content = b"" if body is None else json.dumps(body).encode()
        self.responses.append(httpx.Response(status, content=content, headers=headers))
        return self

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        return self.responses[min(len(self.requests), len(self.responses)) - 1]

    def bodies(self) -> list[Any]:
        return [json.loads(r.content) for r in self.requests]


@pytest.fixture(autouse=True)
def _no_aws_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    # The client reads the AWS settings of the environment and config files.
    isolate_aws_environment(monkeypatch, tmp_path)


@pytest.fixture
def script() -> Script:
    return Script()


@pytest.fixture
async def ssm(script: Script) -> AsyncIterator[SSMClient]:
    http = httpx.AsyncClient(transport=httpx.MockTransport(script))
    client = SSMClient(
        region="eu-west-1",
        credentials=Credentials("AKIDEXAMPLE", "secret"),
        http_client=http,
        retry=RetryConfig(max_attempts=3, base_delay=0.001, max_backoff=0.005),
    )
    async with client:
        yield client
    await http.aclose()
