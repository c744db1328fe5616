"""What the emulator hands out is what the generated client takes.

Issue 11, "What must be true" 5: ``SSMClient(credentials=emu.credentials)``, the
natural first line of a user's test, works as it is, and so does
``SSMClient(**emu.client_kwargs())`` beside ``boto3_client_kwargs()``.
"""

from __future__ import annotations

import pytest
from smithygen_runtime import Credentials
from ssm_emulator import RunningEmulator, Settings, running_emulator
from ssm_emulator.settings import EmulatorCredentials
from ssm_inventory import InvalidDeletionIdException, SSMClient

MISSING_ID = "00000000-0000-0000-0000-000000000000"


@pytest.mark.anyio
async def test_client_takes_emulator_credentials_as_they_are(
    anyio_backend: str,
) -> None:
    async with (
        running_emulator(Settings(completion_seconds=0)) as emu,
        SSMClient(
            endpoint_url=emu.url, region=emu.region, credentials=emu.credentials
        ) as ssm,
    ):
        started = await ssm.delete_inventory(type_name="Custom:GivenAsIs")
        found = await ssm.describe_inventory_deletions(deletion_id=started.deletion_id)
        assert [d.deletion_id for d in found.inventory_deletions or []] == [
            started.deletion_id
        ]


@pytest.mark.anyio
async def test_client_kwargs_configure_a_client_completely(anyio_backend: str) -> None:
    async with (
        running_emulator(Settings(completion_seconds=0)) as emu,
        SSMClient(**emu.client_kwargs()) as ssm,
    ):
        with pytest.raises(InvalidDeletionIdException) as caught:
            await ssm.describe_inventory_deletions(deletion_id=MISSING_ID)
        assert caught.value.status_code == 400


def test_client_kwargs_hold_runtime_credentials_with_the_session_token() -> None:
    pair = EmulatorCredentials(
        access_key_id="AKIDTOKEN", secret_access_key="s3cret", session_token="tok"
    )
    emu = RunningEmulator(
        url="http://127.0.0.1:1",
        credentials=pair,
        region="eu-west-1",
        settings=Settings(credentials=(pair,)),
    )
    kwargs = emu.client_kwargs()
    assert kwargs == {
        "endpoint_url": "http://127.0.0.1:1",
        "region": "eu-west-1",
        "credentials": Credentials("AKIDTOKEN", "s3cret", "tok"),
    }
    assert isinstance(kwargs["credentials"], Credentials)
    assert "s3cret" not in repr(kwargs)


def test_pytest_fixture_emulator_serves_a_client_built_from_it(
    ssm_emulator: RunningEmulator,
) -> None:
    client = SSMClient(**ssm_emulator.client_kwargs())
    assert "s3cret" not in repr(client)
    assert ssm_emulator.client_kwargs()["endpoint_url"] == ssm_emulator.url
