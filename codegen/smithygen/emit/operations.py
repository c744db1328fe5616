"""What client, paginator and waiter methods share: parameters and input building."""

from __future__ import annotations

import textwrap
from dataclasses import dataclass

from smithy_python.model import OperationShape, StructureShape

from smithygen.emit.context import Context, Member
from smithygen.emit.docs import to_paragraphs
from smithygen.emit.models import ordered_members
from smithygen.emit.serde import default_literal
from smithygen.emit.traits import has_trait


@dataclass(frozen=True, slots=True)
class Signature:
    """An operation's keyword-only parameters and how they become its input."""

    params: str
    """``*, a: str, b: int | None = None`` (empty for Unit input)."""
    input_expr: str
    """``Request(a=a, b=b)`` or ``None`` for Unit input."""
    args_doc: str
    """An ``Args:`` section for the docstring (empty when there are no members)."""
    input_class: str | None
    output_class: str | None
    members: tuple[Member, ...]


def _param(ctx: Context, m: Member) -> tuple[str, str]:
    """The parameter declaration and the expression passed to the input class."""
    hint = ctx.member_hint(m)
    if has_trait(m.shape, "idempotencyToken"):
        # Filled here, once per call, so every retry of the call sends it again.
        fill = f"new_idempotency_token() if {m.attr} is None else {m.attr}"
        if not m.optional:
            return f"{m.attr}: {hint} | None = None", fill
        return f"{m.attr}: {hint} = None", fill
    if m.optional:
        return f"{m.attr}: {hint} = None", m.attr
    if not m.has_default:
        return f"{m.attr}: {hint}", m.attr
    default = ctx.default_expr(m)
    if default.startswith("attrs.field("):
        literal = default_literal(default)
        return (
            f"{m.attr}: {hint} | None = None",
            f"{literal} if {m.attr} is None else {m.attr}",
        )
    return f"{m.attr}: {hint} = {default}", m.attr


def _args_doc(ctx: Context, members: list[Member]) -> str:
    """An ``Args:`` section: each parameter with the first paragraph of its docs."""
    lines = []
    for m in members:
        paragraphs = to_paragraphs(m.documentation) if m.documentation else []
        text = paragraphs[0] if paragraphs else f"The {m.wire} member."
        if m.has_default and m.optional:
            value = default_literal(ctx.default_value_expr(m))
            text += f" The service's default: ``{value}``."
        lines.extend(
            textwrap.wrap(
                f"{m.attr}: {text}",
                width=76,
                initial_indent="    ",
                subsequent_indent="        ",
                break_long_words=False,
                break_on_hyphens=False,
            )
        )
    return "Args:\n" + "\n".join(lines) if lines else ""


def signature(ctx: Context, op: OperationShape) -> Signature:
    """The keyword-only parameters of an operation's methods and their input."""
    output_class = None if ctx.is_unit(op.output) else ctx.class_of(op.output)
    if ctx.is_unit(op.input):
        return Signature("", "None", "", None, output_class, ())
    shape = ctx.model.expect_shape(op.input, StructureShape)
    members = ordered_members(ctx.members(shape))
    params, args = [], []
    for m in members:
        declaration, value = _param(ctx, m)
        params.append(declaration)
        args.append(f"{m.attr}={value}")
    cls = ctx.class_of(op.input)
    return Signature(
        params="*, " + ", ".join(params) if params else "",
        input_expr=f"{cls}({', '.join(args)})",
        args_doc=_args_doc(ctx, members),
        input_class=cls,
        output_class=output_class,
        members=tuple(members),
    )


def returns(sig: Signature) -> str:
    return sig.output_class or "None"


def self_params(sig: Signature, extra: str = "") -> str:
    """``self, *, a: str, ...`` plus ``extra`` keyword parameters."""
    params = sig.params
    if extra:
        params = f"{params}, {extra}" if params else f"*, {extra}"
    return f"self, {params}" if params else "self"


def model_imports(ctx: Context) -> str:
    """Imports a module referring to models needs; ruff drops the unused ones."""
    return (
        "from collections.abc import AsyncIterable\n"
        "from datetime import datetime\nfrom decimal import Decimal\n\n"
        "import smithygen_runtime\n\nfrom . import models\n"
    )
