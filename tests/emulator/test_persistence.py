"""State kept in a SQLite file survives a restart; bad files are refused."""

from __future__ import annotations

from pathlib import Path

import boto3
import pytest
from ssm_emulator import Settings, StoreError, emulator_in_thread

from tests.emulator.conftest import FakeClock, make_client


def test_deletions_and_tokens_survive_a_restart(
    boto_session: boto3.Session, tmp_path: Path, clock: FakeClock
) -> None:
    db = tmp_path / "state.sqlite"
    settings = Settings(db_path=db, clock=clock, completion_seconds=10)
    with emulator_in_thread(settings) as first:
        ssm = make_client(boto_session, first)
        ids = []
        for index in range(3):
            ids.append(
                ssm.delete_inventory(TypeName=f"Custom:Kept{index}")["DeletionId"]
            )
            clock.advance(1)
        token = ssm.describe_inventory_deletions(MaxResults=2)["NextToken"]
        before = ssm.describe_inventory_deletions(DeletionId=ids[0])[
            "InventoryDeletions"
        ]

    with emulator_in_thread(settings) as second:
        assert second.url  # a new port, the same file
        ssm = make_client(boto_session, second)
        listed = ssm.describe_inventory_deletions()["InventoryDeletions"]
        assert [d["DeletionId"] for d in listed] == ids[::-1]
        after = ssm.describe_inventory_deletions(DeletionId=ids[0])[
            "InventoryDeletions"
        ]
        assert after == before  # progress is derived from stored times only
        # The token secret lives in the database, so old tokens still work.
        rest = ssm.describe_inventory_deletions(MaxResults=2, NextToken=token)
        assert [d["DeletionId"] for d in rest["InventoryDeletions"]] == [ids[0]]
        # And the data of a deleted type stays deleted.
        again = ssm.delete_inventory(TypeName="Custom:Kept0", DryRun=True)
        assert again["DeletionSummary"]["TotalCount"] == 0


def test_in_memory_state_does_not_survive(boto_session: boto3.Session) -> None:
    with emulator_in_thread(Settings()) as first:
        make_client(boto_session, first).delete_inventory(TypeName="Custom:Fleeting")
    with emulator_in_thread(Settings()) as second:
        listed = make_client(boto_session, second).describe_inventory_deletions()
    assert listed["InventoryDeletions"] == []


def test_a_file_that_is_not_a_database_is_refused(tmp_path: Path) -> None:
    db = tmp_path / "notes.txt"
    db.write_text("these are not the tables you are looking for\n" * 100)
    with (
        pytest.raises(StoreError, match="cannot open"),
        emulator_in_thread(Settings(db_path=db)),
    ):
        pass


def test_another_programs_database_is_refused(tmp_path: Path) -> None:
    import sqlite3

    db = tmp_path / "other.sqlite"
    with sqlite3.connect(db) as connection:
        connection.execute("CREATE TABLE invoices (id INTEGER)")
    connection.close()
    with (
        pytest.raises(StoreError, match="not an ssm-emulator database"),
        emulator_in_thread(Settings(db_path=db)),
    ):
        pass
    with sqlite3.connect(db) as connection:  # left untouched
        tables = [
            row[0] for row in connection.execute("SELECT name FROM sqlite_master")
        ]
    connection.close()
    assert tables == ["invoices"]
