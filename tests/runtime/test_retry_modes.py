"""The legacy and adaptive retry modes, next to botocore's own implementations."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import anyio
import pytest
from smithygen_runtime import ServiceError
from smithygen_runtime._retries import (
    LEGACY_RETRYABLE_STATUS,
    LEGACY_THROTTLING_CODES,
    AsyncTokenBucket,
    ClientRateLimiter,
    RetryKind,
    classify,
    classify_legacy,
)

from tests.runtime.conftest import Recorder, json_response
from tests.runtime.demo_service import DemoClient, ThingNotFound, UnknownDemoError

MakeClient = Callable[..., DemoClient]
OK = json_response(200, {"Items": ["done"]})


def _error(code: str, status: int) -> Any:
    return json_response(status, {"__type": code, "message": "x"})


# --- legacy -------------------------------------------------------------------


def test_legacy_policies_are_botocores_retry_json() -> None:
    from botocore.loaders import create_loader

    data = create_loader().load_data("_retry")
    definitions = data["definitions"]
    codes, statuses = set(), set()
    for ref in data["retry"]["__default__"]["policies"].values():
        response = definitions[ref["$ref"]]["applies_when"].get("response", {})
        if "service_error_code" in response:
            assert response["http_status_code"] == 400
            codes.add(response["service_error_code"])
        elif "http_status_code" in response:
            statuses.add(response["http_status_code"])
    assert codes == LEGACY_THROTTLING_CODES
    assert statuses == LEGACY_RETRYABLE_STATUS | {429}
    assert data["retry"]["__default__"]["max_attempts"] == 5


def test_legacy_classification_differs_from_standard_where_botocore_does() -> None:
    def error(code: str, status: int) -> ServiceError:
        return UnknownDemoError("x", code=code, status_code=status)

    # A throttling code counts only with HTTP 400 in legacy, always in standard.
    assert classify_legacy(error("ThrottlingException", 400)) is RetryKind.THROTTLING
    assert classify_legacy(error("ThrottlingException", 403)) is RetryKind.NONE
    assert classify(error("ThrottlingException", 403)) is RetryKind.THROTTLING
    # SlowDown is a standard-mode throttling code, not a legacy one.
    assert classify_legacy(error("SlowDown", 400)) is RetryKind.NONE
    assert classify_legacy(error("Other", 509)) is RetryKind.TRANSIENT
    assert classify(error("Other", 509)) is RetryKind.NONE
    # Legacy ignores a model's @retryable trait.

    class Retryable(ThingNotFound):
        retryable = True

    assert classify_legacy(Retryable("x", status_code=400)) is RetryKind.NONE
    assert classify(Retryable("x", status_code=400)) is RetryKind.TRANSIENT


@pytest.mark.anyio
async def test_legacy_mode_makes_five_attempts_without_a_quota(
    make_client: MakeClient,
) -> None:
    recorder = Recorder(_error("InternalServerError", 500))
    async with make_client(recorder, retry_mode="legacy") as client:
        assert client._config.retry.quota is None
        for _ in range(3):  # the standard quota would not care either; legacy has none
            with pytest.raises(ServiceError):
                await client.get_thing()
    assert len(recorder.requests) == 15


@pytest.mark.anyio
async def test_legacy_backoff_is_uncapped_rand_times_two_to_the_attempt(
    make_client: MakeClient,
) -> None:
    from smithygen_runtime import RetryConfig
    from smithygen_runtime._retries import legacy_backoff_delay

    config = RetryConfig(base_delay=1.0, max_backoff=20.0)
    assert legacy_backoff_delay(config, 1, lambda: 0.5) == 0.5
    assert legacy_backoff_delay(config, 4, lambda: 0.5) == 4.0
    assert legacy_backoff_delay(config, 7, lambda: 0.5) == 32.0  # past max_backoff


# --- adaptive -----------------------------------------------------------------


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now

    def current_time(self) -> float:  # botocore's clock interface
        return self.now


class _Detector:
    """botocore's throttling detector, answering from the test's script."""

    def is_throttling_error(self, **kwargs: Any) -> bool:
        return bool(kwargs["throttled"])


def test_adaptive_rates_follow_botocores_limiter_step_by_step() -> None:
    from botocore.retries.adaptive import ClientRateLimiter as BotocoreLimiter
    from botocore.retries.adaptive import RateClocker
    from botocore.retries.bucket import TokenBucket
    from botocore.retries.throttling import CubicCalculator

    clock = FakeClock()
    theirs = BotocoreLimiter(
        rate_adjustor=CubicCalculator(starting_max_rate=0, start_time=clock.now),
        rate_clocker=RateClocker(clock),
        token_bucket=TokenBucket(max_rate=1, clock=clock),
        throttling_detector=_Detector(),
        clock=clock,
    )
    ours = ClientRateLimiter(clock=clock)
    # Bursts of responses, throttled now and then, 0.1-0.7 s apart.
    steps = [(0.1 * (i % 7 + 1), i in (5, 6, 17, 30)) for i in range(45)]
    for gap, throttled in steps:
        clock.now += gap
        theirs.on_receiving_response(throttled=throttled)
        ours.after_attempt(throttled)
        assert ours.enabled is theirs._enabled
        assert ours.bucket.max_rate == pytest.approx(theirs._token_bucket.max_rate)
        assert ours.bucket.available == pytest.approx(
            theirs._token_bucket.available_capacity
        )


@pytest.mark.anyio
async def test_waiting_for_a_token_leaves_the_loop_free_and_cancels_cleanly() -> None:
    bucket = AsyncTokenBucket(max_rate=1000.0, clock=anyio.current_time)
    await bucket.acquire()  # the first token comes after 1 ms
    bucket.set_max_rate(0.5)  # capacity now 1 token at most ...
    await bucket.acquire()  # ... taken here; the next one comes in about 2 s
    ticks = 0

    async def ticker() -> None:
        nonlocal ticks
        while True:
            ticks += 1
            await anyio.sleep(0.005)

    with anyio.fail_after(5):
        async with anyio.create_task_group() as group:
            group.start_soon(ticker)
            with anyio.move_on_after(0.2) as scope:
                await bucket.acquire()
            group.cancel_scope.cancel()
    assert scope.cancelled_caught  # the wait was cancelled, not satisfied
    assert ticks > 5  # the loop kept running other tasks meanwhile
    assert bucket.available < 1  # and the cancelled wait took no token


@pytest.mark.anyio
async def test_a_rate_change_wakes_a_waiter() -> None:
    bucket = AsyncTokenBucket(max_rate=1000.0, clock=anyio.current_time)
    await bucket.acquire()
    bucket.set_max_rate(0.5)
    await bucket.acquire()  # drained: the next token is about 2 s away
    got = anyio.Event()

    async def waiter() -> None:
        await bucket.acquire()
        got.set()

    with anyio.fail_after(5):
        async with anyio.create_task_group() as group:
            group.start_soon(waiter)
            await anyio.sleep(0.05)
            bucket.set_max_rate(1000.0)  # tokens now accrue 2,000 times faster
            await anyio.sleep(0.05)
            bucket.set_max_rate(1000.0)  # a refill: the waiter's token is there
            await got.wait()


@pytest.mark.anyio
async def test_adaptive_client_turns_rate_limiting_on_after_throttling(
    make_client: MakeClient,
) -> None:
    recorder = Recorder(_error("ThrottlingException", 400), OK, OK)
    async with make_client(recorder, retry_mode="adaptive") as client:
        limiter = client._config.retry.limiter
        assert limiter is not None and not limiter.enabled
        await client.get_thing()
        assert limiter.enabled
        await client.get_thing()  # takes a token before sending
    assert len(recorder.requests) == 3
