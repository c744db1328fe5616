"""JSON AST -> IDL (our writer) -> JSON AST (our loader) gives the same model.

Run on every official AWS model in ../shared/aws-models (5.8 MB of JSON) and
on every Smithy 2.0 case of the reference loader corpus.
"""

from __future__ import annotations

import json
import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from smithygen.idl.writer import write_idl

from tests.conftest import PROJECT_ROOT, require_shared, shared_dir
from tests.idl._corpus import fold_copied_members
from tests.idl_writer.test_writer import MIXED_INLINE_IO

UNIT = "smithy.api#Unit"
Loader = Callable[[Sequence[Path]], dict[str, Any]]


@pytest.fixture(scope="module")
def load_files() -> Loader:
    module = pytest.importorskip("smithygen.idl")
    loader: Loader | None = getattr(module, "load_files", None)
    if loader is None:
        pytest.skip("smithygen.idl.load_files (the IDL loader) is not there yet")
    return loader


def round_trip(ast: dict[str, Any], load_files: Loader, folder: Path) -> dict[str, Any]:
    paths = []
    for index, text in enumerate(write_idl(ast).values()):
        path = folder / f"doc{index}.smithy"
        path.write_text(text, encoding="utf-8")
        paths.append(path)
    return load_files(paths)


def _official_models() -> list[str]:
    folder = shared_dir() / "aws-models"
    return sorted(p.name for p in folder.glob("*.json")) or ["<models absent>"]


@pytest.mark.parametrize("model", _official_models())
def test_official_model_round_trips(
    model: str, load_files: Loader, tmp_path: Path
) -> None:
    """Every official model of ../shared: awsJson, restJson1, restXml, awsQuery."""
    path = require_shared("aws-models", model)
    ast = json.loads(path.read_text(encoding="utf-8"))
    loaded = round_trip(ast, load_files, tmp_path)
    assert loaded.get("metadata", {}) == ast.get("metadata", {})
    assert set(loaded["shapes"]) == set(ast["shapes"])
    different = [
        shape_id
        for shape_id, shape in ast["shapes"].items()
        if loaded["shapes"][shape_id] != shape
    ]
    assert different == []


def normalized(shapes: dict[str, Any]) -> dict[str, Any]:
    """Spell equivalent forms of the reference corpus one way.

    The corpus sometimes leaves out what the loader always writes: empty
    ``members`` ("a structure shape MAY omit the members property", json-ast.rst)
    and an operation's ``smithy.api#Unit`` input/output ("Input defaults to
    smithy.api#Unit if no input is defined", service-types.rst "Operation").
    """
    out = {}
    for shape_id, shape in shapes.items():
        shape = {
            key: value
            for key, value in shape.items()
            if not (key == "members" and value == {})
            and not (key in ("input", "output") and value == {"target": UNIT})
        }
        out[shape_id] = shape
    return out


def _corpus_cases() -> list[Path]:
    folder = shared_dir() / "smithy" / "idl-valid"
    cases = []
    for path in sorted(folder.rglob("*.json")):
        if path.name == "__shared.json":
            continue
        if (
            json.loads(path.read_text(encoding="utf-8"))
            .get("smithy", "")
            .startswith("2")
        ):
            cases.append(path)
    return cases


@pytest.mark.parametrize(
    "case", _corpus_cases() or [None], ids=lambda p: p.stem if p else "corpus-absent"
)
def test_reference_corpus_case_round_trips(
    case: Path | None, load_files: Loader, tmp_path: Path
) -> None:
    shared = require_shared("smithy", "idl-valid", "__shared.json")
    assert case is not None
    expected = json.loads(case.read_text(encoding="utf-8"))
    # The reference runner always loads __shared.json beside each case.
    expected["shapes"] = {
        **json.loads(shared.read_text(encoding="utf-8"))["shapes"],
        **expected.get("shapes", {}),
    }
    loaded = round_trip(expected, load_files, tmp_path)
    # A member redefined under a mixin comes back as Smithy prints it: an apply.
    assert normalized(loaded["shapes"]) == normalized(
        fold_copied_members(expected["shapes"])
    )
    assert loaded.get("metadata", {}) == expected.get("metadata", {})


_json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(),
    lambda children: (
        st.lists(children, max_size=4)
        | st.dictionaries(st.text(max_size=8), children, max_size=4)
    ),
    max_leaves=12,
)


@settings(max_examples=150, deadline=None)
@given(value=_json_values, docs=st.text(min_size=1))
def test_generated_values_and_docs_round_trip(
    value: Any, docs: str, load_files: Loader
) -> None:
    ast: dict[str, Any] = {
        "smithy": "2.0",
        "shapes": {
            "ex.ns#note": {"type": "document", "traits": {"smithy.api#trait": {}}},
            "ex.ns#S": {
                "type": "string",
                "traits": {"ex.ns#note": value, "smithy.api#documentation": docs},
            },
        },
    }
    with tempfile.TemporaryDirectory() as folder:
        loaded = round_trip(ast, load_files, Path(folder))
    assert loaded["shapes"]["ex.ns#S"] == ast["shapes"]["ex.ns#S"]


def test_our_model_round_trips(load_files: Loader, tmp_path: Path) -> None:
    ast = load_files([PROJECT_ROOT / "model" / "ssm.smithy"])
    assert round_trip(ast, load_files, tmp_path) == ast


def test_inline_structures_with_traits_and_mixins_round_trip(
    load_files: Loader, tmp_path: Path
) -> None:
    ast = {"smithy": "2.0", "shapes": MIXED_INLINE_IO}
    assert round_trip(ast, load_files, tmp_path)["shapes"] == MIXED_INLINE_IO
