"""``_serde.py``: one serialize and one deserialize function per aggregate shape.

Simple values convert inline (timestamps, blobs and floats through runtime
helpers). Deserializers trust the response (no validation: speed matters),
ignore unknown members and read ``null`` as absent.
"""

from __future__ import annotations

from smithy_python.model import (
    ListShape,
    MapShape,
    MemberShape,
    Shape,
    ShapeType,
    StructureShape,
    UnionShape,
)

from smithygen.emit.context import UNKNOWN, Context, Member
from smithygen.emit.names import snake_case
from smithygen.emit.traits import get_trait, has_trait

_IMPORTS = """\
from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from smithygen_runtime import (
    EPOCH,
    SLOT_SETTERS,
    ResponseParseError,
    enum_values,
    expect_bool,
    expect_decimal,
    expect_int,
    expect_list,
    expect_map,
    expect_str,
    parse_blob,
    parse_float,
    parse_timestamp,
    parse_timestamp_epoch,
    serialize_blob,
    serialize_float,
    serialize_timestamp,
    serialize_timestamp_epoch,
    slot_setters,
)
"""

_HELPERS = '''

def ser_unit(value: None) -> dict[str, Any]:
    """The body of an operation without input."""
    return {}


def de_unit(data: Mapping[str, Any]) -> None:
    """The output of an operation without output: nothing to read."""
'''

# Deserializers run for every member of every item of every page, so each
# JSON type check is inline: one class test on the fast path, and a call to
# the runtime's ``expect_*`` only to raise the TypeError (which the client
# turns into ResponseParseError). Calling the helper on every value measured
# about 1.5x slower per string member, and ``Enum(value)`` with try/except
# about 5x slower than the dict lookup of ``enum_values``. ``type(v) is T``
# is exact (a bool is not an int) and specialised by CPython 3.12+.
_FAST_TYPES = {
    ShapeType.STRING: ("str", "expect_str"),
    ShapeType.ENUM: ("str", "expect_str"),
    ShapeType.BOOLEAN: ("bool", "expect_bool"),
    ShapeType.INT_ENUM: ("int", "expect_int"),
    ShapeType.BYTE: ("int", "expect_int"),
    ShapeType.SHORT: ("int", "expect_int"),
    ShapeType.INTEGER: ("int", "expect_int"),
    ShapeType.LONG: ("int", "expect_int"),
    ShapeType.BIG_INTEGER: ("int", "expect_int"),
}


def enum_values_name(ctx: Context, target: Shape) -> str:
    """The ``_serde`` module constant mapping wire values to members of an enum."""
    return f"{snake_case(ctx.class_names[target.id])}_values"


def _enum_tables(ctx: Context) -> str:
    lines = [
        f"{enum_values_name(ctx, e)} = enum_values({ctx.class_of(e.id)})"
        for e in ctx.enums
    ]
    return "\n".join(lines) + "\n" if lines else ""


def timestamp_format(member: MemberShape | None, target: Shape) -> str:
    for holder in (member, target):
        if holder is not None and isinstance(
            fmt := get_trait(holder, "timestampFormat"), str
        ):
            return fmt
    return "epoch-seconds"


def ser_value(
    ctx: Context, member: MemberShape | None, target: Shape, expr: str
) -> str:
    """Expression converting the Python value ``expr`` to its JSON value."""
    match target.type:
        case ShapeType.TIMESTAMP:
            fmt = timestamp_format(member, target)
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


def de_value(ctx: Context, member: MemberShape | None, target: Shape, expr: str) -> str:
    """Expression converting the JSON value ``expr`` to its Python value."""
    match target.type:
        case ShapeType.TIMESTAMP:
            fmt = timestamp_format(member, target)
            if fmt == "epoch-seconds":
                return f"parse_timestamp_epoch({expr})"
            return f'parse_timestamp({expr}, "{fmt}")'
        case ShapeType.BLOB:
            return f"parse_blob({expr})"
        case ShapeType.FLOAT | ShapeType.DOUBLE:
            return f"parse_float({expr})"
        case ShapeType.BIG_DECIMAL:
            return f"expect_decimal({expr})"
        case ShapeType.ENUM:
            values = enum_values_name(ctx, target)
            return _checked(expr, "str", f"{values}.get({expr}, {expr})")
        case ShapeType.INT_ENUM:
            values = enum_values_name(ctx, target)
            return _checked(expr, "int", f"{values}.get({expr}, {expr})")
        case ShapeType.LIST | ShapeType.MAP | ShapeType.STRUCTURE | ShapeType.UNION:
            return f"de_{ctx.serde_stems[target.id]}({expr})"
        case ShapeType.STRING:
            return _checked(expr, "str", expr)
        case ShapeType.BOOLEAN:
            return _checked(expr, "bool", expr)
        case ShapeType.DOCUMENT:
            return expr
        case _:
            return _checked(expr, "int", expr)  # byte, short, integer, long, bigInteger


def _checked(expr: str, cls: str, hit: str) -> str:
    """``hit`` when ``expr`` has the JSON type ``cls``, else the raising helper."""
    helper = {"str": "expect_str", "int": "expect_int", "bool": "expect_bool"}[cls]
    if expr.isidentifier():
        return f"{hit} if type({expr}) is {cls} else {helper}({expr})"
    return f"{helper}({expr})"


def de_member_expr(
    ctx: Context, m: Member, data: str, *, optional: bool = False
) -> str:
    """Expression reading member ``m`` from the JSON object ``data``."""
    optional = optional or m.optional
    conv = de_value(ctx, m.shape, m.target, "v")
    if optional:
        fallback = "None"
    elif m.has_default:
        fallback = _de_default(ctx, m)
    else:
        fallback = zero_value(ctx, m.target)
    if conv == "v" and fallback == "None":
        return f'{data}.get("{m.wire}")'
    fast = _FAST_TYPES.get(m.target.type)
    if fast is not None:
        # One lookup and one class test when the value has its type; the
        # null test and the raising helper only off that path.
        cls, helper = fast
        hit = (
            f"{enum_values_name(ctx, m.target)}.get(v, v)"
            if m.target.type in (ShapeType.ENUM, ShapeType.INT_ENUM)
            else "v"
        )
        return (
            f'{hit} if type(v := {data}.get("{m.wire}")) is {cls} '
            f"else ({fallback} if v is None else {helper}(v))"
        )
    return f'{fallback} if (v := {data}.get("{m.wire}")) is None else {conv}'


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


def _structure(ctx: Context, shape: StructureShape) -> str:
    cls = ctx.class_of(shape.id)
    stem = ctx.serde_stems[shape.id]
    members = ctx.members(shape)
    out = []
    if ctx.needs_serializer(shape):
        lines = [f"def ser_{stem}(value: {cls}) -> dict[str, Any]:"]
        lines.append("    result: dict[str, Any] = {}")
        for m in members:
            conv = ser_value(ctx, m.shape, m.target, f"value.{m.attr}")
            if m.optional:
                lines.append(f"    if value.{m.attr} is not None:")
                lines.append(f'        result["{m.wire}"] = {conv}')
            else:
                lines.append(f'    result["{m.wire}"] = {conv}')
        lines.append("    return result")
        out.append("\n".join(lines))
    if ctx.needs_deserializer(shape):
        out.append(_structure_deserializer(ctx, shape, cls, stem, members))
    return "\n\n\n".join(out)


def _structure_deserializer(
    ctx: Context, shape: StructureShape, cls: str, stem: str, members: list[Member]
) -> str:
    """``de_<stem>``: the output object built through its slot setters.

    The class stays the frozen, slotted attrs class users see; only the
    deserializer skips its ``__init__`` (``object.__setattr__`` per field),
    which measured three times slower than the slot setters and was most of
    the cost of reading a 50-item page (see ``slot_setters`` in the runtime).
    """
    if not members:
        return f"def de_{stem}(data: Mapping[str, Any]) -> {cls}:\n    return {cls}()"
    names = ", ".join(f'"{m.attr}"' for m in members)
    setters = ", ".join(f"set_{m.attr}" for m in members)
    sets = "".join(
        f"    set_{m.attr}(result, {de_member_expr(ctx, m, 'data')})\n" for m in members
    )
    return (
        f"def de_{stem}(data: Mapping[str, Any]) -> {cls}:\n"
        f"    {setters}{',' if len(members) == 1 else ''} = SLOT_SETTERS.get({cls}) or "
        f"slot_setters({cls}, {names})\n"
        f"    result = object.__new__({cls})\n"
        f"{sets}"
        "    return result"
    )


def _union(ctx: Context, shape: UnionShape) -> str:
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
                conv = ser_value(ctx, member, target, "value.value")
            lines.append(f"    if isinstance(value, {variant}):")
            lines.append(f'        return {{"{name}": {conv}}}')
        lines.append(
            '    raise ValueError(f"cannot send the unknown union member {value!r}")'
        )
        out.append("\n".join(lines))
    if ctx.needs_deserializer(shape):
        lines = [f"def de_{stem}(data: Mapping[str, Any]) -> {alias}:"]
        lines.append("    for key, value in data.items():")
        # ``__type`` may accompany a union in awsJson and is not a member.
        lines.append('        if value is None or key == "__type":')
        lines.append("            continue")
        for name, member in shape.members.items():
            variant = ctx.variant(shape.id, name)
            lines.append(f'        if key == "{name}":')
            if ctx.is_unit(member.target):
                lines.append(f"            return {variant}()")
            else:
                target = ctx.model.get_target(member)
                conv = de_value(ctx, member, target, "value")
                lines.append(f"            return {variant}(value={conv})")
        unknown = ctx.variant(shape.id, UNKNOWN)
        lines.append(f"        return {unknown}(tag=key)")
        lines.append(
            f'    raise ResponseParseError("union {shape.id.name} has no member set")'
        )
        out.append("\n".join(lines))
    return "\n\n\n".join(out)


def _collection(ctx: Context, shape: ListShape | MapShape) -> str:
    stem = ctx.serde_stems[shape.id]
    sparse = has_trait(shape, "sparse")
    element = shape.member if isinstance(shape, ListShape) else shape.value
    target = ctx.model.get_target(element)
    hint = ctx.hint(shape)
    out = []
    for ser in (True, False):
        if not (ctx.needs_serializer(shape) if ser else ctx.needs_deserializer(shape)):
            continue
        conv = (
            ser_value(ctx, element, target, "e")
            if ser
            else de_value(ctx, element, target, "e")
        )
        if ser:
            if sparse and conv != "e":
                conv = f"None if e is None else {conv}"
            items, keep = "value", ""
        else:
            # Responses: the collection's own type is checked; a null in a dense
            # collection is dropped (its type cannot hold one), kept when sparse.
            if sparse and conv != "e":
                conv = f"None if e is None else {conv}"
            is_list = isinstance(shape, ListShape)
            items = f"expect_{'list' if is_list else 'map'}(value)"
            keep = "" if sparse else " if e is not None"
        if isinstance(shape, ListShape):
            body = (
                f"list({items})"
                if conv == "e" and not keep
                else f"[{conv} for e in {items}{keep}]"
            )
            json_type = "list[Any]"
        else:
            body = (
                f"dict({items})"
                if conv == "e" and not keep
                else f"{{k: {conv} for k, e in {items}.items(){keep}}}"
            )
            json_type = "dict[str, Any]"
        if ser:
            out.append(
                f"def ser_{stem}(value: {hint}) -> {json_type}:\n    return {body}"
            )
        else:
            source = "Any"
            out.append(f"def de_{stem}(value: {source}) -> {hint}:\n    return {body}")
    return "\n\n\n".join(out)


def emit_serde(ctx: Context, header: str) -> str:
    """The text of ``_serde.py``."""
    model_import = "from . import models\n"
    functions = []
    for shape in ctx.aggregates:
        if isinstance(shape, StructureShape):
            functions.append(_structure(ctx, shape))
        elif isinstance(shape, UnionShape):
            functions.append(_union(ctx, shape))
        elif isinstance(shape, ListShape | MapShape):
            functions.append(_collection(ctx, shape))
    body = "\n\n\n".join(f for f in functions if f)
    doc = '"""Wire (awsJson) serializers and deserializers; private to the package."""'
    tables = _enum_tables(ctx)
    return f"{header}{doc}\n\n{_IMPORTS}{model_import}\n{tables}{_HELPERS}\n\n{body}\n"
