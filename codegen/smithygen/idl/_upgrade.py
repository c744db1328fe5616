"""Shapes of IDL 1.0 files (and 1.0 JSON AST documents) given Smithy 2.0 semantics.

The loader prints a Smithy 2.0 JSON AST, so what 1.0 expressed with its own
rules is written the 2.0 way, as Smithy's reference loader does when it loads
a 1.0 model:

- ``set`` no longer exists: a set becomes a ``list`` with ``@uniqueItems``
  (mapping-shapes-to-languages.rst, "Ignore set shapes from Smithy 1.0").
- In 1.0, byte, short, integer, long, float, double and boolean shapes are
  primitive (never null, zero when absent) unless marked ``@box``; the prelude's
  ``Primitive*`` shapes are. In 2.0 that is a default value: a primitive root
  shape gets ``@default(0)`` (``false`` for booleans), and a structure member
  targeting a primitive shape gets the same default, unless the member is
  ``@box``, which makes it nullable: ``@default(null)`` then, when its target
  has a default.

The ``@box`` traits the 1.0 model wrote stay where they are: they are the only
trace, as in Smithy's own output, that a shape came from a 1.0 model.
"""

from __future__ import annotations

from typing import Any

from smithygen.idl._prelude import PRELUDE_NAMESPACE

_BOX = f"{PRELUDE_NAMESPACE}#box"
_DEFAULT = f"{PRELUDE_NAMESPACE}#default"
_UNIQUE_ITEMS = f"{PRELUDE_NAMESPACE}#uniqueItems"
_ZERO: dict[str, Any] = {
    "byte": 0,
    "short": 0,
    "integer": 0,
    "long": 0,
    "float": 0,
    "double": 0,
    "boolean": False,
}
#: The prelude's primitive shapes and their 2.0 defaults (prelude.smithy).
_PRELUDE_PRIMITIVES = {
    f"{PRELUDE_NAMESPACE}#Primitive{name}": zero
    for name, zero in (
        ("Boolean", False),
        ("Byte", 0),
        ("Short", 0),
        ("Integer", 0),
        ("Long", 0),
        ("Float", 0),
        ("Double", 0),
    )
}


def _upgrade_set(shape: dict[str, Any]) -> None:
    shape["type"] = "list"
    shape.setdefault("traits", {}).setdefault(_UNIQUE_ITEMS, {})


def _upgrade_primitive_root(shape: dict[str, Any]) -> None:
    traits = shape.get("traits", {})
    if _BOX not in traits and _DEFAULT not in traits:
        shape["traits"] = {**traits, _DEFAULT: _ZERO[shape["type"]]}


def _target_default(shapes: dict[str, Any], target: str) -> tuple[bool, Any]:
    """(whether the target has a default, the default) after root upgrades."""
    if target in _PRELUDE_PRIMITIVES:
        return True, _PRELUDE_PRIMITIVES[target]
    traits = shapes.get(target, {}).get("traits", {})
    if _DEFAULT in traits and traits[_DEFAULT] is not None:
        return True, traits[_DEFAULT]
    return False, None


def _upgrade_members(shapes: dict[str, Any], shape: dict[str, Any]) -> None:
    for member in shape.get("members", {}).values():
        traits = member.get("traits", {})
        target = member.get("target")
        if _DEFAULT in traits or not isinstance(target, str):
            continue
        has_default, zero = _target_default(shapes, target)
        if not has_default:
            continue
        member["traits"] = {**traits, _DEFAULT: None if _BOX in traits else zero}


def upgrade_v1_shapes(shapes: dict[str, Any], v1_shape_ids: set[str]) -> None:
    """Rewrite, in place, the shapes that 1.0 files or documents defined."""
    upgraded = [s for s in v1_shape_ids if isinstance(shapes.get(s), dict)]
    for shape_id in upgraded:
        shape = shapes[shape_id]
        if shape.get("type") == "set":
            _upgrade_set(shape)
        elif shape.get("type") in _ZERO:
            _upgrade_primitive_root(shape)
    # Members after every root: a member may target a primitive defined later.
    for shape_id in upgraded:
        if shapes[shape_id].get("type") == "structure":
            _upgrade_members(shapes, shapes[shape_id])
