"""Table-driven readers of JSON documents into output objects (contract 1.10).

A generated ``_serde.py`` declares, per structure, union, list and map, what
its members are (attribute, wire key, kind, default) instead of spelling
out one reader call per member::

    readers = JsonReaders(models)

    de_inventory_deletion_summary: Reader[models.InventoryDeletionSummary] = (
        readers.structure(
            "inventory_deletion_summary",
            "InventoryDeletionSummary",
            member("total_count", "TotalCount", INTEGER, default=0),
            member("summary_items", "SummaryItems", shape("summary_items")),
        )
    )

Each table is read two ways:

* **carefully**, by interpreting the table member by member with the
  ``_deserialize`` readers' rules: every JSON type checked, and a value of
  the wrong type reported as ``WrongShape`` with its member path
  (``InventoryDeletions[3].DeletionSummary.TotalCount``);
* **fast**, by a function compiled from the table on the table's first read
  (``compile``/``exec`` of source built from the table's attribute names
  and wire keys only, never from response data, as attrs builds its
  ``__init__``). It reads exactly what the careful reader reads, with
  inline type checks and slot setters, and gives up (``_Unusual``) on
  anything else: a wrong type, a timestamp out of range, bad base64, a
  union with no member set...

A reader is called with a whole response document and tries the fast
function first; when that gives up, the careful reader reads the document
again from the top, so an error names its full path exactly as before.
Nested tables call each other's fast functions directly, so the fallback
happens once, at the top.

Why compile: reading a page into typed objects was most of what a paged
call costs beyond raw httpx (bench/PROFILE.md, "Per call, four rows"):
Lambda's ``ListFunctions`` page made about 1,450 ``read_member`` calls,
one per member present or not. The compiled form measured in the
2026-12-02 section of bench/PROFILE.md ("JSON pages into typed objects").
"""

from __future__ import annotations

from collections.abc import Callable
from types import ModuleType
from typing import Any, Generic, TypeVar

from ._deserialize import (
    EnumReader,
    WrongShape,
    list_of,
    map_of,
    output_constructor,
)
from ._deserialize import _plain_frozen_slots as plain_frozen_slots
from ._json_kinds import (
    UNIT,
    ZERO,
    Kind,
    _as_kind,
    _Member,
    _ShapeRef,
    _Variant,
)
from ._serde import expect_map

__all__ = ["JsonReaders", "Reader"]

T = TypeVar("T")


class _Unusual(Exception):
    """The fast reader met something the careful reader must look at."""


# What makes a fast read give up and the careful reader start again: its own
# signal, and whatever the converters it shares with the careful reader
# raise (fromtimestamp's OverflowError and OSError too).
_GIVE_UP = (
    _Unusual,
    TypeError,
    ValueError,
    OverflowError,
    OSError,
    KeyError,
    AttributeError,
)


class Reader(Generic[T]):
    """One table's reader: call it with a JSON value to get the Python value.

    Fast first; the careful reader again from this value when the fast one
    gives up (see the module docstring).
    """

    def __init__(self, readers: JsonReaders, stem: str):
        self._readers = readers
        self.stem = stem
        self._fast: Callable[[Any], T] | None = None

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.stem}>"

    def __call__(self, value: Any) -> T:
        fast = self._fast or self.compiled()
        try:
            return fast(value)
        except _GIVE_UP:
            return self.careful(value)

    def careful(self, value: Any) -> T:
        """The value read member by member; WrongShape names a wrong one's path."""
        raise NotImplementedError

    def zero(self) -> Any:
        """What a required member of this shape reads as when the service left it out."""
        return None

    def ready(self) -> Callable[[Any], T] | None:
        """The fast function if it is compiled already, else None."""
        return self._fast

    def fast_trampoline(self, names: dict[str, Any], name: str) -> Callable[[Any], T]:
        """A stand-in for the fast function under ``name`` in a compiled namespace.

        It compiles this table on its first call and puts the compiled function
        in its place, so tables compile only when a document reaches them and a
        table may refer to itself (a recursive structure).
        """

        def first_call(value: Any) -> T:
            fast = self._fast or self.compiled()
            names[name] = fast
            return fast(value)

        return first_call

    def compiled(self) -> Callable[[Any], T]:
        """The fast function, compiled from the table on the first call and kept.

        It raises a private exception (or the shared converters' TypeError,
        ValueError...) where the careful reader must look; ``__call__``
        catches those.
        """
        if self._fast is not None:
            return self._fast
        self._readers.bind(self)
        names: dict[str, Any] = {"_Unusual": _Unusual}
        source = "\n".join(self._fast_source(names)) + "\n"
        code = compile(source, f"<json reader {self.stem}>", "exec")
        # The source comes from the table's names and wire keys only (see the
        # module docstring), never from a response.
        exec(code, names)
        fast: Callable[[Any], T] = names[f"{self.stem}_reader"]
        self._fast = fast
        return fast

    def _fast_source(self, names: dict[str, Any]) -> list[str]:
        raise NotImplementedError

    def kinds(self) -> list[Kind]:
        """The kinds this table refers to (for binding shape references)."""
        return []


def _indent(lines: list[str], depth: int) -> list[str]:
    return [" " * (4 * depth) + line for line in lines]


class _StructureReader(Reader[T]):
    def __init__(
        self,
        readers: JsonReaders,
        stem: str,
        class_name: str,
        members: tuple[_Member, ...],
    ):
        super().__init__(readers, stem)
        self.class_name = class_name
        self.members = members
        self._build: Callable[..., Any] | None = None

    def kinds(self) -> list[Kind]:
        return [m.kind for m in self.members]

    def careful(self, value: Any) -> T:
        self._readers.bind(self)
        data = expect_map(value)
        values = {}
        for m in self.members:
            raw = data.get(m.wire)
            if raw is None:
                values[m.attr] = m.absent()
                continue
            try:
                values[m.attr] = m.kind.careful(raw)
            except WrongShape as error:
                raise error.within(m.wire) from None
            except (TypeError, ValueError, OverflowError) as error:
                raise WrongShape(str(error), m.wire) from None
        build = self._build or self._builder()
        return build(**values)  # type: ignore[no-any-return]

    def zero(self) -> Any:
        return self.careful({})

    def _class(self) -> Any:
        return getattr(self._readers.models, self.class_name)

    def _builder(self) -> Callable[..., Any]:
        """The class's output constructor, or the class when the table leaves a
        field out (a streaming member, attached by the runtime afterwards)."""
        import attrs

        cls = self._class()
        names = {m.attr for m in self.members}
        if not names or names != {field.alias for field in attrs.fields(cls)}:
            self._build = cls
        else:
            self._build = output_constructor(cls)
        return self._build

    def _fast_source(self, names: dict[str, Any]) -> list[str]:
        lines = [
            f"def {self.stem}_reader(value):",
            "    if type(value) is not dict: raise _Unusual",
            "    get = value.get",
        ]
        for index, m in enumerate(self.members):
            lines += _indent(_fast_member(m, index, names), 1)
        return lines + _indent(self._fast_build(names), 1)

    def _fast_build(self, names: dict[str, Any]) -> list[str]:
        cls = names["cls"] = self._class()
        setters = _slot_setters(cls, [m.attr for m in self.members])
        if setters is None:
            names["build"] = self._builder()
            arguments = ", ".join(f"{m.attr}=v{i}" for i, m in enumerate(self.members))
            return [f"return build({arguments})"]
        names["new"] = object.__new__
        lines = ["obj = new(cls)"]
        for index, setter in enumerate(setters):
            names[f"set_{index}"] = setter
            lines.append(f"set_{index}(obj, v{index})")
        return [*lines, "return obj"]


def _fast_member(m: _Member, index: int, names: dict[str, Any]) -> list[str]:
    """Statements reading member ``m`` into the local ``v<index>``."""
    var, tag = f"v{index}", str(index)
    check = m.kind.fast_check(var)
    body = [f"if {check}: raise _Unusual"] if check else []
    body += m.kind.fast_convert(names, tag, var)
    lines = [f"{var} = get({m.wire!r})"]
    absent = _fast_absent(m, tag, names)
    if absent is None and len(body) == 1 and check:
        return [*lines, f"if {var} is not None and {check}: raise _Unusual"]
    if absent is None:
        return lines + ([f"if {var} is not None:", *_indent(body, 1)] if body else [])
    lines.append(f"if {var} is None: {var} = {absent}")
    if body:
        lines += ["else:", *_indent(body, 1)]
    return lines


def _fast_absent(m: _Member, tag: str, names: dict[str, Any]) -> str | None:
    """The expression a member absent from the document reads as (None: None)."""
    default = m.default
    if default is None:
        return None
    if type(default) in (list, dict) and not default:
        return "[]" if type(default) is list else "{}"
    if default is ZERO or type(default) in (list, dict):
        names[f"absent_{tag}"] = m.absent
        return f"absent_{tag}()"
    names[f"default_{tag}"] = default  # immutable: shared by every object
    return f"default_{tag}"


def _slot_setters(
    cls: Any, attrs_names: list[str]
) -> list[Callable[[Any, Any], None]] | None:
    """The slot setters of ``cls`` for ``attrs_names`` (its every field), else None.

    None when the class cannot be built by setting its slots (the cases
    ``output_constructor`` leaves to the class's own ``__init__``), or when
    the table does not name every field (a streaming member is not read here).
    """
    import attrs

    if not attrs_names or not plain_frozen_slots(cls):
        return None
    fields = {field.alias: field.name for field in attrs.fields(cls)}
    if set(fields) != set(attrs_names) or len(attrs_names) != len(fields):
        return None
    return [cls.__dict__[fields[name]].__set__ for name in attrs_names]


class _UnionReader(Reader[T]):
    def __init__(
        self,
        readers: JsonReaders,
        stem: str,
        name: str,
        unknown: str,
        variants: tuple[_Variant, ...],
    ):
        super().__init__(readers, stem)
        self.name = name
        self.unknown = unknown
        self.variants = {v.wire: v for v in variants}

    def kinds(self) -> list[Kind]:
        return [v.kind for v in self.variants.values()]

    def careful(self, value: Any) -> T:
        self._readers.bind(self)
        data = expect_map(value)
        for key, raw in data.items():
            # ``__type`` may accompany a union in awsJson and is not a member.
            if raw is None or key == "__type":
                continue
            found = self.variants.get(key)
            if found is None:
                return self._unknown(tag=key)  # type: ignore[no-any-return]
            cls = getattr(self._readers.models, found.class_name)
            if found.kind is UNIT:
                return cls()  # type: ignore[no-any-return]
            try:
                return cls(value=found.kind.careful(raw))  # type: ignore[no-any-return]
            except WrongShape as error:
                raise error.within(key) from None
            except (TypeError, ValueError, OverflowError) as error:
                raise WrongShape(str(error), key) from None
        raise WrongShape(f"union {self.name} has no member set")

    def zero(self) -> Any:
        return self._unknown(tag="")

    @property
    def _unknown(self) -> Any:
        return getattr(self._readers.models, self.unknown)

    def _fast_source(self, names: dict[str, Any]) -> list[str]:
        names["unknown"] = self._unknown
        lines = [
            f"def {self.stem}_reader(value):",
            "    if type(value) is not dict: raise _Unusual",
            "    for key, v in value.items():",
            '        if v is None or key == "__type": continue',
        ]
        for index, found in enumerate(self.variants.values()):
            names[f"variant_{index}"] = getattr(self._readers.models, found.class_name)
            lines.append(f"        if key == {found.wire!r}:")
            if found.kind is UNIT:
                lines.append(f"            return variant_{index}()")
                continue
            check = found.kind.fast_check("v")
            if check:
                lines.append(f"            if {check}: raise _Unusual")
            lines += _indent(found.kind.fast_convert(names, str(index), "v"), 3)
            lines.append(f"            return variant_{index}(value=v)")
        return [*lines, "        return unknown(tag=key)", "    raise _Unusual"]


class _CollectionReader(Reader[T]):
    """A list or a map: ``null`` elements dropped when dense, kept as None when sparse."""

    def __init__(
        self,
        readers: JsonReaders,
        stem: str,
        element: Kind | EnumReader[Any],
        sparse: bool,
        is_map: bool,
    ):
        super().__init__(readers, stem)
        self.element = _as_kind(element)
        self.sparse = sparse
        self.is_map = is_map

    def kinds(self) -> list[Kind]:
        return [self.element]

    def careful(self, value: Any) -> T:
        self._readers.bind(self)
        read = map_of if self.is_map else list_of
        return read(value, self.element.careful, sparse=self.sparse)  # type: ignore[return-value]

    def zero(self) -> Any:
        return {} if self.is_map else []

    def _fast_source(self, names: dict[str, Any]) -> list[str]:
        head = [
            f"def {self.stem}_reader(value):",
            f"    if type(value) is not {'dict' if self.is_map else 'list'}: raise _Unusual",
        ]
        check = self.element.fast_check("v")
        converting = self.element.fast_convert(names, "element", "v")
        if isinstance(self.element, _ShapeRef):  # one call per element
            return head + _indent(self._comprehension(), 1)
        if check:
            converting = [f"if {check}: raise _Unusual", *converting]
        if not converting:
            return head + _indent(self._copy(), 1)
        return head + _indent(self._loop(converting), 1)

    def _copy(self) -> list[str]:
        items = "value.items()" if self.is_map else "value"
        if self.is_map:
            keep = "" if self.sparse else " if v is not None"
            return [f"return {{k: v for k, v in {items}{keep}}}"]
        return [
            "return list(value)"
            if self.sparse
            else "return [v for v in value if v is not None]"
        ]

    def _comprehension(self) -> list[str]:
        element = (
            "None if v is None else read_element(v)"
            if self.sparse
            else "read_element(v)"
        )
        keep = "" if self.sparse else " if v is not None"
        if self.is_map:
            return [f"return {{k: {element} for k, v in value.items(){keep}}}"]
        return [f"return [{element} for v in value{keep}]"]

    def _loop(self, converting: list[str]) -> list[str]:
        store = "result[k] = v" if self.is_map else "append(v)"
        absent = "result[k] = None" if self.is_map else "append(None)"
        lines = ["result = {}" if self.is_map else "result = []"]
        if not self.is_map:
            lines.append("append = result.append")
        lines.append("for k, v in value.items():" if self.is_map else "for v in value:")
        lines.append("    if v is None:")
        lines.append(f"        {absent}" if self.sparse else "        continue")
        if self.sparse:
            lines.append("        continue")
        lines += _indent(converting, 1)
        return [*lines, f"    {store}", "return result"]


class JsonReaders:
    """A generated package's tables, by stem; shape references resolve here.

    Classes are looked up on ``models`` by name when a table is first read,
    so a package whose models load in groups loads only what it reads.
    """

    def __init__(self, models: ModuleType):
        self.models = models
        self._tables: dict[str, Reader[Any]] = {}
        self._bound: set[str] = set()

    def structure(self, stem: str, class_name: str, *members: _Member) -> Reader[Any]:
        """The reader of a structure: its class, then one ``member`` per row."""
        return self._add(_StructureReader(self, stem, class_name, members))

    def union(
        self, stem: str, name: str, unknown: str, *variants: _Variant
    ) -> Reader[Any]:
        """The reader of a union: its model name, its unknown variant class, its variants."""
        return self._add(_UnionReader(self, stem, name, unknown, variants))

    def list(
        self, stem: str, element: Kind | EnumReader[Any], *, sparse: bool = False
    ) -> Reader[Any]:
        """The reader of a list of ``element`` values."""
        return self._add(_CollectionReader(self, stem, element, sparse, is_map=False))

    def map(
        self, stem: str, value: Kind | EnumReader[Any], *, sparse: bool = False
    ) -> Reader[Any]:
        """The reader of a map of string keys to ``value`` values."""
        return self._add(_CollectionReader(self, stem, value, sparse, is_map=True))

    def table(self, stem: str) -> Reader[Any]:
        """The reader registered as ``stem`` (KeyError when there is none)."""
        return self._tables[stem]

    def stems(self) -> tuple[str, ...]:
        """Every table's stem, in the order the package declared them."""
        return tuple(self._tables)

    def _add(self, table: Reader[T]) -> Reader[T]:
        if table.stem in self._tables:
            raise ValueError(f"two tables named {table.stem!r}")
        self._tables[table.stem] = table
        return table

    def bind(self, table: Reader[Any]) -> None:
        """Point ``table``'s shape references at their tables (once)."""
        if table.stem in self._bound:
            return
        for kind in table.kinds():
            if isinstance(kind, _ShapeRef) and kind.table is None:
                try:
                    kind.table = self._tables[kind.stem]
                except KeyError:
                    raise LookupError(
                        f"{table.stem} refers to no table {kind.stem!r}"
                    ) from None
        self._bound.add(table.stem)
