"""Wire conversions shared by generated serializers: timestamps, floats, blobs, tokens."""

from __future__ import annotations

import base64
import binascii
import math
import uuid
from datetime import UTC, datetime
from typing import Any, Literal

__all__ = [
    "new_idempotency_token",
    "parse_blob",
    "parse_float",
    "parse_timestamp",
    "parse_timestamp_epoch",
    "serialize_blob",
    "serialize_float",
    "serialize_timestamp",
    "serialize_timestamp_epoch",
]

TimestampFormat = Literal["epoch-seconds", "date-time", "http-date"]

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_NON_FINITE = {"NaN": math.nan, "Infinity": math.inf, "-Infinity": -math.inf}


def _as_utc(dt: datetime) -> datetime:
    # A naive datetime is read as UTC: the wire formats are all UTC and the
    # local time zone of the caller's machine is never what a service means.
    if dt.tzinfo is None:
        return dt.replace(tzinfo=UTC)
    return dt.astimezone(UTC)


def serialize_timestamp_epoch(dt: datetime) -> int | float:
    """Epoch seconds of ``dt``: an int when whole, else a float (microsecond precision)."""
    delta = _as_utc(dt) - _EPOCH
    whole = delta.days * 86400 + delta.seconds
    if delta.microseconds == 0:
        return whole
    return whole + delta.microseconds / 1_000_000


def parse_timestamp_epoch(value: Any) -> datetime:
    """Read epoch seconds (int or fractional number) as a tz-aware UTC datetime."""
    # Exact type checks: bool is an int subclass and must be refused; this
    # runs for every timestamp of every response, so it stays minimal.
    cls = value.__class__
    if cls is not int and cls is not float:
        raise ValueError(f"expected epoch seconds as a number, got {cls.__name__}")
    try:
        # C-speed conversion; floats round to the nearest microsecond. NaN
        # and infinities raise ValueError / OverflowError here.
        return datetime.fromtimestamp(value, UTC)
    except (OverflowError, OSError, ValueError):
        raise ValueError(
            f"epoch seconds must be a finite, in-range number: {value}"
        ) from None


def _parse_date_time(value: str) -> datetime:
    # RFC 3339 (Smithy date-time): a 'T' or 't' separator, 'Z'/'z' or a
    # numeric offset, any number of fractional digits.
    text = value.strip()
    if len(text) < 20 or text[10] not in "Tt":
        raise ValueError(f"not an RFC 3339 date-time: {value!r}")
    text = text[:10] + "T" + text[11:]
    if text[-1] in "Zz":
        text = text[:-1] + "+00:00"
    dot = text.find(".", 19)
    if dot != -1:
        end = dot + 1
        while end < len(text) and text[end].isdigit():
            end += 1
        digits = text[dot + 1 : end]
        if not digits:
            raise ValueError(f"not an RFC 3339 date-time: {value!r}")
        # fromisoformat accepts at most 6 fractional digits; finer precision
        # than a microsecond cannot be represented, so it is truncated.
        text = text[: dot + 1] + digits[:6].ljust(6, "0") + text[end:]
    try:
        parsed = datetime.fromisoformat(text)
    except ValueError:
        raise ValueError(f"not an RFC 3339 date-time: {value!r}") from None
    if parsed.tzinfo is None:
        raise ValueError(f"RFC 3339 date-time needs an offset: {value!r}")
    return parsed.astimezone(UTC)


def _parse_http_date(value: str) -> datetime:
    from email.utils import parsedate_to_datetime

    try:
        parsed = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        raise ValueError(f"not an HTTP date: {value!r}") from None
    if parsed.tzinfo is None:
        raise ValueError(f"HTTP date must be in GMT: {value!r}")
    return parsed.astimezone(UTC)


def parse_timestamp(value: Any, fmt: TimestampFormat) -> datetime:
    """Read a timestamp in one of the Smithy ``@timestampFormat`` formats."""
    if fmt == "epoch-seconds":
        return parse_timestamp_epoch(value)
    if not isinstance(value, str):
        raise ValueError(f"expected a {fmt} string, got {type(value).__name__}")
    if fmt == "date-time":
        return _parse_date_time(value)
    if fmt == "http-date":
        return _parse_http_date(value)
    raise ValueError(f"unknown timestamp format {fmt!r}")


def serialize_timestamp(dt: datetime, fmt: TimestampFormat) -> int | float | str:
    """Write a timestamp in one of the Smithy ``@timestampFormat`` formats."""
    if fmt == "epoch-seconds":
        return serialize_timestamp_epoch(dt)
    utc = _as_utc(dt)
    if fmt == "date-time":
        text = utc.strftime("%Y-%m-%dT%H:%M:%S")
        if utc.microsecond:
            text += f".{utc.microsecond:06d}".rstrip("0")
        return text + "Z"
    if fmt == "http-date":
        from email.utils import format_datetime

        return format_datetime(utc.replace(microsecond=0), usegmt=True)
    raise ValueError(f"unknown timestamp format {fmt!r}")


def serialize_blob(data: bytes) -> str:
    """Base64 text of a blob, as awsJson sends it."""
    return base64.b64encode(data).decode("ascii")


def parse_blob(value: Any) -> bytes:
    """Decode a base64 blob; ValueError when the text is not valid base64."""
    if not isinstance(value, str):
        raise ValueError(f"expected base64 text, got {type(value).__name__}")
    try:
        return base64.b64decode(value, validate=True)
    except binascii.Error as exc:
        raise ValueError(f"invalid base64 blob: {exc}") from None


def parse_float(value: Any) -> float:
    """Read a float or double: a JSON number or one of "NaN", "Infinity", "-Infinity"."""
    if isinstance(value, str):
        try:
            return _NON_FINITE[value]
        except KeyError:
            raise ValueError(f"expected a number, got the string {value!r}") from None
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ValueError(f"expected a number, got {type(value).__name__}")
    return float(value)


def serialize_float(value: float) -> float | str:
    """A float for JSON: non-finite values become "NaN", "Infinity" or "-Infinity"."""
    if math.isnan(value):
        return "NaN"
    if math.isinf(value):
        return "Infinity" if value > 0 else "-Infinity"
    return value


def new_idempotency_token() -> str:
    """A fresh idempotency token (a UUID4 string)."""
    return str(uuid.uuid4())
