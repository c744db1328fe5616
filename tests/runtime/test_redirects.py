"""The runtime never follows a redirect, whatever httpx client it is given.

httpx strips only ``Authorization`` when it follows a redirect to another
host: ``X-Amz-Security-Token`` (and for 307/308 the body) would go along. So
a 3xx is the service's answer, raised as an error, and nothing is sent again.
"""

from __future__ import annotations

from collections.abc import Callable

import httpx
import pytest
from smithygen_runtime import ServiceError

from tests.runtime.conftest import Recorder
from tests.runtime.demo_service import DemoClient

pytestmark = pytest.mark.anyio


@pytest.mark.parametrize("status", [301, 302, 303, 307, 308])
async def test_a_redirect_is_not_followed_even_by_a_following_client(
    make_client: Callable[..., DemoClient], status: int
) -> None:
    recorder = Recorder(
        httpx.Response(status, headers={"Location": "https://elsewhere.example/"}),
        httpx.Response(200, json={}),
    )
    following = httpx.AsyncClient(
        transport=httpx.MockTransport(recorder), follow_redirects=True
    )
    async with following, make_client(recorder, http_client=following) as client:
        with pytest.raises(ServiceError) as info:
            await client.get_thing(name="x")
    assert info.value.status_code == status
    assert [r.url.host for r in recorder.requests] == ["demo.example.com"]
