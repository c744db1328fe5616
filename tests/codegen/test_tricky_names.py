"""A model full of awkward names generates code that imports, type-checks and works.

tricky.json has a structure called ``Document`` (our JSON alias's name) and one
called ``None``, an error called ``ValidationError`` (a runtime name) with
``Code``/``RequestId`` members, members called ``self``/``Type``/``class`` and
``FooBar`` beside ``foo_bar``, enum members whose Python names collide, a union
member called ``Unknown`` and an operation called ``Aclose``.
"""

from __future__ import annotations

import importlib
import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import httpx
import pytest
from smithygen.generate import generate
from smithygen_runtime import Credentials

MODEL = Path(__file__).with_name("tricky.json")


@pytest.fixture(scope="module")
def tricky(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ModuleType]:
    out = tmp_path_factory.mktemp("tricky")
    generate([MODEL], service="example.tricky#Tricky", package="tricky", out=out)
    sys.path.insert(0, str(out))
    yield importlib.import_module("tricky")
    sys.path.remove(str(out))
    for name in [m for m in sys.modules if m.split(".")[0] == "tricky"]:
        del sys.modules[name]


def test_colliding_names_are_renamed_predictably(tricky: ModuleType) -> None:
    assert tricky.Document_.__name__ == "Document_"
    assert tricky.None_.__name__ == "None_"
    assert tricky.ValidationError_.code == "ValidationError"
    assert issubclass(tricky.ValidationError_, tricky.TrickyError)
    assert [m.name for m in tricky.Kind] == ["NAME_", "A_B", "A_B_"]
    fields = [f.name for f in tricky.PutInput.__attrs_attrs__]
    assert fields[:5] == ["self_", "type_", "class_", "foo_bar", "foo_bar_"]
    assert tricky.PutInput().kind is tricky.Kind.A_B_  # @default("x-y")
    client = tricky.TrickyClient
    assert callable(client.aclose_)
    assert client.aclose is not client.aclose_


@pytest.mark.anyio
async def test_tricky_client_round_trip(tricky: ModuleType) -> None:
    requests: list[httpx.Request] = []
    answers = [
        httpx.Response(200, json={"Pick": {"Unknown": "member named Unknown"}}),
        httpx.Response(200, json={"Pick": {"Brand": 1}}),
        httpx.Response(
            400, json={"__type": "ValidationError", "Code": "C1", "RequestId": "r"}
        ),
    ]

    def handler(request: httpx.Request) -> httpx.Response:
        requests.append(request)
        return answers[len(requests) - 1]

    http = httpx.AsyncClient(transport=httpx.MockTransport(handler))
    async with tricky.TrickyClient(
        region="us-east-1",
        endpoint_url="https://tricky.example.com",
        credentials=Credentials("AKID", "secret"),
        http_client=http,
    ) as client:
        first = await client.put(self_="s", type_="t", class_="c", foo_bar_="f")
        second = await client.put()
        with pytest.raises(tricky.ValidationError_) as caught:
            await client.put()
    await http.aclose()
    assert json.loads(requests[0].content) == {
        "self": "s",
        "Type": "t",
        "class": "c",
        "foo_bar": "f",
        "Kind": "x-y",
    }
    assert first.pick == tricky.PickUnknown(value="member named Unknown")
    assert second.pick == tricky.PickUnknown_(tag="Brand")
    assert (caught.value.code_, caught.value.request_id_) == ("C1", "r")
    assert caught.value.code == "ValidationError"


def test_tricky_package_passes_mypy_strict(tricky: ModuleType) -> None:
    root = Path(tricky.__file__).parent.parent
    result = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--no-incremental", "tricky"],
        cwd=root,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_a_modeled_error_wins_over_the_common_error_of_the_same_code(
    tricky: ModuleType,
) -> None:
    from smithygen_runtime import common_errors

    service = tricky._service.SERVICE
    # tricky.json models ValidationError: that code keeps the modeled class ...
    assert service.errors["ValidationError"] is tricky.ValidationError_
    assert not issubclass(tricky.ValidationError_, common_errors.CommonServiceError)
    # ... while ValidationException, not modeled, is the common class.
    assert service.errors["ValidationException"] is tricky.ValidationException
    assert issubclass(tricky.ValidationException, common_errors.ValidationException)
    assert issubclass(tricky.ValidationException, tricky.TrickyError)
    assert service.errors["ThrottlingException"] is tricky.ThrottlingException


def test_the_readme_section_lists_the_common_errors_the_package_has() -> None:
    from smithy_python.model import load_model
    from smithygen.emit.context import Context
    from smithygen.emit.errors import common_errors_markdown
    from smithygen.select import select

    model = load_model(json.loads(MODEL.read_text()))
    ctx = Context(
        model, select(model, "example.tricky#Tricky", None), package="t", sources=[]
    )
    text = common_errors_markdown(ctx)
    assert "| `ThrottlingException` | `ThrottlingException` |" in text
    # The modeled ValidationError keeps its code: only ValidationException is listed.
    assert "| `ValidationException` | `ValidationException` |" in text
    assert "`ValidationError`" not in text.split("|---|---|---|")[1]
    assert text.count("\n| `") == len(ctx.common_errors)


def test_the_generators_common_error_table_is_the_runtimes() -> None:
    from smithygen.emit.common_errors import COMMON_ERRORS as GENERATOR_TABLE
    from smithygen_runtime.common_errors import COMMON_ERRORS as RUNTIME_TABLE

    by_class: dict[str, list[str]] = {}
    for code, cls in RUNTIME_TABLE.items():
        by_class.setdefault(cls.__name__, []).append(code)
    assert {name: list(codes) for name, codes, _ in GENERATOR_TABLE} == by_class
    for name, _, summary in GENERATOR_TABLE:
        doc = RUNTIME_TABLE[by_class[name][0]].__doc__ or ""
        assert doc.strip().splitlines()[0] == summary
