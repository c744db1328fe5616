"""SQS and CloudWatch (CBOR) over real sockets: the generated client and botocore
send to the loopback server, which answers as a query-compatible service does.

test_query_compatible_services compares every operation through scripted
transports; this checks the same on the wire, once per protocol: the bytes
the server reads from each client (method, path, the signed headers, body,
signature, with one frozen clock) and what each client makes of the answer.
"""

from __future__ import annotations

import functools
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import anyio
import cbor2
import pytest
from botocore.config import Config
from smithygen_runtime import Credentials, RetryConfig

from tests.conftest import isolate_aws_environment
from tests.equivalence import wire
from tests.equivalence.test_query_compatible_services import (
    PACKAGE_PREFIX,
    Converted,
)
from tests.equivalence.unseen import generated_package_path
from tests.equivalence.wire import ACCESS_KEY, REGION, SECRET_KEY, frozen
from tests.support.loopback_server import LoopbackServer, Reply, running_server

# Headers both clients must put on the wire identically (the rest name each
# client, or are transport details: Accept-Encoding, Connection, and the
# Accept httpx adds where no protocol sets one).
COMPARED = (
    "host",
    "content-type",
    "content-length",
    "x-amz-date",
    "x-amz-target",
    "x-amzn-query-mode",
    "smithy-protocol",
    "authorization",
)


@pytest.fixture(scope="module")
def server() -> Iterator[LoopbackServer]:
    with running_server() as started:
        yield started


@pytest.fixture(scope="module")
def services(
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[dict[str, Converted]]:
    out = tmp_path_factory.mktemp("loopback-from-botocore")
    with generated_package_path(out, PACKAGE_PREFIX):
        yield {name: Converted(name, out) for name in ("sqs", "cloudwatch")}


@pytest.fixture(autouse=True)
def _isolated(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    isolate_aws_environment(monkeypatch, tmp_path)


def _botocore_client(service: Converted, url: str, *, cbor: bool) -> Any:
    session = wire.get_session()
    if cbor:
        # The model copy that offers only CBOR (written by Converted).
        service.cbor_boto()
        session.get_component("data_loader").search_paths.insert(
            0, str(service.out / "botocore-cbor")
        )
    return session.create_client(
        service.name,
        region_name=REGION,
        endpoint_url=url,
        aws_access_key_id=ACCESS_KEY,
        aws_secret_access_key=SECRET_KEY,
        config=Config(retries={"total_max_attempts": 1, "mode": "standard"}),
    )


def _ours(client_class: Any, url: str, method: str, kwargs: Any) -> Any:
    async def run() -> Any:
        client = client_class(
            region=REGION,
            endpoint_url=url,
            credentials=Credentials(ACCESS_KEY, SECRET_KEY),
            retry=RetryConfig(max_attempts=1),
        )
        try:
            async with client:
                return await getattr(client, method)(**kwargs)
        except Exception as exc:
            return exc

    return anyio.run(run)


def _theirs(client: Any, method: str, params: Any) -> Any:
    try:
        return getattr(client, method)(**params)
    except client.exceptions.ClientError as exc:
        return exc


def _same_wire(server: LoopbackServer) -> None:
    ours, theirs = server.requests
    assert (ours.method, ours.target) == (theirs.method, theirs.target)
    for name in COMPARED:
        assert ours.headers.get(name) == theirs.headers.get(name), name
    assert ours.body == theirs.body


def test_sqs_error_on_the_wire(
    server: LoopbackServer, services: dict[str, Converted]
) -> None:
    service = services["sqs"]
    server.reset()
    server.handler = lambda request: Reply(
        400,
        b'{"__type": "com.amazonaws.sqs#QueueDoesNotExist", "message": "no queue"}',
        (
            ("Content-Type", "application/x-amz-json-1.0"),
            ("x-amzn-query-error", "AWS.SimpleQueueService.NonExistentQueue;Sender"),
        ),
    )
    with frozen():
        ours = _ours(
            service.client_class, server.url, "get_queue_url", {"queue_name": "q"}
        )
        theirs = _theirs(
            _botocore_client(service, server.url, cbor=False),
            "get_queue_url",
            {"QueueName": "q"},
        )
    _same_wire(server)
    assert server.requests[0].headers["x-amzn-query-mode"] == "true"
    parsed = theirs.response["Error"]
    assert type(ours).__name__ == type(theirs).__name__ == "QueueDoesNotExist"
    assert ours.code == parsed["Code"] == "AWS.SimpleQueueService.NonExistentQueue"
    assert (ours.fault, parsed["Type"]) == ("client", "Sender")
    assert ours.message == parsed["Message"] == "no queue"


def test_cloudwatch_over_cbor_on_the_wire(
    server: LoopbackServer, services: dict[str, Converted]
) -> None:
    service = services["cloudwatch"]
    ours_class = functools.partial(service.client_class, protocol="rpcv2Cbor")
    server.reset()
    answer = cbor2.dumps(
        {"Metrics": [{"Namespace": "AWS/EC2", "MetricName": "CPU"}], "NextToken": "t"}
    )
    server.handler = lambda request: Reply(
        200,
        answer,
        (("Content-Type", "application/cbor"), ("smithy-protocol", "rpc-v2-cbor")),
    )
    with frozen():
        ours = _ours(ours_class, server.url, "list_metrics", {"namespace": "AWS/EC2"})
        theirs = _theirs(
            _botocore_client(service, server.url, cbor=True),
            "list_metrics",
            {"Namespace": "AWS/EC2"},
        )
    _same_wire(server)
    request = server.requests[0]
    assert (
        request.target == "/service/GraniteServiceVersion20100801/operation/ListMetrics"
    )
    assert request.headers["smithy-protocol"] == "rpc-v2-cbor"
    assert request.headers["accept"] == server.requests[1].headers["accept"]
    assert cbor2.loads(request.body) == {"Namespace": "AWS/EC2"}
    assert [(m.namespace, m.metric_name) for m in ours.metrics] == [
        (m["Namespace"], m["MetricName"]) for m in theirs["Metrics"]
    ]
    assert ours.next_token == theirs["NextToken"] == "t"
