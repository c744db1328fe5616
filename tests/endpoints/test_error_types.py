"""awsJson error types when the error shapes have a member named ``code``.

aws-json.rst.template, "Operation error serialization": the type may travel in
``__type``, X-Amzn-Errortype or a body ``code``. Lightsail's errors (and some
of Firehose's) have a ``code`` member, sent beside ``__type``; reading ``code``
first raised ``Unknown...Error`` with the member's value as the type. botocore
reads ``__type``; so does the runtime, and the member stays a member.
"""

from __future__ import annotations

import importlib
import json
from collections.abc import Callable
from types import ModuleType
from typing import Any

import httpx
import pytest
from smithygen_runtime import RetryConfig

from tests.endpoints.conftest import CREDENTIALS


async def _error_from(client_module: ModuleType, status: int, body: Any) -> Any:
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(status, content=json.dumps(body).encode())

    http = httpx.AsyncClient(transport=httpx.MockTransport(handler))
    client = client_module.CodedClient(
        region="us-east-1",
        endpoint_url="https://coded.example",
        credentials=CREDENTIALS,
        http_client=http,
        retry=RetryConfig(max_attempts=1),
    )
    try:
        async with client:
            await client.get_widget(name="w")
    except Exception as exc:
        return exc
    finally:
        await http.aclose()
    raise AssertionError("the call should have failed")


@pytest.mark.anyio
@pytest.mark.parametrize(
    ("type_name", "class_name"),
    [
        ("NotFoundException", "NotFoundException"),
        ("example.coded#InvalidInputException", "InvalidInputException"),
        ("ServiceException:http://internal.example/", "ServiceException"),
    ],
)
async def test_modeled_error_is_raised_although_the_shape_has_a_code_member(
    generated: Callable[[str], ModuleType], type_name: str, class_name: str
) -> None:
    client_module = generated("coded_errors.smithy")
    body = {"__type": type_name, "code": "WidgetMissing", "message": "no widget"}
    error = await _error_from(client_module, 400, body)
    package = client_module.__name__.rpartition(".")[0]
    expected = getattr(importlib.import_module(f"{package}.errors"), class_name)
    assert type(error) is expected
    assert error.code == class_name
    assert error.message == "no widget"
    # The member keeps its value under its renamed attribute (``code`` is the
    # error type's attribute on every ServiceError).
    assert error.code_ == "WidgetMissing"


@pytest.mark.anyio
async def test_code_member_alone_still_names_the_type(
    generated: Callable[[str], ModuleType],
) -> None:
    """Without ``__type`` or the header, a body ``code`` is the type (the
    awsJson protocol tests' AwsJson11FooErrorUsingCode)."""
    client_module = generated("coded_errors.smithy")
    error = await _error_from(
        client_module, 400, {"code": "NotFoundException", "message": "m"}
    )
    assert type(error).__name__ == "NotFoundException"
