"""Event-stream messages (aws_amazon-eventstream.rst, "Wire Format"): framing both ways.

Decoding is botocore's ``botocore.eventstream.EventStreamBuffer`` (prelude and
message CRC32 checks, header parsing); encoding is the few lines below (CRC32
by ``binascii``). Generated event (de)serializers build and read messages
with ``event_message``, ``json_payload`` and ``event_header``.
"""

from __future__ import annotations

import binascii
import json
import struct
import uuid
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any, Literal, NamedTuple

import attrs

from ._errors import ResponseParseError, ValidationError

__all__ = [
    "EVENTS_PAYLOAD",
    "EVENT_STREAM_CONTENT_TYPE",
    "EventMessage",
    "EventStreamError",
    "HeaderValue",
    "MessageDecoder",
    "TypedInt",
    "decode_messages",
    "encode_headers",
    "encode_message",
    "event_header",
    "event_message",
    "json_payload",
]

EVENTS_PAYLOAD = "STREAMING-AWS4-HMAC-SHA256-EVENTS"
EVENT_STREAM_CONTENT_TYPE = "application/vnd.amazon.eventstream"


class TypedInt(NamedTuple):
    """An integer header value with its wire width (Python's int has none)."""

    value: int
    kind: Literal["byte", "short", "integer", "long"]


HeaderValue = bool | int | TypedInt | bytes | str | datetime | uuid.UUID
"""A header value: a plain int is sent as an ``integer`` (int32)."""


@attrs.frozen
class EventMessage:
    """One event-stream message: its headers and payload."""

    headers: Mapping[str, HeaderValue]
    payload: bytes = b""

    @property
    def message_type(self) -> str:
        return str(self.headers.get(":message-type", ""))

    @property
    def event_type(self) -> str:
        return str(self.headers.get(":event-type", ""))

    def json(self) -> Any:
        """The payload read as JSON (an empty payload reads as ``{}``)."""
        if not self.payload.strip():
            return {}
        try:
            return json.loads(self.payload)
        except (ValueError, UnicodeDecodeError, RecursionError) as exc:
            raise EventStreamError(
                f"event {self.event_type or self.message_type!r} payload is not "
                f"valid JSON ({type(exc).__name__}: {exc})"
            ) from None


class EventStreamError(ResponseParseError):
    """An event stream that cannot be read: a bad frame, checksum or event."""


# --- encoding ---------------------------------------------------------------

_INT_FORMATS = {"byte": (2, ">b"), "short": (3, ">h"), "integer": (4, ">i")}
_INT_FORMATS["long"] = (5, ">q")


def _encode_header(name: str, value: HeaderValue) -> bytes:
    raw_name = name.encode("utf-8")
    if not 1 <= len(raw_name) <= 255:
        raise ValidationError(name, "length", "a header name has 1 to 255 bytes")
    return bytes([len(raw_name)]) + raw_name + _encode_value(name, value)


def _encode_value(name: str, value: HeaderValue) -> bytes:
    try:
        if isinstance(value, bool):
            return b"\x00" if value else b"\x01"
        if isinstance(value, int):
            value = TypedInt(value, "integer")
        if isinstance(value, TypedInt):
            code, fmt = _INT_FORMATS[value.kind]
            return bytes([code]) + struct.pack(fmt, value.value)
        if isinstance(value, bytes):
            return b"\x06" + struct.pack(">H", len(value)) + value
        if isinstance(value, str):
            data = value.encode("utf-8")
            return b"\x07" + struct.pack(">H", len(data)) + data
        if isinstance(value, datetime):
            millis = int(value.timestamp() * 1000)
            return b"\x08" + struct.pack(">q", millis)
        if isinstance(value, uuid.UUID):
            return b"\x09" + value.bytes
    except (struct.error, UnicodeEncodeError) as exc:
        raise ValidationError(
            name, "range", f"cannot be an event header: {exc}"
        ) from None
    raise ValidationError(
        name, "type", f"{type(value).__name__} cannot be an event header value"
    )


def encode_headers(headers: Mapping[str, HeaderValue]) -> bytes:
    return b"".join(_encode_header(name, value) for name, value in headers.items())


def encode_message(headers: Mapping[str, HeaderValue], payload: bytes = b"") -> bytes:
    """One framed message: prelude, prelude CRC, headers, payload, message CRC."""
    raw_headers = encode_headers(headers)
    total = 16 + len(raw_headers) + len(payload)
    prelude = struct.pack(">II", total, len(raw_headers))
    prelude += struct.pack(">I", binascii.crc32(prelude))
    body = prelude + raw_headers + payload
    return body + struct.pack(">I", binascii.crc32(body))


# --- decoding ---------------------------------------------------------------


class MessageDecoder:
    """Messages out of the bytes of a stream, as they arrive (botocore's parser).

    A bad frame ends decoding: the messages before it are still returned,
    and ``error`` is set (raised by the next ``feed``).
    """

    def __init__(self) -> None:
        from botocore.eventstream import EventStreamBuffer

        self._buffer = EventStreamBuffer()
        self.pending = 0
        self.error: EventStreamError | None = None

    def feed(self, data: bytes) -> list[EventMessage]:
        """Every message completed by ``data``."""
        from botocore.eventstream import ParserError

        if self.error is not None:
            raise self.error
        self._buffer.add_data(data)
        self.pending += len(data)
        messages = []
        try:
            raw: Any
            for raw in self._buffer:
                self.pending -= raw.prelude.total_length
                messages.append(EventMessage(raw.headers, bytes(raw.payload)))
        except ParserError as exc:
            self.error = EventStreamError(f"event stream frame rejected: {exc}")
        except (KeyError, IndexError, struct.error, UnicodeDecodeError) as exc:
            # An unknown header type, or a header running past its block.
            self.error = EventStreamError(
                f"event stream headers cannot be decoded ({type(exc).__name__}: {exc})"
            )
        if self.error is not None and not messages:
            raise self.error
        return messages


def decode_messages(data: bytes) -> list[EventMessage]:
    """Every message of a complete stream; EventStreamError for a bad or cut one."""
    decoder = MessageDecoder()
    messages = decoder.feed(data)
    if decoder.error is not None:
        raise decoder.error
    if decoder.pending:
        raise EventStreamError(
            f"event stream ended inside a message ({decoder.pending} bytes left)"
        )
    return messages


# --- what generated event (de)serializers call ---------------------------------

_HEADER_TYPES: Mapping[str, type | tuple[type, ...]] = {
    "bool": bool,
    "int": int,
    "bytes": bytes,
    "str": str,
    "timestamp": int,
}


def event_header(message: EventMessage, name: str, kind: str) -> Any:
    """The value of an ``@eventHeader`` member, or None when the event lacks it.

    ``kind`` is "bool", "int", "bytes", "str" or "timestamp" (milliseconds
    on the wire, a UTC datetime here); a value of another type is an
    EventStreamError naming the header.
    """
    value: Any = message.headers.get(name)
    if value is None:
        return None
    expected = _HEADER_TYPES[kind]
    if isinstance(value, datetime) and kind == "timestamp":
        return value
    wrong_bool = isinstance(value, bool) and kind != "bool"
    if wrong_bool or not isinstance(value, expected):
        raise EventStreamError(
            f"event {message.event_type!r} header {name!r} should be {kind}, "
            f"got {type(value).__name__}"
        )
    if kind == "timestamp":
        return datetime.fromtimestamp(message.headers[name] / 1000, UTC)  # type: ignore[operator]
    return value


def event_message(
    event_type: str,
    headers: Mapping[str, HeaderValue | None],
    payload: bytes = b"",
    content_type: str | None = None,
    *,
    message_type: str = "event",
) -> EventMessage:
    """An event (or, ``message_type="exception"``, a modeled error) to send.

    Header members left unset (None) are not sent.
    """
    type_header = ":event-type" if message_type == "event" else ":exception-type"
    all_headers: dict[str, HeaderValue] = {
        ":message-type": message_type,
        type_header: event_type,
    }
    if content_type is not None:
        all_headers[":content-type"] = content_type
    for name, value in headers.items():
        if value is not None:
            all_headers[name] = value
    return EventMessage(all_headers, payload)


def json_payload(document: Any) -> bytes:
    """A JSON event payload, compact as the protocol tests write them."""
    return json.dumps(document, separators=(",", ":")).encode("utf-8")
