"""Reading Smithy JSON AST files (json-ast.rst) so they merge with IDL files."""

from __future__ import annotations

import json
import re

from smithygen.errors import Diagnostic
from smithygen.idl._assembler import JsonDocument
from smithygen.idl._lexer import line_and_column

_ABSOLUTE_ID_RE = re.compile(
    r"[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*#[A-Za-z_][A-Za-z0-9_]*"
    r"(?:\$[A-Za-z_][A-Za-z0-9_]*)?"
)
_SHAPE_TYPES = frozenset(
    [
        "blob",
        "boolean",
        "document",
        "string",
        "byte",
        "short",
        "integer",
        "long",
        "float",
        "double",
        "bigInteger",
        "bigDecimal",
        "timestamp",
        "enum",
        "intEnum",
        "list",
        "set",
        "map",
        "structure",
        "union",
        "service",
        "resource",
        "operation",
        "apply",
    ]
)


def _problem(
    diagnostics: list[Diagnostic], filename: str, text: str, needle: str, message: str
) -> None:
    line, column = line_and_column(text, max(text.find(needle), 0) if needle else 0)
    diagnostics.append(Diagnostic(filename, line, column, message))


def read_json_ast(
    text: str, filename: str, diagnostics: list[Diagnostic]
) -> JsonDocument | None:
    """Decode and shape-check one JSON AST document; problems go to ``diagnostics``."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        diagnostics.append(
            Diagnostic(
                filename, error.lineno, error.colno, f"Invalid JSON: {error.msg}"
            )
        )
        return None
    except RecursionError:
        diagnostics.append(
            Diagnostic(filename, 1, 1, "Invalid JSON: nested too deeply")
        )
        return None
    before = len(diagnostics)
    if not isinstance(data, dict):
        _problem(
            diagnostics, filename, text, "", "A JSON AST model must be a JSON object"
        )
        return None
    version = data.get("smithy")
    if not isinstance(version, str) or version.split(".")[0] not in ("1", "2"):
        _problem(
            diagnostics,
            filename,
            text,
            '"smithy"',
            f"Expected a supported `smithy` version string, but found {json.dumps(version)}",
        )
    for key in ("metadata", "shapes"):
        if not isinstance(data.get(key, {}), dict):
            _problem(
                diagnostics, filename, text, f'"{key}"', f"`{key}` must be an object"
            )
            return None
    for shape_id, shape in data.get("shapes", {}).items():
        needle = f'"{shape_id}"'
        if _ABSOLUTE_ID_RE.fullmatch(shape_id) is None:
            _problem(
                diagnostics,
                filename,
                text,
                needle,
                f"Invalid absolute shape id `{shape_id}`",
            )
        elif "$" in shape_id and not (
            isinstance(shape, dict) and shape.get("type") == "apply"
        ):
            _problem(
                diagnostics,
                filename,
                text,
                needle,
                f"Only `apply` can target a member: `{shape_id}`",
            )
        if not isinstance(shape, dict) or shape.get("type") not in _SHAPE_TYPES:
            found = shape.get("type") if isinstance(shape, dict) else shape
            _problem(
                diagnostics,
                filename,
                text,
                needle,
                f"Shape `{shape_id}` has an invalid type: {json.dumps(found)}",
            )
        elif not isinstance(shape.get("traits", {}), dict):
            _problem(
                diagnostics,
                filename,
                text,
                needle,
                f"Traits of `{shape_id}` must be an object",
            )
    if len(diagnostics) != before:
        return None
    return JsonDocument(filename, text, data)
