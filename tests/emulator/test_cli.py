"""The ``ssm-emulator`` console script, run as users run it."""

from __future__ import annotations

import os
import re
import selectors
import shutil
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import boto3
import pytest
from ssm_emulator import DEFAULT_CREDENTIALS

LISTENING = re.compile(r"^ssm-emulator listening on (http://127\.0\.0\.1:(\d+))$")


def _command() -> list[str]:
    # The installed console script when present (what users run); otherwise
    # the same entry point through the interpreter.
    script = Path(sys.executable).with_name("ssm-emulator")
    if script.exists():
        return [str(script)]
    found = shutil.which("ssm-emulator")
    return [found] if found else [sys.executable, "-m", "ssm_emulator.cli"]


def _read_line(process: subprocess.Popen[str], timeout: float = 15.0) -> str:
    assert process.stdout is not None
    selector = selectors.DefaultSelector()
    selector.register(process.stdout, selectors.EVENT_READ)
    if not selector.select(timeout):
        process.kill()
        pytest.fail("ssm-emulator printed nothing within the time limit")
    return process.stdout.readline().strip()


@pytest.fixture
def start(tmp_path: Path) -> Iterator[object]:
    processes: list[subprocess.Popen[str]] = []

    def run(*args: str) -> subprocess.Popen[str]:
        process = subprocess.Popen(
            [*_command(), *args],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env={**os.environ, "PYTHONUNBUFFERED": "1"},
        )
        processes.append(process)
        return process

    yield run
    for process in processes:
        if process.poll() is None:
            process.kill()
            process.wait(5)


def _client(url: str) -> object:
    return boto3.client(
        "ssm",
        endpoint_url=url,
        region_name="us-east-1",
        aws_access_key_id=DEFAULT_CREDENTIALS.access_key_id,
        aws_secret_access_key=DEFAULT_CREDENTIALS.secret_access_key,
    )


def _listening_url(process: subprocess.Popen[str]) -> str:
    line = _read_line(process)
    match = LISTENING.match(line)
    assert match, line
    assert int(match.group(2)) > 0
    return match.group(1)


def _assert_clean_exit(process: subprocess.Popen[str]) -> None:
    assert process.wait(10) == 0
    assert process.stderr is not None
    assert "Traceback" not in process.stderr.read()


@pytest.mark.slow
def test_serves_on_a_free_port_and_stops_cleanly_on_sigterm(
    start: object, tmp_path: Path
) -> None:
    db = tmp_path / "cli.sqlite"
    process = start("--port", "0", "--db", str(db), "--completion-seconds", "0")  # type: ignore[operator]
    ssm = _client(_listening_url(process))
    deletion = ssm.delete_inventory(TypeName="Custom:FromCli")  # type: ignore[attr-defined]
    described = ssm.describe_inventory_deletions(DeletionId=deletion["DeletionId"])  # type: ignore[attr-defined]
    assert described["InventoryDeletions"][0]["LastStatus"] == "Complete"
    process.send_signal(signal.SIGTERM)
    _assert_clean_exit(process)

    # What it recorded is in the file for the next run.
    again = start("--port", "0", "--db", str(db))  # type: ignore[operator]
    listed = _client(_listening_url(again)).describe_inventory_deletions()  # type: ignore[attr-defined]
    assert [d["DeletionId"] for d in listed["InventoryDeletions"]] == [
        deletion["DeletionId"]
    ]
    again.send_signal(signal.SIGTERM)
    _assert_clean_exit(again)


def test_stops_cleanly_on_sigint(start: object) -> None:
    process = start("--port", "0")  # type: ignore[operator]
    ssm = _client(_listening_url(process))
    assert ssm.describe_inventory_deletions()["InventoryDeletions"] == []  # type: ignore[attr-defined]
    process.send_signal(signal.SIGINT)
    _assert_clean_exit(process)


def test_a_bad_database_is_a_clear_error(start: object, tmp_path: Path) -> None:
    db = tmp_path / "junk.sqlite"
    db.write_text("junk" * 1000)
    process = start("--db", str(db))  # type: ignore[operator]
    assert process.wait(15) == 2
    assert process.stderr is not None and process.stdout is not None
    error = process.stderr.read()
    assert "ssm-emulator: cannot open" in error and "Traceback" not in error
    assert process.stdout.read() == ""


def test_a_port_in_use_is_a_clear_error(start: object) -> None:
    import socket

    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        process = start("--port", str(port))  # type: ignore[operator]
        assert process.wait(15) == 2
    assert process.stderr is not None
    assert f"cannot listen on 127.0.0.1:{port}" in process.stderr.read()


def test_listening_beyond_loopback_with_the_example_key_is_refused(
    start: object,
) -> None:
    process = start("--host", "0.0.0.0", "--port", "0")  # type: ignore[operator]
    assert process.wait(15) == 2
    assert process.stderr is not None and process.stdout is not None
    error = process.stderr.read()
    assert "refusing to listen on 0.0.0.0" in error
    assert (
        "example key pair" in error and "--allow-example-key-beyond-loopback" in error
    )
    assert "Traceback" not in error
    assert process.stdout.read() == ""  # it never said it was listening


@pytest.mark.parametrize(
    ("args", "fragment"),
    [
        (("--header-timeout", "0"), "--header-timeout must be > 0"),
        (("--body-timeout", "-1"), "--body-timeout must be > 0"),
        (("--max-connections", "0"), "--max-connections must be > 0"),
        (("--allowed-host", ""), "allowed_hosts entries must be non-empty"),
    ],
)
def test_bad_limits_are_usage_errors(
    start: object, args: tuple[str, ...], fragment: str
) -> None:
    process = start(*args)  # type: ignore[operator]
    assert process.wait(15) == 2
    assert process.stderr is not None
    error = process.stderr.read()
    assert fragment in error and "Traceback" not in error
