"""Requests and responses of the generated SSM client on the awsJson1_1 wire."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

import pytest
from ssm_inventory import (
    DeleteInventoryResult,
    DescribeInventoryDeletionsResult,
    InventoryDeletionStatus,
    InventorySchemaDeleteOption,
    ResponseParseError,
    SSMClient,
)

from .conftest import Script

pytestmark = pytest.mark.anyio

ITEM = {
    "DeletionId": "11111111-2222-3333-4444-555555555555",
    "TypeName": "Custom:Rack",
    "DeletionStartTime": 1700000000,
    "LastStatus": "InProgress",
    "LastStatusMessage": "working",
    "DeletionSummary": {
        "TotalCount": 3,
        "RemainingCount": 1,
        "SummaryItems": [{"Version": "1.0", "Count": 3, "RemainingCount": 1}],
    },
    "LastStatusUpdateTime": 1700000000.25,
}


async def test_describe_sends_wire_names_and_omits_absent_members(
    ssm: SSMClient, script: Script
) -> None:
    script.reply({})
    await ssm.describe_inventory_deletions(max_results=5)
    (request,) = script.requests
    assert request.method == "POST"
    assert request.url.path == "/"
    assert request.url.host == "ssm.eu-west-1.amazonaws.com"
    assert request.headers["X-Amz-Target"] == "AmazonSSM.DescribeInventoryDeletions"
    assert request.headers["Content-Type"] == "application/x-amz-json-1.1"
    assert script.bodies() == [{"MaxResults": 5}]


async def test_describe_parses_items_timestamps_and_nested_shapes(
    ssm: SSMClient, script: Script
) -> None:
    script.reply({"InventoryDeletions": [ITEM], "NextToken": "t2"})
    result = await ssm.describe_inventory_deletions()
    assert isinstance(result, DescribeInventoryDeletionsResult)
    assert result.next_token == "t2"
    (item,) = result.inventory_deletions or []
    assert item.deletion_id == ITEM["DeletionId"]
    assert item.deletion_start_time == datetime(2023, 11, 14, 22, 13, 20, tzinfo=UTC)
    assert item.last_status_update_time == datetime(
        2023, 11, 14, 22, 13, 20, 250000, tzinfo=UTC
    )
    assert item.last_status is InventoryDeletionStatus.IN_PROGRESS
    assert item.deletion_summary is not None
    assert item.deletion_summary.total_count == 3
    (summary_item,) = item.deletion_summary.summary_items or []
    assert (summary_item.version, summary_item.count) == ("1.0", 3)


async def test_unknown_enum_value_is_kept_as_plain_string(
    ssm: SSMClient, script: Script
) -> None:
    script.reply({"InventoryDeletions": [{**ITEM, "LastStatus": "Paused"}]})
    result = await ssm.describe_inventory_deletions()
    status = (result.inventory_deletions or [])[0].last_status
    assert status == "Paused"
    assert type(status) is str


async def test_null_members_read_as_absent_and_unknown_members_ignored(
    ssm: SSMClient, script: Script
) -> None:
    script.reply(
        {
            "InventoryDeletions": [
                {"DeletionId": None, "Surprise": {"x": 1}, "DeletionSummary": {}}
            ],
            "NextToken": None,
            "BrandNewMember": [1, 2],
        }
    )
    result = await ssm.describe_inventory_deletions()
    assert result.next_token is None
    (item,) = result.inventory_deletions or []
    assert item.deletion_id is None
    # @default(0) members read as their default when the service leaves them out.
    assert item.deletion_summary is not None
    assert item.deletion_summary.total_count == 0


async def test_delete_inventory_sends_enum_default_and_generated_token(
    ssm: SSMClient, script: Script
) -> None:
    script.reply({"DeletionId": "d-1", "TypeName": "Custom:Rack"})
    result = await ssm.delete_inventory(
        type_name="Custom:Rack",
        schema_delete_option=InventorySchemaDeleteOption.DISABLE_SCHEMA,
    )
    assert isinstance(result, DeleteInventoryResult)
    assert result.deletion_id == "d-1"
    (body,) = script.bodies()
    assert script.requests[0].headers["X-Amz-Target"] == "AmazonSSM.DeleteInventory"
    token = body.pop("ClientToken")
    assert uuid.UUID(token).version == 4
    # DryRun has @default(false) but is a top-level member of an @input
    # structure, so implicitly clientOptional: sent only when given.
    assert body == {"TypeName": "Custom:Rack", "SchemaDeleteOption": "DisableSchema"}


async def test_dry_run_is_sent_when_given(ssm: SSMClient, script: Script) -> None:
    script.reply({})
    await ssm.delete_inventory(type_name="Custom:Rack", dry_run=False)
    assert script.bodies()[0]["DryRun"] is False


async def test_idempotency_token_is_the_same_on_every_retry(
    ssm: SSMClient, script: Script
) -> None:
    script.reply({"__type": "InternalServerError"}, status=500)
    script.reply({"DeletionId": "d-1"})
    await ssm.delete_inventory(type_name="Custom:Rack")
    first, second = script.bodies()
    assert first["ClientToken"] == second["ClientToken"]


async def test_each_call_gets_a_new_token_and_a_given_token_is_kept(
    ssm: SSMClient, script: Script
) -> None:
    script.reply({})
    await ssm.delete_inventory(type_name="Custom:Rack")
    await ssm.delete_inventory(type_name="Custom:Rack")
    given = "0f8fad5b-d9cb-469f-a165-70867728950e"
    await ssm.delete_inventory(type_name="Custom:Rack", client_token=given)
    tokens = [body["ClientToken"] for body in script.bodies()]
    assert tokens[0] != tokens[1]
    assert tokens[2] == given


@pytest.mark.parametrize(
    ("body", "path", "problem"),
    [
        ({"NextToken": 5}, "NextToken", "expected a string, got an integer"),
        (
            {"InventoryDeletions": "not a list"},
            "InventoryDeletions",
            "expected an array, got a string",
        ),
        (
            {"InventoryDeletions": [{"LastStatus": ["Complete"]}]},
            "InventoryDeletions[0].LastStatus",
            "expected a string, got an array",
        ),
        (
            {
                "InventoryDeletions": [
                    {},
                    {},
                    {},
                    {"DeletionSummary": {"TotalCount": True}},
                ]
            },
            "InventoryDeletions[3].DeletionSummary.TotalCount",
            "expected an integer, got a boolean",
        ),
        (
            {"InventoryDeletions": [{"DeletionStartTime": "yesterday"}]},
            "InventoryDeletions[0].DeletionStartTime",
            "expected epoch seconds as a number, got str",
        ),
        (
            {"InventoryDeletions": [None, {"DeletionSummary": "none"}]},
            "InventoryDeletions[1].DeletionSummary",
            "expected an object, got a string",
        ),
    ],
    ids=["token-int", "list-str", "enum-list", "int-bool", "time-str", "struct-str"],
)
async def test_members_of_the_wrong_json_type_are_parse_errors_naming_the_path(
    ssm: SSMClient, script: Script, body: dict[str, object], path: str, problem: str
) -> None:
    script.reply(body)
    with pytest.raises(ResponseParseError) as caught:
        await ssm.describe_inventory_deletions()
    assert caught.value.path == path
    assert f"DescribeInventoryDeletions response member {path}: {problem}" in str(
        caught.value
    )


async def test_nulls_in_a_dense_list_are_dropped(
    ssm: SSMClient, script: Script
) -> None:
    script.reply({"InventoryDeletions": [None, {"DeletionId": "a"}, None]})
    result = await ssm.describe_inventory_deletions()
    assert [i.deletion_id for i in result.inventory_deletions or []] == ["a"]


async def test_a_parse_error_names_the_status_and_the_request_id(
    ssm: SSMClient, script: Script
) -> None:
    script.reply(
        {"InventoryDeletions": [{"DeletionSummary": {"TotalCount": "7"}}]},
        headers={"x-amzn-RequestId": "req-42"},
    )
    with pytest.raises(ResponseParseError) as caught:
        await ssm.describe_inventory_deletions()
    error = caught.value
    assert (error.status_code, error.request_id) == (200, "req-42")
    assert error.path == "InventoryDeletions[0].DeletionSummary.TotalCount"
    assert str(error) == (
        "DescribeInventoryDeletions response member "
        "InventoryDeletions[0].DeletionSummary.TotalCount: expected an integer, "
        "got a string (HTTP 200, request id req-42)"
    )
