"""The table-driven JSON readers (``smithygen_runtime._json_reader``).

Each generated table is read two ways: a fast function compiled from it,
and the careful reader that interprets it member by member. The property
tests check, over the tables of real generated packages (the goldens, SSM,
the restJson1 / awsJson1_1 / rpcv2Cbor protocol-suite services and the
official Lambda model) and documents drawn from each table, that the fast
function reads exactly what the careful one reads: the same object when the
careful reader accepts the document, and a refusal (so the reader falls
back to the careful one, whose error it then raises) when it does not.
"""

from __future__ import annotations

import base64
import importlib
import string
import sys
from collections.abc import Callable
from datetime import UTC, datetime
from decimal import Decimal
from email.utils import format_datetime
from pathlib import Path
from types import ModuleType
from typing import Any

import attrs
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from smithygen.generate import generate
from smithygen_runtime import (
    BIG_DECIMAL,
    BLOB,
    BOOLEAN,
    DATE_TIME,
    DOCUMENT,
    EPOCH_SECONDS,
    FLOAT,
    HTTP_DATE,
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
from smithygen_runtime._json_kinds import _Enum, _ShapeRef
from smithygen_runtime._json_reader import (
    _CollectionReader,
    _StructureReader,
    _UnionReader,
)

from tests.conftest import require_shared

# --- the packages whose tables are checked -------------------------------------------

SUITES = {
    # package prefix: (folders of ../shared/smithy, services)
    "jr_restjson": (
        ("protocol-tests/restJson1", "protocol-tests/shared", "traits"),
        ("aws.protocoltests.restjson#RestJson",),
    ),
    "jr_awsjson": (
        ("protocol-tests/awsJson1_1", "protocol-tests/shared"),
        ("aws.protocoltests.json#JsonProtocol",),
    ),
    "jr_cbor": (
        ("protocol-tests/rpcv2Cbor-core", "protocol-tests/shared-core", "traits"),
        ("smithy.protocoltests.rpcv2Cbor#RpcV2Protocol",),
    ),
}


def _generate(files: list[Path], service: str, package: str, out: Path) -> ModuleType:
    generate(files, service=service, package=package, out=out)
    if str(out) not in sys.path:
        sys.path.insert(0, str(out))
    importlib.invalidate_caches()
    return importlib.import_module(f"{package}._serde")


@pytest.fixture(scope="module")
def packages(tmp_path_factory: pytest.TempPathFactory) -> dict[str, ModuleType]:
    """``_serde`` of every package whose tables are checked, by name."""
    out = tmp_path_factory.mktemp("json_reader_packages")
    found = {
        "ssm_inventory": importlib.import_module("ssm_inventory._serde"),
        "edges": importlib.import_module("tests.golden.edges._serde"),
        "widgets": importlib.import_module("tests.golden.widgets._serde"),
        "dual": importlib.import_module("tests.golden.dual._serde"),
    }
    for prefix, (folders, services) in SUITES.items():
        files = sorted(
            path
            for folder in folders
            for path in require_shared("smithy", *folder.split("/")).rglob("*")
            if path.suffix in (".smithy", ".json")
        )
        for service in services:
            package = f"{prefix}_{service.rsplit('#', 1)[1].lower()}"
            found[package] = _generate(files, service, package, out)
    lambda_model = require_shared("aws-models", "lambda-2015-03-31.json")
    found["jr_lambda"] = _generate(
        [lambda_model], "com.amazonaws.lambda#AWSGirApiService", "jr_lambda", out
    )
    return found


def _package_names() -> list[str]:
    names = ["ssm_inventory", "edges", "widgets", "dual", "jr_lambda"]
    for prefix, (_, services) in SUITES.items():
        names += [f"{prefix}_{s.rsplit('#', 1)[1].lower()}" for s in services]
    return names


# --- documents drawn from a table ----------------------------------------------------

ANY_JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=4),
    lambda inner: (
        st.lists(inner, max_size=3)
        | st.dictionaries(st.text(max_size=3), inner, max_size=3)
    ),
    max_leaves=6,
)
"""Any JSON value: what a broken or hostile service may send for any member."""

ANY_SCALAR = (
    st.booleans()
    | st.integers(-5, 5)
    | st.floats()
    | st.text(max_size=3)
    | st.just([])
    | st.just({})
)
"""A value of each JSON type, for a member of any other type."""

_UTC_TIMES = st.datetimes(
    min_value=datetime(1, 1, 2),
    max_value=datetime(9999, 12, 30),
    timezones=st.just(UTC),
)


def _simple_values(kind: Any) -> st.SearchStrategy[Any]:
    """Values of the JSON (and CBOR) types ``kind`` reads, and near misses."""
    if kind is STRING:
        return st.text(max_size=6)
    if kind is INTEGER:
        return st.integers()
    if kind is BOOLEAN:
        return st.booleans()
    if kind is FLOAT:
        return (
            st.floats()
            | st.integers(-(10**6), 10**6)
            | st.sampled_from(["NaN", "Infinity", "-Infinity", "nan", "1.5"])
        )
    if kind is BIG_DECIMAL:
        return st.floats(allow_nan=False) | st.integers() | st.decimals(allow_nan=False)
    if kind is BLOB:
        return (
            st.binary(max_size=8).map(lambda b: base64.b64encode(b).decode())
            | st.binary(max_size=4)
            | st.text(alphabet=string.ascii_letters + "=+/", max_size=6)
        )
    if kind is EPOCH_SECONDS:
        return (
            st.integers(-(2 * 10**10), 2 * 10**10)
            | st.floats(-1e11, 1e11)
            | st.floats()
            | _UTC_TIMES
        )
    if kind is DATE_TIME:
        return _UTC_TIMES.map(lambda d: d.isoformat().replace("+00:00", "Z")) | st.text(
            max_size=8
        )
    if kind is HTTP_DATE:
        return _UTC_TIMES.filter(lambda d: d.year >= 1900).map(
            lambda d: format_datetime(d, usegmt=True)
        ) | st.text(max_size=8)
    if kind is DOCUMENT:
        return ANY_JSON
    raise AssertionError(f"no values for {kind!r}")


class Documents:
    """Strategies of documents for one package's tables, drawn lazily by depth."""

    def __init__(self, readers: JsonReaders):
        self.readers = readers
        self._made: dict[tuple[str, int], st.SearchStrategy[Any]] = {}

    def values(self, kind: Any, depth: int) -> st.SearchStrategy[Any]:
        """Mostly well-typed values of ``kind``, sometimes null or anything at all."""
        good = self._good(kind, depth)
        return st.one_of(good, good, good, good, st.none(), ANY_SCALAR, ANY_JSON)

    def _good(self, kind: Any, depth: int) -> st.SearchStrategy[Any]:
        if isinstance(kind, _Enum):
            wire: Any = (
                st.integers() if kind.reader._wire_type is int else st.text(max_size=4)
            )
            return st.sampled_from(sorted(kind.reader._members, key=str)) | wire
        if isinstance(kind, _ShapeRef):
            if depth <= 0:
                return st.just({}) | st.none()
            table = self.readers.table(kind.stem)
            return st.deferred(lambda: self.of(table, depth - 1))
        return _simple_values(kind)

    def of(self, table: Reader[Any], depth: int) -> st.SearchStrategy[Any]:
        """Documents for ``table``, nested at most ``depth`` tables deep."""
        key = (table.stem, depth)
        if key not in self._made:
            self._made[key] = self._make(table, depth)
        return self._made[key]

    def _make(self, table: Reader[Any], depth: int) -> st.SearchStrategy[Any]:
        if isinstance(table, _StructureReader):
            fields = {m.wire: self.values(m.kind, depth) for m in table.members}
            known = st.fixed_dictionaries({}, optional=fields)
            extra = st.dictionaries(
                st.sampled_from(["Unmodeled", "__type"]), ANY_JSON, max_size=1
            )
            return st.tuples(extra, known).map(lambda pair: {**pair[0], **pair[1]})
        if isinstance(table, _UnionReader):
            return self._union(table, depth)
        assert isinstance(table, _CollectionReader)
        element = self.values(table.element, depth) | st.none()
        if table.is_map:
            return st.dictionaries(st.text(max_size=3), element, max_size=3)
        return st.lists(element, max_size=3)

    def _union(self, table: _UnionReader[Any], depth: int) -> st.SearchStrategy[Any]:
        def value(key: str) -> st.SearchStrategy[Any]:
            found = table.variants.get(key)
            if found is None:
                return ANY_JSON
            if found.kind is UNIT:
                return st.just({}) | ANY_JSON
            return self.values(found.kind, depth)

        keys = [*table.variants, "__type", "NewerVariant"]
        chosen = st.lists(st.sampled_from(keys), max_size=2, unique=True)
        return chosen.flatmap(
            lambda ks: st.fixed_dictionaries({k: value(k) for k in ks})
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


@pytest.mark.parametrize("package", _package_names())
def test_the_fast_reader_reads_exactly_what_the_careful_reader_reads(
    packages: dict[str, ModuleType], package: str
) -> None:
    readers: JsonReaders = packages[package].readers
    stems = readers.stems()
    documents = Documents(readers)

    @settings(
        max_examples=400,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )
    @given(data=st.data())
    def check(data: st.DataObject) -> None:
        table = readers.table(data.draw(st.sampled_from(stems)))
        assert_fast_reads_what_careful_reads(table, data.draw(documents.of(table, 3)))

    check()


def test_every_table_of_the_checked_packages_compiles(
    packages: dict[str, ModuleType],
) -> None:
    """Beyond what the drawn documents reach: every table compiles, and reads
    a document with every member absent as the careful reader does."""
    count = 0
    for serde in packages.values():
        readers: JsonReaders = serde.readers
        for stem in readers.stems():
            table = readers.table(stem)
            assert table.compiled() is table.compiled()
            empty = (
                {} if not isinstance(table, _CollectionReader) or table.is_map else []
            )
            if not isinstance(table, _UnionReader):
                assert_fast_reads_what_careful_reads(table, empty)
            count += 1
    assert count > 400  # 434 tables in the eight packages


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
