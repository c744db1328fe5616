"""Every case of Smithy's valid IDL loader corpus loads to the expected JSON AST.

The reference runner loads ``__shared.json`` alongside every case, so the
expected shapes are the case's own plus the shared ones.
"""

from __future__ import annotations

import json

import pytest
from smithygen.idl import load_files

from tests.conftest import require_shared
from tests.idl._corpus import SHARED_MODEL, VALID_DIR, canonical_shapes, corpus_cases


@pytest.mark.parametrize("case", corpus_cases(*VALID_DIR))
def test_valid_case_loads_to_the_expected_ast(case: str) -> None:
    root = require_shared(*VALID_DIR)
    source = root / case
    shared = root / SHARED_MODEL
    expected = json.loads(source.with_suffix(".json").read_text(encoding="utf-8"))
    expected_shapes = json.loads(shared.read_text(encoding="utf-8"))["shapes"]
    expected_shapes.update(expected.get("shapes", {}))

    model = load_files([source, shared])

    # Printed and re-read, so the comparison is of the JSON the CLI emits.
    printed = json.loads(json.dumps(model))
    assert printed["smithy"] == "2.0"
    assert canonical_shapes(printed["shapes"]) == canonical_shapes(expected_shapes)
    assert printed.get("metadata", {}) == expected.get("metadata", {})
    assert "metadata" not in printed or printed["metadata"]
