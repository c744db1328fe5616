"""Descriptors generated code hands to the runtime: one per service and per operation.

Generated code builds each descriptor once, at import, and the runtime only
reads them, so they compare by identity (``eq=False``): value equality would
add nothing and its generated ``__eq__`` and ``__hash__`` cost about a
sixth of this module's import (attrs compiles them for every class).
``ClientContext``, which users build, compares by value.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, ClassVar, Generic, Literal, TypeVar

import attrs

from ._errors import ServiceError

__all__ = [
    "ChecksumSpec",
    "ClientContext",
    "EndpointBindings",
    "HttpBinding",
    "HttpMember",
    "OperationDiscovery",
    "OperationSpec",
    "ServiceDiscovery",
    "ServiceSpec",
    "StreamSpec",
    "WireSchema",
]

Protocol = Literal[
    "awsJson1_0",
    "awsJson1_1",
    "awsQuery",
    "ec2Query",
    "restJson1",
    "restXml",
    "rpcv2Cbor",
]

In = TypeVar("In")
Out = TypeVar("Out")


@attrs.frozen(kw_only=True)
class ClientContext:
    """Base of a generated ``<Sdk>ClientContext``: the service's clientContextParams.

    Subclasses declare one typed, optional attribute per parameter and map
    the attribute names to rule-set parameter names in ``_PARAMETERS``.
    """

    _PARAMETERS: ClassVar[Mapping[str, str]] = {}

    def endpoint_parameters(self) -> dict[str, Any]:
        """The set values, by rule-set parameter name."""
        values = {name: getattr(self, attr) for attr, name in self._PARAMETERS.items()}
        return {name: value for name, value in values.items() if value is not None}


@attrs.frozen(kw_only=True, eq=False)
class EndpointBindings:
    """Where an operation's endpoint rule parameters come from (smithy.rules traits).

    ``static``: staticContextParams values; ``members``: contextParam, the
    parameter named for an input member (wire name); ``paths``:
    operationContextParams, a JMESPath over the input (wire names).
    """

    static: Mapping[str, Any] = attrs.field(factory=dict)
    members: Mapping[str, str] = attrs.field(factory=dict)
    paths: Mapping[str, str] = attrs.field(factory=dict)


NO_BINDINGS = EndpointBindings()


# Where an HTTP binding trait puts a top-level member (http-bindings.rst).
HttpLocation = Literal[
    "label",  # @httpLabel: a {name} (or greedy {name+}) segment of the URI
    "query",  # @httpQuery: one query string parameter (repeated for a list)
    "query_params",  # @httpQueryParams: a map of query string parameters
    "header",  # @httpHeader: one header (a list as comma-separated values)
    "prefix_headers",  # @httpPrefixHeaders: a map of headers sharing a prefix
    "payload",  # @httpPayload: the whole body
    "response_code",  # @httpResponseCode: the response's status code
]

# How a bound value is written as text (labels, query, headers) or as a payload.
HttpValueKind = Literal[
    "string",  # a string or a string enum
    "integer",  # any integer type or an intEnum
    "float",  # float, double ("NaN", "Infinity", "-Infinity" as such)
    "decimal",  # bigDecimal
    "boolean",  # "true" / "false"
    "timestamp",  # in timestamp_format, else the location's default
    "blob",  # base64 in text, the raw bytes as a payload
    "json_string",  # a string with a JSON @mediaType: base64 in a header
    "document",  # payload only: a JSON document
    "structure",  # payload only: a structure, as the protocol's body
    "union",  # payload only: a union, as the protocol's body
]


@attrs.frozen(kw_only=True, eq=False)
class HttpMember:
    """One top-level member of an input, output or error bound by an HTTP trait.

    ``attr`` is the Python attribute; ``key`` the member's key in the
    serialized document (left out of the body); ``name`` the label, query
    key, header name or header prefix. ``list_of`` says the member is a list
    of ``kind`` values (a map's values for query_params / prefix_headers).
    ``convert`` turns a read value into the attribute's Python value: an
    enum reader, or the payload's deserializer.
    """

    attr: str
    location: HttpLocation
    name: str = ""
    key: str = ""
    kind: HttpValueKind = "string"
    list_of: bool = False
    timestamp_format: Literal["epoch-seconds", "date-time", "http-date"] | None = None
    media_type: str | None = None  # @mediaType of a payload's target
    convert: Callable[[Any], Any] | None = None


@attrs.frozen(kw_only=True, eq=False)
class HttpBinding:
    """An operation's ``@http`` trait and the bound members of its input and output.

    ``uri`` is the trait's pattern as written (``/things/{Id}/{Key+}?list``);
    ``body_members`` whether the input has members left for the body.
    """

    method: str
    uri: str
    code: int = 200
    input: tuple[HttpMember, ...] = ()
    output: tuple[HttpMember, ...] = ()
    body_members: bool = True


@attrs.frozen(kw_only=True, eq=False)
class ServiceDiscovery:
    """aws.api#clientEndpointDiscovery: the discovery operation and its error code."""

    operation: OperationSpec[Any, Any]
    # The discovery operation's input for (operation name, identifiers).
    make_input: Callable[[str, Mapping[str, str]], Any]
    # Whether that input carries Operation and Identifiers (then discovered
    # endpoints are kept per operation and identifiers, else one for all).
    keyed_by_operation: bool = False
    # The error a discovered endpoint answers when it is no longer valid.
    invalid_endpoint_error: str | None = None


@attrs.frozen(kw_only=True, eq=False)
class OperationDiscovery:
    """aws.api#clientDiscoveredEndpoint on an operation."""

    required: bool
    # The aws.api#clientEndpointDiscoveryId members of the input, by wire name.
    identifiers: Callable[[Any], Mapping[str, str]] | None = None


@attrs.frozen(kw_only=True, eq=False)
class WireSchema:
    """The shapes' wire layout, for protocols whose messages are not JSON objects.

    Query requests and XML responses need more than member names: query
    keys, XML element names, flattened lists, map entry names. Each value is
    a ``smithygen_runtime.XmlStructure`` (``_xml``): ``inputs`` and
    ``outputs`` by operation name, ``errors`` by wire error code.
    """

    inputs: Mapping[str, Any] = attrs.field(factory=dict)
    outputs: Mapping[str, Any] = attrs.field(factory=dict)
    errors: Mapping[str, Any] = attrs.field(factory=dict)
    # restXml: the service's @xmlNamespace, written on a body's root element
    # ("xmlns", uri) or ("xmlns:prefix", uri); and the root element name of
    # a structure @httpPayload by operation, when its member renames it.
    namespace: tuple[str, str] | None = None
    payload_names: Mapping[str, str] = attrs.field(factory=dict)
    # aws.customizations#s3UnwrappedXmlOutput: operations whose answer's root
    # element is the output's one body member itself (S3 GetBucketLocation).
    unwrapped_outputs: frozenset[str] = frozenset()


@attrs.frozen(kw_only=True, eq=False)
class ServiceSpec:
    """What the runtime needs to know about a service to talk to it."""

    sdk_id: str
    target_prefix: str
    signing_name: str
    protocol: Protocol
    api_version: str
    endpoint_prefix: str | None
    endpoint_ruleset: Callable[[], Mapping[str, Any]] | None
    base_error: type[ServiceError]
    unknown_error: type[ServiceError]
    errors: Mapping[str, type[ServiceError]]
    # smithy.rules#clientContextParams: the generated class holding them.
    client_context: type[ClientContext] | None = None
    discovery: ServiceDiscovery | None = None
    # awsQuery, ec2Query: the shapes' query and XML layout (None for awsJson).
    wire_schema: WireSchema | None = None
    # HTTP-bound members of error structures (restJson1, restXml), by wire code.
    error_bindings: Mapping[str, tuple[HttpMember, ...]] = attrs.field(factory=dict)
    # aws.protocols#awsQueryCompatible: send x-amzn-query-mode, read
    # x-amzn-query-error (_query_compatible.py).
    query_compatible: bool = False
    # Every protocol of the model the runtime speaks, ``protocol`` (the
    # default, botocore's choice) first; a client may pick another with
    # ``protocol=``. Empty: ``protocol`` only.
    protocols: tuple[Protocol, ...] = ()


@attrs.frozen(kw_only=True, eq=False)
class StreamSpec:
    """A streaming member of an operation's input or output (smithy.api#streaming).

    ``member`` is the attribute of the input or output class; ``kind`` is
    "blob" (a streaming blob payload) or "events" (an event stream union).
    An output event stream has ``events``, an ``_event_stream.EventReader``;
    an input one has ``serialize_event``, turning one event of the union
    into an ``_event_stream.EventMessage``.
    """

    member: str
    kind: Literal["blob", "events"]
    events: Any = None
    serialize_event: Callable[[Any], Any] | None = None
    # An output event stream: the wire names of the output's other members
    # that are required without a default. The initial response must carry
    # them (no client error correction there; _event_stream.py says why).
    initial_required: tuple[str, ...] = ()


@attrs.frozen(kw_only=True, eq=False)
class ChecksumSpec:
    """An operation's ``aws.protocols#httpChecksum`` trait (aws_aws-core.rst).

    ``request_required``: requestChecksumRequired (or httpChecksumRequired).
    ``algorithm_key`` / ``algorithm_header``: the requestAlgorithmMember's
    key in the serialized document and the header it is bound to, which
    names the algorithm the request's checksum is computed with (the default
    one is written there when the caller chose none). ``mode_key`` /
    ``mode_header``: the requestValidationModeMember, "ENABLED" asks the
    service for a response checksum. ``response_algorithms``: the trait's
    responseAlgorithms, lower-cased. The runtime (``_checksums``) applies it.
    """

    request_required: bool = False
    algorithm_key: str | None = None
    algorithm_header: str | None = None
    mode_key: str | None = None
    mode_header: str | None = None
    response_algorithms: tuple[str, ...] = ()


@attrs.frozen(kw_only=True, eq=False)
class OperationSpec(Generic[In, Out]):
    """One operation: its name, serde functions, validation and modeled errors.

    ``In`` is the input structure class, ``Out`` the output structure class.
    """

    name: str
    serialize: Callable[[In], dict[str, Any]]
    deserialize: Callable[[Mapping[str, Any]], Out]
    validate: Callable[[In], None] | None
    errors: Mapping[str, type[ServiceError]]
    host_prefix: str | None = None
    host_labels: Callable[[In], Mapping[str, str]] | None = None
    # smithy.api#requestCompression encodings, in preference order ("gzip").
    request_compression: tuple[str, ...] = ()
    # smithy.api#auth([]): the operation takes no authentication (STS's
    # AssumeRoleWithWebIdentity): sent unsigned, no credentials needed.
    unsigned: bool = False
    # A customization (no trait says it): the URL the request goes to, read
    # from the input (Amazon Machine Learning's Predict and PredictEndpoint);
    # None or "" from it means the client's endpoint.
    endpoint_from_input: Callable[[In], str | None] | None = None
    endpoint_bindings: EndpointBindings = NO_BINDINGS
    discovery: OperationDiscovery | None = None
    # Streaming members: the input's body is sent as a stream, the output's
    # body is handed over unread (ClientProtocol.deserialize_stream).
    input_stream: StreamSpec | None = None
    output_stream: StreamSpec | None = None
    # aws.auth#unsignedPayload: over https a streamed body is signed as
    # UNSIGNED-PAYLOAD instead of its SHA-256 (botocore's v4-unsigned-body).
    unsigned_payload: bool = False
    # The HTTP binding protocols' (restJson1, restXml) method, URI and bound members.
    http: HttpBinding | None = None
    # smithy.api#httpChecksumRequired, or aws.protocols#httpChecksum with
    # requestChecksumRequired: the request carries a checksum of its body.
    checksum_required: bool = False
    # aws.protocols#httpChecksum: flexible request checksums and response
    # checksum validation (contract 1.7; _checksums.py).
    checksum: ChecksumSpec | None = None
    # False for an operation whose input is Unit: rpcv2Cbor then sends no
    # body and no Content-Type (awsJson still sends ``{}``).
    has_input: bool = True
    # ``serialize`` writes the document of the service's default protocol;
    # these write it for the other protocols the service offers, by document
    # format ("cbor", "json"). Deserializers read every format (_serde.py).
    other_serializers: Mapping[str, Callable[[In], dict[str, Any]]] = attrs.field(
        factory=dict
    )
