"""Streaming blobs (smithy.api#streaming on a blob): request bodies and response streams.

A streaming input is sent as it is read, never joined in memory: bytes, a
binary file object (read in a worker thread, so the event loop never waits
on the disk) or an async iterable of bytes. A streaming output is a
``ByteStream`` over the HTTP response, read chunk by chunk; closing it, or
reading it to the end, returns the connection to the pool.

Signing follows botocore's SigV4Auth.payload: the payload is hashed (a
file is read once for it, then rewound) unless the operation allows an
unsigned payload (aws.auth#unsignedPayload, botocore's ``v4-unsigned-body``)
and the request goes over https, when ``UNSIGNED-PAYLOAD`` is signed instead.
"""

from __future__ import annotations

import abc
import hashlib
from collections.abc import AsyncIterable, AsyncIterator, Callable, Iterator
from datetime import datetime
from typing import IO, TYPE_CHECKING, Any

import attrs

from ._errors import TransportError, ValidationError

if TYPE_CHECKING:
    import types

    import httpx

    from ._credentials import Credentials
    from ._signing import SigV4Signer

__all__ = [
    "STREAM_EXTENSION",
    "UNSIGNED_PAYLOAD",
    "BlobBody",
    "ByteStream",
    "StreamingBlob",
    "StreamingBody",
    "blob_body",
]

StreamingBlob = bytes | bytearray | memoryview | IO[bytes] | AsyncIterable[bytes]
"""What a streaming blob input accepts."""

UNSIGNED_PAYLOAD = "UNSIGNED-PAYLOAD"

# The httpx request extension carrying a streaming body: the pipeline signs
# with its payload hash and re-opens it for a retry.
STREAM_EXTENSION = "smithygen.streaming_body"

# Read size for files and for hashing them (botocore hashes in 1 MiB reads).
CHUNK_SIZE = 64 * 1024


@attrs.frozen(kw_only=True)
class RequestSignature:
    """The request's signature, and what chaining event signatures from it needs."""

    signer: SigV4Signer
    credentials: Credentials
    signature: str
    now: Callable[[], datetime]


class StreamingBody(abc.ABC):
    """A request body sent as a stream: what the pipeline needs of it.

    ``open`` gives the chunks of one attempt; ``replayable`` says whether a
    second attempt can send them again; ``payload_hash`` is what SigV4
    signs for the body; ``signed`` hands over the request's signature (an
    event stream chains its events' signatures from it).
    """

    length: int | None = None
    replayable: bool = False
    headers: dict[str, str] = {}  # noqa: RUF012 - read only

    @property
    def in_memory(self) -> bytes | None:
        """The whole body when it is held in memory already (else None)."""
        return None

    @abc.abstractmethod
    async def payload_hash(self, *, unsigned_allowed: bool) -> str:
        """The hex SHA-256 of the payload, or a SigV4 placeholder string."""

    def signed(self, result: RequestSignature) -> None:  # noqa: B027 - optional hook
        """Called with the request's signature, before the body is sent."""

    @abc.abstractmethod
    def open(self) -> AsyncIterator[bytes]:
        """The body's chunks for one attempt."""


class BlobBody(StreamingBody):
    """A streaming blob input: bytes, a binary file or an async iterable of bytes."""

    def __init__(self, source: StreamingBlob, member: str = "body") -> None:
        self._member = member
        self._hash: str | None = None
        self._bytes: bytes | None = None
        self._file: IO[bytes] | None = None
        self._iterable: AsyncIterable[bytes] | None = None
        self._start = 0
        if isinstance(source, bytes | bytearray | memoryview):
            self._bytes = bytes(source)
            self.length, self.replayable = len(self._bytes), True
        elif callable(getattr(source, "read", None)):
            self._file = source  # type: ignore[assignment]
            self._init_file()
        elif isinstance(source, AsyncIterable):
            self._iterable = source
        else:
            raise ValidationError(
                member,
                "type",
                "a streaming blob is bytes, a binary file object or an async "
                f"iterable of bytes, not {type(source).__name__}",
            )

    @property
    def in_memory(self) -> bytes | None:
        """The whole body when it was given as bytes (None for a file or stream)."""
        return self._bytes

    @property
    def member(self) -> str:
        """The input member the body is (for error messages)."""
        return self._member

    def file_reader(self) -> Callable[[], Iterator[bytes]] | None:
        """For a seekable file: a blocking reader of its chunks (rewound after); else None.

        What a checksum of the whole body is computed from before it is sent.
        """
        if self._file is None or not self.replayable:
            return None
        return self._file_chunks

    def _file_chunks(self) -> Iterator[bytes]:
        file = self._file
        assert file is not None
        file.seek(self._start)
        try:
            while chunk := file.read(CHUNK_SIZE):
                yield chunk
        finally:
            file.seek(self._start)

    def _init_file(self) -> None:
        """A seekable file can be hashed and resent: remember where it starts."""
        file = self._file
        assert file is not None
        try:
            seekable = bool(file.seekable())
        except (AttributeError, OSError, ValueError):
            seekable = False
        if not seekable:
            return
        self._start = file.tell()
        end = file.seek(0, 2)
        file.seek(self._start)
        self.length, self.replayable = end - self._start, True

    async def payload_hash(self, *, unsigned_allowed: bool) -> str:
        if unsigned_allowed:
            return UNSIGNED_PAYLOAD
        if self._hash is None:
            self._hash = await self._compute_hash()
        return self._hash

    async def _compute_hash(self) -> str:
        if self._bytes is not None:
            return hashlib.sha256(self._bytes).hexdigest()
        if self._file is not None and self.replayable:
            import anyio.to_thread

            return await anyio.to_thread.run_sync(self._hash_file)
        raise ValidationError(
            self._member,
            "type",
            "this request's payload must be signed with its SHA-256, which a "
            "one-pass stream cannot give before it is sent: pass bytes or a "
            "seekable binary file",
        )

    def _hash_file(self) -> str:
        """SHA-256 of the file from its start position, which it is rewound to."""
        file = self._file
        assert file is not None
        digest = hashlib.sha256()
        file.seek(self._start)
        while chunk := file.read(CHUNK_SIZE):
            digest.update(chunk)
        file.seek(self._start)
        return digest.hexdigest()

    def open(self) -> AsyncIterator[bytes]:
        if self._bytes is not None:
            return _single(self._bytes)
        if self._file is not None:
            return self._read_file()
        assert self._iterable is not None
        return self._checked_chunks(self._iterable)

    async def _read_file(self) -> AsyncIterator[bytes]:
        import anyio.to_thread

        file = self._file
        assert file is not None
        if self.replayable:
            await anyio.to_thread.run_sync(file.seek, self._start)
        while chunk := await anyio.to_thread.run_sync(file.read, CHUNK_SIZE):
            yield self._check_chunk(chunk)

    async def _checked_chunks(
        self, iterable: AsyncIterable[bytes]
    ) -> AsyncIterator[bytes]:
        async for chunk in iterable:
            yield self._check_chunk(chunk)

    def _check_chunk(self, chunk: object) -> bytes:
        if isinstance(chunk, bytes | bytearray | memoryview):
            return bytes(chunk)
        raise ValidationError(
            self._member,
            "type",
            f"a streaming blob's chunks must be bytes, not {type(chunk).__name__}",
        )


async def _single(data: bytes) -> AsyncIterator[bytes]:
    if data:
        yield data


def blob_body(value: StreamingBlob | BlobBody, member: str = "body") -> BlobBody:
    """``value`` as a BlobBody (a ValidationError when it is none of the accepted kinds)."""
    return value if isinstance(value, BlobBody) else BlobBody(value, member)


class ByteStream:
    """A streaming response body, read as it arrives and never held whole.

    Iterate it (``async for chunk in stream``), ``read()`` it (all of it, or
    up to ``size`` bytes), and close it (``aclose()``, or ``async with``):
    the connection goes back to the pool when the stream is closed or read
    to its end. Network failures while reading are ``TransportError``.
    """

    def __init__(self, response: httpx.Response, *, operation: str = "") -> None:
        self._response = response
        self._operation = operation
        self._chunks: AsyncIterator[bytes] | None = None
        self._pending = b""
        self._ended = False

    def __repr__(self) -> str:
        state = "closed" if self.closed else "open"
        return f"<ByteStream {state}, content_length={self.content_length}>"

    @property
    def content_length(self) -> int | None:
        """The length the response declared, if it did."""
        declared = self._response.headers.get("content-length", "")
        return int(declared) if declared.isdigit() else None

    @property
    def content_type(self) -> str | None:
        found: str | None = self._response.headers.get("content-type")
        return found

    @property
    def checksum_algorithm(self) -> str | None:
        """The response checksum checked as the body is read ("crc32"...), if any.

        aws.protocols#httpChecksum: the service sent the checksum and the
        client asked for it (response_checksum_validation); a mismatch
        raises FlexibleChecksumError when the end of the body is read.
        """
        found: str | None = getattr(self._response.stream, "checksum_algorithm", None)
        return found

    @property
    def closed(self) -> bool:
        """Whether the response is closed (read to its end, or closed early)."""
        return bool(self._response.is_closed)

    async def __aenter__(self) -> ByteStream:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: types.TracebackType | None,
    ) -> None:
        await self.aclose()

    def __aiter__(self) -> AsyncIterator[bytes]:
        return self.iter_chunks()

    async def iter_chunks(self) -> AsyncIterator[bytes]:
        """The body's chunks as they arrive (closing the stream if iteration fails)."""
        if self._pending:
            pending, self._pending = self._pending, b""
            yield pending
        while (chunk := await self._next_chunk()) is not None:
            yield chunk

    async def read(self, size: int = -1) -> bytes:
        """Up to ``size`` bytes (all that is left when negative); b"" at the end."""
        if size < 0:
            parts = [self._pending]
            self._pending = b""
            while (chunk := await self._next_chunk()) is not None:
                parts.append(chunk)
            return b"".join(parts)
        while len(self._pending) < size:
            chunk = await self._next_chunk()
            if chunk is None:
                break
            self._pending += chunk
        data, self._pending = self._pending[:size], self._pending[size:]
        return data

    async def _next_chunk(self) -> bytes | None:
        """The next non-empty chunk, or None at the end (the response is then closed)."""
        if self._ended:
            return None
        if self._chunks is None:
            self._chunks = self._response.aiter_bytes()
        try:
            while True:
                chunk = await self._chunks.__anext__()
                if chunk:
                    return chunk
        except StopAsyncIteration:
            self._ended = True
            return None
        except BaseException as exc:
            await self.aclose()
            raise self._read_error(exc) from exc

    def _read_error(self, exc: BaseException) -> BaseException:
        import httpx

        if isinstance(exc, httpx.HTTPError):
            from ._transport import display_url, transport_error

            url = display_url(self._response.request.url)
            error: TransportError = transport_error(
                exc, f"{self._operation or 'response'} body", 1, url=url
            )
            error.retryable = False  # part of the body was handed over already
            return error
        return exc

    async def aclose(self) -> None:
        """Close the response (idempotent): its connection returns to the pool."""
        self._ended = True
        await close_response(self._response)


async def close_response(response: Any) -> None:
    """Close an httpx response, even while the calling task is being cancelled."""
    import anyio

    with anyio.CancelScope(shield=True):
        await response.aclose()
