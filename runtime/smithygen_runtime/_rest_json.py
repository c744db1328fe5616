"""The restJson1 protocol: HTTP bindings around JSON bodies.

Spec: Smithy's aws-restjson1-protocol.rst. Each operation has its own
method and URI (``@http``); members bound to the URI, query string, headers
or status (``_http_bindings``) leave the JSON body, which holds the rest
(``@jsonName`` keys, epoch-seconds timestamps by default) or, with
``@httpPayload``, the one payload member. Errors name their type in
``X-Amzn-Errortype`` first, then the body's ``__type``, then its ``code``.
The API Gateway and Glacier customizations the protocol suite requires are
at the end of the module.
"""

from __future__ import annotations

import functools
import hashlib
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

import attrs

from ._aws_json import build_service_error, encode_body, parse_body
from ._client_protocol import WireRequest
from ._deserialize import unreadable_output
from ._errors import (
    ResponseParseError,
    ServiceError,
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
from ._specs import HttpBinding, HttpMember, OperationSpec, ServiceSpec

if TYPE_CHECKING:
    from ._streaming import StreamingBody

__all__ = ["PROTOCOL", "RestJsonProtocol", "rest_json_error_code"]

JSON = "application/json"

# Content-Type of a payload member by its kind, unless its target has a
# @mediaType (aws-restjson1-protocol.rst, "Content-Type").
_PAYLOAD_CONTENT_TYPES = {
    "blob": "application/octet-stream",
    "string": "text/plain",
    "json_string": "text/plain",
    "structure": JSON,
    "union": JSON,
    "document": JSON,
}


def rest_json_error_code(headers: Mapping[str, str], body: Mapping[str, Any]) -> str:
    """The raw error type: X-Amzn-Errortype, then the body's ``__type``, then ``code``.

    The header first, as botocore's restJson parser reads it: a body
    ``code`` may be an error's own member (Glacier's errors have one).
    """
    header = headers.get("x-amzn-errortype")
    if header:
        return header
    for key in ("__type", "code"):
        value = body.get(key)
        if isinstance(value, str) and value:
            return value
    return ""


class RestJsonProtocol(HttpBindingProtocol):
    """restJson1: the operation's @http method and URI, JSON bodies."""

    names = ("restJson1",)

    def __init__(self, service: ServiceSpec, name: str | None = None) -> None:
        super().__init__(service, name)
        self._customize = _CUSTOMIZATIONS.get(service.sdk_id)

    def static_headers(self) -> dict[str, str]:
        # Content-Type depends on each request's body.
        return {}

    # --- requests -------------------------------------------------------------------

    def serialize_request(
        self, operation: OperationSpec[Any, Any], input: Any
    ) -> WireRequest:
        http = http_binding(operation)
        document = self.serialize_document(operation, input)
        customize = self._customize
        defaults = customize.label_defaults if customize is not None else None
        bound = bind_input(http, input, document, label_defaults=defaults)
        if operation.input_stream is not None:
            from ._http_streaming import streaming_request

            add_headers = (
                None
                if customize is None
                else functools.partial(_stream_headers, customize, self.service)
            )
            return streaming_request(
                operation, input, http, bound, document, add_headers=add_headers
            )
        body, content_type = _body(http, bound, document)
        headers = bound.headers
        if content_type is not None and not _has(headers, "content-type"):
            headers["Content-Type"] = content_type
        if customize is not None:
            customize.headers(self.service, headers, body)
        return WireRequest(http.method, bound.target, headers, body, document)

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
        try:
            if payload is None:
                document = parse_body(
                    content, status_code=status, request_id=request_id
                )
                output = operation.deserialize(document)
            else:
                document = {}
                output = operation.deserialize(document)
            bound = read_bound_members(http.output, status, headers)
            if payload is not None:
                value = _read_payload(payload, content, status, request_id)
                if value is not None:
                    bound[payload.attr] = value
                    document = {payload.key: value}
            if bound and output is not None:
                output = attrs.evolve(output, **bound)
        except BoundValueError as exc:
            raise bound_value_error(
                f"{operation.name} response", exc, status, request_id
            ) from None
        except (KeyError, TypeError, ValueError, AttributeError, RecursionError) as exc:
            raise unreadable_output(operation.name, exc, status, request_id) from None
        return output, document

    def build_error(
        self,
        operation: OperationSpec[Any, Any],
        status: int,
        reason: str,
        headers: Mapping[str, str],
        content: bytes,
    ) -> ServiceError:
        request_id = self.request_id(headers)
        error = build_service_error(
            self.service,
            operation.errors,
            status_code=status,
            reason=reason,
            headers=headers,
            content=content,
            request_id=request_id,
            error_code=rest_json_error_code,
        )
        set_bound_error_members(self.service, error, status, headers, request_id)
        return error


def _stream_headers(
    customize: _Customization,
    service: ServiceSpec,
    headers: dict[str, str],
    body: StreamingBody,
) -> None:
    # Checksums of the body only when it is in memory already (a file or a
    # stream is never read whole here).
    customize.headers(service, headers, body.in_memory or b"")


def _has(headers: Mapping[str, str], name: str) -> bool:
    return any(key.lower() == name for key in headers)


def _body(
    http: HttpBinding, bound: BoundRequest, document: Mapping[str, Any]
) -> tuple[bytes, str | None]:
    """The request body and its Content-Type (None: no body, no Content-Type).

    With an @httpPayload member, the body is that member alone (nothing
    when it is unset); otherwise the JSON object of the body members, ``{}``
    when none is set, and no body at all when the input has none.
    """
    member = bound.payload
    if member is None:
        if not http.body_members:
            return b"", None
        return encode_body(bound.body, compact=True), JSON
    value = bound.payload_value
    if value is None:
        # An unset structure is sent as an empty one (RestJsonHttpWithHeaders-
        # ButNoPayload); an unset union, blob or string as no body at all.
        if member.kind == "structure":
            return b"{}", JSON
        return b"", None
    content_type = member.media_type or _PAYLOAD_CONTENT_TYPES[member.kind]
    if member.kind == "blob":
        return bytes(value), content_type
    if member.kind in ("string", "json_string"):
        return str(value).encode("utf-8"), content_type
    # A structure, union or document: its serialized JSON value.
    return encode_body(document[member.key], compact=True), content_type


def _read_payload(
    member: HttpMember, content: bytes, status: int, request_id: str | None
) -> Any:
    """The @httpPayload member's value from the body (None when the body is empty)."""
    if member.kind == "blob":
        return content or None
    if member.kind in ("string", "json_string"):
        return content.decode("utf-8") if content else None
    if member.kind == "document":
        if not content.strip():
            return None
        import json

        try:
            value = json.loads(content)
        except (ValueError, UnicodeDecodeError, RecursionError) as exc:
            raise ResponseParseError(
                f"response payload is not valid JSON: {exc}",
                status_code=status,
                request_id=request_id,
            ) from None
        return member.convert(value) if member.convert is not None else value
    document = parse_body(content, status_code=status, request_id=request_id)
    if not document and not content.strip():
        return None
    return member.convert(document) if member.convert is not None else document


# --- service customizations ---------------------------------------------------------


@attrs.frozen
class _Customization:
    """What one service needs beyond the protocol (botocore's handlers do the same)."""

    headers: Callable[[ServiceSpec, dict[str, str], bytes], None]
    label_defaults: Mapping[str, str] | None = None


def _api_gateway_headers(
    service: ServiceSpec, headers: dict[str, str], body: bytes
) -> None:
    """API Gateway answers JSON only when asked for it."""
    headers.setdefault("Accept", JSON)


def _glacier_headers(
    service: ServiceSpec, headers: dict[str, str], body: bytes
) -> None:
    """Glacier's API version header and, for uploads, its two body checksums."""
    headers["X-Amz-Glacier-Version"] = service.api_version
    if body:
        if not _has(headers, "x-amz-content-sha256"):
            headers["X-Amz-Content-Sha256"] = hashlib.sha256(body).hexdigest()
        if not _has(headers, "x-amz-sha256-tree-hash"):
            headers["X-Amz-Sha256-Tree-Hash"] = tree_hash(body)


def tree_hash(body: bytes) -> str:
    """Glacier's SHA-256 tree hash: 1 MiB leaves hashed pairwise up to one root."""
    chunk = 1024 * 1024
    level = [
        hashlib.sha256(body[i : i + chunk]).digest()
        for i in range(0, max(len(body), 1), chunk)
    ]
    while len(level) > 1:
        level = [
            hashlib.sha256(b"".join(level[i : i + 2])).digest()
            if i + 1 < len(level)
            else level[i]
            for i in range(0, len(level), 2)
        ]
    return level[0].hex()


_CUSTOMIZATIONS: Mapping[str, _Customization] = {
    "API Gateway": _Customization(_api_gateway_headers),
    # "-" stands for the caller's own account (Glacier's documentation).
    "Glacier": _Customization(_glacier_headers, label_defaults={"accountId": "-"}),
}


PROTOCOL = RestJsonProtocol
