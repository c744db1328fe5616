"""Deletions kept in SQLite (stdlib ``sqlite3``), owned by one worker thread.

Every statement runs on a single dedicated thread, reached from the event loop
with ``run_in_executor``, for three reasons:

* the event loop never waits on disk (a file database fsyncs on commit);
* one connection serves both modes: an in-memory database exists only inside
  the connection that created it, and sqlite3 connections are thread-bound;
* work is serialised within the process.

Several processes may share one database file (two ``ssm-emulator --db
same.sqlite``): the file is in WAL mode, and every write runs in a ``BEGIN
IMMEDIATE`` transaction, which takes SQLite's write lock before its first
read, so "look up the client token, then insert" is atomic across processes
too (a deferred transaction would let two processes both miss the token and
then collide on its UNIQUE constraint).  A writer waits up to
``_BUSY_TIMEOUT`` seconds for the lock; past that the call fails with
``StoreBusy``, which the app answers with a retryable 503.

Each write commits before its function returns, and the HTTP response is only
sent after that, so a client that disconnects mid-request loses nothing that
was acknowledged; a write already handed to the thread completes even if the
request task is abandoned.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import json
import secrets
import sqlite3
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any, TypeVar

import attrs

from .inventory import DeletionRecord, Population, synthetic_population

__all__ = ["ClientTokenReused", "DeletionStore", "StoreBusy", "StoreError"]

T = TypeVar("T")

_SCHEMA_VERSION = 1
# Statement by statement: executescript() would commit the transaction that
# makes creating the schema atomic against a second process.
_SCHEMA = (
    "CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
    """CREATE TABLE deletions (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    deletion_id TEXT NOT NULL UNIQUE,
    type_name TEXT NOT NULL,
    schema_delete_option TEXT,
    client_token TEXT UNIQUE,
    start_time REAL NOT NULL,
    duration REAL NOT NULL,
    population TEXT NOT NULL
)""",
    "CREATE INDEX deletions_by_type ON deletions (type_name)",
)
_BUSY_TIMEOUT = 5.0


class StoreError(Exception):
    """The database cannot be opened or is not an ssm-emulator database."""


class StoreBusy(StoreError):
    """Another process held the database's write lock for too long."""


@attrs.frozen
class ClientTokenReused(Exception):
    """A ClientToken already recorded a deletion with different parameters."""

    existing: DeletionRecord


class DeletionStore:
    """Async facade over the SQLite database; ``None`` path means in-memory."""

    def __init__(self, path: Path | None) -> None:
        self._executor = ThreadPoolExecutor(
            max_workers=1, thread_name_prefix="ssm-emulator-db"
        )
        self._connection: sqlite3.Connection | None = None
        try:
            self._executor.submit(self._open, path).result()
        except BaseException:
            self._executor.shutdown(wait=True)
            raise

    async def call(self, function: Callable[..., T], *args: Any) -> T:
        """Run ``function(store, *args)`` on the database thread.

        Raises ``StoreBusy`` when another process kept the database locked.
        """
        loop = asyncio.get_running_loop()
        try:
            return await loop.run_in_executor(
                self._executor, functools.partial(function, self, *args)
            )
        except sqlite3.OperationalError as error:
            if "locked" in str(error) or "busy" in str(error):
                raise StoreBusy(
                    "the database stayed locked by another process for "
                    f"{_BUSY_TIMEOUT:g} s"
                ) from None
            raise

    def call_blocking(self, function: Callable[..., T], *args: Any) -> T:
        """Run ``function(store, *args)`` on the database thread and wait for it
        (for callers outside any event loop)."""
        return self._executor.submit(function, self, *args).result()

    def close(self) -> None:
        """Close the connection and stop the database thread (idempotent)."""
        self._executor.submit(self._close).result()
        self._executor.shutdown(wait=True)

    # Everything below runs on the database thread only.

    @property
    def _db(self) -> sqlite3.Connection:
        if self._connection is None:
            raise StoreError("the deletion store is closed")
        return self._connection

    def _open(self, path: Path | None) -> None:
        try:
            # isolation_level=None: no implicit transactions; the writes below
            # open their own, with the locking they need.
            connection = sqlite3.connect(
                ":memory:" if path is None else str(path),
                timeout=_BUSY_TIMEOUT,
                isolation_level=None,
            )
        except sqlite3.DatabaseError as error:
            raise StoreError(f"cannot open {path}: {error}") from None
        try:
            version, created = self._ensure_schema(connection)
            if created and path is not None:
                _use_wal(connection)
        except sqlite3.DatabaseError as error:
            connection.close()
            raise StoreError(f"cannot open {path}: {error}") from None
        if version != _SCHEMA_VERSION:
            connection.close()
            raise StoreError(
                f"{path} is not an ssm-emulator database (schema version {version})"
            )
        self._connection = connection

    @staticmethod
    def _ensure_schema(connection: sqlite3.Connection) -> tuple[int, bool]:
        """The schema version, creating the schema in an empty database;
        and whether it was created.

        Checked and created under the write lock, so a second process opening
        the same new file waits, then finds the schema this one made.  (A
        database of another program is only read: nothing is written.)
        """
        with _immediate(connection):
            version = _rows(connection, "PRAGMA user_version")[0][0]
            tables = _rows(connection, "SELECT count(*) FROM sqlite_master")[0][0]
            if version != 0 or tables != 0:
                return int(version), False
            for statement in _SCHEMA:
                connection.execute(statement)
            connection.execute(
                "INSERT INTO meta VALUES ('token_secret', ?)", (secrets.token_hex(32),)
            )
            connection.execute(f"PRAGMA user_version = {_SCHEMA_VERSION}")
        return _SCHEMA_VERSION, True

    def _close(self) -> None:
        if self._connection is not None:
            self._connection.close()
            self._connection = None

    def token_secret(self) -> bytes:
        """The key NextTokens are signed with; kept in the database, so a
        restarted emulator on the same file honours its earlier tokens."""
        (row,) = _rows(self._db, "SELECT value FROM meta WHERE key = 'token_secret'")
        return bytes.fromhex(row[0])

    def population_of(self, type_name: str) -> Population:
        """What deleting ``type_name`` now would find."""
        gone = _rows(
            self._db, "SELECT 1 FROM deletions WHERE type_name = ? LIMIT 1", type_name
        )
        return () if gone else synthetic_population(type_name)

    def record_deletion(
        self,
        *,
        deletion_id: str,
        type_name: str,
        schema_delete_option: str | None,
        client_token: str | None,
        start_time: float,
        duration: float,
    ) -> tuple[DeletionRecord, bool]:
        """Record a deletion; return it and whether it replays a ClientToken.

        A token seen before with the same parameters returns the original
        record; with different parameters it raises ``ClientTokenReused``.
        """
        with _immediate(self._db):
            return self._record_deletion_locked(
                deletion_id=deletion_id,
                type_name=type_name,
                schema_delete_option=schema_delete_option,
                client_token=client_token,
                start_time=start_time,
                duration=duration,
            )

    def _record_deletion_locked(
        self,
        *,
        deletion_id: str,
        type_name: str,
        schema_delete_option: str | None,
        client_token: str | None,
        start_time: float,
        duration: float,
    ) -> tuple[DeletionRecord, bool]:
        if client_token is not None:
            rows = _rows(
                self._db,
                f"SELECT {_COLUMNS} FROM deletions WHERE client_token = ?",
                client_token,
            )
            if rows:
                existing = _record(rows[0])
                same = (existing.type_name, existing.schema_delete_option) == (
                    type_name,
                    schema_delete_option,
                )
                if not same:
                    raise ClientTokenReused(existing)
                return existing, True
        population = self.population_of(type_name)
        cursor = self._db.execute(
            "INSERT INTO deletions (deletion_id, type_name, schema_delete_option,"
            " client_token, start_time, duration, population)"
            " VALUES (?, ?, ?, ?, ?, ?, ?)",
            (
                deletion_id,
                type_name,
                schema_delete_option,
                client_token,
                start_time,
                duration,
                json.dumps(population),
            ),
        )
        seq = cursor.lastrowid
        assert seq is not None
        record = DeletionRecord(
            seq=seq,
            deletion_id=deletion_id,
            type_name=type_name,
            schema_delete_option=schema_delete_option,
            client_token=client_token,
            start_time=start_time,
            duration=duration,
            population=population,
        )
        return record, False

    def get(self, deletion_id: str) -> DeletionRecord | None:
        """The deletion with this id, if recorded."""
        rows = _rows(
            self._db,
            f"SELECT {_COLUMNS} FROM deletions WHERE deletion_id = ?",
            deletion_id,
        )
        return _record(rows[0]) if rows else None

    def newest_first(
        self, *, before_seq: int | None, limit: int
    ) -> tuple[list[DeletionRecord], bool]:
        """Up to ``limit`` deletions older than ``before_seq``, newest first,
        and whether more remain after them."""
        rows = _rows(
            self._db,
            f"SELECT {_COLUMNS} FROM deletions WHERE seq < ? ORDER BY seq DESC LIMIT ?",
            before_seq if before_seq is not None else 2**62,
            limit + 1,
        )
        return [_record(row) for row in rows[:limit]], len(rows) > limit


def _use_wal(connection: sqlite3.Connection) -> None:
    """Switch a new database file to WAL, which lets one process read while
    another writes.

    Done after the schema's commit (a journal mode cannot change inside a
    transaction), and retried: SQLite refuses the switch at once, without
    waiting on the busy timeout, while another process is reading the file
    (a second emulator opening it at the same moment).
    """
    deadline = time.monotonic() + _BUSY_TIMEOUT
    while True:
        try:
            _rows(connection, "PRAGMA journal_mode=WAL")
            return
        except sqlite3.OperationalError as error:
            if "locked" not in str(error) or time.monotonic() > deadline:
                raise
            time.sleep(0.01)


def _rows(
    connection: sqlite3.Connection, sql: str, *parameters: Any
) -> list[tuple[Any, ...]]:
    """Every row of a query, read to the end.

    Never ``fetchone()``: a statement left unfinished keeps its read
    transaction open, and with it a stale snapshot that hides what another
    process wrote since (and, in rollback-journal mode, a lock it waits on).
    """
    return connection.execute(sql, parameters).fetchall()


@contextlib.contextmanager
def _immediate(connection: sqlite3.Connection) -> Iterator[None]:
    """A transaction holding the write lock from its start; committed on
    success, rolled back on any error."""
    connection.execute("BEGIN IMMEDIATE")
    try:
        yield
    except BaseException:
        connection.execute("ROLLBACK")
        raise
    connection.execute("COMMIT")


_COLUMNS = (
    "seq, deletion_id, type_name, schema_delete_option, client_token,"
    " start_time, duration, population"
)


def _record(row: tuple[Any, ...]) -> DeletionRecord:
    seq, deletion_id, type_name, option, token, start, duration, population = row
    return DeletionRecord(
        seq=seq,
        deletion_id=deletion_id,
        type_name=type_name,
        schema_delete_option=option,
        client_token=token,
        start_time=start,
        duration=duration,
        population=tuple((str(v), int(c)) for v, c in json.loads(population)),
    )
