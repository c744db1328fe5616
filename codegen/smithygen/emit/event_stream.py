"""Event stream unions in ``_serde.py``: one function turning a message into an event, one back.

aws_amazon-eventstream.rst, "Amazon Event Semantics": an event's ``:event-type``
is the union member's name; ``@eventHeader`` members travel as typed message
headers; an ``@eventPayload`` member is the whole payload (a blob as is, a
string as UTF-8 text, a structure or union as JSON); without one, the members
that are not headers make a JSON object. A member targeting an ``@error``
structure is an exception event (``:message-type exception``,
``:exception-type`` the member's name), raised by the runtime's EventReader
on output, and sent as such when a client puts one in an input stream.
These are the JSON protocols' payload rules (awsJson, restJson1).
"""

from __future__ import annotations

from smithy_python.model import Shape, ShapeType, StructureShape, UnionShape

from smithygen.emit.context import UNKNOWN, Context, Member
from smithygen.emit.traits import has_trait

# Event header kinds by target type, for the runtime's event_header reader.
_HEADER_KINDS = {
    ShapeType.BOOLEAN: "bool",
    ShapeType.BYTE: "int",
    ShapeType.SHORT: "int",
    ShapeType.INTEGER: "int",
    ShapeType.LONG: "int",
    ShapeType.BLOB: "bytes",
    ShapeType.STRING: "str",
    ShapeType.ENUM: "str",
    ShapeType.TIMESTAMP: "timestamp",
}
# Wire widths of integer headers (TypedInt kinds).
_INT_KINDS = {
    ShapeType.BYTE: "byte",
    ShapeType.SHORT: "short",
    ShapeType.INTEGER: "integer",
    ShapeType.LONG: "long",
}
_PAYLOAD_CONTENT_TYPES = {
    ShapeType.BLOB: "application/octet-stream",
    ShapeType.STRING: "text/plain",
}
JSON_CONTENT_TYPE = "application/json"


def event_serde_stem(ctx: Context, shape: UnionShape) -> str:
    return ctx.serde_stems[shape.id]


def error_members(ctx: Context, shape: UnionShape) -> list[tuple[str, str]]:
    """(member name, error class) of the union's exception events."""
    found = []
    for name, member in shape.members.items():
        target = ctx.model.get_target(member)
        if ctx.is_error(target):
            found.append((name, ctx.class_of(target.id)))
    return found


def _split(
    ctx: Context, target: Shape
) -> tuple[list[Member], Member | None, list[Member]]:
    """An event structure's header members, payload member and other members."""
    members = ctx.members(target)
    headers = [m for m in members if has_trait(m.shape, "eventHeader")]
    payload = next((m for m in members if has_trait(m.shape, "eventPayload")), None)
    rest = [m for m in members if m not in headers and m is not payload]
    return headers, payload, rest


# --- output: message -> event -----------------------------------------------------


def _payload_reader(ctx: Context, member: Member) -> str:
    """Expression reading an ``@eventPayload`` member from ``message``."""
    match member.target.type:
        case ShapeType.BLOB:
            return "message.payload"
        case ShapeType.STRING | ShapeType.ENUM:
            return 'message.payload.decode("utf-8")'
        case _:
            from smithygen.emit.serde import de_converter

            return f"{de_converter(ctx, member.shape, member.target)}(message.json())"


def _event_value(
    ctx: Context, target: StructureShape, variant: str, indent: str
) -> list[str]:
    """Lines returning ``variant`` holding the event structure read from ``message``."""
    from smithygen.emit.serde import de_member_expr

    headers, payload, rest = _split(ctx, target)
    cls = ctx.class_of(target.id)
    if not headers and payload is None:
        return [
            f"{indent}return {variant}(value=de_{ctx.serde_stems[target.id]}(message.json()))"
        ]
    lines = []
    if rest:
        lines.append(f"{indent}data = expect_map(message.json())")
    lines.append(f"{indent}return {variant}(value={cls}(")
    for m in headers:
        kind = _HEADER_KINDS.get(m.target.type, "str")
        lines.append(
            f'{indent}    {m.attr}=event_header(message, "{m.wire}", "{kind}"),'
        )
    if payload is not None:
        lines.append(f"{indent}    {payload.attr}={_payload_reader(ctx, payload)},")
    for m in rest:
        lines.append(
            f"{indent}    {m.attr}={de_member_expr(ctx, m, 'data', optional=True)},"
        )
    lines.append(f"{indent}))")
    return lines


def event_deserializer(ctx: Context, shape: UnionShape) -> str:
    """``de_event_<stem>``: the union variant an event message stands for."""
    alias = ctx.class_of(shape.id)
    stem = event_serde_stem(ctx, shape)
    lines = [f"def de_event_{stem}(message: EventMessage) -> {alias}:"]
    lines.append("    event_type = message.event_type")
    for name, member in shape.members.items():
        target = ctx.model.get_target(member)
        if ctx.is_error(target):
            continue  # raised by the runtime's EventReader, never returned
        variant = ctx.variant(shape.id, name)
        lines.append(f'    if event_type == "{name}":')
        if ctx.is_unit(member.target) or not isinstance(target, StructureShape):
            lines.append(f"        return {variant}()")
            continue
        lines.extend(_event_value(ctx, target, variant, "        "))
    lines.append(f"    return {ctx.variant(shape.id, UNKNOWN)}(tag=event_type)")
    return "\n".join(lines)


# --- input: event -> message ------------------------------------------------------


def _header_value(m: Member, expr: str) -> str:
    kind = _INT_KINDS.get(m.target.type)
    if kind is None:
        return expr
    return f'None if {expr} is None else TypedInt({expr}, "{kind}")'


def _payload_writer(ctx: Context, member: Member, expr: str) -> tuple[str, str]:
    """(payload expression, content type) of an ``@eventPayload`` member."""
    from smithygen.emit.serde import ser_value

    match member.target.type:
        case ShapeType.BLOB:
            return f'{expr} or b""', _PAYLOAD_CONTENT_TYPES[ShapeType.BLOB]
        case ShapeType.STRING | ShapeType.ENUM:
            return f'({expr} or "").encode("utf-8")', _PAYLOAD_CONTENT_TYPES[
                ShapeType.STRING
            ]
        case _:
            converted = ser_value(ctx, member.shape, member.target, expr)
            return (
                f"b'' if {expr} is None else json_payload({converted})",
                JSON_CONTENT_TYPE,
            )


def _document_lines(ctx: Context, rest: list[Member], indent: str) -> list[str]:
    """Lines building ``document``, the JSON object of the members that are set."""
    from smithygen.emit.serde import ser_value

    # Not an annotated assignment: each branch of the function builds its own.
    lines = [f"{indent}document = dict[str, Any]()"]
    for m in rest:
        value = ser_value(ctx, m.shape, m.target, f"event.value.{m.attr}")
        lines.append(f"{indent}if event.value.{m.attr} is not None:")
        lines.append(f'{indent}    document["{m.wire}"] = {value}')
    return lines


def _event_lines(
    ctx: Context, name: str, target: StructureShape, indent: str
) -> list[str]:
    """Lines returning ``event_message(...)`` for ``event.value``, one event of the union.

    An ``@error`` target is sent as a modeled error event (``:message-type
    exception``, ``:exception-type`` the member's name), its members laid
    out as an event's (aws_amazon-eventstream.rst, "Modeled Error Events").
    """
    headers, payload, rest = _split(ctx, target)
    header_items = ", ".join(
        f'"{m.wire}": {_header_value(m, f"event.value.{m.attr}")}' for m in headers
    )
    headers_expr = f"{{{header_items}}}"
    kind = ', message_type="exception"' if ctx.is_error(target) else ""
    if payload is not None:
        body, content_type = _payload_writer(
            ctx, payload, f"event.value.{payload.attr}"
        )
        call = (
            f'event_message("{name}", {headers_expr}, {body}, "{content_type}"{kind})'
        )
        return [f"{indent}return {call}"]
    if not rest:
        return [f'{indent}return event_message("{name}", {headers_expr}{kind})']
    call = (
        f'event_message("{name}", {headers_expr}, json_payload(document), '
        f'"{JSON_CONTENT_TYPE}"{kind})'
    )
    return [*_document_lines(ctx, rest, indent), f"{indent}return {call}"]


def event_serializer(ctx: Context, shape: UnionShape) -> str:
    """``ser_event_<stem>``: the message one event of the union is sent as."""
    alias = ctx.class_of(shape.id)
    stem = event_serde_stem(ctx, shape)
    lines = [f"def ser_event_{stem}(event: {alias}) -> EventMessage:"]
    for name, member in ctx.union_members(shape).items():
        target = ctx.model.get_target(member)
        variant = ctx.variant(shape.id, name)
        lines.append(f"    if isinstance(event, {variant}):")
        if ctx.is_unit(member.target) or not isinstance(target, StructureShape):
            lines.append(f'        return event_message("{name}", {{}})')
            continue
        lines.extend(_event_lines(ctx, name, target, "        "))
    lines.append('    raise ValueError(f"cannot send the unknown event {event!r}")')
    return "\n".join(lines)


def event_union(ctx: Context, shape: UnionShape) -> str:
    """The event (de)serializers an event stream union needs."""
    out = []
    if ctx.needs_serializer(shape):
        out.append(event_serializer(ctx, shape))
    if ctx.needs_deserializer(shape):
        out.append(event_deserializer(ctx, shape))
    return "\n\n\n".join(out)


def initial_required(ctx: Context, output: Shape) -> list[str]:
    """Wire names of the output's members an initial response must carry.

    Those required without a default, the stream itself aside (the runtime
    gives no error correction there: ``require_initial_members``).
    """
    return [
        m.wire
        for m in ctx.members(output)
        if m.stream is None and not m.optional and not m.has_default
    ]


def stream_spec(
    ctx: Context,
    member: Member,
    errors: list[tuple[str, str]],
    required: list[str] | None = None,
) -> str:
    """The ``StreamSpec(...)`` of an operation's streaming member.

    ``required``: an output event stream's ``initial_required`` names.
    """
    if not member.event_stream:
        return f'StreamSpec(member="{member.attr}", kind="blob")'
    assert isinstance(member.target, UnionShape)
    stem = event_serde_stem(ctx, member.target)
    if member.stream == "input":
        return (
            f'StreamSpec(member="{member.attr}", kind="events", '
            f"serialize_event=_serde.ser_event_{stem})"
        )
    mapping = ", ".join(f'"{name}": {cls}' for name, cls in errors)
    extra = f", initial_required={tuple(required)!r}" if required else ""
    return (
        f'StreamSpec(member="{member.attr}", kind="events", events=EventReader('
        f"deserialize=_serde.de_event_{stem}, errors={{{mapping}}}){extra})"
    )
