"""Lazy loading for large packages: model classes in groups, a ``models`` facade.

Building an attrs class costs about a millisecond, so a model of hundreds of
structures would make ``import`` slow. Above ``GROUP_THRESHOLD`` classes the
classes are written to group modules (``_models_<operation>.py`` for shapes
only one operation uses, ``_models_shared.py`` for the others, enums in
``_models_base.py``), and ``models.py`` becomes a facade that imports a group
on first access (PEP 562 ``__getattr__``), with ``TYPE_CHECKING`` imports so
type checkers see every name. Every other module refers to ``models.Name``,
so importing them loads no class until one is used.
"""

from __future__ import annotations

from collections.abc import Iterable

from smithy_python.model import (
    EnumShape,
    IntEnumShape,
    ListShape,
    MapShape,
    Shape,
    ShapeId,
    ShapeType,
    StructureShape,
    UnionShape,
)

from smithygen.emit.context import UNKNOWN, Context
from smithygen.emit.models import (
    DOCUMENT_ALIAS,
    emit_enum,
    emit_models,
    emit_structure,
    emit_union,
    error_imports,
    error_variant_classes,
    model_imports,
)
from smithygen.select import closure

GROUP_THRESHOLD = 120
"""Packages with more model classes than this get group modules."""

# PEP 562 hooks shared by every lazy facade (a package's __init__ and the models
# facade of a grouped package): __package__ names the package in both.
LAZY_GETATTR = '''

def __getattr__(name: str) -> Any:
    """Import the module that defines ``name`` on first use (PEP 562)."""
    module = _MODULES.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f".{module}", __package__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(__all__)
'''


def _class_count(ctx: Context) -> int:
    return len(ctx.structures) + len(ctx.unions) + len(ctx.enums)


def _groups(ctx: Context) -> dict[str, list[Shape]]:
    """Group module name -> structures and unions it defines, in name order."""
    users: dict[ShapeId, list[str]] = {}
    for op in ctx.operations:
        roots = [op.input, op.output, *op.errors]
        for shape_id in closure(ctx.model, roots):
            users.setdefault(shape_id, []).append(ctx.method_names[op.id].rstrip("_"))
    groups: dict[str, list[Shape]] = {}
    for shape in [*ctx.unions, *ctx.structures]:
        owners = users.get(shape.id, [])
        name = f"_models_{owners[0]}" if len(owners) == 1 else "_models_shared"
        groups.setdefault(name, []).append(shape)
    return dict(sorted(groups.items()))


def _referenced(ctx: Context, shapes: Iterable[Shape]) -> set[ShapeId]:
    """Classes the shapes' annotations or defaults name (through lists and maps)."""
    found: set[ShapeId] = set()

    def visit(target: Shape) -> None:
        if isinstance(target, ListShape):
            visit(ctx.model.get_target(target.member))
        elif isinstance(target, MapShape):
            visit(ctx.model.get_target(target.value))
        elif isinstance(
            target, StructureShape | UnionShape | EnumShape | IntEnumShape
        ) and not ctx.is_error(target):  # errors.py's: see error_imports
            found.add(target.id)

    for shape in shapes:
        for member in shape.members.values():
            if not ctx.is_unit(member.target):
                visit(ctx.model.get_target(member))
    return found


def _uses_document(ctx: Context, shapes: Iterable[Shape]) -> bool:
    def has(target: Shape, seen: set[ShapeId]) -> bool:
        if target.id in seen:
            return False
        seen.add(target.id)
        if target.type is ShapeType.DOCUMENT:
            return True
        if isinstance(target, ListShape | MapShape):
            return any(
                has(ctx.model.get_target(m), seen) for m in target.members.values()
            )
        return False

    return any(
        has(ctx.model.get_target(m), set()) for s in shapes for m in s.members.values()
    )


def _import_block(module: str, names: Iterable[str], indent: str = "") -> str:
    listed = sorted(set(names))
    if not listed:
        return ""
    body = "".join(f"{indent}    {n},\n" for n in listed)
    return f"{indent}from {module} import (\n{body}{indent})\n"


def models_are_grouped(ctx: Context) -> bool:
    """True when the model classes go to group modules loaded on first use."""
    return _class_count(ctx) > GROUP_THRESHOLD


def emit_model_modules(ctx: Context, header: str) -> dict[str, str]:
    """``models.py`` and, for large packages, its group modules."""
    if not models_are_grouped(ctx):
        return {"models.py": emit_models(ctx, header)}
    enum_names = [ctx.class_names[s.id] for s in ctx.enums]
    files = {"_models_base.py": _base_module(ctx, header)}
    locations: dict[str, str] = {}
    for module, shapes in _groups(ctx).items():
        files[f"{module}.py"], own = _group_module(ctx, header, shapes, enum_names)
        for name in own:
            locations[name] = module
    files["models.py"] = _lazy_models_module(ctx, header, enum_names, locations)
    return files


def _base_module(ctx: Context, header: str) -> str:
    """``_models_base.py``: the enums and the document alias every group imports."""
    base_blocks = [emit_enum(ctx, s) for s in ctx.enums]
    return (
        f'{header}"""Enums and the document type of the {ctx.sdk_id} models."""\n\n'
        f"{model_imports()}{DOCUMENT_ALIAS}\n\n" + "\n\n".join(base_blocks)
    )


def _group_classes(ctx: Context, shapes: list[Shape]) -> tuple[list[str], set[str]]:
    """(the class definitions of a group, the class names it defines)."""
    own: set[str] = set()
    blocks = []
    for shape in shapes:
        if isinstance(shape, UnionShape):
            blocks.append(emit_union(ctx, shape))
            own.add(ctx.class_names[shape.id])
            own.update(
                ctx.union_variants[shape.id, n]
                for n in [*ctx.union_members(shape), UNKNOWN]
            )
        elif isinstance(shape, StructureShape):
            blocks.append(emit_structure(ctx, shape))
            own.add(ctx.class_names[shape.id])
    return blocks, own


def _group_module(
    ctx: Context, header: str, shapes: list[Shape], enum_names: list[str]
) -> tuple[str, set[str]]:
    """(the text of one group module, the class names it defines)."""
    blocks, own = _group_classes(ctx, shapes)
    referenced = {ctx.class_names[i] for i in _referenced(ctx, shapes)}
    enums_used = referenced & set(enum_names)
    if _uses_document(ctx, shapes):
        enums_used.add("Document")
    others = referenced - own - set(enum_names)
    type_only = _import_block(".models", others, "    ")
    text = (
        f'{header}"""{ctx.sdk_id} model classes (loaded on first use through models)."""\n\n'
        f"{model_imports('TYPE_CHECKING, TypeAlias')}\n"
        + _import_block("._models_base", enums_used)
        + (f"\nif TYPE_CHECKING:\n{type_only}" if type_only else "")
        + error_imports(error_variant_classes(ctx, shapes))
        + "\n\n"
        + "\n\n".join(blocks)
    )
    return text, own


def _lazy_models_module(
    ctx: Context, header: str, enum_names: list[str], locations: dict[str, str]
) -> str:
    """``models.py`` of a grouped package: each class imported from its group on first use."""
    by_module: dict[str, list[str]] = {}
    for name, module in sorted(locations.items()):
        by_module.setdefault(module, []).append(name)
    type_imports = "".join(
        _import_block(f".{m}", names, "    ") for m, names in by_module.items()
    )
    exported = sorted({"Document", *enum_names, *locations})
    mapping = "".join(f'    "{n}": "{m}",\n' for n, m in sorted(locations.items()))
    return (
        f'{header}"""Data shapes of the {ctx.sdk_id} service: enums, structures and unions.\n\n'
        "Classes live in group modules imported on first use, so that importing\n"
        "the package stays fast; import them from here.\n"
        '"""\n\n'
        "from __future__ import annotations\n\n"
        "import importlib\nfrom typing import TYPE_CHECKING, Any\n\n"
        + _import_block("._models_base", ["Document", *enum_names])
        + f"\nif TYPE_CHECKING:\n{type_imports}\n"
        + f"_MODULES: dict[str, str] = {{\n{mapping}}}\n\n"
        + "__all__ = [\n"
        + "".join(f'    "{n}",\n' for n in exported)
        + "]\n"
        + LAZY_GETATTR
    )
