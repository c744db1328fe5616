"""Readers generated deserializers call: one member of a JSON object, one collection.

A response is trusted for nothing but its JSON types. Each reader checks the
type of the value it reads and, when it is wrong, raises ``WrongShape``
naming the member; readers of nested values add their own member name or
index as the error passes through them, so the client can report the whole
path (``InventoryDeletions[3].DeletionSummary.TotalCount``) in its
``ResponseParseError``.

Generated code reads like this::

    def de_inventory_deletion_summary(data: Any) -> models.InventoryDeletionSummary:
        data = expect_map(data)
        return models.InventoryDeletionSummary(
            total_count=read_int(data, "TotalCount", 0),
            summary_items=read_member(data, "SummaryItems", de_summary_items),
        )

A missing member (absent or ``null``) reads as ``default``: ``None`` for an
optional member, the model's default, or the zero value of a required member
the service failed to send (Smithy "Client error correction").
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from datetime import datetime
from enum import Enum
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from ._errors import ResponseParseError

if TYPE_CHECKING:
    from ._errors import ServiceError
    from ._specs import ServiceSpec
from ._serde import _parse_date_time, json_type_name, parse_timestamp

__all__ = [
    "EnumReader",
    "WrongShape",
    "as_document",
    "list_of",
    "map_of",
    "modeled_error",
    "output_constructor",
    "parse_date_time",
    "parse_http_date",
    "read_bool",
    "read_int",
    "read_member",
    "read_str",
    "unreadable_output",
]

T = TypeVar("T")
D = TypeVar("D")
E = TypeVar("E", bound=Enum)


class WrongShape(TypeError):
    """A response value does not have the type its member's shape needs.

    ``segments`` lists the member names and indexes from the innermost
    outwards, as the error passes through the readers; ``path`` joins them
    outermost first. The client turns this into ``ResponseParseError``.
    """

    def __init__(self, problem: str, segment: str | int | None = None) -> None:
        super().__init__(problem)
        self.problem = problem
        self.segments: list[str | int] = [] if segment is None else [segment]

    def within(self, segment: str | int) -> WrongShape:
        """This error, one level further out (``segment`` is its container's key)."""
        self.segments.append(segment)
        return self

    @property
    def path(self) -> str:
        """``Outer[3].Inner.Leaf``: member names joined by dots, indexes in brackets."""
        text = ""
        for segment in reversed(self.segments):
            if isinstance(segment, int):
                text += f"[{segment}]"
            elif isinstance(segment, _MapKey):
                text += f"[{str(segment)!r}]"
            else:
                text += f".{segment}" if text else segment
        return text

    def __str__(self) -> str:
        path = self.path
        return f"{path}: {self.problem}" if path else self.problem


def unreadable_output(
    operation: str, exc: Exception, status: int, request_id: str | None
) -> ResponseParseError:
    """The ResponseParseError for an output its deserializer could not read.

    A ``WrongShape`` names the member path; any other exception from the
    readers (KeyError, TypeError...) is named with its type.
    """
    if isinstance(exc, WrongShape):
        return ResponseParseError(
            f"{operation} response member {exc.path or '(body)'}: {exc.problem}",
            status_code=status,
            request_id=request_id,
            path=exc.path or None,
        )
    return ResponseParseError(
        f"{operation} response does not have the modeled shape "
        f"({type(exc).__name__}: {exc})",
        status_code=status,
        request_id=request_id,
    )


def modeled_error(
    service: ServiceSpec,
    operation_errors: Mapping[str, type[ServiceError]],
    code: str,
    read_members: Callable[[], Mapping[str, Any]],
    *,
    message: str,
    status: int,
    request_id: str | None,
) -> ServiceError:
    """The error an error response's ``code`` names, built from its members.

    The operation's errors first, then the service's, else its unknown error
    (keeping ``code``, its fault from the status). ``read_members`` reads the
    body's members (an XML error element is read here, so a wrong shape in
    it is caught too): members of the wrong shape make a ResponseParseError
    naming the code, every protocol's error reading ends the same way.
    """
    unknown = service.unknown_error
    cls = operation_errors.get(code) or service.errors.get(code) or unknown
    try:
        error = cls._from_wire(
            read_members(),
            code=code,
            message=message,
            status_code=status,
            request_id=request_id,
        )
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        raise ResponseParseError(
            f"error response {code} (HTTP {status}) has members of the wrong "
            f"shape: {exc.__class__.__name__}: {exc}",
            status_code=status,
            request_id=request_id,
        ) from None
    if cls is unknown:
        error.code = code
        error.fault = "server" if status >= 500 else "client"
    return error


class _MapKey(str):
    """A map key in a path: shown as ``Tags['name']`` rather than ``Tags.name``."""

    __slots__ = ()


def _wrong_type(expected: str, value: object) -> str:
    return f"expected {expected}, got {json_type_name(value)}"


def read_str(data: Mapping[str, Any], key: str, default: D = None) -> str | D:  # type: ignore[assignment]
    """The string member ``key`` of ``data``; ``default`` when absent or null."""
    value = data.get(key)
    if type(value) is str:
        return value
    if value is None:
        return default
    raise WrongShape(_wrong_type("a string", value), key)


def read_int(data: Mapping[str, Any], key: str, default: D = None) -> int | D:  # type: ignore[assignment]
    """The integer member ``key`` (a boolean is not an integer here)."""
    value = data.get(key)
    if type(value) is int:
        return value
    if value is None:
        return default
    raise WrongShape(_wrong_type("an integer", value), key)


def read_bool(data: Mapping[str, Any], key: str, default: D = None) -> bool | D:  # type: ignore[assignment]
    """The boolean member ``key``."""
    value = data.get(key)
    if type(value) is bool:
        return value
    if value is None:
        return default
    raise WrongShape(_wrong_type("a boolean", value), key)


def read_member(
    data: Mapping[str, Any],
    key: str,
    convert: Callable[[Any], T],
    default: D = None,  # type: ignore[assignment]
) -> T | D:
    """Member ``key`` converted by ``convert`` (a nested deserializer, a parser).

    A ``TypeError`` or ``ValueError`` from ``convert`` (a timestamp out of
    range, bad base64) becomes ``WrongShape`` at this member.
    """
    value = data.get(key)
    if value is None:
        return default
    try:
        return convert(value)
    except WrongShape as error:
        raise error.within(key) from None
    except (TypeError, ValueError, OverflowError) as error:
        raise WrongShape(str(error), key) from None


def list_of(
    value: Any, convert: Callable[[Any], T], *, sparse: bool = False
) -> list[T]:
    """A JSON array read element by element.

    A ``null`` element is dropped from a dense list (its Python type cannot
    hold one) and kept as ``None`` in a ``@sparse`` one.
    """
    if type(value) is not list:
        raise WrongShape(_wrong_type("an array", value))
    try:
        if sparse:
            return [None if e is None else convert(e) for e in value]  # type: ignore[misc]
        return [convert(e) for e in value if e is not None]
    except (TypeError, ValueError, OverflowError) as error:
        # Rare: read the elements again one by one to name the bad one. A
        # comprehension is the fast path (about 15 % faster per page).
        raise _at_bad_element(error, enumerate(value), convert) from None


def _at_bad_element(
    error: Exception, elements: Iterable[tuple[Any, Any]], convert: Callable[[Any], Any]
) -> WrongShape:
    """``error`` as a WrongShape at the index or key of the element that raised it."""
    for segment, element in elements:
        if element is None:
            continue
        try:
            convert(element)
        except WrongShape as found:
            return found.within(segment)
        except (TypeError, ValueError, OverflowError) as found:
            return WrongShape(str(found), segment)
    # Not reproducible (a converter with state): name the collection only.
    return error if isinstance(error, WrongShape) else WrongShape(str(error))


def map_of(
    value: Any, convert: Callable[[Any], T], *, sparse: bool = False
) -> dict[str, T]:
    """A JSON object read value by value (``null`` values as in ``list_of``)."""
    if type(value) is not dict:
        raise WrongShape(_wrong_type("an object", value))
    try:
        if sparse:
            return {k: None if e is None else convert(e) for k, e in value.items()}  # type: ignore[misc]
        return {k: convert(e) for k, e in value.items() if e is not None}
    except (TypeError, ValueError, OverflowError) as error:
        keyed = ((_MapKey(k), e) for k, e in value.items())
        raise _at_bad_element(error, keyed, convert) from None


class EnumReader(Generic[E]):
    """Reads one enum's wire values: the member for a known value, else the value.

    An enum is open: a value newer than the model is kept as the plain
    string (or integer) rather than refused. A dict lookup, not ``enum(v)``
    and its try/except, which measured about five times slower.
    """

    __slots__ = ("_members", "_wire_type", "enum")

    def __init__(self, enum: type[E]) -> None:
        self.enum = enum
        self._members: dict[Any, E] = {member.value: member for member in enum}
        self._wire_type: type = int if issubclass(enum, int) else str

    def __repr__(self) -> str:
        return f"EnumReader({self.enum.__name__})"

    def __call__(self, value: Any) -> E | Any:
        if type(value) is self._wire_type:
            return self._members.get(value, value)
        expected = "an integer" if self._wire_type is int else "a string"
        raise WrongShape(_wrong_type(expected, value))


def parse_date_time(value: Any) -> datetime:
    """A ``date-time`` (RFC 3339) timestamp, for ``@timestampFormat("date-time")``."""
    if type(value) is str:  # the usual case, without parse_timestamp's dispatch
        return _parse_date_time(value)
    return parse_timestamp(value, "date-time")


def parse_http_date(value: Any) -> datetime:
    """An ``http-date`` (RFC 7231) timestamp, for ``@timestampFormat("http-date")``."""
    return parse_timestamp(value, "http-date")


# Output constructors made so far, by class: a grouped package (classes
# loaded on first use) asks for its class's constructor at every object.
_CONSTRUCTORS: dict[Any, Callable[..., Any]] = {}


def output_constructor(cls: Callable[..., T]) -> Callable[..., T]:
    """A keyword constructor for an output class that skips its frozen attrs ``__init__``.

    Made on the first request for ``cls`` and kept: asking again costs a
    dictionary lookup, so a deserializer may ask at each object it builds
    (``output_constructor(models.Name)(...)``), as grouped packages do.

    Deserializers build every object of a response; a frozen attrs class
    sets each field through ``object.__setattr__`` (to get past its own
    ``__setattr__``), which made construction about two thirds of reading a
    page. This constructor takes the same keywords, all of them required
    (deserializers pass every member), and sets the slots through their
    descriptors: 570 -> 260 ns for a 3-field class here, and the benchmark's
    50-item page (200 objects) read in 27 to 49 % less time (alternating
    timeit runs, 2026-12-02; bench/PROFILE.md). A class it cannot build the same
    way (not frozen and slotted, or with validators, converters or init
    hooks) is returned as it is, so its own ``__init__`` runs.
    """
    built = _CONSTRUCTORS.get(cls)
    if built is None:
        built = _CONSTRUCTORS[cls] = _new_output_constructor(cls)
    return built


def _new_output_constructor(cls: Callable[..., T]) -> Callable[..., T]:
    """The constructor ``output_constructor`` describes, compiled for ``cls``."""
    import attrs

    if not _plain_frozen_slots(cls):
        return cls
    attrs_class: Any = cls
    fields = attrs.fields(attrs_class)
    names = [field.alias for field in fields]
    namespace: dict[str, Any] = {"_new": object.__new__, "_cls": cls}
    lines = [f"def new_{cls.__name__}(*, {', '.join(names)}):", "    obj = _new(_cls)"]
    for field, name in zip(fields, names, strict=True):
        namespace[f"_set_{name}"] = cls.__dict__[field.name].__set__
        lines.append(f"    _set_{name}(obj, {name})")
    lines.append("    return obj")
    code = compile(
        "\n".join(lines) + "\n", f"<output constructor {cls.__name__}>", "exec"
    )
    # The source is built above from the class's field names only (as attrs
    # builds its own __init__).
    exec(code, namespace)
    built: Callable[..., T] = namespace[f"new_{cls.__name__}"]
    return built


def _plain_frozen_slots(cls: Any) -> bool:
    """True for a frozen, slotted attrs class whose ``__init__`` only sets fields."""
    import attrs

    if not attrs.has(cls) or "__slots__" not in cls.__dict__:
        return False
    if (
        not getattr(cls, "__attrs_attrs__", None)
        or cls.__setattr__ is object.__setattr__
    ):
        return False  # no fields, or not frozen: its __init__ is as fast
    if any(
        hasattr(cls, hook) for hook in ("__attrs_pre_init__", "__attrs_post_init__")
    ):
        return False
    return all(
        field.init
        and field.validator is None
        and field.converter is None
        and field.name in cls.__dict__
        for field in attrs.fields(cls)
    )


def as_document(value: Any) -> Any:
    """A ``document`` value as it is: any JSON value is a valid document."""
    return value
