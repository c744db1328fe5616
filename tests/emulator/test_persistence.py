"""State kept in a SQLite file survives a restart; bad files are refused."""

from __future__ import annotations

import contextlib
import json
import sqlite3
import threading
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import boto3
import pytest
from ssm_emulator import DEFAULT_CREDENTIALS, Settings, StoreError, emulator_in_thread
from ssm_emulator.store import DeletionStore

from tests.emulator.conftest import (
    FakeClock,
    emulator_process,
    make_client,
    send,
    signed_request,
)


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


@pytest.mark.slow
def test_two_processes_on_one_database_serve_concurrent_calls_correctly(
    tmp_path: Path,
) -> None:
    # The review: 14 of 120 concurrent calls got a 500 (IntegrityError) when
    # two processes raced to record the same ClientToken.
    db = tmp_path / "shared.sqlite"
    token = str(uuid.uuid4())
    with (
        emulator_in_thread(Settings(db_path=db)) as here,
        emulator_process(["--db", str(db)]) as (_, there),
    ):
        urls = [here.url, there]

        def call(index: int) -> tuple[int, str, bool]:
            replay = index % 2 == 0
            body = (
                {"TypeName": "Custom:Shared", "ClientToken": token}
                if replay
                else {"TypeName": f"Custom:Parallel{index}"}
            )
            request = signed_request(
                urls[index % 4 // 2],  # both kinds of call go to both servers
                "DeleteInventory",
                body,
                credentials=DEFAULT_CREDENTIALS,
            )
            response = send(request)
            return response.status_code, response.text, replay

        with ThreadPoolExecutor(max_workers=24) as pool:
            outcomes = list(pool.map(call, range(120)))
        listings = [
            send(
                signed_request(
                    url,
                    "DescribeInventoryDeletions",
                    {"MaxResults": 50},
                    credentials=DEFAULT_CREDENTIALS,
                )
            ).json()
            for url in urls
        ]
    failed = [(status, text) for status, text, _ in outcomes if status != 200]
    assert failed == []
    replayed = {json.loads(text)["DeletionId"] for _, text, r in outcomes if r}
    distinct = {json.loads(text)["DeletionId"] for _, text, r in outcomes if not r}
    assert len(replayed) == 1 and len(distinct) == 60
    # Both see the same 61 deletions (50 on the first page, then a token
    # that either of them honours: the token secret is in the file).
    # (Ids only: the progress of each moves with the real clock.)
    first, second = (
        [d["DeletionId"] for d in listing["InventoryDeletions"]] for listing in listings
    )
    assert first == second and len(first) == 50
    assert {*first} <= replayed | distinct
    assert all("NextToken" in listing for listing in listings)


@pytest.mark.slow
def test_processes_creating_one_database_at_once_agree_on_it(tmp_path: Path) -> None:
    # Both find an empty file and create the schema: one must win, cleanly.
    # A race, so many rounds: each of the faults this found (a version read
    # apart from the table count, an unfinished statement holding a lock, the
    # WAL switch refused while the other reads) failed 2-5% of rounds.
    for round_ in range(100):
        db = tmp_path / f"fresh{round_}.sqlite"
        barrier = threading.Barrier(2)

        def open_store(path: Path = db, barrier: threading.Barrier = barrier) -> bytes:
            barrier.wait()
            store = DeletionStore(path)
            try:
                return store.call_blocking(DeletionStore.token_secret)
            finally:
                store.close()

        with ThreadPoolExecutor(max_workers=2) as pool:
            secrets = list(pool.map(lambda _: open_store(), range(2)))
        assert secrets[0] == secrets[1]
        with contextlib.closing(sqlite3.connect(db)) as connection:
            assert connection.execute("PRAGMA journal_mode").fetchall() == [("wal",)]


def test_a_database_locked_too_long_by_another_process_is_a_503(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from ssm_emulator import store

    monkeypatch.setattr(store, "_BUSY_TIMEOUT", 0.2)  # read when connecting
    db = tmp_path / "locked.sqlite"
    with emulator_in_thread(Settings(db_path=db)) as emu:
        other = sqlite3.connect(db, isolation_level=None)
        try:
            other.execute("BEGIN IMMEDIATE")  # holds the write lock
            request = signed_request(
                emu.url,
                "DeleteInventory",
                {"TypeName": "Custom:Waiting"},
                credentials=DEFAULT_CREDENTIALS,
            )
            response = send(request)
            assert response.status_code == 503
            document = response.json()
            assert document["__type"] == "ServiceUnavailableException"
            assert "locked by another process" in document["message"]
            other.execute("ROLLBACK")
        finally:
            other.close()
        assert send(request).status_code == 200  # and it recovers
