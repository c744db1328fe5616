"""Credential values that cannot travel in an HTTP header are refused before sending.

The key id goes into ``Authorization`` and the session token into
``X-Amz-Security-Token`` (RFC 9110 section 5.5: field values are visible
ASCII, spaces and tabs; line breaks end the field). A token pasted with its
newline must be a ``CredentialsError`` naming the field, never the value, and
nothing may reach the wire.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from smithygen_runtime import Credentials, CredentialsError
from smithygen_runtime._credentials import CredentialsResolver

from tests.runtime.conftest import Recorder, json_response
from tests.runtime.demo_service import DemoClient

TOKEN = "IQoJb3JpZ2luX2VjEXAMPLETOKEN+/="
SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"

BAD_VALUES = [
    pytest.param(TOKEN + "\n", "a line break", id="trailing-newline"),
    pytest.param(TOKEN[:5] + "\r\n" + TOKEN[5:], "a line break", id="crlf-inside"),
    pytest.param(TOKEN + "\x00", "a control character", id="nul"),
    pytest.param(TOKEN + "\x1b[31m", "a control character", id="ansi-escape"),
    pytest.param(TOKEN + "é", "a non-ASCII character", id="non-ascii"),
    pytest.param(" " + TOKEN, "starts or ends with a space", id="leading-space"),
]


@pytest.mark.parametrize(("value", "kind"), BAD_VALUES)
@pytest.mark.parametrize(
    "field", ["access_key_id", "secret_access_key", "session_token"]
)
def test_a_value_that_cannot_be_a_header_is_refused_without_echo(
    field: str, value: str, kind: str
) -> None:
    fields = {"access_key_id": "AKIDEXAMPLE", "secret_access_key": SECRET}
    fields[field] = value
    with pytest.raises(CredentialsError) as info:
        Credentials(**fields)
    message = str(info.value)
    assert field in message and kind in message
    assert value.strip() not in message


def test_ordinary_values_are_accepted() -> None:
    credentials = Credentials("AKIDEXAMPLE", SECRET, TOKEN)
    assert credentials.session_token == TOKEN


@pytest.mark.anyio
async def test_a_token_from_the_environment_with_its_newline_sends_nothing(
    monkeypatch: pytest.MonkeyPatch,
    make_client: Callable[..., DemoClient],
) -> None:
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "AKIDENV")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", SECRET)
    monkeypatch.setenv("AWS_SESSION_TOKEN", TOKEN + "\n")
    recorder = Recorder(json_response(200, {}))
    client = make_client(recorder, credentials=None)
    async with client:
        with pytest.raises(CredentialsError, match="session_token holds a line break"):
            await client.get_thing(name="x")
    assert recorder.requests == []


@pytest.mark.anyio
async def test_the_chain_refuses_a_non_ascii_secret_typed(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "AKIDENV")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "sécret")
    with pytest.raises(CredentialsError) as info:
        await CredentialsResolver(None, None).get()
    assert "secret_access_key" in str(info.value) and "sécret" not in str(info.value)
