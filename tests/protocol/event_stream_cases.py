"""Run ``smithy.test#eventStreamTests`` cases against generated clients.

Spec: additional-specs_event-stream-protocol-compliance-tests.rst. A case
has request events (the client must send them: each is framed, checked
against the case's ``headers`` / ``forbidHeaders`` / ``requireHeaders`` and
``body`` by its ``bodyMediaType``, after botocore's decoder unwraps the
signed envelopes), response events (the client must read them: their
``bytes``, or a frame built from ``headers`` and ``body`` when no bytes are
given, become the response body, and the events read must equal ``params``),
an optional initial request/response (the HTTP message, for HTTP protocols)
and an ``expectation`` (success, or a failure, of ``errorId``'s class if set).
A case that says nothing of the response is answered with a valid initial
response (its required members set to placeholders, as the input's are).
"""

from __future__ import annotations

import base64
from collections.abc import AsyncIterator, Callable, Mapping, MutableMapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import anyio
import httpx
import pytest
from botocore.eventstream import EventStreamBuffer
from smithy_python.model import (
    OperationShape,
    ServiceShape,
    ShapeId,
    ShapeType,
    to_json,
)
from smithygen.emit.traits import get_trait
from smithygen.select import service_operations
from smithygen_runtime import EventStream, SmithyGenError, TypedInt
from smithygen_runtime._event_framing import encode_message

from tests.protocol.harness import Generated, Suite
from tests.protocol.runners import _make_client, _minimal_node, check_body
from tests.protocol.values import assert_same, epoch_to_datetime

EVENT_STREAM_TESTS = ShapeId("smithy.test", "eventStreamTests")


@dataclass(frozen=True)
class EventCase:
    """One event stream test case of one operation."""

    id: str
    data: Mapping[str, Any]
    service: ServiceShape
    operation: OperationShape

    @property
    def key(self) -> str:
        return f"events:{self.id}"

    @property
    def for_client(self) -> bool:
        return self.data.get("appliesTo") in (None, "client")


def event_cases(suite: Suite) -> list[EventCase]:
    """Every eventStreamTests case of the suite's services, in model order."""
    cases = []
    for service in sorted(suite.model.services(), key=lambda s: str(s.id)):
        for op in service_operations(suite.model, service):
            if EVENT_STREAM_TESTS not in op.traits:
                continue
            for data in to_json(op.traits[EVENT_STREAM_TESTS]):
                cases.append(EventCase(data["id"], data, service, op))
    return cases


# --- expected values ------------------------------------------------------------------


def _header_value(typed: Mapping[str, Any]) -> Any:
    """An EventHeaderValue union as botocore's decoder gives the value."""
    ((kind, value),) = typed.items()
    if kind == "blob":
        return base64.b64decode(value)
    if kind == "timestamp":
        when = value if isinstance(value, datetime) else epoch_to_datetime(value)
        return int(when.timestamp() * 1000)
    return value


def _wire_header(typed: Mapping[str, Any]) -> Any:
    """An EventHeaderValue union as a value for our encoder (responses without bytes)."""
    ((kind, value),) = typed.items()
    if kind in ("byte", "short", "long"):
        return TypedInt(int(value), kind)
    if kind == "integer":
        return TypedInt(int(value), "integer")
    if kind == "timestamp":
        return value if isinstance(value, datetime) else epoch_to_datetime(value)
    if kind == "blob":
        return base64.b64decode(value)
    return value


def _event_bytes(event: Mapping[str, Any]) -> bytes:
    """The wire bytes of a response event: its ``bytes``, else framed from its parts."""
    if "bytes" in event:
        return base64.b64decode(event["bytes"])
    headers = {name: _wire_header(v) for name, v in event.get("headers", {}).items()}
    body = str(event.get("body", "")).encode("utf-8")
    return encode_message(headers, body)


# --- checks of sent events ------------------------------------------------------------


def _sent_events(body: bytes) -> list[Any]:
    """The events inside the signed envelopes of a request body (botocore decodes)."""
    outer = EventStreamBuffer()
    outer.add_data(body)
    found = []
    for envelope in outer:
        assert ":chunk-signature" in envelope.headers, "event not in a signed envelope"
        if not envelope.payload:
            continue  # the signed end of the stream
        inner = EventStreamBuffer()
        inner.add_data(envelope.payload)
        found.extend(inner)
    return found


def check_sent_event(actual: Any, expected: Mapping[str, Any], where: str) -> None:
    for name, typed in expected.get("headers", {}).items():
        assert name in actual.headers, f"{where}: header {name} missing"
        want = _header_value(typed)
        assert actual.headers[name] == want, (
            f"{where}: header {name} is {actual.headers[name]!r}, expected {want!r}"
        )
    for name in expected.get("forbidHeaders", []):
        assert name not in actual.headers, f"{where}: forbidden header {name} sent"
    for name in expected.get("requireHeaders", []):
        assert name in actual.headers, f"{where}: required header {name} missing"
    if "body" in expected:
        check_body(actual.payload, expected["body"], expected.get("bodyMediaType"))


# --- running a case -------------------------------------------------------------------


def _stream_member(gen: Generated, shape_id: ShapeId) -> Any:
    return gen.ctx.stream_member(shape_id)


async def _events_of(
    gen: Generated, member: Any, events: list[Any]
) -> AsyncIterator[Any]:
    for event in events:
        yield gen.converter.value(event["params"], member.target)


def _says_nothing_of_the_response(data: Mapping[str, Any]) -> bool:
    """Whether the case tests the request side only (an input or duplex case)."""
    return not (
        data.get("initialResponse")
        or data.get("initialResponseParams")
        or any(e["type"] == "response" for e in data.get("events", []))
    )


_HEADER_PLACEHOLDERS: Mapping[ShapeType, str] = {
    ShapeType.STRING: "a",
    ShapeType.ENUM: "a",
    ShapeType.BOOLEAN: "false",
    ShapeType.BYTE: "0",
    ShapeType.SHORT: "0",
    ShapeType.INTEGER: "0",
    ShapeType.LONG: "0",
}


def _required_header_placeholders(gen: Generated, case: EventCase) -> dict[str, str]:
    """Headers giving the output's required header-bound members a value.

    A case that says nothing of the response (DuplexInitialRequestInput)
    still gets one from the runner: a valid initial response, its required
    members set to placeholders, as ``_call_kwargs`` sets the input's. A
    case that tests the response gets exactly what it describes (so
    MissingRequiredInitialResponseOutput's lacks its required member).
    """
    op = case.operation
    if not _says_nothing_of_the_response(case.data) or gen.ctx.is_unit(op.output):
        return {}
    headers = {}
    for m in gen.ctx.members(gen.ctx.model.get_shape(op.output)):
        name = get_trait(m.shape, "httpHeader")
        if m.stream or not m.required or m.has_default or not isinstance(name, str):
            continue
        assert m.target.type in _HEADER_PLACEHOLDERS, f"no placeholder for {m.target}"
        headers[name] = _HEADER_PLACEHOLDERS[m.target.type]
    return headers


def _initial_response(
    data: Mapping[str, Any], body: bytes, placeholders: Mapping[str, str]
) -> httpx.Response:
    initial = data.get("initialResponse") or {}
    headers = {**placeholders, **initial.get("headers", {})}
    code = int(initial.get("code", 200))
    if code >= 300:
        return httpx.Response(
            code, headers=headers, content=str(initial.get("body", "")).encode()
        )
    headers.setdefault("Content-Type", "application/vnd.amazon.eventstream")
    return httpx.Response(code, headers=headers, content=body)


def _call_kwargs(
    gen: Generated, case: EventCase, requests: list[Any]
) -> dict[str, Any]:
    op = case.operation
    if gen.ctx.is_unit(op.input):
        return {}
    shape = gen.ctx.model.get_shape(op.input)
    member = _stream_member(gen, op.input)
    # Required members the case leaves out get placeholders, as in response cases.
    node = {
        name: value
        for name, value in _minimal_node(gen.ctx, shape, 0).items()
        if member is None or name != member.wire
    }
    node.update(case.data.get("initialRequestParams") or {})
    kwargs = gen.converter.kwargs(node, shape)
    if member is not None:
        kwargs[member.attr] = _events_of(gen, member, requests)
    return kwargs


async def _read_output(gen: Generated, case: EventCase, output: Any) -> list[Any]:
    """The events the output's stream gives, read to its end."""
    member = _stream_member(gen, case.operation.output)
    if member is None:
        return []
    stream = getattr(output, member.attr)
    assert isinstance(stream, EventStream), f"output stream is {stream!r}"
    async with stream:
        return [event async for event in stream]


def _check_initial_request(request: httpx.Request, data: Mapping[str, Any]) -> None:
    initial = data.get("initialRequest")
    if not initial:
        return
    assert request.method == initial.get("method", request.method)
    if "uri" in initial:
        assert request.url.path == initial["uri"], f"uri {request.url.path}"
    for name, value in initial.get("headers", {}).items():
        assert request.headers.get(name) == value, f"header {name}"


def _check_failure(case: EventCase, gen: Generated, error: BaseException) -> None:
    expectation = case.data.get("expectation", {}).get("failure")
    assert expectation is not None, f"unexpected failure: {error!r}"
    assert isinstance(error, SmithyGenError), f"untyped failure: {error!r}"
    error_id = expectation.get("errorId")
    if error_id is not None:
        name = gen.ctx.class_of(ShapeId.from_string(str(error_id)))
        cls = getattr(gen.converter.errors, name)
        assert type(error) is cls, f"expected {name}, got {error!r}"


async def run_event_case(gen: Generated, case: EventCase) -> None:
    data = case.data
    events = data.get("events", [])
    requests = [e for e in events if e["type"] == "request"]
    responses = [e for e in events if e["type"] == "response"]
    captured: list[httpx.Request] = []
    body = b"".join(_event_bytes(e) for e in responses)
    placeholders = _required_header_placeholders(gen, case)

    def handler(request: httpx.Request) -> httpx.Response:
        captured.append(request)
        return _initial_response(data, body, placeholders)

    client, http = _make_client(gen, data, handler)
    method = getattr(client, gen.ctx.method_names[case.operation.id])
    failure: BaseException | None = None
    received: list[Any] = []
    output: Any = None
    try:
        async with client:
            output = await method(**_call_kwargs(gen, case, requests))
            received = await _read_output(gen, case, output)
    except SmithyGenError as exc:
        failure = exc
    finally:
        await http.aclose()
    if failure is not None:
        _check_failure(case, gen, failure)
    else:
        assert "failure" not in data.get("expectation", {}), "expected a failure"
    assert len(captured) == 1, f"expected one request, got {len(captured)}"
    _check_initial_request(captured[0], data)
    if requests:
        sent = _sent_events(captured[0].content)
        assert len(sent) == len(requests), f"sent {len(sent)} events"
        for index, (actual, expected) in enumerate(zip(sent, requests, strict=True)):
            check_sent_event(actual, expected, f"request event {index}")
    if failure is None and responses:
        member = _stream_member(gen, case.operation.output)
        expected = [gen.converter.value(e["params"], member.target) for e in responses]
        assert_same(received, expected, "events")
    if failure is None and data.get("initialResponseParams") and output is not None:
        shape = gen.ctx.model.get_shape(case.operation.output)
        for attr, value in gen.converter.kwargs(
            data["initialResponseParams"], shape
        ).items():
            assert_same(getattr(output, attr), value, f"output.{attr}")


# --- pytest wiring --------------------------------------------------------------------


def event_stream_tests(
    fixture_name: str,
    cases: Callable[[], list[EventCase] | str],
    known_failures: Mapping[str, str],
    namespace: MutableMapping[str, Any],
) -> None:
    """Define ``test_event_stream`` (one per case) in a suite's test module."""

    def params() -> list[Any]:
        found = cases()
        if isinstance(found, str):
            return [pytest.param(found, id="suite-unavailable")]
        out = []
        for case in found:
            marks: list[Any] = []
            if not case.for_client:
                marks.append(pytest.mark.skip(reason="appliesTo: server"))
            elif case.key in known_failures:
                marks.append(
                    pytest.mark.xfail(reason=known_failures[case.key], strict=True)
                )
            out.append(pytest.param(case, id=case.id, marks=marks))
        return out

    @pytest.mark.parametrize("case", params())
    def test_event_stream(
        case: EventCase | str, request: pytest.FixtureRequest
    ) -> None:
        suite: Suite = request.getfixturevalue(fixture_name)
        assert isinstance(case, EventCase), case
        found = suite._generated.get(str(case.service.id))
        assert isinstance(found, Generated), found
        anyio.run(run_event_case, found, case)

    def test_event_stream_known_failures_name_existing_cases(
        request: pytest.FixtureRequest,
    ) -> None:
        found = cases()
        assert not isinstance(found, str), found
        keys = {case.key for case in found}
        assert set(known_failures) <= keys, sorted(set(known_failures) - keys)

    namespace["test_event_stream"] = test_event_stream
    namespace["test_event_stream_known_failures_name_existing_cases"] = (
        test_event_stream_known_failures_name_existing_cases
    )
