"""Fixtures shared by every test package."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

PROJECT_ROOT = Path(__file__).resolve().parent.parent


def shared_dir() -> Path:
    """The reference data folder: $SMITHYGEN_SHARED, or ../shared beside the project."""
    return Path(os.environ.get("SMITHYGEN_SHARED", PROJECT_ROOT.parent / "shared"))


def require_shared(*parts: str) -> Path:
    """Return a path inside the shared reference data, or skip when it is absent.

    Under CI (``CI`` set) a missing path is a failure, never a skip: CI always
    has ../shared beside the checkout, so its absence means a broken set-up.
    """
    path = shared_dir().joinpath(*parts)
    if not path.exists():
        reason = f"reference data {path} is absent (set SMITHYGEN_SHARED)"
        if os.environ.get("CI"):
            pytest.fail(reason)
        pytest.skip(reason)
    return path


@pytest.fixture(params=["asyncio", "trio"])
def anyio_backend(request: pytest.FixtureRequest) -> str:
    """Run every ``@pytest.mark.anyio`` test under asyncio and trio alike."""
    return str(request.param)
