"""What the parser hands the assembler: one file's statements, ids still as written.

Relative shape ids cannot be resolved while a file is parsed: the spec lets a
file refer to shapes that a later file defines (idl.rst, "Relative shape ID
resolution"), so every id keeps its text and source offset until the
assembler has seen every file.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

# The simple shape types of the semantic model (simple-types.rst), in spec order.
SIMPLE_TYPES = (
    *("blob", "boolean", "document", "string", "byte", "short", "integer"),
    *("long", "float", "double", "bigInteger", "bigDecimal", "timestamp"),
)

DOCUMENTATION = "smithy.api#documentation"
DEFAULT = "smithy.api#default"
ENUM_VALUE = "smithy.api#enumValue"
INPUT = "smithy.api#input"
OUTPUT = "smithy.api#output"
MIXIN = "smithy.api#mixin"


class SyntacticId(str):
    """An unquoted shape id inside a node value; resolved like any other id."""

    __slots__ = ("pos",)
    pos: int


class _NoValue:
    """Marks a trait applied without a value (``@sensitive``, ``@tags()``)."""

    __slots__ = ()

    def __repr__(self) -> str:
        return "NO_VALUE"


NO_VALUE: Any = _NoValue()


@dataclass(slots=True)
class Ref:
    """A shape id as written in the source, with its offset."""

    text: str
    pos: int


@dataclass(slots=True)
class TraitUse:
    """One trait application; ``value`` is ``NO_VALUE`` when none was written."""

    ref: Ref
    value: Any


@dataclass(slots=True)
class MemberDef:
    """A member of a shape; ``target`` is ``None`` when elided (``$name``)."""

    name: str
    target: Ref | None
    traits: list[TraitUse]
    pos: int


@dataclass(slots=True)
class ShapeDef:
    """A shape statement (or a synthesised inline input/output structure)."""

    shape_id: str
    type: str
    pos: int
    traits: list[TraitUse]
    members: dict[str, MemberDef] = field(default_factory=dict)
    mixins: list[Ref] = field(default_factory=list)
    resource: Ref | None = None
    #: Operation: input/output (Ref) and errors (list[Ref]); service and
    #: resource: their node-object properties as written.
    properties: dict[str, Any] = field(default_factory=dict)


@dataclass(slots=True)
class ApplyDef:
    """``apply Target @trait`` or ``apply Target { ... }``."""

    target: Ref
    traits: list[TraitUse]


@dataclass(slots=True)
class ParsedFile:
    """Everything one IDL file states, in source order."""

    filename: str
    text: str
    version: str = "1.0"
    namespace: str | None = None
    uses: dict[str, str] = field(default_factory=dict)
    metadata: list[tuple[str, Any, int]] = field(default_factory=list)
    shapes: list[ShapeDef] = field(default_factory=list)
    applies: list[ApplyDef] = field(default_factory=list)

    @property
    def major_version(self) -> int:
        """1 or 2: the IDL version whose rules apply to this file."""
        return int(self.version.split(".")[0])
