"""The table-driven JSON readers (``smithygen_runtime._json_reader``) on hand-written tables.

Each table is read two ways: a fast function compiled from it, and the
careful reader that interprets it member by member. The same property over
the tables of real generated packages is checked in
``tests/codegen/test_json_reader_tables.py`` (it needs the generator, so
Python 3.12+); these cases run on every Python the runtime supports.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from decimal import Decimal
from types import ModuleType
from typing import Any

import attrs
import pytest
from smithygen_runtime import (
    BIG_DECIMAL,
    BLOB,
    EPOCH_SECONDS,
    FLOAT,
    INTEGER,
    STRING,
    UNIT,
    ZERO,
    EnumReader,
    JsonReaders,
    Reader,
    WrongShape,
    member,
    shape,
    variant,
)

# --- what a read gives --------------------------------------------------------------


def _outcome(read: Callable[[Any], Any], document: Any) -> tuple[Any, ...]:
    """What reading ``document`` gives: the object (by type and repr, which
    tells NaN, -0.0, 1 and 1.0 apart), or the exception with its path."""
    try:
        value = read(document)
    except Exception as error:
        return (
            "refused",
            type(error).__name__,
            str(error),
            getattr(error, "path", None),
        )
    return ("read", type(value), repr(value))


def assert_fast_reads_what_careful_reads(table: Reader[Any], document: Any) -> None:
    careful = _outcome(table.careful, document)
    fast = _outcome(table.compiled(), document)
    if careful[0] == "read":
        assert fast == careful, f"{table.stem}: {document!r}"
    else:
        # The fast function must give up too, and the reader then raises the
        # careful reader's error, path and message included.
        assert fast[0] == "refused", (
            f"{table.stem} read what it must refuse: {document!r}"
        )
        assert _outcome(table, document) == careful


# --- a hand-written table ------------------------------------------------------------


@attrs.define(kw_only=True, frozen=True, slots=True)
class Leaf:
    name: str | None = None
    size: int = 0
    tags: list[str] = attrs.field(factory=list)


@attrs.define(kw_only=True, frozen=True, slots=True)
class Node:
    label: str | None = None
    children: list[Node] | None = None
    leaf: Leaf


@attrs.define(kw_only=True, frozen=True, slots=True)
class Quoted:
    value: str | None = None


def _tree_readers() -> tuple[JsonReaders, Reader[Node]]:
    models = ModuleType("tree_models")
    models.Leaf = Leaf  # type: ignore[attr-defined]
    models.Node = Node  # type: ignore[attr-defined]
    models.Quoted = Quoted  # type: ignore[attr-defined]
    readers = JsonReaders(models)
    node: Reader[Node] = readers.structure(
        "node",
        "Node",
        member("label", "Label", STRING),
        member("children", "Children", shape("nodes")),
        member("leaf", "Leaf", shape("leaf"), default=ZERO),
    )
    readers.list("nodes", shape("node"))
    readers.structure(
        "leaf",
        "Leaf",
        member("name", "Name", STRING),
        member("size", "Size", INTEGER, default=0),
        member("tags", "Tags", shape("tags"), default=[]),
    )
    readers.list("tags", STRING)
    return readers, node


def test_a_recursive_table_reads_nested_documents() -> None:
    _, node = _tree_readers()
    document = {
        "Label": "root",
        "Children": [{"Label": "a", "Leaf": {"Size": 2}}, None, {"Children": []}],
        "Leaf": {"Name": "r", "Tags": ["x", None, "y"]},
    }
    read = node(document)
    assert read == Node(
        label="root",
        children=[
            Node(label="a", leaf=Leaf(size=2)),
            Node(children=[], leaf=Leaf()),
        ],
        leaf=Leaf(name="r", tags=["x", "y"]),
    )
    assert_fast_reads_what_careful_reads(node, document)


def test_tables_compile_when_a_document_reaches_them() -> None:
    readers, node = _tree_readers()
    node({"Label": "only"})
    compiled = {stem for stem in readers.stems() if readers.table(stem).ready()}
    assert compiled == {"node"}
    node({"Children": [{"Leaf": {}}]})
    compiled = {stem for stem in readers.stems() if readers.table(stem).ready()}
    assert compiled == {"node", "nodes", "leaf"}


def test_an_unusual_value_deep_in_a_document_is_reported_with_its_whole_path() -> None:
    """The fast function gives up; the careful reader reads again from the top."""
    _, node = _tree_readers()
    document = {"Children": [{}, {"Children": [{"Leaf": {"Size": "7"}}]}]}
    with pytest.raises(WrongShape) as caught:
        node(document)
    assert caught.value.path == "Children[1].Children[0].Leaf.Size"
    assert str(caught.value) == (
        "Children[1].Children[0].Leaf.Size: expected an integer, got a string"
    )


def test_a_missing_required_structure_reads_as_its_zero_object() -> None:
    _, node = _tree_readers()
    assert node({}).leaf == Leaf()


def test_objects_do_not_share_a_default_list() -> None:
    _, node = _tree_readers()
    first, second = node({}), node({})
    assert first.leaf.tags == [] and first.leaf.tags is not second.leaf.tags


def test_a_wire_key_with_quotes_and_line_breaks_is_read_as_written() -> None:
    """The compiled source spells wire keys as Python literals (repr)."""
    readers, _ = _tree_readers()
    key = 'it\'s "odd"\n\\x'
    quoted: Reader[Quoted] = readers.structure(
        "quoted", "Quoted", member("value", key, STRING)
    )
    assert quoted({key: "v"}) == Quoted(value="v")
    assert quoted({"value": "v"}) == Quoted()


def test_a_member_attribute_that_is_not_a_python_name_is_refused() -> None:
    with pytest.raises(ValueError, match="not a Python name"):
        member("a; import os", "A", STRING)


def test_two_tables_of_one_name_are_refused() -> None:
    readers, _ = _tree_readers()
    with pytest.raises(ValueError, match="two tables named 'leaf'"):
        readers.list("leaf", STRING)


def test_an_open_enum_keeps_a_value_newer_than_the_model() -> None:
    import enum

    class Colour(enum.StrEnum):
        RED = "red"

    readers = JsonReaders(ModuleType("m"))
    colours = readers.list("colours", EnumReader(Colour))
    assert colours(["red", "teal"]) == [Colour.RED, "teal"]
    assert type(colours(["red"])[0]) is Colour


def test_a_union_reads_its_first_member_set_and_keeps_an_unknown_one() -> None:
    @attrs.define(frozen=True)
    class Text:
        value: str

    @attrs.define(frozen=True)
    class Nothing:
        pass

    @attrs.define(frozen=True)
    class Unknown:
        tag: str

    models = ModuleType("u")
    models.Text, models.Nothing, models.Unknown = Text, Nothing, Unknown  # type: ignore[attr-defined]
    readers = JsonReaders(models)
    choice = readers.union(
        "choice",
        "Choice",
        "Unknown",
        variant("text", "Text", STRING),
        variant("nothing", "Nothing", UNIT),
    )
    assert choice({"__type": "x", "text": "hi"}) == Text("hi")
    assert choice({"text": None, "nothing": {}}) == Nothing()
    assert choice({"later": 1}) == Unknown("later")
    with pytest.raises(WrongShape, match="union Choice has no member set"):
        choice({"text": None})
    with pytest.raises(WrongShape) as caught:
        choice({"text": 5})
    assert caught.value.path == "text"


def test_floats_timestamps_and_blobs_read_as_the_shared_converters_read_them() -> None:
    @attrs.define(kw_only=True, frozen=True, slots=True)
    class Values:
        ratio: float | None = None
        when: datetime | None = None
        data: bytes | None = None
        amount: Decimal | None = None

    models = ModuleType("v")
    models.Values = Values  # type: ignore[attr-defined]
    readers = JsonReaders(models)
    values = readers.structure(
        "values",
        "Values",
        member("ratio", "Ratio", FLOAT),
        member("when", "When", EPOCH_SECONDS),
        member("data", "Data", BLOB),
        member("amount", "Amount", BIG_DECIMAL),
    )
    read = values({"Ratio": "-Infinity", "When": 1.5, "Data": "aGk=", "Amount": 0.1})
    assert read == Values(
        ratio=float("-inf"),
        when=datetime(1970, 1, 1, 0, 0, 1, 500000, tzinfo=UTC),
        data=b"hi",
        amount=Decimal("0.1"),
    )
    with pytest.raises(WrongShape, match="When: epoch seconds must be a finite"):
        values({"When": 1e300})
    with pytest.raises(WrongShape, match="Data: invalid base64"):
        values({"Data": "a"})
    with pytest.raises(WrongShape, match="Ratio: expected a number, got the string"):
        values({"Ratio": "nan"})
