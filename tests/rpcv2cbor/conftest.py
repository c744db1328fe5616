"""The generated client of model/dual.smithy (awsJson1_0 and rpcv2Cbor), once per session."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import pytest

from tests.conftest import isolate_aws_environment
from tests.support.generated_client import import_generated_package

MODEL = Path(__file__).resolve().parent / "model" / "dual.smithy"
PACKAGE = "dual_protocols"


@pytest.fixture(scope="session")
def dual(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ModuleType]:
    """The generated package (its ``client``, ``errors`` and ``_service`` loaded)."""
    out = tmp_path_factory.mktemp("dual-client")
    yield from import_generated_package(
        out,
        [MODEL],
        "example.dual#DualService",
        PACKAGE,
        ("client", "errors", "_service", "models"),
    )


@pytest.fixture(autouse=True)
def _isolated_aws_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    isolate_aws_environment(monkeypatch, tmp_path)
