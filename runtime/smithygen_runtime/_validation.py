"""Checks shared by generated input validators (``_validate.py`` of each package).

Each raises ValidationError naming the member path and the rule; generated
validators call them once per constrained member, before a request is built.
"""

from __future__ import annotations

import re
from functools import cache
from typing import Any

from ._errors import ValidationError

__all__ = [
    "check_float",
    "check_int",
    "check_length",
    "check_pattern",
    "check_range",
    "check_type",
    "required_error",
    "type_error",
]


def type_error(value: Any, path: str, expected: str) -> ValidationError:
    """The error for a value of the wrong Python type at ``path``."""
    return ValidationError(
        path, "type", f"expected {expected}, got {type(value).__name__}"
    )


def required_error(path: str) -> ValidationError:
    """The error for a missing required member at ``path``."""
    return ValidationError(path, "required", "a value is required")


def check_type(value: Any, path: str, expected: Any, name: str) -> None:
    """ValidationError unless ``isinstance(value, expected)``; ``name`` is shown."""
    if not isinstance(value, expected):
        raise type_error(value, path, name)


def check_int(value: Any, path: str) -> None:
    """ValidationError unless ``value`` is an int (a bool is not)."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise type_error(value, path, "int")


def check_float(value: Any, path: str) -> None:
    """ValidationError unless ``value`` is an int or float (a bool is not)."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise type_error(value, path, "float")


def check_length(size: int, path: str, low: int | None, high: int | None) -> None:
    """ValidationError unless ``low <= size <= high`` (``@length``; None: no bound)."""
    if (low is not None and size < low) or (high is not None and size > high):
        bounds = f"{low if low is not None else 0}..{high if high is not None else ''}"
        raise ValidationError(path, "length", f"length {size} is outside {bounds}")


def check_range(value: Any, path: str, low: Any, high: Any) -> None:
    """ValidationError unless ``low <= value <= high`` (``@range``; None: no bound)."""
    if (low is not None and value < low) or (high is not None and value > high):
        bounds = f"{low if low is not None else ''}..{high if high is not None else ''}"
        raise ValidationError(path, "range", f"{value} is outside {bounds}")


@cache
def _compiled(pattern: str) -> re.Pattern[str]:
    # Compiled on first use, not at import: a large model has many patterns.
    return re.compile(pattern)


def check_pattern(value: str, path: str, pattern: str) -> None:
    """ValidationError unless ``pattern`` (``@pattern``, searched, not anchored) matches."""
    if _compiled(pattern).search(value) is None:
        raise ValidationError(path, "pattern", f"{value!r} does not match {pattern!r}")
