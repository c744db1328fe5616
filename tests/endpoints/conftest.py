"""Clients generated from this folder's test models (models/*.smithy), once per session."""

from __future__ import annotations

import importlib
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from types import ModuleType

import pytest
from smithygen.generate import generate
from smithygen_runtime import Credentials

from tests.conftest import isolate_aws_environment

MODELS = Path(__file__).resolve().parent / "models"
CREDENTIALS = Credentials("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY")

# model file -> (service shape id, package name)
PACKAGES = {
    "coded_errors.smithy": ("example.coded#CodedService", "endpoints_coded"),
    "streams.smithy": ("example.streams#StreamsService", "endpoints_streams"),
    "discovered.smithy": ("example.discovered#RecordsService", "endpoints_records"),
}


@pytest.fixture(scope="session")
def generated(
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[Callable[[str], ModuleType]]:
    """``generated("streams.smithy")``: the client module of that model's package."""
    out = tmp_path_factory.mktemp("endpoint-clients")
    sys.path.insert(0, str(out))
    made: dict[str, ModuleType] = {}

    def client_module(model: str) -> ModuleType:
        if model not in made:
            service, package = PACKAGES[model]
            generate([MODELS / model], service=service, package=package, out=out)
            importlib.invalidate_caches()
            made[model] = importlib.import_module(f"{package}.client")
        return made[model]

    yield client_module
    sys.path.remove(str(out))
    for name in [m for m in sys.modules if m.startswith("endpoints_")]:
        del sys.modules[name]


@pytest.fixture(autouse=True)
def _isolated_aws_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    isolate_aws_environment(monkeypatch, tmp_path)
    for name in ("AWS_ENDPOINT_DISCOVERY_ENABLED", "AWS_ACCOUNT_ID_ENDPOINT_MODE"):
        monkeypatch.delenv(name, raising=False)
