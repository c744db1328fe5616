"""XML request bodies (restXml) written from a document and its layout.

Spec: aws-xml-serialization.rst.template and protocol-traits.rst's XML
bindings: a structure is an element whose children are its members
(``@xmlName``), ``@xmlAttribute`` members are attributes, a list wraps its
items (``member``) unless ``@xmlFlattened``, a map wraps ``entry`` elements
of ``key`` and ``value``; ``@xmlNamespace`` adds an ``xmlns`` (or
``xmlns:prefix``) attribute to the element it is on. The text is written by
hand, not by ElementTree, so a default namespace is written as declared
(ElementTree would invent ``ns0:`` prefixes or need a process-wide
registration).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any
from xml.sax.saxutils import escape, quoteattr

from ._layout import Layout, Namespace, XmlList, XmlMap, XmlStructure

__all__ = ["scalar_text", "write_xml"]


def scalar_text(value: Any) -> str:
    """A scalar as XML or query text: booleans lower case, floats as JSON writes them."""
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, float):
        if math.isnan(value):
            return "NaN"
        if math.isinf(value):
            return "Infinity" if value > 0 else "-Infinity"
        return repr(value)
    return str(value)


def write_xml(
    document: Any,
    layout: Layout,
    name: str,
    namespace: Namespace | None = None,
) -> bytes:
    """The XML of ``document`` as the element ``name`` (the body's root)."""
    parts: list[str] = []
    _value(parts, name, namespace, document, layout)
    return "".join(parts).encode("utf-8")


def _open(
    parts: list[str],
    name: str,
    namespace: Namespace | None,
    attributes: list[tuple[str, str]] = [],  # noqa: B006 (never mutated)
) -> None:
    parts.append(f"<{name}")
    if namespace is not None:
        parts.append(f" {namespace[0]}={quoteattr(namespace[1])}")
    for key, value in attributes:
        parts.append(f" {key}={quoteattr(value)}")
    parts.append(">")


def _value(
    parts: list[str], name: str, namespace: Namespace | None, value: Any, layout: Layout
) -> None:
    if isinstance(layout, XmlStructure):
        _structure(parts, name, namespace, value, layout)
    elif isinstance(layout, XmlList):
        _open(parts, name, namespace)
        for item in value:
            _value(parts, layout.item_name, layout.item_namespace, item, layout.item)
        parts.append(f"</{name}>")
    elif isinstance(layout, XmlMap):
        _open(parts, name, namespace)
        for key, item in value.items():
            _entry(parts, "entry", None, key, item, layout)
        parts.append(f"</{name}>")
    else:
        _open(parts, name, namespace)
        parts.append(escape(scalar_text(value)))
        parts.append(f"</{name}>")


def _entry(
    parts: list[str],
    name: str,
    namespace: Namespace | None,
    key: str,
    value: Any,
    layout: XmlMap,
) -> None:
    _open(parts, name, namespace)
    _value(parts, layout.key_name, layout.key_namespace, key, "text")
    if value is not None:
        _value(parts, layout.value_name, layout.value_namespace, value, layout.value)
    parts.append(f"</{name}>")


def _structure(
    parts: list[str],
    name: str,
    namespace: Namespace | None,
    document: Mapping[str, Any],
    layout: XmlStructure,
) -> None:
    attributes = [
        (m.xml_name, scalar_text(document[m.name]))
        for m in layout.attributes
        if document.get(m.name) is not None
    ]
    _open(parts, name, namespace or layout.namespace, attributes)
    for member in layout.members:
        value = document.get(member.name)
        if value is None or member.attribute:
            continue
        target = member.target
        if member.flattened and isinstance(target, XmlList):
            # Each item takes the member's name and the list member's namespace.
            for item in value:
                _value(parts, member.xml_name, target.item_namespace, item, target.item)
        elif member.flattened and isinstance(target, XmlMap):
            for key, item in value.items():
                _entry(parts, member.xml_name, member.namespace, key, item, target)
        else:
            _value(parts, member.xml_name, member.namespace, value, target)
    parts.append(f"</{name}>")
