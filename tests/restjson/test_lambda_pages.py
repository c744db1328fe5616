"""A restJson1 page read into typed objects through the deserializer tables.

The Lambda client generated from the official model answers ``ListFunctions``
with the benchmark's 50-function page (``bench.rest_json``) over
``httpx.MockTransport``: read whole, and, with one member of the wrong type
deep in it, refused with a ``ResponseParseError`` that names the member's
path, the HTTP status and the request id (issue 13 item 3).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from types import ModuleType
from typing import Any

import anyio
import httpx
import pytest
from smithygen_runtime import ResponseParseError

from bench.rest_json import PAGE_SIZE, function_item
from tests.conftest import require_shared
from tests.support.generated_client import (
    client_on_mock_transport,
    import_generated_package,
)

SERVICE = "com.amazonaws.lambda#AWSGirApiService"
REQUEST_ID = "c1a2b3d4-0000-4000-8000-000000000001"


@pytest.fixture(scope="module")
def lambda_package(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ModuleType]:
    model = require_shared("aws-models", "lambda-2015-03-31.json")
    yield from import_generated_package(
        tmp_path_factory.mktemp("lambda-pages"),
        [model],
        SERVICE,
        "lambda_pages",
        modules=("_serde",),
    )


def page() -> dict[str, Any]:
    return {
        "Functions": [function_item(i) for i in range(PAGE_SIZE)],
        "NextMarker": "next",
    }


def list_functions(package: ModuleType, document: dict[str, Any]) -> Any:
    """``list_functions(max_items=50)`` answered with ``document``."""

    def answer(request: httpx.Request) -> httpx.Response:
        return httpx.Response(
            200,
            headers={"x-amzn-RequestId": REQUEST_ID},
            content=json.dumps(document).encode(),
        )

    async def run() -> Any:
        client, http = client_on_mock_transport(
            package.LambdaClient, answer, "https://lambda.us-east-1.amazonaws.com"
        )
        async with http:
            return await client.list_functions(max_items=PAGE_SIZE)

    return anyio.run(run)


def test_a_page_of_functions_reads_into_typed_objects(
    lambda_package: ModuleType,
) -> None:
    output = list_functions(lambda_package, page())
    assert output.next_marker == "next"
    assert len(output.functions) == PAGE_SIZE
    third = output.functions[3]
    models = lambda_package.models
    assert third.function_name == "bench-function-003"
    assert third.runtime is models.Runtime.PYTHON312
    assert third.memory_size == 128 * 4
    assert third.environment.variables == {"STAGE": "prod", "INDEX": "3"}
    assert third.architectures == [models.Architecture.X86_64]
    assert third.layers is None  # absent: an optional member
    # The same objects the careful reader builds member by member.
    careful = lambda_package._serde.de_list_functions_response.careful(page())
    assert output == careful


@pytest.mark.parametrize(
    ("where", "value", "path", "problem"),
    [
        (("MemorySize",), "big", "Functions[3].MemorySize", "expected an integer"),
        (
            ("Environment", "Variables", "STAGE"),
            5,
            "Functions[3].Environment.Variables['STAGE']",
            "expected a string, got an integer",
        ),
        (
            ("Architectures",),
            "x86_64",
            "Functions[3].Architectures",
            "expected an array",
        ),
        (("Runtime",), 12, "Functions[3].Runtime", "expected a string"),
    ],
)
def test_a_member_of_the_wrong_type_names_its_path_status_and_request_id(
    lambda_package: ModuleType,
    where: tuple[str, ...],
    value: object,
    path: str,
    problem: str,
) -> None:
    document = page()
    holder = document["Functions"][3]
    for key in where[:-1]:
        holder = holder[key]
    holder[where[-1]] = value
    with pytest.raises(ResponseParseError) as caught:
        list_functions(lambda_package, document)
    error = caught.value
    assert error.path == path
    assert error.status_code == 200
    assert error.request_id == REQUEST_ID
    assert f"ListFunctions response member {path}: {problem}" in str(error)
