"""Lexical layer of the Smithy IDL: token patterns, literal decoding, positions.

The parser works on one position index into the source text (the way
CPython's ``tomllib`` does) and asks this module for the patterns that
recognise each lexical production.  Token *names* (``IDENTIFIER``,
``RBRACE('}')``, ...) follow Smithy's own tokenizer, so an error reads
"Expected RBRACE('}') but found EOF" just as the reference loader says it.
"""

from __future__ import annotations

import decimal
import math
import re

IDENT_START = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz_")
IDENT_CHARS = IDENT_START | frozenset("0123456789")
NUMBER_START = frozenset("-0123456789")

IDENT_RE = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
# A root shape id with an optional member; the parser falls back to a
# piece-by-piece walk (for exact error positions) when this does not fit.
SHAPE_ID_RE = re.compile(
    r"[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*"
    r"(?:#[A-Za-z_][A-Za-z0-9_]*)?(?:\$[A-Za-z_][A-Za-z0-9_]*)?"
)
# WS: spaces, tabs, newlines, commas and comments (documentation comments too).
WS_RE = re.compile(r"(?:[ \t\n,]++|\r\n|//[^\n]*+)*+")
SP_RE = re.compile(r"[ \t]*+")
COMMENT_RE = re.compile(r"//([^\n]*)")
STRING_RE = re.compile(r'"((?:[^"\\]++|\\.)*+)"', re.S)
TEXT_BLOCK_RE = re.compile(r'"""((?:[^"\\]++|\\.|"(?!""))*+)"""', re.S)
NUMBER_RE = re.compile(r"-?[0-9]+(?:\.[0-9]*)?(?:[eE][+-]?[0-9]*)?")
_VALID_NUMBER_RE = re.compile(r"-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?")

_PUNCTUATION = {
    "{": "LBRACE",
    "}": "RBRACE",
    "[": "LBRACKET",
    "]": "RBRACKET",
    "(": "LPAREN",
    ")": "RPAREN",
    ":": "COLON",
    "=": "EQUAL",
    "@": "AT",
    "$": "DOLLAR",
    "#": "POUND",
    ".": "DOT",
    ",": "COMMA",
}

#: How an expected token is named in messages, e.g. ``RBRACE('}')``.
EXPECTED_NAMES = {char: f"{kind}('{char}')" for char, kind in _PUNCTUATION.items()}
NODE_VALUE_START = (
    "one of STRING('\"'), TEXT_BLOCK('\"\"\"'), NUMBER, IDENTIFIER, "
    "LBRACE('{'), LBRACKET('[');"
)

_ESCAPES = {
    '"': '"',
    "\\": "\\",
    "/": "/",
    "b": "\b",
    "f": "\f",
    "n": "\n",
    "r": "\r",
    "t": "\t",
    "\n": "",
}
_HEX = frozenset("0123456789abcdefABCDEF")


class LexError(Exception):
    """A malformed literal, found at ``pos`` in the source text."""

    def __init__(self, pos: int, message: str) -> None:
        super().__init__(message)
        self.pos = pos
        self.message = message


def token_at(text: str, pos: int) -> tuple[str, int]:
    """Return the kind of the token starting at ``pos`` and where it ends."""
    if pos >= len(text):
        return "EOF", pos
    char = text[pos]
    if char in " \t":
        return "SPACE", SP_RE.match(text, pos).end()  # type: ignore[union-attr]
    if char == "\n":
        return "NEWLINE", pos + 1
    if text.startswith("\r\n", pos):
        return "NEWLINE", pos + 2
    if text.startswith("//", pos):
        end = text.find("\n", pos)
        end = len(text) if end < 0 else end + 1
        return ("DOC_COMMENT" if text.startswith("///", pos) else "COMMENT"), end
    if char == '"':
        if text.startswith('"""', pos):
            match = TEXT_BLOCK_RE.match(text, pos)
            return "TEXT_BLOCK", match.end() if match else len(text)
        match = STRING_RE.match(text, pos)
        return "STRING", match.end() if match else len(text)
    if char in NUMBER_START:
        match = NUMBER_RE.match(text, pos)
        if match:
            return "NUMBER", match.end()
    if char in IDENT_START:
        return "IDENTIFIER", IDENT_RE.match(text, pos).end()  # type: ignore[union-attr]
    if text.startswith(":=", pos):
        return "WALRUS", pos + 2
    if char in _PUNCTUATION:
        return _PUNCTUATION[char], pos + 1
    return "ERROR", pos + 1


def describe_token(text: str, pos: int) -> str:
    """Name the token at ``pos`` for a message: ``IDENTIFIER('string')``, ``EOF``."""
    kind, end = token_at(text, pos)
    if kind == "EOF":
        return "EOF"
    lexeme = text[pos:end]
    if len(lexeme) > 80:
        lexeme = lexeme[:77] + "..."
    for raw, shown in (("\\", "\\\\"), ("\r", "\\r"), ("\n", "\\n"), ("\t", "\\t")):
        lexeme = lexeme.replace(raw, shown)
    return f"{kind}('{lexeme}')"


def describe_char(text: str, pos: int) -> str:
    """Name the single character at ``pos`` for a message: ``' '`` or ``'[EOF]'``."""
    return f"'{text[pos]}'" if pos < len(text) else "'[EOF]'"


def line_and_column(text: str, pos: int) -> tuple[int, int]:
    """Turn an offset into a 1-based (line, column) pair."""
    pos = min(pos, len(text))
    line = text.count("\n", 0, pos) + 1
    column = pos - (text.rfind("\n", 0, pos) + 1) + 1
    return line, column


def parse_number(text: str, pos: int) -> tuple[int | float, int]:
    """Read the number at ``pos``: an int unless it has a fraction or exponent."""
    match = NUMBER_RE.match(text, pos)
    if match is None:
        raise LexError(
            pos,
            f"Invalid number: '-' must be followed by a digit, found {text[pos + 1 : pos + 2]!r}",
        )
    lexeme = match.group()
    if _VALID_NUMBER_RE.fullmatch(lexeme) is None:
        if lexeme.endswith("."):
            reason = "'.' must be followed by a digit"
        elif lexeme[-1] in "eE+-":
            reason = "'e', '+', and '-' must be followed by a digit"
        else:
            reason = "leading zeros are not allowed"
        raise LexError(pos, f"Invalid number '{lexeme}': {reason}")
    end = match.end()
    if end < len(text) and text[end] in IDENT_CHARS:
        raise LexError(end, f"Invalid number '{text[pos : end + 1]}'")
    if "." in lexeme or "e" in lexeme or "E" in lexeme:
        return decimal_number(lexeme), end
    return int(lexeme), end


def decimal_number(lexeme: str) -> int | float:
    """A decimal number as a float, or as an exact int beyond the float range.

    Smithy numbers are arbitrary precision (``bigDecimal`` trait values such
    as ``2e+308``); a float would become infinity, which JSON cannot hold.
    Such magnitudes are whole numbers, so the int keeps the value exactly.
    """
    value = float(lexeme)
    if math.isinf(value):
        return int(decimal.Decimal(lexeme))
    return value


def unescape(raw: str, pos: int, what: str = "quoted string") -> str:
    """Expand the escapes of a string body; newlines are normalised to LF first."""
    if "\r" in raw:
        raw = raw.replace("\r\n", "\n").replace("\r", "\n")
    if "\\" not in raw:
        return raw
    parts: list[str] = []
    index = 0
    length = len(raw)
    while True:
        slash = raw.find("\\", index)
        if slash < 0:
            parts.append(raw[index:])
            break
        parts.append(raw[index:slash])
        char = raw[slash + 1] if slash + 1 < length else ""
        if char == "u":
            digits = raw[slash + 2 : slash + 6]
            for digit in digits:
                if digit not in _HEX:
                    raise LexError(
                        pos,
                        f"Error parsing {what}: Invalid unicode escape character: `{digit}`",
                    )
            if len(digits) < 4:
                raise LexError(
                    pos,
                    f"Error parsing {what}: Invalid unclosed unicode escape found in string",
                )
            parts.append(chr(int(digits, 16)))
            index = slash + 6
        elif char in _ESCAPES and char:
            parts.append(_ESCAPES[char])
            index = slash + 2
        else:
            raise LexError(
                pos, f"Error parsing {what}: Invalid escape found in string: `\\{char}`"
            )
    value = "".join(parts)
    return _join_surrogates(value)


def _join_surrogates(value: str) -> str:
    """Combine ``\\uD83D\\uDE00``-style escaped pairs into one code point."""
    if not any("\ud800" <= char <= "\udfff" for char in value):
        return value
    try:
        return value.encode("utf-16", "surrogatepass").decode("utf-16")
    except UnicodeDecodeError:
        return value


def text_block_value(raw: str, pos: int) -> str:
    """Turn the body of a text block (between the delimiters) into its value.

    Follows idl.rst "Incidental white space removal": the opening line is
    dropped, the common leading whitespace of the non-blank lines (and of the
    closing line) is removed, trailing spaces are trimmed, and only then are
    escapes expanded.
    """
    if not raw:
        raise LexError(pos, "Error parsing text block: Text block is empty")
    if "\r" in raw:
        raw = raw.replace("\r\n", "\n").replace("\r", "\n")
    first_newline = raw.find("\n")
    if first_newline < 0 or raw[:first_newline].strip(" \t"):
        raise LexError(
            pos, "Error parsing text block: Text block must start with a new line"
        )
    lines = raw[first_newline + 1 :].split("\n")
    last = len(lines) - 1
    indent = min(
        (
            len(line) - len(line.lstrip(" \t"))
            for number, line in enumerate(lines)
            if number == last or line.strip(" \t")
        ),
        default=0,
    )
    body = "\n".join(line[indent:].rstrip(" \t") for line in lines)
    return unescape(body, pos, "text block")
