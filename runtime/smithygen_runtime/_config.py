"""Client options: the arguments as given, timeouts, retry settings and region lookup."""

from __future__ import annotations

import math
import os
import re
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import attrs

from ._errors import ConfigurationError

if TYPE_CHECKING:
    import httpx

    from ._credentials import Credentials
    from ._interceptors import Interceptor
    from ._specs import ClientContext
    from ._transport import TlsVerify

__all__ = ["RetryConfig", "Timeouts"]


def _positive(_inst: object, attribute: attrs.Attribute[float], value: float) -> None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ConfigurationError(f"{attribute.name} must be a number of seconds")
    if not (value > 0 and math.isfinite(value)):
        raise ConfigurationError(
            f"{attribute.name} must be a positive number of seconds, got {value}"
        )


@attrs.frozen
class Timeouts:
    """Per-attempt timeouts in seconds.

    ``connect``: establishing a connection; ``read``: waiting for each chunk of
    the response; ``write``: sending each chunk of the request; ``pool``:
    waiting for a free connection from the pool.
    """

    connect: float = attrs.field(default=10.0, validator=_positive)
    read: float = attrs.field(default=60.0, validator=_positive)
    write: float = attrs.field(default=60.0, validator=_positive)
    pool: float = attrs.field(default=10.0, validator=_positive)

    @classmethod
    def of(cls, value: float | Timeouts | None) -> Timeouts:
        """Normalise the client's ``timeout`` option: one number sets all four."""
        if value is None:
            return cls()
        if isinstance(value, Timeouts):
            return value
        return cls(connect=value, read=value, write=value, pool=value)

    def to_httpx(self) -> httpx.Timeout:
        """The equivalent httpx.Timeout."""
        import httpx

        return httpx.Timeout(
            connect=self.connect, read=self.read, write=self.write, pool=self.pool
        )


def _attempts(
    _inst: object, _attribute: attrs.Attribute[int | None], value: int | None
) -> None:
    if value is None:
        return
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise ConfigurationError(f"max_attempts must be an integer >= 1, got {value!r}")


def _non_negative(_inst: object, attribute: attrs.Attribute[Any], value: Any) -> None:
    if isinstance(value, bool) or not isinstance(value, int | float) or not value >= 0:
        raise ConfigurationError(
            f"{attribute.name} must be a number >= 0, got {value!r}"
        )


@attrs.frozen(kw_only=True)
class RetryConfig:
    """Retry tuning (the mode itself is the client's ``retry_mode`` option).

    ``max_attempts`` counts the first attempt (1 disables retries); None
    leaves it to the configuration (``AWS_MAX_ATTEMPTS``, the profile's
    ``max_attempts``, else 3, or 5 in the legacy mode). Delays use
    exponential backoff with full jitter: a random value in
    ``[0, min(max_backoff, base_delay * 2 ** (attempt - 1)))``. The retry quota
    is a token bucket shared by every call of one client: each retry costs
    ``retry_cost`` tokens (``timeout_cost`` after a timeout); a successful call
    returns what its retries took, or ``success_refund`` when it needed none.
    The legacy mode uses no quota, and ``base_delay * 2 ** (attempt - 1)``
    times a random fraction, uncapped, as botocore's legacy mode.
    """

    max_attempts: int | None = attrs.field(default=None, validator=_attempts)
    base_delay: float = attrs.field(default=1.0, validator=_non_negative)
    max_backoff: float = attrs.field(default=20.0, validator=_non_negative)
    quota_capacity: int = attrs.field(default=500, validator=_non_negative)
    retry_cost: int = attrs.field(default=5, validator=_non_negative)
    timeout_cost: int = attrs.field(default=10, validator=_non_negative)
    success_refund: int = attrs.field(default=1, validator=_non_negative)
    use_quota: bool = True


@attrs.frozen(kw_only=True)
class ClientOptions:
    """A client's keyword arguments exactly as given (None: left out).

    ``BaseClient``'s docstring describes each one; ``check_options`` checks
    their types, the client then resolves them.
    """

    region: str | None
    endpoint_url: str | None
    credentials: Credentials | None
    profile: str | None
    timeout: float | Timeouts | None
    max_attempts: int | None
    retry: RetryConfig | None
    deadline: float | None
    http_client: httpx.AsyncClient | None
    validate: bool
    use_fips: bool | None
    use_dual_stack: bool | None
    verify: TlsVerify
    max_connections: int | None
    retry_mode: str | None
    user_agent_extra: str | None
    client_context: ClientContext | None
    account_id_endpoint_mode: str | None
    endpoint_discovery: bool | None
    interceptors: Sequence[Interceptor]
    protocol: str | None
    request_checksum_calculation: str | None
    response_checksum_validation: str | None


def check_options(options: ClientOptions) -> None:
    """ConfigurationError for a client option of the wrong type or value."""
    _check_numbers(
        max_attempts=options.max_attempts,
        deadline=options.deadline,
        timeout=options.timeout,
    )
    if not isinstance(options.validate, bool):
        raise ConfigurationError("validate must be True or False")
    for name, flag in (
        ("use_fips", options.use_fips),
        ("use_dual_stack", options.use_dual_stack),
    ):
        if flag is not None and not isinstance(flag, bool):
            raise ConfigurationError(f"{name} must be True, False or None")
    for name, text in (
        ("region", options.region),
        ("endpoint_url", options.endpoint_url),
        ("profile", options.profile),
        ("user_agent_extra", options.user_agent_extra),
    ):
        if text is not None and (not isinstance(text, str) or not text):
            raise ConfigurationError(f"{name} must be a non-empty string")
    retry_mode = options.retry_mode
    if retry_mode is not None and retry_mode not in ("standard", "legacy", "adaptive"):
        raise ConfigurationError(
            f"retry_mode must be 'standard', 'legacy' or 'adaptive', got {retry_mode!r}"
        )
    _check_verify(options.verify)
    if options.retry is not None and not isinstance(options.retry, RetryConfig):
        raise ConfigurationError("retry must be a RetryConfig")


def _check_numbers(*, max_attempts: object, deadline: object, timeout: object) -> None:
    if max_attempts is not None and (
        isinstance(max_attempts, bool)
        or not isinstance(max_attempts, int)
        or max_attempts < 1
    ):
        raise ConfigurationError(
            f"max_attempts must be an integer >= 1, got {max_attempts!r}"
        )
    if deadline is not None and (
        isinstance(deadline, bool)
        or not isinstance(deadline, int | float)
        or not (deadline > 0 and math.isfinite(deadline))
    ):
        raise ConfigurationError(
            f"deadline must be a positive number of seconds, got {deadline!r}"
        )
    if (
        timeout is not None
        and not isinstance(timeout, Timeouts)
        and (isinstance(timeout, bool) or not isinstance(timeout, int | float))
    ):
        raise ConfigurationError("timeout must be a number of seconds or a Timeouts")


def _check_verify(verify: object) -> None:
    if verify is not None and not isinstance(verify, bool | str | os.PathLike):
        import ssl  # only needed, and so only loaded, for a custom context

        if not isinstance(verify, ssl.SSLContext):
            raise ConfigurationError(
                "verify must be None, True, False, a CA bundle path or an ssl.SSLContext"
            )
    if isinstance(verify, str) and not verify:
        raise ConfigurationError("verify must not be an empty path")


# The shape botocore accepts for region names: a DNS label.
_REGION_NAME = re.compile(r"^[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?$")


def check_region(region: str) -> str:
    """``region`` itself, or ConfigurationError when it cannot be a region name."""
    if not _REGION_NAME.match(region):
        raise ConfigurationError(
            f"invalid region {region!r}: a region is a name such as 'eu-west-1'"
        )
    return region


MISSING_REGION = (
    "no AWS region is set: pass region=..., set AWS_REGION or AWS_DEFAULT_REGION, "
    "or set 'region' in the profile of the AWS config file (~/.aws/config, "
    "or AWS_CONFIG_FILE)"
)
