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


def _host_entries(
    instance: object,
    attribute: attrs.Attribute[tuple[str, ...]],
    value: tuple[str, ...],
) -> None:
    for entry in value:
        if not isinstance(entry, str) or not entry or entry != entry.strip():
            raise ValueError(
                f"{attribute.name} entries must be non-empty host names, got {entry!r}"
            )


@attrs.frozen(kw_only=True)
class Settings:
    """Everything that shapes one emulator's behaviour.

    ``region`` None accepts requests signed for any region (a local endpoint has
    no region of its own); a value makes other regions fail as they would
    against a regional SSM endpoint.  ``clock`` returns epoch seconds and exists
    so tests can move time without sleeping.

    Limits for an open port, so slow or abusive clients cannot hold memory:
    ``header_timeout`` bounds the wait for a request's head (from the
    connection or the previous response), ``body_timeout`` the wait for its
    body once the head is in, ``max_connections`` the connections open at
    once (more are closed on arrival) and ``max_body_bytes`` a body's size;
    the worst case held in bodies is about ``max_connections *
    max_body_bytes``.  The two operations' inputs are a few hundred bytes.

    ``allowed_hosts`` adds Host header names the emulator answers to besides
    ``localhost`` and loopback addresses (``NAME``, ``NAME:PORT`` or ``*``;
    see ``hosts.py``).  ``allow_example_key_beyond_loopback`` lets the server
    listen on a non-loopback address while it accepts the AWS documentation's
    example key pair, which everyone knows; it is refused otherwise.
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
        # Up to ten years: beyond, "now + skew" leaves the datetime range.
        default=900.0,
        validator=[attrs.validators.ge(0.0), attrs.validators.le(315_360_000.0)],
    )
    next_token_ttl: float = attrs.field(
        default=86400.0, validator=attrs.validators.ge(0.0)
    )
    default_max_results: int = 50
    max_body_bytes: int = attrs.field(
        default=64 * 1024, validator=attrs.validators.ge(1)
    )
    header_timeout: float = attrs.field(
        default=10.0, validator=attrs.validators.gt(0.0)
    )
    body_timeout: float = attrs.field(default=10.0, validator=attrs.validators.gt(0.0))
    max_connections: int = attrs.field(default=128, validator=attrs.validators.ge(1))
    allowed_hosts: tuple[str, ...] = attrs.field(
        default=(), converter=tuple, validator=_host_entries
    )
    allow_example_key_beyond_loopback: bool = False
    clock: Callable[[], float] = time.time

    def uses_example_key(self) -> bool:
        """Whether the public example key pair is among the accepted ones."""
        return any(
            c.access_key_id == DEFAULT_CREDENTIALS.access_key_id
            or c.secret_access_key == DEFAULT_CREDENTIALS.secret_access_key
            for c in self.credentials
        )
