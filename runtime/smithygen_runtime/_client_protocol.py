"""The seam between the call pipeline and a wire protocol (awsJson 1.0/1.1 first).

The pipeline (``_pipeline``) knows nothing of any protocol: it asks the
service's ``ClientProtocol`` to turn an input into a ``WireRequest``, then,
for the response of each attempt, to read the output or to build the error.
Adding a protocol is adding a module with a ``ClientProtocol`` subclass and
naming it in ``PROTOCOL_MODULES``; the pipeline does not change.
"""

from __future__ import annotations

import abc
import importlib
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, ClassVar

import attrs

from ._errors import (
    ConfigurationError,
    ServiceError,
    ValidationError,
    wrong_input_type,
)
from ._specs import OperationSpec, ServiceSpec

if TYPE_CHECKING:
    import httpx

    from ._streaming import StreamingBody

__all__ = [
    "DOCUMENT_FORMATS",
    "PROTOCOL_MODULES",
    "ClientProtocol",
    "WireRequest",
    "offered_protocols",
    "protocol_for",
]

# Protocol name (ServiceSpec.protocol) -> the module holding its ClientProtocol
# subclass as ``PROTOCOL``; imported when a client of that protocol is built.
PROTOCOL_MODULES: Mapping[str, str] = {
    "awsJson1_0": "smithygen_runtime._aws_json",
    "awsJson1_1": "smithygen_runtime._aws_json",
    "awsQuery": "smithygen_runtime._query",
    "ec2Query": "smithygen_runtime._ec2_query",
    "restJson1": "smithygen_runtime._rest_json",
    "restXml": "smithygen_runtime._rest_xml",
    "rpcv2Cbor": "smithygen_runtime._rpcv2_cbor",
}

# Protocol name -> the document format its bodies carry; an operation's
# serializer for a format other than its service default's is in
# OperationSpec.other_serializers. The query protocols and restXml serialize
# JSON-typed documents that their wire schema lays out as form keys or XML.
DOCUMENT_FORMATS: Mapping[str, str] = {
    "awsJson1_0": "json",
    "awsJson1_1": "json",
    "awsQuery": "json",
    "ec2Query": "json",
    "restJson1": "json",
    "restXml": "json",
    "rpcv2Cbor": "cbor",
}


@attrs.frozen
class WireRequest:
    """What a protocol makes of an operation's input, before the endpoint is known.

    ``path`` is appended to the endpoint's base path ("" for awsJson, which
    posts to the endpoint itself); ``headers`` are the protocol's per-call
    headers (the client adds its own, and the signature). ``document`` is
    the input with wire member names, which endpoint rule parameters
    (smithy.rules#contextParam, operationContextParams) are bound from.
    """

    method: str
    path: str
    headers: dict[str, str]
    body: bytes | StreamingBody
    document: Mapping[str, Any]


class ClientProtocol(abc.ABC):
    """How one protocol writes requests and reads responses for a service."""

    names: ClassVar[tuple[str, ...]]
    """The ServiceSpec.protocol values this class implements."""

    def __init__(self, service: ServiceSpec, name: str | None = None) -> None:
        self.service = service
        self.name = name or service.protocol
        """The protocol spoken: the service's default or one the user chose."""

    def serializer(self, operation: OperationSpec[Any, Any]) -> Any:
        """The operation's input serializer for this protocol's document format."""
        wanted = DOCUMENT_FORMATS[self.name]
        if wanted == DOCUMENT_FORMATS[self.service.protocol] or not operation.has_input:
            return operation.serialize  # (no input: {} in every format)
        found = operation.other_serializers.get(wanted)
        if found is None:  # a generator bug: ServiceSpec.protocols promised it
            raise ConfigurationError(
                f"{operation.name} has no {wanted} serializer for {self.name}"
            )
        return found

    def serialize_document(self, operation: OperationSpec[Any, Any], input: Any) -> Any:
        """``input`` as this protocol's document; a wrong-typed value a ValidationError."""
        try:
            return self.serializer(operation)(input)
        except ValidationError:
            raise
        except (TypeError, ValueError, AttributeError) as exc:
            raise wrong_input_type(exc) from None

    @abc.abstractmethod
    def static_headers(self) -> dict[str, str]:
        """Headers every request of the service carries (Content-Type...)."""

    @abc.abstractmethod
    def serialize_request(
        self, operation: OperationSpec[Any, Any], input: Any
    ) -> WireRequest:
        """The request for ``input``; ValidationError when it cannot be written."""

    @abc.abstractmethod
    def deserialize_response(
        self,
        operation: OperationSpec[Any, Any],
        status: int,
        headers: Mapping[str, str],
        content: bytes,
    ) -> tuple[Any, Mapping[str, Any]]:
        """A success response's output object, and the document it was read from.

        Waiter acceptors match their paths in the document. A response that
        does not have the modeled shape raises ``ResponseParseError`` naming
        the member path, the status and the request id.
        """

    @abc.abstractmethod
    def build_error(
        self,
        operation: OperationSpec[Any, Any],
        status: int,
        reason: str,
        headers: Mapping[str, str],
        content: bytes,
    ) -> ServiceError:
        """The typed error an error response (status >= 300) stands for."""

    async def deserialize_stream(
        self, operation: OperationSpec[Any, Any], response: httpx.Response
    ) -> tuple[Any, Mapping[str, Any]]:
        """The output of a success whose body is a stream (``operation.output_stream``).

        The body is unread: the output's streaming member (a ``ByteStream``
        or an ``EventStream``) takes the response over and closes it. A
        protocol without streaming support leaves this as it is.
        """
        raise ConfigurationError(
            f"{operation.name}: the {self.service.protocol} protocol cannot read "
            "a streaming response"
        )

    def request_id(self, headers: Mapping[str, str]) -> str | None:
        """The id the service gave the response (AWS support asks for it)."""
        found: str | None = headers.get("x-amzn-requestid") or headers.get(
            "x-amz-request-id"
        )
        return found


def offered_protocols(service: ServiceSpec) -> tuple[str, ...]:
    """The protocols a client of ``service`` may speak, the default first."""
    return service.protocols or (service.protocol,)


def protocol_for(service: ServiceSpec, chosen: str | None = None) -> ClientProtocol:
    """The ClientProtocol of ``service`` (``chosen``, else its default).

    ConfigurationError when the service does not offer ``chosen`` or the
    runtime does not know the protocol.
    """
    name = service.protocol if chosen is None else chosen
    offered = offered_protocols(service)
    if name not in offered:
        raise ConfigurationError(
            f"protocol={name!r}: {service.sdk_id} offers "
            + ", ".join(repr(p) for p in offered)
        )
    module_name = PROTOCOL_MODULES.get(name)
    if module_name is None:
        raise ConfigurationError(f"unsupported protocol {name!r}")
    protocol_class: type[ClientProtocol] = importlib.import_module(module_name).PROTOCOL
    return protocol_class(service, name)
