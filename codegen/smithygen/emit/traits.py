"""Fast trait lookups by relative or absolute trait name.

``Shape.has_trait("required")`` parses the name into a ShapeId on every call;
generating a large model asks tens of thousands of times, so names are parsed
once here.
"""

from __future__ import annotations

from functools import cache

from smithy_python.model import Node, Shape, ShapeId


@cache
def trait_id(name: str) -> ShapeId:
    """The ShapeId of a trait name; relative names are in ``smithy.api``."""
    return ShapeId.from_string(name, default_namespace="smithy.api")


def has_trait(shape: Shape | None, name: str) -> bool:
    """Whether ``shape`` carries the trait (False for None)."""
    return shape is not None and trait_id(name) in shape.traits


def get_trait(shape: Shape | None, name: str) -> Node:
    """The trait's value, or None when absent."""
    return None if shape is None else shape.traits.get(trait_id(name))
