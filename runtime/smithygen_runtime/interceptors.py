"""Ready-made interceptors: a request-id logger and an OpenTelemetry span per call.

Pass them to a client: ``SSMClient(interceptors=[RequestIdLogger()])``. They
are also examples of the ``Interceptor`` hooks (``smithygen_runtime``'s
``Interceptor`` and ``InterceptorContext``).
"""

from __future__ import annotations

import logging
from typing import Any

from ._interceptors import Interceptor, InterceptorContext

__all__ = [
    "Interceptor",
    "InterceptorContext",
    "OpenTelemetrySpans",
    "RequestIdLogger",
]

_SPAN = "smithygen_runtime.span"


def request_id_of(context: InterceptorContext) -> str | None:
    """The request id the service gave the current attempt's response, if any."""
    response = context.response
    if response is None:
        return None
    headers = response.headers
    found: str | None = headers.get("x-amzn-requestid") or headers.get(
        "x-amz-request-id"
    )
    return found


class RequestIdLogger(Interceptor):
    """Logs one line per attempt: the operation, the attempt, the status, the request id.

    The line goes to ``logger`` (default: the ``smithygen_runtime.requests``
    logger) at ``level`` (default INFO); AWS support asks for the request id.
    """

    def __init__(
        self, logger: logging.Logger | None = None, level: int = logging.INFO
    ) -> None:
        self.logger = logger or logging.getLogger("smithygen_runtime.requests")
        self.level = level

    def read_after_attempt(self, context: InterceptorContext) -> None:
        if not self.logger.isEnabledFor(self.level):
            return
        status = context.response.status_code if context.response else None
        self.logger.log(
            self.level,
            "%s attempt %d: HTTP %s, request id %s",
            context.operation,
            context.attempt,
            status if status is not None else "(no response)",
            request_id_of(context) or "(none)",
        )


class OpenTelemetrySpans(Interceptor):
    """Records one OpenTelemetry client span per call (needs ``opentelemetry-api``).

    Install the optional dependency with ``pip install
    'smithygen-runtime[opentelemetry]'``. Without an OpenTelemetry SDK
    configured the API's spans are no-ops. The span is named
    ``<service>/<operation>`` and carries the ``rpc.*`` attributes of
    OpenTelemetry's AWS SDK conventions, the number of attempts, the last
    HTTP status and the request id; a failed call records its exception.
    """

    def __init__(self, tracer: Any = None) -> None:
        from opentelemetry import trace

        self._trace = trace
        self.tracer = tracer or trace.get_tracer("smithygen_runtime")

    def read_before_execution(self, context: InterceptorContext) -> None:
        span = self.tracer.start_span(
            f"{context.service}/{context.operation}",
            kind=self._trace.SpanKind.CLIENT,
            attributes={
                "rpc.system": "aws-api",
                "rpc.service": context.service,
                "rpc.method": context.operation,
            },
        )
        context.properties[_SPAN] = span

    def read_after_attempt(self, context: InterceptorContext) -> None:
        span = context.properties.get(_SPAN)
        if span is None:
            return
        span.set_attribute("aws.attempts", context.attempt)
        if context.response is not None:
            span.set_attribute(
                "http.response.status_code", context.response.status_code
            )
        request_id = request_id_of(context)
        if request_id:
            span.set_attribute("aws.request_id", request_id)

    def read_after_execution(self, context: InterceptorContext) -> None:
        span = context.properties.pop(_SPAN, None)
        if span is None:
            return
        if context.error is not None:
            span.record_exception(context.error)
            span.set_status(
                self._trace.Status(
                    self._trace.StatusCode.ERROR, type(context.error).__name__
                )
            )
        span.end()
