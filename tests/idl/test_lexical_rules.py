"""Where documentation comments count, intEnum value range, keywords inside identifiers."""

from __future__ import annotations

from typing import Any

import pytest
from smithygen.errors import ModelSyntaxError
from smithygen.idl import load_files, load_text

HEAD = '$version: "2"\nnamespace smithy.example\n'


def _traits(text: str, shape: str) -> dict[str, Any]:
    traits: dict[str, Any] = load_text(text, "m.smithy")["shapes"][
        f"smithy.example#{shape}"
    ].get("traits", {})
    return traits


def _docs(text: str, shape: str) -> str | None:
    value = _traits(text, shape).get("smithy.api#documentation")
    return value if value is None else str(value)


# --- documentation comments ------------------------------------------------------
# idl.rst, "Documentation comment": one is formed when "///" are the first
# non-whitespace characters on a line; anywhere else "///" starts a comment.


def test_doc_comment_after_the_version_statement_on_its_line_is_ignored() -> None:
    text = '$version: "2" /// not docs\nnamespace smithy.example\nstring A\n'
    assert _docs(text, "A") is None


def test_doc_comment_after_namespace_on_its_line_is_ignored() -> None:
    text = '$version: "2"\nnamespace smithy.example /// not docs\nstring A\n'
    assert _docs(text, "A") is None


def test_doc_comment_after_a_shape_on_its_line_belongs_to_no_shape() -> None:
    text = HEAD + "string A /// not docs of A or B\nstring B\n"
    assert _docs(text, "A") is None
    assert _docs(text, "B") is None


def test_doc_comment_after_a_trait_or_member_on_its_line_is_ignored() -> None:
    text = (
        HEAD
        + "/// Real docs\n@length(min: 1) /// not docs\nstring A\n"
        + "structure S {\n    a: String /// not docs of a or b\n    b: String\n}\n"
    )
    assert _docs(text, "A") == "Real docs"
    members = load_text(text, "m.smithy")["shapes"]["smithy.example#S"]["members"]
    assert members == {
        "a": {"target": "smithy.api#String"},
        "b": {"target": "smithy.api#String"},
    }


def test_doc_lines_on_their_own_lines_still_combine_after_an_ignored_one() -> None:
    text = HEAD + "string A /// ignored\n/// first\n  /// second\nstring B\n"
    assert _docs(text, "B") == "first\nsecond"


def test_doc_comment_on_its_own_line_before_namespace_is_ignored() -> None:
    # The corpus case doc-comments/doc-comments.smithy ("before namespace").
    text = '$version: "2"\n/// not docs\nnamespace smithy.example\nstring A\n'
    assert _docs(text, "A") is None


# --- intEnum values ----------------------------------------------------------------
# simple-types.rst, "intEnum": the values are integers, the prelude's 32-bit
# signed Integer.


@pytest.mark.parametrize("value", ["-2147483648", "0", "2147483647"])
def test_int_enum_values_in_the_32_bit_range_load(value: str) -> None:
    text = HEAD + f"intEnum E {{\n    A = {value}\n}}\n"
    member = load_text(text, "m.smithy")["shapes"]["smithy.example#E"]["members"]["A"]
    assert member["traits"] == {"smithy.api#enumValue": int(value)}


@pytest.mark.parametrize(
    "value", ["2147483648", "-2147483649", "9223372036854775808", "1.5", "1e3"]
)
def test_int_enum_values_outside_the_32_bit_range_are_rejected(value: str) -> None:
    text = HEAD + f"intEnum E {{\n    OK = 1\n    A = {value}\n}}\n"
    with pytest.raises(ModelSyntaxError) as caught:
        load_text(text, "m.smithy")
    (diagnostic,) = caught.value.diagnostics
    assert diagnostic.message.startswith(
        "smithy.example#E$A: intEnum members require integer values, but found: "
    )
    assert (diagnostic.line, diagnostic.column) == (5, 7)  # at the value's "="


def test_int_enum_range_applies_to_json_ast_input_too(tmp_path: Any) -> None:
    source = tmp_path / "m.json"
    source.write_text(
        '{"smithy": "2.0", "shapes": {"a.b#E": {"type": "intEnum", "members": '
        '{"A": {"target": "smithy.api#Unit", "traits": '
        '{"smithy.api#enumValue": 4294967296}}}}}}'
    )
    with pytest.raises(ModelSyntaxError) as caught:
        load_files([source])
    assert "a.b#E$A: intEnum members require integer values" in str(caught.value)


# --- keywords inside identifiers ---------------------------------------------------
# idl.rst, "Node values": true, false and null are keywords only as whole
# identifiers; truefalse, nullable or falsey are syntactic shape ids.

KEYWORD_LIKE = ["truefalse", "nullable", "falsey", "true_", "null1", "True", "NULL"]


@pytest.mark.parametrize("word", KEYWORD_LIKE)
def test_keyword_prefixed_identifiers_are_shape_ids_in_every_node_position(
    word: str,
) -> None:
    text = (
        HEAD
        + "@trait\nstructure meta {\n    one: Document\n    many: Document\n}\n"
        + f"@meta(one: {word}, many: [{word}, {{key: {word}}}])\n"
        + f"@tags([{word}])\nstring S\n"
        + f"structure {word} {{}}\n"
    )
    model = load_text(text, "m.smithy")
    resolved = f"smithy.example#{word}"
    traits = model["shapes"]["smithy.example#S"]["traits"]
    assert traits["smithy.example#meta"] == {
        "one": resolved,
        "many": [resolved, {"key": resolved}],
    }
    assert traits["smithy.api#tags"] == [resolved]


@pytest.mark.parametrize("word", KEYWORD_LIKE)
def test_keyword_prefixed_identifiers_in_metadata_and_single_trait_values(
    word: str,
) -> None:
    text = (
        '$version: "2"\n'
        + f"metadata m = [{word}, true, false, null]\n"
        + "namespace smithy.example\n"
        + f"@trait\nstring label\n@label({word})\nstring S\n"
    )
    model = load_text(text, "m.smithy")
    # Metadata has no namespace: an unresolved id stays as written.
    assert model["metadata"]["m"] == [word, True, False, None]
    traits = model["shapes"]["smithy.example#S"]["traits"]
    assert traits["smithy.example#label"] == f"smithy.example#{word}"


def test_whole_keywords_are_still_values() -> None:
    text = (
        HEAD
        + "@trait\nstructure meta {\n    v: Document\n}\n@meta(v: [true, false, null])\nstring S\n"
    )
    traits = load_text(text, "m.smithy")["shapes"]["smithy.example#S"]["traits"]
    assert traits["smithy.example#meta"] == {"v": [True, False, None]}
