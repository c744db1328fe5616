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
from smithygen_runtime import ServiceError

from tests.conftest import isolate_aws_environment
from tests.equivalence.test_all_operations import sample
from tests.equivalence.test_botocore_equivalence import assert_same_parsed
from tests.equivalence.unseen import (
    EC2_EXTRA,
    FAULT_TYPES,
    QUERY_SERVICES,
    Converted,
    Pairs,
    UnseenServices,
    assert_same_form_request,
    botocore_form_as_ours,
    botocore_model,
    compared_operations,
    ec2_answer,
    ec2_error,
    error_cases,
    member_elements,
    query_answer,
    query_error,
    without_message,
)
from tests.equivalence.wire import Reply, call_ours, frozen

pytestmark = pytest.mark.slow

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


@pytest.fixture
def services(unseen_services: UnseenServices) -> UnseenServices:
    return unseen_services


@pytest.fixture(autouse=True)
def _isolated(monkeypatch: pytest.MonkeyPatch, tmp_path: Any) -> None:
    isolate_aws_environment(monkeypatch, tmp_path)


def _cases() -> list[Any]:
    return [
        pytest.param(name, op, id=f"{name}-{op}")
        for name, ops in OPERATIONS.items()
        for op in ops
    ]


def _answer(service: Converted, op_name: str, output: Any, shape: Any) -> bytes:
    build = ec2_answer if service.ctx.protocol == "ec2Query" else query_answer
    return build(service.ctx, op_name, output, shape)


# --- requests ---------------------------------------------------------------------------


@pytest.mark.parametrize(("name", "op_name"), _cases())
def test_same_form_request_as_botocore(
    name: str, op_name: str, services: UnseenServices
) -> None:
    service = services[name]
    op = service.operation(op_name)
    kwargs, params = service.input(op)
    reply = Reply(200, _answer(service, op_name, {}, None), XML)
    with frozen():
        ours, result = call_ours(
            service.method(op),
            kwargs,
            reply,
            client_class=service.client_class,
            validate=False,
        )
        service.boto.call(service.method(op), params, reply)
    assert not isinstance(result, Exception), result
    (theirs,) = service.boto.requests
    assert_same_form_request(
        ours,
        theirs,
        service.ctx.signing_name,
        BOTOCORE_CUSTOMIZATIONS.get((name, op_name)),
    )


# --- outputs ----------------------------------------------------------------------------


@pytest.mark.parametrize(("name", "op_name"), _cases())
def test_same_parsed_output_as_botocore(
    name: str, op_name: str, services: UnseenServices
) -> None:
    service = services[name]
    ctx = service.ctx
    op = service.operation(op_name)
    kwargs, params = service.input(op)
    shape, output = service.output_sample(op)
    reply = Reply(200, _answer(service, op_name, output, shape), XML)
    _, ours = call_ours(
        service.method(op),
        kwargs,
        reply,
        client_class=service.client_class,
        validate=False,
    )
    theirs = service.boto.call(service.method(op), params, reply)
    assert not isinstance(ours, Exception), ours
    assert theirs.pop("ResponseMetadata")["RequestId"] == "req-1"
    if shape is None:
        assert theirs == {}
        return
    assert_same_parsed(ours, theirs, shape, "output", ctx)
    if output:
        assert theirs, "the sampled output sets members"


# --- errors -----------------------------------------------------------------------------


def _error_cases() -> list[Any]:
    return [
        pytest.param(name, op, error, id=f"{name}-{op}-{error}")
        for name in QUERY_SERVICES
        for op, error in error_cases(name, OPERATIONS[name])
    ]


def _botocore_classes(name: str, code: str) -> set[str]:
    """The error classes botocore may raise for a code: those that answer it
    (several shapes may share one code; botocore keeps the last)."""
    shapes = botocore_model(name)["shapes"]
    return {
        shape_name
        for shape_name, shape in shapes.items()
        if shape.get("exception")
        and shape.get("error", {}).get("code", shape_name) == code
    }


@pytest.mark.parametrize(("name", "op_name", "error_name"), _error_cases())
def test_same_modeled_error_as_botocore(
    name: str, op_name: str, error_name: str, services: UnseenServices
) -> None:
    service = services[name]
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
    kwargs, params = service.input(op)
    _, ours = call_ours(
        service.method(op),
        kwargs,
        reply,
        client_class=service.client_class,
        validate=False,
    )
    theirs = service.boto.call(service.method(op), params, reply)
    assert isinstance(ours, ServiceError), ours
    assert isinstance(theirs, Exception), theirs
    parsed = theirs.response["Error"]  # type: ignore[attr-defined]
    assert type(ours) is getattr(service.errors, ctx.class_of(error_id))
    classes = _botocore_classes(name, code)
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
    response = theirs.response  # type: ignore[attr-defined]
    for m in ctx.members(shape):
        if m.wire in response and m.wire.lower() != "message":
            assert_same_parsed(
                getattr(ours, m.attr), response[m.wire], m.target, m.wire, ctx
            )


@pytest.mark.parametrize("op_name", OPERATIONS["ec2"][:3])
def test_an_ec2_error_matches_botocore(op_name: str, services: UnseenServices) -> None:
    """EC2 models no errors: ``<Response><Errors><Error>`` with an unmodeled code."""
    service = services["ec2"]
    op = service.operation(op_name)
    kwargs, params = service.input(op)
    # A code of EC2's own (InvalidParameterValue, say, is one every service
    # may send, and has a class in common_errors).
    reply = Reply(400, ec2_error("InvalidVpcID.NotFound"), XML)
    _, ours = call_ours(
        service.method(op),
        kwargs,
        reply,
        client_class=service.client_class,
        validate=False,
    )
    theirs = service.boto.call(service.method(op), params, reply)
    assert isinstance(ours, ServiceError) and isinstance(theirs, Exception)
    parsed = theirs.response["Error"]  # type: ignore[attr-defined]
    assert type(ours).__name__ == "UnknownEC2Error"
    assert (ours.code, ours.message) == (parsed["Code"], parsed["Message"])
    assert ours.request_id == theirs.response["ResponseMetadata"]["RequestId"] == "r-2"  # type: ignore[attr-defined]
    assert (ours.status_code, ours.fault) == (400, "client")


def test_every_operation_is_generated(services: UnseenServices) -> None:
    """No operation of these services is skipped by the generator."""
    for name, operations in OPERATIONS.items():
        service = services[name]
        assert not service.selection.skipped, (name, service.selection.skipped)
        generated = {o.id.name for o in service.ctx.operations}
        assert generated == set(operations) | (
            set(EC2_EXTRA) if name == "ec2" else set()
        )


def test_the_two_undone_form_differences_are_real(services: UnseenServices) -> None:
    """The samples hold no space; a message does: ``%20`` from us (RFC 3986, as
    aws-query-serialization.rst.template requires), ``+`` from botocore. A
    date-time with milliseconds: ``.125Z`` from us, ``.125000Z`` from botocore
    (EC2's ValidUntil). Undone, the bytes are the same."""
    sns = services["sns"]
    op = sns.operation("Publish")
    params = {"TopicArn": "arn:aws:sns:us-east-1:123456789012:t", "Message": "a b"}
    kwargs = {"topic_arn": params["TopicArn"], "message": "a b"}
    reply = Reply(200, query_answer(sns.ctx, "Publish", {}, None), XML)
    with frozen():
        ours, _ = call_ours(
            sns.method(op), kwargs, reply, client_class=sns.client_class
        )
        sns.boto.call(sns.method(op), params, reply)
    (theirs,) = sns.boto.requests
    assert b"&Message=a%20b" in ours.content
    assert "&Message=a+b" in str(theirs.body)
    assert ours.content == botocore_form_as_ours(theirs.body)
    spot = "InstanceMarketOptions.SpotOptions.ValidUntil="
    ec2 = services["ec2"]
    run = ec2.operation("RunInstances")
    kwargs, params = ec2.input(run)
    reply = Reply(200, ec2_answer(ec2.ctx, "RunInstances", {}, None), XML)
    with frozen():
        ours, _ = call_ours(
            ec2.method(run),
            kwargs,
            reply,
            client_class=ec2.client_class,
            validate=False,
        )
        ec2.boto.call(ec2.method(run), params, reply)
    (theirs,) = ec2.boto.requests
    assert f"{spot}2023-11-14T22%3A13%3A20.125Z".encode() in ours.content
    assert f"{spot}2023-11-14T22%3A13%3A20.125000Z" in str(theirs.body)
    assert f"{spot}2023-11-14T22%3A13%3A20.125Z".encode() in botocore_form_as_ours(
        theirs.body
    )
