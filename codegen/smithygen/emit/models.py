"""``models.py``: enums, attrs classes for structures, union variants and aliases."""

from __future__ import annotations

from collections.abc import Iterable

from smithy_python.model import (
    EnumShape,
    IntEnumShape,
    Shape,
    ShapeId,
    StructureShape,
    UnionShape,
)

from smithygen.emit.context import UNKNOWN, Context, Member
from smithygen.emit.docs import docstring
from smithygen.emit.traits import get_trait, has_trait


def model_imports(typing_names: str = "TypeAlias") -> str:
    """The imports every models module starts with (``typing_names`` from typing)."""
    return (
        "from __future__ import annotations\n\n"
        "from collections.abc import AsyncIterable\n"
        "from datetime import UTC, datetime\n"
        "from decimal import Decimal\n"
        "from enum import IntEnum, StrEnum\n"
        f"from typing import {typing_names}\n\n"
        "import attrs\n"
        "import smithygen_runtime\n"
    )


DOCUMENT_ALIAS = '''
Document: TypeAlias = (
    "bool | int | float | str | list[Document] | dict[str, Document] | None"
)
"""A JSON value carried by a Smithy document shape."""
'''

DEFINE = "@attrs.define(kw_only=True, frozen=True, slots=True)"


def emit_enum(ctx: Context, shape: EnumShape | IntEnumShape) -> str:
    """A StrEnum or IntEnum; fields typed with it also accept plain values."""
    cls = ctx.class_of(shape.id)
    base = "StrEnum" if isinstance(shape, EnumShape) else "IntEnum"
    doc = class_docstring(ctx.documentation(shape), f"The {shape.id.name} values.")
    lines = [f"class {cls}({base}):\n{doc}"]
    for py, value, member in ctx.enum_members(shape):
        lines.append(f"    {py} = {value!r}\n")
        documentation = get_trait(member, "documentation")
        member_doc = docstring(
            documentation if isinstance(documentation, str) else None, "    "
        )
        lines.append(member_doc)
    return "".join(lines)


def attribute(ctx: Context, m: Member) -> str:
    """One attrs field with its type, default and attribute docstring."""
    hint = ctx.member_hint(m)
    default = ctx.default_expr(m) if m.optional or m.has_default else None
    if has_trait(m.shape, "sensitive") or has_trait(m.target, "sensitive"):
        # @sensitive values (passwords, parameter values...) stay out of reprs,
        # and so out of logs and tracebacks.
        if default is None:
            default = f"attrs.field({_HIDDEN})"
        elif default.startswith("attrs.field("):
            default = default.replace("attrs.field(", f"attrs.field({_HIDDEN}, ", 1)
        else:
            default = f"attrs.field(default={default}, {_HIDDEN})"
    line = f"    {m.attr}: {hint}" + (f" = {default}\n" if default else "\n")
    return line + docstring(m.documentation, "    ")


_HIDDEN = 'repr=lambda _: "<sensitive>"'


def ordered_members(members: list[Member]) -> list[Member]:
    """Members without a default first (as the constructor lists them)."""
    mandatory = [m for m in members if not (m.optional or m.has_default)]
    return mandatory + [m for m in members if m.optional or m.has_default]


def _role(ctx: Context, shape: StructureShape) -> str:
    """A docstring for an undocumented structure: the operation it serves."""
    for op in ctx.operations:
        if op.input == shape.id:
            return f"The input of {op.id.name}."
        if op.output == shape.id:
            return f"The output of {op.id.name}."
    return f"The {shape.id.name} structure."


def class_docstring(documentation: str | None, fallback: str) -> str:
    """The docstring of a class body, never empty.

    Documentation can be present yet say nothing (``<p></p>``, as in some
    official models); a class of a structure without members would then have
    no body at all, which is a syntax error.
    """
    return docstring(documentation, "    ") or docstring(fallback, "    ")


def emit_structure(ctx: Context, shape: StructureShape) -> str:
    """A frozen, keyword-only attrs class with attribute docstrings."""
    cls = ctx.class_of(shape.id)
    doc = class_docstring(ctx.documentation(shape), _role(ctx, shape))
    fields = "".join(attribute(ctx, m) for m in ordered_members(ctx.members(shape)))
    return f"{DEFINE}\nclass {cls}:\n{doc}{fields}"


def emit_union(ctx: Context, shape: UnionShape) -> str:
    """One class per member, an Unknown variant, and the alias of them all."""
    alias = ctx.class_of(shape.id)
    parts = []
    members = ctx.union_members(shape)
    for name, member in members.items():
        variant = ctx.variant(shape.id, name)
        doc = docstring(
            f"The {alias} member {name}. "
            + _error_event_note(ctx, member.target)
            + (ctx.documentation(member) or ""),
            "    ",
        )
        if ctx.is_unit(member.target):
            parts.append(f"{DEFINE}\nclass {variant}:\n{doc}")
        else:
            hint = ctx.hint(ctx.model.get_target(member))
            parts.append(f"{DEFINE}\nclass {variant}:\n{doc}\n    value: {hint}\n")
    unknown = ctx.variant(shape.id, UNKNOWN)
    parts.append(
        f"{DEFINE}\nclass {unknown}:\n"
        f'    """A member of {alias} this client does not know (from a newer model).\n\n'
        f'    It cannot be sent; ``tag`` is the member name the service used.\n    """\n\n'
        "    tag: str\n"
    )
    variants = [ctx.variant(shape.id, n) for n in [*members, UNKNOWN]]
    alias_doc = docstring(ctx.documentation(shape), "") or f'"""The {alias} union."""\n'
    # A string alias: variants may name the union itself, and Python 3.11 has
    # no ``type`` statement.
    parts.append(f'{alias}: TypeAlias = "{" | ".join(variants)}"\n{alias_doc}')
    return "\n\n".join(parts)


def _error_event_note(ctx: Context, target_id: ShapeId) -> str:
    """What a variant holding an ``@error`` structure does (input event streams)."""
    if not ctx.is_error(ctx.model.get_shape(target_id)):
        return ""
    return (
        "Sent as a modeled error event (``:message-type exception``), after "
        "which the client sends no more events; received, the same error is "
        "raised, never given as an event. "
    )


def error_variant_classes(ctx: Context, unions: Iterable[Shape]) -> set[str]:
    """Error classes (errors.py) that variants of ``unions`` hold."""
    found = set()
    for union in unions:
        if not isinstance(union, UnionShape):
            continue
        for member in ctx.union_members(union).values():
            target = ctx.model.get_shape(member.target)
            if ctx.is_error(target):
                found.add(ctx.class_of(target.id))
    return found


def error_imports(names: Iterable[str]) -> str:
    """Type-only imports of error classes (errors.py imports models at run time)."""
    listed = sorted(set(names))
    if not listed:
        return ""
    body = "".join(f"    {n},\n" for n in listed)
    return f"\nif TYPE_CHECKING:\n    from .errors import (\n{body}    )\n"


def emit_models(ctx: Context, header: str) -> str:
    """The text of a single ``models.py`` holding every class (small packages)."""
    blocks: list[str] = []
    blocks.extend(emit_enum(ctx, s) for s in ctx.enums)
    blocks.extend(emit_union(ctx, s) for s in ctx.unions)
    blocks.extend(emit_structure(ctx, s) for s in ctx.structures)
    doc = f'"""Data shapes of the {ctx.sdk_id} service: enums, structures and unions."""\n'
    errors = error_variant_classes(ctx, ctx.unions)
    typing_names = "TYPE_CHECKING, TypeAlias" if errors else "TypeAlias"
    return (
        f"{header}{doc}\n{model_imports(typing_names)}"
        + error_imports(errors)
        + DOCUMENT_ALIAS
        + "\n\n"
        + "\n\n".join(blocks)
    )
