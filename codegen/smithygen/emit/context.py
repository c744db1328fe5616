"""What every emitter needs to know: names, member facts and Python types.

The ``Context`` is computed once per generation from the selected shapes; the
emitters only ask it questions, so a naming or typing rule lives in one place.
"""

from __future__ import annotations

import base64
import builtins
import keyword
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cached_property
from typing import Final

from smithy_python.model import (
    EnumShape,
    IntEnumShape,
    ListShape,
    MapShape,
    MemberShape,
    Model,
    Node,
    OperationShape,
    Shape,
    ShapeId,
    ShapeType,
    StructureShape,
    UnionShape,
)

from smithygen.emit.common_errors import COMMON_ERRORS
from smithygen.emit.names import class_name, enum_member_name, member_name, snake_case
from smithygen.emit.traits import get_trait, has_trait
from smithygen.errors import GenerationError
from smithygen.select import Selection

PROTOCOLS: Final = {
    ShapeId("aws.protocols", "awsJson1_0"): "awsJson1_0",
    ShapeId("aws.protocols", "awsJson1_1"): "awsJson1_1",
    ShapeId("aws.protocols", "awsQuery"): "awsQuery",
    ShapeId("aws.protocols", "ec2Query"): "ec2Query",
    ShapeId("aws.protocols", "restJson1"): "restJson1",
    ShapeId("aws.protocols", "restXml"): "restXml",
    ShapeId("smithy.protocols", "rpcv2Cbor"): "rpcv2Cbor",
}

# botocore's order of preference among a service's protocols
# (botocore.utils.PRIORITY_ORDERED_SUPPORTED_PROTOCOLS: json, rest-json,
# rest-xml, smithy-rpc-v2-cbor, query, ec2), whatever order the model lists
# them in: a service offering rpcv2Cbor and awsJson1_0 is spoken to in JSON.
BOTOCORE_PROTOCOL_ORDER: Final = (
    "awsJson1_0",
    "awsJson1_1",
    "restJson1",
    "restXml",
    "rpcv2Cbor",
    "awsQuery",
    "ec2Query",
)

# The document format of each protocol's bodies: which serializers it needs.
# The query protocols and restXml serialize JSON-typed documents (member
# names as keys) that their _wire_schema.py lays out as form keys or XML.
DOCUMENT_FORMATS: Final = {
    "awsJson1_0": "json",
    "awsJson1_1": "json",
    "awsQuery": "json",
    "ec2Query": "json",
    "restJson1": "json",
    "restXml": "json",
    "rpcv2Cbor": "cbor",
}
QUERY_PROTOCOLS: Final = frozenset({"awsQuery", "ec2Query"})
# Protocols whose messages are laid out by _wire_schema.py (query keys, XML).
XML_PROTOCOLS: Final = frozenset({"awsQuery", "ec2Query", "restXml"})
# Protocols whose JSON keys follow @jsonName (awsJson ignores it).
_JSON_NAME_PROTOCOLS: Final = frozenset({"restJson1"})

# Names the generated modules import or define besides the model's classes.
_MODULE_NAMES: Final = frozenset(
    {
        "Any",
        "AsyncIterable",
        "AsyncIterator",
        "Awaitable",
        "Callable",
        "ClassVar",
        "Final",
        "Mapping",
        "Self",
        "TypeAlias",
        "TYPE_CHECKING",
        "Decimal",
        "UTC",
        "datetime",
        "StrEnum",
        "IntEnum",
        "Enum",
        "attrs",
        "re",
        "json",
        "functools",
        "Path",
        "Document",
        "BaseClient",
        "ServiceSpec",
        "OperationSpec",
        "ServiceError",
        "SmithyGenError",
        "ValidationError",
        "TransportError",
        "RequestTimeoutError",
        "ResponseParseError",
        "ConfigurationError",
        "CredentialsError",
        "PaginationError",
        "WaiterError",
        "WaiterTimeoutError",
        "Acceptor",
        "WaiterSpec",
        "paginate",
        "wait",
        "new_idempotency_token",
    }
)
_RESERVED_CLASS_NAMES: Final = (
    _MODULE_NAMES | frozenset(keyword.kwlist) | frozenset(dir(builtins))
)
# Attributes ServiceError already has; error members with these names are renamed
# (``message`` is the exception message itself, filled by the runtime).
ERROR_ATTRIBUTES: Final = frozenset(
    {"code", "message", "status_code", "request_id", "fault", "retryable", "args"}
)
# Methods BaseClient defines; an operation called ``Aclose`` must not replace them.
_CLIENT_ATTRIBUTES: Final = frozenset({"aclose", "close", "paginate", "wait"})

_NO_DEFAULT: Final = object()

_SIMPLE_HINTS: Final = {
    ShapeType.BLOB: "bytes",
    ShapeType.BOOLEAN: "bool",
    ShapeType.STRING: "str",
    ShapeType.BYTE: "int",
    ShapeType.SHORT: "int",
    ShapeType.INTEGER: "int",
    ShapeType.LONG: "int",
    ShapeType.BIG_INTEGER: "int",
    ShapeType.FLOAT: "float",
    ShapeType.DOUBLE: "float",
    ShapeType.BIG_DECIMAL: "Decimal",
    ShapeType.TIMESTAMP: "datetime",
    ShapeType.DOCUMENT: "Document",
}
_INT_TYPES: Final = frozenset(
    {
        ShapeType.BYTE, ShapeType.SHORT, ShapeType.INTEGER, ShapeType.LONG,
        ShapeType.BIG_INTEGER,
    }
)  # fmt: skip


@dataclass(frozen=True, slots=True)
class Member:
    """One member of a structure, union or error, with its Python facts."""

    shape: MemberShape
    target: Shape
    wire: str
    """The member's key in the serialized document: its name, or its
    ``@jsonName`` for restJson1 (awsJson ignores the trait)."""
    attr: str
    """The snake_case attribute and parameter name."""
    required: bool
    default: Node | object
    """The effective ``@default`` value, or ``NO_DEFAULT``."""

    @property
    def has_default(self) -> bool:
        return self.default is not _NO_DEFAULT

    in_input: bool = False
    """Whether the member is a top-level member of an ``@input`` structure."""
    stream: str | None = None
    """"input" or "output" for an operation's ``@streaming`` member, else None."""

    @property
    def event_stream(self) -> bool:
        """Whether the member is an event stream (a ``@streaming`` union)."""
        return self.stream is not None and isinstance(self.target, UnionShape)

    @property
    def optional(self) -> bool:
        """Whether the Python attribute may be None (and defaults to None).

        ``@clientOptional`` members are optional whatever else they carry. So are
        defaulted top-level members of ``@input`` structures (type refinement
        traits, "input trait": their members are implicitly clientOptional), so
        the service, not the client, applies those defaults; nested defaults are
        filled and sent ("Default value serialization", rule 2). Required input
        members stay required parameters: the client checks them before sending.
        """
        if has_trait(self.shape, "clientOptional") or self.stream == "output":
            # An output stream is attached after the rest of the output is read.
            return True
        if self.has_default:
            return self.in_input
        return not self.required

    @property
    def documentation(self) -> str | None:
        doc = get_trait(self.shape, "documentation")
        if doc is None:
            doc = get_trait(self.target, "documentation")
        return doc if isinstance(doc, str) else None


NO_DEFAULT: Final = _NO_DEFAULT
UNKNOWN: Final = "$unknown"
"""The union_variants key of a union's unknown variant (no member can be named so)."""


@dataclass(frozen=True)
class CommonError:
    """A common AWS error the package exposes (smithygen_runtime.common_errors)."""

    name: str
    """Its class name, in the package and in smithygen_runtime.common_errors."""
    codes: tuple[str, ...]
    """The wire codes it stands for in this package (those no modeled error has)."""
    summary: str
    """The first line of the runtime class's docstring."""


class Context:
    """Names and types for one generated package."""

    def __init__(
        self,
        model: Model,
        selection: Selection,
        *,
        package: str,
        sources: list[str],
        models_only: bool = False,
    ) -> None:
        self.model = model
        self.selection = selection
        self.service = selection.service
        self.operations = selection.operations
        self.package = package
        self.sources = sources
        # The model classes do not depend on the protocol: a models-only
        # package (smithygen.models_only) is made for any service.
        self.protocols = () if models_only else self._protocols()
        """Every protocol of the service smithygen speaks, botocore's default first."""
        self.protocol = self.protocols[0] if self.protocols else ""
        self.models_only = models_only
        sdk_id = self._service_trait().get("sdkId")
        self.sdk_id = sdk_id if isinstance(sdk_id, str) else self.service.id.name
        self.sdk = class_name(self.sdk_id)
        self.client_class = f"{self.sdk}Client"
        self.base_error = f"{self.sdk}Error"
        self.unknown_error = f"Unknown{self.sdk}Error"
        self.class_names: dict[ShapeId, str] = {}
        self.union_variants: dict[tuple[ShapeId, str], str] = {}
        self.serde_stems: dict[ShapeId, str] = {}
        self._member_cache: dict[ShapeId, list[Member]] = {}
        self.qualified = False
        """Whether class_of() returns ``models.``-qualified names (see class_of)."""
        self._stream_roles = {} if models_only else self._streaming_structures()
        self._assign_names()

    # --- service facts ------------------------------------------------------------

    def _service_trait(self) -> Mapping[str, Node]:
        value = get_trait(self.service, "aws.api#service")
        return value if isinstance(value, Mapping) else {}

    def _protocols(self) -> tuple[str, ...]:
        found = {
            name for trait, name in PROTOCOLS.items() if trait in self.service.traits
        }
        if not found:
            others = sorted(
                str(t)
                for t in self.service.traits
                if t.namespace in ("aws.protocols", "smithy.protocols")
            )
            what = f"protocol(s) {', '.join(others)}" if others else "no protocol trait"
            known = ", ".join(sorted(str(trait) for trait in PROTOCOLS))
            raise GenerationError(
                f"service {self.service.id} has {what}; smithygen generates clients "
                f"for these protocols only: {known}"
            )
        return tuple(name for name in BOTOCORE_PROTOCOL_ORDER if name in found)

    @property
    def document_format(self) -> str:
        """The format of the default protocol's bodies ("json", "cbor")."""
        return DOCUMENT_FORMATS[self.protocol]

    @property
    def other_document_formats(self) -> tuple[str, ...]:
        """Formats the other protocols need serializers for (default's excluded)."""
        formats = dict.fromkeys(DOCUMENT_FORMATS[p] for p in self.protocols)
        return tuple(f for f in formats if f != self.document_format)

    @property
    def is_query(self) -> bool:
        """awsQuery or ec2Query: form requests, XML responses (``_wire_schema.py``)."""
        return self.protocol in QUERY_PROTOCOLS

    @property
    def timestamp_default(self) -> str:
        """The protocol's timestamp format where no @timestampFormat says one.

        awsJson: epoch-seconds; the query protocols (and XML): date-time
        (aws-query-serialization.rst.template, aws-xml-serialization.rst.template).
        """
        return "date-time" if self.protocol in XML_PROTOCOLS else "epoch-seconds"

    @property
    def uses_wire_schema(self) -> bool:
        """awsQuery, ec2Query, restXml (among the service's protocols):
        ``_wire_schema.py`` lays out their messages."""
        return any(p in XML_PROTOCOLS for p in self.protocols)

    def error_code(self, shape_id: ShapeId) -> str:
        """The wire code of an error shape: its name, or for awsQuery the code
        of its ``aws.protocols#awsQueryError`` trait (aws-query-protocol.rst,
        "Error Code resolution"); other protocols ignore that trait."""
        if self.protocol == "awsQuery":
            trait = get_trait(
                self.model.get_shape(shape_id), "aws.protocols#awsQueryError"
            )
            if isinstance(trait, Mapping) and isinstance(trait.get("code"), str):
                return str(trait["code"])
        return shape_id.name

    @property
    def endpoint_prefix(self) -> str | None:
        value = self._service_trait().get("endpointPrefix")
        return value if isinstance(value, str) else None

    @property
    def signing_name(self) -> str:
        sigv4 = get_trait(self.service, "aws.auth#sigv4")
        if isinstance(sigv4, Mapping) and isinstance(sigv4.get("name"), str):
            return str(sigv4["name"])
        return self.endpoint_prefix or self.service.id.name.lower()

    @property
    def endpoint_ruleset(self) -> Node:
        return get_trait(self.service, "smithy.rules#endpointRuleSet")

    def documentation(self, shape: Shape) -> str | None:
        doc = get_trait(shape, "documentation")
        return doc if isinstance(doc, str) else None

    def _streaming_structures(self) -> dict[ShapeId, str]:
        """Operation input and output structures, as "input" or "output".

        Only their top-level members may be ``@streaming`` (streaming.rst);
        those members become streams in the client rather than values.
        """
        roles: dict[ShapeId, str] = {}
        for op in self.operations:
            roles[op.input] = "input"
            roles[op.output] = "output"
        return roles

    def stream_member(self, shape_id: ShapeId) -> Member | None:
        """The ``@streaming`` member of an operation input or output, if any."""
        if self.is_unit(shape_id):
            return None
        shape = self.model.get_shape(shape_id)
        return next((m for m in self.members(shape) if m.stream), None)

    def is_event_union(self, shape: Shape) -> bool:
        """Whether the shape is an event stream union (read and written as events)."""
        return (
            not self.models_only
            and isinstance(shape, UnionShape)
            and has_trait(shape, "streaming")
        )

    def union_members(self, shape: UnionShape) -> dict[str, MemberShape]:
        """The union's members that are values (each gets a variant class).

        An event stream's error members arrive as exception events, raised
        as their classes in errors.py, never returned; they are values only
        of a union the client sends (an input stream), where a client may
        send a modeled error as an event (aws_amazon-eventstream.rst,
        "Modeled Error Events"; the restJson1 ClientErrorInput case).
        """
        if not self.is_event_union(shape) or self.needs_serializer(shape):
            return dict(shape.members)
        return {
            name: member
            for name, member in shape.members.items()
            if not self.is_error(self.model.get_target(member))
        }

    # --- shapes by role -------------------------------------------------------------

    def is_error(self, shape: Shape) -> bool:
        """Whether the shape is an ``@error`` structure (emitted in errors.py).

        A models-only package has no errors.py: its error structures are data
        classes like the others (event stream unions name them as members).
        """
        return (
            not self.models_only
            and isinstance(shape, StructureShape)
            and has_trait(shape, "error")
        )

    @cached_property
    def errors(self) -> list[StructureShape]:
        """Every error structure of the selection, in model order."""
        return [
            s
            for s in self.selection.shapes
            if isinstance(s, StructureShape) and self.is_error(s)
        ]

    @cached_property
    def enums(self) -> list[EnumShape | IntEnumShape]:
        """Every enum and intEnum of the selection."""
        return [
            s for s in self.selection.shapes if isinstance(s, EnumShape | IntEnumShape)
        ]

    @cached_property
    def structures(self) -> list[StructureShape]:
        return [
            s
            for s in self.selection.shapes
            if isinstance(s, StructureShape) and not self.is_error(s)
        ]

    @cached_property
    def unions(self) -> list[UnionShape]:
        return [s for s in self.selection.shapes if isinstance(s, UnionShape)]

    @cached_property
    def aggregates(self) -> list[Shape]:
        """Shapes with serde functions: structures, unions, lists and maps."""
        return [
            s
            for s in self.selection.shapes
            if isinstance(s, StructureShape | UnionShape | ListShape | MapShape)
            and not self.is_error(s)
        ]

    def is_unit(self, shape_id: ShapeId) -> bool:
        """Whether the shape is ``smithy.api#Unit`` (no input, no output)."""
        return has_trait(self.model.get_shape(shape_id), "unitType")

    # --- names ------------------------------------------------------------------------

    def _assign_names(self) -> None:
        taken: set[str] = set(_RESERVED_CLASS_NAMES)
        taken |= {self.client_class, self.base_error, self.unknown_error}

        def claim(name: str) -> str:
            while name in taken:
                name += "_"
            taken.add(name)
            return name

        # Shape names first, so variant names never steal a shape's own name.
        for shape in self.selection.shapes:
            if isinstance(
                shape, StructureShape | UnionShape | EnumShape | IntEnumShape
            ):
                self.class_names[shape.id] = claim(class_name(shape.id.name))
        for union in self.unions:
            base = self.class_names[union.id]
            for name in self.union_members(union):
                self.union_variants[union.id, name] = claim(f"{base}{class_name(name)}")
            self.union_variants[union.id, UNKNOWN] = claim(f"{base}Unknown")
        stems: set[str] = set()
        for shape in self.aggregates:
            stem = snake_case(shape.id.name)
            while stem in stems:
                stem += "_"
            stems.add(stem)
            self.serde_stems[shape.id] = stem
        self.common_errors = self._common_errors(taken)
        method_names: set[str] = set(_CLIENT_ATTRIBUTES)
        self.method_names: dict[ShapeId, str] = {}
        for op in self.operations:
            self.method_names[op.id] = member_name(op.id.name, method_names)
            method_names.add(self.method_names[op.id])

    def _common_errors(self, taken: set[str]) -> list[CommonError]:
        """The runtime's common errors, less those a modeled error replaces.

        A modeled error wins over a common one with the same code; a common
        class whose name a shape of the model already uses is left out.
        """
        modeled = {e.id.name for e in self.errors}
        modeled |= {self.error_code(e.id) for e in self.errors}
        found = []
        for name, codes, summary in COMMON_ERRORS:
            unmodeled = tuple(code for code in codes if code not in modeled)
            if unmodeled and name not in taken:
                found.append(CommonError(name, unmodeled, summary))
        return sorted(found, key=lambda common: common.name)

    def class_of(self, shape_id: ShapeId) -> str:
        """The class (or alias) name, as code outside the models refers to it.

        With ``qualified`` set, model names read ``models.Name``: modules other
        than the models reach them through the (possibly lazy) ``models`` module,
        so importing them never builds every model class.
        """
        try:
            name = self.class_names[shape_id]
        except KeyError:
            raise GenerationError(f"no Python class for {shape_id}") from None
        if self.qualified and not self.is_error(self.model.get_shape(shape_id)):
            return f"models.{name}"
        return name

    def variant(self, union_id: ShapeId, member: str) -> str:
        """The class of one union member (``Unknown`` for the unknown variant)."""
        name = self.union_variants[union_id, member]
        return f"models.{name}" if self.qualified else name

    @property
    def document(self) -> str:
        return "models.Document" if self.qualified else "Document"

    def operation_constant(self, op: OperationShape) -> str:
        """The name of the operation's OperationSpec in _service.py."""
        return self.method_names[op.id].upper().rstrip("_") + "_OPERATION"

    # --- members --------------------------------------------------------------------

    def members(self, shape: Shape) -> list[Member]:
        """Members with Python names, in model order; names unique per shape."""
        cached = self._member_cache.get(shape.id)
        if cached is not None:
            return cached
        reserved: set[str] = (
            set(ERROR_ATTRIBUTES - {"message"}) if self.is_error(shape) else set()
        )
        result: list[Member] = []
        role = self._stream_roles.get(shape.id)
        for name, member in shape.members.items():
            target = self.model.get_target(member)
            streaming = role if has_trait(target, "streaming") else None
            attr = member_name(name, reserved)
            reserved.add(attr)
            result.append(
                Member(
                    shape=member,
                    target=target,
                    wire=self.wire_name(member),
                    attr=attr,
                    required=has_trait(member, "required"),
                    default=self._default(member, target),
                    in_input=has_trait(shape, "input"),
                    stream=streaming,
                )
            )
        self._member_cache[shape.id] = result
        return result

    def wire_name(self, member: MemberShape) -> str:
        """The member's key in a JSON document: ``@jsonName`` where the protocol
        honours it (restJson1), else the member name."""
        if self.protocol in _JSON_NAME_PROTOCOLS:
            json_name = get_trait(member, "jsonName")
            if isinstance(json_name, str):
                return json_name
        return member.name

    @staticmethod
    def _default(member: MemberShape, target: Shape) -> Node | object:
        # A member's own @default (even null, which removes the target's) wins.
        for holder in (member, target):
            if has_trait(holder, "default"):
                value = get_trait(holder, "default")
                return NO_DEFAULT if value is None else value
        return NO_DEFAULT

    def enum_members(self, shape: Shape) -> list[tuple[str, Node, MemberShape]]:
        """(Python name, wire value, member) of an enum, names made unique."""
        taken: set[str] = set()
        result: list[tuple[str, Node, MemberShape]] = []
        for name, member in shape.members.items():
            py = enum_member_name(name)
            while py in taken:
                py += "_"
            taken.add(py)
            value = get_trait(member, "enumValue")
            result.append((py, name if value is None else value, member))
        return result

    # --- Python types ---------------------------------------------------------------

    def hint(self, target: Shape) -> str:
        """The Python type of a value of the target shape (never None itself)."""
        if isinstance(target, EnumShape):
            return f"{self.class_of(target.id)} | str"
        if isinstance(target, IntEnumShape):
            return f"{self.class_of(target.id)} | int"
        if isinstance(target, ListShape):
            return f"list[{self.element_hint(target.member, target)}]"
        if isinstance(target, MapShape):
            return f"dict[str, {self.element_hint(target.value, target)}]"
        if isinstance(target, StructureShape | UnionShape):
            return self.class_of(target.id)
        if target.type is ShapeType.DOCUMENT:
            return self.document
        try:
            return _SIMPLE_HINTS[target.type]
        except KeyError:
            raise GenerationError(
                f"shape {target.id} of type {target.type} cannot be a member target"
            ) from None

    def element_hint(self, member: MemberShape, container: Shape) -> str:
        """The type of a list element or map value (``| None`` when sparse)."""
        hint = self.hint(self.model.get_target(member))
        return f"{hint} | None" if has_trait(container, "sparse") else hint

    def member_hint(self, member: Member) -> str:
        """The annotation of a structure attribute or method parameter."""
        hint = self.stream_hint(member) or self.hint(member.target)
        return f"{hint} | None" if member.optional else hint

    def stream_hint(self, member: Member) -> str | None:
        """The type of an operation's streaming member (None for other members).

        Input: what the client sends from (an async iterable of events, or
        bytes / a file / an async iterable of bytes); output: the stream the
        call returns (an ``EventStream`` of events, or a ``ByteStream``).
        """
        if member.stream is None:
            return None
        if isinstance(member.target, UnionShape):
            events = self.class_of(member.target.id)
            if member.stream == "input":
                return f"AsyncIterable[{events}]"
            return f"smithygen_runtime.EventStream[{events}]"
        # The runtime's names through its module: no model class can be
        # called ``smithygen_runtime``, while one may be called EventStream.
        if member.stream == "input":
            return "smithygen_runtime.StreamingBlob"
        return "smithygen_runtime.ByteStream"

    def default_expr(self, member: Member) -> str:
        """A Python expression for the attribute's default (None when optional)."""
        return "None" if member.optional else self.default_value_expr(member)

    def default_value_expr(self, member: Member) -> str:
        """A Python expression for the member's ``@default`` value."""
        value, target = member.default, member.target
        if isinstance(target, EnumShape | IntEnumShape):
            for py, wire, _ in self.enum_members(target):
                if wire == value:
                    return f"{self.class_of(target.id)}.{py}"
            return repr(value)
        if target.type in _INT_TYPES and isinstance(value, int | float):
            return repr(int(value))
        if target.type in (ShapeType.FLOAT, ShapeType.DOUBLE) and isinstance(
            value, int | float
        ):
            return repr(float(value))
        if target.type is ShapeType.BIG_DECIMAL:
            return f'Decimal("{value}")'
        if target.type is ShapeType.BLOB and isinstance(value, str):
            return repr(base64.b64decode(value))
        if target.type is ShapeType.TIMESTAMP:
            if isinstance(value, int | float):
                return f"datetime.fromtimestamp({value!r}, UTC)"
            return f"datetime.fromisoformat({value!r})"
        if value == () or value == {}:
            return f"attrs.field(factory={'list' if value == () else 'dict'})"
        if isinstance(value, tuple | Mapping):
            # Mutable defaults need a factory; JSON-like values repr as literals.
            from smithy_python.model import to_json

            return f"attrs.field(factory=lambda: {to_json(value)!r})"
        return repr(value)

    # --- validation facts ------------------------------------------------------------

    def needs_validator(self, shape: Shape) -> bool:
        """Inputs are validated, so shapes reached from an input get a validator."""
        return shape.id in self.selection.input_shapes

    def needs_serializer(self, shape: Shape) -> bool:
        """Only shapes reached from an input are ever serialized."""
        return shape.id in self.selection.input_shapes

    def needs_deserializer(self, shape: Shape) -> bool:
        """Only shapes reached from an output or error are ever deserialized."""
        return shape.id in self.selection.output_shapes
