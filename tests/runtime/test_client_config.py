"""Client options, region lookup and lifecycle (aclose, injected clients)."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import anyio
import httpx
import pytest
from smithygen_runtime import (
    BaseClient,
    ConfigurationError,
    RetryConfig,
    Timeouts,
)
from smithygen_runtime._endpoints import ResolvedEndpoint

from tests.runtime.conftest import Recorder, json_response
from tests.runtime.demo_service import CREDENTIALS, DemoClient

MakeClient = Callable[..., DemoClient]
URL = "https://demo.example.com"


async def _ready(client: DemoClient) -> DemoClient:
    await client.resolve_configuration()
    return client


async def _region(client: DemoClient) -> str:
    return (await client.resolve_configuration()).region


@pytest.mark.anyio
async def test_region_comes_from_argument_then_aws_region_then_default_region(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("AWS_DEFAULT_REGION", "eu-central-1")
    assert await _region(DemoClient(endpoint_url=URL)) == "eu-central-1"
    # AWS_REGION: the documented difference from botocore, which ignores it.
    monkeypatch.setenv("AWS_REGION", "eu-west-3")
    assert await _region(DemoClient(endpoint_url=URL)) == "eu-west-3"
    client = DemoClient(endpoint_url=URL, region="ap-south-1")
    assert await _region(client) == "ap-south-1"


@pytest.mark.anyio
async def test_region_comes_from_the_profile(
    monkeypatch: pytest.MonkeyPatch, tmp_path: pytest.TempPathFactory
) -> None:
    config = tmp_path / "config"  # type: ignore[operator]
    config.write_text(
        "[default]\nregion = us-west-2\n[profile other]\nregion = sa-east-1\n"
    )
    monkeypatch.setenv("AWS_CONFIG_FILE", str(config))
    # The profile is read on first use, in a worker thread.
    assert await _region(DemoClient(endpoint_url=URL)) == "us-west-2"
    assert await _region(DemoClient(endpoint_url=URL, profile="other")) == "sa-east-1"
    with pytest.raises(ConfigurationError, match="profile 'missing'"):
        await _region(DemoClient(endpoint_url=URL, profile="missing"))


@pytest.mark.anyio
async def test_missing_region_names_every_way_to_set_it() -> None:
    recorder = Recorder(json_response(200, {}))
    http = httpx.AsyncClient(transport=httpx.MockTransport(recorder))
    client = DemoClient(endpoint_url=URL, credentials=CREDENTIALS, http_client=http)
    with pytest.raises(ConfigurationError) as info:
        await client.get_thing()
    assert recorder.requests == []
    message = str(info.value)
    for way in ("region=", "AWS_REGION", "AWS_DEFAULT_REGION", "profile"):
        assert way in message


@pytest.mark.parametrize(
    ("options", "fragment"),
    [
        ({"max_attempts": 0}, "max_attempts"),
        ({"max_attempts": True}, "max_attempts"),
        ({"deadline": -1}, "deadline"),
        ({"deadline": float("nan")}, "deadline"),
        ({"timeout": 0}, "connect"),
        ({"timeout": "5"}, "timeout"),
        ({"validate": "yes"}, "validate"),
        ({"region": ""}, "region"),
        ({"region": "not a region!"}, "region"),
        ({"region": "us-east-1/../x"}, "region"),
        ({"retry": {"max_attempts": 2}}, "RetryConfig"),
        ({"http_client": object()}, "http_client"),
        ({"verify": 3}, "verify"),
        ({"verify": ""}, "verify"),
        ({"retry_mode": "bogus"}, "retry_mode"),
        ({"user_agent_extra": 5}, "user_agent_extra"),
        ({"use_fips": "yes"}, "use_fips"),
        ({"max_connections": 0}, "max_connections"),
        ({"max_connections": True}, "max_connections"),
        ({"max_connections": 2.5}, "max_connections"),
        ({"max_connections": 4, "http_client": httpx.AsyncClient()}, "injected"),
    ],
)
def test_bad_options_are_configuration_errors(
    options: dict[str, object], fragment: str
) -> None:
    options = {"region": "us-east-1", "endpoint_url": URL, **options}
    with pytest.raises(ConfigurationError, match=fragment):
        DemoClient(**options)  # type: ignore[arg-type]


@pytest.mark.anyio
async def test_timeout_option_forms() -> None:
    assert Timeouts.of(None) == Timeouts(connect=10, read=60, write=60, pool=10)
    assert Timeouts.of(3) == Timeouts(connect=3, read=3, write=3, pool=3)
    assert Timeouts(1, 2, 3, 4) == Timeouts(connect=1, read=2, write=3, pool=4)
    client = DemoClient(region="us-east-1", endpoint_url=URL, timeout=Timeouts(read=5))
    await client.resolve_configuration()
    timeout = client._http.timeout
    assert (timeout.connect, timeout.read) == (10, 5)


@pytest.mark.anyio
async def test_max_attempts_overrides_retry_config() -> None:
    client = DemoClient(
        region="us-east-1",
        endpoint_url=URL,
        retry=RetryConfig(base_delay=0.5, max_attempts=2),
        max_attempts=7,
    )
    assert (await client.resolve_configuration()).max_attempts == 7


def test_client_class_without_service_is_refused() -> None:
    with pytest.raises(ConfigurationError, match="_service"):
        BaseClient(region="us-east-1")


def test_constructing_a_client_loads_neither_botocore_nor_httpx() -> None:
    import subprocess
    import sys

    code = (
        "import sys\n"
        "from tests.runtime.demo_service import DemoClient, CREDENTIALS\n"
        "DemoClient(region='us-east-1', endpoint_url='https://x.example', credentials=CREDENTIALS)\n"
        "print(sorted(m for m in ('httpx', 'botocore') if m in sys.modules))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert out.stdout.strip() == "[]"


def test_setting_up_a_client_loads_only_the_botocore_it_uses(tmp_path: Path) -> None:
    """The common set-up (rule set, static credentials, no legacy STS setting)
    imports neither botocore's client machinery (botocore.args and what it
    pulls: botocore.regions, parsers, serializers) nor jmespath: they cost
    about 10 ms and 1.7 MB of every set-up (bench/PROFILE.md)."""
    import subprocess
    import sys

    code = (
        "import asyncio, sys\n"
        "from ssm_inventory import SSMClient\n"
        "from tests.runtime.demo_service import CREDENTIALS\n"
        "async def main():\n"
        "    client = SSMClient(region='eu-west-1', credentials=CREDENTIALS)\n"
        "    await client.resolve_configuration()\n"
        "    await client.aclose()\n"
        "asyncio.run(main())\n"
        "print(sorted(m for m in ('botocore.auth', 'botocore.endpoint_provider',"
        " 'botocore.args', 'botocore.regions', 'botocore.parsers', 'jmespath')"
        " if m in sys.modules))\n"
    )
    empty = tmp_path / "empty"
    empty.write_text("")
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith("AWS_")},
        "AWS_CONFIG_FILE": str(empty),
        "AWS_SHARED_CREDENTIALS_FILE": str(empty),
    }
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env
    )
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "['botocore.auth', 'botocore.endpoint_provider']"


@pytest.mark.anyio
async def test_aclose_before_any_call_is_fine() -> None:
    client = DemoClient(region="us-east-1", endpoint_url=URL)
    await client.aclose()
    with pytest.raises(ConfigurationError, match="closed"):
        await client.get_thing()
    assert client._http is None


@pytest.mark.anyio
async def test_repr_shows_no_credentials() -> None:
    client = await _ready(
        DemoClient(region="us-east-1", endpoint_url=URL, credentials=CREDENTIALS)
    )
    signer = client._config.router.signer_for(ResolvedEndpoint(url=URL))
    text = repr(client) + repr(client._credentials) + repr(signer)
    assert CREDENTIALS.secret_access_key not in text
    assert str(CREDENTIALS.session_token) not in text


@pytest.mark.anyio
async def test_aclose_is_idempotent_and_later_calls_fail_clearly(
    make_client: MakeClient,
) -> None:
    client = DemoClient(region="us-east-1", endpoint_url=URL, credentials=CREDENTIALS)
    await client._ensure_ready()
    owned = client._http
    assert owned is not None and not owned.is_closed
    await client.aclose()
    await client.aclose()
    assert owned.is_closed
    with pytest.raises(ConfigurationError, match="closed"):
        await client.get_thing()
    with pytest.raises(ConfigurationError, match="closed"):
        async with client:
            pass


@pytest.mark.anyio
async def test_injected_http_client_is_left_open(make_client: MakeClient) -> None:
    http = httpx.AsyncClient(
        transport=httpx.MockTransport(Recorder(json_response(200, {})))
    )
    async with make_client(Recorder(), http_client=http) as client:
        await client.get_thing()
    assert not http.is_closed
    assert (await http.post("https://x.example/")).status_code == 200
    await http.aclose()


@pytest.mark.anyio
async def test_injected_client_keeps_its_timeouts_unless_told(
    make_client: MakeClient,
) -> None:
    seen: list[object] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request.extensions["timeout"])
        return httpx.Response(200, json={})

    http = httpx.AsyncClient(transport=httpx.MockTransport(handler), timeout=2.5)
    async with make_client(handler, http_client=http) as client:
        await client.get_thing()
    async with make_client(
        handler, http_client=http, timeout=Timeouts(read=7)
    ) as client:
        await client.get_thing()
    assert seen[0]["read"] == 2.5  # type: ignore[index]
    assert seen[1]["read"] == 7  # type: ignore[index]
    await http.aclose()


@pytest.mark.anyio
async def test_tls_verification_is_on_by_default() -> None:
    client = await _ready(DemoClient(region="us-east-1", endpoint_url=URL))
    pool = client._http._transport._pool
    import ssl

    assert pool._ssl_context.verify_mode == ssl.CERT_REQUIRED
    off = await _ready(DemoClient(region="us-east-1", endpoint_url=URL, verify=False))
    assert off._http._transport._pool._ssl_context.verify_mode == ssl.CERT_NONE


@pytest.mark.anyio
async def test_plain_http_endpoint_loads_the_ca_store_only_at_a_tls_handshake() -> None:
    """Set-up does not pay for the system CA store (20 to 90 ms here) when the
    endpoint is plain http; TLS through an https proxy still verifies."""
    import ssl

    client = await _ready(
        DemoClient(region="us-east-1", endpoint_url="http://127.0.0.1:9/")
    )
    context = client._http._transport._pool._ssl_context
    assert context.verify_mode == ssl.CERT_REQUIRED and context.check_hostname
    assert context.cert_store_stats()["x509_ca"] == 0
    context.wrap_bio(ssl.MemoryBIO(), ssl.MemoryBIO(), server_hostname="example.com")
    expected = ssl.create_default_context().cert_store_stats()["x509_ca"]
    assert context.cert_store_stats()["x509_ca"] == expected
    await client.aclose()


@pytest.mark.anyio
async def test_plain_http_endpoint_loads_its_ca_bundle_only_at_a_tls_handshake(
    tmp_path: Path,
) -> None:
    import ssl

    import certifi  # httpx's dependency: any one CA certificate will do

    first_ca = certifi.contents().split("-----END CERTIFICATE-----")[0]
    bundle = tmp_path / "ca.pem"
    bundle.write_text(first_ca + "-----END CERTIFICATE-----\n")
    client = await _ready(
        DemoClient(
            region="us-east-1", endpoint_url="http://127.0.0.1:9/", verify=str(bundle)
        )
    )
    context = client._http._transport._pool._ssl_context
    assert context.cert_store_stats()["x509_ca"] == 0
    context.wrap_bio(ssl.MemoryBIO(), ssl.MemoryBIO(), server_hostname="example.com")
    assert context.cert_store_stats()["x509_ca"] == 1
    await client.aclose()


@pytest.mark.anyio
async def test_injected_client_closed_by_its_owner_is_a_configuration_error(
    make_client: MakeClient,
) -> None:
    http = httpx.AsyncClient(
        transport=httpx.MockTransport(Recorder(json_response(200, {})))
    )
    client = make_client(Recorder(), http_client=http)
    await http.aclose()
    with pytest.raises(ConfigurationError, match="HTTP client was closed"):
        await client.get_thing()


@pytest.mark.anyio
async def test_an_attempt_failing_because_of_aclose_is_not_retried(
    make_client: MakeClient,
) -> None:
    # aclose() from within the call itself (here its transport; an interceptor
    # alike), and the attempt then fails as a closed connection does: the
    # failure is the close's doing, not the network's, so no retry is paid
    # for or sent (a 30 s backoff would trip the bound).
    sent: list[httpx.Request] = []

    async def close_then_fail(request: httpx.Request) -> httpx.Response:
        sent.append(request)
        await client.aclose()
        raise httpx.ReadError("connection closed under the request")

    client = make_client(
        close_then_fail, retry=RetryConfig(base_delay=30, max_backoff=30)
    )
    await client.resolve_configuration()
    quota = client._config.retry.quota
    assert quota is not None
    before = quota.available
    with anyio.fail_after(5), pytest.raises(ConfigurationError, match="in flight"):
        await client.get_thing()
    assert quota.available == before
    assert len(sent) == 1
