"""Property tests: node values written in IDL come back unchanged in the JSON AST.

Strings go through every escape the spec lists (idl.rst, "String escape
characters"), text blocks through incidental-whitespace removal (idl.rst,
"Text blocks"), numbers through the Number production.
"""

from __future__ import annotations

import json
import math
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from smithygen.errors import ModelSyntaxError
from smithygen.idl import dumps_ast, load_text

# Any code point a UTF-8 file can hold: no surrogates.
TEXT = st.text(st.characters(exclude_categories=["Cs"]), max_size=40)

_SHORT_ESCAPES = {
    '"': '\\"',
    "\\": "\\\\",
    "\b": "\\b",
    "\f": "\\f",
    "\n": "\\n",
    "\r": "\\r",
    "\t": "\\t",
    "/": "\\/",
}


def _escape(value: str, style: list[int]) -> str:
    """Write ``value`` as a quoted IDL string, choosing an escape per character."""
    out = []
    for index, char in enumerate(value):
        choice = style[index % len(style)] if style else 0
        if char in _SHORT_ESCAPES and (choice % 2 or char in '"\\\r'):
            out.append(_SHORT_ESCAPES[char])
        elif choice % 3 == 2 and ord(char) <= 0xFFFF:
            out.append(f"\\u{ord(char):04X}" if choice % 2 else f"\\u{ord(char):04x}")
        elif ord(char) > 0xFFFF and choice % 3 == 2:
            units = char.encode("utf-16-be")
            out.append(f"\\u{units[0:2].hex()}\\u{units[2:4].hex()}")
        else:
            out.append(char)
    return '"' + "".join(out) + '"'


def _documentation(idl_value: str) -> Any:
    model = load_text(
        f'$version: "2"\nnamespace p.q\n\n@documentation({idl_value})\nstring S\n',
        "property.smithy",
    )
    return json.loads(json.dumps(model))["shapes"]["p.q#S"]["traits"][
        "smithy.api#documentation"
    ]


@settings(max_examples=300)
@given(TEXT, st.lists(st.integers(0, 5), max_size=8))
def test_quoted_strings_with_any_escapes_round_trip(
    value: str, style: list[int]
) -> None:
    assert _documentation(_escape(value, style)) == value


@given(st.text(st.sampled_from("ab \\\n"), max_size=20))
def test_escaped_newline_expands_to_nothing(value: str) -> None:
    # idl.rst: a backslash before a newline is an escaped new line, it "expands to nothing".
    written = value.replace("\\", "\\\\").replace("\n", "\\\n")
    assert _documentation(f'"{written}"') == value.replace("\n", "")


LINE = st.text(
    st.characters(exclude_categories=("Cs", "Zl", "Zp", "Cc")), max_size=12
).map(lambda line: line.replace('"', "'").replace("\\", "/").strip())


@given(
    st.lists(LINE, min_size=1, max_size=6),
    st.integers(0, 8),
    st.lists(st.integers(0, 4), min_size=6, max_size=6),
    st.booleans(),
)
def test_text_blocks_remove_exactly_the_common_indentation(
    lines: list[str], margin: int, extra: list[int], closing_on_own_line: bool
) -> None:
    # With an empty last line the delimiter would sit alone on its line after all.
    assume(closing_on_own_line or lines[-1])
    body = [
        (" " * (margin + extra[i]) + line) if line else ""
        for i, line in enumerate(lines)
    ]
    if closing_on_own_line:
        written = "\n".join(body) + "\n" + " " * margin + '"""'
    else:
        written = "\n".join(body) + '"""'
    content_indents = [margin + extra[i] for i, line in enumerate(lines) if line]
    if closing_on_own_line:
        content_indents.append(margin)
    common = min(content_indents, default=0)
    expected = "\n".join(
        (" " * (margin + extra[i] - common) + line) if line else ""
        for i, line in enumerate(lines)
    )
    if closing_on_own_line:
        expected += "\n"

    assert _documentation('"""\n' + written) == expected


@given(st.integers(min_value=-(10**30), max_value=10**30))
def test_integers_round_trip_exactly(value: int) -> None:
    assert _range_min(str(value)) == value


@given(st.floats(allow_nan=False, allow_infinity=False, width=64))
def test_decimal_numbers_round_trip(value: float) -> None:
    written = repr(value)
    if "e" in written and "." not in written.split("e")[0]:
        mantissa, exponent = written.split("e")
        written = f"{mantissa}.0e{exponent}"
    if written.startswith("-0") and value == 0:
        written = "-0.0"
    loaded = _range_min(written)
    assert isinstance(loaded, float)
    assert loaded == value or (
        math.copysign(1, loaded) == math.copysign(1, value) and loaded == 0
    )


@pytest.mark.parametrize("written", ["2e+308", "-1.7976931348623157E+309", "1e400"])
def test_numbers_beyond_double_range_stay_exact_in_strict_json(written: str) -> None:
    model = load_text(
        f'$version: "2"\nnamespace p.q\n\n@range(min: {written})\ninteger I\n',
        "n.smithy",
    )
    printed = dumps_ast(model)
    value = json.loads(printed, parse_float=Decimal)["shapes"]["p.q#I"]["traits"]
    assert value["smithy.api#range"]["min"] == Decimal(written)
    assert f'"min": {Decimal(written):E}' in printed.replace("E+0", "E+")


@pytest.mark.parametrize(
    "written", ["01", "1.", "1.e5", "1e", "1e+", "-", "- 1", ".5", "+1"]
)
def test_malformed_numbers_are_rejected(written: str) -> None:
    try:
        _range_min(written)
    except ModelSyntaxError as error:
        assert error.diagnostics[0].line == 4
    else:
        raise AssertionError(f"{written!r} was accepted")


def _range_min(written: str) -> Any:
    model = load_text(
        f'$version: "2"\nnamespace p.q\n\n@range(min: {written})\ninteger I\n',
        "n.smithy",
    )
    return json.loads(json.dumps(model))["shapes"]["p.q#I"]["traits"][
        "smithy.api#range"
    ]["min"]


SMITHY_ALPHABET = st.sampled_from(
    [
        *'{}[]()@$#.:=,"\n \t/\\aZ_09-+e',
        "structure ",
        "namespace a.b\n",
        '$version: "2"\n',
        "apply ",
        "with [",
        '"""\n',
        ":= ",
        "enum ",
        "for ",
    ]
)


@settings(max_examples=300)
@given(st.lists(SMITHY_ALPHABET, max_size=60).map("".join))
def test_arbitrary_text_either_loads_or_is_a_clean_diagnostic(text: str) -> None:
    try:
        model = load_text(text, "fuzz.smithy")
    except ModelSyntaxError as error:
        assert error.diagnostics
        lines = text.count("\n") + 1
        assert all(1 <= d.line <= lines and d.column >= 1 for d in error.diagnostics)
    else:
        assert model["smithy"] == "2.0"
        json.dumps(model)
