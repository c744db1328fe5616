"""A client generated from ``shards.smithy`` (awsJson 1.1 event streams), once per session."""

from __future__ import annotations

import importlib
import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import pytest

from tests.conftest import isolate_aws_environment
from tests.support.loopback_server import LoopbackServer, running_server

MODEL = Path(__file__).with_name("shards.smithy")


@pytest.fixture(scope="session")
def shards(tmp_path_factory: pytest.TempPathFactory) -> ModuleType:
    """The generated ``shards_events`` package (imported from a session folder)."""
    from smithygen.generate import generate

    out = tmp_path_factory.mktemp("shards")
    generate([MODEL], service="example.shards#Shards", package="shards_events", out=out)
    # Left on sys.path: the package imports its modules lazily.
    sys.path.insert(0, str(out))
    importlib.invalidate_caches()
    return importlib.import_module("shards_events")


@pytest.fixture(autouse=True)
def _isolated_aws_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    isolate_aws_environment(monkeypatch, tmp_path)


@pytest.fixture
def server() -> Iterator[LoopbackServer]:
    with running_server() as running:
        yield running
