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

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any
from xml.etree.ElementTree import Element, ParseError

import attrs

from ._client_protocol import ClientProtocol, WireRequest
from ._deserialize import WrongShape, unreadable_output
from ._errors import (
    ConfigurationError,
    ResponseParseError,
    ServiceError,
    ValidationError,
)
from ._http_bindings import (
    BoundRequest,
    BoundValueError,
    bind_request,
    bound_value_error,
    payload_member,
    read_bound_members,
)
from ._layout import XmlStructure
from ._specs import HttpBinding, HttpMember, OperationSpec, ServiceSpec
from ._xml import UnsafeXml, local_name, parse_xml, read_document
from ._xml_writer import write_xml

if TYPE_CHECKING:
    import httpx

__all__ = ["PROTOCOL", "RestXmlProtocol"]

XML = "application/xml"

_PAYLOAD_CONTENT_TYPES = {
    "blob": "application/octet-stream",
    "string": "text/plain",
    "structure": XML,
    "union": XML,
}


def _preview(content: bytes, limit: int = 80) -> str:
    text = content[:limit].decode("utf-8", "replace")
    text = "".join(ch if ch.isprintable() else " " for ch in text)
    return repr(text + ("..." if len(content) > limit else ""))


def _child_text(element: Element | None, name: str) -> str | None:
    if element is not None:
        for child in element:
            if local_name(child.tag) == name:
                return (child.text or "").strip()
    return None


class RestXmlProtocol(ClientProtocol):
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
        http = _binding(operation)
        try:
            document = self.serializer(operation)(input)
            bound = bind_request(http, input, document)
        except ValidationError:
            raise
        except (TypeError, ValueError, AttributeError) as exc:
            # Reached only with validation off: a value of the wrong type.
            raise ValidationError(
                "input", "type", f"{type(exc).__name__}: {exc}"
            ) from None
        if operation.input_stream is not None:
            return self._streaming_request(operation, input, http, bound, document)
        body, content_type = self._body(operation, http, bound, document)
        headers = bound.headers
        if (
            content_type is not None
            and not self._s3
            and not any(key.lower() == "content-type" for key in headers)
        ):
            headers["Content-Type"] = content_type
        return WireRequest(http.method, bound.target, headers, body, document)

    def _streaming_request(
        self,
        operation: OperationSpec[Any, Any],
        input: Any,
        http: HttpBinding,
        bound: BoundRequest,
        document: Mapping[str, Any],
    ) -> WireRequest:
        """A request whose payload is a streaming blob (S3's PutObject): sent as read."""
        from ._http_streaming import streaming_body

        body, content_type = streaming_body(operation, input, bound)
        headers = bound.headers
        if self._s3:
            from ._s3 import s3_expects_continue

            if s3_expects_continue(
                operation.name, http.method, body.in_memory is not None
            ):
                headers["Expect"] = "100-continue"
        elif not any(key.lower() == "content-type" for key in headers):
            headers["Content-Type"] = content_type
        return WireRequest(http.method, bound.target, headers, body, document)

    async def deserialize_stream(
        self, operation: OperationSpec[Any, Any], response: httpx.Response
    ) -> tuple[Any, Mapping[str, Any]]:
        """The bound members, and the body as the output's stream (S3's GetObject)."""
        from ._http_streaming import bound_output_with_stream

        request_id = self.request_id(response.headers)
        return bound_output_with_stream(
            self.service, operation, _binding(operation), response, request_id
        )

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
        layout = self._payload_layout(operation, member, self.schema.inputs)
        name = self.schema.payload_names.get(operation.name) or layout.xml_name
        namespace = layout.namespace or self.schema.namespace
        return write_xml(document[member.key], layout, name, namespace), content_type

    def _payload_layout(
        self,
        operation: OperationSpec[Any, Any],
        member: HttpMember,
        layouts: Mapping[str, XmlStructure],
    ) -> XmlStructure:
        """The layout of a structure payload: the target of the payload member."""
        outer = layouts[operation.name]
        for candidate in outer.members:
            if candidate.name == member.key and isinstance(
                candidate.target, XmlStructure
            ):
                return candidate.target
        raise ConfigurationError(
            f"{operation.name}: no XML layout for payload member {member.key}"
        )

    # --- responses ------------------------------------------------------------------

    def deserialize_response(
        self,
        operation: OperationSpec[Any, Any],
        status: int,
        headers: Mapping[str, str],
        content: bytes,
    ) -> tuple[Any, Mapping[str, Any]]:
        http = _binding(operation)
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
                f"{exc}); {len(content)} bytes starting {_preview(content)}"
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
        root: Element | None = None
        if content.strip():
            try:
                root = parse_xml(content)
            except (UnsafeXml, ParseError, ValueError, RecursionError):
                root = None
        error = _error_element(root)
        code = _child_text(error, "Code") or str(status)
        message = _child_text(error, "Message") or _child_text(error, "message")
        if message is None and not content.strip():
            # A bodiless error (every HEAD error: S3's HeadObject 404): the
            # standard phrase of its status, as botocore names it ("Not
            # Found"), not the server's free-form reason.
            message = _status_phrase(status) or reason
        if message is None:
            message = (
                reason
                if root is not None
                else (f"{reason or 'error'} (the body is not XML: {_preview(content)})")
            )
        request_id = (
            request_id
            or _child_text(root, "RequestId")
            or _child_text(error, "RequestId")
        )
        cls = (
            operation.errors.get(code)
            or self.service.errors.get(code)
            or self.service.unknown_error
        )
        body: Mapping[str, Any] = {}
        layout = self.schema.errors.get(code)
        try:
            if error is not None and layout is not None:
                body = read_document(error, layout)
            built = cls._from_wire(
                body,
                code=code,
                message=message,
                status_code=status,
                request_id=request_id,
            )
            members = self.service.error_bindings.get(code)
            if members:
                for attr, value in read_bound_members(members, status, headers).items():
                    setattr(built, attr, value)
        except BoundValueError as exc:
            raise bound_value_error(
                f"error response {code}", exc, status, request_id
            ) from None
        except (WrongShape, KeyError, TypeError, ValueError, AttributeError) as exc:
            raise ResponseParseError(
                f"error response {code} (HTTP {status}) has members of the wrong "
                f"shape: {exc.__class__.__name__}: {exc}",
                status_code=status,
                request_id=request_id,
            ) from None
        if cls is self.service.unknown_error:
            built.code = code
            built.fault = "server" if status >= 500 else "client"
        return built


def _read_unwrapped(root: Element, layout: XmlStructure) -> dict[str, Any]:
    """An unwrapped answer (s3UnwrappedXmlOutput): the root is the member itself."""
    member = layout.by_xml_name.get(local_name(root.tag))
    if member is None:
        return {}
    return {member.name: read_document(root, member.target)}


def _error_element(root: Element | None) -> Element | None:
    """``<Error>``: the root (noErrorWrapping) or inside ``<ErrorResponse>``."""
    if root is None:
        return None
    if local_name(root.tag) == "Error":
        return root
    for child in root:
        if local_name(child.tag) == "Error":
            return child
    return None


def _status_phrase(status: int) -> str | None:
    """The standard reason phrase of an HTTP status, or None for an unknown one."""
    from http import HTTPStatus

    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return None


def _binding(operation: OperationSpec[Any, Any]) -> HttpBinding:
    if operation.http is None:
        raise ConfigurationError(
            f"{operation.name} has no HTTP binding (@http): regenerate the client"
        )
    return operation.http


PROTOCOL = RestXmlProtocol
