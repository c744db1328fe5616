"""smithy_from_botocore checked where an official Smithy model exists: S3.

The unseen services' comparisons (test_unseen_*) are only as good as the
models rebuilt from botocore's data. S3 is the one restXml service with both
a botocore model and an official Smithy model in ../shared, and it uses
nearly every XML and HTTP binding the converter writes (greedy labels,
prefix headers, attributes, flattened lists, payloads, namespaces; not
query maps or status members). For every structure member and operation the two models
share, the converter must write the same binding and XML traits, but for
forms that mean the same on the wire, each normalized here:

- ``@http``'s ``code`` left out (200, the default) where the official model
  writes 200;
- the official URIs' ``?x-id=Operation`` literal, which botocore's model
  does not have (S3's own equivalence tests note botocore sends none);
- a payload member's ``@xmlNamespace`` equal to the service's: botocore's
  model puts S3's namespace on each payload member, the official model on
  the service, which the payload element takes anyway;
- names and namespaces compared as they take effect: a body member's
  element is its ``@xmlName``, else its name (a structure payload's: else
  its target's name); its namespace its own, else its target's (botocore's
  model puts S3's ``xsi`` namespace on the Grantee shape, the official one
  on the members targeting it).
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from typing import Any

from tests.conftest import require_shared
from tests.equivalence.smithy_from_botocore import smithy_ast

BINDINGS = (
    "smithy.api#xmlName",
    "smithy.api#xmlFlattened",
    "smithy.api#xmlAttribute",
    "smithy.api#xmlNamespace",
    "smithy.api#httpHeader",
    "smithy.api#httpQuery",
    "smithy.api#httpQueryParams",
    "smithy.api#httpLabel",
    "smithy.api#httpPrefixHeaders",
    "smithy.api#httpPayload",
    "smithy.api#httpResponseCode",
)
S3_NAMESPACE = {"uri": "http://s3.amazonaws.com/doc/2006-03-01/"}


_LOCATED = (
    "smithy.api#httpHeader",
    "smithy.api#httpQuery",
    "smithy.api#httpQueryParams",
    "smithy.api#httpLabel",
    "smithy.api#httpPrefixHeaders",
    "smithy.api#httpResponseCode",
)


def _member_traits(
    name: str, member: Mapping[str, Any], shapes: Mapping[str, Any]
) -> dict[str, Any]:
    """The member's binding traits, its XML element name and namespace as
    they take effect (from the member, else from its target)."""
    traits = member.get("traits", {})
    target_shape = shapes.get(member["target"], {})
    target = target_shape.get("traits", {})
    found = {t: traits[t] for t in BINDINGS if t in traits}
    namespace = traits.get("smithy.api#xmlNamespace") or target.get(
        "smithy.api#xmlNamespace"
    )
    payload = "smithy.api#httpPayload" in found
    if namespace is not None and not (payload and namespace == S3_NAMESPACE):
        found["smithy.api#xmlNamespace"] = namespace
    else:
        found.pop("smithy.api#xmlNamespace", None)
    raw_payload = payload and target_shape.get("type") not in ("structure", "union")
    if not set(_LOCATED) & set(found) and not raw_payload:
        # The element: the member's @xmlName, else (a payload) the target's
        # own name, else the member's name. A blob or string payload is the
        # raw body: no element.
        default = member["target"].partition("#")[2] if payload else name
        if payload:
            default = target.get("smithy.api#xmlName", default)
        found["smithy.api#xmlName"] = traits.get("smithy.api#xmlName", default)
    return found


def _http(trait: Mapping[str, Any]) -> dict[str, Any]:
    uri = re.sub(r"[?&]x-id=\w+$", "", str(trait["uri"]))
    return {"method": trait["method"], "uri": uri, "code": trait.get("code", 200)}


def _bindings(shapes: Mapping[str, Any]) -> dict[tuple[str, str], Any]:
    """(shape name, member name or "@http") -> the traits compared."""
    found: dict[tuple[str, str], Any] = {}
    for shape_id, shape in shapes.items():
        name = shape_id.partition("#")[2]
        if shape["type"] in ("structure", "union"):
            for member_name, member in shape.get("members", {}).items():
                found[name, member_name] = _member_traits(member_name, member, shapes)
        elif shape["type"] == "operation":
            found[name, "@http"] = _http(shape["traits"]["smithy.api#http"])
    return found


def test_the_rebuilt_s3_model_binds_as_the_official_one() -> None:
    path = require_shared("aws-models", "s3-2006-03-01.json")
    official = _bindings(json.loads(path.read_text(encoding="utf-8"))["shapes"])
    rebuilt = _bindings(smithy_ast("s3")[0]["shapes"])
    shared = sorted(set(official) & set(rebuilt))
    # Most of botocore's members and operations are in the official model;
    # botocore's S3 model is newer than the one in ../shared (its object
    # annotation operations, event holds, ...): about 89% are shared.
    assert len(shared) > 0.85 * len(rebuilt), (len(shared), len(rebuilt))
    differ = {k: (rebuilt[k], official[k]) for k in shared if rebuilt[k] != official[k]}
    assert differ == {}
    # Every kind of trait was compared, but the two S3 never binds (no query
    # map, no status member; Route 53 and CloudFront neither).
    kinds = {t for k in shared if k[1] != "@http" for t in rebuilt[k]}
    unused = {"smithy.api#httpQueryParams", "smithy.api#httpResponseCode"}
    assert kinds == set(BINDINGS) - unused, sorted(set(BINDINGS) - kinds)
