"""The generated client of restxml/model/members.smithy, once per session."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import pytest

from tests.conftest import isolate_aws_environment
from tests.support.generated_client import import_generated_package

MODEL = Path(__file__).resolve().parent / "model" / "members.smithy"
PACKAGE = "xml_members"


@pytest.fixture(scope="session")
def xml_members(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ModuleType]:
    """The generated package (``client`` loaded)."""
    out = tmp_path_factory.mktemp("xml-members-client")
    yield from import_generated_package(
        out, [MODEL], "example.xmlmembers#XmlMembers", PACKAGE, ["client"]
    )


@pytest.fixture(autouse=True)
def _isolated_aws_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    isolate_aws_environment(monkeypatch, tmp_path)
