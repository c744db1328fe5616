"""Errors every AWS service may return, whatever its model says.

AWS documents a set of "common errors" (signature, credentials, throttling,
validation...) that any service can send without modeling them. Each has a
class here; every generated package subclasses each one together with its own
base error (``class ThrottlingException(SSMError, common_errors.ThrottlingException)``),
so ``except ssm_inventory.ThrottlingException``, ``except SSMError`` and
``except smithygen_runtime.common_errors.ThrottlingError`` all catch it. A
modeled error with the same code takes its place in that package.

``retryable`` follows the AWS standard retry mode: its throttling codes, and
the server faults it retries by status (InternalFailure is sent with HTTP 500,
ServiceUnavailable with 503).
"""

from __future__ import annotations

from collections.abc import Mapping

from ._errors import ServiceError

__all__ = [
    "COMMON_ERRORS",
    "AccessDeniedException",
    "BandwidthLimitExceeded",
    "CommonServiceError",
    "EC2ThrottledException",
    "ExpiredTokenException",
    "IncompleteSignature",
    "InternalFailure",
    "InvalidAction",
    "InvalidClientTokenId",
    "InvalidParameterCombination",
    "InvalidParameterValue",
    "InvalidQueryParameter",
    "InvalidSignatureException",
    "LimitExceededException",
    "MalformedQueryString",
    "MissingAction",
    "MissingAuthenticationToken",
    "MissingParameter",
    "NotAuthorized",
    "OptInRequired",
    "PriorRequestNotComplete",
    "ProvisionedThroughputExceededException",
    "RequestExpired",
    "RequestLimitExceeded",
    "RequestThrottled",
    "RequestThrottledException",
    "RequestTimeTooSkewed",
    "ServiceUnavailable",
    "SlowDown",
    "ThrottledException",
    "Throttling",
    "ThrottlingError",
    "ThrottlingException",
    "TooManyRequestsException",
    "TransactionInProgressException",
    "UnrecognizedClientException",
    "ValidationException",
]


class CommonServiceError(ServiceError):
    """An error any AWS service may return without modeling it."""


class ThrottlingError(CommonServiceError):
    """The service is limiting the request rate; the standard retry mode retries it."""

    retryable = True


# --- authentication and signing ---


class AccessDeniedException(CommonServiceError):
    """The caller's credentials do not allow this action."""

    code = "AccessDeniedException"


class IncompleteSignature(CommonServiceError):
    """The request's signature is missing parts the SigV4 scheme requires."""

    code = "IncompleteSignature"


class InvalidClientTokenId(CommonServiceError):
    """The access key id (or X.509 certificate) is not known to AWS."""

    code = "InvalidClientTokenId"


class InvalidSignatureException(CommonServiceError):
    """The signature does not match the request (wrong secret key, or a changed request)."""

    code = "InvalidSignatureException"


class MissingAuthenticationToken(CommonServiceError):
    """The request was neither signed nor carried an access key id."""

    code = "MissingAuthenticationToken"


class NotAuthorized(CommonServiceError):
    """The caller is not permitted to perform this action."""

    code = "NotAuthorized"


class OptInRequired(CommonServiceError):
    """The account must subscribe (opt in) to the service before using it."""

    code = "OptInRequired"


class ExpiredTokenException(CommonServiceError):
    """The session token in the request has expired."""

    code = "ExpiredTokenException"


class UnrecognizedClientException(CommonServiceError):
    """The access key id or session token is invalid."""

    code = "UnrecognizedClientException"


class RequestExpired(CommonServiceError):
    """The request reached the service too long after its signature date."""

    code = "RequestExpired"


class RequestTimeTooSkewed(CommonServiceError):
    """The client's clock differs from the service's by more than it allows."""

    code = "RequestTimeTooSkewed"


# --- malformed requests ---


class InvalidAction(CommonServiceError):
    """The action (operation) requested does not exist."""

    code = "InvalidAction"


class InvalidParameterCombination(CommonServiceError):
    """Parameters were given that cannot be used together."""

    code = "InvalidParameterCombination"


class InvalidParameterValue(CommonServiceError):
    """A parameter's value is invalid or out of range."""

    code = "InvalidParameterValue"


class InvalidQueryParameter(CommonServiceError):
    """The query string is malformed or breaks AWS's rules for it."""

    code = "InvalidQueryParameter"


class MalformedQueryString(CommonServiceError):
    """The query string has a syntax error."""

    code = "MalformedQueryString"


class MissingAction(CommonServiceError):
    """The request names no action (operation)."""

    code = "MissingAction"


class MissingParameter(CommonServiceError):
    """A parameter the action requires is missing."""

    code = "MissingParameter"


class ValidationException(CommonServiceError):
    """The input does not satisfy the service's constraints.

    Sent as ``ValidationException`` or ``ValidationError``; ``code`` keeps
    which (``ValidationError`` is not used as a class name, being the runtime's
    client-side validation error).
    """

    code = "ValidationException"


# --- server side ---


class InternalFailure(CommonServiceError):
    """The request failed because of an unknown error on the service's side."""

    code = "InternalFailure"
    fault = "server"
    retryable = True


class ServiceUnavailable(CommonServiceError):
    """The service could not handle the request for now."""

    code = "ServiceUnavailable"
    fault = "server"
    retryable = True


# --- throttling: the standard retry mode's throttling codes ---


class ThrottlingException(ThrottlingError):
    """The request was denied because of request throttling."""

    code = "ThrottlingException"


class Throttling(ThrottlingError):
    """The request was denied because of request throttling."""

    code = "Throttling"


class ThrottledException(ThrottlingError):
    """The request was throttled."""

    code = "ThrottledException"


class RequestThrottledException(ThrottlingError):
    """The request was throttled."""

    code = "RequestThrottledException"


class RequestThrottled(ThrottlingError):
    """The request was throttled."""

    code = "RequestThrottled"


class TooManyRequestsException(ThrottlingError):
    """Too many requests were sent in too short a time."""

    code = "TooManyRequestsException"


class ProvisionedThroughputExceededException(ThrottlingError):
    """The request rate is above the provisioned throughput."""

    code = "ProvisionedThroughputExceededException"


class TransactionInProgressException(ThrottlingError):
    """Another transaction with the same token is still in progress."""

    code = "TransactionInProgressException"


class RequestLimitExceeded(ThrottlingError):
    """The account's request rate limit was exceeded."""

    code = "RequestLimitExceeded"


class BandwidthLimitExceeded(ThrottlingError):
    """The bandwidth limit was exceeded."""

    code = "BandwidthLimitExceeded"


class LimitExceededException(ThrottlingError):
    """A rate limit was exceeded (services that model their own take precedence)."""

    code = "LimitExceededException"


class SlowDown(ThrottlingError):
    """The request rate is too high: reduce it."""

    code = "SlowDown"


class PriorRequestNotComplete(ThrottlingError):
    """A previous request on the same resource has not completed yet."""

    code = "PriorRequestNotComplete"


class EC2ThrottledException(ThrottlingError):
    """The request was throttled by EC2."""

    code = "EC2ThrottledException"


_CLASSES: tuple[type[CommonServiceError], ...] = (
    AccessDeniedException,
    IncompleteSignature,
    InternalFailure,
    InvalidAction,
    InvalidClientTokenId,
    InvalidParameterCombination,
    InvalidParameterValue,
    InvalidQueryParameter,
    MalformedQueryString,
    MissingAction,
    MissingAuthenticationToken,
    MissingParameter,
    NotAuthorized,
    OptInRequired,
    RequestExpired,
    ServiceUnavailable,
    ThrottlingException,
    ValidationException,
    ExpiredTokenException,
    UnrecognizedClientException,
    InvalidSignatureException,
    RequestTimeTooSkewed,
    Throttling,
    ThrottledException,
    RequestThrottledException,
    TooManyRequestsException,
    ProvisionedThroughputExceededException,
    TransactionInProgressException,
    RequestLimitExceeded,
    BandwidthLimitExceeded,
    LimitExceededException,
    RequestThrottled,
    SlowDown,
    PriorRequestNotComplete,
    EC2ThrottledException,
)

COMMON_ERRORS: Mapping[str, type[CommonServiceError]] = {
    **{cls.code: cls for cls in _CLASSES},
    "ValidationError": ValidationException,
}
"""Every common error class by the wire code it stands for."""
