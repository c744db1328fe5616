"""One client used from several event loops, one after another, on real sockets.

The usual shapes: a client made at module level and used from two
``asyncio.run`` calls (or ``trio.run``), or from pytest's per-test loops.
httpx's pooled connections belong to the loop that opened them; the client's
own httpx client follows the running loop (a new one per loop, the old one
dropped unawaited), and so do its locks. A client given ``http_client=`` is
never replaced: from another loop, a ConfigurationError says what to do.
These tests drive the loops themselves, so they are plain functions.
"""

from __future__ import annotations

import asyncio
import datetime
import gc
import json
import os
import subprocess
import sys
import textwrap
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import httpx
import pytest
import trio
from smithygen_runtime import ConfigurationError
from ssm_inventory import DescribeInventoryDeletionsResult, SSMClient

from tests.reliability.conftest import client_for
from tests.support.loopback_server import LoopbackServer

EMPTY = DescribeInventoryDeletionsResult(inventory_deletions=[])
Run = Callable[[Callable[[], Awaitable[Any]]], Any]


def run_asyncio(main: Callable[[], Awaitable[Any]]) -> Any:
    return asyncio.run(main())  # type: ignore[arg-type]


def run_trio(main: Callable[[], Awaitable[Any]]) -> Any:
    return trio.run(main)


RUNNERS = {"asyncio": run_asyncio, "trio": run_trio}


def _describe(client: SSMClient) -> Callable[[], Awaitable[Any]]:
    return client.describe_inventory_deletions


@pytest.mark.parametrize(
    "order",
    [("asyncio", "asyncio"), ("trio", "trio"), ("asyncio", "trio", "asyncio")],
    ids="-then-".join,
)
def test_a_client_works_from_one_loop_after_another(
    server: LoopbackServer, order: tuple[str, ...]
) -> None:
    client = client_for(server)
    for name in order[:-1]:
        # Each loop ends with the client's connection open in its pool.
        assert RUNNERS[name](_describe(client)) == EMPTY
    # Resolved once, in the first loop, and kept: settings are loop-independent.
    config = client._config
    # A new loop opened a new connection; the ones of the closed loops were
    # dropped, and close once collected (their loops cannot close them).
    gc.collect()
    assert server.wait_until(lambda: server.open_now == 1)

    async def call_then_close() -> object:
        async with client:
            return await client.describe_inventory_deletions()

    assert RUNNERS[order[-1]](call_then_close) == EMPTY
    # The last loop's connection closed by aclose, the one dropped on the
    # way into it once collected.
    gc.collect()
    assert server.wait_until(lambda: server.open_now == 0)
    assert len(server.requests) == server.opened == len(order)
    assert client._config is config
    with pytest.raises(ConfigurationError, match="is closed"):
        run_trio(_describe(client))


def test_aclose_from_another_loop_drops_the_connections(
    server: LoopbackServer,
) -> None:
    client = client_for(server)
    assert run_trio(_describe(client)) == EMPTY
    run_asyncio(client.aclose)  # no "Event loop is closed" from the trio pool
    gc.collect()
    assert server.wait_until(lambda: server.open_now == 0)
    with pytest.raises(ConfigurationError, match="is closed"):
        run_asyncio(_describe(client))


@pytest.mark.parametrize("second", ["asyncio", "trio"])
def test_an_injected_http_client_used_from_a_second_loop_is_a_configuration_error(
    server: LoopbackServer, second: str
) -> None:
    http = httpx.AsyncClient()
    client = client_for(server, http_client=http)
    assert run_asyncio(_describe(client)) == EMPTY
    with pytest.raises(ConfigurationError) as info:
        RUNNERS[second](_describe(client))
    message = str(info.value)
    assert "http_client" in message and "another event loop" in message
    assert "inside the event loop that uses them" in message
    assert len(server.requests) == 1  # nothing sent from the second loop


@pytest.mark.parametrize("second", ["asyncio", "trio"])
def test_an_injected_http_client_first_used_elsewhere_is_a_configuration_error(
    server: LoopbackServer, second: str
) -> None:
    # The user's own request, in a loop of its own, leaves a pooled connection
    # the client never saw: httpx then fails with a bare RuntimeError.
    http = httpx.AsyncClient()

    async def users_own_request() -> None:
        await http.post(server.url, content=b"{}")

    run_asyncio(users_own_request)
    client = client_for(server, http_client=http)
    with pytest.raises(
        ConfigurationError, match="belong to another event loop"
    ) as info:
        RUNNERS[second](_describe(client))
    assert "inside the event loop that uses them" in str(info.value)


def _credential_process_profile(tmp_path: Path) -> None:
    """A profile whose credentials are always due for refresh (botocore's
    advisory window is 15 minutes; these expire in 12)."""
    expiry = datetime.datetime.now(datetime.UTC) + datetime.timedelta(minutes=12)
    answer = {
        "Version": 1,
        "AccessKeyId": "AKIDLOOPS",
        "SecretAccessKey": "loops-secret",
        "Expiration": expiry.strftime("%Y-%m-%dT%H:%M:%SZ"),
    }
    script = tmp_path / "credentials.py"
    script.write_text(f"print({json.dumps(json.dumps(answer))})\n")
    config = Path(os.environ["AWS_CONFIG_FILE"])
    config.write_text(f"[default]\ncredential_process = {sys.executable} {script}\n")


def test_refreshing_credentials_follows_the_loop(
    server: LoopbackServer, tmp_path: Path
) -> None:
    # Every call refreshes (and so takes the refresh lock): the lock of one
    # loop must not be awaited from the next.
    _credential_process_profile(tmp_path)
    client = client_for(server, credentials=None)
    for run in (run_asyncio, run_trio, run_asyncio):
        assert run(_describe(client)) == EMPTY
    keys = {
        r.headers["authorization"].split("Credential=")[1][:9] for r in server.requests
    }
    assert keys == {"AKIDLOOPS"}


PER_TEST_LOOPS = '''
    """A module-level client, used by tests that each get their own event loop."""
    import os

    import pytest
    from smithygen_runtime import Credentials
    from smithygen_runtime._loops import current_loop
    from ssm_inventory import SSMClient

    pytestmark = pytest.mark.anyio
    CLIENT = SSMClient(
        region="us-east-1",
        endpoint_url=os.environ["LOOPBACK_URL"],
        credentials=Credentials("AKIDPERTEST", "per-test-secret"),
    )
    LOOPS = []


    @pytest.fixture(params=[os.environ["BACKEND"]])
    def anyio_backend(request):
        return request.param


    @pytest.mark.parametrize("round", [1, 2, 3])
    async def test_a_call(round):
        LOOPS.append(current_loop())
        # A loop per test, or this file tests nothing.
        assert all(loop is not LOOPS[-1] for loop in LOOPS[:-1])
        page = await CLIENT.describe_inventory_deletions()
        assert page.inventory_deletions == []
'''


@pytest.mark.parametrize("backend", ["asyncio", "trio"])
def test_a_module_level_client_under_pytest_per_test_loops(
    server: LoopbackServer, tmp_path: Path, backend: str
) -> None:
    test_file = tmp_path / "test_module_level_client.py"
    test_file.write_text(textwrap.dedent(PER_TEST_LOOPS))
    env = {
        "PATH": os.environ["PATH"],
        "LOOPBACK_URL": server.url,
        "BACKEND": backend,
        "AWS_CONFIG_FILE": str(tmp_path / "none"),
        "AWS_SHARED_CREDENTIALS_FILE": str(tmp_path / "none"),
        "AWS_EC2_METADATA_DISABLED": "true",
    }
    out = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-q",
            "-p",
            "no:cacheprovider",
            str(test_file),
        ],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert out.returncode == 0, out.stdout + out.stderr
    assert "3 passed" in out.stdout
    assert len(server.requests) == 3 and server.opened == 3
