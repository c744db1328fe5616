"""What the client says about where it sends requests: repr, transport errors, UA, TLS."""

from __future__ import annotations

import socket
import ssl
from collections.abc import Iterator
from pathlib import Path

import pytest
import smithygen_runtime
import trustme
from smithygen_runtime import RequestTimeoutError, Timeouts, TransportError
from ssm_inventory import SSMClient

from tests.config.servers import RecordingServer, RefusingProxy

pytestmark = [pytest.mark.anyio, pytest.mark.usefixtures("aws_home")]


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


async def test_repr_shows_resolved_settings_and_no_secrets(
    server: RecordingServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("AWS_MAX_ATTEMPTS", "4")
    monkeypatch.setenv("AWS_RETRY_MODE", "adaptive")
    port = server.url.rsplit(":", 1)[1]
    url = f"http://admin:hunter2@127.0.0.1:{port}/base"
    client = SSMClient(region="eu-west-1", endpoint_url=url)
    before = repr(client)
    assert "hunter2" not in before
    async with client:
        text = repr(client)
        settings = await client.resolve_configuration()
    assert settings.max_attempts == 4
    assert settings.sources["max_attempts"] == "environment variable AWS_MAX_ATTEMPTS"
    assert settings.sources["region"] == "argument"
    assert "hunter2" not in repr(settings) and "admin" not in repr(settings)
    assert "region='eu-west-1'" in text
    assert f"endpoint='http://127.0.0.1:{port}/base/'" in text
    assert "retry_mode='adaptive'" in text
    assert "max_attempts=4" in text
    assert "hunter2" not in text and "admin" not in text
    assert "AKIDFROMENV" not in text and "secret-from-env" not in text


async def test_a_refused_connection_names_the_url() -> None:
    port = _closed_port()
    async with SSMClient(
        region="us-east-1",
        endpoint_url=f"http://user:pw@127.0.0.1:{port}/path",
        max_attempts=1,
    ) as client:
        with pytest.raises(TransportError) as caught:
            await client.describe_inventory_deletions()
    error = caught.value
    assert error.url == f"http://127.0.0.1:{port}/path/"
    assert error.proxy is None
    assert f"to http://127.0.0.1:{port}/path/" in str(error)
    assert "pw" not in str(error) and "user" not in str(error)


async def test_a_dead_proxy_is_named_without_its_password(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    port = _closed_port()
    monkeypatch.setenv("HTTPS_PROXY", f"http://proxyuser:s3cret@127.0.0.1:{port}")
    async with SSMClient(region="us-east-1", max_attempts=1) as client:
        with pytest.raises(TransportError) as caught:
            await client.describe_inventory_deletions()
    error = caught.value
    assert error.url == "https://ssm.us-east-1.amazonaws.com/"
    assert error.proxy == f"http://127.0.0.1:{port}"
    message = str(error)
    assert f"via proxy http://127.0.0.1:{port}" in message
    assert "s3cret" not in message and "proxyuser" not in message


async def test_a_refusing_proxy_is_named_and_retried(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    proxy = RefusingProxy().start()
    try:
        monkeypatch.setenv("HTTPS_PROXY", proxy.url)
        async with SSMClient(region="us-east-1", max_attempts=2) as client:
            client._random = lambda: 0.0
            with pytest.raises(TransportError, match="via proxy") as caught:
                await client.describe_inventory_deletions()
    finally:
        proxy.stop()
    assert caught.value.proxy == proxy.url
    assert proxy.targets == ["CONNECT ssm.us-east-1.amazonaws.com:443"] * 2


async def test_a_timeout_names_the_url() -> None:
    listener = socket.create_server(("127.0.0.1", 0))  # accepts, never answers
    port = listener.getsockname()[1]
    try:
        async with SSMClient(
            region="us-east-1",
            endpoint_url=f"http://127.0.0.1:{port}",
            timeout=Timeouts(connect=5, read=0.2, write=5, pool=5),
            max_attempts=1,
        ) as client:
            with pytest.raises(RequestTimeoutError) as caught:
                await client.describe_inventory_deletions()
    finally:
        listener.close()
    assert caught.value.url == f"http://127.0.0.1:{port}/"
    assert f"to http://127.0.0.1:{port}/: read timeout" in str(caught.value)


async def test_user_agent_extra_and_app_id_are_sent(
    server: RecordingServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("AWS_SDK_UA_APP_ID", "my app")
    async with SSMClient(
        region="us-east-1", endpoint_url=server.url, user_agent_extra="team/inventory"
    ) as client:
        await client.describe_inventory_deletions()
    agent = server.requests[0]["user-agent"]
    # botocore's sanitiser turns the space into "-"; the extra goes last, as is.
    assert " app/my-app " in agent
    assert agent.endswith(" team/inventory")
    assert " cfg/retry-mode#standard " in agent
    assert agent.startswith(f"smithygen-runtime/{smithygen_runtime.__version__} ")


@pytest.fixture
def tls_server(tmp_path: Path) -> Iterator[tuple[RecordingServer, Path]]:
    ca = trustme.CA()
    ca_file = tmp_path / "ca.pem"
    ca.cert_pem.write_to_path(str(ca_file))
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ca.issue_cert("127.0.0.1").configure_cert(context)
    running = RecordingServer("TLS", tls=context).start()
    yield running, ca_file
    running.stop()


async def test_verify_takes_a_ca_bundle_path(
    tls_server: tuple[RecordingServer, Path],
) -> None:
    server, ca_file = tls_server
    async with SSMClient(
        region="us-east-1", endpoint_url=server.url, verify=str(ca_file)
    ) as client:
        await client.describe_inventory_deletions()
    async with SSMClient(
        region="us-east-1", endpoint_url=server.url, verify=ca_file
    ) as client:
        await client.describe_inventory_deletions()
    assert len(server.requests) == 2


async def test_verify_true_ignores_the_configured_bundle_as_botocore_does(
    tls_server: tuple[RecordingServer, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    import botocore.exceptions
    import botocore.session

    server, ca_file = tls_server
    monkeypatch.setenv("AWS_CA_BUNDLE", str(ca_file))
    monkeypatch.setenv("AWS_MAX_ATTEMPTS", "1")
    boto = botocore.session.Session().create_client(
        "ssm", region_name="us-east-1", endpoint_url=server.url, verify=True
    )
    with pytest.raises(botocore.exceptions.SSLError):
        boto.describe_inventory_deletions()
    boto.close()
    async with SSMClient(
        region="us-east-1", endpoint_url=server.url, verify=True
    ) as client:
        with pytest.raises(TransportError, match="CERTIFICATE_VERIFY_FAILED"):
            await client.describe_inventory_deletions()
    # Left to the configuration (verify=None, the default), the bundle is used.
    async with SSMClient(region="us-east-1", endpoint_url=server.url) as client:
        await client.describe_inventory_deletions()
    assert len(server.requests) == 1


async def test_a_bundle_that_is_not_pem_is_a_configuration_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from smithygen_runtime import ConfigurationError

    bogus = tmp_path / "bogus.pem"
    bogus.write_text("not a certificate")
    monkeypatch.setenv("AWS_CA_BUNDLE", str(bogus))
    with pytest.raises(ConfigurationError, match="AWS_CA_BUNDLE"):
        await SSMClient(region="us-east-1").resolve_configuration()
