"""Endpoint resolution: explicit URL, environment, or the service's rule set.

The rule set is evaluated with botocore's rules engine (never a hand-written
one), once per client: the parameters of SSM's rule set (Region, UseFIPS,
UseDualStack, Endpoint) do not vary per operation.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Mapping
from typing import Any

# Imported with the package, not in check_endpoint_url: urllib.parse pulls in
# ipaddress (about 5 ms), which would run on the event loop of whoever
# constructs a client.
from urllib.parse import urlsplit

import attrs

from ._errors import ConfigurationError

__all__ = [
    "ResolvedEndpoint",
    "check_endpoint_url",
    "conflict_message",
    "endpoint_url_from_environment",
    "resolve_endpoint",
]


@attrs.frozen(kw_only=True)
class ResolvedEndpoint:
    """Where requests go, and how the rule set says to sign them."""

    url: str
    headers: Mapping[str, str] = attrs.field(factory=dict)
    signing_name: str | None = None
    signing_region: str | None = None


def endpoint_url_from_environment(sdk_id: str) -> str | None:
    """AWS_ENDPOINT_URL_<SDK_ID>, then AWS_ENDPOINT_URL, unless configured URLs are ignored.

    The service part is the sdkId upper-cased with spaces (and hyphens) turned
    into underscores, as the AWS SDKs' service-specific endpoint setting says.
    """
    if os.environ.get("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS", "").lower() == "true":
        return None
    key = "AWS_ENDPOINT_URL_" + sdk_id.upper().replace(" ", "_").replace("-", "_")
    return os.environ.get(key) or os.environ.get("AWS_ENDPOINT_URL") or None


_providers: dict[int, tuple[Callable[[], Mapping[str, Any]], Any]] = {}
_providers_lock = threading.Lock()
_partitions: Any = None


def _provider_for(ruleset: Callable[[], Mapping[str, Any]]) -> Any:
    # Building the provider parses the whole rule set; clients of one service
    # share it. Keyed by the loader's identity (kept alive in the value so the
    # id cannot be reused by another object).
    global _partitions
    with _providers_lock:
        cached = _providers.get(id(ruleset))
        if cached is not None and cached[0] is ruleset:
            return cached[1]
        from botocore.endpoint_provider import EndpointProvider
        from botocore.loaders import create_loader

        if _partitions is None:
            _partitions = create_loader().load_data("partitions")
        provider = EndpointProvider(dict(ruleset()), _partitions)
        _providers[id(ruleset)] = (ruleset, provider)
        return provider


def resolve_endpoint(
    ruleset: Callable[[], Mapping[str, Any]] | None,
    *,
    region: str | None,
    use_fips: bool = False,
    use_dual_stack: bool = False,
    endpoint_url: str | None = None,
) -> ResolvedEndpoint:
    """Resolve the endpoint for these settings, or raise ConfigurationError.

    With a rule set, the rules decide (including their own errors, such as
    "FIPS and custom endpoint are not supported"); FIPS or dual-stack with a
    custom endpoint is refused even when a rule set would let it through.
    """
    custom_conflict = bool(endpoint_url) and (use_fips or use_dual_stack)
    if ruleset is None:
        if custom_conflict:
            raise ConfigurationError(conflict_message(use_fips))
        if not endpoint_url:
            raise ConfigurationError(
                "this service has no endpoint rule set: pass endpoint_url=... "
                "or set AWS_ENDPOINT_URL"
            )
        return ResolvedEndpoint(url=endpoint_url)

    from botocore.exceptions import BotoCoreError

    params: dict[str, Any] = {"UseFIPS": use_fips, "UseDualStack": use_dual_stack}
    if region is not None:
        params["Region"] = region
    if endpoint_url:
        params["Endpoint"] = endpoint_url
    try:
        provider = _provider_for(ruleset)
    except (BotoCoreError, KeyError, TypeError, ValueError, OSError) as exc:
        raise ConfigurationError(
            f"the endpoint rule set could not be loaded ({type(exc).__name__}: {exc})"
        ) from None
    try:
        endpoint = provider.resolve_endpoint(**params)
    except BotoCoreError as exc:
        raise ConfigurationError(f"endpoint resolution failed: {exc}") from None
    if custom_conflict:
        raise ConfigurationError(conflict_message(use_fips))
    signing_name, signing_region = _sigv4_overrides(endpoint.properties)
    headers = {k: ",".join(v) for k, v in (endpoint.headers or {}).items()}
    return ResolvedEndpoint(
        url=endpoint.url,
        headers=headers,
        signing_name=signing_name,
        signing_region=signing_region,
    )


def check_endpoint_url(url: str) -> None:
    """ConfigurationError unless ``url`` looks like http(s)://host[:port][/path]."""
    try:
        parts = urlsplit(url)
        valid = parts.scheme in ("http", "https") and bool(parts.hostname)
        parts.port  # noqa: B018 - raises ValueError for a bad port
    except ValueError:
        valid = False
    if not valid:
        raise ConfigurationError(
            f"endpoint URL must be http(s)://host[:port][/path], got {url!r}"
        )


def conflict_message(use_fips: bool) -> str:
    what = "FIPS" if use_fips else "dual-stack"
    return (
        f"{what} endpoints cannot be combined with a custom endpoint_url "
        "(or AWS_ENDPOINT_URL): drop one of the two settings"
    )


def _sigv4_overrides(
    properties: Mapping[str, Any] | None,
) -> tuple[str | None, str | None]:
    # A rule set may name the signing name/region of the endpoint (authSchemes).
    for scheme in (properties or {}).get("authSchemes") or ():
        if isinstance(scheme, Mapping) and scheme.get("name") == "sigv4":
            return scheme.get("signingName"), scheme.get("signingRegion")
    return None, None
