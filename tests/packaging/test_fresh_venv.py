"""The user's installs, in fresh venvs of the oldest Python found (3.11 here).

Issue 11, "What must be true" 3 and 2: the ``smithygen-runtime`` and
``ssm-inventory`` wheels alone make a working client (none of the generator,
smithy-python, the emulator or uvicorn is importable beside them), and a
project generated from an official model the repository does not otherwise
use installs with ``pip install DIR`` and calls a loopback server.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, ClassVar

import pytest
from ssm_emulator import emulator_in_thread

from tests.conftest import require_shared
from tests.packaging.venvs import Venv, clean_environment, oldest_python, run

pytestmark = pytest.mark.slow

ABSENT = ("smithygen", "smithy_python", "ssm_emulator", "uvicorn")

USER_PROGRAM = """
import importlib.util, sys
import anyio
import ssm_inventory, smithygen_runtime
from ssm_inventory import SSMClient, InvalidDeletionIdException
from ssm_inventory.config import Credentials

async def main(url: str, key_id: str, secret: str) -> None:
    credentials = Credentials(key_id, secret)
    async with SSMClient(region="us-east-1", endpoint_url=url, credentials=credentials) as ssm:
        started = await ssm.delete_inventory(type_name="Custom:FromAWheel")
        print("started", started.deletion_id)
        async for item in ssm.paginate_describe_inventory_deletions_items():
            print("listed", item.deletion_id, item.last_status)
        try:
            await ssm.describe_inventory_deletions(
                deletion_id="00000000-0000-0000-0000-000000000000"
            )
        except InvalidDeletionIdException as error:
            print("typed error", type(error).__name__, error.status_code)

print("python", "%d.%d" % sys.version_info[:2])
print("versions", ssm_inventory.__version__, smithygen_runtime.__version__)
print("from", ssm_inventory.__file__)
for name in sys.argv[4:]:
    print("absent" if importlib.util.find_spec(name) is None else "PRESENT", name)
anyio.run(main, *sys.argv[1:4])
"""


@pytest.fixture(scope="module")
def client_venv(
    built: dict[str, tuple[Path, Path]], tmp_path_factory: pytest.TempPathFactory
) -> Venv:
    """A fresh venv holding the runtime and ssm-inventory wheels, and their needs."""
    venv = Venv(tmp_path_factory.mktemp("venv") / "v", oldest_python())
    wheels = [built["smithygen-runtime"][0], built["ssm-inventory"][0]]
    venv.pip("install", "--no-index", "--no-deps", *map(str, wheels))
    venv.link_dependencies(wheels)
    venv.pip("check")
    return venv


def test_runtime_and_ssm_inventory_wheels_alone_call_the_emulator(
    client_venv: Venv, tmp_path: Path
) -> None:
    program = tmp_path / "user_program.py"
    program.write_text(USER_PROGRAM)
    with emulator_in_thread() as emu:  # served from this (the development) venv
        result = run(
            [
                client_venv.python,
                "-I",  # no cwd, PYTHONPATH or user site on sys.path
                str(program),
                emu.url,
                emu.credentials.access_key_id,
                emu.credentials.secret_access_key,
                *ABSENT,
            ],
            cwd=tmp_path,
            env=clean_environment(AWS_EC2_METADATA_DISABLED="true"),
        )
    out = result.stdout
    assert f"python {client_venv.version}\n" in out
    assert "versions 0.1.0 0.1.0" in out
    assert f"from {client_venv.site_packages}/ssm_inventory/__init__.py" in out
    for name in ABSENT:
        assert f"absent {name}\n" in out
    (started,) = [
        line.split()[1] for line in out.splitlines() if line.startswith("started")
    ]
    assert f"listed {started} InProgress" in out
    assert "typed error InvalidDeletionIdException 400" in out


def test_the_generated_package_refuses_a_runtime_of_another_contract(
    client_venv: Venv, tmp_path: Path
) -> None:
    probe = (
        "import smithygen_runtime\n"
        "smithygen_runtime.CONTRACT_VERSION = '2.0'\n"
        "try:\n"
        "    import ssm_inventory\n"
        "except ImportError as error:\n"
        "    print(error)\n"
    )
    out = run([client_venv.python, "-I", "-c", probe], cwd=tmp_path).stdout
    assert out.strip() == (
        "ssm_inventory 0.1.0 needs smithygen-runtime contract 1.10, but the installed"
        " smithygen-runtime 0.1.0 has contract 2.0: install 'smithygen-runtime~=0.1.0'"
    )


# --- a project generated from a model the repository does not use -----------

SECRETS_MANAGER = "com.amazonaws.secretsmanager#secretsmanager"

SECRETS_PROGRAM = """
import sys
import anyio
from secretsmanager_client import SecretsManagerClient, ResourceNotFoundException
from secretsmanager_client.config import Credentials, RetryConfig

async def main(url: str) -> None:
    async with SecretsManagerClient(
        region="eu-west-1",
        endpoint_url=url,
        credentials=Credentials("AKIDEXAMPLE", "not-a-secret"),
        retry=RetryConfig(max_attempts=1),
    ) as client:
        listed = await client.list_secrets(max_results=5)
        print("listed", [s.name for s in listed.secret_list or []])
        try:
            await client.get_secret_value(secret_id="missing")
        except ResourceNotFoundException as error:
            print("typed error", type(error).__name__, error.message)

anyio.run(main, sys.argv[1])
"""


class _SecretsHandler(BaseHTTPRequestHandler):
    """A loopback stand-in for Secrets Manager's awsJson1_1 endpoint."""

    seen: ClassVar[list[dict[str, Any]]] = []

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length", "0"))
        body = json.loads(self.rfile.read(length) or b"{}")
        target = self.headers.get("X-Amz-Target", "")
        self.seen.append(
            {
                "target": target,
                "body": body,
                "content_type": self.headers.get("Content-Type"),
                "authorization": self.headers.get("Authorization", ""),
            }
        )
        if target.endswith(".ListSecrets"):
            status, reply = 200, {"SecretList": [{"Name": "db-password"}]}
        else:
            status, reply = (
                400,
                {
                    "__type": "ResourceNotFoundException",
                    "Message": "Secrets Manager can't find the specified secret.",
                },
            )
        data = json.dumps(reply).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/x-amz-json-1.1")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture
def secrets_server() -> Iterator[tuple[str, list[dict[str, Any]]]]:
    _SecretsHandler.seen = []
    server = ThreadingHTTPServer(("127.0.0.1", 0), _SecretsHandler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", _SecretsHandler.seen
    finally:
        server.shutdown()
        server.server_close()


def test_a_project_generated_from_an_official_model_pip_installs_and_calls(
    client_venv: Venv,
    tmp_path: Path,
    secrets_server: tuple[str, list[dict[str, Any]]],
) -> None:
    model = require_shared("aws-models", "secrets-manager-2017-10-17.json")
    project = tmp_path / "secretsmanager-client"
    from smithygen.cli import main as smithygen

    assert (
        smithygen(
            [
                "generate",
                str(model),
                "--service",
                SECRETS_MANAGER,
                "--package",
                "secretsmanager_client",
                "--out",
                str(project),
            ]
        )
        == 0
    )
    assert {p.name for p in project.iterdir()} == {
        "pyproject.toml",
        "README.md",
        "LICENSE",
        "secretsmanager_client",
    }
    # pip install DIR; the build backend (setuptools) comes from this
    # environment because the test has no index to fetch it from.
    # (Python 3.11's venv comes with an old setuptools, which goes first.)
    client_venv.pip("uninstall", "--yes", "setuptools")
    client_venv.link_dependencies([], also=("setuptools",))
    client_venv.pip("install", "--no-index", "--no-build-isolation", str(project))
    client_venv.pip("check")
    program = tmp_path / "secrets_program.py"
    program.write_text(SECRETS_PROGRAM)
    url, seen = secrets_server
    out = run(
        [client_venv.python, "-I", str(program), url],
        cwd=tmp_path,
        env=clean_environment(AWS_EC2_METADATA_DISABLED="true"),
    ).stdout
    assert "listed ['db-password']" in out
    assert (
        "typed error ResourceNotFoundException Secrets Manager can't find the"
        " specified secret." in out
    )
    assert [r["target"] for r in seen] == [
        "secretsmanager.ListSecrets",
        "secretsmanager.GetSecretValue",
    ]
    assert seen[0]["body"] == {"MaxResults": 5}
    assert seen[0]["content_type"] == "application/x-amz-json-1.1"
    assert seen[0]["authorization"].startswith(
        "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/"
    )
    assert "/eu-west-1/secretsmanager/aws4_request" in seen[0]["authorization"]
    installed = run(
        [client_venv.python, "-I", "-m", "pip", "show", "secretsmanager-client"],
        cwd=tmp_path,
    ).stdout
    assert "Version: 0.1.0" in installed
    assert "Requires: attrs, smithygen-runtime" in installed
