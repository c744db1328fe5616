"""Protocol-test ``params`` (Smithy node values) as generated Python objects, and
a deep comparison of generated objects that treats NaN and instants properly.

Names come from the generator's own ``Context`` (member attributes, class
names, union variant classes), so the harness never re-implements naming.

Spec: http-protocol-compliance-tests.rst, "Parameter format": timestamps are
epoch seconds, and binary values are given as plain text ("foo", never its
base64 form), so a blob param is the UTF-8 bytes of the string.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from enum import Enum
from types import ModuleType
from typing import Any

import attrs
from smithy_python.model import (
    EnumShape,
    IntEnumShape,
    ListShape,
    MapShape,
    Shape,
    ShapeType,
    StructureShape,
    UnionShape,
)
from smithygen.emit.context import Context

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_INTEGERS = frozenset(
    {
        ShapeType.BYTE,
        ShapeType.SHORT,
        ShapeType.INTEGER,
        ShapeType.LONG,
        ShapeType.BIG_INTEGER,
    }
)


class ParamsError(Exception):
    """The test case's params do not fit the shapes they are meant for."""


def epoch_to_datetime(value: int | float | str) -> datetime:
    """Epoch seconds to an aware UTC datetime, exact to the microsecond."""
    # Decimal avoids binary-float drift (946845296.123 must give .123000).
    seconds = Decimal(str(value))
    whole = int(seconds.to_integral_value(rounding="ROUND_FLOOR"))
    micros = int(((seconds - whole) * 1_000_000).to_integral_value())
    return _EPOCH + timedelta(seconds=whole, microseconds=micros)


class Converter:
    """Builds generated objects (models, union variants, errors) from params."""

    def __init__(self, ctx: Context, models: ModuleType, errors: ModuleType) -> None:
        self.ctx = ctx
        self.models = models
        self.errors = errors

    def _class(self, shape: Shape) -> Any:
        name = self.ctx.class_of(shape.id)
        module = self.errors if self.ctx.is_error(shape) else self.models
        return getattr(module, name)

    def kwargs(self, node: Any, shape: Shape) -> dict[str, Any]:
        """Keyword arguments (snake_case attributes) for a structure's members."""
        if not isinstance(node, Mapping):
            raise ParamsError(f"{shape.id}: params should be an object, got {node!r}")
        members = {m.shape.name: m for m in self.ctx.members(shape)}
        unknown = sorted(set(node) - set(members))
        if unknown:
            raise ParamsError(f"{shape.id} has no member(s) {', '.join(unknown)}")
        return {
            members[name].attr: None
            if value is None
            else self.value(value, members[name].target)
            for name, value in node.items()
        }

    def structure(self, node: Any, shape: Shape) -> Any:
        """An instance of the structure's generated class."""
        return self._class(shape)(**self.kwargs(node, shape))

    def value(self, node: Any, shape: Shape) -> Any:
        """The Python value of a params node for a value of ``shape``."""
        ctx = self.ctx
        if isinstance(shape, StructureShape):
            return self.structure(node, shape)
        if isinstance(shape, UnionShape):
            if not isinstance(node, Mapping) or len(node) != 1:
                raise ParamsError(f"{shape.id}: a union value sets exactly one member")
            ((name, inner),) = node.items()
            if name not in shape.members:
                raise ParamsError(f"{shape.id} has no member {name}")
            variant = getattr(self.models, ctx.union_variants[shape.id, name])
            target = ctx.model.get_target(shape.members[name])
            if ctx.is_unit(target.id):
                return variant()
            return variant(value=self.value(inner, target))
        if isinstance(shape, ListShape):
            element = ctx.model.get_target(shape.member)
            return [None if v is None else self.value(v, element) for v in node]
        if isinstance(shape, MapShape):
            element = ctx.model.get_target(shape.value)
            return {
                k: None if v is None else self.value(v, element)
                for k, v in node.items()
            }
        if isinstance(shape, EnumShape | IntEnumShape):
            enum = getattr(self.models, ctx.class_of(shape.id))
            try:
                return enum(node)
            except ValueError:
                return node  # open enums: an unknown value stays raw
        kind = shape.type
        if kind is ShapeType.TIMESTAMP:
            return epoch_to_datetime(node)
        if kind is ShapeType.BLOB:
            return node.encode("utf-8") if isinstance(node, str) else bytes(node)
        if kind in (ShapeType.FLOAT, ShapeType.DOUBLE):
            return float(node)  # also "NaN", "Infinity", "-Infinity"
        if kind is ShapeType.BIG_DECIMAL:
            return Decimal(str(node))
        if kind in _INTEGERS:
            return int(node)
        return node  # string, boolean, document: the JSON value itself


def assert_same(actual: Any, expected: Any, path: str = "$") -> None:
    """Deep equality with a path in the failure; NaN equals NaN, types must match.

    Objects of generated attrs classes must be of the same class, and every
    field is compared. bool is never equal to an int (1 == True in Python).
    """
    if attrs.has(type(expected)):
        assert type(actual) is type(expected), (
            f"{path}: expected {type(expected).__name__}, got {actual!r}"
        )
        for field in attrs.fields(type(expected)):
            assert_same(
                getattr(actual, field.name),
                getattr(expected, field.name),
                f"{path}.{field.name}",
            )
        return
    if isinstance(expected, float) and isinstance(actual, float):
        if math.isnan(expected):
            assert math.isnan(actual), f"{path}: expected NaN, got {actual!r}"
        else:
            assert actual == expected, f"{path}: expected {expected!r}, got {actual!r}"
        return
    if isinstance(expected, list):
        assert isinstance(actual, list), f"{path}: expected a list, got {actual!r}"
        assert len(actual) == len(expected), (
            f"{path}: expected {len(expected)} elements, got {len(actual)}: {actual!r}"
        )
        for i, (a, e) in enumerate(zip(actual, expected, strict=True)):
            assert_same(a, e, f"{path}[{i}]")
        return
    if isinstance(expected, dict):
        assert isinstance(actual, dict), f"{path}: expected a map, got {actual!r}"
        assert set(actual) == set(expected), (
            f"{path}: expected keys {sorted(expected)}, got {sorted(actual)}"
        )
        for key in expected:
            assert_same(actual[key], expected[key], f"{path}[{key!r}]")
        return
    if isinstance(expected, datetime):
        assert isinstance(actual, datetime), (
            f"{path}: expected a datetime, got {actual!r}"
        )
        assert actual.tzinfo is not None, f"{path}: naive datetime {actual!r}"
        assert actual == expected, f"{path}: expected {expected!r}, got {actual!r}"
        return
    if isinstance(expected, bool) or isinstance(actual, bool):
        assert actual is expected, f"{path}: expected {expected!r}, got {actual!r}"
        return
    if isinstance(expected, Enum) or isinstance(actual, Enum):
        # An open enum member and its raw value are the same wire value.
        assert _raw(actual) == _raw(expected), (
            f"{path}: expected {expected!r}, got {actual!r}"
        )
        return
    # A float member may arrive as a JSON integer (1 for 1.0); an integer may not
    # arrive as a float.
    assert type(actual) is type(expected) or (
        isinstance(expected, float) and type(actual) is int
    ), f"{path}: expected {type(expected).__name__} {expected!r}, got {actual!r}"
    assert actual == expected, f"{path}: expected {expected!r}, got {actual!r}"


def _raw(value: Any) -> Any:
    return value.value if isinstance(value, Enum) else value


def json_equal(actual: Any, expected: Any, path: str = "$") -> None:
    """JSON value equality: objects unordered, numbers by value, bools strictly."""
    if isinstance(expected, dict):
        assert isinstance(actual, dict), f"{path}: expected an object, got {actual!r}"
        assert set(actual) == set(expected), (
            f"{path}: expected keys {sorted(expected)}, got {sorted(actual)}"
        )
        for key in expected:
            json_equal(actual[key], expected[key], f"{path}.{key}")
    elif isinstance(expected, list):
        assert isinstance(actual, list), f"{path}: expected an array, got {actual!r}"
        assert len(actual) == len(expected), (
            f"{path}: expected {len(expected)} elements, got {actual!r}"
        )
        for i, (a, e) in enumerate(zip(actual, expected, strict=True)):
            json_equal(a, e, f"{path}[{i}]")
    elif isinstance(expected, bool) or isinstance(actual, bool) or expected is None:
        assert actual is expected, f"{path}: expected {expected!r}, got {actual!r}"
    elif isinstance(expected, int | float):
        assert isinstance(actual, int | float), (
            f"{path}: expected a number, got {actual!r}"
        )
        assert actual == expected, f"{path}: expected {expected!r}, got {actual!r}"
    else:
        assert actual == expected, f"{path}: expected {expected!r}, got {actual!r}"
