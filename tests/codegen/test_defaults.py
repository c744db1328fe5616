"""@default and @clientOptional on the wire (type refinement traits, "default").

defaults.json mirrors the shapes of the official awsJson1_0 "defaults" protocol
tests: nested defaults are filled and sent, top-level defaults of an @input
structure and @clientOptional members are left to the service, and responses
missing defaulted members read as the defaults.
"""

from __future__ import annotations

import importlib
import json
import subprocess
import sys
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from types import ModuleType

import pytest
from smithygen.generate import generate

MODEL = Path(__file__).with_name("defaults.json")

ALL_DEFAULTS = {
    "defaultString": "hi",
    "defaultBoolean": True,
    "defaultList": [],
    "defaultDocumentMap": {},
    "defaultDocumentString": "hi",
    "defaultDocumentBoolean": True,
    "defaultDocumentList": [],
    "defaultTimestamp": 0,
    "defaultBlob": "YWJj",
    "defaultByte": 1,
    "defaultShort": 1,
    "defaultInteger": 10,
    "defaultLong": 100,
    "defaultFloat": 1.0,
    "defaultDouble": 1.0,
    "defaultMap": {},
    "defaultEnum": "FOO",
    "defaultIntEnum": 1,
    "emptyString": "",
    "falseBoolean": False,
    "emptyBlob": "",
    "zeroByte": 0,
    "zeroFloat": 0.0,
}


@pytest.fixture(scope="module")
def pkg(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ModuleType]:
    out = tmp_path_factory.mktemp("defaults")
    generate(
        [MODEL], service="example.defaults#DefaultsService", package="dflt", out=out
    )
    sys.path.insert(0, str(out))
    yield importlib.import_module("dflt")
    sys.path.remove(str(out))
    for name in [m for m in sys.modules if m.split(".")[0] == "dflt"]:
        del sys.modules[name]


def _wire(pkg: ModuleType, **kwargs: object) -> object:
    serde = importlib.import_module("dflt._serde")
    value = pkg.OperationWithDefaultsInput(**kwargs)
    return json.loads(json.dumps(serde.ser_operation_with_defaults_input(value)))


def test_client_populates_nested_default_values(pkg: ModuleType) -> None:
    assert _wire(pkg, defaults=pkg.Defaults()) == {"defaults": ALL_DEFAULTS}


def test_client_skips_top_level_default_values(pkg: ModuleType) -> None:
    assert _wire(pkg) == {}


def test_explicit_top_level_values_are_sent(pkg: ModuleType) -> None:
    wire = _wire(pkg, top_level_default="hi", other_top_level_default=0)
    assert wire == {"topLevelDefault": "hi", "otherTopLevelDefault": 0}


def test_client_optional_defaults_are_not_filled(pkg: ModuleType) -> None:
    wire = _wire(pkg, client_optional_defaults=pkg.ClientOptionalDefaults())
    assert wire == {"clientOptionalDefaults": {}}


def test_missing_response_members_read_as_defaults(pkg: ModuleType) -> None:
    serde = importlib.import_module("dflt._serde")
    output = serde.de_operation_with_defaults_output({})
    assert output.default_timestamp == datetime(1970, 1, 1, tzinfo=UTC)
    assert output.default_blob == b"abc"
    assert output.default_enum is pkg.TestEnum.FOO
    assert output.default_int_enum is pkg.TestIntEnum.ONE
    assert output.default_document_map == {} and output.default_list == []
    present = serde.de_operation_with_defaults_output({"defaultString": "bye"})
    assert present.default_string == "bye"


def test_defaults_package_passes_mypy_strict(pkg: ModuleType) -> None:
    root = Path(pkg.__file__ or "").parent.parent
    result = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--no-incremental", "dflt"],
        cwd=root,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_missing_required_members_are_error_corrected(pkg: ModuleType) -> None:
    """aggregate-types.rst, "Client error correction": zero values."""
    serde = importlib.import_module("dflt._serde")
    output = serde.de_operation_with_required_members_output({})
    assert (output.required_string, output.required_boolean) == ("", False)
    assert (output.required_list, output.required_map) == ([], {})
    assert output.required_timestamp == datetime(1970, 1, 1, tzinfo=UTC)
    assert output.required_blob == b""
    assert (output.required_byte, output.required_long, output.required_double) == (
        0,
        0,
        0.0,
    )
    assert (output.required_enum, output.required_int_enum) == ("", 0)
    assert output.required_structure == pkg.ClientOptionalDefaults()
    assert output.required_big_decimal == 0
    assert output.required_document is None
