"""Hand-written runtime imported by every package smithygen generates.

Generated code imports only the names below (see docs/runtime-contract.md);
the modules behind them are private. Importing this package loads neither
httpx nor botocore: those load when the first client is created.
"""

from ._client import BaseClient
from ._config import RetryConfig, Timeouts
from ._credentials import Credentials
from ._errors import (
    ConfigurationError,
    CredentialsError,
    PaginationError,
    RequestTimeoutError,
    ResponseParseError,
    ServiceError,
    SmithyGenError,
    TransportError,
    ValidationError,
    WaiterError,
    WaiterTimeoutError,
)
from ._pagination import paginate
from ._serde import (
    new_idempotency_token,
    parse_blob,
    parse_float,
    parse_timestamp,
    parse_timestamp_epoch,
    serialize_blob,
    serialize_float,
    serialize_timestamp,
    serialize_timestamp_epoch,
)
from ._specs import OperationSpec, ServiceSpec
from ._waiters import Acceptor, WaiterProgress, WaiterSpec, wait

__all__ = [
    "Acceptor",
    "BaseClient",
    "ConfigurationError",
    "Credentials",
    "CredentialsError",
    "OperationSpec",
    "PaginationError",
    "RequestTimeoutError",
    "ResponseParseError",
    "RetryConfig",
    "ServiceError",
    "ServiceSpec",
    "SmithyGenError",
    "Timeouts",
    "TransportError",
    "ValidationError",
    "WaiterError",
    "WaiterProgress",
    "WaiterSpec",
    "WaiterTimeoutError",
    "new_idempotency_token",
    "paginate",
    "parse_blob",
    "parse_float",
    "parse_timestamp",
    "parse_timestamp_epoch",
    "serialize_blob",
    "serialize_float",
    "serialize_timestamp",
    "serialize_timestamp_epoch",
    "wait",
]
