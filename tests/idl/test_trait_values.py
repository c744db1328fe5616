"""Trait values are checked against the shapes that define their traits.

model.rst, "Trait values": a value must be compatible with its trait's shape.
Prelude traits are defined as the specification describes them; user traits
and traits of loaded trait models by their own shapes. Each problem is one
``FILE:LINE:COLUMN`` diagnostic at the trait, never a traceback.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from smithygen.cli import main
from smithygen.errors import ModelSyntaxError
from smithygen.idl import load_files, load_text

HEAD = '$version: "2"\nnamespace smithy.example\n'


def _errors(body: str) -> list[str]:
    with pytest.raises(ModelSyntaxError) as caught:
        load_text(HEAD + body, "m.smithy")
    return [f"{d.line}:{d.column}: {d.message}" for d in caught.value.diagnostics]


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        # structure members: unknown and required (http-bindings.rst, "http trait")
        (
            '@http(method: "GET", path: "/")\noperation Op {}\n',
            [
                "3:2: smithy.example#Op: error validating trait `smithy.api#http`: "
                "unknown member `path` (members: method, uri, code)",
                "3:2: smithy.example#Op: error validating trait `smithy.api#http`: "
                "missing required member `uri`",
            ],
        ),
        # JSON types
        (
            '@length(min: "1")\nstring S\n',
            [
                "3:2: smithy.example#S: error validating trait `smithy.api#length`.min: "
                "expected an integer, found a string"
            ],
        ),
        (
            "@documentation(1)\nstring S\n",
            [
                "3:2: smithy.example#S: error validating trait "
                "`smithy.api#documentation`: expected a string, found a number"
            ],
        ),
        # enum values (type-refinement-traits.rst, "error trait")
        (
            '@error("nobody")\nstructure E {}\n',
            [
                "3:2: smithy.example#E: error validating trait `smithy.api#error`: "
                "'nobody' is not one of the enum values 'client', 'server'"
            ],
        ),
        # ranges
        (
            '@error("client")\n@httpError(600)\nstructure E {}\n',
            [
                "4:2: smithy.example#E: error validating trait `smithy.api#httpError`: "
                "600 is above the maximum 599"
            ],
        ),
        (
            '@http(method: "GET", uri: "/", code: 42)\noperation Op {}\n',
            [
                "3:2: smithy.example#Op: error validating trait `smithy.api#http`.code: "
                "42 is below the minimum 100"
            ],
        ),
        # lengths and patterns on members
        (
            'structure S {\n    @httpHeader("")\n    a: String\n}\n',
            [
                "4:6: smithy.example#S$a: error validating trait "
                "`smithy.api#httpHeader`: length 0 is below the minimum 1"
            ],
        ),
        (
            'structure S {\n    @xmlName("1abc")\n    a: String\n}\n',
            [
                "4:6: smithy.example#S$a: error validating trait `smithy.api#xmlName`: "
                "'1abc' does not match the pattern "
                "'^[a-zA-Z_][a-zA-Z_0-9-]*(:[a-zA-Z_][a-zA-Z_0-9-]*)?$'"
            ],
        ),
        # idRef: an absolute id that must exist (type-refinement-traits.rst, mixin)
        (
            "@mixin(localTraits: [smithy.example#notThere])\nstructure M {}\n",
            [
                "3:2: smithy.example#M: error validating trait `smithy.api#mixin`"
                ".localTraits[0]: `smithy.example#notThere` does not refer to a "
                "shape of the model"
            ],
        ),
        (
            '@mixin(localTraits: ["not an id"])\nstructure M {}\n',
            [
                "3:2: smithy.example#M: error validating trait `smithy.api#mixin`"
                ".localTraits[0]: 'not an id' is not an absolute shape id"
            ],
        ),
        # constraint-traits.rst: "At least one of min, max is required."
        (
            "@length\nstring S\n",
            [
                "3:2: smithy.example#S: error validating trait `smithy.api#length`: "
                "at least one of min or max is required"
            ],
        ),
        # apply statements are checked at the trait they apply
        (
            'string S\napply S @pattern(["a"])\n',
            [
                "4:10: smithy.example#S: error validating trait `smithy.api#pattern`: "
                "expected a string, found an array"
            ],
        ),
    ],
)
def test_prelude_trait_values(body: str, expected: list[str]) -> None:
    assert _errors(body) == expected


def test_user_trait_definitions_are_enforced() -> None:
    errors = _errors(
        "@trait\nstructure owner {\n"
        "    @required\n    team: String\n"
        "    level: Level\n    tags: Tags\n    contact: Contact\n}\n"
        "@range(min: 1, max: 3)\ninteger Level\n"
        "@length(max: 2)\nlist Tags {\n    member: String\n}\n"
        "union Contact {\n    email: String\n    phone: String\n}\n"
        '@owner(level: 7, tags: ["a", "b", "c"], contact: {email: "e", phone: "p"})\n'
        "string S\n"
    )
    prefix = "21:2: smithy.example#S: error validating trait `smithy.example#owner`"
    assert errors == [
        f"{prefix}.level: 7 is above the maximum 3",
        f"{prefix}.tags: length 3 is above the maximum 2",
        f"{prefix}.contact: a union value sets exactly one member, found 2",
        f"{prefix}: missing required member `team`",
    ]


def test_traits_of_a_loaded_trait_model_are_enforced(tmp_path: Path) -> None:
    (tmp_path / "traits.smithy").write_text(
        '$version: "2"\nnamespace acme.traits\n'
        "@trait\nmap labels {\n    key: Key\n    value: Integer\n}\n"
        '@pattern("^[a-z]+$")\nstring Key\n'
    )
    (tmp_path / "model.smithy").write_text(
        '$version: "2"\nnamespace acme.store\nuse acme.traits#labels\n'
        '@labels(good: 1, "Bad": 2, other: "3")\nstring S\n'
    )
    with pytest.raises(ModelSyntaxError) as caught:
        load_files([tmp_path])
    assert [str(d) for d in caught.value.diagnostics] == [
        f"{tmp_path / 'model.smithy'}:4:2: acme.store#S: error validating trait "
        f"`acme.traits#labels` (key 'Bad'): 'Bad' does not match the pattern '^[a-z]+$'",
        f"{tmp_path / 'model.smithy'}:4:2: acme.store#S: error validating trait "
        "`acme.traits#labels`.other: expected an integer, found a string",
    ]


def test_traits_of_namespaces_not_loaded_are_taken_on_trust() -> None:
    model = load_text(
        HEAD + "use aws.api#service\n@service(anything: [1, 2])\nservice S {}\n",
        "m.smithy",
    )
    assert model["shapes"]["smithy.example#S"]["traits"] == {
        "aws.api#service": {"anything": [1, 2]}
    }


def test_valid_values_of_every_kind_load() -> None:
    model = load_text(
        HEAD
        + '@http(method: "GET", uri: "/x", code: 200)\n@readonly\noperation Op {}\n'
        + '@error("server")\n@httpError(503)\n@retryable(throttling: true)\n'
        + "structure E {}\n"
        + "@mixin(localTraits: [smithy.api#private])\n@private\nstructure M {}\n"
        + '@length(min: 1, max: 10)\n@pattern("^a")\nstring S\n'
        + '@externalDocumentation("API Reference": "https://example.com")\n'
        + '@deprecated(message: "no", since: "1")\nstring T\n',
        "m.smithy",
    )
    assert "smithy.example#T" in model["shapes"]


def test_json_ast_input_problems_are_reported_at_the_shape(tmp_path: Path) -> None:
    source = tmp_path / "m.json"
    source.write_text(
        json.dumps(
            {
                "smithy": "2.0",
                "shapes": {
                    "a.b#S": {"type": "string", "traits": {"smithy.api#length": []}}
                },
            },
            indent=4,
        )
    )
    with pytest.raises(ModelSyntaxError) as caught:
        load_files([source])
    (diagnostic,) = caught.value.diagnostics
    assert (diagnostic.line, diagnostic.message) == (
        4,
        "a.b#S: error validating trait `smithy.api#length`: "
        "expected an object, found an array",
    )


def test_the_cli_prints_file_line_column_and_no_traceback(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = tmp_path / "m.smithy"
    source.write_text(HEAD + '@error("nobody")\nstructure E {}\n')
    assert main(["ast", str(source)]) == 1
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err == (
        f"{source}:3:2: smithy.example#E: error validating trait `smithy.api#error`: "
        "'nobody' is not one of the enum values 'client', 'server'\n"
    )


def test_every_prelude_definition_names_a_prelude_shape() -> None:
    """A misspelt definition (``httpHeaders``) would check nothing: none is."""
    from smithygen.idl._prelude import PRELUDE_SHAPE_TYPES
    from smithygen.idl._prelude_traits import prelude_trait_shapes

    definitions = prelude_trait_shapes()
    assert len(definitions) > 80
    for shape_id, shape in definitions.items():
        namespace, _, name = shape_id.partition("#")
        assert namespace == "smithy.api"
        # Traits (lowercase) are the prelude's; value shapes the prelude also
        # has keep its type; the others (TraitIdList) are helpers of the table.
        if name[0].islower() or name in PRELUDE_SHAPE_TYPES:
            assert PRELUDE_SHAPE_TYPES.get(name) == shape["type"], shape_id
