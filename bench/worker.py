"""One contender, one workload, one fresh process: ``python -m bench.worker``.

The runner (:mod:`bench.runner`) starts this module under the virtual
environment that holds the contender (the project's ``.venv`` for the raw
httpx floor and ``ssm_inventory``; ``.venv-bench`` for aiobotocore and boto3)
and reads one ``RESULT {json}`` line from its standard output. Only the
standard library is imported at module level; each contender imports its own
packages when it opens, so no contender pays for another's imports.

Workloads:

``percall``   warm up, then time ``--calls`` calls of DescribeInventoryDeletions
              (MaxResults=50) spread over ``--concurrency`` tasks.
``paginate``  warm up with one call, then time ``--repeats`` walks over all
              10,000 deletions, 50 per page.
``startup``   with a 1 ms ticker task on the loop, construct a client and make
              the first call (time, and the longest gap between ticks), then
              ``--warmup`` calls and ``--calls`` timed sequential calls, and
              report the per-call time and the peak RSS.
"""

from __future__ import annotations

import argparse
import asyncio
import importlib
import json
import os
import resource
import sys
import time
from typing import Any

REGION = "us-east-1"
# The loopback server never checks signatures; these are the SigV4 suite's
# example credentials, so every contender signs with the same secret length.
ACCESS_KEY = "AKIDEXAMPLE"
SECRET_KEY = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"
PAGE_SIZE = 50
TOTAL_ITEMS = 10_000
TICK_S = 0.001


class WorkloadError(RuntimeError):
    """A contender answered something other than what the canned server sends."""


def _check_items(got: int, expected: int, what: str) -> None:
    if got != expected:
        raise WorkloadError(f"{what}: expected {expected} deletions, got {got}")


class Contender:
    """The async interface every contender offers the workloads."""

    sync = False
    expected = PAGE_SIZE
    """What ``call`` returns when the answer is right (items, or 1 for STS)."""

    def __init__(self, endpoint: str, pool: int | None) -> None:
        self.endpoint = endpoint
        self.pool = pool

    def load(self) -> None:
        """Import what a user's module would import at its top, before any loop runs."""

    async def open(self) -> None:
        """Construct the client (any import the package deferred is paid here)."""

    async def call(self) -> int:
        """One DescribeInventoryDeletions(MaxResults=50); returns the item count."""
        raise NotImplementedError

    async def paginate(self) -> int:
        """Walk every page; returns the total item count."""
        raise NotImplementedError

    async def close(self) -> None:
        """Release connections."""

    def pool_limits(self, httpx: Any) -> Any:
        """The ``httpx.Limits`` of the ``--pool`` size (httpx's defaults without it)."""
        if self.pool is None:
            return httpx.Limits()
        return httpx.Limits(
            max_connections=self.pool, max_keepalive_connections=self.pool
        )


class FloorContender(Contender):
    """Raw httpx: POST of pre-signed bytes and ``json.loads`` of the answer."""

    def load(self) -> None:
        import httpx

        self._httpx = httpx

    async def open(self) -> None:
        httpx = self._httpx
        # Signed once by the runner (bench.presign); a real client signs per call.
        self._headers = json.loads(os.environ["BENCH_FLOOR_HEADERS"])
        self._body = b'{"MaxResults":50}'
        self._client = httpx.AsyncClient(limits=self.pool_limits(httpx))

    async def call(self) -> int:
        response = await self._client.post(
            self.endpoint, content=self._body, headers=self._headers
        )
        return len(json.loads(response.content)["InventoryDeletions"])

    async def paginate(self) -> int:
        total = 0
        token: str | None = None
        while True:
            request: dict[str, Any] = {"MaxResults": PAGE_SIZE}
            if token:
                request["NextToken"] = token
            response = await self._client.post(
                self.endpoint,
                content=json.dumps(request).encode(),
                headers=self._headers,
            )
            page = json.loads(response.content)
            total += len(page["InventoryDeletions"])
            token = page.get("NextToken")
            if not token:
                return total

    async def close(self) -> None:
        await self._client.aclose()


class GeneratedClientContender(Contender):
    """A client ``smithygen`` generated, on ``smithygen_runtime``.

    Subclasses name the package, its client class and, for a package
    generated at run time, the environment variable naming its folder.
    """

    package = "ssm_inventory"
    client_class = "SSMClient"
    folder_variable: str | None = None

    def load(self) -> None:
        if self.folder_variable is not None:
            sys.path.insert(0, os.environ[self.folder_variable])
        # The user's `from ssm_inventory import SSMClient`, attribute access
        # included (the package loads its modules lazily, on that access);
        # importlib keeps mypy from needing the generated package to exist.
        self._package: Any = importlib.import_module(self.package)
        self._client_type: Any = getattr(self._package, self.client_class)
        self._credentials_type: Any = importlib.import_module(
            "smithygen_runtime"
        ).Credentials

    async def open(self) -> None:
        Credentials = self._credentials_type
        kwargs: dict[str, Any] = {}
        if self.pool is not None:
            import httpx

            kwargs["http_client"] = httpx.AsyncClient(limits=self.pool_limits(httpx))
        self._client = self._client_type(
            region=REGION,
            endpoint_url=self.endpoint,
            credentials=Credentials(
                access_key_id=ACCESS_KEY, secret_access_key=SECRET_KEY
            ),
            **kwargs,
        )

    async def close(self) -> None:
        await self._client.aclose()


class SSMInventoryContender(GeneratedClientContender):
    """The generated ``ssm_inventory`` client on ``smithygen_runtime``."""

    async def call(self) -> int:
        result = await self._client.describe_inventory_deletions(max_results=PAGE_SIZE)
        return len(result.inventory_deletions or ())

    async def paginate(self) -> int:
        total = 0
        # The generated paginator when there is one; a hand-written token loop otherwise.
        paginate = getattr(self._client, "paginate_describe_inventory_deletions", None)
        if paginate is not None:
            async for page in paginate(max_results=PAGE_SIZE):
                total += len(page.inventory_deletions or ())
            return total
        token: str | None = None
        while True:
            result = await self._client.describe_inventory_deletions(
                max_results=PAGE_SIZE, next_token=token
            )
            total += len(result.inventory_deletions or ())
            token = result.next_token
            if not token:
                return total

    async def close(self) -> None:
        await self._client.aclose()


class AiobotocoreContender(Contender):
    """aiobotocore with its defaults (aiohttp underneath)."""

    service = "ssm"

    def load(self) -> None:
        # Installed only in .venv-bench, untyped: importlib rather than `import`.
        self._config_type: Any = importlib.import_module("aiobotocore.config").AioConfig
        self._get_session: Any = importlib.import_module(
            "aiobotocore.session"
        ).get_session

    async def open(self) -> None:
        AioConfig, get_session = self._config_type, self._get_session
        config = (
            AioConfig()
            if self.pool is None
            else AioConfig(max_pool_connections=self.pool)
        )
        self._context = get_session().create_client(
            self.service,
            region_name=REGION,
            endpoint_url=self.endpoint,
            aws_access_key_id=ACCESS_KEY,
            aws_secret_access_key=SECRET_KEY,
            config=config,
        )
        self._client = await self._context.__aenter__()

    async def call(self) -> int:
        result = await self._client.describe_inventory_deletions(MaxResults=PAGE_SIZE)
        return len(result["InventoryDeletions"])

    async def paginate(self) -> int:
        total = 0
        paginator = self._client.get_paginator("describe_inventory_deletions")
        async for page in paginator.paginate(PaginationConfig={"PageSize": PAGE_SIZE}):
            total += len(page["InventoryDeletions"])
        return total

    async def close(self) -> None:
        await self._context.__aexit__(None, None, None)


class Boto3Contender(Contender):
    """boto3, synchronous: its calls run on the loop's thread and block it."""

    sync = True

    def load(self) -> None:
        self._boto3: Any = importlib.import_module("boto3")

    async def open(self) -> None:
        self._client = self._boto3.client(
            "ssm",
            region_name=REGION,
            endpoint_url=self.endpoint,
            aws_access_key_id=ACCESS_KEY,
            aws_secret_access_key=SECRET_KEY,
        )

    async def call(self) -> int:
        return len(
            self._client.describe_inventory_deletions(MaxResults=PAGE_SIZE)[
                "InventoryDeletions"
            ]
        )

    async def paginate(self) -> int:
        paginator = self._client.get_paginator("describe_inventory_deletions")
        return sum(
            len(page["InventoryDeletions"])
            for page in paginator.paginate(PaginationConfig={"PageSize": PAGE_SIZE})
        )

    async def close(self) -> None:
        self._client.close()


# --- the restJson1 row: Lambda ListFunctions (bench.rest_json) ---------------------
# ``call`` is one ListFunctions(MaxItems=50); every answer is the canned page
# of PAGE_SIZE functions. Pagination is not measured for restJson1.


class FloorLambdaContender(FloorContender):
    """Raw httpx: GET with headers signed once, ``json.loads`` of the page."""

    async def open(self) -> None:
        await super().open()
        self._headers = json.loads(os.environ["BENCH_FLOOR_LAMBDA_HEADERS"])
        self._url = (
            self.endpoint.rstrip("/") + f"/2015-03-31/functions?MaxItems={PAGE_SIZE}"
        )

    async def call(self) -> int:
        response = await self._client.get(self._url, headers=self._headers)
        return len(json.loads(response.content)["Functions"])


class LambdaClientContender(SSMInventoryContender):
    """The Lambda client ``smithygen generate`` made (bench.rest_json)."""

    package = "lambda_client"
    client_class = "LambdaClient"
    folder_variable = "BENCH_LAMBDA_PATH"

    async def call(self) -> int:
        result = await self._client.list_functions(max_items=PAGE_SIZE)
        return len(result.functions or ())


class AiobotocoreLambdaContender(AiobotocoreContender):
    """aiobotocore's ``lambda`` client with its defaults."""

    service = "lambda"

    async def call(self) -> int:
        result = await self._client.list_functions(MaxItems=PAGE_SIZE)
        return len(result["Functions"])


CONTENDERS: dict[str, type[Contender]] = {
    "floor": FloorContender,
    "ssm_inventory": SSMInventoryContender,
    "aiobotocore": AiobotocoreContender,
    "boto3": Boto3Contender,
    "floor_lambda": FloorLambdaContender,
    "lambda_client": LambdaClientContender,
    "aiobotocore_lambda": AiobotocoreLambdaContender,
}


async def _run_calls(contender: Contender, calls: int, concurrency: int) -> None:
    if concurrency == 1:
        for _ in range(calls):
            _check_items(await contender.call(), contender.expected, "call")
        return

    async def lane(count: int) -> None:
        for _ in range(count):
            _check_items(await contender.call(), contender.expected, "call")

    share, extra = divmod(calls, concurrency)
    await asyncio.gather(*(lane(share + (i < extra)) for i in range(concurrency)))


async def percall(contender: Contender, args: argparse.Namespace) -> dict[str, Any]:
    """Per-call time: total elapsed over calls, after a warm-up at the same concurrency."""
    await contender.open()
    try:
        await _run_calls(contender, args.warmup, args.concurrency)
        start, cpu_start = time.perf_counter(), time.process_time()
        await _run_calls(contender, args.calls, args.concurrency)
        elapsed = time.perf_counter() - start
        cpu = time.process_time() - cpu_start
    finally:
        await contender.close()
    return {
        "per_call_s": elapsed / args.calls,
        "cpu_per_call_s": cpu / args.calls,
        "calls": args.calls,
    }


async def paginate(contender: Contender, args: argparse.Namespace) -> dict[str, Any]:
    """Time to walk all 10,000 deletions; the median of ``--repeats`` walks."""
    await contender.open()
    times = []
    try:
        _check_items(await contender.call(), PAGE_SIZE, "warm-up call")
        for _ in range(args.repeats):
            start, cpu_start = time.perf_counter(), time.process_time()
            _check_items(await contender.paginate(), TOTAL_ITEMS, "pagination")
            times.append((time.perf_counter() - start, time.process_time() - cpu_start))
    finally:
        await contender.close()
    times.sort()
    wall, cpu = times[len(times) // 2]
    return {"walk_s": wall, "walk_cpu_s": cpu, "pages": TOTAL_ITEMS // PAGE_SIZE}


async def startup(contender: Contender, args: argparse.Namespace) -> dict[str, Any]:
    """Construction + first call under a 1 ms ticker, then calls for the peak RSS.

    After the first call, ``--warmup`` calls warm up and ``--calls`` more are
    timed: the sequential per-call figure comes from this same process.
    """
    longest = 0.0
    running = True

    async def ticker() -> None:
        nonlocal longest
        last = time.perf_counter()
        while running:
            await asyncio.sleep(TICK_S)
            now = time.perf_counter()
            longest = max(longest, now - last)
            last = now

    tick_task = asyncio.create_task(ticker())
    await asyncio.sleep(0.02)  # let the ticker settle; its own jitter is the baseline
    baseline = longest
    longest = 0.0
    start, cpu_start = time.perf_counter(), time.process_time()
    await contender.open()
    construct = time.perf_counter() - start
    _check_items(await contender.call(), contender.expected, "first call")
    first_call = time.perf_counter() - start
    # Every thread's CPU (a set-up thread's too): steadier than wall time
    # on a shared machine.
    first_call_cpu = time.process_time() - cpu_start
    await asyncio.sleep(2 * TICK_S)  # the gap that ends after the call counts too
    running = False
    await tick_task
    try:
        await _run_calls(contender, args.warmup, 1)
        start, cpu_start = time.perf_counter(), time.process_time()
        await _run_calls(contender, args.calls, 1)
        per_call = (time.perf_counter() - start) / args.calls
        cpu_per_call = (time.process_time() - cpu_start) / args.calls
    finally:
        await contender.close()
    peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return {
        "construct_s": construct,
        "first_call_s": first_call,
        "first_call_cpu_s": first_call_cpu,
        "stall_s": longest,
        "idle_tick_s": baseline,
        "per_call_s": per_call,
        "cpu_per_call_s": cpu_per_call,
        "calls": 1 + args.warmup + args.calls,
        "peak_rss_mb": peak_kb / 1024,
    }


WORKLOADS = {"percall": percall, "paginate": paginate, "startup": startup}


def main(argv: list[str] | None = None) -> None:
    """Entry point of ``python -m bench.worker CONTENDER WORKLOAD``."""
    from bench.s3 import S3_CONTENDERS
    from bench.sts import STS_CONTENDERS

    contenders = {**CONTENDERS, **STS_CONTENDERS, **S3_CONTENDERS}
    parser = argparse.ArgumentParser(description="Run one benchmark workload.")
    parser.add_argument("contender", choices=sorted(contenders))
    parser.add_argument("workload", choices=sorted(WORKLOADS))
    parser.add_argument("--endpoint", required=True)
    parser.add_argument("--calls", type=int, default=1000)
    parser.add_argument("--warmup", type=int, default=100)
    parser.add_argument("--concurrency", type=int, default=1)
    parser.add_argument("--repeats", type=int, default=1)
    parser.add_argument(
        "--pool",
        type=int,
        default=None,
        help="connection pool size (default: the library's)",
    )
    args = parser.parse_args(argv)
    contender = contenders[args.contender](args.endpoint, args.pool)
    if contender.sync and args.concurrency != 1:
        parser.error(f"{args.contender} is synchronous: concurrency must be 1")
    start = time.perf_counter()
    contender.load()
    load_s = time.perf_counter() - start
    result = asyncio.run(WORKLOADS[args.workload](contender, args))
    result["load_s"] = load_s
    sys.stdout.write("RESULT " + json.dumps(result) + "\n")


if __name__ == "__main__":
    main()
