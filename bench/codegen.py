"""Timing of ``smithygen generate`` and the IDL loader's throughput; the
official models' clients the protocol rows call (``generate_official_client``).

``smithygen generate`` is timed as a user runs it: a fresh process per run,
interpreter start-up included, writing into a temporary folder. The IDL
loader's throughput comes from ``bench/idl_throughput.py`` (owned by the IDL
loader's engineer), run in its own process.
"""

from __future__ import annotations

import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from bench.environments import ROOT

SERVICE = "com.amazonaws.ssm#AmazonSSM"


def shared_dir() -> Path:
    """The reference data folder: $SMITHYGEN_SHARED, or ../shared beside the project."""
    return Path(os.environ.get("SMITHYGEN_SHARED", ROOT.parent / "shared"))


def generate_official_client(
    label: str, model_file: str, service: str, package: str, out: Path
) -> str | None:
    """Generate ``package`` from an official model into ``out``; None, or why it could not."""
    model = shared_dir() / "aws-models" / model_file
    if not model.exists():
        return f"the {label} model {model} is absent"
    from smithygen.generate import generate

    generate([model], service=service, package=package, out=out)
    return None


def _smithygen() -> list[str]:
    return [sys.executable, "-m", "smithygen.cli"]


def time_generate(files: list[Path], package: str, repeats: int) -> dict[str, Any]:
    """Median wall time of ``smithygen generate`` over ``repeats`` fresh processes."""
    times = []
    with tempfile.TemporaryDirectory(prefix="bench-generate-") as out:
        for number in range(repeats):
            command = [
                *_smithygen(),
                "generate",
                *map(str, files),
                "--service",
                SERVICE,
                "--package",
                package,
                "--out",
                str(Path(out) / str(number)),
            ]
            start = time.perf_counter()
            done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True)
            elapsed = time.perf_counter() - start
            if done.returncode != 0:
                tail = (done.stderr.strip().splitlines() or ["no output"])[-1]
                return {"error": f"smithygen generate failed: {tail}"}
            written = Path(out) / str(number) / package
            if not (written / "__init__.py").exists():
                return {"error": f"smithygen generate exited 0 but wrote no {package}/"}
            modules = sum(1 for _ in written.rglob("*.py"))
            times.append(elapsed)
    return {
        "seconds": statistics.median(times),
        "runs": times,
        "modules": modules,
        "input_bytes": sum(f.stat().st_size for f in files),
    }


def idl_throughput(quick: bool) -> dict[str, Any]:
    """Run ``bench/idl_throughput.py`` and read the MB/s figures it prints."""
    script = Path(__file__).with_name("idl_throughput.py")
    if not script.exists():
        return {"error": "bench/idl_throughput.py does not exist yet"}
    command = [sys.executable, "-m", "bench.idl_throughput"]
    if quick:
        command += ["--mb", "0.5", "--repeat", "1"]
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True)
    if done.returncode != 0:
        tail = (done.stderr.strip().splitlines() or ["no output"])[-1]
        return {"error": f"idl_throughput failed: {tail}"}
    # Its lines: "load_files: best 1.234 s of 3 -> 3.21 MB/s", then the CPU-time
    # figure, then one with json.dumps included.
    figures = {}
    for line in done.stdout.splitlines():
        found = re.search(r"([0-9]+(?:\.[0-9]+)?)\s*MB/s", line)
        if found is None:
            continue
        if line.startswith("load_files: best"):
            figures["mb_per_s"] = float(found.group(1))
        elif line.startswith("load_files CPU"):
            figures["cpu_mb_per_s"] = float(found.group(1))
    if "mb_per_s" not in figures:
        return {"error": "idl_throughput printed no 'load_files: best' figure"}
    return {**figures, "output": done.stdout.strip()}


def run_codegen(quick: bool) -> dict[str, Any]:
    """Every code generation figure of the report; absent inputs are reported as such."""
    repeats = 1 if quick else 3
    results: dict[str, Any] = {}
    model_files = sorted((ROOT / "model").glob("*.smithy"))
    results["generate_model"] = (
        time_generate(model_files, "ssm_inventory", repeats)
        if model_files
        else {"error": "model/ holds no .smithy file"}
    )
    full = shared_dir() / "aws-models" / "ssm-2014-11-06.json"
    if quick:
        results["generate_full"] = {"error": "skipped in --quick"}
    elif full.exists():
        results["generate_full"] = time_generate([full], "ssm_full", repeats)
    else:
        results["generate_full"] = {"error": f"{full} is absent"}
    results["idl_throughput"] = idl_throughput(quick)
    return results
