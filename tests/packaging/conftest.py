"""Wheels and sdists of the four distributions, built once per session."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import PROJECT_ROOT
from tests.packaging.venvs import DISTRIBUTION_FOLDERS, build_distribution


@pytest.fixture(scope="session")
def built(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[Path, Path]]:
    """Distribution name -> (wheel, sdist), as ``make dist`` builds them."""
    out = tmp_path_factory.mktemp("dist")
    return {
        name: build_distribution(PROJECT_ROOT / folder, out)
        for name, folder in DISTRIBUTION_FOLDERS.items()
    }
