"""A Smithy JSON AST for a service botocore knows, built from botocore's own data.

No Smithy model of SQS, SNS, IAM, EC2, Route 53 and the like is in
../shared, but botocore carries their JSON service models
(``botocore/data/<service>/<version>/service-2.json``, not Smithy) and
endpoint rule sets. This writes the Smithy model they were made from, as far
as a client needs it: shapes and members (required, idempotency tokens,
timestamp formats), errors (``@error``, ``@httpError``, their awsQuery codes
``aws.protocols#awsQueryError``), the service's protocols (awsJson, rpcv2Cbor,
awsQuery, ec2Query, restXml), ``awsQueryCompatible``, SigV4 name and endpoint
rules, and for the XML protocols the names the wire uses:

- ``locationName`` of a body member -> ``@xmlName`` (ec2's ``queryName`` ->
  ``@ec2QueryName``); a shape's own ``locationName`` is the default of the
  members that target it (botocore merges shape and member serialization);
- ``flattened`` (on the list or map, or on the member) -> ``@xmlFlattened``;
  ``xmlAttribute`` -> ``@xmlAttribute``; ``xmlNamespace`` -> ``@xmlNamespace``
  (on the member, on an operation's input structure, on the service);
- ``http`` method/requestUri/responseCode -> ``@http`` (REST protocols only),
  its ``{Label}`` / ``{Label+}`` renamed to the member bound to it;
- ``location`` header / querystring / uri / headers / statusCode ->
  ``@httpHeader`` / ``@httpQuery`` (``@httpQueryParams`` for a map) /
  ``@httpLabel`` / ``@httpPrefixHeaders`` / ``@httpResponseCode``; a
  structure's ``payload`` -> ``@httpPayload`` on that member.

awsQuery's ``resultWrapper`` is not written: the protocol implies
``<OperationNameResult>`` (aws-query-protocol.rst, "Response serialization"),
and ``_result_wrapper`` refuses a model whose wrapper is named otherwise.
Errors: botocore's ``fault`` makes a server error, else a client one (its
``senderFault`` says the same thing again). A structure's ``wrapper`` flag
(RDS, ElastiCache) is read by none of botocore's parsers and is left out.
Shape names are made unique case-insensitively, as Smithy requires
(``_unique_names``).
Documentation, constraints and enums (as plain strings) are left out: the
comparisons run with validation off on both sides, and a string enum reads
and writes as its string.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from typing import Any

from botocore.session import get_session

Ref = Callable[[str], str]
Traits = dict[str, Any]

_SIMPLE = {
    "string": "string",
    "boolean": "boolean",
    "integer": "integer",
    "long": "long",
    "float": "float",
    "double": "double",
    "timestamp": "timestamp",
    "blob": "blob",
    "bigdecimal": "bigDecimal",
    "biginteger": "bigInteger",
    "byte": "byte",
    "short": "short",
}

# botocore's metadata.protocols names -> Smithy protocol traits ("json" is
# awsJson1_0 or 1_1 by jsonVersion, see _protocol_traits).
_PROTOCOLS = {
    "smithy-rpc-v2-cbor": "smithy.protocols#rpcv2Cbor",
    "query": "aws.protocols#awsQuery",
    "ec2": "aws.protocols#ec2Query",
    "rest-xml": "aws.protocols#restXml",
    "rest-json": "aws.protocols#restJson1",
}
_REST = frozenset({"rest-xml", "rest-json"})

# botocore's member "location" -> the Smithy HTTP binding trait (a map bound
# to the query string is @httpQueryParams, see _binding_traits).
_LOCATIONS = {
    "header": "smithy.api#httpHeader",
    "querystring": "smithy.api#httpQuery",
    "headers": "smithy.api#httpPrefixHeaders",
}


def botocore_data(service: str, kind: str = "service-2") -> dict[str, Any]:
    loader = get_session().get_component("data_loader")
    data: dict[str, Any] = loader.load_service_model(service, kind)
    return data


class _Converter:
    """One botocore service model on its way to a Smithy JSON AST."""

    def __init__(self, service: str) -> None:
        self.service = service
        self.model = botocore_data(service)
        self.metadata: Mapping[str, Any] = self.model["metadata"]
        self.shapes: Mapping[str, Any] = self.model["shapes"]
        self.protocol: str = self.metadata["protocol"]
        self.namespace = f"com.amazonaws.{self.metadata['endpointPrefix']}"
        self.names = _unique_names(
            {self.service_name(), *self.model["operations"]}, self.shapes
        )

    def ref(self, name: str) -> str:
        return f"{self.namespace}#{self.names[name]}"

    def service_name(self) -> str:
        """awsJson's target prefix, else the service id without spaces (IAM, EC2)."""
        name = self.metadata.get("targetPrefix") or self.metadata["serviceId"]
        return re.sub(r"\W", "", str(name))

    def ast(self) -> tuple[dict[str, Any], str]:
        out: dict[str, Any] = {}
        for name, shape in self.shapes.items():
            out[self.ref(name)] = self.shape(shape)
        operations = []
        for name, op in self.model["operations"].items():
            out[self.ref(name)] = self.operation(name, op)
            self.mark_input_structure(out, op)
            operations.append({"target": self.ref(name)})
        service_id = self.ref(self.service_name())
        out[service_id] = {
            "type": "service",
            "version": self.metadata["apiVersion"],
            "operations": operations,
            "traits": self.service_traits(),
        }
        return {"smithy": "2.0", "shapes": out}, service_id

    # --- the service ----------------------------------------------------------------

    def service_traits(self) -> Traits:
        metadata = self.metadata
        traits: Traits = {
            "aws.api#service": {
                "sdkId": metadata["serviceId"],
                "endpointPrefix": metadata["endpointPrefix"],
            },
            "aws.auth#sigv4": {
                "name": metadata.get("signingName", metadata["endpointPrefix"])
            },
            "smithy.rules#endpointRuleSet": botocore_data(
                self.service, "endpoint-rule-set-1"
            ),
            **_protocol_traits(metadata),
        }
        if "xmlNamespace" in metadata:
            traits["smithy.api#xmlNamespace"] = {"uri": metadata["xmlNamespace"]}
        if "awsQueryCompatible" in metadata:
            traits["aws.protocols#awsQueryCompatible"] = {}
        return traits

    # --- operations -----------------------------------------------------------------

    def operation(self, name: str, op: Mapping[str, Any]) -> dict[str, Any]:
        shape: dict[str, Any] = {"type": "operation"}
        if "input" in op:
            shape["input"] = {"target": self.ref(op["input"]["shape"])}
        if "output" in op:
            _result_wrapper(name, op["output"], self.protocol)
            shape["output"] = {"target": self.ref(op["output"]["shape"])}
        if op.get("errors"):
            shape["errors"] = [{"target": self.ref(e["shape"])} for e in op["errors"]]
        traits: Traits = {}
        if op.get("idempotent"):
            traits["smithy.api#idempotent"] = {}
        if op.get("readonly"):
            traits["smithy.api#readonly"] = {}
        if "requestcompression" in op:
            traits["smithy.api#requestCompression"] = {
                "encodings": op["requestcompression"]["encodings"]
            }
        if self.protocol in _REST:
            traits["smithy.api#http"] = self.http_trait(op)
        if traits:
            shape["traits"] = traits
        return shape

    def http_trait(self, op: Mapping[str, Any]) -> Traits:
        """``@http``: botocore's requestUri with each label named for its member."""
        http = op["http"]
        uri = str(http["requestUri"])
        if "input" in op:
            members = self.shapes[op["input"]["shape"]].get("members", {})
            for member_name, member in members.items():
                if member.get("location") == "uri":
                    label = member.get("locationName", member_name)
                    uri = uri.replace(f"{{{label}}}", f"{{{member_name}}}")
                    uri = uri.replace(f"{{{label}+}}", f"{{{member_name}+}}")
        trait: Traits = {"method": http["method"], "uri": uri}
        if "responseCode" in http:
            trait["code"] = http["responseCode"]
        return trait

    def mark_input_structure(self, out: dict[str, Any], op: Mapping[str, Any]) -> None:
        """The input reference's ``locationName`` and ``xmlNamespace`` name the
        restXml request body's root element: traits of the input structure."""
        ref = op.get("input", {})
        traits: Traits = {}
        if "locationName" in ref and ref["locationName"] != ref["shape"]:
            traits["smithy.api#xmlName"] = ref["locationName"]
        if "xmlNamespace" in ref:
            traits["smithy.api#xmlNamespace"] = _namespace(ref["xmlNamespace"])
        if traits:
            structure = out[self.ref(ref["shape"])]
            structure["traits"] = {**structure.get("traits", {}), **traits}

    # --- shapes ---------------------------------------------------------------------

    def shape(self, shape: Mapping[str, Any]) -> dict[str, Any]:
        out = self.shape_body(shape)
        if "xmlNamespace" in shape:
            # A shape's own namespace (S3's Grantee: xsi): the element of any
            # member targeting it carries it, in botocore as in Smithy.
            traits = out.setdefault("traits", {})
            traits["smithy.api#xmlNamespace"] = _namespace(shape["xmlNamespace"])
        return out

    def shape_body(self, shape: Mapping[str, Any]) -> dict[str, Any]:
        kind = shape["type"]
        if kind == "list":
            return {"type": "list", "member": self.element(shape["member"])}
        if kind == "map":
            return {
                "type": "map",
                "key": self.element(shape["key"]),
                "value": self.element(shape["value"]),
            }
        if kind == "structure" and shape.get("document"):
            return {"type": "document"}
        if kind == "structure":
            return self.structure(shape)
        out: dict[str, Any] = {"type": _SIMPLE[kind]}
        if kind == "timestamp" and "timestampFormat" in shape:
            out["traits"] = {"smithy.api#timestampFormat": _format(shape)}
        return out

    def element(self, ref: Mapping[str, Any]) -> dict[str, Any]:
        """A list member, map key or map value: its target and XML name."""
        out: dict[str, Any] = {"target": self.ref(ref["shape"])}
        traits: Traits = {}
        name = ref.get("locationName") or self.shapes[ref["shape"]].get("locationName")
        if name is not None:
            traits["smithy.api#xmlName"] = name
        if "xmlNamespace" in ref:
            traits["smithy.api#xmlNamespace"] = _namespace(ref["xmlNamespace"])
        if traits:
            out["traits"] = traits
        return out

    def structure(self, shape: Mapping[str, Any]) -> dict[str, Any]:
        required = set(shape.get("required", []))
        members = {}
        for name, member in shape.get("members", {}).items():
            traits = {
                **self.member_basics(member, name in required),
                **self.xml_traits(name, member, payload=shape.get("payload") == name),
                **self.binding_traits(name, member, shape),
            }
            members[name] = {"target": self.ref(member["shape"])}
            if traits:
                members[name]["traits"] = traits
        out: dict[str, Any] = {
            "type": "union" if shape.get("union") else "structure",
            "members": members,
        }
        traits = self.error_traits(shape) if shape.get("exception") else {}
        if traits:
            out["traits"] = traits
        return out

    def member_basics(self, member: Mapping[str, Any], required: bool) -> Traits:
        traits: Traits = {}
        if required:
            traits["smithy.api#required"] = {}
        if member.get("idempotencyToken"):
            traits["smithy.api#idempotencyToken"] = {}
        if "timestampFormat" in member:
            traits["smithy.api#timestampFormat"] = _format(member)
        return traits

    def xml_traits(
        self, name: str, member: Mapping[str, Any], *, payload: bool = False
    ) -> Traits:
        """A body member's XML (and ec2 query) names, flattening, attribute,
        namespace. A payload member's name is written even when it is the
        member's own: the payload element is named by the member's
        ``@xmlName``, else by its target structure (not by the member)."""
        if self.protocol not in ("query", "ec2", "rest-xml") or "location" in member:
            return {}
        target = self.shapes[member["shape"]]
        traits: Traits = {}
        flattened = bool(member.get("flattened") or target.get("flattened"))
        xml_name = _xml_name(member, target, flattened)
        if xml_name is not None and (xml_name != name or payload):
            traits["smithy.api#xmlName"] = xml_name
        if self.protocol == "ec2" and "queryName" in member:
            traits["aws.protocols#ec2QueryName"] = member["queryName"]
        if flattened:
            traits["smithy.api#xmlFlattened"] = {}
        if member.get("xmlAttribute"):
            traits["smithy.api#xmlAttribute"] = {}
        if "xmlNamespace" in member:
            traits["smithy.api#xmlNamespace"] = _namespace(member["xmlNamespace"])
        return traits

    def binding_traits(
        self, name: str, member: Mapping[str, Any], shape: Mapping[str, Any]
    ) -> Traits:
        """The HTTP binding of a member of a REST protocol's input or output."""
        if self.protocol not in _REST:
            return {}
        if shape.get("payload") == name:
            return {"smithy.api#httpPayload": {}}
        location = member.get("location")
        if location is None:
            return {}
        if location == "uri":
            return {"smithy.api#httpLabel": {}}
        if location == "statusCode":
            return {"smithy.api#httpResponseCode": {}}
        target = self.shapes[member["shape"]]
        if location == "querystring" and target["type"] == "map":
            return {"smithy.api#httpQueryParams": {}}
        return {_LOCATIONS[location]: member.get("locationName", name)}

    def error_traits(self, shape: Mapping[str, Any]) -> Traits:
        """``@error`` (botocore's ``fault`` is a server error), ``@httpError``, and
        the awsQuery code of an error whose code is not its name."""
        traits: Traits = {
            "smithy.api#error": "server" if shape.get("fault") else "client"
        }
        error = shape.get("error", {})
        if "httpStatusCode" in error and self.protocol in (*_REST, "ec2"):
            traits["smithy.api#httpError"] = error["httpStatusCode"]
        if "code" in error and self.protocol not in _REST:
            traits["aws.protocols#awsQueryError"] = {
                "code": error["code"],
                "httpResponseCode": error.get("httpStatusCode", 400),
            }
        return traits


def smithy_ast(service: str) -> tuple[dict[str, Any], str]:
    """(the JSON AST, the service shape id) of botocore's model of ``service``."""
    return _Converter(service).ast()


def _unique_names(kept: set[str], shapes: Mapping[str, Any]) -> dict[str, str]:
    """Each shape's Smithy name (the service's and operations' in ``kept``):
    botocore's, made unique when compared case-insensitively (Smithy requires
    it; SNS has ``endpoint`` and ``Endpoint``). Operations and errors keep
    theirs (they are on the wire: ``Action``, error codes); another shape gets
    a trailing ``_``."""

    def priority(name: str) -> tuple[int, int, str]:
        if name in kept:
            return (0, 0, name)
        rank = 1 if shapes[name].get("exception") else 2
        return (rank, 0 if name[:1].isupper() else 1, name)

    names: dict[str, str] = {}
    taken: set[str] = set()
    for name in sorted({*kept, *shapes}, key=priority):
        new = name
        while new.lower() in taken:
            new += "_"
        taken.add(new.lower())
        names[name] = new
    return names


def _protocol_traits(metadata: Mapping[str, Any]) -> Traits:
    traits: Traits = {}
    for protocol in metadata.get("protocols", [metadata["protocol"]]):
        if protocol == "json":
            version = metadata.get("jsonVersion", "1.0").replace(".", "_")
            traits[f"aws.protocols#awsJson{version}"] = {}
        elif protocol in _PROTOCOLS:
            traits[_PROTOCOLS[protocol]] = {}
    return traits


def _result_wrapper(name: str, output: Mapping[str, Any], protocol: str) -> None:
    """awsQuery's output wrapper is always ``<NameResult>``: nothing to write, but
    a model naming it otherwise would need a trait Smithy does not have."""
    wrapper = output.get("resultWrapper")
    if protocol == "query" and wrapper not in (None, f"{name}Result"):
        raise ValueError(f"{name}: result wrapper {wrapper!r} is not {name}Result")


def _xml_name(
    member: Mapping[str, Any], target: Mapping[str, Any], flattened: bool
) -> str | None:
    """The element name botocore reads and writes for a member.

    A flattened list's items repeat under its list member's ``locationName``
    when it has one (botocore's ``_member_key_name``); otherwise the member's
    ``locationName``, else the target shape's own.
    """
    if flattened and target["type"] == "list":
        item_name = target["member"].get("locationName")
        if item_name is not None:
            return str(item_name)
    name = member.get("locationName") or target.get("locationName")
    return None if name is None else str(name)


def _namespace(value: Mapping[str, Any]) -> Traits:
    out: Traits = {"uri": value["uri"]}
    if "prefix" in value:
        out["prefix"] = value["prefix"]
    return out


def _format(shape: Mapping[str, Any]) -> str:
    return {
        "iso8601": "date-time",
        "rfc822": "http-date",
        "unixTimestamp": "epoch-seconds",
    }[shape["timestampFormat"]]
