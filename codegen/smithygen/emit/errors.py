"""``errors.py``: the service's error base, its unknown-code error, one class per error."""

from __future__ import annotations

from smithy_python.model import StructureShape

from smithygen.emit.context import CommonError, Context, Member
from smithygen.emit.docs import docstring
from smithygen.emit.operations import model_imports
from smithygen.emit.serde import de_member_expr, enum_reader_name
from smithygen.emit.traits import get_trait, has_trait

_IMPORTS = """\
from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self

from smithygen_runtime import ServiceError, common_errors
"""


def _error_class(ctx: Context, shape: StructureShape) -> str:
    cls = ctx.class_of(shape.id)
    fault = get_trait(shape, "error")
    retryable = has_trait(shape, "retryable")
    doc = (
        docstring(ctx.documentation(shape), "    ")
        or f'    """The {shape.id.name} error."""\n'
    )
    lines = [f"class {cls}({ctx.base_error}):\n{doc}\n"]
    lines.append(f'    code = "{ctx.error_code(shape.id)}"\n')
    lines.append(f'    fault = "{fault}"\n')
    if retryable:
        lines.append("    retryable = True\n")
    members = [m for m in ctx.members(shape) if m.attr != "message"]
    if members:
        lines.append(_error_init(ctx, members) + _error_from_wire(ctx, members))
    return "".join(lines)


def _error_init(ctx: Context, members: list[Member]) -> str:
    """``__init__`` of an error with members: the message, then one keyword each."""
    params = "".join(
        f"        {m.attr}: {ctx.hint(m.target)} | None = None,\n" for m in members
    )
    assigns = "".join(
        f"        self.{m.attr} = {m.attr}\n" + docstring(m.documentation, "        ")
        for m in members
    )
    return (
        "\n"
        "    def __init__(\n"
        "        self,\n"
        '        message: str = "",\n'
        "        *,\n"
        f"{params}"
        "        code: str | None = None,\n"
        "        status_code: int | None = None,\n"
        "        request_id: str | None = None,\n"
        "    ) -> None:\n"
        "        super().__init__(\n"
        "            message, code=code, status_code=status_code, request_id=request_id\n"
        "        )\n"
        f"{assigns}"
    )


def _error_from_wire(ctx: Context, members: list[Member]) -> str:
    """``_from_wire``: the error built from its parsed body."""
    reads = "".join(
        f"            {m.attr}={de_member_expr(ctx, m, 'body', optional=True)},\n"
        for m in members
    )
    return (
        "\n"
        "    @classmethod\n"
        "    def _from_wire(\n"
        "        cls,\n"
        "        body: Mapping[str, Any],\n"
        "        *,\n"
        "        code: str,\n"
        "        message: str,\n"
        "        status_code: int | None,\n"
        "        request_id: str | None,\n"
        "    ) -> Self:\n"
        "        return cls(\n"
        "            message,\n"
        f"{reads}"
        "            code=code,\n"
        "            status_code=status_code,\n"
        "            request_id=request_id,\n"
        "        )\n"
    )


def _common_error_class(ctx: Context, common: CommonError) -> str:
    codes = ", ".join(f"``{c}``" for c in common.codes)
    label = "wire code" if len(common.codes) == 1 else "wire codes"
    return (
        f"class {common.name}({ctx.base_error}, common_errors.{common.name}):\n"
        f'    """{common.summary}\n\n'
        f"    A common AWS error ({label} {codes}), not in the {ctx.sdk_id} model;\n"
        f"    also an instance of ``smithygen_runtime.common_errors.{common.name}``.\n"
        '    """\n'
    )


def common_errors_markdown(ctx: Context) -> str:
    """A Markdown section listing the package's common AWS errors (for its README)."""
    rows = "".join(
        f"| `{c.name}` | {', '.join(f'`{code}`' for code in c.codes)} | {c.summary} |\n"
        for c in ctx.common_errors
    )
    return (
        "## Errors every AWS service may return\n\n"
        f"Besides the errors its model declares, {ctx.sdk_id} may answer with AWS's\n"
        "common errors. Each has a class here, derived from "
        f"`{ctx.base_error}` and from\n"
        "the runtime class of the same name in `smithygen_runtime.common_errors`\n"
        "(throttling ones also from `smithygen_runtime.common_errors.ThrottlingError`);\n"
        "`retryable` is what the AWS standard retry mode decides for them. A modeled\n"
        "error with the same code replaces the common one.\n\n"
        "| class | wire codes | meaning |\n|---|---|---|\n" + rows
    )


def serde_imports(ctx: Context) -> str:
    """Import every helper and model name; ruff removes the unused ones."""
    tables = [enum_reader_name(ctx, e) for e in ctx.enums]
    names = tables + [f"de_{stem}" for stem in ctx.serde_stems.values()]
    runtime = [
        "EPOCH",
        "as_document",
        "expect_decimal",
        "parse_blob",
        "parse_date_time",
        "parse_float",
        "parse_http_date",
        "parse_timestamp_epoch",
        "read_bool",
        "read_int",
        "read_member",
        "read_str",
    ]
    text = "from datetime import datetime\nfrom decimal import Decimal\n\n"
    text += "from smithygen_runtime import (\n"
    text += "".join(f"    {n},\n" for n in runtime) + ")\n\n"
    if names:
        # A service whose errors hold only strings has no serde names to import
        # (``from ._serde import ()`` is a syntax error).
        text += "from ._serde import (\n" + "".join(f"    {n},\n" for n in names)
        text += ")\n"
    return text + model_imports(ctx).split("\n\n", 1)[1]


def emit_errors(ctx: Context, header: str) -> str:
    """The text of ``errors.py``."""
    sdk = ctx.sdk_id
    base = (
        f"class {ctx.base_error}(ServiceError):\n"
        f'    """Base of every error the {sdk} service returns.\n\n'
        "    ``code`` is the wire error code, ``fault`` says whose fault it is\n"
        '    (``"client"`` or ``"server"``) and ``retryable`` whether the model\n'
        "    declares the error retryable.\n"
        '    """\n'
    )
    unknown = (
        f"class {ctx.unknown_error}({ctx.base_error}):\n"
        f'    """An error code this client\'s model of {sdk} does not know.\n\n'
        "    ``code`` keeps the code the service sent.\n"
        '    """\n'
    )
    classes = [base, unknown] + [_error_class(ctx, s) for s in ctx.errors]
    classes += [_common_error_class(ctx, c) for c in ctx.common_errors]
    doc = (
        f'"""Errors of the {sdk} service: one class per modeled error, and the\n'
        'errors every AWS service may return (smithygen_runtime.common_errors)."""\n'
    )
    return f"{header}{doc}\n{_IMPORTS}{serde_imports(ctx)}\n\n" + "\n\n".join(classes)
