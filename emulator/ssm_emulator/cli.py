"""The ``ssm-emulator`` console script."""

from __future__ import annotations

import argparse
import logging
import os
import signal
import sys
import threading
from collections.abc import Sequence
from pathlib import Path
from types import FrameType

from .server import EmulatorServer, ExposedExampleKeyError
from .settings import DEFAULT_CREDENTIALS, EmulatorCredentials, Settings
from .store import StoreError

__all__ = ["build_parser", "main"]


def build_parser() -> argparse.ArgumentParser:
    """The command line of ``ssm-emulator``."""
    parser = argparse.ArgumentParser(
        prog="ssm-emulator",
        description=(
            "A local AWS Systems Manager endpoint for DeleteInventory and "
            "DescribeInventoryDeletions (awsJson 1.1 over HTTP, SigV4-verified)."
        ),
    )
    _add_listening_options(parser)
    _add_credential_options(parser)
    _add_limit_options(parser)
    return parser


def _add_listening_options(parser: argparse.ArgumentParser) -> None:
    """Where it listens, where it keeps state, and how it behaves."""
    parser.add_argument(
        "--host", default="127.0.0.1", help="address to listen on (default %(default)s)"
    )
    parser.add_argument(
        "--port",
        type=int,
        default=0,
        help="port to listen on; 0 picks a free one (default)",
    )
    parser.add_argument(
        "--db",
        type=Path,
        default=None,
        metavar="PATH",
        help="SQLite file keeping state across restarts (default: in memory)",
    )
    parser.add_argument(
        "--completion-seconds",
        type=float,
        default=10.0,
        metavar="S",
        help="time a deletion takes to go from InProgress to Complete (default %(default)s)",
    )
    parser.add_argument(
        "--region",
        default=None,
        help="accept only requests signed for this region (default: any region)",
    )


def _add_credential_options(parser: argparse.ArgumentParser) -> None:
    """The key pair requests must be signed with, and the hosts it answers to."""
    parser.add_argument(
        "--access-key-id",
        default=os.environ.get(
            "SSM_EMULATOR_ACCESS_KEY_ID", DEFAULT_CREDENTIALS.access_key_id
        ),
        help="access key id to accept (env SSM_EMULATOR_ACCESS_KEY_ID; default: the AWS documentation example key)",
    )
    parser.add_argument(
        "--secret-access-key",
        default=os.environ.get(
            "SSM_EMULATOR_SECRET_ACCESS_KEY", DEFAULT_CREDENTIALS.secret_access_key
        ),
        help="its secret (env SSM_EMULATOR_SECRET_ACCESS_KEY)",
    )
    parser.add_argument(
        "--session-token",
        default=os.environ.get("SSM_EMULATOR_SESSION_TOKEN"),
        help="session token requests must carry (env SSM_EMULATOR_SESSION_TOKEN; default: none)",
    )
    parser.add_argument(
        "--allowed-host",
        action="append",
        default=[],
        metavar="NAME[:PORT]",
        help=(
            "also answer to this Host header name (repeatable; '*' for any); "
            "localhost and loopback addresses are always accepted"
        ),
    )
    parser.add_argument(
        "--allow-example-key-beyond-loopback",
        action="store_true",
        help=(
            "listen on a non-loopback --host even though the accepted key pair is "
            "the AWS documentation's public example (refused otherwise)"
        ),
    )


def _add_limit_options(parser: argparse.ArgumentParser) -> None:
    """Time and size limits on clients, and the logging level."""
    defaults = Settings()
    parser.add_argument(
        "--header-timeout",
        type=float,
        default=defaults.header_timeout,
        metavar="S",
        help="seconds a client has to send a request's head (default %(default)s)",
    )
    parser.add_argument(
        "--body-timeout",
        type=float,
        default=defaults.body_timeout,
        metavar="S",
        help="seconds a client has to send a request's body (default %(default)s)",
    )
    parser.add_argument(
        "--max-connections",
        type=int,
        default=defaults.max_connections,
        metavar="N",
        help="connections open at once; more are refused (default %(default)s)",
    )
    parser.add_argument(
        "--max-body-bytes",
        type=int,
        default=defaults.max_body_bytes,
        metavar="N",
        help="largest request body accepted (default %(default)s)",
    )
    parser.add_argument(
        "--log-level",
        default="warning",
        choices=["debug", "info", "warning", "error"],
        help="logging level (default %(default)s)",
    )


def main(argv: Sequence[str] | None = None) -> int:
    """Run the emulator until SIGINT or SIGTERM; return the exit status."""
    parser = build_parser()
    args = parser.parse_args(argv)
    logging.basicConfig(
        level=args.log_level.upper(), format="ssm-emulator: %(levelname)s %(message)s"
    )
    settings = _settings_from(parser, args)
    stop = _stop_on_signals()
    server = EmulatorServer(settings, host=args.host, port=args.port)
    try:
        running = server.start()
    except (StoreError, ExposedExampleKeyError) as error:
        print(f"ssm-emulator: {error}", file=sys.stderr)
        return 2
    except OSError as error:
        print(
            f"ssm-emulator: cannot listen on {args.host}:{args.port}: {error}",
            file=sys.stderr,
        )
        return 2
    print(f"ssm-emulator listening on {running.url}", flush=True)
    return _serve_until(stop, server)


def _settings_from(
    parser: argparse.ArgumentParser, args: argparse.Namespace
) -> Settings:
    """The emulator's settings from the command line (exit 2 naming a bad option)."""
    if not 0 <= args.port <= 65535:
        parser.error(f"--port must be between 0 and 65535, got {args.port}")
    if args.completion_seconds < 0:
        parser.error("--completion-seconds must be >= 0")
    for option, value in (
        ("--header-timeout", args.header_timeout),
        ("--body-timeout", args.body_timeout),
        ("--max-connections", args.max_connections),
        ("--max-body-bytes", args.max_body_bytes),
    ):
        if not value > 0:
            parser.error(f"{option} must be > 0, got {value}")
    try:
        return Settings(
            credentials=(
                EmulatorCredentials(
                    access_key_id=args.access_key_id,
                    secret_access_key=args.secret_access_key,
                    session_token=args.session_token,
                ),
            ),
            region=args.region,
            completion_seconds=args.completion_seconds,
            db_path=args.db,
            header_timeout=args.header_timeout,
            body_timeout=args.body_timeout,
            max_connections=args.max_connections,
            max_body_bytes=args.max_body_bytes,
            allowed_hosts=tuple(args.allowed_host),
            allow_example_key_beyond_loopback=args.allow_example_key_beyond_loopback,
        )
    except ValueError as error:
        parser.error(str(error))


def _stop_on_signals() -> threading.Event:
    """An event SIGINT and SIGTERM set.

    Installed before the server starts, so a signal arriving during start-up
    still ends in a clean stop rather than the default abrupt exit.
    """
    stop = threading.Event()

    def request_stop(signum: int, frame: FrameType | None) -> None:
        stop.set()

    signal.signal(signal.SIGINT, request_stop)
    signal.signal(signal.SIGTERM, request_stop)
    return stop


def _serve_until(stop: threading.Event, server: EmulatorServer) -> int:
    """Wait for a stop signal (0) or the server's unexpected end (1); then stop it."""
    try:
        while not stop.wait(0.2):
            if not server.running:
                print("ssm-emulator: the server stopped unexpectedly", file=sys.stderr)
                return 1
    finally:
        server.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
