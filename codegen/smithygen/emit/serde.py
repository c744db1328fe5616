"""``_serde.py``: one serialize and one deserialize function per aggregate shape.

Serializers convert simple values inline (timestamps, blobs and floats
through runtime helpers). Deserializers call each output class's keyword
constructor (the runtime's ``output_constructor`` of the class) with one
runtime reader per member (``read_str(data, "Name")``), which checks the
JSON type and names the member path of a mismatch; they trust nothing else
of the response (no constraint checks), ignore unknown members and read
``null`` as absent.

A ``Codec`` says how a document format writes the simple values: JSON
(awsJson) through runtime helpers, CBOR (rpcv2Cbor) as they are (bytes,
datetimes, floats and Decimals are CBOR's own; the encoder tags them). The
walk over structures, unions and collections is the same for both, which
is why this is one emitter with a codec parameter rather than two emitters
(the second would repeat every walker for four leaf rules). Deserializers
are shared: the runtime's converters read both formats' values, so a service
offering awsJson and rpcv2Cbor has one set, used by its error classes too.
A service whose protocols differ in format gets ``_serde.py`` for its default
protocol and ``_serde_<format>.py`` holding only the other format's
serializers.
"""

from __future__ import annotations

from dataclasses import dataclass

from smithy_python.model import (
    ListShape,
    MapShape,
    MemberShape,
    Shape,
    ShapeType,
    StructureShape,
    UnionShape,
)

from smithygen.emit.context import UNKNOWN, XML_PROTOCOLS, Context, Member
from smithygen.emit.event_stream import event_union
from smithygen.emit.names import snake_case
from smithygen.emit.traits import get_trait, has_trait
from smithygen.errors import GenerationError

_IMPORTS = """\
from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from smithygen_runtime import (
    BIG_DECIMAL,
    BLOB,
    BOOLEAN,
    DATE_TIME,
    DOCUMENT,
    EPOCH,
    EPOCH_SECONDS,
    FLOAT,
    HTTP_DATE,
    INTEGER,
    STRING,
    UNIT,
    ZERO,
    EnumReader,
    JsonReaders,
    Reader,
    EventMessage,
    TypedInt,
    WrongShape,
    as_document,
    expect_bool,
    expect_decimal,
    expect_int,
    expect_map,
    expect_str,
    list_of,
    map_of,
    member,
    parse_blob,
    parse_date_time,
    parse_float,
    parse_http_date,
    parse_timestamp_epoch,
    read_bool,
    read_int,
    read_member,
    read_str,
    serialize_blob,
    serialize_float,
    serialize_timestamp,
    serialize_timestamp_epoch,
    shape,
    variant,
    event_header,
    event_message,
    json_payload,
)
"""

_HELPERS = '''

def ser_unit(value: None) -> dict[str, Any]:
    """The body of an operation without input."""
    return {}


def de_unit(value: Any) -> None:
    """The output of an operation without output: nothing to read."""
'''


@dataclass(frozen=True)
class Codec:
    """How one document format writes simple values, and what its module says."""

    name: str
    """The document format: "json" or "cbor" (OperationSpec.other_serializers keys)."""
    about: str
    """The generated module's docstring."""
    native: bool
    """Timestamps, blobs, floats and big decimals go to the encoder as they are."""


JSON = Codec(
    "json",
    '"""Wire (awsJson) serializers and deserializers; private to the package."""',
    native=False,
)
CBOR = Codec(
    "cbor",
    '"""Wire (rpcv2Cbor) serializers and deserializers; private to the package.\n\n'
    "Timestamps, blobs, floats and big decimals are left to the CBOR encoder\n"
    '(tag 1, byte strings, floats, tag 4); @timestampFormat does not apply."""',
    native=True,
)
CODECS = {"json": JSON, "cbor": CBOR}


# Readers by target type: a member of these types is read by one runtime call
# that checks the JSON type (``read_str(data, "Name")``); any other member by
# ``read_member(data, "Name", convert)`` with the converter ``de_converter``
# names. Both report a wrong type with the member's path (WrongShape).
_SCALAR_READERS = {
    ShapeType.STRING: "read_str",
    ShapeType.BOOLEAN: "read_bool",
    ShapeType.BYTE: "read_int",
    ShapeType.SHORT: "read_int",
    ShapeType.INTEGER: "read_int",
    ShapeType.LONG: "read_int",
    ShapeType.BIG_INTEGER: "read_int",
}


def enum_reader_name(ctx: Context, target: Shape) -> str:
    """The ``_serde`` module constant that reads an enum's wire values."""
    return f"{snake_case(ctx.class_names[target.id])}_reader"


def _enum_readers(ctx: Context) -> str:
    lines = [
        f"{enum_reader_name(ctx, e)} = EnumReader({ctx.class_of(e.id)})"
        for e in ctx.enums
    ]
    return "\n".join(lines) + "\n" if lines else ""


def timestamp_format(
    member: MemberShape | None, target: Shape, default: str = "epoch-seconds"
) -> str:
    """The member's @timestampFormat, its target's, else the protocol's default."""
    for holder in (member, target):
        if holder is not None and isinstance(
            fmt := get_trait(holder, "timestampFormat"), str
        ):
            return fmt
    return default


def ser_value(
    ctx: Context,
    member: MemberShape | None,
    target: Shape,
    expr: str,
    codec: Codec = JSON,
) -> str:
    """Expression converting the Python value ``expr`` to its document value."""
    if codec.native and target.type in _NATIVE_TYPES:
        return expr
    match target.type:
        case ShapeType.TIMESTAMP:
            fmt = timestamp_format(member, target, ctx.timestamp_default)
            if fmt == "epoch-seconds":
                return f"serialize_timestamp_epoch({expr})"
            return f'serialize_timestamp({expr}, "{fmt}")'
        case ShapeType.BLOB:
            return f"serialize_blob({expr})"
        case ShapeType.FLOAT | ShapeType.DOUBLE:
            return f"serialize_float({expr})"
        case ShapeType.BIG_DECIMAL:
            return f"serialize_float(float({expr}))"
        case ShapeType.LIST | ShapeType.MAP | ShapeType.STRUCTURE | ShapeType.UNION:
            return f"ser_{ctx.serde_stems[target.id]}({expr})"
        case _:
            return expr


# Simple types a native codec (CBOR) hands to its encoder unconverted.
_NATIVE_TYPES = frozenset(
    {
        ShapeType.TIMESTAMP,
        ShapeType.BLOB,
        ShapeType.FLOAT,
        ShapeType.DOUBLE,
        ShapeType.BIG_DECIMAL,
    }
)

_TIMESTAMP_PARSERS = {
    "epoch-seconds": "parse_timestamp_epoch",
    "date-time": "parse_date_time",
    "http-date": "parse_http_date",
}


def de_converter(ctx: Context, member: MemberShape | None, target: Shape) -> str:
    """The runtime or ``_serde`` function converting a JSON value of ``target``.

    Each checks the value's JSON type and raises TypeError or ValueError when
    it is wrong; the readers turn that into WrongShape naming the member.
    """
    match target.type:
        case ShapeType.TIMESTAMP:
            return _TIMESTAMP_PARSERS[
                timestamp_format(member, target, ctx.timestamp_default)
            ]
        case ShapeType.BLOB:
            return "parse_blob"
        case ShapeType.FLOAT | ShapeType.DOUBLE:
            return "parse_float"
        case ShapeType.BIG_DECIMAL:
            return "expect_decimal"
        case ShapeType.ENUM | ShapeType.INT_ENUM:
            return enum_reader_name(ctx, target)
        case ShapeType.LIST | ShapeType.MAP | ShapeType.STRUCTURE | ShapeType.UNION:
            return f"de_{ctx.serde_stems[target.id]}"
        case ShapeType.STRING:
            return "expect_str"
        case ShapeType.BOOLEAN:
            return "expect_bool"
        case ShapeType.DOCUMENT:
            return "as_document"
        case _:
            return "expect_int"  # byte, short, integer, long, bigInteger


def de_member_expr(
    ctx: Context, m: Member, data: str, *, optional: bool = False
) -> str:
    """Expression reading member ``m`` from the JSON object ``data``.

    A member absent (or null) reads as None when optional, else as its model
    default, else as the zero value of its type.
    """
    optional = optional or m.optional
    if optional:
        fallback = "None"
    elif m.has_default:
        fallback = _de_default(ctx, m)
    else:
        fallback = zero_value(ctx, m.target)
    key = f'"{m.wire}"'
    scalar = _SCALAR_READERS.get(m.target.type)
    if scalar is not None:
        return _call(scalar, data, key, fallback)
    convert = de_converter(ctx, m.shape, m.target)
    if m.target.type in (ShapeType.STRUCTURE, ShapeType.UNION) and fallback != "None":
        # Built only when the member is missing: ``read_member`` would
        # otherwise build the zero object on every call.
        return f"{_call('read_member', data, key, convert, 'None')} or {fallback}"
    return _call("read_member", data, key, convert, fallback)


def _call(function: str, *args: str) -> str:
    """``function(args)``, leaving out a trailing ``None`` (the readers' default)."""
    if args[-1] == "None":
        args = args[:-1]
    return f"{function}({', '.join(args)})"


def zero_value(ctx: Context, target: Shape) -> str:
    """The value a missing required member reads as.

    A server that fails to send a required member should not break the client:
    aggregate types, "Client error correction" lists these values.
    """
    match target.type:
        case ShapeType.BOOLEAN:
            return "False"
        case ShapeType.FLOAT | ShapeType.DOUBLE:
            return "0.0"
        case ShapeType.BIG_DECIMAL:
            return "Decimal(0)"
        case ShapeType.TIMESTAMP:
            return "EPOCH"
        case ShapeType.STRING | ShapeType.ENUM:
            return '""'
        case ShapeType.BLOB:
            return 'b""'
        case ShapeType.DOCUMENT:
            return "None"
        case ShapeType.LIST:
            return "[]"
        case ShapeType.MAP:
            return "{}"
        case ShapeType.UNION:
            return f'{ctx.variant(target.id, UNKNOWN)}(tag="")'
        case ShapeType.STRUCTURE:
            return f"de_{ctx.serde_stems[target.id]}({{}})"
        case _:
            return "0"  # the integer types and intEnum


def _de_default(ctx: Context, m: Member) -> str:
    return default_literal(ctx.default_expr(m))


def default_literal(expr: str) -> str:
    """A default as a plain expression: ``attrs.field(factory=list)`` -> ``[]``."""
    factories = {"attrs.field(factory=list)": "[]", "attrs.field(factory=dict)": "{}"}
    if expr in factories:
        return factories[expr]
    prefix = "attrs.field(factory=lambda: "
    if expr.startswith(prefix):
        return expr.removeprefix(prefix).removesuffix(")")
    return expr


def _structure(
    ctx: Context, shape: StructureShape, codec: Codec, deserializers: bool
) -> str:
    cls = ctx.class_of(shape.id)
    stem = ctx.serde_stems[shape.id]
    # A streaming member travels apart from the body (the runtime sends
    # or attaches the stream): the body's functions leave it out.
    members = [m for m in ctx.members(shape) if m.stream is None]
    out = []
    if ctx.needs_serializer(shape):
        lines = [f"def ser_{stem}(value: {cls}) -> dict[str, Any]:"]
        lines.append("    result: dict[str, Any] = {}")
        for m in members:
            conv = ser_value(ctx, m.shape, m.target, f"value.{m.attr}", codec)
            if m.optional:
                lines.append(f"    if value.{m.attr} is not None:")
                lines.append(f'        result["{m.wire}"] = {conv}')
            else:
                lines.append(f'    result["{m.wire}"] = {conv}')
        lines.append("    return result")
        out.append("\n".join(lines))
    if deserializers and ctx.needs_deserializer(shape):
        out.append(_structure_deserializer(ctx, shape, cls, stem, members))
    return "\n\n\n".join(out)


def _structure_deserializer(
    ctx: Context, shape: StructureShape, cls: str, stem: str, members: list[Member]
) -> str:
    """``de_<stem>``: the structure's table, one row per member (runtime ``JsonReaders``)."""
    rows = "".join(f"    {_member_row(ctx, m)},\n" for m in members)
    return (
        f"de_{stem}: Reader[{cls}] = readers.structure(\n"
        f'    "{stem}",\n    "{_model_name(ctx, cls)}",\n{rows})'
    )


def _member_row(ctx: Context, m: Member) -> str:
    """``member("attr", "Wire", KIND, default=...)``: one row of a structure's table.

    A member absent (or null) reads as None when optional, else as its model
    default, else as the zero value of its type (``ZERO`` for a structure or
    union, whose zero value the runtime builds).
    """
    kind = de_kind(ctx, m.shape, m.target)
    if m.optional:
        return f'member("{m.attr}", "{m.wire}", {kind})'
    if m.has_default:
        default = _de_default(ctx, m)
    elif m.target.type in (ShapeType.STRUCTURE, ShapeType.UNION):
        default = "ZERO"
    else:
        default = zero_value(ctx, m.target)
    return f'member("{m.attr}", "{m.wire}", {kind}, default={default})'


def _model_name(ctx: Context, cls: str) -> str:
    """The class's name in ``models``, where the runtime looks it up on first read."""
    if not cls.startswith("models."):
        raise GenerationError(f"{cls} is read from JSON but is not in models")
    return cls.removeprefix("models.")


_SIMPLE_KINDS = {
    ShapeType.STRING: "STRING",
    ShapeType.BOOLEAN: "BOOLEAN",
    ShapeType.BYTE: "INTEGER",
    ShapeType.SHORT: "INTEGER",
    ShapeType.INTEGER: "INTEGER",
    ShapeType.LONG: "INTEGER",
    ShapeType.BIG_INTEGER: "INTEGER",
    ShapeType.FLOAT: "FLOAT",
    ShapeType.DOUBLE: "FLOAT",
    ShapeType.BIG_DECIMAL: "BIG_DECIMAL",
    ShapeType.BLOB: "BLOB",
    ShapeType.DOCUMENT: "DOCUMENT",
}
_TIMESTAMP_KINDS = {
    "epoch-seconds": "EPOCH_SECONDS",
    "date-time": "DATE_TIME",
    "http-date": "HTTP_DATE",
}


def de_kind(ctx: Context, member: MemberShape | None, target: Shape) -> str:
    """How a table names the kind of a value of ``target`` (runtime ``_json_reader``)."""
    simple = _SIMPLE_KINDS.get(target.type)
    if simple is not None:
        return simple
    match target.type:
        case ShapeType.TIMESTAMP:
            fmt = timestamp_format(member, target, ctx.timestamp_default)
            return _TIMESTAMP_KINDS[fmt]
        case ShapeType.ENUM | ShapeType.INT_ENUM:
            return enum_reader_name(ctx, target)
        case _:
            return f'shape("{ctx.serde_stems[target.id]}")'


# Why the tables, in the generated module's own words (issue 13: a faster
# form says what it buys).
_TABLES_NOTE = """\
# Deserializers are tables (smithygen_runtime.JsonReaders): one row per
# member with its wire key, kind and value when absent. The runtime compiles
# a reader from each table on first use, and reads a response again member
# by member when anything in it is unusual, so an error names the member's
# path. Compiling pays: a page's typed build in 0.55x the time (Lambda, 50
# functions) and 0.6-0.75x (SSM, 50 deletions), 10-15 % and 4-7 % of a
# call's CPU (bench/PROFILE.md, 2026-12-02: JSON pages into typed objects).
"""


def uses_json_readers(ctx: Context) -> bool:
    """True when the package's ``_serde`` declares deserializer tables."""
    return any(
        ctx.needs_deserializer(shape)
        and not (isinstance(shape, UnionShape) and ctx.is_event_union(shape))
        for shape in ctx.aggregates
    )


def _readers(ctx: Context) -> str:
    """The package's ``JsonReaders``, which the deserializer tables register with."""
    if not uses_json_readers(ctx):
        return ""
    return "\n" + _TABLES_NOTE + "readers = JsonReaders(models)\n"


def _union(ctx: Context, shape: UnionShape, codec: Codec, deserializers: bool) -> str:
    if ctx.is_event_union(shape):
        # Events, not a value: read and written as messages (JSON payloads;
        # select.py leaves event streams out of services a protocol without
        # event support, rpcv2Cbor here, is offered for).
        return event_union(ctx, shape)
    alias = ctx.class_of(shape.id)
    stem = ctx.serde_stems[shape.id]
    out = []
    if ctx.needs_serializer(shape):
        lines = [f"def ser_{stem}(value: {alias}) -> dict[str, Any]:"]
        for name, member in shape.members.items():
            variant = ctx.variant(shape.id, name)
            if ctx.is_unit(member.target):
                conv = "{}"
            else:
                target = ctx.model.get_target(member)
                conv = ser_value(ctx, member, target, "value.value", codec)
            lines.append(f"    if isinstance(value, {variant}):")
            lines.append(f'        return {{"{ctx.wire_name(member)}": {conv}}}')
        lines.append(
            '    raise ValueError(f"cannot send the unknown union member {value!r}")'
        )
        out.append("\n".join(lines))
    if deserializers and ctx.needs_deserializer(shape):
        out.append(_union_deserializer(ctx, shape, alias, stem))
    return "\n\n\n".join(out)


def _union_deserializer(ctx: Context, shape: UnionShape, alias: str, stem: str) -> str:
    """``de_<stem>``: the union's table: the variant of the first member set,
    an unknown one kept by its tag."""
    rows = []
    for name, member in shape.members.items():
        variant = _model_name(ctx, ctx.variant(shape.id, name))
        if ctx.is_unit(member.target):
            kind = "UNIT"
        else:
            kind = de_kind(ctx, member, ctx.model.get_target(member))
        rows.append(f'    variant("{ctx.wire_name(member)}", "{variant}", {kind}),\n')
    unknown = _model_name(ctx, ctx.variant(shape.id, UNKNOWN))
    return (
        f"de_{stem}: Reader[{alias}] = readers.union(\n"
        f'    "{stem}",\n    "{shape.id.name}",\n    "{unknown}",\n{"".join(rows)})'
    )


def _collection(
    ctx: Context, shape: ListShape | MapShape, codec: Codec, deserializers: bool
) -> str:
    out = []
    if ctx.needs_serializer(shape):
        out.append(_collection_serializer(ctx, shape, codec))
    if deserializers and ctx.needs_deserializer(shape):
        out.append(_collection_deserializer(ctx, shape))
    return "\n\n\n".join(out)


def _element(ctx: Context, shape: ListShape | MapShape) -> tuple[MemberShape, Shape]:
    element = shape.member if isinstance(shape, ListShape) else shape.value
    return element, ctx.model.get_target(element)


def _collection_serializer(
    ctx: Context, shape: ListShape | MapShape, codec: Codec
) -> str:
    stem = ctx.serde_stems[shape.id]
    element, target = _element(ctx, shape)
    conv = ser_value(ctx, element, target, "e", codec)
    if has_trait(shape, "sparse") and conv != "e":
        conv = f"None if e is None else {conv}"
    if isinstance(shape, ListShape):
        body = "list(value)" if conv == "e" else f"[{conv} for e in value]"
        json_type = "list[Any]"
    else:
        body = (
            "dict(value)" if conv == "e" else f"{{k: {conv} for k, e in value.items()}}"
        )
        json_type = "dict[str, Any]"
    hint = ctx.hint(shape)
    return f"def ser_{stem}(value: {hint}) -> {json_type}:\n    return {body}"


def _collection_deserializer(ctx: Context, shape: ListShape | MapShape) -> str:
    """``de_<stem>``: the collection's table: its element kind, and whether sparse.

    The collection's own JSON type is checked; a null element is dropped from a
    dense collection (its type cannot hold one) and kept in a sparse one.
    """
    stem = ctx.serde_stems[shape.id]
    element, target = _element(ctx, shape)
    table = "list" if isinstance(shape, ListShape) else "map"
    kind = de_kind(ctx, element, target)
    sparse = ", sparse=True" if has_trait(shape, "sparse") else ""
    hint = ctx.hint(shape)
    return f'de_{stem}: Reader[{hint}] = readers.{table}("{stem}", {kind}{sparse})'


def emit_serde(ctx: Context, header: str, codec: Codec = JSON) -> str:
    """The text of ``_serde.py``: serializers in ``codec``, and the deserializers."""
    model_import = "from . import models\n"
    body = _functions(ctx, codec, deserializers=True)
    tables = _enum_readers(ctx) + _readers(ctx)
    about = codec.about
    if ctx.protocol in XML_PROTOCOLS:
        # The JSON-typed documents, which _wire_schema.py lays out as query
        # keys or XML.
        about = (
            f'"""Serializers and deserializers of {ctx.protocol} documents (laid out by'
            ' _wire_schema.py); private to the package."""'
        )
    return (
        f"{header}{about}\n\n{_IMPORTS}{model_import}\n{tables}{_HELPERS}\n\n{body}\n"
    )


def emit_other_serializers(ctx: Context, header: str, codec: Codec) -> str:
    """The text of ``_serde_<format>.py``: the input serializers of another format."""
    about = (
        f'"""Wire ({codec.name.upper()}) serializers for the protocols of '
        f"{ctx.sdk_id} other than\nits default; deserializers are in _serde.py. "
        'Private to the package."""'
    )
    body = _functions(ctx, codec, deserializers=False)
    return f"{header}{about}\n\n{_IMPORTS}from . import models\n\n\n{body}\n"


def _functions(ctx: Context, codec: Codec, *, deserializers: bool) -> str:
    functions = []
    for shape in ctx.aggregates:
        if isinstance(shape, StructureShape):
            functions.append(_structure(ctx, shape, codec, deserializers))
        elif isinstance(shape, UnionShape):
            functions.append(_union(ctx, shape, codec, deserializers))
        elif isinstance(shape, ListShape | MapShape):
            functions.append(_collection(ctx, shape, codec, deserializers))
    return "\n\n\n".join(f for f in functions if f)
