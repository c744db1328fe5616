"""Every operation of every official awsJson model in ../shared/aws-models (SSM,
Secrets Manager), generated in full, against botocore's client of the service.

For each operation, with one input that sets every member (nested members
too, to a depth of four structures; values from the shapes: enum members,
lengths and ranges inside their constraints): the same URL, method,
X-Amz-Target, Content-Type, X-Amz-Date, JSON body and SigV4 Authorization
(clock and UUIDs frozen, wire.py). For one output that sets every member: the
same parsed values. For each modeled error: the same class, code and message.

Deliberate differences, each handled where it arises below:
- Input validation is off on both sides (``validate=False``,
  ``parameter_validation=False``): the generated input sets values by shape,
  not by pattern, and the two clients validate different constraint sets
  (the runtime checks patterns and maxima, botocore does not).
- Members with a modeled default: an absent output member is the default on
  our side (None for botocore, which leaves it out), and an input member of a
  structure that is not an operation's @input structure is sent with its
  default when not given (the awsJson protocol tests' "client populates
  default values"); botocore sends only what it is given. The inputs here set
  every member, so the bodies and signatures compare byte for byte.
- The User-Agent header differs (each names itself); it is not signed.
"""

from __future__ import annotations

import base64
import functools
import importlib
import json
import sys
from collections.abc import Iterator, Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from smithy_python.model import (
    EnumShape,
    IntEnumShape,
    ListShape,
    MapShape,
    OperationShape,
    Shape,
    ShapeType,
    StructureShape,
    UnionShape,
    load_model,
)
from smithygen.emit.context import Context
from smithygen.generate import generate
from smithygen.select import select
from smithygen_runtime import ServiceError

from tests.conftest import isolate_aws_environment, require_shared, shared_dir
from tests.equivalence.test_botocore_equivalence import (
    assert_same_parsed,
    assert_same_request,
)
from tests.equivalence.wire import Botocore, Reply, call_ours, frozen
from tests.protocol.values import Converter

# model file -> (service shape id, botocore service name, package)
MODELS = {
    "ssm-2014-11-06.json": ("com.amazonaws.ssm#AmazonSSM", "ssm", "all_ops_ssm"),
    "secrets-manager-2017-10-17.json": (
        "com.amazonaws.secretsmanager#secretsmanager",
        "secretsmanager",
        "all_ops_secretsmanager",
    ),
}
MAX_DEPTH = 4
_AGGREGATES = (StructureShape, UnionShape, ListShape, MapShape)
# An instant with milliseconds, as the services send them.
INSTANT = 1_700_000_000.125


class Service:
    """One generated package and everything the comparisons need from it."""

    def __init__(self, model_file: str, out: Path) -> None:
        service_id, self.botocore_name, package = MODELS[model_file]
        path = shared_dir() / "aws-models" / model_file
        generate([path], service=service_id, package=package, out=out)
        importlib.invalidate_caches()
        model = load_model(json.loads(path.read_text(encoding="utf-8")))
        self.ctx = Context(
            model, select(model, service_id), package=package, sources=[]
        )
        self.client_module = importlib.import_module(f"{package}.client")
        self.client_class = getattr(self.client_module, self.ctx.client_class)
        self.converter = Converter(
            self.ctx,
            importlib.import_module(f"{package}.models"),
            importlib.import_module(f"{package}.errors"),
        )
        self.boto = Botocore(self.botocore_name, validate=False)

    def operation(self, name: str) -> OperationShape:
        (op,) = [o for o in self.ctx.operations if o.id.name == name]
        return op


@functools.cache
def _operation_names(model_file: str) -> list[str]:
    data = json.loads(
        require_shared("aws-models", model_file).read_text(encoding="utf-8")
    )
    shapes = data["shapes"]
    return sorted(
        key.partition("#")[2] for key, v in shapes.items() if v["type"] == "operation"
    )


def _params(with_errors: bool = False) -> list[Any]:
    params = []
    for model_file, (_, name, _) in MODELS.items():
        if not shared_dir().joinpath("aws-models", model_file).exists():
            params.append(pytest.param(model_file, None, id=f"{name}-absent"))
            continue
        for op in _operation_names(model_file):
            params.append(pytest.param(model_file, op, id=f"{name}-{op}"))
    return params


@pytest.fixture(scope="module")
def services(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Service]]:
    out = tmp_path_factory.mktemp("all-operations")
    sys.path.insert(0, str(out))
    made: dict[str, Service] = {}
    for model_file in MODELS:
        if shared_dir().joinpath("aws-models", model_file).exists():
            made[model_file] = Service(model_file, out)
    yield made
    sys.path.remove(str(out))
    for name in [m for m in sys.modules if m.startswith("all_ops_")]:
        del sys.modules[name]


@pytest.fixture(autouse=True)
def _isolated(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    isolate_aws_environment(monkeypatch, tmp_path)
    monkeypatch.delenv("AWS_ENDPOINT_URL_SECRETS_MANAGER", raising=False)


# --- values by shape ----------------------------------------------------------------------


def _enum_values(shape: Shape) -> list[Any]:
    values = []
    for member in shape.members.values():  # type: ignore[attr-defined]
        value = member.get_trait("smithy.api#enumValue")
        values.append(value)
    return values


def _length(shape: Shape, default: int) -> int:
    length = shape.get_trait("smithy.api#length")
    low = length.get("min", 0) if isinstance(length, Mapping) else 0
    high = length.get("max") if isinstance(length, Mapping) else None
    size = max(default, low)
    return min(size, high) if high is not None else size


def sample(ctx: Context, shape: Shape, name: str, depth: int, *, output: bool) -> Any:
    """A wire-form value (protocol-test params form for inputs) for ``shape``.

    Inputs: timestamps in epoch seconds and blobs as text (tests/protocol/
    values.Converter turns them into objects); outputs: the JSON the service
    sends (blobs base64).
    """
    if isinstance(shape, EnumShape | IntEnumShape):
        return _enum_values(shape)[0]
    if isinstance(shape, UnionShape):
        member_name, member = next(iter(shape.members.items()))
        target = ctx.model.get_target(member)
        return {member_name: sample(ctx, target, member_name, depth + 1, output=output)}
    if isinstance(shape, StructureShape):
        value = {}
        for m in ctx.members(shape):
            if depth >= MAX_DEPTH and isinstance(m.target, _AGGREGATES):
                # Deep enough: simple members only (a member with a modeled
                # default must still be set, see the module docstring), and
                # required aggregates empty (lists, maps) or minimal.
                if m.required and isinstance(m.target, ListShape | MapShape):
                    value[m.wire] = [] if isinstance(m.target, ListShape) else {}
                elif m.required:
                    value[m.wire] = sample(
                        ctx, m.target, m.wire, depth + 1, output=output
                    )
                continue
            value[m.wire] = sample(ctx, m.target, m.wire, depth + 1, output=output)
        return value
    if isinstance(shape, ListShape):
        element = ctx.model.get_target(shape.member)
        if depth >= MAX_DEPTH and isinstance(element, StructureShape | UnionShape):
            return []
        return [sample(ctx, element, name, depth + 1, output=output)]
    if isinstance(shape, MapShape):
        key_shape = ctx.model.get_target(shape.key)
        value_shape = ctx.model.get_target(shape.value)
        if depth >= MAX_DEPTH and isinstance(value_shape, StructureShape | UnionShape):
            return {}
        key = sample(ctx, key_shape, "key", depth + 1, output=output)
        return {key: sample(ctx, value_shape, name, depth + 1, output=output)}
    kind = shape.type
    if kind is ShapeType.STRING:
        return (name * 8)[: _length(shape, len(name))] or "x"
    if kind is ShapeType.BOOLEAN:
        return True
    if kind in (ShapeType.BYTE, ShapeType.SHORT, ShapeType.INTEGER, ShapeType.LONG):
        bounds = shape.get_trait("smithy.api#range")
        low = bounds.get("min") if isinstance(bounds, Mapping) else None
        return int(low) if low is not None and low > 0 else 3
    if kind in (ShapeType.FLOAT, ShapeType.DOUBLE):
        return 2.5
    if kind is ShapeType.TIMESTAMP:
        return INSTANT
    if kind is ShapeType.BLOB:
        return base64.b64encode(b"blob data").decode() if output else "blob data"
    if kind is ShapeType.DOCUMENT:
        return {"document": ["a", 1, True]}
    raise AssertionError(f"no sample for {shape.id} ({kind})")


def to_botocore(ctx: Context, value: Any, shape: Shape) -> Any:
    """An input in params form as botocore takes it (datetimes, bytes)."""
    if isinstance(shape, StructureShape):
        members = {m.wire: m for m in ctx.members(shape)}
        return {k: to_botocore(ctx, v, members[k].target) for k, v in value.items()}
    if isinstance(shape, UnionShape):
        ((k, v),) = value.items()
        return {k: to_botocore(ctx, v, ctx.model.get_target(shape.members[k]))}
    if isinstance(shape, ListShape):
        element = ctx.model.get_target(shape.member)
        return [to_botocore(ctx, v, element) for v in value]
    if isinstance(shape, MapShape):
        element = ctx.model.get_target(shape.value)
        return {k: to_botocore(ctx, v, element) for k, v in value.items()}
    if shape.type is ShapeType.TIMESTAMP:
        return datetime.fromtimestamp(value, UTC)
    if shape.type is ShapeType.BLOB:
        return value.encode()
    return value


# --- the comparisons ---------------------------------------------------------------------


def _input(
    service: Service, op: OperationShape
) -> tuple[dict[str, Any], dict[str, Any]]:
    """(our keyword arguments, botocore's params) for the full input."""
    ctx = service.ctx
    if ctx.is_unit(op.input):
        return {}, {}
    shape = ctx.model.get_shape(op.input)
    node = sample(ctx, shape, "Input", 0, output=False)
    return service.converter.kwargs(node, shape), to_botocore(ctx, node, shape)


def _method(service: Service, op: OperationShape) -> str:
    return service.ctx.method_names[op.id]


@pytest.mark.parametrize(("model_file", "op_name"), _params())
def test_same_request_as_botocore(
    model_file: str, op_name: str | None, services: dict[str, Service]
) -> None:
    require_shared("aws-models", model_file)
    assert op_name is not None
    service = services[model_file]
    op = service.operation(op_name)
    kwargs, params = _input(service, op)
    with frozen():
        ours, _ = call_ours(
            _method(service, op),
            kwargs,
            Reply(),
            client_class=service.client_class,
            validate=False,
        )
        service.boto.call(_method(service, op), params, Reply())
    (theirs,) = service.boto.requests
    assert_same_request(op_name, ours, theirs)
    assert ours.content == theirs.body, "body bytes"
    assert ours.headers["Authorization"] == theirs.headers["Authorization"].decode()


@pytest.mark.parametrize(("model_file", "op_name"), _params())
def test_same_parsed_output_as_botocore(
    model_file: str, op_name: str | None, services: dict[str, Service]
) -> None:
    require_shared("aws-models", model_file)
    assert op_name is not None
    service = services[model_file]
    op = service.operation(op_name)
    ctx = service.ctx
    kwargs, params = _input(service, op)
    body: Any = {}
    if not ctx.is_unit(op.output):
        body = sample(ctx, ctx.model.get_shape(op.output), "Output", 0, output=True)
    reply = Reply(200, json.dumps(body).encode(), {"x-amzn-RequestId": "req-1"})
    _, ours = call_ours(
        _method(service, op),
        kwargs,
        reply,
        client_class=service.client_class,
        validate=False,
    )
    theirs = service.boto.call(_method(service, op), params, reply)
    assert not isinstance(ours, Exception), ours
    assert theirs.pop("ResponseMetadata")["RequestId"] == "req-1"
    if ctx.is_unit(op.output):
        assert ours is None and theirs == {}
        return
    assert_same_parsed(ours, theirs, ctx.model.get_shape(op.output), "output", ctx)


@pytest.mark.parametrize(("model_file", "op_name"), _params())
def test_same_modeled_errors_as_botocore(
    model_file: str, op_name: str | None, services: dict[str, Service]
) -> None:
    """Each modeled error of the operation, with every member set."""
    require_shared("aws-models", model_file)
    assert op_name is not None
    service = services[model_file]
    op = service.operation(op_name)
    ctx = service.ctx
    kwargs, params = _input(service, op)
    errors = [*op.errors, *ctx.service.errors]
    assert errors or op_name in _NO_ERRORS.get(model_file, ()), op_name
    for error_id in errors:
        shape = ctx.model.get_shape(error_id)
        status = 500 if shape.get_trait("smithy.api#error") == "server" else 400
        body = sample(ctx, shape, "Error", 0, output=True)
        body["__type"] = f"{error_id.namespace}#{error_id.name}"
        if not {"message", "Message"} & set(body):
            body["message"] = "it failed"
        reply = Reply(status, json.dumps(body).encode(), {"x-amzn-RequestId": "r-2"})
        _, ours = call_ours(
            _method(service, op),
            kwargs,
            reply,
            client_class=service.client_class,
            validate=False,
        )
        theirs = service.boto.call(_method(service, op), params, reply)
        assert isinstance(ours, ServiceError), ours
        assert isinstance(theirs, Exception), theirs
        parsed = theirs.response["Error"]  # type: ignore[attr-defined]
        assert type(ours).__name__ == ctx.class_of(error_id), error_id
        assert type(theirs).__name__ == error_id.name, error_id
        assert (ours.code, ours.message) == (parsed["Code"], parsed["Message"])
        assert (ours.status_code, ours.request_id) == (status, "r-2")
        # botocore adds a modeled error's members to its response dict.
        members = {k: v for k, v in theirs.response.items() if k not in _ENVELOPE}  # type: ignore[attr-defined]
        for m in ctx.members(shape):
            if m.wire in members:
                assert_same_parsed(
                    getattr(ours, m.attr), members[m.wire], m.target, m.wire, ctx
                )
        assert set(members) <= {m.wire for m in ctx.members(shape)}, sorted(members)


_ENVELOPE = frozenset({"Error", "ResponseMetadata"})
# Operations whose model lists no error at all (none so far).
_NO_ERRORS: dict[str, tuple[str, ...]] = {}
