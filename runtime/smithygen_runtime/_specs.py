"""Descriptors generated code hands to the runtime: one per service and per operation."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, Generic, Literal, TypeVar

import attrs

from ._errors import ServiceError

__all__ = ["OperationSpec", "ServiceSpec"]

Protocol = Literal["awsJson1_0", "awsJson1_1"]

In = TypeVar("In")
Out = TypeVar("Out")


@attrs.frozen(kw_only=True)
class ServiceSpec:
    """What the runtime needs to know about a service to talk to it."""

    sdk_id: str
    target_prefix: str
    signing_name: str
    protocol: Protocol
    api_version: str
    endpoint_prefix: str | None
    endpoint_ruleset: Callable[[], Mapping[str, Any]] | None
    base_error: type[ServiceError]
    unknown_error: type[ServiceError]
    errors: Mapping[str, type[ServiceError]]


@attrs.frozen(kw_only=True)
class OperationSpec(Generic[In, Out]):
    """One operation: its name, serde functions, validation and modeled errors.

    ``In`` is the input structure class, ``Out`` the output structure class.
    """

    name: str
    serialize: Callable[[In], dict[str, Any]]
    deserialize: Callable[[Mapping[str, Any]], Out]
    validate: Callable[[In], None] | None
    errors: Mapping[str, type[ServiceError]]
    host_prefix: str | None = None
    host_labels: Callable[[In], Mapping[str, str]] | None = None
    # smithy.api#requestCompression encodings, in preference order ("gzip").
    request_compression: tuple[str, ...] = ()
    # A customization (no trait says it): the URL the request goes to, read
    # from the input (Amazon Machine Learning's Predict and PredictEndpoint);
    # None or "" from it means the client's endpoint.
    endpoint_from_input: Callable[[In], str | None] | None = None
