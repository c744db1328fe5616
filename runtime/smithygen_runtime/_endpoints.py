"""Endpoint resolution: the service's rule set, evaluated per call by botocore's engine.

Every parameter the rule set declares is bound from where the Smithy rules
specification says it comes (rules-engine parameters, built-ins and the
smithy.rules parameter traits), in botocore's order: staticContextParams,
contextParam, operationContextParams, clientContextParams, then built-ins.
The engine is botocore's (never a hand-written one); results are cached by
their parameter values, so a call whose parameters were seen before costs a
dict lookup.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Mapping
from typing import Any

# Imported with the package, not in check_endpoint_url: urllib.parse pulls in
# ipaddress (about 5 ms), which would run on the event loop of whoever
# constructs a client.
from urllib.parse import urlsplit

import attrs

from ._errors import ConfigurationError
from ._specs import NO_BINDINGS, EndpointBindings

__all__ = [
    "ACCOUNT_ID_ENDPOINT_MODES",
    "BUILTINS",
    "EndpointResolver",
    "EndpointSettings",
    "ResolvedEndpoint",
    "bind_parameters",
    "check_account_id_endpoint_mode",
    "check_endpoint_url",
    "conflict_message",
    "endpoint_settings_from_config",
    "select_signing",
]

# The built-in parameters the runtime knows (rules-engine "built-ins"): the
# client fills a mapping keyed by these names from its configuration.
BUILTINS = frozenset(
    {
        "AWS::Region",
        "AWS::UseFIPS",
        "AWS::UseDualStack",
        "SDK::Endpoint",
        "AWS::Auth::AccountId",
        "AWS::Auth::AccountIdEndpointMode",
        "AWS::S3::Accelerate",
        "AWS::S3::DisableMultiRegionAccessPoints",
        "AWS::S3::ForcePathStyle",
        "AWS::S3::UseArnRegion",
        "AWS::S3::UseGlobalEndpoint",
        "AWS::S3Control::UseArnRegion",
        "AWS::STS::UseGlobalEndpoint",
    }
)
ACCOUNT_ID_ENDPOINT_MODES = ("preferred", "disabled", "required")
# Auth schemes the runtime signs with; an endpoint's authSchemes entry of
# another name is skipped (rules-engine specification, "authSchemes").
_SIGNING_SCHEMES = frozenset({"sigv4"})
_CACHE_SIZE = 512


@attrs.frozen(kw_only=True)
class ResolvedEndpoint:
    """Where requests go, and how the rule set says to sign them."""

    url: str
    headers: Mapping[str, str] = attrs.field(factory=dict)
    signing_name: str | None = None
    signing_region: str | None = None


# By the rule set loader's identity: the loader (kept alive so that the id
# cannot be reused by another object), the parsed rule set, its provider.
_providers: dict[
    int, tuple[Callable[[], Mapping[str, Any]], Mapping[str, Any], Any]
] = {}
_providers_lock = threading.Lock()
_partitions: Any = None


def _provider_for(
    ruleset: Callable[[], Mapping[str, Any]],
) -> tuple[Mapping[str, Any], Any]:
    """The parsed rule set and botocore's provider for it, built once per process.

    Reading the rule set and building the provider parse the whole rule
    set; every client of the service shares both (the provider keeps no
    per-call state).
    """
    global _partitions
    with _providers_lock:
        cached = _providers.get(id(ruleset))
        if cached is not None and cached[0] is ruleset:
            return cached[1], cached[2]
        from botocore.endpoint_provider import EndpointProvider
        from botocore.loaders import create_loader

        if _partitions is None:
            _partitions = create_loader().load_data("partitions")
        document = ruleset()
        provider = EndpointProvider(dict(document), _partitions)
        _providers[id(ruleset)] = (ruleset, document, provider)
        return document, provider


class EndpointResolver:
    """One service's rule set: binds parameters, evaluates, caches by parameters.

    Construction parses the rule set (blocking: clients build it in their
    set-up thread); ``resolve`` is cheap after the first call with the same
    parameter values.
    """

    def __init__(self, ruleset: Callable[[], Mapping[str, Any]]) -> None:
        try:
            document, self._provider = _provider_for(ruleset)
            declared = document["parameters"]
            self.parameters: Mapping[str, str | None] = {
                name: spec.get("builtIn") for name, spec in declared.items()
            }
        except ConfigurationError:
            raise
        except Exception as exc:
            raise ConfigurationError(
                "the endpoint rule set could not be loaded "
                f"({type(exc).__name__}: {exc})"
            ) from None
        self.uses_account_id = "AWS::Auth::AccountId" in self.parameters.values()
        self._cache: dict[tuple[tuple[str, Any], ...], ResolvedEndpoint] = {}

    def bind(
        self,
        builtins: Mapping[str, Any],
        *,
        client_context: Mapping[str, Any] | None = None,
        bindings: EndpointBindings = NO_BINDINGS,
        wire_input: Mapping[str, Any] | None = None,
    ) -> dict[str, Any]:
        """The parameter values for one call (see ``bind_parameters``)."""
        return bind_parameters(
            self.parameters,
            builtins=builtins,
            client_context=client_context or {},
            bindings=bindings,
            wire_input=wire_input or {},
            search=_jmespath_search,
        )

    def resolve(self, params: Mapping[str, Any]) -> ResolvedEndpoint:
        """The endpoint for these parameter values, or ConfigurationError."""
        key = tuple(sorted((k, _hashable(v)) for k, v in params.items()))
        cached = self._cache.get(key)
        if cached is not None:
            return cached
        from botocore.exceptions import BotoCoreError

        try:
            endpoint = self._provider.resolve_endpoint(**params)
        except BotoCoreError as exc:
            raise ConfigurationError(f"endpoint resolution failed: {exc}") from None
        signing_name, signing_region = select_signing(endpoint.properties)
        headers = {k: ",".join(v) for k, v in (endpoint.headers or {}).items()}
        resolved = ResolvedEndpoint(
            url=endpoint.url,
            headers=headers,
            signing_name=signing_name,
            signing_region=signing_region,
        )
        if len(self._cache) >= _CACHE_SIZE:
            # Parameters that vary without bound (an ARN per call): start over
            # rather than grow.
            self._cache.clear()
        self._cache[key] = resolved
        return resolved


def _jmespath_search(expression: str, data: Any) -> Any:
    """JMESPath over an operation's input (operationContextParams).

    jmespath is imported on the first such binding, not at set-up: few
    services declare operationContextParams, and importing it cost every
    client about 1 ms of the set-up and 0.2 MB (bench/PROFILE.md).
    """
    import jmespath

    return jmespath.search(expression, data)


def bind_parameters(
    declared: Mapping[str, str | None],
    *,
    builtins: Mapping[str, Any],
    client_context: Mapping[str, Any],
    bindings: EndpointBindings,
    wire_input: Mapping[str, Any],
    search: Callable[[str, Any], Any],
) -> dict[str, Any]:
    """Each declared parameter's value from the first source that has one.

    ``declared`` maps parameter names to their builtIn (or None). The order
    is botocore's (regions.py, EndpointRulesetResolver): staticContextParams,
    contextParam (the input member), operationContextParams (JMESPath over the
    input), clientContextParams, then the built-in. Unset parameters are left
    out: the rule set's defaults and ``required`` checks then apply.
    """
    params: dict[str, Any] = {}
    for name, builtin in declared.items():
        value = bindings.static.get(name)
        if value is None and name in bindings.members:
            value = wire_input.get(bindings.members[name])
        if value is None and name in bindings.paths:
            value = search(bindings.paths[name], wire_input)
        if value is None:
            value = client_context.get(name)
        if value is None and builtin is not None:
            value = builtins.get(builtin)
        if value is not None:
            params[name] = value
    return params


@attrs.frozen(kw_only=True)
class EndpointSettings:
    """Endpoint settings read from the environment and the shared config files."""

    account_id_endpoint_mode: str = "preferred"
    endpoint_discovery: bool | None = None  # None: "auto"
    # AWS_STS_REGIONAL_ENDPOINTS / sts_regional_endpoints: "regional" or "legacy".
    sts_regional_endpoints: str = "regional"
    # The profile's ``s3`` section (and its AWS_S3_* variables), as botocore's
    # session reads it: the AWS::S3* built-ins (_s3.py).
    s3: Mapping[str, Any] = attrs.field(factory=dict)


def sts_use_global_endpoint(
    sts_regional_endpoints: str,
    region: str | None,
    *,
    endpoint_url: str | None,
    use_fips: bool,
    use_dual_stack: bool,
) -> bool:
    """The ``AWS::STS::UseGlobalEndpoint`` built-in, as botocore computes it.

    Only the "legacy" setting sends the regions that had no regional STS
    endpoint to sts.amazonaws.com, and never with a custom endpoint or a
    FIPS or dual-stack variant (botocore.args ``_should_set_global_sts_endpoint``,
    whose region list is used here). botocore.args is imported only for the
    "legacy" setting: it loads botocore's client machinery (about 40 modules,
    10 ms and 1 MB, bench/PROFILE.md) that no other set-up step needs.
    """
    if endpoint_url or use_fips or use_dual_stack:
        return False
    if sts_regional_endpoints != "legacy":
        return False
    from botocore.args import LEGACY_GLOBAL_STS_REGIONS

    return region in LEGACY_GLOBAL_STS_REGIONS


def endpoint_settings_from_config(session: Any) -> EndpointSettings:
    """AWS_ACCOUNT_ID_ENDPOINT_MODE / account_id_endpoint_mode and
    AWS_ENDPOINT_DISCOVERY_ENABLED / endpoint_discovery_enabled, through the
    client's botocore session (its profile and files; blocking: run it in a
    thread)."""
    import botocore.exceptions

    from ._discovery import parse_discovery_setting
    from ._s3 import s3_config_section

    try:
        mode = session.get_config_variable("account_id_endpoint_mode")
        discovery = session.get_config_variable("endpoint_discovery_enabled")
        sts = session.get_config_variable("sts_regional_endpoints")
        s3 = session.get_config_variable("s3")
    except botocore.exceptions.BotoCoreError as exc:
        raise ConfigurationError(
            f"could not read the AWS config files: {exc}"
        ) from None
    mode = "preferred" if mode is None else str(mode).strip().lower()
    check_account_id_endpoint_mode(
        mode, "AWS_ACCOUNT_ID_ENDPOINT_MODE / account_id_endpoint_mode"
    )
    sts = "regional" if not sts else str(sts).strip().lower()
    if sts not in ("regional", "legacy"):
        raise ConfigurationError(
            "sts_regional_endpoints (AWS_STS_REGIONAL_ENDPOINTS / "
            f"sts_regional_endpoints) must be regional or legacy, got {sts[:40]!r}"
        )
    return EndpointSettings(
        sts_regional_endpoints=sts,
        s3=s3_config_section(s3),
        account_id_endpoint_mode=mode,
        endpoint_discovery=parse_discovery_setting(
            discovery, "AWS_ENDPOINT_DISCOVERY_ENABLED / endpoint_discovery_enabled"
        ),
    )


def check_account_id_endpoint_mode(value: object, source: str) -> None:
    """ConfigurationError unless ``value`` is preferred, disabled or required."""
    if value not in ACCOUNT_ID_ENDPOINT_MODES:
        raise ConfigurationError(
            f"account_id_endpoint_mode ({source}) must be one of "
            f"{', '.join(ACCOUNT_ID_ENDPOINT_MODES)}, got {str(value)[:40]!r}"
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


def select_signing(
    properties: Mapping[str, Any] | None,
) -> tuple[str | None, str | None]:
    """The signing name and region an endpoint's ``authSchemes`` set for SigV4.

    Rules-engine specification, "Endpoint authSchemes list property": the
    first entry naming the client's scheme (sigv4) modifies its signing
    properties; other entries are skipped. A list that names only schemes the
    runtime cannot sign with (sigv4a, which needs the CRT) is refused, as
    botocore refuses it, instead of sending a request the service rejects.
    """
    schemes = (properties or {}).get("authSchemes") or ()
    names = []
    for scheme in schemes:
        if not isinstance(scheme, Mapping):
            continue
        name = str(scheme.get("name", "")).rsplit("#", 1)[-1]
        names.append(name)
        if name in _SIGNING_SCHEMES:
            return scheme.get("signingName"), scheme.get("signingRegion")
    if names:
        raise ConfigurationError(
            f"the endpoint requires signing with {', '.join(names)}, which this "
            "runtime does not support (it signs with sigv4)"
        )
    return None, None


def _hashable(value: Any) -> Any:
    return tuple(value) if isinstance(value, list) else value
