"""Pure-Python Smithy IDL 2.0 loader: ``.smithy`` and JSON AST files -> one JSON AST.

``load_files`` is what ``smithygen ast`` calls; ``load_text`` loads one IDL
document from a string.  Every problem in the input is reported as a
``smithygen.errors.ModelSyntaxError`` holding one ``Diagnostic`` per problem
(file, 1-based line and column, message); nothing else is raised for bad
input.
"""

from __future__ import annotations

import json
import math
import re
import uuid
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from smithygen.errors import Diagnostic, ModelSyntaxError, SmithygenError
from smithygen.idl._assembler import Assembler
from smithygen.idl._json_ast import read_json_ast
from smithygen.idl._lexer import line_and_column
from smithygen.idl._parser import ParseError, parse_idl

__all__ = ["dumps_ast", "load_files", "load_text"]


def _add_idl(assembler: Assembler, text: str, filename: str) -> None:
    try:
        assembler.files.append(parse_idl(text, filename))
    except ParseError as error:
        line, column = line_and_column(text, error.pos)
        assembler.diagnostics.append(Diagnostic(filename, line, column, error.message))
    except RecursionError:
        assembler.diagnostics.append(
            Diagnostic(filename, 1, 1, "values are nested too deeply")
        )


def _finish(assembler: Assembler) -> dict[str, Any]:
    if not assembler.diagnostics:
        try:
            model = assembler.assemble()
        except RecursionError:
            assembler.diagnostics.append(
                Diagnostic("<model>", 1, 1, "values are nested too deeply")
            )
        else:
            if not assembler.diagnostics:
                return model
    raise ModelSyntaxError(assembler.diagnostics)


def load_text(text: str, filename: str = "<string>") -> dict[str, Any]:
    """Load one Smithy IDL document given as text into a Smithy 2.0 JSON AST dict."""
    assembler = Assembler()
    _add_idl(assembler, text, filename)
    return _finish(assembler)


def _expand(paths: Sequence[Path]) -> list[Path]:
    files: list[Path] = []
    for path in map(Path, paths):
        if path.is_dir():
            files.extend(
                sorted(
                    found
                    for found in path.rglob("*")
                    if found.suffix in (".smithy", ".json") and found.is_file()
                )
            )
        else:
            files.append(path)
    return files


def load_files(paths: Sequence[Path]) -> dict[str, Any]:
    """Load and merge ``.smithy`` IDL files and ``.json`` JSON AST files.

    A directory stands for every ``.smithy`` and ``.json`` file below it, in
    sorted order.  Returns ``{"smithy": "2.0", "metadata": {...}, "shapes":
    {...}}``, with ``metadata`` left out when no file sets any.
    """
    assembler = Assembler()
    for path in _expand(paths):
        filename = str(path)
        try:
            text = path.read_bytes().decode("utf-8")
        except OSError as error:
            reason = error.strerror or str(error)
            assembler.diagnostics.append(
                Diagnostic(filename, 1, 1, f"cannot read file: {reason}")
            )
            continue
        except UnicodeDecodeError as error:
            valid = error.object[: error.start].decode("utf-8", "replace")
            line, column = line_and_column(valid, len(valid))
            assembler.diagnostics.append(
                Diagnostic(filename, line, column, "file is not valid UTF-8")
            )
            continue
        if text.startswith("\ufeff"):
            text = text[1:]
        if path.suffix == ".json":
            document = read_json_ast(text, filename, assembler.diagnostics)
            if document is not None:
                assembler.documents.append(document)
        else:
            _add_idl(assembler, text, filename)
    return _finish(assembler)


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
