"""Retry modes (standard, legacy, adaptive): classification, backoff, quota, rate limit.

The standard mode is the AWS SDKs' (``botocore/retries/standard.py``); legacy
is botocore's older policy (``botocore/data/_retry.json``, ``__default__``);
adaptive is standard plus botocore's client-side rate limiter (its cubic
calculation and token bucket), with the waiting made async: a task waiting for
a token sleeps through anyio, never blocking the event loop, and a cancelled
wait takes no token.
"""

from __future__ import annotations

import enum
import logging
import random
import re
import time
from collections.abc import Callable, Mapping
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

from ._config import RetryConfig
from ._errors import RequestTimeoutError, ServiceError, SmithyGenError, TransportError
from ._loops import current_loop

if TYPE_CHECKING:
    import anyio

logger = logging.getLogger("smithygen_runtime")

__all__ = [
    "LEGACY_THROTTLING_CODES",
    "THROTTLING_CODES",
    "TRANSIENT_CODES",
    "AsyncTokenBucket",
    "CallAttempts",
    "ClientRateLimiter",
    "ClockSkew",
    "RetryKind",
    "RetryQuota",
    "RetryStrategy",
    "backoff_delay",
    "classify",
    "classify_legacy",
    "clock_skew_offset",
    "legacy_backoff_delay",
    "retry_after_hint",
]

THROTTLING_CODES = frozenset(
    {
        "Throttling",
        "ThrottlingException",
        "ThrottledException",
        "RequestThrottledException",
        "TooManyRequestsException",
        "ProvisionedThroughputExceededException",
        "TransactionInProgressException",
        "RequestLimitExceeded",
        "BandwidthLimitExceeded",
        "LimitExceededException",
        "RequestThrottled",
        "SlowDown",
        "PriorRequestNotComplete",
        "EC2ThrottledException",
    }
)
TRANSIENT_CODES = frozenset(
    {"RequestTimeout", "RequestTimeoutException", "PriorRequestNotComplete"}
)
RETRYABLE_STATUS = frozenset({500, 502, 503, 504})

# botocore's legacy policies (_retry.json "__default__"): these codes only
# with HTTP 400, and these statuses whatever the code.
LEGACY_THROTTLING_CODES = frozenset(
    {
        "Throttling",
        "ThrottlingException",
        "ThrottledException",
        "RequestThrottledException",
        "ProvisionedThroughputExceededException",
    }
)
LEGACY_RETRYABLE_STATUS = frozenset({500, 502, 503, 504, 509})

# Codes that always mean "your clock is off", and codes that mean it only
# when the message talks about time (they also cover wrong keys).
_SKEW_CODES = frozenset(
    {"RequestTimeTooSkewed", "RequestExpired", "RequestInTheFuture"}
)
_MAYBE_SKEW_CODES = frozenset(
    {
        "InvalidSignatureException",
        "SignatureDoesNotMatch",
        "AuthFailure",
        "InvalidSignature",
    }
)
_SKEW_MESSAGE = re.compile(r"expired|skew|earlier than|later than|in the future", re.I)
# A correction smaller than this is noise (network latency, Date's 1 s grain).
_MIN_SKEW_CORRECTION = 60.0
# A server clock further off than this is not believed: a Date header is not
# signed, and a day covers any time zone mistake of a real machine's clock.
MAX_SKEW_CORRECTION = 24 * 3600.0

# x-amz-retry-after is honoured between these bounds (seconds). The floor
# keeps a hint of 0 (or a few ms) from turning retries into a tight loop
# against a struggling service: 50 attempts then take at least 5 s.
MIN_RETRY_AFTER = 0.1
MAX_RETRY_AFTER = 20.0


class RetryKind(enum.Enum):
    """Why (or whether) a failed attempt may be retried; decides the quota cost."""

    NONE = "none"
    THROTTLING = "throttling"
    TRANSIENT = "transient"
    TIMEOUT = "timeout"


def classify(error: SmithyGenError) -> RetryKind:
    """The retry kind of a failed attempt."""
    if isinstance(error, ServiceError):
        if error.code in THROTTLING_CODES:
            return RetryKind.THROTTLING
        if error.code in TRANSIENT_CODES:
            return RetryKind.TRANSIENT
        if error.status_code == 429:
            return RetryKind.THROTTLING
        if error.retryable or error.status_code in RETRYABLE_STATUS:
            return RetryKind.TRANSIENT
        return RetryKind.NONE
    if isinstance(error, TransportError) and getattr(error, "retryable", False):
        if isinstance(error, RequestTimeoutError):
            return RetryKind.TIMEOUT
        return RetryKind.TRANSIENT
    return RetryKind.NONE


def classify_legacy(error: SmithyGenError) -> RetryKind:
    """The retry kind under botocore's legacy mode (no modeled-retryable errors)."""
    if isinstance(error, ServiceError):
        if error.status_code == 429 or (
            error.status_code == 400 and error.code in LEGACY_THROTTLING_CODES
        ):
            return RetryKind.THROTTLING
        if error.status_code in LEGACY_RETRYABLE_STATUS:
            return RetryKind.TRANSIENT
        return RetryKind.NONE
    # Connection errors and timeouts: botocore's GENERAL_CONNECTION_ERROR.
    return classify(error)


class RetryQuota:
    """The standard mode's token bucket, shared by all calls of one client.

    No lock: it is only touched from the event loop, with no await between
    reading and updating the balance.
    """

    def __init__(self, capacity: int) -> None:
        self.capacity = capacity
        self.available = capacity

    def __repr__(self) -> str:
        return f"RetryQuota(available={self.available}, capacity={self.capacity})"

    def acquire(self, cost: int) -> bool:
        """Take ``cost`` tokens for a retry; False (and nothing taken) when short."""
        if cost > self.available:
            return False
        self.available -= cost
        return True

    def release(self, amount: int) -> None:
        """Return tokens after a success, never above the capacity."""
        self.available = min(self.capacity, self.available + amount)


def backoff_delay(
    config: RetryConfig, attempt: int, rng: Callable[[], float] = random.random
) -> float:
    """Full-jitter exponential backoff after failed attempt number ``attempt`` (1-based)."""
    ceiling = min(config.max_backoff, config.base_delay * 2.0 ** min(attempt - 1, 62))
    return float(rng() * ceiling)


def legacy_backoff_delay(
    config: RetryConfig, attempt: int, rng: Callable[[], float] = random.random
) -> float:
    """botocore's legacy delay: a random fraction of ``base_delay * 2 ** (attempt - 1)``.

    Uncapped, as botocore's ("base": "rand", "growth_factor": 2).
    """
    return float(rng() * config.base_delay * 2.0 ** min(attempt - 1, 62))


def retry_after_hint(headers: Mapping[str, str] | None) -> float | None:
    """The ``x-amz-retry-after`` hint (milliseconds) in seconds, if present and sane.

    Bounded to [MIN_RETRY_AFTER, MAX_RETRY_AFTER]: 0.1 s to 20 s.
    """
    if not headers:
        return None
    raw = headers.get("x-amz-retry-after")
    if raw is None:
        return None
    try:
        millis = int(raw.strip())
    except ValueError:
        return None
    if millis < 0:
        return None
    return min(max(millis / 1000.0, MIN_RETRY_AFTER), MAX_RETRY_AFTER)


def clock_skew_offset(
    error: ServiceError,
    date_header: str | None,
    local_now: datetime,
    current_offset: float = 0.0,
) -> float | None:
    """The clock offset (server minus local, seconds) a skew rejection implies.

    None when the error is not about time, the response has no usable Date, or
    the offset already in use is within a minute of it (then the rejection has
    another cause and retrying would not help).
    """
    if error.code not in _SKEW_CODES and (
        error.code not in _MAYBE_SKEW_CODES or not _SKEW_MESSAGE.search(error.message)
    ):
        return None
    if not date_header:
        return None
    from email.utils import parsedate_to_datetime

    try:
        server_now = parsedate_to_datetime(date_header)
    except (TypeError, ValueError, IndexError):
        return None
    if server_now.tzinfo is None:
        return None
    offset = (server_now - local_now).total_seconds()
    if abs(offset - current_offset) < _MIN_SKEW_CORRECTION:
        return None
    if abs(offset) > MAX_SKEW_CORRECTION:
        return None
    return offset


class AsyncTokenBucket:
    """botocore's adaptive-mode token bucket (``retries/bucket.py``), awaited.

    The fill rate is ``max_rate`` tokens per second (at least 0.5), the
    capacity ``max(max_rate, 1)``. Only touched from the event loop; a waiter
    sleeps until a token is due or the rate changes, then looks again.
    """

    MIN_RATE = 0.5

    def __init__(self, max_rate: float, clock: Callable[[], float]) -> None:
        self._clock = clock
        self._capacity = 0.0
        self._last: float | None = None
        self._fill_rate = self.MIN_RATE
        self._max_capacity = 1.0
        self._rate_changed: anyio.Event | None = None
        self._rate_changed_loop: object = None  # the event's loop
        self.set_max_rate(max_rate)

    def __repr__(self) -> str:
        return (
            f"AsyncTokenBucket(max_rate={self._fill_rate:.3g}, "
            f"available={self._capacity:.3g})"
        )

    @property
    def max_rate(self) -> float:
        return self._fill_rate

    @property
    def available(self) -> float:
        return self._capacity

    def set_max_rate(self, value: float) -> None:
        """Change the fill rate, keeping what has accrued so far; wake waiters."""
        self._refill()
        self._fill_rate = max(value, self.MIN_RATE)
        self._max_capacity = value if value >= 1 else 1.0
        self._capacity = min(self._capacity, self._max_capacity)
        if self._rate_changed is not None:
            # Waiters of another (maybe closed) loop are gone: drop their event.
            if self._rate_changed_loop is current_loop():
                self._rate_changed.set()
            self._rate_changed = None

    async def acquire(self) -> None:
        """Take one token, waiting (cancellably) until one is available."""
        import anyio

        while True:
            self._refill()
            if self._capacity >= 1:
                self._capacity -= 1
                return
            wait = (1 - self._capacity) / self._fill_rate
            loop = current_loop()
            if self._rate_changed is None or self._rate_changed_loop is not loop:
                # An event left by waiters of an earlier (now gone) event
                # loop cannot be awaited from this one.
                self._rate_changed = anyio.Event()
                self._rate_changed_loop = loop
            with anyio.move_on_after(wait):
                await self._rate_changed.wait()

    def _refill(self) -> None:
        now = self._clock()
        if self._last is None:
            self._last = now
            return
        gained = (now - self._last) * self._fill_rate
        self._capacity = min(self._max_capacity, self._capacity + gained)
        self._last = now


class _ClockForBotocore:
    """The clock interface botocore's RateClocker reads (``current_time``)."""

    def __init__(self, clock: Callable[[], float]) -> None:
        self.current_time = clock


class ClientRateLimiter:
    """botocore's adaptive mode limiter, with an async token bucket.

    Off until the first throttling response; from then on every attempt
    takes a token first. Each response feeds botocore's CubicCalculator
    (rate after success / after throttling) and RateClocker (measured send
    rate); the bucket's rate is the cubic rate, at most twice the measured.
    """

    _MAX_RATE_ADJUST_SCALE = 2.0

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        from botocore.retries.adaptive import RateClocker
        from botocore.retries.throttling import CubicCalculator

        self._clock = clock
        self._cubic: Any = CubicCalculator(starting_max_rate=0, start_time=clock())
        self._measured: Any = RateClocker(_ClockForBotocore(clock))
        self.bucket = AsyncTokenBucket(max_rate=1, clock=clock)
        self.enabled = False

    def __repr__(self) -> str:
        return f"ClientRateLimiter(enabled={self.enabled}, bucket={self.bucket!r})"

    async def before_attempt(self) -> None:
        if self.enabled:
            await self.bucket.acquire()

    def after_attempt(self, throttled: bool) -> None:
        measured = float(self._measured.record())
        now = self._clock()
        if not throttled:
            new_rate = float(self._cubic.success_received(now))
        else:
            current = (
                measured if not self.enabled else min(measured, self.bucket.max_rate)
            )
            new_rate = float(self._cubic.error_received(current, now))
            self.enabled = True
        self.bucket.set_max_rate(min(new_rate, self._MAX_RATE_ADJUST_SCALE * measured))


class RetryStrategy:
    """One client's retry behaviour for its mode: what to retry, when, how often."""

    def __init__(
        self,
        mode: str,
        config: RetryConfig,
        max_attempts: int,
        rng: Callable[[], float] = random.random,
    ) -> None:
        self.mode = mode
        self.config = config
        self.max_attempts = max_attempts
        self._rng = rng
        self.legacy = mode == "legacy"
        self.quota = (
            RetryQuota(config.quota_capacity)
            if config.use_quota and not self.legacy
            else None
        )
        self.limiter = ClientRateLimiter() if mode == "adaptive" else None

    def __repr__(self) -> str:
        return (
            f"RetryStrategy(mode={self.mode!r}, max_attempts={self.max_attempts}, "
            f"quota={self.quota!r}, limiter={self.limiter!r})"
        )

    def classify(self, error: SmithyGenError) -> RetryKind:
        return classify_legacy(error) if self.legacy else classify(error)

    async def before_attempt(self) -> None:
        """Adaptive mode: wait for a send token (no-op in the other modes)."""
        if self.limiter is not None:
            await self.limiter.before_attempt()

    def after_attempt(self, kind: RetryKind) -> None:
        """Adaptive mode: feed the outcome of an attempt to the rate limiter."""
        if self.limiter is not None:
            self.limiter.after_attempt(kind is RetryKind.THROTTLING)

    def take_retry_cost(self, kind: RetryKind) -> int | None:
        """Quota tokens a retry took (0 without quota), or None when exhausted."""
        if self.quota is None:
            return 0
        config = self.config
        cost = config.timeout_cost if kind is RetryKind.TIMEOUT else config.retry_cost
        return cost if self.quota.acquire(cost) else None

    def on_success(self, spent: int) -> None:
        if self.quota is not None:
            self.quota.release(spent or self.config.success_refund)

    def delay(self, attempt: int, headers: Mapping[str, str] | None) -> float:
        if self.legacy:
            return legacy_backoff_delay(self.config, attempt, self._rng)
        hint = retry_after_hint(headers)
        if hint is not None:
            return hint
        return backoff_delay(self.config, attempt, self._rng)


class ClockSkew:
    """How far the service's clock is from this machine's, as the client learned it.

    Shared by the calls of one client: a skew rejection corrects it once and
    every later signature uses the corrected time.
    """

    __slots__ = ("offset",)

    def __init__(self) -> None:
        self.offset = 0.0  # seconds, server minus local

    def __repr__(self) -> str:
        return f"ClockSkew(offset={self.offset:.0f} s)"

    def now(self) -> datetime:
        """The current time as the service's clock has it (for SigV4)."""
        now = datetime.now(UTC)
        return now + timedelta(seconds=self.offset) if self.offset else now

    def implied_offset(
        self, error: SmithyGenError, headers: Mapping[str, str] | None
    ) -> float | None:
        """The offset a skew rejection implies (None: not a skew, or not believable)."""
        if not isinstance(error, ServiceError) or headers is None:
            return None
        return clock_skew_offset(
            error, headers.get("date"), datetime.now(UTC), self.offset
        )


class CallAttempts:
    """The attempts of one call: their count, the retry quota they took, when to retry.

    The pipeline asks ``start`` before each attempt, ``succeeded`` after a
    success and ``retry_delay`` after a failure: the seconds to wait before
    trying again (backoff, or the service's retry hint), or None to give up.
    A clock skew rejection is retried at once, once per call, with the
    corrected clock (an attempt like any other: counted and paid for).
    """

    __slots__ = (
        "_clock",
        "_skew_corrected",
        "_spent",
        "_strategy",
        "number",
        "operation",
    )

    def __init__(
        self, strategy: RetryStrategy, clock: ClockSkew, operation: str
    ) -> None:
        self._strategy = strategy
        self._clock = clock
        self.operation = operation
        self.number = 0
        self._spent = 0
        self._skew_corrected = False

    @property
    def max_attempts(self) -> int:
        return self._strategy.max_attempts

    def _retry_with_corrected_clock(
        self, error: SmithyGenError, headers: Mapping[str, str] | None
    ) -> bool:
        """Correct the clock and retry at once, when a skew rejection allows it.

        Once per call, and like any retry: within ``max_attempts`` and paid
        for from the retry quota. Without a retry the offset is not adopted.
        """
        if self._skew_corrected or self.number >= self._strategy.max_attempts:
            return False
        offset = self._clock.implied_offset(error, headers)
        if offset is None:
            return False
        cost = self._strategy.take_retry_cost(RetryKind.TRANSIENT)
        if cost is None:
            logger.debug("%s: retry quota exhausted, not retrying", self.operation)
            return False
        self._spent += cost
        self._skew_corrected = True
        self._clock.offset = offset
        logger.debug(
            "%s: the service says the clock is off; correcting by %.0f s and retrying",
            self.operation,
            offset,
        )
        return True

    async def start(self) -> int:
        """Count the next attempt (adaptive mode: wait for a send token)."""
        self.number += 1
        await self._strategy.before_attempt()
        return self.number

    def succeeded(self) -> None:
        """The attempt succeeded: refund the quota the call's retries took."""
        self._strategy.after_attempt(RetryKind.NONE)
        self._strategy.on_success(self._spent)

    def retry_delay(
        self, error: SmithyGenError, headers: Mapping[str, str] | None
    ) -> float | None:
        """Seconds to wait before the next attempt, or None: ``error`` is final."""
        if self._retry_with_corrected_clock(error, headers):
            return 0.0
        strategy = self._strategy
        kind = strategy.classify(error)
        strategy.after_attempt(kind)
        if kind is RetryKind.NONE or self.number >= strategy.max_attempts:
            return None
        cost = strategy.take_retry_cost(kind)
        if cost is None:
            logger.debug("%s: retry quota exhausted, not retrying", self.operation)
            return None
        self._spent += cost
        return strategy.delay(self.number, headers)
