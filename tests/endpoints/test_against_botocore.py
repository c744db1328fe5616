"""The test models' endpoint parameters and discovery, our generated clients
against botocore's clients of the same models (botocore_model.py), call by
call: the URL each request goes to, the endpoint headers, the SigV4 scope,
and for discovery the sequence of requests (DescribeEndpoints with its
x-amz-api-version, then the discovered host; after InvalidEndpointException a
new discovery).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from types import ModuleType
from typing import Any

import anyio
import httpx
import pytest
from botocore.awsrequest import AWSPreparedRequest
from smithygen_runtime import Credentials, RetryConfig

from tests.endpoints.botocore_model import BotocoreClient, write_botocore_model
from tests.endpoints.conftest import CREDENTIALS, MODELS

STREAM_ARN = "arn:aws:streams:eu-west-1:123456789012:stream/orders"


@pytest.fixture(scope="module")
def data_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    data = tmp_path_factory.mktemp("botocore-data")
    write_botocore_model(
        MODELS / "streams.smithy", "example.streams#StreamsService", "streams", data
    )
    write_botocore_model(
        MODELS / "discovered.smithy",
        "example.discovered#RecordsService",
        "discovered",
        data,
    )
    return data


@pytest.fixture(autouse=True)
def _botocore_reads(data_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AWS_DATA_PATH", str(data_path))


def _scope(authorization: str) -> str:
    credential = authorization.split("Credential=")[1].split(",")[0]
    return "/".join(credential.split("/")[2:4])


def _seen(url: str, headers: Any) -> tuple[str, str, str | None]:
    auth = headers["Authorization"]
    auth = auth.decode() if isinstance(auth, bytes) else auth
    tier = headers.get("x-streams-tier")
    tier = tier.decode() if isinstance(tier, bytes) else tier
    return httpx.URL(url).host, _scope(auth), tier


# (method, our arguments, botocore's arguments, our options, botocore's options)
SCENARIOS: dict[
    str, tuple[str, dict[str, Any], dict[str, Any], dict[str, Any], dict[str, Any]]
] = {
    "context-and-static-params": (
        "describe_stream",
        {"stream_arn": STREAM_ARN},
        {"StreamARN": STREAM_ARN},
        {},
        {},
    ),
    "static-param-data": (
        "put_record",
        {"stream_arn": STREAM_ARN, "data": "d"},
        {"StreamARN": STREAM_ARN, "Data": "d"},
        {},
        {},
    ),
    "no-context-member": (
        "describe_stream",
        {"stream_name": "s"},
        {"StreamName": "s"},
        {},
        {},
    ),
    "operation-context-params": (
        "list_shards",
        {"shards": "SHARDS"},
        {"Shards": [{"Name": "s-7"}, {"Name": "s-9"}]},
        {},
        {},
    ),
    "client-context-string": (
        "get_health",
        {},
        {},
        {"client_context": {"tier": "gold"}},
        {"config": {"client_context_params": {"tier": "gold"}}},
    ),
    "client-context-boolean": (
        "get_health",
        {},
        {},
        {"client_context": {"use_legacy_host": True}},
        {"config": {"client_context_params": {"use_legacy_host": True}}},
    ),
    "account-id": (
        "get_health",
        {},
        {},
        {"account_id": "111122223333"},
        {"aws_account_id": "111122223333"},
    ),
    "account-id-disabled": (
        "get_health",
        {},
        {},
        {"account_id": "111122223333", "account_id_endpoint_mode": "disabled"},
        {
            "aws_account_id": "111122223333",
            "config": {"account_id_endpoint_mode": "disabled"},
        },
    ),
    "endpoint-url": (
        "describe_stream",
        {"stream_arn": STREAM_ARN},
        {"StreamARN": STREAM_ARN},
        {"endpoint_url": "https://streams.internal.example:8443"},
        {"endpoint_url": "https://streams.internal.example:8443"},
    ),
}


def _ours_streams(
    streams: ModuleType, method: str, args: dict[str, Any], options: dict[str, Any]
) -> tuple[str, str, str | None]:
    sent: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        sent.append(request)
        return httpx.Response(200, json={})

    options = dict(options)
    credentials = CREDENTIALS
    if "account_id" in options:
        credentials = Credentials(
            CREDENTIALS.access_key_id,
            CREDENTIALS.secret_access_key,
            account_id=options.pop("account_id"),
        )
    if "client_context" in options:
        options["client_context"] = streams.StreamsClient.ClientContext(
            **options["client_context"]
        )
    if args.get("shards") == "SHARDS":
        args = {
            "shards": [
                streams.models.Shard(name="s-7"),
                streams.models.Shard(name="s-9"),
            ]
        }

    async def call() -> None:
        http = httpx.AsyncClient(transport=httpx.MockTransport(handler))
        async with streams.StreamsClient(
            region="us-west-2",
            credentials=credentials,
            http_client=http,
            retry=RetryConfig(max_attempts=1),
            **options,
        ) as client:
            await getattr(client, method)(**args)
        await http.aclose()

    anyio.run(call)
    (request,) = sent
    return _seen(str(request.url), request.headers)


@pytest.mark.parametrize("scenario", list(SCENARIOS))
def test_endpoint_parameters_as_botocore_binds_them(
    scenario: str, generated: Callable[[str], ModuleType]
) -> None:
    method, ours_args, boto_args, ours_options, boto_options = SCENARIOS[scenario]
    ours = _ours_streams(generated("streams.smithy"), method, ours_args, ours_options)
    boto = BotocoreClient(
        "streams", lambda request: (200, {}), region_name="us-west-2", **boto_options
    )
    getattr(boto.client, method)(**boto_args)
    (request,) = boto.requests
    assert ours == _seen(request.url, request.headers)


# --- discovery -----------------------------------------------------------------------------


class Cells:
    """One script for both clients: DescribeEndpoints hands out cell-N hosts; a
    host in ``invalid`` answers InvalidEndpointException."""

    def __init__(self) -> None:
        self.cells = 0
        self.invalid: set[str] = set()
        self.log: list[tuple[str, str, str | None]] = []

    def answer(
        self, host: str, target: str, api_version: str | None
    ) -> tuple[int, Any]:
        operation = target.rpartition(".")[2]
        self.log.append((operation, host, api_version))
        if operation == "DescribeEndpoints":
            self.cells += 1
            address = f"cell-{self.cells}.records.us-east-1.amazonaws.com"
            return 200, {"Endpoints": [{"Address": address, "CachePeriodInMinutes": 5}]}
        if host in self.invalid:
            return 421, {"__type": "InvalidEndpointException", "Message": "moved"}
        return 200, {}


def _text(value: Any) -> str | None:
    return value.decode() if isinstance(value, bytes) else value


def _ours_records(
    records: ModuleType,
    cells: Cells,
    calls: list[tuple[str, dict[str, Any]]],
    **options: Any,
) -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        status, body = cells.answer(
            request.url.host,
            request.headers["x-amz-target"],
            request.headers.get("x-amz-api-version"),
        )
        return httpx.Response(status, content=json.dumps(body).encode())

    async def run() -> None:
        http = httpx.AsyncClient(transport=httpx.MockTransport(handler))
        async with records.DiscoveredClient(
            region="us-east-1",
            credentials=CREDENTIALS,
            http_client=http,
            retry=RetryConfig(max_attempts=3, base_delay=0.001),
            **options,
        ) as client:
            for method, args in calls:
                if method == "invalidate-cell-1":
                    cells.invalid.add("cell-1.records.us-east-1.amazonaws.com")
                else:
                    await getattr(client, method)(**args)
        await http.aclose()

    anyio.run(run)


def _boto_records(
    cells: Cells, calls: list[tuple[str, dict[str, Any]]], **config: Any
) -> None:
    def answer(request: AWSPreparedRequest) -> tuple[int, Any]:
        return cells.answer(
            httpx.URL(request.url).host,
            _text(request.headers["X-Amz-Target"]) or "",
            _text(request.headers.get("x-amz-api-version")),
        )

    boto = BotocoreClient(
        "discovered",
        answer,
        region_name="us-east-1",
        config={"retries": {"total_max_attempts": 3}, **config},
    )
    for method, args in calls:
        if method == "invalidate-cell-1":
            cells.invalid.add("cell-1.records.us-east-1.amazonaws.com")
        else:
            getattr(boto.client, method)(**args)


DISCOVERY_SCENARIOS: dict[
    str, tuple[list[tuple[str, dict[str, Any]]], dict[str, Any], dict[str, Any]]
] = {
    "required-cached": (
        [("write_records", {"TableName": "t"}), ("write_records", {"TableName": "t"})],
        {},
        {},
    ),
    "optional-off-by-default": ([("list_tables", {}), ("get_status", {})], {}, {}),
    "optional-switched-on": (
        [("list_tables", {}), ("get_status", {}), ("list_tables", {})],
        {"endpoint_discovery": True},
        {"endpoint_discovery_enabled": True},
    ),
    "invalid-endpoint": (
        [
            ("write_records", {"TableName": "t"}),
            ("invalidate-cell-1", {}),
            ("write_records", {"TableName": "t"}),
        ],
        {},
        {},
    ),
}


def _snake_args(args: dict[str, Any]) -> dict[str, Any]:
    return {"table_name": args["TableName"]} if "TableName" in args else {}


@pytest.mark.parametrize("scenario", list(DISCOVERY_SCENARIOS))
def test_discovery_as_botocore_does_it(
    scenario: str, generated: Callable[[str], ModuleType]
) -> None:
    calls, ours_options, boto_config = DISCOVERY_SCENARIOS[scenario]
    ours, theirs = Cells(), Cells()
    _ours_records(
        generated("discovered.smithy"),
        ours,
        [(m, _snake_args(a)) for m, a in calls],
        **ours_options,
    )
    _boto_records(theirs, calls, **boto_config)
    assert ours.log == theirs.log
    assert ours.log  # something was sent
