"""Official AWS models: the full SSM and Secrets Manager clients, and slicing.

Generation of both runs in ``make test`` (a few seconds); every model of
../shared/aws-models through ``smithygen.models_check`` (generate, ``mypy
--strict``, import) is marked slow (about half a minute).
"""

from __future__ import annotations

import ast
import importlib
import json
import os
import subprocess
import sys
import uuid
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import httpx
import pytest
from smithygen.emit.names import snake_case
from smithygen.generate import generate
from smithygen.models_check import check_models, model_files
from smithygen_runtime import Credentials

from tests.conftest import PROJECT_ROOT, require_shared

SSM_SERVICE = "com.amazonaws.ssm#AmazonSSM"
SM_SERVICE = "com.amazonaws.secretsmanager#secretsmanager"


@pytest.fixture(scope="module")
def packages(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """ssm_full and secretsmanager_full generated once, importable from sys.path."""
    out = tmp_path_factory.mktemp("official")
    ssm = require_shared("aws-models", "ssm-2014-11-06.json")
    sm = require_shared("aws-models", "secrets-manager-2017-10-17.json")
    generate([ssm], service=SSM_SERVICE, package="ssm_full", out=out)
    generate([sm], service=SM_SERVICE, package="secretsmanager_full", out=out)
    sys.path.insert(0, str(out))
    yield out
    sys.path.remove(str(out))
    for name in [m for m in sys.modules if m.split(".")[0].endswith("_full")]:
        del sys.modules[name]


def _module(name: str) -> ModuleType:
    return importlib.import_module(name)


def test_full_ssm_has_every_operation_paginator_and_waiter(packages: Path) -> None:
    model = json.loads(require_shared("aws-models", "ssm-2014-11-06.json").read_text())
    shapes = model["shapes"]
    operations = [k for k, v in shapes.items() if v["type"] == "operation"]
    paginated = [k for k in operations if "smithy.api#paginated" in shapes[k]["traits"]]
    assert len(operations) == 146
    ssm = _module("ssm_full")
    client = ssm.SSMClient
    for op in operations:
        assert callable(getattr(client, snake_case(op.partition("#")[2]))), op
    assert len(paginated) == 50
    for op in paginated:
        assert callable(getattr(client, f"paginate_{snake_case(op.partition('#')[2])}"))
    assert hasattr(client, "wait_until_command_executed")
    assert (packages / "ssm_full" / "endpoint_rules.json").exists()


@pytest.fixture
async def recorded() -> AsyncIterator[tuple[list[httpx.Request], httpx.AsyncClient]]:
    requests: list[httpx.Request] = []
    answers: list[dict[str, Any]] = []

    def handler(request: httpx.Request) -> httpx.Response:
        requests.append(request)
        return httpx.Response(200, json=answers.pop(0) if answers else {})

    http = httpx.AsyncClient(transport=httpx.MockTransport(handler))
    http.answers = answers  # type: ignore[attr-defined]
    yield requests, http
    await http.aclose()


@pytest.mark.anyio
async def test_full_ssm_calls(
    packages: Path, recorded: tuple[list[httpx.Request], httpx.AsyncClient]
) -> None:
    requests, http = recorded
    ssm = _module("ssm_full")
    http.answers.extend(  # type: ignore[attr-defined]
        [
            {
                "Parameter": {
                    "Name": "p",
                    "Type": "SecureString",
                    "Value": "v",
                    "Version": 3,
                }
            },
            {"InstanceInformationList": [{"InstanceId": "i-1"}], "NextToken": "n"},
            {"InstanceInformationList": [{"InstanceId": "i-2"}]},
        ]
    )
    async with ssm.SSMClient(
        region="us-east-1", credentials=Credentials("AKID", "secret"), http_client=http
    ) as client:
        result = await client.get_parameter(name="p", with_decryption=True)
        assert result.parameter.type_ is ssm.ParameterType.SECURE_STRING
        assert result.parameter.version == 3
        ids = [
            i.instance_id
            async for i in client.paginate_describe_instance_information_items()
        ]
    assert ids == ["i-1", "i-2"]
    assert requests[0].headers["X-Amz-Target"] == "AmazonSSM.GetParameter"
    assert json.loads(requests[0].content) == {"Name": "p", "WithDecryption": True}
    assert json.loads(requests[2].content) == {"NextToken": "n"}


@pytest.mark.anyio
async def test_full_secrets_manager_calls(
    packages: Path, recorded: tuple[list[httpx.Request], httpx.AsyncClient]
) -> None:
    requests, http = recorded
    sm = _module("secretsmanager_full")
    http.answers.extend(  # type: ignore[attr-defined]
        [
            {"ARN": "arn:x", "Name": "s", "SecretBinary": "AP8=", "CreatedDate": 1.5},
            {"ARN": "arn:x", "Name": "s"},
        ]
    )
    async with sm.SecretsManagerClient(
        region="eu-central-1",
        credentials=Credentials("AKID", "secret"),
        http_client=http,
    ) as client:
        value = await client.get_secret_value(secret_id="s")
        await client.create_secret(name="s", secret_string="x")
    assert value.secret_binary == b"\x00\xff"
    assert value.created_date is not None and value.created_date.microsecond == 500000
    assert requests[0].url.host == "secretsmanager.eu-central-1.amazonaws.com"
    assert requests[0].headers["X-Amz-Target"] == "secretsmanager.GetSecretValue"
    token = json.loads(requests[1].content)["ClientRequestToken"]
    assert uuid.UUID(token).version == 4


def _without_docstrings(source: str) -> str:
    tree = ast.parse(source)
    for node in ast.walk(tree):
        body = getattr(node, "body", None)
        if isinstance(body, list):
            node.body = [  # type: ignore[attr-defined]
                s
                for s in body
                if not (isinstance(s, ast.Expr) and isinstance(s.value, ast.Constant))
            ] or [ast.Pass()]
    return ast.dump(tree)


def test_ssm_slice_of_the_official_model_matches_model_ssm_smithy(
    tmp_path: Path,
) -> None:
    """--operations on the official JSON gives the same code as model/ssm.smithy.

    Only documentation (and model/ssm.smithy's extra waiter) may differ.
    """
    official = require_shared("aws-models", "ssm-2014-11-06.json")
    ours = sorted((PROJECT_ROOT / "model").glob("*.smithy"))
    ops = ["DescribeInventoryDeletions", "DeleteInventory"]
    a = generate(
        [official], service=SSM_SERVICE, package="p", out=tmp_path / "a", operations=ops
    )
    b = generate(ours, service=SSM_SERVICE, package="p", out=tmp_path / "b")
    for name in ("_serde.py", "_validate.py", "_service.py", "models.py", "errors.py"):
        left, right = (a / name).read_text(), (b / name).read_text()
        assert _without_docstrings(left) == _without_docstrings(right), name
    assert (a / "endpoint_rules.json").read_text() == (
        b / "endpoint_rules.json"
    ).read_text()


@pytest.mark.slow
def test_every_shared_official_model_generates_type_checks_and_imports(
    tmp_path: Path,
) -> None:
    """What ``make models-check`` does, on the official models in ../shared.

    awsJson, restJson1, awsQuery and restXml services become whole clients
    (other protocols would be refused by ``generate`` with an error naming the
    protocol, and their model classes generated alone). Every package then passes
    ``mypy --strict`` (as Python 3.11) and imports with every name it exports.
    """
    paths = model_files(require_shared("aws-models"))
    report = check_models(paths, tmp_path)

    assert [r.failure for r in report.failures] == []
    by_file = {r.path.name: (r.protocol, r.kind) for r in report.results}
    assert by_file == {
        "bedrock-runtime-2023-09-30.json": ("restJson1", "client"),
        "lambda-2015-03-31.json": ("restJson1", "client"),
        "s3-2006-03-01.json": ("restXml", "client"),
        "secrets-manager-2017-10-17.json": ("awsJson1_1", "client"),
        "ssm-2014-11-06.json": ("awsJson1_1", "client"),
        "sts-2011-06-15.json": ("awsQuery", "client"),
    }
    assert report.lines()[-1].split() == ["all", "6/6", "passed"]
    # S3 (restXml) is a client: its listing operation is a method.
    assert "async def list_objects_v2(" in (tmp_path / "s3" / "client.py").read_text()


def test_large_packages_load_model_groups_lazily(packages: Path) -> None:
    """Importing the full SSM client builds no model class until one is used."""
    probe = (
        "import sys\n"
        "from ssm_full import SSMClient\n"
        "groups = [m for m in sys.modules if m.startswith('ssm_full._models_')]\n"
        "assert groups == ['ssm_full._models_base'], groups\n"
        "from ssm_full import GetParameterResult\n"
        "assert GetParameterResult.__module__.startswith('ssm_full._models_')\n"
        "assert len([m for m in sys.modules if m.startswith('ssm_full._models_')]) < 5\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe],
        cwd=packages,
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, "PYTHONPATH": str(packages)},
    )
    assert result.returncode == 0, result.stderr
