"""The table-driven JSON readers over the tables of real generated packages.

Each generated table is read two ways: a fast function compiled from it,
and the careful reader that interprets it member by member. The property
tests check, over the tables of real generated packages (the goldens, SSM,
the restJson1 / awsJson1_1 / rpcv2Cbor protocol-suite services and the
official Lambda model) and documents drawn from each table, that the fast
function reads exactly what the careful one reads: the same object when the
careful reader accepts the document, and a refusal (so the reader falls
back to the careful one, whose error it then raises) when it does not.

They generate packages, so they need the generator (Python 3.12+) and live
here; the hand-written tables' cases in ``tests/runtime/test_json_reader.py``
run on every Python the runtime supports.
"""

from __future__ import annotations

import base64
import importlib
import string
import sys
from datetime import UTC, datetime
from email.utils import format_datetime
from pathlib import Path
from types import ModuleType
from typing import Any

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
    JsonReaders,
    Reader,
)
from smithygen_runtime._json_kinds import _Enum, _ShapeRef
from smithygen_runtime._json_reader import (
    _CollectionReader,
    _StructureReader,
    _UnionReader,
)

from tests.conftest import require_shared
from tests.runtime.test_json_reader import assert_fast_reads_what_careful_reads

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
