"""The project's layout promises: the interpreter finder and the Makefile targets."""

from __future__ import annotations

import subprocess
import sys

from tests.conftest import PROJECT_ROOT


def test_find_python_prints_an_interpreter_of_at_least_3_12() -> None:
    out = subprocess.run(
        [str(PROJECT_ROOT / "scripts" / "find-python")],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()
    version = subprocess.run(
        [out, "-c", "import sys; print(sys.version_info[:2] >= (3, 12))"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()
    assert version == "True"


def test_running_interpreter_meets_the_floor() -> None:
    assert sys.version_info >= (3, 12)
