"""Interceptors: every hook of Smithy's reference architecture, in its order, sync or async.

The order is the one of smithy-reference-architecture's "Interceptors"
(read_before_execution ... read_after_execution); the hooks from
read_before_attempt to read_after_attempt run once per attempt.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from typing import Any

import httpx
import pytest
from smithygen_runtime import (
    ConfigurationError,
    Interceptor,
    InterceptorContext,
    ServiceError,
)
from smithygen_runtime.interceptors import RequestIdLogger

from tests.runtime.conftest import Recorder, json_response
from tests.runtime.demo_service import DemoClient, GetThingInput, GetThingOutput

pytestmark = pytest.mark.anyio
MakeClient = Callable[..., DemoClient]

BEFORE_LOOP = [
    "read_before_execution",
    "modify_before_serialization",
    "read_before_serialization",
    "read_after_serialization",
    "modify_before_retry_loop",
]
PER_ATTEMPT = [
    "read_before_attempt",
    "modify_before_signing",
    "read_before_signing",
    "read_after_signing",
    "modify_before_transmit",
    "read_before_transmit",
    "read_after_transmit",
    "modify_before_deserialization",
    "read_before_deserialization",
    "read_after_deserialization",
    "modify_before_attempt_completion",
    "read_after_attempt",
]
AFTER_LOOP = ["modify_before_completion", "read_after_execution"]
HOOKS = BEFORE_LOOP + PER_ATTEMPT + AFTER_LOOP
OK = json_response(200, {"Items": ["a"]})


class Recording(Interceptor):
    """Records each hook with the attempt number and what the context held."""

    def __init__(self, name: str = "", log: list[Any] | None = None) -> None:
        self.name = name
        self.log: list[Any] = [] if log is None else log

    def __getattribute__(self, attribute: str) -> Any:
        if attribute not in HOOKS:
            return super().__getattribute__(attribute)
        default = getattr(Interceptor, attribute)

        def hook(context: InterceptorContext) -> Any:
            self.log.append((self.name, attribute, context.attempt))
            return default(self, context)

        return hook


def _hooks(log: list[Any]) -> list[str]:
    return [hook for _, hook, _ in log]


async def test_every_hook_runs_once_in_the_reference_order(
    make_client: MakeClient,
) -> None:
    recording = Recording()
    async with make_client(Recorder(OK), interceptors=[recording]) as client:
        assert await client.get_thing() == GetThingOutput(items=["a"])
    assert _hooks(recording.log) == HOOKS
    attempts = {hook: attempt for _, hook, attempt in recording.log}
    assert attempts["modify_before_retry_loop"] == 0
    assert attempts["read_before_attempt"] == 1


async def test_per_attempt_hooks_run_for_every_attempt_of_a_retried_call(
    make_client: MakeClient,
) -> None:
    recording = Recording()
    recorder = Recorder(json_response(503, {"__type": "ServiceUnavailable"}), OK)
    async with make_client(recorder, interceptors=[recording]) as client:
        await client.get_thing()
    assert len(recorder.requests) == 2
    assert _hooks(recording.log) == BEFORE_LOOP + PER_ATTEMPT * 2 + AFTER_LOOP
    numbers = [attempt for _, hook, attempt in recording.log if hook in PER_ATTEMPT]
    assert numbers == [1] * len(PER_ATTEMPT) + [2] * len(PER_ATTEMPT)


async def test_interceptors_run_in_the_order_given(make_client: MakeClient) -> None:
    log: list[Any] = []
    first, second = Recording("first", log), Recording("second", log)
    async with make_client(Recorder(OK), interceptors=[first, second]) as client:
        await client.get_thing()
    names = [name for name, hook, _ in log if hook == "read_before_execution"]
    assert names == ["first", "second"]
    assert [name for name, _, _ in log[:2]] == ["first", "second"]


class SeesEverything(Interceptor):
    def __init__(self) -> None:
        self.seen: dict[str, Any] = {}

    def read_after_serialization(self, context: InterceptorContext) -> None:
        self.seen["request"] = context.request
        self.seen["response_before"] = context.response

    def read_after_transmit(self, context: InterceptorContext) -> None:
        self.seen["response"] = context.response

    def read_after_execution(self, context: InterceptorContext) -> None:
        self.seen.update(
            operation=context.operation,
            input=context.input,
            output=context.output,
            error=context.error,
            service=context.service,
        )


async def test_the_context_holds_operation_input_request_response_and_output(
    make_client: MakeClient,
) -> None:
    interceptor = SeesEverything()
    async with make_client(Recorder(OK), interceptors=[interceptor]) as client:
        await client.get_thing(name="x")
    seen = interceptor.seen
    assert seen["operation"] == "GetThing"
    assert seen["input"] == GetThingInput(name="x")
    assert isinstance(seen["request"], httpx.Request)
    assert seen["response_before"] is None
    assert isinstance(seen["response"], httpx.Response)
    assert seen["response"].status_code == 200
    assert seen["output"] == GetThingOutput(items=["a"])
    assert seen["error"] is None
    assert seen["service"] == "Demo"


class Rewrites(Interceptor):
    """Changes the input, adds one header before and one after signing."""

    def modify_before_serialization(self, context: InterceptorContext) -> Any:
        return GetThingInput(name="rewritten")

    def modify_before_signing(self, context: InterceptorContext) -> Any:
        assert context.request is not None
        context.request.headers["x-amz-meta-signed"] = "yes"
        return context.request

    def modify_before_transmit(self, context: InterceptorContext) -> Any:
        assert context.request is not None
        context.request.headers["x-trace-after-signing"] = "1"
        return context.request


async def test_modify_hooks_change_the_input_and_the_request(
    make_client: MakeClient,
) -> None:
    recorder = Recorder(OK)
    async with make_client(recorder, interceptors=[Rewrites()]) as client:
        await client.get_thing(name="original")
    [request] = recorder.requests
    assert json.loads(request.content)["Name"] == "rewritten"
    signed = request.headers["authorization"].split("SignedHeaders=")[1].split(",")[0]
    assert "x-amz-meta-signed" in signed.split(";")
    assert "x-trace-after-signing" not in signed.split(";")
    assert request.headers["x-trace-after-signing"] == "1"


class ReplacesResponse(Interceptor):
    def modify_before_deserialization(self, context: InterceptorContext) -> Any:
        return httpx.Response(
            200, json={"Items": ["from the interceptor"]}, request=context.request
        )


async def test_modify_before_deserialization_replaces_the_response(
    make_client: MakeClient,
) -> None:
    async with make_client(Recorder(OK), interceptors=[ReplacesResponse()]) as client:
        output = await client.get_thing()
    assert output == GetThingOutput(items=["from the interceptor"])


class Recovers(Interceptor):
    """Turns a failed call into an output, and a success into an error."""

    def modify_before_completion(self, context: InterceptorContext) -> Any:
        if context.error is not None:
            return GetThingOutput(items=["recovered"])
        return RuntimeError("refused by the interceptor")


async def test_modify_before_completion_returns_the_output_or_an_error(
    make_client: MakeClient,
) -> None:
    failing = Recorder(json_response(400, {"__type": "ThingNotFound"}))
    async with make_client(failing, interceptors=[Recovers()]) as client:
        assert await client.get_thing() == GetThingOutput(items=["recovered"])
    async with make_client(Recorder(OK), interceptors=[Recovers()]) as client:
        with pytest.raises(RuntimeError, match="refused by the interceptor"):
            await client.get_thing()


class AttemptCompletion(Interceptor):
    def modify_before_attempt_completion(self, context: InterceptorContext) -> Any:
        return GetThingOutput(items=[f"attempt {context.attempt}"])


async def test_modify_before_attempt_completion_returns_the_attempts_result(
    make_client: MakeClient,
) -> None:
    async with make_client(Recorder(OK), interceptors=[AttemptCompletion()]) as client:
        assert await client.get_thing() == GetThingOutput(items=["attempt 1"])


class Boom(Exception):
    pass


class RaisesIn(Recording):
    def __init__(self, hook: str, log: list[Any]) -> None:
        super().__init__("raises", log)
        self.failing = hook

    def __getattribute__(self, attribute: str) -> Any:
        hook = super().__getattribute__(attribute)
        if attribute != super().__getattribute__("failing"):
            return hook

        def failing(context: InterceptorContext) -> Any:
            hook(context)
            raise Boom(attribute)

        return failing


@pytest.mark.parametrize("failing", ["read_before_execution", "read_before_transmit"])
async def test_a_hooks_exception_surfaces_as_itself_after_read_after_execution(
    make_client: MakeClient, failing: str
) -> None:
    log: list[Any] = []
    recorder = Recorder(OK)
    interceptors = [RaisesIn(failing, log), Recording("after", log)]
    async with make_client(recorder, interceptors=interceptors) as client:
        with pytest.raises(Boom, match=failing):
            await client.get_thing()
    # Not retried; the other interceptor's hook of that stage still ran.
    assert len(recorder.requests) == 0
    assert ("after", failing) in [(name, hook) for name, hook, _ in log]
    assert _hooks(log)[-2:] == ["read_after_execution", "read_after_execution"]
    if failing == "read_before_transmit":
        assert "modify_before_attempt_completion" in _hooks(log)
        assert "read_after_attempt" in _hooks(log)
    else:
        assert "read_before_attempt" not in _hooks(log)


class Async(Interceptor):
    def __init__(self) -> None:
        self.calls: list[str] = []

    async def read_before_execution(self, context: InterceptorContext) -> None:
        import anyio

        await anyio.sleep(0)
        self.calls.append("read_before_execution")

    async def modify_before_signing(self, context: InterceptorContext) -> Any:
        import anyio

        await anyio.sleep(0)
        assert context.request is not None
        context.request.headers["x-amz-meta-async"] = "1"
        self.calls.append("modify_before_signing")
        return context.request


async def test_hooks_may_be_async(make_client: MakeClient) -> None:
    interceptor = Async()
    recorder = Recorder(OK)
    async with make_client(recorder, interceptors=[interceptor]) as client:
        await client.get_thing()
    assert interceptor.calls == ["read_before_execution", "modify_before_signing"]
    assert recorder.requests[0].headers["x-amz-meta-async"] == "1"


async def test_service_errors_reach_read_after_execution_and_the_caller(
    make_client: MakeClient,
) -> None:
    interceptor = SeesEverything()
    recorder = Recorder(json_response(400, {"__type": "ThingNotFound"}))
    async with make_client(recorder, interceptors=[interceptor]) as client:
        with pytest.raises(ServiceError) as caught:
            await client.get_thing()
    assert interceptor.seen["error"] is caught.value
    assert interceptor.seen["output"] is None


@pytest.mark.parametrize(
    "bad", [object(), [object()], "not a list", Interceptor()], ids=repr
)
def test_the_interceptors_option_takes_a_list_of_interceptors(bad: Any) -> None:
    with pytest.raises(ConfigurationError, match="Interceptor"):
        DemoClient(region="us-east-1", interceptors=bad)


async def test_the_request_id_logger_logs_each_attempt(
    make_client: MakeClient, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="smithygen_runtime.requests")
    recorder = Recorder(
        json_response(503, {}, headers={"x-amzn-RequestId": "first-id"}),
        json_response(200, {"Items": []}, headers={"x-amzn-RequestId": "second-id"}),
    )
    async with make_client(recorder, interceptors=[RequestIdLogger()]) as client:
        await client.get_thing()
    assert [r.getMessage() for r in caplog.records] == [
        "GetThing attempt 1: HTTP 503, request id first-id",
        "GetThing attempt 2: HTTP 200, request id second-id",
    ]


async def test_the_opentelemetry_interceptor_records_one_span_per_call(
    make_client: MakeClient,
) -> None:
    pytest.importorskip("opentelemetry.sdk")
    from opentelemetry.sdk.trace import TracerProvider
    from opentelemetry.sdk.trace.export import SimpleSpanProcessor
    from opentelemetry.sdk.trace.export.in_memory_span_exporter import (
        InMemorySpanExporter,
    )
    from opentelemetry.trace import SpanKind, StatusCode
    from smithygen_runtime.interceptors import OpenTelemetrySpans

    exporter = InMemorySpanExporter()
    provider = TracerProvider()
    provider.add_span_processor(SimpleSpanProcessor(exporter))
    spans = OpenTelemetrySpans(provider.get_tracer("test"))
    recorder = Recorder(
        json_response(503, {}),
        json_response(200, {"Items": []}, headers={"x-amzn-RequestId": "req-9"}),
        json_response(400, {"__type": "ThingNotFound"}),
    )
    async with make_client(recorder, interceptors=[spans]) as client:
        await client.get_thing()
        with pytest.raises(ServiceError):
            await client.get_thing()
    ok, failed = exporter.get_finished_spans()
    assert ok.name == "Demo/GetThing"
    assert ok.kind is SpanKind.CLIENT
    assert ok.attributes is not None
    assert dict(ok.attributes) == {
        "rpc.system": "aws-api",
        "rpc.service": "Demo",
        "rpc.method": "GetThing",
        "aws.attempts": 2,
        "http.response.status_code": 200,
        "aws.request_id": "req-9",
    }
    assert ok.status.status_code is StatusCode.UNSET
    assert failed.status.status_code is StatusCode.ERROR
    assert [event.name for event in failed.events] == ["exception"]
