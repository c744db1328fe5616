"""Behaviour of the loader that the corpus leaves implicit, each tied to its spec rule."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from smithygen.errors import ModelSyntaxError, SmithygenError
from smithygen.idl import dumps_ast, load_files, load_text

from tests.conftest import require_shared

V2 = '$version: "2"\n'


def _load(tmp_path: Path, **files: str) -> dict[str, Any]:
    """Write each text to a file named after its keyword (``a_smithy`` -> ``a.smithy``), load all."""
    paths = []
    for name, text in files.items():
        path = tmp_path / name.replace("_", ".", 1)
        path.write_text(text, "utf-8")
        paths.append(path)
    return load_files(paths)


def _errors(text: str) -> list[str]:
    with pytest.raises(ModelSyntaxError) as caught:
        load_text(text, "m.smithy")
    return [f"{d.line}:{d.column}: {d.message}" for d in caught.value.diagnostics]


def test_relative_ids_resolve_use_then_namespace_then_prelude_across_files(
    tmp_path: Path,
) -> None:
    # idl.rst, "Relative shape ID resolution": forward references work across files.
    model = _load(
        tmp_path,
        a_smithy=V2
        + "namespace a.b\nuse x.y#Integer\n"
        + "structure S {\n    i: Integer\n    s: String\n    l: Long\n}\n",
        b_smithy=V2 + "namespace a.b\nstring String\n",
        c_smithy=V2 + "namespace x.y\ninteger Integer\n",
    )
    members = model["shapes"]["a.b#S"]["members"]
    assert members == {
        "i": {"target": "x.y#Integer"},
        "s": {"target": "a.b#String"},
        "l": {"target": "smithy.api#Long"},
    }


def test_unresolved_member_target_is_an_error() -> None:
    [error] = _errors(V2 + "namespace a.b\n\nlist L {\n    member: Nope\n}\n")
    assert error.startswith("5:13: a.b#L: member `member` targets `a.b#Nope`")


def test_syntactic_shape_ids_in_trait_values_resolve_like_targets() -> None:
    model = load_text(
        V2 + "namespace a.b\n@trait\nstring ref\n\n@ref(Blob)\n@tags([String])\n"
        "string S\n\nstring Blob\n",
        "m.smithy",
    )
    traits = model["shapes"]["a.b#S"]["traits"]
    assert traits == {"a.b#ref": "a.b#Blob", "smithy.api#tags": ["smithy.api#String"]}


def test_metadata_merges_lists_and_equal_values_and_rejects_conflicts(
    tmp_path: Path,
) -> None:
    # model.rst, "Metadata conflicts".
    model = _load(
        tmp_path,
        a_smithy=V2
        + 'metadata list = ["a"]\nmetadata same = {k: 1}\nmetadata id = String\n',
        b_smithy=V2 + 'metadata list = ["b", "c"]\nmetadata same = {k: 1}\n',
        c_json=json.dumps({"smithy": "2.0", "metadata": {"list": ["d"]}}),
    )
    assert model["metadata"] == {
        "list": ["a", "b", "c", "d"],
        "same": {"k": 1},
        "id": "smithy.api#String",
    }
    with pytest.raises(ModelSyntaxError) as caught:
        _load(tmp_path, d_smithy="metadata x = 1\n", e_smithy="metadata x = 2\n")
    assert "Metadata conflict for key `x`" in str(caught.value)


def test_apply_statements_reach_shapes_members_and_inherited_members() -> None:
    model = load_text(
        V2
        + "namespace a.b\n@mixin\nstructure M {\n    id: String\n}\n"
        + "structure S with [M] {\n    own: String\n}\n"
        + 'apply S @sensitive\napply S$own {\n    @required\n    @since("1")\n}\n'
        + 'apply S$id @documentation("inherited")\n',
        "m.smithy",
    )
    shape = model["shapes"]["a.b#S"]
    assert shape["traits"] == {"smithy.api#sensitive": {}}
    assert shape["members"]["own"]["traits"] == {
        "smithy.api#required": {},
        "smithy.api#since": "1",
    }
    # mixins.rst, "Adding and replacing traits on copied members": the copied
    # member stays out of the shape; its added traits are an apply entry.
    assert "id" not in shape["members"]
    assert model["shapes"]["a.b#S$id"] == {
        "type": "apply",
        "traits": {"smithy.api#documentation": "inherited"},
    }


def test_trait_conflicts_concatenate_lists_ignore_equal_values_and_reject_others() -> (
    None
):
    # model.rst, "Trait conflict resolution".
    model = load_text(
        V2 + 'namespace a.b\n@tags(["a"])\n@length(min: 1)\nstring S\n'
        'apply S @tags(["b"])\napply S @length(min: 1)\n',
        "m.smithy",
    )
    assert model["shapes"]["a.b#S"]["traits"] == {
        "smithy.api#tags": ["a", "b"],
        "smithy.api#length": {"min": 1},
    }
    [error] = _errors(
        V2 + "namespace a.b\n@length(min: 1)\nstring S\napply S @length(min: 2)\n"
    )
    assert "Conflicting `smithy.api#length` trait values" in error


def test_traits_without_values_take_the_empty_value_of_their_shape() -> None:
    # idl.rst, "Omitted trait values".
    model = load_text(
        V2 + "namespace a.b\n@trait\nlist marks {\n    member: String\n}\n"
        "@trait\nstructure flag {}\n"
        "@marks @flag() @tags\nstring S\n",
        "m.smithy",
    )
    assert model["shapes"]["a.b#S"]["traits"] == {
        "a.b#marks": [],
        "a.b#flag": {},
        "smithy.api#tags": [],
    }
    # Any other trait takes null, which a string trait's value cannot be
    # (model.rst, "Trait values").
    [error] = _errors(V2 + "namespace a.b\n@trait\nstring note\n@note\nstring S\n")
    assert error == (
        "5:2: a.b#S: error validating trait `a.b#note`: expected a string, found null"
    )


def test_unknown_trait_in_a_loaded_namespace_is_an_error_but_foreign_ones_are_trusted() -> (
    None
):
    [error] = _errors(V2 + "namespace a.b\n@nope\nstring S\n")
    assert error.startswith("3:2: Unable to resolve trait `a.b#nope`")
    model = load_text(
        V2 + 'namespace a.b\nuse aws.api#service\n@service(sdkId: "X")\nservice S {}\n',
        "m.smithy",
    )
    assert model["shapes"]["a.b#S"]["traits"] == {"aws.api#service": {"sdkId": "X"}}


def test_inline_input_output_get_suffixes_traits_docs_and_mixins() -> None:
    model = load_text(
        V2 + '$operationInputSuffix: "Req"\nnamespace a.b\n@mixin\nstructure Base {\n'
        "    id: String\n}\noperation Get {\n    input := @sensitive with [Base] {\n"
        "        name: String\n    }\n    output :=\n        /// Out.\n        {}\n}\n",
        "m.smithy",
    )
    shapes = model["shapes"]
    assert shapes["a.b#Get"]["input"] == {"target": "a.b#GetReq"}
    assert shapes["a.b#GetReq"]["traits"] == {
        "smithy.api#sensitive": {},
        "smithy.api#input": {},
    }
    assert shapes["a.b#GetReq"]["mixins"] == [{"target": "a.b#Base"}]
    assert shapes["a.b#GetOutput"]["traits"] == {
        "smithy.api#documentation": "Out.",
        "smithy.api#output": {},
    }


def test_elided_targets_come_from_the_bound_resource_before_mixins() -> None:
    # idl.rst, "Target Elision".
    model = load_text(
        V2 + "namespace a.b\nresource R {\n    identifiers: { id: String }\n"
        "    properties: { size: Integer }\n}\n@mixin\nstructure M {\n    extra: Blob\n}\n"
        "structure S for R with [M] {\n    $id\n    $size\n    @required\n    $extra\n}\n",
        "m.smithy",
    )
    assert model["shapes"]["a.b#S"]["members"] == {
        "id": {"target": "smithy.api#String"},
        "size": {"target": "smithy.api#Integer"},
    }
    # $extra is the mixin's member with a trait added: printed as Smithy does
    # (tests/idl/test_mixin_members.py).
    assert model["shapes"]["a.b#S$extra"] == {
        "type": "apply",
        "traits": {"smithy.api#required": {}},
    }


def test_json_ast_files_merge_with_idl_and_their_applies_are_honoured(
    tmp_path: Path,
) -> None:
    # json-ast.rst, "AST apply type": an apply entry adds traits to a shape or member.
    shapes = {
        "j.k#Name": {"type": "string"},
        "a.b#S$name": {"type": "apply", "traits": {"smithy.api#required": {}}},
    }
    model = _load(
        tmp_path,
        a_json=json.dumps({"smithy": "2.0", "shapes": shapes}),
        b_smithy=V2 + "namespace a.b\nuse j.k#Name\nstructure S {\n    name: Name\n}\n",
    )
    assert model["shapes"]["j.k#Name"] == {"type": "string"}
    assert model["shapes"]["a.b#S"]["members"]["name"] == {
        "target": "j.k#Name",
        "traits": {"smithy.api#required": {}},
    }


def test_same_shape_in_two_files_merges_traits_or_conflicts(tmp_path: Path) -> None:
    # model.rst, "Merging model files".
    model = _load(
        tmp_path,
        a_smithy=V2 + "namespace a.b\n@sensitive\nstring S\n",
        b_json=json.dumps(
            {
                "smithy": "2.0",
                "shapes": {
                    "a.b#S": {"type": "string", "traits": {"smithy.api#since": "2"}}
                },
            }
        ),
    )
    assert model["shapes"]["a.b#S"]["traits"] == {
        "smithy.api#sensitive": {},
        "smithy.api#since": "2",
    }
    with pytest.raises(
        ModelSyntaxError, match=r"Conflicting shape definition for `a\.b#S`"
    ):
        _load(
            tmp_path,
            c_smithy=V2 + "namespace a.b\nstring S\n",
            d_smithy=V2 + "namespace a.b\nblob S\n",
        )


def test_spellings_of_an_empty_definition_merge_as_one_shape(tmp_path: Path) -> None:
    # json-ast.rst: "members" may be omitted; an operation's input defaults to Unit.
    model = _load(
        tmp_path,
        a_smithy=V2 + "namespace a.b\n@idempotent\noperation Op {}\nstructure S {}\n",
        b_json=json.dumps(
            {
                "smithy": "2.0",
                "shapes": {
                    "a.b#Op": {
                        "type": "operation",
                        "traits": {"smithy.api#readonly": {}},
                    },
                    "a.b#S": {"type": "structure"},
                },
            }
        ),
    )
    assert model["shapes"]["a.b#Op"]["traits"] == {
        "smithy.api#idempotent": {},
        "smithy.api#readonly": {},
    }
    assert model["shapes"]["a.b#S"] == {"type": "structure", "members": {}}


def test_enum_members_get_their_names_as_values_and_int_enums_need_integers() -> None:
    model = load_text(
        V2 + 'namespace a.b\nenum E {\n    A\n    B = "b"\n}\n', "m.smithy"
    )
    members = model["shapes"]["a.b#E"]["members"]
    assert members["A"]["traits"] == {"smithy.api#enumValue": "A"}
    assert members["B"]["traits"] == {"smithy.api#enumValue": "b"}
    [error] = _errors(V2 + "namespace a.b\nintEnum I {\n    A\n}\n")
    assert "intEnum members require integer values, but found: null" in error


def test_documentation_comments_attach_only_right_before_a_shape_or_member() -> None:
    # idl.rst, "Documentation comment": docs MUST come before the traits.
    model = load_text(
        V2 + "namespace a.b\n/// Shape docs\n///   indented\n@sensitive\n/// ignored\n"
        "structure S {\n    /// Member docs\n    a: String\n}\n",
        "m.smithy",
    )
    shape = model["shapes"]["a.b#S"]
    assert shape["traits"]["smithy.api#documentation"] == "Shape docs\n  indented"
    assert shape["members"]["a"]["traits"] == {
        "smithy.api#documentation": "Member docs"
    }


def test_version_one_files_accept_sets_and_reject_version_two_syntax() -> None:
    model = load_text(
        '$version: "1.0"\nnamespace a.b\nset S {\n    member: String\n}\n', "m.smithy"
    )
    # Upgraded to 2.0 semantics (tests/idl/test_upgrade_v1.py).
    assert model["shapes"]["a.b#S"]["type"] == "list"
    [error] = _errors('$version: "1.0"\nnamespace a.b\nenum E {\n    A\n}\n')
    assert error == "3:1: enum shapes cannot be used in Smithy version 1.0"


def test_version_one_operation_bodies_may_quote_property_names() -> None:
    # IDL 1.0 wrote an operation body as a node object, keys quoted or not.
    model = load_text(
        'namespace a.b\noperation O {\n    "input": I,\n    errors: [E]\n}\n'
        'structure I {}\n@error("client")\nstructure E {}\n',
        "m.smithy",
    )
    assert model["shapes"]["a.b#O"]["input"] == {"target": "a.b#I"}
    assert model["shapes"]["a.b#O"]["errors"] == [{"target": "a.b#E"}]
    errors = _errors(
        V2 + 'namespace a.b\noperation O {\n    "input": I\n}\nstructure I {}\n'
    )
    assert errors == ["4:5: Expected IDENTIFIER but found STRING('\"input\"')"]


def test_shape_ids_must_differ_case_insensitively(tmp_path: Path) -> None:
    # model.rst, "Shape ID conflicts".
    with pytest.raises(ModelSyntaxError, match="case-insensitively"):
        _load(tmp_path, a_smithy=V2 + "namespace a.b\nstring Foo\nstring FOO\n")


def test_case_insensitive_member_names_conflict() -> None:
    [error] = _errors(
        V2 + "namespace a.b\nstructure S {\n    a: String\n    A: String\n}\n"
    )
    assert error == "5:5: Found conflicting member name, `A`"


def test_line_endings_and_commas_do_not_change_the_model() -> None:
    plain = load_text(
        V2 + "namespace a.b\nmap M {\n    key: String\n    value: String\n}\n", "m"
    )
    crlf = load_text(
        (V2 + "namespace a.b\nmap M {key: String,,, value: String,}\n").replace(
            "\n", "\r\n"
        ),
        "m",
    )
    assert plain == crlf


@pytest.mark.parametrize(
    ("body", "line", "fragment"),
    [
        # idl.rst, "Inline input / output shapes": the generated name is taken.
        (
            "operation Get {\n    input := {}\n}\nstructure GetInput {}\n",
            6,
            "defined more than once",
        ),
        ('enum E {\n    A = "x"\n    B = "x"\n}\n', 3, 'same value "x"'),
        ("structure S {\n    a: String = 1\n}\n", 3, "default value 1 is not valid"),
        (
            'structure S {\n    a: Strings = ["x"]\n}\nlist Strings {\n    member: String\n}\n',
            3,
            "not valid for the list",
        ),
        ("operation O {\n    input: Blob\n}\n", 3, "must target a structure"),
        ("operation O {\n    errors: [E]\n}\nstructure E {}\n", 3, "@error trait"),
        (
            "structure S {\n    op: O\n}\noperation O {}\n",
            4,
            "cannot target the operation",
        ),
        (
            "map M {\n    key: Integer\n    value: String\n}\n",
            4,
            "must target a string or enum shape",
        ),
        ("@Blob\nstring S\n", 4, "is not a trait shape"),
        ("structure S {\n    u: Unit\n}\n", 4, "only unions and operations"),
        ("union U {}\n", 3, "at least one member"),
        ('union U {\n    a: String = ""\n}\n', 3, "only structure members"),
        ("structure notATrait {}\n@notATrait\nstring S\n", 5, "has no @trait trait"),
    ],
)
def test_clear_model_errors_are_reported_at_their_shape(
    body: str, line: int, fragment: str
) -> None:
    errors = _errors(V2 + "namespace a.b\n" + body)
    assert any(
        error.startswith(f"{line}:") and fragment in error for error in errors
    ), errors


def test_official_json_ast_models_pass_through_unchanged() -> None:
    root = require_shared("aws-models")
    paths = sorted(root.glob("*.json"))
    expected: dict[str, Any] = {}
    for path in paths:
        expected.update(json.loads(path.read_text("utf-8"))["shapes"])

    model = load_files(paths)

    assert model["shapes"] == expected


def test_a_directory_stands_for_its_smithy_and_json_files(tmp_path: Path) -> None:
    (tmp_path / "nested").mkdir()
    (tmp_path / "nested" / "a.smithy").write_text(
        V2 + "namespace a.b\nstring A\n", "utf-8"
    )
    (tmp_path / "b.json").write_text(
        json.dumps({"smithy": "2.0", "shapes": {"a.b#B": {"type": "blob"}}}), "utf-8"
    )
    (tmp_path / "notes.txt").write_text("not a model", "utf-8")

    assert sorted(load_files([tmp_path])["shapes"]) == ["a.b#A", "a.b#B"]


def test_json_ast_numbers_stay_exact_and_nan_cannot_be_printed(tmp_path: Path) -> None:
    trait = {"smithy.api#range": {"min": 0}}
    document = {
        "smithy": "2.0",
        "shapes": {"a.b#I": {"type": "integer", "traits": trait}},
    }
    text = json.dumps(document).replace('"min": 0', '"min": 2E+308')
    model = _load(tmp_path, a_json=text)
    assert model["shapes"]["a.b#I"]["traits"]["smithy.api#range"]["min"] == 2 * 10**308

    # Python's json reads NaN; the AST printer refuses it with a typed error.
    nan_model = _load(tmp_path, b_json=text.replace("2E+308", "NaN"))
    with pytest.raises(SmithygenError, match="nan is not a JSON number"):
        dumps_ast(nan_model)
