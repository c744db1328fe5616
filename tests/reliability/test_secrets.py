"""Secrets stay secret, and TLS is verified unless explicitly turned off.

A whole session of calls (successes, retries, transport failures, service
errors) runs with every logger at DEBUG; neither the log, nor any repr or str
of the client, its options, its credentials or the errors raised, nor the
formatted tracebacks (with their causes and every frame's locals, as error
reporters capture them) may contain the secret key, the session token or a
request signature.
"""

from __future__ import annotations

import logging
import shutil
import ssl
import subprocess
import traceback
from collections.abc import Iterator
from pathlib import Path

import anyio
import pytest
from smithygen_runtime import (
    RequestTimeoutError,
    RetryConfig,
    SmithyGenError,
    Timeouts,
    TransportError,
)
from ssm_inventory import InvalidDeletionIdException, ResponseParseError

from tests.reliability.conftest import (
    CREDENTIALS,
    FAST_RETRY,
    SECRET_KEY,
    SESSION_TOKEN,
    client_for,
)
from tests.reliability.sigv4 import signature_of
from tests.support.loopback_server import (
    LoopbackServer,
    Reply,
    Reset,
    Stall,
    running_server,
)

pytestmark = pytest.mark.anyio
LOGGERS = ("", "smithygen_runtime", "httpx", "httpcore", "botocore", "hpack")
MISSING_ID = "8f1c2a9e-0b7d-4c3e-9a51-2d6e7f8a9b0c"


class _Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.setFormatter(logging.Formatter("%(name)s %(levelname)s %(message)s"))
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(self.format(record))


@pytest.fixture
def debug_log() -> Iterator[_Collect]:
    """Every logger at DEBUG, every record formatted (exceptions included)."""
    handler = _Collect()
    saved = {name: logging.getLogger(name).level for name in LOGGERS}
    for name in LOGGERS:
        logging.getLogger(name).setLevel(logging.DEBUG)
    logging.getLogger().addHandler(handler)
    try:
        yield handler
    finally:
        logging.getLogger().removeHandler(handler)
        for name, level in saved.items():
            logging.getLogger(name).setLevel(level)


def _everything_about(error: BaseException) -> str:
    """str, repr and the full traceback with causes and every frame's locals."""
    parts = []
    seen: BaseException | None = error
    while seen is not None:
        parts += [str(seen), repr(seen), repr(seen.args)]
        seen = seen.__cause__ or seen.__context__
    parts += traceback.TracebackException.from_exception(
        error, capture_locals=True
    ).format()
    return "\n".join(parts)


async def test_nothing_secret_in_logs_reprs_or_tracebacks(
    server: LoopbackServer, debug_log: _Collect
) -> None:
    texts: list[str] = []
    errors: list[SmithyGenError] = []
    server.push(
        Reply(503, b"busy"),  # retried
        Reset(),  # a transport failure, retried
        Reply(200, {"InventoryDeletions": []}),
        Reply(200, {"DeletionId": MISSING_ID}),
        Reply(400, {"__type": "InvalidDeletionIdException", "message": "no such id"}),
        Reply(200, b"{not json"),
        Stall(),
        Stall(),
        Stall(),
    )
    timeouts = Timeouts(connect=2, read=0.3, write=2, pool=2)
    retry = RetryConfig(max_attempts=3, base_delay=0.001, max_backoff=0.01)
    with anyio.fail_after(15):
        client = client_for(server, timeout=timeouts, retry=retry)
        texts += [repr(client), str(client)]
        async with client:
            await client.describe_inventory_deletions()
            await client.delete_inventory(type_name="Custom:Rack")
            for error_type, call in (
                (InvalidDeletionIdException, client.describe_inventory_deletions),
                (ResponseParseError, client.describe_inventory_deletions),
            ):
                with pytest.raises(error_type) as info:
                    await call(deletion_id=MISSING_ID)
                errors.append(info.value)
            with pytest.raises(RequestTimeoutError) as timeout_info:
                await client.describe_inventory_deletions(max_results=1)
            errors.append(timeout_info.value)
            texts += [repr(client), str(client)]
        with running_server() as gone:
            url = gone.url
        async with client_for(url) as refused:
            with pytest.raises(TransportError) as refused_info:
                await refused.describe_inventory_deletions()
            errors.append(refused_info.value)
    for error in errors:
        texts.append(_everything_about(error))
        logging.getLogger("app").exception("call failed", exc_info=error)
    texts += [repr(CREDENTIALS), str(CREDENTIALS), repr(retry), repr(timeouts)]
    texts += [repr(FAST_RETRY)]
    log = "\n".join(debug_log.lines)

    signatures = {signature_of(r) for r in server.requests}
    # Attempts signed within the same second share a signature (the
    # amz-sdk-* headers are unsigned, as in botocore); distinct calls differ.
    assert len(server.requests) >= 9 and len(signatures) >= 3
    secrets = {"secret key": SECRET_KEY, "session token": SESSION_TOKEN}
    secrets.update({f"signature {s[:8]}": s for s in signatures})
    for name, secret in secrets.items():
        assert secret not in log, f"the {name} is in the DEBUG log"
        for text in texts:
            assert secret not in text, f"the {name} is in {text[:200]!r}"

    # The log is really there, at DEBUG, from the runtime and from httpcore,
    # and it shows the signed headers with their values redacted.
    assert "DescribeInventoryDeletions attempt 1/3: HTTP 503" in log
    assert "retrying in" in log
    assert any(line.startswith("httpcore") for line in debug_log.lines)
    assert "('authorization', '<redacted>')" in log
    assert "('x-amz-security-token', '<redacted>')" in log
    assert "Traceback" in log  # the app's logging.exception records


# --- TLS ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def self_signed(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """A self-signed certificate for 127.0.0.1 (made with the openssl CLI)."""
    openssl = shutil.which("openssl")
    if openssl is None:
        pytest.skip("no openssl CLI to make a self-signed certificate")
    folder = tmp_path_factory.mktemp("tls")
    cert, key = folder / "cert.pem", folder / "key.pem"
    subprocess.run(
        [openssl, "req", "-x509", "-newkey", "ec", "-pkeyopt",
         "ec_paramgen_curve:prime256v1", "-nodes", "-keyout", str(key),
         "-out", str(cert), "-days", "2", "-subj", "/CN=127.0.0.1",
         "-addext", "subjectAltName=IP:127.0.0.1"],
        check=True,
        capture_output=True,
    )  # fmt: skip
    return cert, key


@pytest.fixture
def tls_server(self_signed: tuple[Path, Path]) -> Iterator[LoopbackServer]:
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(*self_signed)
    with running_server(tls=context) as running:
        yield running


async def test_tls_is_verified_by_default(tls_server: LoopbackServer) -> None:
    with anyio.fail_after(10):
        async with client_for(tls_server) as client:
            with pytest.raises(TransportError) as info:
                await client.describe_inventory_deletions()
    assert not isinstance(info.value, RequestTimeoutError)
    assert "ConnectError" in str(info.value)
    # Handshakes were refused: no request (nor its signature) went out.
    assert tls_server.requests == []
    assert tls_server.opened >= 1


async def test_tls_failure_says_why(tls_server: LoopbackServer) -> None:
    # Under trio, httpx's ConnectError has an empty message; the reason sits
    # down its cause chain, where the runtime must look for it.
    with anyio.fail_after(10):
        async with client_for(tls_server, max_attempts=1) as client:
            with pytest.raises(TransportError) as info:
                await client.describe_inventory_deletions()
    assert "CERTIFICATE_VERIFY_FAILED" in str(info.value), str(info.value)


async def test_a_refused_certificate_is_not_retried(tls_server: LoopbackServer) -> None:
    """The same certificate fails the same way every time: one attempt only."""
    with anyio.fail_after(10):
        async with client_for(tls_server, max_attempts=3) as client:
            with pytest.raises(TransportError) as info:
                await client.describe_inventory_deletions()
    assert not info.value.retryable
    assert "attempt 1 " in str(info.value)
    assert tls_server.opened == 1


async def test_verify_false_explicitly_allows_a_self_signed_server(
    tls_server: LoopbackServer,
) -> None:
    with anyio.fail_after(10):
        async with client_for(tls_server, verify=False) as client:
            result = await client.describe_inventory_deletions()
    assert result.inventory_deletions == []
    assert len(tls_server.requests) == 1


async def test_a_custom_ssl_context_can_trust_the_certificate(
    tls_server: LoopbackServer, self_signed: tuple[Path, Path]
) -> None:
    context = ssl.create_default_context(cafile=str(self_signed[0]))
    with anyio.fail_after(10):
        async with client_for(tls_server, verify=context) as client:
            result = await client.describe_inventory_deletions()
    assert result.inventory_deletions == []
