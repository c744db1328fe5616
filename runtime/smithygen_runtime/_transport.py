"""The HTTP side of the client: httpx set-up, reading bodies, mapping failures."""

from __future__ import annotations

import contextlib
import threading
import zlib
from collections.abc import Callable
from typing import TYPE_CHECKING

from ._errors import RequestTimeoutError, ResponseParseError, TransportError

if TYPE_CHECKING:
    import ssl

    import httpx

__all__ = [
    "read_capped",
    "redact_headers",
    "run_in_worker_thread",
    "tls_context",
    "transport_error",
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
    for name in (
        f"anyio._backends._{library}",
        f"httpcore._backends.{library}",
        "httpcore._backends.anyio",
    ):
        with contextlib.suppress(ImportError):
            importlib.import_module(name)


_ssl_context: ssl.SSLContext | None = None


def tls_context(scheme: str, verify: bool | ssl.SSLContext) -> ssl.SSLContext | bool:
    """The TLS settings for the owned httpx client.

    Loading the CA bundle takes tens of milliseconds, so every client that
    verifies with the default bundle shares one context (never mutated after
    creation). A plain-http endpoint never does TLS: it gets a verifying
    context on the system store, which loads nothing until used.
    """
    global _ssl_context
    if verify is not True:
        return verify
    if scheme == "http":
        import ssl

        return ssl.create_default_context()
    if _ssl_context is None:
        import httpx

        _ssl_context = httpx.create_ssl_context()
    return _ssl_context


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


def transport_error(exc: Exception, operation: str, attempt: int) -> TransportError:
    """The runtime's error for an httpx failure, marked retryable or not."""
    import httpx

    what = f"{operation} attempt {attempt}"
    if isinstance(exc, httpx.PoolTimeout):
        return RequestTimeoutError(
            f"{what}: no free connection within the pool timeout"
        )
    if isinstance(exc, httpx.TimeoutException):
        phase = {
            httpx.ConnectTimeout: "connect",
            httpx.ReadTimeout: "read",
            httpx.WriteTimeout: "write",
        }.get(type(exc), "")
        return RequestTimeoutError(
            f"{what}: {phase} timeout".replace(":  ", ": "), retryable=True
        )
    retryable = isinstance(
        exc,
        httpx.ConnectError
        | httpx.ReadError
        | httpx.WriteError
        | httpx.RemoteProtocolError,
    )
    return TransportError(
        f"{what}: {type(exc).__name__}: {_detail(exc)}", retryable=retryable
    )


def _detail(exc: BaseException) -> str:
    """The first non-empty message down the exception's cause chain.

    Under trio, httpx's ConnectError/ReadError carry no text; the reason (a
    TLS verification failure, a refused connection) sits a few causes down.
    """
    current: BaseException | None = exc
    seen: set[int] = set()
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        text = str(current)
        if text:
            return text if current is exc else f"{type(current).__name__}: {text}"
        current = current.__cause__ or current.__context__
    return "no detail"


def redact_headers(items: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """Header pairs with the Authorization and session token values hidden."""
    return [
        (k, "<redacted>" if k.lower() in _REDACTED_HEADERS else v) for k, v in items
    ]
