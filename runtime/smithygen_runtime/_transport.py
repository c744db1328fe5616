"""The HTTP side of the client: httpx set-up, reading bodies, mapping failures."""

from __future__ import annotations

import contextlib
import functools
import logging
import os
import sys
import threading
import time
import zlib
from collections.abc import Callable, Iterator
from datetime import timedelta
from typing import TYPE_CHECKING, Any, Union

from ._errors import (
    ConfigurationError,
    RequestTimeoutError,
    ResponseParseError,
    TransportError,
)
from ._loops import OTHER_LOOP_FIX
from ._settings import safe_url
from ._version import __version__ as RUNTIME_VERSION

if TYPE_CHECKING:
    import ssl

    import httpx

    from ._settings import ClientSettings
    from ._specs import ServiceSpec

_logger = logging.getLogger("smithygen_runtime")
# httpx's own logger: requests sent past AsyncClient.send are logged there as
# httpx logs them.
_httpx_logger = logging.getLogger("httpx")

# The client's ``verify`` option: None (the configured ca_bundle, else the
# default bundle), True (the default bundle, whatever is configured, as
# botocore's verify=True), False (no verification), a CA bundle path, or a
# ready SSLContext.
TlsVerify = Union[bool, str, "os.PathLike[str]", "ssl.SSLContext", None]

__all__ = [
    "TlsVerify",
    "display_url",
    "proxy_for",
    "read_capped",
    "redact_headers",
    "run_in_worker_thread",
    "send_and_read",
    "tls_context",
    "transport_error",
    "user_agent",
    "warm_up_imports",
]

_REDACTED_HEADERS = frozenset({"authorization", "x-amz-security-token"})


async def run_in_worker_thread(func: Callable[[str], None]) -> None:
    """Run ``func(async_library)`` in a worker thread, without importing anyio's backend.

    Used once per client, for the set-up. anyio's backend modules take tens
    of milliseconds to import, which would stall the caller's event loop on
    its first call; the thread imports them instead (see warm_up_imports)
    while the loop waits through its own library's thread API. Every other
    async operation of the runtime goes through anyio.
    """
    try:
        import sniffio
    except ImportError:
        # trio needs sniffio; without it, this can only be asyncio (as anyio
        # itself concludes).
        library = "asyncio"
    else:
        library = sniffio.current_async_library()
    if library == "trio":
        import trio

        # Abandoning is safe: the set-up is idempotent and guarded by a lock,
        # and a cancelled first call should not wait for it.
        await trio.to_thread.run_sync(func, library, abandon_on_cancel=True)
    else:
        await _run_in_setup_thread(func, library)


async def _run_in_setup_thread(func: Callable[[str], None], library: str) -> None:
    """asyncio: run ``func`` in a thread of its own and wait for it.

    A thread that ends with the set-up, rather than asyncio's default
    executor: it spares importing concurrent.futures.thread and keeping its
    pool (about 0.2 MB of peak RSS). The thread runs at the process's own
    priority and the interpreter's switch interval is left alone: a library
    does not change its host's process-wide settings.
    """
    import asyncio

    loop = asyncio.get_running_loop()
    done: asyncio.Future[None] = loop.create_future()

    def settle(error: BaseException | None) -> None:
        if done.done():  # the waiting call was cancelled
            return
        if error is None:
            done.set_result(None)
        else:
            done.set_exception(error)

    def target() -> None:
        error: BaseException | None = None
        try:
            func(library)
        except BaseException as exc:  # handed to the waiting task as is
            error = exc
        with contextlib.suppress(RuntimeError):  # the loop closed meanwhile
            loop.call_soon_threadsafe(settle, error)

    threading.Thread(target=target, name="smithygen-setup", daemon=True).start()
    await done


def warm_up_imports(library: str) -> None:
    """Import, off the event loop, what the first request would import on it."""
    import importlib

    import anyio.to_thread  # noqa: F401 - imported for its side effect

    # Private module names of anyio and httpcore: a failure only means the
    # import happens later, on first use, as it would have anyway.
    for name in (f"anyio._backends._{library}", _httpcore_backend(library)):
        with contextlib.suppress(ImportError):
            importlib.import_module(name)


def _httpcore_backend(library: str) -> str:
    """The module of the network backend httpcore picks under ``library``.

    httpcore's AutoBackend uses its trio backend under trio and its anyio
    backend under anything else (httpcore/_backends/auto.py, 1.0): there is
    no ``httpcore._backends.asyncio`` to import.
    """
    return (
        "httpcore._backends.trio" if library == "trio" else "httpcore._backends.anyio"
    )


_ssl_context: ssl.SSLContext | None = None


def tls_context(
    scheme: str, verify: TlsVerify, ca_bundle: str | None, ca_source: str = ""
) -> ssl.SSLContext | bool:
    """The TLS settings for the owned httpx client.

    ``ca_bundle`` is the resolved CA bundle (the ``verify`` path, else
    AWS_CA_BUNDLE or the profile's ca_bundle); it applies unless ``verify``
    is True, False or a context. Loading the default bundle takes tens of
    milliseconds, so every client that verifies with it shares one context
    (never mutated after creation). A plain-http endpoint does TLS only
    through an https proxy (or an input's own https endpoint): it gets a
    verifying context that loads its certificates (the bundle, else the
    system store) at its first handshake; loading them at once took 20 to
    90 ms of the set-up here, for nothing on most such clients.
    """
    global _ssl_context
    if verify is False or (verify is not None and not _is_path_or_true(verify)):
        return verify  # type: ignore[return-value]  # False or an SSLContext
    bundle = ca_bundle if verify is not True else None
    if scheme == "http":
        return _trust_on_first_use(bundle)
    if bundle is not None:
        return _context_from_bundle(bundle, ca_source or "verify")
    if _ssl_context is None:
        import httpx

        _ssl_context = httpx.create_ssl_context()
    return _ssl_context


def _trust_on_first_use(ca_bundle: str | None) -> ssl.SSLContext:
    """A verifying client context that loads ``ca_bundle`` (else the system's
    CA store) when first used."""
    import ssl

    # PROTOCOL_TLS_CLIENT: hostname checks and certificate verification on,
    # as create_default_context() sets them; so are its stricter chain checks
    # on the Pythons whose create_default_context() sets them (3.13+).
    context = _lazy_trust_context_class()(ssl.PROTOCOL_TLS_CLIENT)
    context.ca_bundle = ca_bundle
    if sys.version_info >= (3, 13):
        context.verify_flags |= ssl.VERIFY_X509_PARTIAL_CHAIN | ssl.VERIFY_X509_STRICT
    checked: ssl.SSLContext = context
    return checked


@functools.cache
def _lazy_trust_context_class() -> type[Any]:
    # Defined on first use: ``ssl`` is not imported with the package.
    import ssl

    class TrustOnFirstUse(ssl.SSLContext):
        """A client context whose CA certificates load at its first handshake."""

        ca_bundle: str | None = None
        _trust_loaded = False

        def _load_trust(self) -> None:
            if not self._trust_loaded:
                if self.ca_bundle is not None:
                    self.load_verify_locations(cafile=self.ca_bundle)
                else:
                    self.load_default_certs(ssl.Purpose.SERVER_AUTH)
                self._trust_loaded = True

        def wrap_bio(self, *args: Any, **kwargs: Any) -> ssl.SSLObject:
            self._load_trust()
            return super().wrap_bio(*args, **kwargs)

        def wrap_socket(self, *args: Any, **kwargs: Any) -> ssl.SSLSocket:
            self._load_trust()
            return super().wrap_socket(*args, **kwargs)

    return TrustOnFirstUse


def _is_path_or_true(verify: TlsVerify) -> bool:
    return verify is True or isinstance(verify, str | os.PathLike)


def _context_from_bundle(path: str, source: str) -> ssl.SSLContext:
    import ssl

    try:
        return ssl.create_default_context(cafile=path)
    except (OSError, ssl.SSLError, ValueError) as exc:
        raise ConfigurationError(
            f"ca_bundle from {source}: {path!r} could not be loaded as PEM "
            f"certificates ({type(exc).__name__}: {exc})"
        ) from None


def proxy_for(url: httpx.URL) -> str | None:
    """The proxy httpx takes from the environment for ``url``, without credentials.

    httpx (trust_env) reads HTTP(S)_PROXY, ALL_PROXY and NO_PROXY through
    urllib's getproxies; the same lookup names the proxy in transport errors.
    """
    import urllib.request

    proxies = urllib.request.getproxies_environment()
    proxy = proxies.get(url.scheme) or proxies.get("all")
    if not proxy:
        return None
    # proxy_bypass_environment: NO_PROXY's test (not in typeshed's stubs).
    bypass = getattr(urllib.request, "proxy_bypass_environment")  # noqa: B009
    if bypass(url.host, proxies):
        return None
    return safe_url(proxy if "://" in proxy else f"http://{proxy}", with_path=False)


def display_url(url: httpx.URL) -> str:
    """Scheme, host, port and path of ``url``: never credentials or a query."""
    host = f"[{url.host}]" if ":" in url.host else url.host
    port = "" if url.port is None else f":{url.port}"
    path = url.raw_path.split(b"?", 1)[0].decode("ascii", "replace") or "/"
    return f"{url.scheme}://{host}{port}{path}"


def user_agent(
    service: ServiceSpec, settings: ClientSettings, *, extra: str | None = None
) -> str:
    """The User-Agent: runtime, Python, service, retry mode, app id, extra.

    The retry mode and app id are written as botocore writes them
    (``cfg/retry-mode#standard``, ``app/<id>`` sanitised by botocore's own
    function); ``user_agent_extra`` goes last, as is.
    """
    import logging

    from botocore.useragent import sanitize_user_agent_string_component

    parts = [
        f"smithygen-runtime/{RUNTIME_VERSION}",
        f"python/{sys.version_info.major}.{sys.version_info.minor}",
        f"{service.sdk_id.replace(' ', '_')}/{service.api_version}",
        f"cfg/retry-mode#{settings.retry_mode}",
    ]
    if settings.app_id:
        from ._settings import APP_ID_MAX_LENGTH

        if len(settings.app_id) > APP_ID_MAX_LENGTH:
            logging.getLogger("smithygen_runtime").warning(
                "sdk_ua_app_id (from %s) is longer than %d characters",
                settings.sources.get("app_id", "configuration"),
                APP_ID_MAX_LENGTH,
            )
        app = sanitize_user_agent_string_component(settings.app_id, allow_hash=True)
        parts.append(f"app/{app}")
    if extra:
        parts.append(extra)
    return " ".join(parts)


async def read_capped(response: httpx.Response, limit: int) -> bytes:
    """The whole (decoded) body, or ResponseParseError once it passes ``limit`` bytes."""
    declared = response.headers.get("content-length")
    if declared is not None and declared.isdigit() and int(declared) > limit:
        raise ResponseParseError(
            f"response body of {declared} bytes exceeds the {limit} byte limit",
            status_code=response.status_code,
        )
    encoding = response.headers.get("content-encoding", "").strip().lower()
    # A body read in full already (as httpx does for a transport that hands over
    # bytes, such as MockTransport) has been decoded by httpx: take it as it is.
    if encoding in _ZLIB_WBITS and not response.is_stream_consumed:
        return await _read_compressed(response, limit, encoding)
    # Streamed with a running count even when a small length is declared:
    # a compressed body can inflate past it. ``response.aread()`` walks the
    # same chunk iterator (no CPU measured saved: 2.25-3.13 ms per call either
    # way, alternating) and keeps the body on the response, whose reference
    # cycle with its stream holds it until a GC pass: +1 MB peak RSS over
    # 1,000 calls of 19.7 kB.
    body = _CappedBody(limit, response.status_code)
    async for chunk in response.aiter_bytes():
        body.add(chunk)
    return body.join()


class _CappedBody:
    """The chunks of a response body, refused once they pass ``limit`` bytes."""

    __slots__ = ("_chunks", "_limit", "_note", "_status", "size")

    def __init__(self, limit: int, status_code: int, note: str = "") -> None:
        self._chunks: list[bytes] = []
        self._limit = limit
        self._note = note
        self._status = status_code
        self.size = 0

    def add(self, data: bytes) -> None:
        self.size += len(data)
        if self.size > self._limit:
            raise ResponseParseError(
                f"response body exceeds the {self._limit} byte limit{self._note}",
                status_code=self._status,
            )
        self._chunks.append(data)

    def room(self) -> int:
        """Bytes still allowed plus one, so that passing the limit is seen."""
        return self._limit + 1 - self.size

    def join(self) -> bytes:
        return b"".join(self._chunks)


# zlib's window bits: gzip framing for "gzip"; for "deflate", a zlib or gzip
# header detected from the stream (32 + MAX_WBITS).
_ZLIB_WBITS = {"gzip": 16 + zlib.MAX_WBITS, "deflate": 32 + zlib.MAX_WBITS}


async def _read_compressed(
    response: httpx.Response, limit: int, encoding: str
) -> bytes:
    """Decompress a gzip/deflate body, insisting on its end-of-stream marker.

    httpx's decoders accept a stream that stops early, which turns a body cut
    after its header into an empty (and so apparently valid) one. Inflating here
    also applies the size cap to the inflated bytes as they come, so a small
    compressed body cannot expand past ``limit`` in memory.
    """
    decoder = zlib.decompressobj(_ZLIB_WBITS[encoding])
    body = _CappedBody(limit, response.status_code, " once decompressed")
    try:
        async for raw in response.aiter_raw():
            pending = raw
            while pending and not decoder.eof:
                # room() >= 1 here, as max_length must be (0 would mean unbounded).
                body.add(decoder.decompress(pending, body.room()))
                pending = decoder.unconsumed_tail
        body.add(decoder.flush())
    except zlib.error as exc:
        raise ResponseParseError(
            f"response body could not be decoded as {encoding}: {exc}",
            status_code=response.status_code,
        ) from None
    if not decoder.eof:
        raise ResponseParseError(
            f"{encoding} response body ended before its end-of-stream marker "
            "(truncated in transit)",
            status_code=response.status_code,
        )
    return body.join()


def transport_error(
    exc: Exception,
    operation: str,
    attempt: int,
    *,
    url: str | None = None,
    proxy: str | None = None,
) -> TransportError:
    """The runtime's error for an httpx failure, marked retryable or not.

    The message and the error's ``url``/``proxy`` name where the request
    went, without credentials.
    """
    import httpx

    where = safe_url(url)
    via = f" via proxy {proxy}" if proxy else ""
    what = (
        f"{operation} attempt {attempt} to {where}{via}"
        if where
        else (f"{operation} attempt {attempt}{via}")
    )
    if isinstance(exc, httpx.PoolTimeout):
        return RequestTimeoutError(
            f"{what}: no free connection within the pool timeout",
            url=where,
            proxy=proxy,
        )
    if isinstance(exc, httpx.TimeoutException):
        phase = {
            httpx.ConnectTimeout: "connect",
            httpx.ReadTimeout: "read",
            httpx.WriteTimeout: "write",
        }.get(type(exc), "")
        return RequestTimeoutError(
            f"{what}: {phase} timeout".replace(":  ", ": "),
            retryable=True,
            url=where,
            proxy=proxy,
        )
    retryable = isinstance(
        exc,
        httpx.ConnectError
        | httpx.ReadError
        | httpx.WriteError
        | httpx.RemoteProtocolError
        | httpx.ProxyError,
    ) and not _certificate_failure(exc)
    return TransportError(
        f"{what}: {type(exc).__name__}: {_detail(exc)}",
        retryable=retryable,
        url=where,
        proxy=proxy,
    )


def _causes(exc: BaseException) -> Iterator[BaseException]:
    """``exc`` and the exceptions down its cause (or context) chain."""
    current: BaseException | None = exc
    seen: set[int] = set()
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        yield current
        current = current.__cause__ or current.__context__


def _certificate_failure(exc: BaseException) -> bool:
    """True when the connection failed because the server's certificate was refused.

    Not transient: the same certificate fails the same way on every attempt,
    so retrying only spends quota and time.
    """
    import ssl

    return any(
        isinstance(cause, ssl.SSLCertVerificationError)
        or "CERTIFICATE_VERIFY_FAILED" in str(cause)
        for cause in _causes(exc)
    )


def _detail(exc: BaseException) -> str:
    """The first non-empty message down the exception's cause chain.

    Under trio, httpx's ConnectError/ReadError carry no text; the reason (a
    TLS verification failure, a refused connection) sits a few causes down.
    """
    for cause in _causes(exc):
        text = str(cause)
        if text:
            return text if cause is exc else f"{type(cause).__name__}: {text}"
    return "no detail"


def redact_headers(items: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """Header pairs with the Authorization and session token values hidden."""
    return [
        (k, "<redacted>" if k.lower() in _REDACTED_HEADERS else v) for k, v in items
    ]


async def send_and_read(
    http: httpx.AsyncClient,
    request: httpx.Request,
    *,
    operation: str,
    attempt: int,
    max_attempts: int,
    proxy_of: Callable[[httpx.URL], str | None],
    limit: int,
    keep_open: bool = False,
    owned: bool = False,
) -> tuple[httpx.Response, bytes | None]:
    """Send one signed request and read its whole body (at most ``limit`` bytes).

    ``keep_open``: a success (status < 300) is returned with None for its
    body, which stays unread for a streaming output to consume; an error
    response is read whole as always. ``owned``: ``http`` is the runtime's
    own client, whose read-whole requests go through ``_send_owned``.

    Failures become the runtime's errors: TransportError (or
    RequestTimeoutError) for the network, naming the proxy ``proxy_of`` gives
    for the URL (looked up only then: it reads the environment, about 13 us),
    ResponseParseError for a body that cannot be decoded, ConfigurationError
    when the HTTP client was closed.
    """
    import httpx

    started = time.perf_counter()
    try:
        response, content = await _exchange(
            http, request, started, limit=limit, keep_open=keep_open, owned=owned
        )
    except httpx.DecodingError as exc:
        raise ResponseParseError(
            f"{operation}: response body could not be decoded: {exc}"
        ) from exc
    except httpx.HTTPError as exc:
        _logger.debug(
            "%s attempt %d/%d: %s after %.1f ms",
            operation,
            attempt,
            max_attempts,
            type(exc).__name__,
            (time.perf_counter() - started) * 1000,
        )
        where = display_url(request.url)
        raise transport_error(
            exc, operation, attempt, url=where, proxy=proxy_of(request.url)
        ) from exc
    except RuntimeError as exc:
        error = _runtime_error(exc, http, operation)
        if error is exc:
            raise
        raise error from None
    if _logger.isEnabledFor(logging.DEBUG):
        _log_response(
            request, response, f"{operation} attempt {attempt}/{max_attempts}", started
        )
    return response, content


async def _exchange(
    http: httpx.AsyncClient,
    request: httpx.Request,
    started: float,
    *,
    limit: int,
    keep_open: bool,
    owned: bool,
) -> tuple[httpx.Response, bytes | None]:
    """The response and its body (None: a success kept open), httpx's errors as raised.

    ``started``: when ``send_and_read`` began (``perf_counter``), the start of
    ``response.elapsed`` for a response ``_send_owned`` brought.

    auth=None: the request is signed already, and an injected client's own
    auth must not sign it again. follow_redirects=False whatever the client
    was built with: httpx strips only Authorization on a redirect to another
    host, so the session token (and for 307/308 the body) would follow; a 3xx
    is returned as the service's answer.
    """
    direct = owned and not keep_open
    response = await (
        _send_owned(http, request)
        if direct
        else http.send(request, auth=None, stream=True, follow_redirects=False)
    )
    if keep_open and response.status_code < 300:
        return response, None
    try:
        content = await read_capped(response, limit)
    except BaseException:
        import anyio

        # Release the connection even when the task is being cancelled.
        with anyio.CancelScope(shield=True):
            await response.aclose()
        raise
    if direct:
        response.elapsed = timedelta(seconds=time.perf_counter() - started)
    return response, content


async def _send_owned(
    http: httpx.AsyncClient, request: httpx.Request
) -> httpx.Response:
    """Send through the runtime's own client's transport for the URL (or its proxy).

    ``AsyncClient.send`` wraps the transport in what this client never uses:
    an auth flow (there is none), redirects (never followed), event hooks
    (none), and a cookie jar that stores every response's cookies although
    the runtime's requests never carry any (they are built without the jar;
    botocore sends none either): about 50 us a call with ten headers. What
    ``send`` does that matters is done here: the closed client and the sync
    body are left to ``send`` to refuse, an interceptor's request without
    the timeout extension gets the client's, the response and a transport
    error name their request, and httpx's INFO line is logged as it logs it.
    ``_exchange`` sets ``response.elapsed`` once the body is read.
    """
    import httpx

    # AsyncClient's own choice of transport: its proxy mounts, else its
    # transport. Private to httpx (0.18 to 0.28); without it, send.
    pick = getattr(http, "_transport_for_url", None)
    if (
        pick is None
        or http.is_closed
        or not isinstance(request.stream, httpx.AsyncByteStream)
    ):
        return await http.send(request, auth=None, stream=True, follow_redirects=False)
    if "timeout" not in request.extensions:
        request.extensions = {**request.extensions, "timeout": http.timeout.as_dict()}
    try:
        response: httpx.Response = await pick(request.url).handle_async_request(request)
    except httpx.RequestError as exc:
        exc.request = request
        raise
    response.request = request
    if _httpx_logger.isEnabledFor(logging.INFO):
        _httpx_logger.info(
            'HTTP Request: %s %s "%s %d %s"',
            request.method,
            request.url,
            response.http_version,
            response.status_code,
            response.reason_phrase,
        )
    return response


# What asyncio says when a connection of another (or a closed) loop is used;
# "no running event loop": an asyncio connection or lock used under trio.
_OTHER_LOOP_MESSAGES = (
    "Event loop is closed",
    "attached to a different loop",
    "bound to a different event loop",
    "no running event loop",
)


def _runtime_error(
    exc: RuntimeError, http: httpx.AsyncClient, operation: str
) -> Exception:
    """ConfigurationError for a RuntimeError httpx raised about its lifecycle.

    httpx raises RuntimeError when its client was closed meanwhile; asyncio
    when a pooled connection belongs to another event loop (a user's client
    first used elsewhere, which ``HttpClientForLoop`` cannot see).
    """
    if http.is_closed:
        return ConfigurationError(f"the HTTP client was closed during {operation}")
    if any(message in str(exc) for message in _OTHER_LOOP_MESSAGES):
        return ConfigurationError(
            f"{operation}: the HTTP client's connections belong to another "
            f"event loop ({exc}). " + OTHER_LOOP_FIX
        )
    return exc


def _log_response(
    request: httpx.Request, response: httpx.Response, what: str, started: float
) -> None:
    _logger.debug(
        "%s: HTTP %d in %.1f ms, request id %s, request headers %s",
        what,
        response.status_code,
        (time.perf_counter() - started) * 1000,
        response.headers.get("x-amzn-requestid"),
        redact_headers(request.headers.multi_items()),
    )
