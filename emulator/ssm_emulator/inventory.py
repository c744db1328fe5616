"""The inventory the emulator pretends to hold, and how a deletion progresses.

There is no PutInventory here, so every ``Custom:`` type is given a stable,
made-up population: one to three schema versions ("1.0", "2.0", ...), each with
a few dozen to a few hundred items, derived from a hash of the type name so the
same name always shows the same counts.  Once a deletion of a type has been
recorded its data is gone, and later deletions of that type find nothing.

Progress is a pure function of the clock: a deletion started at ``start``
with ``duration`` seconds to run has deleted ``floor(total * elapsed /
duration)`` items, oldest schema version first, and is ``Complete`` once the
duration has passed.  Nothing runs in the background, so a restarted emulator
reports exactly what the first one would have.
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Sequence
from typing import Any

import attrs

__all__ = [
    "COMPLETE",
    "IN_PROGRESS",
    "DeletionRecord",
    "initial_summary",
    "status_item",
    "synthetic_population",
    "wire_timestamp",
]

IN_PROGRESS = "InProgress"
COMPLETE = "Complete"
# The messages SSM reports for the two states (AWS Systems Manager User Guide,
# "Deleting custom inventory").
_IN_PROGRESS_MESSAGE = "The Delete is in progress"
_COMPLETE_MESSAGE = "Deletion is successful"

#: (schema version, item count) pairs, oldest version first.
Population = tuple[tuple[str, int], ...]


@attrs.frozen(kw_only=True)
class DeletionRecord:
    """One recorded DeleteInventory call, as stored."""

    seq: int
    deletion_id: str
    type_name: str
    schema_delete_option: str | None
    client_token: str | None
    start_time: float
    duration: float
    population: Population


def synthetic_population(type_name: str) -> Population:
    """The items a never-deleted custom type holds, stable for a given name."""
    digest = hashlib.sha256(type_name.encode("utf-8")).digest()
    versions = 1 + digest[0] % 3
    return tuple(
        (
            f"{index + 1}.0",
            20 + int.from_bytes(digest[1 + 2 * index : 3 + 2 * index]) % 280,
        )
        for index in range(versions)
    )


def initial_summary(population: Population) -> dict[str, Any]:
    """The DeletionSummary before anything is deleted (DeleteInventory's answer)."""
    return _summary(population, deleted=0)


def status_item(record: DeletionRecord, now: float) -> dict[str, Any]:
    """The ``InventoryDeletionStatusItem`` for ``record`` as of ``now``."""
    total = sum(count for _, count in record.population)
    elapsed = now - record.start_time
    finished = record.duration <= 0 or elapsed >= record.duration
    fraction = 1.0 if finished else max(0.0, elapsed / record.duration)
    deleted = math.floor(total * fraction)
    if finished:
        updated = record.start_time + record.duration
    elif deleted == 0:
        updated = record.start_time
    else:
        # The moment the count last changed: when floor(total * f) reached it.
        updated = record.start_time + record.duration * deleted / total
    return {
        "DeletionId": record.deletion_id,
        "TypeName": record.type_name,
        "DeletionStartTime": wire_timestamp(record.start_time),
        "LastStatus": COMPLETE if finished else IN_PROGRESS,
        "LastStatusMessage": _COMPLETE_MESSAGE if finished else _IN_PROGRESS_MESSAGE,
        "DeletionSummary": _summary(record.population, deleted=deleted),
        "LastStatusUpdateTime": wire_timestamp(updated),
    }


def wire_timestamp(epoch_seconds: float) -> float:
    """awsJson timestamps are epoch seconds; keep millisecond precision."""
    return round(epoch_seconds, 3)


def _summary(population: Sequence[tuple[str, int]], *, deleted: int) -> dict[str, Any]:
    items = []
    left_to_attribute = deleted
    for version, count in population:
        gone = min(count, left_to_attribute)
        left_to_attribute -= gone
        items.append(
            {"Version": version, "Count": count, "RemainingCount": count - gone}
        )
    total = sum(count for _, count in population)
    return {
        "TotalCount": total,
        "RemainingCount": total - deleted,
        "SummaryItems": items,
    }
