"""Pure-Python Smithy IDL 2.0 loader: ``.smithy`` and JSON AST files -> one JSON AST.

``load_files`` is what ``smithygen ast`` calls; ``load_text`` loads one IDL
document from a string.  Every problem in the input is reported as a
``smithygen.errors.ModelSyntaxError`` holding one ``Diagnostic`` per problem
(file, 1-based line and column, message); nothing else is raised for bad
input.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from smithygen.errors import Diagnostic, ModelSyntaxError
from smithygen.idl._assembler import Assembler
from smithygen.idl._json_ast import dumps_ast, read_json_ast
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
