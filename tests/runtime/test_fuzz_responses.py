"""Fuzzing: any status, headers and body give an output or a runtime error, nothing else."""

from __future__ import annotations

import asyncio
import dataclasses
import os
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from smithygen_runtime import RetryConfig, SmithyGenError

from tests.runtime.demo_service import CREDENTIALS, DemoClient, GetThingOutput

json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(), inner, max_size=4)
    ),
    max_leaves=12,
)
codes = (
    st.sampled_from(
        ["ThingNotFound", "ThingLocked", "Throttling", "x#ThingLocked:y", ""]
    )
    | st.text()
)
objects = st.fixed_dictionaries(
    {},
    optional={
        "Items": json_values | st.lists(st.text(), max_size=3),
        "NextToken": json_values,
        "__type": codes,
        "code": codes,
        "message": json_values,
        "LockOwner": json_values,
    },
)
bodies = (
    st.binary(max_size=64)
    | json_values.map(lambda v: httpx.Response(200, json=v).content)
    | objects.map(lambda v: httpx.Response(200, json=v).content)
)
header_values = st.text(
    alphabet=st.characters(min_codepoint=32, max_codepoint=126), max_size=30
)
headers = st.dictionaries(
    st.sampled_from(
        [
            "x-amzn-errortype",
            "x-amz-retry-after",
            "date",
            "x-amzn-requestid",
            "content-type",
        ]
    ),
    header_values,
    max_size=4,
)
statuses = st.sampled_from(
    [200, 201, 204, 301, 400, 403, 404, 408, 429, 500, 502, 503, 504]
) | st.integers(200, 599)


class Script:
    response = httpx.Response(200)

    def __call__(self, request: httpx.Request) -> httpx.Response:
        return httpx.Response(
            self.response.status_code,
            headers=self.response.headers,
            content=self.response.content,
        )


# SMITHYGEN_FUZZ_EXAMPLES raises the budget for a longer run.
EXAMPLES = int(os.environ.get("SMITHYGEN_FUZZ_EXAMPLES", "150"))


@dataclasses.dataclass
class Harness:
    script: Script
    client: DemoClient
    runner: asyncio.Runner


@pytest.fixture(scope="module")
def harness() -> Iterator[Harness]:
    """One client and one event loop for every example (a loop per example costs
    more than the call)."""
    script = Script()
    client = DemoClient(
        region="us-east-1",
        endpoint_url="https://demo.example.com",
        credentials=CREDENTIALS,
        retry=RetryConfig(max_attempts=2, base_delay=0.0001, max_backoff=0.0001),
        http_client=httpx.AsyncClient(transport=httpx.MockTransport(script)),
    )
    with asyncio.Runner() as runner:
        yield Harness(script, client, runner)
        runner.run(client._http.aclose())


@settings(
    max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
@given(status=statuses, response_headers=headers, body=bodies)
def test_any_response_gives_an_output_or_a_typed_error(
    harness: Harness, status: int, response_headers: dict[str, Any], body: bytes
) -> None:
    harness.script.response = httpx.Response(
        status, headers=response_headers, content=body
    )

    async def call() -> object:
        try:
            return await harness.client.get_thing()
        except SmithyGenError as error:
            return error

    outcome = harness.runner.run(call())
    assert isinstance(outcome, GetThingOutput | SmithyGenError)
    if isinstance(outcome, GetThingOutput):
        assert status < 300
