"""Using the emulator from other programs' code and test suites: the async
context manager (asyncio and trio) and the pytest plugin."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import httpx
import pytest
from ssm_emulator import RunningEmulator, Settings, running_emulator

from tests.conftest import PROJECT_ROOT
from tests.emulator.conftest import http_client, signed_request


@pytest.mark.anyio
async def test_running_emulator_serves_async_clients(anyio_backend: str) -> None:
    async with (
        running_emulator(Settings(completion_seconds=0)) as emu,
        httpx.AsyncClient(timeout=10) as client,
    ):
        created = await client.send(
            signed_request(
                emu.url,
                "DeleteInventory",
                {"TypeName": f"Custom:{anyio_backend}"},
                credentials=emu.credentials,
            )
        )
        assert created.status_code == 200, created.text
        described = await client.send(
            signed_request(
                emu.url,
                "DescribeInventoryDeletions",
                {"DeletionId": created.json()["DeletionId"]},
                credentials=emu.credentials,
            )
        )
    (item,) = described.json()["InventoryDeletions"]
    assert item["TypeName"] == f"Custom:{anyio_backend}"
    assert item["LastStatus"] == "Complete"
    # Leaving the block stopped the server.
    with pytest.raises(httpx.ConnectError):
        async with httpx.AsyncClient(timeout=2) as client:
            await client.get(emu.url)


@pytest.mark.anyio
async def test_running_emulator_stops_when_the_block_raises(anyio_backend: str) -> None:
    with pytest.raises(LookupError):
        async with running_emulator() as emu:
            url = emu.url
            raise LookupError("the user's test failed")
    with pytest.raises(httpx.ConnectError):
        async with httpx.AsyncClient(timeout=2) as client:
            await client.get(url)


def test_the_plugin_fixture_gives_url_credentials_and_region(
    ssm_emulator: RunningEmulator,
) -> None:
    assert ssm_emulator.url.startswith("http://127.0.0.1:")
    assert ssm_emulator.region == "us-east-1"
    assert ssm_emulator.settings.completion_seconds == 1.0
    # The plugin's fixture, imported by tests/emulator/conftest.py.
    response = http_client().send(
        signed_request(
            ssm_emulator.url,
            "DescribeInventoryDeletions",
            {},
            credentials=ssm_emulator.credentials,
            region=ssm_emulator.region,
        )
    )
    assert response.json() == {"InventoryDeletions": []}


@pytest.mark.slow
def test_a_users_suite_enables_the_plugin_with_pytest_plugins(tmp_path: Path) -> None:
    (tmp_path / "conftest.py").write_text(
        textwrap.dedent(
            """
            import pytest
            from ssm_emulator import Settings

            pytest_plugins = ["ssm_emulator.pytest_plugin"]

            @pytest.fixture
            def ssm_emulator_settings():
                return Settings(completion_seconds=0)
            """
        )
    )
    (tmp_path / "test_user.py").write_text(
        textwrap.dedent(
            """
            import boto3

            def test_delete_and_describe(ssm_emulator):
                ssm = boto3.client("ssm", **ssm_emulator.boto3_client_kwargs())
                deletion = ssm.delete_inventory(TypeName="Custom:UserType")
                found = ssm.describe_inventory_deletions(DeletionId=deletion["DeletionId"])
                assert found["InventoryDeletions"][0]["LastStatus"] == "Complete"

            def test_each_test_gets_a_fresh_emulator(ssm_emulator):
                ssm = boto3.client("ssm", **ssm_emulator.boto3_client_kwargs())
                assert ssm.describe_inventory_deletions()["InventoryDeletions"] == []
            """
        )
    )
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", str(tmp_path)],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
        env={
            "PATH": "",
            "HOME": str(tmp_path),
            "PYTHONPATH": str(PROJECT_ROOT / "emulator"),
            # Only what the user's conftest asks for: no entry-point plugins.
            "PYTEST_DISABLE_PLUGIN_AUTOLOAD": "1",
        },
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "2 passed" in result.stdout


def test_settings_are_validated() -> None:
    with pytest.raises(ValueError, match="completion_seconds"):
        Settings(completion_seconds=-1)
