"""The wire layout of shapes whose messages are not JSON: query keys, XML names.

Generated packages of the query (and XML) protocols describe each input,
output and error structure with these classes (their ``_wire_schema``
module); ``_query`` writes requests from them and ``_xml`` reads responses.
Kept apart from ``_xml`` so importing the runtime does not import an XML
parser.
"""

from __future__ import annotations

from typing import Union

__all__ = [
    "XML_BIG_DECIMAL",
    "XML_BOOL",
    "XML_EPOCH",
    "XML_FLOAT",
    "XML_INT",
    "XML_TEXT",
    "Layout",
    "Namespace",
    "XmlList",
    "XmlMap",
    "XmlMember",
    "XmlStructure",
]

# Scalar kinds: how an element's text becomes a document value.
XML_TEXT = "text"  # string, enum, blob (base64), date-time and http-date timestamps
XML_INT = "int"  # byte, short, integer, long, bigInteger, intEnum
XML_FLOAT = "float"  # float, double ("NaN", "Infinity", "-Infinity" included)
XML_BOOL = "bool"
XML_EPOCH = "epoch"  # an epoch-seconds timestamp: a number
XML_BIG_DECIMAL = "decimal"

Layout = Union[str, "XmlStructure", "XmlList", "XmlMap"]
# An @xmlNamespace as the attribute it writes: ("xmlns", uri) or ("xmlns:p", uri).
Namespace = tuple[str, str]


# Distinct element tags an XmlStructure remembers (its members' names in a
# namespace or two, and the elements it ignores).
_MAX_REMEMBERED_TAGS = 256


class XmlMember:
    """One structure member: its document key, its XML and query names, its target.

    ``xml_name``: the element (or attribute) name in XML; ``query_name``:
    the key segment in a query request; ``flattened``: ``@xmlFlattened``
    (for ec2Query requests every list is written flattened);
    ``attribute``: ``@xmlAttribute``; ``namespace``: the member's
    ``@xmlNamespace`` (restXml requests write it).
    """

    __slots__ = (
        "attribute",
        "flattened",
        "name",
        "namespace",
        "query_name",
        "target",
        "xml_name",
    )

    def __init__(
        self,
        name: str,
        target: Layout,
        *,
        xml_name: str | None = None,
        query_name: str | None = None,
        flattened: bool = False,
        attribute: bool = False,
        namespace: Namespace | None = None,
    ) -> None:
        self.name = name
        self.namespace = namespace
        self.target = target
        self.xml_name = xml_name or name
        self.query_name = query_name or name
        self.flattened = flattened
        self.attribute = attribute

    def __repr__(self) -> str:
        return f"XmlMember({self.name!r})"


class XmlStructure:
    """A structure (or union): its members, defined after creation.

    Shapes may be recursive, so generated code creates every structure
    first and gives each its members with ``define`` afterwards.
    """

    __slots__ = (
        "attributes",
        "by_tag",
        "by_xml_name",
        "members",
        "name",
        "namespace",
        "xml_name",
    )

    def __init__(
        self,
        name: str,
        *,
        xml_name: str | None = None,
        namespace: Namespace | None = None,
    ) -> None:
        self.name = name
        # As a document's root element (restXml): @xmlName, else the shape name.
        self.xml_name = xml_name or name
        self.namespace = namespace
        self.members: tuple[XmlMember, ...] = ()
        self.by_xml_name: dict[str, XmlMember] = {}
        # Element tags as they arrived ("{namespace}Name") -> member (None:
        # not a member), filled by member_for_tag as responses are read.
        self.by_tag: dict[str, XmlMember | None] = {}
        self.attributes: tuple[XmlMember, ...] = ()

    def define(self, *members: XmlMember) -> XmlStructure:
        self.members = members
        self.by_xml_name = {m.xml_name: m for m in members if not m.attribute}
        self.by_tag = {}
        self.attributes = tuple(m for m in members if m.attribute)
        return self

    def member_for_tag(self, tag: str, name: str) -> XmlMember | None:
        """The member an element of ``tag`` (local name ``name``) holds, remembered.

        Only so many tags are remembered: a response cannot grow the table
        without bound with made-up namespaces.
        """
        member = self.by_xml_name.get(name)
        if len(self.by_tag) < _MAX_REMEMBERED_TAGS:
            self.by_tag[tag] = member
        return member

    def __repr__(self) -> str:
        return f"XmlStructure({self.name!r})"


class XmlList:
    """A list: its items' layout and their element name (``member`` by default)."""

    __slots__ = ("item", "item_name", "item_namespace")

    def __init__(
        self,
        item: Layout,
        item_name: str = "member",
        item_namespace: Namespace | None = None,
    ) -> None:
        self.item = item
        self.item_name = item_name
        self.item_namespace = item_namespace


class XmlMap:
    """A map: its key and value element names and the values' layout."""

    __slots__ = ("key_name", "key_namespace", "value", "value_name", "value_namespace")

    def __init__(
        self,
        value: Layout,
        key_name: str = "key",
        value_name: str = "value",
        *,
        key_namespace: Namespace | None = None,
        value_namespace: Namespace | None = None,
    ) -> None:
        self.value = value
        self.key_name = key_name
        self.value_name = value_name
        self.key_namespace = key_namespace
        self.value_namespace = value_namespace
