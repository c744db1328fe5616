"""DescribeInventoryDeletions through boto3: by id, listing, pagination, tokens."""

from __future__ import annotations

import base64
import uuid
from typing import Any

import boto3
import pytest
from ssm_emulator import RunningEmulator, Settings, emulator_in_thread

from tests.emulator.conftest import FakeClock, boto_error, make_client


def _start(ssm: Any, clock: FakeClock, count: int) -> list[str]:
    ids = []
    for index in range(count):
        ids.append(ssm.delete_inventory(TypeName=f"Custom:Type{index}")["DeletionId"])
        clock.advance(0.25)
    return ids


def test_by_id_returns_that_deletion_only(ssm: Any, clock: FakeClock) -> None:
    ids = _start(ssm, clock, 3)
    result = ssm.describe_inventory_deletions(DeletionId=ids[1])
    assert [d["DeletionId"] for d in result["InventoryDeletions"]] == [ids[1]]
    assert result["InventoryDeletions"][0]["TypeName"] == "Custom:Type1"
    assert "NextToken" not in result


def test_unknown_id_is_an_invalid_deletion_id(ssm: Any) -> None:
    unknown = str(uuid.uuid4())
    status, code, message = boto_error(
        ssm.describe_inventory_deletions, DeletionId=unknown
    )
    assert (status, code) == (400, "InvalidDeletionIdException")
    assert unknown in message


@pytest.mark.parametrize(
    "malformed", ["not-a-uuid", "", "6961492A-8163-44EC-AA1E-012345678500"]
)
def test_malformed_id_is_an_invalid_deletion_id(ssm: Any, malformed: str) -> None:
    assert boto_error(ssm.describe_inventory_deletions, DeletionId=malformed)[:2] == (
        400,
        "InvalidDeletionIdException",
    )


def test_listing_is_newest_first(ssm: Any, clock: FakeClock) -> None:
    ids = _start(ssm, clock, 4)
    listed = ssm.describe_inventory_deletions()["InventoryDeletions"]
    assert [d["DeletionId"] for d in listed] == ids[::-1]
    starts = [d["DeletionStartTime"] for d in listed]
    assert starts == sorted(starts, reverse=True)


def test_boto3_paginator_walks_every_deletion_once(ssm: Any, clock: FakeClock) -> None:
    ids = _start(ssm, clock, 23)
    pages = list(
        ssm.get_paginator("describe_inventory_deletions").paginate(
            PaginationConfig={"PageSize": 5}
        )
    )
    assert [len(p["InventoryDeletions"]) for p in pages] == [5, 5, 5, 5, 3]
    seen = [d["DeletionId"] for p in pages for d in p["InventoryDeletions"]]
    assert seen == ids[::-1]
    assert all("NextToken" in p for p in pages[:-1]) and "NextToken" not in pages[-1]


def test_a_full_last_page_carries_no_token(ssm: Any, clock: FakeClock) -> None:
    _start(ssm, clock, 4)
    first = ssm.describe_inventory_deletions(MaxResults=2)
    second = ssm.describe_inventory_deletions(
        MaxResults=2, NextToken=first["NextToken"]
    )
    assert len(second["InventoryDeletions"]) == 2
    assert "NextToken" not in second


def test_deletions_made_while_paging_do_not_shift_pages(
    ssm: Any, clock: FakeClock
) -> None:
    ids = _start(ssm, clock, 4)
    first = ssm.describe_inventory_deletions(MaxResults=2)
    ssm.delete_inventory(TypeName="Custom:Newcomer")
    second = ssm.describe_inventory_deletions(
        MaxResults=2, NextToken=first["NextToken"]
    )
    assert [d["DeletionId"] for d in second["InventoryDeletions"]] == [ids[1], ids[0]]


@pytest.mark.parametrize(
    ("value", "constraint"),
    [
        (51, "Member must have value less than or equal to 50"),
        (0, "Member must have value greater than or equal to 1"),
    ],
)
def test_max_results_out_of_range_is_a_validation_error(
    boto_session: boto3.Session, emulator: RunningEmulator, value: int, constraint: str
) -> None:
    # botocore checks the minimum itself; switch that off so the server answers.
    unchecked = make_client(boto_session, emulator, validate=False)
    status, code, message = boto_error(
        unchecked.describe_inventory_deletions, MaxResults=value
    )
    assert (status, code) == (400, "ValidationException")
    assert message == (
        f"1 validation error detected: Value '{value}' at 'maxResults' failed to "
        f"satisfy constraint: {constraint}"
    )


@pytest.mark.parametrize("value", [1, 50])
def test_max_results_bounds_are_accepted(
    ssm: Any, clock: FakeClock, value: int
) -> None:
    _start(ssm, clock, 2)
    assert len(
        ssm.describe_inventory_deletions(MaxResults=value)["InventoryDeletions"]
    ) == min(value, 2)


def test_a_forged_token_is_rejected(ssm: Any, clock: FakeClock) -> None:
    _start(ssm, clock, 3)
    real = ssm.describe_inventory_deletions(MaxResults=1)["NextToken"]
    payload, _, tag = real.partition(".")
    decoded = base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4))
    forged_payload = base64.urlsafe_b64encode(
        decoded.replace(b'"after":', b'"after":1')
    ).rstrip(b"=")
    for forged in [
        "garbage",
        real + "x",
        f"{forged_payload.decode()}.{tag}",
        real[::-1],
    ]:
        assert boto_error(ssm.describe_inventory_deletions, NextToken=forged)[:2] == (
            400,
            "InvalidNextToken",
        )


def test_a_stale_token_is_rejected(
    boto_session: boto3.Session, clock: FakeClock
) -> None:
    # A short time-to-live, so the clock stays within the signature skew.
    with emulator_in_thread(Settings(clock=clock, next_token_ttl=60)) as emu:
        ssm = make_client(boto_session, emu)
        _start(ssm, clock, 3)
        token = ssm.describe_inventory_deletions(MaxResults=1)["NextToken"]
        clock.advance(59)
        assert ssm.describe_inventory_deletions(MaxResults=1, NextToken=token)[
            "InventoryDeletions"
        ]
        clock.advance(2)
        status, code, message = boto_error(
            ssm.describe_inventory_deletions, NextToken=token
        )
    assert (status, code) == (400, "InvalidNextToken")
    assert "expired" in message


def test_a_token_from_another_emulator_is_rejected(
    boto_session: boto3.Session, ssm: Any, clock: FakeClock
) -> None:
    with emulator_in_thread(Settings(clock=clock)) as other_emu:
        other = make_client(boto_session, other_emu)
        for index in range(3):
            other.delete_inventory(TypeName=f"Custom:Other{index}")
        token = other.describe_inventory_deletions(MaxResults=1)["NextToken"]
    assert (
        boto_error(ssm.describe_inventory_deletions, NextToken=token)[1]
        == "InvalidNextToken"
    )


def test_the_running_emulator_describes_itself(emulator: RunningEmulator) -> None:
    assert emulator.url.startswith("http://127.0.0.1:")
    assert emulator.region == "us-east-1"
    assert emulator.credentials.access_key_id == "AKIAIOSFODNN7EXAMPLE"
