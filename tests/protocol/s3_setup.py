"""What the restXml suite's S3 cases need beyond the protocol: S3's endpoint rules and AwsConfig.

The suite's ``com.amazonaws.s3#AmazonS3`` is a cut-down S3 without the
``smithy.rules`` traits, but its addressing cases (S3DefaultAddressing...)
expect the bucket where S3's endpoint rules put it. ``rules_overlay`` writes
a JSON AST model file that applies the official S3 model's rule set,
clientContextParams, contextParams and staticContextParams to the suite's
service, operations and input members of the same names, so the generated
test client resolves endpoints exactly as one generated from the official
model does. ``apply_vendor_params`` turns a case's ``vendorParams``
(aws.protocoltests.config#AwsConfig) into the client's configuration: the
region, and the ``s3`` section written to the isolated AWS config file, where
a user would write it and from where the runtime reads it as botocore does.
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from smithy_python.model import Model, OperationShape, StructureShape

from tests.conftest import shared_dir

_S3_SERVICE = "com.amazonaws.s3#AmazonS3"
_SERVICE_TRAITS = ("smithy.rules#endpointRuleSet", "smithy.rules#clientContextParams")
_CONTEXT_PARAM = "smithy.rules#contextParam"
_STATIC_PARAMS = "smithy.rules#staticContextParams"


def _official_s3() -> Mapping[str, Any]:
    path = shared_dir() / "aws-models" / "s3-2006-03-01.json"
    data: Mapping[str, Any] = json.loads(path.read_text())
    return data


def rules_overlay(model: Model, out: Path) -> Path | None:
    """The overlay file for the suite's S3 service, or None when it has no S3 service."""
    services = [s for s in model.services() if str(s.id) == _S3_SERVICE]
    if not services or services[0].has_trait("smithy.rules#endpointRuleSet"):
        return None
    official = _official_s3()["shapes"]
    service_traits = official[_S3_SERVICE]["traits"]
    shapes: dict[str, Any] = {
        _S3_SERVICE: {
            "type": "apply",
            "traits": {name: service_traits[name] for name in _SERVICE_TRAITS},
        }
    }
    for shape in model.iter_shapes():
        if (
            not isinstance(shape, OperationShape)
            or shape.id.namespace != "com.amazonaws.s3"
        ):
            continue
        theirs = official.get(str(shape.id))
        if theirs is None:
            continue
        if _STATIC_PARAMS in theirs.get("traits", {}):
            shapes[str(shape.id)] = {
                "type": "apply",
                "traits": {_STATIC_PARAMS: theirs["traits"][_STATIC_PARAMS]},
            }
        their_input = official[theirs["input"]["target"]]["members"]
        ours = model.get_shape(shape.input)
        if not isinstance(ours, StructureShape):
            continue
        for name in ours.members:
            trait = their_input.get(name, {}).get("traits", {}).get(_CONTEXT_PARAM)
            if trait is not None:
                shapes[f"{ours.id}${name}"] = {
                    "type": "apply",
                    "traits": {_CONTEXT_PARAM: trait},
                }
    out.mkdir(parents=True, exist_ok=True)
    path = out / "s3-endpoint-rules-overlay.json"
    path.write_text(json.dumps({"smithy": "2.0", "shapes": shapes}))
    return path


def client_scope(data: Mapping[str, Any]) -> Mapping[str, Any] | None:
    """The case's client-scoped AwsConfig, or None unless its vendorParams are one.

    The ``operation`` scope is not applied: the generated client has no
    per-operation configuration (the S3OperationAddressingPreferred case).
    """
    vendor = data.get("vendorParams")
    shape = str(data.get("vendorParamsShape", ""))
    # Other suites' vendorParams are other shapes (awsQuery's ErrorCodeParams).
    if not isinstance(vendor, Mapping) or shape.rsplit("#", 1)[-1] != "AwsConfig":
        return None
    scoped = vendor.get("scopedConfig", {})
    client = scoped.get("client") if isinstance(scoped, Mapping) else None
    return client if isinstance(client, Mapping) else {}


def write_s3_section(client: Mapping[str, Any]) -> None:
    """Write the scope's ``s3`` settings as the default profile's ``s3`` section.

    The file is the test's isolated AWS_CONFIG_FILE (tests/conftest.py).
    """
    s3 = client.get("s3")
    if not isinstance(s3, Mapping) or not s3:
        return
    lines = ["[default]", "s3 ="]
    for key, value in s3.items():
        text = str(value).lower() if isinstance(value, bool) else str(value)
        lines.append(f"    {key} = {text}")
    Path(os.environ["AWS_CONFIG_FILE"]).write_text("\n".join(lines) + "\n")
