"""The AWS standard retry mode, end to end: generated SSMClient -> loopback server.

What the server receives is the evidence: how many attempts, their
``amz-sdk-request`` / ``amz-sdk-invocation-id`` headers, bodies and signatures.
The classification tables themselves are unit-tested in tests/runtime.
"""

from __future__ import annotations

import itertools
import re
import time
from datetime import datetime

import anyio
import pytest
from smithygen_runtime import RetryConfig, Timeouts, TransportError
from ssm_inventory import (
    AccessDeniedException,
    DescribeInventoryDeletionsResult,
    InternalServerError,
    InvalidDeletionIdException,
    InvalidTypeNameException,
    UnknownSSMError,
    ValidationError,
)

from tests.reliability.conftest import CREDENTIALS, SESSION_TOKEN, client_for
from tests.reliability.sigv4 import expected_signature, signature_of
from tests.support.loopback_server import (
    Action,
    LoopbackServer,
    Raw,
    Reply,
    Reset,
    Stall,
    running_server,
)

pytestmark = pytest.mark.anyio


@pytest.fixture
def anyio_backend() -> str:
    """asyncio only: retry decisions do not depend on the event loop, and the
    transport-level faults are run under trio too in test_hostile/test_timeouts."""
    return "asyncio"


MISSING_ID = "8f1c2a9e-0b7d-4c3e-9a51-2d6e7f8a9b0c"
EMPTY = DescribeInventoryDeletionsResult(inventory_deletions=[])
UUID = re.compile(
    r"^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$"
)


def _error(status: int, code: str, **headers: str) -> Reply:
    body = {"__type": f"com.amazonaws.ssm#{code}", "message": f"{code} says no"}
    return Reply(status, body, headers=tuple(headers.items()))


def _attempt_headers(server: LoopbackServer) -> list[str]:
    return [r.headers["amz-sdk-request"] for r in server.requests]


async def test_three_attempts_by_default_then_the_last_error(
    server: LoopbackServer,
) -> None:
    server.handler = lambda _: _error(500, "InternalServerError")
    with anyio.fail_after(10):
        async with client_for(server) as client:
            with pytest.raises(InternalServerError) as info:
                await client.describe_inventory_deletions()
    assert info.value.status_code == 500 and info.value.fault == "server"
    assert _attempt_headers(server) == [
        "attempt=1; max=3",
        "attempt=2; max=3",
        "attempt=3; max=3",
    ]
    # One call, one invocation id (a uuid4) on every attempt.
    ids = {r.headers["amz-sdk-invocation-id"] for r in server.requests}
    assert len(ids) == 1 and UUID.match(ids.pop())


@pytest.mark.parametrize("attempts", [1, 2, 5])
async def test_max_attempts_is_configurable(
    server: LoopbackServer, attempts: int
) -> None:
    server.handler = lambda _: Reply(503, b"busy", (("Content-Type", "text/plain"),))
    with anyio.fail_after(10):
        async with client_for(server, max_attempts=attempts) as client:
            with pytest.raises(UnknownSSMError) as info:
                await client.describe_inventory_deletions()
    assert info.value.code == "503"
    assert _attempt_headers(server) == [
        f"attempt={n}; max={attempts}" for n in range(1, attempts + 1)
    ]


HTML = b"<html><body><h1>502 Bad Gateway</h1><hr>nginx</body></html>"
RETRIED: dict[str, Action] = {
    "ThrottlingException": _error(400, "ThrottlingException"),
    "TooManyRequestsException": _error(400, "TooManyRequestsException"),
    "500 InternalServerError": _error(500, "InternalServerError"),
    "502 from a proxy": Reply(502, HTML, (("Content-Type", "text/html"),)),
    "503 empty body": Reply(503),
    "504 from a proxy": Reply(504, HTML, (("Content-Type", "text/html"),)),
    "429 unknown code": _error(429, "SomethingNew"),
    "connection reset": Reset(),
    "closed without a response": Raw(b""),
    "read timeout": Stall(),
}


@pytest.mark.parametrize("fault", list(RETRIED))
async def test_retried_faults_then_success(server: LoopbackServer, fault: str) -> None:
    server.push(RETRIED[fault])
    timeout = Timeouts(connect=2, read=0.3, write=2, pool=2)
    with anyio.fail_after(10):
        async with client_for(server, timeout=timeout) as client:
            started = time.monotonic()
            assert await client.describe_inventory_deletions() == EMPTY
            elapsed = time.monotonic() - started
    assert _attempt_headers(server) == ["attempt=1; max=3", "attempt=2; max=3"]
    assert len({r.headers["amz-sdk-invocation-id"] for r in server.requests}) == 1
    assert elapsed < 5


async def test_modeled_client_errors_are_not_retried(server: LoopbackServer) -> None:
    server.handler = lambda r: (
        _error(400, "InvalidDeletionIdException")
        if r.headers["x-amz-target"].endswith("Deletions")
        else _error(400, "InvalidTypeNameException")
    )
    with anyio.fail_after(10):
        async with client_for(server) as client:
            with pytest.raises(InvalidDeletionIdException) as info:
                await client.describe_inventory_deletions(deletion_id=MISSING_ID)
            assert info.value.message == "InvalidDeletionIdException says no"
            with pytest.raises(InvalidTypeNameException):
                await client.delete_inventory(type_name="Custom:Gone")
    assert _attempt_headers(server) == ["attempt=1; max=3"] * 2


async def test_unmodeled_client_error_is_not_retried(server: LoopbackServer) -> None:
    server.handler = lambda _: _error(403, "AccessDeniedException")
    with anyio.fail_after(10):
        async with client_for(server) as client:
            with pytest.raises(AccessDeniedException, match="AccessDeniedException"):
                await client.describe_inventory_deletions()
    assert len(server.requests) == 1


async def test_validation_errors_send_nothing(server: LoopbackServer) -> None:
    with anyio.fail_after(10):
        async with client_for(server) as client:
            with pytest.raises(ValidationError, match="MaxResults"):
                await client.describe_inventory_deletions(max_results=0)
            with pytest.raises(ValidationError, match="TypeName"):
                await client.delete_inventory(type_name="NotCustom")
            with pytest.raises(ValidationError, match="ClientToken"):
                await client.delete_inventory(
                    type_name="Custom:Rack", client_token="not-a-uuid"
                )
    assert server.requests == []


async def test_retry_after_hint_is_waited_for(server: LoopbackServer) -> None:
    # base_delay 0: without the hint the retry would follow at once.
    server.push(Reply(503, headers=(("x-amz-retry-after", "400"),)))
    retry = RetryConfig(base_delay=0, max_backoff=0)
    with anyio.fail_after(10):
        async with client_for(server, retry=retry) as client:
            assert await client.describe_inventory_deletions() == EMPTY
    first, second = server.requests
    assert 0.38 <= second.received - first.received < 3


async def test_backoff_waits_are_capped(server: LoopbackServer) -> None:
    # Full jitter: the wait after failed attempt n is random in
    # [0, min(max_backoff, base_delay * 2 ** (n - 1))). Capped at 0.1 s, seven
    # waits total at most 0.7 s; uncapped, their ceilings would double up to
    # 6.4 s and a wait past 0.7 s would be all but certain. Measured at the
    # server, with generous slack for a loaded machine.
    server.handler = lambda _: Reply(503)
    retry = RetryConfig(max_attempts=8, base_delay=0.1, max_backoff=0.1)
    with anyio.fail_after(30):
        async with client_for(server, retry=retry) as client:
            with pytest.raises(UnknownSSMError):
                await client.describe_inventory_deletions()
    times = [r.received for r in server.requests]
    assert len(times) == 8
    gaps = [b - a for a, b in itertools.pairwise(times)]
    assert max(gaps) < 0.7, gaps
    assert times[-1] - times[0] < 0.7 + 1.5, gaps


async def test_unusable_retry_after_hint_falls_back_to_backoff(
    server: LoopbackServer,
) -> None:
    server.push(
        Reply(503, headers=(("x-amz-retry-after", "soon"),)),
        Reply(503, headers=(("x-amz-retry-after", "-5000"),)),
    )
    retry = RetryConfig(base_delay=0, max_backoff=0)
    with anyio.fail_after(10):
        async with client_for(server, retry=retry) as client:
            started = time.monotonic()
            assert await client.describe_inventory_deletions() == EMPTY
            assert time.monotonic() - started < 2
    assert len(server.requests) == 3


async def test_huge_retry_after_hint_is_still_bounded_by_the_deadline(
    server: LoopbackServer,
) -> None:
    # The hint (about 11.5 days) is capped at 20 s by the runtime; the call's
    # deadline cuts even that short. (The 20 s cap itself is unit-tested in
    # tests/runtime/test_retries.py with a fake sleep.)
    server.push(Reply(503, headers=(("x-amz-retry-after", "999999999"),)))
    with anyio.fail_after(10):
        async with client_for(server, deadline=0.6) as client:
            started = time.monotonic()
            with pytest.raises(TransportError, match="deadline"):
                await client.describe_inventory_deletions()
            assert 0.55 <= time.monotonic() - started < 3
    assert len(server.requests) == 1


async def test_each_call_has_its_own_invocation_id(server: LoopbackServer) -> None:
    with anyio.fail_after(10):
        async with client_for(server) as client:
            for _ in range(3):
                await client.describe_inventory_deletions()
            await client.delete_inventory(type_name="Custom:Rack")
    ids = [r.headers["amz-sdk-invocation-id"] for r in server.requests]
    assert len(set(ids)) == 4 and all(UUID.match(i) for i in ids)


async def test_every_attempt_is_signed_afresh_and_verifies(
    server: LoopbackServer,
) -> None:
    # The hint of 1.1 s puts the attempts in different seconds, so X-Amz-Date
    # must move on between them.
    server.push(
        Reply(503, headers=(("x-amz-retry-after", "1100"),)), Reset(), Reply(200, {})
    )
    with anyio.fail_after(10):
        async with client_for(server) as client:
            await client.describe_inventory_deletions(deletion_id=MISSING_ID)
    requests = server.requests
    assert len(requests) == 3
    for request in requests:
        assert signature_of(request) == expected_signature(request, CREDENTIALS)
        assert request.headers["x-amz-security-token"] == SESSION_TOKEN
        assert "x-amz-security-token" in request.headers["authorization"]
    dates = [
        datetime.strptime(r.headers["x-amz-date"], "%Y%m%dT%H%M%SZ") for r in requests
    ]
    assert dates[0] < dates[1] <= dates[2]
    # amz-sdk-request is unsigned (as in botocore), so attempts signed in the
    # same second may share a signature; a new second means a new one, and
    # each verified above against its own X-Amz-Date.
    assert signature_of(requests[0]) != signature_of(requests[1])
    assert len({signature_of(r) for r in requests}) == len(set(dates))


async def test_delete_inventory_client_token_is_the_same_on_every_attempt(
    server: LoopbackServer,
) -> None:
    server.push(_error(500, "InternalServerError"), Reset())
    with anyio.fail_after(10):
        async with client_for(server) as client:
            result = await client.delete_inventory(type_name="Custom:Rack")
            assert result.deletion_id == "11111111-2222-3333-4444-555555555555"
            await client.delete_inventory(type_name="Custom:Rack")
            server.push(Reply(503))
            given = "0e0d7e4c-6a4b-4a0e-9d43-6c1f8f0b1c2d"
            await client.delete_inventory(type_name="Custom:Rack", client_token=given)
    tokens = [r.json()["ClientToken"] for r in server.requests]
    assert len(tokens) == 6
    assert UUID.match(tokens[0])
    # Attempts 1-3 are one call; the fourth is a new call with a new token.
    assert tokens[0] == tokens[1] == tokens[2] != tokens[3]
    assert tokens[4:] == [given, given]
    assert len({r.body for r in server.requests[:3]}) == 1


async def test_retry_quota_stops_retries_after_many_failures(
    server: LoopbackServer,
) -> None:
    # Standard mode: a 500-token bucket, 5 tokens per retry, 1 back per
    # success that needed no retry. Every call here fails after 2 retries
    # (10 tokens) until the bucket is empty.
    server.handler = lambda _: Reply(503)
    per_call: list[int] = []
    with anyio.fail_after(20):
        async with client_for(server) as client:

            async def failing_call() -> int:
                before = len(server.requests)
                with pytest.raises(UnknownSSMError):
                    await client.describe_inventory_deletions()
                return len(server.requests) - before

            for _ in range(53):
                per_call.append(await failing_call())
            assert per_call == [3] * 50 + [1] * 3
            # Five clean successes refund five tokens: enough for one retry.
            server.handler = lambda r: Reply(200, {})
            for _ in range(5):
                await client.describe_inventory_deletions()
            server.handler = lambda _: Reply(503)
            assert [await failing_call() for _ in range(2)] == [2, 1]


async def test_connection_refused_is_retried_then_a_transport_error() -> None:
    with running_server() as gone:
        url = gone.url
    with anyio.fail_after(10):
        async with client_for(url) as client:
            started = time.monotonic()
            with pytest.raises(TransportError, match="attempt 3") as info:
                await client.describe_inventory_deletions()
            assert time.monotonic() - started < 3
    assert info.value.retryable
