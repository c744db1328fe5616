"""Request checksums and response checksum validation (smithygen_runtime._checksums).

aws_aws-core.rst, ``aws.protocols#httpChecksum`` "Client behavior"; the
settings as botocore reads them. The runtime applies checksums to whatever
protocol the operation speaks: these tests use the awsJson demo service with
operation specs carrying a ``ChecksumSpec``; S3 itself (restXml, streamed
bodies, aws-chunked trailers) is compared with botocore in
tests/equivalence/test_s3_equivalence.py.
"""

from __future__ import annotations

import base64
import hashlib
import sys
import types
import zlib
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import attrs
import httpx
import pytest
from smithygen_runtime import (
    BlobBody,
    ChecksumSpec,
    ConfigurationError,
    FlexibleChecksumError,
    OperationSpec,
    ResponseParseError,
    ServiceError,
    ValidationError,
)
from smithygen_runtime._checksums import (
    AwsChunkedBody,
    _crt_checksums,
    new_checksum,
    supported_algorithms,
)

from tests.runtime.conftest import Recorder, json_response
from tests.runtime.demo_service import (
    CREDENTIALS,
    GET_THING,
    DemoClient,
    GetThingInput,
    GetThingOutput,
)

pytestmark = pytest.mark.anyio

ALGORITHM_HEADER = "x-amz-sdk-checksum-algorithm"
DEMO_URL = "https://demo.example.com"
# The demo input's Name stands for an algorithm member (S3's ChecksumAlgorithm).
FLEXIBLE: OperationSpec[GetThingInput, GetThingOutput] = attrs.evolve(
    GET_THING,
    checksum=ChecksumSpec(algorithm_key="Name", algorithm_header=ALGORITHM_HEADER),
)
REQUIRED_FLEXIBLE = attrs.evolve(
    FLEXIBLE,
    checksum=attrs.evolve(FLEXIBLE.checksum, request_required=True),
)
MD5_REQUIRED = attrs.evolve(GET_THING, checksum_required=True)
VALIDATED = attrs.evolve(
    GET_THING,
    checksum=ChecksumSpec(
        mode_key="ChecksumMode",
        mode_header="x-amz-checksum-mode",
        response_algorithms=("crc32", "sha256", "md5"),
    ),
)


def b64(digest: bytes) -> str:
    return base64.b64encode(digest).decode()


def crc32(data: bytes) -> str:
    return b64(zlib.crc32(data).to_bytes(4, "big"))


async def call(
    operation: OperationSpec[Any, Any],
    input: GetThingInput,
    response: httpx.Response | None = None,
    **options: Any,
) -> tuple[httpx.Request, Any]:
    """One call over a MockTransport: the request sent, and the output."""
    recorder = Recorder(response or json_response(200, {"Items": ["a"]}))
    http = httpx.AsyncClient(transport=httpx.MockTransport(recorder))
    try:
        async with DemoClient(
            region="us-east-1",
            endpoint_url="https://demo.example.com",
            credentials=CREDENTIALS,
            http_client=http,
            max_attempts=1,
            **options,
        ) as client:
            output = await client._invoke(operation, input)
    finally:
        await http.aclose()
    (request,) = recorder.requests
    return request, output


# --- request checksums ----------------------------------------------------------------


async def test_an_operation_that_supports_a_checksum_gets_crc32_by_default() -> None:
    request, _ = await call(FLEXIBLE, GetThingInput(max_results=5))
    assert request.headers["x-amz-checksum-crc32"] == crc32(request.content)
    # The algorithm member's header names the default the client chose.
    assert request.headers[ALGORITHM_HEADER] == "CRC32"


@pytest.mark.parametrize(
    ("chosen", "header", "digest"),
    [
        ("SHA256", "x-amz-checksum-sha256", hashlib.sha256),
        ("sha1", "x-amz-checksum-sha1", hashlib.sha1),
        ("SHA512", "x-amz-checksum-sha512", hashlib.sha512),
    ],
)
async def test_the_algorithm_the_caller_names_is_computed(
    chosen: str, header: str, digest: Any
) -> None:
    request, _ = await call(FLEXIBLE, GetThingInput(name=chosen))
    assert request.headers[header] == b64(digest(request.content).digest())
    assert "x-amz-checksum-crc32" not in request.headers
    # Only a default is written into the header by the client.
    assert ALGORITHM_HEADER not in request.headers


async def test_when_required_sends_a_checksum_only_where_one_is_required() -> None:
    options = {"request_checksum_calculation": "when_required"}
    supported, _ = await call(FLEXIBLE, GetThingInput(), **options)
    required, _ = await call(REQUIRED_FLEXIBLE, GetThingInput(), **options)
    assert not [h for h in supported.headers if h.startswith("x-amz-checksum")]
    assert ALGORITHM_HEADER not in supported.headers
    assert required.headers["x-amz-checksum-crc32"] == crc32(required.content)
    # A named algorithm is honoured whatever the setting.
    chosen, _ = await call(FLEXIBLE, GetThingInput(name="SHA1"), **options)
    assert "x-amz-checksum-sha1" in chosen.headers


async def test_http_checksum_required_alone_is_the_specs_content_md5() -> None:
    """http-bindings.rst, httpChecksumRequired: MD5 in Content-MD5 by default
    (botocore >= 1.36 sends CRC32 instead; see the module docstring of
    smithygen_runtime._checksums)."""
    request, _ = await call(MD5_REQUIRED, GetThingInput(name="x"))
    md5 = hashlib.md5(request.content, usedforsecurity=False).digest()
    assert request.headers["Content-MD5"] == b64(md5)
    assert not [h for h in request.headers if h.startswith("x-amz-checksum")]


@pytest.mark.parametrize("chosen", ["MD4", "MD5", "crc33", "x" * 100])
async def test_an_algorithm_no_library_computes_is_refused_before_sending(
    chosen: str,
) -> None:
    """MD5 is refused as a flexible checksum too, as botocore refuses it."""
    recorder = Recorder(json_response(200, {}))
    http = httpx.AsyncClient(transport=httpx.MockTransport(recorder))
    async with DemoClient(
        region="us-east-1",
        endpoint_url="https://demo.example.com",
        credentials=CREDENTIALS,
        http_client=http,
    ) as client:
        with pytest.raises(ValidationError) as caught:
            await client._invoke(FLEXIBLE, GetThingInput(name=chosen))
    await http.aclose()
    assert recorder.requests == []
    assert (caught.value.path, caught.value.rule) == ("Name", "enum")
    assert "unsupported checksum algorithm" in str(caught.value)
    assert "x" * 41 not in str(caught.value)  # a long value is not echoed whole


def _forget_awscrt() -> None:
    """Look awscrt up again (the runtime looks once and remembers)."""
    _crt_checksums.cache_clear()
    supported_algorithms.cache_clear()


@pytest.fixture
def without_awscrt(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """The AWS Common Runtime not installed (whether or not it is here)."""
    monkeypatch.setitem(sys.modules, "awscrt", None)
    _forget_awscrt()
    yield
    monkeypatch.undo()
    _forget_awscrt()


@pytest.mark.parametrize("chosen", ["CRC32C", "CRC64NVME", "XXHASH64", "XXHASH128"])
@pytest.mark.usefixtures("without_awscrt")
async def test_a_crt_algorithm_without_awscrt_says_what_to_install(
    chosen: str,
) -> None:
    with pytest.raises(ConfigurationError) as caught:
        await call(FLEXIBLE, GetThingInput(name=chosen))
    message = str(caught.value)
    assert chosen in message
    assert "pip install 'smithygen-runtime[crt]'" in message


def _reflected_crc(data: bytes, poly: int, bits: int, previous: int = 0) -> int:
    """A bitwise reflected CRC (init and final XOR all ones), for reference."""
    mask = (1 << bits) - 1
    crc = previous ^ mask
    for byte in data:
        crc ^= byte
        for _ in range(8):
            crc = (crc >> 1) ^ (poly if crc & 1 else 0)
    return crc ^ mask


@pytest.fixture
def stand_in_awscrt(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """An ``awscrt.checksums`` with awscrt's call signatures, in pure Python.

    The CRCs are checked against their catalogued check values first, so
    what the tests compare with is right (CRC-32C: 0xE3069283, CRC-64/NVME:
    0xAE8B14860A799888, both of b"123456789").
    """
    checksums = types.ModuleType("awscrt.checksums")
    checksums.crc32c = lambda data, prev=0: _reflected_crc(data, 0x82F63B78, 32, prev)  # type: ignore[attr-defined]
    checksums.crc64nvme = lambda data, prev=0: _reflected_crc(  # type: ignore[attr-defined]
        data, 0x9A6C9329AC4BC9B5, 64, prev
    )
    assert checksums.crc32c(b"123456789") == 0xE3069283  # type: ignore[attr-defined]
    assert checksums.crc64nvme(b"123456789") == 0xAE8B14860A799888  # type: ignore[attr-defined]
    # Chained over pieces as the runtime feeds them.
    assert checksums.crc32c(b"6789", checksums.crc32c(b"12345")) == 0xE3069283  # type: ignore[attr-defined]
    package = types.ModuleType("awscrt")
    package.checksums = checksums  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "awscrt", package)
    monkeypatch.setitem(sys.modules, "awscrt.checksums", checksums)
    _forget_awscrt()
    yield
    monkeypatch.undo()
    _forget_awscrt()


@pytest.mark.usefixtures("stand_in_awscrt")
@pytest.mark.parametrize(
    ("chosen", "poly", "bits"),
    [("CRC32C", 0x82F63B78, 32), ("CRC64NVME", 0x9A6C9329AC4BC9B5, 64)],
)
async def test_with_awscrt_the_crt_algorithms_are_computed(
    chosen: str, poly: int, bits: int
) -> None:
    request, _ = await call(FLEXIBLE, GetThingInput(name=chosen))
    value = _reflected_crc(request.content, poly, bits)
    expected = b64(value.to_bytes(bits // 8, "big"))
    assert request.headers[f"x-amz-checksum-{chosen.lower()}"] == expected
    # XXHASH needs a newer awscrt than the stand-in offers: refused as missing.
    assert supported_algorithms() == (
        "crc64nvme",
        "crc32c",
        "crc32",
        "sha1",
        "sha256",
        "sha512",
    )


# --- aws-chunked framing ------------------------------------------------------------


async def _joined(chunks: AsyncIterator[bytes]) -> bytes:
    return b"".join([chunk async for chunk in chunks])


async def _source(pieces: list[bytes]) -> AsyncIterator[bytes]:
    for piece in pieces:
        yield piece


async def test_aws_chunked_gathers_small_pieces_into_one_mib_frames() -> None:
    """S3 wants every chunk but the last to be 8 KiB at least: pieces an
    async iterable yields are gathered into botocore's 1 MiB frames."""
    mib = 1024 * 1024
    data = bytes(range(256)) * (mib // 256) + b"tail"
    body = AwsChunkedBody(
        BlobBody(_source([data[i : i + 1000] for i in range(0, len(data), 1000)])),
        "crc32",
        "x-amz-checksum-crc32",
    )
    framed = await _joined(body.open())
    trailer = f"x-amz-checksum-crc32:{crc32(data)}".encode()
    assert framed == (
        b"100000\r\n" + data[:mib] + b"\r\n4\r\ntail\r\n0\r\n" + trailer + b"\r\n\r\n"
    )
    assert await body.payload_hash(unsigned_allowed=False) == (
        "STREAMING-UNSIGNED-PAYLOAD-TRAILER"
    )
    assert body.length is None and not body.replayable


async def test_an_empty_aws_chunked_body_is_its_trailer_and_replays() -> None:
    body = AwsChunkedBody(BlobBody(b""), "sha256", "x-amz-checksum-sha256")
    empty_sha = b64(hashlib.sha256(b"").digest())
    expected = f"0\r\nx-amz-checksum-sha256:{empty_sha}\r\n\r\n".encode()
    assert await _joined(body.open()) == expected
    assert body.replayable
    assert await _joined(body.open()) == expected  # a retry frames it afresh


def test_a_file_body_is_checksummed_from_where_it_stands_and_rewound(
    tmp_path: Path,
) -> None:
    path = tmp_path / "f.bin"
    path.write_bytes(b"headerpayload")
    with path.open("rb") as file:
        file.seek(6)
        read = BlobBody(file).file_reader()
        assert read is not None
        assert b"".join(read()) == b"payload"
        assert file.tell() == 6


# --- response checksums -------------------------------------------------------------

ITEMS = b'{"Items": ["a", "b"]}'


def _reply(status: int = 200, body: bytes = ITEMS, **headers: str) -> httpx.Response:
    return httpx.Response(
        status,
        content=body,
        headers={
            "Content-Type": "application/x-amz-json-1.1",
            "x-amzn-RequestId": "req-7",
            **{k.replace("_", "-"): v for k, v in headers.items()},
        },
    )


async def test_the_validation_mode_is_sent_and_a_matching_checksum_passes() -> None:
    request, output = await call(
        VALIDATED, GetThingInput(), _reply(x_amz_checksum_crc32=crc32(ITEMS))
    )
    assert request.headers["x-amz-checksum-mode"] == "ENABLED"
    assert output.items == ["a", "b"]


@pytest.mark.parametrize(
    "expected",
    [crc32(b"something else"), "not base64 at all!", "AAAA" * 40, "\x1b[2J"],
)
async def test_a_body_that_does_not_match_its_checksum_is_flexible_checksum_error(
    expected: str,
) -> None:
    """Corrupted, or a hostile header: a typed error, never a traceback."""
    with pytest.raises(FlexibleChecksumError) as caught:
        await call(VALIDATED, GetThingInput(), _reply(x_amz_checksum_crc32=expected))
    error = caught.value
    assert isinstance(error, ResponseParseError)
    assert (error.algorithm, error.actual) == ("crc32", crc32(ITEMS))
    assert (error.status_code, error.request_id) == (200, "req-7")
    assert "\x1b" not in str(error)
    assert len(str(error)) < 300


async def test_the_first_algorithm_in_botocores_order_is_the_one_checked() -> None:
    """crc32 before sha256; a wrong sha256 beside a right crc32 is not looked at."""
    _, output = await call(
        VALIDATED,
        GetThingInput(),
        _reply(x_amz_checksum_sha256="AAAA", x_amz_checksum_crc32=crc32(ITEMS)),
    )
    assert output.items == ["a", "b"]
    with pytest.raises(FlexibleChecksumError) as caught:
        await call(VALIDATED, GetThingInput(), _reply(x_amz_checksum_sha256="AAAA"))
    assert caught.value.algorithm == "sha256"


async def test_checksums_that_are_not_checked() -> None:
    """A multipart object's checksum of checksums ("-N"), an algorithm the
    trait does not list (sha1), or one the runtime does not compute (md5)."""
    for headers in (
        {"x_amz_checksum_crc32": "AAAAAA==-12"},
        {"x_amz_checksum_sha1": "AAAA"},
        {"x_amz_checksum_md5": "AAAA"},
    ):
        _, output = await call(VALIDATED, GetThingInput(), _reply(**headers))
        assert output.items == ["a", "b"]


async def test_when_required_asks_for_no_checksum_and_checks_none() -> None:
    request, output = await call(
        VALIDATED,
        GetThingInput(),
        _reply(x_amz_checksum_crc32="AAAAAA=="),
        response_checksum_validation="WHEN_REQUIRED",  # any case, as botocore
    )
    assert "x-amz-checksum-mode" not in request.headers
    assert output.items == ["a", "b"]


async def test_an_error_response_is_the_service_error_whatever_its_checksum() -> None:
    body = b'{"__type": "ThingNotFound", "message": "gone"}'
    with pytest.raises(ServiceError) as caught:
        await call(
            VALIDATED,
            GetThingInput(),
            _reply(400, body, x_amz_checksum_crc32="AAAAAA=="),
        )
    assert caught.value.code == "ThingNotFound"


def test_new_checksum_matches_the_standard_library() -> None:
    checksum = new_checksum("crc32")
    checksum.update(b"1234")
    checksum.update(b"56789")
    assert checksum.digest() == (0xCBF43926).to_bytes(4, "big")


# --- the settings -------------------------------------------------------------------


@pytest.mark.parametrize(
    "variable", ["AWS_REQUEST_CHECKSUM_CALCULATION", "AWS_RESPONSE_CHECKSUM_VALIDATION"]
)
def test_a_bad_environment_value_is_refused_when_the_client_is_made(
    variable: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(variable, "sometimes")
    with pytest.raises(ConfigurationError) as caught:
        DemoClient(region="us-east-1", credentials=CREDENTIALS, endpoint_url=DEMO_URL)
    message = str(caught.value)
    assert variable in message
    assert "when_supported or when_required" in message
    assert "'sometimes'" in message


def test_a_bad_argument_is_refused_naming_it() -> None:
    with pytest.raises(ConfigurationError, match="request_checksum_calculation"):
        DemoClient(region="us-east-1", request_checksum_calculation="always")
    with pytest.raises(ConfigurationError, match="response_checksum_validation"):
        DemoClient(region="us-east-1", response_checksum_validation=True)  # type: ignore[arg-type]


async def test_the_profile_sets_them_and_the_environment_wins(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The runtime tests' AWS_CONFIG_FILE is tmp_path / "config" (conftest)."""
    (tmp_path / "config").write_text(
        "[default]\nrequest_checksum_calculation = when_required\n"
        "response_checksum_validation = WHEN_REQUIRED\n"
        "[profile bad]\nresponse_checksum_validation = never\n"
    )
    client = DemoClient(
        region="us-east-1", credentials=CREDENTIALS, endpoint_url=DEMO_URL
    )
    settings = await client.resolve_configuration()
    assert settings.request_checksum_calculation == "when_required"
    assert settings.response_checksum_validation == "when_required"
    assert settings.sources["request_checksum_calculation"].startswith(
        "request_checksum_calculation in profile 'default'"
    )
    await client.aclose()
    monkeypatch.setenv("AWS_REQUEST_CHECKSUM_CALCULATION", "when_supported")
    client = DemoClient(
        region="us-east-1", credentials=CREDENTIALS, endpoint_url=DEMO_URL
    )
    settings = await client.resolve_configuration()
    assert settings.request_checksum_calculation == "when_supported"
    await client.aclose()
    bad = DemoClient(
        region="us-east-1",
        credentials=CREDENTIALS,
        profile="bad",
        endpoint_url=DEMO_URL,
    )
    with pytest.raises(ConfigurationError) as caught:
        await bad.resolve_configuration()
    assert "response_checksum_validation from" in str(caught.value)
    assert "profile 'bad'" in str(caught.value)


async def test_the_defaults_are_botocores() -> None:
    client = DemoClient(
        region="us-east-1", credentials=CREDENTIALS, endpoint_url=DEMO_URL
    )
    settings = await client.resolve_configuration()
    await client.aclose()
    assert settings.request_checksum_calculation == "when_supported"
    assert settings.response_checksum_validation == "when_supported"
