"""Requests the emulator must refuse before running any operation: the SigV4
checks, with the codes, statuses and messages SSM answers with."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import boto3
import httpx
import pytest
from ssm_emulator import (
    DEFAULT_CREDENTIALS,
    RunningEmulator,
    Settings,
    emulator_in_thread,
)
from ssm_emulator.settings import EmulatorCredentials

from tests.emulator.conftest import (
    FakeClock,
    boto_error,
    error_of,
    make_client,
    send,
    signed_request,
)


@pytest.fixture(scope="module")
def emulator() -> Iterator[RunningEmulator]:
    """One emulator for the whole module: these tests do not depend on what
    earlier ones recorded, and starting one per test costs ~0.1 s each."""
    with emulator_in_thread(Settings()) as running:
        yield running


def test_boto3_with_the_configured_credentials_is_accepted(ssm: Any) -> None:
    assert isinstance(ssm.describe_inventory_deletions()["InventoryDeletions"], list)


def test_wrong_secret_is_an_invalid_signature(
    boto_session: boto3.Session, emulator: RunningEmulator
) -> None:
    client = make_client(boto_session, emulator, aws_secret_access_key="not-the-secret")
    status, code, message = boto_error(client.describe_inventory_deletions)
    assert (status, code) == (400, "InvalidSignatureException")
    assert message.startswith(
        "The request signature we calculated does not match the signature you provided."
    )
    # The canonical request is shown so the client can see what differed.
    assert "should have been\n'POST\n/\n\n" in message


def test_unknown_access_key_is_an_unrecognized_client(
    boto_session: boto3.Session, emulator: RunningEmulator
) -> None:
    client = make_client(
        boto_session, emulator, aws_access_key_id="AKIAUNKNOWNKEY000000"
    )
    assert boto_error(client.delete_inventory, TypeName="Custom:A") == (
        400,
        "UnrecognizedClientException",
        "The security token included in the request is invalid.",
    )


@pytest.mark.parametrize(
    ("offset", "words"), [(-16 * 60, "expired"), (16 * 60, "not yet current")]
)
def test_clock_skew_beyond_fifteen_minutes_is_rejected(
    boto_session: boto3.Session, offset: float, words: str
) -> None:
    # The emulator's clock is moved instead of the client's: botocore signs
    # with the real time, which is then `offset` away from the server's.
    with emulator_in_thread(Settings(clock=FakeClock(-offset))) as emu:
        status, code, message = boto_error(
            make_client(boto_session, emu).describe_inventory_deletions
        )
    assert (status, code) == (400, "InvalidSignatureException")
    if offset < 0:
        pattern = r"Signature expired: \d{8}T\d{6}Z is now earlier than \d{8}T\d{6}Z \(\d{8}T\d{6}Z - 15 min\.\)"
    else:
        pattern = r"Signature not yet current: \d{8}T\d{6}Z is still later than \d{8}T\d{6}Z \(\d{8}T\d{6}Z \+ 15 min\.\)"
    assert re.fullmatch(pattern, message), message
    assert words in message


def test_skew_within_fifteen_minutes_is_accepted(boto_session: boto3.Session) -> None:
    with emulator_in_thread(Settings(clock=FakeClock(14 * 60))) as emu:
        result = make_client(boto_session, emu).describe_inventory_deletions()
    assert result["InventoryDeletions"] == []


def test_session_token_is_required_when_configured(boto_session: boto3.Session) -> None:
    temporary = EmulatorCredentials(
        access_key_id="ASIAEXAMPLETEMPORARY",
        secret_access_key="temporary-secret",
        session_token="session-token-value",
    )
    with emulator_in_thread(Settings(credentials=(temporary,))) as emu:
        good = make_client(boto_session, emu)
        assert good.describe_inventory_deletions()["InventoryDeletions"] == []
        without = make_client(boto_session, emu, aws_session_token=None)
        assert (
            boto_error(without.describe_inventory_deletions)[1]
            == "UnrecognizedClientException"
        )
        wrong = make_client(boto_session, emu, aws_session_token="other")
        assert (
            boto_error(wrong.describe_inventory_deletions)[1]
            == "UnrecognizedClientException"
        )


@pytest.fixture
def pinned() -> Iterator[RunningEmulator]:
    with emulator_in_thread(Settings(region="eu-west-1")) as running:
        yield running


def test_a_pinned_region_rejects_other_scopes(
    boto_session: boto3.Session, pinned: RunningEmulator
) -> None:
    assert (
        make_client(boto_session, pinned).describe_inventory_deletions()[
            "InventoryDeletions"
        ]
        == []
    )
    other = make_client(boto_session, pinned, region_name="us-west-2")
    assert boto_error(other.describe_inventory_deletions) == (
        400,
        "InvalidSignatureException",
        "Credential should be scoped to a valid region, not 'us-west-2'. ",
    )


def test_any_region_is_accepted_when_none_is_pinned(
    boto_session: boto3.Session, emulator: RunningEmulator
) -> None:
    client = make_client(boto_session, emulator, region_name="ap-southeast-2")
    assert isinstance(client.describe_inventory_deletions()["InventoryDeletions"], list)


def _raw(emu: RunningEmulator, **kwargs: Any) -> httpx.Request:
    return signed_request(
        emu.url,
        "DescribeInventoryDeletions",
        {},
        credentials=DEFAULT_CREDENTIALS,
        **kwargs,
    )


def test_wrong_service_in_the_scope_is_rejected(emulator: RunningEmulator) -> None:
    response = send(_raw(emulator, service="ec2"))
    assert error_of(response) == (
        400,
        "InvalidSignatureException",
        "Credential should be scoped to correct service: 'ssm'. ",
    )


def test_missing_authorization_is_a_missing_token(emulator: RunningEmulator) -> None:
    request = _raw(emulator)
    del request.headers["Authorization"]
    assert error_of(send(request)) == (
        400,
        "MissingAuthenticationTokenException",
        "Missing Authentication Token",
    )


@pytest.mark.parametrize(
    ("authorization", "expected"),
    [
        (
            "AWS4-HMAC-SHA256 Signature=abc",
            "Authorization header requires 'Credential' parameter. "
            "Authorization header requires 'SignedHeaders' parameter. "
            "Authorization=AWS4-HMAC-SHA256 Signature=abc",
        ),
        (
            # A SigV2-style header, as in the aws-sdk-js SSM report.
            "AWS AKIAIOSFODNN7EXAMPLE:c2lnbmF0dXJl",
            "Authorization header requires 'Credential' parameter. "
            "Authorization header requires 'Signature' parameter. "
            "Authorization header requires 'SignedHeaders' parameter. "
            "Authorization=AWS AKIAIOSFODNN7EXAMPLE:c2lnbmF0dXJl",
        ),
        (
            "AWS4-HMAC-SHA256 Credential AKIAIOSFODNN7EXAMPLE/20240101/us-east-1/ssm/aws4_request",
            "'Credential AKIAIOSFODNN7EXAMPLE/20240101/us-east-1/ssm/aws4_request' not a "
            "valid key=value pair (missing equal-sign) in Authorization header: "
            "'AWS4-HMAC-SHA256 Credential AKIAIOSFODNN7EXAMPLE/20240101/us-east-1/ssm/aws4_request'.",
        ),
        (
            "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20240101/ssm, "
            "SignedHeaders=host;x-amz-date, Signature=abc",
            "Credential must have exactly 5 slash-delimited elements, e.g. "
            "keyid/date/region/service/term, got 'AKIAIOSFODNN7EXAMPLE/20240101/ssm'",
        ),
    ],
)
def test_malformed_authorization_is_an_incomplete_signature(
    emulator: RunningEmulator, authorization: str, expected: str
) -> None:
    request = _raw(emulator)
    request.headers["Authorization"] = authorization
    assert error_of(send(request)) == (400, "IncompleteSignatureException", expected)


def test_missing_date_is_an_incomplete_signature(emulator: RunningEmulator) -> None:
    request = _raw(emulator)
    del request.headers["X-Amz-Date"]
    status, code, message = error_of(send(request))
    assert (status, code) == (400, "IncompleteSignatureException")
    assert "requires existence of either a 'X-Amz-Date' or a 'Date' header" in message


def test_scope_date_must_match_the_request_date(emulator: RunningEmulator) -> None:
    request = _raw(emulator)
    amz_date = request.headers["X-Amz-Date"]
    request.headers["Authorization"] = re.sub(
        r"/\d{8}/", "/19991231/", request.headers["Authorization"]
    )
    assert error_of(send(request)) == (
        400,
        "InvalidSignatureException",
        "Date in Credential scope does not match YYYYMMDD from ISO-8601 version of "
        f"date from HTTP: '19991231' != '{amz_date[:8]}', from '{amz_date}'.",
    )


def test_host_must_be_signed(emulator: RunningEmulator) -> None:
    request = _raw(emulator)
    request.headers["Authorization"] = request.headers["Authorization"].replace(
        "SignedHeaders=content-type;host;", "SignedHeaders=content-type;"
    )
    status, code, message = error_of(send(request))
    assert (status, code) == (400, "InvalidSignatureException")
    assert "'Host' or ':authority' must be a 'SignedHeader'" in message


def test_a_body_changed_after_signing_is_rejected(emulator: RunningEmulator) -> None:
    signed = _raw(emulator)
    headers = {k: v for k, v in signed.headers.items() if k.lower() != "content-length"}
    tampered = httpx.Request(
        "POST", signed.url, headers=headers, content=b'{"MaxResults": 5}'
    )
    status, code, _ = error_of(send(tampered))
    assert (status, code) == (400, "InvalidSignatureException")


def test_declared_payload_hash_must_match_the_body(emulator: RunningEmulator) -> None:
    request = _raw(emulator, extra_headers={"X-Amz-Content-SHA256": "0" * 64})
    status, code, message = error_of(send(request))
    assert (status, code) == (400, "InvalidSignatureException")
    assert "x-amz-content-sha256" in message


def test_correct_declared_payload_hash_is_accepted(emulator: RunningEmulator) -> None:
    import hashlib

    request = _raw(
        emulator,
        extra_headers={"X-Amz-Content-SHA256": hashlib.sha256(b"{}").hexdigest()},
    )
    assert send(request).status_code == 200
