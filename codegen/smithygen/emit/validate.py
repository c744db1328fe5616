"""``_validate.py``: input validators (types, ``@required``, ``@length``, ``@range``, ``@pattern``).

Enums are not checked: they are open, so a value newer than the model is sent
as given. Paths name members by their wire names: ``Filters[0].Key``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from smithy_python.model import (
    ListShape,
    MapShape,
    MemberShape,
    Node,
    Shape,
    ShapeType,
    StructureShape,
    UnionShape,
)

from smithygen.emit.context import UNKNOWN, Context
from smithygen.emit.traits import get_trait, has_trait

_PRELUDE = '''\
"""Input validation run before a request is sent; private to the package."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

from smithygen_runtime import (
    ValidationError,
    check_float,
    check_int,
    check_length,
    check_pattern,
    check_range,
    check_type,
    required_error,
    type_error,
)

{models}'''

_ISINSTANCE = {
    ShapeType.STRING: ("str", "str"),
    ShapeType.ENUM: ("str", "str"),
    ShapeType.BOOLEAN: ("bool", "bool"),
    ShapeType.BLOB: ("bytes | bytearray", "bytes"),
    ShapeType.TIMESTAMP: ("datetime", "datetime"),
    ShapeType.BIG_DECIMAL: ("Decimal | int | float", "Decimal"),
}
_INTS = frozenset(
    {ShapeType.BYTE, ShapeType.SHORT, ShapeType.INTEGER, ShapeType.LONG}
    | {ShapeType.BIG_INTEGER, ShapeType.INT_ENUM}
)


class _Emitter:
    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx

    @staticmethod
    def _trait(
        member: MemberShape | None, target: Shape, name: str
    ) -> Mapping[str, Node] | str | None:
        for holder in (member, target):
            if holder is not None and has_trait(holder, name):
                value = get_trait(holder, name)
                if isinstance(value, Mapping | str):
                    return value
        return None

    def check(
        self,
        member: MemberShape | None,
        target: Shape,
        expr: str,
        path: str,
        indent: str,
        depth: int = 0,
    ) -> list[str]:
        """Lines checking the (non-None) value ``expr`` of ``target``."""
        ctx = self.ctx
        lines: list[str] = []
        kind = target.type
        if kind in _ISINSTANCE:
            test, name = _ISINSTANCE[kind]
            lines.append(f'{indent}check_type({expr}, {_fs(path)}, {test}, "{name}")')
        elif kind in _INTS:
            lines.append(f"{indent}check_int({expr}, {_fs(path)})")
        elif kind in (ShapeType.FLOAT, ShapeType.DOUBLE):
            lines.append(f"{indent}check_float({expr}, {_fs(path)})")
        elif isinstance(target, StructureShape):
            cls = ctx.class_of(target.id)
            name = cls.removeprefix("models.")
            lines.append(f'{indent}check_type({expr}, {_fs(path)}, {cls}, "{name}")')
            stem = ctx.serde_stems[target.id]
            lines.append(f"{indent}validate_{stem}({expr}, {_fs(path + '.')})")
        elif isinstance(target, UnionShape):
            lines.append(
                f"{indent}validate_{ctx.serde_stems[target.id]}({expr}, {_fs(path)})"
            )
        elif isinstance(target, ListShape | MapShape):
            kind_name = "list" if isinstance(target, ListShape) else "dict"
            lines.append(
                f'{indent}check_type({expr}, {_fs(path)}, {kind_name}, "{kind_name}")'
            )
        length = self._trait(member, target, "length")
        if isinstance(length, Mapping):
            size = f"len({expr})"
            lines.append(
                f"{indent}check_length({size}, {_fs(path)}, {length.get('min')!r}, {length.get('max')!r})"
            )
        range_ = self._trait(member, target, "range")
        if isinstance(range_, Mapping):
            lines.append(
                f"{indent}check_range({expr}, {_fs(path)}, {range_.get('min')!r}, {range_.get('max')!r})"
            )
        pattern = self._trait(member, target, "pattern")
        if isinstance(pattern, str) and kind is ShapeType.STRING and _compiles(pattern):
            lines.append(f"{indent}check_pattern({expr}, {_fs(path)}, {pattern!r})")
        if isinstance(target, ListShape | MapShape):
            lines.extend(self._elements(target, expr, path, indent, depth))
        return lines

    def _elements(
        self,
        target: ListShape | MapShape,
        expr: str,
        path: str,
        indent: str,
        depth: int,
    ) -> list[str]:
        ctx = self.ctx
        element = target.member if isinstance(target, ListShape) else target.value
        element_target = ctx.model.get_target(element)
        is_list = isinstance(target, ListShape)
        # Distinct names for list indexes (int) and map keys (str) keep mypy happy
        # when one function loops over both.
        index, item = (f"i{depth}" if is_list else f"k{depth}"), f"e{depth}"
        sub_path = f"{path}[{{{index}!r}}]"
        inner_indent = indent + "    "
        if isinstance(target, ListShape):
            head = f"{indent}for {index}, {item} in enumerate({expr}):"
        else:
            head = f"{indent}for {index}, {item} in {expr}.items():"
        body: list[str] = []
        if isinstance(target, MapShape):
            key_target = ctx.model.get_target(target.key)
            body.extend(
                self.check(
                    target.key, key_target, index, sub_path, inner_indent, depth + 1
                )
            )
        inner = self.check(
            element, element_target, item, sub_path, inner_indent + "    ", depth + 1
        )
        if has_trait(target, "sparse"):
            if inner:
                body.append(f"{inner_indent}if {item} is not None:")
                body.extend(inner)
        else:
            body.append(f"{inner_indent}if {item} is None:")
            body.append(f"{inner_indent}    raise required_error({_fs(sub_path)})")
            body.extend(line.removeprefix("    ") for line in inner)
        return [head, *body] if body else []

    def structure(self, shape: StructureShape) -> str:
        ctx = self.ctx
        cls = ctx.class_names[shape.id]
        lines = [
            f'def validate_{ctx.serde_stems[shape.id]}(value: Any, path: str = "") -> None:',
            f'    """Check a {cls} before it is sent."""',
        ]
        for m in ctx.members(shape):
            expr = f"value.{m.attr}"
            path = f"{{path}}{m.wire}"
            # A stream is checked for presence only: its events or bytes
            # are produced while the request is being sent.
            checks = (
                []
                if m.stream
                else self.check(m.shape, m.target, expr, path, "        ")
            )
            if m.required or not m.optional:
                lines.append(f"    if {expr} is None:")
                lines.append(f"        raise required_error({_fs(path)})")
                lines.extend(line.removeprefix("    ") for line in checks)
            elif checks:
                lines.append(f"    if {expr} is not None:")
                lines.extend(checks)

        return "\n".join(lines)

    def union(self, shape: UnionShape) -> str:
        ctx = self.ctx
        alias = ctx.class_names[shape.id]
        stem = ctx.serde_stems[shape.id]
        lines = [
            f"def validate_{stem}(value: Any, path: str) -> None:",
            f'    """Check a {alias} before it is sent."""',
        ]
        for name, member in shape.members.items():
            variant = ctx.variant(shape.id, name)
            lines.append(f"    if isinstance(value, {variant}):")
            if ctx.is_unit(member.target):
                lines.append("        return")
                continue
            target = ctx.model.get_target(member)
            path = f"{{path}}.{name}"
            lines.extend(self.check(member, target, "value.value", path, "        "))
            lines.append("        return")
        unknown = ctx.variant(shape.id, UNKNOWN)
        lines.append(f"    if isinstance(value, {unknown}):")
        lines.append(
            '        raise ValidationError(path, "union", f"cannot send unknown member {value.tag!r}")'
        )
        lines.append(f'    raise type_error(value, path, "{alias}")')
        return "\n".join(lines)


def _fs(template: str) -> str:
    """An f-string literal for a path template such as ``{path}Filters[{i0!r}]``."""
    return f'f"{template}"'


def _compiles(pattern: str) -> bool:
    # Smithy patterns are ECMA-262 regexes; the rare one Python's re cannot read
    # is left to the service to enforce rather than failing generation.
    try:
        re.compile(pattern)
    except re.error:
        return False
    return True


def emit_validate(ctx: Context, header: str) -> str:
    """The text of ``_validate.py``."""
    emitter = _Emitter(ctx)
    functions = []
    for shape in ctx.aggregates:
        if not ctx.needs_validator(shape) or ctx.is_event_union(shape):
            continue
        if isinstance(shape, StructureShape):
            functions.append(emitter.structure(shape))
        elif isinstance(shape, UnionShape):
            functions.append(emitter.union(shape))
    models = "from . import models\n"
    prelude = _PRELUDE.replace("{models}", models)
    return f"{header}{prelude}\n\n" + "\n\n\n".join(functions) + "\n"
