"""Streaming members of the HTTP binding protocols (restJson1, restXml).

A streaming member is the ``@httpPayload`` (streaming.rst: it must be): a
blob is the whole body, sent and read as a stream; an event stream's events
are the whole body, and its initial request or response is what the other
members bind to the URI, query and headers (aws_amazon-eventstream.rst,
"Initial Message Events": in REST protocols they are never in the body).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

from ._client_protocol import WireRequest
from ._event_framing import EVENT_STREAM_CONTENT_TYPE
from ._event_stream import EventStream, event_input_body, require_initial_members
from ._http_bindings import (
    BoundRequest,
    BoundValueError,
    bound_value_error,
    read_bound_members,
)
from ._streaming import ByteStream, StreamingBody, blob_body

if TYPE_CHECKING:
    import httpx

    from ._specs import HttpBinding, OperationSpec, ServiceSpec

__all__ = ["bound_output_with_stream", "streaming_body", "streaming_request"]

OCTET_STREAM = "application/octet-stream"


def streaming_body(
    operation: OperationSpec[Any, Any], input: Any, bound: BoundRequest
) -> tuple[StreamingBody, str]:
    """The request body of a streaming input member, and its Content-Type."""
    spec = operation.input_stream
    assert spec is not None
    if spec.kind == "events":
        return event_input_body(operation, input), EVENT_STREAM_CONTENT_TYPE
    payload = bound.payload
    media_type = payload.media_type if payload is not None else None
    value = b"" if bound.payload_value is None else bound.payload_value
    return blob_body(value, spec.member), media_type or OCTET_STREAM


def streaming_request(
    operation: OperationSpec[Any, Any],
    input: Any,
    http: HttpBinding,
    bound: BoundRequest,
    document: Mapping[str, Any],
    *,
    default_content_type: bool = True,
    add_headers: Callable[[dict[str, str], StreamingBody], None] | None = None,
) -> WireRequest:
    """A request whose payload is a stream (a blob or events): sent as read.

    The Content-Type is the stream's unless a bound header set one (or
    ``default_content_type`` is False: S3 sends none). ``add_headers`` is a
    protocol's customization (restJson1's API Gateway and Glacier headers,
    S3's Expect): it sees the headers and the body, never read whole here
    (``body.in_memory`` is None for a file or a stream).
    """
    body, content_type = streaming_body(operation, input, bound)
    headers = bound.headers
    if default_content_type and not any(
        key.lower() == "content-type" for key in headers
    ):
        headers["Content-Type"] = content_type
    if add_headers is not None:
        add_headers(headers, body)
    return WireRequest(http.method, bound.target, headers, body, document)


def bound_output_with_stream(
    service: ServiceSpec,
    operation: OperationSpec[Any, Any],
    http: HttpBinding,
    response: httpx.Response,
    request_id: str | None,
) -> tuple[Any, dict[str, Any]]:
    """The output: its header- and status-bound members, and the body as its stream.

    An unreadable bound header is a ResponseParseError naming it; the
    response is closed by the pipeline if anything fails here.
    """
    spec = operation.output_stream
    assert spec is not None
    status = response.status_code
    try:
        values = read_bound_members(http.output, status, response.headers)
    except BoundValueError as exc:
        subject = f"{operation.name} response"
        raise bound_value_error(subject, exc, status, request_id) from None
    stream: ByteStream | EventStream[Any]
    if spec.kind == "events":
        present = [m.key for m in http.output if m.attr in values]
        require_initial_members(operation, present, status, request_id)
        stream = EventStream(response, spec.events, service, request_id=request_id)
    else:
        stream = ByteStream(response, operation=operation.name)
    values[spec.member] = stream
    import attrs

    output = attrs.evolve(operation.deserialize({}), **values)
    return output, {}
