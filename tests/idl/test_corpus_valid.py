"""Every case of Smithy's valid IDL loader corpus loads to the expected JSON AST.

The reference runner loads ``__shared.json`` alongside every case, so the
expected shapes are the case's own plus the shared ones.
"""

from __future__ import annotations

import json
from decimal import Decimal

import pytest
from smithygen.idl import load_files

from tests.conftest import require_shared
from tests.idl._corpus import SHARED_MODEL, VALID_DIR, canonical_shapes, corpus_cases


@pytest.mark.parametrize("case", corpus_cases(*VALID_DIR))
def test_valid_case_loads_to_the_expected_ast(case: str) -> None:
    root = require_shared(*VALID_DIR)
    source = root / case
    shared = root / SHARED_MODEL
    # Numbers are compared exactly (Decimal), as Smithy's are arbitrary precision.
    expected = json.loads(
        source.with_suffix(".json").read_text(encoding="utf-8"), parse_float=Decimal
    )
    expected_shapes = json.loads(shared.read_text(encoding="utf-8"))["shapes"]
    expected_shapes.update(expected.get("shapes", {}))

    model = load_files([source, shared])

    # Printed (as strict JSON: no Infinity or NaN) and re-read, so the
    # comparison is of the JSON the CLI emits.
    printed = json.loads(json.dumps(model, allow_nan=False), parse_float=Decimal)
    assert printed["smithy"] == "2.0"
    assert canonical_shapes(printed["shapes"]) == canonical_shapes(expected_shapes)
    assert printed.get("metadata", {}) == expected.get("metadata", {})
    assert "metadata" not in printed or printed["metadata"]


@pytest.mark.parametrize("case", corpus_cases(*VALID_DIR))
def test_valid_case_ast_loads_in_smithy_python(case: str) -> None:
    # The AST feeds smithy_python.model.load_model next in the pipeline.
    smithy_model = pytest.importorskip("smithy_python.model")
    root = require_shared(*VALID_DIR)
    model = load_files([root / case, root / SHARED_MODEL])
    if any(shape["type"] == "set" for shape in model["shapes"].values()):
        pytest.skip(
            "IDL 1.0 set shapes: smithy-python models Smithy 2.0, which has none"
        )

    loaded = smithy_model.load_model(json.dumps(model))

    assert loaded is not None
