"""Every operation of the official restJson1 models (Lambda, Bedrock Runtime)
against botocore's client of the service, the way test_all_operations.py does
it for awsJson.

For each generated operation (streaming ones are not generated yet), with one
input that sets every member (test_all_operations.sample): the same method,
path, query (as a set: ours follows the model's member order, botocore the
caller's), HTTP-bound headers and body (JSON compared as values, other
payloads byte for byte). For one output that sets every member, sent where
its bindings say (headers, status, body or payload): the same parsed values.
For each modeled error (once, with the first operation that declares it):
the same class, code, message and members.

Deliberate differences, each checked as what it is:
- A blob payload's Content-Type: ``application/octet-stream`` (or its
  ``@mediaType``) as aws-restjson1-protocol.rst and the suite's
  RestJsonHttpPayloadTraitsWithBlob require; botocore sends none.
- A JSON body's bytes: compact here (the suite's Content-MD5 case hashes the
  compact form), spaced in botocore; compared as JSON values.
"""

from __future__ import annotations

import functools
import importlib
import json
import re
import sys
from collections.abc import Iterator, Mapping
from datetime import UTC, datetime
from email.utils import format_datetime
from pathlib import Path
from typing import Any
from urllib.parse import unquote

import httpx
import pytest
from botocore.awsrequest import AWSPreparedRequest
from smithy_python.model import (
    ListShape,
    MapShape,
    OperationShape,
    ShapeType,
    StructureShape,
    UnionShape,
    load_model,
)
from smithygen.emit.context import Context, Member
from smithygen.generate import generate
from smithygen.select import select
from smithygen_runtime import ServiceError

from tests.conftest import isolate_aws_environment, require_shared, shared_dir
from tests.equivalence.test_all_operations import INSTANT, sample, to_botocore
from tests.equivalence.test_botocore_equivalence import assert_same_parsed
from tests.equivalence.wire import Botocore, Reply, call_ours, frozen
from tests.protocol.values import Converter, json_equal

MODELS = {
    "lambda-2015-03-31.json": ("com.amazonaws.lambda#AWSGirApiService", "lambda"),
    "bedrock-runtime-2023-09-30.json": (
        "com.amazonaws.bedrockruntime#AmazonBedrockFrontendService",
        "bedrock-runtime",
    ),
}
_BINDINGS = ("httpLabel", "httpQuery", "httpQueryParams", "httpHeader")


class Service:
    """One generated restJson1 package, its generator view and botocore's client."""

    def __init__(self, name: str, out: Path) -> None:
        path = shared_dir() / "aws-models" / name
        service_id, botocore_name = MODELS[name]
        package = "rest_ops_" + path.stem.split("-20")[0].replace("-", "_")
        generate([path], service=service_id, package=package, out=out)
        importlib.invalidate_caches()
        model = load_model(json.loads(path.read_text(encoding="utf-8")))
        self.ctx = Context(
            model, select(model, service_id), package=package, sources=[]
        )
        client = importlib.import_module(f"{package}.client")
        self.client_class = getattr(client, self.ctx.client_class)
        self.converter = Converter(
            self.ctx,
            importlib.import_module(f"{package}.models"),
            importlib.import_module(f"{package}.errors"),
        )
        self.boto = Botocore(botocore_name, validate=False)

    def operation(self, name: str) -> OperationShape:
        (op,) = [o for o in self.ctx.operations if o.id.name == name]
        return op


@functools.cache
def _generated_operations(name: str) -> tuple[str, ...]:
    """The operations a client of the model has (streaming ones are left out)."""
    path = shared_dir() / "aws-models" / name
    model = load_model(json.loads(path.read_text(encoding="utf-8")))
    return tuple(op.id.name for op in select(model, MODELS[name][0]).operations)


def _params() -> list[Any]:
    params = []
    for name in MODELS:
        stem = name.split("-20")[0]
        if not (shared_dir() / "aws-models" / name).exists():
            params.append(pytest.param(name, None, id=f"{stem}-absent"))
            continue
        params += [
            pytest.param(name, op, id=f"{stem}-{op}")
            for op in _generated_operations(name)
        ]
    return params


@functools.cache
def _error_cases(name: str) -> tuple[tuple[str, str], ...]:
    """(operation, error) pairs: each modeled error once, with its first operation."""
    path = shared_dir() / "aws-models" / name
    model = load_model(json.loads(path.read_text(encoding="utf-8")))
    selection = select(model, MODELS[name][0])
    seen: dict[str, str] = {}
    for op in selection.operations:
        for error in [*op.errors, *selection.service.errors]:
            seen.setdefault(error.name, op.id.name)
    return tuple(sorted((op, error) for error, op in seen.items()))


def _error_params() -> list[Any]:
    params = []
    for name in MODELS:
        stem = name.split("-20")[0]
        if not (shared_dir() / "aws-models" / name).exists():
            params.append(pytest.param(name, None, None, id=f"{stem}-absent"))
            continue
        params += [
            pytest.param(name, op, error, id=f"{stem}-{error}")
            for op, error in _error_cases(name)
        ]
    return params


@pytest.fixture(scope="module")
def services(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Service]]:
    out = tmp_path_factory.mktemp("rest-json-operations")
    sys.path.insert(0, str(out))
    made = {
        name: Service(name, out)
        for name in MODELS
        if (shared_dir() / "aws-models" / name).exists()
    }
    yield made
    sys.path.remove(str(out))
    for module in [m for m in sys.modules if m.startswith("rest_ops_")]:
        del sys.modules[module]


@pytest.fixture(autouse=True)
def _isolated(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    isolate_aws_environment(monkeypatch, tmp_path)


def _require(name: str, op: str | None) -> None:
    require_shared("aws-models", name)
    assert op is not None


def _input(service: Service, op: OperationShape) -> tuple[dict[str, Any], Any]:
    ctx = service.ctx
    if ctx.is_unit(op.input):
        return {}, {}
    shape = ctx.model.get_shape(op.input)
    node = sample(ctx, shape, "Input", 0, output=False)
    return service.converter.kwargs(node, shape), to_botocore(ctx, node, shape)


def _bound(member: Member) -> str | None:
    """The HTTP binding trait of a top-level member, or None (body)."""
    for trait in (*_BINDINGS, "httpPrefixHeaders", "httpPayload", "httpResponseCode"):
        if member.shape.has_trait(f"smithy.api#{trait}"):
            return trait
    return None


def _payload(ctx: Context, shape_id: Any) -> Member | None:
    if ctx.is_unit(shape_id):
        return None
    shape = ctx.model.get_shape(shape_id)
    return next((m for m in ctx.members(shape) if _bound(m) == "httpPayload"), None)


# --- requests -----------------------------------------------------------------------


def _query(url: httpx.URL) -> list[tuple[str, Any]]:
    """The query's (key, value) pairs, sorted, date-time values as instants.

    A timestamp in the query is an RFC 3339 date-time on both sides, but
    botocore writes microseconds ("20.125000Z") and we the digits needed
    ("20.125Z"): both read back as the same instant.
    """
    raw = url.raw_path.partition(b"?")[2].decode()
    pairs = []
    for part in raw.split("&"):
        if not part:
            continue
        key, _, value = part.partition("=")
        text = unquote(value)
        if _DATE_TIME.fullmatch(text):
            pairs.append((key, datetime.fromisoformat(text.replace("Z", "+00:00"))))
        else:
            pairs.append((key, text))
    return sorted(pairs, key=lambda pair: (pair[0], str(pair[1])))


_DATE_TIME = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z")


def _header(request: AWSPreparedRequest, name: str) -> str | None:
    value = request.headers.get(name)
    return value.decode() if isinstance(value, bytes) else value


def _body_bytes(request: AWSPreparedRequest) -> bytes:
    body = request.body
    if body is None:
        return b""
    return body.encode() if isinstance(body, str) else bytes(body)


@pytest.mark.parametrize(("model", "op_name"), _params())
def test_same_request_as_botocore(
    model: str, op_name: str | None, services: dict[str, Service]
) -> None:
    _require(model, op_name)
    assert op_name is not None
    service = services[model]
    op = service.operation(op_name)
    kwargs, params = _input(service, op)
    method = service.ctx.method_names[op.id]
    with frozen():
        ours, _ = call_ours(
            method, kwargs, Reply(), client_class=service.client_class, validate=False
        )
        service.boto.call(method, params, Reply())
    (theirs,) = service.boto.requests
    their_url = httpx.URL(theirs.url)
    assert ours.method == theirs.method
    assert ours.url.raw_path.partition(b"?")[0] == their_url.raw_path.partition(b"?")[0]
    assert _query(ours.url) == _query(their_url)
    if not service.ctx.is_unit(op.input):
        shape = service.ctx.model.get_shape(op.input)
        for m in service.ctx.members(shape):
            if _bound(m) == "httpHeader":
                name = str(m.shape.get_trait("smithy.api#httpHeader"))
                assert ours.headers.get(name) == _header(theirs, name), name
    payload = _payload(service.ctx, op.input)
    their_type = _header(theirs, "Content-Type")
    if _binds_content_type(service.ctx, op):
        # A member bound to Content-Type (Bedrock's InvokeModel) wins, on both sides.
        assert ours.headers["Content-Type"] == their_type
        assert ours.content == _body_bytes(theirs)
    elif payload is not None and payload.target.type is ShapeType.BLOB:
        media = payload.target.get_trait("smithy.api#mediaType")
        assert ours.headers["Content-Type"] == (media or "application/octet-stream")
        assert their_type in (None, media), their_type
        assert ours.content == _body_bytes(theirs)
    else:
        assert ours.headers.get("Content-Type") == their_type
        their_body = _body_bytes(theirs)
        if their_body.strip():
            json_equal(json.loads(ours.content), json.loads(their_body), "body")
        else:
            assert ours.content == b"", ours.content


def _binds_content_type(ctx: Context, op: OperationShape) -> bool:
    if ctx.is_unit(op.input):
        return False
    return any(
        str(m.shape.get_trait("smithy.api#httpHeader")).lower() == "content-type"
        for m in ctx.members(ctx.model.get_shape(op.input))
        if _bound(m) == "httpHeader"
    )


# --- responses ----------------------------------------------------------------------


def _header_text(member: Member, value: Any) -> str:
    """A sampled output value as the header the service would send."""
    target = member.target
    if isinstance(target, ListShape):  # lists of simple values: their texts joined
        return ", ".join(str(v) for v in value)
    if target.type is ShapeType.TIMESTAMP:
        fmt = member.shape.get_trait("smithy.api#timestampFormat") or target.get_trait(
            "smithy.api#timestampFormat"
        )
        instant = datetime.fromtimestamp(value, UTC)
        if fmt == "epoch-seconds":
            return str(value)
        if fmt == "date-time":
            return instant.isoformat().replace("+00:00", "Z")
        return format_datetime(instant.replace(microsecond=0), usegmt=True)
    if target.type is ShapeType.BOOLEAN:
        return "true" if value else "false"
    return str(value)


def _in_body_formats(ctx: Context, value: Any, shape: Any, member: Any = None) -> Any:
    """A sampled output with each body timestamp in its @timestampFormat.

    ``sample`` writes epoch seconds everywhere; a service sends a date-time or
    http-date member as a string (Bedrock Runtime's submitTime).
    """
    if isinstance(shape, StructureShape):
        members = {m.wire: m for m in ctx.members(shape)}
        return {
            k: _in_body_formats(ctx, v, members[k].target, members[k].shape)
            for k, v in value.items()
        }
    if isinstance(shape, UnionShape):
        ((k, v),) = value.items()
        inner = shape.members[k]
        return {k: _in_body_formats(ctx, v, ctx.model.get_target(inner), inner)}
    if isinstance(shape, ListShape):
        element = ctx.model.get_target(shape.member)
        return [_in_body_formats(ctx, v, element, shape.member) for v in value]
    if isinstance(shape, MapShape):
        element = ctx.model.get_target(shape.value)
        return {
            k: _in_body_formats(ctx, v, element, shape.value) for k, v in value.items()
        }
    if shape.type is ShapeType.TIMESTAMP:
        fmt = None
        for holder in (member, shape):
            if holder is not None and holder.get_trait("smithy.api#timestampFormat"):
                fmt = holder.get_trait("smithy.api#timestampFormat")
                break
        instant = datetime.fromtimestamp(value, UTC)
        if fmt == "date-time":
            return instant.isoformat().replace("+00:00", "Z")
        if fmt == "http-date":
            return format_datetime(instant, usegmt=True)
    return value


def _reply_for(ctx: Context, op: OperationShape) -> tuple[Reply, dict[str, Any]]:
    """A response with every output member where its binding puts it, and the
    values botocore should parse out of it (timestamps whole seconds in headers)."""
    shape = ctx.model.get_shape(op.output)
    node = sample(ctx, shape, "Output", 0, output=True)
    headers = {"x-amzn-RequestId": "req-1", "Content-Type": "application/json"}
    body: dict[str, Any] = {}
    status = 200
    content = b""
    for m in ctx.members(shape):
        if m.wire not in node:
            continue
        value = node[m.wire]
        binding = _bound(m)
        if binding == "httpHeader":
            if m.target.type is ShapeType.TIMESTAMP:
                node[m.wire] = value = float(int(INSTANT))
            headers[str(m.shape.get_trait("smithy.api#httpHeader"))] = _header_text(
                m, value
            )
        elif binding == "httpResponseCode":
            status = node[m.wire] = 200
        elif binding == "httpPayload":
            if m.target.type is ShapeType.BLOB:
                import base64

                content = base64.b64decode(value)
                headers["Content-Type"] = "application/octet-stream"
            elif m.target.type is ShapeType.STRING:
                content = str(value).encode()
            else:
                content = json.dumps(value).encode()
        else:
            body[m.wire] = _in_body_formats(ctx, value, m.target, m.shape)
    if _payload(ctx, op.output) is None:
        content = json.dumps(body).encode()
    return Reply(status, content, headers), node


@pytest.mark.parametrize(("model", "op_name"), _params())
def test_same_parsed_output_as_botocore(
    model: str, op_name: str | None, services: dict[str, Service]
) -> None:
    _require(model, op_name)
    assert op_name is not None
    service = services[model]
    op = service.operation(op_name)
    ctx = service.ctx
    kwargs, params = _input(service, op)
    method = ctx.method_names[op.id]
    if ctx.is_unit(op.output):
        reply = Reply(200, b"", {"x-amzn-RequestId": "req-1"})
    else:
        reply, _ = _reply_for(ctx, op)
    _, ours = call_ours(
        method, kwargs, reply, client_class=service.client_class, validate=False
    )
    theirs = service.boto.call(method, params, reply)
    assert not isinstance(ours, Exception), ours
    assert theirs.pop("ResponseMetadata")["RequestId"] == "req-1"
    if ctx.is_unit(op.output):
        assert ours is None and theirs == {}
        return
    payload = _payload(ctx, op.output)
    if payload is not None and payload.wire in theirs:
        streamed = theirs[payload.wire]
        if hasattr(streamed, "read"):  # botocore streams blob payloads
            theirs[payload.wire] = streamed.read()
    assert_same_parsed(ours, theirs, ctx.model.get_shape(op.output), "output", ctx)


_ENVELOPE = {"Error", "ResponseMetadata", "message", "Message"}


@pytest.mark.parametrize(("model", "op_name", "error_name"), _error_params())
def test_same_modeled_error_as_botocore(
    model: str,
    op_name: str | None,
    error_name: str | None,
    services: dict[str, Service],
) -> None:
    _require(model, op_name)
    assert op_name is not None and error_name is not None
    service = services[model]
    ctx = service.ctx
    op = service.operation(op_name)
    kwargs, params = _input(service, op)
    (error_id,) = [e for e in [*op.errors, *ctx.service.errors] if e.name == error_name]
    shape = ctx.model.get_shape(error_id)
    assert isinstance(shape, StructureShape)
    status = int(shape.get_trait("smithy.api#httpError") or 400)
    body = sample(ctx, shape, "Error", 0, output=True)
    if not {"message", "Message"} & set(body):
        body["message"] = "it failed"
    headers = {
        "x-amzn-RequestId": "r-2",
        "Content-Type": "application/json",
        "X-Amzn-Errortype": f"{error_id.name}:http://internal.amazon.com/coral/",
    }
    reply = Reply(status, json.dumps(body).encode(), headers)
    method = ctx.method_names[op.id]
    _, ours = call_ours(
        method, kwargs, reply, client_class=service.client_class, validate=False
    )
    theirs = service.boto.call(method, params, reply)
    assert isinstance(ours, ServiceError), ours
    parsed = theirs.response["Error"]  # type: ignore[attr-defined]
    assert type(ours).__name__ == ctx.class_of(error_id)
    assert type(theirs).__name__ == error_id.name
    assert (ours.code, ours.message) == (parsed["Code"], parsed["Message"])
    assert (ours.status_code, ours.request_id) == (status, "r-2")
    response = theirs.response  # type: ignore[attr-defined]
    members = {k: v for k, v in response.items() if k not in _ENVELOPE}
    for m in ctx.members(shape):
        if m.wire in members:
            assert_same_parsed(
                getattr(ours, m.attr), members[m.wire], m.target, m.wire, ctx
            )


def test_every_restjson1_model_is_covered() -> None:
    """The operations left out are exactly the streaming ones (issue 14 items 2-3)."""
    for name, (service_id, _) in MODELS.items():
        path = require_shared("aws-models", name)
        shapes: Mapping[str, Any] = json.loads(path.read_text())["shapes"]
        skipped = select(load_model(json.loads(path.read_text())), service_id).skipped
        all_ops = {
            k.partition("#")[2] for k, v in shapes.items() if v["type"] == "operation"
        }
        assert set(_generated_operations(name)) | {n for n, _ in skipped} == all_ops
        assert all("@streaming" in reason for _, reason in skipped), skipped
