"""The READMEs' Python blocks run as written against the emulator.

Issue 11, "What must be true" 5: the quick start of README.md, and the example
smithygen wrote into generated/README.md, are extracted and run unchanged in a
fresh interpreter, configured only through the standard AWS variables the
README's console block sets.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from ssm_emulator import RunningEmulator, emulator_in_thread

from tests.conftest import AWS_ENVIRONMENT_VARIABLES, PROJECT_ROOT

UUID = r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"


def python_blocks(markdown: Path) -> list[str]:
    text = markdown.read_text(encoding="utf-8")
    return re.findall(r"^```python\n(.*?)^```", text, flags=re.MULTILINE | re.DOTALL)


def run_against(emu: RunningEmulator, code: str, home: Path) -> str:
    env = {k: v for k, v in os.environ.items() if k not in AWS_ENVIRONMENT_VARIABLES}
    env.update(
        AWS_ENDPOINT_URL_SSM=emu.url,
        AWS_ACCESS_KEY_ID=emu.credentials.access_key_id,
        AWS_SECRET_ACCESS_KEY=emu.credentials.secret_access_key,
        AWS_REGION=emu.region,  # the README block passes its own region
        AWS_CONFIG_FILE=str(home / "config"),
        AWS_SHARED_CREDENTIALS_FILE=str(home / "credentials"),
        AWS_EC2_METADATA_DISABLED="true",
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=home,
        env=env,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    return result.stdout


def test_readme_quick_start_runs_as_written(tmp_path: Path) -> None:
    (block,) = python_blocks(PROJECT_ROOT / "README.md")
    with emulator_in_thread() as emu:
        out = run_against(emu, block, tmp_path)
    (started,) = re.findall(rf"^started ({UUID})$", out, flags=re.MULTILINE)
    assert re.search(rf"^{started} InProgress$", out, flags=re.MULTILINE)
    # The typed error branch runs: the id is well-formed, and unknown.
    assert re.search(r"^no such deletion: .+", out, flags=re.MULTILINE)


def test_generated_readme_example_runs_as_written(tmp_path: Path) -> None:
    (block,) = python_blocks(PROJECT_ROOT / "generated" / "README.md")
    with emulator_in_thread() as emu:
        out = run_against(emu, block, tmp_path)
    # The one call and the paginator both print a (here empty) result.
    assert out.count("DescribeInventoryDeletionsResult(") == 2


@pytest.mark.parametrize("readme", ["README.md", "generated/README.md"])
def test_readme_says_which_python_it_needs(readme: str) -> None:
    assert "Python 3.11 or newer" in (PROJECT_ROOT / readme).read_text()
