"""Where a request goes: the endpoint's base URL, an operation's host prefix, an input's URL."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ._errors import ConfigurationError, ValidationError
from ._specs import OperationSpec

if TYPE_CHECKING:
    import httpx

__all__ = ["base_url", "request_url"]

_HOST_LABEL_CHARS = frozenset(
    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-"
)


def base_url(url: str, describe: str) -> httpx.URL:
    """An endpoint URL as the base requests go to: its path ends in "/".

    The endpoint's path is a base and the operation's path goes after it
    (http-protocol-compliance-tests.rst: "host" may carry a path; case
    AwsJson11HostWithPath). ConfigurationError names ``describe`` (the URL
    as it may be shown) when the text is not a URL.
    """
    import httpx

    try:
        parsed = httpx.URL(url)
    except (httpx.InvalidURL, TypeError, ValueError) as exc:
        raise ConfigurationError(f"invalid endpoint URL {describe!r}: {exc}") from None
    if not parsed.raw_path.endswith(b"/"):
        parsed = parsed.copy_with(raw_path=parsed.raw_path + b"/")
    return parsed


def request_url(
    operation: OperationSpec[Any, Any], input: Any, base: httpx.URL, path: str
) -> httpx.URL:
    """The URL of one call: the base (or the input's own endpoint), host prefix, path."""
    if operation.endpoint_from_input is not None:
        custom = operation.endpoint_from_input(input)
        if custom:
            base = _input_endpoint(operation.name, custom)
    if operation.host_prefix is not None:
        base = _prefixed(operation, input, base)
    if path:
        base = base.copy_with(raw_path=base.raw_path + path.lstrip("/").encode())
    return base


def _prefixed(
    operation: OperationSpec[Any, Any], input: Any, base: httpx.URL
) -> httpx.URL:
    """``base`` with the operation's host prefix (smithy.api#endpoint), labels filled."""
    labels = operation.host_labels(input) if operation.host_labels is not None else {}
    for name, value in labels.items():
        if not value or len(value) > 63 or not set(value) <= _HOST_LABEL_CHARS:
            raise ValidationError(
                name, "hostLabel", "must be 1-63 letters, digits or hyphens"
            )
    try:
        prefix = str(operation.host_prefix).format_map(labels)
    except KeyError as exc:
        raise ValidationError(
            str(exc.args[0]), "required", "host label missing"
        ) from None
    return base.copy_with(host=prefix + base.host)


def _input_endpoint(operation: str, value: str) -> httpx.URL:
    """The URL an input member names as the endpoint, or ValidationError."""
    import httpx

    try:
        url = httpx.URL(value)
    except (httpx.InvalidURL, TypeError, ValueError):
        url = None
    if url is None or url.scheme not in ("http", "https") or not url.host:
        raise ValidationError(
            "endpoint", "url", f"{operation}: {value!r} is not an http(s) URL"
        )
    if not url.raw_path.endswith(b"/"):
        # As for the client's endpoint: the operation's path goes after it.
        url = url.copy_with(raw_path=url.raw_path + b"/")
    return url
