"""XML responses: a safe parser, and the shapes' XML layout read into a document.

Spec: aws-xml-serialization.rst.template and protocol-traits.rst "XML
bindings": a structure is an element whose children are its members (named
by ``@xmlName`` or the member name), a list an element whose children are
its items (``member`` or the list member's ``@xmlName``), a map an element
of ``entry`` elements holding ``key`` and ``value``; a ``@xmlFlattened``
list or map drops its wrapping element and repeats the member's element in
the parent. Namespaces are ignored on reading, as botocore does: an element
is known by its local name.

``read_document`` turns an element into the document the generated
deserializers read (the same ``de_*`` functions awsJson uses): a dict keyed
by member name, with JSON-typed values (text, int, float, bool; epoch
seconds as numbers; bigDecimal as Decimal). Waiter paths match in it too.

Safety: the C expat parser behind ``xml.etree.ElementTree`` never fetches
external entities, and a document type declaration (the only place an
entity can be declared, so the only way to an entity-expansion bomb or an
external entity) is refused outright: AWS responses never carry one. The
body is already bounded by the client's response-size cap, and nesting
deeper than ``MAX_DEPTH`` is refused while parsing.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ElementTree
from collections.abc import Iterable, Mapping
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING, Any, NamedTuple

from ._deserialize import WrongShape, _MapKey, modeled_error
from ._errors import preview
from ._layout import (
    XML_BIG_DECIMAL,
    XML_BOOL,
    XML_EPOCH,
    XML_FLOAT,
    XML_INT,
    XML_TEXT,
    Layout,
    XmlList,
    XmlMap,
    XmlMember,
    XmlStructure,
)

if TYPE_CHECKING:
    from ._errors import ServiceError
    from ._specs import ServiceSpec

__all__ = [
    "MAX_DEPTH",
    "UnsafeXml",
    "XmlError",
    "child",
    "child_text",
    "local_name",
    "modeled_xml_error",
    "parse_xml",
    "read_document",
    "read_xml_error",
    "unreadable_error_message",
    "xml_error_message",
]


MAX_DEPTH = 256
"""Deepest element nesting accepted. AWS responses nest a few tens of levels;
a document nested deeper is refused while it is parsed, before a tree of
millions of nested elements (about 80 bytes each, from 7 bytes of input) is
built from a body within the response-size cap."""


class UnsafeXml(ValueError):
    """The document declares a document type, or nests deeper than MAX_DEPTH."""


class _GuardedBuilder(ElementTree.TreeBuilder):
    """A TreeBuilder that refuses a DOCTYPE (before any entity is read) and deep nesting."""

    def __init__(self) -> None:
        super().__init__()
        self._depth = 0

    def doctype(self, name: str, pubid: str | None, system: str | None) -> None:
        raise UnsafeXml(
            f"the XML declares a document type ({name!r}); AWS responses never "
            "carry one, and it is how entity expansion and external entities "
            "get in"
        )

    def start(self, tag: str, attrs: dict[str, str]) -> ElementTree.Element:
        self._depth += 1
        if self._depth > MAX_DEPTH:
            raise UnsafeXml(f"the XML nests deeper than {MAX_DEPTH} elements")
        return super().start(tag, attrs)

    def end(self, tag: str) -> ElementTree.Element:
        self._depth -= 1
        return super().end(tag)


def parse_xml(content: bytes) -> ElementTree.Element:
    """The root element of ``content``.

    Raises ``UnsafeXml`` for a document type declaration or nesting deeper
    than ``MAX_DEPTH``, and ``xml.etree.ElementTree.ParseError`` (a
    SyntaxError) for anything that is not well-formed XML (an entity that
    was never declared included).
    """
    if not _may_declare_a_doctype(content):
        # expat's C tree builder, then the depth: an S3 listing of 1000
        # keys parses in about a third of the time of the guarded builder
        # below, whose Python start and end run for every element.
        root = ElementTree.fromstring(content)
        if _deeper_than(root, MAX_DEPTH):
            raise UnsafeXml(f"the XML nests deeper than {MAX_DEPTH} elements")
        return root
    parser = ElementTree.XMLParser(target=_GuardedBuilder())
    parser.feed(content)
    guarded: ElementTree.Element = parser.close()
    return guarded


# An XML declaration naming an encoding in which "<!DOCTYPE" is written as
# these bytes: UTF-8 or ASCII.
_ASCII_DECLARATION = re.compile(
    rb"<\?xml[^>]*encoding\s*=\s*[\"'](?:utf-8|us-ascii)[\"']", re.IGNORECASE
)


def _may_declare_a_doctype(content: bytes) -> bool:
    """False only when ``content`` surely declares no document type.

    A body that starts with ``<`` (not UTF-16's ``<\\0``) is read by expat
    as UTF-8 unless its XML declaration names another encoding; in UTF-8
    (and ASCII) a document type declaration is the bytes ``<!DOCTYPE``.
    Anything else (a byte-order mark, another encoding, the bytes anywhere)
    goes to the guarded builder, which refuses a declaration as it is read.
    """
    if content[:1] != b"<" or content[1:2] == b"\0":
        return True
    if content.startswith(b"<?xml"):
        declaration = content[: content.find(b"?>") + 2]
        if b"encoding" in declaration and not _ASCII_DECLARATION.match(declaration):
            return True
    return b"<!DOCTYPE" in content


def _deeper_than(root: ElementTree.Element, limit: int) -> bool:
    """Whether any element of ``root``'s tree lies more than ``limit`` levels down."""
    level = [root]
    for _ in range(limit):
        # One level at a time: a comprehension over the C elements, no
        # Python call per element.
        level = [child for element in level if len(element) for child in element]
        if not level:
            return False
    return True


def local_name(tag: str) -> str:
    """``{namespace}name`` -> ``name``."""
    return tag.rpartition("}")[2] if tag[:1] == "{" else tag


# --- reading ----------------------------------------------------------------------


def child(element: ElementTree.Element | None, name: str) -> ElementTree.Element | None:
    """The first child of ``element`` with the local name ``name``."""
    if element is not None:
        for found in element:
            if local_name(found.tag) == name:
                return found
    return None


def child_text(element: ElementTree.Element | None, name: str) -> str | None:
    """The stripped text of that child ("" when empty), None without one."""
    found = child(element, name)
    return None if found is None else (found.text or "").strip()


class XmlError(NamedTuple):
    """What every XML protocol reads alike from an error response."""

    root: ElementTree.Element | None
    """The document's root; None for an empty body or one that is not XML."""
    element: ElementTree.Element | None
    """The ``<Error>`` element, if any."""
    code: str
    """Its ``<Code>``, else the HTTP status (all there is: botocore does so)."""
    message: str | None
    """Its ``<Message>`` (or ``<message>``), None without one."""


def read_xml_error(
    content: bytes, status: int, *, errors_list: bool = False
) -> XmlError:
    """The root, ``<Error>``, code and message of an XML error response.

    ``<Error>`` is the root itself (restXml's noErrorWrapping), a child of
    the root (``<ErrorResponse>``) or, with ``errors_list`` (the query
    protocols), inside ``<Errors>`` (ec2Query's ``<Response>``). A body
    that is not XML (a proxy's page, say) reads as no root.
    """
    root: ElementTree.Element | None = None
    if content.strip():
        try:
            root = parse_xml(content)
        except (UnsafeXml, ElementTree.ParseError, ValueError, RecursionError):
            root = None
    element = _error_element(root, errors_list)
    code = child_text(element, "Code") or str(status)
    message = child_text(element, "Message") or child_text(element, "message")
    return XmlError(root, element, code, message)


def _error_element(
    root: ElementTree.Element | None, errors_list: bool
) -> ElementTree.Element | None:
    if root is None:
        return None
    if local_name(root.tag) == "Error":
        return root
    # (An Element with no children is falsy: no ``or`` between them.)
    error = child(root, "Error")
    if error is None and errors_list:
        error = child(child(root, "Errors"), "Error")
    return error


def unreadable_error_message(reason: str, content: bytes) -> str:
    """The message of an error without ``<Message>`` whose body is not XML."""
    if not content.strip():
        return reason
    return f"{reason or 'error'} (the body is not XML: {preview(content)})"


def xml_error_message(error: XmlError, reason: str, content: bytes) -> str:
    """Its ``<Message>``; else the HTTP reason, with a preview of a body that is not XML."""
    if error.message is not None:
        return error.message
    if error.root is not None:
        return reason
    return unreadable_error_message(reason, content)


def modeled_xml_error(
    service: ServiceSpec,
    operation_errors: Mapping[str, type[ServiceError]],
    layouts: Mapping[str, Layout],
    error: XmlError,
    *,
    message: str,
    status: int,
    request_id: str | None,
) -> ServiceError:
    """The modeled error ``error.code`` names, its members read from ``<Error>``."""
    layout = layouts.get(error.code)
    element = error.element
    return modeled_error(
        service,
        operation_errors,
        error.code,
        lambda: (
            {} if element is None or layout is None else read_document(element, layout)
        ),
        message=message,
        status=status,
        request_id=request_id,
    )


def read_document(element: ElementTree.Element, layout: Layout) -> Any:
    """The document value of ``element`` read as ``layout``.

    Raises ``WrongShape`` naming the member path of a value that does not
    fit (an integer that is not a number, say).
    """
    if layout.__class__ is XmlStructure:  # the commonest, by identity first
        return _structure(element, layout)
    if isinstance(layout, str):
        return _scalar(element.text or "", layout)
    if isinstance(layout, XmlStructure):
        return _structure(element, layout)
    if isinstance(layout, XmlList):
        return _items(list(element), layout.item)
    return _entries(list(element), layout)


def _structure(element: ElementTree.Element, layout: XmlStructure) -> dict[str, Any]:
    result: dict[str, Any] = {}
    by_tag = layout.by_tag
    for child in element:
        # By the tag as it arrives ("{namespace}Key"), remembered per layout:
        # local_name for every element of an S3 listing was a tenth of it.
        member = by_tag.get(child.tag, _UNSEEN)
        if member is _UNSEEN:
            member = layout.member_for_tag(child.tag, local_name(child.tag))
        if member is None:
            continue  # not a member (ResponseMetadata, a newer member): ignored
        target = member.target
        try:
            if target is XML_TEXT:
                # The commonest member (strings, enums, timestamps): read here
                # rather than through read_document and _scalar.
                result[member.name] = child.text or ""
            elif member.flattened:
                _add_flattened(result, member, child)
            else:
                result[member.name] = read_document(child, target)
        except WrongShape as error:
            raise error.within(member.name) from None
        except (TypeError, ValueError, ArithmeticError) as error:
            raise WrongShape(str(error), member.name) from None
    if layout.attributes and element.attrib:
        # By local name: ``xsi:someName`` arrives as ``{uri}someName``.
        found = {local_name(k): v for k, v in element.attrib.items()}
        for member in layout.attributes:
            value = found.get(member.xml_name.rpartition(":")[2])
            if value is not None:
                result[member.name] = _scalar(value, member.target)  # type: ignore[arg-type]
    return result


_UNSEEN: Any = object()


def _add_flattened(
    result: dict[str, Any], member: XmlMember, child: ElementTree.Element
) -> None:
    """One element of a flattened list or map, added to what came before it."""
    target = member.target
    if isinstance(target, XmlList):
        items = result.get(member.name)
        if items is None:
            items = result[member.name] = []
        items.append(read_document(child, target.item))
    elif isinstance(target, XmlMap):
        result.setdefault(member.name, {}).update(_entries([child], target))
    else:
        result[member.name] = read_document(child, target)


def _items(elements: Iterable[ElementTree.Element], item: Layout) -> list[Any]:
    found = []
    for index, element in enumerate(elements):
        try:
            found.append(read_document(element, item))
        except WrongShape as error:
            raise error.within(index) from None
        except (TypeError, ValueError, ArithmeticError) as error:
            raise WrongShape(str(error), index) from None
    return found


def _entries(elements: Iterable[ElementTree.Element], layout: XmlMap) -> dict[str, Any]:
    """Map entries: each element holds one key and one value element."""
    found: dict[str, Any] = {}
    for entry in elements:
        key: str | None = None
        value: ElementTree.Element | None = None
        for part in entry:
            name = local_name(part.tag)
            if name == layout.key_name:
                key = part.text or ""
            elif name == layout.value_name:
                value = part
        if key is None:
            raise WrongShape(f"a map entry has no <{layout.key_name}> element")
        if value is None:
            continue  # an entry without a value: nothing to keep
        try:
            found[key] = read_document(value, layout.value)
        except WrongShape as error:
            raise error.within(_MapKey(key)) from None
        except (TypeError, ValueError, ArithmeticError) as error:
            raise WrongShape(str(error), _MapKey(key)) from None
    return found


def _scalar(text: str, kind: str) -> Any:
    if kind == XML_TEXT:
        return text
    text = text.strip()
    if kind == XML_INT:
        return int(text)
    if kind == XML_BOOL:
        if text == "true":
            return True
        if text == "false":
            return False
        raise ValueError(f"expected true or false, got {text!r}")
    if kind == XML_FLOAT:
        if text in ("NaN", "Infinity", "-Infinity"):
            return text  # parse_float reads these names
        return float(text)
    if kind == XML_EPOCH:
        number = float(text)
        return int(number) if number.is_integer() and "." not in text else number
    if kind == XML_BIG_DECIMAL:
        try:
            return Decimal(text)
        except InvalidOperation:
            raise ValueError(f"not a number: {text!r}") from None
    raise ValueError(f"unknown XML scalar kind {kind!r}")
