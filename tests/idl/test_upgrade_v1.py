"""IDL 1.0 models are printed with Smithy 2.0 semantics (see idl/_upgrade.py).

1.0 numbers and booleans are primitive unless ``@box``; 2.0 says the same with
``@default``. ``set`` becomes a list with ``@uniqueItems``. ``@box`` stays as
the 1.0 model wrote it; nothing else marks a shape's version.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from smithy_python.model import ShapeId, load_model
from smithygen.idl import load_files, load_text

V1 = '$version: "1.0"\nnamespace a.b\n'


def _shapes(text: str) -> dict[str, Any]:
    shapes: dict[str, Any] = load_text(text, "m.smithy")["shapes"]
    return shapes


def test_primitive_roots_get_zero_defaults_and_boxed_ones_do_not() -> None:
    shapes = _shapes(
        V1
        + "integer Count\nboolean Flag\ndouble Ratio\n"
        + "@box\ninteger MaybeCount\nstring Name\nbigInteger Huge\n"
    )
    assert shapes["a.b#Count"]["traits"] == {"smithy.api#default": 0}
    assert shapes["a.b#Flag"]["traits"] == {"smithy.api#default": False}
    assert shapes["a.b#Ratio"]["traits"] == {"smithy.api#default": 0}
    assert shapes["a.b#MaybeCount"]["traits"] == {"smithy.api#box": {}}
    assert "traits" not in shapes["a.b#Name"]
    assert "traits" not in shapes["a.b#Huge"]  # not a 1.0 primitive type


def test_members_targeting_primitives_get_the_default_unless_boxed() -> None:
    shapes = _shapes(
        V1
        + "integer Count\n@box\ninteger MaybeCount\n"
        + "structure S {\n"
        + "    count: Count,\n"
        + "    @box\n    boxedCount: Count,\n"
        + "    maybe: MaybeCount,\n"
        + "    prim: PrimitiveBoolean,\n"
        + "    @box\n    boxedPrim: PrimitiveLong,\n"
        + "    boxed: Integer,\n"
        + "    @required\n    requiredCount: Count,\n"
        + "}\n"
    )
    members = shapes["a.b#S"]["members"]
    default = "smithy.api#default"
    assert members["count"]["traits"] == {default: 0}
    assert members["boxedCount"]["traits"] == {"smithy.api#box": {}, default: None}
    assert "traits" not in members["maybe"]
    assert members["prim"]["traits"] == {default: False}
    assert members["boxedPrim"]["traits"] == {"smithy.api#box": {}, default: None}
    assert "traits" not in members["boxed"]  # the prelude Integer is boxed
    assert members["requiredCount"]["traits"] == {
        "smithy.api#required": {},
        default: 0,
    }


def test_sets_become_lists_with_unique_items() -> None:
    shapes = _shapes(V1 + "set Tags {\n    member: String\n}\n")
    assert shapes["a.b#Tags"] == {
        "type": "list",
        "member": {"target": "smithy.api#String"},
        "traits": {"smithy.api#uniqueItems": {}},
    }


def test_a_file_without_version_is_read_as_1_0() -> None:
    shapes = _shapes("namespace a.b\ninteger Count\n")
    assert shapes["a.b#Count"]["traits"] == {"smithy.api#default": 0}


def test_version_2_shapes_are_left_alone_beside_version_1_ones(tmp_path: Path) -> None:
    (tmp_path / "old.smithy").write_text(V1 + "integer Count\n")
    (tmp_path / "new.smithy").write_text(
        '$version: "2"\nnamespace a.c\ninteger Count\n'
        "structure S {\n    n: Count\n    p: PrimitiveInteger = 0\n}\n"
    )
    shapes = load_files([tmp_path])["shapes"]
    assert shapes["a.b#Count"]["traits"] == {"smithy.api#default": 0}
    assert "traits" not in shapes["a.c#Count"]
    assert "traits" not in shapes["a.c#S"]["members"]["n"]


def test_json_ast_1_0_documents_are_upgraded_the_same_way(tmp_path: Path) -> None:
    source = tmp_path / "m.json"
    source.write_text(
        json.dumps(
            {
                "smithy": "1.0",
                "shapes": {
                    "a.b#Count": {"type": "integer"},
                    "a.b#Tags": {"type": "set", "member": {"target": "a.b#Count"}},
                    "a.b#S": {
                        "type": "structure",
                        "members": {"count": {"target": "a.b#Count"}},
                    },
                },
            }
        )
    )
    idl = V1 + "integer Count\nset Tags {\n    member: Count\n}\n"
    idl += "structure S {\n    count: Count\n}\n"
    assert load_files([source])["shapes"] == _shapes(idl)


def test_the_upgraded_model_has_2_0_meaning_in_the_semantic_model() -> None:
    model = load_model(
        json.dumps(
            load_text(
                V1 + "integer Count\nstructure S {\n    count: Count,\n"
                "    @box\n    other: PrimitiveInteger\n}\n",
                "m.smithy",
            )
        )
    )
    shape = model.get_shape(ShapeId.from_string("a.b#S"))
    default = ShapeId("smithy.api", "default")
    assert shape.members["count"].traits[default] == 0
    assert shape.members["other"].traits[default] is None
