"""Interceptors end to end: a loopback server checks signatures independently (botocore)."""

from __future__ import annotations

from typing import Any

import anyio
import pytest
from smithygen_runtime import Interceptor, InterceptorContext
from ssm_inventory import DescribeInventoryDeletionsResult

from tests.reliability.conftest import CREDENTIALS, client_for
from tests.reliability.sigv4 import expected_signature, signature_of
from tests.support.loopback_server import LoopbackServer, Reply, Reset

pytestmark = pytest.mark.anyio


class TagsAndRecords(Interceptor):
    """Adds a header before signing and one after; records the hooks it saw."""

    def __init__(self) -> None:
        self.hooks: list[tuple[str, int]] = []

    def _seen(self, hook: str, context: InterceptorContext) -> None:
        self.hooks.append((hook, context.attempt))

    def read_before_execution(self, context: InterceptorContext) -> None:
        self._seen("read_before_execution", context)

    def read_before_attempt(self, context: InterceptorContext) -> None:
        self._seen("read_before_attempt", context)

    def modify_before_signing(self, context: InterceptorContext) -> Any:
        self._seen("modify_before_signing", context)
        assert context.request is not None
        context.request.headers["x-amz-meta-tenant"] = "blue"
        return context.request

    async def modify_before_transmit(self, context: InterceptorContext) -> Any:
        self._seen("modify_before_transmit", context)
        assert context.request is not None
        context.request.headers["x-unsigned-trace"] = f"try-{context.attempt}"
        return context.request

    def read_after_attempt(self, context: InterceptorContext) -> None:
        self._seen("read_after_attempt", context)

    def read_after_execution(self, context: InterceptorContext) -> None:
        self._seen("read_after_execution", context)


async def test_a_header_added_before_signing_arrives_signed_on_every_attempt(
    server: LoopbackServer,
) -> None:
    server.push(Reply(503, {}), Reset(), Reply(200, {"InventoryDeletions": []}))
    interceptor = TagsAndRecords()
    with anyio.fail_after(15):
        async with client_for(server, interceptors=[interceptor]) as client:
            result = await client.describe_inventory_deletions()
    assert result == DescribeInventoryDeletionsResult(inventory_deletions=[])
    requests = server.requests
    assert len(requests) == 3
    for number, request in enumerate(requests, start=1):
        signed = request.headers["authorization"].split("SignedHeaders=")[1]
        signed_names = signed.split(",")[0].split(";")
        assert "x-amz-meta-tenant" in signed_names
        assert "x-unsigned-trace" not in signed_names
        assert request.headers["x-amz-meta-tenant"] == "blue"
        assert request.headers["x-unsigned-trace"] == f"try-{number}"
        # botocore, given what arrived, computes the same signature.
        assert signature_of(request) == expected_signature(request, CREDENTIALS)
    per_attempt = [
        "read_before_attempt",
        "modify_before_signing",
        "modify_before_transmit",
        "read_after_attempt",
    ]
    assert interceptor.hooks == [
        ("read_before_execution", 0),
        *[(hook, number) for number in (1, 2, 3) for hook in per_attempt],
        ("read_after_execution", 3),
    ]
