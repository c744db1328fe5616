"""A local AWS Systems Manager inventory endpoint for development and tests.

``ssm-emulator`` (the console script) and ``running_emulator`` (an async context
manager) serve ``DeleteInventory`` and ``DescribeInventoryDeletions`` over the
awsJson 1.1 protocol on loopback, verifying SigV4 signatures as SSM does.
"""

from .server import (
    EmulatorServer,
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
    "RunningEmulator",
    "Settings",
    "StoreError",
    "emulator_in_thread",
    "running_emulator",
]
