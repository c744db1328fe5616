"""What the assembler and the model checks share: shape dict helpers, origins, views.

The checks (``_validate``, ``_references``, ``_trait_values``) see the assembler and each other
through the ``ModelSource`` and ``ShapeChecker`` protocols below, so the
modules import only this one and not each other.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Protocol

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


@dataclass(slots=True)
class Origin:
    """Where something was written, for diagnostics."""

    filename: str
    text: str
    pos: int


class ModelSource(Protocol):
    """What the model checks read from the assembler that collected the shapes."""

    shapes: dict[str, dict[str, Any]]
    namespaces: set[str]
    elided: dict[tuple[str, str], Origin]
    bound_resources: dict[str, tuple[str, Origin]]
    target_origins: dict[tuple[str, str], Origin]
    inherited_member_traits: dict[str, dict[str, Any]]
    trait_origins: dict[tuple[str, str], Origin]

    def error(self, origin: Origin, message: str) -> None:
        """Record one problem at ``origin``."""

    def origin_of(self, shape_id: str) -> Origin:
        """Where a shape (or the shape of a member id) was defined."""


class ShapeChecker(Protocol):
    """What the reference checks need of the whole-model checker."""

    assembler: ModelSource
    shapes: dict[str, dict[str, Any]]
    reference_problems: dict[tuple[str, str, str], str | None]

    def type_of(self, shape_id: str) -> str | None:
        """The type of a shape, prelude shapes included; None when undefined."""
