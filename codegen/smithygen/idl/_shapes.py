"""Small helpers over JSON AST shape dicts, shared by the assembler and the checks."""

from __future__ import annotations

from typing import Any

#: Shape types whose members live under ``members`` (lists and maps use
#: ``member``, ``key`` and ``value``).
MEMBERED = frozenset(("structure", "union", "enum", "intEnum"))


def members_of(shape: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """The members a JSON AST shape writes locally, keyed by member name."""
    if "members" in shape:
        members = shape["members"]
        return members if isinstance(members, dict) else {}
    return {
        name: shape[name]
        for name in ("member", "key", "value")
        if isinstance(shape.get(name), dict)
    }


def attach_member(shape: dict[str, Any], name: str, member: dict[str, Any]) -> None:
    """Add a member to a shape, under ``members`` or as ``member``/``key``/``value``."""
    if shape.get("type") in MEMBERED:
        shape.setdefault("members", {})[name] = member
    else:
        shape[name] = member
