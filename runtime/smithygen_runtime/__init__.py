"""Hand-written runtime imported by every package smithygen generates."""

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
