"""The protocol cases' clients read no real AWS settings (the S3 cases write their own)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import isolate_aws_environment


@pytest.fixture(autouse=True)
def isolated_aws_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    isolate_aws_environment(monkeypatch, tmp_path)
