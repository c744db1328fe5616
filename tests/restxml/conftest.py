"""The generated client of restxml/model/members.smithy, once per session."""

from __future__ import annotations

import importlib
import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import pytest
from smithygen.generate import generate

from tests.conftest import isolate_aws_environment

MODEL = Path(__file__).resolve().parent / "model" / "members.smithy"
PACKAGE = "xml_members"


@pytest.fixture(scope="session")
def xml_members(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ModuleType]:
    """The generated package (``client`` loaded)."""
    out = tmp_path_factory.mktemp("xml-members-client")
    generate([MODEL], service="example.xmlmembers#XmlMembers", package=PACKAGE, out=out)
    sys.path.insert(0, str(out))
    importlib.invalidate_caches()
    package = importlib.import_module(PACKAGE)
    importlib.import_module(f"{PACKAGE}.client")
    yield package
    sys.path.remove(str(out))
    for name in [m for m in sys.modules if m.startswith(PACKAGE)]:
        del sys.modules[name]


@pytest.fixture(autouse=True)
def _isolated_aws_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    isolate_aws_environment(monkeypatch, tmp_path)
