"""AWS standard retry mode: classification, backoff, retry quota, clock skew."""

from __future__ import annotations

import enum
import random
import re
from collections.abc import Callable, Mapping
from datetime import datetime

from ._config import RetryConfig
from ._errors import RequestTimeoutError, ServiceError, SmithyGenError, TransportError

__all__ = [
    "THROTTLING_CODES",
    "TRANSIENT_CODES",
    "RetryKind",
    "RetryQuota",
    "backoff_delay",
    "classify",
    "clock_skew_offset",
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

# x-amz-retry-after is honoured between 0 and this many seconds.
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


def retry_after_hint(headers: Mapping[str, str] | None) -> float | None:
    """The ``x-amz-retry-after`` hint (milliseconds) in seconds, if present and sane."""
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
    return min(millis / 1000.0, MAX_RETRY_AFTER)


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
    return offset
