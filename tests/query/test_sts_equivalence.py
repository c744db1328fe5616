"""STS through the generated client and through botocore, on one loopback STS.

``GetCallerIdentity`` and ``AssumeRole`` (with every kind of member: strings,
an integer, lists of structures and of strings) and four error responses:
the requests carry the same form pairs in the same order, the same date and
credential scope, each a signature botocore verifies; the same response
bytes parse to the same values; the same error response gives the same
code, message, status and request id (and our typed class).

Two deliberate differences from botocore, both following the Smithy spec:
the Content-Type is ``application/x-www-form-urlencoded`` without
botocore's ``; charset=utf-8`` (the awsQuery protocol tests require exactly
that value), and a space is encoded ``%20`` as RFC 3986 says
(aws-query-serialization.rst.template), where botocore's ``urlencode`` sends
``+``. Services read both alike; the decoded pairs are equal.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from types import ModuleType
from typing import Any

import pytest
from smithygen_runtime import Credentials, ServiceError

from tests.equivalence.wire import frozen
from tests.query.equivalence import (
    ACCESS_KEY,
    SECRET_KEY,
    as_wire,
    botocore_sts,
    call_ours,
    input_shape,
    output_shape,
    same_values,
)
from tests.query.sts_server import REQUEST_ID, form, sts_handler
from tests.reliability.sigv4 import expected_signature, signature_of
from tests.support.loopback_server import LoopbackServer, Request, running_server

FORM = "application/x-www-form-urlencoded"


@pytest.fixture(scope="module")
def server() -> Iterator[LoopbackServer]:
    with running_server() as started:
        started.handler = sts_handler
        yield started


def _both(
    sts: ModuleType,
    server: LoopbackServer,
    ours: tuple[str, dict[str, Any]],
    theirs: tuple[str, dict[str, Any]],
) -> tuple[Any, Any, Request, Request]:
    """Call both clients; (our result, botocore's, our request, botocore's)."""
    server.reset()
    boto = botocore_sts(server.url)
    with frozen():
        mine = call_ours(sts, ours[0], ours[1], endpoint_url=server.url)
        try:
            other = getattr(boto, theirs[0])(**theirs[1])
        except boto.exceptions.ClientError as exc:
            other = exc
    assert len(server.requests) == 2, server.requests
    return mine, other, server.requests[0], server.requests[1]


def _same_request(mine: Request, other: Request) -> None:
    assert (mine.method, mine.target) == (other.method, other.target) == ("POST", "/")
    assert mine.headers["content-type"] == FORM
    assert other.headers["content-type"] == f"{FORM}; charset=utf-8"
    assert form(mine) == form(other)
    assert mine.headers["x-amz-date"] == other.headers["x-amz-date"]
    assert int(mine.headers["content-length"]) == len(mine.body)
    scope = [r.headers["authorization"].split(",")[0] for r in (mine, other)]
    assert scope[0] == scope[1]  # same key, date, region and service "sts"
    assert "/us-east-1/sts/aws4_request" in scope[0]
    credentials = Credentials(ACCESS_KEY, SECRET_KEY)
    for request in (mine, other):
        assert signature_of(request) == expected_signature(request, credentials)


def test_get_caller_identity_matches_botocore(sts: ModuleType, server: Any) -> None:
    mine, other, ours, theirs = _both(
        sts, server, ("get_caller_identity", {}), ("get_caller_identity", {})
    )
    _same_request(ours, theirs)
    assert ours.body == theirs.body == b"Action=GetCallerIdentity&Version=2011-06-15"
    assert isinstance(mine, sts.GetCallerIdentityResponse)
    assert mine.account == "123456789012"
    del other["ResponseMetadata"]
    same_values(as_wire(mine, output_shape("GetCallerIdentity")), other)


ASSUME_ROLE = {
    "RoleArn": "arn:aws:iam::123456789012:role/demo",
    "RoleSessionName": "session-1",
    "PolicyArns": [
        {"arn": "arn:aws:iam::aws:policy/ReadOnlyAccess"},
        {"arn": "arn:aws:iam::123456789012:policy/extra"},
    ],
    "DurationSeconds": 900,
    "Tags": [{"Key": "team", "Value": "blue"}, {"Key": "cost", "Value": "42"}],
    "TransitiveTagKeys": ["team"],
    "ExternalId": "ext-1",
    "SourceIdentity": "alice",
}


def _in_model_order(params: dict[str, Any]) -> dict[str, Any]:
    """botocore writes members in the caller's order, ours in the model's:
    the same order for both, so the pairs compare in order too."""
    shape = input_shape("AssumeRole")
    return {name: params[name] for name in shape.members if name in params}


def _ours(sts: ModuleType, params: dict[str, Any]) -> dict[str, Any]:
    """botocore's AssumeRole parameters as the generated method's arguments."""
    kwargs = {
        "role_arn": params["RoleArn"],
        "role_session_name": params["RoleSessionName"],
    }
    if "PolicyArns" in params:
        kwargs["policy_arns"] = [
            sts.PolicyDescriptorType(arn=p["arn"]) for p in params["PolicyArns"]
        ]
    if "Tags" in params:
        kwargs["tags"] = [
            sts.Tag(key=t["Key"], value=t["Value"]) for t in params["Tags"]
        ]
    simple = {
        "Policy": "policy",
        "DurationSeconds": "duration_seconds",
        "TransitiveTagKeys": "transitive_tag_keys",
        "ExternalId": "external_id",
        "SourceIdentity": "source_identity",
    }
    kwargs.update(
        {attr: params[wire] for wire, attr in simple.items() if wire in params}
    )
    return kwargs


def test_assume_role_matches_botocore(sts: ModuleType, server: Any) -> None:
    mine, other, ours, theirs = _both(
        sts,
        server,
        ("assume_role", _ours(sts, ASSUME_ROLE)),
        ("assume_role", ASSUME_ROLE),
    )
    _same_request(ours, theirs)
    assert ours.body == theirs.body  # no space in any value: the same bytes
    assert ("PolicyArns.member.2.arn", "arn:aws:iam::123456789012:policy/extra") in (
        form(ours)
    )
    assert ("Tags.member.1.Key", "team") in form(ours)
    assert isinstance(mine, sts.AssumeRoleResponse)
    assert mine.credentials.expiration.microsecond == 123000
    del other["ResponseMetadata"]
    same_values(as_wire(mine, output_shape("AssumeRole")), other)


def test_a_policy_with_spaces_decodes_to_the_same_pairs(
    sts: ModuleType, server: Any
) -> None:
    """A JSON policy (spaces, quotes, braces): ``%20`` from us, ``+`` from botocore."""
    policy = json.dumps({"Version": "2012-10-17", "Statement": []})
    params = _in_model_order({**ASSUME_ROLE, "Policy": policy})
    _, _, ours, theirs = _both(
        sts, server, ("assume_role", _ours(sts, params)), ("assume_role", params)
    )
    _same_request(ours, theirs)
    assert b"Policy=%7B%22Version%22%3A%20%222012-10-17%22" in ours.body
    assert b"Policy=%7B%22Version%22%3A+%222012-10-17%22" in theirs.body
    assert dict(form(ours))["Policy"] == policy


@pytest.mark.parametrize(
    ("params", "code", "status", "our_class"),
    [
        (
            {"RoleArn": "arn:aws:iam::123456789012:role/missing"},
            "AccessDenied",
            403,
            "UnknownSTSError",  # STS does not model AccessDenied
        ),
        (
            {"Policy": "not-json"},
            "MalformedPolicyDocument",  # awsQueryError code of ...Exception
            400,
            "MalformedPolicyDocumentException",
        ),
        ({"RoleSessionName": "expired"}, "ExpiredTokenException", 400, None),
        ({"RoleSessionName": "disabled"}, "RegionDisabledException", 403, None),
    ],
)
def test_assume_role_errors_match_botocore(
    sts: ModuleType,
    server: Any,
    params: dict[str, Any],
    code: str,
    status: int,
    our_class: str | None,
) -> None:
    given = _in_model_order(
        {"RoleArn": ASSUME_ROLE["RoleArn"], "RoleSessionName": "s1", **params}
    )
    mine, other, ours, theirs = _both(
        sts, server, ("assume_role", _ours(sts, given)), ("assume_role", given)
    )
    _same_request(ours, theirs)
    assert isinstance(mine, ServiceError), mine
    assert type(mine).__name__ == (our_class or code)
    assert isinstance(mine, sts.STSError)
    error = other.response["Error"]
    assert (
        (mine.code, mine.message)
        == (error["Code"], error["Message"])
        == (
            code,
            error["Message"],
        )
    )
    assert mine.status_code == other.response["ResponseMetadata"]["HTTPStatusCode"]
    assert mine.status_code == status
    assert mine.request_id == other.response["ResponseMetadata"]["RequestId"]
    # The body's id, not the loopback server's x-amzn-RequestId, in both.
    assert mine.request_id == REQUEST_ID
