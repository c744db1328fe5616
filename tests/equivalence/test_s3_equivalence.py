"""The generated S3 client (restXml) and botocore's, against one loopback server.

The client is generated from the official S3 model (../shared/aws-models);
both clients send real HTTP requests to the same loopback server
(tests/support/loopback_server.py), with the same credentials, region, clock
and UUIDs (wire.py's ``frozen``). With a custom endpoint both address the
bucket path-style (botocore's rule: a custom endpoint means path-style unless
``addressing_style`` is virtual), so the requests can be compared byte for
byte: method, path, query, the signed headers (X-Amz-Content-SHA256 included)
and the SigV4 Authorization. For the same response bytes: the same parsed
output and the same errors (class, code, message, status, request id).

ListObjectsV2 is called with ``EncodingType="url"`` on both sides: botocore
sets it itself when the caller does not and then URL-decodes the keys it
reads (handlers.py, ``set_list_objects_encoding_type_url``); the generated
client does not have that customization, and with the parameter given
botocore decodes nothing either.

Not covered here (no streaming operations on this branch): GetObject and
PutObject, whose bodies are streams; the modeled NoSuchKey error is compared
on GetObjectAttributes, which S3 models with it too.
"""

from __future__ import annotations

import functools
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from smithygen.emit.context import Context
from smithygen_runtime import ServiceError

from tests.equivalence.loopback import (
    botocore_client,
    generated_package,
    isolated_server,
    official_context,
    run_ours,
    run_theirs,
)
from tests.equivalence.test_botocore_equivalence import assert_same_parsed
from tests.equivalence.wire import frozen
from tests.support.loopback_server import (
    LoopbackServer,
    Reply,
    Request,
)

MODEL = "s3-2006-03-01.json"
SERVICE = "com.amazonaws.s3#AmazonS3"
PACKAGE = "eq_s3"
EMPTY_SHA256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
# Headers both clients must send alike (the signature covers the signed ones).
SIGNED_HEADERS = ("x-amz-content-sha256", "x-amz-date", "authorization")
XML = (("Content-Type", "application/xml"),)


@functools.cache
def s3_context() -> Context:
    return official_context(MODEL, SERVICE, PACKAGE)


@pytest.fixture(scope="module")
def s3_package(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ModuleType]:
    yield from generated_package(tmp_path_factory, MODEL, SERVICE, PACKAGE)


@pytest.fixture
def server(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[LoopbackServer]:
    yield from isolated_server(monkeypatch, tmp_path)


def botocore_s3(server: LoopbackServer) -> Any:
    return botocore_client("s3", server)


def ours(package: ModuleType, server: LoopbackServer, call: Any) -> Any:
    """``await call(client)`` on a generated client of the server; the result or error."""
    return run_ours(package.S3Client, server, call)


theirs = run_theirs


def _target(request: Request) -> tuple[str, list[str]]:
    path, _, query = request.target.partition("?")
    return path, sorted(part for part in query.split("&") if part)


def assert_same_requests(first: Request, second: Request) -> None:
    """Same method, path, query, signed S3 headers, body bytes and signature.

    The Authorization names the signed headers and covers the canonical
    request, so equal Authorization values mean equal signed bytes.
    """
    assert (first.method, _target(first)) == (second.method, _target(second))
    for name in SIGNED_HEADERS:
        assert first.headers.get(name) == second.headers.get(name), name
    assert first.body == second.body


def _output(mine: Any, boto: dict[str, Any], operation: str) -> None:
    boto.pop("ResponseMetadata")
    ctx = s3_context()
    (op,) = [o for o in ctx.operations if o.id.name == operation]
    assert_same_parsed(mine, boto, ctx.model.get_shape(op.output), "output", ctx)


# --- ListObjectsV2 and its paginator -----------------------------------------------


def _contents(start: int, count: int) -> str:
    return "".join(
        f"<Contents><Key>photos/{i:04d}.jpg</Key>"
        "<LastModified>2024-05-06T07:08:09.000Z</LastModified>"
        f'<ETag>"etag-{i}"</ETag><Size>{1000 + i}</Size>'
        "<StorageClass>STANDARD</StorageClass></Contents>"
        for i in range(start, start + count)
    )


def _page(start: int, count: int, next_token: str | None) -> bytes:
    truncated = "true" if next_token else "false"
    token = (
        f"<NextContinuationToken>{next_token}</NextContinuationToken>"
        if next_token
        else ""
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/">'
        f"<Name>my-bucket</Name><Prefix>photos/</Prefix><KeyCount>{count}</KeyCount>"
        f"<MaxKeys>2</MaxKeys><IsTruncated>{truncated}</IsTruncated>{token}"
        f"{_contents(start, count)}"
        "<CommonPrefixes><Prefix>photos/2024/</Prefix></CommonPrefixes>"
        "</ListBucketResult>"
    ).encode()


PAGES = {None: _page(0, 2, "t1"), "t1": _page(2, 2, "t2"), "t2": _page(4, 1, None)}


def _page_for(request: Request) -> Reply:
    query = dict(
        part.split("=", 1)
        for part in request.target.partition("?")[2].split("&")
        if part
    )
    return Reply(200, PAGES[query.get("continuation-token")], XML)


def test_list_objects_v2_sends_the_same_request_and_reads_the_same_page(
    s3_package: ModuleType, server: LoopbackServer
) -> None:
    server.handler = _page_for
    with frozen():
        mine = ours(
            s3_package,
            server,
            lambda c: c.list_objects_v2(
                bucket="my-bucket", prefix="photos/", max_keys=2, encoding_type="url"
            ),
        )
        boto = theirs(
            botocore_s3(server),
            "list_objects_v2",
            Bucket="my-bucket",
            Prefix="photos/",
            MaxKeys=2,
            EncodingType="url",
        )
    first, second = server.requests
    # Path-style (custom endpoint): the bucket is the path, once.
    assert _target(first) == (
        "/my-bucket",
        ["encoding-type=url", "list-type=2", "max-keys=2", "prefix=photos%2F"],
    )
    assert first.headers["x-amz-content-sha256"] == EMPTY_SHA256
    assert_same_requests(first, second)
    assert [o.key for o in mine.contents] == ["photos/0000.jpg", "photos/0001.jpg"]
    _output(mine, boto, "ListObjectsV2")


def test_the_paginator_walks_the_same_pages_as_botocores(
    s3_package: ModuleType, server: LoopbackServer
) -> None:
    server.handler = _page_for

    async def keys(client: Any) -> list[str]:
        found = []
        async for page in client.paginate_list_objects_v2(
            bucket="my-bucket", max_keys=2, encoding_type="url"
        ):
            found += [o.key for o in page.contents or []]
        return found

    with frozen():
        mine = ours(s3_package, server, keys)
        paginator = botocore_s3(server).get_paginator("list_objects_v2")
        boto = [
            o["Key"]
            for page in paginator.paginate(
                Bucket="my-bucket", MaxKeys=2, EncodingType="url"
            )
            for o in page["Contents"]
        ]
    assert mine == boto == [f"photos/{i:04d}.jpg" for i in range(5)]
    assert len(server.requests) == 6
    for first, second in zip(server.requests[:3], server.requests[3:], strict=True):
        assert_same_requests(first, second)
    assert "continuation-token=t2" in server.requests[2].target


# --- HeadObject ---------------------------------------------------------------------

HEAD_HEADERS = (
    ("Content-Type", "image/jpeg"),
    ("Content-Length", "0"),
    ("ETag", '"abc123"'),
    ("Last-Modified", "Mon, 06 May 2024 07:08:09 GMT"),
    ("x-amz-meta-owner", "alice"),
    ("x-amz-version-id", "v1"),
    ("Accept-Ranges", "bytes"),
)


def test_head_object_sends_the_same_request_and_reads_the_same_headers(
    s3_package: ModuleType, server: LoopbackServer
) -> None:
    server.handler = lambda request: Reply(200, b"", HEAD_HEADERS)
    with frozen():
        mine = ours(
            s3_package,
            server,
            lambda c: c.head_object(bucket="my-bucket", key="dir/my photo.jpg"),
        )
        boto = theirs(
            botocore_s3(server),
            "head_object",
            Bucket="my-bucket",
            Key="dir/my photo.jpg",
        )
    first, second = server.requests
    assert first.method == "HEAD"
    # The key's "/" kept (greedy label), the space encoded; signed as sent.
    assert first.target == "/my-bucket/dir/my%20photo.jpg"
    assert_same_requests(first, second)
    assert mine.metadata == {"owner": "alice"}
    _output(mine, boto, "HeadObject")


def test_head_object_404_without_a_body_is_the_error_botocore_names(
    s3_package: ModuleType, server: LoopbackServer
) -> None:
    """HEAD answers carry no body: the error comes from the status alone."""
    server.handler = lambda request: Reply(404, b"", XML)
    mine = ours(
        s3_package, server, lambda c: c.head_object(bucket="my-bucket", key="gone")
    )
    boto = theirs(botocore_s3(server), "head_object", Bucket="my-bucket", Key="gone")
    assert isinstance(mine, ServiceError)
    error = boto.response["Error"]
    assert (mine.code, mine.message) == (error["Code"], error["Message"])
    # Neither has a modeled class for code "404": botocore's generic
    # ClientError, the service's unknown-error class here.
    assert type(boto).__name__ == "ClientError"
    assert type(mine).__name__ == "UnknownS3Error"
    assert (
        mine.status_code == 404 == boto.response["ResponseMetadata"]["HTTPStatusCode"]
    )


# --- DeleteObject -------------------------------------------------------------------


def test_delete_object_sends_the_same_request_and_reads_the_same_headers(
    s3_package: ModuleType, server: LoopbackServer
) -> None:
    server.handler = lambda request: Reply(
        204, b"", (("x-amz-delete-marker", "true"), ("x-amz-version-id", "v9"))
    )
    with frozen():
        mine = ours(
            s3_package,
            server,
            lambda c: c.delete_object(
                bucket="my-bucket", key="a/b.txt", version_id="v9"
            ),
        )
        boto = theirs(
            botocore_s3(server),
            "delete_object",
            Bucket="my-bucket",
            Key="a/b.txt",
            VersionId="v9",
        )
    first, second = server.requests
    assert (first.method, _target(first)) == (
        "DELETE",
        ("/my-bucket/a/b.txt", ["versionId=v9"]),
    )
    assert_same_requests(first, second)
    assert mine.delete_marker is True and mine.version_id == "v9"
    _output(mine, boto, "DeleteObject")


# --- NoSuchKey ----------------------------------------------------------------------

NO_SUCH_KEY = (
    b'<?xml version="1.0" encoding="UTF-8"?>\n'
    b"<Error><Code>NoSuchKey</Code><Message>The specified key does not exist."
    b"</Message><Key>gone.txt</Key><RequestId>4442587FB7D0A2F9</RequestId>"
    b"<HostId>host-id</HostId></Error>"
)


def test_no_such_key_is_the_same_modeled_error(
    s3_package: ModuleType, server: LoopbackServer
) -> None:
    server.handler = lambda request: Reply(404, NO_SUCH_KEY, XML)
    with frozen():
        mine = ours(
            s3_package,
            server,
            lambda c: c.get_object_attributes(
                bucket="my-bucket", key="gone.txt", object_attributes=["ETag"]
            ),
        )
        boto = theirs(
            botocore_s3(server),
            "get_object_attributes",
            Bucket="my-bucket",
            Key="gone.txt",
            ObjectAttributes=["ETag"],
        )
    first, second = server.requests
    assert_same_requests(first, second)
    assert isinstance(mine, s3_package.NoSuchKey)
    assert type(boto).__name__ == "NoSuchKey"
    error = boto.response["Error"]
    assert (mine.code, mine.message) == (error["Code"], error["Message"])
    assert mine.status_code == boto.response["ResponseMetadata"]["HTTPStatusCode"]
    # The server numbers its responses' x-amzn-RequestId: ours came first.
    assert mine.request_id == "req-1"
    assert boto.response["ResponseMetadata"]["RequestId"] == "req-2"


# --- PutObject (a streaming body in) and GetObject (streaming out) ----------------


def test_put_object_sends_the_same_body_and_payload_hash(
    s3_package: ModuleType, server: LoopbackServer
) -> None:
    """The body bytes and the signed X-Amz-Content-SHA256 are botocore's.

    Known differences, not done here: botocore also sends the CRC32 flexible
    checksum it adds by default (x-amz-checksum-crc32, x-amz-sdk-checksum-
    algorithm; aws.protocols#httpChecksum, request_checksum_calculation
    when_supported) and ``Expect: 100-continue``, and no Content-Type; the
    generated client sends application/octet-stream (the protocol's type of a
    blob payload). The signatures therefore differ.
    """
    server.handler = lambda request: Reply(
        200,
        b"",
        (("ETag", '"5eb63bbbe01eeed093cb22bb8f5acdc3"'), ("x-amz-version-id", "v1")),
    )
    body = b"hello world\n" * 1000

    async def put(client: Any) -> Any:
        return await client.put_object(
            bucket="my-bucket", key="dir/hello.txt", body=body
        )

    with frozen():
        mine = ours(s3_package, server, put)
        boto = theirs(
            botocore_s3(server),
            "put_object",
            Bucket="my-bucket",
            Key="dir/hello.txt",
            Body=body,
        )
    first, second = server.requests
    assert (first.method, first.target) == (second.method, second.target)
    assert first.target == "/my-bucket/dir/hello.txt"
    assert first.body == second.body == body
    assert (
        first.headers["x-amz-content-sha256"] == second.headers["x-amz-content-sha256"]
    )
    assert first.headers["content-type"] == "application/octet-stream"
    assert "x-amz-checksum-crc32" in second.headers  # botocore's, not sent by ours
    assert "x-amz-checksum-crc32" not in first.headers
    assert mine.e_tag == boto["ETag"] and mine.version_id == boto["VersionId"]


def test_get_object_streams_out_the_same_bytes_and_headers(
    s3_package: ModuleType, server: LoopbackServer
) -> None:
    payload = bytes(range(256)) * 400
    server.handler = lambda request: Reply(
        200,
        payload,
        (
            ("Content-Type", "application/octet-stream"),
            ("ETag", '"abc"'),
            ("Last-Modified", "Mon, 06 May 2024 07:08:09 GMT"),
            ("x-amz-meta-owner", "alice"),
        ),
    )

    async def get(client: Any) -> Any:
        output = await client.get_object(bucket="my-bucket", key="blob.bin")
        async with output.body as stream:
            data = await stream.read()
        return output, data

    with frozen():
        mine, data = ours(s3_package, server, get)
        boto = theirs(
            botocore_s3(server), "get_object", Bucket="my-bucket", Key="blob.bin"
        )
    first, second = server.requests
    assert (first.method, first.target) == (second.method, second.target)
    assert first.target == "/my-bucket/blob.bin"
    # botocore asks for the response checksum (x-amz-checksum-mode: ENABLED,
    # response_checksum_validation when_supported); the generated client does not.
    assert second.headers.get("x-amz-checksum-mode") == "ENABLED"
    assert "x-amz-checksum-mode" not in first.headers
    assert data == boto["Body"].read() == payload
    assert mine.e_tag == boto["ETag"]
    assert mine.metadata == boto["Metadata"] == {"owner": "alice"}
    assert mine.last_modified == boto["LastModified"]
