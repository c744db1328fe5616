"""The exception hierarchy: everything the runtime raises derives from SmithyGenError."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Literal, Self

__all__ = [
    "ConfigurationError",
    "CredentialsError",
    "FlexibleChecksumError",
    "PaginationError",
    "RequestTimeoutError",
    "ResponseParseError",
    "ServiceError",
    "SmithyGenError",
    "TransportError",
    "ValidationError",
    "WaiterError",
    "WaiterTimeoutError",
]

Fault = Literal["client", "server"]


def printable(text: str) -> str:
    """``text`` with every non-printable character written as its escape.

    ``"a\x1b[2Jb\n"`` becomes ``"a\\x1b[2Jb\\n"``; printable text, accented
    letters included, is returned as it is.
    """
    if text.isprintable():
        return text
    return "".join(
        char if char.isprintable() else char.encode("unicode_escape").decode("ascii")
        for char in text
    )


def preview(content: bytes, limit: int = 80) -> str:
    """The start of a body that could not be read, quoted for an error message."""
    text = content[:limit].decode("utf-8", "replace")
    text = "".join(ch if ch.isprintable() else " " for ch in text)
    return repr(text + ("..." if len(content) > limit else ""))


class SmithyGenError(Exception):
    """Root of every exception the runtime and generated clients raise."""


class ServiceError(SmithyGenError):
    """The service answered with an error.

    Generated packages subclass this once per service (``SSMError``) and once
    per modeled error, setting the class attributes ``code`` (the wire code)
    and ``fault``; ``retryable`` marks errors the model declares retryable,
    and the common errors the standard retry mode retries (``common_errors``).
    """

    code: str = "Unknown"
    fault: Fault = "client"
    retryable: bool = False

    def __init__(
        self,
        message: str = "",
        *,
        code: str | None = None,
        status_code: int | None = None,
        request_id: str | None = None,
        fault: Fault | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        if code is not None:
            self.code = code
        if fault is not None:
            self.fault = fault
        self.status_code = status_code
        self.request_id = request_id

    @classmethod
    def _from_wire(
        cls,
        body: Mapping[str, Any],
        *,
        code: str,
        message: str,
        status_code: int | None,
        request_id: str | None,
    ) -> Self:
        """Build the error from a parsed error body; extra members are ignored here.

        Generated subclasses with members override this to read them.
        """
        return cls(message, code=code, status_code=status_code, request_id=request_id)

    def __str__(self) -> str:
        # The code, message and request id are the server's text: escaped, so
        # a hostile or broken answer cannot put line breaks, ANSI sequences or
        # other control characters into logs and terminals (the attributes
        # keep the text as it arrived).
        code = printable(self.code)
        text = f"{code}: {printable(self.message)}" if self.message else code
        extras = []
        if self.status_code is not None:
            extras.append(f"HTTP {self.status_code}")
        if self.request_id:
            extras.append(f"request id {printable(self.request_id)}")
        return f"{text} ({', '.join(extras)})" if extras else text

    def __repr__(self) -> str:
        return (
            f"{type(self).__name__}(code={self.code!r}, message={self.message!r}, "
            f"status_code={self.status_code!r}, request_id={self.request_id!r})"
        )


class ValidationError(SmithyGenError, ValueError):
    """Input broke a model constraint; raised before anything is sent.

    ``path`` names the member (``"MaxResults"``, ``"Filters[0].Key"``) and
    ``rule`` the constraint (``"range"``, ``"length"``, ``"pattern"``,
    ``"required"``, ``"type"``, ``"enum"``).
    """

    def __init__(self, path: str, rule: str, detail: str = "") -> None:
        self.path = path
        self.rule = rule
        self.detail = detail
        text = f"invalid value for {path} ({rule})"
        super().__init__(f"{text}: {detail}" if detail else text)


def wrong_input_type(exc: Exception) -> ValidationError:
    """A serializer or binder met a value of the wrong type for its member.

    Reached only with validation off (or a gap in it); every protocol
    reports it the same way.
    """
    return ValidationError("input", "type", f"{type(exc).__name__}: {exc}")


class TransportError(SmithyGenError):
    """The request did not complete: connection refused or reset, TLS, protocol error.

    ``retryable`` tells whether the standard retry mode may try again (a reset
    or a read timeout may; a pool timeout or a malformed URL may not). ``url``
    is where the request went (scheme, host, port and path: never a user name,
    password or query) and ``proxy`` the proxy it went through, if any
    (without its password); the message names both.
    """

    def __init__(
        self,
        message: str,
        *,
        retryable: bool = False,
        url: str | None = None,
        proxy: str | None = None,
    ) -> None:
        super().__init__(message)
        self.retryable = retryable
        self.url = url
        self.proxy = proxy


class RequestTimeoutError(TransportError):
    """A connect, read, write or pool timeout, or the call's deadline, expired."""


class ResponseParseError(SmithyGenError):
    """The response could not be read as the protocol says (bad JSON, wrong shape).

    ``path`` names the member whose value had the wrong type, as the response
    spells it (``InventoryDeletions[3].DeletionSummary.TotalCount``), when one
    did; ``status_code`` and ``request_id`` say which response it was. The
    message names all three.
    """

    def __init__(
        self,
        message: str,
        *,
        status_code: int | None = None,
        request_id: str | None = None,
        path: str | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.status_code = status_code
        self.request_id = request_id
        self.path = path

    def __str__(self) -> str:
        extras = []
        if self.status_code is not None:
            extras.append(f"HTTP {self.status_code}")
        if self.request_id:
            extras.append(f"request id {printable(self.request_id)}")
        # The message may quote the response (a map key in the member path).
        message = printable(self.message)
        return f"{message} ({', '.join(extras)})" if extras else message


class FlexibleChecksumError(ResponseParseError):
    """A response's body does not match the checksum the service sent with it.

    botocore's name for it. The service's ``x-amz-checksum-<algorithm>``
    header (aws.protocols#httpChecksum) disagreed with the checksum of the
    bytes received: the body was corrupted on the way. For a streamed body
    (S3 GetObject) it is raised when the stream's end is read, after every
    chunk was handed over: discard what was read. ``algorithm`` names the
    checksum; ``expected`` and ``actual`` are their base64 values.
    """

    def __init__(
        self,
        message: str,
        *,
        algorithm: str,
        expected: str,
        actual: str,
        status_code: int | None = None,
        request_id: str | None = None,
    ) -> None:
        super().__init__(message, status_code=status_code, request_id=request_id)
        self.algorithm = algorithm
        self.expected = expected
        self.actual = actual


class ConfigurationError(SmithyGenError):
    """The client is misconfigured or closed (no region, FIPS with a custom endpoint...)."""


class CredentialsError(SmithyGenError):
    """No credentials could be found, or a credentials provider failed."""


class PaginationError(SmithyGenError):
    """The service returned a pagination token it had already returned."""


class WaiterError(SmithyGenError):
    """A waiter reached a failure state or met an error no acceptor expected."""

    def __init__(self, message: str, *, last_error: ServiceError | None = None) -> None:
        super().__init__(message)
        self.last_error = last_error


class WaiterTimeoutError(WaiterError):
    """A waiter used up its max_wait without reaching a terminal state."""
