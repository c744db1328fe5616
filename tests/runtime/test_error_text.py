"""Server-supplied text is escaped in exception messages, kept as sent in attributes.

An error code, message or request id from the wire may hold line breaks, ANSI
escape sequences or other control characters; printed raw they forge log
lines or rewrite a terminal. ``str(error)`` escapes them; ``error.message``
keeps what arrived, so nothing is lost.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from smithygen_runtime import ResponseParseError, ServiceError

from tests.runtime.conftest import Recorder, json_response
from tests.runtime.demo_service import DemoClient

HOSTILE = "line one\nFAKE LOG LINE\x1b[2J\x1b[31mred\x07\u2028"


@pytest.mark.anyio
async def test_a_hostile_error_message_and_code_are_escaped_in_the_text(
    make_client: Callable[..., DemoClient],
) -> None:
    body = {"__type": "Weird\x1b[1mCode", "message": HOSTILE}
    client = make_client(
        Recorder(json_response(400, body, headers={"x-amzn-RequestId": "req-1"}))
    )
    async with client:
        with pytest.raises(ServiceError) as info:
            await client.get_thing(name="x")
    text = str(info.value)
    assert not any(ch in text for ch in "\n\x1b\x07\u2028")
    assert "line one\\nFAKE LOG LINE\\x1b[2J" in text
    assert "Weird\\x1b[1mCode" in text
    assert info.value.message == HOSTILE  # the attribute keeps what arrived
    assert info.value.code == "Weird\x1b[1mCode"


def test_printable_text_passes_unchanged() -> None:
    error = ServiceError("Déjà vu: 50 % done", code="Busy", request_id="r-1")
    assert str(error) == "Busy: Déjà vu: 50 % done (request id r-1)"


def test_a_parse_error_escapes_what_it_quotes() -> None:
    error = ResponseParseError(
        'Tags["\x1b[2J"] expected a string', status_code=200, request_id="r\n2"
    )
    text = str(error)
    assert "\x1b" not in text and "\n" not in text
    assert '\\x1b[2J"]' in text and "request id r\\n2" in text
