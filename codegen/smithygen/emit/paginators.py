"""``paginators.py``: ``paginate_<op>`` (pages) and ``paginate_<op>_items`` methods.

They come from ``@paginated`` on the operation merged over the service's own
``@paginated`` defaults; the loop itself (token tracking, repeated-token
detection) is the runtime's ``paginate``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from smithy_python.model import (
    ListShape,
    MapShape,
    OperationShape,
    Shape,
    ShapeId,
    ShapeType,
    StructureShape,
)

from smithygen.emit.context import Context
from smithygen.emit.docs import docstring
from smithygen.emit.operations import (
    Signature,
    model_imports,
    returns,
    self_params,
    signature,
)
from smithygen.emit.traits import get_trait, has_trait
from smithygen.errors import GenerationError


@dataclass(frozen=True, slots=True)
class Pagination:
    op: OperationShape
    input_token: str
    output_token: str
    items: str | None


def pagination(ctx: Context, op: OperationShape) -> Pagination | None:
    """The effective ``@paginated`` settings, or None when not paginated."""
    if not has_trait(op, "paginated"):
        return None
    settings: dict[str, object] = {}
    for holder in (ctx.service, op):
        value = get_trait(holder, "paginated")
        if isinstance(value, Mapping):
            settings.update(value)
    input_token, output_token = settings.get("inputToken"), settings.get("outputToken")
    if not isinstance(input_token, str) or not isinstance(output_token, str):
        raise GenerationError(f"{op.id}: @paginated needs inputToken and outputToken")
    items = settings.get("items")
    return Pagination(
        op, input_token, output_token, items if isinstance(items, str) else None
    )


def _walk(
    ctx: Context, shape_id: ShapeId, path: str, what: str
) -> list[tuple[str, Shape]]:
    """(attribute, target) steps of a dotted member path through structures."""
    shape = ctx.model.get_shape(shape_id)
    steps: list[tuple[str, Shape]] = []
    for part in path.split("."):
        if not isinstance(shape, StructureShape):
            raise GenerationError(f"{what} path {path!r} goes through a non-structure")
        member = next((m for m in ctx.members(shape) if m.shape.name == part), None)
        if member is None:
            raise GenerationError(
                f"{what} path {path!r}: {shape.id} has no member {part}"
            )
        steps.append((member.attr, member.target))
        shape = member.target
    return steps


def _getter(
    steps: list[tuple[str, Shape]], indent: str, result: str, page: str = "page"
) -> str:
    """Lines reading a nested optional attribute path of ``page`` into ``result``."""
    if len(steps) == 1:
        return f"{indent}{result} = {page}.{steps[0][0]}\n"
    lines = [f"{indent}_step0 = {page}.{steps[0][0]}\n"]
    for i, (attr, _) in enumerate(steps[1:], start=1):
        name = result if i == len(steps) - 1 else f"_step{i}"
        lines.append(
            f"{indent}{name} = None if _step{i - 1} is None else _step{i - 1}.{attr}\n"
        )
    return "".join(lines)


def _token_lines(steps: list[tuple[str, Shape]]) -> str:
    indent = "            "
    if len(steps) == 1:
        return f"{indent}return page.{steps[0][0]}\n"
    return _getter(steps, indent, "token") + f"{indent}return token\n"


def _methods(ctx: Context, p: Pagination) -> str:
    """``paginate_<op>`` and, with ``items``, ``paginate_<op>_items``."""
    sig = signature(ctx, p.op)
    input_attr = next(
        (m.attr for m in sig.members if m.shape.name == p.input_token), None
    )
    if input_attr is None or sig.output_class is None:
        raise GenerationError(
            f"{p.op.id}: @paginated inputToken {p.input_token} is not an input member"
        )
    token_steps = _walk(ctx, p.op.output, p.output_token, "outputToken")
    if token_steps[-1][1].type is not ShapeType.STRING:
        return ""  # Only string tokens are paginated (the runtime compares them).
    text = _pages_method(ctx, p, sig, input_attr, token_steps)
    if p.items is None:
        return text
    return text + _items_method(ctx, p, sig, p.items)


def _pages_method(
    ctx: Context,
    p: Pagination,
    sig: Signature,
    input_attr: str,
    token_steps: list[tuple[str, Shape]],
) -> str:
    """``paginate_<op>``: every page, each request carrying the last page's token."""
    op = p.op
    method = ctx.method_names[op.id]
    constant = ctx.operation_constant(op)
    output = returns(sig)
    doc = docstring(
        f"<p>Every page of <code>{method}</code>, following <code>{p.output_token}</code>.</p>"
        f"<p>Stops when the service returns no token or an empty one; raises PaginationError "
        f"when it repeats a token. Parameters are those of <code>{method}</code>.</p>",
        "        ",
    )
    return (
        f"    def paginate_{method}({self_params(sig)}) -> AsyncIterator[{output}]:\n{doc}"
        f"        _request = {sig.input_expr}\n\n"
        f"        async def _fetch(token: str | None) -> {output}:\n"
        f"            return await self._invoke(\n"
        f"                {constant}, attrs.evolve(_request, {input_attr}=token)\n"
        f"            )\n\n"
        f"        def _token_of(page: {output}) -> str | None:\n"
        f"{_token_lines(token_steps)}\n"
        f"        return paginate(\n"
        f"            _fetch, get_token=_token_of, first_token={input_attr}, operation={op.id.name!r}\n"
        f"        )\n"
    )


def _items_method(ctx: Context, p: Pagination, sig: Signature, items: str) -> str:
    """``paginate_<op>_items``: the items of every page ("" unless a list or map)."""
    item_steps = _walk(ctx, p.op.output, items, "items")
    container = item_steps[-1][1]
    if isinstance(container, ListShape):
        item_hint = ctx.element_hint(container.member, container)
        iterate = "items"
    elif isinstance(container, MapShape):
        item_hint = f"tuple[str, {ctx.element_hint(container.value, container)}]"
        iterate = "items.items()"
    else:
        return ""
    method = ctx.method_names[p.op.id]
    call_args = ", ".join(f"{m.attr}={m.attr}" for m in sig.members)
    items_doc = docstring(
        f"<p>Every item of <code>{items}</code> across all pages of "
        f"<code>{method}</code>.</p>",
        "        ",
    )
    return (
        f"\n    async def paginate_{method}_items({self_params(sig)}) -> AsyncIterator[{item_hint}]:\n"
        f"{items_doc}"
        f"        async for _page in self.paginate_{method}({call_args}):\n"
        f"{_getter(item_steps, '            ', '_items', '_page')}"
        f"            if _items is not None:\n"
        f"                for _item in _{iterate}:\n"
        f"                    yield _item\n"
    )


def emit_paginators(ctx: Context, header: str) -> str | None:
    """The text of ``paginators.py``, or None when no operation is paginated."""
    methods = [
        text
        for op in ctx.operations
        if (p := pagination(ctx, op)) is not None and (text := _methods(ctx, p))
    ]
    if not methods:
        return None
    constants = [ctx.operation_constant(op) for op in ctx.operations]
    return (
        f"{header}"
        f'"""Paginators of the {ctx.sdk_id} client, inherited by {ctx.client_class}."""\n\n'
        "from __future__ import annotations\n\n"
        "from collections.abc import AsyncIterator\n\n"
        "import attrs\n\n"
        "from smithygen_runtime import BaseClient, new_idempotency_token, paginate\n\n"
        "from ._service import (\n"
        + "".join(f"    {c},\n" for c in constants)
        + ")\n"
        + model_imports(ctx)
        + f"\n\nclass {ctx.sdk}Paginators(BaseClient):\n"
        f'    """``paginate_*`` methods, one pair per paginated operation."""\n\n'
        + "\n".join(methods)
    )
