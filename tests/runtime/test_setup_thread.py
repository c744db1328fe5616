"""The first call's set-up thread: switch interval handling and error hand-off."""

from __future__ import annotations

import sys
import threading

import pytest
from smithygen_runtime import ConfigurationError
from smithygen_runtime._transport import prompt_gil_handoff

from tests.runtime.demo_service import CREDENTIALS, DemoClient


def test_switch_interval_is_lowered_while_set_ups_run_and_restored_after() -> None:
    original = sys.getswitchinterval()
    inner_started, release = threading.Event(), threading.Event()
    seen: list[float] = []

    def other_set_up() -> None:
        with prompt_gil_handoff():
            inner_started.set()
            release.wait(5)

    with prompt_gil_handoff():
        lowered = sys.getswitchinterval()
        thread = threading.Thread(target=other_set_up)
        thread.start()
        inner_started.wait(5)
    # The first block ended while the other set-up still runs: still lowered.
    seen.append(sys.getswitchinterval())
    release.set()
    thread.join(5)
    assert lowered < original
    assert seen == [lowered]
    assert sys.getswitchinterval() == original


@pytest.mark.anyio
async def test_set_up_failure_reaches_the_caller_and_interval_is_restored(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    original = sys.getswitchinterval()
    monkeypatch.delenv("AWS_REGION", raising=False)
    monkeypatch.delenv("AWS_DEFAULT_REGION", raising=False)
    client = DemoClient(
        endpoint_url="https://demo.example.com", credentials=CREDENTIALS
    )
    with pytest.raises(ConfigurationError, match="region"):
        await client.get_thing()
    await client.aclose()
    assert sys.getswitchinterval() == original
