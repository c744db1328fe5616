"""aws.protocols#awsQueryCompatible: a service that moved from awsQuery keeps its query face.

Spec: aws_protocols_aws-query-protocol.rst, "aws.protocols#awsQueryCompatible
trait". Such a service (awsJson 1.0 or rpcv2Cbor) is told by the
``x-amzn-query-mode: true`` request header that the client is query-compatible
(sent, and signed, on every request, as botocore does), and answers an error
with ``x-amzn-query-error: Code;Fault``: the ``Code`` its awsQuery API gave the
error (``aws.protocols#awsQueryError``) and ``Sender`` or ``Receiver``. The
typed class stays the one the body's type names; ``code`` and ``fault`` take
the header's values, so code that checks ``error.code`` sees what boto3's
``Error.Code`` shows.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Final

from ._errors import Fault, ServiceError
from ._specs import ServiceSpec

__all__ = [
    "QUERY_ERROR_HEADER",
    "QUERY_MODE_HEADER",
    "apply_query_error",
    "query_mode_headers",
]

QUERY_MODE_HEADER: Final = "x-amzn-query-mode"
QUERY_ERROR_HEADER: Final = "x-amzn-query-error"

# The awsQuery error element <Type>: whose fault the error is.
_FAULTS: Final[Mapping[str, Fault]] = {"Sender": "client", "Receiver": "server"}


def query_mode_headers(service: ServiceSpec) -> dict[str, str]:
    """``{"x-amzn-query-mode": "true"}`` for a query-compatible service, else ``{}``."""
    return {QUERY_MODE_HEADER: "true"} if service.query_compatible else {}


def apply_query_error(error: ServiceError, headers: Mapping[str, str]) -> None:
    """Give ``error`` the query code and fault of an ``x-amzn-query-error`` header.

    As botocore reads it: the value must split on ``;`` into exactly two
    parts with a non-empty code, else it is ignored. A fault other than
    Sender or Receiver leaves the modeled fault.
    """
    value = headers.get(QUERY_ERROR_HEADER)
    if not value:
        return
    parts = value.split(";")
    if len(parts) != 2 or not parts[0]:
        return
    code, fault = parts
    error.code = code
    known = _FAULTS.get(fault.strip())
    if known is not None:
        error.fault = known
