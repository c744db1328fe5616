"""A local AWS Systems Manager inventory endpoint for development and tests.

It serves ``DeleteInventory`` and ``DescribeInventoryDeletions`` over the
awsJson 1.1 protocol on loopback, verifying SigV4 signatures as SSM does, and
accepts by default the AWS documentation's example key pair
(``DEFAULT_CREDENTIALS``) signed for any region.

From a shell::

    ssm-emulator --port 0 --completion-seconds 5 --db state.sqlite
    # prints: ssm-emulator listening on http://127.0.0.1:PORT

From async code (asyncio or trio)::

    async with running_emulator(Settings(completion_seconds=1)) as emu:
        ...  # emu.url, emu.credentials, emu.region
        async with SSMClient(**emu.client_kwargs()) as ssm:  # ssm_inventory
            ...
        ssm_boto3 = boto3.client("ssm", **emu.boto3_client_kwargs())

From synchronous code: ``with emulator_in_thread() as emu: ...``; from a pytest
suite: ``pytest_plugins = ["ssm_emulator.pytest_plugin"]`` and the
``ssm_emulator`` fixture.

It answers only to ``localhost`` and loopback addresses in the Host header
(``Settings.allowed_hosts`` / ``--allowed-host`` add names), refuses to listen
beyond loopback while it accepts the public example key pair (unless
``allow_example_key_beyond_loopback``), and bounds what a client can hold:
``header_timeout`` and ``body_timeout`` (10 s each), ``max_connections``
(128) and ``max_body_bytes`` (64 KiB).
"""

from ._version import __version__
from .server import (
    EmulatorServer,
    ExposedExampleKeyError,
    RunningEmulator,
    emulator_in_thread,
    running_emulator,
)
from .settings import DEFAULT_CREDENTIALS, DEFAULT_REGION, EmulatorCredentials, Settings
from .store import StoreError

__all__ = [
    "DEFAULT_CREDENTIALS",
    "DEFAULT_REGION",
    "EmulatorCredentials",
    "EmulatorServer",
    "ExposedExampleKeyError",
    "RunningEmulator",
    "Settings",
    "StoreError",
    "__version__",
    "emulator_in_thread",
    "running_emulator",
]
