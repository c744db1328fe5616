"""Event streams (aws_amazon-eventstream.rst): typed event iteration and signed input.

An output stream is an ``EventStream`` of the operation's event union: modeled
exception events (``:message-type exception``) and unmodeled error events
(``:message-type error``) are raised as typed errors. An input stream is an
``EventStreamBody``: each event is framed (``_event_framing``), then wrapped in
a message signed with a SigV4 signature chained from the request's own
("Event stream signing" in AWS's SigV4 documentation, as the Transcribe
streaming and smithy-python clients do; botocore has no input event streams),
ending with an empty signed message.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import (
    AsyncIterable,
    AsyncIterator,
    Callable,
    Collection,
    Mapping,
)
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, Generic, TypeVar

import attrs

from ._errors import ServiceError, ValidationError
from ._event_framing import (
    EVENT_STREAM_CONTENT_TYPE,
    EVENTS_PAYLOAD,
    EventMessage,
    EventStreamError,
    HeaderValue,
    MessageDecoder,
    encode_headers,
    encode_message,
)
from ._specs import OperationSpec, ServiceSpec
from ._streaming import RequestSignature, StreamingBody, close_response

if TYPE_CHECKING:
    import types

    import httpx

__all__ = [
    "EventReader",
    "EventSigner",
    "EventStream",
    "EventStreamBody",
    "event_input_body",
    "initial_request",
    "require_initial_members",
    "rpc_event_output",
    "with_stream",
]

E = TypeVar("E")

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
        # An operation without authentication: events go unsigned.
        chain = None if signature is None else EventSigner(signature)
        async for message in self._messages():
            frame = encode_message(message.headers, message.payload)
            yield frame if chain is None else chain.wrap(frame)
        if chain is not None:
            yield chain.wrap(b"")

    async def _messages(self) -> AsyncIterator[EventMessage]:
        """The initial message, then the user's events up to a modeled error.

        A modeled error event is terminal (streaming.rst, "Modeled errors in
        event streams"): after sending one the client takes no more events
        from the user's iterable, and closes it.
        """
        if self._initial is not None:
            yield self._initial
        events = aiter(self._events)
        try:
            async for event in events:
                message = self._serialize(event)
                yield message
                if message.message_type == "exception":
                    break
        finally:
            close = getattr(events, "aclose", None)
            if close is not None:
                await close()


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
    present = [key for key, value in document.items() if value is not None]
    require_initial_members(operation, present, response.status_code, request_id)
    return with_stream(operation.deserialize(document), spec.member, stream), document


def require_initial_members(
    operation: OperationSpec[Any, Any],
    found: Collection[str],
    status: int,
    request_id: str | None,
) -> None:
    """EventStreamError when the initial response lacks a required member.

    ``found`` holds the wire names of the members the initial response set.
    A complete response missing a required member is error-corrected (its
    zero value), which aggregate-types.rst, "Client error correction",
    allows (MAY); an initial response is not: it opens a stream the client
    then reads for as long as it lasts, and the event-stream compliance
    tests (MissingRequiredInitialResponseOutput) require the call to fail.
    """
    spec = operation.output_stream
    assert spec is not None
    missing = [key for key in spec.initial_required if key not in found]
    if missing:
        raise EventStreamError(
            f"{operation.name} initial response lacks the required member(s) "
            f"{', '.join(missing)}",
            status_code=status,
            request_id=request_id,
            path=missing[0],
        )


def with_stream(output: Any, member: str, stream: object) -> Any:
    """The output object with its streaming member set (outputs are frozen)."""
    return attrs.evolve(output, **{member: stream})
