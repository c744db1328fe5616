"""Errors the generator reports to its user, each with a source position where known."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Diagnostic:
    """One problem in one input file, at a 1-based line and column."""

    file: str
    line: int
    column: int
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.column}: {self.message}"


class CodegenError(Exception):
    """Base of every error the generator (smithygen) reports; ``lines()`` is what stderr shows.

    Distinct from the runtime's ``smithygen_runtime.SmithyGenError``, the root of what
    generated clients raise at run time.
    """

    def lines(self) -> list[str]:
        return [f"smithygen: {self}"]


class ModelSyntaxError(CodegenError):
    """One or more problems found while loading IDL or JSON AST files."""

    def __init__(self, diagnostics: Iterable[Diagnostic]) -> None:
        self.diagnostics = tuple(diagnostics)
        super().__init__("\n".join(str(d) for d in self.diagnostics))

    def lines(self) -> list[str]:
        return [str(d) for d in self.diagnostics]


class GenerationError(CodegenError):
    """The model loaded but cannot be generated (unknown service, unsupported shape...)."""
