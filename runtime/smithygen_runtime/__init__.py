"""Hand-written runtime imported by every package smithygen generates.

Generated code imports only the names below (see docs/runtime-contract.md);
the modules behind them are private. Importing this package loads neither
httpx nor botocore: those load when the first client is created.
"""

from . import common_errors
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
    EPOCH,
    SLOT_SETTERS,
    enum_values,
    expect_bool,
    expect_decimal,
    expect_int,
    expect_list,
    expect_map,
    expect_str,
    new_idempotency_token,
    open_enum,
    parse_blob,
    parse_float,
    parse_timestamp,
    parse_timestamp_epoch,
    serialize_blob,
    serialize_float,
    serialize_timestamp,
    serialize_timestamp_epoch,
    slot_setters,
)
from ._settings import ClientSettings
from ._specs import (
    ClientContext,
    EndpointBindings,
    OperationDiscovery,
    OperationSpec,
    ServiceDiscovery,
    ServiceSpec,
)
from ._validation import (
    check_float,
    check_int,
    check_length,
    check_pattern,
    check_range,
    check_type,
    required_error,
    type_error,
)
from ._version import CONTRACT_VERSION, __version__
from ._waiters import Acceptor, WaiterProgress, WaiterSpec, wait

__all__ = [
    "CONTRACT_VERSION",
    "EPOCH",
    "SLOT_SETTERS",
    "Acceptor",
    "BaseClient",
    "ClientContext",
    "ClientSettings",
    "ConfigurationError",
    "Credentials",
    "CredentialsError",
    "EndpointBindings",
    "OperationDiscovery",
    "OperationSpec",
    "PaginationError",
    "RequestTimeoutError",
    "ResponseParseError",
    "RetryConfig",
    "ServiceDiscovery",
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
    "__version__",
    "check_float",
    "check_int",
    "check_length",
    "check_pattern",
    "check_range",
    "check_type",
    "common_errors",
    "enum_values",
    "expect_bool",
    "expect_decimal",
    "expect_int",
    "expect_list",
    "expect_map",
    "expect_str",
    "new_idempotency_token",
    "open_enum",
    "paginate",
    "parse_blob",
    "parse_float",
    "parse_timestamp",
    "parse_timestamp_epoch",
    "required_error",
    "serialize_blob",
    "serialize_float",
    "serialize_timestamp",
    "serialize_timestamp_epoch",
    "slot_setters",
    "type_error",
    "wait",
]
