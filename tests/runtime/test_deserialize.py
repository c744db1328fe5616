"""The readers generated deserializers call: JSON type checks and member paths."""

from __future__ import annotations

from datetime import UTC, datetime
from enum import IntEnum, StrEnum
from typing import Any

import attrs
import pytest
from smithygen_runtime import (
    EnumReader,
    WrongShape,
    expect_int,
    expect_str,
    list_of,
    map_of,
    output_constructor,
    parse_date_time,
    parse_timestamp_epoch,
    read_bool,
    read_int,
    read_member,
    read_str,
)


class Colour(StrEnum):
    RED = "red"


class Level(IntEnum):
    LOW = 1


def test_scalar_readers_return_the_value_or_the_default_when_absent_or_null() -> None:
    data = {"S": "text", "I": 3, "B": False, "N": None}
    assert read_str(data, "S") == "text"
    assert read_int(data, "I") == 3
    assert read_bool(data, "B") is False
    assert read_str(data, "N") is None
    assert read_int(data, "Missing", 0) == 0
    assert read_bool(data, "N", True) is True


@pytest.mark.parametrize(
    ("read", "value", "problem"),
    [
        (read_str, 5, "expected a string, got an integer"),
        (read_int, True, "expected an integer, got a boolean"),
        (read_int, 1.5, "expected an integer, got a number"),
        (read_bool, "true", "expected a boolean, got a string"),
    ],
)
def test_a_scalar_of_the_wrong_json_type_is_wrong_shape_at_its_member(
    read: Any, value: object, problem: str
) -> None:
    with pytest.raises(WrongShape) as caught:
        read({"Member": value}, "Member")
    assert caught.value.path == "Member"
    assert caught.value.problem == problem
    assert str(caught.value) == f"Member: {problem}"


def _summary(value: Any) -> dict[str, int]:
    data = value if isinstance(value, dict) else {}
    return {"total": read_int(data, "TotalCount", 0)}


def _item(value: Any) -> dict[str, Any]:
    return {"summary": read_member(value, "DeletionSummary", _summary)}


def test_the_path_names_list_indexes_and_nested_members_outermost_first() -> None:
    body = {"Deletions": [{}, {}, {}, {"DeletionSummary": {"TotalCount": "7"}}]}
    with pytest.raises(WrongShape) as caught:
        read_member(body, "Deletions", lambda value: list_of(value, _item))
    assert caught.value.path == "Deletions[3].DeletionSummary.TotalCount"
    assert caught.value.problem == "expected an integer, got a string"


def test_a_map_value_is_named_by_its_key_in_brackets() -> None:
    with pytest.raises(WrongShape) as caught:
        read_member(
            {"Tags": {"ok": "x", "bad": 1}},
            "Tags",
            lambda value: map_of(value, expect_str),
        )
    assert caught.value.path == "Tags['bad']"
    assert caught.value.problem == "expected a string, got an integer"


def test_a_converter_value_error_becomes_wrong_shape_at_the_member() -> None:
    with pytest.raises(WrongShape) as caught:
        read_member({"At": "yesterday"}, "At", parse_date_time)
    assert caught.value.path == "At"
    assert "not an RFC 3339 date-time" in caught.value.problem
    assert read_member({"At": 0}, "At", parse_timestamp_epoch) == datetime(
        1970, 1, 1, tzinfo=UTC
    )


def test_dense_collections_drop_nulls_and_sparse_ones_keep_them() -> None:
    assert list_of([1, None, 2], expect_int) == [1, 2]
    assert list_of([1, None, 2], expect_int, sparse=True) == [1, None, 2]
    assert map_of({"a": None, "b": 2}, expect_int) == {"b": 2}
    assert map_of({"a": None}, expect_int, sparse=True) == {"a": None}


def test_an_element_index_counts_the_nulls_as_the_response_has_them() -> None:
    with pytest.raises(WrongShape) as caught:
        list_of([None, 1, "two"], expect_int)
    assert caught.value.path == "[2]"


def test_collections_refuse_the_other_json_types() -> None:
    with pytest.raises(WrongShape, match="expected an array, got an object"):
        list_of({}, expect_int)
    with pytest.raises(WrongShape, match="expected an object, got an array"):
        map_of([], expect_int)


def test_enum_readers_give_members_and_keep_values_newer_than_the_model() -> None:
    colours = EnumReader(Colour)
    assert colours("red") is Colour.RED
    assert colours("ultraviolet") == "ultraviolet"
    levels = EnumReader(Level)
    assert levels(1) is Level.LOW
    assert levels(9) == 9
    with pytest.raises(WrongShape, match="expected an integer, got a string"):
        levels("1")
    with pytest.raises(WrongShape, match="expected a string, got a boolean"):
        colours(True)
    assert repr(colours) == "EnumReader(Colour)"


@attrs.define(kw_only=True, frozen=True, slots=True)
class _Output:
    name: str | None = None
    count: int = 0
    _private: str = ""


def test_output_constructor_builds_what_the_class_builds() -> None:
    new_output = output_constructor(_Output)
    assert new_output is not _Output
    built = new_output(name="a", count=2, private="p")
    assert built == _Output(name="a", count=2, private="p")
    assert type(built) is _Output and hash(built) == hash(
        _Output(name="a", count=2, private="p")
    )
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        built.count = 3  # type: ignore[misc]
    with pytest.raises(TypeError):
        new_output(name="a", count=2)  # every member is passed by deserializers


@attrs.define(kw_only=True, frozen=True, slots=True)
class _Validated:
    count: int = attrs.field(validator=attrs.validators.instance_of(int))


@attrs.define(kw_only=True, frozen=True, slots=True)
class _Hooked:
    count: int = 0

    def __attrs_post_init__(self) -> None:
        raise ValueError("post-init ran")


@attrs.define(kw_only=True, slots=True)
class _Mutable:
    count: int = 0


@attrs.define(kw_only=True, frozen=True, slots=False)
class _NoSlots:
    count: int = 0


def test_output_constructor_is_made_once_per_class() -> None:
    """Grouped packages ask for it at every object they build: the same one comes back."""
    assert output_constructor(_Output) is output_constructor(_Output)


@pytest.mark.parametrize("cls", [_Validated, _Hooked, _Mutable, _NoSlots])
def test_output_constructor_keeps_an_init_it_cannot_skip(cls: type[Any]) -> None:
    """Validators, converters and init hooks must run: such a class is its own constructor."""
    assert output_constructor(cls) is cls
