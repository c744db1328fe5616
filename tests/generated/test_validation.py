"""Input validation of the generated SSM client: raised before anything is sent."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from smithygen_runtime import Credentials
from ssm_inventory import SSMClient, ValidationError

from .conftest import Script

pytestmark = pytest.mark.anyio


@pytest.mark.parametrize(
    ("kwargs", "path", "rule"),
    [
        ({"max_results": 0}, "MaxResults", "range"),
        ({"max_results": 51}, "MaxResults", "range"),
        ({"max_results": "5"}, "MaxResults", "type"),
        ({"max_results": True}, "MaxResults", "type"),
        ({"deletion_id": "not-a-uuid"}, "DeletionId", "pattern"),
        ({"deletion_id": 7}, "DeletionId", "type"),
    ],
)
async def test_describe_rejects_bad_input(
    ssm: SSMClient, script: Script, kwargs: dict[str, Any], path: str, rule: str
) -> None:
    with pytest.raises(ValidationError) as caught:
        await ssm.describe_inventory_deletions(**kwargs)
    assert (caught.value.path, caught.value.rule) == (path, rule)
    assert path in str(caught.value) and rule in str(caught.value)
    assert script.requests == []


@pytest.mark.parametrize(
    ("kwargs", "path", "rule"),
    [
        ({"type_name": None}, "TypeName", "required"),
        ({"type_name": ""}, "TypeName", "length"),
        ({"type_name": "Custom:" + "x" * 100}, "TypeName", "length"),
        ({"type_name": "Rack"}, "TypeName", "pattern"),
        ({"type_name": "Custom:Rack", "dry_run": "yes"}, "DryRun", "type"),
        ({"type_name": "Custom:Rack", "client_token": "abc"}, "ClientToken", "pattern"),
    ],
)
async def test_delete_rejects_bad_input(
    ssm: SSMClient, script: Script, kwargs: dict[str, Any], path: str, rule: str
) -> None:
    with pytest.raises(ValidationError) as caught:
        await ssm.delete_inventory(**kwargs)
    assert (caught.value.path, caught.value.rule) == (path, rule)
    assert script.requests == []


@pytest.mark.parametrize("value", [1, 50])
async def test_max_results_at_its_bounds_is_sent(
    ssm: SSMClient, script: Script, value: int
) -> None:
    """@range(min: 1, max: 50) is inclusive (constraint-traits.rst, "range trait")."""
    script.reply({"InventoryDeletions": []})
    await ssm.describe_inventory_deletions(max_results=value)
    assert script.bodies() == [{"MaxResults": value}]


async def test_a_type_name_of_exactly_the_maximum_length_is_sent(
    ssm: SSMClient, script: Script
) -> None:
    """@length(min: 1, max: 100) is inclusive; longer names are refused above."""
    type_name = "Custom:" + "x" * 93
    assert len(type_name) == 100
    script.reply({})
    await ssm.delete_inventory(type_name=type_name)
    assert script.bodies()[0]["TypeName"] == type_name


@pytest.mark.parametrize(
    "text", ["Custom:\ud800", "Custom:Rack\udfff", "Custom:\udc80x"]
)
async def test_a_string_that_is_not_unicode_text_is_refused(
    ssm: SSMClient, script: Script, text: str
) -> None:
    """A lone surrogate cannot be encoded as UTF-8: refused, nothing sent."""
    with pytest.raises(ValidationError) as caught:
        await ssm.delete_inventory(type_name=text)
    assert (caught.value.path, caught.value.rule) == ("TypeName", "utf8")
    str(caught.value).encode("utf-8")  # the message itself is printable text
    assert script.requests == []


async def test_characters_beyond_the_bmp_are_sent(
    ssm: SSMClient, script: Script
) -> None:
    """A valid surrogate pair in the JSON escape is a character, not an error."""
    script.reply({})
    await ssm.delete_inventory(type_name="Custom:Rack\U0001f600")
    assert script.bodies()[0]["TypeName"] == "Custom:Rack\U0001f600"


async def test_enums_are_not_checked(ssm: SSMClient, script: Script) -> None:
    script.reply({})
    await ssm.delete_inventory(type_name="Custom:Rack", schema_delete_option="Future")
    assert script.bodies()[0]["SchemaDeleteOption"] == "Future"


async def test_validation_can_be_switched_off(script: Script) -> None:
    script.reply({})
    http = httpx.AsyncClient(transport=httpx.MockTransport(script))
    async with SSMClient(
        region="eu-west-1",
        credentials=Credentials("AKIDEXAMPLE", "secret"),
        http_client=http,
        validate=False,
    ) as ssm:
        await ssm.describe_inventory_deletions(max_results=500)
    await http.aclose()
    assert script.bodies() == [{"MaxResults": 500}]
