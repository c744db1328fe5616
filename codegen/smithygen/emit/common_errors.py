"""The common AWS errors every generated package exposes, as the generator knows them.

The generated classes subclass the runtime's classes of the same names
(``smithygen_runtime.common_errors``); the generator does not import the
runtime (a separate distribution), so it keeps this table, which
tests/codegen checks against the runtime's ``COMMON_ERRORS``.
"""

from __future__ import annotations

from typing import Final

COMMON_ERRORS: Final[tuple[tuple[str, tuple[str, ...], str], ...]] = (
    # (class name, wire codes, one-line summary), as in the runtime module.
    (
        "AccessDeniedException",
        ("AccessDeniedException",),
        "The caller's credentials do not allow this action.",
    ),
    (
        "IncompleteSignature",
        ("IncompleteSignature",),
        "The request's signature is missing parts the SigV4 scheme requires.",
    ),
    (
        "InternalFailure",
        ("InternalFailure",),
        "The request failed because of an unknown error on the service's side.",
    ),
    (
        "InvalidAction",
        ("InvalidAction",),
        "The action (operation) requested does not exist.",
    ),
    (
        "InvalidClientTokenId",
        ("InvalidClientTokenId",),
        "The access key id (or X.509 certificate) is not known to AWS.",
    ),
    (
        "InvalidParameterCombination",
        ("InvalidParameterCombination",),
        "Parameters were given that cannot be used together.",
    ),
    (
        "InvalidParameterValue",
        ("InvalidParameterValue",),
        "A parameter's value is invalid or out of range.",
    ),
    (
        "InvalidQueryParameter",
        ("InvalidQueryParameter",),
        "The query string is malformed or breaks AWS's rules for it.",
    ),
    (
        "MalformedQueryString",
        ("MalformedQueryString",),
        "The query string has a syntax error.",
    ),
    ("MissingAction", ("MissingAction",), "The request names no action (operation)."),
    (
        "MissingAuthenticationToken",
        ("MissingAuthenticationToken",),
        "The request was neither signed nor carried an access key id.",
    ),
    (
        "MissingParameter",
        ("MissingParameter",),
        "A parameter the action requires is missing.",
    ),
    (
        "NotAuthorized",
        ("NotAuthorized",),
        "The caller is not permitted to perform this action.",
    ),
    (
        "OptInRequired",
        ("OptInRequired",),
        "The account must subscribe (opt in) to the service before using it.",
    ),
    (
        "RequestExpired",
        ("RequestExpired",),
        "The request reached the service too long after its signature date.",
    ),
    (
        "ServiceUnavailable",
        ("ServiceUnavailable",),
        "The service could not handle the request for now.",
    ),
    (
        "ThrottlingException",
        ("ThrottlingException",),
        "The request was denied because of request throttling.",
    ),
    (
        "ValidationException",
        ("ValidationException", "ValidationError"),
        "The input does not satisfy the service's constraints.",
    ),
    (
        "ExpiredTokenException",
        ("ExpiredTokenException",),
        "The session token in the request has expired.",
    ),
    (
        "UnrecognizedClientException",
        ("UnrecognizedClientException",),
        "The access key id or session token is invalid.",
    ),
    (
        "InvalidSignatureException",
        ("InvalidSignatureException",),
        "The signature does not match the request (wrong secret key, or a changed request).",
    ),
    (
        "RequestTimeTooSkewed",
        ("RequestTimeTooSkewed",),
        "The client's clock differs from the service's by more than it allows.",
    ),
    (
        "Throttling",
        ("Throttling",),
        "The request was denied because of request throttling.",
    ),
    ("ThrottledException", ("ThrottledException",), "The request was throttled."),
    (
        "RequestThrottledException",
        ("RequestThrottledException",),
        "The request was throttled.",
    ),
    (
        "TooManyRequestsException",
        ("TooManyRequestsException",),
        "Too many requests were sent in too short a time.",
    ),
    (
        "ProvisionedThroughputExceededException",
        ("ProvisionedThroughputExceededException",),
        "The request rate is above the provisioned throughput.",
    ),
    (
        "TransactionInProgressException",
        ("TransactionInProgressException",),
        "Another transaction with the same token is still in progress.",
    ),
    (
        "RequestLimitExceeded",
        ("RequestLimitExceeded",),
        "The account's request rate limit was exceeded.",
    ),
    (
        "BandwidthLimitExceeded",
        ("BandwidthLimitExceeded",),
        "The bandwidth limit was exceeded.",
    ),
    (
        "LimitExceededException",
        ("LimitExceededException",),
        "A rate limit was exceeded (services that model their own take precedence).",
    ),
    ("RequestThrottled", ("RequestThrottled",), "The request was throttled."),
    ("SlowDown", ("SlowDown",), "The request rate is too high: reduce it."),
    (
        "PriorRequestNotComplete",
        ("PriorRequestNotComplete",),
        "A previous request on the same resource has not completed yet.",
    ),
    (
        "EC2ThrottledException",
        ("EC2ThrottledException",),
        "The request was throttled by EC2.",
    ),
)
