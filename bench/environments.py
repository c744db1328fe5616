"""The Python interpreters the contenders run under.

The raw httpx floor and ``ssm_inventory`` run under the project's ``.venv``
(the interpreter running the benchmark). aiobotocore and boto3 run under
``.venv-bench``, built here on first use from ``requirements-contenders.txt``
with the same interpreter, and rebuilt when that file changes.
"""

from __future__ import annotations

import hashlib
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCH_VENV = ROOT / ".venv-bench"
REQUIREMENTS = Path(__file__).resolve().parent / "requirements-contenders.txt"
_STAMP = BENCH_VENV / ".requirements-sha256"


def project_python() -> str:
    """The interpreter of the project's venv: the one running this code."""
    return sys.executable


def contenders_python() -> Path:
    """The interpreter of ``.venv-bench``, created or refreshed when needed."""
    python = BENCH_VENV / "bin" / "python"
    wanted = hashlib.sha256(REQUIREMENTS.read_bytes()).hexdigest()
    if python.exists() and _STAMP.exists() and _STAMP.read_text().strip() == wanted:
        return python
    print(f"bench: preparing {BENCH_VENV.name} for aiobotocore and boto3", flush=True)
    if not python.exists():
        venv.EnvBuilder(with_pip=True).create(BENCH_VENV)
    subprocess.run(
        [str(python), "-m", "pip", "install", "--quiet", "-r", str(REQUIREMENTS)],
        check=True,
    )
    _STAMP.write_text(wanted + "\n")
    return python
