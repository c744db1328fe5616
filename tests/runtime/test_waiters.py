"""The waiter engine, against the Smithy waiters spec (additional-specs_waiters.rst)."""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

import pytest
from smithygen_runtime import (
    Acceptor,
    ServiceError,
    WaiterError,
    WaiterProgress,
    WaiterSpec,
    WaiterTimeoutError,
    wait,
)
from smithygen_runtime._waiters import compute_delay

pytestmark = pytest.mark.anyio

Result = tuple[dict[str, Any] | None, Mapping[str, Any] | None, ServiceError | None]


class NotFound(ServiceError):
    code = "NotFound"


def ok(wire: dict[str, Any]) -> Result:
    return wire, wire, None


def failed(code: str) -> Result:
    return None, None, ServiceError("boom", code=code, status_code=400)


class Script:
    def __init__(self, *results: Result) -> None:
        self.results = list(results)
        self.calls = 0

    async def __call__(self) -> Result:
        self.calls += 1
        return self.results[min(self.calls, len(self.results)) - 1]


# Fast waiters: the spec's formula with tiny delays.
def spec(*acceptors: Acceptor) -> WaiterSpec:
    return WaiterSpec("ThingReady", acceptors, min_delay=0.001, max_delay=0.004)


STATUS_SUCCESS = Acceptor("success", "output", "Status", "ready", "stringEquals")
STATUS_FAILURE = Acceptor("failure", "output", "Status", "failed", "stringEquals")


async def test_output_matcher_retries_until_success() -> None:
    script = Script(
        ok({"Status": "pending"}), ok({"Status": "pending"}), ok({"Status": "ready"})
    )
    progress: list[WaiterProgress] = []
    result = await wait(
        spec(STATUS_FAILURE, STATUS_SUCCESS),
        script,
        input_wire={},
        max_wait=5,
        on_attempt=progress.append,
    )
    assert result == {"Status": "ready"}
    assert script.calls == 3
    assert [p.attempt for p in progress] == [1, 2]


async def test_failure_acceptor_stops_with_waiter_error() -> None:
    script = Script(ok({"Status": "failed"}))
    with pytest.raises(WaiterError, match="failure state"):
        await wait(
            spec(STATUS_FAILURE, STATUS_SUCCESS), script, input_wire={}, max_wait=5
        )


async def test_unmatched_error_fails_the_waiter() -> None:
    # "Waiter workflow" step 4: no acceptor matched and an error occurred.
    script = Script(failed("AccessDenied"))
    with pytest.raises(WaiterError, match="unexpected error") as info:
        await wait(spec(STATUS_SUCCESS), script, input_wire={}, max_wait=5)
    assert (
        info.value.last_error is not None
        and info.value.last_error.code == "AccessDenied"
    )
    assert not isinstance(info.value, WaiterTimeoutError)


async def test_error_type_matcher_uses_the_name_part_of_a_shape_id() -> None:
    script = Script(failed("NotFound"), ok({"Status": "ready"}))
    retry_on_missing = Acceptor("retry", "errorType", expected="com.example#NotFound")
    assert await wait(
        spec(retry_on_missing, STATUS_SUCCESS), script, input_wire={}, max_wait=5
    ) == {"Status": "ready"}
    gone = Acceptor("success", "errorType", expected="NotFound")
    assert (
        await wait(spec(gone), Script(failed("NotFound")), input_wire={}, max_wait=5)
        is None
    )


@pytest.mark.parametrize(
    ("expected", "result", "outcome"),
    [(True, ok({}), "ok"), (False, failed("X"), "ok")],
)
async def test_success_matcher(expected: bool, result: Result, outcome: str) -> None:
    waiter = spec(Acceptor("success", "success", expected=expected))
    await wait(waiter, Script(result), input_wire={}, max_wait=5)


async def test_success_false_does_not_match_a_success() -> None:
    waiter = spec(Acceptor("failure", "success", expected=False), STATUS_SUCCESS)
    assert await wait(
        waiter, Script(ok({"Status": "ready"})), input_wire={}, max_wait=5
    )


async def test_input_output_matcher_sees_both() -> None:
    acceptor = Acceptor(
        "success", "inputOutput", "input.Name == output.Name", True, "booleanEquals"
    )
    script = Script(ok({"Name": "other"}), ok({"Name": "mine"}))
    result = await wait(spec(acceptor), script, input_wire={"Name": "mine"}, max_wait=5)
    assert result == {"Name": "mine"} and script.calls == 2


@pytest.mark.parametrize(
    ("comparator", "path", "expected", "wire", "matches"),
    [
        ("stringEquals", "S", "a", {"S": "a"}, True),
        ("stringEquals", "S", "a", {"S": "b"}, False),
        ("stringEquals", "S", "1", {"S": 1}, False),
        ("booleanEquals", "B", "true", {"B": True}, True),
        ("booleanEquals", "B", "false", {"B": True}, False),
        ("booleanEquals", "B", "true", {"B": "true"}, False),
        ("allStringEquals", "L[].S", "a", {"L": [{"S": "a"}, {"S": "a"}]}, True),
        ("allStringEquals", "L[].S", "a", {"L": [{"S": "a"}, {"S": "b"}]}, False),
        ("allStringEquals", "L[].S", "a", {"L": []}, False),  # at least one value
        ("anyStringEquals", "L[].S", "b", {"L": [{"S": "a"}, {"S": "b"}]}, True),
        ("anyStringEquals", "L[].S", "c", {"L": [{"S": "a"}]}, False),
        ("anyStringEquals", "L", "a", {"L": "a"}, False),  # not an array
        ("stringEquals", "Missing.Deep", "a", {}, False),
    ],
)
async def test_comparators(
    comparator: str, path: str, expected: str, wire: dict[str, Any], matches: bool
) -> None:
    acceptor = Acceptor("success", "output", path, expected, comparator)  # type: ignore[arg-type]
    fallback = Acceptor("failure", "success", expected=True)
    if matches:
        assert (
            await wait(
                spec(acceptor, fallback), Script(ok(wire)), input_wire={}, max_wait=5
            )
            == wire
        )
    else:
        with pytest.raises(WaiterError, match="failure state"):
            await wait(
                spec(acceptor, fallback), Script(ok(wire)), input_wire={}, max_wait=5
            )


async def test_times_out_with_waiter_timeout_error() -> None:
    script = Script(ok({"Status": "pending"}))
    waiter = WaiterSpec("ThingReady", (STATUS_SUCCESS,), min_delay=0.02, max_delay=0.05)
    with pytest.raises(WaiterTimeoutError, match="timed out"):
        await wait(waiter, script, input_wire={}, max_wait=0.2)
    assert 2 <= script.calls <= 12


async def test_a_hanging_attempt_is_cancelled_at_max_wait() -> None:
    import anyio

    async def hang() -> Result:
        await anyio.sleep(10)
        raise AssertionError("unreachable")

    with anyio.fail_after(2):
        with pytest.raises(WaiterTimeoutError):
            await wait(spec(STATUS_SUCCESS), hang, input_wire={}, max_wait=0.1)


def test_delay_formula_follows_the_spec() -> None:
    # "Waiter retries": delay = min_delay * 2 ** (attempt - 1) up to the
    # attempt ceiling, max_delay beyond it, then random(min_delay, delay).
    upper = lambda lo, hi: hi  # noqa: E731 - the top of the random range
    lower = lambda lo, hi: lo  # noqa: E731
    ceiling = math.log(120 / 2) / math.log(2) + 1  # 6.9
    assert [
        compute_delay(a, min_delay=2, max_delay=120, remaining=10_000, uniform=upper)
        for a in range(1, 9)
    ] == [
        2,
        4,
        8,
        16,
        32,
        64,
        120,
        120,
    ]
    assert ceiling < 7
    assert (
        compute_delay(5, min_delay=2, max_delay=120, remaining=10_000, uniform=lower)
        == 2
    )
    # When the remaining time minus the delay is <= min_delay, wait exactly the remaining time.
    assert compute_delay(3, min_delay=2, max_delay=120, remaining=9, uniform=upper) == 9
    assert (
        compute_delay(3, min_delay=2, max_delay=120, remaining=10.5, uniform=upper) == 8
    )


async def test_bad_max_wait_is_refused() -> None:
    with pytest.raises(WaiterError, match="max_wait"):
        await wait(spec(STATUS_SUCCESS), Script(ok({})), input_wire={}, max_wait=0)


async def test_the_pause_between_polls_is_the_given_sleep() -> None:
    """Generated clients pass their own sleep (one aclose() can end)."""
    slept: list[float] = []

    async def sleep(delay: float) -> None:
        slept.append(delay)

    script = Script(ok({"Status": "pending"}), ok({"Status": "pending"}))
    script.results.append(ok({"Status": "ready"}))
    waiter = WaiterSpec("ThingReady", (STATUS_SUCCESS,), min_delay=30, max_delay=60)
    await wait(waiter, script, input_wire={}, max_wait=600, sleep=sleep)
    assert script.calls == 3
    assert len(slept) == 2 and all(30 <= delay <= 60 for delay in slept)
