"""The verifier against the AWS SigV4 test suite: every signed request verifies,
and changing any signed part of it makes verification fail.

One case is refused on purpose: post-sts-header-after adds X-Amz-Security-Token
after signing, and this service requires every x-amz-* header to be signed
(an unsigned X-Amz-Target could be rewritten in transit).
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from ssm_emulator.errors import ApiError
from ssm_emulator.settings import EmulatorCredentials
from ssm_emulator.sigv4 import ReceivedRequest, SigV4Verifier

from tests.conftest import require_shared

SUITE_TIME = datetime(2015, 8, 30, 12, 36, tzinfo=UTC).timestamp()
SECRET = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"


def _cases() -> list[str]:
    # Collected at import time without skipping, so a missing suite shows up
    # as the single skipped "suite" case below rather than as zero cases.
    from tests.conftest import shared_dir

    root = shared_dir() / "sigv4-testsuite"
    return sorted(str(p.parent.relative_to(root)) for p in root.rglob("*.sreq"))


def _load(case: str) -> tuple[ReceivedRequest, str | None]:
    directory = require_shared("sigv4-testsuite", case)
    name = Path(case).name
    head, _, body = (directory / f"{name}.sreq").read_bytes().decode().partition("\n\n")
    # The .authz file is the suite's reference signature; one case's .sreq
    # (get-vanilla-with-session-token) carries a different, wrong value.
    authorization = (directory / f"{name}.authz").read_text().strip()
    request_line, *header_lines = head.split("\n")
    method, target, _ = request_line.split(" ")
    headers: list[tuple[str, str]] = []
    for line in header_lines:
        if line[:1] in (
            " ",
            "\t",
        ):  # obs-fold continuation (get-header-value-multiline)
            key, value = headers[-1]
            headers[-1] = (key, f"{value} {line.strip()}")
            continue
        key, _, value = line.partition(":")
        headers.append(
            (key, authorization if key.lower() == "authorization" else value)
        )
    path, _, query = target.partition("?")
    token = next((v for k, v in headers if k.lower() == "x-amz-security-token"), None)
    request = ReceivedRequest(
        method=method, path=path, query=query, headers=headers, body=body.encode()
    )
    return request, token


def _verifier(token: str | None) -> SigV4Verifier:
    credentials = EmulatorCredentials(
        access_key_id="AKIDEXAMPLE", secret_access_key=SECRET, session_token=token
    )
    return SigV4Verifier(
        [credentials], service="service", region="us-east-1", clock=lambda: SUITE_TIME
    )


CASES = _cases()
# The suite's one request carrying an x-amz-* header it did not sign.
UNSIGNED_TOKEN_CASE = "post-sts-token/post-sts-header-after"
SIGNED_CASES = [case for case in CASES if case != UNSIGNED_TOKEN_CASE]


def test_the_suite_is_present_and_complete() -> None:
    require_shared("sigv4-testsuite")
    assert len(CASES) == 34  # as the shared README lists


@pytest.mark.parametrize("case", SIGNED_CASES)
def test_suite_request_verifies(case: str) -> None:
    request, token = _load(case)
    assert _verifier(token).verify(request).access_key_id == "AKIDEXAMPLE"


def test_a_security_token_added_after_signing_is_refused() -> None:
    assert UNSIGNED_TOKEN_CASE in CASES
    request, token = _load(UNSIGNED_TOKEN_CASE)
    with pytest.raises(ApiError) as caught:
        _verifier(token).verify(request)
    assert (caught.value.code, caught.value.message) == (
        "InvalidSignatureException",
        "There were headers present in the request which were not signed: "
        "x-amz-security-token",
    )


@pytest.mark.parametrize("case", SIGNED_CASES)
def test_suite_request_with_a_changed_signed_header_is_rejected(case: str) -> None:
    request, token = _load(case)
    tampered = [
        (k, v + "x") if k.lower() == "host" else (k, v) for k, v in request.headers
    ]
    altered = ReceivedRequest(
        method=request.method,
        path=request.path,
        query=request.query,
        headers=tampered,
        body=request.body,
    )
    with pytest.raises(ApiError) as caught:
        _verifier(token).verify(altered)
    assert caught.value.code == "InvalidSignatureException"
    assert (
        "The Canonical String for this request should have been" in caught.value.message
    )
