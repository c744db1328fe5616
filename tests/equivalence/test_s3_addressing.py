"""S3 bucket addressing: the generated client's request URL and signature equal botocore's.

For one HeadObject call, over combinations of the ``s3`` configuration
section (addressing_style, use_accelerate_endpoint, use_dualstack_endpoint,
us_east_1_regional_endpoint, read from the AWS config file by both clients),
the region, the bucket name (DNS-compatible, dotted, not a host label) and a
custom endpoint URL: both clients must send to the same URL (virtual-hosted
or path-style, as S3's endpoint rules decide from the AWS::S3* built-ins)
with the same Authorization (signing region and name included), or both
refuse the configuration.
"""

from __future__ import annotations

import functools
import importlib
import itertools
import sys
from collections.abc import Iterator, Mapping
from pathlib import Path
from types import ModuleType
from typing import Any

import anyio
import httpx
import pytest
from botocore.awsrequest import AWSPreparedRequest, AWSResponse
from botocore.compat import HTTPHeaders
from botocore.config import Config
from botocore.session import get_session
from smithygen.generate import generate
from smithygen_runtime import ConfigurationError, Credentials, RetryConfig

from tests.conftest import isolate_aws_environment, require_shared
from tests.equivalence.wire import ACCESS_KEY, SECRET_KEY, RawBody, frozen

MODEL = "s3-2006-03-01.json"
SERVICE = "com.amazonaws.s3#AmazonS3"
PACKAGE = "eq_s3_addressing"

SECTIONS: tuple[Mapping[str, str], ...] = (
    {},
    {"addressing_style": "path"},
    {"addressing_style": "virtual"},
    {"addressing_style": "auto"},
    {"use_accelerate_endpoint": "true"},
    {"use_dualstack_endpoint": "true"},
    {"use_accelerate_endpoint": "true", "use_dualstack_endpoint": "true"},
    {"us_east_1_regional_endpoint": "regional"},
)
REGIONS = ("us-east-1", "eu-west-1")
BUCKETS = ("my-bucket", "my.bucket", "My_Bucket")
# Every answer: HeadObject ignores it, GetBucketLocation reads it.
LOCATION = (
    b'<LocationConstraint xmlns="http://s3.amazonaws.com/doc/2006-03-01/">'
    b"eu-west-1</LocationConstraint>"
)
ENDPOINTS = (None, "http://127.0.0.1:9000", "https://s3.example.com")
CASES = [
    pytest.param(section, region, bucket, endpoint, id=f"{i}")
    for i, (section, region, bucket, endpoint) in enumerate(
        itertools.product(SECTIONS, REGIONS, BUCKETS, ENDPOINTS)
    )
]


@functools.cache
def _generated(out: str) -> ModuleType:
    generate(
        [require_shared("aws-models", MODEL)],
        service=SERVICE,
        package=PACKAGE,
        out=Path(out),
    )
    sys.path.insert(0, out)
    importlib.invalidate_caches()
    return importlib.import_module(PACKAGE)


@pytest.fixture(scope="module")
def s3_package(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ModuleType]:
    yield _generated(str(tmp_path_factory.mktemp("s3-addressing")))


def _write_config(home: Path, section: Mapping[str, str]) -> None:
    lines = ["[default]"]
    if section:
        lines.append("s3 =")
        lines += [f"    {key} = {value}" for key, value in section.items()]
    (home / "config").write_text("\n".join(lines) + "\n")


def ours(
    package: ModuleType,
    region: str,
    endpoint: str | None,
    bucket: str,
    operation: str = "head_object",
) -> Any:
    """The URL and Authorization of our request (HeadObject), or the refusal."""
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200, content=LOCATION)

    async def run() -> Any:
        http = httpx.AsyncClient(transport=httpx.MockTransport(handler))
        client = package.S3Client(
            region=region,
            endpoint_url=endpoint,
            credentials=Credentials(ACCESS_KEY, SECRET_KEY),
            http_client=http,
            retry=RetryConfig(max_attempts=1),
        )
        try:
            async with client:
                if operation == "head_object":
                    await client.head_object(bucket=bucket, key="a b/c.txt")
                else:
                    await getattr(client, operation)(bucket=bucket)
        except ConfigurationError:
            return "refused"
        finally:
            await http.aclose()
        (request,) = seen
        return str(request.url), request.headers["authorization"]

    return anyio.run(run)


def theirs(
    region: str, endpoint: str | None, bucket: str, operation: str = "head_object"
) -> Any:
    """The URL and Authorization of botocore's request, or the refusal."""
    from botocore.exceptions import BotoCoreError

    sent: list[AWSPreparedRequest] = []

    def before_send(request: AWSPreparedRequest, **_: Any) -> AWSResponse:
        sent.append(request)
        return AWSResponse(request.url, 200, HTTPHeaders(), RawBody(LOCATION))

    client = get_session().create_client(
        "s3",
        region_name=region,
        endpoint_url=endpoint,
        aws_access_key_id=ACCESS_KEY,
        aws_secret_access_key=SECRET_KEY,
        config=Config(retries={"total_max_attempts": 1, "mode": "standard"}),
    )
    client.meta.events.register("before-send.s3", before_send)
    try:
        if operation == "head_object":
            client.head_object(Bucket=bucket, Key="a b/c.txt")
        else:
            getattr(client, operation)(Bucket=bucket)
    except BotoCoreError:
        return "refused"
    (request,) = sent
    return request.url, request.headers["Authorization"].decode()


@pytest.mark.parametrize(("section", "region", "bucket", "endpoint"), CASES)
def test_the_bucket_is_addressed_and_signed_as_botocore_does(
    s3_package: ModuleType,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    section: Mapping[str, str],
    region: str,
    bucket: str,
    endpoint: str | None,
) -> None:
    isolate_aws_environment(monkeypatch, tmp_path)
    _write_config(tmp_path, section)
    with frozen():
        mine = ours(s3_package, region, endpoint, bucket)
        boto = theirs(region, endpoint, bucket)
    assert mine == boto


def test_the_cases_cover_both_addressing_styles(s3_package: ModuleType) -> None:
    """The combinations above reach virtual-hosted, path-style and accelerate hosts."""
    urls = {
        "virtual": "https://my-bucket.s3.eu-west-1.amazonaws.com/a%20b/c.txt",
        "path": "https://s3.eu-west-1.amazonaws.com/my.bucket/a%20b/c.txt",
    }
    assert ours(s3_package, "eu-west-1", None, "my-bucket")[0] == urls["virtual"]
    assert ours(s3_package, "eu-west-1", None, "my.bucket")[0] == urls["path"]


@pytest.mark.parametrize("section", [{}, {"addressing_style": "virtual"}])
@pytest.mark.parametrize("region", REGIONS)
def test_get_bucket_location_is_always_path_style_as_in_botocore(
    s3_package: ModuleType,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    section: Mapping[str, str],
    region: str,
) -> None:
    """botocore's customize_endpoint_resolver_builtins: the bucket's region is
    what GetBucketLocation asks, so it never goes to the bucket's host."""
    isolate_aws_environment(monkeypatch, tmp_path)
    _write_config(tmp_path, section)
    with frozen():
        mine = ours(s3_package, region, None, "my-bucket", "get_bucket_location")
        boto = theirs(region, None, "my-bucket", "get_bucket_location")
    assert mine == boto
    assert "/my-bucket?location" in mine[0]


@pytest.mark.parametrize("section", [{}, {"addressing_style": "path"}])
def test_an_access_point_arn_bucket_goes_to_its_host_as_in_botocore(
    s3_package: ModuleType,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    section: Mapping[str, str],
) -> None:
    """An ARN bucket is never path-style (botocore switches the setting off)."""
    isolate_aws_environment(monkeypatch, tmp_path)
    _write_config(tmp_path, section)
    arn = "arn:aws:s3:eu-west-1:123456789012:accesspoint/my-point"
    with frozen():
        mine = ours(s3_package, "eu-west-1", None, arn)
        boto = theirs("eu-west-1", None, arn)
    assert mine == boto
    assert mine[0].startswith(
        "https://my-point-123456789012.s3-accesspoint.eu-west-1.amazonaws.com/"
    )
