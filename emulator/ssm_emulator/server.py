"""Serving the emulator with uvicorn on a background thread.

The server always runs on its own thread with its own asyncio loop.  That one
arrangement serves every caller: the CLI (whose main thread then only waits
for a signal), synchronous test fixtures, and async code under asyncio or trio,
whose own loop is never blocked by, or entangled with, the server's.
"""

from __future__ import annotations

import asyncio
import contextlib
import ipaddress
import logging
import socket
import threading
from collections.abc import AsyncIterator, Iterator
from typing import Any

import anyio
import attrs
import uvicorn

from .app import EmulatorApp
from .connections import ConnectionLimits, limited_protocol
from .operations import SsmInventoryOperations
from .settings import DEFAULT_CREDENTIALS, DEFAULT_REGION, EmulatorCredentials, Settings
from .sigv4 import SigV4Verifier
from .store import DeletionStore
from .tokens import NextTokenCodec

__all__ = [
    "EmulatorServer",
    "ExposedExampleKeyError",
    "RunningEmulator",
    "emulator_in_thread",
    "running_emulator",
]

_SIGNING_NAME = "ssm"
_log = logging.getLogger("ssm_emulator")


class ExposedExampleKeyError(Exception):
    """Listening beyond loopback while accepting the public example key pair."""


@attrs.frozen(kw_only=True)
class RunningEmulator:
    """What a client needs to reach a started emulator."""

    url: str
    credentials: EmulatorCredentials
    region: str
    settings: Settings

    def client_kwargs(self) -> dict[str, Any]:
        """Keyword arguments for a smithygen client: ``SSMClient(**emu.client_kwargs())``.

        ``credentials`` is a ``smithygen_runtime.Credentials``; the runtime is
        imported only here, so the emulator itself does not depend on it.
        """
        try:
            from smithygen_runtime import Credentials
        except ImportError as error:
            raise ImportError(
                "client_kwargs() builds smithygen_runtime.Credentials: "
                "pip install smithygen-runtime"
            ) from error
        return {
            "endpoint_url": self.url,
            "region": self.region,
            "credentials": Credentials(
                access_key_id=self.credentials.access_key_id,
                secret_access_key=self.credentials.secret_access_key,
                session_token=self.credentials.session_token,
            ),
        }

    def boto3_client_kwargs(self) -> dict[str, Any]:
        """Keyword arguments for ``boto3.client("ssm", **kwargs)``."""
        return {
            "endpoint_url": self.url,
            "region_name": self.region,
            "aws_access_key_id": self.credentials.access_key_id,
            "aws_secret_access_key": self.credentials.secret_access_key,
            "aws_session_token": self.credentials.session_token,
        }


class _Server(uvicorn.Server):
    """uvicorn's server, driven from another thread.

    It tells that thread when it is listening, and wakes up as soon as it is
    asked to stop instead of at uvicorn's next 0.1 s tick (which made every
    fixture teardown wait for it).
    """

    def __init__(self, config: uvicorn.Config) -> None:
        super().__init__(config)
        self.listening = threading.Event()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._wake: asyncio.Event | None = None

    async def startup(self, sockets: list[socket.socket] | None = None) -> None:
        self._loop = asyncio.get_running_loop()
        self._wake = asyncio.Event()
        await super().startup(sockets=sockets)
        self.listening.set()

    async def main_loop(self) -> None:
        assert self._wake is not None
        counter = 0
        # on_tick refreshes the Date header every tenth tick and reports exit.
        while not await self.on_tick(counter):
            counter = (counter + 1) % 864000
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), 0.1)

    def request_exit(self) -> None:
        """Ask the serving loop to shut down gracefully (any thread)."""
        self.should_exit = True
        if self._loop is not None and self._wake is not None:
            with contextlib.suppress(RuntimeError):  # loop already closed
                self._loop.call_soon_threadsafe(self._wake.set)


class EmulatorServer:
    """One emulator: its database, its app and the uvicorn thread serving it."""

    def __init__(
        self, settings: Settings, *, host: str = "127.0.0.1", port: int = 0
    ) -> None:
        self.settings = settings
        self._host = host
        self._port = port
        self._thread: threading.Thread | None = None
        self._server: _Server | None = None
        self._store: DeletionStore | None = None
        self._failure: BaseException | None = None

    def start(self, *, timeout: float = 10.0) -> RunningEmulator:
        """Open the database, bind the socket and serve; block until listening.

        Raises ``StoreError`` for an unusable database, ``OSError`` when the
        address cannot be bound and ``ExposedExampleKeyError`` when it is not
        a loopback address while the example key pair is accepted (unless
        ``settings.allow_example_key_beyond_loopback``).
        """
        if self._thread is not None:
            raise RuntimeError(
                "an EmulatorServer starts once; create another to restart"
            )
        settings = self.settings
        self._store = store = DeletionStore(settings.db_path)
        sock = self._bind_checked(store)
        self._server = server = _Server(
            _uvicorn_config(_app(store, settings), settings)
        )
        self._thread = threading.Thread(
            target=self._serve, args=(server, sock), name="ssm-emulator", daemon=True
        )
        self._thread.start()
        self._wait_until_listening(server, timeout)
        host, port = sock.getsockname()[:2]
        shown = f"[{host}]" if ":" in host else host
        return RunningEmulator(
            url=f"http://{shown}:{port}",
            credentials=settings.credentials[0],
            region=settings.region or DEFAULT_REGION,
            settings=settings,
        )

    def _bind_checked(self, store: DeletionStore) -> socket.socket:
        """The bound socket, its address checked; on failure the store is closed."""
        try:
            sock = _bind(self._host, self._port)
            try:
                check_listen_address(sock.getsockname()[0], self.settings)
            except BaseException:
                sock.close()
                raise
        except BaseException:
            store.close()
            raise
        return sock

    def _wait_until_listening(self, server: _Server, timeout: float) -> None:
        """Block until the server listens; RuntimeError (and stop) if it never does."""
        assert self._thread is not None
        while not server.listening.wait(0.05):
            if not self._thread.is_alive() or timeout <= 0:
                self.stop()
                raise RuntimeError("ssm-emulator did not start") from self._failure
            timeout -= 0.05

    @property
    def running(self) -> bool:
        """Whether the serving thread is alive."""
        return self._thread is not None and self._thread.is_alive()

    def stop(self, *, timeout: float = 10.0) -> None:
        """Stop serving (finishing requests in flight) and close the database."""
        if self._server is not None and self._thread is not None:
            self._server.request_exit()
            self._thread.join(timeout)
            if self._thread.is_alive():
                self._server.force_exit = True
                self._thread.join(timeout)
        if self._store is not None:
            self._store.close()
            self._store = None

    def _serve(self, server: _Server, sock: socket.socket) -> None:
        try:
            asyncio.run(server.serve(sockets=[sock]))
        except BaseException as failure:  # reported to the starting thread
            self._failure = failure
        finally:
            sock.close()


def _app(store: DeletionStore, settings: Settings) -> EmulatorApp:
    """The ASGI app: the operations behind SigV4 verification and request limits."""
    tokens = NextTokenCodec(
        store.call_blocking(DeletionStore.token_secret),
        ttl=settings.next_token_ttl,
        clock=settings.clock,
    )
    verifier = SigV4Verifier(
        settings.credentials,
        service=_SIGNING_NAME,
        region=settings.region,
        clock=settings.clock,
        max_skew=settings.max_clock_skew,
    )
    return EmulatorApp(
        SsmInventoryOperations(store, tokens, settings).table(),
        verifier,
        max_body_bytes=settings.max_body_bytes,
        body_timeout=settings.body_timeout,
        allowed_hosts=settings.allowed_hosts,
    )


def _uvicorn_config(app: EmulatorApp, settings: Settings) -> uvicorn.Config:
    """uvicorn serving ``app`` with the connection limits, leaving logging alone."""
    limits = ConnectionLimits(
        header_timeout=settings.header_timeout,
        max_connections=settings.max_connections,
    )
    return uvicorn.Config(
        app,
        lifespan="off",
        http=limited_protocol(limits),
        ws="none",
        loop="asyncio",
        log_config=None,  # never reconfigure the host application's logging
        log_level="warning",
        access_log=False,
        server_header=False,
        timeout_graceful_shutdown=5,
    )


def check_listen_address(bound: str, settings: Settings) -> None:
    """Refuse a non-loopback address while the public example key is accepted.

    The example key pair is printed in the AWS documentation: on an address
    other machines can reach, anyone could sign requests the emulator accepts
    (and write to its database).  ``bound`` is the address actually bound, so
    a name resolving to a public address counts as public.
    """
    address = ipaddress.ip_address(bound.split("%", 1)[0])  # drop a v6 zone
    if address.is_loopback or not settings.uses_example_key():
        return
    if settings.allow_example_key_beyond_loopback:
        _log.warning(
            "listening on %s with the AWS documentation's public example key "
            "pair: anyone who can reach this port can sign requests",
            address,
        )
        return
    raise ExposedExampleKeyError(
        f"refusing to listen on {address}: that address is reachable beyond this "
        "machine, and the emulator accepts the AWS documentation's example key "
        f"pair ({DEFAULT_CREDENTIALS.access_key_id}), which is public, so anyone "
        "who can reach the port could sign requests. Configure your own key pair "
        "(--access-key-id and --secret-access-key, or SSM_EMULATOR_ACCESS_KEY_ID "
        "and SSM_EMULATOR_SECRET_ACCESS_KEY), or accept the risk with "
        "--allow-example-key-beyond-loopback (Settings.allow_example_key_beyond_loopback)."
    )


def _bind(host: str, port: int) -> socket.socket:
    family, kind, proto, _, address = socket.getaddrinfo(
        host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE
    )[0]
    sock = socket.socket(family, kind, proto)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(address)
    except BaseException:
        sock.close()
        raise
    return sock


@contextlib.contextmanager
def emulator_in_thread(
    settings: Settings | None = None, *, host: str = "127.0.0.1", port: int = 0
) -> Iterator[RunningEmulator]:
    """Run an emulator for the duration of a ``with`` block (no event loop needed)."""
    server = EmulatorServer(settings or Settings(), host=host, port=port)
    running = server.start()
    try:
        yield running
    finally:
        server.stop()


@contextlib.asynccontextmanager
async def running_emulator(
    settings: Settings | None = None, *, host: str = "127.0.0.1", port: int = 0
) -> AsyncIterator[RunningEmulator]:
    """Run an emulator for the duration of an ``async with`` block.

    Works under asyncio and trio alike: starting and stopping happen on a
    worker thread (via anyio), so the caller's event loop keeps running.
    """
    server = EmulatorServer(settings or Settings(), host=host, port=port)
    running = await anyio.to_thread.run_sync(server.start)
    try:
        yield running
    finally:
        with anyio.CancelScope(shield=True):
            await anyio.to_thread.run_sync(server.stop)
