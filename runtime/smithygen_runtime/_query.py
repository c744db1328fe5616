"""The awsQuery and ec2Query protocols: form-encoded requests, XML responses.

Spec: aws-query-protocol.rst, aws-ec2-query-protocol.rst and
aws-query-serialization.rst.template. A request is a POST to the endpoint
with an ``application/x-www-form-urlencoded`` body: ``Action`` (the
operation's name), ``Version`` (the service's version), then the input's
members as dotted keys. A response is XML: awsQuery wraps the output in
``<OperationResult>`` inside ``<OperationResponse>``, ec2Query puts it in
``<OperationResponse>`` directly. Errors: awsQuery's
``<ErrorResponse><Error><Code>``, ec2Query's
``<Response><Errors><Error><Code>``; the code is the error shape's name or
its ``aws.protocols#awsQueryError`` code (the generator keys the service's
errors by it).

The two protocols share everything but three rules, which the two thin
classes at the end set: ec2Query writes every list flattened (``Key.1``,
never ``Key.member.1``), leaves an empty list out (awsQuery sends
``Key=``), and has no result wrapper. Member names (``@xmlName``,
``@ec2QueryName`` and ec2Query's capitalisation) are resolved by the
generator into the service's ``WireSchema``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar
from urllib.parse import quote
from xml.etree.ElementTree import Element, ParseError

from ._client_protocol import ClientProtocol, WireRequest
from ._deserialize import WrongShape, unreadable_output
from ._errors import (
    ConfigurationError,
    ResponseParseError,
    ServiceError,
    ValidationError,
    preview,
)
from ._layout import XmlList, XmlMap, XmlStructure
from ._specs import OperationSpec, ServiceSpec
from ._xml import (
    UnsafeXml,
    child,
    child_text,
    modeled_xml_error,
    parse_xml,
    read_document,
    read_xml_error,
    xml_error_message,
)
from ._xml_writer import scalar_text

__all__ = [
    "PROTOCOL",
    "AwsQueryProtocol",
    "Ec2QueryProtocol",
    "encode_form",
    "form_pairs",
]

FORM_CONTENT_TYPE = "application/x-www-form-urlencoded"

# RFC 3986 unreserved characters stay as they are; everything else is
# percent-encoded (a space is %20, never "+").
_SAFE = "-_.~"


# --- requests -------------------------------------------------------------------


def form_pairs(
    document: Mapping[str, Any],
    layout: XmlStructure | None,
    *,
    flatten_lists: bool = False,
    empty_lists: bool = True,
) -> list[tuple[str, str]]:
    """The (key, value) pairs of a serialized input, in member order."""
    pairs: list[tuple[str, str]] = []
    if layout is not None:
        writer = _FormWriter(pairs, flatten_lists, empty_lists)
        writer.write_structure("", document, layout)
    return pairs


class _FormWriter:
    """Writes one input's values as dotted keys (aws-query-serialization.rst.template)."""

    __slots__ = ("empty_lists", "flatten_lists", "pairs")

    def __init__(
        self, pairs: list[tuple[str, str]], flatten_lists: bool, empty_lists: bool
    ) -> None:
        self.pairs = pairs
        self.flatten_lists = flatten_lists
        self.empty_lists = empty_lists

    def write_value(self, key: str, value: Any, layout: Any, flattened: bool) -> None:
        if value is None:
            return
        if isinstance(layout, XmlStructure):
            self.write_structure(f"{key}.", value, layout)
        elif isinstance(layout, XmlList):
            self.write_list(key, value, layout, flattened or self.flatten_lists)
        elif isinstance(layout, XmlMap):
            self.write_map(key, value, layout, flattened)
        else:
            self.pairs.append((key, scalar_text(value)))

    def write_structure(
        self, prefix: str, document: Mapping[str, Any], layout: XmlStructure
    ) -> None:
        for member in layout.members:
            value = document.get(member.name)
            if value is not None:
                key = prefix + member.query_name
                self.write_value(key, value, member.target, member.flattened)

    def write_list(
        self, key: str, items: list[Any], layout: XmlList, flattened: bool
    ) -> None:
        if not items:
            if self.empty_lists:
                self.pairs.append((key, ""))
            return
        stem = f"{key}." if flattened else f"{key}.{layout.item_name}."
        for index, item in enumerate(items, 1):
            self.write_value(f"{stem}{index}", item, layout.item, False)

    def write_map(
        self, key: str, entries: Mapping[str, Any], layout: XmlMap, flattened: bool
    ) -> None:
        stem = f"{key}." if flattened else f"{key}.entry."
        for index, (name, value) in enumerate(entries.items(), 1):
            self.pairs.append((f"{stem}{index}.{layout.key_name}", name))
            self.write_value(
                f"{stem}{index}.{layout.value_name}", value, layout.value, False
            )


def encode_form(pairs: list[tuple[str, str]]) -> bytes:
    """``key=value&...``, each side percent-encoded as RFC 3986 says."""
    try:
        text = "&".join(
            f"{quote(key, safe=_SAFE)}={quote(value, safe=_SAFE)}"
            for key, value in pairs
        )
    except UnicodeEncodeError as exc:
        # A string holding a lone surrogate cannot be sent as UTF-8.
        raise ValidationError(
            "input", "utf8", f"holds text that is not valid Unicode: {exc.reason}"
        ) from None
    return text.encode("ascii")


# --- responses ------------------------------------------------------------------


class QueryProtocol(ClientProtocol):
    """What awsQuery and ec2Query share; the subclasses set the three differences."""

    flatten_lists: ClassVar[bool]
    """Every list written as ``Key.N`` (ec2Query), not ``Key.member.N``."""
    empty_lists: ClassVar[bool]
    """An empty list sent as ``Key=`` (awsQuery) rather than left out."""
    result_wrapper: ClassVar[bool]
    """The output sits in ``<OperationResult>`` inside the root (awsQuery)."""

    def __init__(self, service: ServiceSpec, name: str | None = None) -> None:
        super().__init__(service, name)
        schema = service.wire_schema
        if schema is None:
            raise ConfigurationError(
                f"{service.sdk_id}: a {service.protocol} client needs the wire "
                "schema its generated package declares (regenerate the package)"
            )
        self.schema = schema
        self._head = f"Action=%s&Version={quote(service.api_version, safe=_SAFE)}"

    def static_headers(self) -> dict[str, str]:
        return {"Content-Type": FORM_CONTENT_TYPE}

    def serialize_request(
        self, operation: OperationSpec[Any, Any], input: Any
    ) -> WireRequest:
        document = self.serialize_document(operation, input)
        pairs = form_pairs(
            document,
            self.schema.inputs.get(operation.name),
            flatten_lists=self.flatten_lists,
            empty_lists=self.empty_lists,
        )
        head = self._head % quote(operation.name, safe=_SAFE)
        body = encode_form(pairs)
        body = head.encode("ascii") + (b"&" + body if body else b"")
        return WireRequest("POST", "", {}, body, document)

    # --- success ---------------------------------------------------------------

    def deserialize_response(
        self,
        operation: OperationSpec[Any, Any],
        status: int,
        headers: Mapping[str, str],
        content: bytes,
    ) -> tuple[Any, Mapping[str, Any]]:
        layout = self.schema.outputs.get(operation.name)
        document: Mapping[str, Any] = {}
        if layout is not None and (layout.members or content.strip()):
            document = self._output_document(
                operation, layout, status, headers, content
            )
        try:
            output = operation.deserialize(document)
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            request_id = self.request_id(headers)
            raise unreadable_output(operation.name, exc, status, request_id) from None
        return output, document

    def _output_document(
        self,
        operation: OperationSpec[Any, Any],
        layout: XmlStructure,
        status: int,
        headers: Mapping[str, str],
        content: bytes,
    ) -> Mapping[str, Any]:
        """The output's members read from the result element.

        An output with members needs the element that holds them
        (``<OpResult>`` in ``<OpResponse>``, ec2Query's ``<OpResponse>``):
        aws-query-protocol.rst, "Response serialization". Without it, an
        empty output would hide a broken response, so ResponseParseError
        names the missing element (botocore fails too: an XML error on an
        empty body, a KeyError on a missing result element). The suite's
        empty 200 bodies are all for outputs without members.
        """
        name = operation.name
        if not content.strip():
            raise self._missing_result(operation, status, headers, "the body is empty")
        root = self._parse(content, status, headers)
        found = self._output_element(root, name)
        if found is None:
            if layout.members:
                raise self._missing_result(operation, status, headers, "not found")
            return {}
        try:
            document: Mapping[str, Any] = read_document(found, layout)
        except WrongShape as exc:
            raise unreadable_output(
                name, exc, status, self.request_id(headers)
            ) from None
        except RecursionError:
            raise ResponseParseError(
                f"{name} response nests deeper than can be read",
                status_code=status,
                request_id=self.request_id(headers),
            ) from None
        return document

    def _missing_result(
        self,
        operation: OperationSpec[Any, Any],
        status: int,
        headers: Mapping[str, str],
        why: str,
    ) -> ResponseParseError:
        suffix = "Result" if self.result_wrapper else "Response"
        return ResponseParseError(
            f"{operation.name} response has no <{operation.name}{suffix}> element"
            f" ({why})",
            status_code=status,
            request_id=self.request_id(headers),
        )

    def _output_element(self, root: Element, operation: str) -> Element | None:
        if not self.result_wrapper:
            return root
        return child(root, f"{operation}Result")

    def _parse(
        self, content: bytes, status: int, headers: Mapping[str, str]
    ) -> Element:
        """The root element; ResponseParseError for bad or hostile XML."""
        try:
            return parse_xml(content)
        except UnsafeXml as exc:
            problem = f"response body refused: {exc}"
        except (ParseError, ValueError, RecursionError) as exc:
            problem = (
                f"response body is not well-formed XML ({type(exc).__name__}: "
                f"{exc}); {len(content)} bytes starting {preview(content)}"
            )
        raise ResponseParseError(
            problem, status_code=status, request_id=self.request_id(headers)
        )

    # --- errors ----------------------------------------------------------------

    def build_error(
        self,
        operation: OperationSpec[Any, Any],
        status: int,
        reason: str,
        headers: Mapping[str, str],
        content: bytes,
    ) -> ServiceError:
        request_id = self.request_id(headers)
        error = read_xml_error(content, status, errors_list=True)
        # The body's id first, as botocore reads a query error (the service
        # sends the same one in x-amzn-RequestId too).
        request_id = (
            child_text(error.root, "RequestId")
            or child_text(error.root, "RequestID")
            or request_id
        )
        return modeled_xml_error(
            self.service,
            operation.errors,
            self.schema.errors,
            error,
            message=xml_error_message(error, reason, content),
            status=status,
            request_id=request_id,
        )


class AwsQueryProtocol(QueryProtocol):
    """awsQuery: ``Key.member.N`` lists, ``Key=`` for an empty one, ``<OpResult>``."""

    names = ("awsQuery",)
    flatten_lists = False
    empty_lists = True
    result_wrapper = True


class Ec2QueryProtocol(QueryProtocol):
    """ec2Query: ``Key.N`` lists, empty lists left out, no result wrapper."""

    names = ("ec2Query",)
    flatten_lists = True
    empty_lists = False
    result_wrapper = False


PROTOCOL = AwsQueryProtocol
"""awsQuery's class; ``_ec2_query`` holds the ec2Query one as its PROTOCOL."""
