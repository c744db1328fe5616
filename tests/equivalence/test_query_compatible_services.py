"""SQS and CloudWatch, services the project has not seen, against botocore.

Both are ``@awsQueryCompatible`` (they moved from awsQuery); CloudWatch also
offers rpcv2Cbor (its model lists ``smithy-rpc-v2-cbor, json, query``).
Their Smithy models are rebuilt from botocore's own data
(``smithy_from_botocore``), generated in full, and every operation is
compared with botocore's client, as test_all_operations does for SSM
(frozen clock and UUIDs, the same full input on both sides, validation off):

- requests in the default protocol (awsJson1_0 for both: botocore's order
  puts json before CBOR): URL, method, target, content type, the signed
  ``x-amzn-query-mode: true``, body bytes and the SigV4 Authorization;
- every modeled error of every operation, answered as a query-compatible
  service answers (``__type`` in the body, ``x-amzn-query-error: Code;Fault``):
  the same class (the error's shape), ``.code`` equal to botocore's
  ``Error.Code`` (the query code) and the fault equal to its ``Error.Type``;
- CloudWatch in rpcv2Cbor (``protocol="rpcv2Cbor"``) against botocore made to
  choose CBOR (its loaded model offers only ``smithy-rpc-v2-cbor``): request
  path, headers, CBOR body and signature; parsed outputs; errors.
"""

from __future__ import annotations

import base64
import functools
import json
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from unittest import mock

import cbor2
import pytest
from smithy_python.model import (
    ListShape,
    MapShape,
    OperationShape,
    Shape,
    ShapeType,
    StructureShape,
    UnionShape,
)
from smithygen.emit.context import Context
from smithygen_runtime import ServiceError

from tests.conftest import isolate_aws_environment
from tests.equivalence import unseen, wire
from tests.equivalence.smithy_from_botocore import botocore_data
from tests.equivalence.test_all_operations import sample
from tests.equivalence.test_botocore_equivalence import (
    assert_same_parsed,
    assert_same_request,
)
from tests.equivalence.wire import Botocore, Reply, call_ours, frozen

SERVICES = ("sqs", "cloudwatch")
FAULT_TYPES = unseen.FAULT_TYPES


PACKAGE_PREFIX = "from_botocore_"


class Converted(unseen.Converted):
    """One service's generated package (every operation), its model, and
    botocore's clients: the JSON one and, made on first use, a CBOR one."""

    def __init__(self, name: str, out: Path) -> None:
        super().__init__(name, out, package_prefix=PACKAGE_PREFIX)
        self._cbor_boto: Botocore | None = None
        self.out = out

    def cbor_boto(self) -> Botocore:
        """botocore's client reading a copy of its model that offers only CBOR."""
        if self._cbor_boto is None:
            data = dict(botocore_data(self.name))  # the loader's own dict untouched
            data["metadata"] = {**data["metadata"], "protocols": ["smithy-rpc-v2-cbor"]}
            version = data["metadata"]["apiVersion"]
            folder = self.out / "botocore-cbor" / self.name / version
            folder.mkdir(parents=True)
            (folder / "service-2.json").write_text(json.dumps(data), encoding="utf-8")
            session = wire.get_session()
            loader = session.get_component("data_loader")
            loader.search_paths.insert(0, str(self.out / "botocore-cbor"))
            with mock.patch.object(wire, "get_session", lambda: session):
                self._cbor_boto = Botocore(self.name, validate=False)
            assert (
                self._cbor_boto.client.meta.service_model.resolved_protocol
                == "smithy-rpc-v2-cbor"
            )
        return self._cbor_boto


def _operations(name: str) -> list[str]:
    return sorted(botocore_data(name)["operations"])


def _errors(name: str) -> list[tuple[str, str]]:
    operations = botocore_data(name)["operations"]
    return [
        (op, error["shape"])
        for op in sorted(operations)
        for error in operations[op].get("errors", [])
    ]


@pytest.fixture(scope="module")
def services(
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[dict[str, Converted]]:
    out = tmp_path_factory.mktemp("from-botocore")
    with unseen.generated_package_path(out, PACKAGE_PREFIX):
        yield {name: Converted(name, out) for name in SERVICES}


@pytest.fixture(autouse=True)
def _isolated(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    isolate_aws_environment(monkeypatch, tmp_path)


def _client_class(service: Converted, protocol: str | None) -> Any:
    if protocol is None:
        return service.client_class
    return functools.partial(service.client_class, protocol=protocol)


# --- awsJson 1.0, the protocol botocore (and the client) choose -----------------------


@pytest.mark.parametrize(
    ("name", "op_name"),
    [pytest.param(n, op, id=f"{n}-{op}") for n in SERVICES for op in _operations(n)],
)
def test_same_json_request_as_botocore(
    name: str, op_name: str, services: dict[str, Converted]
) -> None:
    service = services[name]
    op = service.operation(op_name)
    kwargs, params = service.input(op)
    with frozen():
        ours, _ = call_ours(
            service.method(op),
            kwargs,
            Reply(),
            client_class=service.client_class,
            validate=False,
        )
        service.boto.call(service.method(op), params, Reply())
    (theirs,) = service.boto.requests
    assert ours.headers["x-amzn-query-mode"] == "true"
    assert theirs.headers["x-amzn-query-mode"] == b"true"
    assert_same_request(op_name, ours, theirs)
    assert ours.content == theirs.body, "body bytes"
    # Equal signatures: the query-mode header is signed on both sides.
    assert ours.headers["Authorization"] == theirs.headers["Authorization"].decode()


def _error_reply(
    service: Converted, error_name: str, body: dict[str, Any], *, cbor: bool
) -> tuple[Reply, str, str, int]:
    """An error answer as a query-compatible service sends it, and what it means."""
    shape = botocore_data(service.name)["shapes"][error_name]
    error = shape.get("error", {})
    # An error without awsQueryError keeps its shape name as its query code.
    # SQS's botocore model has no query codes at all (botocore finds its
    # classes by shape name): its real codes look like this one.
    default = (
        f"AWS.SimpleQueueService.{error_name}" if service.name == "sqs" else error_name
    )
    code = error.get("code", default)
    fault = "Receiver" if shape.get("fault") else "Sender"
    status = error.get("httpStatusCode", 500 if shape.get("fault") else 400)
    body = {
        **body,
        "__type": f"{service.ctx.service.id.namespace}#{error_name}",
        "message": "it failed",
    }
    headers = {"x-amzn-query-error": f"{code};{fault}", "x-amzn-RequestId": "r-9"}
    if cbor:
        headers |= {
            "smithy-protocol": "rpc-v2-cbor",
            "Content-Type": "application/cbor",
        }
        content = cbor2.dumps(body, datetime_as_timestamp=True)
    else:
        content = json.dumps(body).encode()
    return Reply(status, content, headers), code, fault, status


def _botocore_classes(name: str, error_name: str, code: str) -> set[str]:
    """The classes botocore may raise for that error: those of its query code.

    SQS's model has no query codes, and botocore finds its classes by the
    shape name (handlers._handle_sqs_compatible_error).
    """
    if name == "sqs":
        return {error_name}
    return unseen.botocore_error_classes(name, code)


def _check_error(
    service: Converted, error_name: str, op: OperationShape, protocol: str | None
) -> None:
    ctx = service.ctx
    (error_id,) = [e for e in op.errors if e.name == error_name]
    shape = ctx.model.get_shape(error_id)
    cbor = protocol == "rpcv2Cbor"
    body = sample(ctx, shape, "Error", 0, output=True)
    if cbor:
        body = to_cbor(ctx, body, shape)
    reply, code, fault, status = _error_reply(service, error_name, body, cbor=cbor)
    kwargs, params = service.input(op)
    _, ours = call_ours(
        service.method(op),
        kwargs,
        reply,
        client_class=_client_class(service, protocol),
        validate=False,
    )
    boto = service.cbor_boto() if cbor else service.boto
    theirs = boto.call(service.method(op), params, reply)
    assert isinstance(ours, ServiceError), ours
    assert isinstance(theirs, Exception), theirs
    parsed = theirs.response["Error"]  # type: ignore[attr-defined]
    # Ours is the class __type names. botocore's is the class of the query
    # code, the same one unless several errors share the code: CloudWatch's
    # DashboardNotFoundError and ResourceNotFound both answer
    # "ResourceNotFound", and botocore raises one class for both (a
    # deliberate difference: __type says which error it is).
    assert type(ours) is getattr(service.errors, ctx.class_of(error_id))
    classes = _botocore_classes(service.name, error_name, code)
    assert type(theirs).__name__ in classes
    if len(classes) == 1:
        assert type(theirs).__name__ == error_name
    # The code is the query code, as boto3 code checking Error.Code sees it.
    assert ours.code == parsed["Code"] == code
    assert FAULT_TYPES[ours.fault] == parsed["Type"] == fault
    assert (ours.message, ours.status_code) == (parsed["Message"], status)
    assert ours.request_id == "r-9"


@pytest.mark.parametrize(
    ("name", "op_name", "error_name"),
    [
        pytest.param(n, op, e, id=f"{n}-{op}-{e}")
        for n in SERVICES
        for op, e in _errors(n)
    ],
)
def test_same_query_error_code_as_botocore(
    name: str, op_name: str, error_name: str, services: dict[str, Converted]
) -> None:
    service = services[name]
    _check_error(service, error_name, service.operation(op_name), None)


# --- rpcv2Cbor (CloudWatch), chosen with protocol= ---------------------------------


def to_cbor(ctx: Context, value: Any, shape: Shape) -> Any:
    """An output sample (JSON form) as a CBOR service sends it: bytes, datetimes."""
    if isinstance(shape, StructureShape | UnionShape):
        members = (
            {m.wire: m for m in ctx.members(shape)}
            if isinstance(shape, StructureShape)
            else {n: None for n in shape.members}
        )
        out = {}
        for key, item in value.items():
            member = members.get(key)
            target = (
                member.target
                if member is not None
                else ctx.model.get_target(shape.members[key])
            )
            out[key] = to_cbor(ctx, item, target)
        return out
    if isinstance(shape, ListShape):
        element = ctx.model.get_target(shape.member)
        return [to_cbor(ctx, v, element) for v in value]
    if isinstance(shape, MapShape):
        element = ctx.model.get_target(shape.value)
        return {k: to_cbor(ctx, v, element) for k, v in value.items()}
    if shape.type is ShapeType.TIMESTAMP:
        return datetime.fromtimestamp(value, UTC)
    if shape.type is ShapeType.BLOB:
        return base64.b64decode(value)
    return value


CBOR_OPERATIONS = [pytest.param(op, id=op) for op in _operations("cloudwatch")]


@pytest.mark.parametrize("op_name", CBOR_OPERATIONS)
def test_same_cbor_request_as_botocore(
    op_name: str, services: dict[str, Converted]
) -> None:
    service = services["cloudwatch"]
    boto = service.cbor_boto()
    op = service.operation(op_name)
    kwargs, params = service.input(op)
    # An empty output: no body for Unit, an empty map otherwise (botocore
    # refuses the other way round for each).
    empty = b"" if service.ctx.is_unit(op.output) else cbor2.dumps({})
    reply = Reply(200, empty, {"smithy-protocol": "rpc-v2-cbor"})
    with frozen():
        ours, _ = call_ours(
            service.method(op),
            kwargs,
            reply,
            client_class=_client_class(service, "rpcv2Cbor"),
            validate=False,
        )
        boto.call(service.method(op), params, reply)
    (theirs,) = boto.requests
    assert ours.url == theirs.url
    assert ours.method == theirs.method
    for header in ("smithy-protocol", "Accept", "Content-Type", "x-amzn-query-mode"):
        assert ours.headers.get(header) == (
            theirs.headers[header].decode() if header in theirs.headers else None
        ), header
    assert "x-amz-target" not in ours.headers
    assert cbor2.loads(ours.content) == cbor2.loads(theirs.body), "CBOR body"
    assert ours.content == theirs.body, "body bytes"
    assert ours.headers["Authorization"] == theirs.headers["Authorization"].decode()


@pytest.mark.parametrize("op_name", CBOR_OPERATIONS)
def test_same_parsed_cbor_output_as_botocore(
    op_name: str, services: dict[str, Converted]
) -> None:
    service = services["cloudwatch"]
    op = service.operation(op_name)
    ctx = service.ctx
    kwargs, params = service.input(op)
    # A Unit output has no body and no Content-Type (the spec; botocore
    # refuses an empty CBOR map there).
    content = b""
    headers = {"smithy-protocol": "rpc-v2-cbor", "x-amzn-RequestId": "req-1"}
    if not ctx.is_unit(op.output):
        shape = ctx.model.get_shape(op.output)
        body = to_cbor(ctx, sample(ctx, shape, "Output", 0, output=True), shape)
        content = cbor2.dumps(body, datetime_as_timestamp=True)
        headers["Content-Type"] = "application/cbor"
    reply = Reply(200, content, headers)
    _, ours = call_ours(
        service.method(op),
        kwargs,
        reply,
        client_class=_client_class(service, "rpcv2Cbor"),
        validate=False,
    )
    theirs = service.cbor_boto().call(service.method(op), params, reply)
    assert not isinstance(ours, Exception), ours
    metadata = theirs.pop("ResponseMetadata")
    if ctx.is_unit(op.output):
        # botocore's CBOR parser returns early on an empty body, without
        # reading the request id.
        assert ours is None and theirs == {}
        return
    assert metadata["RequestId"] == "req-1"
    assert_same_parsed(ours, theirs, ctx.model.get_shape(op.output), "output", ctx)


@pytest.mark.parametrize(
    ("op_name", "error_name"),
    [pytest.param(op, e, id=f"{op}-{e}") for op, e in _errors("cloudwatch")],
)
def test_same_cbor_error_as_botocore(
    op_name: str, error_name: str, services: dict[str, Converted]
) -> None:
    service = services["cloudwatch"]
    _check_error(service, error_name, service.operation(op_name), "rpcv2Cbor")
