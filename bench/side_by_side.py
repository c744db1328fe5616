"""Client CPU per call of checkouts side by side: ``python -m bench.side_by_side``.

On a machine shared with other work, wall times move by a factor of two
between runs; the CPU a worker spends per call moves less, and the *ratio*
of two contenders measured in the same minutes least. This runs the per-call
workloads of the SSM, Lambda, STS and S3 rows for the raw-httpx floors and
for the generated clients of this checkout (``after``) and of others
(``--checkout before=/path/to/main``), all against one loopback server,
every sample a fresh process, the order rotated each round, and prints the
median CPU per call of each and its ratio to the row's floor.

Each checkout is used as it is: its own ``.venv-bench-sdk`` (built on first
use), its own generator for the STS, S3 and Lambda clients (generated into
its ``build/`` at the start), its own ``bench.worker``.

``--profile CONTENDER`` instead profiles the timed calls of a row's floor
and client in one process, alternating in chunks (so the machine's load
falls alike on both), and prints where each one's time goes; ``--keep DIR``
keeps the pstats files for a function-by-function comparison.
"""

from __future__ import annotations

import argparse
import json
import os
import pstats
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

from bench.runner import FLOOR_POOL, loopback_server, worker_environment

ROOT = Path(__file__).resolve().parent.parent

# row -> (floor contender, client contender, calls at c=1, calls at c=32)
ROWS: dict[str, tuple[str, str, int, int]] = {
    "ssm": ("floor", "ssm_inventory", 600, 800),
    "lambda": ("floor_lambda", "lambda_client", 600, 800),
    "sts": ("sts_floor", "sts_client", 600, 800),
    "s3": ("s3_floor", "s3_client", 60, 80),
}
FLOORS = {spec[0] for spec in ROWS.values()}

# Runs in the contenders' interpreter: the timed calls of each contender
# named on the command line under its own profiler, in turns of ``chunk`` calls.
PROFILE_DRIVER = """
import asyncio, cProfile, sys
from bench import worker, sts, s3
contenders = {**worker.CONTENDERS, **sts.STS_CONTENDERS, **s3.S3_CONTENDERS}
endpoint, concurrency, calls, chunk, pool = sys.argv[1], *map(int, sys.argv[2:6])
names, outs = sys.argv[6::2], sys.argv[7::2]
runs = [contenders[n](endpoint, pool if 'floor' in n and pool else None) for n in names]
for contender in runs:
    contender.load()

async def main():
    profilers = [cProfile.Profile() for _ in runs]
    for contender in runs:
        await contender.open()
        await worker._run_calls(contender, max(calls // 10, 2), concurrency)
    for _ in range(0, calls, chunk):
        for contender, profiler in zip(runs, profilers):
            profiler.enable()
            await worker._run_calls(contender, chunk, concurrency)
            profiler.disable()
    for contender, profiler, out in zip(runs, profilers, outs):
        profiler.dump_stats(out)
        await contender.close()

asyncio.run(main())
"""


def generate_clients(checkout: Path) -> None:
    """The STS, S3 and Lambda clients of ``checkout``, by its own generator."""
    script = (
        "from bench import sts, s3, rest_json\n"
        "for module in (sts, s3):\n"
        "    problem = module.generate_client()\n"
        "    assert problem is None, problem\n"
        "rest_json.generate_lambda_client()\n"
    )
    env = {**os.environ, "PYTHONPATH": f"{checkout}:{checkout / 'codegen'}"}
    subprocess.run([sys.executable, "-c", script], cwd=checkout, env=env, check=True)


def sdk_python(checkout: Path) -> str:
    """``checkout``'s ``.venv-bench-sdk`` interpreter (built on first use)."""
    out = subprocess.run(
        [
            sys.executable,
            "-c",
            "from bench.environments import sdk_python; print(sdk_python())",
        ],
        cwd=checkout,
        check=True,
        capture_output=True,
        text=True,
    )
    return out.stdout.strip().splitlines()[-1]


def base_environment(endpoint: str) -> dict[str, str]:
    from bench.rest_json import presigned_list_functions

    env = worker_environment(endpoint)
    env["BENCH_FLOOR_LAMBDA_HEADERS"] = json.dumps(presigned_list_functions(endpoint))
    return env


def checkout_env(checkout: Path, base: dict[str, str]) -> dict[str, str]:
    """The workers' environment, with the generated clients of ``checkout``."""
    return {
        **base,
        "BENCH_STS_DIR": str(checkout / "build" / "bench-sts"),
        "BENCH_S3_DIR": str(checkout / "build" / "bench-s3"),
        "BENCH_LAMBDA_PATH": str(checkout / "build" / "bench" / "lambda"),
    }


def worker_command(
    python: str, contender: str, endpoint: str, concurrency: int, calls: int
) -> list[str]:
    command = [python, "-m", "bench.worker", contender, "percall"]
    command += ["--endpoint", endpoint, "--concurrency", str(concurrency)]
    command += ["--calls", str(calls), "--warmup", str(max(calls // 10, 2))]
    if concurrency > 1 and contender in FLOORS:
        command += ["--pool", str(FLOOR_POOL)]  # as the main table's floors
    return command


def run_worker(command: list[str], cwd: Path, env: dict[str, str]) -> dict[str, float]:
    process = subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True)
    line = next(
        (x for x in process.stdout.splitlines() if x.startswith("RESULT ")), None
    )
    if process.returncode != 0 or line is None:
        tail = (process.stderr.strip().splitlines() or ["no output"])[-1]
        raise RuntimeError(f"{' '.join(command[3:5])} failed: {tail}")
    result: dict[str, float] = json.loads(line[len("RESULT ") :])
    return result


def compare(args: argparse.Namespace) -> None:
    """Rounds of every row's floor and clients; the table of median CPU per call."""
    checkouts = {"after": ROOT}
    for spec in args.checkout:
        label, _, path = spec.partition("=")
        checkouts[label] = Path(path).resolve()
    pythons = {label: sdk_python(path) for label, path in checkouts.items()}
    for path in checkouts.values():
        generate_clients(path)
    labels = ["floor", *checkouts]
    samples: dict[tuple[str, int, str], list[float]] = {}
    with loopback_server() as endpoint:
        base = base_environment(endpoint)
        for number in range(args.rounds):
            shift = number % len(labels)
            order = labels[shift:] + labels[:shift]
            for row in args.rows:
                floor, client, calls_c1, calls_c32 = ROWS[row]
                for concurrency, calls in ((1, calls_c1), (32, calls_c32)):
                    calls = max(int(calls * args.scale), 4)
                    for label in order:
                        where = ROOT if label == "floor" else checkouts[label]
                        python = pythons["after" if label == "floor" else label]
                        contender = floor if label == "floor" else client
                        command = worker_command(
                            python, contender, endpoint, concurrency, calls
                        )
                        result = run_worker(command, where, checkout_env(where, base))
                        samples.setdefault((row, concurrency, label), []).append(
                            result["cpu_per_call_s"]
                        )
            print(f"round {number + 1}/{args.rounds} done", file=sys.stderr)
    print_table(samples, labels, args.rows)


def print_table(
    samples: dict[tuple[str, int, str], list[float]],
    labels: list[str],
    rows: list[str],
) -> None:
    clients = labels[1:]
    head = ["row", "c", *(f"{x} CPU/call" for x in labels)]
    head += [f"{x} / floor" for x in clients]
    print("| " + " | ".join(head) + " |")
    print("|---|---:|" + "---:|" * (len(head) - 2))
    for row in rows:
        for concurrency in (1, 32):
            medians = {
                x: statistics.median(samples[(row, concurrency, x)]) for x in labels
            }
            cells = [row, str(concurrency)]
            cells += [f"{medians[x] * 1e3:.3f} ms" for x in labels]
            cells += [f"{medians[x] / medians['floor']:.2f}x" for x in clients]
            print("| " + " | ".join(cells) + " |")


def profile(args: argparse.Namespace) -> None:
    """cProfile of the timed calls of a row's floor and client, in turns."""
    row = next(name for name, spec in ROWS.items() if args.profile in spec[:2])
    floor, client, calls_c1, calls_c32 = ROWS[row]
    calls = calls_c1 if args.concurrency == 1 else calls_c32
    calls = max(int(calls * args.scale), 4)
    chunk = min(max(calls // 20, 1) * args.concurrency, calls)
    generate_clients(ROOT)
    python = sdk_python(ROOT)
    with loopback_server() as endpoint, tempfile.TemporaryDirectory() as folder:
        keep = args.keep or Path(folder)
        keep.mkdir(parents=True, exist_ok=True)
        outs = {
            name: keep / f"{name}-c{args.concurrency}.pstats"
            for name in (floor, client)
        }
        pool = FLOOR_POOL if args.concurrency > 1 else 0
        command = [python, "-c", PROFILE_DRIVER, endpoint, str(args.concurrency)]
        command += [str(calls), str(chunk), str(pool)]
        for name, out in outs.items():
            command += [name, str(out)]
        env = checkout_env(ROOT, base_environment(endpoint))
        subprocess.run(command, cwd=ROOT, env=env, check=True)
    for name, out in outs.items():
        if not out.exists():
            continue
        stats = pstats.Stats(str(out))
        print(f"### {name}, concurrency {args.concurrency}, {calls} calls\n")
        stats.sort_stats("tottime").print_stats(args.top)
        stats.sort_stats("cumulative").print_stats(args.top)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bench.side_by_side", description=__doc__
    )
    parser.add_argument("--checkout", action="append", default=[], metavar="LABEL=PATH")
    parser.add_argument("--rows", nargs="+", choices=sorted(ROWS), default=list(ROWS))
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--scale", type=float, default=1.0, help="multiply call counts")
    parser.add_argument("--profile", metavar="CONTENDER")
    parser.add_argument("--concurrency", type=int, default=1)
    parser.add_argument("--top", type=int, default=40)
    parser.add_argument("--keep", type=Path, help="--profile: a folder for the pstats")
    args = parser.parse_args(argv)
    if args.profile:
        profile(args)
    else:
        compare(args)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
