"""Run every contender's workloads in fresh processes, alternating, against one server.

Each round runs every job once, each in a new process, and the order of the
contenders rotates from round to round, so drift on a shared machine (another
build, a noisy neighbour) spreads over all contenders instead of landing on
one. The report quotes medians over rounds.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bench import s3, sts
from bench.environments import ROOT, python_for

ASYNC_CONTENDERS = ("floor", "ssm_inventory", "aiobotocore")
ALL_CONTENDERS = (*ASYNC_CONTENDERS, "boto3")

# What each contender's user writes at the top of a module: the import timed
# in a bare interpreter.
IMPORT_STATEMENTS = {
    "floor": "import httpx",
    "ssm_inventory": "from ssm_inventory import SSMClient",
    "aiobotocore": "from aiobotocore.session import get_session",
    "boto3": "import boto3",
    **sts.IMPORT_STATEMENTS,
    **s3.IMPORT_STATEMENTS,
    "floor_lambda": "import httpx",
    "lambda_client": "import os, sys; sys.path.insert(0, os.environ['BENCH_LAMBDA_PATH']);"
    " from lambda_client import LambdaClient",
    "aiobotocore_lambda": "from aiobotocore.session import get_session",
}

# The floor is the least an httpx client can do, so it gets the pool size that
# measured fastest at concurrency 32 on this 2-core machine: 8 connections. With
# httpx's defaults (20 kept alive) connections churn, and every extra pooled
# connection costs httpcore a liveness check per request. The pool table in the
# report shows the other sizes.
FLOOR_POOL = 8


@dataclass(frozen=True)
class Sizes:
    """How much work each job does; ``quick`` shrinks everything for smoke tests."""

    rounds: int = 5
    # The sequential calls run in the start-up process: 1 first call, 99
    # warm-up calls and 900 timed ones make the 1,000 calls of the peak RSS.
    calls_c1: int = 900
    warmup_c1: int = 99
    calls_c32: int = 1000
    warmup: int = 100
    walks: int = 1
    pool_rounds: int = 2

    @classmethod
    def quick(cls) -> Sizes:
        """Tiny counts: proves the harness runs, measures nothing worth quoting."""
        return cls(
            rounds=1,
            calls_c1=20,
            warmup_c1=4,
            calls_c32=64,
            warmup=4,
            walks=1,
            pool_rounds=1,
        )


@dataclass(frozen=True)
class Job:
    """One process to run: a contender, a workload and its options."""

    key: str  # which row of the report: import, startup, percall_c32, paginate, pool
    contender: str
    args: tuple[str, ...] = ()
    label: str = ""  # distinguishes variants of one contender (pool sizes)


@dataclass
class Results:
    """Every sample measured, by row and contender label."""

    samples: dict[str, dict[str, list[dict[str, Any]]]] = field(default_factory=dict)
    unavailable: dict[str, str] = field(default_factory=dict)
    server: dict[str, float] = field(default_factory=dict)
    meta: dict[str, Any] = field(default_factory=dict)

    def add(self, job: Job, sample: dict[str, Any]) -> None:
        """Record one process's result."""
        row = self.samples.setdefault(job.key, {})
        row.setdefault(job.label or job.contender, []).append(sample)

    def median(self, key: str, label: str, metric: str) -> float | None:
        """The median of ``metric`` over the samples of a row, or None when there are none."""
        values = [
            s[metric] for s in self.samples.get(key, {}).get(label, []) if metric in s
        ]
        return statistics.median(values) if values else None

    def spread(self, key: str, label: str, metric: str) -> tuple[float, float] | None:
        """The smallest and largest sample of ``metric``."""
        values = [
            s[metric] for s in self.samples.get(key, {}).get(label, []) if metric in s
        ]
        return (min(values), max(values)) if values else None


@contextmanager
def loopback_server() -> Iterator[str]:
    """Start :mod:`bench.server` in its own process and yield its endpoint URL."""
    process = subprocess.Popen(
        [sys.executable, "-m", "bench.server"],
        cwd=ROOT,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stdout is not None
        line = process.stdout.readline()
        if not line.startswith("PORT "):
            raise RuntimeError(f"bench server did not start: {line!r}")
        yield f"http://127.0.0.1:{int(line.split()[1])}/"
    finally:
        assert process.stdin is not None
        process.stdin.close()  # the server stops when its stdin closes
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def server_stats(endpoint: str) -> dict[str, float]:
    """Requests served, connections accepted and CPU seconds of the server so far."""
    with urllib.request.urlopen(endpoint + "__stats", timeout=10) as response:
        stats: dict[str, float] = json.loads(response.read())
    return stats


def worker_environment(endpoint: str) -> dict[str, str]:
    """The environment of every worker: the same for all contenders."""
    from bench.presign import presigned_headers

    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith("AWS_") and key != "PYTHONDONTWRITEBYTECODE"
    }
    # Users' interpreters keep bytecode caches; without them imports measure
    # the compiler. No contender may find credentials or config of the machine.
    env.update(
        AWS_CONFIG_FILE=os.devnull,
        AWS_SHARED_CREDENTIALS_FILE=os.devnull,
        AWS_EC2_METADATA_DISABLED="true",
        BENCH_FLOOR_HEADERS=json.dumps(presigned_headers(endpoint)),
        **sts.environment(endpoint),
        **s3.environment(endpoint),
    )
    return env


class Runner:
    """Runs jobs in fresh processes and records their results and the server's cost."""

    def __init__(
        self,
        endpoint: str,
        contenders: Sequence[str],
        results: Results,
        log: Callable[[str], None] = print,
        extra_env: dict[str, str] | None = None,
    ) -> None:
        self.endpoint = endpoint
        self.results = results
        self.log = log
        self._env = {**worker_environment(endpoint), **(extra_env or {})}
        self._pythons: dict[str, str] = {}
        for name in contenders:
            self._pythons[name] = python_for(name)
        self.contenders = [name for name in contenders if self._available(name)]

    def _available(self, name: str) -> bool:
        """A contender runs only if its import works; otherwise the report says why."""
        probe = subprocess.run(
            [self._pythons[name], "-c", IMPORT_STATEMENTS[name]],
            cwd=ROOT,
            env=self._env,
            capture_output=True,
            text=True,
        )
        if probe.returncode == 0:
            return True
        last = (probe.stderr.strip().splitlines() or ["import failed"])[-1]
        self.results.unavailable[name] = last
        self.log(f"bench: {name} is not available: {last}")
        return False

    def warm(self) -> None:
        """One untimed run per contender, so every bytecode cache exists before timing."""
        for name in self.contenders:
            self.run(Job("warm", name, ("paginate", "--repeats", "1")), record=False)

    def run(self, job: Job, record: bool = True) -> None:
        """Run one job in a fresh process; a failure is recorded, not raised."""
        python = self._pythons[job.contender]
        if job.key == "import":
            statement = IMPORT_STATEMENTS[job.contender]
            command = [
                python,
                "-c",
                "import time; t = time.perf_counter(); c = time.process_time(); "
                f"{statement}; "
                "w = time.perf_counter() - t; cpu = time.process_time() - c; "
                "import json; "
                "print('RESULT', json.dumps({'import_s': w, 'import_cpu_s': cpu}))",
            ]
        else:
            command = [
                python,
                "-m",
                "bench.worker",
                job.contender,
                *job.args,
                "--endpoint",
                self.endpoint,
            ]
        before = server_stats(self.endpoint)
        process = subprocess.run(
            command, cwd=ROOT, env=self._env, capture_output=True, text=True
        )
        after = server_stats(self.endpoint)
        line = next(
            (x for x in process.stdout.splitlines() if x.startswith("RESULT ")), None
        )
        if process.returncode != 0 or line is None:
            tail = (process.stderr.strip().splitlines() or ["no output"])[-1]
            self.results.unavailable.setdefault(
                job.label or job.contender, f"{job.key} failed: {tail}"
            )
            self.log(f"bench: {job.key} {job.label or job.contender} failed: {tail}")
            return
        payload = json.loads(line[len("RESULT ") :])
        sample: dict[str, Any] = (
            payload if isinstance(payload, dict) else {"import_s": float(payload)}
        )
        requests = after["requests"] - before["requests"]
        sample["server_requests"] = requests
        sample["server_connections"] = after["connections"] - before["connections"]
        if requests:
            sample["server_cpu_per_request_s"] = (
                after["cpu_seconds"] - before["cpu_seconds"]
            ) / requests
        if record:
            self.results.add(job, sample)

    def rounds(
        self, jobs_of_round: Callable[[list[str]], list[Job]], count: int
    ) -> None:
        """Run ``count`` rounds; round ``r`` starts the contender order ``r`` places on."""
        for number in range(count):
            shift = number % max(1, len(self.contenders))
            order = self.contenders[shift:] + self.contenders[:shift]
            started = time.perf_counter()
            for job in jobs_of_round(order):
                self.run(job)
            self.log(
                f"bench: round {number + 1}/{count} done in {time.perf_counter() - started:.0f} s"
            )


def main_jobs(sizes: Sizes) -> Callable[[list[str]], list[Job]]:
    """The jobs of one round of the main table, in the given contender order."""

    def jobs(order: list[str]) -> list[Job]:
        floor_pool = ("--pool", str(FLOOR_POOL))
        result: list[Job] = [Job("import", name) for name in order]
        result += [
            Job(
                "percall_c32",
                name,
                (
                    "percall",
                    "--concurrency",
                    "32",
                    "--calls",
                    str(sizes.calls_c32),
                    "--warmup",
                    str(sizes.warmup),
                    *(floor_pool if name == "floor" else ()),
                ),
            )
            for name in order
            if name != "boto3"
        ]
        result += [
            Job("paginate", name, ("paginate", "--repeats", str(sizes.walks)))
            for name in order
        ]
        result += [
            Job(
                "startup",
                name,
                (
                    "startup",
                    "--calls",
                    str(sizes.calls_c1),
                    "--warmup",
                    str(sizes.warmup_c1),
                ),
            )
            for name in order
        ]
        return result

    return jobs


def sts_jobs(sizes: Sizes) -> Callable[[list[str]], list[Job]]:
    """The STS GetCallerIdentity rows: per call at concurrency 1 and 32 (bench.sts)."""

    def jobs(order: list[str]) -> list[Job]:
        result = []
        for key, concurrency, calls in (
            ("sts_c1", "1", sizes.calls_c1),
            ("sts_c32", "32", sizes.calls_c32),
        ):
            result += [
                Job(
                    key,
                    name,
                    (
                        "percall",
                        "--concurrency",
                        concurrency,
                        "--calls",
                        str(calls),
                        "--warmup",
                        str(sizes.warmup),
                        *(("--pool", str(FLOOR_POOL)) if name == "sts_floor" else ()),
                    ),
                )
                for name in order
            ]
        return result

    return jobs


# Pool sizes tried at concurrency 32 besides each contender's main-table setting
# (MAIN_POOL), whose figure the pool table takes from the main table.
POOL_VARIANTS: dict[str, tuple[int | None, ...]] = {
    "floor": (None, 4, 32),
    "ssm_inventory": (8, 32),
    "aiobotocore": (32,),
}
MAIN_POOL: dict[str, int | None] = {
    "floor": FLOOR_POOL,
    "ssm_inventory": None,
    "aiobotocore": None,
}


def pool_label(contender: str, pool: int | None) -> str:
    """The report's name of a pool variant."""
    return f"{contender} pool={'default' if pool is None else pool}"


def pool_jobs(sizes: Sizes) -> Callable[[list[str]], list[Job]]:
    """Concurrency 32 with different connection pool sizes, to show whether the pool limits."""

    def jobs(order: list[str]) -> list[Job]:
        result = []
        for name in order:
            for pool in POOL_VARIANTS.get(name, ()):
                args = [
                    "percall",
                    "--concurrency",
                    "32",
                    "--calls",
                    str(sizes.calls_c32),
                    "--warmup",
                    str(sizes.warmup),
                ]
                if pool is not None:
                    args += ["--pool", str(pool)]
                result.append(Job("pool", name, tuple(args), pool_label(name, pool)))
        return result

    return jobs


def versions(python: str, modules: Sequence[str]) -> dict[str, str]:
    """Installed versions of ``modules`` under ``python`` (missing ones left out)."""
    code = (
        "import importlib.metadata as m, json, sys\n"
        "out = {}\n"
        f"for name in {list(modules)!r}:\n"
        "    try: out[name] = m.version(name)\n"
        "    except m.PackageNotFoundError: pass\n"
        "out['python'] = sys.version.split()[0]\n"
        "print(json.dumps(out))\n"
    )
    done = subprocess.run([python, "-c", code], capture_output=True, text=True)
    found: dict[str, str] = json.loads(done.stdout) if done.returncode == 0 else {}
    return found


def describe_machine() -> dict[str, Any]:
    """What the numbers were measured on."""
    model = ""
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        for line in cpuinfo.read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    return {"cores": os.cpu_count(), "cpu": model, "load_before": os.getloadavg()[0]}
