"""``client.py``: the client class, one async method per operation."""

from __future__ import annotations

from collections.abc import Mapping

from smithygen.emit.context import Context
from smithygen.emit.docs import docstring
from smithygen.emit.operations import model_imports, returns, self_params, signature
from smithygen.emit.service import client_context_class
from smithygen.emit.traits import get_trait


def operation_method(ctx: Context, op_index: int) -> str:
    """One async client method: build the input, hand it to the runtime."""
    op = ctx.operations[op_index]
    sig = signature(ctx, op)
    name = ctx.method_names[op.id]
    text = ctx.documentation(op) or f"Call {op.id.name}."
    deprecated = get_trait(op, "deprecated")
    if isinstance(deprecated, Mapping):
        why = deprecated.get("message")
        text = f"<p>Deprecated{': ' + str(why) if why else '.'}</p>{text}"
    doc = docstring(text, "        ", extra=sig.args_doc)
    return (
        f"    async def {name}({self_params(sig)}) -> {returns(sig)}:\n"
        f"{doc}"
        f"        return await self._invoke(\n"
        f"            {ctx.operation_constant(op)}, {sig.input_expr}\n"
        f"        )\n"
    )


def _skipped_note(ctx: Context) -> str:
    """Comment lines naming the operations left out, and why (select.py decides).

    The only reason today: a ``@streaming`` member of a kind (event stream,
    blob) that not every protocol of the service carries yet.
    """
    if not ctx.selection.skipped:
        return ""
    lines = "".join(f"#   {name}: {why}\n" for name, why in ctx.selection.skipped)
    protocols = ", ".join(ctx.protocols)
    return (
        "\n# Operations not generated (the client cannot carry their streaming "
        f"member\n# over {protocols} yet):\n{lines}"
    )


def emit_client(
    ctx: Context, header: str, *, has_paginators: bool, has_waiters: bool
) -> str:
    """The text of ``client.py``."""
    bases = []
    imports = ["from smithygen_runtime import BaseClient, new_idempotency_token\n"]
    if has_paginators:
        bases.append(f"{ctx.sdk}Paginators")
        imports.append(f"from .paginators import {ctx.sdk}Paginators\n")
    if has_waiters:
        bases.append(f"{ctx.sdk}Waiters")
        imports.append(f"from .waiters import {ctx.sdk}Waiters\n")
    bases = bases or ["BaseClient"]
    constants = [ctx.operation_constant(op) for op in ctx.operations]
    context_class = client_context_class(ctx)
    if context_class:
        # Defined in _service.py (its ServiceSpec names it), imported from here.
        constants.insert(0, context_class)
    imports.append(
        "from ._service import (\n    SERVICE,\n"
        + "".join(f"    {c},\n" for c in constants)
        + ")\n"
    )
    imports.append(model_imports(ctx))
    service_doc = ctx.documentation(ctx.service)
    usage = (
        f"Use it as an async context manager: ``async with {ctx.client_class}(region=...)"
        " as client:``; every method raises a subclass of"
        f" ``{ctx.base_error}`` for an error the service returns."
    )
    doc = docstring(
        f"<p>Async client for {ctx.sdk_id}.</p>"
        + (service_doc or "")
        + f"<p>{usage}</p>",
        "    ",
    )
    methods = "\n".join(operation_method(ctx, i) for i in range(len(ctx.operations)))
    return (
        f"{header}"
        f'"""The {ctx.sdk_id} client: one async method per operation."""\n\n'
        "from __future__ import annotations\n\n"
        "from typing import ClassVar\n\n"
        "import attrs\n\n"
        "from smithygen_runtime import ServiceSpec\n"
        + "".join(imports)
        + _skipped_note(ctx)
        + f"\n\nclass {ctx.client_class}({', '.join(bases)}):\n{doc}\n"
        "    _service: ClassVar[ServiceSpec] = SERVICE\n"
        + (
            f"    # The endpoint options: ``{ctx.client_class}(client_context="
            f"{ctx.client_class}.ClientContext(...))``.\n"
            f"    ClientContext: ClassVar[type[{context_class}]] = {context_class}\n"
            if context_class
            else ""
        )
        + f"\n{methods}"
    )
