"""awsJson 1.1 event streams end to end: a generated client against the loopback server.

The server speaks the wire format of aws_amazon-eventstream.rst: the
response is an ``initial-response`` event then the events (Kinesis
SubscribeToShard's shape); the request of an input stream is an
``initial-request`` event then the events, each in a signed envelope. The
bytes are checked with botocore's decoder and parser, not with our own.
"""

from __future__ import annotations

import base64
import json
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from types import ModuleType
from typing import Any

import pytest
from botocore.eventstream import EventStreamBuffer
from smithygen_runtime import Credentials, EventStreamError
from smithygen_runtime._event_framing import encode_message

from tests.reliability.sigv4 import expected_signature, signature_of
from tests.support.loopback_server import LoopbackServer, Reply

pytestmark = pytest.mark.anyio

CREDENTIALS = Credentials("AKIDSHARDS", "shards/secret/key", None)
EVENT_STREAM = (("Content-Type", "application/vnd.amazon.eventstream"),)


def client(shards: ModuleType, server: LoopbackServer, **options: Any) -> Any:
    return shards.ShardsClient(
        endpoint_url=server.url, region="eu-west-1", credentials=CREDENTIALS, **options
    )


def json_event(event_type: str, document: Any) -> bytes:
    return encode_message(
        {
            ":message-type": "event",
            ":event-type": event_type,
            ":content-type": "application/json",
        },
        json.dumps(document).encode(),
    )


RECORDS_EVENT = {
    "Records": [
        {
            "SequenceNumber": "49590338271490256608559692538361571095921575989136588898",
            "ApproximateArrivalTimestamp": 1.441215410867e9,
            "Data": base64.b64encode(b"record one").decode(),
        }
    ],
    "ContinuationSequenceNumber": "49590338271490256608559692540925702759324208523137515618",
    "MillisBehindLatest": 2100,
}


async def test_subscribe_to_shard_reads_the_initial_response_then_typed_events(
    shards: ModuleType, server: LoopbackServer
) -> None:
    heartbeat = encode_message(
        {
            ":message-type": "event",
            ":event-type": "HeartbeatEvent",
            "sequence": 7,
            "sentAt": datetime(2024, 1, 2, 3, 4, 5, tzinfo=UTC),
            "healthy": True,
        }
    )
    body = (
        json_event("initial-response", {"ShardLevel": 3})
        + json_event("SubscribeToShardEvent", RECORDS_EVENT)
        + heartbeat
    )
    server.push(Reply(200, body, headers=EVENT_STREAM))
    async with client(shards, server) as shards_client:
        output = await shards_client.subscribe_to_shard(shard_id="shardId-000000000000")
        assert output.shard_level == 3
        assert output.event_stream is not None
        async with output.event_stream as stream:
            events = [event async for event in stream]
    models = shards.models
    first, second = events
    assert isinstance(first, models.SubscribeToShardEventStreamSubscribeToShardEvent)
    [record] = first.value.records
    assert record.data == b"record one"
    assert record.approximate_arrival_timestamp == datetime.fromtimestamp(
        1.441215410867e9, UTC
    )
    assert first.value.millis_behind_latest == 2100
    assert second == models.SubscribeToShardEventStreamHeartbeatEvent(
        value=models.HeartbeatEvent(
            sequence=7, sent_at=datetime(2024, 1, 2, 3, 4, 5, tzinfo=UTC), healthy=True
        )
    )
    request = server.requests[0]
    assert request.headers["x-amz-target"] == "Shards.SubscribeToShard"
    assert request.json() == {"ShardId": "shardId-000000000000"}
    assert signature_of(request) == expected_signature(request, CREDENTIALS)


async def test_botocore_parses_the_same_events_to_the_same_values(
    shards: ModuleType, server: LoopbackServer
) -> None:
    """botocore's own EventStream parser, on Kinesis's model, reads what we read."""
    import botocore.session
    from botocore.eventstream import EventStream
    from botocore.parsers import EventStreamJSONParser

    body = json_event("initial-response", {}) + json_event(
        "SubscribeToShardEvent", RECORDS_EVENT
    )
    kinesis = botocore.session.get_session().get_service_model("kinesis")
    output_shape: Any = kinesis.operation_model("SubscribeToShard").output_shape
    stream_shape: Any = output_shape.members["EventStream"]

    class _Raw:
        def stream(self) -> Any:
            yield body

    their_stream: Any = EventStream(
        _Raw(), stream_shape, EventStreamJSONParser(), "SubscribeToShard"
    )
    # boto3 users read Kinesis's initial-response first, as the client does.
    their_stream.get_initial_response()
    [their_parsed] = list(their_stream)
    their_event = their_parsed["SubscribeToShardEvent"]

    server.push(Reply(200, body, headers=EVENT_STREAM))
    async with client(shards, server) as shards_client:
        output = await shards_client.subscribe_to_shard(shard_id="s")
        ours = [event async for event in output.event_stream]
    our_event = ours[0].value
    their_record = their_event["Records"][0]
    assert (
        our_event.continuation_sequence_number
        == (their_event["ContinuationSequenceNumber"])
    )
    assert our_event.millis_behind_latest == their_event["MillisBehindLatest"]
    assert our_event.records[0].data == their_record["Data"]
    assert our_event.records[0].sequence_number == their_record["SequenceNumber"]
    assert (
        our_event.records[0].approximate_arrival_timestamp
        == (their_record["ApproximateArrivalTimestamp"])
    )


async def test_a_modeled_exception_event_is_raised_as_the_generated_error(
    shards: ModuleType, server: LoopbackServer
) -> None:
    in_use = encode_message(
        {
            ":message-type": "exception",
            ":exception-type": "ResourceInUseException",
            ":content-type": "application/json",
        },
        b'{"message": "another consumer holds the lease"}',
    )
    server.push(
        Reply(200, json_event("initial-response", {}) + in_use, headers=EVENT_STREAM)
    )
    async with client(shards, server) as shards_client:
        output = await shards_client.subscribe_to_shard(shard_id="s")
        with pytest.raises(shards.ResourceInUseException) as caught:
            _ = [event async for event in output.event_stream]
        assert output.event_stream.closed
    assert caught.value.message == "another consumer holds the lease"
    assert isinstance(caught.value, shards.ShardsError)


async def test_an_error_before_the_stream_is_an_ordinary_error_response(
    shards: ModuleType, server: LoopbackServer
) -> None:
    server.push(
        Reply(
            400,
            {"__type": "ResourceNotFoundException", "message": "no such shard"},
        )
    )
    async with client(shards, server, max_attempts=1) as shards_client:
        with pytest.raises(shards.ResourceNotFoundException, match="no such shard"):
            await shards_client.subscribe_to_shard(shard_id="s")


async def test_a_bad_header_type_in_an_event_is_an_event_stream_error(
    shards: ModuleType, server: LoopbackServer
) -> None:
    wrong = encode_message(
        {
            ":message-type": "event",
            ":event-type": "HeartbeatEvent",
            "sequence": "seven",
        }
    )
    server.push(Reply(200, wrong, headers=EVENT_STREAM))
    async with client(shards, server) as shards_client:
        output = await shards_client.subscribe_to_shard(shard_id="s")
        with pytest.raises(EventStreamError, match="'sequence' should be int"):
            _ = [event async for event in output.event_stream]


async def published(*items: Any) -> AsyncIterator[Any]:
    for item in items:
        yield item


async def test_publish_records_sends_initial_request_and_signed_events(
    shards: ModuleType, server: LoopbackServer
) -> None:
    models = shards.models
    server.push(Reply(200, {"Accepted": 2}))
    async with client(shards, server) as shards_client:
        output = await shards_client.publish_records(
            stream_name="orders",
            records=published(
                models.PublishEventStreamRecord(
                    value=models.PublishedRecord(
                        partition="p-1", priority=3, data=b"\x00binary\xff"
                    )
                ),
                models.PublishEventStreamNote(value=models.NoteEvent(text="done")),
            ),
        )
    assert output.accepted == 2
    request = server.requests[0]
    assert request.headers["x-amz-target"] == "Shards.PublishRecords"
    assert request.headers["content-type"] == "application/vnd.amazon.eventstream"
    assert signature_of(request) == expected_signature(request, CREDENTIALS)
    buffer = EventStreamBuffer()
    buffer.add_data(request.body)
    envelopes: list[Any] = list(buffer)
    assert envelopes[-1].payload == b""  # the signed end of the stream
    inner: list[Any] = []
    for envelope in envelopes[:-1]:
        assert len(envelope.headers[":chunk-signature"]) == 32
        frame = EventStreamBuffer()
        frame.add_data(envelope.payload)
        inner.extend(frame)
    initial, record, note = inner
    assert initial.headers[":event-type"] == "initial-request"
    assert json.loads(initial.payload) == {"StreamName": "orders"}
    assert record.headers == {
        ":message-type": "event",
        ":event-type": "Record",
        ":content-type": "application/octet-stream",
        "partition": "p-1",
        "priority": 3,
    }
    assert record.payload == b"\x00binary\xff"
    assert note.headers[":content-type"] == "text/plain"
    assert note.payload == b"done"


async def test_a_missing_required_input_stream_is_refused_before_sending(
    shards: ModuleType, server: LoopbackServer
) -> None:
    from smithygen_runtime import ValidationError

    async with client(shards, server) as shards_client:
        with pytest.raises(ValidationError, match="Records"):
            await shards_client.publish_records(stream_name="orders", records=None)
    assert server.request_count == 0


def sent_events(body: bytes) -> list[Any]:
    """The events inside the signed envelopes of a request body (botocore decodes)."""
    buffer = EventStreamBuffer()
    buffer.add_data(body)
    inner: list[Any] = []
    for envelope in buffer:
        frame = EventStreamBuffer()
        frame.add_data(envelope.payload)
        inner.extend(frame)
    return inner


async def test_a_modeled_error_in_an_input_stream_is_sent_and_ends_the_stream(
    shards: ModuleType, server: LoopbackServer
) -> None:
    """aws_amazon-eventstream.rst, "Modeled Error Events"; streaming.rst: terminal."""
    models = shards.models
    taken: list[str] = []
    closed: list[bool] = []

    async def events() -> AsyncIterator[Any]:
        try:
            taken.append("note")
            yield models.PublishEventStreamNote(value=models.NoteEvent(text="first"))
            taken.append("error")
            yield models.PublishEventStreamAbandoned(
                value=shards.PublishAbandoned("gave up", reason="shutdown")
            )
            taken.append("after the error")
            yield models.PublishEventStreamNote(value=models.NoteEvent(text="never"))
        finally:
            closed.append(True)

    server.push(Reply(200, {"Accepted": 1}))
    async with client(shards, server) as shards_client:
        await shards_client.publish_records(stream_name="orders", records=events())
    assert taken == ["note", "error"]
    assert closed == [True]
    request = server.requests[0]
    assert signature_of(request) == expected_signature(request, CREDENTIALS)
    _initial, note, error = sent_events(request.body)
    assert note.headers[":event-type"] == "Note"
    assert error.headers == {
        ":message-type": "exception",
        ":exception-type": "Abandoned",
        ":content-type": "application/json",
        "reason": "shutdown",
    }
    assert json.loads(error.payload) == {"message": "gave up"}


async def test_an_initial_response_with_its_required_member_sets_it(
    shards: ModuleType, server: LoopbackServer
) -> None:
    body = json_event("initial-response", {"SessionId": "session-1"})
    server.push(Reply(200, body, headers=EVENT_STREAM))
    async with client(shards, server) as shards_client:
        output = await shards_client.watch_shard(shard_id="s")
        async with output.events as stream:
            assert [event async for event in stream] == []
    assert output.session_id == "session-1"


@pytest.mark.parametrize(
    "body",
    [
        pytest.param(json_event("initial-response", {"Other": 1}), id="absent"),
        pytest.param(json_event("initial-response", {"SessionId": None}), id="null"),
        pytest.param(b"", id="no-initial-response"),
    ],
)
async def test_an_initial_response_lacking_a_required_member_fails_the_call(
    shards: ModuleType, server: LoopbackServer, body: bytes
) -> None:
    """No client error correction for an initial response (require_initial_members)."""
    server.push(Reply(200, body, headers=EVENT_STREAM))
    async with client(shards, server) as shards_client:
        with pytest.raises(EventStreamError, match="SessionId") as caught:
            await shards_client.watch_shard(shard_id="s")
    assert caught.value.path == "SessionId"
    assert caught.value.status_code == 200
