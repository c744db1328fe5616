"""The generated Lambda client (restJson1) and botocore's, against one loopback server.

The client is generated from the official model (../shared/aws-models); both
clients send real HTTP requests to the same loopback server
(tests/support/loopback_server.py), with the same credentials, region, clock
and UUIDs (wire.py's ``frozen``). For ``Invoke`` and ``ListFunctions`` (and
its paginator): the same method, path and query, the same protocol headers,
body bytes and SigV4 Authorization; for the same response bytes, the same
parsed output and the same modeled errors (class, code, message, members,
status, request id).

Deliberate differences: the User-Agent (each names itself; not signed); a
blob payload's Content-Type (application/octet-stream, as the protocol and
its suite require; botocore sends none), so Invoke's signatures differ; a
JSON request body's separators (restJson1 bodies are compact, as the protocol
suite's Content-MD5 case requires; botocore puts spaces after ":" and ",").
Neither operation here sends a JSON body.
"""

from __future__ import annotations

import functools
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
    path_and_query,
    query_parameters,
    run_ours,
    run_theirs,
)
from tests.equivalence.test_botocore_equivalence import assert_same_parsed
from tests.equivalence.wire import (
    botocore_signature,
    frozen,
)
from tests.support.loopback_server import (
    LoopbackServer,
    Reply,
    Request,
)

MODEL = "lambda-2015-03-31.json"
SERVICE = "com.amazonaws.lambda#AWSGirApiService"
PACKAGE = "eq_lambda"
# Headers both clients must send alike (the signature covers the signed ones).
PROTOCOL_HEADERS = (
    "content-type",
    "x-amz-invocation-type",
    "x-amz-log-type",
    "x-amz-client-context",
    "x-amz-date",
    "authorization",
)


@functools.cache
def lambda_context() -> Context:
    return official_context(MODEL, SERVICE, PACKAGE)


@pytest.fixture(scope="module")
def lambda_package(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ModuleType]:
    yield from generated_package(tmp_path_factory, MODEL, SERVICE, PACKAGE)


@pytest.fixture
def server(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[LoopbackServer]:
    yield from isolated_server(monkeypatch, tmp_path)


def botocore_lambda(server: LoopbackServer) -> Any:
    return botocore_client("lambda", server)


def ours(package: ModuleType, server: LoopbackServer, call: Any) -> Any:
    """``await call(client)`` on a generated client of the server; the result or error."""
    return run_ours(package.LambdaClient, server, call)


theirs = run_theirs


def assert_same_requests(
    first: Request, second: Request, *, unlike: tuple[str, ...] = ()
) -> None:
    """Same method, path, query, protocol headers (but ``unlike``) and body bytes.

    The query's order may differ: ours follows the model's member order,
    botocore's the caller's dict order; SigV4 signs the sorted query, and
    the Authorization comparison covers the rest.
    """
    assert (first.method, path_and_query(first.target)) == (
        second.method,
        path_and_query(second.target),
    )
    for name in PROTOCOL_HEADERS:
        if name not in unlike:
            assert first.headers.get(name) == second.headers.get(name), name
    assert first.body == second.body


def _json_reply(body: Any, status: int = 200, **headers: str) -> Reply:
    return Reply(
        status,
        json.dumps(body).encode(),
        (("Content-Type", "application/json"), *headers.items()),
    )


# --- Invoke -------------------------------------------------------------------------

INVOKE = {
    "FunctionName": "my-function",
    "InvocationType": "RequestResponse",
    "LogType": "Tail",
    "ClientContext": "eyJjdXN0b20iOnt9fQ==",
    "Qualifier": "$LATEST",
    "Payload": b'{"key": "value", "n": [1, 2, 3]}',
}


def test_invoke_sends_the_same_request_and_reads_the_same_response(
    lambda_package: ModuleType, server: LoopbackServer
) -> None:
    server.handler = lambda request: Reply(
        200,
        b'{"statusCode": 200, "body": "hi \\u00e9"}',
        (
            ("Content-Type", "application/json"),
            ("X-Amz-Executed-Version", "$LATEST"),
            ("X-Amz-Log-Result", "U1RBUlQgUmVxdWVzdElk"),
            ("X-Amz-Function-Error", "Unhandled"),
        ),
    )
    with frozen():
        mine = ours(
            lambda_package,
            server,
            lambda c: c.invoke(
                function_name="my-function",
                invocation_type="RequestResponse",
                log_type="Tail",
                client_context=INVOKE["ClientContext"],
                qualifier="$LATEST",
                payload=INVOKE["Payload"],
            ),
        )
        boto = theirs(botocore_lambda(server), "invoke", **INVOKE)
    first, second = server.requests
    assert first.target == (
        "/2015-03-31/functions/my-function/invocations?Qualifier=%24LATEST"
    )
    # The one difference: a blob payload's Content-Type, which the restJson1
    # protocol (aws-restjson1-protocol.rst, "Content-Type"; the suite's
    # RestJsonHttpPayloadTraitsWithBlob) sets to application/octet-stream and
    # botocore leaves out. The signature covers it, so it differs too.
    assert_same_requests(first, second, unlike=("content-type", "authorization"))
    assert first.headers["content-type"] == "application/octet-stream"
    assert "content-type" not in second.headers
    assert first.headers["authorization"] == botocore_signature(
        first, server.url, "lambda"
    )
    assert first.body == INVOKE["Payload"]

    payload = boto.pop("Payload").read()  # botocore streams the payload
    assert mine.payload == payload
    boto.pop("ResponseMetadata")
    ctx = lambda_context()
    (op,) = [o for o in ctx.operations if o.id.name == "Invoke"]
    mine_without_payload = type(mine)(
        **{
            m.attr: getattr(mine, m.attr)
            for m in ctx.members(ctx.model.get_shape(op.output))
            if m.attr != "payload"
        }
    )
    assert_same_parsed(
        mine_without_payload, boto, ctx.model.get_shape(op.output), "output", ctx
    )
    assert mine.status_code == boto["StatusCode"] == 200


def test_invoke_errors_are_the_same_modeled_errors(
    lambda_package: ModuleType, server: LoopbackServer
) -> None:
    server.handler = lambda request: _json_reply(
        {"Type": "User", "Message": "Function not found: arn:aws:lambda:fn"},
        404,
        **{
            "x-amzn-ErrorType": "ResourceNotFoundException:http://internal.amazon.com/",
        },
    )
    mine = ours(lambda_package, server, lambda c: c.invoke(function_name="gone"))
    boto = theirs(botocore_lambda(server), "invoke", FunctionName="gone")
    assert isinstance(mine, lambda_package.ResourceNotFoundException)
    error = boto.response["Error"]
    assert (mine.code, mine.message) == (error["Code"], error["Message"])
    assert type(boto).__name__ == "ResourceNotFoundException"
    assert mine.status_code == boto.response["ResponseMetadata"]["HTTPStatusCode"]
    # The server numbers its responses' x-amzn-RequestId: ours came first.
    assert mine.request_id == "req-1"
    assert boto.response["ResponseMetadata"]["RequestId"] == "req-2"
    assert mine.type_ == boto.response["Type"] == "User"


def test_an_unmodeled_error_code_is_the_same_code(
    lambda_package: ModuleType, server: LoopbackServer
) -> None:
    server.handler = lambda request: _json_reply(
        {"message": "Rate exceeded"}, 429, **{"x-amzn-ErrorType": "ThrottlingException"}
    )
    mine = ours(lambda_package, server, lambda c: c.invoke(function_name="f"))
    boto = theirs(botocore_lambda(server), "invoke", FunctionName="f")
    assert mine.code == boto.response["Error"]["Code"] == "ThrottlingException"
    assert mine.message == boto.response["Error"]["Message"]


# --- ListFunctions and its paginator ------------------------------------------------


def _function(index: int) -> dict[str, Any]:
    return {
        "FunctionName": f"fn-{index}",
        "FunctionArn": f"arn:aws:lambda:us-east-1:123456789012:function:fn-{index}",
        "Runtime": "python3.12",
        "Role": "arn:aws:iam::123456789012:role/lambda",
        "Handler": "app.handler",
        "CodeSize": 1024 + index,
        "Timeout": 30,
        "MemorySize": 128,
        "LastModified": "2024-05-06T07:08:09.000+0000",
        "Version": "$LATEST",
        "Architectures": ["x86_64"],
        "Environment": {"Variables": {"STAGE": "prod", "INDEX": str(index)}},
        "TracingConfig": {"Mode": "PassThrough"},
        "EphemeralStorage": {"Size": 512},
        "PackageType": "Zip",
        "LoggingConfig": {"LogFormat": "Text", "LogGroup": f"/aws/lambda/fn-{index}"},
    }


PAGES = {
    None: {"Functions": [_function(i) for i in range(3)], "NextMarker": "m1"},
    "m1": {"Functions": [_function(i) for i in range(3, 5)], "NextMarker": "m2"},
    "m2": {"Functions": [_function(5)]},
}


def _page_for(request: Request) -> Reply:
    query = query_parameters(request.target)
    return _json_reply(PAGES[query.get("Marker")])


def test_list_functions_reads_the_same_page(
    lambda_package: ModuleType, server: LoopbackServer
) -> None:
    server.handler = _page_for
    with frozen():
        mine = ours(
            lambda_package,
            server,
            lambda c: c.list_functions(function_version="ALL", max_items=3),
        )
        boto = theirs(
            botocore_lambda(server), "list_functions", FunctionVersion="ALL", MaxItems=3
        )
    first, second = server.requests
    assert first.target == "/2015-03-31/functions?FunctionVersion=ALL&MaxItems=3"
    assert_same_requests(first, second)
    assert "content-type" not in first.headers and first.body == b""
    boto.pop("ResponseMetadata")
    ctx = lambda_context()
    (op,) = [o for o in ctx.operations if o.id.name == "ListFunctions"]
    assert_same_parsed(mine, boto, ctx.model.get_shape(op.output), "output", ctx)


def test_the_paginator_walks_the_same_pages_as_botocores(
    lambda_package: ModuleType, server: LoopbackServer
) -> None:
    server.handler = _page_for

    async def names(client: Any) -> list[str]:
        found = []
        async for page in client.paginate_list_functions(max_items=3):
            found += [f.function_name for f in page.functions or []]
        return found

    with frozen():
        mine = ours(lambda_package, server, names)
        paginator = botocore_lambda(server).get_paginator("list_functions")
        boto = [
            f["FunctionName"]
            for page in paginator.paginate(MaxItems=3)
            for f in page["Functions"]
        ]
    assert mine == boto == [f"fn-{i}" for i in range(6)]
    assert [r.target for r in server.requests[:3]] == [
        "/2015-03-31/functions?MaxItems=3",
        "/2015-03-31/functions?Marker=m1&MaxItems=3",
        "/2015-03-31/functions?Marker=m2&MaxItems=3",
    ]
    for first, second in zip(server.requests[:3], server.requests[3:], strict=True):
        assert_same_requests(first, second)


def test_a_label_with_reserved_characters_is_encoded_as_botocore_does(
    lambda_package: ModuleType, server: LoopbackServer
) -> None:
    """A function ARN as the FunctionName label: ':' percent-encoded on both sides."""
    server.handler = lambda request: Reply(
        200, b"null", (("Content-Type", "application/json"),)
    )
    arn = "arn:aws:lambda:us-east-1:123456789012:function:my-fn:prod"
    with frozen():
        ours(lambda_package, server, lambda c: c.invoke(function_name=arn))
        theirs(botocore_lambda(server), "invoke", FunctionName=arn)
    first, second = server.requests
    assert (
        first.target
        == second.target
        == (
            "/2015-03-31/functions/arn%3Aaws%3Alambda%3Aus-east-1%3A123456789012"
            "%3Afunction%3Amy-fn%3Aprod/invocations"
        )
    )
    assert_same_requests(first, second)
