"""The errors every AWS service may return have typed classes in the generated package."""

from __future__ import annotations

import pytest
import ssm_inventory
from smithygen_runtime import common_errors
from smithygen_runtime._retries import RetryKind, classify
from smithygen_runtime.common_errors import COMMON_ERRORS, ThrottlingError
from ssm_inventory import SSMClient, SSMError, UnknownSSMError

from .conftest import Script

# The standard retry mode's throttling codes (botocore/retries/standard.py).
STANDARD_THROTTLING_CODES = {
    "Throttling",
    "ThrottlingException",
    "ThrottledException",
    "RequestThrottledException",
    "TooManyRequestsException",
    "ProvisionedThroughputExceededException",
    "TransactionInProgressException",
    "RequestLimitExceeded",
    "BandwidthLimitExceeded",
    "LimitExceededException",
    "RequestThrottled",
    "SlowDown",
    "PriorRequestNotComplete",
    "EC2ThrottledException",
}
# The errors AWS lists as common to all services (the list).
DOCUMENTED_COMMON_CODES = {
    "AccessDeniedException",
    "IncompleteSignature",
    "InternalFailure",
    "InvalidAction",
    "InvalidClientTokenId",
    "InvalidParameterCombination",
    "InvalidParameterValue",
    "InvalidQueryParameter",
    "MalformedQueryString",
    "MissingAction",
    "MissingAuthenticationToken",
    "MissingParameter",
    "NotAuthorized",
    "OptInRequired",
    "RequestExpired",
    "ServiceUnavailable",
    "ThrottlingException",
    "ValidationError",
    "ValidationException",
    "ExpiredTokenException",
    "UnrecognizedClientException",
    "InvalidSignatureException",
    "RequestTimeTooSkewed",
}
# The status AWS sends each with (what the standard mode's status rule sees).
STATUS = {"InternalFailure": 500, "ServiceUnavailable": 503}


def test_every_documented_and_throttling_code_has_a_class() -> None:
    assert set(COMMON_ERRORS) == DOCUMENTED_COMMON_CODES | STANDARD_THROTTLING_CODES


@pytest.mark.anyio
@pytest.mark.parametrize("code", sorted(COMMON_ERRORS))
async def test_a_common_error_is_typed_and_an_instance_of_the_service_base(
    ssm: SSMClient, script: Script, code: str
) -> None:
    status = STATUS.get(code, 400)
    script.reply({"__type": code, "message": "nope"}, status=status)
    with pytest.raises(SSMError) as caught:
        await ssm.describe_inventory_deletions()
    error = caught.value
    runtime_class = COMMON_ERRORS[code]
    package_class = getattr(ssm_inventory, runtime_class.__name__)
    assert type(error) is package_class
    assert isinstance(error, runtime_class)
    assert not isinstance(error, UnknownSSMError)
    assert error.code == code
    assert error.message == "nope"
    throttling = code in STANDARD_THROTTLING_CODES
    assert isinstance(error, ThrottlingError) is throttling
    # Retryable exactly when the standard retry mode retries it.
    assert error.retryable is (classify(error) is not RetryKind.NONE)
    assert error.retryable is (throttling or status >= 500)
    assert error.fault == ("server" if status >= 500 else "client")
    attempts = 3 if error.retryable else 1
    assert len(script.requests) == attempts


def test_common_classes_are_exported_and_documented() -> None:
    for runtime_class in set(COMMON_ERRORS.values()):
        name = runtime_class.__name__
        assert name in ssm_inventory.__all__
        package_class = getattr(ssm_inventory, name)
        assert issubclass(package_class, SSMError)
        assert issubclass(package_class, getattr(common_errors, name))
        assert package_class.__doc__ and "common AWS error" in package_class.__doc__


def test_modeled_errors_keep_their_own_class() -> None:
    # InternalServerError is modeled by SSM; it is not a common error.
    assert ssm_inventory.InternalServerError.__mro__[1] is SSMError
    assert "InternalServerError" not in COMMON_ERRORS
