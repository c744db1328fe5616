"""smithy.api#requestCompression: gzip request bodies above a size, for any protocol."""

from __future__ import annotations

from ._errors import ConfigurationError

__all__ = [
    "DEFAULT_MIN_COMPRESSION_SIZE",
    "MAX_MIN_COMPRESSION_SIZE",
    "compress_body",
    "compression_threshold",
]

# smithy.api#requestCompression: bodies below this size go uncompressed
# (the AWS SDKs' request_min_compression_size_bytes default and upper bound).
DEFAULT_MIN_COMPRESSION_SIZE = 10240
MAX_MIN_COMPRESSION_SIZE = 10_485_760


def compression_threshold() -> int | None:
    """The minimum body size to compress, from the environment; None when disabled.

    AWS_DISABLE_REQUEST_COMPRESSION=true turns compression off;
    AWS_REQUEST_MIN_COMPRESSION_SIZE_BYTES (0 to 10485760) sets the size.
    """
    import os

    if os.environ.get("AWS_DISABLE_REQUEST_COMPRESSION", "").lower() == "true":
        return None
    raw = os.environ.get("AWS_REQUEST_MIN_COMPRESSION_SIZE_BYTES")
    if raw is None:
        return DEFAULT_MIN_COMPRESSION_SIZE
    try:
        value = int(raw)
    except ValueError:
        value = -1
    if not 0 <= value <= MAX_MIN_COMPRESSION_SIZE:
        raise ConfigurationError(
            "AWS_REQUEST_MIN_COMPRESSION_SIZE_BYTES must be an integer from 0 to "
            f"{MAX_MIN_COMPRESSION_SIZE}, got {raw!r}"
        )
    return value


def compress_body(
    body: bytes, encodings: tuple[str, ...], threshold: int | None
) -> tuple[bytes, str | None]:
    """Gzip ``body`` when the operation allows gzip and it is large enough.

    Returns the body to send and its Content-Encoding (None: sent as is).
    """
    if threshold is None or len(body) < threshold or "gzip" not in encodings:
        return body, None
    import gzip

    # mtime=0: the same input always gives the same bytes (and signature).
    return gzip.compress(body, mtime=0), "gzip"
