"""Python names for Smithy names: snake_case members, safe class names.

Every generated identifier goes through here, so a member called ``Type`` or
``Id`` never shadows a builtin and a shape called ``None`` never breaks the
syntax of the module it lands in.
"""

from __future__ import annotations

import builtins
import keyword
import re
from typing import Final

_ACRONYM_BOUNDARY: Final = re.compile(r"([A-Z]+)([A-Z][a-z])")
_WORD_BOUNDARY: Final = re.compile(r"([a-z0-9])([A-Z])")
_NOT_IDENTIFIER: Final = re.compile(r"[^0-9A-Za-z_]+")

# Builtins are avoided too: a field called ``list`` or ``type`` would shadow the
# builtin inside the class body, where later annotations are resolved.
# ``self``/``cls`` and the names generated method bodies use are parameters'
# neighbours, so members never take them either; nor do the modules generated
# code imports (a parameter ``models`` would hide the models module from the
# method body that builds the input, a field ``datetime`` the type of the
# fields after it).
_RESERVED: Final = (
    frozenset(keyword.kwlist)
    | {name for name in dir(builtins) if not name.startswith("_")}
    | {"self", "cls", "attrs", "paginate", "wait", "max_wait", "request"}
    | {"new_idempotency_token", "models", "datetime", "importlib"}
)


def snake_case(name: str) -> str:
    """``SSMDocument`` -> ``ssm_document``, ``MaxResults`` -> ``max_results``.

    A run of capitals is one word until its last capital starts a new
    capitalised word, so acronyms stay together (``KMSKeyId`` -> ``kms_key_id``).
    """
    name = _NOT_IDENTIFIER.sub("_", name)
    name = _ACRONYM_BOUNDARY.sub(r"\1_\2", name)
    name = _WORD_BOUNDARY.sub(r"\1_\2", name)
    return re.sub(r"_+", "_", name).strip("_").lower() or "_"


def safe_name(name: str, reserved: frozenset[str] | set[str] = frozenset()) -> str:
    """Append ``_`` while the name is a keyword, a builtin or in ``reserved``."""
    if name[0].isdigit():
        name = f"_{name}"
    while name in _RESERVED or name in reserved:
        name = f"{name}_"
    return name


def member_name(name: str, reserved: frozenset[str] | set[str] = frozenset()) -> str:
    """The snake_case attribute or parameter name for a Smithy member name."""
    return safe_name(snake_case(name), reserved)


def constant_name(name: str) -> str:
    """``DescribeInventoryDeletions`` -> ``DESCRIBE_INVENTORY_DELETIONS``."""
    return snake_case(name).upper()


def enum_member_name(name: str) -> str:
    """A Python enum member name for a Smithy enum member name."""
    cleaned = _NOT_IDENTIFIER.sub("_", name).upper() or "_"
    if cleaned[0].isdigit():
        cleaned = f"_{cleaned}"
    # ``name``/``value`` (and the other enum internals) are properties of Enum.
    if cleaned.lower() in {"name", "value", "mro"} or keyword.iskeyword(cleaned):
        cleaned = f"{cleaned}_"
    return cleaned


def class_name(name: str) -> str:
    """A PascalCase identifier made of a Smithy name or an sdkId ("Secrets Manager")."""
    parts = [p for p in _NOT_IDENTIFIER.split(name) if p]
    joined = "".join(p[0].upper() + p[1:] for p in parts) or "Shape"
    return f"_{joined}" if joined[0].isdigit() else joined
