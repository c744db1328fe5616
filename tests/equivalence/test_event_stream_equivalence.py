"""Event streams of the official models: our generated clients and botocore, same bytes.

Lambda ``InvokeWithResponseStream`` and Bedrock Runtime ``ConverseStream``
(restJson1, generated from ../shared/aws-models) and botocore's clients call
one loopback server (tests/support/loopback_server.py) that answers in the
real wire format: an HTTP response whose body is
``application/vnd.amazon.eventstream`` frames. Both send the same request
(method, path, query, protocol headers; the same body, byte for byte or as
JSON) with the same clock, and read the same events: our typed events equal
botocore's parsed dicts member by member (``assert_same_parsed``), and an
exception event is the same modeled error (class, code, message).

Deliberate differences, as tests/equivalence/test_lambda_equivalence.py
records for Invoke: a blob payload's Content-Type (application/octet-stream,
as the restJson1 protocol requires; botocore sends none) and a JSON body's
separators (compact in restJson1), so those signatures differ.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import anyio
import pytest
from smithygen.emit.context import Context
from smithygen_runtime import Credentials, ServiceError
from smithygen_runtime._event_framing import encode_message

from tests.equivalence.loopback import (
    botocore_client,
    generated_package,
    isolated_server,
    official_context,
    our_client,
    path_and_query,
    run_ours,
)
from tests.equivalence.test_botocore_equivalence import assert_same_parsed
from tests.equivalence.wire import ACCESS_KEY, SECRET_KEY, frozen
from tests.reliability.sigv4 import expected_signature, signature_of
from tests.support.loopback_server import LoopbackServer, Reply

LAMBDA = ("lambda-2015-03-31.json", "com.amazonaws.lambda#AWSGirApiService")
BEDROCK = (
    "bedrock-runtime-2023-09-30.json",
    "com.amazonaws.bedrockruntime#AmazonBedrockFrontendService",
)
EVENT_STREAM = ("Content-Type", "application/vnd.amazon.eventstream")


_context = official_context


@pytest.fixture(scope="module")
def lambda_package(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ModuleType]:
    yield from generated_package(tmp_path_factory, *LAMBDA, "es_lambda")


@pytest.fixture(scope="module")
def bedrock_package(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ModuleType]:
    yield from generated_package(tmp_path_factory, *BEDROCK, "es_bedrock")


@pytest.fixture
def server(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[LoopbackServer]:
    yield from isolated_server(monkeypatch, tmp_path)


def our_events(client_class: Any, server: LoopbackServer, call: Any) -> Any:
    """(output, its events) of ``await call(client)``, or the error raised."""

    async def read_all(client: Any) -> Any:
        output = await call(client)
        stream = next(
            value for value in vars_of(output).values() if hasattr(value, "aclose")
        )
        async with stream:
            return output, [event async for event in stream]

    return run_ours(client_class, server, read_all)


def vars_of(output: Any) -> dict[str, Any]:
    import attrs

    return {f.name: getattr(output, f.name) for f in attrs.fields(type(output))}


def json_event(event_type: str, document: Any) -> bytes:
    return encode_message(
        {
            ":message-type": "event",
            ":event-type": event_type,
            ":content-type": "application/json",
        },
        json.dumps(document).encode(),
    )


def exception_event(exception_type: str, document: Any) -> bytes:
    return encode_message(
        {
            ":message-type": "exception",
            ":exception-type": exception_type,
            ":content-type": "application/json",
        },
        json.dumps(document).encode(),
    )


def _union_shape(ctx: Context, operation: str) -> Any:
    (op,) = [o for o in ctx.operations if o.id.name == operation]
    member = ctx.stream_member(op.output)
    assert member is not None
    return member.target


# --- Lambda InvokeWithResponseStream --------------------------------------------------

LAMBDA_EVENTS = (
    encode_message(
        {
            ":message-type": "event",
            ":event-type": "PayloadChunk",
            ":content-type": "application/octet-stream",
        },
        b'{"partial": ',
    )
    + encode_message(
        {
            ":message-type": "event",
            ":event-type": "PayloadChunk",
            ":content-type": "application/octet-stream",
        },
        b'"answer"}',
    )
    + json_event(
        "InvokeComplete",
        {"LogResult": base64.b64encode(b"START RequestId").decode()},
    )
)


def test_invoke_with_response_stream_is_read_as_botocore_reads_it(
    lambda_package: ModuleType, server: LoopbackServer
) -> None:
    server.handler = lambda request: Reply(
        200,
        LAMBDA_EVENTS,
        (EVENT_STREAM, ("X-Amz-Executed-Version", "7")),
    )
    payload = b'{"question": 42}'
    with frozen():
        mine = our_events(
            lambda_package.LambdaClient,
            server,
            lambda c: c.invoke_with_response_stream(
                function_name="streamer",
                invocation_type="RequestResponse",
                log_type="Tail",
                qualifier="7",
                payload=payload,
            ),
        )
        boto = botocore_client("lambda", server).invoke_with_response_stream(
            FunctionName="streamer",
            InvocationType="RequestResponse",
            LogType="Tail",
            Qualifier="7",
            Payload=payload,
        )
        their_events = list(boto["EventStream"])
    first, second = server.requests
    assert (
        path_and_query(first.target)
        == path_and_query(second.target)
        == (
            "/2021-11-15/functions/streamer/response-streaming-invocations",
            ["Qualifier=7"],
        )
    )
    assert first.method == second.method == "POST"
    for name in ("x-amz-invocation-type", "x-amz-log-type", "x-amz-date"):
        assert first.headers.get(name) == second.headers.get(name), name
    assert first.body == second.body == payload
    assert first.headers["content-type"] == "application/octet-stream"  # see above

    output, events = mine
    assert output.executed_version == boto["ExecutedVersion"] == "7"
    assert output.status_code == boto["StatusCode"] == 200
    ctx = _context(*LAMBDA, "es_lambda")
    union = _union_shape(ctx, "InvokeWithResponseStream")
    assert len(events) == len(their_events) == 3
    for index, (ours, theirs) in enumerate(zip(events, their_events, strict=True)):
        assert_same_parsed(ours, theirs, union, f"event[{index}]", ctx)
    assert b"".join(e.value.payload for e in events[:2]) == b'{"partial": "answer"}'


# --- Bedrock Runtime ConverseStream ---------------------------------------------------

BEDROCK_EVENTS = (
    json_event("messageStart", {"role": "assistant"})
    + json_event(
        "contentBlockDelta", {"delta": {"text": "Hel"}, "contentBlockIndex": 0}
    )
    + json_event(
        "contentBlockDelta", {"delta": {"text": "lo!"}, "contentBlockIndex": 0}
    )
    + json_event("contentBlockStop", {"contentBlockIndex": 0})
    + json_event("messageStop", {"stopReason": "end_turn"})
    + json_event(
        "metadata",
        {
            "usage": {"inputTokens": 12, "outputTokens": 3, "totalTokens": 15},
            "metrics": {"latencyMs": 321},
        },
    )
)

MESSAGES = [{"role": "user", "content": [{"text": "Say hello"}]}]


def _converse_stream(bedrock_package: ModuleType) -> Any:
    models = bedrock_package.models

    def call(client: Any) -> Any:
        return client.converse_stream(
            model_id="anthropic.claude-3-haiku",
            messages=[
                models.Message(
                    role="user",
                    content=[models.ContentBlockText(value="Say hello")],
                )
            ],
            inference_config=models.InferenceConfiguration(max_tokens=50),
        )

    return call


def test_converse_stream_sends_and_reads_as_botocore_does(
    bedrock_package: ModuleType, server: LoopbackServer
) -> None:
    server.handler = lambda request: Reply(200, BEDROCK_EVENTS, (EVENT_STREAM,))
    with frozen():
        mine = our_events(
            bedrock_package.BedrockRuntimeClient,
            server,
            _converse_stream(bedrock_package),
        )
        boto = botocore_client("bedrock-runtime", server).converse_stream(
            modelId="anthropic.claude-3-haiku",
            messages=MESSAGES,
            inferenceConfig={"maxTokens": 50},
        )
        their_events = list(boto["stream"])
    first, second = server.requests
    assert first.method == second.method == "POST"
    assert (
        first.target
        == second.target
        == "/model/anthropic.claude-3-haiku/converse-stream"
    )
    assert first.headers["content-type"] == second.headers["content-type"]
    assert json.loads(first.body) == json.loads(second.body)

    _, events = mine
    ctx = _context(*BEDROCK, "es_bedrock")
    union = _union_shape(ctx, "ConverseStream")
    assert len(events) == len(their_events) == 6
    for index, (ours, theirs) in enumerate(zip(events, their_events, strict=True)):
        assert_same_parsed(ours, theirs, union, f"event[{index}]", ctx)
    text = "".join(
        e.value.delta.value for e in events if type(e).__name__.endswith("Delta")
    )
    assert text == "Hello!"


def test_an_exception_event_is_the_modeled_error_botocore_raises(
    bedrock_package: ModuleType, server: LoopbackServer
) -> None:
    from botocore.exceptions import EventStreamError

    body = json_event("messageStart", {"role": "assistant"}) + exception_event(
        "throttlingException", {"message": "Too many tokens, please wait."}
    )
    server.handler = lambda request: Reply(200, body, (EVENT_STREAM,))
    mine = our_events(
        bedrock_package.BedrockRuntimeClient, server, _converse_stream(bedrock_package)
    )
    boto = botocore_client("bedrock-runtime", server).converse_stream(
        modelId="anthropic.claude-3-haiku", messages=MESSAGES
    )
    with pytest.raises(EventStreamError) as caught:
        list(boto["stream"])
    their_error = caught.value.response["Error"]
    assert isinstance(mine, bedrock_package.ThrottlingException)
    assert mine.code == "throttlingException"
    assert their_error["Code"] == "throttlingException"
    assert mine.message == their_error["Message"] == "Too many tokens, please wait."


# --- a streaming blob input: Lambda InvokeAsync -------------------------------------


def test_invoke_async_streams_a_file_as_botocore_sends_it(
    lambda_package: ModuleType, server: LoopbackServer, tmp_path: Path
) -> None:
    """The file is read off the loop and sent whole, with its length, as botocore does."""
    args = tmp_path / "args.json"
    args.write_bytes(b'{"records": [' + b"1," * 50_000 + b"0]}")
    server.handler = lambda request: Reply(
        202, b'{"Status": 202}', (("Content-Type", "application/json"),)
    )

    async def call() -> Any:
        client = our_client(lambda_package.LambdaClient, server)
        async with client:
            with args.open("rb") as file:
                return await client.invoke_async(function_name="f", invoke_args=file)

    with frozen():
        mine = anyio.run(call)
        with args.open("rb") as file:
            boto = botocore_client("lambda", server).invoke_async(
                FunctionName="f", InvokeArgs=file
            )
    first, second = server.requests
    assert first.target == second.target == "/2014-11-13/functions/f/invoke-async"
    assert first.body == second.body == args.read_bytes()
    assert first.headers["content-length"] == second.headers["content-length"]
    assert mine.status == boto["Status"] == 202
    # Signed over the file's SHA-256 (http: botocore always hashes the
    # payload); botocore recomputes the same signature from what arrived.
    credentials = Credentials(ACCESS_KEY, SECRET_KEY)
    assert signature_of(first) == expected_signature(first, credentials)


# --- Bedrock Runtime InvokeModelWithResponseStream -------------------------------------


def test_invoke_model_with_response_stream_chunks_and_error_members_match(
    bedrock_package: ModuleType, server: LoopbackServer
) -> None:
    from botocore.exceptions import EventStreamError

    chunks = [b'{"completion": "Hel', b'lo"}']
    body = b"".join(
        json_event("chunk", {"bytes": base64.b64encode(part).decode()})
        for part in chunks
    ) + exception_event(
        "modelStreamErrorException",
        {
            "message": "the model stopped",
            "originalStatusCode": 424,
            "originalMessage": "upstream failure",
        },
    )
    server.handler = lambda request: Reply(
        200,
        body,
        (EVENT_STREAM, ("X-Amzn-Bedrock-Content-Type", "application/json")),
    )

    async def call() -> Any:
        client = our_client(bedrock_package.BedrockRuntimeClient, server)
        received: list[Any] = []
        async with client:
            output = await client.invoke_model_with_response_stream(
                model_id="m", body=b'{"prompt": "hi"}'
            )
            try:
                async with output.body as events:
                    async for event in events:
                        received.append(event)
            except ServiceError as error:
                return output, received, error
        return output, received, None

    with frozen():
        output, received, error = anyio.run(call)
        boto = botocore_client(
            "bedrock-runtime", server
        ).invoke_model_with_response_stream(modelId="m", body=b'{"prompt": "hi"}')
        their_events = []
        with pytest.raises(EventStreamError) as caught:
            for event in boto["body"]:
                their_events.append(event)
    first, second = server.requests
    assert first.target == second.target == "/model/m/invoke-with-response-stream"
    assert first.body == second.body
    assert output.content_type == boto["contentType"] == "application/json"
    ctx = _context(*BEDROCK, "es_bedrock")
    union = _union_shape(ctx, "InvokeModelWithResponseStream")
    assert len(received) == len(their_events) == 2
    for index, (ours, theirs) in enumerate(zip(received, their_events, strict=True)):
        assert_same_parsed(ours, theirs, union, f"event[{index}]", ctx)
    assert b"".join(e.value.bytes_ for e in received) == b"".join(chunks)
    their_error = caught.value.response
    assert isinstance(error, bedrock_package.ModelStreamErrorException)
    assert error.code == their_error["Error"]["Code"] == "modelStreamErrorException"
    assert error.message == their_error["Error"]["Message"]
    # botocore's EventStreamError keeps the code and message only; the error's
    # modeled members are read here as sent.
    assert set(their_error) == {"Error"}
    assert error.original_status_code == 424
    assert error.original_message == "upstream failure"
