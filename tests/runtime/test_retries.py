"""AWS standard retry mode, retry quota, retry hints and clock skew correction."""

from __future__ import annotations

import itertools
import logging
import ssl
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime

import httpx
import pytest
from smithygen_runtime import (
    RequestTimeoutError,
    RetryConfig,
    ServiceError,
    TransportError,
    ValidationError,
)
from smithygen_runtime._retries import (
    THROTTLING_CODES,
    TRANSIENT_CODES,
    RetryKind,
    RetryQuota,
    backoff_delay,
    classify,
)

from tests.runtime.conftest import Recorder, json_response
from tests.runtime.demo_service import (
    DemoClient,
    GetThingOutput,
    InternalServerError,
    ThingNotFound,
    UnknownDemoError,
)

pytestmark = pytest.mark.anyio
MakeClient = Callable[..., DemoClient]

OK = json_response(200, {"Items": ["done"]})


def _error(
    code: str, status: int = 400, headers: dict[str, str] | None = None
) -> httpx.Response:
    return json_response(status, {"__type": code, "message": code}, headers)


@pytest.mark.parametrize("code", sorted(THROTTLING_CODES | TRANSIENT_CODES))
async def test_throttling_and_transient_codes_are_retried(
    make_client: MakeClient, code: str
) -> None:
    recorder = Recorder(_error(code), _error(code), OK)
    async with make_client(recorder) as client:
        assert await client.get_thing() == GetThingOutput(items=["done"])
    assert len(recorder.requests) == 3


@pytest.mark.parametrize("status", [500, 502, 503, 504, 429])
async def test_retryable_statuses(make_client: MakeClient, status: int) -> None:
    recorder = Recorder(httpx.Response(status, content=b"<html>busy</html>"), OK)
    async with make_client(recorder) as client:
        await client.get_thing()
    assert len(recorder.requests) == 2


async def test_gives_up_after_max_attempts_with_the_last_error(
    make_client: MakeClient,
) -> None:
    recorder = Recorder(_error("InternalServerError", 500))
    async with make_client(recorder) as client:
        with pytest.raises(InternalServerError):
            await client.get_thing()
    assert len(recorder.requests) == 3


async def test_max_attempts_one_means_no_retry(make_client: MakeClient) -> None:
    recorder = Recorder(_error("ThrottlingException"))
    async with make_client(recorder, max_attempts=1) as client:
        with pytest.raises(UnknownDemoError):
            await client.get_thing()
    assert len(recorder.requests) == 1


async def test_configurable_max_attempts(make_client: MakeClient) -> None:
    recorder = Recorder(_error("ThrottlingException"))
    async with make_client(recorder, max_attempts=5) as client:
        with pytest.raises(UnknownDemoError):
            await client.get_thing()
    assert len(recorder.requests) == 5


@pytest.mark.parametrize(
    "response",
    [
        _error("ThingNotFound", 400),
        _error("SomethingElse", 400),
        _error("AccessDeniedException", 403),
        httpx.Response(404, content=b""),
    ],
)
async def test_client_errors_are_not_retried(
    make_client: MakeClient, response: httpx.Response
) -> None:
    recorder = Recorder(response, OK)
    async with make_client(recorder) as client:
        with pytest.raises((ThingNotFound, UnknownDemoError)):
            await client.get_thing()
    assert len(recorder.requests) == 1


async def test_validation_errors_are_not_retried_or_sent(
    make_client: MakeClient,
) -> None:
    recorder = Recorder(OK)
    async with make_client(recorder) as client:
        with pytest.raises(ValidationError):
            await client.get_thing(max_results=0)
    assert recorder.requests == []


async def test_connection_errors_and_read_timeouts_are_retried(
    make_client: MakeClient,
) -> None:
    recorder = Recorder(httpx.ConnectError("refused"), httpx.ReadTimeout("slow"), OK)
    async with make_client(recorder) as client:
        await client.get_thing()
    assert len(recorder.requests) == 3


async def test_exhausted_read_timeouts_raise_request_timeout_error(
    make_client: MakeClient,
) -> None:
    recorder = Recorder(httpx.ReadTimeout("slow"))
    async with make_client(recorder) as client:
        with pytest.raises(RequestTimeoutError, match="read timeout"):
            await client.get_thing()
    assert len(recorder.requests) == 3


async def test_transport_errors_are_typed(make_client: MakeClient) -> None:
    recorder = Recorder(httpx.RemoteProtocolError("peer closed connection"))
    async with make_client(recorder) as client:
        with pytest.raises(TransportError, match="RemoteProtocolError") as info:
            await client.get_thing()
    assert not isinstance(info.value, RequestTimeoutError)


async def test_empty_transport_message_takes_the_cause_s_message(
    make_client: MakeClient,
) -> None:
    # As under trio: httpx's error has no text, the reason is further down.
    try:
        try:
            raise ssl.SSLCertVerificationError(1, "certificate verify failed")
        except ssl.SSLError as inner:
            raise OSError() from inner
    except OSError as middle:
        error = httpx.ConnectError("")
        error.__cause__ = middle
    recorder = Recorder(error)
    async with make_client(recorder, max_attempts=1) as client:
        with pytest.raises(TransportError) as info:
            await client.get_thing()
    message = str(info.value)
    assert "SSLCertVerificationError" in message
    assert "certificate verify failed" in message


async def test_pool_timeout_is_not_retried(make_client: MakeClient) -> None:
    recorder = Recorder(httpx.PoolTimeout("no connection"))
    async with make_client(recorder) as client:
        with pytest.raises(RequestTimeoutError, match="pool"):
            await client.get_thing()
    assert len(recorder.requests) == 1


async def test_attempt_headers_and_fresh_signature_per_attempt(
    make_client: MakeClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Each attempt is signed at its own time: move the clock between attempts.
    ticks = itertools.count(1)

    class FakeDatetime(datetime):
        @classmethod
        def now(cls, tz: object = None) -> datetime:  # type: ignore[override]
            return datetime(2026, 1, 1, 0, 0, next(ticks), tzinfo=UTC)

    monkeypatch.setattr("smithygen_runtime._retries.datetime", FakeDatetime)
    recorder = Recorder(
        _error("ThrottlingException"), _error("ThrottlingException"), OK
    )
    async with make_client(recorder) as client:
        await client.get_thing(name="n")
    requests = recorder.requests
    assert [r.headers["amz-sdk-request"] for r in requests] == [
        "attempt=1; max=3",
        "attempt=2; max=3",
        "attempt=3; max=3",
    ]
    ids = {r.headers["amz-sdk-invocation-id"] for r in requests}
    assert len(ids) == 1
    assert len(ids.pop()) == 36
    dates = [r.headers["X-Amz-Date"] for r in requests]
    assert dates == sorted(set(dates)) and dates[0].startswith("20260101T0000")
    assert len({r.headers["Authorization"] for r in requests}) == 3
    # The body (and so any idempotency token in it) is the same on every attempt.
    assert len({r.content for r in requests}) == 1


async def test_each_call_gets_its_own_invocation_id(make_client: MakeClient) -> None:
    recorder = Recorder(OK)
    async with make_client(recorder) as client:
        await client.get_thing()
        await client.get_thing()
    first, second = (r.headers["amz-sdk-invocation-id"] for r in recorder.requests)
    assert first != second


def test_backoff_is_full_jitter_capped_at_max_backoff() -> None:
    config = RetryConfig()
    assert backoff_delay(config, 1, lambda: 1.0) == 1.0
    assert backoff_delay(config, 3, lambda: 1.0) == 4.0
    assert backoff_delay(config, 3, lambda: 0.5) == 2.0
    assert backoff_delay(config, 6, lambda: 1.0) == 20.0
    assert backoff_delay(config, 200, lambda: 1.0) == 20.0
    assert backoff_delay(config, 4, lambda: 0.0) == 0.0


@pytest.fixture
def slept(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    """The delays the client sleeps, recorded instead of waited for."""
    delays: list[float] = []

    async def fake_sleep(delay: float) -> None:
        delays.append(delay)

    monkeypatch.setattr("anyio.sleep", fake_sleep)
    return delays


async def test_sleeps_follow_backoff(
    make_client: MakeClient, slept: list[float]
) -> None:
    recorder = Recorder(_error("Throttling"), _error("Throttling"), OK)
    async with make_client(recorder, retry=RetryConfig()) as client:
        client._random = lambda: 0.5
        await client.get_thing()
    assert slept == [0.5, 1.0]


async def test_retry_after_hint_is_honoured_within_bounds(
    make_client: MakeClient, slept: list[float]
) -> None:
    recorder = Recorder(
        _error("Throttling", headers={"x-amz-retry-after": "1500"}),
        _error("Throttling", headers={"x-amz-retry-after": "999999999"}),
        _error("Throttling", headers={"x-amz-retry-after": "soon"}),
        OK,
    )
    async with make_client(recorder, retry=RetryConfig(max_attempts=4)) as client:
        client._random = lambda: 0.25
        await client.get_thing()
    assert slept == [1.5, 20.0, 0.25 * 4]


async def test_a_retry_hint_cannot_lower_the_delay_below_the_floor(
    make_client: MakeClient, slept: list[float]
) -> None:
    """x-amz-retry-after: 0 must not turn retries into a tight loop (0.1 s floor)."""
    recorder = Recorder(
        _error("Throttling", headers={"x-amz-retry-after": "0"}),
        _error("Throttling", headers={"x-amz-retry-after": "7"}),
        _error("Throttling", headers={"x-amz-retry-after": "250"}),
        OK,
    )
    async with make_client(recorder, retry=RetryConfig(max_attempts=4)) as client:
        await client.get_thing()
    assert slept == [0.1, 0.1, 0.25]


def test_quota_token_bucket() -> None:
    quota = RetryQuota(12)
    assert quota.acquire(5) and quota.acquire(5)
    assert not quota.acquire(5)
    assert quota.available == 2
    quota.release(100)
    assert quota.available == 12


def _quota(client: DemoClient) -> RetryQuota:
    quota = client._config.retry.quota
    assert quota is not None
    return quota


async def test_quota_costs_and_refunds(make_client: MakeClient) -> None:
    recorder = Recorder(_error("Throttling"), OK, OK, httpx.ReadTimeout("slow"), OK)
    async with make_client(recorder) as client:
        quota = _quota(client)
        assert quota.available == 500
        await client.get_thing()  # one retry: costs 5, refunded on success
        assert quota.available == 500
        quota.available = 400
        await client.get_thing()  # no retry: +1
        assert quota.available == 401
        await client.get_thing()  # a timeout retry costs 10, refunded on success
        assert quota.available == 401


async def test_failed_call_keeps_its_retry_costs(make_client: MakeClient) -> None:
    recorder = Recorder(_error("Throttling"))
    async with make_client(recorder) as client:
        with pytest.raises(UnknownDemoError):
            await client.get_thing()
        assert _quota(client).available == 490


async def test_empty_quota_stops_retries(make_client: MakeClient) -> None:
    recorder = Recorder(_error("Throttling"), OK)
    async with make_client(recorder) as client:
        _quota(client).available = 4
        with pytest.raises(UnknownDemoError):
            await client.get_thing()
    assert len(recorder.requests) == 1


def test_classification() -> None:
    assert classify(ThingNotFound("x", status_code=400)) is RetryKind.NONE
    assert (
        classify(UnknownDemoError("x", code="SlowDown", status_code=503))
        is RetryKind.THROTTLING
    )
    assert (
        classify(UnknownDemoError("x", code="Other", status_code=429))
        is RetryKind.THROTTLING
    )
    assert classify(InternalServerError("x", status_code=500)) is RetryKind.TRANSIENT

    class Retryable(ThingNotFound):
        retryable = True

    assert classify(Retryable("x", status_code=400)) is RetryKind.TRANSIENT
    assert classify(RequestTimeoutError("t", retryable=True)) is RetryKind.TIMEOUT
    assert classify(RequestTimeoutError("deadline")) is RetryKind.NONE
    assert classify(TransportError("reset", retryable=True)) is RetryKind.TRANSIENT


def _skew_error(code: str, message: str, server_time: datetime) -> httpx.Response:
    return httpx.Response(
        400,
        json={"__type": code, "message": message},
        headers={"Date": format_datetime(server_time, usegmt=True)},
    )


@pytest.mark.parametrize(
    ("code", "message"),
    [
        (
            "RequestTimeTooSkewed",
            "The difference between the request time and the server's time is too large.",
        ),
        (
            "InvalidSignatureException",
            "Signature expired: 20260101T000000Z is now earlier than 20260101T010000Z",
        ),
        (
            "SignatureDoesNotMatch",
            "Signature not yet current: the request time is in the future",
        ),
    ],
)
async def test_clock_skew_is_corrected_and_retried_once(
    make_client: MakeClient, code: str, message: str
) -> None:
    server_time = datetime.now(UTC) + timedelta(hours=2)
    recorder = Recorder(_skew_error(code, message, server_time), OK)
    async with make_client(recorder, max_attempts=2) as client:
        await client.get_thing()
        assert abs(client._clock.offset - 7200) < 5
    first, second = recorder.requests
    first_date = datetime.strptime(first.headers["X-Amz-Date"], "%Y%m%dT%H%M%SZ")
    second_date = datetime.strptime(second.headers["X-Amz-Date"], "%Y%m%dT%H%M%SZ")
    assert (
        timedelta(hours=1, minutes=59)
        < second_date - first_date
        < timedelta(hours=2, minutes=1)
    )


async def test_skew_retry_happens_only_once_per_call(make_client: MakeClient) -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        # The server keeps moving its clock: a correction never helps.
        return _skew_error(
            "RequestTimeTooSkewed",
            "skewed",
            datetime.now(UTC) + timedelta(hours=len(recorder.requests)),
        )

    recorder = Recorder(handler)
    async with make_client(recorder, max_attempts=3) as client:
        with pytest.raises(ServiceError, match="RequestTimeTooSkewed"):
            await client.get_thing()
    assert len(recorder.requests) == 2


async def test_a_skew_retry_counts_as_an_attempt(make_client: MakeClient) -> None:
    """max_attempts=1 means one request, a skew rejection included."""
    server_time = datetime.now(UTC) + timedelta(hours=2)
    recorder = Recorder(_skew_error("RequestTimeTooSkewed", "skewed", server_time), OK)
    async with make_client(recorder, max_attempts=1) as client:
        with pytest.raises(ServiceError, match="RequestTimeTooSkewed"):
            await client.get_thing()
        assert client._clock.offset == 0
    assert len(recorder.requests) == 1


async def test_a_skew_retry_is_paid_from_the_retry_quota(
    make_client: MakeClient,
) -> None:
    server_time = datetime.now(UTC) + timedelta(hours=2)
    recorder = Recorder(_skew_error("RequestTimeTooSkewed", "skewed", server_time), OK)
    empty_quota = RetryConfig(quota_capacity=0, base_delay=0.001, max_backoff=0.01)
    async with make_client(recorder, retry=empty_quota) as client:
        with pytest.raises(ServiceError, match="RequestTimeTooSkewed"):
            await client.get_thing()
    assert len(recorder.requests) == 1


@pytest.mark.parametrize("days", [2, -2, 4 * 365])
async def test_an_implausible_server_time_is_not_believed(
    make_client: MakeClient, days: int
) -> None:
    """The Date header is not signed: a clock days away is not adopted."""
    server_time = datetime.now(UTC) + timedelta(days=days)
    recorder = Recorder(_skew_error("RequestTimeTooSkewed", "skewed", server_time), OK)
    async with make_client(recorder) as client:
        with pytest.raises(ServiceError, match="RequestTimeTooSkewed"):
            await client.get_thing()
        assert client._clock.offset == 0
    assert len(recorder.requests) == 1


async def test_signature_error_without_time_hint_is_not_a_skew(
    make_client: MakeClient,
) -> None:
    response = _skew_error(
        "InvalidSignatureException",
        "The request signature we calculated does not match",
        datetime.now(UTC) + timedelta(hours=2),
    )
    recorder = Recorder(response, OK)
    async with make_client(recorder) as client:
        with pytest.raises(UnknownDemoError):
            await client.get_thing()
        assert client._clock.offset == 0
    assert len(recorder.requests) == 1


async def test_deadline_covers_all_attempts(make_client: MakeClient) -> None:
    recorder = Recorder(_error("Throttling"))
    slow = RetryConfig(max_attempts=10, base_delay=0.2, max_backoff=0.2)
    async with make_client(recorder, retry=slow, deadline=0.3) as client:
        client._random = lambda: 1.0
        with pytest.raises(RequestTimeoutError, match="deadline"):
            await client.get_thing()
    assert 1 < len(recorder.requests) < 10


async def test_retries_are_logged_at_debug(
    make_client: MakeClient, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG, logger="smithygen_runtime")
    recorder = Recorder(_error("Throttling"), OK)
    async with make_client(recorder) as client:
        await client.get_thing()
    text = caplog.text
    assert "GetThing attempt 1/3: HTTP 400" in text
    assert "GetThing attempt 2/3: HTTP 200" in text
    assert "retrying in" in text


async def test_transport_failures_are_logged_at_debug(
    make_client: MakeClient, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG, logger="smithygen_runtime")
    recorder = Recorder(httpx.ConnectError("refused"), OK)
    async with make_client(recorder) as client:
        await client.get_thing()
    assert "GetThing attempt 1/3: ConnectError after" in caplog.text


async def test_request_body_is_json_as_botocore_writes_it(
    make_client: MakeClient,
) -> None:
    recorder = Recorder(OK)
    async with make_client(recorder) as client:
        await client.get_thing(name="é", max_results=3)
    assert recorder.requests[0].content == b'{"Name": "\\u00e9", "MaxResults": 3}'
