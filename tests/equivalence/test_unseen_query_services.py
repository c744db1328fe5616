"""awsQuery and ec2Query services the project has never seen, against botocore.

SNS, IAM, CloudFormation, RDS and ElastiCache (awsQuery) and EC2 (ec2Query) have no
Smithy model in ../shared; their models are rebuilt from botocore's own data
(``smithy_from_botocore``: ``@xmlName``, ``@ec2QueryName``,
``@xmlFlattened``, ``awsQueryError`` codes, the service's ``@xmlNamespace``),
generated into a temporary folder and driven beside botocore's client with
the same input (every member set, tests/equivalence/unseen.py), clock and
UUIDs, over a mock transport:

- requests: the same URL, method, X-Amz-Date, form pairs in the same order
  and the same body bytes once botocore's two spec differences are undone
  (``+`` for a space, six fraction digits: unseen.botocore_form_as_ours),
  and a SigV4 Authorization that is botocore's signature of our bytes; the
  Content-Type is ``application/x-www-form-urlencoded`` without botocore's
  ``; charset=utf-8`` (the awsQuery suite requires exactly that); the same
  other headers (names, and values but the User-Agent) apart from httpx's
  defaults. Where one of botocore's own handlers rewrites an operation's
  parameters (RDS's SourceRegion, EC2 RunInstances' UserData:
  ``BOTOCORE_CUSTOMIZATIONS``), botocore's pairs are compared with ours
  put through that rewrite;
- outputs: XML written from the model with every output member set
  (``<OpResponse><OpResult>`` for awsQuery, ``<OpResponse>`` for ec2Query)
  parses to the same values;
- modeled errors (each once, with the first operation declaring it): the
  same class, code (the ``awsQueryError`` code), message, status, request
  id, fault and members. EC2 models no errors: an unmodeled one is
  compared instead.

Every operation of SNS, IAM, CloudFormation and RDS is compared; EC2's 830
and ElastiCache's 77 are sampled deterministically
(unseen.compared_operations: every 5th, every 4th, by name, plus those whose
shapes use ``queryName`` or a shape's own ``locationName``; only those are
generated) to keep the module within its time budget.
"""

from __future__ import annotations

import base64
from collections.abc import Callable
from typing import Any

import pytest

from tests.equivalence.test_all_operations import sample
from tests.equivalence.test_botocore_equivalence import assert_same_parsed
from tests.equivalence.unseen import (
    EC2_EXTRA,
    FAULT_TYPES,
    QUERY_SERVICES,
    Converted,
    Pairs,
    UnseenServices,
    assert_same_error_members,
    assert_same_form_request,
    botocore_error_classes,
    botocore_error_of,
    botocore_form_as_ours,
    call_both,
    compared_operations,
    ec2_answer,
    ec2_error,
    member_elements,
    modeled_error_cases,
    operation_cases,
    query_answer,
    query_error,
    without_message,
)
from tests.equivalence.wire import Reply

pytestmark = [pytest.mark.slow, pytest.mark.usefixtures("isolated_aws")]

OPERATIONS = {name: compared_operations(name) for name in (*QUERY_SERVICES, "ec2")}
XML = {"Content-Type": "text/xml"}


# botocore's own handlers (botocore/handlers.py) that change an operation's
# parameters before they are serialized; the generated clients have no such
# customizations and send what the model says. Each maps our form pairs to
# botocore's.
def _without_source_region(pairs: Pairs) -> Pairs:
    """RDS (inject_presigned_url_rds): SourceRegion is botocore's own
    parameter ("not actually modeled for RDS"): botocore presigns a
    PreSignedUrl for that region when none is given, and drops it."""
    return [(k, v) for k, v in pairs if k != "SourceRegion"]


def _user_data_in_base64(pairs: Pairs) -> Pairs:
    """EC2 RunInstances (base64_encode_user_data): botocore base64-encodes
    UserData itself; the API takes it base64-encoded, and the generated
    client sends the string it is given."""
    return [
        (k, base64.b64encode(v.encode()).decode() if k == "UserData" else v)
        for k, v in pairs
    ]


BOTOCORE_CUSTOMIZATIONS: dict[tuple[str, str], Callable[[Pairs], Pairs]] = {
    **{
        ("rds", op): _without_source_region
        for op in (
            "CopyDBClusterSnapshot",
            "CopyDBSnapshot",
            "CreateDBCluster",
            "CreateDBInstanceReadReplica",
            "StartDBInstanceAutomatedBackupsReplication",
        )
    },
    ("ec2", "RunInstances"): _user_data_in_base64,
}


def _answer(service: Converted, op_name: str, output: Any, shape: Any) -> bytes:
    build = ec2_answer if service.ctx.protocol == "ec2Query" else query_answer
    return build(service.ctx, op_name, output, shape)


# --- requests ---------------------------------------------------------------------------


@pytest.mark.parametrize(("name", "op_name"), operation_cases(OPERATIONS))
def test_same_form_request_as_botocore(
    name: str, op_name: str, unseen_services: UnseenServices
) -> None:
    service = unseen_services[name]
    op = service.operation(op_name)
    reply = Reply(200, _answer(service, op_name, {}, None), XML)
    ours, result, _ = call_both(service, op, service.input(op), reply, freeze=True)
    assert not isinstance(result, Exception), result
    (theirs,) = service.boto.requests
    assert_same_form_request(
        ours,
        theirs,
        service.ctx.signing_name,
        BOTOCORE_CUSTOMIZATIONS.get((name, op_name)),
    )


# --- outputs ----------------------------------------------------------------------------


@pytest.mark.parametrize(("name", "op_name"), operation_cases(OPERATIONS))
def test_same_parsed_output_as_botocore(
    name: str, op_name: str, unseen_services: UnseenServices
) -> None:
    service = unseen_services[name]
    ctx = service.ctx
    op = service.operation(op_name)
    shape, output = service.output_sample(op)
    reply = Reply(200, _answer(service, op_name, output, shape), XML)
    _, ours, theirs = call_both(service, op, service.input(op), reply)
    assert not isinstance(ours, Exception), ours
    assert theirs.pop("ResponseMetadata")["RequestId"] == "req-1"
    if shape is None:
        assert theirs == {}
        return
    assert_same_parsed(ours, theirs, shape, "output", ctx)
    if output:
        assert theirs, "the sampled output sets members"


# --- errors -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "op_name", "error_name"), modeled_error_cases(QUERY_SERVICES, OPERATIONS)
)
def test_same_modeled_error_as_botocore(
    name: str, op_name: str, error_name: str, unseen_services: UnseenServices
) -> None:
    service = unseen_services[name]
    ctx = service.ctx
    op = service.operation(op_name)
    error_id, shape = service.error_shape(op, error_name)
    code = ctx.error_code(error_id)
    fault = ctx.model.get_shape(error_id).get_trait("smithy.api#error")
    trait = shape.get_trait("aws.protocols#awsQueryError")
    status = (
        int(trait["httpResponseCode"]) if trait else (500 if fault == "server" else 400)
    )
    values = without_message(sample(ctx, shape, "Error", 0, output=True))
    members = member_elements(ctx, values, shape)
    body = query_error(ctx, code, FAULT_TYPES[str(fault)], members)
    reply = Reply(status, body, XML)
    _, ours, theirs = call_both(service, op, service.input(op), reply)
    parsed = botocore_error_of(ours, theirs)
    assert type(ours) is getattr(service.errors, ctx.class_of(error_id))
    classes = botocore_error_classes(name, code)
    assert type(theirs).__name__ in classes
    if len(classes) == 1:
        assert type(theirs).__name__ == error_name
    assert (
        (ours.code, ours.message)
        == (parsed["Code"], parsed["Message"])
        == (
            code,
            "it failed",
        )
    )
    assert (ours.status_code, ours.request_id) == (status, "r-2")
    assert FAULT_TYPES[ours.fault] == parsed["Type"]
    assert_same_error_members(ctx, ours, theirs, shape)


@pytest.mark.parametrize("op_name", OPERATIONS["ec2"][:3])
def test_an_ec2_error_matches_botocore(
    op_name: str, unseen_services: UnseenServices
) -> None:
    """EC2 models no errors: ``<Response><Errors><Error>`` with an unmodeled code."""
    service = unseen_services["ec2"]
    op = service.operation(op_name)
    # A code of EC2's own (InvalidParameterValue, say, is one every service
    # may send, and has a class in common_errors).
    reply = Reply(400, ec2_error("InvalidVpcID.NotFound"), XML)
    _, ours, theirs = call_both(service, op, service.input(op), reply)
    parsed = botocore_error_of(ours, theirs)
    assert type(ours).__name__ == "UnknownEC2Error"
    assert (ours.code, ours.message) == (parsed["Code"], parsed["Message"])
    assert ours.request_id == theirs.response["ResponseMetadata"]["RequestId"] == "r-2"  # type: ignore[attr-defined]
    assert (ours.status_code, ours.fault) == (400, "client")


def test_every_operation_is_generated(unseen_services: UnseenServices) -> None:
    """No operation of these services is skipped by the generator."""
    for name, operations in OPERATIONS.items():
        service = unseen_services[name]
        assert not service.selection.skipped, (name, service.selection.skipped)
        generated = {o.id.name for o in service.ctx.operations}
        assert generated == set(operations) | (
            set(EC2_EXTRA) if name == "ec2" else set()
        )


def test_the_two_undone_form_differences_are_real(
    unseen_services: UnseenServices,
) -> None:
    """The samples hold no space; a message does: ``%20`` from us (RFC 3986, as
    aws-query-serialization.rst.template requires), ``+`` from botocore. A
    date-time with milliseconds: ``.125Z`` from us, ``.125000Z`` from botocore
    (EC2's ValidUntil). Undone, the bytes are the same."""
    sns = unseen_services["sns"]
    op = sns.operation("Publish")
    params = {"TopicArn": "arn:aws:sns:us-east-1:123456789012:t", "Message": "a b"}
    kwargs = {"topic_arn": params["TopicArn"], "message": "a b"}
    reply = Reply(200, query_answer(sns.ctx, "Publish", {}, None), XML)
    ours, _, _ = call_both(sns, op, (kwargs, params), reply, freeze=True, validate=True)
    (theirs,) = sns.boto.requests
    assert b"&Message=a%20b" in ours.content
    assert "&Message=a+b" in str(theirs.body)
    assert ours.content == botocore_form_as_ours(theirs.body)
    spot = "InstanceMarketOptions.SpotOptions.ValidUntil="
    ec2 = unseen_services["ec2"]
    run = ec2.operation("RunInstances")
    reply = Reply(200, ec2_answer(ec2.ctx, "RunInstances", {}, None), XML)
    ours, _, _ = call_both(ec2, run, ec2.input(run), reply, freeze=True)
    (theirs,) = ec2.boto.requests
    assert f"{spot}2023-11-14T22%3A13%3A20.125Z".encode() in ours.content
    assert f"{spot}2023-11-14T22%3A13%3A20.125000Z" in str(theirs.body)
    assert f"{spot}2023-11-14T22%3A13%3A20.125Z".encode() in botocore_form_as_ours(
        theirs.body
    )
