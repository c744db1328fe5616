"""Locating the Smithy loader corpus in ../shared and comparing ASTs with it."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from tests.conftest import shared_dir

VALID_DIR = ("smithy", "idl-valid")
INVALID_DIR = ("smithy", "idl-invalid")
SHARED_MODEL = "__shared.json"

_LINE_RE = re.compile(r"line (\d+)")


def corpus_cases(*parts: str) -> list[str]:
    """Case paths (relative, as test ids) under a corpus folder; [] when absent.

    Collection must not fail without ../shared: each test then calls
    ``require_shared``, which skips (or fails under CI) with a reason.
    """
    root = shared_dir().joinpath(*parts)
    if not root.is_dir():
        return ["<corpus absent>"]
    return sorted(str(path.relative_to(root)) for path in root.rglob("*.smithy"))


def reference_line(path: Path) -> int | None:
    """The line number the reference message (line 1 of the case) names, if any."""
    first = path.read_text(encoding="utf-8").splitlines()[0]
    match = _LINE_RE.search(first)
    return int(match.group(1)) if match else None


def canonical_shapes(shapes: dict[str, Any]) -> dict[str, Any]:
    """Rewrite the two spellings the JSON AST allows for "nothing" into one.

    json-ast.rst: "a structure shape MAY omit the members property entirely
    if the structure contains no members", so ``"members": {}`` and no
    ``members`` are the same model; service-types.rst: an operation without
    ``input``/``output`` has ``smithy.api#Unit`` as input/output.  The
    corpus' expected files use both spellings (compare ``mixins/loads-mixins``
    with ``operations/*``), so both sides are put in one form before the
    comparison.  An operation with mixins is left alone: there an absent
    ``input`` means "inherited", not Unit.
    """
    canonical = {}
    for shape_id, shape in fold_copied_members(shapes).items():
        shape = dict(shape)
        if shape.get("type") in ("structure", "union") and shape.get("members") == {}:
            del shape["members"]
        if shape.get("type") == "operation" and "mixins" not in shape:
            for name in ("input", "output"):
                shape.setdefault(name, {"target": "smithy.api#Unit"})
        canonical[shape_id] = shape
    return canonical


def _member_names(shape: dict[str, Any]) -> list[str]:
    if "members" in shape:
        return list(shape["members"])
    return [name for name in ("member", "key", "value") if name in shape]


def _inherited_names(shapes: dict[str, Any], shape_id: str, seen: set[str]) -> set[str]:
    """Names of the members a shape's mixins provide, through mixins of mixins."""
    names: set[str] = set()
    for ref in shapes.get(shape_id, {}).get("mixins", []):
        mixin = ref["target"]
        if mixin in seen:
            continue
        seen.add(mixin)
        names.update(_member_names(shapes.get(mixin, {})))
        names |= _inherited_names(shapes, mixin, seen)
    return names


def fold_copied_members(shapes: dict[str, Any]) -> dict[str, Any]:
    """Spell a member copied from a mixin and given traits one way: as an apply.

    mixins.rst, "Adding and replacing traits on copied members": redefining the
    member in the shape and applying traits to it are the same model. Smithy's
    serializer prints the apply entry (no member); the corpus' hand-written
    expectations sometimes redefine the member (mixins/idl-mixins-redefine-member,
    mixins/enum-mixins). Smithy's runner compares loaded models, so both are
    brought to the serializer's spelling here.
    """
    folded = {shape_id: dict(shape) for shape_id, shape in shapes.items()}
    for shape_id, shape in list(folded.items()):
        if not shape.get("mixins"):
            continue
        inherited = _inherited_names(shapes, shape_id, set())
        if "members" in shape:
            shape["members"] = dict(shape["members"])
        for name in _member_names(shape):
            if name not in inherited:
                continue
            member = (
                shape["members"].pop(name) if "members" in shape else shape.pop(name)
            )
            member_id = f"{shape_id}${name}"
            applied = folded.get(member_id, {}).get("traits", {})
            traits = {**member.get("traits", {}), **applied}
            if traits:
                folded[member_id] = {"type": "apply", "traits": traits}
    return folded
