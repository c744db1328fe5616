"""Where a request goes: the endpoint for the call, an operation's host prefix, an input's URL.

``EndpointRouter`` holds what a client resolved for endpoints at set-up (the
rule set's resolver and built-in values, discovery) and answers, per call, a
``Route``: the URL, the endpoint's headers and the signer of its auth scheme.
"""

from __future__ import annotations

import contextlib
from collections.abc import Awaitable, Callable, Mapping
from typing import TYPE_CHECKING, Any

import attrs

from ._credentials import CredentialsResolver
from ._discovery import (
    DiscoveryMode,
    EndpointDiscovery,
    check_discovery_option,
    discovered_url,
)
from ._endpoints import (
    EndpointResolver,
    ResolvedEndpoint,
    check_account_id_endpoint_mode,
    endpoint_settings_from_config,
    sts_use_global_endpoint,
)
from ._errors import ConfigurationError, ServiceError, ValidationError
from ._s3 import S3_SDK_IDS, s3_builtins, s3_call_builtins
from ._settings import ClientSettings, safe_url
from ._specs import NO_BINDINGS, ClientContext, OperationSpec, ServiceSpec
from ._transport import proxy_for

if TYPE_CHECKING:
    import httpx

    from ._signing import SigV4Signer

__all__ = [
    "EndpointOptions",
    "EndpointRouter",
    "Route",
    "base_url",
    "endpoint_options",
    "request_url",
]

# Sends an operation's input and returns the response document (discovery
# calls DescribeEndpoints through the same pipeline).
Describe = Callable[[OperationSpec[Any, Any], Any], Awaitable[Mapping[str, Any]]]


@attrs.frozen
class EndpointOptions:
    """The client's endpoint options, checked at construction (no I/O)."""

    client_context: Mapping[str, Any]  # rule-set parameter -> value
    account_id_endpoint_mode: str | None
    discovery: bool | None


def endpoint_options(
    service: ServiceSpec,
    client_context: ClientContext | None,
    account_id_endpoint_mode: str | None,
    endpoint_discovery: bool | None,
) -> EndpointOptions:
    """Check the endpoint options (rule parameters, discovery)."""
    expected = service.client_context
    if client_context is not None and (
        expected is None or not isinstance(client_context, expected)
    ):
        wanted = expected.__name__ if expected is not None else "nothing"
        raise ConfigurationError(
            f"client_context must be a {wanted} for {service.sdk_id}, "
            f"got {type(client_context).__name__}"
        )
    if account_id_endpoint_mode is not None:
        check_account_id_endpoint_mode(account_id_endpoint_mode, "option")
    if endpoint_discovery is not None:
        check_discovery_option(endpoint_discovery)
    return EndpointOptions(
        client_context.endpoint_parameters() if client_context is not None else {},
        account_id_endpoint_mode,
        endpoint_discovery,
    )


@attrs.frozen
class Route:
    """Where one call goes: its URL, the endpoint's headers, the signer to use."""

    url: httpx.URL
    headers: Mapping[str, str]
    signer: SigV4Signer
    discovery_key: Any = None  # set when the URL is a discovered address


class EndpointRouter:
    """Endpoints per call: rule-set resolution (cached), discovery, signers, proxies."""

    def __init__(
        self,
        service: ServiceSpec,
        settings: ClientSettings,
        session: Any,
        options: EndpointOptions,
        credentials: CredentialsResolver,
        *,
        owns_http: bool,
    ) -> None:
        """Blocking (reads the config files and loads the rules): runs at set-up."""
        self.service = service
        self.settings = settings
        self._options = options
        self._credentials = credentials
        self._owns_http = owns_http
        config = endpoint_settings_from_config(session)
        mode = options.account_id_endpoint_mode or config.account_id_endpoint_mode
        self._account_id_mode = mode
        self._builtins: dict[str, Any] = {
            "AWS::Region": settings.region,
            "AWS::UseFIPS": settings.use_fips,
            "AWS::UseDualStack": settings.use_dual_stack,
            "SDK::Endpoint": settings.endpoint_url,
            "AWS::Auth::AccountIdEndpointMode": mode,
            "AWS::STS::UseGlobalEndpoint": sts_use_global_endpoint(
                config.sts_regional_endpoints,
                settings.region,
                endpoint_url=settings.endpoint_url,
                use_fips=settings.use_fips,
                use_dual_stack=settings.use_dual_stack,
            ),
        }
        self._builtins.update(self._s3_builtins(config.s3))
        self._resolver = self._load_resolver()
        self._client_endpoint: ResolvedEndpoint | None = None
        self._urls: dict[str, httpx.URL] = {}
        self._request_urls: dict[tuple[str, str, bool], httpx.URL] = {}
        self._signers: dict[tuple[str, str], SigV4Signer] = {}
        self._discovery = EndpointDiscovery()
        self._discovery_mode = (
            DiscoveryMode.of(
                options.discovery,
                config.endpoint_discovery,
                custom_endpoint=settings.endpoint_url is not None,
            )
            if service.discovery is not None
            else DiscoveryMode.OFF
        )

    def _s3_builtins(self, section: Mapping[str, Any]) -> dict[str, Any]:
        """The AWS::S3* built-ins from the ``s3`` section (only S3's rules read them).

        For S3 and S3 Control the section's ``use_dualstack_endpoint`` also
        turns dual-stack on, as botocore does for those two services.
        """
        settings = self.settings
        builtins = s3_builtins(
            section, region=settings.region, endpoint_url=settings.endpoint_url
        )
        if (
            self.service.sdk_id in S3_SDK_IDS
            and str(section.get("use_dualstack_endpoint", "")).lower() == "true"
            and settings.endpoint_url is None
        ):
            builtins["AWS::UseDualStack"] = True
        return builtins

    def _load_resolver(self) -> EndpointResolver | None:
        if self.service.endpoint_ruleset is None:
            if not self.settings.endpoint_url:
                raise ConfigurationError(
                    "this service has no endpoint rule set: pass endpoint_url=... "
                    "or set AWS_ENDPOINT_URL"
                )
            return None
        resolver = EndpointResolver(self.service.endpoint_ruleset)
        # The client-wide parameters' endpoint, here in the set-up thread: the
        # engine's first evaluation loads partition data. An error here is
        # raised again by the call that needs the endpoint.
        with contextlib.suppress(ConfigurationError):
            resolver.resolve(
                resolver.bind(
                    self._builtins, client_context=self._options.client_context
                )
            )
        return resolver

    async def route(
        self,
        operation: OperationSpec[Any, Any],
        input: Any,
        document: Mapping[str, Any],
        path: str,
        describe: Describe,
    ) -> Route:
        """The route of one call: a discovered address when discovery applies, else
        the rule set's endpoint (or the input's own), with the operation's host prefix."""
        endpoint = await self.endpoint_for(operation, document)
        headers: dict[str, str] = dict(endpoint.headers)
        discovery = self.service.discovery
        if discovery is not None and operation is discovery.operation:
            # botocore's inject_api_version_header_if_needed: the discovery
            # operation carries the service's API version.
            headers["x-amz-api-version"] = self.service.api_version
        signer = self.signer_for(endpoint)
        discovered = await self._discovered_address(operation, input, describe)
        if discovered is not None:
            key, address = discovered
            return Route(self.base_url(discovered_url(address)), headers, signer, key)
        return Route(self._url(operation, input, endpoint.url, path), headers, signer)

    def forget_if_invalid(self, route: Route, error: ServiceError) -> bool:
        """Forget a discovered address the service called invalid; True when it did."""
        if route.discovery_key is None:
            return False
        if not self._discovery.is_invalid_endpoint(error, self.service.discovery):
            return False
        self._discovery.invalidate(route.discovery_key)
        return True

    async def endpoint_for(
        self, operation: OperationSpec[Any, Any], document: Mapping[str, Any]
    ) -> ResolvedEndpoint:
        """The rule set's endpoint for this call (cached by parameter values)."""
        resolver = self._resolver
        if resolver is None:
            return ResolvedEndpoint(url=str(self.settings.endpoint_url))
        context = self._options.client_context
        bindings = operation.endpoint_bindings
        if bindings is NO_BINDINGS and not resolver.uses_account_id:
            # Nothing varies per call: one resolution serves every such
            # operation (binding and the cache lookup cost about 10 us).
            endpoint = self._client_endpoint
            if endpoint is None:
                endpoint = self._client_endpoint = resolver.resolve(
                    resolver.bind(self._builtins, client_context=context)
                )
            return endpoint
        builtins: Mapping[str, Any] = self._builtins
        if self.service.sdk_id == "S3":
            builtins = s3_call_builtins(
                builtins, operation.name, document.get("Bucket")
            )
        if resolver.uses_account_id and self._account_id_mode != "disabled":
            credentials = await self._credentials.get()
            builtins = {**builtins, "AWS::Auth::AccountId": credentials.account_id}
        params = resolver.bind(
            builtins, client_context=context, bindings=bindings, wire_input=document
        )
        return resolver.resolve(params)

    def base_url(self, url: str) -> httpx.URL:
        """``url`` as the base requests go to (cached by text)."""
        cached = self._urls.get(url)
        if cached is None:
            cached = base_url(url, safe_url(url) or "")
            if len(self._urls) < 256:
                self._urls[url] = cached
        return cached

    def _url(
        self, operation: OperationSpec[Any, Any], input: Any, endpoint: str, path: str
    ) -> httpx.URL:
        """The call's URL (``request_url``), the same object for the same endpoint
        and path when the input has no say in the host.

        Joining a path to a URL makes httpx parse and check the whole URL
        again (about 16 us); restJson1 and restXml calls repeat their paths
        (a list operation's always). The last 256 joined are kept.
        """
        if (
            operation.endpoint_from_input is not None
            or operation.host_prefix is not None
        ):
            return request_url(operation, input, self.base_url(endpoint), path)
        key = (endpoint, path, operation.http is not None)
        url = self._request_urls.get(key)
        if url is None:
            url = request_url(operation, input, self.base_url(endpoint), path)
            if len(self._request_urls) >= 256:
                del self._request_urls[next(iter(self._request_urls))]
            self._request_urls[key] = url
        return url

    def signer_for(self, endpoint: ResolvedEndpoint) -> SigV4Signer:
        """The SigV4 signer for the endpoint's signing name and region (authSchemes)."""
        from ._signing import SigV4Signer

        key = (
            endpoint.signing_name or self.service.signing_name,
            endpoint.signing_region or self.settings.region,
        )
        signer = self._signers.get(key)
        if signer is None:
            signer = self._signers[key] = SigV4Signer(
                service=key[0],
                region=key[1],
                s3=self.service.sdk_id in S3_SDK_IDS,
            )
        return signer

    def proxy_for(self, url: httpx.URL) -> str | None:
        """The proxy a request to ``url`` goes through, to name it in errors.

        The owned httpx client picks it from the environment (trust_env) as
        ``proxy_for`` does; an injected client's proxies are its own business.
        """
        return proxy_for(url) if self._owns_http else None

    async def _discovered_address(
        self, operation: OperationSpec[Any, Any], input: Any, describe: Describe
    ) -> tuple[Any, str] | None:
        """(cache key, address) of the discovered endpoint; None: use the rule set's."""
        service_discovery = self.service.discovery
        operation_discovery = operation.discovery
        if (
            service_discovery is None
            or operation_discovery is None
            or not self._discovery_mode.applies(operation_discovery)
        ):
            return None
        identifiers = (
            operation_discovery.identifiers(input)
            if operation_discovery.identifiers is not None
            else {}
        )
        describe_input = service_discovery.make_input(operation.name, identifiers)

        async def describe_endpoints() -> Mapping[str, Any]:
            return await describe(service_discovery.operation, describe_input)

        credentials = await self._credentials.get()
        key = self._discovery.key(
            service_discovery, operation.name, identifiers, credentials.access_key_id
        )
        address = await self._discovery.address(
            key,
            describe_endpoints,
            required=operation_discovery.required,
            operation=operation.name,
        )
        return None if address is None else (key, address)


_HOST_LABEL_CHARS = frozenset(
    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-"
)


def base_url(url: str, describe: str) -> httpx.URL:
    """An endpoint URL as the base requests go to: its path ends in "/".

    The endpoint's path is a base and the operation's path goes after it
    (http-protocol-compliance-tests.rst: "host" may carry a path; case
    AwsJson11HostWithPath). ConfigurationError names ``describe`` (the URL
    as it may be shown) when the text is not a URL.
    """
    import httpx

    try:
        parsed = httpx.URL(url)
    except (httpx.InvalidURL, TypeError, ValueError) as exc:
        raise ConfigurationError(f"invalid endpoint URL {describe!r}: {exc}") from None
    if not parsed.raw_path.endswith(b"/"):
        parsed = parsed.copy_with(raw_path=parsed.raw_path + b"/")
    return parsed


def request_url(
    operation: OperationSpec[Any, Any], input: Any, base: httpx.URL, path: str
) -> httpx.URL:
    """The URL of one call: the base (or the input's own endpoint), host prefix, path."""
    if operation.endpoint_from_input is not None:
        custom = operation.endpoint_from_input(input)
        if custom:
            base = _input_endpoint(operation.name, custom)
    if operation.host_prefix is not None:
        base = _prefixed(operation, input, base)
    if operation.http is not None and (path == "" or path.startswith("?")):
        # An @http URI always starts with "/" (http-bindings.rst), but S3's
        # without its leading bucket label ("/{Bucket}?list-type=2" becomes
        # "?list-type=2", "/{Bucket}" "": generator emit/s3.py) is a query
        # or nothing: the endpoint's path is then the whole path, without
        # the "/" base_url added ("/bucket?list-type=2" path-style,
        # "/?list-type=2" virtual-hosted), as botocore's _urljoin joins them.
        raw = base.raw_path
        if raw != b"/":
            raw = raw[:-1]
        base = base.copy_with(raw_path=raw + path.encode())
    elif path:
        # One slash: the base ends in "/"; a greedy label may start with its own.
        tail = path[1:] if path.startswith("/") else path
        base = base.copy_with(raw_path=base.raw_path + tail.encode())
    return base


def _prefixed(
    operation: OperationSpec[Any, Any], input: Any, base: httpx.URL
) -> httpx.URL:
    """``base`` with the operation's host prefix (smithy.api#endpoint), labels filled."""
    labels = operation.host_labels(input) if operation.host_labels is not None else {}
    for name, value in labels.items():
        if not value or len(value) > 63 or not set(value) <= _HOST_LABEL_CHARS:
            raise ValidationError(
                name, "hostLabel", "must be 1-63 letters, digits or hyphens"
            )
    try:
        prefix = str(operation.host_prefix).format_map(labels)
    except KeyError as exc:
        raise ValidationError(
            str(exc.args[0]), "required", "host label missing"
        ) from None
    return base.copy_with(host=prefix + base.host)


def _input_endpoint(operation: str, value: str) -> httpx.URL:
    """The URL an input member names as the endpoint, or ValidationError."""
    import httpx

    try:
        url = httpx.URL(value)
    except (httpx.InvalidURL, TypeError, ValueError):
        url = None
    if url is None or url.scheme not in ("http", "https") or not url.host:
        raise ValidationError(
            "endpoint", "url", f"{operation}: {value!r} is not an http(s) URL"
        )
    if not url.raw_path.endswith(b"/"):
        # As for the client's endpoint: the operation's path goes after it.
        url = url.copy_with(raw_path=url.raw_path + b"/")
    return url
