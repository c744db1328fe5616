"""Does a generated output object hold values of its declared types, all the way down?"""

from __future__ import annotations

import sys
import types
import typing
from datetime import datetime
from typing import Any

import attrs


def type_errors(value: Any, hint: Any, path: str = "output") -> list[str]:
    """Where ``value`` breaks the annotation ``hint`` (empty when it conforms)."""
    origin = typing.get_origin(hint)
    if origin is typing.Union or isinstance(hint, types.UnionType):
        options = typing.get_args(hint)
        attempts = [type_errors(value, option, path) for option in options]
        if any(not errors for errors in attempts):
            return []
        return [f"{path}: {value!r} is none of {hint}"]
    if hint is type(None):
        return [] if value is None else [f"{path}: {value!r} is not None"]
    if origin is list:
        if not isinstance(value, list):
            return [f"{path}: {type(value).__name__} is not a list"]
        (item,) = typing.get_args(hint)
        return [
            error
            for i, element in enumerate(value)
            for error in type_errors(element, item, f"{path}[{i}]")
        ]
    if origin is dict:
        if not isinstance(value, dict):
            return [f"{path}: {type(value).__name__} is not a dict"]
        key_hint, value_hint = typing.get_args(hint)
        return [
            error
            for key, element in value.items()
            for error in type_errors(key, key_hint, f"{path} key")
            + type_errors(element, value_hint, f"{path}[{key!r}]")
        ]
    if attrs.has(hint):
        if type(value) is not hint:
            return [f"{path}: {type(value).__name__} is not {hint.__name__}"]
        hints = typing.get_type_hints(hint, vars(sys.modules[hint.__module__]))
        return [
            error
            for field in attrs.fields(hint)
            for error in type_errors(
                getattr(value, field.name), hints[field.name], f"{path}.{field.name}"
            )
        ]
    if hint is int:
        ok = isinstance(value, int) and not isinstance(value, bool)
    elif hint is float:
        ok = isinstance(value, float | int) and not isinstance(value, bool)
    elif hint is datetime:
        ok = isinstance(value, datetime) and value.tzinfo is not None
    elif isinstance(hint, type):  # str, bool, an enum, ...
        ok = isinstance(value, hint)
    else:
        raise AssertionError(f"unhandled annotation {hint!r} at {path}")
    return [] if ok else [f"{path}: {value!r} is not {getattr(hint, '__name__', hint)}"]
