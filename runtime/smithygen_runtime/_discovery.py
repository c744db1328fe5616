"""Endpoint discovery (aws.api#clientEndpointDiscovery): ask the service where to send.

Spec: aws_aws-core.rst, "aws.api#clientEndpointDiscovery trait" and
"aws.api#clientDiscoveredEndpoint trait". Behaviour follows botocore's
discovery.py: an operation that requires discovery always uses it; optional
discovery is off unless switched on; a configured endpoint URL turns
discovery off; addresses are kept for their CachePeriodInMinutes; a failed
refresh is not retried for a minute and falls back to a stale address; the
service's InvalidEndpointException (or HTTP 421) forgets the address.

Everything here is async and never blocks the event loop; one refresh per
cache key is in flight at a time and concurrent callers wait for it.
"""

from __future__ import annotations

import enum
import time
from collections.abc import Awaitable, Callable, Mapping
from typing import Any

from ._errors import ConfigurationError, ServiceError, TransportError
from ._loops import LoopBound
from ._specs import OperationDiscovery, ServiceDiscovery

__all__ = [
    "DiscoveryMode",
    "EndpointDiscovery",
    "check_discovery_option",
    "discovered_url",
    "parse_discovery_setting",
]

# After a refresh fails, this long passes before the next one is tried
# (botocore: 60 s), unless the operation cannot be sent without one.
_RETRY_FAILED_AFTER = 60.0

# aws_aws-core.rst, "Caching": an LRU cache of 1000 entries.
_CACHE_LIMIT = 1000

DiscoveryKey = tuple[Any, ...]


class DiscoveryMode(enum.Enum):
    """Which operations of a client use discovered endpoints."""

    OFF = "off"  # a custom endpoint URL: every call goes there
    DISABLED = "disabled"  # switched off: operations that require it fail
    REQUIRED = "required"  # the default: only operations that require it
    ALL = "all"  # switched on: every operation that supports it

    @classmethod
    def of(
        cls, option: bool | None, setting: bool | None, *, custom_endpoint: bool
    ) -> DiscoveryMode:
        """The mode from the client option, else the config setting, else the default."""
        if custom_endpoint:
            return cls.OFF
        enabled = option if option is not None else setting
        if enabled is None:
            return cls.REQUIRED
        return cls.ALL if enabled else cls.DISABLED

    def applies(self, operation: OperationDiscovery) -> bool:
        """Whether a call of ``operation`` goes to a discovered endpoint."""
        if self is DiscoveryMode.DISABLED and operation.required:
            raise ConfigurationError(
                "this operation requires endpoint discovery, which is disabled "
                "(endpoint_discovery=False, AWS_ENDPOINT_DISCOVERY_ENABLED or the "
                "profile's endpoint_discovery_enabled)"
            )
        if self is DiscoveryMode.ALL:
            return True
        return self is DiscoveryMode.REQUIRED and operation.required


def check_discovery_option(value: object) -> None:
    if not isinstance(value, bool):
        raise ConfigurationError(
            f"endpoint_discovery must be True, False or None, got {value!r}"
        )


def parse_discovery_setting(raw: object, source: str) -> bool | None:
    """endpoint_discovery_enabled / AWS_ENDPOINT_DISCOVERY_ENABLED: true, false, auto."""
    if raw is None or isinstance(raw, bool):
        return raw
    text = str(raw).strip().lower()
    if text == "auto":
        return None
    if text in ("true", "false"):
        return text == "true"
    raise ConfigurationError(
        f"{source} must be true, false or auto, got {str(raw)[:40]!r}"
    )


def discovered_url(address: str) -> str:
    """A discovered Address as a URL (botocore prefixes https:// to a bare host)."""
    return address if address.startswith("http") else "https://" + address


class EndpointDiscovery:
    """Discovered addresses by cache key, with expiry and one refresh at a time."""

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        self._addresses: dict[DiscoveryKey, list[tuple[str, float]]] = {}
        self._failed_until: dict[DiscoveryKey, float] = {}
        # anyio locks by key; a lock belongs to one event loop, so the
        # client's next loop starts with none.
        self._locks: LoopBound[dict[DiscoveryKey, Any]] = LoopBound(dict)

    @staticmethod
    def key(
        service: ServiceDiscovery,
        operation: str,
        identifiers: Mapping[str, str],
        access_key_id: str,
    ) -> DiscoveryKey:
        """The cache key: the access key id (aws_aws-core.rst, "Caching": keys
        MUST include it), then, as botocore keys, the operation and identifiers
        when the discovery operation takes them and there are identifiers."""
        if service.keyed_by_operation and identifiers:
            return (access_key_id, operation, tuple(sorted(identifiers.items())))
        return (access_key_id,)

    @staticmethod
    def is_invalid_endpoint(
        error: ServiceError, service: ServiceDiscovery | None
    ) -> bool:
        """Whether ``error`` says the discovered endpoint is no longer valid."""
        if error.status_code == 421:
            return True
        return service is not None and error.code == (
            service.invalid_endpoint_error or "InvalidEndpointException"
        )

    def invalidate(self, key: DiscoveryKey) -> None:
        self._addresses.pop(key, None)

    def _current(self, key: DiscoveryKey) -> str | None:
        now = self._clock()
        live = [a for a, expires in self._addresses.get(key, ()) if now < expires]
        return live[0] if live else None

    async def address(
        self,
        key: DiscoveryKey,
        describe_endpoints: Callable[[], Awaitable[Mapping[str, Any]]],
        *,
        required: bool,
        operation: str,
    ) -> str | None:
        """The address to send to; None: the rule set's endpoint (optional discovery).

        ConfigurationError when discovery is required and no address can be had.
        """
        current = self._current(key)
        if current is not None:
            return current
        import anyio

        locks = self._locks.get()
        lock = locks.get(key)
        if lock is None:
            lock = locks[key] = anyio.Lock()
        async with lock:
            # Another task may have refreshed while this one waited.
            current = self._current(key)
            if current is not None:
                return current
            now = self._clock()
            recently_failed = now < self._failed_until.get(key, 0.0)
            if not recently_failed or required:
                current = await self._refresh(key, describe_endpoints)
                if current is not None:
                    return current
            stale = self._addresses.get(key)
            if stale:
                return stale[0][0]
        if required:
            raise ConfigurationError(
                f"{operation}: endpoint discovery failed and the operation cannot be "
                "sent without a discovered endpoint"
            )
        return None

    async def _refresh(
        self,
        key: DiscoveryKey,
        describe_endpoints: Callable[[], Awaitable[Mapping[str, Any]]],
    ) -> str | None:
        try:
            answer = await describe_endpoints()
        except TransportError:
            self._failed_until[key] = self._clock() + _RETRY_FAILED_AFTER
            return None
        now = self._clock()
        addresses = []
        for item in answer.get("Endpoints") or ():
            if not isinstance(item, Mapping):
                continue
            address = item.get("Address")
            minutes = item.get("CachePeriodInMinutes")
            if isinstance(address, str) and address and isinstance(minutes, int):
                addresses.append((address, now + minutes * 60))
        if not addresses:
            self._failed_until[key] = now + _RETRY_FAILED_AFTER
            return None
        self._addresses.pop(key, None)
        if len(self._addresses) >= _CACHE_LIMIT:
            # Least recently refreshed first out (dicts keep insertion order);
            # its lock goes too (a task holding it keeps its own reference).
            evicted = next(iter(self._addresses))
            del self._addresses[evicted]
            self._locks.get().pop(evicted, None)
            self._failed_until.pop(evicted, None)
        self._addresses[key] = addresses
        self._failed_until.pop(key, None)
        return addresses[0][0]
