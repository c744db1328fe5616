"""The project's own generated client against the emulator: the second client,
besides boto3, that the emulator must serve (issue 4, "Done when")."""

from __future__ import annotations

from typing import Any

import pytest
from ssm_emulator import RunningEmulator, Settings, running_emulator

ssm_inventory = pytest.importorskip(
    "ssm_inventory", reason="generated/ssm_inventory not built"
)
runtime = pytest.importorskip("smithygen_runtime")


def _client(emu: RunningEmulator) -> Any:
    return ssm_inventory.SSMClient(
        region=emu.region,
        endpoint_url=emu.url,
        credentials=runtime.Credentials(
            access_key_id=emu.credentials.access_key_id,
            secret_access_key=emu.credentials.secret_access_key,
        ),
    )


@pytest.mark.anyio
async def test_generated_client_deletes_describes_and_gets_typed_errors(
    anyio_backend: str,
) -> None:
    async with (
        running_emulator(Settings(completion_seconds=0)) as emu,
        _client(emu) as client,
    ):
        started = await client.delete_inventory(type_name="Custom:FromProjectClient")
        found = await client.describe_inventory_deletions(
            deletion_id=started.deletion_id
        )
        (item,) = found.inventory_deletions
        assert item.deletion_id == started.deletion_id
        assert item.last_status == "Complete"
        assert item.deletion_summary.remaining_count == 0
        with pytest.raises(ssm_inventory.InvalidDeletionIdException):
            await client.describe_inventory_deletions(
                deletion_id="00000000-0000-4000-8000-000000000000"
            )
        with pytest.raises(ssm_inventory.InvalidTypeNameException):
            await client.delete_inventory(type_name="AWS:Application")
