"""Where a contender's time goes: ``python -m bench.profiling``.

Runs one per-call workload against the canned server under py-spy (sampling,
so percentages are close to the unprofiled run; needs ``py-spy`` installed)
or cProfile (exact call counts, but its overhead inflates small functions),
and prints the top functions as a markdown table: *self* is the share of
samples whose innermost frame is that function, *total* the share whose
stack contains it. Samples taken while importing are left out, so the table
describes the steady state of the timed calls.
"""

from __future__ import annotations

import argparse
import collections
import pstats
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from bench.environments import ROOT, python_for
from bench.runner import loopback_server, worker_environment

_IMPORT_FRAMES = ("_find_and_load", "_call_with_frames_removed")
# Innermost frames where a thread waits rather than computes: the loop
# waiting on its sockets, idle thread-pool workers.
_IDLE_LEAVES = (
    "EpollSelector.select (",
    "_worker (concurrent/futures/thread.py",
    "Condition.wait (",
    "Thread._wait_for_tstate_lock (",
)


def _frame_name(frame: str) -> str:
    # py-spy frames read "function (path/to/module.py:line)"; keep module:function.
    name, _, where = frame.partition(" (")
    path = where.rstrip(")").rsplit(":", 1)[0]
    for marker in ("site-packages/", "lib/python3", "runtime/", "generated/"):
        if marker in path:
            path = path.split(marker, 1)[1]
            break
    return f"{name} ({path})"


def py_spy_table(
    command: list[str],
    env: dict[str, str],
    top: int,
    include_imports: bool = False,
    keep_raw: Path | None = None,
) -> list[str]:
    """Sample ``command`` with py-spy and tabulate self and total shares.

    Shares are of the samples where a thread computes; waits and (unless
    ``include_imports``) imports are counted apart.
    """
    py_spy = shutil.which("py-spy") or str(Path(sys.executable).with_name("py-spy"))
    with tempfile.TemporaryDirectory() as folder:
        raw = Path(folder) / "stacks.txt"
        subprocess.run(
            [
                py_spy,
                "record",
                "--rate",
                "1000",
                "--format",
                "raw",
                "--output",
                str(raw),
                "--",
                *command,
            ],
            cwd=ROOT,
            env=env,
            check=True,
            capture_output=True,
        )
        lines = raw.read_text().splitlines()
        if keep_raw is not None:
            shutil.copyfile(raw, keep_raw)
    own: collections.Counter[str] = collections.Counter()
    inclusive: collections.Counter[str] = collections.Counter()
    total = idle = imports = 0
    for line in lines:
        stack, _, count_text = line.rpartition(" ")
        frames = stack.split(";")
        count = int(count_text)
        if not include_imports and any(
            marker in frame for frame in frames for marker in _IMPORT_FRAMES
        ):
            imports += count
            continue
        if frames[-1].startswith(_IDLE_LEAVES):
            idle += count
            continue
        total += count
        names = [_frame_name(frame) for frame in frames]
        own[names[-1]] += count
        for name in set(names):
            inclusive[name] += count
    rows = [
        f"{total} busy samples; left out: {idle} waiting (loop on its sockets, idle "
        f"threads), {imports} importing.",
        "",
        "| self % | total % | function |",
        "|---:|---:|---|",
    ]
    for name, count in own.most_common(top):
        rows.append(
            f"| {100 * count / total:.1f} | {100 * inclusive[name] / total:.1f} | `{name}` |"
        )
    rows += ["", "Heaviest frames by total share:", ""]
    rows += ["| total % | function |", "|---:|---|"]
    skip = (
        "<module>",
        "run (",
        "_run_once",
        "_run (",
        "run_until_complete",
        "run_forever",
    )
    shown = 0
    for name, count in inclusive.most_common():
        if any(name.startswith(s) for s in skip):
            continue
        rows.append(f"| {100 * count / total:.1f} | `{name}` |")
        shown += 1
        if shown == top:
            break
    return rows


def cprofile_table(command: list[str], env: dict[str, str], top: int) -> list[str]:
    """Run ``command`` under cProfile and tabulate self time and call counts."""
    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder) / "profile.pstats"
        python, rest = command[0], command[1:]
        assert rest[:2] == ["-m", "bench.worker"]
        subprocess.run(
            [python, "-m", "cProfile", "-o", str(out), "-m", *rest[1:]],
            cwd=ROOT,
            env=env,
            check=True,
            capture_output=True,
        )
        stats = pstats.Stats(str(out))
    entries = stats.stats  # type: ignore[attr-defined]
    total_time = sum(entry[2] for entry in entries.values())
    ranked = sorted(entries.items(), key=lambda item: item[1][2], reverse=True)
    rows = ["| self % | calls | function |", "|---:|---:|---|"]
    for (path, line, name), (_, calls, own, _, _) in ranked[:top]:
        where = Path(path).name if path != "~" else "builtin"
        rows.append(
            f"| {100 * own / total_time:.1f} | {calls} | `{name} ({where}:{line})` |"
        )
    return rows


def main(argv: list[str] | None = None) -> int:
    """Profile one contender at one concurrency and print the tables."""
    parser = argparse.ArgumentParser(
        prog="python -m bench.profiling", description=__doc__
    )
    parser.add_argument("--contender", default="ssm_inventory")
    parser.add_argument("--concurrency", type=int, default=1)
    parser.add_argument("--calls", type=int, default=3000)
    parser.add_argument("--pool", type=int)
    parser.add_argument("--tool", choices=("py-spy", "cprofile"), default="py-spy")
    parser.add_argument(
        "--workload",
        choices=("percall", "startup"),
        default="percall",
        help="startup: construction and first call, imports included",
    )
    parser.add_argument("--top", type=int, default=25)
    parser.add_argument("--raw", type=Path, help="also keep py-spy's raw stacks here")
    args = parser.parse_args(argv)
    with loopback_server() as endpoint:
        env = worker_environment(endpoint)
        command = [
            python_for(args.contender),
            "-m",
            "bench.worker",
            args.contender,
            args.workload,
            "--calls",
            str(args.calls),
            "--endpoint",
            endpoint,
        ]
        if args.workload == "percall":
            command += ["--concurrency", str(args.concurrency)]
        if args.pool is not None:
            command += ["--pool", str(args.pool)]
        table = (
            py_spy_table(command, env, args.top, args.workload == "startup", args.raw)
            if args.tool == "py-spy"
            else cprofile_table(command, env, args.top)
        )
    what = (
        f"concurrency {args.concurrency}"
        if args.workload == "percall"
        else "construction + first call + calls"
    )
    print(f"### {args.contender}, {what}, {args.calls} calls ({args.tool})\n")
    print("\n".join(table))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
