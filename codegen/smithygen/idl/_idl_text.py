"""Node values and strings as Smithy IDL text, for the IDL writer.

Quoting and escaping (idl.rst, "Strings"), text blocks with exact incidental
whitespace ("Text blocks"), numbers, and objects and arrays on one line or
spread over several when they do not fit ``WIDTH``.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from typing import Any

from smithygen.errors import SmithygenError

# Lines longer than this are broken up (node values, lists of shape ids).
WIDTH = 100
INDENT = "    "

IDENTIFIER = re.compile(r"(?:_+[A-Za-z0-9]|[A-Za-z])[A-Za-z0-9_]*\Z")
_QUOTE_RUN = re.compile('"{3,}')
_KEYWORDS = frozenset(["true", "false", "null"])
# Characters that must be escaped in a quoted string: the quote, the escape
# character, every control character, and the characters that some tools treat
# as line breaks (a loader splitting with str.splitlines() would break on them).
_ESCAPE = re.compile('["\\\\\x00-\x1f\x7f\x85\u2028\u2029\ud800-\udfff]')
_NAMED_ESCAPES = {
    '"': '\\"',
    "\\": "\\\\",
    "\t": "\\t",
    "\b": "\\b",
    "\f": "\\f",
    "\n": "\\n",
    "\r": "\\r",
}
# What a single line of a doc comment or text block cannot contain.
NOT_IN_LINE = re.compile("[\x00-\x08\x0a-\x1f\x7f\x85\u2028\u2029\ud800-\udfff]")


class IdlWriteError(SmithygenError):
    """The JSON AST cannot be written as Smithy IDL (malformed or unsupported)."""


def node_key(key: object) -> str:
    """An object key: bare when it is an identifier that is not a keyword."""
    if not isinstance(key, str):
        raise IdlWriteError(f"object keys must be strings, found {key!r}")
    return key if IDENTIFIER.match(key) and key not in _KEYWORDS else quoted(key)


def quoted(text: str) -> str:
    """A quoted string, with every character a loader could misread escaped."""

    def escape(match: re.Match[str]) -> str:
        char = match.group()
        return _NAMED_ESCAPES.get(char) or f"\\u{ord(char):04x}"

    return '"' + _ESCAPE.sub(escape, text) + '"'


def node_text(value: Any, indent: int | None, used: int = 0) -> str:
    """A node value; ``indent=None`` forces one line, else it may span lines.

    ``used`` is how many characters precede the value on its first line.
    """
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            raise IdlWriteError(f"{value!r} is not a Smithy number")
        return repr(value)
    if isinstance(value, str):
        if indent is not None and "\n" in value:
            block = text_block(value, indent + 1)
            if block is not None:
                return block
        return quoted(value)
    if isinstance(value, Mapping | list):
        flat = _flat(value)
        if indent is None or (
            "\n" not in flat and len(flat) + used + 4 * indent + 10 <= WIDTH
        ):
            return flat
        inner = INDENT * (indent + 1)
        if isinstance(value, list):
            items = "".join(f"{inner}{node_text(v, indent + 1)}\n" for v in value)
            return f"[\n{items}{INDENT * indent}]"
        items = "".join(
            f"{inner}{node_key(k)}: {node_text(v, indent + 1)}\n"
            for k, v in value.items()
        )
        return f"{{\n{items}{INDENT * indent}}}"
    raise IdlWriteError(f"{value!r} is not a JSON value")


def _flat(value: Mapping[str, Any] | list[Any]) -> str:
    if isinstance(value, list):
        return "[" + ", ".join(node_text(v, None) for v in value) + "]"
    return (
        "{"
        + ", ".join(f"{node_key(k)}: {node_text(v, None)}" for k, v in value.items())
        + "}"
    )


def text_block(text: str, indent: int) -> str | None:
    """``text`` as a text block whose lines start at ``indent``, if exact.

    The closing delimiter sits on its own line at the content's indentation,
    so it fixes the incidental whitespace removed (idl.rst, "Incidental white
    space removal"); a text that does not end with a newline ends with an
    escaped newline instead. Lines with trailing whitespace are refused: the
    loader strips it (step 4), so it could not come back.
    """
    lines = text.split("\n")
    if any(line != line.rstrip() or NOT_IN_LINE.search(line) for line in lines):
        return None
    ends_with_newline = lines[-1] == ""
    if ends_with_newline:
        lines.pop()
    pad = INDENT * indent
    # A run of three quotes would close the block: escape every quote of a run.
    escaped = [
        _QUOTE_RUN.sub(lambda m: '\\"' * len(m.group()), line.replace("\\", "\\\\"))
        for line in lines
    ]
    if not ends_with_newline:
        escaped[-1] += "\\"
    body = "".join(f"{pad}{line}\n" if line else "\n" for line in escaped)
    return f'"""\n{body}{pad}"""'
