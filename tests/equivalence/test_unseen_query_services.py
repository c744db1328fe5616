"""awsQuery and ec2Query services the project has never seen, against botocore.

SNS, IAM, CloudFormation and RDS (awsQuery) and EC2 (ec2Query) have no
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
  defaults;
- outputs: XML written from the model with every output member set
  (``<OpResponse><OpResult>`` for awsQuery, ``<OpResponse>`` for ec2Query)
  parses to the same values;
- modeled errors (each once, with the first operation declaring it): the
  same class, code (the ``awsQueryError`` code), message, status, request
  id, fault and members. EC2 models no errors: an unmodeled one is
  compared instead.

Every operation of the four awsQuery services is compared; EC2's 830 are
sampled deterministically (every ``EC2_EVERY``-th by name, and only those
are generated) to keep the module within its time budget.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from smithygen_runtime import ServiceError

from tests.conftest import isolate_aws_environment
from tests.equivalence.smithy_from_botocore import botocore_data
from tests.equivalence.test_all_operations import sample
from tests.equivalence.test_botocore_equivalence import assert_same_parsed
from tests.equivalence.unseen import (
    FAULT_TYPES,
    Converted,
    assert_same_form_request,
    ec2_answer,
    ec2_error,
    error_cases,
    generated_package_path,
    operation_names,
    query_answer,
    query_error,
    without_message,
    xml_element,
)
from tests.equivalence.wire import Reply, call_ours, frozen

pytestmark = pytest.mark.slow

QUERY_SERVICES = ("sns", "iam", "cloudformation", "rds")
EC2_EVERY = 5
OPERATIONS = {
    **{name: operation_names(name) for name in QUERY_SERVICES},
    "ec2": operation_names("ec2", EC2_EVERY),
}
XML = {"Content-Type": "text/xml"}
# A member botocore's client takes out of the body itself: RDS's SourceRegion
# (handlers.inject_presigned_url_rds: botocore presigns a PreSignedUrl for
# that region when none is given, then drops the member, "not actually
# modeled for RDS"). The generated client has no such customization and
# sends it as the model says; everything else is the same.
BOTOCORE_DROPS = {
    ("rds", op): "SourceRegion"
    for op in (
        "CopyDBClusterSnapshot",
        "CopyDBSnapshot",
        "CreateDBCluster",
        "CreateDBInstanceReadReplica",
        "StartDBInstanceAutomatedBackupsReplication",
    )
}


@pytest.fixture(scope="module")
def services(
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[dict[str, Converted]]:
    out = tmp_path_factory.mktemp("unseen-query")
    with generated_package_path(out):
        yield {
            name: Converted(name, out, None if name != "ec2" else OPERATIONS["ec2"])
            for name in OPERATIONS
        }


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
    name: str, op_name: str, services: dict[str, Converted]
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
        ours, theirs, service.ctx.signing_name, BOTOCORE_DROPS.get((name, op_name))
    )


# --- outputs ----------------------------------------------------------------------------


@pytest.mark.parametrize(("name", "op_name"), _cases())
def test_same_parsed_output_as_botocore(
    name: str, op_name: str, services: dict[str, Converted]
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
    shapes = botocore_data(name)["shapes"]
    return {
        shape_name
        for shape_name, shape in shapes.items()
        if shape.get("exception")
        and shape.get("error", {}).get("code", shape_name) == code
    }


@pytest.mark.parametrize(("name", "op_name", "error_name"), _error_cases())
def test_same_modeled_error_as_botocore(
    name: str, op_name: str, error_name: str, services: dict[str, Converted]
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
    members = xml_element(ctx, "Error", values, shape)[
        len("<Error>") : -len("</Error>")
    ]
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
def test_an_ec2_error_matches_botocore(
    op_name: str, services: dict[str, Converted]
) -> None:
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


def test_every_operation_is_generated(services: dict[str, Converted]) -> None:
    """No operation of these services is skipped by the generator."""
    for name, service in services.items():
        assert not service.selection.skipped, (name, service.selection.skipped)
        assert {o.id.name for o in service.ctx.operations} == set(OPERATIONS[name])
