"""Hand-written streaming operations in the shape smithygen generates, for runtime tests.

``Publish`` sends an input event stream and ``Subscribe`` reads an output
one over awsJson 1.1 (Kinesis SubscribeToShard's shape). ``PutBlob`` and
``GetBlob`` send and read streaming blobs over ``testBlob``, a protocol of
these tests (the request and response bodies are the blob itself), which
exercises the pipeline's streaming seam without HTTP bindings.
"""

from __future__ import annotations

from collections.abc import AsyncIterable, Mapping
from typing import Any

import attrs
import httpx
from smithygen_runtime import (
    BaseClient,
    ByteStream,
    EventMessage,
    EventReader,
    EventStream,
    OperationSpec,
    ServiceError,
    StreamingBlob,
    StreamSpec,
    blob_body,
)
from smithygen_runtime._client_protocol import ClientProtocol, WireRequest
from smithygen_runtime._event_stream import with_stream

from tests.runtime.demo_service import DemoError, UnknownDemoError, make_service


class ShardGone(DemoError):
    """A modeled exception event of the Subscribe stream."""

    code = "ShardGone"
    fault = "client"


@attrs.frozen(kw_only=True)
class Record:
    data: str


@attrs.frozen(kw_only=True)
class RecordEvent:
    """The ``record`` variant of the event union."""

    value: Record


@attrs.frozen(kw_only=True)
class UnknownEvent:
    tag: str


Event = RecordEvent | UnknownEvent


@attrs.frozen(kw_only=True)
class SubscribeInput:
    shard: str


@attrs.frozen(kw_only=True)
class SubscribeOutput:
    lifetime: int | None = None
    events: EventStream[Event] | None = None


@attrs.frozen(kw_only=True)
class PublishInput:
    shard: str
    events: AsyncIterable[Event] | None = None


@attrs.frozen(kw_only=True)
class BlobInput:
    body: StreamingBlob | None = None


@attrs.frozen(kw_only=True)
class BlobOutput:
    body: ByteStream | None = None


def de_event(message: EventMessage) -> Event:
    if message.event_type == "record":
        data = message.json()
        return RecordEvent(value=Record(data=str(data.get("Data", ""))))
    return UnknownEvent(tag=message.event_type)


def ser_event(event: Event) -> EventMessage:
    if isinstance(event, RecordEvent):
        import json

        return EventMessage(
            {
                ":message-type": "event",
                ":event-type": "record",
                ":content-type": "application/json",
            },
            json.dumps({"Data": event.value.data}).encode(),
        )
    raise ValueError("cannot send an unknown event")


EVENT_READER: EventReader[Event] = EventReader(
    deserialize=de_event,
    errors={"shardGone": ShardGone},
)

SUBSCRIBE: OperationSpec[SubscribeInput, SubscribeOutput] = OperationSpec(
    name="Subscribe",
    serialize=lambda value: {"Shard": value.shard},
    deserialize=lambda data: SubscribeOutput(lifetime=data.get("Lifetime")),
    validate=None,
    errors={},
    output_stream=StreamSpec(member="events", kind="events", events=EVENT_READER),
)

PUBLISH: OperationSpec[PublishInput, None] = OperationSpec(
    name="Publish",
    serialize=lambda value: {"Shard": value.shard},
    deserialize=lambda data: None,
    validate=None,
    errors={},
    input_stream=StreamSpec(member="events", kind="events", serialize_event=ser_event),
)


def _blob_operation(name: str, *, unsigned: bool = False) -> OperationSpec[Any, Any]:
    return OperationSpec(
        name=name,
        serialize=lambda value: {},
        deserialize=lambda data: BlobOutput(),
        validate=None,
        errors={},
        input_stream=StreamSpec(member="body", kind="blob"),
        output_stream=StreamSpec(member="body", kind="blob"),
        unsigned_payload=unsigned,
    )


PUT_BLOB = _blob_operation("PutBlob")
PUT_BLOB_UNSIGNED = _blob_operation("PutBlob", unsigned=True)


class TestBlobProtocol(ClientProtocol):
    """The body is the blob, both ways; nothing else travels."""

    __test__ = False  # not a pytest class
    names = ("testBlob",)

    def static_headers(self) -> dict[str, str]:
        return {"Content-Type": "application/octet-stream"}

    def serialize_request(
        self, operation: OperationSpec[Any, Any], input: Any
    ) -> WireRequest:
        body = blob_body(input.body, "body")
        return WireRequest("PUT", "", {}, body, {})

    def deserialize_response(
        self,
        operation: OperationSpec[Any, Any],
        status: int,
        headers: Mapping[str, str],
        content: bytes,
    ) -> tuple[Any, Mapping[str, Any]]:
        raise AssertionError("a streaming output is read by deserialize_stream")

    async def deserialize_stream(
        self, operation: OperationSpec[Any, Any], response: httpx.Response
    ) -> tuple[Any, Mapping[str, Any]]:
        stream = ByteStream(response, operation=operation.name)
        return with_stream(BlobOutput(), "body", stream), {}

    def build_error(
        self,
        operation: OperationSpec[Any, Any],
        status: int,
        reason: str,
        headers: Mapping[str, str],
        content: bytes,
    ) -> ServiceError:
        return UnknownDemoError(content.decode(), code=str(status), status_code=status)


PROTOCOL = TestBlobProtocol


class StreamingClient(BaseClient):
    """Event-stream operations over awsJson 1.1."""

    _service = attrs.evolve(
        make_service(), errors={**make_service().errors, "ShardGone": ShardGone}
    )

    async def subscribe(self, *, shard: str) -> SubscribeOutput:
        return await self._invoke(SUBSCRIBE, SubscribeInput(shard=shard))

    async def publish(self, *, shard: str, events: AsyncIterable[Event]) -> None:
        await self._invoke(PUBLISH, PublishInput(shard=shard, events=events))


class BlobClient(BaseClient):
    """Streaming blob operations over the tests' ``testBlob`` protocol."""

    _service = make_service(protocol="testBlob")

    async def put_blob(
        self, *, body: StreamingBlob, unsigned: bool = False
    ) -> BlobOutput:
        operation = PUT_BLOB_UNSIGNED if unsigned else PUT_BLOB
        result: BlobOutput = await self._invoke(operation, BlobInput(body=body))
        return result
