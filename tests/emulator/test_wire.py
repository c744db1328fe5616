"""The awsJson 1.1 framing, probed with raw HTTP requests (httpx).

Which requests the service claims is decided by aws-json.rst.template,
"Identification for claiming"; the error codes follow what AWS JSON services
answer: UnknownOperationException, SerializationException.
"""

from __future__ import annotations

import json
import re
import socket
import time
import uuid
from collections.abc import Iterator
from typing import Any

import httpx
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
    error_of,
    http_client,
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


UUID_PATTERN = re.compile(
    r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$"
)


def _signed(
    emu: RunningEmulator, operation: str | None, body: Any, **kwargs: Any
) -> httpx.Request:
    return signed_request(
        emu.url, operation, body, credentials=DEFAULT_CREDENTIALS, **kwargs
    )


def _assert_protocol_headers(response: httpx.Response) -> None:
    assert response.headers["content-type"] == CONTENT_TYPE
    assert UUID_PATTERN.match(response.headers["x-amzn-requestid"])


def test_success_has_the_protocol_headers_and_fractional_epoch_timestamps(
    emulator: RunningEmulator,
) -> None:
    created = send(_signed(emulator, "DeleteInventory", {"TypeName": "Custom:Wire"}))
    assert created.status_code == 200
    _assert_protocol_headers(created)
    deletion_id = created.json()["DeletionId"]
    described = send(
        _signed(emulator, "DescribeInventoryDeletions", {"DeletionId": deletion_id})
    )
    _assert_protocol_headers(described)
    (item,) = described.json()["InventoryDeletions"]
    # awsJson timestamps are epoch seconds as JSON numbers, fractions kept.
    assert isinstance(item["DeletionStartTime"], float)
    assert isinstance(item["LastStatusUpdateTime"], float)
    assert item["TypeName"] == "Custom:Wire"
    assert described.headers["x-amzn-requestid"] != created.headers["x-amzn-requestid"]


def test_an_empty_body_is_an_empty_input(emulator: RunningEmulator) -> None:
    # "Server implementations MUST also accept empty request bodies."
    response = send(_signed(emulator, "DescribeInventoryDeletions", b""))
    assert response.status_code == 200
    assert isinstance(response.json()["InventoryDeletions"], list)


def test_unknown_members_and_nulls_are_ignored(emulator: RunningEmulator) -> None:
    body = {"TypeName": "Custom:Extra", "Surprise": [1, 2], "SchemaDeleteOption": None}
    assert send(_signed(emulator, "DeleteInventory", body)).status_code == 200


@pytest.mark.parametrize(
    ("body", "fragment"),
    [
        (b'{"TypeName": "Custom:X"', "not valid JSON"),
        (b"\xff\xfe{}", "not valid JSON"),
        (b'{"MaxResults": NaN}', "not valid JSON"),
        (b"[]", "Start of list found where not expected"),
        (b'"text"', "Start of scalar value found where not expected"),
    ],
)
def test_unreadable_bodies_are_serialization_errors(
    emulator: RunningEmulator, body: bytes, fragment: str
) -> None:
    status, code, message = error_of(
        send(_signed(emulator, "DescribeInventoryDeletions", body))
    )
    assert (status, code) == (400, "SerializationException")
    assert fragment in message


@pytest.mark.parametrize(
    ("operation", "body", "message"),
    [
        (
            "DescribeInventoryDeletions",
            {"MaxResults": "5"},
            "STRING_VALUE can not be converted to an Integer",
        ),
        (
            "DescribeInventoryDeletions",
            {"MaxResults": True},
            "TRUE_VALUE can not be converted to an Integer",
        ),
        (
            "DescribeInventoryDeletions",
            {"MaxResults": 2.5},
            "NUMBER_VALUE can not be converted to an Integer",
        ),
        (
            "DescribeInventoryDeletions",
            {"DeletionId": 7},
            "NUMBER_VALUE can not be converted to a String",
        ),
        (
            "DeleteInventory",
            {"TypeName": ["Custom:X"]},
            "START_ARRAY can not be converted to a String",
        ),
        (
            "DeleteInventory",
            {"TypeName": "Custom:X", "DryRun": "yes"},
            "STRING_VALUE can not be converted to a Boolean",
        ),
    ],
)
def test_members_of_the_wrong_json_type_are_serialization_errors(
    emulator: RunningEmulator, operation: str, body: dict[str, Any], message: str
) -> None:
    assert error_of(send(_signed(emulator, operation, body))) == (
        400,
        "SerializationException",
        message,
    )


def test_missing_type_name_is_a_validation_error(emulator: RunningEmulator) -> None:
    assert error_of(send(_signed(emulator, "DeleteInventory", {}))) == (
        400,
        "ValidationException",
        "1 validation error detected: Value null at 'typeName' failed to satisfy "
        "constraint: Member must not be null",
    )


def test_modeled_errors_carry_the_modeled_message_member(
    emulator: RunningEmulator,
) -> None:
    response = send(
        _signed(
            emulator, "DescribeInventoryDeletions", {"DeletionId": str(uuid.uuid4())}
        )
    )
    document = response.json()
    assert document["__type"] == "InvalidDeletionIdException"
    assert document["Message"] == document["message"]
    _assert_protocol_headers(response)


@pytest.mark.parametrize(
    ("target", "message"),
    [
        (None, "Missing X-Amz-Target header"),
        ("AmazonSSM.PutInventory", "Unknown operation: AmazonSSM.PutInventory"),
        ("AmazonEC2.DeleteInventory", "Unknown operation: AmazonEC2.DeleteInventory"),
        ("DeleteInventory", "Unknown operation: DeleteInventory"),
    ],
)
def test_unknown_operations(
    emulator: RunningEmulator, target: str | None, message: str
) -> None:
    request = _signed(
        emulator, None, {}, extra_headers={"X-Amz-Target": target} if target else None
    )
    response = send(request)
    assert error_of(response) == (400, "UnknownOperationException", message)
    _assert_protocol_headers(response)


@pytest.mark.parametrize(
    "content_type", ["application/json", "application/x-amz-json-1.0", "text/plain", ""]
)
def test_other_content_types_are_not_claimed(
    emulator: RunningEmulator, content_type: str
) -> None:
    request = _signed(
        emulator, "DescribeInventoryDeletions", {}, content_type=content_type
    )
    if not content_type:
        del request.headers["Content-Type"]
    response = send(request)
    status, code, _ = error_of(response)
    assert (status, code) == (404, "UnknownOperationException")
    _assert_protocol_headers(response)


def test_a_charset_parameter_on_the_content_type_is_fine(
    emulator: RunningEmulator,
) -> None:
    request = _signed(
        emulator,
        "DescribeInventoryDeletions",
        {},
        content_type=f"{CONTENT_TYPE}; charset=utf-8",
    )
    assert send(request).status_code == 200


@pytest.mark.parametrize(
    ("method", "path"), [("GET", "/"), ("POST", "/other"), ("PUT", "/")]
)
def test_other_methods_and_paths_are_not_claimed(
    emulator: RunningEmulator, method: str, path: str
) -> None:
    response = http_client().request(
        method,
        emulator.url + path,
        headers={
            "Content-Type": CONTENT_TYPE,
            "X-Amz-Target": "AmazonSSM.DeleteInventory",
        },
        content=b"{}",
    )
    assert error_of(response)[:2] == (404, "UnknownOperationException")


def test_an_oversized_body_is_refused(emulator: RunningEmulator) -> None:
    body = json.dumps({"TypeName": "Custom:Big", "Padding": "x" * (1024 * 1024)})
    response = send(_signed(emulator, "DeleteInventory", body))
    assert error_of(response)[:2] == (413, "RequestEntityTooLargeException")


def test_a_client_leaving_mid_body_does_not_disturb_the_server(
    emulator: RunningEmulator,
) -> None:
    def recorded() -> list[str]:
        response = send(_signed(emulator, "DescribeInventoryDeletions", {}))
        assert response.status_code == 200
        return [d["DeletionId"] for d in response.json()["InventoryDeletions"]]

    before = recorded()
    # A signed DeleteInventory whose body is cut off by the client leaving.
    request = _signed(emulator, "DeleteInventory", {"TypeName": "Custom:CutOff"})
    head = "".join(f"{k}: {v}\r\n" for k, v in request.headers.items())
    host, port = emulator.url.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=5) as raw:
        raw.sendall(f"POST / HTTP/1.1\r\n{head}\r\n".encode() + request.content[:5])
    # Still serving, and the cut-off deletion was not recorded. (Ids only:
    # the summaries of earlier deletions move with the real clock.)
    assert recorded() == before


def test_a_client_that_does_not_wait_for_the_answer_loses_nothing(
    emulator: RunningEmulator,
) -> None:
    # The whole request is sent, then the connection is closed at once: the
    # deletion must still be recorded (it commits before the response is sent).
    request = _signed(emulator, "DeleteInventory", {"TypeName": "Custom:Hasty"})
    head = "".join(f"{k}: {v}\r\n" for k, v in request.headers.items())
    host, port = emulator.url.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=5) as raw:
        raw.sendall(f"POST / HTTP/1.1\r\n{head}\r\n".encode() + request.content)
        raw.shutdown(socket.SHUT_WR)
    # The server may still be working when the client has gone: poll a while.
    deadline = time.monotonic() + 10
    while True:
        listed = send(_signed(emulator, "DescribeInventoryDeletions", {})).json()
        found = any(
            d["TypeName"] == "Custom:Hasty" for d in listed["InventoryDeletions"]
        )
        if found or time.monotonic() > deadline:
            break
        time.sleep(0.02)
    assert "Custom:Hasty" in [d["TypeName"] for d in listed["InventoryDeletions"]]


_JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(), inner, max_size=3)
    ),
    max_leaves=6,
)
_MEMBERS = [
    "TypeName",
    "SchemaDeleteOption",
    "DryRun",
    "ClientToken",
    "DeletionId",
    "NextToken",
    "MaxResults",
]
_ANSWERS = {
    "SerializationException",
    "ValidationException",
    "InvalidTypeNameException",
    "InvalidOptionException",
    "InvalidDeleteInventoryParametersException",
    "InvalidDeletionIdException",
    "InvalidNextToken",
}


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(
    operation=st.sampled_from(["DeleteInventory", "DescribeInventoryDeletions"]),
    body=st.dictionaries(
        st.sampled_from(_MEMBERS) | st.text(max_size=5), _JSON, max_size=4
    ),
)
def test_any_json_input_gets_a_result_or_a_client_error(
    emulator: RunningEmulator, operation: str, body: dict[str, Any]
) -> None:
    response = send(_signed(emulator, operation, json.dumps(body)))
    _assert_protocol_headers(response)
    if response.status_code != 200:
        assert response.status_code == 400, response.text
        assert response.json()["__type"] in _ANSWERS


@pytest.fixture(scope="module")
def roomy_emulator() -> Iterator[RunningEmulator]:
    """An emulator taking bodies up to 1 MiB (the cap the review ran against)."""
    with emulator_in_thread(Settings(max_body_bytes=1024 * 1024)) as running:
        yield running


@pytest.mark.parametrize(
    "body",
    [
        b"[" * 100_000,
        b'{"a":' * 100_000,
        b'{"TypeName": ' + b"[" * 200_000 + b"]" * 200_000 + b"}",
    ],
    ids=["100,000 '['", "100,000 objects", "200,000 deep, closed"],
)
def test_deeply_nested_json_is_a_serialization_error(
    roomy_emulator: RunningEmulator, body: bytes
) -> None:
    # The review: a RecursionError, answered with a 500.
    response = send(_signed(roomy_emulator, "DeleteInventory", body))
    status, code, message = error_of(response)
    assert (status, code) == (400, "SerializationException")
    assert "nested too deeply" in message


@pytest.mark.parametrize(
    ("operation", "body"),
    [
        ("DeleteInventory", b'{"TypeName": "Custom:\\ud800"}'),  # the review's
        ("DeleteInventory", b'{"TypeName": "Custom:\\udfff\\ud800"}'),
        ("DeleteInventory", b'{"TypeName": "Custom:A", "ClientToken": "\\udc00"}'),
        ("DescribeInventoryDeletions", b'{"NextToken": "\\ud83d"}'),
        ("DescribeInventoryDeletions", b'{"\\ud800": 1}'),
        ("DescribeInventoryDeletions", b'{"Extra": [[{"x": "\\ud800"}]]}'),
    ],
)
def test_lone_surrogates_are_serialization_errors(
    emulator: RunningEmulator, operation: str, body: bytes
) -> None:
    status, code, message = error_of(send(_signed(emulator, operation, body)))
    assert (status, code) == (400, "SerializationException")
    assert "surrogate" in message


def test_a_surrogate_pair_is_an_ordinary_character(emulator: RunningEmulator) -> None:
    # "\ud83d\ude00" is one character (U+1F600), valid in a type name.
    response = send(
        _signed(emulator, "DeleteInventory", b'{"TypeName": "Custom:\\ud83d\\ude00"}')
    )
    assert response.status_code == 200, response.text
    assert response.json()["TypeName"] == "Custom:\U0001f600"


@pytest.mark.parametrize(
    "request_bytes",
    [
        b"HELLO\r\n\r\n",
        b"POST / HTTP/1.1\r\nHost: x\r\nBad Header Line\r\n\r\n",
        b"POST / HTTP/1.1\r\nHost: x\r\nContent-Length: -1\r\n\r\n",
        b"POST / HTTP/1.1\r\nHost: x\r\nX-Amz-Target: a\x00b\r\n\r\n",
        b"POST /\xff HTTP/1.1\r\nHost: x\r\n\r\n",
        b"POST / HTTP/1.1\r\n" + b"X-Big: " + b"a" * 70_000 + b"\r\n\r\n",
    ],
    ids=[
        "not HTTP",
        "header without colon",
        "negative length",
        "NUL",
        "non-ASCII target",
        "70 kB head",
    ],
)
def test_requests_http_cannot_parse_get_an_aws_json_400(
    emulator: RunningEmulator, request_bytes: bytes
) -> None:
    # uvicorn's own answer was text/plain; clients parse the AWS JSON shape.
    response = raw_exchange(emulator.url, request_bytes)
    status, code, _ = response.error()
    assert (status, code) == (400, "BadRequestException")
    assert response.headers["connection"] == "close"
