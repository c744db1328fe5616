"""Fuzzing the emulator's request heads, as test_wire.py fuzzes its bodies.

Two families, sent as raw bytes over a socket (an HTTP client would refuse
most of them):

* unauthenticated: a method, a target and a list of headers, each drawn from
  the names the emulator reads (Host, Authorization, X-Amz-Date, Date,
  X-Amz-Content-SHA256, ...) or invented, with values of any bytes but CR
  and LF, now and then with those too; half of them also carry an
  Authorization of the right shape with the public key id and a date from
  year 1 to 9999 (what an outsider can forge), to reach the deeper checks;
* authenticated: a request correctly signed with the example key, then one
  to three edits: a header's value replaced, a header dropped or repeated,
  an x-amz-* or other header added, the Authorization header's parts
  (key id, scope date, region, service, terminator, SignedHeaders,
  Signature) rewritten.

Whatever is sent, the answer is a 200 (an edit that left the request valid)
or a 4xx in the AWS JSON error shape; never a 5xx, never silence.

Budget: FUZZ_EXAMPLES examples per family (200 by default).
"""

from __future__ import annotations

import contextlib
import json
import os
import socket
from collections.abc import Iterator
from datetime import UTC, datetime
from email.utils import format_datetime

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from ssm_emulator import (
    DEFAULT_CREDENTIALS,
    RunningEmulator,
    Settings,
    emulator_in_thread,
)

from tests.emulator.conftest import (
    CONTENT_TYPE,
    RawResponse,
    host_and_port,
    read_response,
    signed_request,
)

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "200"))
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
    ],
)


@pytest.fixture(scope="module")
def emulator() -> Iterator[RunningEmulator]:
    # Short deadlines: a head or body the fuzzer leaves unfinished is answered
    # (408) in a second instead of ten.
    with emulator_in_thread(Settings(header_timeout=1, body_timeout=1)) as running:
        yield running


def exchange(emu: RunningEmulator, request: bytes) -> RawResponse:
    with socket.create_connection(host_and_port(emu.url), timeout=10) as sock:
        # Answered and closed before all was sent: read the answer anyway.
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):
            sock.sendall(request)
        response = read_response(sock)
    assert response is not None, "closed without an answer"
    return response


def check(response: RawResponse) -> None:
    """A 200, or a 4xx in the AWS shape; anything else fails."""
    assert response.status < 500, response.body
    if response.status == 200:
        assert response.headers["content-type"] == CONTENT_TYPE
        assert isinstance(json.loads(response.body), dict)
        return
    assert 400 <= response.status < 500, response.status
    response.error()


# --- building blocks ---------------------------------------------------------

KNOWN_NAMES = [
    "Host",
    "Authorization",
    "X-Amz-Date",
    "Date",
    "X-Amz-Target",
    "Content-Type",
    "X-Amz-Content-SHA256",
    "X-Amz-Security-Token",
    "Content-Length",
    "Transfer-Encoding",
    "Expect",
    "Connection",
    "X-Amz-User-Agent",
]
token_chars = st.sampled_from(
    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.!#$%&'*+^`|~"
)
# Host and the framing headers are drawn one time in twenty: h11 refuses
# most requests that repeat or garble them before the app sees anything.
FRAMING = ["Host", "Content-Length", "Transfer-Encoding"]
header_names = st.integers(0, 19).flatmap(
    lambda roll: (
        st.sampled_from(FRAMING)
        if roll == 0
        else st.text(token_chars, min_size=1, max_size=20)
        if roll < 5
        else st.sampled_from([n for n in KNOWN_NAMES if n not in FRAMING])
    )
)
# Mostly bytes h11 lets through to the app (visible ASCII, space and tab);
# now and then any byte but CR and LF (h11 refuses NUL, other controls and
# bytes above 0x7E: that must be a 4xx too).
field_bytes = st.binary(max_size=60).map(
    lambda raw: bytes(0x20 + b % 0x5F for b in raw)
)
value_bytes = field_bytes | st.binary(max_size=40).map(
    lambda raw: raw.replace(b"\r", b"").replace(b"\n", b"")
)
# Now and then a line break inside a value: header injection, a cut head.
wild_values = value_bytes | st.binary(max_size=30)


def plausible_values(name: str) -> st.SearchStrategy[bytes]:
    """Values near what the emulator expects for ``name``, or junk."""
    near: dict[str, list[bytes]] = {
        "host": [b"[", b"", b"127.0.0.1", b"localhost:1", b"[::1]:80"],
        "x-amz-date": [b"20240101T000000Z", b"99991231T235959Z", b"00010101T000000Z"],
        "date": [
            b"Fri, 31 Dec 9999 23:59:59 -2359",
            b"Mon, 01 Jan 0001 00:00:00 +2359",
            b"Tue, 15 Nov 1994 08:12:31 GMT",
        ],
        "x-amz-content-sha256": [b"\xe9" * 64, b"UNSIGNED-PAYLOAD", b"0" * 64],
        "x-amz-target": [
            b"AmazonSSM.DeleteInventory",
            b"AmazonSSM.DescribeInventoryDeletions",
            b"AmazonSSM.",
            b".",
        ],
        "content-type": [CONTENT_TYPE.encode(), b"application/x-amz-json-1.1;;;"],
        "content-length": [b"0", b"-1", b"99999999999999999999", b"1, 2"],
        "transfer-encoding": [b"chunked", b"gzip, chunked", b"identity"],
        "expect": [b"100-continue"],
        "authorization": [
            b"AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20240101/us-east-1/ssm/"
            b"aws4_request, SignedHeaders=host;x-amz-date, Signature=" + b"0" * 64,
            b"AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/" * 3,
            b"AWS4-HMAC-SHA256 ,,,=,=",
        ],
    }
    options = near.get(name.lower())
    return st.sampled_from(options) | value_bytes if options else value_bytes


@st.composite
def header_lists(draw: st.DrawFn) -> list[tuple[bytes, bytes]]:
    names = draw(st.lists(header_names, max_size=6))
    return [
        (
            name.encode(),
            draw(plausible_values(name) if draw(st.integers(0, 9)) else wild_values),
        )
        for name in names
    ]


@st.composite
def forged_authorizations(draw: st.DrawFn) -> list[tuple[bytes, bytes]]:
    """An Authorization header of the right shape with the public key id and
    a date header: what an outsider can send, to reach the deeper checks."""
    when = draw(
        st.datetimes(min_value=datetime(1, 1, 2), max_value=datetime(9999, 12, 30)).map(
            lambda moment: moment.replace(microsecond=0)
        )
        | st.just(datetime.now(UTC).replace(tzinfo=None, microsecond=0))
    )
    use_http_date = draw(st.booleans())
    date_name = "date" if use_http_date else "x-amz-date"
    date_value = (
        format_datetime(when.replace(tzinfo=UTC), usegmt=True)
        if use_http_date
        else when.strftime("%Y%m%dT%H%M%SZ")
    ).encode()
    if draw(st.integers(0, 3)) == 0:
        date_value = draw(plausible_values(date_name))
    signed = draw(
        st.sampled_from(
            [
                f"host;{date_name};x-amz-target",
                f"content-type;host;{date_name};x-amz-target",
                "host",
                f"host;{date_name};x-amz-content-sha256;x-amz-target",
            ]
        )
    )
    scope_date = when.strftime("%Y%m%d")
    region = draw(st.sampled_from(["us-east-1", "eu-west-1", "x"]))
    signature = draw(st.text("0123456789abcdef", min_size=0, max_size=64))
    authorization = (
        f"AWS4-HMAC-SHA256 Credential={DEFAULT_CREDENTIALS.access_key_id}/"
        f"{scope_date}/{region}/ssm/aws4_request, SignedHeaders={signed}, "
        f"Signature={signature}"
    ).encode()
    return [(b"Authorization", authorization), (date_name.encode(), date_value)]


@st.composite
def unauthenticated_requests(draw: st.DrawFn, host: str) -> bytes:
    # Mostly what the service claims (POST /, its content type, a known
    # target, the right Host), so the drawn headers reach the signature
    # checks; now and then not.
    usual = draw(st.integers(0, 4)) > 0
    method = b"POST" if usual else draw(st.sampled_from([b"GET", b"PUT", b"post"]))
    target = (
        b"/" if usual else draw(st.sampled_from([b"/?a=b", b"*", b"/x", b"//", b"%2F"]))
    )
    headers = draw(header_lists())
    if draw(st.booleans()):
        headers.extend(draw(forged_authorizations()))
    for name, value in (
        (b"Host", host.encode()),
        (b"Content-Type", CONTENT_TYPE.encode()),
        (b"X-Amz-Target", b"AmazonSSM.DescribeInventoryDeletions"),
    ):
        if draw(st.integers(0, 9)):
            headers.insert(draw(st.integers(0, len(headers))), (name, value))
    body = draw(st.sampled_from([b"", b"{}", b'{"TypeName": "Custom:X"}']))
    head = b"".join(name + b": " + value + b"\r\n" for name, value in headers)
    return method + b" " + target + b" HTTP/1.1\r\n" + head + b"\r\n" + body


# --- unauthenticated ---------------------------------------------------------


@FUZZ
@given(data=st.data())
def test_any_unauthenticated_head_gets_a_4xx_in_the_aws_shape(
    emulator: RunningEmulator, data: st.DataObject
) -> None:
    request = data.draw(unauthenticated_requests(emulator.url.removeprefix("http://")))
    response = exchange(emulator, request)
    assert response.status != 200, "an unsigned request succeeded"
    check(response)


# --- authenticated -----------------------------------------------------------

OPERATIONS = {
    "DeleteInventory": {"TypeName": "Custom:Fuzzed"},
    "DescribeInventoryDeletions": {"MaxResults": 5},
}
AUTH_PARTS = ["key", "date", "region", "service", "terminator", "signed", "signature"]


def _edit_authorization(draw: st.DrawFn, value: bytes) -> bytes:
    text = value.decode("latin-1")
    credential = text.split("Credential=", 1)[1].split(",", 1)[0]
    signed = text.split("SignedHeaders=", 1)[1].split(",", 1)[0]
    signature = text.rsplit("Signature=", 1)[1]
    key, date, region, service, terminator = credential.split("/")
    part = draw(st.sampled_from(AUTH_PARTS))
    junk = draw(
        st.text(
            st.characters(max_codepoint=0xFF, exclude_characters="\r\n"), max_size=12
        )
    )
    if part == "key":
        key = draw(st.sampled_from(["AKIAUNKNOWN", "", key.lower(), junk]))
    elif part == "date":
        date = draw(st.sampled_from(["19700101", "99991231", date[:-1], junk]))
    elif part == "region":
        region = draw(st.sampled_from(["", "US-EAST-1", "us_east_1", "-", junk]))
    elif part == "service":
        service = draw(st.sampled_from(["ec2", "SSM", "", junk]))
    elif part == "terminator":
        terminator = draw(st.sampled_from(["aws4_request ", "aws5_request", junk]))
    elif part == "signed":
        names = signed.split(";")
        signed = draw(
            st.sampled_from(
                [
                    ";".join(names[1:]),
                    ";".join([*names, "x-missing"]),
                    signed.upper(),
                    ";;",
                    junk,
                ]
            )
        )
    else:
        position = draw(st.integers(0, max(0, len(signature) - 1)))
        signature = draw(
            st.sampled_from(
                [
                    signature[:position] + junk + signature[position + 1 :],
                    signature[:position],
                    junk,
                ]
            )
        )
    rewritten = (
        f"AWS4-HMAC-SHA256 Credential={key}/{date}/{region}/{service}/{terminator}, "
        f"SignedHeaders={signed}, Signature={signature}"
    )
    return rewritten.encode("latin-1")


@st.composite
def edited_heads(
    draw: st.DrawFn, headers: list[tuple[bytes, bytes]]
) -> list[tuple[bytes, bytes]]:
    headers = list(headers)
    for _ in range(draw(st.integers(1, 3))):
        edit = draw(st.sampled_from(["replace", "drop", "repeat", "add", "auth"]))
        index = draw(st.integers(0, len(headers) - 1)) if headers else 0
        if edit == "auth":
            spots = [
                i for i, (n, _) in enumerate(headers) if n.lower() == b"authorization"
            ]
            if spots:
                name, value = headers[spots[0]]
                try:
                    headers[spots[0]] = (name, _edit_authorization(draw, value))
                except (IndexError, ValueError):  # an earlier edit broke its shape
                    headers[spots[0]] = (name, draw(value_bytes))
        elif edit == "add":
            name = draw(
                header_names
                | st.text(token_chars, min_size=1, max_size=8).map(
                    lambda s: "X-Amz-" + s
                )
            )
            headers.insert(index, (name.encode(), draw(plausible_values(name))))
        elif not headers:
            continue
        elif edit == "replace":
            name = headers[index][0]
            headers[index] = (name, draw(plausible_values(name.decode())))
        elif edit == "drop":
            del headers[index]
        else:
            name = headers[index][0]
            headers.insert(index, (name, draw(plausible_values(name.decode()))))
    return headers


@FUZZ
@given(data=st.data(), operation=st.sampled_from(sorted(OPERATIONS)))
def test_any_edit_of_a_signed_head_gets_a_200_or_a_4xx(
    emulator: RunningEmulator, data: st.DataObject, operation: str
) -> None:
    signed = signed_request(
        emulator.url, operation, OPERATIONS[operation], credentials=DEFAULT_CREDENTIALS
    )
    headers = data.draw(edited_heads(list(signed.headers.raw)))
    check(exchange(emulator, _request(headers, signed.content)))


def _request(headers: list[tuple[bytes, bytes]], body: bytes) -> bytes:
    head = b"".join(name + b": " + value + b"\r\n" for name, value in headers)
    return b"POST / HTTP/1.1\r\n" + head + b"\r\n" + body


@pytest.mark.parametrize(
    ("name", "value"),
    [
        (b"X-Amz-Content-SHA256", b"\xe9" * 64),
        (b"Date", b"Fri, 31 Dec 9999 23:59:59 -2359"),
        (b"Host", b"["),
    ],
)
def test_the_reviews_head_reproductions_get_a_4xx(
    emulator: RunningEmulator, name: bytes, value: bytes
) -> None:
    # Each gave a 500 with a traceback; signed but for the edit.
    signed = signed_request(
        emulator.url, "DescribeInventoryDeletions", {}, credentials=DEFAULT_CREDENTIALS
    )
    headers = [(n, v) for n, v in signed.headers.raw if n.lower() != name.lower()]
    if name == b"Date":
        headers = [(n, v) for n, v in headers if n.lower() != b"x-amz-date"]
    response = exchange(emulator, _request([*headers, (name, value)], signed.content))
    check(response)
    assert response.status != 200


def test_the_unedited_signed_requests_succeed(emulator: RunningEmulator) -> None:
    # The fuzzed requests start valid: otherwise every edit would be refused
    # for the same dull reason.
    for operation, body in OPERATIONS.items():
        signed = signed_request(
            emulator.url, operation, body, credentials=DEFAULT_CREDENTIALS
        )
        response = exchange(
            emulator, _request(list(signed.headers.raw), signed.content)
        )
        assert response.status == 200, response.body
