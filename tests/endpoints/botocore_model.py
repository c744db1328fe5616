"""botocore's client for one of this folder's test models, to compare with ours.

botocore reads its own JSON model format, not Smithy's; this writes the
subset the test models use (structures, strings, numbers, booleans, lists;
the endpoint, context-parameter and discovery annotations) from the Smithy
JSON AST our loader produces, plus the rule set, into a data folder that
``AWS_DATA_PATH`` points botocore's loader at. Requests are answered through
botocore's ``before-send`` event from a script, as tests/equivalence/wire.py does.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from botocore.awsrequest import AWSPreparedRequest, AWSResponse
from botocore.compat import HTTPHeaders
from botocore.config import Config
from botocore.session import get_session
from smithygen.idl import load_files

_SIMPLE = {
    "smithy.api#String": "string",
    "smithy.api#Integer": "integer",
    "smithy.api#Long": "long",
    "smithy.api#Boolean": "boolean",
}


def write_botocore_model(
    model_file: Path, service_id: str, name: str, data: Path
) -> None:
    """``data/<name>/<version>/service-2.json`` and ``endpoint-rule-set-1.json``."""
    ast = load_files([model_file])
    shapes: Mapping[str, Any] = ast["shapes"]
    service = shapes[service_id]
    traits = service["traits"]
    namespace = service_id.partition("#")[0]
    out: dict[str, Any] = {}

    def ref(target: str) -> str:
        if target in _SIMPLE:
            out[target.rpartition("#")[2]] = {"type": _SIMPLE[target]}
            return target.rpartition("#")[2]
        add(target)
        return target.rpartition("#")[2]

    def add(shape_id: str) -> None:
        short = shape_id.rpartition("#")[2]
        if short in out:
            return
        shape = shapes[shape_id]
        if shape["type"] == "list":
            out[short] = {
                "type": "list",
                "member": {"shape": ref(shape["member"]["target"])},
            }
        elif shape["type"] == "structure":
            members = {}
            required = []
            out[short] = {"type": "structure", "members": members}
            for member_name, member in shape.get("members", {}).items():
                entry: dict[str, Any] = {"shape": ref(member["target"])}
                member_traits = member.get("traits", {})
                context = member_traits.get("smithy.rules#contextParam")
                if context:
                    entry["contextParam"] = {"name": context["name"]}
                if "aws.api#clientEndpointDiscoveryId" in member_traits:
                    entry["endpointdiscoveryid"] = True
                if "smithy.api#required" in member_traits:
                    required.append(member_name)
                members[member_name] = entry
            if required:
                out[short]["required"] = required
            if "smithy.api#error" in shape.get("traits", {}):
                out[short]["exception"] = True
        else:
            raise AssertionError(f"{shape_id}: {shape['type']} is not in the subset")

    discovery = traits.get("aws.api#clientEndpointDiscovery", {})
    operations = {}
    for target in (o["target"] for o in service.get("operations", [])):
        op = shapes[target]
        op_traits = op.get("traits", {})
        op_name = target.rpartition("#")[2]
        entry: dict[str, Any] = {
            "name": op_name,
            "http": {"method": "POST", "requestUri": "/"},
            "input": {"shape": ref(op["input"]["target"])},
            "output": {"shape": ref(op["output"]["target"])},
            "errors": [{"shape": ref(e["target"])} for e in op.get("errors", [])],
        }
        for trait, key in (
            ("smithy.rules#staticContextParams", "staticContextParams"),
            ("smithy.rules#operationContextParams", "operationContextParams"),
        ):
            if trait in op_traits:
                entry[key] = op_traits[trait]
        if "aws.api#clientDiscoveredEndpoint" in op_traits:
            entry["endpointdiscovery"] = {
                "required": op_traits["aws.api#clientDiscoveredEndpoint"]["required"]
            }
        if discovery.get("operation") == target:
            entry["endpointoperation"] = True
        operations[op_name] = entry
    protocol = next(t for t in traits if t.startswith("aws.protocols#awsJson"))
    sdk_id = traits["aws.api#service"]["sdkId"]
    description = {
        "version": "2.0",
        "metadata": {
            "apiVersion": service["version"],
            "endpointPrefix": traits["aws.api#service"].get("endpointPrefix", name),
            "jsonVersion": "1.0" if protocol.endswith("1_0") else "1.1",
            "protocol": "json",
            "serviceId": sdk_id,
            "signatureVersion": "v4",
            "signingName": traits["aws.auth#sigv4"]["name"],
            "targetPrefix": service_id.rpartition("#")[2],
            "uid": f"{name}-{service['version']}",
        },
        "operations": operations,
        "shapes": out,
    }
    if "smithy.rules#clientContextParams" in traits:
        description["clientContextParams"] = traits["smithy.rules#clientContextParams"]
    folder = data / name / service["version"]
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "service-2.json").write_text(json.dumps(description))
    (folder / "endpoint-rule-set-1.json").write_text(
        json.dumps(traits["smithy.rules#endpointRuleSet"])
    )
    assert namespace  # the model's shapes all live in the service's namespace


class BotocoreClient:
    """A botocore client of a written model, answering from ``answer(request)``."""

    def __init__(
        self,
        name: str,
        answer: Callable[[AWSPreparedRequest], tuple[int, Any]],
        **options: Any,
    ) -> None:
        config = {"retries": {"total_max_attempts": 1}, **options.pop("config", {})}
        self.requests: list[AWSPreparedRequest] = []
        self._answer = answer
        self.client: Any = get_session().create_client(
            name,
            aws_access_key_id="AKIDEXAMPLE",
            aws_secret_access_key="wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
            config=Config(**config),
            **options,
        )
        service_id = self.client.meta.service_model.service_id.hyphenize()
        self.client.meta.events.register(f"before-send.{service_id}", self._send)

    def _send(self, request: AWSPreparedRequest, **_: Any) -> AWSResponse:
        self.requests.append(request)
        status, body = self._answer(request)
        headers = HTTPHeaders()
        headers["Content-Type"] = "application/x-amz-json-1.0"
        return AWSResponse(
            request.url, status, headers, _Raw(json.dumps(body).encode())
        )


class _Raw:
    def __init__(self, body: bytes) -> None:
        self._body = body

    def stream(self, **_: Any) -> Any:
        yield self._body
