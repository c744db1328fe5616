"""BaseClient: the configuration and lifecycle every generated client inherits.

``__init__`` checks the options (no I/O); the first call (or ``async with``)
resolves the configuration once, in a worker thread, into the frozen
``ResolvedConfig`` of a ``CallPipeline`` (``_pipeline``), which runs every
call: validate, serialize, then sign, send and read per attempt.
"""

from __future__ import annotations

import os
import random
import threading
from collections.abc import Mapping, Sequence
from types import TracebackType
from typing import TYPE_CHECKING, Any, ClassVar, Self, TypeVar

from ._client_protocol import protocol_for
from ._compression import compression_threshold
from ._config import (
    ClientOptions,
    RetryConfig,
    Timeouts,
    check_options,
    check_region,
)
from ._credentials import Credentials, CredentialsResolver
from ._endpoints import check_endpoint_url, conflict_message
from ._errors import ConfigurationError, ServiceError
from ._interceptors import Hooks, Interceptor
from ._loops import HttpClientForLoop
from ._pipeline import CallPipeline, ResolvedConfig
from ._requests import RequestFactory
from ._retries import ClockSkew, RetryStrategy
from ._routing import EndpointRouter, endpoint_options
from ._s3 import s3_interceptors
from ._settings import (
    ClientSettings,
    ExplicitSettings,
    check_checksum_setting,
    check_environment,
    resolve_settings,
    safe_url,
)
from ._specs import ClientContext, OperationSpec, ServiceSpec
from ._transport import (
    TlsVerify,
    display_url,
    run_in_worker_thread,
    tls_context,
    user_agent,
    warm_up_imports,
)

In = TypeVar("In")
Out = TypeVar("Out")

if TYPE_CHECKING:
    import httpx

__all__ = ["BaseClient"]

# Connections the owned httpx client keeps (max_connections=), as botocore's
# max_pool_connections. On loopback httpcore's per-request pool bookkeeping
# grows with the number of connections: at 32 concurrent calls a pool of 8-10
# measured about 20 % less CPU per call than 64 (bench/PROFILE.md). Raise it
# for high-latency endpoints under high concurrency.
MAX_CONNECTIONS = 10


class BaseClient:
    """Base of generated clients: configuration, transport, signing and retries.

    A client is configured by the options below, every one keyword-only and
    optional; an option left out (None) comes from the environment, then the
    selected profile of the AWS config files (and its ``services`` section),
    then the default, as botocore resolves it (docs/runtime-contract.md lists
    each order). A bad option or environment value raises
    ``ConfigurationError`` (``CredentialsError`` for credentials) when the
    client is created, naming it and its source; the AWS config files are read
    off the event loop by ``async with``, ``await
    client.resolve_configuration()`` or the first call, whichever comes first,
    and a bad profile or file value raises there.

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
            client does not close or replace it, so use it from the event
            loop it was created in (from another: ``ConfigurationError``).
            Default: one of its own, made again for each event loop.
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
        interceptors: ``Interceptor`` objects whose hooks run at each stage
            of every call (Smithy's reference architecture's hook names and
            order; see ``smithygen_runtime.interceptors``), in the order
            given. Default: none.
        protocol: The wire protocol, for a service whose model offers
            several (``"awsJson1_0"``, ``"rpcv2Cbor"``...; the client's
            ``_service.protocols`` lists them); ``ConfigurationError`` for
            one it does not offer. Default: the one botocore uses (JSON
            before CBOR, whatever order the model lists them in).
        request_checksum_calculation: ``"when_supported"`` sends a
            checksum of the body (CRC32 unless the input names another
            algorithm) with every operation that supports one
            (``aws.protocols#httpChecksum``: S3's PutObject, UploadPart...);
            ``"when_required"`` only with those that require one. Default:
            ``AWS_REQUEST_CHECKSUM_CALCULATION``, the profile's
            ``request_checksum_calculation``, then ``"when_supported"``.
        response_checksum_validation: ``"when_supported"`` asks for the
            response's checksum wherever the operation offers one (S3's
            GetObject: ``x-amz-checksum-mode: ENABLED``) and validates it;
            ``"when_required"`` only when the input asks for it. A mismatch
            raises ``FlexibleChecksumError``. Default:
            ``AWS_RESPONSE_CHECKSUM_VALIDATION``, the profile's
            ``response_checksum_validation``, then ``"when_supported"``.
    """

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
        interceptors: Sequence[Interceptor] = (),
        protocol: str | None = None,
        request_checksum_calculation: str | None = None,
        response_checksum_validation: str | None = None,
    ) -> None:
        """Check the options (no I/O); ``smithygen_runtime.BaseClient`` describes each."""
        # Set first so repr and aclose never see a half-built client.
        self._closed = False
        self._pipeline: CallPipeline | None = None
        options = ClientOptions(
            region=region,
            endpoint_url=endpoint_url,
            credentials=credentials,
            profile=profile,
            timeout=timeout,
            max_attempts=max_attempts,
            retry=retry,
            deadline=deadline,
            http_client=http_client,
            validate=validate,
            use_fips=use_fips,
            use_dual_stack=use_dual_stack,
            verify=verify,
            max_connections=max_connections,
            retry_mode=retry_mode,
            user_agent_extra=user_agent_extra,
            client_context=client_context,
            account_id_endpoint_mode=account_id_endpoint_mode,
            endpoint_discovery=endpoint_discovery,
            interceptors=interceptors,
            protocol=protocol,
            request_checksum_calculation=request_checksum_calculation,
            response_checksum_validation=response_checksum_validation,
        )
        self._take_options(_service_of(type(self)), options)

    def _take_options(self, service: ServiceSpec, options: ClientOptions) -> None:
        """Check the options, then keep what the set-up needs from them (no I/O)."""
        self._protocol = protocol_for(service, options.protocol)
        check_options(options)
        self._pool_size = _pool_size(options.max_connections, options.http_client)
        self._timeouts = Timeouts.of(options.timeout)
        self._retry = options.retry or RetryConfig()
        # Explicit arguments win; the environment is checked now (no I/O),
        # the profile and files when the client is set up (see _settings).
        self._explicit = _explicit_settings(service, options, self._retry)
        self._endpoint_options = endpoint_options(
            service,
            options.client_context,
            options.account_id_endpoint_mode,
            options.endpoint_discovery,
        )
        # S3's built-in customizations run first (botocore's handlers run
        # before anything the caller registers).
        self._hooks = Hooks(
            [
                *s3_interceptors(service.sdk_id),
                *_checked_interceptors(options.interceptors),
            ]
        )
        self._deadline = options.deadline
        self._validate = options.validate
        self._clock = ClockSkew()
        self._random = random.random
        self._credentials = CredentialsResolver(options.credentials, options.profile)
        self._verify = options.verify
        self._user_agent_extra = options.user_agent_extra
        # The environment's compression settings are checked now; the
        # resolved value (environment, then profile) comes at set-up.
        compression_threshold()
        self._defer_set_up(options)

    def _defer_set_up(self, options: ClientOptions) -> None:
        """What the set-up on first use needs to know about the HTTP client.

        The rest (settings from the AWS config files, the rules engine,
        botocore, httpx and its TLS context) is set up on first use in a
        worker thread: importing and loading them takes hundreds of
        milliseconds, which must not stall the event loop of an
        application that creates a client.
        """
        self._prepare_lock = threading.Lock()
        self._injected_timeout = options.timeout is not None
        self._owns_http = options.http_client is None
        self._given_http = _checked_http_client(options.http_client)

    def _prepare(self, library: str) -> None:
        """Resolve the configuration and build the call pipeline (blocking, once).

        Runs in a worker thread; later callers find the pipeline built.
        """
        with self._prepare_lock:
            if self._pipeline is None:
                warm_up_imports(library)
                config = self._resolve_config()
                self._pipeline = CallPipeline(
                    config,
                    self._credentials,
                    self._hooks,
                    self._clock,
                    client_name=type(self).__name__,
                )

    def _resolve_config(self) -> ResolvedConfig:
        """Settings, endpoints, retry strategy and HTTP client, decided once."""
        from ._signing import load_botocore_signer

        service = self._service
        settings, session = resolve_settings(self._explicit, service.sdk_id)
        self._credentials.use_session(session)
        load_botocore_signer()
        router = EndpointRouter(
            service,
            settings,
            session,
            self._endpoint_options,
            self._credentials,
            owns_http=self._owns_http,
        )
        http, request_timeout = self._http_client_for(settings)
        new_request = RequestFactory(http, request_timeout)
        return ResolvedConfig(
            settings=settings,
            protocol=self._protocol,
            http=http,
            new_request=new_request,
            headers={
                **new_request.default_headers,
                **self._protocol.static_headers(),
                "User-Agent": user_agent(
                    service, settings, extra=self._user_agent_extra
                ),
            },
            router=router,
            retry=RetryStrategy(
                settings.retry_mode,
                self._retry,
                settings.max_attempts,
                rng=lambda: self._random(),
            ),
            min_compression_size=settings.min_compression_size,
            validate=self._validate,
            deadline=self._deadline,
        )

    def _http_client_for(
        self, settings: ClientSettings
    ) -> tuple[HttpClientForLoop, Any]:
        """The HTTP client (following the running event loop) and its per-request timeout."""
        import httpx

        owner = type(self).__name__
        if self._given_http is not None:
            # An injected client keeps its own timeouts unless told otherwise.
            timeout = (
                self._timeouts.to_httpx()
                if self._injected_timeout
                else httpx.USE_CLIENT_DEFAULT
            )
            return HttpClientForLoop(self._given_http, None, owner), timeout
        endpoint_url = settings.endpoint_url or ""
        # Decided once (loading a CA bundle reads a file): every httpx client
        # made for a new event loop shares it.
        verify = tls_context(
            "http" if endpoint_url.startswith("http:") else "https",
            self._verify,
            settings.ca_bundle,
            settings.sources.get("ca_bundle", ""),
        )
        limits = httpx.Limits(
            max_connections=self._pool_size,
            max_keepalive_connections=self._pool_size,
        )
        timeouts = self._timeouts.to_httpx()

        def make() -> httpx.AsyncClient:
            return httpx.AsyncClient(
                timeout=timeouts, limits=limits, verify=verify, follow_redirects=False
            )

        return HttpClientForLoop(make(), make, owner), httpx.USE_CLIENT_DEFAULT

    @property
    def _http(self) -> httpx.AsyncClient | None:
        """The httpx client calls send with (None before set-up without http_client)."""
        if self._pipeline is None:
            return self._given_http
        return self._pipeline.config.http.client

    @property
    def _config(self) -> ResolvedConfig:
        """The resolved configuration (the client must be set up)."""
        if self._pipeline is None:
            raise ConfigurationError("the client is not set up yet")
        return self._pipeline.config

    async def resolve_configuration(self) -> ClientSettings:
        """Resolve the client's settings now (off the event loop) and return them.

        The first call, or ``async with``, does this anyway; awaiting it
        earlier surfaces a ConfigurationError from the AWS config files (a
        missing profile, an unparsable file, a bad value) before any call.
        """
        pipeline = await self._ready_pipeline()
        return pipeline.config.settings

    async def _ready_pipeline(self) -> CallPipeline:
        """The call pipeline, built on first use; ConfigurationError once closed."""
        self._check_open()
        if self._pipeline is None:
            await self._ensure_ready()
        assert self._pipeline is not None
        return self._pipeline

    async def _ensure_ready(self) -> None:
        """Run _prepare in a worker thread; concurrent first calls all wait for it."""
        await run_in_worker_thread(self._prepare)
        if self._closed and self._pipeline is not None:
            # aclose() ran while the set-up was in flight.
            await self._pipeline.config.http.aclose()
        self._check_open()

    def __repr__(self) -> str:
        state = " closed" if self._closed else ""
        if self._pipeline is None:
            explicit = self._explicit
            return (
                f"<{type(self).__name__} region={explicit.region!r} "
                f"endpoint={safe_url(explicit.endpoint_url)!r} "
                f"(settings resolved on first use){state}>"
            )
        config = self._pipeline.config
        settings = config.settings
        endpoint = (
            display_url(config.router.base_url(settings.endpoint_url))
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
        await self._ready_pipeline()
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

        Calls in flight end at once with ConfigurationError, without a retry
        or its backoff, spending no retry quota; any call made afterwards
        raises ConfigurationError too. Idempotent.
        """
        if self._closed:
            return
        self._closed = True
        pipeline = self._pipeline
        if pipeline is not None:
            # Calls first: a call that saw its connection closed under it
            # would take it for a network failure and retry.
            pipeline.close()
            await pipeline.config.http.aclose()

    def _check_open(self) -> None:
        if self._closed:
            raise ConfigurationError(
                f"this {type(self).__name__} is closed; create a new client to make calls"
            )

    async def _invoke(self, operation: OperationSpec[In, Out], input: In) -> Out:
        """Run one operation call through the pipeline and return its output."""
        pipeline = await self._ready_pipeline()
        result = await pipeline.run(operation, input)
        return result.output

    async def _invoke_for_waiter(
        self, operation: OperationSpec[In, Out], input: In
    ) -> tuple[Out | None, Mapping[str, Any] | None, ServiceError | None]:
        """Like _invoke, but a service error is returned (for waiter acceptors), not raised."""
        pipeline = await self._ready_pipeline()
        try:
            result = await pipeline.run(operation, input)
        except ServiceError as error:
            return None, None, error
        return result.output, result.document, None

    async def _waiter_sleep(self, delay: float) -> None:
        """A waiter's pause between polls (``wait(sleep=...)``).

        aclose() ends it at once with the ConfigurationError any call on a
        closed client raises, rather than after the delay (up to a
        waiter's maxDelay) at the next poll.
        """
        pipeline = await self._ready_pipeline()
        if not await pipeline.sleep_unless_closed(delay):
            self._check_open()


def _service_of(cls: type) -> ServiceSpec:
    service = getattr(cls, "_service", None)
    if not isinstance(service, ServiceSpec):
        raise ConfigurationError(f"{cls.__name__} defines no _service ServiceSpec")
    return service


def _pool_size(max_connections: int | None, http_client: object) -> int:
    """The owned pool's size, checked (not allowed with an injected client)."""
    if max_connections is None:
        return MAX_CONNECTIONS
    if (
        isinstance(max_connections, bool)
        or not isinstance(max_connections, int)
        or max_connections < 1
    ):
        raise ConfigurationError(
            f"max_connections must be a positive integer, got {max_connections!r}"
        )
    if http_client is not None:
        raise ConfigurationError(
            "max_connections sets up the client's own pool: "
            "configure the injected http_client's limits instead"
        )
    return max_connections


def _explicit_settings(
    service: ServiceSpec, options: ClientOptions, retry: RetryConfig
) -> ExplicitSettings:
    """The settings given as arguments, checked with the environment (no I/O)."""
    request_checksum_calculation = options.request_checksum_calculation
    if request_checksum_calculation is not None:
        request_checksum_calculation = check_checksum_setting(
            "request_checksum_calculation", request_checksum_calculation, "argument"
        )
    response_checksum_validation = options.response_checksum_validation
    if response_checksum_validation is not None:
        response_checksum_validation = check_checksum_setting(
            "response_checksum_validation", response_checksum_validation, "argument"
        )
    _check_endpoint_arguments(options)
    verify = options.verify
    explicit = ExplicitSettings(
        region=options.region,
        endpoint_url=options.endpoint_url,
        profile=options.profile,
        # max_attempts= wins over retry=RetryConfig(max_attempts=...).
        max_attempts=retry.max_attempts
        if options.max_attempts is None
        else options.max_attempts,
        retry_mode=options.retry_mode,
        ca_bundle=os.fspath(verify) if isinstance(verify, str | os.PathLike) else None,
        use_fips=options.use_fips,
        use_dual_stack=options.use_dual_stack,
        request_checksum_calculation=request_checksum_calculation,
        response_checksum_validation=response_checksum_validation,
    )
    check_environment(explicit, service.sdk_id)
    return explicit


def _check_endpoint_arguments(options: ClientOptions) -> None:
    """ConfigurationError for a bad region or endpoint, or one FIPS cannot use."""
    if options.region is not None:
        check_region(options.region)
    if options.endpoint_url is not None:
        check_endpoint_url(options.endpoint_url)
    if (options.use_fips or options.use_dual_stack) and options.endpoint_url:
        # Certain from the arguments alone; a conflict involving the
        # environment or a profile is found in the resolved settings at set-up
        # (where AWS_IGNORE_CONFIGURED_ENDPOINT_URLS and the profile's
        # ignore_configured_endpoint_urls are known).
        raise ConfigurationError(conflict_message(bool(options.use_fips)))


def _checked_interceptors(interceptors: Sequence[Interceptor]) -> list[Interceptor]:
    if isinstance(interceptors, Interceptor | str | bytes):
        raise ConfigurationError("interceptors must be a list of Interceptor objects")
    try:
        given = list(interceptors)
    except TypeError:
        raise ConfigurationError(
            "interceptors must be a list of Interceptor objects"
        ) from None
    for interceptor in given:
        if not isinstance(interceptor, Interceptor):
            raise ConfigurationError(
                "interceptors must be Interceptor objects (smithygen_runtime."
                f"Interceptor), got {type(interceptor).__name__}"
            )
    return given


def _checked_http_client(http_client: object) -> httpx.AsyncClient | None:
    if http_client is None:
        return None
    import httpx  # already imported by whoever built http_client

    if not isinstance(http_client, httpx.AsyncClient):
        raise ConfigurationError("http_client must be an httpx.AsyncClient")
    return http_client
