"""The S3 row of ``make bench``: ``ListObjectsV2`` of a 1000-key page (restXml).

Three contenders list the same bucket against the same canned server
(:mod:`bench.server` answers ``GET /bench-bucket?list-type=2...`` with
:func:`list_objects_body`, a full 1000-key page of about 270 kB of XML, S3's
largest page):

``s3_floor``        raw httpx: a GET with headers signed once, the XML parsed by
                    ``xml.etree.ElementTree`` and the keys counted.
``s3_client``       the S3 client ``smithygen generate`` makes from the
                    official model (``../shared/aws-models``), generated into
                    ``build/bench-s3`` when the bench starts.
``s3_aiobotocore``  aiobotocore's ``s3`` client with its defaults.

Each call answers the key count (1000 when right; the workloads check
every call). With the loopback endpoint every client addresses the bucket
path-style, as botocore does for a custom endpoint. Only the standard
library is imported at module level.
"""

from __future__ import annotations

import importlib
import json
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

from bench.codegen import generate_official_client
from bench.worker import (
    ACCESS_KEY,
    REGION,
    SECRET_KEY,
    Contender,
    GeneratedClientContender,
)

ROOT = Path(__file__).resolve().parent.parent
S3_SERVICE = "com.amazonaws.s3#AmazonS3"
S3_PACKAGE = "s3_bench"
S3_DIR = ROOT / "build" / "bench-s3"
BUCKET = "bench-bucket"
PAGE_KEYS = 1000
PATH = f"/{BUCKET}?list-type=2&max-keys={PAGE_KEYS}"
CONTENDERS = ("s3_floor", "s3_client", "s3_aiobotocore")
IMPORT_STATEMENTS = {
    "s3_floor": "import httpx, xml.etree.ElementTree",
    "s3_client": "import os, sys; sys.path.insert(0, os.environ['BENCH_S3_DIR']); "
    f"from {S3_PACKAGE} import S3Client",
    "s3_aiobotocore": "from aiobotocore.session import get_session",
}
_NS = "{http://s3.amazonaws.com/doc/2006-03-01/}"


def list_objects_body() -> bytes:
    """The XML of the canned 1000-key ``ListObjectsV2`` page (distinct keys)."""
    contents = "".join(
        f"<Contents><Key>logs/2026/11/27/object-{i:05d}.json.gz</Key>"
        "<LastModified>2026-11-27T00:00:00.000Z</LastModified>"
        f'<ETag>"{i:032x}"</ETag><ChecksumAlgorithm>CRC32</ChecksumAlgorithm>'
        f"<Size>{1024 + i * 7}</Size><StorageClass>STANDARD</StorageClass></Contents>"
        for i in range(PAGE_KEYS)
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/">'
        f"<Name>{BUCKET}</Name><Prefix></Prefix><KeyCount>{PAGE_KEYS}</KeyCount>"
        f"<MaxKeys>{PAGE_KEYS}</MaxKeys><IsTruncated>true</IsTruncated>"
        "<NextContinuationToken>bench-next-page</NextContinuationToken>"
        f"{contents}</ListBucketResult>"
    ).encode()


def generate_client() -> str | None:
    """Generate the S3 client into ``build/bench-s3``; None, or why it could not."""
    return generate_official_client(
        "S3", "s3-2006-03-01.json", S3_SERVICE, S3_PACKAGE, S3_DIR
    )


def presigned_headers(endpoint: str) -> dict[str, str]:
    """S3 SigV4 headers for the floor's GET (X-Amz-Content-SHA256 included), signed once."""
    from botocore.auth import S3SigV4Auth
    from botocore.awsrequest import AWSRequest
    from botocore.credentials import Credentials

    request = AWSRequest(method="GET", url=endpoint.rstrip("/") + PATH)
    S3SigV4Auth(Credentials(ACCESS_KEY, SECRET_KEY), "s3", REGION).add_auth(request)
    return {name: str(value) for name, value in request.headers.items()}


def environment(endpoint: str) -> dict[str, str]:
    """What the S3 workers need in their environment."""
    return {
        "BENCH_S3_DIR": str(S3_DIR),
        "BENCH_S3_FLOOR_HEADERS": json.dumps(presigned_headers(endpoint)),
    }


def s3_jobs(sizes: Any) -> Callable[[list[str]], list[Any]]:
    """The S3 rows: per call at concurrency 1 and 32 (bench.runner.Job).

    A page is 20 times the SSM and Lambda rows' pages: a tenth of their call
    counts (at least 10 timed, 2 warm-up) keeps a round's time alike.
    """
    from bench.runner import FLOOR_POOL, Job

    warmup = str(max(sizes.warmup // 10, 2))

    def jobs(order: list[str]) -> list[Job]:
        result = []
        for key, concurrency, calls in (
            ("s3_c1", "1", max(sizes.calls_c1 // 10, 10)),
            ("s3_c32", "32", max(sizes.calls_c32 // 10, 10)),
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
                        warmup,
                        *(("--pool", str(FLOOR_POOL)) if name == "s3_floor" else ()),
                    ),
                )
                for name in order
            ]
        return result

    return jobs


class S3FloorContender(Contender):
    """Raw httpx and ElementTree: the least a client of this call can do."""

    expected = PAGE_KEYS

    def load(self) -> None:
        import xml.etree.ElementTree as ElementTree

        import httpx

        self._httpx = httpx
        self._parse = ElementTree.fromstring

    async def open(self) -> None:
        httpx = self._httpx
        self._headers = json.loads(os.environ["BENCH_S3_FLOOR_HEADERS"])
        self._client = httpx.AsyncClient(limits=self.pool_limits(httpx))
        self._url = self.endpoint.rstrip("/") + PATH

    async def call(self) -> int:
        response = await self._client.get(self._url, headers=self._headers)
        root = self._parse(response.content)
        return sum(1 for key in root.iter(f"{_NS}Key") if key.text)

    async def close(self) -> None:
        await self._client.aclose()


class S3ClientContender(GeneratedClientContender):
    """The generated S3 client on ``smithygen_runtime``."""

    expected = PAGE_KEYS
    package = S3_PACKAGE
    client_class = "S3Client"
    folder_variable = "BENCH_S3_DIR"

    async def call(self) -> int:
        result = await self._client.list_objects_v2(bucket=BUCKET, max_keys=PAGE_KEYS)
        return sum(1 for item in result.contents or () if item.key)


class S3AiobotocoreContender(Contender):
    """aiobotocore's ``s3`` client with its defaults."""

    expected = PAGE_KEYS

    def load(self) -> None:
        self._get_session: Any = importlib.import_module(
            "aiobotocore.session"
        ).get_session

    async def open(self) -> None:
        self._context = self._get_session().create_client(
            "s3",
            region_name=REGION,
            endpoint_url=self.endpoint,
            aws_access_key_id=ACCESS_KEY,
            aws_secret_access_key=SECRET_KEY,
        )
        self._client = await self._context.__aenter__()

    async def call(self) -> int:
        result = await self._client.list_objects_v2(Bucket=BUCKET, MaxKeys=PAGE_KEYS)
        return sum(1 for item in result.get("Contents", ()) if item["Key"])

    async def close(self) -> None:
        await self._context.__aexit__(None, None, None)


S3_CONTENDERS: dict[str, type[Contender]] = {
    "s3_floor": S3FloorContender,
    "s3_client": S3ClientContender,
    "s3_aiobotocore": S3AiobotocoreContender,
}
