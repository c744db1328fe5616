"""Trait values checked against the shapes that define the traits.

model.rst, "Trait values": the value of a trait MUST be compatible with the
trait's shape. A trait is defined by a shape with ``@trait`` in the loaded
model (user traits, and trait models such as aws.api when they are loaded)
or, for the prelude, by ``_prelude_traits``. The value is walked along that
shape: structure members (unknown and missing required ones), lists, maps,
unions, JSON types of simple shapes and the ranges of integer types, enum
values, and the constraint traits ``@length``, ``@range``, ``@pattern`` and
``@idRef`` (whose ``failWhenMissing`` is honoured; its selector is not
evaluated). Traits of namespaces no input defines are taken on trust.
"""

from __future__ import annotations

import re
from decimal import Decimal
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from smithygen.idl._prelude import PRELUDE_NAMESPACE, PRELUDE_SHAPE_TYPES
from smithygen.idl._prelude_traits import prelude_trait_shapes
from smithygen.idl._shapes import members_of

if TYPE_CHECKING:
    from smithygen.idl._validate import ModelChecker

_API = f"{PRELUDE_NAMESPACE}#"
_TRAIT = f"{_API}trait"
_REQUIRED = f"{_API}required"
_LENGTH = f"{_API}length"
_RANGE = f"{_API}range"
_PATTERN = f"{_API}pattern"
_ID_REF = f"{_API}idRef"
_ENUM_VALUE = f"{_API}enumValue"
_ENUM_TRAIT = f"{_API}enum"

#: Inclusive bounds of the fixed-size integer types (simple-types.rst).
_INT_BOUNDS = {
    "byte": (-(2**7), 2**7 - 1),
    "short": (-(2**15), 2**15 - 1),
    "integer": (-(2**31), 2**31 - 1),
    "long": (-(2**63), 2**63 - 1),
}
_FLOATS = frozenset(("float", "double", "bigDecimal"))
_SIMPLE_SHAPES: dict[str, dict[str, Any]] = {}
_NO_TRAITS: dict[str, Any] = {}
_CONSTRAINTS = frozenset((_LENGTH, _RANGE, _PATTERN, _ID_REF, _ENUM_TRAIT))
_ABSOLUTE_ID = re.compile(
    r"[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*#[A-Za-z_][A-Za-z0-9_]*"
    r"(?:\$[A-Za-z_][A-Za-z0-9_]*)?\Z"
)


def _describe(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, str):
        return "a string"
    return "an array" if isinstance(value, list) else "an object"


@lru_cache(maxsize=512)
def _compiled(pattern: str) -> re.Pattern[str] | None:
    try:
        return re.compile(pattern)
    except re.error:
        return None  # an ECMA 262 construct Python lacks: not checked


class TraitValueChecker:
    """Walks trait values along their definitions, collecting (path, problem)."""

    def __init__(self, checker: ModelChecker) -> None:
        self.checker = checker
        self.shapes = checker.shapes
        self.prelude = prelude_trait_shapes()
        #: trait id -> whether its definition is a string without constraints.
        self._plain_string_traits: dict[str, bool] = {}

    # --- definitions ------------------------------------------------------------

    def definition(self, trait_id: str) -> dict[str, Any] | None:
        """The shape defining a trait, or None when it is not loaded."""
        shape = self.shapes.get(trait_id)
        if shape is not None:
            return shape if _TRAIT in shape.get("traits", {}) else None
        found: dict[str, Any] | None = self.prelude.get(trait_id)
        return found

    def shape(self, shape_id: str) -> dict[str, Any] | None:
        found: dict[str, Any] | None = self.shapes.get(shape_id) or self.prelude.get(
            shape_id
        )
        if found is not None:
            return found
        namespace, _, name = shape_id.partition("#")
        kind = PRELUDE_SHAPE_TYPES.get(name) if namespace == PRELUDE_NAMESPACE else None
        return _SIMPLE_SHAPES.setdefault(kind, {"type": kind}) if kind else None

    def exists(self, shape_id: str) -> bool:
        """Whether the id names a shape (or member) of the model or prelude.

        Ids in namespaces no input defines (``aws.auth#sigv4`` when the
        aws.auth trait model is not loaded) are taken on trust.
        """
        root, _, member = shape_id.partition("$")
        if root.partition("#")[0] not in self.checker.assembler.namespaces:
            return True
        shape = self.shape(root)
        if shape is None:
            return False
        return not member or member in members_of(shape)

    # --- walking ------------------------------------------------------------------

    def problems(self, trait_id: str, value: Any) -> list[tuple[str, str]]:
        """(path inside the value, problem) for each problem; [] when valid."""
        found: list[tuple[str, str]] = []
        plain = self._plain_string_traits.get(trait_id)
        if plain is None:
            definition = self.definition(trait_id)
            plain = definition == {"type": "string"}
            self._plain_string_traits[trait_id] = plain
        if plain:
            # Most trait values are documentation: a string, nothing to walk.
            if not isinstance(value, str):
                found.append(("", f"expected a string, found {_describe(value)}"))
            return found
        shape = self.definition(trait_id)
        if shape is not None:
            self._value(found, "", shape, _NO_TRAITS, value)
        if trait_id in (_LENGTH, _RANGE) and value == {}:
            # constraint-traits.rst: "At least one of min, max is required."
            found.append(("", "at least one of min or max is required"))
        return found

    def _value(
        self,
        found: list[tuple[str, str]],
        path: str,
        shape: dict[str, Any],
        traits: dict[str, Any],
        value: Any,
    ) -> None:
        """``traits``: the traits of the member holding the value (they win)."""
        kind = shape.get("type")
        if kind == "document":
            return
        if kind in ("structure", "union"):
            self._object(found, path, shape, value, union=kind == "union")
        elif kind in ("list", "set"):
            self._list(found, path, shape, value)
        elif kind == "map":
            self._map(found, path, shape, value)
        elif kind in ("enum", "intEnum"):
            self._enum(found, path, shape, value)
        else:
            self._simple(found, path, str(kind), value)
        own = shape.get("traits", _NO_TRAITS)
        # Constraint traits are rare: most values need no second look.
        if not (_CONSTRAINTS.isdisjoint(own) and _CONSTRAINTS.isdisjoint(traits)):
            self._constraints(found, path, {**own, **traits}, value)

    def _member(
        self,
        found: list[tuple[str, str]],
        path: str,
        member: dict[str, Any],
        value: Any,
    ) -> None:
        target = self.shape(str(member.get("target")))
        if target is not None:
            self._value(found, path, target, member.get("traits", {}), value)

    def _object(
        self,
        found: list[tuple[str, str]],
        path: str,
        shape: dict[str, Any],
        value: Any,
        *,
        union: bool,
    ) -> None:
        if not isinstance(value, dict):
            found.append((path, f"expected an object, found {_describe(value)}"))
            return
        members = self._members(shape)
        for key, item in value.items():
            member = members.get(key)
            if member is None:
                known = ", ".join(members) or "none"
                found.append((path, f"unknown member `{key}` (members: {known})"))
            else:
                self._member(found, f"{path}.{key}", member, item)
        if union and len(value) != 1:
            found.append(
                (path, f"a union value sets exactly one member, found {len(value)}")
            )
        for name, member in members.items():
            if _REQUIRED in member.get("traits", {}) and name not in value:
                found.append((path, f"missing required member `{name}`"))

    def _members(self, shape: dict[str, Any]) -> dict[str, dict[str, Any]]:
        """Local members plus those copied from mixins."""
        if "mixins" not in shape:
            return members_of(shape)
        members = dict(members_of(shape))
        for mixin in shape["mixins"]:
            mixin_shape = self.shape(str(mixin.get("target")))
            if mixin_shape is not None:
                members = {**self._members(mixin_shape), **members}
        return members

    def _list(
        self, found: list[tuple[str, str]], path: str, shape: dict[str, Any], value: Any
    ) -> None:
        if not isinstance(value, list):
            found.append((path, f"expected an array, found {_describe(value)}"))
            return
        member = self._members(shape).get("member")
        if member is not None:
            for index, item in enumerate(value):
                self._member(found, f"{path}[{index}]", member, item)

    def _map(
        self, found: list[tuple[str, str]], path: str, shape: dict[str, Any], value: Any
    ) -> None:
        if not isinstance(value, dict):
            found.append((path, f"expected an object, found {_describe(value)}"))
            return
        members = self._members(shape)
        for key, item in value.items():
            if "key" in members:
                self._member(found, f"{path} (key {key!r})", members["key"], key)
            if "value" in members:
                self._member(found, f"{path}.{key}", members["value"], item)

    def _enum(
        self, found: list[tuple[str, str]], path: str, shape: dict[str, Any], value: Any
    ) -> None:
        is_int = shape.get("type") == "intEnum"
        allowed = [
            member.get("traits", {}).get(_ENUM_VALUE, None if is_int else name)
            for name, member in self._members(shape).items()
        ]
        if value not in allowed or isinstance(value, bool):
            listed = ", ".join(repr(v) for v in allowed)
            found.append((path, f"{value!r} is not one of the enum values {listed}"))

    def _simple(
        self, found: list[tuple[str, str]], path: str, kind: str, value: Any
    ) -> None:
        seen = _describe(value)
        if kind in ("string", "blob"):
            valid = isinstance(value, str)
            wanted = "a string"
        elif kind == "boolean":
            valid = isinstance(value, bool)
            wanted = "a boolean"
        elif kind == "timestamp":
            valid = seen in ("a string", "a number")
            wanted = "a string or a number"
        elif kind in _INT_BOUNDS or kind == "bigInteger":
            valid = seen == "a number" and (
                isinstance(value, int) or float(value).is_integer()
            )
            wanted = "an integer"
            low, high = _INT_BOUNDS.get(kind, (None, None))
            if (
                valid
                and low is not None
                and high is not None
                and not (low <= value <= high)
            ):
                found.append((path, f"{value} is out of the range of a {kind}"))
        elif kind in _FLOATS:
            valid = seen == "a number"
            wanted = "a number"
        else:
            return  # service, operation, resource: no value type to check
        if not valid:
            found.append((path, f"expected {wanted}, found {seen}"))

    def _constraints(
        self,
        found: list[tuple[str, str]],
        path: str,
        traits: dict[str, Any],
        value: Any,
    ) -> None:
        length = traits.get(_LENGTH)
        if isinstance(length, dict) and isinstance(value, str | list | dict):
            size = len(value)
            low, high = length.get("min"), length.get("max")
            if isinstance(low, int) and size < low:
                found.append((path, f"length {size} is below the minimum {low}"))
            if isinstance(high, int) and size > high:
                found.append((path, f"length {size} is above the maximum {high}"))
        bounds = traits.get(_RANGE)
        if isinstance(bounds, dict) and _describe(value) == "a number":
            number = Decimal(str(value))
            low, high = bounds.get("min"), bounds.get("max")
            if low is not None and number < Decimal(str(low)):
                found.append((path, f"{value} is below the minimum {low}"))
            if high is not None and number > Decimal(str(high)):
                found.append((path, f"{value} is above the maximum {high}"))
        pattern = traits.get(_PATTERN)
        if isinstance(pattern, str) and isinstance(value, str):
            compiled = _compiled(pattern)
            if compiled is not None and compiled.search(value) is None:
                found.append(
                    (path, f"{value!r} does not match the pattern {pattern!r}")
                )
        id_ref = traits.get(_ID_REF)
        if id_ref is not None and isinstance(value, str):
            if not _ABSOLUTE_ID.match(value):
                found.append((path, f"{value!r} is not an absolute shape id"))
            elif (
                isinstance(id_ref, dict)
                and id_ref.get("failWhenMissing") is True
                and not self.exists(value)
            ):
                found.append(
                    (path, f"`{value}` does not refer to a shape of the model")
                )
        enum = traits.get(_ENUM_TRAIT)
        if isinstance(enum, list) and isinstance(value, str):
            values = [e.get("value") for e in enum if isinstance(e, dict)]
            if value not in values:
                found.append((path, f"{value!r} is not one of the @enum values"))
