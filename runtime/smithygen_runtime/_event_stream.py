"""Event streams (aws_amazon-eventstream.rst): message framing, typed event iteration, signing.

Decoding is botocore's ``botocore.eventstream.EventStreamBuffer`` (prelude and
message CRC32 checks, header parsing); encoding is the few lines below. An
output stream is an ``EventStream`` of the operation's event union: modeled
exception events (``:message-type exception``) and unmodeled error events
(``:message-type error``) are raised as typed errors. An input stream is an
``EventStreamBody``: each event is framed, then wrapped in a message signed
with a SigV4 signature chained from the request's own ("Event stream
signing" in AWS's SigV4 documentation, as the Transcribe streaming and
smithy-python clients do; botocore has no input event streams), ending with
an empty signed message.
"""

from __future__ import annotations

import binascii
import hashlib
import json
import struct
import uuid
from collections.abc import AsyncIterable, AsyncIterator, Callable, Mapping
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, Generic, Literal, NamedTuple, TypeVar

import attrs

from ._errors import ResponseParseError, ServiceError, ValidationError
from ._specs import OperationSpec, ServiceSpec
from ._streaming import RequestSignature, StreamingBody, close_response

if TYPE_CHECKING:
    import types

    import httpx


__all__ = [
    "EVENTS_PAYLOAD",
    "EventMessage",
    "EventStream",
    "EventStreamBody",
    "EventStreamError",
    "HeaderValue",
    "TypedInt",
    "decode_messages",
    "encode_message",
]

E = TypeVar("E")

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


# --- output streams ---------------------------------------------------------


@attrs.frozen(kw_only=True)
class EventReader(Generic[E]):
    """How a generated package reads one operation's output events.

    ``deserialize`` turns an event message into the union's variant;
    ``errors`` maps ``:exception-type`` (the union member's name) to the
    modeled error class. An unmodeled ``:message-type error`` is typed by
    its ``:error-code`` among the service's errors.
    """

    deserialize: Callable[[EventMessage], E]
    errors: Mapping[str, type[ServiceError]]

    def error(
        self, message: EventMessage, service: ServiceSpec, request_id: str | None
    ) -> ServiceError:
        """The typed error an exception or error event stands for."""
        if message.message_type == "exception":
            name = str(message.headers.get(":exception-type", ""))
            body = message.json()
            if not isinstance(body, dict):
                body = {}
            cls = self.errors.get(name) or service.unknown_error
            text = body.get("message") or body.get("Message") or ""
            error = cls._from_wire(
                body,
                code=name,
                message=str(text),
                status_code=None,
                request_id=request_id,
            )
        else:
            name = str(message.headers.get(":error-code", ""))
            text = str(message.headers.get(":error-message", ""))
            cls = service.errors.get(name) or service.unknown_error
            error = cls(text, code=name, request_id=request_id)
        if cls is service.unknown_error:
            error.code = name
        return error


class EventStream(Generic[E]):
    """An output event stream: ``async for event in stream`` gives typed events.

    Events come as they arrive; an exception or error event is raised as
    its typed error (ending the stream). Leaving the iteration early
    (``break``, an exception, cancellation) or ``aclose()`` closes the
    response and frees its connection; ``async with`` makes that
    deterministic (a ``break`` alone relies on the async generator being
    finalised, which CPython does at once under asyncio and trio).
    """

    def __init__(
        self,
        response: httpx.Response,
        reader: EventReader[E],
        service: ServiceSpec,
        *,
        request_id: str | None = None,
    ) -> None:
        self._response = response
        self._reader = reader
        self._service = service
        self._request_id = request_id
        self._decoder = MessageDecoder()
        self._chunks: AsyncIterator[bytes] | None = None
        self._queued: list[EventMessage] = []
        self._ended = False

    def __repr__(self) -> str:
        return f"<EventStream {'closed' if self.closed else 'open'}>"

    @property
    def closed(self) -> bool:
        return bool(self._response.is_closed)

    async def __aenter__(self) -> EventStream[E]:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: types.TracebackType | None,
    ) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        """Close the response (idempotent): its connection returns to the pool."""
        self._ended = True
        await close_response(self._response)

    def __aiter__(self) -> AsyncIterator[E]:
        return self._events()

    async def _events(self) -> AsyncIterator[E]:
        try:
            while (message := await self.next_message()) is not None:
                yield self._event(message)
        finally:
            await self.aclose()

    def _event(self, message: EventMessage) -> E:
        kind = _string_header(message, ":message-type")
        if kind in ("exception", "error"):
            raise self._reader.error(message, self._service, self._request_id)
        if kind != "event":
            raise EventStreamError(f"unknown event stream message type {kind!r}")
        # Required of every event (aws_amazon-eventstream.rst, "Message Events").
        _string_header(message, ":event-type")
        return self._reader.deserialize(message)

    async def next_message(self) -> EventMessage | None:
        """The next raw message, or None at the end of the stream."""
        while not self._queued:
            if self._decoder.error is not None:
                raise self._decoder.error
            if self._ended:
                return None
            chunk = await self._read_chunk()
            if chunk is None:
                self._ended = True
                if self._decoder.pending:
                    raise EventStreamError(
                        "event stream ended inside a message "
                        f"({self._decoder.pending} bytes left)"
                    )
                return None
            self._queued.extend(self._decoder.feed(chunk))
        return self._queued.pop(0)

    def push_back(self, message: EventMessage) -> None:
        """Return a message read ahead (an RPC stream's first, not initial-response)."""
        self._queued.insert(0, message)

    async def _read_chunk(self) -> bytes | None:
        import httpx

        if self._chunks is None:
            # aiter_bytes, not aiter_raw: it also serves a body read already
            # (a response built in memory, as an interceptor may hand back).
            self._chunks = self._response.aiter_bytes()
        try:
            return await self._chunks.__anext__()
        except StopAsyncIteration:
            return None
        except httpx.HTTPError as exc:
            from ._transport import display_url, transport_error

            url = display_url(self._response.request.url)
            raise transport_error(exc, "event stream", 1, url=url) from exc


def _string_header(message: EventMessage, name: str) -> str:
    """A required string header; EventStreamError when absent or of another type."""
    value = message.headers.get(name)
    if not isinstance(value, str):
        found = "missing" if value is None else f"a {type(value).__name__}"
        raise EventStreamError(f"event header {name} is {found}, not a string")
    return value


# --- input streams ----------------------------------------------------------


class EventStreamBody(StreamingBody):
    """An input event stream: the user's events, framed and signed one by one.

    ``initial`` is sent first (an RPC protocol's ``initial-request``);
    ``serialize`` frames one event of the union. Each frame travels inside
    a message carrying ``:date`` and ``:chunk-signature``, whose signature
    covers the frame and chains from the previous one; an empty signed
    message ends the stream.
    """

    headers = {  # noqa: RUF012 - read only
        "Content-Type": EVENT_STREAM_CONTENT_TYPE,
        "X-Amz-Content-SHA256": EVENTS_PAYLOAD,
    }

    def __init__(
        self,
        events: AsyncIterable[Any] | None,
        serialize: Callable[[Any], EventMessage],
        *,
        initial: EventMessage | None = None,
        member: str = "stream",
    ) -> None:
        if events is None:
            events = _no_events()  # an optional stream left unset: none to send
        if not isinstance(events, AsyncIterable):
            raise ValidationError(
                member,
                "type",
                "an event stream input is an async iterable of events, not "
                f"{type(events).__name__}",
            )
        self._events = events
        self._serialize = serialize
        self._initial = initial
        self._signature: RequestSignature | None = None

    async def payload_hash(self, *, unsigned_allowed: bool) -> str:
        return EVENTS_PAYLOAD

    def signed(self, result: RequestSignature) -> None:
        self._signature = result

    def open(self) -> AsyncIterator[bytes]:
        return self._frames()

    async def _frames(self) -> AsyncIterator[bytes]:
        signature = self._signature
        if signature is None:
            raise RuntimeError("an event stream body is sent only once signed")
        chain = EventSigner(signature)
        if self._initial is not None:
            yield chain.wrap(
                encode_message(self._initial.headers, self._initial.payload)
            )
        async for event in self._events:
            message = self._serialize(event)
            yield chain.wrap(encode_message(message.headers, message.payload))
        yield chain.wrap(b"")


async def _no_events() -> AsyncIterator[Any]:
    return
    yield  # an async generator that yields nothing


class EventSigner:
    """Chained SigV4 signatures of event messages, seeded by the request's."""

    def __init__(self, seed: RequestSignature) -> None:
        self._seed = seed
        self._previous = seed.signature

    def wrap(self, frame: bytes) -> bytes:
        """``frame`` inside a message carrying ``:date`` and ``:chunk-signature``."""
        now = self._seed.now().replace(microsecond=0)
        date_header = {":date": now}
        signature = self.signature(frame, encode_headers(date_header), now)
        self._previous = signature
        headers: dict[str, HeaderValue] = {
            ":date": now,
            ":chunk-signature": bytes.fromhex(signature),
        }
        return encode_message(headers, frame)

    def signature(self, frame: bytes, date_header: bytes, now: datetime) -> str:
        """The hex signature of one message (string to sign per AWS's event signing)."""
        seed = self._seed
        timestamp = now.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")
        string_to_sign = "\n".join(
            [
                "AWS4-HMAC-SHA256-PAYLOAD",
                timestamp,
                seed.signer.scope(timestamp[:8]),
                self._previous,
                hashlib.sha256(date_header).hexdigest(),
                hashlib.sha256(frame).hexdigest(),
            ]
        )
        return seed.signer.sign_string(string_to_sign, seed.credentials, timestamp[:8])


# --- what protocols share ---------------------------------------------------

JSON_CONTENT_TYPE = "application/json"


def initial_request(document: Mapping[str, Any]) -> EventMessage:
    """An RPC protocol's ``initial-request`` event: the input's other members as JSON."""
    payload = json.dumps(document, separators=(",", ":")).encode("utf-8")
    return EventMessage(
        {
            ":message-type": "event",
            ":event-type": "initial-request",
            ":content-type": JSON_CONTENT_TYPE,
        },
        payload,
    )


def event_input_body(
    operation: OperationSpec[Any, Any],
    input: Any,
    *,
    initial: EventMessage | None = None,
) -> EventStreamBody:
    """The request body of an operation with an input event stream."""
    spec = operation.input_stream
    assert spec is not None and spec.serialize_event is not None
    events = getattr(input, spec.member)
    return EventStreamBody(
        events, spec.serialize_event, initial=initial, member=spec.member
    )


async def rpc_event_output(
    service: ServiceSpec,
    operation: OperationSpec[Any, Any],
    response: httpx.Response,
    request_id: str | None,
) -> tuple[Any, Mapping[str, Any]]:
    """An RPC protocol's output with an event stream (awsJson, rpcv2Cbor with JSON).

    The ``initial-response`` event, when the stream opens with one, holds
    the output's other members (aws_amazon-eventstream.rst, "Initial Message
    Events"); any other first message is kept for the iteration.
    """
    spec = operation.output_stream
    assert spec is not None and spec.events is not None
    stream: EventStream[Any] = EventStream(
        response, spec.events, service, request_id=request_id
    )
    document: Any = {}
    first = await stream.next_message()
    if first is not None:
        if first.message_type == "event" and first.event_type == "initial-response":
            document = first.json()
        else:
            stream.push_back(first)
    if not isinstance(document, dict):
        raise EventStreamError("the initial-response event is not a JSON object")
    return with_stream(operation.deserialize(document), spec.member, stream), document


def with_stream(output: Any, member: str, stream: object) -> Any:
    """The output object with its streaming member set (outputs are frozen)."""
    return attrs.evolve(output, **{member: stream})


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
