"""Serde round trips: any Widget written by ser_widget reads back equal.

Widget is both an input (PutWidget) and an output (GetWidget) of the golden
model, so its serializer and deserializer are both generated.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime

from hypothesis import given, settings
from hypothesis import strategies as st

from tests.golden.widgets import (
    Circle,
    Color,
    ShapeSpecBlank,
    ShapeSpecCircle,
    ShapeSpecLabel,
    Size,
    Widget,
    WidgetStatus,
)
from tests.golden.widgets._serde import de_widget, ser_widget

WIRE_NAMES = {
    "WidgetId", "Name", "Status", "Color", "Size", "CreatedAt", "Price", "Tags",
    "Shape", "Payload",
}  # fmt: skip

shapes = st.one_of(
    st.builds(
        ShapeSpecCircle,
        value=st.builds(Circle, radius=st.integers(), units=st.text(), hint=st.none()),
    ),
    st.builds(ShapeSpecLabel, value=st.text()),
    st.just(ShapeSpecBlank()),
)
widgets = st.builds(
    Widget,
    widget_id=st.text(),
    name=st.none() | st.text(),
    status=st.none() | st.sampled_from(WidgetStatus) | st.text(),
    color=st.none() | st.sampled_from(Color) | st.text(),
    size=st.none() | st.sampled_from(Size) | st.integers(-(2**31), 2**31 - 1),
    created_at=st.none()
    | st.datetimes(
        min_value=datetime(1970, 1, 1),
        max_value=datetime(2200, 1, 1),
        timezones=st.just(UTC),
    ),
    price=st.none()
    | st.decimals(places=2, min_value=-(10**9), max_value=10**9, allow_nan=False),
    tags=st.none() | st.dictionaries(st.text(), st.text(), max_size=3),
    shape=st.none() | shapes,
    payload=st.none() | st.binary(max_size=20),
)


@settings(max_examples=150, deadline=None)
@given(widgets)
def test_widget_round_trips_through_json(widget: Widget) -> None:
    wire = json.loads(json.dumps(ser_widget(widget)))
    assert set(wire) <= WIRE_NAMES
    assert de_widget(wire) == widget


@given(widgets)
def test_absent_members_are_not_sent(widget: Widget) -> None:
    wire = ser_widget(widget)
    assert "WidgetId" in wire
    for attr, name in [("name", "Name"), ("tags", "Tags"), ("payload", "Payload")]:
        assert (name in wire) == (getattr(widget, attr) is not None)
