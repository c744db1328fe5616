"""The generated S3 client (restXml) and botocore's, against one loopback server.

The client is generated from the official S3 model (../shared/aws-models);
both clients send real HTTP requests to the same loopback server
(tests/support/loopback_server.py; over TLS with a throwaway CA for the
https cases), with the same credentials, region, clock and UUIDs (wire.py's
``frozen``). With a custom endpoint both address the bucket path-style
(botocore's rule: a custom endpoint means path-style unless
``addressing_style`` is virtual), so the requests can be compared byte for
byte: method, path, query, every header but the HTTP client's own
(``CLIENT_HEADERS``), the body and the SigV4 Authorization. For the same
response bytes: the same parsed output and the same errors (class, code,
message, status, request id).

Compared byte for byte: PutObject with bytes, a file (and a chosen
algorithm), a caller's own checksum, when_required; over https with bytes
and with a one-pass stream (aws-chunked body, CRC32 trailer); DeleteObjects
(the CRC32 it requires); GetObject asking for the response checksum;
ListObjectsV2, ListObjects and ListObjectVersions without EncodingType
(encoding-type=url sent, the keys decoded back); HeadObject, DeleteObject,
GetObjectAttributes' NoSuchKey. The remaining differences are the HTTP
clients' own headers (User-Agent, Accept, Accept-Encoding, Connection) and
httpx not waiting for "100 Continue" before sending a body (botocore waits
up to a second for it; both send the header).
"""

from __future__ import annotations

import base64
import functools
import hashlib
import socket
import ssl
import threading
import time
import zlib
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import anyio
import pytest
import trustme
from botocore.exceptions import FlexibleChecksumError as BotocoreChecksumError
from botocore.session import get_session
from smithygen.emit.context import Context
from smithygen_runtime import (
    Credentials,
    FlexibleChecksumError,
    ResponseParseError,
    RetryConfig,
    ServiceError,
    TransportError,
)

from tests.conftest import isolate_aws_environment
from tests.equivalence.loopback import (
    botocore_client,
    generated_package,
    isolated_server,
    official_context,
    our_client,
    path_and_query,
    query_parameters,
    run_ours,
    run_theirs,
)
from tests.equivalence.test_botocore_equivalence import assert_same_parsed
from tests.equivalence.wire import ACCESS_KEY, REGION, SECRET_KEY, frozen
from tests.support.loopback_server import (
    LoopbackServer,
    Reply,
    Request,
    running_server,
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


def ours_and_theirs(
    package: ModuleType,
    server: LoopbackServer,
    call: Any,
    operation: str,
    **params: Any,
) -> tuple[Any, Any]:
    """Our client's ``await call(client)``, then botocore's
    ``operation(**params)``, against the server with one clock and UUIDs
    (``frozen``): (our result or error, botocore's)."""
    with frozen():
        return ours(package, server, call), theirs(
            botocore_s3(server), operation, **params
        )


# Headers that name the HTTP client rather than the request: httpx's and
# urllib3's own (never signed; botocore asks for identity encoding, httpx
# for gzip or deflate, which S3 never applies to object bytes).
CLIENT_HEADERS = frozenset({"user-agent", "accept", "accept-encoding", "connection"})


def assert_same_requests(first: Request, second: Request) -> None:
    """Same method, path, query, headers, body bytes and signature.

    Every header but ``CLIENT_HEADERS`` is compared, values included (both
    clients run with one clock and one UUID, so the invocation id and the
    date match). The Authorization names the signed headers and covers the
    canonical request, so equal Authorization values mean equal signed bytes.
    """
    assert (first.method, path_and_query(first.target)) == (
        second.method,
        path_and_query(second.target),
    )
    for name in SIGNED_HEADERS:
        assert first.headers.get(name) == second.headers.get(name), name

    def wire(request: Request) -> dict[str, str]:
        headers = {k: v for k, v in request.headers.items() if k not in CLIENT_HEADERS}
        # A bodiless request: urllib3 says "Content-Length: 0" for a DELETE,
        # httpx says nothing; the same message either way.
        if not request.body and "transfer-encoding" not in headers:
            headers.setdefault("content-length", "0")
        return headers

    assert wire(first) == wire(second)
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
    query = query_parameters(request.target)
    return Reply(200, PAGES[query.get("continuation-token")], XML)


def test_list_objects_v2_sends_the_same_request_and_reads_the_same_page(
    s3_package: ModuleType, server: LoopbackServer
) -> None:
    server.handler = _page_for
    mine, boto = ours_and_theirs(
        s3_package,
        server,
        lambda c: c.list_objects_v2(
            bucket="my-bucket", prefix="photos/", max_keys=2, encoding_type="url"
        ),
        "list_objects_v2",
        Bucket="my-bucket",
        Prefix="photos/",
        MaxKeys=2,
        EncodingType="url",
    )
    first, second = server.requests
    # Path-style (custom endpoint): the bucket is the path, once.
    assert path_and_query(first.target) == (
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
    mine, boto = ours_and_theirs(
        s3_package,
        server,
        lambda c: c.head_object(bucket="my-bucket", key="dir/my photo.jpg"),
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
    mine, boto = ours_and_theirs(
        s3_package,
        server,
        lambda c: c.delete_object(bucket="my-bucket", key="a/b.txt", version_id="v9"),
        "delete_object",
        Bucket="my-bucket",
        Key="a/b.txt",
        VersionId="v9",
    )
    first, second = server.requests
    assert (first.method, path_and_query(first.target)) == (
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
    mine, boto = ours_and_theirs(
        s3_package,
        server,
        lambda c: c.get_object_attributes(
            bucket="my-bucket", key="gone.txt", object_attributes=["ETag"]
        ),
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

PUT_REPLY = Reply(
    200,
    b"",
    (("ETag", '"5eb63bbbe01eeed093cb22bb8f5acdc3"'), ("x-amz-version-id", "v1")),
)
BODY = b"hello world\n" * 1000


def _put(body: Any, **extra: Any) -> Any:
    async def put(client: Any) -> Any:
        return await client.put_object(
            bucket="my-bucket", key="dir/hello.txt", body=body, **extra
        )

    return put


def _put_body_both_ways(package: ModuleType, server: LoopbackServer) -> tuple[Any, Any]:
    """PutObject of ``BODY`` to my-bucket/dir/hello.txt by each client."""
    return ours_and_theirs(
        package,
        server,
        _put(BODY),
        "put_object",
        Bucket="my-bucket",
        Key="dir/hello.txt",
        Body=BODY,
    )


def test_put_object_with_bytes_sends_botocores_request_byte_for_byte(
    s3_package: ModuleType, server: LoopbackServer
) -> None:
    """CRC32 by default (request_checksum_calculation when_supported), its
    algorithm announced, Expect: 100-continue, no Content-Type: botocore's
    request, headers, body and signature alike."""
    server.handler = lambda request: PUT_REPLY
    mine, boto = _put_body_both_ways(s3_package, server)
    first, second = server.requests
    assert first.target == "/my-bucket/dir/hello.txt"
    assert first.body == BODY
    crc = base64.b64encode(zlib.crc32(BODY).to_bytes(4, "big")).decode()
    assert first.headers["x-amz-checksum-crc32"] == crc
    assert first.headers["x-amz-sdk-checksum-algorithm"] == "CRC32"
    assert first.headers["expect"] == "100-continue"
    assert "content-type" not in first.headers
    assert_same_requests(first, second)
    # The server answered both Expect headers with "100 Continue" first.
    assert server.interim_sent == 2
    assert mine.e_tag == boto["ETag"] and mine.version_id == boto["VersionId"]


def test_put_object_with_a_file_and_a_chosen_algorithm_matches_botocore(
    s3_package: ModuleType, server: LoopbackServer, tmp_path: Path
) -> None:
    """A file is read twice before it is sent (its SHA256 checksum, its
    payload hash), from where it stands, and rewound; the algorithm the
    caller chose is the one computed and announced."""
    server.handler = lambda request: PUT_REPLY
    path = tmp_path / "upload.bin"
    path.write_bytes(b"skip" + bytes(range(256)) * 300)
    with frozen(), path.open("rb") as mine_file, path.open("rb") as boto_file:
        mine_file.seek(4)
        boto_file.seek(4)
        ours(s3_package, server, _put(mine_file, checksum_algorithm="SHA256"))
        theirs(
            botocore_s3(server),
            "put_object",
            Bucket="my-bucket",
            Key="dir/hello.txt",
            Body=boto_file,
            ChecksumAlgorithm="SHA256",
        )
    first, second = server.requests
    assert first.body == bytes(range(256)) * 300
    assert (
        first.headers["x-amz-checksum-sha256"]
        == base64.b64encode(hashlib.sha256(first.body).digest()).decode()
    )
    assert first.headers["x-amz-sdk-checksum-algorithm"] == "SHA256"
    assert "x-amz-checksum-crc32" not in first.headers
    assert_same_requests(first, second)


def test_put_object_when_required_sends_no_checksum_as_botocore(
    s3_package: ModuleType,
    server: LoopbackServer,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """PutObject supports a checksum without requiring one: none is sent."""
    monkeypatch.setenv("AWS_REQUEST_CHECKSUM_CALCULATION", "when_required")
    server.handler = lambda request: PUT_REPLY
    _put_body_both_ways(s3_package, server)
    first, second = server.requests
    assert not [h for h in first.headers if h.startswith("x-amz-checksum")]
    assert "x-amz-sdk-checksum-algorithm" not in first.headers
    assert_same_requests(first, second)


def test_delete_objects_sends_botocores_crc32_and_xml_byte_for_byte(
    s3_package: ModuleType, server: LoopbackServer
) -> None:
    """DeleteObjects requires a checksum (httpChecksum requestChecksumRequired):
    CRC32 and its algorithm header even when_required, as botocore >= 1.36."""
    server.handler = lambda request: Reply(
        200,
        b'<?xml version="1.0" encoding="UTF-8"?>\n<DeleteResult xmlns='
        b'"http://s3.amazonaws.com/doc/2006-03-01/"><Deleted><Key>a.txt</Key>'
        b"</Deleted></DeleteResult>",
        XML,
    )

    async def delete(client: Any) -> Any:
        from eq_s3 import Delete, ObjectIdentifier

        return await client.delete_objects(
            bucket="my-bucket",
            delete=Delete(
                objects=[ObjectIdentifier(key="a.txt"), ObjectIdentifier(key="b c")]
            ),
        )

    mine, boto = ours_and_theirs(
        s3_package,
        server,
        delete,
        "delete_objects",
        Bucket="my-bucket",
        Delete={"Objects": [{"Key": "a.txt"}, {"Key": "b c"}]},
    )
    first, second = server.requests
    assert path_and_query(first.target) == ("/my-bucket", ["delete"])
    assert first.headers["x-amz-sdk-checksum-algorithm"] == "CRC32"
    assert (
        first.headers["x-amz-checksum-crc32"]
        == base64.b64encode(zlib.crc32(first.body).to_bytes(4, "big")).decode()
    )
    assert "content-md5" not in first.headers
    assert_same_requests(first, second)
    _output(mine, boto, "DeleteObjects")


PAYLOAD = bytes(range(256)) * 400


def _object_reply(checksum: str | None, body: bytes = PAYLOAD) -> Reply:
    headers = [
        ("Content-Type", "application/octet-stream"),
        ("ETag", '"abc"'),
        ("Last-Modified", "Mon, 06 May 2024 07:08:09 GMT"),
        ("x-amz-meta-owner", "alice"),
    ]
    if checksum is not None:
        headers.append(("x-amz-checksum-crc32", checksum))
    return Reply(200, body, tuple(headers))


def _crc32(data: bytes) -> str:
    return base64.b64encode(zlib.crc32(data).to_bytes(4, "big")).decode()


async def _get_all(client: Any) -> Any:
    output = await client.get_object(bucket="my-bucket", key="blob.bin")
    async with output.body as stream:
        data = await stream.read()
    return output, data


def test_get_object_asks_for_and_checks_the_checksum_as_botocore(
    s3_package: ModuleType, server: LoopbackServer
) -> None:
    """x-amz-checksum-mode: ENABLED on both (response_checksum_validation
    when_supported); the CRC32 the server sends is checked as the body is read."""
    server.handler = lambda request: _object_reply(_crc32(PAYLOAD))
    with frozen():
        mine, data = ours(s3_package, server, _get_all)
        boto = theirs(
            botocore_s3(server), "get_object", Bucket="my-bucket", Key="blob.bin"
        )
        boto_data = boto["Body"].read()
    first, second = server.requests
    assert first.target == "/my-bucket/blob.bin"
    assert first.headers["x-amz-checksum-mode"] == "ENABLED"
    assert_same_requests(first, second)
    assert data == boto_data == PAYLOAD
    assert mine.body.checksum_algorithm == "crc32"
    assert mine.checksum_crc32 == boto["ChecksumCRC32"] == _crc32(PAYLOAD)
    assert mine.e_tag == boto["ETag"]
    assert mine.metadata == boto["Metadata"] == {"owner": "alice"}
    assert mine.last_modified == boto["LastModified"]


def test_a_corrupted_object_raises_flexible_checksum_error_at_its_end_as_botocore(
    s3_package: ModuleType, server: LoopbackServer
) -> None:
    """Every byte is handed over, then the mismatch is raised, in both clients."""
    corrupted = PAYLOAD[:-1] + b"!"
    server.handler = lambda request: _object_reply(_crc32(PAYLOAD), corrupted)
    received: list[bytes] = []

    async def read_chunks(client: Any) -> Any:
        output = await client.get_object(bucket="my-bucket", key="blob.bin")
        try:
            async with output.body as stream:
                async for chunk in stream:
                    received.append(chunk)
        except FlexibleChecksumError as error:
            return error
        return None

    mine = ours(s3_package, server, read_chunks)
    boto = theirs(botocore_s3(server), "get_object", Bucket="my-bucket", Key="blob.bin")
    with pytest.raises(BotocoreChecksumError) as info:
        boto["Body"].read()
    assert isinstance(mine, FlexibleChecksumError)
    assert isinstance(mine, ResponseParseError)
    assert b"".join(received) == corrupted
    assert (mine.algorithm, mine.expected, mine.actual) == (
        "crc32",
        _crc32(PAYLOAD),
        _crc32(corrupted),
    )
    # botocore's message, with the header named after it.
    assert str(info.value) in str(mine)
    assert mine.status_code == 200


def test_multipart_checksums_are_not_checked_as_botocore(
    s3_package: ModuleType, server: LoopbackServer
) -> None:
    """ "...-3" is a checksum of the parts' checksums: neither client checks it."""
    server.handler = lambda request: _object_reply("AAAAAA==-3")
    mine, data = ours(s3_package, server, _get_all)
    boto = theirs(botocore_s3(server), "get_object", Bucket="my-bucket", Key="blob.bin")
    assert data == boto["Body"].read() == PAYLOAD
    assert mine.body.checksum_algorithm is None


def test_get_object_when_required_sends_no_checksum_mode_as_botocore(
    s3_package: ModuleType,
    server: LoopbackServer,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Without the mode header nothing is checked, a wrong checksum included."""
    monkeypatch.setenv("AWS_RESPONSE_CHECKSUM_VALIDATION", "when_required")
    server.handler = lambda request: _object_reply("AAAAAA==")
    with frozen():
        mine, data = ours(s3_package, server, _get_all)
        boto = theirs(
            botocore_s3(server), "get_object", Bucket="my-bucket", Key="blob.bin"
        )
        assert boto["Body"].read() == data == PAYLOAD
    first, second = server.requests
    assert "x-amz-checksum-mode" not in first.headers
    assert_same_requests(first, second)
    assert mine.body.checksum_algorithm is None


# --- ListObjectsV2 without EncodingType: url-encoded keys, decoded -------------------

ENCODED_PAGE = (
    b'<?xml version="1.0" encoding="UTF-8"?>\n'
    b'<ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/">'
    b"<Name>my-bucket</Name><Prefix>dir%2Fa+b</Prefix><KeyCount>2</KeyCount>"
    b"<MaxKeys>1000</MaxKeys><Delimiter>%2F</Delimiter>"
    b"<EncodingType>url</EncodingType><IsTruncated>false</IsTruncated>"
    b"<Contents><Key>dir%2Fa+b%2Fline%0Abreak.txt</Key>"
    b"<LastModified>2024-05-06T07:08:09.000Z</LastModified><ETag>&quot;e&quot;</ETag>"
    b"<Size>3</Size><StorageClass>STANDARD</StorageClass></Contents>"
    b"<Contents><Key>dir%2Fa+b%2F%C3%A9t%C3%A9+100%25.txt</Key>"
    b"<LastModified>2024-05-06T07:08:09.000Z</LastModified><ETag>&quot;f&quot;</ETag>"
    b"<Size>4</Size><StorageClass>STANDARD</StorageClass></Contents>"
    b"<CommonPrefixes><Prefix>dir%2Fa+b%2Fsub%2F</Prefix></CommonPrefixes>"
    b"</ListBucketResult>"
)


def test_list_objects_v2_asks_for_url_encoding_and_decodes_the_keys_as_botocore(
    s3_package: ModuleType, server: LoopbackServer
) -> None:
    """No EncodingType given: both send encoding-type=url and decode what S3
    encoded (a line break in a key cannot travel in XML 1.0 otherwise)."""
    server.handler = lambda request: Reply(200, ENCODED_PAGE, XML)
    mine, boto = ours_and_theirs(
        s3_package,
        server,
        lambda c: c.list_objects_v2(
            bucket="my-bucket", prefix="dir/a b", delimiter="/"
        ),
        "list_objects_v2",
        Bucket="my-bucket",
        Prefix="dir/a b",
        Delimiter="/",
    )
    first, second = server.requests
    assert "encoding-type=url" in path_and_query(first.target)[1]
    assert_same_requests(first, second)
    assert [o.key for o in mine.contents] == [
        "dir/a b/line\nbreak.txt",
        "dir/a b/été 100%.txt",
    ]
    assert (mine.prefix, mine.delimiter) == ("dir/a b", "/")
    assert mine.common_prefixes[0].prefix == "dir/a b/sub/"
    _output(mine, boto, "ListObjectsV2")


def test_an_encoding_type_the_caller_gives_leaves_the_keys_encoded_as_botocore(
    s3_package: ModuleType, server: LoopbackServer
) -> None:
    server.handler = lambda request: Reply(200, ENCODED_PAGE, XML)
    mine = ours(
        s3_package,
        server,
        lambda c: c.list_objects_v2(bucket="my-bucket", encoding_type="url"),
    )
    boto = theirs(
        botocore_s3(server), "list_objects_v2", Bucket="my-bucket", EncodingType="url"
    )
    assert (
        mine.contents[0].key
        == boto["Contents"][0]["Key"]
        == ("dir%2Fa+b%2Fline%0Abreak.txt")
    )
    _output(mine, boto, "ListObjectsV2")


# --- over https: a streamed body's checksum in an aws-chunked trailer ---------------


@pytest.fixture(scope="module")
def loopback_ca(tmp_path_factory: pytest.TempPathFactory) -> tuple[ssl.SSLContext, str]:
    """A throwaway CA's server context for 127.0.0.1, and its PEM file."""
    ca = trustme.CA()
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ca.issue_cert("127.0.0.1").configure_cert(context)
    pem = tmp_path_factory.mktemp("ca") / "ca.pem"
    ca.cert_pem.write_to_path(str(pem))
    return context, str(pem)


@pytest.fixture
def tls_server(
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    loopback_ca: tuple[ssl.SSLContext, str],
) -> Iterator[LoopbackServer]:
    isolate_aws_environment(monkeypatch, tmp_path)
    with running_server(tls=loopback_ca[0]) as started:
        yield started


class _OnePassFile:
    """A file object that can only be read forward (no seek, no tell)."""

    def __init__(self, data: bytes) -> None:
        self._data = data
        self._at = 0

    def read(self, size: int = -1) -> bytes:
        size = len(self._data) if size < 0 else size
        piece = self._data[self._at : self._at + size]
        self._at += len(piece)
        return piece


async def _pieces(data: bytes, step: int) -> AsyncIterator[bytes]:
    for start in range(0, len(data), step):
        yield data[start : start + step]


BIG = bytes(range(251)) * 10_000  # 2.4 MiB: two full 1 MiB aws-chunked frames


def _aws_chunked(data: bytes, trailer: bytes) -> bytes:
    """The aws-chunked framing of ``data`` in 1 MiB frames, with ``trailer``."""
    size = 1024 * 1024
    frames = b"".join(
        b"%x\r\n%s\r\n" % (len(data[i : i + size]), data[i : i + size])
        for i in range(0, len(data), size)
    )
    return frames + b"0\r\n" + trailer + b"\r\n\r\n"


@pytest.mark.parametrize("kind", ["bytes", "async iterable"])
def test_put_object_over_https_sends_botocores_aws_chunked_body_with_a_trailer(
    s3_package: ModuleType,
    tls_server: LoopbackServer,
    loopback_ca: tuple[ssl.SSLContext, str],
    kind: str,
) -> None:
    """Over https a streamed upload is not hashed before it is sent: its CRC32
    follows the body in the aws-chunked trailer (STREAMING-UNSIGNED-PAYLOAD-
    TRAILER), framed in 1 MiB chunks, as botocore frames it. A one-pass
    source (an async iterable of 100 000-byte pieces here, gathered into
    1 MiB frames; a file object read forward for botocore) has no length to
    announce (no X-Amz-Decoded-Content-Length)."""
    server = tls_server
    server.handler = lambda request: PUT_REPLY
    ca = loopback_ca[1]
    if kind == "bytes":
        mine_body: Any = BIG
        boto_body: Any = BIG
    else:
        mine_body = _pieces(BIG, 100_000)
        boto_body = _OnePassFile(BIG)

    async def put(client: Any) -> Any:
        return await client.put_object(
            bucket="my-bucket", key="big.bin", body=mine_body
        )

    async def run() -> Any:
        client = our_client(s3_package.S3Client, server, verify=ca)
        async with client:
            return await put(client)

    with frozen():
        mine = anyio.run(run)
        boto_client = botocore_client("s3", server, verify=ca)
        boto = boto_client.put_object(Bucket="my-bucket", Key="big.bin", Body=boto_body)
    first, second = server.requests
    crc = base64.b64encode(zlib.crc32(BIG).to_bytes(4, "big"))
    assert first.body == _aws_chunked(BIG, b"x-amz-checksum-crc32:" + crc)
    assert first.headers["x-amz-content-sha256"] == "STREAMING-UNSIGNED-PAYLOAD-TRAILER"
    assert first.headers["content-encoding"] == "aws-chunked"
    assert first.headers["x-amz-trailer"] == "x-amz-checksum-crc32"
    assert first.headers["transfer-encoding"] == "chunked"
    assert "content-length" not in first.headers
    if kind == "bytes":
        assert first.headers["x-amz-decoded-content-length"] == str(len(BIG))
    else:
        assert "x-amz-decoded-content-length" not in first.headers
    assert_same_requests(first, second)
    assert mine.e_tag == boto["ETag"]


def test_a_content_encoding_and_length_the_caller_gives_stay_as_botocore_keeps_them(
    s3_package: ModuleType,
    tls_server: LoopbackServer,
    loopback_ca: tuple[ssl.SSLContext, str],
) -> None:
    """The caller's Content-Encoding comes before aws-chunked; the caller's
    Content-Length of a one-pass stream becomes X-Amz-Decoded-Content-Length
    (the framed body's length is not known: chunked transfer)."""
    server = tls_server
    server.handler = lambda request: PUT_REPLY

    async def run() -> Any:
        client = s3_package.S3Client(
            region=REGION,
            endpoint_url=server.url,
            credentials=Credentials(ACCESS_KEY, SECRET_KEY),
            verify=loopback_ca[1],
        )
        async with client:
            return await client.put_object(
                bucket="my-bucket",
                key="a.gz",
                body=_pieces(b"\x1f\x8b...", 2),
                content_encoding="gzip",
                content_length=5,
            )

    with frozen():
        anyio.run(run)
        get_session().create_client(
            "s3",
            region_name=REGION,
            endpoint_url=server.url,
            aws_access_key_id=ACCESS_KEY,
            aws_secret_access_key=SECRET_KEY,
            verify=loopback_ca[1],
        ).put_object(
            Bucket="my-bucket",
            Key="a.gz",
            Body=_OnePassFile(b"\x1f\x8b..."),
            ContentEncoding="gzip",
            ContentLength=5,
        )
    first, second = server.requests
    assert first.headers["content-encoding"] == "gzip,aws-chunked"
    assert first.headers["x-amz-decoded-content-length"] == "5"
    assert_same_requests(first, second)


def test_a_checksum_the_caller_gives_is_sent_as_given_as_botocore(
    s3_package: ModuleType, server: LoopbackServer
) -> None:
    """A caller's x-amz-checksum-* header wins: nothing computed, no algorithm
    header added (aws_aws-core.rst: "MUST use the explicitly set header")."""
    server.handler = lambda request: PUT_REPLY
    given = _crc32(BODY)
    ours_and_theirs(
        s3_package,
        server,
        _put(BODY, checksum_crc32=given),
        "put_object",
        Bucket="my-bucket",
        Key="dir/hello.txt",
        Body=BODY,
        ChecksumCRC32=given,
    )
    first, second = server.requests
    assert first.headers["x-amz-checksum-crc32"] == given
    assert "x-amz-sdk-checksum-algorithm" not in first.headers
    assert_same_requests(first, second)


def test_an_upload_without_the_interim_100_is_sent_all_the_same(
    s3_package: ModuleType, server: LoopbackServer
) -> None:
    """httpx does not wait for "100 Continue" (RFC 9110 lets a client send
    the body at once): a server that never sends one gets the body too."""
    server.continue_expected = False
    server.handler = lambda request: PUT_REPLY
    mine = ours(s3_package, server, _put(BODY))
    (request,) = server.requests
    assert request.headers["expect"] == "100-continue"
    assert request.body == BODY
    assert server.interim_sent == 0
    assert mine.e_tag == '"5eb63bbbe01eeed093cb22bb8f5acdc3"'


VERSIONS_PAGE = (
    b'<?xml version="1.0" encoding="UTF-8"?>\n'
    b'<ListVersionsResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/">'
    b"<Name>my-bucket</Name><Prefix>a%2Fb+c</Prefix><KeyMarker>a%2Fb+c%2F0</KeyMarker>"
    b"<VersionIdMarker></VersionIdMarker><NextKeyMarker>a%2Fb+c%2F%0A</NextKeyMarker>"
    b"<NextVersionIdMarker>v2</NextVersionIdMarker><MaxKeys>2</MaxKeys>"
    b"<EncodingType>url</EncodingType><IsTruncated>true</IsTruncated>"
    b"<Version><Key>a%2Fb+c%2F%0A</Key><VersionId>v1</VersionId><IsLatest>true</IsLatest>"
    b"<LastModified>2024-05-06T07:08:09.000Z</LastModified><ETag>&quot;e&quot;</ETag>"
    b"<Size>3</Size><StorageClass>STANDARD</StorageClass></Version>"
    b"<DeleteMarker><Key>a%2Fb+c%2Fgone%25</Key><VersionId>v2</VersionId>"
    b"<IsLatest>true</IsLatest><LastModified>2024-05-06T07:08:09.000Z</LastModified>"
    b"</DeleteMarker></ListVersionsResult>"
)
OBJECTS_V1_PAGE = (
    b'<?xml version="1.0" encoding="UTF-8"?>\n'
    b'<ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/">'
    b"<Name>my-bucket</Name><Prefix>a%2Fb+c</Prefix><Marker>a%2F0</Marker>"
    b"<NextMarker>a%2Fb+c%2F%0A</NextMarker><MaxKeys>1</MaxKeys>"
    b"<EncodingType>url</EncodingType><IsTruncated>true</IsTruncated>"
    b"<Contents><Key>a%2Fb+c%2F%0A</Key>"
    b"<LastModified>2024-05-06T07:08:09.000Z</LastModified><ETag>&quot;e&quot;</ETag>"
    b"<Size>3</Size><StorageClass>STANDARD</StorageClass></Contents>"
    b"</ListBucketResult>"
)


@pytest.mark.parametrize(
    ("operation", "method", "page"),
    [
        ("ListObjectVersions", "list_object_versions", VERSIONS_PAGE),
        ("ListObjects", "list_objects", OBJECTS_V1_PAGE),
    ],
)
def test_the_other_listings_decode_the_members_botocore_decodes(
    s3_package: ModuleType,
    server: LoopbackServer,
    operation: str,
    method: str,
    page: bytes,
) -> None:
    """botocore decodes each listing's own set of members (ListObjects leaves
    its Prefix encoded): the outputs are compared member by member."""
    server.handler = lambda request: Reply(200, page, XML)
    mine, boto = ours_and_theirs(
        s3_package,
        server,
        lambda c: getattr(c, method)(bucket="my-bucket", prefix="a/b c"),
        method,
        Bucket="my-bucket",
        Prefix="a/b c",
    )
    first, second = server.requests
    assert "encoding-type=url" in path_and_query(first.target)[1]
    assert_same_requests(first, second)
    _output(mine, boto, operation)


def test_when_required_a_caller_who_asks_for_the_checksum_gets_it_checked(
    s3_package: ModuleType,
    server: LoopbackServer,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """ChecksumMode=ENABLED given by the caller: asked for and checked, as
    botocore checks it, whatever response_checksum_validation says."""
    monkeypatch.setenv("AWS_RESPONSE_CHECKSUM_VALIDATION", "when_required")
    server.handler = lambda request: _object_reply(_crc32(b"other bytes"))

    async def get(client: Any) -> Any:
        output = await client.get_object(
            bucket="my-bucket", key="blob.bin", checksum_mode="ENABLED"
        )
        try:
            async with output.body as stream:
                await stream.read()
        except FlexibleChecksumError as error:
            return error
        return None

    with frozen():
        mine = ours(s3_package, server, get)
        boto = theirs(
            botocore_s3(server),
            "get_object",
            Bucket="my-bucket",
            Key="blob.bin",
            ChecksumMode="ENABLED",
        )
        with pytest.raises(BotocoreChecksumError):
            boto["Body"].read()
    first, second = server.requests
    assert first.headers["x-amz-checksum-mode"] == "ENABLED"
    assert_same_requests(first, second)
    assert isinstance(mine, FlexibleChecksumError)


def test_a_refusal_sent_before_the_body_is_lost_when_the_server_closes_at_once(
    s3_package: ModuleType, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """What Expect: 100-continue cannot do with httpx, recorded.

    botocore waits (up to a second) for "100 Continue" and reads a refusal
    sent instead without sending the body. httpx sends the body at once: a
    server that answers 403 and closes without reading it resets the
    connection under the body still being written, and the refusal is lost
    with it (httpcore reads on after the write error, and finds the reset).
    The client raises a TransportError, not AccessDenied. A server that
    reads the body (or drains it) before closing is answered normally.
    """
    isolate_aws_environment(monkeypatch, tmp_path)
    listener = socket.create_server(("127.0.0.1", 0))
    refusal = b"<Error><Code>AccessDenied</Code><Message>no</Message></Error>"

    def refuse_and_close() -> None:
        conn, _ = listener.accept()
        head = b""
        while b"\r\n\r\n" not in head:
            head += conn.recv(65536)
        conn.sendall(
            b"HTTP/1.1 403 Forbidden\r\nContent-Length: %d\r\n"
            b"Connection: close\r\n\r\n%s" % (len(refusal), refusal)
        )
        time.sleep(0.2)
        conn.close()  # unread bytes in its buffer: the kernel sends a reset

    thread = threading.Thread(target=refuse_and_close, daemon=True)
    thread.start()

    async def run() -> Any:
        client = s3_package.S3Client(
            region=REGION,
            endpoint_url=f"http://127.0.0.1:{listener.getsockname()[1]}",
            credentials=Credentials(ACCESS_KEY, SECRET_KEY),
            retry=RetryConfig(max_attempts=1),
        )
        async with client:
            return await client.put_object(
                bucket="my-bucket", key="big.bin", body=b"x" * (16 * 1024 * 1024)
            )

    try:
        with pytest.raises(TransportError):
            anyio.run(run)
    finally:
        thread.join(timeout=5)
        listener.close()
