"""What makes the start-up's event-loop gaps: ``python -m bench.stall``.

Runs the ``startup`` workload's first part (construct a client and make the
first call while a task ticks every 1 ms on the loop) in fresh processes, and
times every garbage collection with ``gc.callbacks`` (the thread it ran in, its
generation and length). Prints per process the longest gap, the collection
inside it if any, how many gaps passed 5 ms and every collection of the older
generations: a collection holds the GIL throughout, so it stalls the loop
whichever thread runs it, while the other long gaps are the interpreter's
switch interval (bench/PROFILE.md, "The stall").

``--runs N`` processes (default 8); ``--contender`` as ``bench.worker``'s.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import json
import subprocess
import sys
import threading
import time
from typing import Any

from bench.environments import ROOT, python_for
from bench.runner import loopback_server, worker_environment

TICK_S = 0.001
LONG_GAP_S = 0.005


def probe(contender_name: str, endpoint: str) -> dict[str, Any]:
    """One start-up under the ticker, with every collection timed (in this process)."""
    from bench.worker import CONTENDERS, PAGE_SIZE

    collections: list[tuple[float, int, float, str]] = []
    started: list[float] = []

    def on_gc(phase: str, info: dict[str, Any]) -> None:
        if phase == "start":
            started.append(time.perf_counter())
        elif started:
            begin = started.pop()
            collections.append(
                (
                    begin,
                    info["generation"],
                    time.perf_counter() - begin,
                    threading.current_thread().name,
                )
            )

    contender = CONTENDERS[contender_name](endpoint, None)
    contender.load()
    gc.callbacks.append(on_gc)  # this measuring process only
    gaps: list[tuple[float, float]] = []

    async def run() -> float:
        running = True

        async def ticker() -> None:
            last = time.perf_counter()
            while running:
                await asyncio.sleep(TICK_S)
                now = time.perf_counter()
                gaps.append((last, now - last))
                last = now

        task = asyncio.create_task(ticker())
        await asyncio.sleep(0.02)
        start = time.perf_counter()
        await contender.open()
        if await contender.call() != PAGE_SIZE:
            raise RuntimeError("the first call did not answer the canned page")
        await asyncio.sleep(2 * TICK_S)
        running = False
        await task
        await contender.close()
        return start

    start = asyncio.run(run())
    gc.callbacks.remove(on_gc)
    window = [(at, length) for at, length in gaps if at + length >= start]
    at, longest = max(window, key=lambda gap: gap[1])
    inside = [c for c in collections if at <= c[0] <= at + longest and c[2] > 0.001]
    return {
        "longest_gap_ms": round(longest * 1e3, 2),
        "collection_in_longest_gap": [
            {"generation": c[1], "ms": round(c[2] * 1e3, 2), "thread": c[3]}
            for c in inside
        ],
        "gaps_over_5ms": sum(1 for _, length in window if length > LONG_GAP_S),
        "older_generation_collections_ms": [
            round(c[2] * 1e3, 2) for c in collections if c[0] >= start and c[1] >= 1
        ],
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.stall", description=__doc__)
    parser.add_argument("--runs", type=int, default=8)
    parser.add_argument("--contender", default="ssm_inventory")
    parser.add_argument("--child", metavar="ENDPOINT", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        print("RESULT " + json.dumps(probe(args.contender, args.child)))
        return 0
    with loopback_server() as endpoint:
        env = worker_environment(endpoint)
        command = [python_for(args.contender), "-m", "bench.stall"]
        command += ["--contender", args.contender, "--child", endpoint]
        for _ in range(args.runs):
            done = subprocess.run(
                command, cwd=ROOT, env=env, capture_output=True, text=True
            )
            lines = [x for x in done.stdout.splitlines() if x.startswith("RESULT ")]
            if done.returncode != 0 or not lines:
                tail = (done.stderr.strip().splitlines() or ["no output"])[-1]
                print(f"bench.stall: run failed: {tail}", file=sys.stderr)
                return 1
            print(lines[0][len("RESULT ") :])
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
