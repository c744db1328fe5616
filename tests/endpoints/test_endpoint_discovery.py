"""Endpoint discovery (aws_aws-core.rst, "Client Behavior") against a loopback
server that serves DescribeEndpoints (models/discovered.smithy: WriteRecords
requires discovery as Timestream's operations do, ListTables offers it as
DynamoDB's do, GetStatus does not use it).

Settings as botocore reads them: the ``endpoint_discovery`` option, then
AWS_ENDPOINT_DISCOVERY_ENABLED, then the profile's endpoint_discovery_enabled
(true / false / auto); an endpoint_url turns discovery off.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from pathlib import Path
from types import ModuleType
from typing import Any

import anyio
import httpx
import pytest
from smithygen_runtime import ConfigurationError, RetryConfig, ServiceDiscovery
from smithygen_runtime._discovery import EndpointDiscovery

from tests.endpoints.conftest import CREDENTIALS
from tests.endpoints.discovery_server import (
    DiscoveryServer,
    LoopbackDns,
    discovery_server,
)

REGIONAL = "records.us-east-1.amazonaws.com"

pytestmark = pytest.mark.anyio


@pytest.fixture
def records(generated: Callable[[str], ModuleType]) -> ModuleType:
    return generated("discovered.smithy")


@pytest.fixture
def server() -> Any:
    with discovery_server() as running:
        yield running


@asynccontextmanager
async def _client(
    records: ModuleType, server: DiscoveryServer, **options: Any
) -> AsyncIterator[Any]:
    http = httpx.AsyncClient(transport=LoopbackDns(server.port))
    options.setdefault("region", "us-east-1")
    options.setdefault("retry", RetryConfig(max_attempts=1))
    try:
        async with records.DiscoveredClient(
            credentials=CREDENTIALS, http_client=http, **options
        ) as client:
            yield client
    finally:
        await http.aclose()


async def test_required_discovery_sends_to_the_discovered_address_and_caches_it(
    records: ModuleType, server: DiscoveryServer
) -> None:
    async with _client(records, server) as client:
        first = await client.write_records(table_name="t", records=["a", "b"])
        await client.write_records(table_name="t", records=["c"])
    assert first.records_ingested == 2
    assert server.operations() == ["DescribeEndpoints", "WriteRecords", "WriteRecords"]
    describe, write, again = server.seen
    assert describe.host == REGIONAL
    assert describe.body == {}  # the model's DescribeEndpoints input has no members
    # botocore's inject_api_version_header_if_needed.
    assert describe.headers["x-amz-api-version"] == "2018-11-01"
    assert "x-amz-api-version" not in write.headers
    assert write.host == again.host == "cell-1.records.us-east-1.amazonaws.com"
    # Signed for the service's own name and region at the discovered host.
    assert "/us-east-1/records/aws4_request" in write.headers["authorization"]


async def test_concurrent_calls_share_one_describe_endpoints(
    records: ModuleType, server: DiscoveryServer
) -> None:
    server.describe_delay = 0.3
    async with _client(records, server) as client, anyio.create_task_group() as tasks:
        for i in range(8):
            tasks.start_soon(lambda i=i: client.write_records(table_name=f"t{i}"))
    assert server.operations().count("DescribeEndpoints") == 1
    assert server.operations().count("WriteRecords") == 8


async def test_discovery_does_not_block_the_event_loop(
    records: ModuleType, server: DiscoveryServer
) -> None:
    server.describe_delay = 0.3
    ticked = anyio.Event()
    finished_first: list[str] = []

    async def ticker() -> None:
        await anyio.sleep(0.05)
        ticked.set()

    async def call(client: Any) -> None:
        await client.write_records(table_name="t")
        finished_first.append("call" if not ticked.is_set() else "ticker")

    async with _client(records, server) as client, anyio.create_task_group() as tasks:
        tasks.start_soon(call, client)
        tasks.start_soon(ticker)
    # The ticker ran while DescribeEndpoints (0.3 s on the server) was pending.
    assert finished_first == ["ticker"]


async def test_addresses_expire_after_their_cache_period(
    records: ModuleType, server: DiscoveryServer
) -> None:
    now = [1000.0]
    async with _client(records, server) as client:
        client._config.router._discovery = EndpointDiscovery(clock=lambda: now[0])
        await client.write_records(table_name="t")
        now[0] += 59  # CachePeriodInMinutes is 1
        await client.write_records(table_name="t")
        now[0] += 2
        await client.write_records(table_name="t")
    hosts = [(s.operation, s.host.split(".")[0]) for s in server.seen]
    assert hosts == [
        ("DescribeEndpoints", "records"),
        ("WriteRecords", "cell-1"),
        ("WriteRecords", "cell-1"),
        ("DescribeEndpoints", "records"),
        ("WriteRecords", "cell-2"),
    ]


async def test_invalid_endpoint_exception_forgets_the_address_and_retries(
    records: ModuleType, server: DiscoveryServer
) -> None:
    async with _client(records, server) as client:
        await client.write_records(table_name="t")
        server.invalid_cells.add("cell-1.records.us-east-1.amazonaws.com")
        result = await client.write_records(table_name="t", records=["x"])
    assert result.records_ingested == 1
    hosts = [(s.operation, s.host.split(".")[0]) for s in server.seen]
    assert hosts == [
        ("DescribeEndpoints", "records"),
        ("WriteRecords", "cell-1"),
        ("WriteRecords", "cell-1"),  # answered InvalidEndpointException (421)
        ("DescribeEndpoints", "records"),
        ("WriteRecords", "cell-2"),
    ]


async def test_optional_discovery_is_off_by_default(
    records: ModuleType, server: DiscoveryServer
) -> None:
    async with _client(records, server) as client:
        await client.list_tables()
        await client.get_status()
    assert [(s.operation, s.host) for s in server.seen] == [
        ("ListTables", REGIONAL),
        ("GetStatus", REGIONAL),
    ]


@pytest.mark.parametrize("switch", ["option", "environment", "profile"])
async def test_optional_discovery_can_be_switched_on(
    records: ModuleType,
    server: DiscoveryServer,
    switch: str,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    options: dict[str, Any] = {}
    if switch == "option":
        options["endpoint_discovery"] = True
    elif switch == "environment":
        monkeypatch.setenv("AWS_ENDPOINT_DISCOVERY_ENABLED", "true")
    else:
        config = tmp_path / "discovery-config"
        config.write_text("[default]\nendpoint_discovery_enabled = true\n")
        monkeypatch.setenv("AWS_CONFIG_FILE", str(config))
    async with _client(records, server, **options) as client:
        await client.list_tables()
        await client.get_status()
    assert [(s.operation, s.host.split(".")[0]) for s in server.seen] == [
        ("DescribeEndpoints", "records"),
        ("ListTables", "cell-1"),
        ("GetStatus", "records"),
    ]


async def test_switching_discovery_off_refuses_operations_that_require_it(
    records: ModuleType, server: DiscoveryServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    async with _client(records, server, endpoint_discovery=False) as client:
        with pytest.raises(ConfigurationError, match="requires endpoint discovery"):
            await client.write_records(table_name="t")
        await client.list_tables()
    monkeypatch.setenv("AWS_ENDPOINT_DISCOVERY_ENABLED", "false")
    async with _client(records, server) as client:
        with pytest.raises(ConfigurationError, match="requires endpoint discovery"):
            await client.write_records(table_name="t")
    assert server.operations() == ["ListTables"]


async def test_a_bad_setting_is_a_configuration_error(
    records: ModuleType, server: DiscoveryServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("AWS_ENDPOINT_DISCOVERY_ENABLED", "sometimes")
    # `async with` sets the client up, reading the configuration.
    with pytest.raises(ConfigurationError, match="true, false or auto"):
        async with _client(records, server):
            pass
    with pytest.raises(ConfigurationError, match="endpoint_discovery"):
        records.DiscoveredClient(region="us-east-1", endpoint_discovery="yes")


async def test_an_endpoint_url_turns_discovery_off(
    records: ModuleType, server: DiscoveryServer
) -> None:
    """As botocore: with a custom endpoint every call goes there."""
    async with _client(
        records, server, endpoint_url="https://records.internal.example"
    ) as client:
        await client.write_records(table_name="t")
    assert [(s.operation, s.host) for s in server.seen] == [
        ("WriteRecords", "records.internal.example")
    ]


async def test_required_discovery_that_fails_is_a_clear_error(
    records: ModuleType, server: DiscoveryServer
) -> None:
    server.describe_fails = True
    async with _client(records, server) as client:
        with pytest.raises(Exception) as info:
            await client.write_records(table_name="t")
    # The service's own error from DescribeEndpoints, as botocore raises it
    # (InternalFailure: one of the errors common to all AWS services).
    assert type(info.value).__name__ == "InternalFailure"
    assert isinstance(info.value, records.DiscoveredClient._service.base_error)
    assert server.operations() == ["DescribeEndpoints"]


async def test_the_cache_is_keyed_by_access_key_and_identifiers_and_bounded() -> None:
    """aws_aws-core.rst, "Caching": keys include the access key id, and the
    Operation and Identifiers when the discovery input takes them; an LRU of
    1000 entries."""
    keyed = ServiceDiscovery(
        operation=None,  # type: ignore[arg-type]
        make_input=lambda op, ids: None,
        keyed_by_operation=True,
    )
    unkeyed = ServiceDiscovery(
        operation=None,  # type: ignore[arg-type]
        make_input=lambda op, ids: None,
    )
    ids = {"TableName": "t"}
    assert EndpointDiscovery.key(keyed, "Put", ids, "AKID1") == (
        "AKID1",
        "Put",
        (("TableName", "t"),),
    )
    assert EndpointDiscovery.key(keyed, "Put", {}, "AKID1") == ("AKID1",)
    assert EndpointDiscovery.key(unkeyed, "Put", ids, "AKID2") == ("AKID2",)

    discovery = EndpointDiscovery()
    calls = 0

    async def describe() -> dict[str, Any]:
        nonlocal calls
        calls += 1
        return {"Endpoints": [{"Address": f"h{calls}", "CachePeriodInMinutes": 5}]}

    for i in range(1001):
        await discovery.address((str(i),), describe, required=True, operation="Op")
    assert calls == 1001
    # The first key was evicted to make room for the 1001st; the second stays.
    await discovery.address(("1",), describe, required=True, operation="Op")
    assert calls == 1001
    await discovery.address(("0",), describe, required=True, operation="Op")
    assert calls == 1002
