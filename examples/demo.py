"""`make demo`: run examples/inventory_deletions.py against a local ssm-emulator.

Starts ``ssm-emulator`` on a free loopback port, points the standard AWS
environment variables at it (the emulator accepts the AWS documentation's example
key pair), runs the example application unchanged, and stops the emulator.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
READY_PREFIX = "ssm-emulator listening on "

# The AWS documentation's example key pair: what ssm-emulator accepts by default.
EXAMPLE_ACCESS_KEY_ID = "AKIAIOSFODNN7EXAMPLE"
EXAMPLE_SECRET_ACCESS_KEY = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"


def start_emulator(completion_seconds: float) -> tuple[subprocess.Popen[str], str]:
    """Start ssm-emulator and return it with the URL it printed."""
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "ssm_emulator",
            "--port",
            "0",
            "--completion-seconds",
            str(completion_seconds),
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert process.stdout is not None
    line = process.stdout.readline().strip()
    if not line.startswith(READY_PREFIX):
        process.kill()
        raise SystemExit(f"ssm-emulator did not start (it printed {line!r})")
    return process, line.removeprefix(READY_PREFIX)


def main() -> int:
    emulator, url = start_emulator(completion_seconds=5.0)
    print(f"ssm-emulator is listening on {url}\n")
    try:
        os.environ.update(
            AWS_ENDPOINT_URL_SSM=url,
            AWS_REGION="us-east-1",
            AWS_ACCESS_KEY_ID=EXAMPLE_ACCESS_KEY_ID,
            AWS_SECRET_ACCESS_KEY=EXAMPLE_SECRET_ACCESS_KEY,
        )
        # No shared config or credentials files of this machine leak into the demo.
        os.environ.pop("AWS_PROFILE", None)
        os.environ.pop("AWS_SESSION_TOKEN", None)
        sys.path.insert(0, str(HERE))
        from inventory_deletions import main as run_application

        return run_application(["--max-wait", "60"])
    finally:
        emulator.terminate()
        emulator.wait(timeout=10)


if __name__ == "__main__":
    raise SystemExit(main())
