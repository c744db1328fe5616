"""``python -m bench --quick`` runs end to end and writes its three result files."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from bench.environments import ROOT

ROWS = ("import", "percall_c32", "paginate", "startup")


def run_bench(*args: str) -> dict[str, Any]:
    """``python -m bench --quick <args>`` in the project root; asserts it
    succeeded and returns its results.json."""
    done = subprocess.run(
        [sys.executable, "-m", "bench", "--quick", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    raw: dict[str, Any] = json.loads(Path(args[-1], "results.json").read_text())
    return raw


@pytest.mark.slow
def test_quick_run_measures_the_floor_and_reports_ssm_inventory(tmp_path: Path) -> None:
    # aiobotocore and boto3 need .venv-bench (a network install): `make bench` covers them.
    raw = run_bench(
        "--contenders",
        "floor,ssm_inventory",
        "--no-codegen",
        "--no-pool",
        "--out",
        str(tmp_path),
    )
    for row in ROWS:
        samples = raw["samples"][row]["floor"]
        assert len(samples) == 1, row
    startup = raw["samples"]["startup"]["floor"][0]
    assert startup["peak_rss_mb"] > 5
    assert startup["stall_s"] >= 0.001  # at least one tick of 1 ms
    assert 0 < raw["samples"]["startup"]["floor"][0]["per_call_s"] < 1
    # CPU diagnostics: every thread's CPU of construct + first call, and of the import.
    assert 0 < startup["first_call_cpu_s"] < 10
    assert 0 < raw["samples"]["import"]["floor"][0]["import_cpu_s"] < 10
    markdown = (tmp_path / "results.md").read_text()
    assert "| per call, concurrency 1 |" in markdown
    # ssm_inventory is either measured in every row or honestly absent.
    if "ssm_inventory" in raw["unavailable"]:
        assert "not available" in markdown
    else:
        for row in ROWS:
            assert raw["samples"][row]["ssm_inventory"], row
    assert (tmp_path / "results.png").read_bytes().startswith(b"\x89PNG\r\n\x1a\n")
    # The awsQuery row: the STS floor always, the generated STS client unless
    # the shared model is absent (then said so).
    assert "### awsQuery: STS GetCallerIdentity" in markdown
    for row in ("sts_c1", "sts_c32"):
        assert len(raw["samples"][row]["sts_floor"]) == 1, row
        if "sts_client" not in raw["unavailable"]:
            assert len(raw["samples"][row]["sts_client"]) == 1, row
    # The restJson1 row: the floor's Lambda GET, and the generated Lambda
    # client when ../shared holds the model (else it says why not).
    for row in ("restjson_c1", "restjson_c32"):
        assert len(raw["samples"][row]["floor_lambda"]) == 1, row
        assert (
            raw["samples"][row].get("lambda_client")
            or "lambda_client" in raw["unavailable"]
        ), row
    assert "### restJson1: Lambda ListFunctions" in markdown


@pytest.mark.slow
def test_startup_only_runs_the_import_and_startup_jobs_alone(tmp_path: Path) -> None:
    raw = run_bench("--startup-only", "--contenders", "floor", "--out", str(tmp_path))
    assert sorted(raw["samples"]) == ["import", "startup"]
    assert raw["codegen"] == {}
    markdown = (tmp_path / "results.md").read_text()
    assert "| CPU of construct client + first call (every thread) |" in markdown


@pytest.mark.slow
def test_stall_probe_reports_the_longest_gap_and_the_collections() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "bench.stall", "--runs", "1", "--contender", "floor"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout.strip().splitlines()[-1])
    assert report["longest_gap_ms"] >= 1  # at least one tick of 1 ms
    assert report["gaps_over_5ms"] >= 0
    for collection in report["collection_in_longest_gap"]:
        assert collection["generation"] in (0, 1, 2) and collection["ms"] > 1
    assert all(ms > 0 for ms in report["older_generation_collections_ms"])
