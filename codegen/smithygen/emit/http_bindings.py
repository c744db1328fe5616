"""HTTP binding descriptors for ``_service.py`` (restJson1; restXml reuses them).

For each operation, an ``HttpBinding(...)`` literal: the ``@http`` method,
URI and code, and one ``HttpMember(...)`` per top-level member that an HTTP
binding trait takes out of the body (http-bindings.rst). The runtime
(``smithygen_runtime._http_bindings``) applies the wire rules; this module
only states the facts of the model.
"""

from __future__ import annotations

from collections.abc import Mapping

from smithy_python.model import (
    ListShape,
    MapShape,
    MemberShape,
    OperationShape,
    Shape,
    ShapeId,
    ShapeType,
    StructureShape,
)

from smithygen.emit import s3
from smithygen.emit.context import Context, Member
from smithygen.emit.serde import enum_reader_name
from smithygen.emit.traits import get_trait, has_trait
from smithygen.errors import GenerationError

# Binding trait -> HttpMember location; the trait's value names the header,
# query key or prefix (labels are named for their member).
_LOCATIONS = {
    "httpLabel": "label",
    "httpQuery": "query",
    "httpQueryParams": "query_params",
    "httpHeader": "header",
    "httpPrefixHeaders": "prefix_headers",
    "httpPayload": "payload",
    "httpResponseCode": "response_code",
}

_KINDS = {
    ShapeType.STRING: "string",
    ShapeType.ENUM: "string",
    ShapeType.BOOLEAN: "boolean",
    ShapeType.BYTE: "integer",
    ShapeType.SHORT: "integer",
    ShapeType.INTEGER: "integer",
    ShapeType.LONG: "integer",
    ShapeType.BIG_INTEGER: "integer",
    ShapeType.INT_ENUM: "integer",
    ShapeType.FLOAT: "float",
    ShapeType.DOUBLE: "float",
    ShapeType.BIG_DECIMAL: "decimal",
    ShapeType.TIMESTAMP: "timestamp",
    ShapeType.BLOB: "blob",
    ShapeType.DOCUMENT: "document",
    ShapeType.STRUCTURE: "structure",
    ShapeType.UNION: "union",
}


def uses_http_bindings(ctx: Context) -> bool:
    """Whether the service's protocol binds members to HTTP (the REST protocols)."""
    return ctx.protocol in ("restJson1", "restXml")


def _location(member: MemberShape) -> tuple[str, str] | None:
    """(location, name) of a bound member, or None for a body member."""
    for trait, location in _LOCATIONS.items():
        if has_trait(member, trait):
            value = get_trait(member, trait)
            name = value if isinstance(value, str) else member.name
            return location, name
    return None


def _value_shape(ctx: Context, m: Member) -> tuple[Shape, MemberShape, bool]:
    """The shape of the bound values, the member holding it, and whether a list.

    A list member binds its elements; a map (query params, prefix headers)
    binds its values, each possibly a list of strings.
    """
    target: Shape = m.target
    holder: MemberShape = m.shape
    if isinstance(target, MapShape):
        holder = target.value
        target = ctx.model.get_target(holder)
    if isinstance(target, ListShape):
        holder = target.member
        return ctx.model.get_target(holder), holder, True
    return target, holder, False


def _timestamp_format(m: Member, holder: MemberShape, target: Shape) -> str | None:
    for shape in (m.shape, holder, target):
        fmt = get_trait(shape, "timestampFormat")
        if isinstance(fmt, str):
            return fmt
    return None


def _member_expr(ctx: Context, m: Member, location: str, name: str, reads: bool) -> str:
    """``HttpMember(...)`` for one bound member; ``reads``: of an output or error."""
    parts = [f"attr={m.attr!r}", f"location={location!r}"]
    if location not in ("payload", "response_code"):
        parts.append(f"name={name!r}")
    parts.append(f"key={m.wire!r}")
    if location == "response_code":
        return f"HttpMember({', '.join(parts)})"
    target, holder, is_list = _value_shape(ctx, m)
    kind = _KINDS.get(target.type)
    if kind is None:
        raise GenerationError(f"{m.shape.id}: cannot bind a {target.type} to HTTP")
    media_type = get_trait(target, "mediaType")
    if kind == "string" and isinstance(media_type, str) and "json" in media_type:
        kind = "json_string"
    parts.append(f"kind={kind!r}")
    if is_list:
        parts.append("list_of=True")
    if kind == "timestamp":
        fmt = _timestamp_format(m, holder, target)
        if fmt is not None:
            parts.append(f"timestamp_format={fmt!r}")
    if location == "payload" and isinstance(media_type, str):
        parts.append(f"media_type={media_type!r}")
    convert = _converter(ctx, target) if reads else None
    if convert is not None:
        parts.append(f"convert={convert}")
    return f"HttpMember({', '.join(parts)})"


def _converter(ctx: Context, target: Shape) -> str | None:
    """The ``_serde`` function turning a read value into the Python one, if any."""
    if target.type in (ShapeType.ENUM, ShapeType.INT_ENUM):
        return f"_serde.{enum_reader_name(ctx, target)}"
    if target.type in (ShapeType.STRUCTURE, ShapeType.UNION):
        return f"_serde.de_{ctx.serde_stems[target.id]}"
    return None


def bound_members(
    ctx: Context, shape_id: ShapeId, *, reads: bool
) -> tuple[list[str], bool]:
    """The ``HttpMember(...)`` of a structure's bound members, and whether any
    member is left for the body."""
    if ctx.is_unit(shape_id):
        return [], False
    shape = ctx.model.expect_shape(shape_id, StructureShape)
    found: list[str] = []
    body = False
    for m in ctx.members(shape):
        located = _location(m.shape)
        if located is None:
            body = True
            continue
        # A stream is read by the runtime (ByteStream, EventStream), not converted.
        found.append(_member_expr(ctx, m, *located, reads=reads and not m.stream))
    return found, body


def _tuple(items: list[str], indent: str) -> str:
    if not items:
        return "()"
    inner = "".join(f"{indent}    {item},\n" for item in items)
    return f"(\n{inner}{indent})"


def http_binding_expr(ctx: Context, op: OperationShape) -> str:
    """``HttpBinding(...)`` for the operation (GenerationError without @http)."""
    http = get_trait(op, "http")
    if not isinstance(http, Mapping):
        raise GenerationError(f"{op.id} has no @http trait, which {ctx.protocol} needs")
    inputs, body = bound_members(ctx, op.input, reads=False)
    outputs, _ = bound_members(ctx, op.output, reads=True)
    code = http.get("code", 200)
    parts = [
        f"method={http['method']!r}",
        f"uri={s3.request_uri(ctx, str(http['uri']))!r}",
        f"code={code!r}",
        f"input={_tuple(inputs, '        ')}",
        f"output={_tuple(outputs, '        ')}",
        f"body_members={body!r}",
    ]
    return "HttpBinding(\n" + "".join(f"        {p},\n" for p in parts) + "    )"


def error_bindings_expr(ctx: Context) -> str | None:
    """``{code: (HttpMember(...), ...)}`` for errors with bound members, or None."""
    entries = []
    for error in ctx.errors:
        members, _ = bound_members(ctx, error.id, reads=True)
        if members:
            entries.append(
                f"        {error.id.name!r}: {_tuple(members, '        ')},\n"
            )
    if not entries:
        return None
    return "{\n" + "".join(entries) + "    }"


def checksum_spec_expr(ctx: Context, op: OperationShape) -> str | None:
    """``ChecksumSpec(...)`` for an ``aws.protocols#httpChecksum`` operation, else None.

    The algorithm and validation mode members are named by their key in the
    serialized document and the header they are bound to (every AWS model
    binds them to headers; a member in the body gets no header, and then the
    runtime can neither announce the default algorithm nor ask for a
    response checksum: aws_aws-core.rst, "Client behavior").
    """
    trait = get_trait(op, "aws.protocols#httpChecksum")
    if not isinstance(trait, Mapping):
        return None
    members = (
        {}
        if ctx.is_unit(op.input)
        else {
            m.shape.name: m
            for m in ctx.members(ctx.model.expect_shape(op.input, StructureShape))
        }
    )
    parts = []
    if trait.get("requestChecksumRequired") is True:
        parts.append("request_required=True")
    for prop, field in (
        ("requestAlgorithmMember", "algorithm"),
        ("requestValidationModeMember", "mode"),
    ):
        name = trait.get(prop)
        if not isinstance(name, str):
            continue
        member = members.get(name)
        if member is None:
            raise GenerationError(
                f"{op.id}: httpChecksum {prop} {name!r} is no input member"
            )
        parts.append(f"{field}_key={member.wire!r}")
        header = get_trait(member.shape, "httpHeader")
        if isinstance(header, str):
            parts.append(f"{field}_header={header!r}")
    algorithms = trait.get("responseAlgorithms")
    if isinstance(algorithms, tuple) and algorithms:
        listed = "".join(f"{str(a).lower()!r}, " for a in algorithms)
        parts.append(f"response_algorithms=({listed.rstrip(' ')})")
    return f"ChecksumSpec({', '.join(parts)})"


def checksum_required(op: OperationShape) -> bool:
    """httpChecksumRequired, or aws.protocols#httpChecksum(requestChecksumRequired: true)."""
    if has_trait(op, "httpChecksumRequired"):
        return True
    checksum = get_trait(op, "aws.protocols#httpChecksum")
    return (
        isinstance(checksum, Mapping)
        and checksum.get("requestChecksumRequired") is True
    )
