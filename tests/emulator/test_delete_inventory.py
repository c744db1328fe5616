"""DeleteInventory through boto3: validation, dry run, idempotency, progress."""

from __future__ import annotations

import uuid
from typing import Any

import anyio
import httpx
import pytest
from botocore.exceptions import ClientError
from ssm_emulator import Settings, running_emulator

from tests.emulator.conftest import FakeClock, boto_error, signed_request


def _total(summary: dict[str, Any]) -> int:
    return sum(item["Count"] for item in summary["SummaryItems"])


def test_delete_returns_an_id_and_an_untouched_summary(ssm: Any) -> None:
    result = ssm.delete_inventory(TypeName="Custom:RackInfo")
    uuid.UUID(result["DeletionId"])
    assert result["TypeName"] == "Custom:RackInfo"
    summary = result["DeletionSummary"]
    # The user guide: DeleteInventory's answer shows nothing deleted yet.
    assert summary["TotalCount"] == summary["RemainingCount"] == _total(summary) > 0
    for item in summary["SummaryItems"]:
        assert item["Count"] == item["RemainingCount"]
    versions = [item["Version"] for item in summary["SummaryItems"]]
    assert versions == sorted(versions) and all(v.endswith(".0") for v in versions)


def test_dry_run_previews_without_recording(ssm: Any) -> None:
    preview = ssm.delete_inventory(TypeName="Custom:RackInfo", DryRun=True)
    real = ssm.delete_inventory(TypeName="Custom:RackInfo")
    assert preview["DeletionSummary"] == real["DeletionSummary"]
    listed = ssm.describe_inventory_deletions()["InventoryDeletions"]
    assert [d["DeletionId"] for d in listed] == [real["DeletionId"]]
    with pytest.raises(ClientError) as caught:
        ssm.describe_inventory_deletions(DeletionId=preview["DeletionId"])
    assert caught.value.response["Error"]["Code"] == "InvalidDeletionIdException"


def test_a_deleted_type_has_nothing_left_to_delete(ssm: Any) -> None:
    ssm.delete_inventory(TypeName="Custom:Gone")
    again = ssm.delete_inventory(
        TypeName="Custom:Gone", SchemaDeleteOption="DeleteSchema"
    )
    assert again["DeletionSummary"] == {
        "TotalCount": 0,
        "RemainingCount": 0,
        "SummaryItems": [],
    }


def test_same_client_token_and_parameters_replays_the_deletion(ssm: Any) -> None:
    token = str(uuid.uuid4())
    first = ssm.delete_inventory(TypeName="Custom:Idem", ClientToken=token)
    second = ssm.delete_inventory(TypeName="Custom:Idem", ClientToken=token)
    assert second == {
        **second,
        **{k: first[k] for k in ("DeletionId", "TypeName", "DeletionSummary")},
    }
    assert len(ssm.describe_inventory_deletions()["InventoryDeletions"]) == 1


def test_same_client_token_with_other_parameters_is_refused(ssm: Any) -> None:
    token = str(uuid.uuid4())
    ssm.delete_inventory(TypeName="Custom:Idem", ClientToken=token)
    status, code, message = boto_error(
        ssm.delete_inventory,
        TypeName="Custom:Idem",
        SchemaDeleteOption="DisableSchema",
        ClientToken=token,
    )
    # InvalidDeleteInventoryParametersException is the model's error for bad
    # DeleteInventory parameters; the model declares no idempotency error here.
    assert (status, code) == (400, "InvalidDeleteInventoryParametersException")
    assert token in message


def test_boto3_fills_the_idempotency_token_itself(ssm: Any) -> None:
    # Two calls without an explicit token are two deletions.
    ssm.delete_inventory(TypeName="Custom:Twice")
    ssm.delete_inventory(TypeName="Custom:Twice")
    assert len(ssm.describe_inventory_deletions()["InventoryDeletions"]) == 2


def test_aws_types_cannot_be_deleted(ssm: Any) -> None:
    status, code, message = boto_error(ssm.delete_inventory, TypeName="AWS:Application")
    assert (status, code) == (400, "InvalidTypeNameException")
    assert "AWS:Application" in message


def test_custom_prefix_alone_is_not_a_type(ssm: Any) -> None:
    assert (
        boto_error(ssm.delete_inventory, TypeName="Custom:")[1]
        == "InvalidTypeNameException"
    )


@pytest.mark.parametrize("option", ["DisableSchema", "DeleteSchema"])
def test_schema_delete_options_are_accepted(ssm: Any, option: str) -> None:
    result = ssm.delete_inventory(TypeName="Custom:Schema", SchemaDeleteOption=option)
    assert result["TypeName"] == "Custom:Schema"


def test_unknown_schema_delete_option_is_an_invalid_option(ssm: Any) -> None:
    status, code, message = boto_error(
        ssm.delete_inventory, TypeName="Custom:X", SchemaDeleteOption="Obliterate"
    )
    assert (status, code) == (400, "InvalidOptionException")
    assert "Obliterate" in message


@pytest.mark.parametrize(
    ("type_name", "expected"),
    [
        (
            "Inventory:Thing",
            "1 validation error detected: Value 'Inventory:Thing' at 'typeName' failed to "
            "satisfy constraint: Member must satisfy regular expression pattern: "
            "^(AWS|Custom):.*$",
        ),
        (
            "Custom:" + "x" * 94,
            "1 validation error detected: Value 'Custom:"
            + "x" * 94
            + "' at 'typeName' failed to satisfy constraint: Member must have length "
            "less than or equal to 100",
        ),
    ],
)
def test_type_name_constraints_are_validation_errors(
    ssm: Any, type_name: str, expected: str
) -> None:
    assert boto_error(ssm.delete_inventory, TypeName=type_name) == (
        400,
        "ValidationException",
        expected,
    )


def test_a_type_name_of_exactly_100_characters_is_accepted(ssm: Any) -> None:
    name = "Custom:" + "x" * 93
    assert ssm.delete_inventory(TypeName=name)["TypeName"] == name


def test_progress_follows_the_clock(ssm: Any, clock: FakeClock) -> None:
    # The `emulator` fixture gives deletions 10 s of the fake clock.
    started = clock.now
    deletion = ssm.delete_inventory(TypeName="Custom:Progress")
    total = deletion["DeletionSummary"]["TotalCount"]

    def status() -> dict[str, Any]:
        found = ssm.describe_inventory_deletions(DeletionId=deletion["DeletionId"])
        (item,) = found["InventoryDeletions"]
        return dict(item)

    first = status()
    assert first["LastStatus"] == "InProgress"
    assert first["LastStatusMessage"] == "The Delete is in progress"
    assert first["DeletionSummary"]["RemainingCount"] == total
    assert first["DeletionStartTime"].timestamp() == pytest.approx(started, abs=0.001)

    clock.advance(5)
    halfway = status()
    remaining = halfway["DeletionSummary"]["RemainingCount"]
    assert halfway["LastStatus"] == "InProgress"
    assert remaining == total - total // 2
    items = halfway["DeletionSummary"]["SummaryItems"]
    assert sum(i["RemainingCount"] for i in items) == remaining
    assert halfway["LastStatusUpdateTime"] > first["LastStatusUpdateTime"]

    clock.advance(5)
    done = status()
    assert done["LastStatus"] == "Complete"
    assert done["LastStatusMessage"] == "Deletion is successful"
    assert done["DeletionSummary"]["RemainingCount"] == 0
    assert done["DeletionSummary"]["TotalCount"] == total
    assert all(
        i["RemainingCount"] == 0 for i in done["DeletionSummary"]["SummaryItems"]
    )
    assert done["LastStatusUpdateTime"].timestamp() == pytest.approx(
        started + 10, abs=0.001
    )


@pytest.mark.anyio
async def test_concurrent_requests_are_each_recorded_once(anyio_backend: str) -> None:
    token = str(uuid.uuid4())
    async with (
        running_emulator(Settings(completion_seconds=1)) as emu,
        httpx.AsyncClient(timeout=10) as client,
    ):

        async def delete(body: dict[str, Any]) -> str:
            request = signed_request(
                emu.url, "DeleteInventory", body, credentials=emu.credentials
            )
            response = await client.send(request)
            assert response.status_code == 200, response.text
            return str(response.json()["DeletionId"])

        distinct: list[str] = []
        replayed: list[str] = []

        async def distinct_call(index: int) -> None:
            distinct.append(await delete({"TypeName": f"Custom:Parallel{index}"}))

        async def replayed_call() -> None:
            replayed.append(
                await delete({"TypeName": "Custom:Once", "ClientToken": token})
            )

        async with anyio.create_task_group() as group:
            for index in range(10):
                group.start_soon(distinct_call, index)
                group.start_soon(replayed_call)
        listing = await client.send(
            signed_request(
                emu.url,
                "DescribeInventoryDeletions",
                {"MaxResults": 50},
                credentials=emu.credentials,
            )
        )
    assert len(set(distinct)) == 10
    # One token, ten concurrent calls: one deletion, the same id for all.
    assert len(set(replayed)) == 1
    listed = [d["DeletionId"] for d in listing.json()["InventoryDeletions"]]
    assert sorted(listed) == sorted([*distinct, replayed[0]])
