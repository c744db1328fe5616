"""Serde helpers: timestamps, floats, blobs, idempotency tokens."""

from __future__ import annotations

import math
import uuid
from datetime import UTC, datetime, timedelta, timezone

import pytest
from smithygen_runtime import (
    new_idempotency_token,
    parse_blob,
    parse_float,
    parse_timestamp,
    parse_timestamp_epoch,
    serialize_blob,
    serialize_float,
    serialize_timestamp,
    serialize_timestamp_epoch,
)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (0, datetime(1970, 1, 1, tzinfo=UTC)),
        (1_700_000_000, datetime(2023, 11, 14, 22, 13, 20, tzinfo=UTC)),
        (1_700_000_000.5, datetime(2023, 11, 14, 22, 13, 20, 500000, tzinfo=UTC)),
        (1_515_531_081.123, datetime(2018, 1, 9, 20, 51, 21, 123000, tzinfo=UTC)),
        (-1.25, datetime(1969, 12, 31, 23, 59, 58, 750000, tzinfo=UTC)),
    ],
)
def test_parse_epoch_seconds(value: float, expected: datetime) -> None:
    parsed = parse_timestamp_epoch(value)
    assert parsed == expected
    assert parsed.tzinfo is UTC


@pytest.mark.parametrize(
    "value", ["1700000000", None, True, float("nan"), float("inf"), [1]]
)
def test_parse_epoch_rejects_non_numbers(value: object) -> None:
    with pytest.raises(ValueError):
        parse_timestamp_epoch(value)


def test_serialize_epoch_seconds() -> None:
    assert (
        serialize_timestamp_epoch(datetime(2023, 11, 14, 22, 13, 20, tzinfo=UTC))
        == 1_700_000_000
    )
    assert isinstance(serialize_timestamp_epoch(datetime(2023, 1, 1, tzinfo=UTC)), int)
    assert (
        serialize_timestamp_epoch(
            datetime(2023, 11, 14, 22, 13, 20, 500000, tzinfo=UTC)
        )
        == 1_700_000_000.5
    )
    plus_two = timezone(timedelta(hours=2))
    assert (
        serialize_timestamp_epoch(datetime(2023, 11, 15, 0, 13, 20, tzinfo=plus_two))
        == 1_700_000_000
    )
    # Naive datetimes are read as UTC, never as the machine's local time.
    assert (
        serialize_timestamp_epoch(datetime(2023, 11, 14, 22, 13, 20)) == 1_700_000_000
    )


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2019-12-16T23:48:18Z", datetime(2019, 12, 16, 23, 48, 18, tzinfo=UTC)),
        ("2019-12-16t23:48:18z", datetime(2019, 12, 16, 23, 48, 18, tzinfo=UTC)),
        (
            "2019-12-16T23:48:18.123Z",
            datetime(2019, 12, 16, 23, 48, 18, 123000, tzinfo=UTC),
        ),
        (
            "2019-12-16T23:48:18.123456Z",
            datetime(2019, 12, 16, 23, 48, 18, 123456, tzinfo=UTC),
        ),
        (
            "2019-12-16T23:48:18.123456789Z",
            datetime(2019, 12, 16, 23, 48, 18, 123456, tzinfo=UTC),
        ),
        ("2019-12-17T01:48:18+02:00", datetime(2019, 12, 16, 23, 48, 18, tzinfo=UTC)),
        (
            "2019-12-16T22:48:18.5-01:00",
            datetime(2019, 12, 16, 23, 48, 18, 500000, tzinfo=UTC),
        ),
    ],
)
def test_parse_date_time(text: str, expected: datetime) -> None:
    parsed = parse_timestamp(text, "date-time")
    assert parsed == expected and parsed.tzinfo is UTC


@pytest.mark.parametrize(
    "text",
    [
        "2019-12-16",
        "2019-12-16T23:48:18",
        "2019-12-16 23:48:18Z",
        "yesterday",
        "2019-12-16T23:48:18.Z",
        "2019-13-16T23:48:18Z",
        # RFC 3339 section 5.6: time-secfrac is "." 1*DIGIT, then the offset
        # follows at once; fromisoformat alone read these as 18.12 s.
        "2019-12-16T23:48:18.12aZ",
        "2019-12-16T23:48:18.12a+01:00",
        "2019-12-16T23:48:18.1 Z",
        # time-numoffset is ("+" / "-") time-hour ":" time-minute.
        "2019-12-16T23:48:18+0100",
        "2019-12-16T23:48:18+01",
        # DIGIT is ASCII (RFC 5234), not any Unicode digit.
        "2019-12-16T23:48:18.\u0661\u0662Z",
    ],
)
def test_parse_date_time_rejects_non_rfc3339(text: str) -> None:
    # The same error, with the same words, whatever is wrong with the text
    # (protocol-traits.rst, timestampFormat: date-time is RFC 3339's date-time).
    with pytest.raises(ValueError, match=r"^not an RFC 3339 date-time: "):
        parse_timestamp(text, "date-time")


def test_http_date_round_trip() -> None:
    dt = datetime(2014, 4, 29, 18, 30, 38, tzinfo=UTC)
    assert serialize_timestamp(dt, "http-date") == "Tue, 29 Apr 2014 18:30:38 GMT"
    assert parse_timestamp("Tue, 29 Apr 2014 18:30:38 GMT", "http-date") == dt
    with pytest.raises(ValueError):
        parse_timestamp("29/04/2014", "http-date")


def test_date_time_serialization() -> None:
    assert (
        serialize_timestamp(datetime(2019, 12, 16, 23, 48, 18, tzinfo=UTC), "date-time")
        == "2019-12-16T23:48:18Z"
    )
    assert (
        serialize_timestamp(
            datetime(2019, 12, 16, 23, 48, 18, 120000, tzinfo=UTC), "date-time"
        )
        == "2019-12-16T23:48:18.12Z"
    )
    assert (
        serialize_timestamp(datetime(2019, 1, 1, tzinfo=UTC), "epoch-seconds")
        == 1546300800
    )


def test_floats() -> None:
    assert parse_float(1) == 1.0 and isinstance(parse_float(1), float)
    assert parse_float(2.5) == 2.5
    assert math.isnan(parse_float("NaN"))
    assert parse_float("Infinity") == math.inf
    assert parse_float("-Infinity") == -math.inf
    for bad in ("nan", "1.5", True, None):
        with pytest.raises(ValueError):
            parse_float(bad)
    assert serialize_float(math.nan) == "NaN"
    assert serialize_float(math.inf) == "Infinity"
    assert serialize_float(-math.inf) == "-Infinity"
    assert serialize_float(1.5) == 1.5


def test_blobs() -> None:
    assert serialize_blob(b"hello\x00") == "aGVsbG8A"
    assert parse_blob("aGVsbG8A") == b"hello\x00"
    for bad in ("not base64!", "aGVsbG8", 5):
        with pytest.raises(ValueError):
            parse_blob(bad)


def test_idempotency_tokens_are_fresh_uuid4s() -> None:
    first, second = new_idempotency_token(), new_idempotency_token()
    assert first != second
    assert uuid.UUID(first).version == 4


def test_enum_values_maps_wire_values_to_members() -> None:
    from enum import StrEnum

    from smithygen_runtime import enum_values

    class Status(StrEnum):
        DONE = "Done"
        BUSY = "Busy"

    values = enum_values(Status)
    assert values == {"Done": Status.DONE, "Busy": Status.BUSY}
    # Open enum read: a value newer than the model stays a plain string.
    assert values.get("Paused", "Paused") == "Paused"


def test_slot_setters_build_frozen_instances_and_need_every_field() -> None:
    import attrs
    from smithygen_runtime import SLOT_SETTERS, slot_setters

    @attrs.define(kw_only=True, frozen=True, slots=True)
    class Point:
        x: int
        y: int = 0

    set_y, set_x = slot_setters(Point, "y", "x")
    assert SLOT_SETTERS[Point] == (set_y, set_x)
    point = object.__new__(Point)
    set_y(point, 2)
    set_x(point, 1)
    assert point == Point(x=1, y=2)
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        point.x = 5  # type: ignore[misc]
    with pytest.raises(TypeError, match="fields"):
        slot_setters(Point, "x")
    with pytest.raises(TypeError, match="fields"):
        slot_setters(Point, "x", "x", "y")
