"""Bedrock Runtime's ``Converse`` (restJson1, unions and documents) end to end:
the generated client and botocore's against one loopback server.

One conversation (text, an image as a blob, a tool with a JSON-schema
document, inference settings, a document of model fields) goes from both
clients to the server (tests/support/loopback_server.py) with the same clock
and UUIDs; the requests must have the same method, path, headers that matter
and JSON body (as values: ours is compact, botocore's spaced) and the same
signature over them. The same answer (a text block and a tool-use block
whose input is a document, usage, metrics) must parse to the same values,
and a modeled error to the same error.
"""

from __future__ import annotations

import base64
import importlib
import json
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from smithygen.emit.context import Context

from tests.equivalence.loopback import (
    botocore_client,
    generated_package,
    isolated_server,
    official_context,
    run_ours,
    run_theirs,
)
from tests.equivalence.test_all_operations import to_botocore
from tests.equivalence.test_botocore_equivalence import assert_same_parsed
from tests.equivalence.wire import (
    botocore_signature,
    frozen,
)
from tests.protocol.values import Converter, json_equal
from tests.support.loopback_server import (
    LoopbackServer,
    Reply,
)

MODEL = "bedrock-runtime-2023-09-30.json"
SERVICE = "com.amazonaws.bedrockruntime#AmazonBedrockFrontendService"
PACKAGE = "eq_bedrock_runtime"
MODEL_ID = "anthropic.claude-3-haiku-20240307-v1:0"

# The input in protocol-test params form (blobs as text), for both clients.
CONVERSATION: dict[str, Any] = {
    "modelId": MODEL_ID,
    "messages": [
        {
            "role": "user",
            "content": [
                {"text": "What is in this picture, and what is the weather?"},
                {"image": {"format": "png", "source": {"bytes": "\x89PNG fake"}}},
            ],
        }
    ],
    "system": [{"text": "You are terse."}],
    "inferenceConfig": {
        "maxTokens": 512,
        "temperature": 0.5,
        "topP": 0.9,
        "stopSequences": ["\n\nHuman:"],
    },
    "toolConfig": {
        "tools": [
            {
                "toolSpec": {
                    "name": "get_weather",
                    "description": "The weather in a city",
                    "inputSchema": {
                        "json": {
                            "type": "object",
                            "properties": {"city": {"type": "string"}},
                            "required": ["city"],
                        }
                    },
                }
            }
        ],
        "toolChoice": {"auto": {}},
    },
    "additionalModelRequestFields": {"top_k": 200, "nested": [1, 2.5, None, True]},
}

ANSWER = {
    "output": {
        "message": {
            "role": "assistant",
            "content": [
                {"text": "A cat. Checking the weather."},
                {
                    "toolUse": {
                        "toolUseId": "tooluse_1",
                        "name": "get_weather",
                        "input": {"city": "Paris", "units": ["C", 1]},
                    }
                },
            ],
        }
    },
    "stopReason": "tool_use",
    "usage": {"inputTokens": 30, "outputTokens": 12, "totalTokens": 42},
    "metrics": {"latencyMs": 321},
}


@pytest.fixture(scope="module")
def bedrock(
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[tuple[ModuleType, Context]]:
    ctx = official_context(MODEL, SERVICE, PACKAGE)
    for package in generated_package(tmp_path_factory, MODEL, SERVICE, PACKAGE):
        yield package, ctx


@pytest.fixture
def server(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[LoopbackServer]:
    yield from isolated_server(monkeypatch, tmp_path)


def _converse_shapes(ctx: Context) -> tuple[Any, Any]:
    (op,) = [o for o in ctx.operations if o.id.name == "Converse"]
    return ctx.model.get_shape(op.input), ctx.model.get_shape(op.output)


def _both(package: ModuleType, ctx: Context, server: LoopbackServer) -> tuple[Any, Any]:
    """Converse(CONVERSATION) by our client, then by botocore's."""
    input_shape, _ = _converse_shapes(ctx)
    converter = Converter(
        ctx,
        importlib.import_module(f"{PACKAGE}.models"),
        importlib.import_module(f"{PACKAGE}.errors"),
    )
    kwargs = converter.kwargs(CONVERSATION, input_shape)

    boto = botocore_client("bedrock-runtime", server)
    with frozen():
        mine = run_ours(
            package.BedrockRuntimeClient,
            server,
            lambda client: client.converse(**kwargs),
        )
        theirs = run_theirs(
            boto, "converse", **to_botocore(ctx, CONVERSATION, input_shape)
        )
    return mine, theirs


def test_converse_sends_the_same_request_and_reads_the_same_answer(
    bedrock: tuple[ModuleType, Context], server: LoopbackServer
) -> None:
    package, ctx = bedrock
    server.handler = lambda request: Reply(
        200, json.dumps(ANSWER).encode(), (("Content-Type", "application/json"),)
    )
    mine, theirs = _both(package, ctx, server)
    first, second = server.requests
    assert first.method == second.method == "POST"
    assert (
        first.target
        == second.target
        == ("/model/anthropic.claude-3-haiku-20240307-v1%3A0/converse")
    )
    for name in ("content-type", "x-amz-date"):
        assert first.headers[name] == second.headers[name], name
    json_equal(json.loads(first.body), json.loads(second.body), "body")
    # The bodies differ in separators only, so the signatures differ; ours is
    # the one botocore's signer makes over our bytes.
    assert first.headers["authorization"] == botocore_signature(
        first, server.url, "bedrock"
    )
    assert json.loads(first.body)["messages"][0]["content"][1]["image"]["source"] == {
        "bytes": base64.b64encode("\x89PNG fake".encode()).decode()
    }
    theirs.pop("ResponseMetadata")
    _, output_shape = _converse_shapes(ctx)
    assert_same_parsed(mine, theirs, output_shape, "output", ctx)
    tool_use = mine.output.value.content[1].value
    assert tool_use.input_ == {"city": "Paris", "units": ["C", 1]}


def test_converse_errors_are_the_same_modeled_errors(
    bedrock: tuple[ModuleType, Context], server: LoopbackServer
) -> None:
    package, ctx = bedrock
    server.handler = lambda request: Reply(
        400,
        json.dumps({"message": "Malformed input request: bad tool schema"}).encode(),
        (
            ("Content-Type", "application/json"),
            ("x-amzn-ErrorType", "ValidationException:http://internal.amazon.com/"),
        ),
    )
    mine, theirs = _both(package, ctx, server)
    assert isinstance(mine, package.ValidationException)
    assert type(theirs).__name__ == "ValidationException"
    error = theirs.response["Error"]
    assert (mine.code, mine.message) == (error["Code"], error["Message"])
    assert mine.status_code == 400
