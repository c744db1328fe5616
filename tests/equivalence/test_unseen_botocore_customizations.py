"""What botocore's own handlers do to these services, and the generated
clients do not: each difference asserted as what it is.

botocore/handlers.py rewrites some parameters before they are serialized
and some parsed outputs after they are read. The generated clients follow
the model alone, so for the same input or response they differ from
botocore exactly there (the request-side ones, RDS's SourceRegion and EC2
RunInstances' UserData, are also undone in test_unseen_query_services'
comparison of every operation):

- IAM (``json_decode_policies``): a policy document in an output (URL-encoded
  JSON) is decoded by botocore into a dict; ours is the string as sent.
- CloudFormation GetTemplate (``json_decode_template_body``): a JSON
  TemplateBody becomes a dict in botocore; ours is the string.
- EC2 GetConsoleOutput (``decode_console_output``): botocore base64-decodes
  Output; ours is the base64 text as sent.
- Route 53 (``fix_route53_ids``): botocore keeps only the last ``/`` segment
  of an Id-like input (``/hostedzone/Z1`` -> ``Z1``), ours sends the value
  given, percent-encoded in the path.
"""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import quote, unquote

import pytest

from tests.equivalence.unseen import (
    Converted,
    UnseenServices,
    call_both,
    ec2_answer,
    query_answer,
)
from tests.equivalence.wire import Reply

pytestmark = pytest.mark.usefixtures("isolated_aws")

XML = {"Content-Type": "text/xml"}


def _both(
    service: Converted, op_name: str, params: dict[str, Any], reply: Reply
) -> Any:
    """(our output, botocore's) for the same parameters and answer."""
    op = service.operation(op_name)
    kwargs = service.converter.kwargs(params, service.ctx.model.get_shape(op.input))
    request, ours, theirs = call_both(service, op, (kwargs, params), reply)
    assert not isinstance(ours, Exception), ours
    return request, ours, theirs


POLICY = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow"}]}


def test_iam_policy_documents_stay_url_encoded_text(
    unseen_services: UnseenServices,
) -> None:
    service = unseen_services["iam"]
    sent = quote(json.dumps(POLICY))
    result = (
        "<RoleName>r</RoleName><PolicyName>p</PolicyName>"
        f"<PolicyDocument>{sent}</PolicyDocument>"
    )
    body = query_answer(service.ctx, "GetRolePolicy", {}, None).replace(
        b"<GetRolePolicyResult></GetRolePolicyResult>",
        f"<GetRolePolicyResult>{result}</GetRolePolicyResult>".encode(),
    )
    _, ours, theirs = _both(
        service,
        "GetRolePolicy",
        {"RoleName": "r", "PolicyName": "p"},
        Reply(200, body, XML),
    )
    assert theirs["PolicyDocument"] == POLICY
    assert ours.policy_document == sent
    assert json.loads(unquote(ours.policy_document)) == POLICY


def test_a_json_template_body_stays_text(unseen_services: UnseenServices) -> None:
    service = unseen_services["cloudformation"]
    template = json.dumps({"Resources": {}})
    result = f"<TemplateBody>{template}</TemplateBody>"
    body = query_answer(service.ctx, "GetTemplate", {}, None).replace(
        b"<GetTemplateResult></GetTemplateResult>",
        f"<GetTemplateResult>{result}</GetTemplateResult>".encode(),
    )
    _, ours, theirs = _both(service, "GetTemplate", {}, Reply(200, body, XML))
    assert theirs["TemplateBody"] == {"Resources": {}}
    assert ours.template_body == template


def test_console_output_stays_base64_text(unseen_services: UnseenServices) -> None:
    service = unseen_services["ec2"]
    body = ec2_answer(service.ctx, "GetConsoleOutput", {}, None).replace(
        b"</GetConsoleOutputResponse>",
        b"<instanceId>i-1</instanceId><output>aGVsbG8=</output>"
        b"</GetConsoleOutputResponse>",
    )
    _, ours, theirs = _both(
        service, "GetConsoleOutput", {"InstanceId": "i-1"}, Reply(200, body, XML)
    )
    assert theirs["Output"] == "hello"
    assert ours.output == "aGVsbG8="


def test_route53_ids_are_sent_as_given(unseen_services: UnseenServices) -> None:
    service = unseen_services["route53"]
    reply = Reply(
        200,
        b"<GetHostedZoneResponse><HostedZone><Id>Z1</Id><Name>a.</Name>"
        b"<CallerReference>c</CallerReference></HostedZone></GetHostedZoneResponse>",
        {"Content-Type": "application/xml", "x-amzn-RequestId": "r-1"},
    )
    request, _, _ = _both(service, "GetHostedZone", {"Id": "/hostedzone/Z1"}, reply)
    (theirs,) = service.boto.requests
    assert theirs.url.endswith("/2013-04-01/hostedzone/Z1")
    assert request.url.raw_path == b"/2013-04-01/hostedzone/%2Fhostedzone%2FZ1"
