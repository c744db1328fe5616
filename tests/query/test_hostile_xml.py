"""Hostile XML from an awsQuery service never expands, fetches or exhausts.

aws-query-protocol.rst: responses are XML. A response body declaring a
document type (entity-expansion bombs, external entities), nesting deeper
than ``smithygen_runtime._xml.MAX_DEPTH``, malformed, or larger than the
client's response-size cap is a ``ResponseParseError`` naming the status
and request id; the same body in an error response gives a typed error for
the status without reading the body's entities.
"""

from __future__ import annotations

from types import ModuleType
from typing import Any

import httpx
import pytest
from smithygen_runtime import ResponseParseError, ServiceError

from tests.query.equivalence import call_ours

BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
 <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
 <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
 <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
 <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<GetCallerIdentityResponse><GetCallerIdentityResult><Arn>&lol9;</Arn>
</GetCallerIdentityResult></GetCallerIdentityResponse>"""

EXTERNAL_ENTITY = b"""<?xml version="1.0"?>
<!DOCTYPE r [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<GetCallerIdentityResponse><GetCallerIdentityResult><Arn>&xxe;</Arn>
</GetCallerIdentityResult></GetCallerIdentityResponse>"""

EXTERNAL_DTD = b"""<?xml version="1.0"?>
<!DOCTYPE r SYSTEM "http://127.0.0.1:9/evil.dtd">
<GetCallerIdentityResponse/>"""

UNDECLARED_ENTITY = (
    b"<GetCallerIdentityResponse><GetCallerIdentityResult><Arn>&xxe;</Arn>"
    b"</GetCallerIdentityResult></GetCallerIdentityResponse>"
)

# 100 000 nested elements: 700 kB, far below the size cap.
DEEP = (
    b"<GetCallerIdentityResponse><GetCallerIdentityResult>"
    + b"<a>" * 100_000
    + b"</a>" * 100_000
    + b"</GetCallerIdentityResult></GetCallerIdentityResponse>"
)

TRUNCATED = b"<GetCallerIdentityResponse><GetCallerIdentityResult><Arn>arn"


def _answer(sts: ModuleType, status: int, body: bytes, **headers: str) -> Any:
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(
            status,
            headers={
                "Content-Type": "text/xml",
                "x-amzn-RequestId": "rid-1",
                **headers,
            },
            content=body,
        )

    http = httpx.AsyncClient(transport=httpx.MockTransport(handler))
    return call_ours(
        sts,
        "get_caller_identity",
        {},
        endpoint_url="https://sts.example.com",
        http_client=http,
    )


@pytest.mark.parametrize(
    ("body", "words"),
    [
        (BILLION_LAUGHS, "document type"),
        (EXTERNAL_ENTITY, "document type"),
        (EXTERNAL_DTD, "document type"),
        (UNDECLARED_ENTITY, "not well-formed XML"),
        (DEEP, "deeper than 256"),
        (TRUNCATED, "not well-formed XML"),
    ],
    ids=[
        "billion-laughs",
        "external-entity",
        "external-dtd",
        "undeclared-entity",
        "deep-nesting",
        "truncated",
    ],
)
def test_a_hostile_success_body_is_a_response_parse_error(
    sts: ModuleType, body: bytes, words: str
) -> None:
    error = _answer(sts, 200, body)
    assert isinstance(error, ResponseParseError), error
    assert words in str(error)
    assert (error.status_code, error.request_id) == (200, "rid-1")
    assert "lollol" not in str(error) and "root:" not in str(error)


def test_a_body_over_the_size_cap_is_a_response_parse_error(sts: ModuleType) -> None:
    from smithygen_runtime._pipeline import MAX_RESPONSE_BYTES

    padding = b" " * (MAX_RESPONSE_BYTES + 1)
    body = b"<GetCallerIdentityResponse>" + padding + b"</GetCallerIdentityResponse>"
    error = _answer(sts, 200, body)
    assert isinstance(error, ResponseParseError), error
    assert "limit" in str(error)


@pytest.mark.parametrize(
    "body", [BILLION_LAUGHS, EXTERNAL_ENTITY, DEEP], ids=["bomb", "xxe", "deep"]
)
def test_a_hostile_error_body_gives_the_status_error_unread(
    sts: ModuleType, body: bytes
) -> None:
    error = _answer(sts, 400, body)
    assert isinstance(error, ServiceError) and isinstance(error, sts.UnknownSTSError)
    assert (error.code, error.status_code) == ("400", 400)
    assert "lollol" not in error.message and "root:" not in error.message
