"""The endpointTests of the awsJson models (SSM, Secrets Manager) through the
real generated clients and through botocore's clients with the same settings.

For each case: the generated client (generated here from the official model,
one operation) sends one request through httpx.MockTransport; botocore's
client sends one through its ``before-send`` event. The URL must be the
case's and botocore's; the SigV4 credential scope must name the expected
signing region and name; an error case must be refused by both, before any
request (where botocore differs, FIPS or dual-stack with an endpoint_url,
the case's expectation is followed; see the test). ``endpoint_url`` reaches
the rules as SDK::Endpoint in both.
"""

from __future__ import annotations

import functools
import importlib
import json
import sys
from collections.abc import Iterator, Mapping
from pathlib import Path
from types import ModuleType
from typing import Any

import anyio
import botocore.exceptions
import httpx
import pytest
from botocore.awsrequest import AWSResponse
from botocore.compat import HTTPHeaders
from botocore.config import Config
from botocore.session import get_session
from smithygen.generate import generate
from smithygen_runtime import ConfigurationError, Credentials, RetryConfig

from tests.conftest import isolate_aws_environment, require_shared, shared_dir

ACCESS_KEY = "AKIDEXAMPLE"
SECRET_KEY = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"

# model file -> (service id, botocore name, operation, package)
MODELS = {
    "ssm-2014-11-06.json": (
        "com.amazonaws.ssm#AmazonSSM",
        "ssm",
        "DescribeInventoryDeletions",
        "endpoint_cases_ssm",
    ),
    "secrets-manager-2017-10-17.json": (
        "com.amazonaws.secretsmanager#secretsmanager",
        "secretsmanager",
        "ListSecrets",
        "endpoint_cases_secretsmanager",
    ),
}


@functools.cache
def _tests(model: str) -> list[Mapping[str, Any]]:
    data = json.loads(require_shared("aws-models", model).read_text(encoding="utf-8"))
    service = MODELS[model][0]
    cases: list[Mapping[str, Any]] = data["shapes"][service]["traits"][
        "smithy.rules#endpointTests"
    ]["testCases"]
    return cases


def _params() -> list[Any]:
    params = []
    for model in MODELS:
        if not shared_dir().joinpath("aws-models", model).exists():
            params.append(pytest.param(model, None, id=f"{model}-absent"))
            continue
        stem = MODELS[model][1]
        params += [
            pytest.param(model, i, id=f"{stem}-{i:02d}-{case['documentation']}")
            for i, case in enumerate(_tests(model))
        ]
    return params


@pytest.fixture(scope="module")
def clients(
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[dict[str, ModuleType]]:
    out = tmp_path_factory.mktemp("endpoint-case-clients")
    sys.path.insert(0, str(out))
    modules = {}
    for model, (service, _, operation, package) in MODELS.items():
        path = shared_dir() / "aws-models" / model
        if path.exists():
            generate(
                [path],
                service=service,
                package=package,
                out=out,
                operations=[operation],
            )
            importlib.invalidate_caches()
            modules[model] = importlib.import_module(f"{package}.client")
    yield modules
    sys.path.remove(str(out))
    for name in [m for m in sys.modules if m.startswith("endpoint_cases_")]:
        del sys.modules[name]


@pytest.fixture(autouse=True)
def _isolated(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    isolate_aws_environment(monkeypatch, tmp_path)
    for name in (
        "AWS_ENDPOINT_URL_SECRETS_MANAGER",
        "AWS_USE_FIPS_ENDPOINT",
        "AWS_USE_DUALSTACK_ENDPOINT",
    ):
        monkeypatch.delenv(name, raising=False)


def _ours(
    module: ModuleType, params: Mapping[str, Any], operation: str
) -> httpx.Request | Exception:
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200, json={})

    client_class = next(
        getattr(module, n)
        for n in dir(module)
        if n.endswith("Client") and n != "BaseClient"
    )

    async def call() -> None:
        http = httpx.AsyncClient(transport=httpx.MockTransport(handler))
        try:
            async with client_class(
                region=params.get("Region"),
                use_fips=params.get("UseFIPS", False),
                use_dual_stack=params.get("UseDualStack", False),
                endpoint_url=params.get("Endpoint"),
                credentials=Credentials(ACCESS_KEY, SECRET_KEY),
                http_client=http,
                retry=RetryConfig(max_attempts=1),
            ) as client:
                method = next(
                    n
                    for n in dir(client_class)
                    if n.replace("_", "") == operation.lower()
                )
                await getattr(client, method)()
        finally:
            await http.aclose()

    try:
        anyio.run(call)
    except ConfigurationError as exc:
        assert not seen
        return exc
    (request,) = seen
    return request


def _theirs(name: str, params: Mapping[str, Any], operation: str) -> str | Exception:
    sent: list[str] = []

    def before_send(request: Any, **_: Any) -> AWSResponse:
        sent.append(request.url)
        return AWSResponse(request.url, 200, HTTPHeaders(), _Empty())

    try:
        client = get_session().create_client(
            name,
            region_name=params.get("Region"),
            endpoint_url=params.get("Endpoint"),
            aws_access_key_id=ACCESS_KEY,
            aws_secret_access_key=SECRET_KEY,
            config=Config(
                use_fips_endpoint=params.get("UseFIPS", False),
                use_dualstack_endpoint=params.get("UseDualStack", False),
                retries={"total_max_attempts": 1},
            ),
        )
        client.meta.events.register(f"before-send.{name}", before_send)
        getattr(client, _snake(operation))()
    except botocore.exceptions.BotoCoreError as exc:
        assert not sent
        return exc
    (url,) = sent
    return url


class _Empty:
    def stream(self, **_: Any) -> Iterator[bytes]:
        yield b"{}"


def _snake(name: str) -> str:
    return "".join("_" + c.lower() if c.isupper() else c for c in name).lstrip("_")


def _target(url: httpx.URL) -> tuple[str, str, int | None, bytes]:
    return url.scheme, url.host, url.port, url.raw_path or b"/"


@pytest.mark.parametrize(("model", "index"), _params())
def test_endpoint_case_through_both_clients(
    model: str, index: int | None, clients: dict[str, ModuleType]
) -> None:
    require_shared("aws-models", model)
    assert index is not None
    case = _tests(model)[index]
    params = case.get("params", {})
    _, botocore_name, operation, _ = MODELS[model]
    ours = _ours(clients[model], params, operation)
    theirs = _theirs(botocore_name, params, operation)
    expect = case["expect"]
    if "error" in expect or "Region" not in params:
        # Refused by both, before anything is sent (without a region neither
        # client can sign: ConfigurationError / botocore's NoRegionError).
        assert isinstance(ours, ConfigurationError), ours
        if "Endpoint" in params and isinstance(theirs, str):
            # Deliberate difference: botocore drops FIPS / dual-stack when
            # given an endpoint_url (its AWS::UseFIPS built-in is "not
            # endpoint_url and use_fips") and sends to the URL; the rule set
            # says it is an error, and the runtime refuses, as the case expects.
            assert _target(httpx.URL(theirs)) == _target(httpx.URL(params["Endpoint"]))
        else:
            assert isinstance(theirs, Exception), theirs
        if "error" in expect and "Region" in params:
            words = [w for w in ("fips", "dual") if w in expect["error"].lower()]
            assert all(w in str(ours).lower() for w in words), (expect, ours)
        return
    assert isinstance(ours, httpx.Request), ours
    assert isinstance(theirs, str), theirs
    endpoint = expect["endpoint"]
    assert _target(ours.url) == _target(httpx.URL(endpoint["url"]))
    assert _target(ours.url) == _target(httpx.URL(theirs))
    region = params["Region"]
    name = MODELS[model][1]
    for scheme in endpoint.get("properties", {}).get("authSchemes", []):
        if scheme["name"] == "sigv4":
            region = scheme.get("signingRegion", region)
            name = scheme.get("signingName", name)
    assert f"/{region}/{name}/aws4_request" in ours.headers["authorization"]
