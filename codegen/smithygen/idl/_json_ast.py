"""Smithy JSON AST files (json-ast.rst): reading them to merge with IDL files, printing one."""

from __future__ import annotations

import json
import math
import re
import uuid
from typing import Any

from smithygen.errors import Diagnostic, SmithygenError
from smithygen.idl._assembler import JsonDocument
from smithygen.idl._lexer import decimal_number, line_and_column
from smithygen.idl._syntax import SIMPLE_TYPES

_ABSOLUTE_ID_RE = re.compile(
    r"[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*#[A-Za-z_][A-Za-z0-9_]*"
    r"(?:\$[A-Za-z_][A-Za-z0-9_]*)?"
)
_REF, _REFS, _MEMBER, _MEMBERS, _REF_MAP, _TEXT, _RENAME = range(7)
#: json-ast.rst: the properties each shape type may have besides type/traits/mixins.
_PROPERTIES: dict[str, dict[str, int]] = {
    **{kind: {} for kind in SIMPLE_TYPES},
    "list": {"member": _MEMBER},
    "set": {"member": _MEMBER},
    "map": {"key": _MEMBER, "value": _MEMBER},
    **{
        kind: {"members": _MEMBERS}
        for kind in ("structure", "union", "enum", "intEnum")
    },
    "service": {
        "version": _TEXT,
        "operations": _REFS,
        "resources": _REFS,
        "errors": _REFS,
        "rename": _RENAME,
    },
    "resource": {
        "identifiers": _REF_MAP,
        "properties": _REF_MAP,
        **{
            name: _REF for name in ("create", "put", "read", "update", "delete", "list")
        },
        **{name: _REFS for name in ("operations", "collectionOperations", "resources")},
    },
    "operation": {"input": _REF, "output": _REF, "errors": _REFS},
    "apply": {},
}


def _is_ref(value: Any) -> bool:
    return (
        isinstance(value, dict)
        and set(value) == {"target"}
        and isinstance(value["target"], str)
        and _ABSOLUTE_ID_RE.fullmatch(value["target"]) is not None
    )


def _is_member(value: Any) -> bool:
    return (
        isinstance(value, dict)
        and set(value) <= {"target", "traits"}
        and _is_ref({"target": value.get("target")})
        and isinstance(value.get("traits", {}), dict)
    )


def _valid_property(kind: int, value: Any) -> bool:
    if kind == _REF:
        return _is_ref(value)
    if kind == _REFS:
        return isinstance(value, list) and all(_is_ref(item) for item in value)
    if kind == _MEMBER:
        return _is_member(value)
    if kind == _MEMBERS:
        return isinstance(value, dict) and all(
            _is_member(item) for item in value.values()
        )
    if kind == _REF_MAP:
        return isinstance(value, dict) and all(_is_ref(item) for item in value.values())
    if kind == _TEXT:
        return isinstance(value, str)
    return isinstance(value, dict) and all(
        isinstance(key, str) and isinstance(item, str) for key, item in value.items()
    )


def _shape_problem(shape_id: str, shape: Any) -> str | None:
    """What is wrong with one entry of ``shapes``, or ``None``."""
    if not isinstance(shape, dict) or shape.get("type") not in _PROPERTIES:
        found = shape.get("type") if isinstance(shape, dict) else shape
        return f"Shape `{shape_id}` has an invalid type: {json.dumps(found)}"
    if "$" in shape_id and shape["type"] != "apply":
        return f"Only `apply` can target a member: `{shape_id}`"
    allowed = _PROPERTIES[shape["type"]]
    for key, value in shape.items():
        if key == "type":
            continue
        if key == "traits":
            valid = isinstance(value, dict)
        elif key == "mixins" and shape["type"] != "apply":
            valid = _valid_property(_REFS, value)
        elif key in allowed:
            valid = _valid_property(allowed[key], value)
        else:
            return f"Shape `{shape_id}` of type {shape['type']} cannot have `{key}`"
        if not valid:
            return (
                f"Shape `{shape_id}` has an invalid `{key}`: {json.dumps(value)[:80]}"
            )
    return None


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
        data = json.loads(text, parse_float=decimal_number)
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
            problem: str | None = f"Invalid absolute shape id `{shape_id}`"
        else:
            problem = _shape_problem(shape_id, shape)
        if problem is not None:
            _problem(diagnostics, filename, text, needle, problem)
    if len(diagnostics) != before:
        return None
    return JsonDocument(filename, text, data)


# Beyond this magnitude a JSON reader's double becomes infinity.
_FLOAT_LIMIT = 10**308
_LONG_DIGITS = re.compile(r"[0-9]{309}")


def _scientific(value: int) -> str:
    """Exact E notation of a whole number: 2 * 10**308 -> ``2E+308``."""
    digits = str(abs(value)).rstrip("0")
    exponent = len(str(abs(value))) - 1
    mantissa = digits[0] + ("." + digits[1:] if len(digits) > 1 else "")
    return ("-" if value < 0 else "") + f"{mantissa}E+{exponent}"


def dumps_ast(model: dict[str, Any], indent: int = 4) -> str:
    """Print a JSON AST, writing numbers beyond the double range in E notation.

    ``load_files`` keeps such numbers (``@bigDecimal(2e+308)``) as exact
    ints; printed as ``2E+308`` they read back as the same value with exact
    readers and as the same double as the reference output with float ones.
    """
    try:
        printed = json.dumps(model, indent=indent, allow_nan=False)
    except ValueError:
        printed = ""  # a NaN or infinity: the walk below names it
    # The common case has no number of 309 or more digits: printed as is.
    if printed and _LONG_DIGITS.search(printed) is None:
        return printed
    marker = f"\x00{uuid.uuid4().hex}:"
    replaced: dict[str, str] = {}

    def mark(value: Any) -> Any:
        if type(value) is float and not math.isfinite(value):
            # Only a JSON AST input written with NaN/Infinity (which Python's
            # json module reads) can bring one here; JSON cannot print it.
            raise SmithygenError(
                f"{value} is not a JSON number; the AST cannot be printed"
            )
        if type(value) is int and abs(value) >= _FLOAT_LIMIT:
            text = marker + str(len(replaced))
            replaced[json.dumps(text)] = _scientific(value)
            return text
        # Copy on write: only containers holding a replaced number are copied.
        if isinstance(value, dict):
            copy = None
            for key, item in value.items():
                if type(item) is not str:
                    new = mark(item)
                    if new is not item:
                        copy = dict(value) if copy is None else copy
                        copy[key] = new
            return value if copy is None else copy
        if isinstance(value, list):
            items = [mark(item) for item in value]
            changed = any(new is not old for new, old in zip(items, value, strict=True))
            return items if changed else value
        return value

    printed = json.dumps(mark(model), indent=indent, allow_nan=False)
    for placeholder, number in replaced.items():
        printed = printed.replace(placeholder, number)
    return printed
