"""Members copied from mixins stay out of the printed shape; added traits are applies.

mixins.rst, "Adding and replacing traits on copied members": a shape keeps the
members it defines; the members it copies from its mixins are not written in
it. Traits added to a copied member with ``apply`` are written, as Smithy's
serializer writes them, as an ``apply`` entry holding only those traits
(json-ast.rst, "AST apply type"). A member redefined in the shape (same
target) is a local member with its local traits only.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from smithy_python.model import ShapeId, load_model
from smithygen.errors import ModelSyntaxError
from smithygen.idl import load_files, load_text
from smithygen.idl.writer import write_idl

HEAD = '$version: "2"\nnamespace smithy.example\n\n'


def _shapes(body: str) -> dict[str, Any]:
    shapes: dict[str, Any] = load_text(HEAD + body, "m.smithy")["shapes"]
    return shapes


def _apply(traits: dict[str, Any]) -> dict[str, Any]:
    return {"type": "apply", "traits": traits}


def _doc(text: str) -> dict[str, Any]:
    return {"smithy.api#documentation": text}


def test_structure_member_from_one_mixin() -> None:
    shapes = _shapes(
        "@mixin\nstructure A {\n    /// A.a\n    a: String\n}\n"
        "structure B with [A] {\n    b: String\n}\n"
        'apply B$a @documentation("B.a")\n'
    )
    assert shapes["smithy.example#B"] == {
        "type": "structure",
        "members": {"b": {"target": "smithy.api#String"}},
        "mixins": [{"target": "smithy.example#A"}],
    }
    assert shapes["smithy.example#B$a"] == _apply(_doc("B.a"))
    # The mixin itself is untouched.
    assert shapes["smithy.example#A"]["members"]["a"]["traits"] == _doc("A.a")


def test_members_through_a_chain_and_from_two_mixins() -> None:
    shapes = _shapes(
        "@mixin\nstructure A {\n    a: String\n}\n"
        "@mixin\nstructure B with [A] {\n    b: String\n}\n"
        "@mixin\nstructure C {\n    c: String\n}\n"
        "structure D with [B, C] {\n    d: String\n}\n"
        "apply D$a @required\n"
        "apply D$c @sensitive\n"
        'apply B$a @documentation("B\'s copy of a")\n'
    )
    assert set(shapes["smithy.example#D"]["members"]) == {"d"}
    assert set(shapes["smithy.example#B"]["members"]) == {"b"}
    assert shapes["smithy.example#D$a"] == _apply({"smithy.api#required": {}})
    assert shapes["smithy.example#D$c"] == _apply({"smithy.api#sensitive": {}})
    assert shapes["smithy.example#B$a"] == _apply(_doc("B's copy of a"))


def test_several_applies_to_one_copied_member_merge_into_one_entry() -> None:
    shapes = _shapes(
        "@mixin\nstructure A {\n    a: String\n}\n"
        "structure B with [A] {}\n"
        "apply B$a @required\n"
        'apply B$a {\n    @documentation("d")\n    @since("1")\n}\n'
        "apply B$a {}\n"
    )
    assert shapes["smithy.example#B$a"] == _apply(
        {
            "smithy.api#required": {},
            "smithy.api#documentation": "d",
            "smithy.api#since": "1",
        }
    )
    assert (
        "members" not in shapes["smithy.example#B"]
        or not (shapes["smithy.example#B"]["members"])
    )


def test_an_empty_apply_to_a_copied_member_leaves_no_entry() -> None:
    # The corpus case mixins/no-empty-apply-types: Smithy prints no empty apply.
    shapes = _shapes(
        "@mixin\nstructure A {\n    a: String\n}\n"
        "structure B with [A] {}\napply B$a {}\n"
    )
    assert "smithy.example#B$a" not in shapes


def test_union_list_map_and_enum_members_copied_from_mixins() -> None:
    shapes = _shapes(
        "@mixin\nunion U {\n    x: String\n}\n"
        "union V with [U] {\n    y: Integer\n}\n"
        'apply V$x @documentation("V.x")\n'
        "@mixin\nlist L {\n    member: String\n}\n"
        "list M with [L] {}\n"
        "apply M$member @length(min: 1)\n"
        "@mixin\nmap P {\n    key: String\n    value: Integer\n}\n"
        "map Q with [P] {}\n"
        'apply Q$key @pattern("^a")\n'
        "apply Q$value @range(max: 3)\n"
        "@mixin\nenum E {\n    ONE\n}\n"
        "enum F with [E] {\n    TWO\n}\n"
        'apply F$ONE @documentation("first")\n'
    )
    assert set(shapes["smithy.example#V"]["members"]) == {"y"}
    assert shapes["smithy.example#V$x"] == _apply(_doc("V.x"))
    assert "member" not in shapes["smithy.example#M"]
    assert shapes["smithy.example#M$member"] == _apply(
        {"smithy.api#length": {"min": 1}}
    )
    assert "key" not in shapes["smithy.example#Q"]
    assert shapes["smithy.example#Q$key"] == _apply({"smithy.api#pattern": "^a"})
    assert shapes["smithy.example#Q$value"] == _apply({"smithy.api#range": {"max": 3}})
    assert set(shapes["smithy.example#F"]["members"]) == {"TWO"}
    assert shapes["smithy.example#F$ONE"] == _apply(_doc("first"))


def test_resource_mixins_copy_traits_not_into_the_printed_resource() -> None:
    # A resource mixin has no properties (mixins.rst); the mixed resource
    # prints its own properties and traits, never the inherited @internal.
    shapes = _shapes(
        "@mixin\n@internal\nresource Base {}\n"
        '@documentation("own")\n'
        "resource Thing with [Base] {\n"
        "    identifiers: { id: String }\n    read: GetThing\n}\n"
        "@readonly\noperation GetThing {\n"
        "    input := {\n        @required\n        id: String\n    }\n}\n"
    )
    assert shapes["smithy.example#Thing"] == {
        "type": "resource",
        "identifiers": {"id": {"target": "smithy.api#String"}},
        "read": {"target": "smithy.example#GetThing"},
        "mixins": [{"target": "smithy.example#Base"}],
        "traits": {"smithy.api#documentation": "own"},
    }


def test_a_redefined_or_elided_member_prints_as_its_added_traits() -> None:
    # The corpus case mixins/idl-mixins-redefine-member writes the redefined
    # member in the shape; it is the copied member with @required added, which
    # Smithy's serializer prints as an apply entry (tests/idl/_corpus.py).
    shapes = _shapes(
        "@mixin\nstructure A {\n    @internal\n    a: String\n    b: String\n"
        "    c: String\n}\n"
        "structure B with [A] {\n    @required\n    a: String\n"
        "    @sensitive\n    $b\n    c: String\n    own: String\n}\n"
        'apply B$a @documentation("d")\n'
    )
    assert shapes["smithy.example#B"]["members"] == {
        "own": {"target": "smithy.api#String"}
    }
    assert shapes["smithy.example#B$a"] == _apply(
        {"smithy.api#required": {}, "smithy.api#documentation": "d"}
    )
    assert shapes["smithy.example#B$b"] == _apply({"smithy.api#sensitive": {}})
    assert "smithy.example#B$c" not in shapes  # redefined with nothing added


def test_a_list_member_redefined_under_a_mixin_prints_as_an_apply() -> None:
    shapes = _shapes(
        "@mixin\nlist L {\n    member: String\n}\n"
        "list M with [L] {\n    @length(min: 1)\n    member: String\n}\n"
    )
    assert "member" not in shapes["smithy.example#M"]
    assert shapes["smithy.example#M$member"] == _apply(
        {"smithy.api#length": {"min": 1}}
    )


def test_apply_to_a_member_no_mixin_provides_is_an_error() -> None:
    with pytest.raises(ModelSyntaxError) as caught:
        _shapes(
            "@mixin\nstructure A {\n    a: String\n}\n"
            "structure B with [A] {}\napply B$nope @required\n"
        )
    (diagnostic,) = caught.value.diagnostics
    assert diagnostic.line == 9
    assert "smithy.example#B$nope" in diagnostic.message


def test_json_ast_input_with_apply_to_a_copied_member_prints_the_same(
    tmp_path: Path,
) -> None:
    idl = (
        "@mixin\nstructure A {\n    a: String\n}\n"
        "structure B with [A] {}\napply B$a @required\n"
    )
    printed = load_text(HEAD + idl, "m.smithy")
    source = tmp_path / "m.json"
    source.write_text(json.dumps(printed))
    assert load_files([source]) == printed


def test_the_semantic_model_sees_the_applied_trait_on_the_flattened_member() -> None:
    model = load_text(
        HEAD
        + "@mixin\nstructure A {\n    a: String\n}\n"
        + "structure B with [A] {\n    b: String\n}\napply B$a @required\n",
        "m.smithy",
    )
    shape = load_model(json.dumps(model)).get_shape(
        ShapeId.from_string("smithy.example#B")
    )
    assert list(shape.members) == ["a", "b"]  # mixins.rst: inherited members first
    assert ShapeId("smithy.api", "required") in shape.members["a"].traits
    assert ShapeId("smithy.api", "required") not in shape.members["b"].traits


def test_the_idl_writer_round_trips_applies_to_copied_members() -> None:
    model = load_text(
        HEAD
        + "@mixin\nstructure A {\n    a: String\n}\n"
        + 'structure B with [A] {}\napply B$a @documentation("x")\n',
        "m.smithy",
    )
    (text,) = write_idl(model).values()
    assert 'apply B$a @documentation("x")' in text
    assert load_text(text, "again.smithy") == model
