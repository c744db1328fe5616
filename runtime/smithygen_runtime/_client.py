"""BaseClient: the call pipeline every generated client inherits.

validate -> serialize -> (sign -> send -> read) x attempts -> parse -> deserialize.
Everything that can be decided once (region, endpoint, static headers, the
signer and its key cache) is decided in ``__init__``; a call only builds the
per-attempt headers, signs and sends.
"""

from __future__ import annotations

import contextlib
import logging
import os
import random
import threading
import time
import uuid
from collections.abc import Mapping
from datetime import UTC, datetime, timedelta
from types import TracebackType
from typing import TYPE_CHECKING, Any, ClassVar, Self, TypeVar

from ._config import RetryConfig, Timeouts, check_options, check_region
from ._credentials import Credentials, CredentialsResolver
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
    check_endpoint_url,
    conflict_message,
    endpoint_settings_from_config,
    endpoint_url_from_environment,
)
from ._errors import (
    ConfigurationError,
    RequestTimeoutError,
    ResponseParseError,
    ServiceError,
    SmithyGenError,
    TransportError,
    ValidationError,
)
from ._protocol import (
    CONTENT_TYPES,
    build_service_error,
    compress_body,
    compression_threshold,
    encode_body,
    parse_body,
)
from ._retries import RetryKind, RetryStrategy, clock_skew_offset
from ._settings import (
    ClientSettings,
    ExplicitSettings,
    check_environment,
    resolve_settings,
    safe_url,
)
from ._specs import NO_BINDINGS, ClientContext, OperationSpec, ServiceSpec
from ._transport import (
    TlsVerify,
    display_url,
    prompt_gil_handoff,
    proxy_for,
    read_capped,
    redact_headers,
    run_in_worker_thread,
    tls_context,
    transport_error,
    user_agent,
    warm_up_imports,
)

In = TypeVar("In")
Out = TypeVar("Out")

if TYPE_CHECKING:
    import httpx

__all__ = ["BaseClient"]

logger = logging.getLogger("smithygen_runtime")

# Connections the owned httpx client keeps (max_connections=), as botocore's
# max_pool_connections. On loopback httpcore's per-request pool bookkeeping
# grows with the number of connections: at 32 concurrent calls a pool of 8-10
# measured about 20 % less CPU per call than 64 (bench/PROFILE.md). Raise it
# for high-latency endpoints under high concurrency.
MAX_CONNECTIONS = 10
# SSM answers in kilobytes; a body past this is hostile or broken.
MAX_RESPONSE_BYTES = 32 * 1024 * 1024
_HOST_LABEL_CHARS = frozenset(
    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-"
)


class BaseClient:
    """Base of generated clients: configuration, transport, signing and retries."""

    _service: ClassVar[ServiceSpec]

    def __init__(
        self,
        *,
        region: str | None = None,
        endpoint_url: str | None = None,
        credentials: Credentials | None = None,
        profile: str | None = None,
        timeout: float | Timeouts | None = None,
        max_attempts: int | None = None,
        retry: RetryConfig | None = None,
        deadline: float | None = None,
        http_client: httpx.AsyncClient | None = None,
        validate: bool = True,
        use_fips: bool | None = None,
        use_dual_stack: bool | None = None,
        verify: TlsVerify = None,
        max_connections: int | None = None,
        retry_mode: str | None = None,
        user_agent_extra: str | None = None,
        client_context: ClientContext | None = None,
        account_id_endpoint_mode: str | None = None,
        endpoint_discovery: bool | None = None,
    ) -> None:
        """Configure a client; the AWS config files are read when it is set up.

        Every option is keyword-only and optional; an option left out (None)
        comes from the environment, then the selected profile of the AWS
        config files (and its ``services`` section), then the default, as
        botocore resolves it (docs/runtime-contract.md lists each order). A
        bad option or environment value raises ``ConfigurationError``
        (``CredentialsError`` for credentials) here, naming it and its source;
        the files are read off the event loop by ``async with``, ``await
        client.resolve_configuration()`` or the first call, whichever comes
        first, and a bad profile or file value raises there.

        Args:
            region: The AWS region, e.g. ``"eu-west-1"``. Default: ``AWS_REGION``
                (which botocore ignores; the AWS CLI, the other SDKs and Lambda
                use it), ``AWS_DEFAULT_REGION``, then the profile's ``region``.
            endpoint_url: A fixed ``http(s)`` endpoint, such as a local emulator.
                Default: ``AWS_ENDPOINT_URL_<SERVICE>``, ``AWS_ENDPOINT_URL``, the
                profile's ``services`` section, the profile's ``endpoint_url``
                (none of them when ``AWS_IGNORE_CONFIGURED_ENDPOINT_URLS`` or
                the profile's ``ignore_configured_endpoint_urls`` is true), then
                the model's endpoint rules for the region.
            credentials: An explicit ``Credentials`` (or any object with
                ``access_key_id`` and ``secret_access_key`` strings and an optional
                ``session_token``). Default: the standard AWS chain: environment,
                shared credentials and config files, SSO, web identity, container
                and instance metadata (IMDS), as botocore resolves it.
            profile: The named profile of the AWS config and credentials files
                (``AWS_CONFIG_FILE``, ``AWS_SHARED_CREDENTIALS_FILE``; by default
                ``~/.aws/config`` and ``~/.aws/credentials``) to read settings
                and credentials from. Default: ``AWS_DEFAULT_PROFILE``,
                ``AWS_PROFILE``, then ``default``.
            timeout: Seconds for each of connect, read, write and pool per
                attempt, or a ``Timeouts`` to set them apart. Default:
                ``Timeouts()`` (10 s connect and pool, 60 s read and write).
            max_attempts: Attempts per call, the first included (1 disables
                retries); overrides ``retry.max_attempts``. Default:
                ``AWS_MAX_ATTEMPTS``, the profile's ``max_attempts``, then 3
                (5 in the legacy mode).
            retry: A ``RetryConfig``: backoff and retry quota tuning (and
                ``max_attempts``). Default: ``RetryConfig()``.
            deadline: Seconds for a whole call, every attempt and backoff
                included; ``RequestTimeoutError`` when it passes. Default: none.
            http_client: Your own ``httpx.AsyncClient`` to send requests with; the
                client does not close it. Default: one of its own.
            validate: ``False`` skips the model's input constraint checks (length,
                range, pattern, required) before sending. Default: ``True``.
            use_fips: Use the region's FIPS endpoint. Default:
                ``AWS_USE_FIPS_ENDPOINT``, the profile's ``use_fips_endpoint``,
                then ``False``.
            use_dual_stack: Use the region's dual-stack (IPv4 and IPv6) endpoint.
                Default: ``AWS_USE_DUALSTACK_ENDPOINT``, the profile's
                ``use_dualstack_endpoint``, then ``False``.
            verify: TLS certificate verification: a CA bundle path (PEM),
                ``True`` (the default bundle, whatever is configured, as
                botocore's ``verify=True``), ``False`` (no verification) or an
                ``ssl.SSLContext``. Default: ``AWS_CA_BUNDLE``, the profile's
                ``ca_bundle``, then the default bundle.
            max_connections: The connection pool size of the client's own httpx
                client (not allowed with ``http_client``). Default: 10, as
                botocore.
            retry_mode: ``"standard"``, ``"legacy"`` (botocore's older policy:
                5 attempts, no retry quota) or ``"adaptive"`` (standard plus
                client-side rate limiting after throttling). Default:
                ``AWS_RETRY_MODE``, the profile's ``retry_mode``, then
                ``"standard"``.
            user_agent_extra: Text appended to the User-Agent header (after the
                app id of ``AWS_SDK_UA_APP_ID`` or the profile's
                ``sdk_ua_app_id``, sent as ``app/<id>``). Default: none.
            client_context: The service's endpoint options (its
                ``<Client>.ClientContext``, from the model's clientContextParams),
                bound to the endpoint rules. Default: none set.
            account_id_endpoint_mode: ``"preferred"``, ``"disabled"`` or
                ``"required"``: whether the endpoint rules may use the account id
                of the credentials. Default: ``AWS_ACCOUNT_ID_ENDPOINT_MODE``, the
                profile's ``account_id_endpoint_mode``, then ``"preferred"``.
            endpoint_discovery: ``True`` sends operations that support endpoint
                discovery to discovered endpoints, ``False`` refuses operations
                that require it. Default: ``AWS_ENDPOINT_DISCOVERY_ENABLED``, the
                profile's ``endpoint_discovery_enabled``, then discovery only for
                operations that require it. An ``endpoint_url`` turns it off.
        """
        # Set first so __del__-time and repr never see a half-built client.
        self._closed = False
        self._owns_http = False
        service = getattr(type(self), "_service", None)
        if not isinstance(service, ServiceSpec):
            raise ConfigurationError(
                f"{type(self).__name__} defines no _service ServiceSpec"
            )
        if service.protocol not in CONTENT_TYPES:
            raise ConfigurationError(f"unsupported protocol {service.protocol!r}")
        check_options(
            validate=validate,
            use_fips=use_fips,
            use_dual_stack=use_dual_stack,
            region=region,
            endpoint_url=endpoint_url,
            profile=profile,
            deadline=deadline,
            verify=verify,
            timeout=timeout,
            retry=retry,
            retry_mode=retry_mode,
            user_agent_extra=user_agent_extra,
            max_attempts=max_attempts,
        )
        if max_connections is not None and (
            isinstance(max_connections, bool)
            or not isinstance(max_connections, int)
            or max_connections < 1
        ):
            raise ConfigurationError(
                f"max_connections must be a positive integer, got {max_connections!r}"
            )
        if max_connections is not None and http_client is not None:
            raise ConfigurationError(
                "max_connections sets up the client's own pool: "
                "configure the injected http_client's limits instead"
            )
        self._max_connections = max_connections or MAX_CONNECTIONS
        self._timeouts = Timeouts.of(timeout)
        self._retry = retry or RetryConfig()
        if max_attempts is None:
            max_attempts = self._retry.max_attempts
        if region is not None:
            check_region(region)
        if endpoint_url is not None:
            check_endpoint_url(endpoint_url)
        if (use_fips or use_dual_stack) and (
            endpoint_url or endpoint_url_from_environment(service.sdk_id)
        ):
            # Known now from the arguments and environment; a conflict with
            # a profile's endpoint_url is found when the client is set up.
            raise ConfigurationError(conflict_message(bool(use_fips)))
        # Explicit arguments win; the environment is checked now (no I/O),
        # the profile and files when the client is set up (see _settings).
        self._explicit = ExplicitSettings(
            region=region,
            endpoint_url=endpoint_url,
            profile=profile,
            max_attempts=max_attempts,
            retry_mode=retry_mode,
            ca_bundle=os.fspath(verify)
            if isinstance(verify, str | os.PathLike)
            else None,
            use_fips=use_fips,
            use_dual_stack=use_dual_stack,
        )
        check_environment(self._explicit, service.sdk_id)
        self._settings: ClientSettings | None = None
        self._deadline = deadline
        self._validate = validate
        self._clock_offset = 0.0
        self._random = random.random
        self._credentials = CredentialsResolver(credentials, profile)
        self._verify = verify
        self._user_agent_extra = user_agent_extra
        self._targets: dict[str, str] = {}
        # Checks the environment's compression settings now; the value is
        # replaced by the resolved one (environment, then profile) at set-up.
        self._min_compression_size = compression_threshold()
        self._init_endpoint_options(
            service, client_context, account_id_endpoint_mode, endpoint_discovery
        )

        # The rest (rules engine, botocore, httpx and its TLS context) is
        # set up on first use in a worker thread: importing and loading them
        # takes hundreds of milliseconds, which must not stall the event loop
        # of an application that creates a client.
        self._ready = False
        self._prepare_lock = threading.Lock()
        self._http: Any = None
        self._request_timeout: Any = None
        self._injected_timeout = timeout is not None
        if http_client is not None:
            import httpx  # already imported by whoever built http_client

            if not isinstance(http_client, httpx.AsyncClient):
                raise ConfigurationError("http_client must be an httpx.AsyncClient")
            self._http = http_client
        else:
            self._owns_http = True

    def _prepare(self, library: str) -> None:
        """Resolve region and endpoint, build the signer and HTTP client (blocking).

        Runs in a worker thread, once: later callers find ``_ready`` set.
        """
        with self._prepare_lock:
            if not self._ready:
                with prompt_gil_handoff():
                    warm_up_imports(library)
                    self._prepare_locked()
                self._ready = True

    def _prepare_locked(self) -> None:
        import httpx

        from ._signing import SigV4Signer, load_botocore_signer

        service = self._service
        settings, session = resolve_settings(self._explicit, service.sdk_id)
        self._credentials.use_session(session)
        load_botocore_signer()
        self._signers: dict[tuple[str, str], SigV4Signer] = {}
        self._urls: dict[str, httpx.URL] = {}
        self._region = settings.region
        self._prepare_endpoints(settings, session)
        self._static_headers = {
            "Content-Type": CONTENT_TYPES[service.protocol],
            "User-Agent": user_agent(service, settings, extra=self._user_agent_extra),
        }
        self._retry_strategy = RetryStrategy(
            settings.retry_mode,
            self._retry,
            settings.max_attempts,
            rng=lambda: self._random(),
        )
        if self._owns_http:
            self._request_timeout = httpx.USE_CLIENT_DEFAULT
            self._http = httpx.AsyncClient(
                timeout=self._timeouts.to_httpx(),
                limits=httpx.Limits(
                    max_connections=self._max_connections,
                    max_keepalive_connections=self._max_connections,
                ),
                verify=tls_context(
                    self._scheme_hint(),
                    self._verify,
                    settings.ca_bundle,
                    settings.sources.get("ca_bundle", ""),
                ),
                follow_redirects=False,
            )
        else:
            # An injected client keeps its own timeouts unless told otherwise.
            self._request_timeout = (
                self._timeouts.to_httpx()
                if self._injected_timeout
                else httpx.USE_CLIENT_DEFAULT
            )
        self._min_compression_size = settings.min_compression_size
        self._settings = settings

    def _init_endpoint_options(
        self,
        service: ServiceSpec,
        client_context: ClientContext | None,
        account_id_endpoint_mode: str | None,
        endpoint_discovery: bool | None,
    ) -> None:
        """Check the endpoint options (rule parameters, discovery); no I/O."""
        expected = service.client_context
        if client_context is not None and (
            expected is None or not isinstance(client_context, expected)
        ):
            wanted = expected.__name__ if expected is not None else "nothing"
            raise ConfigurationError(
                f"client_context must be a {wanted} for {service.sdk_id}, "
                f"got {type(client_context).__name__}"
            )
        self._client_context = (
            client_context.endpoint_parameters() if client_context is not None else {}
        )
        if account_id_endpoint_mode is not None:
            check_account_id_endpoint_mode(account_id_endpoint_mode, "option")
        if endpoint_discovery is not None:
            check_discovery_option(endpoint_discovery)
        self._account_id_endpoint_mode = account_id_endpoint_mode
        self._endpoint_discovery_option = endpoint_discovery
        self._discovery_mode = DiscoveryMode.OFF
        self._discovery = EndpointDiscovery()

    def _prepare_endpoints(self, client: ClientSettings, session: Any) -> None:
        """The rule set's resolver and built-in values (blocking: reads config files)."""
        service = self._service
        self._endpoint_url = client.endpoint_url
        settings = endpoint_settings_from_config(session)
        mode = self._account_id_endpoint_mode or settings.account_id_endpoint_mode
        self._account_id_endpoint_mode = mode
        self._builtins: dict[str, Any] = {
            "AWS::Region": client.region,
            "AWS::UseFIPS": client.use_fips,
            "AWS::UseDualStack": client.use_dual_stack,
            "SDK::Endpoint": client.endpoint_url,
            "AWS::Auth::AccountIdEndpointMode": mode,
        }
        self._resolver: EndpointResolver | None = None
        self._client_endpoint: ResolvedEndpoint | None = None
        if service.endpoint_ruleset is not None:
            self._resolver = resolver = EndpointResolver(service.endpoint_ruleset)
            # The client-wide parameters' endpoint, here in the set-up thread:
            # the engine's first evaluation loads partition data. An error
            # here is raised again by the call that needs the endpoint.
            with contextlib.suppress(ConfigurationError):
                resolver.resolve(
                    resolver.bind(self._builtins, client_context=self._client_context)
                )
        elif not self._endpoint_url:
            raise ConfigurationError(
                "this service has no endpoint rule set: pass endpoint_url=... "
                "or set AWS_ENDPOINT_URL"
            )
        if service.discovery is not None:
            self._discovery_mode = DiscoveryMode.of(
                self._endpoint_discovery_option,
                settings.endpoint_discovery,
                custom_endpoint=self._endpoint_url is not None,
            )

    def _proxy_for(self, url: httpx.URL) -> str | None:
        """The proxy a request to ``url`` went through, to name it in errors.

        The owned httpx client picks it from the environment (trust_env) as
        ``proxy_for`` does; an injected client's proxies are its own business.
        """
        return proxy_for(url) if self._owns_http else None

    def _scheme_hint(self) -> str:
        url = self._endpoint_url or ""
        return "http" if url.startswith("http:") else "https"

    async def _resolve_endpoint(
        self, operation: OperationSpec[Any, Any], wire_input: Mapping[str, Any]
    ) -> ResolvedEndpoint:
        """The rule set's endpoint for this call (cached by parameter values)."""
        resolver = self._resolver
        if resolver is None:
            return ResolvedEndpoint(url=str(self._endpoint_url))
        bindings = operation.endpoint_bindings
        if bindings is NO_BINDINGS and not resolver.uses_account_id:
            # Nothing varies per call: one resolution serves every such
            # operation (binding and the cache lookup cost about 10 us).
            endpoint = self._client_endpoint
            if endpoint is None:
                endpoint = self._client_endpoint = resolver.resolve(
                    resolver.bind(self._builtins, client_context=self._client_context)
                )
            return endpoint
        builtins = self._builtins
        if resolver.uses_account_id and self._account_id_endpoint_mode != "disabled":
            credentials = await self._credentials.get()
            builtins = {**builtins, "AWS::Auth::AccountId": credentials.account_id}
        params = resolver.bind(
            builtins,
            client_context=self._client_context,
            bindings=bindings,
            wire_input=wire_input,
        )
        return resolver.resolve(params)

    def _base_url(self, url: str) -> httpx.URL:
        """``url`` as an httpx.URL whose path ends in "/" (cached by text)."""
        cached = self._urls.get(url)
        if cached is not None:
            return cached
        import httpx

        try:
            parsed = httpx.URL(url)
        except (httpx.InvalidURL, TypeError, ValueError) as exc:
            raise ConfigurationError(f"invalid endpoint URL {url!r}: {exc}") from None
        if not parsed.raw_path.endswith(b"/"):
            # The endpoint's path is a base: the operation's path "/" goes
            # after it (http-protocol-compliance-tests.rst, "host" may carry
            # a path; case AwsJson11HostWithPath).
            parsed = parsed.copy_with(raw_path=parsed.raw_path + b"/")
        if len(self._urls) < 256:
            self._urls[url] = parsed
        return parsed

    def _signer_for(self, endpoint: ResolvedEndpoint) -> Any:
        """The SigV4 signer for the endpoint's signing name and region (authSchemes)."""
        from ._signing import SigV4Signer

        key = (
            endpoint.signing_name or self._service.signing_name,
            endpoint.signing_region or str(self._region),
        )
        signer = self._signers.get(key)
        if signer is None:
            signer = self._signers[key] = SigV4Signer(service=key[0], region=key[1])
        return signer

    async def resolve_configuration(self) -> ClientSettings:
        """Resolve the client's settings now (off the event loop) and return them.

        The first call, or ``async with``, does this anyway; awaiting it
        earlier surfaces a ConfigurationError from the AWS config files (a
        missing profile, an unparsable file, a bad value) before any call.
        """
        self._check_open()
        if not self._ready:
            await self._ensure_ready()
        assert self._settings is not None
        return self._settings

    async def _ensure_ready(self) -> None:
        """Run _prepare in a worker thread; concurrent first calls all wait for it."""
        await run_in_worker_thread(self._prepare)
        if self._closed and self._owns_http and self._http is not None:
            # aclose() ran while the set-up was in flight.
            await self._http.aclose()
        self._check_open()

    def __repr__(self) -> str:
        state = " closed" if self._closed else ""
        settings = self._settings
        if settings is None:
            explicit = self._explicit
            return (
                f"<{type(self).__name__} region={explicit.region!r} "
                f"endpoint={safe_url(explicit.endpoint_url)!r} "
                f"(settings resolved on first use){state}>"
            )
        endpoint = (
            display_url(self._base_url(settings.endpoint_url))
            if settings.endpoint_url
            else "(from the rule set)"
        )
        return (
            f"<{type(self).__name__} region={settings.region!r} "
            f"endpoint={endpoint!r} "
            f"retry_mode={settings.retry_mode!r} "
            f"max_attempts={settings.max_attempts}{state}>"
        )

    async def __aenter__(self) -> Self:
        """Resolve the settings and set the client up, off the event loop.

        So a configuration error from the AWS config files shows at the
        ``async with`` line rather than at the first call.
        """
        self._check_open()
        if not self._ready:
            await self._ensure_ready()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        """Close the client and its connections (an injected http_client stays open).

        Idempotent; any call made afterwards raises ConfigurationError.
        """
        if self._closed:
            return
        self._closed = True
        if self._owns_http and self._http is not None:
            await self._http.aclose()

    def _check_open(self) -> None:
        if self._closed:
            raise ConfigurationError(
                f"this {type(self).__name__} is closed; create a new client to make calls"
            )

    async def _invoke(self, operation: OperationSpec[In, Out], input: In) -> Out:
        """Run one operation call: validate, send with retries, return the output."""
        wire = await self._call(operation, input)
        return self._deserialize(operation, wire)

    async def _invoke_for_waiter(
        self, operation: OperationSpec[In, Out], input: In
    ) -> tuple[Out | None, Mapping[str, Any] | None, ServiceError | None]:
        """Like _invoke, but a service error is returned (for waiter acceptors), not raised."""
        try:
            wire = await self._call(operation, input)
        except ServiceError as error:
            return None, None, error
        return self._deserialize(operation, wire), wire, None

    def _deserialize(
        self, operation: OperationSpec[Any, Out], wire: Mapping[str, Any]
    ) -> Out:
        try:
            output: Out = operation.deserialize(wire)
        except (
            KeyError,
            TypeError,
            ValueError,
            AttributeError,
            IndexError,
            RecursionError,
        ) as exc:
            raise ResponseParseError(
                f"{operation.name} response does not have the modeled shape "
                f"({type(exc).__name__}: {exc})"
            ) from None
        return output

    async def _call(
        self, operation: OperationSpec[In, Any], input: In
    ) -> dict[str, Any]:
        self._check_open()
        if not self._ready:
            await self._ensure_ready()
        if self._validate and operation.validate is not None:
            operation.validate(input)
        try:
            wire_input = operation.serialize(input)
        except (TypeError, ValueError, AttributeError) as exc:
            # Reached only with validation off (or a gap in it): the input
            # has a value of the wrong type for its member.
            raise ValidationError(
                "input", "type", f"{type(exc).__name__}: {exc}"
            ) from None
        body = encode_body(wire_input)
        encoding = None
        if operation.request_compression:
            body, encoding = compress_body(
                body, operation.request_compression, self._min_compression_size
            )
        endpoint = await self._resolve_endpoint(operation, wire_input)
        if self._deadline is None:
            return await self._send_routed(operation, input, endpoint, body, encoding)
        import anyio

        try:
            with anyio.fail_after(self._deadline):
                return await self._send_routed(
                    operation, input, endpoint, body, encoding
                )
        except TimeoutError:
            url = self._base_url(endpoint.url)
            where = display_url(url)
            raise RequestTimeoutError(
                f"{operation.name} to {where}: the call's deadline of "
                f"{self._deadline} s passed",
                url=where,
                proxy=self._proxy_for(url),
            ) from None

    async def _send_routed(
        self,
        operation: OperationSpec[Any, Any],
        input: Any,
        endpoint: ResolvedEndpoint,
        body: bytes,
        encoding: str | None,
    ) -> dict[str, Any]:
        """Send to the discovered endpoint when discovery applies, else the rule set's."""
        signer = self._signer_for(endpoint)
        discovery = operation.discovery
        if discovery is not None and self._discovery_mode.applies(discovery):
            sent = await self._send_discovered(
                operation, input, endpoint, signer, body, encoding
            )
            if sent is not None:
                return sent
        base = self._base_url(endpoint.url)
        if operation.endpoint_from_input is not None:
            custom = operation.endpoint_from_input(input)
            if custom:
                base = _input_endpoint(operation.name, custom)
        url = (
            base
            if operation.host_prefix is None
            else self._prefixed_url(operation, input, base)
        )
        return await self._send(operation, url, endpoint, signer, body, encoding)

    async def _send_discovered(
        self,
        operation: OperationSpec[Any, Any],
        input: Any,
        endpoint: ResolvedEndpoint,
        signer: Any,
        body: bytes,
        encoding: str | None,
    ) -> dict[str, Any] | None:
        """Send to the discovered address; None when there is none (optional discovery).

        An address the service calls invalid (its InvalidEndpointException, or
        HTTP 421) is forgotten and the call sent once more to a freshly
        discovered one, as botocore does.
        """
        for attempt in (1, 2):
            key, address = await self._discovered_address(operation, input)
            if address is None:
                return None
            url = self._base_url(discovered_url(address))
            try:
                return await self._send(
                    operation, url, endpoint, signer, body, encoding
                )
            except ServiceError as error:
                invalid = self._discovery.is_invalid_endpoint(
                    error, self._service.discovery
                )
                if not invalid or attempt == 2:
                    raise
                self._discovery.invalidate(key)
        raise AssertionError("unreachable")  # pragma: no cover

    async def _discovered_address(
        self, operation: OperationSpec[Any, Any], input: Any
    ) -> tuple[Any, str | None]:
        """(cache key, address) of the discovered endpoint; None: use the rule set's."""
        service_discovery = self._service.discovery
        operation_discovery = operation.discovery
        if service_discovery is None or operation_discovery is None:
            return (), None
        identifiers = (
            operation_discovery.identifiers(input)
            if operation_discovery.identifiers is not None
            else {}
        )
        describe = service_discovery.operation
        describe_input = service_discovery.make_input(operation.name, identifiers)

        async def describe_endpoints() -> Mapping[str, Any]:
            return await self._call(describe, describe_input)

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
        return key, address

    def _prefixed_url(
        self, operation: OperationSpec[Any, Any], input: Any, base: httpx.URL
    ) -> httpx.URL:
        labels = (
            operation.host_labels(input) if operation.host_labels is not None else {}
        )
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

    async def _send(
        self,
        operation: OperationSpec[Any, Any],
        url: httpx.URL,
        endpoint: ResolvedEndpoint,
        signer: Any,
        body: bytes,
        content_encoding: str | None,
    ) -> dict[str, Any]:
        strategy = self._retry_strategy
        max_attempts = strategy.max_attempts
        target = self._targets.get(operation.name)
        if target is None:
            target = self._targets[operation.name] = (
                f"{self._service.target_prefix}.{operation.name}"
            )
        invocation_id = str(uuid.uuid4())
        attempt = 0
        spent = 0
        skew_corrected = False
        while True:
            attempt += 1
            credentials = await self._credentials.get()
            await strategy.before_attempt()
            response_headers: Mapping[str, str] | None = None
            error: SmithyGenError
            try:
                status, reason, response_headers, content = await self._attempt(
                    operation,
                    url,
                    endpoint,
                    signer,
                    target,
                    body,
                    content_encoding,
                    invocation_id,
                    attempt,
                    max_attempts,
                    credentials,
                )
            except TransportError as exc:
                error = exc
            else:
                request_id = response_headers.get(
                    "x-amzn-requestid"
                ) or response_headers.get("x-amz-request-id")
                if status < 300:
                    strategy.after_attempt(RetryKind.NONE)
                    strategy.on_success(spent)
                    return parse_body(
                        content, status_code=status, request_id=request_id
                    )
                service_error = build_service_error(
                    self._service,
                    operation.errors,
                    status_code=status,
                    reason=reason,
                    headers=response_headers,
                    content=content,
                    request_id=request_id,
                )
                error = service_error
                if not skew_corrected:
                    offset = clock_skew_offset(
                        service_error,
                        response_headers.get("date"),
                        datetime.now(UTC),
                        self._clock_offset,
                    )
                    if offset is not None:
                        logger.debug(
                            "%s: %s says the clock is off; correcting by %.0f s and retrying",
                            operation.name,
                            service_error.code,
                            offset,
                        )
                        self._clock_offset = offset
                        skew_corrected = True
                        continue
            kind = strategy.classify(error)
            strategy.after_attempt(kind)
            if kind is RetryKind.NONE or attempt >= max_attempts:
                raise error
            cost = strategy.take_retry_cost(kind)
            if cost is None:
                logger.debug("%s: retry quota exhausted, not retrying", operation.name)
                raise error
            spent += cost
            delay = strategy.delay(attempt, response_headers)
            logger.debug(
                "%s: attempt %d/%d failed (%s); retrying in %.3f s",
                operation.name,
                attempt,
                max_attempts,
                _describe(error),
                delay,
            )
            import anyio

            await anyio.sleep(delay)

    async def _attempt(
        self,
        operation: OperationSpec[Any, Any],
        url: httpx.URL,
        endpoint: ResolvedEndpoint,
        signer: Any,
        target: str,
        body: bytes,
        content_encoding: str | None,
        invocation_id: str,
        attempt: int,
        max_attempts: int,
        credentials: Credentials,
    ) -> tuple[int, str, Mapping[str, str], bytes]:
        import httpx

        from ._signing import SigV4HttpxAuth

        headers = dict(self._static_headers)
        headers.update(endpoint.headers)
        headers["X-Amz-Target"] = target
        discovery = self._service.discovery
        if discovery is not None and operation is discovery.operation:
            # botocore's inject_api_version_header_if_needed: the discovery
            # operation carries the service's API version.
            headers["x-amz-api-version"] = self._service.api_version
        headers["amz-sdk-invocation-id"] = invocation_id
        headers["amz-sdk-request"] = f"attempt={attempt}; max={max_attempts}"
        if content_encoding is not None:
            headers["Content-Encoding"] = content_encoding
        http = self._http
        request = http.build_request(
            "POST", url, headers=headers, content=body, timeout=self._request_timeout
        )
        now = datetime.now(UTC)
        if self._clock_offset:
            now += timedelta(seconds=self._clock_offset)
        auth = SigV4HttpxAuth(signer, credentials, now)
        started = time.perf_counter()
        try:
            response = await http.send(request, auth=auth, stream=True)
            try:
                content = await read_capped(response, MAX_RESPONSE_BYTES)
            except BaseException:
                import anyio

                # Release the connection even when the task is being cancelled.
                with anyio.CancelScope(shield=True):
                    await response.aclose()
                raise
        except httpx.DecodingError as exc:
            raise ResponseParseError(
                f"{operation.name}: response body could not be decoded: {exc}"
            ) from exc
        except httpx.HTTPError as exc:
            logger.debug(
                "%s attempt %d/%d: %s after %.1f ms",
                operation.name,
                attempt,
                max_attempts,
                type(exc).__name__,
                (time.perf_counter() - started) * 1000,
            )
            raise transport_error(
                exc,
                operation.name,
                attempt,
                url=display_url(request.url),
                proxy=self._proxy_for(request.url),
            ) from exc
        except RuntimeError:
            # httpx raises RuntimeError when its client was closed meanwhile.
            if http.is_closed:
                raise ConfigurationError(
                    f"the HTTP client was closed during {operation.name}"
                ) from None
            raise
        if logger.isEnabledFor(logging.DEBUG):
            logger.debug(
                "%s attempt %d/%d: HTTP %d in %.1f ms, request id %s, request headers %s",
                operation.name,
                attempt,
                max_attempts,
                response.status_code,
                (time.perf_counter() - started) * 1000,
                response.headers.get("x-amzn-requestid"),
                redact_headers(request.headers.multi_items()),
            )
        return response.status_code, response.reason_phrase, response.headers, content


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
        # As for the client's endpoint: the operation's path "/" goes after it.
        url = url.copy_with(raw_path=url.raw_path + b"/")
    return url


def _describe(error: SmithyGenError) -> str:
    if isinstance(error, ServiceError):
        return f"{error.code}, HTTP {error.status_code}"
    return type(error).__name__
