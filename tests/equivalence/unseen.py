"""What the comparisons of unseen query and XML services share.

A service botocore knows (SNS, IAM, CloudFormation, RDS, ElastiCache, EC2,
Route 53, CloudFront) becomes a Smithy model (``smithy_from_botocore``), a generated
package in a temporary folder (``Converted``) and botocore's client of it.
Inputs are test_all_operations' samples (every member set, four structures
deep). Responses are written here from the Smithy model, independently of
the runtime's XML layouts: ``xml_element`` lays out a sampled value as the
XML bindings say (aws-xml-serialization.rst.template: ``@xmlName``,
``@xmlFlattened``, ``@xmlAttribute``, list ``member`` and map ``entry``
elements), and ``query_answer`` / ``ec2_answer`` / ``query_error`` /
``ec2_error`` / ``rest_xml_error`` wrap member elements
(``member_elements``) as each protocol does.

Two spec-over-botocore differences in form bodies, undone explicitly by
``botocore_form_as_ours`` before the bytes are compared (the STS tests
accept the same ones): botocore encodes a space ``+`` where RFC 3986 (which
aws-query-serialization.rst.template requires) has ``%20``, and writes a
date-time with six fraction digits (``.125000Z``) where the runtime writes
the digits needed (``.125Z``); both read back as the same value.
"""

from __future__ import annotations

import contextlib
import functools
import importlib
import json
import re
import sys
from collections.abc import Callable, Iterator, Mapping, Sequence
from datetime import UTC, datetime
from email.utils import format_datetime
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape, quoteattr

import httpx
import pytest
from smithy_python.model import (
    ListShape,
    MapShape,
    MemberShape,
    OperationShape,
    Shape,
    ShapeId,
    ShapeType,
    StructureShape,
    UnionShape,
    load_model,
)
from smithygen.emit.context import Context
from smithygen.emit.traits import get_trait, has_trait
from smithygen.generate import generate
from smithygen.select import select
from smithygen_runtime import ServiceError

from tests.equivalence.smithy_from_botocore import botocore_data, smithy_ast
from tests.equivalence.test_all_operations import sample, to_botocore
from tests.equivalence.test_botocore_equivalence import assert_same_parsed
from tests.equivalence.wire import (
    Botocore,
    Reply,
    botocore_signature,
    call_ours,
    frozen,
)
from tests.protocol.values import Converter
from tests.query.sts_server import form_pairs_of

FORM = "application/x-www-form-urlencoded"
FAULT_TYPES = {"client": "Sender", "server": "Receiver"}


class Converted:
    """One service's generated package (all or the named operations), its
    model, and botocore's client of the service."""

    def __init__(
        self,
        name: str,
        out: Path,
        operations: Sequence[str] | None = None,
        *,
        package_prefix: str = "unseen_",
    ) -> None:
        ast, service_id = smithy_ast(name)
        path = out / f"{name}.json"
        path.write_text(json.dumps(ast), encoding="utf-8")
        package = f"{package_prefix}{name}"
        generate(
            [path], service=service_id, package=package, out=out, operations=operations
        )
        importlib.invalidate_caches()
        model = load_model(ast)
        self.name = name
        self.selection = select(model, service_id, operations)
        self.ctx = Context(model, self.selection, package=package, sources=[])
        self.client_class = getattr(
            importlib.import_module(f"{package}.client"), self.ctx.client_class
        )
        self.errors = importlib.import_module(f"{package}.errors")
        self.converter = Converter(
            self.ctx, importlib.import_module(f"{package}.models"), self.errors
        )
        self.boto = Botocore(name, validate=False)

    def operation(self, name: str) -> OperationShape:
        (op,) = [o for o in self.ctx.operations if o.id.name == name]
        return op

    def method(self, op: OperationShape) -> str:
        return self.ctx.method_names[op.id]

    def input(self, op: OperationShape) -> tuple[dict[str, Any], dict[str, Any]]:
        """(our keyword arguments, botocore's params) for the full sampled input."""
        ctx = self.ctx
        if ctx.is_unit(op.input):
            return {}, {}
        shape = ctx.model.get_shape(op.input)
        node = sample(ctx, shape, "Input", 0, output=False)
        return self.converter.kwargs(node, shape), to_botocore(ctx, node, shape)

    def output_sample(self, op: OperationShape) -> tuple[Shape | None, Any]:
        if self.ctx.is_unit(op.output):
            return None, {}
        shape = self.ctx.model.get_shape(op.output)
        return shape, sample(self.ctx, shape, "Output", 0, output=True)

    def error_shape(self, op: OperationShape, error_name: str) -> tuple[ShapeId, Shape]:
        (error_id,) = [e for e in op.errors if e.name == error_name]
        return error_id, self.ctx.model.get_shape(error_id)


@functools.cache
def botocore_model(name: str) -> Mapping[str, Any]:
    """botocore's service model of ``name``, loaded once (read, never changed)."""
    return botocore_data(name)


def operation_names(name: str, every: int = 1) -> list[str]:
    """The service's operations in name order; with ``every`` > 1, each
    ``every``-th of them (the first, the ``every+1``-th, ...): a fixed sample."""
    return sorted(botocore_model(name)["operations"])[::every]


def _reached(shapes: Mapping[str, Any], root: str) -> set[str]:
    """The botocore shapes reachable from ``root`` through members."""
    seen: set[str] = set()
    pending = [root]
    while pending:
        name = pending.pop()
        if name not in seen:
            seen.add(name)
            shape = shapes[name]
            pending += [m["shape"] for m in shape.get("members", {}).values()]
            pending += [
                shape[k]["shape"] for k in ("member", "key", "value") if k in shape
            ]
    return seen


def operations_with_rare_names(name: str) -> list[str]:
    """Operations whose input or output reaches a member with a ``queryName``
    (``@ec2QueryName``) or a shape with its own ``locationName``: a sample of
    operations must not leave out the few that exercise those."""
    data = botocore_model(name)
    shapes = data["shapes"]
    rare = {
        shape_name
        for shape_name, shape in shapes.items()
        if "locationName" in shape
        or any("queryName" in m for m in shape.get("members", {}).values())
    }
    found = []
    for op_name, op in sorted(data["operations"].items()):
        roots = [op[io]["shape"] for io in ("input", "output") if io in op]
        if any(_reached(shapes, root) & rare for root in roots):
            found.append(op_name)
    return found


def error_cases(name: str, operations: Sequence[str]) -> list[tuple[str, str]]:
    """(operation, error) for each modeled error, with the first of the
    operations that declares it: each error's layout is compared once."""
    data = botocore_model(name)["operations"]
    seen: set[str] = set()
    cases = []
    for op in operations:
        for error in data[op].get("errors", []):
            if error["shape"] not in seen:
                seen.add(error["shape"])
                cases.append((op, error["shape"]))
    return cases


@contextlib.contextmanager
def generated_package_path(out: Path, prefix: str = "unseen_") -> Iterator[None]:
    """Put ``out`` on sys.path while the generated packages are in use; then
    forget the modules of the packages named ``prefix...``."""
    sys.path.insert(0, str(out))
    try:
        yield
    finally:
        sys.path.remove(str(out))
        for module in [m for m in sys.modules if m.startswith(prefix)]:
            del sys.modules[module]


# --- which services, and which of their operations ---------------------------------------

QUERY_SERVICES = ("sns", "iam", "cloudformation", "rds", "elasticache")
REST_XML_SERVICES = ("route53", "cloudfront")
# Services sampled (every N-th operation by name, plus those using rare
# names); the others are compared in full.
SAMPLED_EVERY = {"ec2": 5, "elasticache": 4}
# Generated beside the compared EC2 operations, for the asserted difference
# of test_unseen_botocore_customizations (botocore base64-decodes its Output).
EC2_EXTRA = ("GetConsoleOutput",)


def compared_operations(name: str) -> list[str]:
    """The operations compared for each service: all of them, but for those
    in ``SAMPLED_EVERY`` (EC2's 830, ElastiCache's 77) every N-th by name plus
    those using rare names (a fixed sample, to keep the tests within their
    time budget: ElastiCache is there for its shapes' own locationName)."""
    if name not in SAMPLED_EVERY:
        return operation_names(name)
    every = SAMPLED_EVERY[name]
    return sorted({*operation_names(name, every), *operations_with_rare_names(name)})


class UnseenServices:
    """The generated packages, each made on first use into one folder."""

    def __init__(self, out: Path) -> None:
        self.out = out
        self._made: dict[str, Converted] = {}

    def __getitem__(self, name: str) -> Converted:
        if name not in self._made:
            operations = None
            if name in SAMPLED_EVERY:
                extra = EC2_EXTRA if name == "ec2" else ()
                operations = sorted({*compared_operations(name), *extra})
            self._made[name] = Converted(name, self.out, operations)
        return self._made[name]


# --- test cases and driving both clients ------------------------------------------------


def operation_cases(operations: Mapping[str, Sequence[str]]) -> list[Any]:
    """One pytest case a (service, operation), named ``service-operation``."""
    return [
        pytest.param(name, op, id=f"{name}-{op}")
        for name, ops in operations.items()
        for op in ops
    ]


def modeled_error_cases(
    names: Sequence[str], operations: Mapping[str, Sequence[str]]
) -> list[Any]:
    """One pytest case a (service, operation, error): each modeled error once,
    with the first compared operation declaring it (``error_cases``)."""
    return [
        pytest.param(name, op, error, id=f"{name}-{op}-{error}")
        for name in names
        for op, error in error_cases(name, operations[name])
    ]


def call_both(
    service: Converted,
    op: OperationShape,
    inputs: tuple[Mapping[str, Any], Mapping[str, Any]],
    reply: Reply,
    *,
    freeze: bool = False,
    validate: bool = False,
) -> tuple[httpx.Request, Any, Any]:
    """Our generated client and botocore's, called with the same input
    (our keyword arguments, botocore's params) and answered with the same
    ``reply``: (our request, our output or error, botocore's). ``freeze``
    fixes the clock and UUIDs of both, for comparing the requests; botocore's
    request is then in ``service.boto.requests``."""
    kwargs, params = inputs
    with frozen() if freeze else contextlib.nullcontext():
        request, ours = call_ours(
            service.method(op),
            kwargs,
            reply,
            client_class=service.client_class,
            validate=validate,
        )
        theirs = service.boto.call(service.method(op), params, reply)
    return request, ours, theirs


def botocore_error_of(ours: Any, theirs: Any) -> Mapping[str, Any]:
    """Asserts both clients raised an error (ours a ServiceError) and returns
    botocore's parsed ``Error`` (Code, Message and, for query, Type)."""
    assert isinstance(ours, ServiceError), ours
    assert isinstance(theirs, Exception), theirs
    parsed: Mapping[str, Any] = theirs.response["Error"]  # type: ignore[attr-defined]
    return parsed


def assert_same_error_members(
    ctx: Context, ours: ServiceError, theirs: Any, shape: Shape
) -> None:
    """Each member of an error shape (but the message, which the envelope
    carries) that botocore parsed has the same value on our error."""
    response = theirs.response
    for m in ctx.members(shape):
        if m.wire in response and m.wire.lower() != "message":
            assert_same_parsed(
                getattr(ours, m.attr), response[m.wire], m.target, m.wire, ctx
            )


def botocore_error_classes(name: str, code: str) -> set[str]:
    """The error classes botocore may raise for a code: those that answer it
    (several shapes may share one code; botocore keeps the last)."""
    shapes = botocore_model(name)["shapes"]
    return {
        shape_name
        for shape_name, shape in shapes.items()
        if shape.get("exception")
        and shape.get("error", {}).get("code", shape_name) == code
    }


# --- requests -------------------------------------------------------------------------

_BOTOCORE_MICROSECONDS = re.compile(r"(T\d\d%3A\d\d%3A\d\d\.\d{3})000Z")


def botocore_form_as_ours(body: bytes | str | None) -> bytes:
    """botocore's form body with its two spec differences undone (module doc)."""
    raw = body.encode() if isinstance(body, str) else body or b""
    text = raw.decode("ascii").replace("+", "%20")
    return _BOTOCORE_MICROSECONDS.sub(r"\1Z", text).encode("ascii")


def header(request: Any, name: str) -> str | None:
    """A header of botocore's prepared request as text."""
    value = request.headers.get(name)
    return value.decode() if isinstance(value, bytes) else value


class _Recorded:
    """Our httpx request as wire.botocore_signature reads a recorded one."""

    def __init__(self, request: httpx.Request) -> None:
        self.method = request.method
        self.target = request.url.raw_path.decode()
        self.headers = {k.lower(): v for k, v in request.headers.items()}
        self.body = request.content


def assert_signed_as_botocore_signs(request: httpx.Request, signing_name: str) -> None:
    """Our Authorization is botocore's SigV4 of the bytes we send (the two
    clients' bytes differ by design, so their signatures cannot be equal)."""
    endpoint = f"{request.url.scheme}://{request.url.netloc.decode()}"
    expected = botocore_signature(_Recorded(request), endpoint, signing_name)
    assert request.headers["Authorization"] == expected


# Headers only ours sends: httpx's defaults (botocore's urllib3 adds Host when it
# sends, after the before-send hook that records the request here).
HTTPX_DEFAULTS = frozenset({"accept", "accept-encoding", "connection", "host"})
# The same value on both sides (the clock and UUIDs are frozen).
SAME_VALUE = ("x-amz-date", "amz-sdk-invocation-id", "amz-sdk-request")


def assert_same_headers(
    ours: httpx.Request,
    theirs: Any,
    only_ours: frozenset[str] = frozenset(),
    only_theirs: frozenset[str] = frozenset(),
) -> None:
    """The same header names but httpx's defaults, ``only_ours`` and
    ``only_theirs`` (each a documented difference); the same values but the
    User-Agent (each client names itself), Authorization, Content-Type and
    Content-Length (the callers compare those with the bodies)."""
    our_names = {name.lower() for name in ours.headers}
    their_names = {str(name).lower() for name in theirs.headers}
    mine = our_names - HTTPX_DEFAULTS - only_ours
    theirs_compared = their_names - only_theirs
    assert only_theirs <= their_names, sorted(only_theirs - their_names)
    assert mine == theirs_compared, (
        sorted(mine - theirs_compared),
        sorted(theirs_compared - mine),
    )
    for name in SAME_VALUE:
        assert ours.headers[name] == header(theirs, name), name
    assert int(ours.headers.get("Content-Length", "0")) == len(ours.content)


Pairs = list[tuple[str, str]]


def assert_same_form_request(
    ours: httpx.Request,
    theirs: Any,
    signing_name: str,
    customization: Callable[[Pairs], Pairs] | None = None,
) -> None:
    """Same URL, method, headers, form pairs in order and (differences
    undone) bytes.

    ``customization``: what one of botocore's own handlers does to the
    parameters of this operation (RDS's SourceRegion, EC2's UserData), as a
    function of our pairs; botocore's pairs must be that, and must differ
    from ours (the customization applies). The bytes are then not compared:
    the pairs say all there is.
    """
    their_url = httpx.URL(theirs.url)
    assert (ours.url.scheme, ours.url.host, ours.url.port) == (
        their_url.scheme,
        their_url.host,
        their_url.port,
    )
    assert (ours.url.raw_path or b"/") == their_url.raw_path == b"/"
    assert ours.method == theirs.method == "POST"
    assert ours.headers["Content-Type"] == FORM
    assert header(theirs, "Content-Type") == f"{FORM}; charset=utf-8"
    assert_same_headers(ours, theirs)
    their_bytes = botocore_form_as_ours(theirs.body)
    our_pairs, their_pairs = form_pairs_of(ours.content), form_pairs_of(their_bytes)
    if customization is not None:
        expected = customization(our_pairs)
        assert expected != our_pairs, "botocore's customization changes nothing"
        assert expected == their_pairs
    else:
        assert our_pairs == their_pairs, (
            f"form pairs, in order: ours {our_pairs}, botocore's {their_pairs}"
        )
        assert ours.content == their_bytes, "body bytes"
    assert_signed_as_botocore_signs(ours, signing_name)


# --- XML answers written from the model ------------------------------------------------


def _xml_name(member: MemberShape, default: str) -> str:
    value = get_trait(member, "xmlName")
    return value if isinstance(value, str) else default


def _timestamp_text(value: float, fmt: Any) -> str:
    instant = datetime.fromtimestamp(value, UTC)
    if fmt == "epoch-seconds":
        return str(value)
    if fmt == "http-date":
        return format_datetime(instant, usegmt=True)
    return instant.isoformat(timespec="milliseconds").replace("+00:00", "Z")


def scalar_text(value: Any, shape: Shape, member: MemberShape | None) -> str:
    if shape.type is ShapeType.TIMESTAMP:
        fmt = get_trait(member, "timestampFormat") or get_trait(
            shape, "timestampFormat"
        )
        return _timestamp_text(value, fmt)
    if isinstance(value, bool):
        return "true" if value else "false"
    return escape(str(value))


def xml_element(
    ctx: Context,
    name: str,
    value: Any,
    shape: Shape,
    member: MemberShape | None = None,
) -> str:
    """``<name>`` holding ``value`` of ``shape`` (structures with their
    ``@xmlAttribute`` members as attributes)."""
    attributes = ""
    if isinstance(shape, StructureShape | UnionShape):
        inner, attributes = _structure_content(ctx, value, shape)
    elif isinstance(shape, ListShape):
        item = _xml_name(shape.member, "member")
        target = ctx.model.get_target(shape.member)
        inner = "".join(xml_element(ctx, item, v, target, shape.member) for v in value)
    elif isinstance(shape, MapShape):
        inner = "".join(_map_entry(ctx, "entry", k, v, shape) for k, v in value.items())
    else:
        inner = scalar_text(value, shape, member)
    return f"<{name}{attributes}>{inner}</{name}>"


def _map_entry(ctx: Context, name: str, key: str, value: Any, shape: MapShape) -> str:
    key_name = _xml_name(shape.key, "key")
    value_name = _xml_name(shape.value, "value")
    target = ctx.model.get_target(shape.value)
    return (
        f"<{name}><{key_name}>{escape(key)}</{key_name}>"
        f"{xml_element(ctx, value_name, value, target, shape.value)}</{name}>"
    )


def _structure_content(
    ctx: Context, value: Mapping[str, Any], shape: Shape
) -> tuple[str, str]:
    """(the member elements, the attributes) of a structure's element."""
    parts: list[str] = []
    attributes = ""
    for name, member in shape.members.items():
        if name not in value:
            continue
        target = ctx.model.get_target(member)
        element = _xml_name(member, name)
        if has_trait(member, "xmlAttribute"):
            text = scalar_text(value[name], target, member)
            attributes += f" {element}={quoteattr(text)}"
        elif has_trait(member, "xmlFlattened") and isinstance(target, ListShape):
            item = ctx.model.get_target(target.member)
            parts += [
                xml_element(ctx, element, v, item, target.member) for v in value[name]
            ]
        elif has_trait(member, "xmlFlattened") and isinstance(target, MapShape):
            parts += [
                _map_entry(ctx, element, k, v, target) for k, v in value[name].items()
            ]
        else:
            parts.append(xml_element(ctx, element, value[name], target, member))
    return "".join(parts), attributes


def member_elements(ctx: Context, value: Mapping[str, Any], shape: Shape) -> str:
    """The elements of a structure's members (in an output's or error's wrapper)."""
    inner, attributes = _structure_content(ctx, value, shape)
    assert not attributes, f"{shape.id}: attributes have no element to go on"
    return inner


def without_message(values: Mapping[str, Any]) -> dict[str, Any]:
    """An error's sampled members but its message (the envelope carries it)."""
    return {k: v for k, v in values.items() if k.lower() != "message"}


def namespace_of(ctx: Context) -> str | None:
    value = get_trait(ctx.service, "xmlNamespace")
    return str(value["uri"]) if isinstance(value, Mapping) else None


def _xmlns(ctx: Context) -> str:
    """The service's namespace as a quoted attribute value (``""`` if none)."""
    return quoteattr(namespace_of(ctx) or "")


def _output_elements(ctx: Context, output: Any, shape: Shape | None) -> str:
    """The output's member elements; none for a unit output."""
    return "" if shape is None else member_elements(ctx, output, shape)


def query_answer(ctx: Context, op_name: str, output: Any, shape: Shape | None) -> bytes:
    """awsQuery: ``<OpResponse><OpResult>...</OpResult><ResponseMetadata>``."""
    result = _output_elements(ctx, output, shape)
    return (
        f"<{op_name}Response xmlns={_xmlns(ctx)}>"
        f"<{op_name}Result>{result}</{op_name}Result>"
        "<ResponseMetadata><RequestId>req-1</RequestId></ResponseMetadata>"
        f"</{op_name}Response>"
    ).encode()


def ec2_answer(ctx: Context, op_name: str, output: Any, shape: Shape | None) -> bytes:
    """ec2Query: the output's members in ``<OpResponse>``, with ``<requestId>``."""
    result = _output_elements(ctx, output, shape)
    return (
        f"<{op_name}Response xmlns={_xmlns(ctx)}>"
        f"<requestId>req-1</requestId>{result}</{op_name}Response>"
    ).encode()


def query_error(ctx: Context, code: str, fault: str, members: str) -> bytes:
    return (
        f"<ErrorResponse xmlns={_xmlns(ctx)}><Error><Type>{fault}</Type>"
        f"<Code>{code}</Code><Message>it failed</Message>{members}</Error>"
        "<RequestId>r-2</RequestId></ErrorResponse>"
    ).encode()


def rest_xml_error(code: str, fault: str, members: str) -> bytes:
    """An error as Route 53 and CloudFront send it (``<ErrorResponse>`` wrapped)."""
    return (
        "<ErrorResponse><Error>"
        f"<Type>{fault}</Type><Code>{code}</Code><Message>it failed</Message>"
        f"{members}</Error><RequestId>r-2</RequestId></ErrorResponse>"
    ).encode()


def ec2_error(code: str) -> bytes:
    return (
        "<Response><Errors><Error>"
        f"<Code>{code}</Code><Message>it failed</Message>"
        "</Error></Errors><RequestID>r-2</RequestID></Response>"
    ).encode()
