"""Modeled, unknown and code-variant errors of the generated SSM client."""

from __future__ import annotations

import pytest
from ssm_inventory import (
    InternalServerError,
    InvalidDeleteInventoryParametersException,
    InvalidDeletionIdException,
    InvalidInventoryRequestException,
    InvalidNextToken,
    InvalidOptionException,
    InvalidTypeNameException,
    ServiceError,
    SSMClient,
    SSMError,
    UnknownSSMError,
)

from .conftest import Script

pytestmark = pytest.mark.anyio

DESCRIBE_ERRORS = [InvalidDeletionIdException, InvalidNextToken]
DELETE_ERRORS = [
    InvalidDeleteInventoryParametersException,
    InvalidInventoryRequestException,
    InvalidOptionException,
    InvalidTypeNameException,
]


@pytest.mark.parametrize("error", DESCRIBE_ERRORS, ids=lambda e: e.__name__)
async def test_describe_errors_raise_their_class(
    ssm: SSMClient, script: Script, error: type[SSMError]
) -> None:
    script.reply(
        {"__type": error.__name__, "Message": "no such thing"},
        status=400,
        headers={"x-amzn-RequestId": "req-1"},
    )
    with pytest.raises(error) as caught:
        await ssm.describe_inventory_deletions()
    assert caught.value.code == error.__name__
    assert caught.value.message == "no such thing"
    assert caught.value.status_code == 400
    assert caught.value.request_id == "req-1"
    assert caught.value.fault == "client"
    assert isinstance(caught.value, SSMError)
    assert isinstance(caught.value, ServiceError)


@pytest.mark.parametrize("error", DELETE_ERRORS, ids=lambda e: e.__name__)
async def test_delete_errors_raise_their_class(
    ssm: SSMClient, script: Script, error: type[SSMError]
) -> None:
    script.reply({"__type": error.__name__, "Message": "bad"}, status=400)
    with pytest.raises(error):
        await ssm.delete_inventory(type_name="Custom:Rack")


async def test_internal_server_error_is_a_server_fault(
    ssm: SSMClient, script: Script
) -> None:
    script.reply({"__type": "InternalServerError", "Message": "oops"}, status=500)
    with pytest.raises(InternalServerError) as caught:
        await ssm.describe_inventory_deletions()
    assert caught.value.fault == "server"
    assert len(script.requests) == 3  # retried up to max_attempts


@pytest.mark.parametrize(
    ("headers", "body"),
    [
        ({"X-Amzn-Errortype": "InvalidNextToken:http://internal/"}, {}),
        ({}, {"__type": "com.amazonaws.ssm#InvalidNextToken", "message": "m"}),
        ({}, {"code": "InvalidNextToken", "Message": "m"}),
        ({}, {"__type": "aws.protocoltests#InvalidNextToken:http://x/"}),
    ],
    ids=["header-with-suffix", "type-with-namespace", "code-field", "both"],
)
async def test_error_code_variants(
    ssm: SSMClient, script: Script, headers: dict[str, str], body: dict[str, str]
) -> None:
    script.reply(body, status=400, headers=headers)
    with pytest.raises(InvalidNextToken) as caught:
        await ssm.describe_inventory_deletions()
    assert caught.value.code == "InvalidNextToken"


async def test_unknown_code_keeps_the_code(ssm: SSMClient, script: Script) -> None:
    script.reply({"__type": "BrandNewException", "message": "new"}, status=400)
    with pytest.raises(UnknownSSMError) as caught:
        await ssm.describe_inventory_deletions()
    assert caught.value.code == "BrandNewException"
    assert caught.value.message == "new"


async def test_error_of_another_operation_is_still_typed(
    ssm: SSMClient, script: Script
) -> None:
    # A service may answer with an error the operation does not list; the
    # service-wide table still types it.
    script.reply({"__type": "InvalidTypeNameException"}, status=400)
    with pytest.raises(SSMError) as caught:
        await ssm.describe_inventory_deletions()
    assert caught.value.code == "InvalidTypeNameException"
