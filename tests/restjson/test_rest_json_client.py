"""restJson1 clients beyond the protocol suite: service customizations, the
bindings' edge cases, and bad responses as typed errors.

The client is generated from ``model/vaults.smithy`` (a Glacier-like service
under Glacier's sdkId) and driven over ``httpx.MockTransport``.
"""

from __future__ import annotations

import hashlib
import importlib
import io
import json
import sys
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from types import ModuleType
from typing import Any

import anyio
import httpx
import pytest
from botocore.utils import calculate_tree_hash
from smithygen.generate import generate
from smithygen_runtime import (
    Credentials,
    ResponseParseError,
    RetryConfig,
    ValidationError,
)

MODEL = Path(__file__).resolve().parent / "model" / "vaults.smithy"
CREDENTIALS = Credentials("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY")
HELLO_SHA256 = "b94d27b9934d3e08a52e52d7da7dabfac484efe37a5380ee9088f7ace2efcde9"


@pytest.fixture(scope="module")
def vaults(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ModuleType]:
    out = tmp_path_factory.mktemp("restjson-vaults")
    generate([MODEL], service="example.vaults#Vaults", package="rj_vaults", out=out)
    sys.path.insert(0, str(out))
    importlib.invalidate_caches()
    yield importlib.import_module("rj_vaults")
    sys.path.remove(str(out))
    for name in [m for m in sys.modules if m.startswith("rj_vaults")]:
        del sys.modules[name]


Handler = Callable[[httpx.Request], httpx.Response]


def call(
    vaults: ModuleType, method: str, handler: Handler, **kwargs: Any
) -> tuple[Any, list[httpx.Request]]:
    """Call ``method`` on a client whose every response ``handler`` makes."""
    sent: list[httpx.Request] = []

    def record(request: httpx.Request) -> httpx.Response:
        sent.append(request)
        return handler(request)

    async def run() -> Any:
        http = httpx.AsyncClient(transport=httpx.MockTransport(record))
        client = vaults.GlacierClient(
            region="us-east-1",
            endpoint_url="https://glacier.example.com",
            credentials=CREDENTIALS,
            http_client=http,
            retry=RetryConfig(max_attempts=1),
        )
        try:
            async with client:
                return await getattr(client, method)(**kwargs)
        finally:
            await http.aclose()

    return anyio.run(run), sent


def answer(status: int = 200, body: bytes = b"", **headers: str) -> Handler:
    return lambda request: httpx.Response(status, headers=headers, content=body)


# --- Glacier ------------------------------------------------------------------------


def test_glacier_uploads_carry_the_version_header_and_both_checksums(
    vaults: ModuleType,
) -> None:
    """The suite's GlacierChecksums case, on a non-streaming payload."""
    out, (request,) = call(
        vaults,
        "upload_archive",
        answer(201, **{"x-amz-archive-id": "arch-1"}),
        account_id="foo",
        vault_name="bar",
        body=b"hello world",
    )
    assert request.url.raw_path == b"/foo/vaults/bar/archives"
    assert request.headers["X-Amz-Glacier-Version"] == "2012-06-01"
    assert request.headers["X-Amz-Content-Sha256"] == HELLO_SHA256
    assert request.headers["X-Amz-Sha256-Tree-Hash"] == HELLO_SHA256
    assert request.headers["Content-Type"] == "application/octet-stream"
    assert (out.archive_id, out.status) == ("arch-1", 201)


def test_an_empty_glacier_account_id_is_sent_as_a_hyphen(vaults: ModuleType) -> None:
    _, (request,) = call(
        vaults, "upload_archive", answer(201), account_id="", vault_name="bar"
    )
    assert request.url.raw_path == b"/-/vaults/bar/archives"
    assert "X-Amz-Sha256-Tree-Hash" not in request.headers  # no body, no checksum


def test_the_tree_hash_of_a_multi_megabyte_body_is_botocores(
    vaults: ModuleType,
) -> None:
    body = bytes(range(256)) * (4096 * 3 + 17)  # 3 MiB and a bit: four leaves
    _, (request,) = call(
        vaults, "upload_archive", answer(201), account_id="-", vault_name="v", body=body
    )
    assert request.headers["X-Amz-Sha256-Tree-Hash"] == calculate_tree_hash(
        io.BytesIO(body)
    )
    assert request.headers["X-Amz-Content-Sha256"] == hashlib.sha256(body).hexdigest()


def test_a_tree_hash_the_caller_gives_is_kept(vaults: ModuleType) -> None:
    _, (request,) = call(
        vaults,
        "upload_archive",
        answer(201),
        account_id="-",
        vault_name="v",
        checksum="abc123",
        body=b"x",
    )
    assert request.headers["X-Amz-Sha256-Tree-Hash"] == "abc123"


def test_every_glacier_request_carries_the_version_header(vaults: ModuleType) -> None:
    out, (request,) = call(
        vaults, "describe_vault", answer(200, b'{"sizeInBytes": 5}'), vault_name="v"
    )
    assert request.headers["X-Amz-Glacier-Version"] == "2012-06-01"
    assert "Content-Type" not in request.headers and request.content == b""
    assert out.size_in_bytes == 5


# --- bindings -----------------------------------------------------------------------


def test_a_greedy_label_keeps_its_slashes_and_dot_segments(vaults: ModuleType) -> None:
    """http-bindings.rst "Greedy labels"; "." and ".." stay in the path (as %2E),
    where httpx would otherwise remove them (RFC 3986 dot-segment removal)."""
    _, (request,) = call(
        vaults,
        "get_object",
        answer(200, b"{}"),
        key="/a/./b c/../d",
        since=datetime(2019, 12, 16, 23, 48, 18, tzinfo=UTC),
        tags=["x y", "z&w"],
    )
    assert request.url.raw_path == (
        b"/objects//a/%2E/b%20c/%2E%2E/d"
        b"?versions&since=2019-12-16T23%3A48%3A18Z&tag=x%20y&tag=z%26w"
    )


def test_every_call_goes_to_its_own_path_as_paths_repeat_and_vary(
    vaults: ModuleType,
) -> None:
    """The router keeps the last 256 URLs it joined (a restJson1 path joined to
    the endpoint is parsed once, not per call): 300 labels, then repeats of the
    first and last, and a query-string path between them, each go to their own."""
    names = [f"vault-{i}" for i in range(300)] + ["vault-0", "vault-299", "vault-0"]
    sent: list[httpx.Request] = []

    def record(request: httpx.Request) -> httpx.Response:
        sent.append(request)
        return httpx.Response(200, content=b"{}")

    async def run() -> None:
        http = httpx.AsyncClient(transport=httpx.MockTransport(record))
        async with vaults.GlacierClient(
            region="us-east-1",
            endpoint_url="https://glacier.example.com/base",
            credentials=CREDENTIALS,
            http_client=http,
        ) as client:
            for name in names:
                await client.describe_vault(vault_name=name)
            await client.get_object(key="k")
            await client.describe_vault(vault_name="vault-0")
        await http.aclose()

    anyio.run(run)
    expected = [f"/base/vaults/{name}" for name in names]
    expected += ["/base/objects/k?versions", "/base/vaults/vault-0"]
    assert [request.url.raw_path.decode() for request in sent] == expected
    assert {request.url.host for request in sent} == {"glacier.example.com"}


def test_headers_prefix_headers_and_json_names_are_read_into_the_output(
    vaults: ModuleType,
) -> None:
    response = httpx.Response(
        200,
        headers=[
            ("X-Count", "12"),
            ("X-Modified", "Mon, 16 Dec 2019 23:48:18 GMT"),
            ("X-Meta-Color", "blue"),
            ("x-meta-size", "L"),
        ],
        content=json.dumps({"Display": "shown", "display": "not this"}).encode(),
    )
    out, _ = call(vaults, "get_object", lambda request: response, key="k")
    assert out.count == 12
    assert out.modified == datetime(2019, 12, 16, 23, 48, 18, tzinfo=UTC)
    assert out.meta == {"Color": "blue", "size": "L"}
    assert out.display == "shown"


def test_an_empty_label_is_a_validation_error_before_sending(
    vaults: ModuleType,
) -> None:
    with pytest.raises(ValidationError, match="vault_name") as caught:
        call(vaults, "describe_vault", answer(200), vault_name="")
    assert caught.value.rule == "length"


def test_a_header_of_the_wrong_type_is_a_parse_error_naming_it(
    vaults: ModuleType,
) -> None:
    with pytest.raises(ResponseParseError, match="header X-Count") as caught:
        call(
            vaults,
            "get_object",
            answer(200, b"{}", **{"X-Count": "twelve", "x-amzn-requestid": "r-1"}),
            key="k",
        )
    assert caught.value.request_id == "r-1"
    assert caught.value.status_code == 200


def test_an_error_reads_its_header_bound_members(vaults: ModuleType) -> None:
    with pytest.raises(vaults.ObjectGone) as caught:
        call(
            vaults,
            "get_object",
            answer(
                410,
                b'{"message": "gone"}',
                **{
                    "X-Amzn-Errortype": "ObjectGone:http://internal/",
                    "X-Gone-Since": "Mon, 16 Dec 2019 23:48:18 GMT",
                },
            ),
            key="k",
        )
    error = caught.value
    assert (error.code, error.message, error.status_code) == ("ObjectGone", "gone", 410)
    assert error.gone_since == datetime(2019, 12, 16, 23, 48, 18, tzinfo=UTC)


def test_an_error_type_in_the_header_wins_over_a_body_code(vaults: ModuleType) -> None:
    """aws-restjson1-protocol.rst "Operation error serialization": a body ``code``
    may be a member (Glacier's errors have one); the header names the type."""
    with pytest.raises(vaults.ObjectGone):
        call(
            vaults,
            "describe_vault",
            answer(
                410,
                b'{"code": "SomethingElse", "message": "m"}',
                **{"X-Amzn-Errortype": "ObjectGone"},
            ),
            vault_name="v",
        )


def test_an_error_body_that_is_not_json_is_still_a_typed_error(
    vaults: ModuleType,
) -> None:
    with pytest.raises(vaults.UnknownGlacierError) as caught:
        call(
            vaults,
            "describe_vault",
            answer(502, b"<html>bad gateway</html>"),
            vault_name="v",
        )
    assert caught.value.code == "502"
    assert caught.value.fault == "server"


def test_a_restjson1_package_needs_the_http_bindings_contract(
    vaults: ModuleType,
) -> None:
    """Contract 1.3 added HttpBinding / HttpMember, 1.10 the deserializer tables,
    which this package's outputs use too: it asks 1.10 and refuses 1.9."""
    import smithygen_runtime

    version = importlib.import_module("rj_vaults.version")
    assert version.RUNTIME_CONTRACT == "1.10"
    assert version._compatible(smithygen_runtime.CONTRACT_VERSION)
    assert not version._compatible("1.9")


@pytest.mark.parametrize("value", ["abc\r\nX-Injected: 1", "caf\u00e9", "a\x00b"])
def test_a_header_value_no_header_can_carry_is_a_validation_error(
    vaults: ModuleType, value: str
) -> None:
    """Never a header injection, never a UnicodeEncodeError from httpx, and the
    value (a header may carry a token) is not echoed."""
    with pytest.raises(ValidationError, match="checksum") as caught:
        call(
            vaults,
            "upload_archive",
            answer(201),
            account_id="-",
            vault_name="v",
            checksum=value,
        )
    assert caught.value.rule == "header"
    assert value not in str(caught.value)
