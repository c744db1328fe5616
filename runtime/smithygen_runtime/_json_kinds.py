"""The rows of a deserializer table and the kinds of value they read.

``_json_reader`` builds readers from tables of these rows: ``member`` for a
structure's member, ``variant`` for a union's, and a kind for each value
(the constants below, an ``EnumReader``, or ``shape(stem)`` for another
table). A kind knows how the careful reader converts a value (``careful``,
the same converters the readers of ``_deserialize`` use) and which
statements the compiled reader runs for it (``fast_check``,
``fast_convert``), so both read exactly the same.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from datetime import UTC, datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from ._deserialize import EnumReader, parse_date_time, parse_http_date
from ._serde import (
    EPOCH,
    expect_bool,
    expect_decimal,
    expect_int,
    expect_str,
    parse_blob,
    parse_float,
    parse_timestamp_epoch,
)

if TYPE_CHECKING:
    from ._json_reader import Reader

__all__ = [
    "BIG_DECIMAL",
    "BLOB",
    "BOOLEAN",
    "DATE_TIME",
    "DOCUMENT",
    "EPOCH_SECONDS",
    "FLOAT",
    "HTTP_DATE",
    "INTEGER",
    "STRING",
    "UNIT",
    "ZERO",
    "Kind",
    "member",
    "shape",
    "variant",
]


class Kind:
    """How one value of a member, element or variant is read.

    ``careful`` converts a non-null value or raises TypeError / ValueError /
    WrongShape. The compiled reader does the same to a non-null local
    ``var`` in two steps: it gives up when ``fast_check`` (a condition, or
    None for no check) holds, then runs the ``fast_convert`` statements,
    which put the names they use in ``names``. ``zero`` is what a required
    member the service left out reads as ("Client error correction").
    """

    def careful(self, value: Any) -> Any:
        raise NotImplementedError

    def fast_check(self, var: str) -> str | None:
        return None

    def fast_convert(self, names: dict[str, Any], tag: str, var: str) -> list[str]:
        return []

    def zero(self) -> Any:
        return None


class _Named(Kind):
    """A kind named by its constant, read carefully by one runtime converter."""

    def __init__(self, name: str, convert: Callable[[Any], Any], zero: Any):
        self.name = name
        self.convert = convert
        self._zero = zero

    def __repr__(self) -> str:
        return self.name

    def careful(self, value: Any) -> Any:
        return self.convert(value)

    def zero(self) -> Any:
        return self._zero


class _Exact(_Named):
    """A JSON type taken as it is when exact (a boolean is not an integer)."""

    def __init__(
        self, name: str, py_type: type, convert: Callable[[Any], Any], zero: Any
    ):
        super().__init__(name, convert, zero)
        self.py_type = py_type

    def fast_check(self, var: str) -> str | None:
        return f"type({var}) is not {self.py_type.__name__}"


class _Converted(_Named):
    """A value the shared runtime converter reads (fast and careful alike)."""

    def fast_convert(self, names: dict[str, Any], tag: str, var: str) -> list[str]:
        names[f"convert_{tag}"] = self.convert
        return [f"{var} = convert_{tag}({var})"]


class _Float(_Converted):
    """A float or double: a JSON number as it is, anything else through parse_float."""

    def fast_convert(self, names: dict[str, Any], tag: str, var: str) -> list[str]:
        names[f"convert_{tag}"] = self.convert
        return [f"if type({var}) is not float: {var} = convert_{tag}({var})"]


class _EpochSeconds(_Converted):
    """A timestamp in epoch seconds; a number goes straight to fromtimestamp."""

    def fast_convert(self, names: dict[str, Any], tag: str, var: str) -> list[str]:
        names.update(_fromtimestamp=datetime.fromtimestamp, _UTC=UTC)
        names[f"convert_{tag}"] = self.convert
        return [
            f"if type({var}) is int or type({var}) is float:",
            f"    {var} = _fromtimestamp({var}, _UTC)",
            f"else: {var} = convert_{tag}({var})",
        ]


class _Document(Kind):
    """A ``document``: any JSON value, taken as it is."""

    def __repr__(self) -> str:
        return "DOCUMENT"

    def careful(self, value: Any) -> Any:
        return value


class _Unit(Kind):
    """A union variant without a value (``smithy.api#Unit``)."""

    def __repr__(self) -> str:
        return "UNIT"


STRING: Kind = _Exact("STRING", str, expect_str, "")
INTEGER: Kind = _Exact("INTEGER", int, expect_int, 0)
"""byte, short, integer, long and bigInteger alike."""
BOOLEAN: Kind = _Exact("BOOLEAN", bool, expect_bool, False)
FLOAT: Kind = _Float("FLOAT", parse_float, 0.0)
"""float and double: numbers, and the strings "NaN", "Infinity", "-Infinity"."""
BIG_DECIMAL: Kind = _Converted("BIG_DECIMAL", expect_decimal, Decimal(0))
BLOB: Kind = _Converted("BLOB", parse_blob, b"")
EPOCH_SECONDS: Kind = _EpochSeconds("EPOCH_SECONDS", parse_timestamp_epoch, EPOCH)
DATE_TIME: Kind = _Converted("DATE_TIME", parse_date_time, EPOCH)
HTTP_DATE: Kind = _Converted("HTTP_DATE", parse_http_date, EPOCH)
DOCUMENT: Kind = _Document()
UNIT: Kind = _Unit()


class _Enum(Kind):
    """An enum or intEnum: its member for a known value, the value itself else."""

    def __init__(self, reader: EnumReader[Any]):
        self.reader = reader

    def __repr__(self) -> str:
        return repr(self.reader)

    def careful(self, value: Any) -> Any:
        return self.reader(value)

    def fast_check(self, var: str) -> str | None:
        return f"type({var}) is not {self.reader._wire_type.__name__}"

    def fast_convert(self, names: dict[str, Any], tag: str, var: str) -> list[str]:
        names[f"members_{tag}"] = self.reader._members.get
        return [f"{var} = members_{tag}({var}, {var})"]

    def zero(self) -> Any:
        return 0 if self.reader._wire_type is int else ""


class _Zero:
    """The ``default`` of a required member without one: its kind's zero value."""

    def __repr__(self) -> str:
        return "ZERO"


ZERO: Any = _Zero()


class _Member:
    """One row of a structure's table."""

    __slots__ = ("attr", "default", "kind", "wire")

    def __init__(
        self, attr: str, wire: str, kind: Kind | EnumReader[Any], default: Any
    ):
        if not attr.isidentifier():
            raise ValueError(f"member attribute {attr!r} is not a Python name")
        self.attr = attr
        self.wire = wire
        self.kind = _as_kind(kind)
        self.default = default

    def absent(self) -> Any:
        """What the member reads as when the document leaves it out (or null)."""
        default = self.default
        if default is ZERO:
            return self.kind.zero()
        if type(default) is list or type(default) is dict:
            # Each object gets its own (a model default list or map is empty;
            # a document default may not be).
            return copy.deepcopy(default)
        return default


def member(
    attr: str, wire: str, kind: Kind | EnumReader[Any], *, default: Any = None
) -> _Member:
    """A structure member: attribute, wire key, kind, value when absent."""
    return _Member(attr, wire, kind, default)


class _Variant:
    """One member of a union's table."""

    __slots__ = ("class_name", "kind", "wire")

    def __init__(self, wire: str, class_name: str, kind: Kind | EnumReader[Any]):
        self.wire = wire
        self.class_name = class_name
        self.kind = _as_kind(kind)


def variant(wire: str, class_name: str, kind: Kind | EnumReader[Any]) -> _Variant:
    """A union member: wire key, its variant class, its value's kind (UNIT for none)."""
    return _Variant(wire, class_name, kind)


def _as_kind(kind: Kind | EnumReader[Any]) -> Kind:
    if isinstance(kind, EnumReader):
        return _Enum(kind)
    return kind


class _ShapeRef(Kind):
    """A member whose value is another table of the same package."""

    def __init__(self, stem: str):
        self.stem = stem
        self.table: Reader[Any] | None = None  # bound by JsonReaders on first use

    def __repr__(self) -> str:
        return f"shape({self.stem!r})"

    def careful(self, value: Any) -> Any:
        assert self.table is not None
        return self.table.careful(value)

    def fast_convert(self, names: dict[str, Any], tag: str, var: str) -> list[str]:
        assert self.table is not None
        name = f"read_{tag}"
        names[name] = self.table.ready() or self.table.fast_trampoline(names, name)
        return [f"{var} = {name}({var})"]

    def zero(self) -> Any:
        assert self.table is not None
        return self.table.zero()


def shape(stem: str) -> Kind:
    """A member, element or variant whose value is the package's table ``stem``."""
    return _ShapeRef(stem)
