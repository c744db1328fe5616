"""Hand-written runtime imported by every package smithygen generates.

Generated code imports only the names below (see docs/runtime-contract.md);
the modules behind them are private. Importing this package loads what every
client needs (the client, call pipeline, specs, errors, serde helpers).
Modules only some services or features need (event streams, the XML layout,
waiters, pagination) load on the first use of one of their names, through
the module ``__getattr__`` below: an awsJson client without waiters never
imports them. A protocol's module (``_client_protocol.protocol_for``) loads
when a client of that protocol is built, checksums at the first call that
needs one. Neither httpx nor botocore load here: they load when the first
client is set up, off the event loop.
"""

import importlib
import sys
from types import FunctionType
from typing import TYPE_CHECKING

from . import common_errors
from ._client import BaseClient
from ._config import RetryConfig, Timeouts
from ._credentials import Credentials
from ._deserialize import (
    EnumReader,
    WrongShape,
    as_document,
    list_of,
    map_of,
    output_constructor,
    parse_date_time,
    parse_http_date,
    read_bool,
    read_int,
    read_member,
    read_str,
)
from ._errors import (
    ConfigurationError,
    CredentialsError,
    FlexibleChecksumError,
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
from ._interceptors import Interceptor, InterceptorContext
from ._json_kinds import (
    BIG_DECIMAL,
    BLOB,
    BOOLEAN,
    DATE_TIME,
    DOCUMENT,
    EPOCH_SECONDS,
    FLOAT,
    HTTP_DATE,
    INTEGER,
    STRING,
    UNIT,
    ZERO,
    member,
    shape,
    variant,
)
from ._json_reader import JsonReaders, Reader
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
    ChecksumSpec,
    ClientContext,
    EndpointBindings,
    HttpBinding,
    HttpMember,
    OperationDiscovery,
    OperationSpec,
    ServiceDiscovery,
    ServiceSpec,
    StreamSpec,
    WireSchema,
)
from ._streaming import BlobBody, ByteStream, StreamingBlob, blob_body
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

# Loaded on first use (see __getattr__); imported here for type checkers only.
if TYPE_CHECKING:
    from ._event_framing import (
        EventMessage,
        EventStreamError,
        TypedInt,
        event_header,
        event_message,
        json_payload,
    )
    from ._event_stream import EventReader, EventStream, EventStreamBody
    from ._layout import (
        XML_BIG_DECIMAL,
        XML_BOOL,
        XML_EPOCH,
        XML_FLOAT,
        XML_INT,
        XML_TEXT,
        XmlList,
        XmlMap,
        XmlMember,
        XmlStructure,
    )
    from ._pagination import paginate
    from ._waiters import Acceptor, WaiterProgress, WaiterSpec, wait

# The public names of the modules only some clients need, by module.
_ON_FIRST_USE: dict[str, tuple[str, ...]] = {
    "_event_framing": (
        "EventMessage",
        "EventStreamError",
        "TypedInt",
        "event_header",
        "event_message",
        "json_payload",
    ),
    "_event_stream": ("EventReader", "EventStream", "EventStreamBody"),
    "_layout": (
        "XML_BIG_DECIMAL",
        "XML_BOOL",
        "XML_EPOCH",
        "XML_FLOAT",
        "XML_INT",
        "XML_TEXT",
        "XmlList",
        "XmlMap",
        "XmlMember",
        "XmlStructure",
    ),
    "_pagination": ("paginate",),
    "_waiters": ("Acceptor", "WaiterProgress", "WaiterSpec", "wait"),
}
_MODULE_OF = {name: module for module, names in _ON_FIRST_USE.items() for name in names}

__all__ = [
    "BIG_DECIMAL",
    "BLOB",
    "BOOLEAN",
    "CONTRACT_VERSION",
    "DATE_TIME",
    "DOCUMENT",
    "EPOCH",
    "EPOCH_SECONDS",
    "FLOAT",
    "HTTP_DATE",
    "INTEGER",
    "SLOT_SETTERS",
    "STRING",
    "UNIT",
    "XML_BIG_DECIMAL",
    "XML_BOOL",
    "XML_EPOCH",
    "XML_FLOAT",
    "XML_INT",
    "XML_TEXT",
    "ZERO",
    "Acceptor",
    "BaseClient",
    "BlobBody",
    "ByteStream",
    "ChecksumSpec",
    "ClientContext",
    "ClientSettings",
    "ConfigurationError",
    "Credentials",
    "CredentialsError",
    "EndpointBindings",
    "EnumReader",
    "EventMessage",
    "EventReader",
    "EventStream",
    "EventStreamBody",
    "EventStreamError",
    "FlexibleChecksumError",
    "HttpBinding",
    "HttpMember",
    "Interceptor",
    "InterceptorContext",
    "JsonReaders",
    "OperationDiscovery",
    "OperationSpec",
    "PaginationError",
    "Reader",
    "RequestTimeoutError",
    "ResponseParseError",
    "RetryConfig",
    "ServiceDiscovery",
    "ServiceError",
    "ServiceSpec",
    "SmithyGenError",
    "StreamSpec",
    "StreamingBlob",
    "Timeouts",
    "TransportError",
    "TypedInt",
    "ValidationError",
    "WaiterError",
    "WaiterProgress",
    "WaiterSpec",
    "WaiterTimeoutError",
    "WireSchema",
    "WrongShape",
    "XmlList",
    "XmlMap",
    "XmlMember",
    "XmlStructure",
    "__version__",
    "as_document",
    "blob_body",
    "check_float",
    "check_int",
    "check_length",
    "check_pattern",
    "check_range",
    "check_type",
    "common_errors",
    "enum_values",
    "event_header",
    "event_message",
    "expect_bool",
    "expect_decimal",
    "expect_int",
    "expect_list",
    "expect_map",
    "expect_str",
    "json_payload",
    "list_of",
    "map_of",
    "member",
    "new_idempotency_token",
    "open_enum",
    "output_constructor",
    "paginate",
    "parse_blob",
    "parse_date_time",
    "parse_float",
    "parse_http_date",
    "parse_timestamp",
    "parse_timestamp_epoch",
    "read_bool",
    "read_int",
    "read_member",
    "read_str",
    "required_error",
    "serialize_blob",
    "serialize_float",
    "serialize_timestamp",
    "serialize_timestamp_epoch",
    "shape",
    "slot_setters",
    "type_error",
    "variant",
    "wait",
]


def __getattr__(name: str) -> object:
    """Load the module of a name only some clients use, on its first use (PEP 562)."""
    module = _MODULE_OF.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    importlib.import_module(f"{__name__}.{module}")
    # Every loaded one, not only this name's module: the runtime imports some
    # of them itself (_event_stream imports _event_framing), and the errors
    # they raise (EventStreamError) should name this package even when only
    # another module's name was asked for. (test_public_names asks for every
    # name of __all__: one missing from the table fails it.)
    for loaded in _ON_FIRST_USE:
        if f"{__name__}.{loaded}" in sys.modules:
            _publish(loaded)
    return globals()[name]


def __dir__() -> list[str]:
    return sorted({*globals(), *_MODULE_OF})


def _publish(module: str) -> None:
    """Make a loaded module's public names attributes of the package."""
    namespace = vars(sys.modules[f"{__name__}.{module}"])
    for name in _ON_FIRST_USE[module]:
        value = namespace[name]
        _show_public_module(value)
        globals()[name] = value


def _show_public_module(value: object) -> None:
    # Tracebacks and reprs name a class by its __module__: make that the
    # package users import from (``smithygen_runtime.ResponseParseError``),
    # not the private module it is written in. Only this package's own
    # objects are touched.
    module = getattr(value, "__module__", None)
    if isinstance(value, type | FunctionType) and str(module).startswith(
        f"{__name__}._"
    ):
        value.__module__ = __name__


for _name in __all__:
    if _name not in _MODULE_OF:
        _show_public_module(globals()[_name])
del _name
