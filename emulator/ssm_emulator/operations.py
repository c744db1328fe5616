"""DeleteInventory and DescribeInventoryDeletions, from parsed JSON to result.

Input checks run in the order an AWS front end applies them: JSON types first
(``SerializationException``), then the model's constraints, all reported at
once (``ValidationException``), then the operation's own rules, which answer
with the errors the SSM model declares for the operation.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Awaitable, Callable, Mapping
from typing import Any

from .errors import ApiError, ValidationProblem, serialization_error, validation_error
from .inventory import DeletionRecord, initial_summary, status_item
from .settings import Settings
from .store import ClientTokenReused, DeletionStore
from .tokens import NextTokenCodec

__all__ = ["Operation", "SsmInventoryOperations"]

Operation = Callable[[Mapping[str, Any]], Awaitable[dict[str, Any]]]

# Constraints from the official model (ssm-2014-11-06.json): InventoryItemTypeName,
# UUID, MaxResults and the InventorySchemaDeleteOption enum.
_TYPE_NAME_PATTERN = "^(AWS|Custom):.*$"
_UUID_PATTERN = "^[a-f0-9]{8}-[a-f0-9]{4}-[a-f0-9]{4}-[a-f0-9]{4}-[a-f0-9]{12}$"
_SCHEMA_DELETE_OPTIONS = ("DisableSchema", "DeleteSchema")
_MAX_RESULTS_RANGE = (1, 50)


def _matches(pattern: str, value: str) -> bool:
    # The model's patterns are anchored; fullmatch keeps a trailing newline
    # from sneaking past "$".
    return re.fullmatch(pattern.strip("^$"), value) is not None


def _json_kind(value: object) -> str:
    # The token names the AWS front end uses in its type-mismatch messages.
    if isinstance(value, bool):
        return "TRUE_VALUE" if value else "FALSE_VALUE"
    if isinstance(value, int | float):
        return "NUMBER_VALUE"
    if isinstance(value, str):
        return "STRING_VALUE"
    if isinstance(value, list):
        return "START_ARRAY"
    return "START_OBJECT"


def _member(params: Mapping[str, Any], name: str, kind: type, label: str) -> Any:
    """A member of the input with its JSON type checked; JSON null is absent."""
    value = params.get(name)
    if value is None:
        return None
    ok = isinstance(value, kind) and not (kind is int and isinstance(value, bool))
    if not ok:
        raise serialization_error(
            f"{_json_kind(value)} can not be converted to {label}"
        )
    return value


class SsmInventoryOperations:
    """The two operations, bound to a store, a token codec and settings."""

    def __init__(
        self, store: DeletionStore, tokens: NextTokenCodec, settings: Settings
    ) -> None:
        self._store = store
        self._tokens = tokens
        self._settings = settings

    def table(self) -> dict[str, Operation]:
        """Operation name (as in X-Amz-Target) to handler."""
        return {
            "DeleteInventory": self.delete_inventory,
            "DescribeInventoryDeletions": self.describe_inventory_deletions,
        }

    async def delete_inventory(self, params: Mapping[str, Any]) -> dict[str, Any]:
        """Start (or, with DryRun, preview) deleting a custom inventory type."""
        type_name = _member(params, "TypeName", str, "a String")
        option = _member(params, "SchemaDeleteOption", str, "a String")
        dry_run = _member(params, "DryRun", bool, "a Boolean") or False
        client_token = _member(params, "ClientToken", str, "a String")
        problems = [
            *_type_name_problems(type_name),
            *_client_token_problems(client_token),
        ]
        if problems:
            raise validation_error(problems)
        assert type_name is not None
        _check_deletable(type_name, option)
        if dry_run:
            return await self._preview_deletion(type_name)
        return await self._start_deletion(type_name, option, client_token)

    async def _preview_deletion(self, type_name: str) -> dict[str, Any]:
        """DryRun's answer: what a deletion would report, recording nothing."""
        # The user guide's dry-run example shows a DeletionId; it names
        # nothing recorded, so describing it reports an unknown id.
        population = await self._store.call(DeletionStore.population_of, type_name)
        return {
            "DeletionId": str(uuid.uuid4()),
            "TypeName": type_name,
            "DeletionSummary": initial_summary(population),
        }

    async def _start_deletion(
        self, type_name: str, option: str | None, client_token: str | None
    ) -> dict[str, Any]:
        """Record the deletion (or replay the one its ClientToken started)."""
        try:
            record, _replayed = await self._store.call(
                _record_deletion,
                type_name,
                option,
                client_token,
                self._settings.clock(),
                self._settings.completion_seconds,
            )
        except ClientTokenReused as reused:
            raise ApiError(
                "InvalidDeleteInventoryParametersException",
                f"ClientToken {client_token} was already used to delete "
                f"{reused.existing.type_name} with different parameters.",
                modeled=True,
            ) from None
        return {
            "DeletionId": record.deletion_id,
            "TypeName": record.type_name,
            "DeletionSummary": initial_summary(record.population),
        }

    async def describe_inventory_deletions(
        self, params: Mapping[str, Any]
    ) -> dict[str, Any]:
        """One deletion by id, or a page of all deletions, newest first."""
        deletion_id = _member(params, "DeletionId", str, "a String")
        next_token = _member(params, "NextToken", str, "a String")
        max_results = _member(params, "MaxResults", int, "an Integer")

        low, high = _MAX_RESULTS_RANGE
        if max_results is not None and not low <= max_results <= high:
            relation, bound = ("less", high) if max_results > high else ("greater", low)
            raise validation_error(
                [
                    ValidationProblem(
                        "MaxResults",
                        max_results,
                        f"Member must have value {relation} than or equal to {bound}",
                    )
                ]
            )
        before_seq = self._tokens.position(next_token) if next_token else None
        now = self._settings.clock()

        if deletion_id is not None:
            record = None
            if _matches(_UUID_PATTERN, deletion_id):
                record = await self._store.call(DeletionStore.get, deletion_id)
            if record is None:
                raise ApiError(
                    "InvalidDeletionIdException",
                    f"The deletion ID {deletion_id} doesn't exist or isn't valid.",
                    modeled=True,
                )
            return {"InventoryDeletions": [status_item(record, now)]}

        limit = (
            max_results
            if max_results is not None
            else self._settings.default_max_results
        )
        records, more = await self._store.call(_newest_first, before_seq, limit)
        result: dict[str, Any] = {
            "InventoryDeletions": [status_item(r, now) for r in records]
        }
        if more and records:
            result["NextToken"] = self._tokens.issue(records[-1].seq)
        return result


def _record_deletion(
    store: DeletionStore,
    type_name: str,
    option: str | None,
    client_token: str | None,
    start_time: float,
    duration: float,
) -> tuple[DeletionRecord, bool]:
    return store.record_deletion(
        deletion_id=str(uuid.uuid4()),
        type_name=type_name,
        schema_delete_option=option,
        client_token=client_token,
        start_time=start_time,
        duration=duration,
    )


def _newest_first(
    store: DeletionStore, before_seq: int | None, limit: int
) -> tuple[list[DeletionRecord], bool]:
    return store.newest_first(before_seq=before_seq, limit=limit)


def _type_name_problems(type_name: str | None) -> list[ValidationProblem]:
    """DeleteInventory's TypeName constraints: required, length 1-100, pattern."""
    if type_name is None:
        return [ValidationProblem("TypeName", None, "Member must not be null")]
    problems = []
    if len(type_name) > 100:
        problems.append(
            ValidationProblem(
                "TypeName",
                type_name,
                "Member must have length less than or equal to 100",
            )
        )
    if len(type_name) < 1:
        problems.append(
            ValidationProblem(
                "TypeName",
                type_name,
                "Member must have length greater than or equal to 1",
            )
        )
    if not _matches(_TYPE_NAME_PATTERN, type_name):
        problems.append(
            ValidationProblem(
                "TypeName",
                type_name,
                f"Member must satisfy regular expression pattern: {_TYPE_NAME_PATTERN}",
            )
        )
    return problems


def _client_token_problems(client_token: str | None) -> list[ValidationProblem]:
    """DeleteInventory's ClientToken constraint: a UUID when given."""
    if client_token is not None and not _matches(_UUID_PATTERN, client_token):
        return [
            ValidationProblem(
                "ClientToken",
                client_token,
                f"Member must satisfy regular expression pattern: {_UUID_PATTERN}",
            )
        ]
    return []


def _check_deletable(type_name: str, option: str | None) -> None:
    """ApiError for an unknown SchemaDeleteOption or a type that is not custom."""
    if option is not None and option not in _SCHEMA_DELETE_OPTIONS:
        raise ApiError(
            "InvalidOptionException",
            f"SchemaDeleteOption '{option}' is not valid. Valid options are: "
            f"{', '.join(_SCHEMA_DELETE_OPTIONS)}.",
            modeled=True,
        )
    if not type_name.startswith("Custom:") or type_name == "Custom:":
        raise ApiError(
            "InvalidTypeNameException",
            f"The type name {type_name} is not valid. Only custom inventory types "
            "(Custom:<name>) can be deleted.",
            modeled=True,
        )
