"""The Python interpreters the contenders run under.

Each contender runs in a virtual environment holding only what its users
install, built here on first use with the interpreter running the benchmark
and rebuilt when its requirements change:

``.venv-bench-sdk``  the raw httpx floor and ``ssm_inventory``: the project's
                     runtime dependencies (``[project] dependencies`` of
                     runtime/pyproject.toml), with ``runtime/`` and ``generated/`` on
                     the path. Not the project's ``.venv``: its development
                     tools change what the package costs. httpcore imports
                     trio (125 ms here) whenever trio is installed, and httpx
                     imports its command line (click, pygments, rich) whenever
                     click is.
``.venv-bench``      aiobotocore and boto3, pinned in
                     ``requirements-contenders.txt`` (aiobotocore pins
                     botocore exactly, which would fight the project's).
"""

from __future__ import annotations

import hashlib
import subprocess
import tomllib
import venv
from collections.abc import Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CONTENDERS_VENV = ROOT / ".venv-bench"
SDK_VENV = ROOT / ".venv-bench-sdk"
REQUIREMENTS = Path(__file__).resolve().parent / "requirements-contenders.txt"
_STAMP_NAME = ".requirements-sha256"


def _ensure_venv(
    folder: Path, requirements: Sequence[str], source_roots: Sequence[Path] = ()
) -> Path:
    python = folder / "bin" / "python"
    stamp = folder / _STAMP_NAME
    wanted = hashlib.sha256(
        "\n".join([*requirements, *map(str, source_roots)]).encode()
    ).hexdigest()
    if python.exists() and stamp.exists() and stamp.read_text().strip() == wanted:
        return python
    print(f"bench: preparing {folder.name}", flush=True)
    if not python.exists():
        venv.EnvBuilder(with_pip=True).create(folder)
    subprocess.run(
        [str(python), "-m", "pip", "install", "--quiet", *requirements], check=True
    )
    if source_roots:
        purelib = subprocess.run(
            [
                str(python),
                "-c",
                "import sysconfig; print(sysconfig.get_paths()['purelib'])",
            ],
            check=True,
            capture_output=True,
            text=True,
        ).stdout.strip()
        Path(purelib, "bench_sources.pth").write_text(
            "".join(f"{root}\n" for root in source_roots)
        )
    stamp.write_text(wanted + "\n")
    return python


def contenders_python() -> Path:
    """The interpreter of ``.venv-bench`` (aiobotocore, boto3)."""
    lines = REQUIREMENTS.read_text().splitlines()
    requirements = [
        line.strip() for line in lines if line.strip() and not line.startswith("#")
    ]
    return _ensure_venv(CONTENDERS_VENV, requirements)


def sdk_python() -> Path:
    """The interpreter of ``.venv-bench-sdk`` (the floor and ``ssm_inventory``)."""
    runtime = ROOT / "runtime" / "pyproject.toml"
    project = tomllib.loads(runtime.read_text())["project"]
    return _ensure_venv(
        SDK_VENV,
        list(project["dependencies"]),
        source_roots=[ROOT / "runtime", ROOT / "generated"],
    )


def python_for(contender: str) -> str:
    """The interpreter a contender's workers run under."""
    if contender in (
        "floor",
        "ssm_inventory",
        "sts_floor",
        "sts_client",
        "floor_lambda",
        "lambda_client",
    ):
        return str(sdk_python())
    return str(contenders_python())
