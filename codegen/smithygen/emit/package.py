"""``__init__.py``: the package's public names, re-exported from its modules."""

from __future__ import annotations

import html

from smithygen.emit.context import Context
from smithygen.emit.docs import docstring, summary

RUNTIME_ERRORS = (
    "ConfigurationError",
    "CredentialsError",
    "PaginationError",
    "RequestTimeoutError",
    "ResponseParseError",
    "ServiceError",
    "SmithyGenError",
    "TransportError",
    "ValidationError",
    "WaiterError",
    "WaiterTimeoutError",
)


def _import(module: str, names: list[str]) -> str:
    return f"from {module} import (\n" + "".join(f"    {n},\n" for n in names) + ")\n"


def emit_init(ctx: Context, header: str) -> str:
    """The text of ``__init__.py``."""
    errors = [ctx.base_error, ctx.unknown_error] + [
        ctx.class_of(e.id) for e in ctx.errors
    ]
    models = ["Document"]
    models += [ctx.class_of(s.id) for s in ctx.enums]
    for union in ctx.unions:
        models.append(ctx.class_of(union.id))
        models += [ctx.union_variants[union.id, n] for n in [*union.members, "Unknown"]]
    models += [ctx.class_of(s.id) for s in ctx.structures]
    exported = sorted({ctx.client_class, *RUNTIME_ERRORS, *errors, *models})
    about = summary(ctx.documentation(ctx.service)) or f"The {ctx.sdk_id} service."
    doc = docstring(
        f"<p>Typed async client for {ctx.sdk_id}, generated from its Smithy model.</p>"
        f"<p>{html.escape(about)}</p><p>Start with <code>{ctx.client_class}</code>; errors"
        f" the service returns derive from <code>{ctx.base_error}</code>, transport"
        " failures from <code>TransportError</code>.</p>",
        "",
    )
    return (
        f"{header}{doc}\n"
        + _import("smithygen_runtime", list(RUNTIME_ERRORS))
        + "\n"
        + _import(".client", [ctx.client_class])
        + _import(".errors", errors)
        + _import(".models", models)
        + "\n__all__ = [\n"
        + "".join(f'    "{n}",\n' for n in exported)
        + "]\n"
    )
