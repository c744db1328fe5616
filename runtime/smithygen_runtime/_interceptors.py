"""Interceptors: hooks into every stage of a call, as Smithy's reference architecture names them.

A client takes ``interceptors=[...]``; each is an ``Interceptor`` whose hooks
the call runs in this order (every hook is optional, sync or async)::

    read_before_execution
    modify_before_serialization        -> the input
    read_before_serialization
    read_after_serialization
    modify_before_retry_loop           -> the request
    per attempt:
        read_before_attempt
        modify_before_signing          -> the request
        read_before_signing
        read_after_signing
        modify_before_transmit         -> the request
        read_before_transmit
        read_after_transmit
        modify_before_deserialization  -> the response
        read_before_deserialization
        read_after_deserialization
        modify_before_attempt_completion -> the output, or the error
        read_after_attempt
    modify_before_completion           -> the output, or the error
    read_after_execution

A ``read_*`` hook observes; a ``modify_*`` hook returns the value it may
change. An exception a hook raises ends the call with that exception (it is
not retried): raised before or during an attempt, it skips to that attempt's
``modify_before_attempt_completion``; raised outside attempts, to
``modify_before_completion``. ``read_after_execution`` always runs, and then
the caller gets the output or the exception itself. Of the ``read_*`` hooks of
one stage, all run even when one raises, and the first exception is kept.
"""

from __future__ import annotations

import inspect
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import attrs

if TYPE_CHECKING:
    import httpx

__all__ = ["Interceptor", "InterceptorContext"]


@attrs.define(kw_only=True, eq=False)
class InterceptorContext:
    """What the hooks of one call see; the call fills it in as it goes.

    ``request`` and ``response`` are the ``httpx.Request`` and
    ``httpx.Response`` of the current attempt once they exist (None before);
    ``output`` and ``error`` the result once there is one. ``attempt`` counts
    from 1 inside the retry loop (0 before it). ``properties`` is for the
    interceptors themselves, e.g. to keep a tracing span from one hook to a
    later one.
    """

    operation: str
    input: Any
    service: str
    request: httpx.Request | None = None
    response: httpx.Response | None = None
    output: Any = None
    error: BaseException | None = None
    attempt: int = 0
    properties: dict[str, Any] = attrs.field(factory=dict)


class Interceptor:
    """Base class of interceptors: override the hooks you need.

    Every hook takes the call's ``InterceptorContext``; each may be a plain
    method or ``async def``. The ``modify_*`` hooks return the value they
    modify (by default, unchanged).
    """

    def read_before_execution(self, context: InterceptorContext) -> Any:
        """First of all, before anything is checked or built."""

    def modify_before_serialization(self, context: InterceptorContext) -> Any:
        """Returns the input object to serialize (``context.input``)."""
        return context.input

    def read_before_serialization(self, context: InterceptorContext) -> Any:
        """The input as it will be serialized."""

    def read_after_serialization(self, context: InterceptorContext) -> Any:
        """``context.request`` holds the request, not yet signed."""

    def modify_before_retry_loop(self, context: InterceptorContext) -> Any:
        """Returns the request every attempt starts from (``context.request``)."""
        return context.request

    def read_before_attempt(self, context: InterceptorContext) -> Any:
        """An attempt starts; ``context.attempt`` is its number (from 1)."""

    def modify_before_signing(self, context: InterceptorContext) -> Any:
        """Returns the request to sign: a header added here is signed."""
        return context.request

    def read_before_signing(self, context: InterceptorContext) -> Any:
        """The request about to be signed."""

    def read_after_signing(self, context: InterceptorContext) -> Any:
        """The signed request."""

    def modify_before_transmit(self, context: InterceptorContext) -> Any:
        """Returns the request to send (after signing: changes are not signed)."""
        return context.request

    def read_before_transmit(self, context: InterceptorContext) -> Any:
        """The request about to be sent."""

    def read_after_transmit(self, context: InterceptorContext) -> Any:
        """``context.response`` holds the response, its body read."""

    def modify_before_deserialization(self, context: InterceptorContext) -> Any:
        """Returns the response to read (``context.response``)."""
        return context.response

    def read_before_deserialization(self, context: InterceptorContext) -> Any:
        """The response about to be read."""

    def read_after_deserialization(self, context: InterceptorContext) -> Any:
        """``context.output`` or ``context.error`` holds what the response said."""

    def modify_before_attempt_completion(self, context: InterceptorContext) -> Any:
        """Returns the attempt's output, or its error (an exception instance)."""
        return context.output if context.error is None else context.error

    def read_after_attempt(self, context: InterceptorContext) -> Any:
        """The attempt ended; the retry decision comes next."""

    def modify_before_completion(self, context: InterceptorContext) -> Any:
        """Returns the call's output, or its error (an exception instance)."""
        return context.output if context.error is None else context.error

    def read_after_execution(self, context: InterceptorContext) -> Any:
        """Last of all, whether the call succeeded or failed."""


class Hooks:
    """Runs one hook of every interceptor, in the order they were given."""

    __slots__ = ("_interceptors",)

    def __init__(self, interceptors: Sequence[Interceptor]) -> None:
        self._interceptors = tuple(interceptors)

    def __bool__(self) -> bool:
        return bool(self._interceptors)

    async def read(self, hook: str, context: InterceptorContext) -> None:
        """Every interceptor's ``hook``; then the first exception any raised."""
        first: BaseException | None = None
        for interceptor in self._interceptors:
            try:
                await _maybe_await(getattr(interceptor, hook)(context))
            except Exception as error:
                first = first or error
        if first is not None:
            raise first

    async def modify(self, hook: str, context: InterceptorContext, field: str) -> Any:
        """Each interceptor's ``hook`` in turn, its result stored in ``context.field``."""
        for interceptor in self._interceptors:
            value = await _maybe_await(getattr(interceptor, hook)(context))
            setattr(context, field, value)
        return getattr(context, field)

    async def modify_result(self, hook: str, context: InterceptorContext) -> None:
        """A hook returning the output or an error: stored as one or the other."""
        for interceptor in self._interceptors:
            result = await _maybe_await(getattr(interceptor, hook)(context))
            if isinstance(result, BaseException):
                context.output, context.error = None, result
            else:
                context.output, context.error = result, None


async def _maybe_await(value: Any) -> Any:
    if inspect.isawaitable(value):
        return await value
    return value
