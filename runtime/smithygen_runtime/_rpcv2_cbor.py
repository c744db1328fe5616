"""Smithy RPC v2 CBOR (``smithy.protocols#rpcv2Cbor``): requests, responses, errors.

Spec: additional-specs_protocols_smithy-rpc-v2-cbor.rst. POST to
``/service/{service shape name}/operation/{operation name}`` (after the
endpoint's own path), ``Smithy-Protocol: rpc-v2-cbor`` and ``Accept:
application/cbor`` on every request, ``Content-Type: application/cbor`` only
with a body (an operation whose input is Unit sends none). Bodies are CBOR
(cbor2): blobs are byte strings, timestamps tag 1 epoch seconds,
``@timestampFormat`` ignored. An error names its shape in the body's
``__type``; a response without the request's Smithy-Protocol header is
malformed and only its status is trusted.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import UTC
from typing import Any, Final

import cbor2

from ._aws_json import sanitize_error_code
from ._client_protocol import ClientProtocol, WireRequest
from ._deserialize import modeled_error, unreadable_output
from ._errors import ResponseParseError, ServiceError, ValidationError
from ._query_compatible import apply_query_error, query_mode_headers
from ._specs import OperationSpec, ServiceSpec

__all__ = ["PROTOCOL", "RpcV2CborProtocol", "decode_body", "encode_body"]

PROTOCOL_HEADER: Final = "smithy-protocol"
PROTOCOL_VALUE: Final = "rpc-v2-cbor"
CONTENT_TYPE: Final = "application/cbor"

# Nesting beyond any real shape: a hostile body cannot exhaust the stack.
_MAX_DEPTH: Final = 200

# The tags rpcv2Cbor uses keep cbor2's decoders: 1 (epoch time -> datetime),
# 2 and 3 (bignums -> int), 4 (decimal fraction -> Decimal). Every other tag
# cbor2 would interpret (regular expressions compiled from the server's text,
# MIME messages parsed, shared references building cyclic structures, sets,
# IP addresses, rationals...) stays an inert CBORTag, which the generated
# deserializers refuse as a value of the wrong type.
_INERT_TAGS: Final = (
    0, 5, 25, 28, 29, 30, 35, 36, 37, 52, 54, 100, 256, 258, 260, 261, 1004,
)  # fmt: skip


def _inert(tag: int) -> Callable[[Any, bool], cbor2.CBORTag]:
    def keep(value: Any, immutable: bool) -> cbor2.CBORTag:
        return cbor2.CBORTag(tag, value)

    return keep


_SEMANTIC_DECODERS: Final = {tag: _inert(tag) for tag in _INERT_TAGS}


def encode_body(document: Mapping[str, Any]) -> bytes:
    """The CBOR of a serialized input: datetimes as tag 1 epoch seconds.

    A naive datetime is read as UTC, as the JSON serializers read it.
    """
    try:
        return cbor2.dumps(document, datetime_as_timestamp=True, timezone=UTC)
    except (cbor2.CBOREncodeError, TypeError, ValueError) as exc:
        raise ValidationError(
            "input", "type", f"cannot be encoded as CBOR: {exc}"
        ) from None


def decode_body(
    content: bytes, *, status_code: int | None = None, request_id: str | None = None
) -> dict[str, Any]:
    """A response body as a CBOR map; an empty body reads as ``{}``.

    CBOR ``undefined`` reads as null (the spec's rule for clients).
    """
    if not content:
        return {}
    try:
        value = cbor2.loads(
            content, max_depth=_MAX_DEPTH, semantic_decoders=_SEMANTIC_DECODERS
        )
    except (cbor2.CBORDecodeError, ValueError, TypeError, OverflowError) as exc:
        raise ResponseParseError(
            f"response body is not valid CBOR ({type(exc).__name__}: {exc}); "
            f"{len(content)} bytes",
            status_code=status_code,
            request_id=request_id,
        ) from None
    if value is None or value is cbor2.undefined:
        return {}
    if not isinstance(value, dict):
        raise ResponseParseError(
            f"response body should be a CBOR map, got {type(value).__name__}",
            status_code=status_code,
            request_id=request_id,
        )
    # 0xf7 is undefined's encoding; without that byte there is none to
    # replace and the walk is skipped.
    return _without_undefined(value) if b"\xf7" in content else value


def _without_undefined(value: Any) -> Any:
    if value is cbor2.undefined:
        return None
    if isinstance(value, dict):
        return {key: _without_undefined(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_without_undefined(item) for item in value]
    return value


class RpcV2CborProtocol(ClientProtocol):
    """rpcv2Cbor: one POST path per operation, CBOR bodies, ``__type`` on errors."""

    names = ("rpcv2Cbor",)

    def static_headers(self) -> dict[str, str]:
        return {
            PROTOCOL_HEADER: PROTOCOL_VALUE,
            "Accept": CONTENT_TYPE,
            **query_mode_headers(self.service),
        }

    def serialize_request(
        self, operation: OperationSpec[Any, Any], input: Any
    ) -> WireRequest:
        path = f"/service/{self.service.target_prefix}/operation/{operation.name}"
        document = self.serialize_document(operation, input)
        if not operation.has_input:
            return WireRequest("POST", path, {}, b"", document)
        headers = {"Content-Type": CONTENT_TYPE}
        return WireRequest("POST", path, headers, encode_body(document), document)

    def _speaks_rpcv2(self, headers: Mapping[str, str]) -> bool:
        return headers.get(PROTOCOL_HEADER) == PROTOCOL_VALUE

    def deserialize_response(
        self,
        operation: OperationSpec[Any, Any],
        status: int,
        headers: Mapping[str, str],
        content: bytes,
    ) -> tuple[Any, Mapping[str, Any]]:
        request_id = self.request_id(headers)
        if not self._speaks_rpcv2(headers):
            raise ResponseParseError(
                f"{operation.name} response (HTTP {status}) lacks "
                f"{PROTOCOL_HEADER}: {PROTOCOL_VALUE}; not an rpcv2Cbor answer",
                status_code=status,
                request_id=request_id,
            )
        document = decode_body(content, status_code=status, request_id=request_id)
        try:
            output = operation.deserialize(document)
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
        body: Mapping[str, Any] = {}
        speaks = self._speaks_rpcv2(headers)
        if speaks:
            try:
                body = decode_body(content, status_code=status, request_id=request_id)
            except ResponseParseError:
                body = {}  # a broken body: the status is all there is
        error = _typed_error(
            self.service,
            operation.errors,
            body,
            status=status,
            reason=reason,
            request_id=request_id,
        )
        if self.service.query_compatible and speaks:
            apply_query_error(error, headers)
        return error


def _typed_error(
    service: ServiceSpec,
    operation_errors: Mapping[str, type[ServiceError]],
    body: Mapping[str, Any],
    *,
    status: int,
    reason: str,
    request_id: str | None,
) -> ServiceError:
    """The error ``__type`` names (``Code``/``code`` never decide, per the spec)."""
    raw = body.get("__type")
    code = (sanitize_error_code(raw) if isinstance(raw, str) else "") or str(status)
    message = next(
        (m for m in (body.get("message"), body.get("Message")) if isinstance(m, str)),
        "" if body else reason,
    )
    return modeled_error(
        service,
        operation_errors,
        code,
        lambda: body,
        message=message,
        status=status,
        request_id=request_id,
    )


PROTOCOL = RpcV2CborProtocol
