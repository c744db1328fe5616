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


def test_find_python_all_lists_one_interpreter_per_version_from_3_11_up() -> None:
    found = subprocess.run(
        [str(PROJECT_ROOT / "scripts" / "find-python"), "--all"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.split()
    versions = [
        tuple(
            int(part)
            for part in subprocess.run(
                [path, "-c", "import sys; print('%d %d' % sys.version_info[:2])"],
                check=True,
                capture_output=True,
                text=True,
            ).stdout.split()
        )
        for path in found
    ]
    assert versions, "no interpreter found at all"
    assert all(v >= (3, 11) for v in versions)
    assert versions == sorted(set(versions))  # one per version, oldest first
    assert sys.version_info[:2] in versions
