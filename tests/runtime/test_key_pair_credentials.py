"""A client takes any object carrying a key pair as its ``credentials``.

Other libraries hold key pairs in their own types (the emulator's
``EmulatorCredentials``, for one); the runtime reads the attributes instead of
insisting on its own class, and its error never echoes a value.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from smithygen_runtime import Credentials, CredentialsError
from smithygen_runtime._credentials import CredentialsResolver


@dataclass
class KeyPair:
    access_key_id: object
    secret_access_key: object
    session_token: object = None


@pytest.mark.anyio
async def test_an_object_with_a_key_pair_is_taken_as_credentials(
    anyio_backend: str,
) -> None:
    resolver = CredentialsResolver(KeyPair("AKIDPAIR", "pair-secret", "tok"), None)
    assert await resolver.get() == Credentials("AKIDPAIR", "pair-secret", "tok")


@pytest.mark.parametrize(
    "value",
    [KeyPair("AKIDPAIR", None), KeyPair(None, "hunter2-secret"), "AKID:hunter2-secret"],
)
def test_anything_else_is_refused_naming_its_type_only(value: object) -> None:
    with pytest.raises(CredentialsError) as caught:
        CredentialsResolver(value, None)
    message = str(caught.value)
    assert "access_key_id and secret_access_key" in message
    assert type(value).__name__ in message
    assert "hunter2" not in message
