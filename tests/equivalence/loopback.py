"""What the loopback equivalence tests share: a generated client, a server, both clients.

The Lambda, S3, Bedrock Runtime and event-stream comparisons each generate a
package from an official model (../shared/aws-models), start a loopback
server (tests/support/loopback_server.py) with the AWS environment isolated,
and call it through our generated client and botocore's with the same
credentials, region and a single attempt. The set-up lives here once; each
test module keeps its own fixtures, one line each.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import anyio
import pytest
from botocore.config import Config
from botocore.session import get_session
from smithy_python.model import load_model
from smithygen.emit.context import Context
from smithygen.idl import load_files
from smithygen.select import select
from smithygen_runtime import Credentials, RetryConfig, ServiceError

from tests.conftest import isolate_aws_environment, require_shared
from tests.equivalence.wire import ACCESS_KEY, REGION, SECRET_KEY
from tests.support.generated_client import import_generated_package
from tests.support.loopback_server import LoopbackServer, running_server


def official_context(model_file: str, service: str, package: str) -> Context:
    """The generator's view of an official model's service (names, shapes)."""
    path = require_shared("aws-models", model_file)
    model = load_model(load_files([path]))
    return Context(model, select(model, service), package=package, sources=[])


def generated_package(
    tmp_path_factory: pytest.TempPathFactory,
    model_file: str,
    service: str,
    package: str,
) -> Iterator[ModuleType]:
    """A fixture body: the package generated from an official model, imported.

    Taken off ``sys.path`` and ``sys.modules`` afterwards, so another module
    may generate a package of the same name from another model.
    """
    path = require_shared("aws-models", model_file)
    out = tmp_path_factory.mktemp(package)
    yield from import_generated_package(out, [path], service, package)


def isolated_server(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> Iterator[LoopbackServer]:
    """A fixture body: a loopback server, no real AWS settings read by either client."""
    isolate_aws_environment(monkeypatch, tmp_path)
    with running_server() as started:
        yield started


def botocore_client(name: str, server: LoopbackServer, **options: Any) -> Any:
    """botocore's client of the service ``name``, calling the server once per
    call; ``options`` (``verify=``, say) go to ``create_client``."""
    return get_session().create_client(
        name,
        region_name=REGION,
        endpoint_url=server.url,
        aws_access_key_id=ACCESS_KEY,
        aws_secret_access_key=SECRET_KEY,
        config=Config(retries={"total_max_attempts": 1, "mode": "standard"}),
        **options,
    )


def our_client(client_class: Any, server: LoopbackServer, **options: Any) -> Any:
    """Our generated client of the server, with botocore's credentials and
    region and a single attempt; ``options`` (``verify=``, say) go to the client."""
    return client_class(
        region=REGION,
        endpoint_url=server.url,
        credentials=Credentials(ACCESS_KEY, SECRET_KEY),
        retry=RetryConfig(max_attempts=1),
        **options,
    )


def run_ours(
    client_class: Any, server: LoopbackServer, call: Callable[[Any], Awaitable[Any]]
) -> Any:
    """``await call(client)`` on our client of the server: its result, or the
    ServiceError it raised."""

    async def run() -> Any:
        try:
            async with our_client(client_class, server) as client:
                return await call(client)
        except ServiceError as error:
            return error

    return anyio.run(run)


def run_theirs(client: Any, operation: str, **params: Any) -> Any:
    """botocore's ``client.<operation>(**params)``: its result, or the ClientError."""
    try:
        return getattr(client, operation)(**params)
    except client.exceptions.ClientError as error:
        return error


def path_and_query(target: str) -> tuple[str, list[str]]:
    """A request target's path and its query parameters, sorted.

    The query's order may differ between the clients (ours follows the
    model's member order, botocore the caller's); SigV4 signs it sorted.
    """
    path, _, query = target.partition("?")
    return path, sorted(part for part in query.split("&") if part)


def query_parameters(target: str) -> dict[str, str]:
    """A request target's query parameters by name, still percent-encoded."""
    query = target.partition("?")[2]
    return dict(part.split("=", 1) for part in query.split("&") if part)
