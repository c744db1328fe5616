"""A Smithy JSON AST for a service botocore knows, built from botocore's own data.

No Smithy model of SQS or CloudWatch is in ../shared, but botocore carries
their JSON service models (``botocore/data/<service>/<version>/service-2.json``,
not Smithy) and endpoint rule sets. This writes the Smithy model they were
made from, as far as a client of the awsJson and rpcv2Cbor protocols needs
it: shapes and members (required, idempotency tokens, timestamp formats),
errors with their awsQuery codes (``aws.protocols#awsQueryError``), the
service's protocols, ``awsQueryCompatible``, SigV4 name and endpoint rules.
Documentation, constraints and enums (as plain strings) are left out: the
comparisons run with validation off on both sides, and a string enum reads
and writes as its string.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from botocore.session import get_session

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

# botocore's metadata.protocols names -> Smithy protocol traits.
_PROTOCOLS = {
    "smithy-rpc-v2-cbor": ("smithy.protocols#rpcv2Cbor", {}),
    "query": ("aws.protocols#awsQuery", {}),
}


def botocore_data(service: str, kind: str = "service-2") -> dict[str, Any]:
    loader = get_session().get_component("data_loader")
    data: dict[str, Any] = loader.load_service_model(service, kind)
    return data


def smithy_ast(service: str) -> tuple[dict[str, Any], str]:
    """(the JSON AST, the service shape id) of botocore's model of ``service``."""
    model = botocore_data(service)
    metadata = model["metadata"]
    namespace = f"com.amazonaws.{metadata['endpointPrefix']}"
    shapes: dict[str, Any] = {}

    def ref(name: str) -> str:
        return f"{namespace}#{name}"

    for name, shape in model["shapes"].items():
        shapes[ref(name)] = _shape(shape, ref)
    operations = []
    for name, op in model["operations"].items():
        shapes[ref(name)] = _operation(op, ref)
        operations.append({"target": ref(name)})
    service_id = ref(metadata["targetPrefix"])
    shapes[service_id] = {
        "type": "service",
        "version": metadata["apiVersion"],
        "operations": operations,
        "traits": _service_traits(service, metadata),
    }
    return {"smithy": "2.0", "shapes": shapes}, service_id


def _service_traits(service: str, metadata: Mapping[str, Any]) -> dict[str, Any]:
    traits: dict[str, Any] = {
        "aws.api#service": {
            "sdkId": metadata["serviceId"],
            "endpointPrefix": metadata["endpointPrefix"],
        },
        "aws.auth#sigv4": {
            "name": metadata.get("signingName", metadata["endpointPrefix"])
        },
        "smithy.rules#endpointRuleSet": botocore_data(service, "endpoint-rule-set-1"),
    }
    for protocol in metadata.get("protocols", [metadata["protocol"]]):
        if protocol == "json":
            version = metadata.get("jsonVersion", "1.0").replace(".", "_")
            traits[f"aws.protocols#awsJson{version}"] = {}
        elif protocol in _PROTOCOLS:
            trait, value = _PROTOCOLS[protocol]
            traits[trait] = value
    if "xmlNamespace" in metadata:
        traits["smithy.api#xmlNamespace"] = {"uri": metadata["xmlNamespace"]}
    if "awsQueryCompatible" in metadata:
        traits["aws.protocols#awsQueryCompatible"] = {}
    return traits


def _operation(op: Mapping[str, Any], ref: Any) -> dict[str, Any]:
    shape: dict[str, Any] = {"type": "operation"}
    if "input" in op:
        shape["input"] = {"target": ref(op["input"]["shape"])}
    if "output" in op:
        shape["output"] = {"target": ref(op["output"]["shape"])}
    if op.get("errors"):
        shape["errors"] = [{"target": ref(e["shape"])} for e in op["errors"]]
    traits: dict[str, Any] = {}
    if op.get("idempotent"):
        traits["smithy.api#idempotent"] = {}
    if op.get("readonly"):
        traits["smithy.api#readonly"] = {}
    if "requestcompression" in op:
        traits["smithy.api#requestCompression"] = {
            "encodings": op["requestcompression"]["encodings"]
        }
    if traits:
        shape["traits"] = traits
    return shape


def _shape(shape: Mapping[str, Any], ref: Any) -> dict[str, Any]:
    kind = shape["type"]
    if kind == "list":
        return {"type": "list", "member": {"target": ref(shape["member"]["shape"])}}
    if kind == "map":
        return {
            "type": "map",
            "key": {"target": ref(shape["key"]["shape"])},
            "value": {"target": ref(shape["value"]["shape"])},
        }
    if kind == "structure" and shape.get("document"):
        return {"type": "document"}
    if kind == "structure":
        return _structure(shape, ref)
    out: dict[str, Any] = {"type": _SIMPLE[kind]}
    if kind == "timestamp" and "timestampFormat" in shape:
        out["traits"] = {"smithy.api#timestampFormat": _format(shape)}
    return out


def _format(shape: Mapping[str, Any]) -> str:
    return {
        "iso8601": "date-time",
        "rfc822": "http-date",
        "unixTimestamp": "epoch-seconds",
    }[shape["timestampFormat"]]


def _structure(shape: Mapping[str, Any], ref: Any) -> dict[str, Any]:
    required = set(shape.get("required", []))
    members = {}
    for name, member in shape.get("members", {}).items():
        traits: dict[str, Any] = {}
        if name in required:
            traits["smithy.api#required"] = {}
        if member.get("idempotencyToken"):
            traits["smithy.api#idempotencyToken"] = {}
        if "timestampFormat" in member:
            traits["smithy.api#timestampFormat"] = _format(member)
        members[name] = {"target": ref(member["shape"])}
        if traits:
            members[name]["traits"] = traits
    traits = {}
    if shape.get("exception"):
        traits["smithy.api#error"] = "server" if shape.get("fault") else "client"
        error = shape.get("error", {})
        if "code" in error:
            traits["aws.protocols#awsQueryError"] = {
                "code": error["code"],
                "httpResponseCode": error.get("httpStatusCode", 400),
            }
    out: dict[str, Any] = {
        "type": "union" if shape.get("union") else "structure",
        "members": members,
    }
    if traits:
        out["traits"] = traits
    return out
