"""The generated client of model/dual.smithy (awsJson1_0 and rpcv2Cbor), once per session."""

from __future__ import annotations

import importlib
import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import pytest
from smithygen.generate import generate
from smithygen_runtime import Credentials

from tests.conftest import isolate_aws_environment

MODEL = Path(__file__).resolve().parent / "model" / "dual.smithy"
CREDENTIALS = Credentials("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY")
PACKAGE = "dual_protocols"


@pytest.fixture(scope="session")
def dual(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ModuleType]:
    """The generated package (its ``client``, ``errors`` and ``_service`` loaded)."""
    out = tmp_path_factory.mktemp("dual-client")
    generate([MODEL], service="example.dual#DualService", package=PACKAGE, out=out)
    sys.path.insert(0, str(out))
    importlib.invalidate_caches()
    package = importlib.import_module(PACKAGE)
    for module in ("client", "errors", "_service", "models"):
        importlib.import_module(f"{PACKAGE}.{module}")
    yield package
    sys.path.remove(str(out))
    for name in [m for m in sys.modules if m.startswith(PACKAGE)]:
        del sys.modules[name]


@pytest.fixture(autouse=True)
def _isolated_aws_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    isolate_aws_environment(monkeypatch, tmp_path)
