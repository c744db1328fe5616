"""The golden ``edges`` package on the wire: renamed names keep their wire names.

It is the committed output of tests/golden/edges.smithy (empty structures,
blank documentation, all-deprecated and all-streaming members, names that
collide with keywords, builtins, the generated code's own names, and names
that meet once in snake_case).
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path

import httpx
import pytest
from smithygen_runtime import Credentials

from tests.golden import edges
from tests.golden.edges import EdgesClient, models

from .conftest import Script

pytestmark = pytest.mark.anyio


@pytest.fixture
async def client(script: Script) -> AsyncIterator[EdgesClient]:
    http = httpx.AsyncClient(transport=httpx.MockTransport(script))
    async with EdgesClient(
        region="us-east-1",
        endpoint_url="https://edges.example.com",
        credentials=Credentials("AKIDEXAMPLE", "secret"),
        http_client=http,
    ) as edges_client:
        yield edges_client
    await http.aclose()


async def test_renamed_parameters_are_sent_under_their_model_names(
    client: EdgesClient, script: Script
) -> None:
    script.reply({})
    await client.keywords(
        from_="f",
        import_=1,
        none=True,
        models_="m",
        datetime_=datetime(2024, 1, 2, tzinfo=UTC),
        list_=["x"],
        self_="s",
        attrs_="a",
    )
    assert script.bodies() == [
        {
            "from": "f",
            "import": 1,
            "None": True,
            "models": "m",
            "datetime": 1704153600,
            "list": ["x"],
            "self": "s",
            "attrs": "a",
        }
    ]


async def test_names_meeting_in_snake_case_stay_apart_on_the_wire(
    client: EdgesClient, script: Script
) -> None:
    script.reply({"fooBar": "1", "foo_Bar": "2", "choice": {"Unit_": 7}})
    result = await client.case_only(
        foo_bar="a", foo_bar_="b", foo_bar__="c", foo_bar___=4
    )
    assert script.bodies() == [
        {"fooBar": "a", "foo_bar_": "b", "foo_bar": "c", "FOO__BAR": 4}
    ]
    assert (result.foo_bar, result.foo_bar_) == ("1", "2")
    assert result.choice == models.ChoiceUnit_(value=7)


async def test_empty_structures_and_shapes_of_two_namespaces_parse(
    client: EdgesClient, script: Script
) -> None:
    script.reply(
        {"inner": {}, "other": {"name": "n"}, "hollows": [{}], "byName": {"k": {}}}
    )
    result = await client.nothing()
    assert result.inner == models.Hollow()
    assert result.other == models.Hollow_(name="n")
    assert result.hollows == [models.Hollow()]
    assert result.by_name == {"k": models.Hollow()}


async def test_error_without_members_or_text_is_raised_typed(
    client: EdgesClient, script: Script
) -> None:
    script.reply({"__type": "BlankError"}, status=500)
    with pytest.raises(edges.BlankError) as caught:
        await client.blank()
    assert caught.value.fault == "server"


def test_blank_documentation_falls_back_to_a_docstring() -> None:
    assert models.BlankEmpty.__doc__ == "The BlankEmpty structure."
    assert models.BlankEnum.__doc__ == "The BlankEnum values."
    assert edges.BlankError.__doc__ == "The BlankError error."


def test_a_streaming_blob_is_left_out_and_an_event_stream_generated() -> None:
    # awsJson carries event streams but has no HTTP payload for a blob.
    assert callable(EdgesClient.nothing)
    assert not hasattr(EdgesClient, "upload")
    assert callable(EdgesClient.watch)


def test_members_differing_only_by_case_are_rejected_before_generation() -> None:
    """model.rst, "Shape ID conflicts": member names are case-insensitively unique."""
    # The loader is the generator's; scripts/test-matrix runs this package
    # without it (the generated code must not need it), make test with it.
    idl = pytest.importorskip(
        "smithygen.idl", reason="the generator (smithygen) is not installed here"
    )
    from smithygen.errors import ModelSyntaxError

    source = (Path(__file__).parents[1] / "golden" / "edges.smithy").read_text(
        encoding="utf-8"
    )
    clashing = source.replace("foo_Bar: String", "FooBar: String")
    with pytest.raises(ModelSyntaxError) as caught:
        idl.load_text(clashing, "edges.smithy")
    (diagnostic,) = caught.value.diagnostics
    assert "conflicting member name" in diagnostic.message
    assert "FooBar" in diagnostic.message
