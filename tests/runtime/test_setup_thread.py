"""The first call's set-up thread: the host's interpreter settings stay as they were."""

from __future__ import annotations

import os
import sys
import threading
from typing import Any

import pytest
from smithygen_runtime import ConfigurationError, TransportError

from tests.runtime.demo_service import CREDENTIALS, DemoClient

pytestmark = pytest.mark.anyio


def _thread_priorities() -> dict[int, int]:
    """The nice value of each thread of this process (Linux), by native id."""
    if sys.platform != "linux":
        return {}
    return {
        thread.native_id: os.getpriority(os.PRIO_PROCESS, thread.native_id)
        for thread in threading.enumerate()
        if thread.native_id is not None
    }


async def test_a_set_up_changes_no_process_wide_setting(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("AWS_REGION", "us-east-1")
    interval = sys.getswitchinterval()
    priorities = _thread_priorities()
    seen_during_set_up: list[tuple[float, int]] = []
    original_prepare = DemoClient._resolve_config

    def watching_prepare(self: DemoClient) -> Any:
        seen_during_set_up.append(
            (
                sys.getswitchinterval(),
                os.getpriority(os.PRIO_PROCESS, threading.get_native_id()),
            )
            if sys.platform == "linux"
            else (sys.getswitchinterval(), 0)
        )
        return original_prepare(self)

    monkeypatch.setattr(DemoClient, "_resolve_config", watching_prepare)
    process_priority = (
        os.getpriority(os.PRIO_PROCESS, 0) if sys.platform == "linux" else 0
    )
    client = DemoClient(
        endpoint_url="http://127.0.0.1:9", credentials=CREDENTIALS, max_attempts=1
    )
    async with client:
        with pytest.raises(TransportError):  # nothing listens on port 9
            await client.get_thing()
    assert seen_during_set_up == [(interval, process_priority)]
    assert sys.getswitchinterval() == interval
    assert {
        k: v for k, v in _thread_priorities().items() if k in priorities
    } == priorities


async def test_set_up_failure_reaches_the_caller(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("AWS_REGION", raising=False)
    monkeypatch.delenv("AWS_DEFAULT_REGION", raising=False)
    client = DemoClient(
        endpoint_url="https://demo.example.com", credentials=CREDENTIALS
    )
    with pytest.raises(ConfigurationError, match="region"):
        await client.get_thing()
    await client.aclose()


@pytest.mark.parametrize(
    ("library", "backend"),
    [("asyncio", "httpcore._backends.anyio"), ("trio", "httpcore._backends.trio")],
)
def test_the_set_up_imports_the_backends_that_exist_for_the_event_loop(
    monkeypatch: pytest.MonkeyPatch, library: str, backend: str
) -> None:
    # warm_up_imports swallows ImportError (a miss only delays the import), so
    # a module name that does not exist would fail silently at every set-up.
    import importlib

    from smithygen_runtime._transport import warm_up_imports

    real_import = importlib.import_module
    missing: list[str] = []
    imported: list[str] = []

    def recording_import(name: str, package: str | None = None) -> Any:
        try:
            module = real_import(name, package)
        except ImportError:
            missing.append(name)
            raise
        imported.append(name)
        return module

    monkeypatch.setattr(importlib, "import_module", recording_import)
    warm_up_imports(library)
    assert missing == []
    assert imported == [f"anyio._backends._{library}", backend]
