"""The restXml protocol: HTTP bindings around XML bodies.

Spec: aws-restxml-protocol.rst with aws-xml-serialization.rst.template.
Each operation has its own method and URI (``@http``); the members bound to
the URI, query string, headers or status (``_http_bindings``, shared with
restJson1) leave the body, which is the XML of the rest: an element named
for the input structure (``@xmlName``, else the shape name) holding them, or
with ``@httpPayload`` the payload member alone (a structure as its own
element, a blob or string as the raw body). Responses are read the same way
(``_xml``: DOCTYPE refused, depth bounded). Errors are ``<ErrorResponse>
<Error><Code>...`` or, with the trait's ``noErrorWrapping``, ``<Error>`` at
the root; the request id is ``x-amz-request-id`` (S3), ``x-amzn-RequestId``,
else the body's ``RequestId``.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any
from xml.etree.ElementTree import Element, ParseError

import attrs

from ._client_protocol import WireRequest
from ._deserialize import unreadable_output
from ._errors import (
    ConfigurationError,
    ResponseParseError,
    ServiceError,
    preview,
)
from ._http_bindings import (
    BoundRequest,
    BoundValueError,
    HttpBindingProtocol,
    bind_input,
    bound_value_error,
    http_binding,
    payload_member,
    read_bound_members,
    set_bound_error_members,
)
from ._layout import XmlMember, XmlStructure
from ._specs import HttpBinding, HttpMember, OperationSpec, ServiceSpec
from ._xml import (
    UnsafeXml,
    child_text,
    local_name,
    modeled_xml_error,
    parse_xml,
    read_document,
    read_xml_error,
    xml_error_message,
)
from ._xml_writer import write_xml

if TYPE_CHECKING:
    from ._streaming import StreamingBody

__all__ = ["PROTOCOL", "RestXmlProtocol"]

XML = "application/xml"

_PAYLOAD_CONTENT_TYPES = {
    "blob": "application/octet-stream",
    "string": "text/plain",
    "structure": XML,
    "union": XML,
}


class RestXmlProtocol(HttpBindingProtocol):
    """restXml: the operation's @http method and URI, XML bodies."""

    names = ("restXml",)

    def __init__(self, service: ServiceSpec, name: str | None = None) -> None:
        super().__init__(service, name)
        schema = service.wire_schema
        if schema is None:
            raise ConfigurationError(
                f"{service.sdk_id}: a restXml client needs the wire schema its "
                "generated package declares (regenerate the package)"
            )
        self.schema = schema
        # S3 as botocore sends it: no Content-Type of the SDK's own (the
        # caller's ContentType still goes), Expect: 100-continue on uploads.
        self._s3 = service.sdk_id == "S3"

    def static_headers(self) -> dict[str, str]:
        return {}  # Content-Type depends on each request's body

    def request_id(self, headers: Mapping[str, str]) -> str | None:
        found: str | None = headers.get("x-amz-request-id") or headers.get(
            "x-amzn-requestid"
        )
        return found

    # --- requests -------------------------------------------------------------------

    def serialize_request(
        self, operation: OperationSpec[Any, Any], input: Any
    ) -> WireRequest:
        http = http_binding(operation)
        document = self.serialize_document(operation, input)
        bound = bind_input(http, input, document)
        if operation.input_stream is not None:
            from ._http_streaming import streaming_request

            if not self._s3:
                return streaming_request(operation, input, http, bound, document)
            return streaming_request(
                operation,
                input,
                http,
                bound,
                document,
                # S3 sends no Content-Type of its own for a streamed body, as
                # botocore; a large upload asks for 100-continue (_s3.py).
                default_content_type=False,
                add_headers=functools.partial(
                    _s3_stream_headers, operation.name, http.method
                ),
            )
        body, content_type = self._body(operation, http, bound, document)
        headers = bound.headers
        if (
            content_type is not None
            and not self._s3
            and not any(key.lower() == "content-type" for key in headers)
        ):
            headers["Content-Type"] = content_type
        return WireRequest(http.method, bound.target, headers, body, document)

    def _body(
        self,
        operation: OperationSpec[Any, Any],
        http: HttpBinding,
        bound: BoundRequest,
        document: Mapping[str, Any],
    ) -> tuple[bytes, str | None]:
        """The request body and its Content-Type (None: no body at all)."""
        member = bound.payload
        if member is None:
            layout = self.schema.inputs.get(operation.name)
            if not http.body_members or layout is None or not bound.body:
                return b"", None
            namespace = layout.namespace or self.schema.namespace
            return write_xml(bound.body, layout, layout.xml_name, namespace), XML
        value = bound.payload_value
        if value is None:
            return b"", None
        content_type = member.media_type or _PAYLOAD_CONTENT_TYPES.get(member.kind, XML)
        if member.kind == "blob":
            return bytes(value), content_type
        if member.kind == "string":
            return str(value).encode("utf-8"), content_type
        payload, layout = self._payload_member(operation, member, self.schema.inputs)
        name = self.schema.payload_names.get(operation.name) or layout.xml_name
        # The member's @xmlNamespace first (CloudFront's model puts it there),
        # as its @xmlName comes before the structure's; then the structure's,
        # then the service's.
        namespace = payload.namespace or layout.namespace or self.schema.namespace
        return write_xml(document[member.key], layout, name, namespace), content_type

    def _payload_member(
        self,
        operation: OperationSpec[Any, Any],
        member: HttpMember,
        layouts: Mapping[str, XmlStructure],
    ) -> tuple[XmlMember, XmlStructure]:
        """The layouts of a structure payload's member and of its target."""
        outer = layouts[operation.name]
        for candidate in outer.members:
            if candidate.name == member.key and isinstance(
                candidate.target, XmlStructure
            ):
                return candidate, candidate.target
        raise ConfigurationError(
            f"{operation.name}: no XML layout for payload member {member.key}"
        )

    def _payload_layout(
        self,
        operation: OperationSpec[Any, Any],
        member: HttpMember,
        layouts: Mapping[str, XmlStructure],
    ) -> XmlStructure:
        """The layout of a structure payload: the target of the payload member."""
        return self._payload_member(operation, member, layouts)[1]

    # --- responses ------------------------------------------------------------------

    def deserialize_response(
        self,
        operation: OperationSpec[Any, Any],
        status: int,
        headers: Mapping[str, str],
        content: bytes,
    ) -> tuple[Any, Mapping[str, Any]]:
        http = http_binding(operation)
        request_id = self.request_id(headers)
        payload = payload_member(http.output)
        layout = self.schema.outputs.get(operation.name)
        document: dict[str, Any] = {}
        try:
            if payload is None:
                if layout is not None and content.strip():
                    root = self._parse(content, status, request_id)
                    if operation.name in self.schema.unwrapped_outputs:
                        document = _read_unwrapped(root, layout)
                    else:
                        document = read_document(root, layout)
            elif payload.kind == "blob":
                if content:
                    document[payload.key] = content
            elif payload.kind == "string":
                if content:
                    document[payload.key] = content.decode("utf-8")
            elif content.strip() and layout is not None:
                root = self._parse(content, status, request_id)
                inner = self._payload_layout(operation, payload, self.schema.outputs)
                document[payload.key] = read_document(root, inner)
            raw = {k: v for k, v in document.items() if not isinstance(v, bytes)}
            output = operation.deserialize(raw)
            bound = read_bound_members(http.output, status, headers)
            if payload is not None and payload.kind in ("blob", "string"):
                value = document.get(payload.key)
                if value is not None:
                    bound[payload.attr] = (
                        payload.convert(value) if payload.convert else value
                    )
            if bound and output is not None:
                output = attrs.evolve(output, **bound)
        except BoundValueError as exc:
            raise bound_value_error(
                f"{operation.name} response", exc, status, request_id
            ) from None
        except (KeyError, TypeError, ValueError, AttributeError, RecursionError) as exc:
            if isinstance(exc, ResponseParseError):
                raise
            raise unreadable_output(operation.name, exc, status, request_id) from None
        return output, document

    def _parse(self, content: bytes, status: int, request_id: str | None) -> Element:
        try:
            return parse_xml(content)
        except UnsafeXml as exc:
            problem = f"response body refused: {exc}"
        except (ParseError, ValueError, RecursionError) as exc:
            problem = (
                f"response body is not well-formed XML ({type(exc).__name__}: "
                f"{exc}); {len(content)} bytes starting {preview(content)}"
            )
        raise ResponseParseError(problem, status_code=status, request_id=request_id)

    # --- errors ---------------------------------------------------------------------

    def build_error(
        self,
        operation: OperationSpec[Any, Any],
        status: int,
        reason: str,
        headers: Mapping[str, str],
        content: bytes,
    ) -> ServiceError:
        request_id = self.request_id(headers)
        error = read_xml_error(content, status)
        if error.message is None and not content.strip():
            # A bodiless error (every HEAD error: S3's HeadObject 404): the
            # standard phrase of its status, as botocore names it ("Not
            # Found"), not the server's free-form reason.
            message = _status_phrase(status) or reason
        else:
            message = xml_error_message(error, reason, content)
        request_id = (
            request_id
            or child_text(error.root, "RequestId")
            or child_text(error.element, "RequestId")
        )
        built = modeled_xml_error(
            self.service,
            operation.errors,
            self.schema.errors,
            error,
            message=message,
            status=status,
            request_id=request_id,
        )
        set_bound_error_members(self.service, built, status, headers, request_id)
        return built


def _read_unwrapped(root: Element, layout: XmlStructure) -> dict[str, Any]:
    """An unwrapped answer (s3UnwrappedXmlOutput): the root is the member itself."""
    member = layout.by_xml_name.get(local_name(root.tag))
    if member is None:
        return {}
    return {member.name: read_document(root, member.target)}


def _status_phrase(status: int) -> str | None:
    """The standard reason phrase of an HTTP status, or None for an unknown one."""
    from http import HTTPStatus

    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return None


def _s3_stream_headers(
    operation: str, method: str, headers: dict[str, str], body: StreamingBody
) -> None:
    from ._s3 import s3_expects_continue

    if s3_expects_continue(operation, method, body.in_memory is not None):
        headers["Expect"] = "100-continue"


PROTOCOL = RestXmlProtocol
