"""Every operation of every official awsJson model in ../shared/aws-models (SSM,
Secrets Manager), generated in full, against botocore's client of the service.
``EQUIVALENCE_MODELS=DIR[:DIR]`` runs every awsJson model of those folders
instead (the service is matched to botocore's by its sdkId).

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
import os
import re
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

# The official awsJson models of ../shared/aws-models; EQUIVALENCE_MODELS=DIR[:DIR]
# runs every awsJson model (Smithy JSON AST, *.json) of those folders instead.
SHARED_MODELS = ("ssm-2014-11-06.json", "secrets-manager-2017-10-17.json")
AWS_JSON = ("aws.protocols#awsJson1_0", "aws.protocols#awsJson1_1")


@functools.cache
def _model_paths() -> tuple[Path, ...]:
    folders = os.environ.get("EQUIVALENCE_MODELS")
    if not folders:
        return tuple(shared_dir() / "aws-models" / name for name in SHARED_MODELS)
    paths = [p for folder in folders.split(":") for p in Path(folder).glob("*.json")]
    return tuple(p for p in sorted(paths) if _service_of(p) is not None)


@functools.cache
def _shapes(path: Path) -> Mapping[str, Any]:
    shapes: Mapping[str, Any] = json.loads(path.read_text(encoding="utf-8"))["shapes"]
    return shapes


def _service_of(path: Path) -> str | None:
    """The model's awsJson service shape id, or None (another protocol)."""
    for key, shape in _shapes(path).items():
        if shape["type"] == "service" and set(shape.get("traits", {})) & set(AWS_JSON):
            return key
    return None


@functools.cache
def _botocore_names() -> Mapping[str, str]:
    """botocore's service name for each serviceId (its sdkId), from its data."""
    from botocore.session import get_session

    loader = get_session().get_component("data_loader")
    names = {}
    for name in loader.list_available_services("service-2"):
        metadata = loader.load_service_model(name, "service-2")["metadata"]
        names[metadata.get("serviceId", name)] = name
    return names


def _botocore_name(path: Path, service_id: str) -> str:
    known = {"SSM": "ssm", "Secrets Manager": "secretsmanager"}
    sdk_id = _shapes(path)[service_id]["traits"]["aws.api#service"]["sdkId"]
    return known.get(sdk_id) or _botocore_names()[sdk_id]


def _package(path: Path) -> str:
    return "all_ops_" + re.sub(r"\W", "_", path.stem.lower())


MAX_DEPTH = 4
_AGGREGATES = (StructureShape, UnionShape, ListShape, MapShape)
# An instant with milliseconds, as the services send them.
INSTANT = 1_700_000_000.125


class Service:
    """One generated package and everything the comparisons need from it."""

    def __init__(self, path: Path, out: Path) -> None:
        service_id = _service_of(path)
        assert service_id is not None, path
        package = _package(path)
        self.botocore_name = _botocore_name(path, service_id)
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


def _operation_names(path: Path) -> list[str]:
    return sorted(
        key.partition("#")[2]
        for key, v in _shapes(path).items()
        if v["type"] == "operation"
    )


def _error_names(path: Path, operation: str) -> list[str]:
    """The operation's modeled errors and the service's, by shape name."""
    shapes = _shapes(path)
    service_id = _service_of(path)
    assert service_id is not None
    namespace = service_id.partition("#")[0]
    targets = [
        *(e["target"] for e in shapes[f"{namespace}#{operation}"].get("errors", [])),
        *(e["target"] for e in shapes[service_id].get("errors", [])),
    ]
    return sorted({t.partition("#")[2] for t in targets})


def _stem(path: Path) -> str:
    return path.stem.split("-20")[0]


def _params() -> list[Any]:
    params = []
    for path in _model_paths():
        if not path.exists():
            params.append(pytest.param(path, None, id=f"{_stem(path)}-absent"))
            continue
        for op in _operation_names(path):
            params.append(pytest.param(path, op, id=f"{_stem(path)}-{op}"))
    return params


def _error_params() -> list[Any]:
    params = []
    for path in _model_paths():
        if not path.exists():
            params.append(pytest.param(path, None, None, id=f"{_stem(path)}-absent"))
            continue
        for op in _operation_names(path):
            params += [
                pytest.param(path, op, error, id=f"{_stem(path)}-{op}-{error}")
                for error in _error_names(path, op)
            ]
    return params


@pytest.fixture(scope="module")
def services(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[Path, Service]]:
    out = tmp_path_factory.mktemp("all-operations")
    sys.path.insert(0, str(out))
    made: dict[Path, Service] = {}
    for path in _model_paths():
        if path.exists():
            made[path] = Service(path, out)
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


@pytest.mark.parametrize(("model", "op_name"), _params())
def test_same_request_as_botocore(
    model: Path, op_name: str | None, services: dict[Path, Service]
) -> None:
    _require(model)
    assert op_name is not None
    service = services[model]
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


@pytest.mark.parametrize(("model", "op_name"), _params())
def test_same_parsed_output_as_botocore(
    model: Path, op_name: str | None, services: dict[Path, Service]
) -> None:
    _require(model)
    assert op_name is not None
    service = services[model]
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


@pytest.mark.parametrize(("model", "op_name", "error_name"), _error_params())
def test_same_modeled_error_as_botocore(
    model: Path,
    op_name: str | None,
    error_name: str | None,
    services: dict[Path, Service],
) -> None:
    """One modeled error of the operation (or of the service), every member set."""
    _require(model)
    assert op_name is not None and error_name is not None
    service = services[model]
    op = service.operation(op_name)
    ctx = service.ctx
    kwargs, params = _input(service, op)
    (error_id,) = [e for e in [*op.errors, *ctx.service.errors] if e.name == error_name]
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
    response = theirs.response  # type: ignore[attr-defined]
    members = {k: v for k, v in response.items() if k not in _ENVELOPE}
    for m in ctx.members(shape):
        if m.wire in members:
            assert_same_parsed(
                getattr(ours, m.attr), members[m.wire], m.target, m.wire, ctx
            )
    assert set(members) <= {m.wire for m in ctx.members(shape)}, sorted(members)


def _require(path: Path) -> None:
    """The model must exist: a shared one is skipped (failed under CI) when absent."""
    if path.parent == shared_dir() / "aws-models":
        require_shared("aws-models", path.name)
    assert path.exists(), path


_ENVELOPE = frozenset({"Error", "ResponseMetadata"})
