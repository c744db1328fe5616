"""The errors the emulator answers with, in the shape SSM gives them.

Two families exist on the wire, and they differ in one visible way:

* errors raised by the AWS front end before an operation runs (authentication,
  unknown operation, body that cannot be read, constraint validation) carry a
  lowercase ``message`` member, as the front end writes it;
* errors modeled in the SSM Smithy model (``InvalidDeletionIdException`` and
  friends) are serialized like any structure, so their modeled ``Message``
  member is spelled with a capital M.  We also write ``message`` so that generic
  error parsers (botocore reads either) find the text the same way.

awsJson 1.1 puts the bare shape name in ``__type`` (aws-json-1_1-protocol.rst,
"Differences between awsJson1_0 and awsJson1_1"), so no namespace prefix is sent.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

__all__ = [
    "ApiError",
    "ValidationProblem",
    "incomplete_signature",
    "invalid_signature",
    "serialization_error",
    "unknown_operation",
    "validation_error",
]


class ApiError(Exception):
    """An error response: HTTP status, wire code and message.

    ``modeled`` marks errors declared in the SSM model, whose body spells the
    member ``Message`` (see the module docstring).
    """

    def __init__(
        self, code: str, message: str, *, status: int = 400, modeled: bool = False
    ) -> None:
        super().__init__(f"{code}: {message}")
        self.code = code
        self.message = message
        self.status = status
        self.modeled = modeled

    def body(self) -> dict[str, Any]:
        """The JSON document sent as the response body."""
        document: dict[str, Any] = {"__type": self.code, "message": self.message}
        if self.modeled:
            document["Message"] = self.message
        return document


def unknown_operation(message: str, *, status: int = 400) -> ApiError:
    """The request names no operation this service has."""
    return ApiError("UnknownOperationException", message, status=status)


def serialization_error(message: str) -> ApiError:
    """The body is not JSON, or a member has the wrong JSON type."""
    return ApiError("SerializationException", message)


def incomplete_signature(message: str) -> ApiError:
    """The Authorization header lacks a part, or a part is malformed.

    SSM (a JSON service) names this ``IncompleteSignatureException``; the query
    protocol services call the same condition ``IncompleteSignature``.
    """
    return ApiError("IncompleteSignatureException", message)


def invalid_signature(message: str) -> ApiError:
    """The signature, its scope or its date do not check out."""
    return ApiError("InvalidSignatureException", message)


class ValidationProblem:
    """One failed constraint, phrased as the AWS front end phrases it."""

    def __init__(self, member: str, value: object, constraint: str) -> None:
        self.member = member
        self.value = value
        self.constraint = constraint

    def __str__(self) -> str:
        # The front end names members in lowerCamelCase and quotes the value,
        # except for a missing value, which it writes as a bare null.
        shown = "null" if self.value is None else f"'{self.value}'"
        field = self.member[:1].lower() + self.member[1:]
        return (
            f"Value {shown} at '{field}' failed to satisfy constraint: "
            f"{self.constraint}"
        )


def validation_error(problems: Sequence[ValidationProblem]) -> ApiError:
    """``ValidationException`` listing every failed constraint at once."""
    count = len(problems)
    noun = "error" if count == 1 else "errors"
    detail = "; ".join(str(problem) for problem in problems)
    return ApiError(
        "ValidationException", f"{count} validation {noun} detected: {detail}"
    )
