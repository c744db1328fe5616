"""The waiter engine: acceptors, matchers and delays as the Smithy waiters spec says.

Spec: additional-specs_waiters.rst, "Waiter workflow", "Waiter retries",
"Matcher union" and "PathComparator enum".
"""

from __future__ import annotations

import functools
import math
import random
from collections.abc import Awaitable, Callable, Mapping
from typing import Any, Literal, TypeVar

import attrs

from ._errors import ServiceError, WaiterError, WaiterTimeoutError

__all__ = ["Acceptor", "WaiterProgress", "WaiterSpec", "compute_delay", "wait"]

Out = TypeVar("Out")

State = Literal["success", "failure", "retry"]
Matcher = Literal["output", "inputOutput", "success", "errorType"]
Comparator = Literal[
    "stringEquals", "booleanEquals", "allStringEquals", "anyStringEquals"
]


@attrs.frozen
class Acceptor:
    """One acceptor: when ``matcher`` matches, the waiter moves to ``state``.

    ``output``/``inputOutput`` use ``path`` (JMESPath), ``expected`` and
    ``comparator``; ``success`` uses ``expected`` (a bool); ``errorType``
    uses ``expected`` (an error name or shape ID).
    """

    state: State
    matcher: Matcher
    path: str | None = None
    expected: Any = None
    comparator: Comparator | None = None


@attrs.frozen
class WaiterSpec:
    """A named waiter: its acceptors in order, and its delay bounds in seconds."""

    name: str
    acceptors: tuple[Acceptor, ...]
    min_delay: float = 2
    max_delay: float = 120


@attrs.frozen(kw_only=True)
class WaiterProgress:
    """Reported after each attempt that leads to another one."""

    waiter: str
    attempt: int
    elapsed: float
    next_delay: float
    error_code: str | None = None


@functools.lru_cache(maxsize=256)
def _compiled(path: str) -> Any:
    import jmespath

    return jmespath.compile(path)


def _search(path: str | None, data: Any) -> Any:
    if path is None:
        raise WaiterError("an output or inputOutput acceptor needs a path")
    import jmespath.exceptions

    try:
        return _compiled(path).search(data)
    except jmespath.exceptions.JMESPathError as exc:
        raise WaiterError(f"invalid acceptor path {path!r}: {exc}") from None


def _compare(value: Any, comparator: Comparator | None, expected: Any) -> bool:
    if comparator == "stringEquals":
        return isinstance(value, str) and value == expected
    if comparator == "booleanEquals":
        want = (
            expected if isinstance(expected, bool) else str(expected).lower() == "true"
        )
        return isinstance(value, bool) and value is want
    if comparator == "allStringEquals":
        return (
            isinstance(value, list)
            and len(value) > 0
            and all(isinstance(v, str) and v == expected for v in value)
        )
    if comparator == "anyStringEquals":
        return isinstance(value, list) and any(
            isinstance(v, str) and v == expected for v in value
        )
    raise WaiterError(f"unknown comparator {comparator!r}")


def _matches(
    acceptor: Acceptor,
    wire: Mapping[str, Any] | None,
    error: ServiceError | None,
    input_wire: Mapping[str, Any],
) -> bool:
    matcher = acceptor.matcher
    if matcher == "success":
        return (error is None) is bool(acceptor.expected)
    if matcher == "errorType":
        expected = str(acceptor.expected).rsplit("#", 1)[-1]
        return error is not None and error.code == expected
    if error is not None:
        # output and inputOutput are checked only when the operation succeeded.
        return False
    if matcher == "output":
        data: Any = wire if wire is not None else {}
    elif matcher == "inputOutput":
        data = {"input": input_wire, "output": wire if wire is not None else {}}
    else:
        raise WaiterError(f"unknown matcher {matcher!r}")
    return _compare(
        _search(acceptor.path, data), acceptor.comparator, acceptor.expected
    )


def compute_delay(
    attempt: int,
    *,
    min_delay: float,
    max_delay: float,
    remaining: float,
    uniform: Callable[[float, float], float] = random.uniform,
) -> float:
    """The delay before retry ``attempt`` (1-based), per "Waiter retries"."""
    attempt_ceiling = math.log(max_delay / min_delay) / math.log(2) + 1
    delay = max_delay if attempt > attempt_ceiling else min_delay * 2 ** (attempt - 1)
    delay = uniform(min_delay, delay)
    if remaining - delay <= min_delay:
        delay = remaining
    return max(delay, 0.0)


def _check_wait(spec: WaiterSpec, max_wait: float) -> None:
    if (
        isinstance(max_wait, bool)
        or not isinstance(max_wait, int | float)
        or not max_wait > 0
    ):
        raise WaiterError(
            f"max_wait must be a positive number of seconds, got {max_wait!r}"
        )
    if not 0 < spec.min_delay <= spec.max_delay:
        raise WaiterError(f"waiter {spec.name}: need 0 < min_delay <= max_delay")


def _state_of(
    spec: WaiterSpec,
    wire: Mapping[str, Any] | None,
    error: ServiceError | None,
    input_wire: Mapping[str, Any],
) -> State | None:
    """The state of the first acceptor that matches the attempt, else None.

    Raises WaiterError on a failure state or an error no acceptor matches.
    """
    state: State | None = None
    for acceptor in spec.acceptors:
        if _matches(acceptor, wire, error, input_wire):
            state = acceptor.state
            break
    if state == "failure":
        raise WaiterError(
            f"waiter {spec.name} reached a failure state"
            + (f" ({error.code}: {error.message})" if error is not None else ""),
            last_error=error,
        )
    if state is None and error is not None:
        raise WaiterError(
            f"waiter {spec.name} met an unexpected error: {error}", last_error=error
        )
    return state


async def wait(
    spec: WaiterSpec,
    attempt: Callable[
        [], Awaitable[tuple[Out | None, Mapping[str, Any] | None, ServiceError | None]]
    ],
    *,
    input_wire: Mapping[str, Any],
    max_wait: float,
    on_attempt: Callable[[WaiterProgress], None] | None = None,
    sleep: Callable[[float], Awaitable[None]] | None = None,
) -> Out | None:
    """Poll ``attempt`` until an acceptor reaches success or failure, or time runs out.

    Returns the output of the successful attempt (None when success was
    reached through an error, e.g. ``errorType: NotFound``). Raises
    WaiterError on a failure state or an error no acceptor matches, and
    WaiterTimeoutError once ``max_wait`` seconds are used up. ``sleep``
    pauses between polls (``anyio.sleep`` by default): generated clients
    pass their ``_waiter_sleep``, which the client's ``aclose()`` ends.
    """
    import anyio

    _check_wait(spec, max_wait)
    started = anyio.current_time()
    retries = 0
    while True:
        remaining = max_wait - (anyio.current_time() - started)
        output, wire, error = await _poll_within(
            spec, attempt, remaining, max_wait, number=retries + 1
        )
        if _state_of(spec, wire, error, input_wire) == "success":
            return output
        retries += 1
        elapsed = anyio.current_time() - started
        delay = _delay_before_poll(spec, retries, elapsed, max_wait)
        if on_attempt is not None:
            on_attempt(
                WaiterProgress(
                    waiter=spec.name,
                    attempt=retries,
                    elapsed=elapsed,
                    next_delay=delay,
                    error_code=error.code if error is not None else None,
                )
            )
        await (sleep or anyio.sleep)(delay)


async def _poll_within(
    spec: WaiterSpec,
    attempt: Callable[
        [], Awaitable[tuple[Out | None, Mapping[str, Any] | None, ServiceError | None]]
    ],
    remaining: float,
    max_wait: float,
    *,
    number: int,
) -> tuple[Out | None, Mapping[str, Any] | None, ServiceError | None]:
    """One poll, cancelled (WaiterTimeoutError) when the waiter's time runs out."""
    import anyio

    # "Waiter workflow" step 2: a request still running when the allowed
    # time is up is cancelled and the waiter fails.
    with anyio.move_on_after(max(remaining, 0)):
        return await attempt()
    # Reached only when the time ran out and the attempt was cancelled.
    raise WaiterTimeoutError(
        f"waiter {spec.name} timed out after {max_wait} s during attempt {number}"
    )


def _delay_before_poll(
    spec: WaiterSpec, retries: int, elapsed: float, max_wait: float
) -> float:
    """The pause before the next poll; WaiterTimeoutError when no time is left."""
    remaining = max_wait - elapsed
    if remaining <= 0:
        raise WaiterTimeoutError(
            f"waiter {spec.name} timed out after {max_wait} s and {retries} attempts"
        )
    return compute_delay(
        retries,
        min_delay=spec.min_delay,
        max_delay=spec.max_delay,
        remaining=remaining,
    )
