"""Event streams: framing, typed output iteration, signed input (issue 14 item 3).

The framing is checked against botocore's decoder (aws_amazon-eventstream.rst,
"Wire Format"); the Subscribe/Publish operations of ``streaming_service`` run
over awsJson 1.1 against the loopback server, whose recorded bytes are
decoded by botocore and whose signatures are recomputed independently.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import struct
import uuid
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from typing import Any

import anyio
import pytest
from botocore.eventstream import EventStreamBuffer
from smithygen_runtime import (
    EventMessage,
    EventStreamError,
    TransportError,
    TypedInt,
    ValidationError,
)
from smithygen_runtime._event_framing import (
    EVENTS_PAYLOAD,
    HeaderValue,
    decode_messages,
    encode_message,
)

from tests.reliability.sigv4 import expected_signature, signature_of
from tests.runtime.demo_service import CREDENTIALS, UnknownDemoError
from tests.streaming.streaming_service import (
    Record,
    RecordEvent,
    ShardGone,
    StreamingClient,
    UnknownEvent,
)
from tests.support.loopback_server import (
    Hold,
    LoopbackServer,
    Reply,
    Reset,
)

pytestmark = pytest.mark.anyio

EVENT_STREAM = (("Content-Type", "application/vnd.amazon.eventstream"),)


def client_on(server: LoopbackServer, **options: Any) -> StreamingClient:
    options.setdefault("region", "us-east-1")
    options.setdefault("credentials", CREDENTIALS)
    return StreamingClient(endpoint_url=server.url, **options)


def event(event_type: str, payload: Any) -> bytes:
    return encode_message(
        {
            ":message-type": "event",
            ":event-type": event_type,
            ":content-type": "application/json",
        },
        json.dumps(payload).encode(),
    )


def botocore_messages(data: bytes) -> list[Any]:
    buffer = EventStreamBuffer()
    buffer.add_data(data)
    return list(buffer)


# --- framing ----------------------------------------------------------------


def test_every_header_type_is_encoded_as_botocore_decodes_it() -> None:
    when = datetime(2024, 5, 6, 7, 8, 9, 123000, tzinfo=UTC)
    ident = uuid.UUID("12345678-1234-5678-1234-567812345678")
    headers: dict[str, HeaderValue] = {
        "true": True,
        "false": False,
        "byte": TypedInt(-5, "byte"),
        "short": TypedInt(-300, "short"),
        "integer": 70_000,
        "long": TypedInt(2**40, "long"),
        "bytes": b"\x00\x01",
        "string": "héllo",
        "timestamp": when,
        "uuid": ident,
    }
    [message] = botocore_messages(encode_message(headers, b"payload"))
    assert message.payload == b"payload"
    assert message.headers == {
        "true": True,
        "false": False,
        "byte": -5,
        "short": -300,
        "integer": 70_000,
        "long": 2**40,
        "bytes": b"\x00\x01",
        "string": "héllo",
        "timestamp": 1714979289123,  # milliseconds, as the spec's warning says
        "uuid": ident.bytes,
    }


def test_messages_split_anywhere_are_decoded_whole() -> None:
    from smithygen_runtime._event_framing import MessageDecoder

    data = event("a", {"n": 1}) + event("b", {"n": 2}) + encode_message({}, b"")
    decoder = MessageDecoder()
    found: list[EventMessage] = []
    for index in range(len(data)):  # one byte at a time
        found.extend(decoder.feed(data[index : index + 1]))
    assert [m.event_type for m in found] == ["a", "b", ""]
    assert found[1].json() == {"n": 2}
    assert decoder.pending == 0


@pytest.mark.parametrize(
    ("where", "problem"),
    [(10, "rejected"), (-2, "rejected"), (20, "rejected")],
    ids=["prelude-crc", "message-crc", "header-bytes"],
)
def test_a_corrupted_message_is_an_event_stream_error(where: int, problem: str) -> None:
    data = bytearray(event("record", {"Data": "x"}))
    data[where] ^= 0xFF
    with pytest.raises(EventStreamError, match=problem):
        decode_messages(bytes(data))


def test_a_stream_cut_inside_a_message_is_an_error() -> None:
    data = event("record", {"Data": "x"})
    with pytest.raises(EventStreamError, match="ended inside a message"):
        decode_messages(data[:-3])


def test_a_header_value_of_no_wire_type_is_a_validation_error() -> None:
    with pytest.raises(ValidationError, match="float cannot be an event header"):
        encode_message({"x": 1.5})  # type: ignore[dict-item]
    with pytest.raises(ValidationError, match="cannot be an event header"):
        encode_message({"x": TypedInt(300, "byte")})


# --- output streams ---------------------------------------------------------


async def test_output_events_arrive_typed_after_the_initial_response(
    server: LoopbackServer,
) -> None:
    body = (
        event("initial-response", {"Lifetime": 5})
        + event("record", {"Data": "one"})
        + event("futureEvent", {})
        + event("record", {"Data": "two"})
    )
    server.push(Reply(200, body, headers=EVENT_STREAM))
    async with client_on(server) as client:
        output = await client.subscribe(shard="s-1")
        assert output.lifetime == 5
        assert output.events is not None
        received = [e async for e in output.events]
        assert output.events.closed
    assert received == [
        RecordEvent(value=Record(data="one")),
        UnknownEvent(tag="futureEvent"),
        RecordEvent(value=Record(data="two")),
    ]
    # The request was an ordinary awsJson call.
    request = server.requests[0]
    assert request.json() == {"Shard": "s-1"}
    assert request.headers["x-amz-target"] == "DemoService.Subscribe"


async def test_a_stream_without_initial_response_keeps_its_first_event(
    server: LoopbackServer,
) -> None:
    # streaming.rst: clients MUST NOT fail when no initial-response is sent.
    server.push(Reply(200, event("record", {"Data": "first"}), headers=EVENT_STREAM))
    async with client_on(server) as client:
        output = await client.subscribe(shard="s-1")
        assert output.lifetime is None
        assert output.events is not None
        assert [e async for e in output.events] == [
            RecordEvent(value=Record(data="first"))
        ]


async def test_a_modeled_exception_event_is_raised_as_its_class(
    server: LoopbackServer,
) -> None:
    gone = encode_message(
        {
            ":message-type": "exception",
            ":exception-type": "shardGone",
            ":content-type": "application/json",
        },
        b'{"message": "shard s-1 was merged"}',
    )
    server.push(Reply(200, event("record", {"Data": "a"}) + gone, headers=EVENT_STREAM))
    async with client_on(server) as client:
        output = await client.subscribe(shard="s-1")
        assert output.events is not None
        received = []
        with pytest.raises(ShardGone) as caught:
            async for item in output.events:
                received.append(item)
        assert output.events.closed
    assert received == [RecordEvent(value=Record(data="a"))]
    assert caught.value.message == "shard s-1 was merged"
    assert caught.value.request_id == "req-1"


@pytest.mark.parametrize(
    ("code", "expected"),
    [("ShardGone", ShardGone), ("InternalFailure", UnknownDemoError)],
)
async def test_an_error_message_is_raised_as_a_typed_error(
    server: LoopbackServer, code: str, expected: type[Exception]
) -> None:
    failure = encode_message(
        {
            ":message-type": "error",
            ":error-code": code,
            ":error-message": "it broke",
        }
    )
    server.push(Reply(200, failure, headers=EVENT_STREAM))
    async with client_on(server) as client:
        output = await client.subscribe(shard="s-1")
        assert output.events is not None
        with pytest.raises(expected) as caught:
            _ = [e async for e in output.events]
    assert type(caught.value) is expected
    assert caught.value.code == code  # type: ignore[attr-defined]
    assert caught.value.message == "it broke"  # type: ignore[attr-defined]


async def test_a_corrupted_event_ends_the_stream_with_an_error(
    server: LoopbackServer,
) -> None:
    bad = bytearray(event("record", {"Data": "b"}))
    bad[-1] ^= 0x01
    body = event("record", {"Data": "a"}) + bytes(bad)
    server.push(Reply(200, body, headers=EVENT_STREAM))
    async with client_on(server) as client:
        output = await client.subscribe(shard="s-1")
        assert output.events is not None
        with pytest.raises(EventStreamError, match="Checksum"):
            _ = [e async for e in output.events]
        assert output.events.closed


async def test_a_connection_lost_mid_stream_is_a_transport_error(
    server: LoopbackServer,
) -> None:
    first = event("record", {"Data": "a"})
    head = b"HTTP/1.1 200 OK\r\nContent-Length: 5000\r\n\r\n"
    server.push(Reset(head + first))
    async with client_on(server, max_attempts=1) as client:
        output = await client.subscribe(shard="s-1")
        assert output.events is not None
        with pytest.raises(TransportError):
            _ = [e async for e in output.events]
        assert output.events.closed


def endless_stream(server: LoopbackServer) -> None:
    """A chunked response that sends one event, then waits for the client to go."""
    first = event("record", {"Data": "a"})
    head = (
        b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n"
        b"Content-Type: application/vnd.amazon.eventstream\r\n\r\n"
    )
    server.push(Hold(head + b"%x\r\n%s\r\n" % (len(first), first)))


async def test_leaving_the_iteration_with_break_closes_the_stream(
    server: LoopbackServer,
) -> None:
    body = b"".join(event("record", {"Data": str(n)}) for n in range(100))
    server.push(Reply(200, body, headers=EVENT_STREAM), Reply(200, b"", headers=()))
    async with client_on(server, max_connections=1) as client:
        output = await client.subscribe(shard="s-1")
        assert output.events is not None
        async for item in output.events:
            assert item == RecordEvent(value=Record(data="0"))
            break
        # The abandoned iteration is finalised by the event loop.
        with anyio.fail_after(5):
            while not output.events.closed:
                await anyio.sleep(0.01)


async def test_async_with_closes_a_stream_still_being_sent(
    server: LoopbackServer,
) -> None:
    endless_stream(server)
    async with client_on(server, max_connections=1, timeout=5) as client:
        output = await client.subscribe(shard="s-1")
        assert output.events is not None
        async with output.events as events:
            async for _ in events:
                break
        assert events.closed
        # One connection allowed: a second call proves the slot was freed.
        server.push(Reply(200, event("record", {"Data": "b"}), headers=EVENT_STREAM))
        again = await client.subscribe(shard="s-2")
        assert again.events is not None
        assert [e async for e in again.events] == [RecordEvent(value=Record(data="b"))]


async def test_cancelling_a_waiting_iteration_closes_the_stream(
    server: LoopbackServer,
) -> None:
    endless_stream(server)
    async with client_on(server, max_connections=1, timeout=5) as client:
        output = await client.subscribe(shard="s-1")
        stream = output.events
        assert stream is not None
        received = []
        with anyio.move_on_after(0.3):
            async for item in stream:  # the second event never comes
                received.append(item)
        assert received == [RecordEvent(value=Record(data="a"))]
        assert stream.closed


# --- input streams ----------------------------------------------------------


async def records(*data: str) -> AsyncIterator[RecordEvent]:
    for item in data:
        yield RecordEvent(value=Record(data=item))


def _hmac(key: bytes, text: str) -> bytes:
    return hmac.new(key, text.encode(), hashlib.sha256).digest()


def signing_key(secret: str, date: str, region: str, service: str) -> bytes:
    """SigV4's key derivation, written out from AWS's documentation."""
    key = _hmac(f"AWS4{secret}".encode(), date)
    for part in (region, service, "aws4_request"):
        key = _hmac(key, part)
    return key


def date_header_bytes(millis: int) -> bytes:
    """The ``:date`` header as the wire format defines it (type 8, int64 ms)."""
    name = b":date"
    return bytes([len(name)]) + name + b"\x08" + struct.pack(">q", millis)


async def test_input_events_are_framed_and_signed_in_a_chain(
    server: LoopbackServer,
) -> None:
    server.push(Reply(200, b"{}"))
    async with client_on(server) as client:
        await client.publish(shard="s-9", events=records("x", "y"))
    request = server.requests[0]
    assert request.headers["content-type"] == "application/vnd.amazon.eventstream"
    assert request.headers["x-amz-content-sha256"] == EVENTS_PAYLOAD
    assert request.headers["transfer-encoding"] == "chunked"
    # The request itself: botocore computes the same seed signature.
    seed = signature_of(request)
    assert seed == expected_signature(request, CREDENTIALS)

    envelopes = botocore_messages(request.body)
    assert len(envelopes) == 4  # initial-request, two events, the end
    key = signing_key(CREDENTIALS.secret_access_key, "", "", "")
    previous = seed
    inner_messages = []
    for envelope in envelopes:
        millis = envelope.headers[":date"]
        timestamp = datetime.fromtimestamp(millis / 1000, UTC)
        day = timestamp.strftime("%Y%m%d")
        key = signing_key(CREDENTIALS.secret_access_key, day, "us-east-1", "demo")
        string_to_sign = "\n".join(
            [
                "AWS4-HMAC-SHA256-PAYLOAD",
                timestamp.strftime("%Y%m%dT%H%M%SZ"),
                f"{day}/us-east-1/demo/aws4_request",
                previous,
                hashlib.sha256(date_header_bytes(millis)).hexdigest(),
                hashlib.sha256(envelope.payload).hexdigest(),
            ]
        )
        expected = hmac.new(key, string_to_sign.encode(), hashlib.sha256).digest()
        assert envelope.headers[":chunk-signature"] == expected
        previous = expected.hex()
        if envelope.payload:
            [inner] = botocore_messages(envelope.payload)
            inner_messages.append(inner)
    assert envelopes[-1].payload == b""
    initial, first, second = inner_messages
    assert initial.headers[":event-type"] == "initial-request"
    assert json.loads(initial.payload) == {"Shard": "s-9"}
    assert [m.headers[":event-type"] for m in (first, second)] == ["record", "record"]
    assert json.loads(second.payload) == {"Data": "y"}


async def test_an_input_stream_that_is_not_async_iterable_is_refused(
    server: LoopbackServer,
) -> None:
    async with client_on(server) as client:
        with pytest.raises(ValidationError, match="async iterable of events"):
            await client.publish(shard="s", events=[1, 2])  # type: ignore[arg-type]
    assert server.request_count == 0


def test_hostile_frames_are_rejected_as_event_stream_errors_only() -> None:
    """Corrupted, truncated and forged frames (valid prelude CRC, absurd lengths)
    end in EventStreamError or wait for more bytes; nothing else escapes."""
    import binascii
    import random

    from smithygen_runtime._event_framing import MessageDecoder

    rng = random.Random(14)
    base = event("record", {"Data": "x"})
    for _ in range(1000):
        data = bytearray(base)
        for _ in range(rng.randint(1, 4)):
            data[rng.randrange(len(data))] = rng.randrange(256)
        if rng.random() < 0.3:
            total = rng.choice([0, 1, 12, 15, 16, 17, 2**31, 2**32 - 1])
            headers = rng.choice([0, 1, 5, 2**20, 2**32 - 1])
            prelude = struct.pack(">II", total, headers)
            prelude += struct.pack(">I", binascii.crc32(prelude))
            data = bytearray(prelude + bytes(data[12:]))
        decoder = MessageDecoder()
        try:
            decoder.feed(bytes(data))
        except EventStreamError:
            continue
