"""The golden ``widgets`` package (awsJson1_0) on the wire: every shape kind.

It is the committed output of tests/golden/widgets.json, so these tests run the
exact code the golden test pins.
"""

from __future__ import annotations

import base64
import gzip
import json
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from decimal import Decimal

import httpx
import pytest
from smithygen_runtime import Credentials, RetryConfig, WaiterProgress

from tests.golden.widgets import (
    Circle,
    Color,
    InvalidWidgetError,
    ShapeSpecBlank,
    ShapeSpecCircle,
    ShapeSpecLabel,
    ShapeSpecUnknown,
    Size,
    ThrottledError,
    ValidationError,
    Widget,
    WidgetNotFound,
    WidgetStatus,
    WidgetStoreClient,
)

from .conftest import Script

pytestmark = pytest.mark.anyio

WIDGET = {"WidgetId": "w-00ff", "Status": "READY"}


@pytest.fixture
async def widgets(script: Script) -> AsyncIterator[WidgetStoreClient]:
    http = httpx.AsyncClient(transport=httpx.MockTransport(script))
    async with WidgetStoreClient(
        region="us-west-2",
        endpoint_url="https://widgets.example.com",
        credentials=Credentials("AKIDEXAMPLE", "secret"),
        http_client=http,
        retry=RetryConfig(max_attempts=2, base_delay=0.001, max_backoff=0.002),
    ) as client:
        yield client
    await http.aclose()


async def test_create_serializes_every_kind_with_wire_names(
    widgets: WidgetStoreClient, script: Script
) -> None:
    script.reply({"Widget": WIDGET})
    await widgets.create_widget(
        name="gear",
        region="eu",
        size=Size.LARGE,
        weight=float("inf"),
        price=Decimal("2.5"),
        tags={"a": "b"},
        parts=["x"],
        notes=["n", None],
        shape=ShapeSpecCircle(value=Circle(radius=3)),
        extra={"k": [1, None, True]},
        payload=b"\x00\xff",
        expires_at=datetime(2024, 5, 1, 12, 0, 0, 500000, tzinfo=UTC),
        type_="special",
        client_token="tok",
    )
    (request,) = script.requests
    assert request.headers["Content-Type"] == "application/x-amz-json-1.0"
    assert request.headers["X-Amz-Target"] == "WidgetStore.CreateWidget"
    # @endpoint(hostPrefix: "{Region}.data.") with the @hostLabel member.
    assert request.url.host == "eu.data.widgets.example.com"
    assert json.loads(request.content) == {
        "Name": "gear",
        "Region": "eu",
        "Size": 2,
        "Weight": "Infinity",
        "Price": 2.5,
        "Tags": {"a": "b"},
        "Parts": ["x"],
        "Notes": ["n", None],
        # Nested @default members are filled and sent; the top-level ones of an
        # @input structure (Color, Count) are left to the service, and so is a
        # @clientOptional one (type refinement traits: input, clientOptional).
        "Shape": {"Circle": {"Radius": 3, "Units": "cm"}},
        "Extra": {"k": [1, None, True]},
        "Payload": base64.b64encode(b"\x00\xff").decode(),
        "ExpiresAt": "2024-05-01T12:00:00.5Z",
        "type": "special",
        "ClientToken": "tok",
    }


async def test_top_level_input_defaults_are_sent_when_given(
    widgets: WidgetStoreClient, script: Script
) -> None:
    script.reply({"Widget": WIDGET})
    await widgets.create_widget(name="g", region="eu", color=Color.RED, count=1)
    body = script.bodies()[0]
    assert (body["Color"], body["Count"]) == ("red", 1)


async def test_missing_required_output_members_are_error_corrected(
    widgets: WidgetStoreClient, script: Script
) -> None:
    # aggregate-types.rst, "Client error correction": zero values, {} structures.
    script.reply({})
    result = await widgets.create_widget(name="g", region="eu")
    assert result.widget.widget_id == ""
    assert result.widget.name is None


@pytest.mark.parametrize(
    ("shape", "wire"),
    [
        (ShapeSpecLabel(value="round"), {"Label": "round"}),
        (ShapeSpecBlank(), {"Blank": {}}),
    ],
)
async def test_union_variants_serialize(
    widgets: WidgetStoreClient,
    script: Script,
    shape: ShapeSpecLabel | ShapeSpecBlank,
    wire: dict[str, object],
) -> None:
    script.reply({"Widget": WIDGET})
    await widgets.create_widget(name="g", region="eu", shape=shape)
    assert script.bodies()[0]["Shape"] == wire


async def test_unknown_union_variant_cannot_be_sent(
    widgets: WidgetStoreClient, script: Script
) -> None:
    with pytest.raises(ValidationError) as caught:
        await widgets.create_widget(
            name="g", region="eu", shape=ShapeSpecUnknown(tag="Square")
        )
    assert caught.value.path == "Shape"
    assert script.requests == []


async def test_get_parses_every_kind(
    widgets: WidgetStoreClient, script: Script
) -> None:
    script.reply(
        {
            "Widget": {
                "WidgetId": "w-0001",
                "Status": "BROKEN",
                "Color": "blue",
                "Size": 7,
                "CreatedAt": 1.5,
                "Price": 10.25,
                "Tags": {"t": "v"},
                "Shape": {"__type": "ignored", "Label": None, "Circle": {"Radius": 2}},
                "Payload": "AP8=",
            }
        }
    )
    result = await widgets.get_widget(widget_id="w-0001")
    widget = result.widget
    assert widget is not None
    assert widget.status is WidgetStatus.BROKEN
    assert widget.color == "blue" and not isinstance(widget.color, Color)
    assert widget.size == 7 and not isinstance(widget.size, Size)
    assert widget.created_at == datetime(1970, 1, 1, 0, 0, 1, 500000, tzinfo=UTC)
    assert widget.price == Decimal("10.25")
    assert widget.tags == {"t": "v"}
    assert widget.shape == ShapeSpecCircle(value=Circle(radius=2))
    assert widget.payload == b"\x00\xff"


async def test_request_compression_of_large_bodies(
    widgets: WidgetStoreClient, script: Script
) -> None:
    script.reply({})
    payload = b"w" * 20_000  # beyond the default 10 KiB compression threshold
    await widgets.put_widget(widget=Widget(widget_id="w-0001", payload=payload))
    (request,) = script.requests
    assert request.headers["Content-Encoding"] == "gzip"
    body = json.loads(gzip.decompress(request.content))
    assert base64.b64decode(body["Widget"]["Payload"]) == payload


async def test_sensitive_members_stay_out_of_repr(
    widgets: WidgetStoreClient, script: Script
) -> None:
    script.reply({"Widget": {"WidgetId": "w-0001", "Secret": "hunter2"}})
    result = await widgets.get_widget(widget_id="w-0001")
    assert result.widget is not None and result.widget.secret == "hunter2"
    assert "hunter2" not in repr(result)
    assert "secret=<sensitive>" in repr(result.widget)


async def test_unknown_union_member_is_kept_as_unknown(
    widgets: WidgetStoreClient, script: Script
) -> None:
    script.reply({"Widget": {"WidgetId": "w-0001", "Shape": {"Hexagon": {"Side": 1}}}})
    result = await widgets.get_widget(widget_id="w-0001")
    assert result.widget is not None
    assert result.widget.shape == ShapeSpecUnknown(tag="Hexagon")


async def test_error_members_are_typed(
    widgets: WidgetStoreClient, script: Script
) -> None:
    script.reply(
        {
            "__type": "InvalidWidgetError",
            "Message": "bad",
            "Reason": "green",
            "Fields": ["Name"],
        },
        status=400,
    )
    with pytest.raises(InvalidWidgetError) as caught:
        await widgets.create_widget(name="g", region="eu")
    assert caught.value.message == "bad"
    assert caught.value.reason is Color.GREEN
    assert caught.value.fields == ["Name"]


async def test_retryable_service_error_is_retried(
    widgets: WidgetStoreClient, script: Script
) -> None:
    script.reply({"__type": "ThrottledError"}, status=400)
    with pytest.raises(ThrottledError) as caught:
        await widgets.get_widget(widget_id="w-0001")
    assert caught.value.retryable is True
    assert len(script.requests) == 2


async def test_operation_without_input_or_output(
    widgets: WidgetStoreClient, script: Script
) -> None:
    script.reply({})
    assert await widgets.ping() is None
    assert script.bodies() == [{}]


@pytest.mark.parametrize(
    ("kwargs", "path", "rule"),
    [
        ({"parts": ["a", "b", "c", "d"]}, "Parts", "length"),
        ({"parts": ["ok", ""]}, "Parts[1]", "length"),
        ({"count": 0}, "Count", "range"),
        ({"notes": "abc"}, "Notes", "type"),
        ({"tags": {"k": 1}}, "Tags['k']", "type"),
        (
            {"shape": ShapeSpecCircle(value=Circle(radius="3"))},
            "Shape.Circle.Radius",
            "type",
        ),
        ({"expires_at": "2024-01-01"}, "ExpiresAt", "type"),
    ],
)
async def test_nested_validation_paths(
    widgets: WidgetStoreClient,
    script: Script,
    kwargs: dict[str, object],
    path: str,
    rule: str,
) -> None:
    with pytest.raises(ValidationError) as caught:
        await widgets.create_widget(name="g", region="eu", **kwargs)  # type: ignore[arg-type]
    assert (caught.value.path, caught.value.rule) == (path, rule)


async def test_service_level_paginated_defaults(
    widgets: WidgetStoreClient, script: Script
) -> None:
    script.reply({"Widgets": [WIDGET], "NextToken": "n"})
    script.reply({"Widgets": [{"WidgetId": "w-0002"}]})
    items = [
        w.widget_id async for w in widgets.paginate_list_widgets_items(max_results=1)
    ]
    assert items == ["w-00ff", "w-0002"]
    assert script.bodies() == [{"MaxResults": 1}, {"MaxResults": 1, "NextToken": "n"}]


async def test_waiter_retries_on_error_then_succeeds(
    widgets: WidgetStoreClient, script: Script
) -> None:
    script.reply({"__type": "WidgetNotFound"}, status=400)
    script.reply({"Widget": {"WidgetId": "w-0001", "Status": "READY"}})
    progress: list[WaiterProgress] = []
    result = await widgets.wait_until_widget_ready(
        widget_id="w-0001", max_wait=5, on_attempt=progress.append
    )
    assert result is not None and result.widget is not None
    assert result.widget.status is WidgetStatus.READY
    assert len(script.requests) == 2
    assert [(p.waiter, p.attempt, p.error_code) for p in progress] == [
        ("WidgetReady", 1, "WidgetNotFound")
    ]


async def test_waiter_failure_state(widgets: WidgetStoreClient, script: Script) -> None:
    from tests.golden.widgets import WaiterError

    script.reply({"Widget": {"WidgetId": "w-0001", "Status": "BROKEN"}})
    with pytest.raises(WaiterError):
        await widgets.wait_until_widget_ready(widget_id="w-0001", max_wait=5)


async def test_not_found_error_class(
    widgets: WidgetStoreClient, script: Script
) -> None:
    script.reply({"__type": "WidgetNotFound", "message": "gone"}, status=400)
    with pytest.raises(WidgetNotFound, match="gone"):
        await widgets.get_widget(widget_id="w-0001")
