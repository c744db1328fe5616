"""Connection reuse and the pool limit, seen from the loopback server's side."""

from __future__ import annotations

import logging
from typing import Any

import anyio
import httpx
import pytest
from smithygen_runtime import Interceptor, InterceptorContext
from smithygen_runtime._client import MAX_CONNECTIONS
from ssm_inventory import DescribeInventoryDeletionsResult

from tests.reliability.conftest import SHORT, client_for
from tests.support.loopback_server import LoopbackServer

pytestmark = pytest.mark.anyio
EMPTY = DescribeInventoryDeletionsResult(inventory_deletions=[])


async def test_keep_alive_reuses_one_connection(server: LoopbackServer) -> None:
    with anyio.fail_after(15):
        async with client_for(server) as client:
            for _ in range(5):
                assert await client.describe_inventory_deletions() == EMPTY
    assert (server.opened, server.request_count) == (1, 5)


@pytest.mark.parametrize("limit", [None, 3])
async def test_concurrent_calls_stay_within_the_pool_limit(
    server: LoopbackServer, limit: int | None
) -> None:
    # The default pool (MAX_CONNECTIONS, botocore's 10) and the
    # max_connections option: open connections never go above the limit.
    calls, concurrency = 200, 50
    options: dict[str, object] = {"timeout": 10}
    if limit is None:
        limit = MAX_CONNECTIONS
    else:
        options["max_connections"] = limit
    results: list[DescribeInventoryDeletionsResult] = []
    with anyio.fail_after(30):
        async with client_for(server, **options) as client:

            async def lane(count: int) -> None:
                for _ in range(count):
                    results.append(await client.describe_inventory_deletions())

            async with anyio.create_task_group() as tg:
                for _ in range(concurrency):
                    tg.start_soon(lane, calls // concurrency)
    assert results == [EMPTY] * calls
    assert server.request_count == calls
    assert 1 < server.max_open <= limit


async def test_own_client_sends_httpx_defaults_and_no_cookies(
    server: LoopbackServer,
) -> None:
    """The runtime builds its own httpx client's requests itself (RequestFactory):
    the client's default headers still go out, with the runtime's User-Agent,
    and a cookie a server sets is not sent back (botocore sends none either)."""
    from tests.support.loopback_server import Reply

    server.push(
        Reply(200, {"InventoryDeletions": []}, headers=(("Set-Cookie", "s=1"),)),
        Reply(200, {"InventoryDeletions": []}),
    )
    with anyio.fail_after(15):
        async with client_for(server) as client:
            await client.describe_inventory_deletions()
            await client.describe_inventory_deletions()
    first, second = server.requests
    for request in (first, second):
        assert "gzip" in request.headers["accept-encoding"]
        assert request.headers["accept"] == "*/*"
        assert request.headers["user-agent"].startswith("smithygen-runtime/")
    assert "cookie" not in second.headers
    # Nor is it stored: the requests went past AsyncClient.send (_send_owned),
    # whose cookie jar would have kept it.
    http = client._http
    assert http is not None and not http.cookies


class SeesTheResponse(Interceptor):
    """Sends a copy of the signed request without extensions; records the response."""

    def __init__(self) -> None:
        self.seen: list[tuple[object, ...]] = []

    def modify_before_transmit(self, context: InterceptorContext) -> Any:
        request = context.request
        assert request is not None
        # A request of the interceptor's own: no "timeout" extension.
        return httpx.Request(
            request.method,
            request.url,
            headers=request.headers,
            content=request.content,
        )

    def read_after_transmit(self, context: InterceptorContext) -> None:
        response, request = context.response, context.request
        assert response is not None and request is not None
        self.seen.append(
            (
                response.request is request,
                response.elapsed.total_seconds() > 0,
                request.extensions.get("timeout"),
            )
        )


async def test_own_client_responses_keep_what_httpx_send_gives_them(
    server: LoopbackServer, caplog: pytest.LogCaptureFixture
) -> None:
    """The runtime's own client sends past AsyncClient.send (``_send_owned``):
    the response still names its request and its elapsed time, a request an
    interceptor made without timeouts gets the client's, and httpx's INFO
    line is logged as httpx logs it."""
    interceptor = SeesTheResponse()
    caplog.set_level(logging.INFO, logger="httpx")
    with anyio.fail_after(15):
        async with client_for(server, interceptors=[interceptor]) as client:
            assert await client.describe_inventory_deletions() == EMPTY
    assert interceptor.seen == [(True, True, SHORT.to_httpx().as_dict())]
    (line,) = [r.getMessage() for r in caplog.records if r.name == "httpx"]
    assert line == f'HTTP Request: POST {server.url} "HTTP/1.1 200 Whatever"'
