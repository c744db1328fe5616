"""Requests the emulator must refuse before running any operation: the SigV4
checks, with the codes, statuses and messages SSM answers with."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import attrs
import boto3
import httpx
import pytest
from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials
from ssm_emulator import (
    DEFAULT_CREDENTIALS,
    RunningEmulator,
    Settings,
    emulator_in_thread,
)
from ssm_emulator.settings import EmulatorCredentials

from tests.emulator.conftest import (
    CONTENT_TYPE,
    FakeClock,
    as_raw,
    boto_error,
    error_of,
    make_client,
    raw_exchange,
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


def _flip(digit: str) -> str:
    return "0123456789abcdef"[(int(digit, 16) + 1) % 16]


def test_a_signature_one_hex_digit_off_anywhere_is_rejected(
    emulator: RunningEmulator,
) -> None:
    # A mutation probe found that nothing pinned the comparison to the whole
    # signature: every position of the 64 must count.
    request = _raw(emulator)
    assert send(request).status_code == 200  # the untouched request is valid
    authorization = request.headers["Authorization"]
    prefix, signature = authorization.rsplit("Signature=", 1)
    assert re.fullmatch(r"[0-9a-f]{64}", signature)
    answers = set()
    for position in range(64):
        near = (
            signature[:position]
            + _flip(signature[position])
            + signature[position + 1 :]
        )
        request.headers["Authorization"] = f"{prefix}Signature={near}"
        status, code, _ = error_of(send(request))
        answers.add((position, status, code))
    assert answers == {(p, 400, "InvalidSignatureException") for p in range(64)}


def test_a_truncated_or_extended_signature_is_rejected(
    emulator: RunningEmulator,
) -> None:
    request = _raw(emulator)
    prefix, signature = request.headers["Authorization"].rsplit("Signature=", 1)
    for changed in (signature[:-1], signature + "0", signature.upper()):
        request.headers["Authorization"] = f"{prefix}Signature={changed}"
        assert error_of(send(request))[:2] == (400, "InvalidSignatureException")


def _signed_without(emu: RunningEmulator, body: bytes = b"{}") -> httpx.Request:
    """A request signed over host and x-amz-date only (nothing else present)."""
    aws_request = AWSRequest(method="POST", url=emu.url + "/", data=body, headers={})
    SigV4Auth(
        Credentials(
            DEFAULT_CREDENTIALS.access_key_id, DEFAULT_CREDENTIALS.secret_access_key
        ),
        "ssm",
        "us-east-1",
    ).add_auth(aws_request)
    assert "SignedHeaders=host;x-amz-date," in aws_request.headers["Authorization"]
    return httpx.Request(
        "POST", emu.url + "/", content=body, headers=dict(aws_request.headers.items())
    )


def test_an_unsigned_target_cannot_turn_a_describe_into_a_delete(
    emulator: RunningEmulator,
) -> None:
    # The review's case: only host;x-amz-date signed, X-Amz-Target added (or
    # rewritten in transit) afterwards. Content-Type need not be signed.
    request = _signed_without(emulator, b'{"TypeName": "Custom:Rewritten"}')
    request.headers["Content-Type"] = CONTENT_TYPE
    request.headers["X-Amz-Target"] = "AmazonSSM.DeleteInventory"
    assert error_of(send(request)) == (
        400,
        "InvalidSignatureException",
        "There were headers present in the request which were not signed: x-amz-target",
    )
    listed = send(_raw(emulator)).json()["InventoryDeletions"]
    assert "Custom:Rewritten" not in [d["TypeName"] for d in listed]


@pytest.mark.parametrize(
    "extra",
    [
        {
            "X-Amz-Content-SHA256": "44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a"
        },
        {"x-amz-user-agent": "anything", "X-AMZ-Other": "x"},
    ],
    ids=["content hash", "any other x-amz header"],
)
def test_every_x_amz_header_present_must_be_signed(
    emulator: RunningEmulator, extra: dict[str, str]
) -> None:
    request = _raw(emulator)
    for name, value in extra.items():
        request.headers[name] = value
    status, code, message = error_of(send(request))
    assert (status, code) == (400, "InvalidSignatureException")
    listed = sorted(name.lower() for name in extra)
    assert message == (
        "There were headers present in the request which were not signed: "
        + ", ".join(listed)
    )


def test_a_session_token_added_after_signing_is_refused() -> None:
    # The right token, but unsigned: as the SigV4 suite's post-sts-header-after.
    temporary = EmulatorCredentials(
        access_key_id="ASIAEXAMPLETEMPORARY",
        secret_access_key="temporary-secret",
        session_token="session-token-value",
    )
    unsigned = attrs.evolve(temporary, session_token=None)
    with emulator_in_thread(Settings(credentials=(temporary,))) as emu:
        signed = signed_request(
            emu.url, "DescribeInventoryDeletions", {}, credentials=temporary
        )
        assert send(signed).status_code == 200
        request = signed_request(
            emu.url, "DescribeInventoryDeletions", {}, credentials=unsigned
        )
        request.headers["X-Amz-Security-Token"] = "session-token-value"
        assert error_of(send(request)) == (
            400,
            "InvalidSignatureException",
            "There were headers present in the request which were not signed: "
            "x-amz-security-token",
        )


def test_a_signed_extra_x_amz_header_is_accepted(emulator: RunningEmulator) -> None:
    request = _raw(emulator, extra_headers={"X-Amz-Custom": "value"})
    assert "x-amz-custom" in request.headers["Authorization"]
    assert send(request).status_code == 200


def test_a_non_ascii_payload_hash_is_an_invalid_signature(
    emulator: RunningEmulator,
) -> None:
    # The review: compare_digest raised TypeError on non-ASCII text (a 500).
    signed = _raw(emulator)
    headers = [
        *signed.headers.raw,
        (b"X-Amz-Content-SHA256", "é".encode("latin-1") * 64),
    ]
    response = raw_exchange(emulator.url, as_raw(signed, headers=headers))
    status, code, message = response.error()
    assert (status, code) == (400, "InvalidSignatureException")
    assert "x-amz-content-sha256" in message


@pytest.mark.parametrize(
    "declared", ["0" * 63, "g" * 64, "A" * 64, "0" * 65, "", "unsigned-payload"]
)
def test_a_malformed_payload_hash_is_an_invalid_signature(
    emulator: RunningEmulator, declared: str
) -> None:
    request = _raw(emulator, extra_headers={"X-Amz-Content-SHA256": declared})
    assert error_of(send(request))[:2] == (400, "InvalidSignatureException")


@pytest.mark.parametrize(
    "date",
    [
        "Fri, 31 Dec 9999 23:59:59 -2359",  # the review's: UTC form overflows
        "Mon, 01 Jan 0001 00:00:00 +2359",
        "31 Dec 9999",
        "Fri, 99 Dec 2024 00:00:00 GMT",
    ],
)
def test_an_unusable_date_header_is_an_invalid_signature(
    emulator: RunningEmulator, date: str
) -> None:
    # Unsigned but for the public key id: all an outsider needs.
    head = (
        "POST / HTTP/1.1\r\n"
        f"Host: {emulator.url.removeprefix('http://')}\r\n"
        f"Content-Type: {CONTENT_TYPE}\r\n"
        "X-Amz-Target: AmazonSSM.DescribeInventoryDeletions\r\n"
        f"Date: {date}\r\n"
        "Authorization: AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/"
        "99991231/us-east-1/ssm/aws4_request, SignedHeaders=date;host;"
        "x-amz-target, Signature=" + "0" * 64 + "\r\n"
        "Content-Length: 2\r\n\r\n{}"
    )
    status, code, _ = raw_exchange(emulator.url, head.encode("latin-1")).error()
    assert (status, code) == (400, "InvalidSignatureException")
