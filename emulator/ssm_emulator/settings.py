"""What an emulator instance is configured with."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

import attrs

__all__ = ["DEFAULT_CREDENTIALS", "DEFAULT_REGION", "EmulatorCredentials", "Settings"]


@attrs.frozen(kw_only=True)
class EmulatorCredentials:
    """An access key pair (and optional session token) the emulator accepts."""

    access_key_id: str
    secret_access_key: str = attrs.field(repr=False)
    session_token: str | None = attrs.field(default=None, repr=False)


DEFAULT_CREDENTIALS = EmulatorCredentials(
    # The example key pair from the AWS documentation: obviously not a secret.
    access_key_id="AKIAIOSFODNN7EXAMPLE",
    secret_access_key="wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
)

#: The region clients are told to use when the emulator does not pin one.
DEFAULT_REGION = "us-east-1"


def _non_negative(
    instance: object, attribute: attrs.Attribute[float], value: float
) -> None:
    if value < 0:
        raise ValueError(f"{attribute.name} must be >= 0, got {value!r}")


@attrs.frozen(kw_only=True)
class Settings:
    """Everything that shapes one emulator's behaviour.

    ``region`` None accepts requests signed for any region (a local endpoint has
    no region of its own); a value makes other regions fail as they would
    against a regional SSM endpoint.  ``clock`` returns epoch seconds and exists
    so tests can move time without sleeping.
    """

    credentials: tuple[EmulatorCredentials, ...] = attrs.field(
        default=(DEFAULT_CREDENTIALS,),
        validator=attrs.validators.min_len(1),
    )
    region: str | None = None
    completion_seconds: float = attrs.field(
        default=10.0, validator=attrs.validators.ge(0.0)
    )
    db_path: Path | None = None
    max_clock_skew: float = attrs.field(
        default=900.0, validator=attrs.validators.ge(0.0)
    )
    next_token_ttl: float = attrs.field(
        default=86400.0, validator=attrs.validators.ge(0.0)
    )
    default_max_results: int = 50
    max_body_bytes: int = 1024 * 1024
    clock: Callable[[], float] = time.time
