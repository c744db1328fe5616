"""``_wire_schema.py``: query keys and XML names of every shape (query protocols).

awsQuery and ec2Query packages serialize inputs and read outputs with the
same ``ser_*`` / ``de_*`` functions as awsJson (``emit/serde.py``, with
date-time as the default timestamp format); what the runtime needs beyond
member names is here, as a table of ``smithygen_runtime.XmlStructure``
layouts: each member's query key and XML element name, flattened lists and
maps, list item and map entry names. Names are resolved here, once, so the
runtime never looks at a trait:

- XML element: ``@xmlName``, else the member name (aws-xml-serialization).
- awsQuery key: ``@xmlName``, else the member name (aws-query-protocol.rst,
  "Query key resolution").
- ec2Query key: ``@ec2QueryName``, else ``@xmlName`` with its first letter
  capitalised, else the member name capitalised (aws-ec2-query-protocol.rst,
  "Query key resolution").
"""

from __future__ import annotations

import builtins
import keyword
from collections.abc import Mapping

from smithy_python.model import (
    ListShape,
    MapShape,
    MemberShape,
    Shape,
    ShapeId,
    ShapeType,
    StructureShape,
    UnionShape,
)

from smithygen.emit.context import Context
from smithygen.emit.names import snake_case
from smithygen.emit.serde import timestamp_format
from smithygen.emit.traits import get_trait, has_trait

_SCALARS = {
    ShapeType.BOOLEAN: "XML_BOOL",
    ShapeType.BYTE: "XML_INT",
    ShapeType.SHORT: "XML_INT",
    ShapeType.INTEGER: "XML_INT",
    ShapeType.LONG: "XML_INT",
    ShapeType.BIG_INTEGER: "XML_INT",
    ShapeType.INT_ENUM: "XML_INT",
    ShapeType.FLOAT: "XML_FLOAT",
    ShapeType.DOUBLE: "XML_FLOAT",
    ShapeType.BIG_DECIMAL: "XML_BIG_DECIMAL",
}


def _capitalized(name: str) -> str:
    return name[:1].upper() + name[1:]


def query_name(ctx: Context, member: MemberShape) -> str:
    """The member's key segment in a query request."""
    xml_name = get_trait(member, "xmlName")
    if ctx.protocol == "ec2Query":
        ec2_name = get_trait(member, "aws.protocols#ec2QueryName")
        if isinstance(ec2_name, str):
            return ec2_name
        return _capitalized(xml_name if isinstance(xml_name, str) else member.name)
    return xml_name if isinstance(xml_name, str) else member.name


def _element_name(member: MemberShape, default: str) -> str:
    xml_name = get_trait(member, "xmlName")
    return xml_name if isinstance(xml_name, str) else default


def namespace(shape: Shape | None) -> tuple[str, str] | None:
    """A shape's ``@xmlNamespace`` as the attribute it writes, or None."""
    value = get_trait(shape, "xmlNamespace")
    if not isinstance(value, Mapping) or not isinstance(value.get("uri"), str):
        return None
    prefix = value.get("prefix")
    name = f"xmlns:{prefix}" if isinstance(prefix, str) and prefix else "xmlns"
    return (name, str(value["uri"]))


def _namespace_arg(keyword: str, shape: Shape | None) -> str:
    found = namespace(shape)
    return f", {keyword}={found!r}" if found is not None else ""


class _Layouts:
    """Variable names of the structure layouts, and layout expressions."""

    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx
        self.structures = [
            s
            for s in ctx.selection.shapes
            if isinstance(s, StructureShape | UnionShape)
        ]
        taken: set[str] = set()
        self.names: dict[ShapeId, str] = {}
        for shape in self.structures:
            name = snake_case(shape.id.name)
            while name in taken or keyword.iskeyword(name) or hasattr(builtins, name):
                name += "_"
            taken.add(name)
            self.names[shape.id] = name

    def expr(self, member: MemberShape, target: Shape) -> str:
        """The layout of a value of ``target`` (reached through ``member``)."""
        if isinstance(target, StructureShape | UnionShape):
            if self.ctx.is_unit(target.id):
                return "UNIT"  # a union member without a value: an empty element
            return self.names[target.id]
        model = self.ctx.model
        if isinstance(target, ListShape):
            item = self.expr(target.member, model.get_target(target.member))
            name = _element_name(target.member, "member")
            item_ns = _namespace_arg("item_namespace", target.member)
            return f"XmlList({item}, {name!r}{item_ns})"
        if isinstance(target, MapShape):
            value = self.expr(target.value, model.get_target(target.value))
            key_name = _element_name(target.key, "key")
            value_name = _element_name(target.value, "value")
            names = f", {key_name!r}, {value_name!r}"
            names += _namespace_arg("key_namespace", target.key)
            names += _namespace_arg("value_namespace", target.value)
            return f"XmlMap({value}{names})"
        if target.type is ShapeType.TIMESTAMP:
            fmt = timestamp_format(member, target, self.ctx.timestamp_default)
            return "XML_EPOCH" if fmt == "epoch-seconds" else "XML_TEXT"
        return _SCALARS.get(target.type, "XML_TEXT")

    def member(self, member: MemberShape) -> str:
        target = self.ctx.model.get_target(member)
        args = [repr(member.name), self.expr(member, target)]
        xml_name = _element_name(member, member.name)
        if xml_name != member.name:
            args.append(f"xml_name={xml_name!r}")
        key = query_name(self.ctx, member)
        if key != member.name:
            args.append(f"query_name={key!r}")
        if has_trait(member, "xmlFlattened"):
            args.append("flattened=True")
        if has_trait(member, "xmlAttribute"):
            args.append("attribute=True")
        member_ns = namespace(member)
        if member_ns is not None:
            args.append(f"namespace={member_ns!r}")
        return f"    XmlMember({', '.join(args)}),\n"

    def define(self, shape: StructureShape | UnionShape) -> str:
        members = "".join(self.member(m) for m in shape.members.values())
        return f"{self.names[shape.id]}.define(\n{members})\n"


def _structure_args(shape: Shape) -> str:
    """``XmlStructure``'s arguments: the shape name, its @xmlName and namespace."""
    args = repr(shape.id.name)
    xml_name = get_trait(shape, "xmlName")
    if isinstance(xml_name, str) and xml_name != shape.id.name:
        args += f", xml_name={xml_name!r}"
    return args + _namespace_arg("namespace", shape)


def _payload_names(ctx: Context) -> list[tuple[str, str]]:
    """restXml: the root element of each structure @httpPayload renamed by its member."""
    found = []
    for op in ctx.operations:
        if ctx.is_unit(op.input):
            continue
        for member in ctx.model.get_shape(op.input).members.values():
            target = ctx.model.get_target(member)
            if has_trait(member, "httpPayload") and isinstance(
                target, StructureShape | UnionShape
            ):
                name = get_trait(member, "xmlName")
                if isinstance(name, str):
                    found.append((op.id.name, name))
    return found


def _table(entries: list[tuple[str, str]]) -> str:
    if not entries:
        return "{}"
    return "{\n" + "".join(f"        {k!r}: {v},\n" for k, v in entries) + "    }"


def emit_wire_schema(ctx: Context, header: str) -> str:
    """The text of ``_wire_schema.py``."""
    layouts = _Layouts(ctx)
    created = "".join(
        f"{layouts.names[s.id]} = XmlStructure({_structure_args(s)})\n"
        for s in layouts.structures
    )
    defined = "\n".join(layouts.define(s) for s in layouts.structures)
    inputs = [
        (op.id.name, layouts.names[op.input])
        for op in ctx.operations
        if not ctx.is_unit(op.input)
    ]
    outputs = [
        (op.id.name, layouts.names[op.output])
        for op in ctx.operations
        if not ctx.is_unit(op.output)
    ]
    errors = sorted((ctx.error_code(e.id), layouts.names[e.id]) for e in ctx.errors)
    extra = ""
    if ctx.protocol == "restXml":
        service_ns = namespace(ctx.service)
        if service_ns is not None:
            extra += f"    namespace={service_ns!r},\n"
        payloads = [(op, repr(name)) for op, name in _payload_names(ctx)]
        if payloads:
            extra += f"    payload_names={_table(payloads)},\n"
        unwrapped = sorted(
            op.id.name
            for op in ctx.operations
            if has_trait(op, "aws.customizations#s3UnwrappedXmlOutput")
        )
        if unwrapped:
            extra += f"    unwrapped_outputs=frozenset({unwrapped!r}),\n"
    return (
        f"{header}"
        f'"""Query keys and XML names of the {ctx.sdk_id} shapes ({ctx.protocol});'
        ' private to the package."""\n\n'
        "from __future__ import annotations\n\n"
        "from smithygen_runtime import (\n"
        "    XML_BIG_DECIMAL,\n    XML_BOOL,\n    XML_EPOCH,\n    XML_FLOAT,\n"
        "    XML_INT,\n    XML_TEXT,\n    WireSchema,\n    XmlList,\n    XmlMap,\n"
        "    XmlMember,\n    XmlStructure,\n)\n\n"
        'UNIT = XmlStructure("Unit")\n\n'
        "# Every structure first: members may refer to any of them (recursion).\n"
        f"{created}\n"
        f"{defined}\n"
        "WIRE_SCHEMA = WireSchema(\n"
        f"    inputs={_table(inputs)},\n"
        f"    outputs={_table(outputs)},\n"
        f"    errors={_table(errors)},\n"
        f"{extra}"
        ")\n"
    )
