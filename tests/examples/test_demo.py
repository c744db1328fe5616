"""End to end: `make demo`'s program against a real ssm-emulator process."""

from __future__ import annotations

import re
import subprocess
import sys

import pytest

from tests.conftest import PROJECT_ROOT

UUID = r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"


@pytest.mark.slow
def test_demo_starts_waits_lists_and_catches_a_typed_error() -> None:
    result = subprocess.run(
        [sys.executable, str(PROJECT_ROOT / "examples" / "demo.py")],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=PROJECT_ROOT,
    )
    assert result.returncode == 0, result.stderr
    out = result.stdout
    started = re.findall(rf"started deletion ({UUID}) of (Custom:\w+)", out)
    assert [name for _, name in started] == [
        "Custom:DemoRackInfo",
        "Custom:DemoLicenses",
    ]
    first_id = started[0][0]
    # The waiter reported progress at least once, then saw the deletion complete.
    assert "waiting: attempt 1" in out
    assert f"{first_id} is Complete" in out
    # The paginator listed both deletions in the table, newest first.
    assert "2 deletion(s) in this account and region:" in out
    table_ids = re.findall(rf"^({UUID})\s+Custom:", out, flags=re.MULTILINE)
    assert sorted(table_ids) == sorted(deletion_id for deletion_id, _ in started)
    assert "reported as InvalidDeletionIdException (HTTP 400)" in out
    assert "Traceback" not in result.stderr
