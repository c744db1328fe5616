"""A pytest fixture starting an emulator per test.

Enable it in a test suite's root ``conftest.py``::

    pytest_plugins = ["ssm_emulator.pytest_plugin"]

then ask for ``ssm_emulator``; it yields a ``RunningEmulator`` with ``.url``,
``.credentials`` and ``.region``.  Override ``ssm_emulator_settings`` to change
how it behaves (for instance a shorter ``completion_seconds``).
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from .server import RunningEmulator, emulator_in_thread
from .settings import Settings

__all__ = ["ssm_emulator", "ssm_emulator_settings"]


@pytest.fixture
def ssm_emulator_settings() -> Settings:
    """Settings for the ``ssm_emulator`` fixture: in-memory, one-second deletions."""
    return Settings(completion_seconds=1.0)


@pytest.fixture
def ssm_emulator(ssm_emulator_settings: Settings) -> Iterator[RunningEmulator]:
    """A fresh emulator on a free loopback port, stopped after the test.

    Synchronous on purpose: the server runs on its own thread, so the fixture
    serves sync tests and async tests under any event loop alike.
    """
    with emulator_in_thread(ssm_emulator_settings) as running:
        yield running
