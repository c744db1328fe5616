"""``python -m bench``: run the suite and write the results (see :mod:`bench`)."""

from __future__ import annotations

import argparse
import json
import os
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path

from bench import s3, sts
from bench.codegen import run_codegen
from bench.environments import contenders_python, sdk_python
from bench.report import write_chart, write_markdown
from bench.rest_json import CONTENDERS as REST_JSON_CONTENDERS
from bench.rest_json import (
    LAMBDA_MODEL,
    generate_lambda_client,
    lambda_environment,
    rest_json_jobs,
)
from bench.runner import (
    ALL_CONTENDERS,
    Job,
    Results,
    Runner,
    Sizes,
    describe_machine,
    loopback_server,
    main_jobs,
    pool_jobs,
    sts_jobs,
    versions,
)

HERE = Path(__file__).resolve().parent


def rewrite_report(source: Path, out: Path) -> int:
    """Render the report again from the samples of an earlier run."""
    raw = json.loads(source.read_text())
    results = Results(
        samples=raw["samples"], unavailable=raw["unavailable"], meta=raw["meta"]
    )
    out.mkdir(parents=True, exist_ok=True)
    write_markdown(results, raw["codegen"], out / "results.md")
    write_chart(results, out / "results.png")
    print(f"bench: rewrote {out / 'results.md'} and results.png from {source}")
    return 0


def run_rest_json(
    endpoint: str, contenders: list[str], results: Results, sizes: Sizes
) -> None:
    """The restJson1 row: Lambda ListFunctions by each chosen kind of contender."""
    out = generate_lambda_client()
    names = [REST_JSON_CONTENDERS[n] for n in contenders if n in REST_JSON_CONTENDERS]
    if out is None:
        results.unavailable["lambda_client"] = f"no model at {LAMBDA_MODEL}"
        names = [name for name in names if name != "lambda_client"]
    runner = Runner(
        endpoint, names, results, extra_env=lambda_environment(endpoint, out)
    )
    runner.rounds(rest_json_jobs(sizes), sizes.rounds)


def startup_jobs(
    jobs_of_round: Callable[[list[str]], list[Job]],
) -> Callable[[list[str]], list[Job]]:
    """Only the import and start-up jobs of each round (``--startup-only``)."""

    def jobs(order: list[str]) -> list[Job]:
        return [job for job in jobs_of_round(order) if job.key in ("import", "startup")]

    return jobs


def raise_priority() -> str:
    """Run the server and every worker (they inherit it) ahead of other work.

    The machine is shared with other builds; a higher priority, the same for
    every contender, keeps their noise out of the figures where the OS allows.
    """
    try:
        os.setpriority(os.PRIO_PROCESS, 0, -10)
    except OSError as error:
        return f"default priority (raising it failed: {error.strerror})"
    return "nice -10"


@dataclass(frozen=True)
class ExtraRows:
    """One protocol's rows: a client generated at run time and its contenders."""

    service: str
    """Its name in the report and the messages ("STS")."""
    generate_client: Callable[[], str | None]
    """Generates the client; returns why it could not, or None."""
    contenders: tuple[str, ...]
    """Floor, generated client, aiobotocore: in the module's order."""
    jobs: Callable[[Sizes], Callable[[list[str]], list[Job]]]
    warm_calls: str
    """Untimed calls that fill the bytecode caches before the rounds."""

    @property
    def client(self) -> str:
        return f"{self.service.lower()}_client"

    @property
    def aiobotocore(self) -> str:
        return f"{self.service.lower()}_aiobotocore"


# awsQuery (bench.sts) and restXml (bench.s3).
STS_ROWS = ExtraRows("STS", sts.generate_client, sts.CONTENDERS, sts_jobs, "10")
S3_ROWS = ExtraRows("S3", s3.generate_client, s3.CONTENDERS, s3.s3_jobs, "3")


def extra_rows(
    rows: ExtraRows,
    endpoint: str,
    contenders: list[str],
    results: Results,
    sizes: Sizes,
) -> None:
    """The protocol's client generated, then its rounds (aiobotocore if asked for)."""
    problem = rows.generate_client()
    if problem is not None:
        results.unavailable[rows.client] = problem
        print(f"bench: no {rows.service} row: {problem}")
        return
    names = [
        name
        for name in rows.contenders
        if name != rows.aiobotocore or "aiobotocore" in contenders
    ]
    runner = Runner(endpoint, names, results)
    for name in runner.contenders:  # bytecode caches, untimed
        warm = ("percall", "--calls", rows.warm_calls, "--warmup", "1")
        runner.run(Job("warm", name, warm), record=False)
    runner.rounds(rows.jobs(sizes), sizes.rounds)


def main(argv: list[str] | None = None) -> int:
    """Run every benchmark and write results.md, results.png and results.json."""
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument(
        "--quick",
        action="store_true",
        help="tiny counts: a smoke test, not a measurement",
    )
    parser.add_argument(
        "--rounds", type=int, help="rounds of the main table (default 5)"
    )
    parser.add_argument(
        "--contenders",
        default=",".join(ALL_CONTENDERS),
        help=f"comma-separated subset of {','.join(ALL_CONTENDERS)}",
    )
    parser.add_argument("--out", type=Path, default=HERE, help="folder for the results")
    parser.add_argument(
        "--no-codegen", action="store_true", help="skip code generation timing"
    )
    parser.add_argument(
        "--no-pool", action="store_true", help="skip the pool-size table"
    )
    parser.add_argument(
        "--no-sts", action="store_true", help="skip the STS (awsQuery) rows"
    )
    parser.add_argument(
        "--no-s3",
        action="store_true",
        help="skip the S3 (restXml) rows (ListObjectsV2, 1000 keys)",
    )
    parser.add_argument(
        "--no-restjson",
        action="store_true",
        help="skip the restJson1 row (Lambda ListFunctions)",
    )
    parser.add_argument(
        "--startup-only",
        action="store_true",
        help="main table: only the import and start-up rows (import, construct + "
        "first call, stall, peak RSS, sequential calls); implies --no-pool, "
        "--no-sts, --no-restjson, --no-s3 and --no-codegen",
    )
    parser.add_argument(
        "--from-json",
        type=Path,
        metavar="RESULTS_JSON",
        help="measure nothing: rewrite results.md and results.png from a results.json",
    )
    args = parser.parse_args(argv)

    if args.from_json is not None:
        return rewrite_report(args.from_json, args.out)
    contenders = [name.strip() for name in args.contenders.split(",") if name.strip()]
    unknown = sorted(set(contenders) - set(ALL_CONTENDERS))
    if unknown:
        parser.error(f"unknown contenders: {', '.join(unknown)}")
    sizes = Sizes.quick() if args.quick else Sizes()
    if args.rounds:
        sizes = replace(sizes, rounds=args.rounds)

    if args.startup_only:
        args.no_pool = args.no_sts = args.no_restjson = args.no_s3 = True
        args.no_codegen = True

    started = time.perf_counter()
    results = Results()
    priority = raise_priority()
    results.meta = {
        "date": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "machine": describe_machine(),
        "rounds": sizes.rounds,
        "quick": args.quick,
        "priority": priority,
        "sizes": sizes.__dict__,
    }
    results.meta["versions"] = versions(
        str(sdk_python()), ["httpx", "httpcore", "h11", "anyio", "botocore", "attrs"]
    )
    if {"aiobotocore", "boto3"} & set(contenders):
        contender_versions = versions(
            str(contenders_python()), ["aiobotocore", "aiohttp", "boto3", "botocore"]
        )
        for name, version in contender_versions.items():
            if name == "botocore":
                results.meta["versions"]["botocore (.venv-bench)"] = version
            elif name != "python":
                results.meta["versions"][name] = version

    with loopback_server() as endpoint:
        runner = Runner(endpoint, contenders, results)
        runner.warm()
        jobs = main_jobs(sizes)
        if args.startup_only:
            jobs = startup_jobs(jobs)
        runner.rounds(jobs, sizes.rounds)
        if not args.no_pool:
            runner.rounds(pool_jobs(sizes), sizes.pool_rounds)
        if not args.no_sts:
            extra_rows(STS_ROWS, endpoint, contenders, results, sizes)
        if not args.no_restjson:
            run_rest_json(endpoint, contenders, results, sizes)
        if not args.no_s3:
            extra_rows(S3_ROWS, endpoint, contenders, results, sizes)

    codegen = {} if args.no_codegen else run_codegen(args.quick)
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "results.json").write_text(
        json.dumps(
            {
                "meta": results.meta,
                "samples": results.samples,
                "unavailable": results.unavailable,
                "codegen": codegen,
            },
            indent=1,
        )
        + "\n"
    )
    write_markdown(results, codegen, args.out / "results.md")
    write_chart(results, args.out / "results.png")
    print(
        f"bench: wrote {args.out / 'results.md'} and results.png "
        f"in {time.perf_counter() - started:.0f} s"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
