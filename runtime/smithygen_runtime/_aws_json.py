"""The awsJson 1.0 / 1.1 protocols: request bodies, response bodies, error parsing.

Spec: Smithy's aws-json-1_0 and aws-json-1_1 protocol pages (shared
aws-json.rst.template): POST to the endpoint's path, X-Amz-Target
``<service shape name>.<operation>``, JSON bodies, errors identified by the
body's ``__type``, then X-Amzn-Errortype, then the body's ``code``.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

from ._client_protocol import ClientProtocol, WireRequest
from ._deserialize import modeled_error, unreadable_output
from ._errors import (
    ConfigurationError,
    ResponseParseError,
    ServiceError,
    ValidationError,
    preview,
)
from ._query_compatible import apply_query_error, query_mode_headers
from ._specs import OperationSpec, ServiceSpec

if TYPE_CHECKING:
    import httpx

__all__ = [
    "CONTENT_TYPES",
    "PROTOCOL",
    "AwsJsonProtocol",
    "aws_json_error_code",
    "build_service_error",
    "encode_body",
    "parse_body",
    "sanitize_error_code",
]

CONTENT_TYPES = {
    "awsJson1_0": "application/x-amz-json-1.0",
    "awsJson1_1": "application/x-amz-json-1.1",
}

# json.dumps' defaults (", "/": " separators, ASCII escapes), as botocore
# sends: the same input then gives the same bytes, payload hash and signature.
_encoder = json.JSONEncoder(allow_nan=False)
# No spaces: restJson1's protocol tests hash the compact form (Content-MD5).
_compact_encoder = json.JSONEncoder(allow_nan=False, separators=(",", ":"))


def encode_body(value: Any, *, compact: bool = False) -> bytes:
    """The request body: JSON of the serialized input (``{}`` when empty).

    A string holding a lone UTF-16 surrogate (``"\\ud800"``, from a badly
    decoded file name, say) is not text: JSON would carry it as an escape no
    service can decode, so it is a ValidationError naming the member.
    """
    try:
        encoder = _compact_encoder if compact else _encoder
        body = encoder.encode(value).encode("utf-8")
    except (TypeError, ValueError) as exc:
        # A serializer produced something JSON cannot carry (NaN, bytes...).
        raise ValidationError(
            "input", "type", f"cannot be encoded as JSON: {exc}"
        ) from None
    if b"\\ud" in body:
        # Surrogate escapes also stand for characters beyond the BMP (a valid
        # pair): only then is the input walked to look for a lone one.
        _check_text(value, "")
    return body


def _check_text(value: object, path: str) -> None:
    """ValidationError at the first string (or map key) that is not valid Unicode."""
    if isinstance(value, str):
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            raise ValidationError(
                path or "input",
                "utf8",
                "holds a lone surrogate, which cannot be encoded as UTF-8",
            ) from None
    elif isinstance(value, Mapping):
        for key, item in value.items():
            # The key may be the bad string: the path shows it escaped.
            name = str(key).encode("utf-8", "backslashreplace").decode("utf-8")
            where = f"{path}.{name}" if path else name
            _check_text(key, f"{where} (key)")
            _check_text(item, where)
    elif isinstance(value, list):
        for index, item in enumerate(value):
            _check_text(item, f"{path}[{index}]")


def parse_body(
    content: bytes, *, status_code: int | None = None, request_id: str | None = None
) -> dict[str, Any]:
    """A successful response body as a JSON object; empty and ``null`` read as ``{}``."""
    if not content or content.isspace():
        return {}
    try:
        value = json.loads(content)
    except (ValueError, UnicodeDecodeError, RecursionError) as exc:
        # RecursionError: nesting deeper than the interpreter allows.
        raise ResponseParseError(
            f"response body is not valid JSON ({exc.__class__.__name__}: {exc}); "
            f"{len(content)} bytes starting {preview(content)}",
            status_code=status_code,
            request_id=request_id,
        ) from None
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise ResponseParseError(
            f"response body should be a JSON object, got a JSON {_json_type(value)}",
            status_code=status_code,
            request_id=request_id,
        )
    return value


def sanitize_error_code(raw: str) -> str:
    """Strip ``:suffix`` (text after the first colon) and ``namespace#`` prefixes.

    aws-json.rst.template, "Operation error serialization": take the part
    before the first ':', then the part after the last '#'.
    """
    return raw.split(":", 1)[0].rsplit("#", 1)[-1].strip()


def aws_json_error_code(headers: Mapping[str, str], body: Mapping[str, Any]) -> str:
    """The raw error type of an awsJson error response ("" when there is none).

    ``__type`` first, as botocore's JSON parser reads it: a service whose
    error shapes have a member named ``code`` (Lightsail's all do) sends the
    type in ``__type`` and the member in ``code``, so the member must not be
    taken for the type. Then X-Amzn-Errortype, then a body ``code`` (each
    alone is a case of the awsJson protocol tests). restJson1 reads the
    header first and needs its own order.
    """
    type_member = body.get("__type")
    if isinstance(type_member, str) and type_member:
        return type_member
    header = headers.get("x-amzn-errortype")
    if header:
        return header
    code_member = body.get("code")
    return code_member if isinstance(code_member, str) else ""


def _error_body(content: bytes) -> tuple[Mapping[str, Any], bool]:
    """An error response's JSON object ({} when empty), and whether it was one."""
    if not content or content.isspace():
        return {}, True
    try:
        parsed = json.loads(content)
    except (ValueError, UnicodeDecodeError, RecursionError):
        return {}, False
    if isinstance(parsed, dict):
        return parsed, True
    return {}, parsed is None


def _error_message(
    body: Mapping[str, Any], readable: bool, reason: str, content: bytes
) -> str:
    """The error's message: the body's, else the reason phrase, else what arrived."""
    if not readable:
        return (
            f"{reason or 'error'} (the body is not a JSON object: {preview(content)})"
        )
    for key in ("message", "Message", "errorMessage"):
        candidate = body.get(key)
        if isinstance(candidate, str):
            return candidate
    return "" if body else reason


def build_service_error(
    service: ServiceSpec,
    operation_errors: Mapping[str, type[ServiceError]],
    *,
    status_code: int,
    reason: str,
    headers: Mapping[str, str],
    content: bytes,
    request_id: str | None,
    error_code: Callable[
        [Mapping[str, str], Mapping[str, Any]], str
    ] = aws_json_error_code,
) -> ServiceError:
    """The typed error for an error response (status >= 300).

    ``error_code`` finds the raw error type in the headers and JSON body
    (restJson1 reads them in another order than awsJson).
    """
    body, readable = _error_body(content)
    raw_code = error_code(headers, body)
    # No code anywhere (a proxy's page, an empty body): the status is all
    # there is, as botocore does.
    code = (sanitize_error_code(raw_code) if raw_code else "") or str(status_code)
    message = _error_message(body, readable, reason, content)
    return modeled_error(
        service,
        operation_errors,
        code,
        lambda: body,
        message=message,
        status=status_code,
        request_id=request_id,
    )


def _json_type(value: object) -> str:
    if isinstance(value, list):
        return "array"
    if isinstance(value, str):
        return "string"
    if isinstance(value, bool):
        return "boolean"
    return "number"


class AwsJsonProtocol(ClientProtocol):
    """awsJson 1.0 and 1.1: POST to the endpoint, X-Amz-Target names the operation."""

    names = ("awsJson1_0", "awsJson1_1")

    def __init__(self, service: ServiceSpec, name: str | None = None) -> None:
        super().__init__(service, name)
        self._content_type = CONTENT_TYPES[self.name]
        self._targets: dict[str, str] = {}

    def static_headers(self) -> dict[str, str]:
        return {"Content-Type": self._content_type, **query_mode_headers(self.service)}

    def serialize_request(
        self, operation: OperationSpec[Any, Any], input: Any
    ) -> WireRequest:
        document = self.serialize_document(operation, input)
        headers = {"X-Amz-Target": self._target(operation.name)}
        if operation.input_stream is not None:
            return self._event_request(operation, input, headers, document)
        return WireRequest("POST", "", headers, encode_body(document), document)

    def _event_request(
        self,
        operation: OperationSpec[Any, Any],
        input: Any,
        headers: dict[str, str],
        document: dict[str, Any],
    ) -> WireRequest:
        """An input event stream: initial-request (the other members), then the events."""
        from ._event_stream import event_input_body, initial_request

        if operation.input_stream is None or operation.input_stream.kind != "events":
            raise ConfigurationError(
                f"{operation.name}: awsJson has no streaming blob input"
            )
        body = event_input_body(operation, input, initial=initial_request(document))
        return WireRequest("POST", "", headers, body, document)

    def _target(self, operation: str) -> str:
        target = self._targets.get(operation)
        if target is None:
            target = self._targets[operation] = (
                f"{self.service.target_prefix}.{operation}"
            )
        return target

    def deserialize_response(
        self,
        operation: OperationSpec[Any, Any],
        status: int,
        headers: Mapping[str, str],
        content: bytes,
    ) -> tuple[Any, Mapping[str, Any]]:
        request_id = self.request_id(headers)
        document = parse_body(content, status_code=status, request_id=request_id)
        try:
            output = operation.deserialize(document)
        except (KeyError, TypeError, ValueError, AttributeError, RecursionError) as exc:
            raise unreadable_output(operation.name, exc, status, request_id) from None
        return output, document

    async def deserialize_stream(
        self, operation: OperationSpec[Any, Any], response: httpx.Response
    ) -> tuple[Any, Mapping[str, Any]]:
        """An output event stream, opened by its initial-response event."""
        spec = operation.output_stream
        if spec is None or spec.kind != "events":
            raise ConfigurationError(
                f"{operation.name}: awsJson has no streaming blob output"
            )
        from ._event_stream import rpc_event_output

        return await rpc_event_output(
            self.service, operation, response, self.request_id(response.headers)
        )

    def build_error(
        self,
        operation: OperationSpec[Any, Any],
        status: int,
        reason: str,
        headers: Mapping[str, str],
        content: bytes,
    ) -> ServiceError:
        error = build_service_error(
            self.service,
            operation.errors,
            status_code=status,
            reason=reason,
            headers=headers,
            content=content,
            request_id=self.request_id(headers),
        )
        if self.service.query_compatible:
            apply_query_error(error, headers)
        return error


PROTOCOL = AwsJsonProtocol
