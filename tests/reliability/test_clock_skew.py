"""Clock skew: a server whose clock is an hour away from the client's.

The server acts like an AWS front end: it rejects a request whose X-Amz-Date
is more than 5 minutes from its own clock with InvalidSignatureException and
the messages AWS uses, sends its clock in ``Date``, and verifies the
signature of what it accepts. The client must take the offset from ``Date``,
re-sign and retry once (botocore does not).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime

import anyio
import pytest
from ssm_inventory import DescribeInventoryDeletionsResult, InvalidSignatureException

from tests.reliability.conftest import CREDENTIALS, client_for
from tests.reliability.sigv4 import expected_signature, signature_of
from tests.support.loopback_server import Action, LoopbackServer, Reply, Request

pytestmark = pytest.mark.anyio


@pytest.fixture
def anyio_backend() -> str:
    """asyncio only: retry decisions do not depend on the event loop, and the
    transport-level faults are run under trio too in test_hostile/test_timeouts."""
    return "asyncio"


EMPTY = DescribeInventoryDeletionsResult(inventory_deletions=[])
AMZ_DATE = "%Y%m%dT%H%M%SZ"
MAX_SKEW = timedelta(minutes=5)


def _request_time(request: Request) -> datetime:
    return datetime.strptime(request.headers["x-amz-date"], AMZ_DATE).replace(
        tzinfo=UTC
    )


def skewed_server(
    offset: Callable[[], timedelta], *, send_date: bool = True
) -> Callable[[Request], Action]:
    """A handler whose clock runs ``offset()`` away from the real one."""

    def handle(request: Request) -> Action:
        now = datetime.now(UTC) + offset()
        headers = (("Date", format_datetime(now, usegmt=True)),) if send_date else ()
        sent = _request_time(request)
        stamp = sent.strftime(AMZ_DATE)
        if sent < now - MAX_SKEW:
            message = (
                f"Signature expired: {stamp} is now earlier than "
                f"{(now - MAX_SKEW).strftime(AMZ_DATE)} "
                f"({now.strftime(AMZ_DATE)} - 5 min.)"
            )
        elif sent > now + MAX_SKEW:
            message = (
                f"Signature not yet current: {stamp} is still later than "
                f"{(now + MAX_SKEW).strftime(AMZ_DATE)} "
                f"({now.strftime(AMZ_DATE)} + 5 min.)"
            )
        elif signature_of(request) != expected_signature(request, CREDENTIALS):
            message = "The request signature we calculated does not match"
        else:
            return Reply(200, {"InventoryDeletions": []}, headers)
        body = {"__type": "InvalidSignatureException", "message": message}
        return Reply(400, body, headers)

    return handle


@pytest.mark.parametrize("hours", [1, -1])
@pytest.mark.parametrize("max_attempts", [2, 3])
async def test_skew_is_corrected_from_the_date_header(
    server: LoopbackServer, hours: int, max_attempts: int
) -> None:
    skew = timedelta(hours=hours)
    server.handler = skewed_server(lambda: skew)
    with anyio.fail_after(10):
        async with client_for(server, max_attempts=max_attempts) as client:
            assert await client.describe_inventory_deletions() == EMPTY
            # The offset is kept: the next call is right the first time.
            assert await client.describe_inventory_deletions() == EMPTY
    first, second, third = server.requests
    server_clock = datetime.now(UTC) + skew
    assert abs(_request_time(first) - (server_clock - skew)) < timedelta(minutes=1)
    for corrected in (second, third):
        assert abs(_request_time(corrected) - server_clock) < timedelta(minutes=1)
        assert signature_of(corrected) == expected_signature(corrected, CREDENTIALS)
    # Same call, same invocation id; the correction is one extra attempt.
    assert (
        first.headers["amz-sdk-invocation-id"]
        == second.headers["amz-sdk-invocation-id"]
        != third.headers["amz-sdk-invocation-id"]
    )


async def test_correction_is_tried_once_per_call(server: LoopbackServer) -> None:
    # The server's clock jumps by another hour at every request: a correction
    # never catches up, and the client must not loop.
    jumps = iter(range(1, 100))
    server.handler = skewed_server(lambda: timedelta(hours=next(jumps)))
    with anyio.fail_after(10):
        async with client_for(server, max_attempts=3) as client:
            with pytest.raises(InvalidSignatureException):
                await client.describe_inventory_deletions()
    assert len(server.requests) == 2


async def test_with_one_attempt_a_skew_is_not_retried(server: LoopbackServer) -> None:
    """The correction is an attempt: max_attempts=1 sends one request."""
    server.handler = skewed_server(lambda: timedelta(hours=1))
    with anyio.fail_after(10):
        async with client_for(server, max_attempts=1) as client:
            with pytest.raises(InvalidSignatureException):
                await client.describe_inventory_deletions()
    assert len(server.requests) == 1


async def test_skew_rejection_without_date_is_not_retried(
    server: LoopbackServer,
) -> None:
    server.handler = skewed_server(lambda: timedelta(hours=1), send_date=False)
    with anyio.fail_after(10):
        async with client_for(server) as client:
            with pytest.raises(
                InvalidSignatureException, match="Signature expired"
            ) as info:
                await client.describe_inventory_deletions()
    assert info.value.status_code == 400
    assert len(server.requests) == 1
