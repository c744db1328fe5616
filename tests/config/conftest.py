"""Fixtures for the configuration tests: an isolated AWS environment, loopback servers."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.config.servers import RecordingServer
from tests.conftest import isolate_aws_environment

PROXY_VARIABLES = (
    "HTTP_PROXY",
    "HTTPS_PROXY",
    "ALL_PROXY",
    "NO_PROXY",
    "http_proxy",
    "https_proxy",
    "all_proxy",
    "no_proxy",
)


@pytest.fixture
def aws_home(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """No real AWS settings; config and credentials files in tmp_path; env keys set."""
    isolate_aws_environment(monkeypatch, tmp_path)
    for name in (*PROXY_VARIABLES, "AWS_CA_BUNDLE", "REQUESTS_CA_BUNDLE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "AKIDFROMENV")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "secret-from-env")
    (tmp_path / "credentials").write_text(
        "[dev]\naws_access_key_id = AKIDDEV\naws_secret_access_key = s\n"
    )
    return tmp_path


@pytest.fixture
def server() -> Iterator[RecordingServer]:
    running = RecordingServer("A").start()
    yield running
    running.stop()
