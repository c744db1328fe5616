"""Every case of Smithy's valid IDL loader corpus loads to the expected JSON AST.

The reference runner loads ``__shared.json`` alongside every case, so the
expected shapes are the case's own plus the shared ones.
"""

from __future__ import annotations

import json
from decimal import Decimal

import pytest
from smithygen.idl import dumps_ast, load_files

from tests.conftest import require_shared
from tests.idl._corpus import SHARED_MODEL, VALID_DIR, canonical_shapes, corpus_cases


@pytest.mark.parametrize("case", corpus_cases(*VALID_DIR))
@pytest.mark.parametrize("number", [Decimal, float], ids=["exact", "double"])
def test_valid_case_loads_to_the_expected_ast(case: str, number: type) -> None:
    """The printed AST equals the expected one, read exactly and read as doubles.

    Smithy's numbers are arbitrary precision (traits.smithy has 2E+308), so
    both an exact reader and a double-based one must see equal values.
    """
    root = require_shared(*VALID_DIR)
    source = root / case
    shared = root / SHARED_MODEL
    expected_file = source.with_suffix(".json")
    expected = json.loads(expected_file.read_text(encoding="utf-8"), parse_float=number)
    expected_shapes = json.loads(shared.read_text(encoding="utf-8"))["shapes"]
    expected_shapes.update(expected.get("shapes", {}))
    if str(expected.get("smithy")).startswith("1"):
        # A 1.0 expectation is a 1.0 model. Smithy's runner compares the models
        # both files load to, so it goes through the JSON AST reader and gets
        # the same 2.0 semantics (box -> default, set -> list) as the IDL case.
        loaded = load_files([expected_file, shared])
        expected = json.loads(dumps_ast(loaded), parse_float=number)
        expected_shapes = expected["shapes"]

    # Printed as the CLI prints it, then read back.
    printed = json.loads(dumps_ast(load_files([source, shared])), parse_float=number)

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

    loaded = smithy_model.load_model(json.dumps(model))

    assert loaded is not None
