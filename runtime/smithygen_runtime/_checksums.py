"""Request and response checksums: aws.protocols#httpChecksum and httpChecksumRequired.

Spec: aws_aws-core.rst (``aws.protocols#httpChecksum``, "Client behavior")
and http-bindings.rst (``httpChecksumRequired``); behaviour as botocore's
(httpchecksum.py, handlers.py) wherever the two agree:

* Requests. An operation whose input names an algorithm
  (``requestAlgorithmMember``, S3's ``ChecksumAlgorithm``) gets that
  checksum; with none named it gets CRC32 when the operation requires a
  checksum or ``request_checksum_calculation`` is ``when_supported`` (the
  default), and the algorithm member's header says "CRC32". The checksum
  goes in ``x-amz-checksum-<algorithm>`` (base64), or, for a streamed body
  sent over https, in the trailer of an ``aws-chunked`` body (signed as
  ``STREAMING-UNSIGNED-PAYLOAD-TRAILER``), since a stream cannot be hashed
  before it is sent. A caller's own ``x-amz-checksum-*`` header wins.
* An operation that requires a checksum without naming an algorithm member
  (``httpChecksumRequired`` alone) gets ``Content-MD5``, as the Smithy spec
  says; botocore >= 1.36 sends CRC32 there instead (only S3 Control's
  operations are concerned among AWS's models).
* Responses. With ``response_checksum_validation`` ``when_supported`` (the
  default) the ``requestValidationModeMember`` header is sent as
  "ENABLED"; when it is set, the first of the trait's ``responseAlgorithms``
  (in botocore's order of preference) whose header the response carries is
  checked: a whole body at once, a streamed one as it is read, with
  ``FlexibleChecksumError`` at its end on a mismatch. Checksums of
  multipart objects (``...-N``) are checksums of checksums: skipped.

CRC32, SHA1, SHA256 and SHA512 come from the standard library; CRC32C,
CRC64NVME and the XXHASH family need ``awscrt`` (the AWS Common Runtime, as
botocore needs it), installed with ``pip install 'smithygen-runtime[crt]'``;
without it they are refused with a ConfigurationError naming the algorithm.
"""

from __future__ import annotations

import base64
import functools
import hashlib
import re
import zlib
from collections.abc import AsyncIterator, Iterable, Mapping, MutableMapping
from typing import TYPE_CHECKING, Any, Protocol

import attrs
import httpx

from ._errors import ConfigurationError, FlexibleChecksumError, ValidationError
from ._streaming import BlobBody, StreamingBody

if TYPE_CHECKING:
    from ._settings import ClientSettings
    from ._specs import OperationSpec

__all__ = [
    "STREAMING_UNSIGNED_PAYLOAD_TRAILER",
    "AwsChunkedBody",
    "add_request_checksum",
    "new_checksum",
    "response_algorithms",
    "supported_algorithms",
    "validate_body",
    "validating_stream",
]

DEFAULT_ALGORITHM = "crc32"
STREAMING_UNSIGNED_PAYLOAD_TRAILER = "STREAMING-UNSIGNED-PAYLOAD-TRAILER"
# The preference among the response checksums a service may send (botocore's).
PRIORITY = (
    "xxhash128",
    "xxhash3",
    "crc64nvme",
    "xxhash64",
    "crc32c",
    "crc32",
    "sha1",
    "sha256",
    "sha512",
)
_CRT_ALGORITHMS = ("crc32c", "crc64nvme", "xxhash64", "xxhash3", "xxhash128")
# A checksum header the caller set (botocore's CHECKSUM_HEADER_PATTERN).
_CHECKSUM_HEADER = re.compile(r"^x-amz-checksum-[a-z0-9]*$", re.IGNORECASE)
# aws-chunked chunks as botocore frames them: 1 MiB of the body each (S3
# wants every chunk but the last to be 8 KiB at least).
AWS_CHUNK_SIZE = 1024 * 1024


class Checksum(Protocol):
    """A running checksum: fed chunk by chunk, then digested."""

    def update(self, data: bytes) -> None: ...

    def digest(self) -> bytes: ...


class _Crc(Checksum):
    """A CRC kept as an integer: zlib's CRC32, or one of awscrt's."""

    def __init__(self, function: Any, size: int) -> None:
        self._function = function
        self._size = size
        self._value = 0

    def update(self, data: bytes) -> None:
        self._value = self._function(data, self._value) & ((1 << 8 * self._size) - 1)

    def digest(self) -> bytes:
        return self._value.to_bytes(self._size, "big")


class _XxHash(Checksum):
    def __init__(self, hasher: Any) -> None:
        self._hasher = hasher

    def update(self, data: bytes) -> None:
        self._hasher.update(data)

    def digest(self) -> bytes:
        return bytes(self._hasher.finalize())


@functools.cache
def _crt_checksums() -> Any:
    """awscrt's checksums module, or None when awscrt is not installed.

    Looked up once: a missing module would be searched for on sys.path
    again at every response whose checksums are listed.
    """
    try:
        from awscrt import checksums  # type: ignore[import-not-found,unused-ignore]
    except ImportError:
        return None
    return checksums


def _crt_checksum(algorithm: str) -> Checksum | None:
    crt = _crt_checksums()
    if crt is None:
        return None
    if algorithm == "crc32c":
        return _Crc(crt.crc32c, 4)
    if algorithm == "crc64nvme" and hasattr(crt, "crc64nvme"):  # awscrt >= 0.23.4
        return _Crc(crt.crc64nvme, 8)
    xxhash = getattr(crt, "XXHash", None)  # awscrt >= 0.31.2
    if xxhash is not None:
        factory = {
            "xxhash64": "new_xxhash64",
            "xxhash3": "new_xxhash3_64",
            "xxhash128": "new_xxhash3_128",
        }.get(algorithm)
        if factory is not None:
            return _XxHash(getattr(xxhash, factory)())
    return None


def new_checksum(algorithm: str) -> Checksum:
    """A fresh checksum of ``algorithm`` (lower case, as in the header name).

    ConfigurationError for an algorithm that needs awscrt when it is not
    installed; ValueError for one no library here computes.
    """
    if algorithm == "crc32":
        return _Crc(zlib.crc32, 4)
    if algorithm in ("sha1", "sha256", "sha512"):
        return hashlib.new(algorithm)
    if algorithm in _CRT_ALGORITHMS:
        found = _crt_checksum(algorithm)
        if found is None:
            raise ConfigurationError(
                f"the {algorithm.upper()} checksum needs the AWS Common Runtime: "
                "pip install 'smithygen-runtime[crt]' (or awscrt >= 0.31.2), "
                "or choose CRC32, SHA1 or SHA256"
            )
        return found
    raise ValueError(algorithm)


@functools.cache
def supported_algorithms() -> tuple[str, ...]:
    """The algorithms this installation computes, in ``PRIORITY`` order."""
    found = []
    for algorithm in PRIORITY:
        try:
            new_checksum(algorithm)
        except (ConfigurationError, ValueError):
            continue
        found.append(algorithm)
    return tuple(found)


def b64_digest(algorithm: str, chunks: Iterable[bytes]) -> str:
    checksum = new_checksum(algorithm)
    for chunk in chunks:
        checksum.update(chunk)
    return base64.b64encode(checksum.digest()).decode("ascii")


# --- requests --------------------------------------------------------------------


@attrs.frozen
class _Plan:
    """The checksum one request gets: ``algorithm`` "md5" means Content-MD5."""

    algorithm: str
    trailer: bool = False


def _has_header(headers: Mapping[str, str], name: str) -> bool:
    wanted = name.lower()
    return any(key.lower() == wanted for key in headers)


def _caller_checksum(headers: Mapping[str, str]) -> bool:
    return any(_CHECKSUM_HEADER.match(name) for name in headers)


def _plan(
    operation: OperationSpec[Any, Any],
    document: Mapping[str, Any],
    headers: MutableMapping[str, str],
    settings: ClientSettings,
    *,
    streamed: bool,
    https: bool,
) -> _Plan | None:
    """Which checksum the request carries (None: none), as botocore decides."""
    if _caller_checksum(headers):
        return None
    spec = operation.checksum
    required = operation.checksum_required or (
        spec is not None and spec.request_required
    )
    key = spec.algorithm_key if spec is not None else None
    chosen = document.get(key) if key is not None else None
    if chosen is not None:
        algorithm = _chosen_algorithm(str(chosen), key or "")
    elif key is None:
        # httpChecksumRequired without an algorithm member: the spec's MD5.
        return _Plan("md5") if required else None
    elif required or settings.request_checksum_calculation == "when_supported":
        algorithm = DEFAULT_ALGORITHM
        assert spec is not None
        if spec.algorithm_header is not None:
            headers[spec.algorithm_header] = algorithm.upper()
    else:
        return None
    # A stream cannot be hashed before it is sent: over https its checksum
    # follows it (botocore's choice; over http the payload is signed anyway,
    # so the body is read up front for its SHA-256 and its checksum alike).
    return _Plan(algorithm, trailer=streamed and https)


def _chosen_algorithm(value: str, key: str) -> str:
    algorithm = value.lower()
    try:
        new_checksum(algorithm)
    except ValueError:
        raise ValidationError(
            key,
            "enum",
            f"unsupported checksum algorithm {value[:40]!r}: this runtime "
            "computes CRC32, SHA1, SHA256 and SHA512 (CRC32C, CRC64NVME and "
            "XXHASH64/3/128 with awscrt installed)",
        ) from None
    return algorithm


async def add_request_checksum(
    operation: OperationSpec[Any, Any],
    document: Mapping[str, Any],
    headers: dict[str, str],
    body: bytes | StreamingBody,
    settings: ClientSettings,
    *,
    https: bool,
) -> bytes | StreamingBody:
    """Add the request's checksum headers; the body to send (aws-chunked for a trailer).

    ``headers`` is changed in place. Also sends the validation mode header
    (``x-amz-checksum-mode: ENABLED``) that asks for a response checksum.
    """
    _ask_for_response_checksum(operation, headers, settings)
    streamed = isinstance(body, BlobBody)
    plan = _plan(operation, document, headers, settings, streamed=streamed, https=https)
    if plan is None or (isinstance(body, StreamingBody) and not streamed):
        return body  # an event stream's events carry their own checksums
    if plan.trailer:
        assert isinstance(body, BlobBody)
        return _chunked_with_trailer(body, plan.algorithm, headers)
    if plan.algorithm == "md5":
        if not _has_header(headers, "content-md5"):
            headers["Content-MD5"] = await _body_digest(body, "md5")
        return body
    headers[f"x-amz-checksum-{plan.algorithm}"] = await _body_digest(
        body, plan.algorithm
    )
    return body


def content_md5(body: bytes) -> str:
    """The Content-MD5 header of ``body`` (httpChecksumRequired), base64."""
    digest = hashlib.md5(body, usedforsecurity=False).digest()
    return base64.b64encode(digest).decode("ascii")


async def _body_digest(body: bytes | StreamingBody, algorithm: str) -> str:
    """The base64 checksum of a whole body (a file is read in a worker thread)."""
    if isinstance(body, bytes | bytearray | memoryview):
        return _digest_bytes(bytes(body), algorithm)
    in_memory = body.in_memory
    if in_memory is not None:
        return _digest_bytes(in_memory, algorithm)
    assert isinstance(body, BlobBody)
    read = body.file_reader()
    if read is None:
        raise ValidationError(
            body.member,
            "type",
            f"this request needs the {algorithm.upper()} checksum of its body "
            "before it is sent, which a one-pass stream cannot give: pass bytes "
            "or a seekable binary file",
        )
    import anyio.to_thread

    return await anyio.to_thread.run_sync(b64_digest_of, algorithm, read)


def _digest_bytes(data: bytes, algorithm: str) -> str:
    if algorithm == "md5":
        return content_md5(data)
    return b64_digest(algorithm, (data,))


def b64_digest_of(algorithm: str, read: Any) -> str:
    """``algorithm``'s base64 checksum of what ``read()`` yields (a file, rewound after)."""
    if algorithm == "md5":
        digest = hashlib.md5(usedforsecurity=False)
        for chunk in read():
            digest.update(chunk)
        return base64.b64encode(digest.digest()).decode("ascii")
    return b64_digest(algorithm, read())


def _chunked_with_trailer(
    body: BlobBody, algorithm: str, headers: dict[str, str]
) -> AwsChunkedBody:
    """The body framed as aws-chunked with its checksum in the trailer, and its headers.

    As botocore: ``Content-Encoding`` gains ``aws-chunked`` (after the
    caller's own encoding), ``X-Amz-Trailer`` names the checksum header,
    ``X-Amz-Decoded-Content-Length`` gives the body's length when known (the
    body's, else a Content-Length the caller set) and Content-Length goes
    (the framed length is not known before it is sent: chunked transfer).
    """
    name = f"x-amz-checksum-{algorithm}"
    length = body.length
    for key in [k for k in headers if k.lower() == "content-length"]:
        given = headers.pop(key)
        if length is None and given.isdigit():
            length = int(given)
    encoding = next((k for k in headers if k.lower() == "content-encoding"), None)
    if encoding is None:
        headers["Content-Encoding"] = "aws-chunked"
    else:
        headers[encoding] += ",aws-chunked"
    headers["X-Amz-Trailer"] = name
    if length is not None:
        headers["X-Amz-Decoded-Content-Length"] = str(length)
    return AwsChunkedBody(body, algorithm, name)


class AwsChunkedBody(StreamingBody):
    """A streamed body as ``aws-chunked`` frames, its checksum in the trailer.

    Each frame is ``<hex size>\\r\\n<bytes>\\r\\n`` of 1 MiB of the body (the
    last one shorter), then ``0\\r\\n<header>:<base64 checksum>\\r\\n\\r\\n``
    (S3's "unsigned payload with trailer": signed as
    STREAMING-UNSIGNED-PAYLOAD-TRAILER, sent over https only).
    """

    def __init__(self, inner: BlobBody, algorithm: str, header: str) -> None:
        new_checksum(algorithm)  # refused now, not half-way through the body
        self._inner = inner
        self._algorithm = algorithm
        self._header = header.encode("ascii")
        self.replayable = inner.replayable
        self.length = None

    async def payload_hash(self, *, unsigned_allowed: bool) -> str:
        return STREAMING_UNSIGNED_PAYLOAD_TRAILER

    def open(self) -> AsyncIterator[bytes]:
        return self._frames(self._inner.open())

    async def _frames(self, chunks: AsyncIterator[bytes]) -> AsyncIterator[bytes]:
        checksum = new_checksum(self._algorithm)
        pending = bytearray()
        async for chunk in chunks:
            pending += chunk
            while len(pending) >= AWS_CHUNK_SIZE:
                piece = bytes(pending[:AWS_CHUNK_SIZE])
                del pending[:AWS_CHUNK_SIZE]
                checksum.update(piece)
                yield _frame(piece)
        if pending:
            checksum.update(bytes(pending))
            yield _frame(bytes(pending))
        value = base64.b64encode(checksum.digest())
        yield b"0\r\n" + self._header + b":" + value + b"\r\n\r\n"


def _frame(data: bytes) -> bytes:
    return b"%x\r\n%s\r\n" % (len(data), data)


# --- responses -------------------------------------------------------------------


def _ask_for_response_checksum(
    operation: OperationSpec[Any, Any],
    headers: dict[str, str],
    settings: ClientSettings,
) -> None:
    """Send the validation mode member as "ENABLED" unless the caller set it."""
    spec = operation.checksum
    if (
        spec is None
        or spec.mode_header is None
        or settings.response_checksum_validation != "when_supported"
        or _has_header(headers, spec.mode_header)
    ):
        return
    headers[spec.mode_header] = "ENABLED"


def response_algorithms(
    operation: OperationSpec[Any, Any], request_headers: Mapping[str, str]
) -> tuple[str, ...]:
    """The response checksums to look for, best first (() when none is checked).

    A response is checked when its request carried the validation mode
    header (botocore: whenever the mode member was set, whatever its value).
    """
    spec = operation.checksum
    if spec is None or spec.mode_header is None or not spec.response_algorithms:
        return ()
    if request_headers.get(spec.mode_header) is None:
        return ()
    offered = set(spec.response_algorithms)
    return tuple(a for a in supported_algorithms() if a in offered)


def _expected(
    algorithms: tuple[str, ...], headers: Mapping[str, str]
) -> tuple[str, str] | None:
    """(algorithm, its header's value) of the first checksum to check, if any."""
    for algorithm in algorithms:
        value = headers.get(f"x-amz-checksum-{algorithm}")
        # "...-3": a checksum of the parts' checksums (S3 multipart objects),
        # not of the bytes received.
        if value is None or "-" in value:
            continue
        return algorithm, value
    return None


def _mismatch(
    algorithm: str,
    expected: str,
    checksum: Checksum,
    status: int,
    request_id: str | None,
) -> FlexibleChecksumError | None:
    actual = base64.b64encode(checksum.digest()).decode("ascii")
    try:
        equal = base64.b64decode(expected, validate=True) == checksum.digest()
    except ValueError:
        equal = False
    if equal:
        return None
    return FlexibleChecksumError(
        f"Expected checksum {expected[:64]} did not match calculated checksum: "
        f"{actual} (x-amz-checksum-{algorithm}): the response body was corrupted",
        algorithm=algorithm,
        expected=expected,
        actual=actual,
        status_code=status,
        request_id=request_id,
    )


def validate_body(
    algorithms: tuple[str, ...],
    headers: Mapping[str, str],
    content: bytes,
    *,
    status: int,
    request_id: str | None,
) -> str | None:
    """Check a whole body against its checksum header: the algorithm checked, if any.

    FlexibleChecksumError on a mismatch.
    """
    found = _expected(algorithms, headers)
    if found is None:
        return None
    algorithm, expected = found
    checksum = new_checksum(algorithm)
    checksum.update(content)
    error = _mismatch(algorithm, expected, checksum, status, request_id)
    if error is not None:
        raise error
    return algorithm


def validating_stream(
    algorithms: tuple[str, ...], response: httpx.Response, request_id: str | None
) -> str | None:
    """Have ``response``'s unread body checked as it is read: the algorithm, if any.

    The response's raw byte stream is wrapped (the bytes on the wire, before
    any Content-Encoding is undone: what S3 computed its checksum over); the
    whole body is never held.
    """
    found = _expected(algorithms, response.headers)
    if found is None:
        return None
    algorithm, expected = found
    response.stream = _ValidatingStream(
        response.stream,
        algorithm,
        expected,
        status=response.status_code,
        request_id=request_id,
    )
    return algorithm


class _ValidatingStream(httpx.AsyncByteStream):
    """An httpx async byte stream that checks its bytes' checksum at its end."""

    def __init__(
        self,
        inner: httpx.SyncByteStream | httpx.AsyncByteStream,
        algorithm: str,
        expected: str,
        *,
        status: int,
        request_id: str | None,
    ) -> None:
        self._inner = inner
        self.checksum_algorithm = algorithm
        self._expected = expected
        self._status = status
        self._request_id = request_id

    async def __aiter__(self) -> AsyncIterator[bytes]:
        checksum = new_checksum(self.checksum_algorithm)
        assert isinstance(self._inner, httpx.AsyncByteStream)
        async for chunk in self._inner:
            checksum.update(chunk)
            yield chunk
        error = _mismatch(
            self.checksum_algorithm,
            self._expected,
            checksum,
            self._status,
            self._request_id,
        )
        if error is not None:
            raise error

    async def aclose(self) -> None:
        assert isinstance(self._inner, httpx.AsyncByteStream)
        await self._inner.aclose()
