"""Request compression settings from the environment and the profile, as botocore reads them."""

from __future__ import annotations

from pathlib import Path

import attrs
import httpx
import pytest
from smithygen_runtime import ConfigurationError, OperationSpec

from tests.runtime.conftest import Recorder, json_response
from tests.runtime.demo_service import (
    CREDENTIALS,
    GET_THING,
    DemoClient,
    GetThingInput,
    GetThingOutput,
)

pytestmark = [pytest.mark.anyio, pytest.mark.usefixtures("aws_home")]

COMPRESSED: OperationSpec[GetThingInput, GetThingOutput] = attrs.evolve(
    GET_THING, request_compression=("gzip",)
)
BODY = GetThingInput(name="x" * 2_000)  # below the default threshold of 10,240 bytes


async def _encoding(profile: str | None = None) -> str | None:
    recorder = Recorder(json_response(200, {}))
    http = httpx.AsyncClient(transport=httpx.MockTransport(recorder))
    async with DemoClient(
        region="us-east-1",
        endpoint_url="https://demo.example.com",
        credentials=CREDENTIALS,
        http_client=http,
        profile=profile,
    ) as client:
        await client._invoke(COMPRESSED, BODY)
    await http.aclose()
    return recorder.requests[0].headers.get("Content-Encoding")


async def test_the_profile_sets_the_threshold_and_the_environment_wins(
    aws_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (aws_home / "config").write_text(
        "[profile small]\nrequest_min_compression_size_bytes = 100\n"
        "[profile off]\nrequest_min_compression_size_bytes = 0\n"
        "disable_request_compression = true\n"
    )
    assert await _encoding() is None
    assert await _encoding("small") == "gzip"
    assert await _encoding("off") is None
    monkeypatch.setenv("AWS_DISABLE_REQUEST_COMPRESSION", "false")
    assert await _encoding("off") == "gzip"
    monkeypatch.setenv("AWS_REQUEST_MIN_COMPRESSION_SIZE_BYTES", "5000")
    assert await _encoding("small") is None


async def test_a_bad_threshold_in_the_profile_names_it(aws_home: Path) -> None:
    (aws_home / "config").write_text(
        "[profile bad]\nrequest_min_compression_size_bytes = 20000000\n"
    )
    with pytest.raises(ConfigurationError) as caught:
        await _encoding("bad")
    assert "request_min_compression_size_bytes" in str(caught.value)
    assert "profile 'bad'" in str(caught.value)
