"""Checks of what shapes point at: targets exist and have the right kind.

Only clear-cut violations are reported: a reference to an undefined shape, a
member targeting an operation, an operation input that is not a structure, an
error without ``@error``, a trait that is not a trait shape, a default value
of the wrong JSON type for its target.  Deeper trait-value validation belongs
to the model validator, not the loader.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from smithygen.idl._prelude import PRELUDE_NAMESPACE, PRELUDE_TRAITS
from smithygen.idl._shapes import members_of
from smithygen.idl._syntax import DEFAULT, MIXIN

if TYPE_CHECKING:
    from smithygen.idl._validate import ModelChecker

_UNIT = f"{PRELUDE_NAMESPACE}#Unit"
_TRAIT = f"{PRELUDE_NAMESPACE}#trait"
_ERROR = f"{PRELUDE_NAMESPACE}#error"
_SINGLE_REFS = ("input", "output", "create", "put", "read", "update", "delete", "list")
_REF_LISTS = ("errors", "operations", "resources", "collectionOperations")
_NOT_MEMBER_TARGETS = frozenset(("operation", "service", "resource"))
_NUMBERS = frozenset(
    (
        "byte",
        "short",
        "integer",
        "long",
        "float",
        "double",
        "bigInteger",
        "bigDecimal",
        "intEnum",
    )
)


def _targets(shape: dict[str, Any]) -> list[tuple[str, str, str]]:
    """(description, member name or "", target) for every reference of a shape."""
    refs: list[tuple[str, str, str]] = []
    for name, member in members_of(shape).items():
        if isinstance(member.get("target"), str):
            refs.append((f"member `{name}`", name, member["target"]))
    for key in _SINGLE_REFS:
        ref = shape.get(key)
        if isinstance(ref, dict) and isinstance(ref.get("target"), str):
            refs.append((f"`{key}`", "", ref["target"]))
    for key in _REF_LISTS:
        for ref in shape.get(key, ()):
            if isinstance(ref, dict) and isinstance(ref.get("target"), str):
                refs.append((f"`{key}`", "", ref["target"]))
    for key in ("identifiers", "properties"):
        value = shape.get(key)
        if isinstance(value, dict):
            for name, ref in value.items():
                if isinstance(ref, dict) and isinstance(ref.get("target"), str):
                    refs.append((f"{key} `{name}`", "", ref["target"]))
    return refs


def _kind_problem(
    checker: ModelChecker, kind: str, role: str, target: str
) -> str | None:
    """What is wrong with a ``role`` reference (``member``, ``key``, ``input``...)."""
    target_type = checker.type_of(target)
    if target_type is None:
        return f"targets `{target}`, but no shape with this id is defined"
    target_shape = checker.shapes.get(target, {})
    if MIXIN in target_shape.get("traits", {}):
        return f"targets the mixin `{target}`; mixins can only be mixed into shapes"
    is_member = role in ("member", "key")
    is_io = kind == "operation" and role in ("input", "output")
    if target == _UNIT and not (
        (is_member and kind in ("union", "enum", "intEnum")) or is_io
    ):
        # model.rst, "Unit type": only operation input/output and union members.
        return f"targets `{_UNIT}`, which only unions and operations may use"
    if is_member and target_type in _NOT_MEMBER_TARGETS:
        return f"cannot target the {target_type} `{target}`"
    if role == "key" and target_type not in ("string", "enum"):
        return (
            f"must target a string or enum shape, but `{target}` has type {target_type}"
        )
    if is_io and target != _UNIT and target_type != "structure":
        return f"must target a structure, but `{target}` has type {target_type}"
    if role == "errors" and (
        target_type != "structure"
        or (target in checker.shapes and _ERROR not in target_shape.get("traits", {}))
    ):
        return f"must target structures with the @error trait, but found `{target}`"
    return None


def _default_problem(checker: ModelChecker, target: str, value: Any) -> str | None:
    """Why ``value`` cannot be the @default of a member targeting ``target``."""
    if value is None:
        return None
    kind = checker.type_of(target)
    if kind is None or kind == "document":
        return None
    if kind in ("string", "enum", "blob"):
        valid = isinstance(value, str)
    elif kind == "boolean":
        valid = isinstance(value, bool)
    elif kind in _NUMBERS:
        valid = isinstance(value, (int, float)) and not isinstance(value, bool)
    elif kind == "timestamp":
        valid = isinstance(value, (int, float, str)) and not isinstance(value, bool)
    elif kind in ("list", "set"):
        valid = value == []
    elif kind == "map":
        valid = value == {}
    else:
        valid = False
    if valid:
        return None
    return f"the default value {value!r} is not valid for the {kind} `{target}`"


def _trait_problem(checker: ModelChecker, trait_id: str) -> str | None:
    namespace, _, name = trait_id.partition("#")
    if namespace == PRELUDE_NAMESPACE and name in PRELUDE_TRAITS:
        return None
    if namespace == PRELUDE_NAMESPACE and trait_id not in checker.shapes:
        return f"`{trait_id}` is applied as a trait but is not a trait shape"
    shape = checker.shapes.get(trait_id)
    if shape is not None and _TRAIT not in shape.get("traits", {}):
        return f"`{trait_id}` is applied as a trait but has no @trait trait"
    return None


def _check_references(
    checker: ModelChecker, shape_id: str, shape: dict[str, Any]
) -> None:
    assembler = checker.assembler
    kind = str(shape.get("type"))
    cache = checker.reference_problems
    for what, member, target in _targets(shape):
        if member:
            role = "key" if member == "key" and kind == "map" else "member"
        else:
            role = what.strip("`")
        key = (kind, role, target)
        if key not in cache:
            cache[key] = _kind_problem(checker, kind, role, target)
        problem = cache[key]
        if problem is not None:
            origin = (
                assembler.target_origins.get((shape_id, member)) if member else None
            )
            assembler.error(
                origin or assembler.origin_of(shape_id), f"{shape_id}: {what} {problem}"
            )


def _check_defaults(
    checker: ModelChecker, shape_id: str, shape: dict[str, Any]
) -> None:
    for name, member in members_of(shape).items():
        traits = member.get("traits", {})
        if DEFAULT not in traits or not isinstance(member.get("target"), str):
            continue
        if shape.get("type") != "structure":
            problem: str | None = "only structure members can have a default value"
        else:
            problem = _default_problem(checker, member["target"], traits[DEFAULT])
        if problem is not None:
            checker.assembler.error(
                checker.assembler.origin_of(shape_id), f"{shape_id}${name}: {problem}"
            )


def _check_trait_shapes(
    checker: ModelChecker, shape_id: str, shape: dict[str, Any]
) -> None:
    owners = [(shape_id, shape.get("traits", {}))]
    owners.extend(
        (f"{shape_id}${name}", member.get("traits", {}))
        for name, member in members_of(shape).items()
    )
    for owner, traits in owners:
        for trait_id in traits:
            problem = _trait_problem(checker, trait_id)
            if problem is not None:
                checker.assembler.error(
                    checker.assembler.origin_of(shape_id), f"{owner}: {problem}"
                )


def check_shape(checker: ModelChecker, shape_id: str, shape: dict[str, Any]) -> None:
    """Report every reference, default-value and trait-shape problem of one shape."""
    _check_references(checker, shape_id, shape)
    _check_defaults(checker, shape_id, shape)
    _check_trait_shapes(checker, shape_id, shape)
