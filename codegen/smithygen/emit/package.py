"""``__init__.py``: the package's public names, re-exported from its modules."""

from __future__ import annotations

import html

from smithygen.emit.context import UNKNOWN, Context
from smithygen.emit.docs import docstring, summary
from smithygen.emit.lazy import LAZY_GETATTR

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


def _import(module: str, names: list[str], indent: str = "") -> str:
    body = "".join(f"{indent}    {n},\n" for n in names)
    return f"{indent}from {module} import (\n{body}{indent})\n"


def emit_init(ctx: Context, header: str) -> str:
    """The text of ``__init__.py``: names imported lazily from their modules.

    ``import package`` then costs next to nothing; the client, errors and
    models load when first named.
    """
    errors = [ctx.base_error, ctx.unknown_error] + [
        ctx.class_names[e.id] for e in ctx.errors
    ]
    errors += [c.name for c in ctx.common_errors]
    models = ["Document"]
    models += [ctx.class_names[s.id] for s in ctx.enums]
    for union in ctx.unions:
        models.append(ctx.class_names[union.id])
        models += [
            ctx.union_variants[union.id, n]
            for n in [*ctx.union_members(union), UNKNOWN]
        ]
    models += [ctx.class_names[s.id] for s in ctx.structures]
    exported = sorted({ctx.client_class, *RUNTIME_ERRORS, *errors, *models})
    about = summary(ctx.documentation(ctx.service)) or f"The {ctx.sdk_id} service."
    doc = docstring(
        f"<p>Typed async client for {ctx.sdk_id}, generated from its Smithy model.</p>"
        f"<p>{html.escape(about)}</p><p>Start with <code>{ctx.client_class}</code>; errors"
        f" the service returns derive from <code>{ctx.base_error}</code>, transport"
        " failures from <code>TransportError</code>.</p>",
        "",
    )
    modules = {ctx.client_class: "client"}
    modules |= dict.fromkeys(errors, "errors")
    modules |= dict.fromkeys(models, "models")
    mapping = "".join(f'    "{n}": "{m}",\n' for n, m in sorted(modules.items()))
    # The version module comes first (isort: split keeps it there): it checks
    # the runtime contract before any runtime name is imported, so an
    # incompatible runtime fails with both versions named.
    return (
        f"{header}{doc}\n"
        "from .version import __version__ as __version__\n\n"
        "# isort: split\n"
        "import importlib\nfrom typing import TYPE_CHECKING, Any\n\n"
        + _import("smithygen_runtime", list(RUNTIME_ERRORS))
        + "\nif TYPE_CHECKING:\n"
        + _import(".client", [ctx.client_class], "    ")
        + _import(".errors", sorted(errors), "    ")
        + _import(".models", sorted(models), "    ")
        + f"\n_MODULES: dict[str, str] = {{\n{mapping}}}\n\n"
        + "__all__ = [\n"
        + "".join(f'    "{n}",\n' for n in exported)
        + "]\n"
        + LAZY_GETATTR
    )
