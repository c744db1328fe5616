"""Paginators and the waiter of the generated SSM client."""

from __future__ import annotations

from typing import Any

import pytest
from ssm_inventory import (
    DescribeInventoryDeletionsResult,
    InventoryDeletionStatusItem,
    PaginationError,
    SSMClient,
)

from .conftest import Script

pytestmark = pytest.mark.anyio


def _page(ids: list[str], token: str | None) -> dict[str, Any]:
    page: dict[str, Any] = {"InventoryDeletions": [{"DeletionId": i} for i in ids]}
    if token is not None:
        page["NextToken"] = token
    return page


async def test_pages_follow_the_token_through_an_empty_page(
    ssm: SSMClient, script: Script
) -> None:
    script.reply(_page(["a", "b"], "t1"))
    script.reply(_page([], "t2"))
    script.reply(_page(["c"], None))
    pages = [p async for p in ssm.paginate_describe_inventory_deletions(max_results=2)]
    assert all(isinstance(p, DescribeInventoryDeletionsResult) for p in pages)
    assert [len(p.inventory_deletions or []) for p in pages] == [2, 0, 1]
    assert script.bodies() == [
        {"MaxResults": 2},
        {"MaxResults": 2, "NextToken": "t1"},
        {"MaxResults": 2, "NextToken": "t2"},
    ]


async def test_items_iterator_yields_every_item(ssm: SSMClient, script: Script) -> None:
    script.reply(_page(["a", "b"], "t1"))
    script.reply(_page(["c"], ""))  # an empty token ends pagination too
    items = [i async for i in ssm.paginate_describe_inventory_deletions_items()]
    assert all(isinstance(i, InventoryDeletionStatusItem) for i in items)
    assert [i.deletion_id for i in items] == ["a", "b", "c"]
    assert len(script.requests) == 2


async def test_repeated_token_raises(ssm: SSMClient, script: Script) -> None:
    script.reply(_page(["a"], "t1"))
    script.reply(_page(["b"], "t1"))
    seen = []
    with pytest.raises(PaginationError, match="t1"):
        async for page in ssm.paginate_describe_inventory_deletions():
            seen.append(page)
    assert len(seen) == 2
    assert len(script.requests) == 2


async def test_starting_token_is_sent_first(ssm: SSMClient, script: Script) -> None:
    script.reply(_page(["z"], None))
    pages = [
        p async for p in ssm.paginate_describe_inventory_deletions(next_token="t9")
    ]
    assert len(pages) == 1
    assert script.bodies() == [{"NextToken": "t9"}]


async def test_waiter_returns_the_output_once_complete(
    ssm: SSMClient, script: Script
) -> None:
    deletion = "11111111-2222-3333-4444-555555555555"
    script.reply(
        {"InventoryDeletions": [{"DeletionId": deletion, "LastStatus": "Complete"}]}
    )
    result = await ssm.wait_until_deletion_completed(deletion_id=deletion, max_wait=30)
    assert result is not None
    assert (result.inventory_deletions or [])[0].last_status == "Complete"
    assert script.bodies() == [{"DeletionId": deletion}]
