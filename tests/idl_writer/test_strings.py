"""Strings written by the writer read back as the same value, per the spec.

The decoder below follows idl.rst ("String escape characters", "Text blocks",
"Incidental white space removal") step by step, independently of the project's
loader, so the writer's string forms are checked even where no loader runs.
"""

from __future__ import annotations

import re

from hypothesis import given
from hypothesis import strategies as st
from smithygen.idl.writer import write_idl

_SIMPLE_ESCAPES = {
    '"': '"',
    "\\": "\\",
    "/": "/",
    "b": "\b",
    "f": "\f",
    "n": "\n",
    "r": "\r",
    "t": "\t",
}


def unescape(text: str) -> str:
    out: list[str] = []
    index = 0
    while index < len(text):
        char = text[index]
        if char != "\\":
            out.append(char)
            index += 1
            continue
        follow = text[index + 1]
        if follow == "u":
            out.append(chr(int(text[index + 2 : index + 6], 16)))
            index += 6
        elif follow == "\n":  # an escaped new line expands to nothing
            index += 2
        else:
            out.append(_SIMPLE_ESCAPES[follow])
            index += 2
    return "".join(out)


def decode_text_block(raw: str) -> str:
    """``raw`` is everything between the opening and closing triple quotes."""
    assert raw.startswith("\n"), "a text block starts with a new line"
    lines = raw[1:].split("\n")
    last = lines[-1]
    considered = [line for line in lines[:-1] if line.strip(" ")]
    considered.append(last)  # the closing line counts, even when blank
    prefix = min(len(line) - len(line.lstrip(" ")) for line in considered)
    trimmed = [line[prefix:].rstrip(" ") for line in lines]
    return unescape("\n".join(trimmed))


def decode(node: str) -> str:
    if node.startswith('"""'):
        assert node.endswith('"""')
        return decode_text_block(node[3:-3])
    assert node.startswith('"') and node.endswith('"')
    return unescape(node[1:-1])


def written_value(value: str) -> str:
    text = write_idl(
        {
            "smithy": "2.0",
            "shapes": {"a.b#S": {"type": "string", "traits": {"a.b#t": value}}},
        }
    )["a.b"]
    match = re.search(r"@t\((.*)\)\nstring S\n", text, re.S)
    assert match is not None, text
    return match.group(1)


@given(st.text())
def test_any_string_survives(value: str) -> None:
    assert decode(written_value(value)) == value


@given(
    st.lists(
        st.text(alphabet=st.sampled_from(' ab"\\\t\u00e9\U0001f600'), max_size=12),
        min_size=2,
        max_size=6,
    ).map("\n".join)
)
def test_multiline_strings_survive(value: str) -> None:
    written = written_value(value)
    assert decode(written) == value


def test_multiline_string_without_trailing_spaces_is_a_text_block() -> None:
    assert written_value('a\n  b "c"\n').startswith('"""\n')
    assert written_value("a \nb").startswith('"a')


def test_documentation_comments_keep_every_line() -> None:
    docs = "First.\n\n  second, indented\n/// not a comment\nlast "
    text = write_idl(
        {
            "smithy": "2.0",
            "shapes": {
                "a.b#S": {
                    "type": "string",
                    "traits": {"smithy.api#documentation": docs},
                }
            },
        }
    )["a.b"]
    comment = [line for line in text.split("\n") if line.startswith("///")]
    # idl.rst "Documentation comment": one leading space is removed per line.
    lines = [line[3:].removeprefix(" ") for line in comment]
    assert "\n".join(lines) == docs
