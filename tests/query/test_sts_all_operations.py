"""Every STS operation, generated from the official model, against botocore's client.

As tests/equivalence/test_all_operations.py does for the awsJson models, with
the same sample values (every member set, nested to a depth of four): for
each operation the same form pairs, in the same order, and the same body
bytes (no sampled value holds a space, the one character the two encode
differently: see test_sts_equivalence); for an XML answer setting every
output member, the same parsed values; for each modeled error (and one STS
does not model), the same class, code, message, status and request id. The
two operations with ``smithy.api#auth([])`` are unsigned on both sides, and
need no credentials on ours.

The XML answers are written here from the model (``xml_answer``), as the
awsQuery protocol lays them out: ``<Op>Response`` / ``<Op>Result``, members
by ``@xmlName``, lists as ``<member>`` elements (or flattened), maps as
``<entry>`` elements, timestamps as date-time.
"""

from __future__ import annotations

import functools
import importlib
from datetime import UTC, datetime
from types import ModuleType
from typing import Any
from xml.sax.saxutils import escape

import pytest
from smithy_python.model import (
    ListShape,
    MapShape,
    MemberShape,
    Shape,
    ShapeType,
    StructureShape,
    UnionShape,
)
from smithygen.emit.context import Context
from smithygen.emit.traits import get_trait, has_trait
from smithygen_runtime import ServiceError

from tests.equivalence.test_all_operations import sample, to_botocore
from tests.equivalence.test_botocore_equivalence import assert_same_parsed
from tests.equivalence.wire import Botocore, Reply, call_ours, frozen
from tests.protocol.values import Converter
from tests.query.equivalence import sts_context
from tests.query.sts_server import form_pairs_of

STS_MODEL = ("aws-models", "sts-2011-06-15.json")


def _operations() -> list[str]:
    try:
        ctx = sts_context()
    except BaseException:  # the model is absent: the fixture skips (fails under CI)
        return ["model-absent"]
    return [op.id.name for op in ctx.operations]


def _errors() -> list[tuple[str, str]]:
    try:
        ctx = sts_context()
    except BaseException:
        return [("model-absent", "-")]
    return [
        (op.id.name, error.name)
        for op in ctx.operations
        for error in sorted({*op.errors, *ctx.service.errors})
    ]


@functools.cache
def _boto() -> Botocore:
    return Botocore("sts", validate=False)


def _converter(sts: ModuleType) -> Converter:
    models = importlib.import_module(f"{sts.__name__}.models")
    errors = importlib.import_module(f"{sts.__name__}.errors")
    return Converter(sts_context(), models, errors)


def _input(sts: ModuleType, op_name: str) -> tuple[dict[str, Any], dict[str, Any]]:
    """(our keyword arguments, botocore's params) for the full sampled input."""
    ctx = sts_context()
    (op,) = [o for o in ctx.operations if o.id.name == op_name]
    if ctx.is_unit(op.input):
        return {}, {}
    shape = ctx.model.get_shape(op.input)
    node = sample(ctx, shape, "Input", 0, output=False)
    return _converter(sts).kwargs(node, shape), to_botocore(ctx, node, shape)


def _method(op_name: str) -> str:
    ctx = sts_context()
    (op,) = [o for o in ctx.operations if o.id.name == op_name]
    return ctx.method_names[op.id]


# --- XML answers written from the model ----------------------------------------------


def _name(member: MemberShape, default: str) -> str:
    value = get_trait(member, "xmlName")
    return value if isinstance(value, str) else default


def _text(value: Any, shape: Shape, member: MemberShape | None) -> str:
    if shape.type is ShapeType.TIMESTAMP:
        fmt = get_trait(member, "timestampFormat") or get_trait(
            shape, "timestampFormat"
        )
        instant = datetime.fromtimestamp(value, UTC)
        if fmt == "epoch-seconds":
            return str(value)
        return instant.isoformat(timespec="milliseconds").replace("+00:00", "Z")
    if isinstance(value, bool):
        return "true" if value else "false"
    return escape(str(value))


def xml_value(
    ctx: Context, value: Any, shape: Shape, member: MemberShape | None
) -> str:
    """The inside of an element holding ``value`` of ``shape``."""
    if isinstance(shape, StructureShape | UnionShape):
        return "".join(
            xml_member(ctx, value[name], m)
            for name, m in shape.members.items()
            if name in value
        )
    if isinstance(shape, ListShape):
        item = _name(shape.member, "member")
        target = ctx.model.get_target(shape.member)
        return "".join(
            f"<{item}>{xml_value(ctx, v, target, shape.member)}</{item}>" for v in value
        )
    if isinstance(shape, MapShape):
        key, val = _name(shape.key, "key"), _name(shape.value, "value")
        target = ctx.model.get_target(shape.value)
        return "".join(
            f"<entry><{key}>{escape(k)}</{key}>"
            f"<{val}>{xml_value(ctx, v, target, shape.value)}</{val}></entry>"
            for k, v in value.items()
        )
    return _text(value, shape, member)


def xml_member(ctx: Context, value: Any, member: MemberShape) -> str:
    name = _name(member, member.name)
    target = ctx.model.get_target(member)
    if has_trait(member, "xmlFlattened") and isinstance(target, ListShape):
        element = ctx.model.get_target(target.member)
        return "".join(
            f"<{name}>{xml_value(ctx, v, element, target.member)}</{name}>"
            for v in value
        )
    return f"<{name}>{xml_value(ctx, value, target, member)}</{name}>"


def xml_answer(ctx: Context, op_name: str, output: Any, shape: Shape | None) -> bytes:
    result = "" if shape is None else xml_value(ctx, output, shape, None)
    return (
        f'<{op_name}Response xmlns="https://sts.amazonaws.com/doc/2011-06-15/">'
        f"<{op_name}Result>{result}</{op_name}Result>"
        "<ResponseMetadata><RequestId>req-1</RequestId></ResponseMetadata>"
        f"</{op_name}Response>"
    ).encode()


def _sample_output(ctx: Context, shape: Shape) -> Any:
    """The sampled output, blobs as base64 text (as the XML carries them)."""
    return sample(ctx, shape, "Output", 0, output=True)


XML = {"Content-Type": "text/xml", "x-amzn-RequestId": "req-1"}


# --- the comparisons ---------------------------------------------------------------------


@pytest.mark.parametrize("op_name", _operations())
def test_same_form_as_botocore(sts: ModuleType, op_name: str) -> None:
    kwargs, params = _input(sts, op_name)
    boto = _boto()
    reply = Reply(200, xml_answer(sts_context(), op_name, {}, None), XML)
    with frozen():
        ours, _ = call_ours(
            _method(op_name),
            kwargs,
            reply,
            client_class=sts.STSClient,
            validate=False,
        )
        boto.call(_method(op_name), params, reply)
    (theirs,) = boto.requests
    assert form_pairs_of(ours.content) == form_pairs_of(theirs.body)
    body = theirs.body.encode() if isinstance(theirs.body, str) else theirs.body
    assert ours.content == body, "body bytes"
    assert ours.url.host == "sts.us-east-1.amazonaws.com" == theirs.url.split("/")[2]
    # smithy.api#auth([]) (AssumeRoleWithSAML, AssumeRoleWithWebIdentity):
    # unsigned by both; the others signed at the same instant.
    signed = "Authorization" in theirs.headers
    assert ("Authorization" in ours.headers) == signed
    if signed:
        assert ours.headers["X-Amz-Date"] == theirs.headers["X-Amz-Date"].decode()


@pytest.mark.parametrize("op_name", _operations())
def test_same_parsed_output_as_botocore(sts: ModuleType, op_name: str) -> None:
    ctx = sts_context()
    (op,) = [o for o in ctx.operations if o.id.name == op_name]
    kwargs, params = _input(sts, op_name)
    shape = None if ctx.is_unit(op.output) else ctx.model.get_shape(op.output)
    output = {} if shape is None else _sample_output(ctx, shape)
    reply = Reply(200, xml_answer(ctx, op_name, output, shape), XML)
    _, ours = call_ours(
        _method(op_name), kwargs, reply, client_class=sts.STSClient, validate=False
    )
    theirs = _boto().call(_method(op_name), params, reply)
    assert not isinstance(ours, Exception), ours
    assert theirs.pop("ResponseMetadata")["RequestId"] == "req-1"
    assert shape is not None
    assert_same_parsed(ours, theirs, shape, "output", ctx)
    assert theirs, "the sampled output sets members"


def _error_body(code: str, members: str) -> bytes:
    return (
        "<ErrorResponse><Error><Type>Sender</Type>"
        f"<Code>{code}</Code><Message>it failed</Message>{members}</Error>"
        "<RequestId>r-2</RequestId></ErrorResponse>"
    ).encode()


@pytest.mark.parametrize(("op_name", "error_name"), _errors())
def test_same_modeled_error_as_botocore(
    sts: ModuleType, op_name: str, error_name: str
) -> None:
    ctx = sts_context()
    (op,) = [o for o in ctx.operations if o.id.name == op_name]
    (error_id,) = [e for e in {*op.errors, *ctx.service.errors} if e.name == error_name]
    shape = ctx.model.get_shape(error_id)
    code = ctx.error_code(error_id)
    status = 500 if get_trait(shape, "error") == "server" else 400
    values = sample(ctx, shape, "Error", 0, output=True)
    values.pop("message", None)
    members = xml_value(ctx, values, shape, None)
    reply = Reply(status, _error_body(code, members), {"Content-Type": "text/xml"})
    kwargs, params = _input(sts, op_name)
    _, ours = call_ours(
        _method(op_name), kwargs, reply, client_class=sts.STSClient, validate=False
    )
    theirs = _boto().call(_method(op_name), params, reply)
    assert isinstance(ours, ServiceError) and isinstance(theirs, Exception)
    parsed = theirs.response["Error"]  # type: ignore[attr-defined]
    assert type(ours).__name__ == ctx.class_of(error_id)
    assert type(theirs).__name__ == error_id.name
    assert (ours.code, ours.message) == (parsed["Code"], parsed["Message"])
    assert ours.code == code
    assert (ours.status_code, ours.request_id) == (status, "r-2")
    response = theirs.response  # type: ignore[attr-defined]
    for m in ctx.members(shape):
        if m.wire in response and m.attr != "message":
            assert_same_parsed(
                getattr(ours, m.attr), response[m.wire], m.target, m.wire, ctx
            )


def test_an_unmodeled_error_keeps_its_code(sts: ModuleType) -> None:
    reply = Reply(403, _error_body("AccessDenied", ""), {"Content-Type": "text/xml"})
    _, ours = call_ours("get_caller_identity", {}, reply, client_class=sts.STSClient)
    theirs = _boto().call("get_caller_identity", {}, reply)
    assert isinstance(ours, sts.UnknownSTSError)
    assert ours.code == theirs.response["Error"]["Code"] == "AccessDenied"  # type: ignore[attr-defined]
    assert (ours.status_code, ours.request_id, ours.fault) == (403, "r-2", "client")


def test_an_operation_without_auth_needs_no_credentials(sts: ModuleType) -> None:
    """AssumeRoleWithWebIdentity is how a caller without credentials gets some."""
    import anyio
    import httpx

    seen: list[httpx.Request] = []
    answer = xml_answer(sts_context(), "AssumeRoleWithWebIdentity", {}, None)

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200, headers=XML, content=answer)

    async def run() -> Any:
        http = httpx.AsyncClient(transport=httpx.MockTransport(handler))
        async with sts.STSClient(region="us-east-1", http_client=http) as client:
            return await client.assume_role_with_web_identity(
                role_arn="arn:aws:iam::123456789012:role/web",
                role_session_name="web",
                web_identity_token="token",
            )

    result = anyio.run(run)
    assert isinstance(result, sts.AssumeRoleWithWebIdentityResponse)
    (request,) = seen
    assert "Authorization" not in request.headers
    assert "X-Amz-Date" not in request.headers
