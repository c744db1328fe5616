"""Client options: timeouts, retry settings and region lookup."""

from __future__ import annotations

import math
import os
import re
from typing import TYPE_CHECKING, Any

import attrs

from ._errors import ConfigurationError

if TYPE_CHECKING:
    import httpx

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


def _attempts(_inst: object, _attribute: attrs.Attribute[int], value: int) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise ConfigurationError(f"max_attempts must be an integer >= 1, got {value!r}")


def _non_negative(_inst: object, attribute: attrs.Attribute[Any], value: Any) -> None:
    if isinstance(value, bool) or not isinstance(value, int | float) or not value >= 0:
        raise ConfigurationError(
            f"{attribute.name} must be a number >= 0, got {value!r}"
        )


@attrs.frozen(kw_only=True)
class RetryConfig:
    """AWS standard retry mode settings.

    ``max_attempts`` counts the first attempt (1 disables retries). Delays use
    exponential backoff with full jitter: a random value in
    ``[0, min(max_backoff, base_delay * 2 ** (attempt - 1)))``. The retry quota
    is a token bucket shared by every call of one client: each retry costs
    ``retry_cost`` tokens (``timeout_cost`` after a timeout); a successful call
    returns what its retries took, or ``success_refund`` when it needed none.
    """

    max_attempts: int = attrs.field(default=3, validator=_attempts)
    base_delay: float = attrs.field(default=1.0, validator=_non_negative)
    max_backoff: float = attrs.field(default=20.0, validator=_non_negative)
    quota_capacity: int = attrs.field(default=500, validator=_non_negative)
    retry_cost: int = attrs.field(default=5, validator=_non_negative)
    timeout_cost: int = attrs.field(default=10, validator=_non_negative)
    success_refund: int = attrs.field(default=1, validator=_non_negative)
    use_quota: bool = True


def check_options(
    *,
    validate: object,
    use_fips: object,
    use_dual_stack: object,
    region: object,
    endpoint_url: object,
    profile: object,
    deadline: object,
    verify: object,
    timeout: object,
    retry: object,
) -> None:
    """ConfigurationError for a client option of the wrong type or value."""
    for name, flag in (
        ("validate", validate),
        ("use_fips", use_fips),
        ("use_dual_stack", use_dual_stack),
    ):
        if not isinstance(flag, bool):
            raise ConfigurationError(f"{name} must be True or False")
    for name, text in (
        ("region", region),
        ("endpoint_url", endpoint_url),
        ("profile", profile),
    ):
        if text is not None and (not isinstance(text, str) or not text):
            raise ConfigurationError(f"{name} must be a non-empty string")
    if deadline is not None and (
        isinstance(deadline, bool)
        or not isinstance(deadline, int | float)
        or not (deadline > 0 and math.isfinite(deadline))
    ):
        raise ConfigurationError(
            f"deadline must be a positive number of seconds, got {deadline!r}"
        )
    if not isinstance(verify, bool):
        import ssl  # only needed, and so only loaded, for a custom context

        if not isinstance(verify, ssl.SSLContext):
            raise ConfigurationError("verify must be True, False or an ssl.SSLContext")
    if (
        timeout is not None
        and not isinstance(timeout, Timeouts)
        and (isinstance(timeout, bool) or not isinstance(timeout, int | float))
    ):
        raise ConfigurationError("timeout must be a number of seconds or a Timeouts")
    if retry is not None and not isinstance(retry, RetryConfig):
        raise ConfigurationError("retry must be a RetryConfig")


# The shape botocore accepts for region names: a DNS label.
_REGION_NAME = re.compile(r"^[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?$")


def check_region(region: str) -> str:
    """``region`` itself, or ConfigurationError when it cannot be a region name."""
    if not _REGION_NAME.match(region):
        raise ConfigurationError(
            f"invalid region {region!r}: a region is a name such as 'eu-west-1'"
        )
    return region


def region_from_environment() -> str | None:
    """AWS_REGION, then AWS_DEFAULT_REGION (empty values count as unset)."""
    return os.environ.get("AWS_REGION") or os.environ.get("AWS_DEFAULT_REGION") or None


def region_from_profile(profile: str | None) -> str | None:
    """The region of a shared-config profile; blocking file I/O, run it in a thread."""
    import botocore.exceptions
    import botocore.session

    try:
        session = botocore.session.Session(profile=profile)
        region = session.get_config_variable("region")
    except botocore.exceptions.ProfileNotFound as exc:
        raise ConfigurationError(f"profile not found: {exc}") from None
    except botocore.exceptions.BotoCoreError as exc:
        raise ConfigurationError(
            f"could not read the AWS config files: {exc}"
        ) from None
    return check_region(region) if isinstance(region, str) and region else None


MISSING_REGION = (
    "no AWS region is set: pass region=..., set AWS_REGION or AWS_DEFAULT_REGION, "
    "or set 'region' in the profile of ~/.aws/config"
)
