"""The call path: one operation call as a sequence of small named steps.

    run                   interceptor context; completion hooks; the result or the error
                          (a call in flight when the client closes ends at once)
    _execute              validate, serialize (protocol), then the rest within the deadline
    _send_routed          the call's route (endpoint rules, discovery), then its attempts
    _build_request        the protocol's request to the route, compressed, checksummed
                          (_checksums), as an httpx.Request
    _retry_loop           attempts until success or a final error (CallAttempts decides)
    _attempt              one attempt: sign, transmit, read; its completion hooks
    _sign                 SigV4 over the request as it will be sent
    _transmit             send it and read the body (_transport.send_and_read)
    _read_response        the output (its checksum checked), or the typed error (protocol)
                          (_read_stream for a streaming output, _read_output otherwise)

Streaming (an operation's ``input_stream`` / ``output_stream``): a request
body the protocol gives as a ``StreamingBody`` is sent as it is read, signed
with the payload hash it computes, and resent on a retry only when it can be
replayed; a success response of an operation with a streaming output is
handed to the protocol's ``deserialize_stream`` unread.

Everything configured is resolved once, before the first call, into the
frozen ``ResolvedConfig``; a call only builds its request, signs and sends.
The protocol is a ``ClientProtocol``: nothing here knows awsJson.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Generic, TypeVar

import attrs

from ._client_protocol import ClientProtocol
from ._credentials import CredentialsResolver
from ._errors import (
    ConfigurationError,
    RequestTimeoutError,
    ServiceError,
    SmithyGenError,
)
from ._interceptors import Hooks, InterceptorContext
from ._loops import HttpClientForLoop, LoopBound
from ._requests import RequestFactory, invocation_id
from ._retries import CallAttempts, ClockSkew, RetryStrategy
from ._routing import EndpointRouter, Route
from ._settings import ClientSettings
from ._specs import OperationSpec
from ._streaming import STREAM_EXTENSION, StreamingBody, close_response
from ._transport import display_url, send_and_read

if TYPE_CHECKING:
    import anyio
    import httpx

    from ._client_protocol import WireRequest

__all__ = ["CallPipeline", "CallResult", "ResolvedConfig"]

logger = logging.getLogger("smithygen_runtime")

Out = TypeVar("Out")

# SSM answers in kilobytes; a body past this is hostile or broken.
MAX_RESPONSE_BYTES = 32 * 1024 * 1024


@attrs.frozen(kw_only=True)
class ResolvedConfig:
    """Everything a client decided once, at set-up, for all its calls."""

    settings: ClientSettings
    protocol: ClientProtocol
    http: HttpClientForLoop  # the httpx client, for the running event loop
    new_request: RequestFactory  # builds each call's httpx.Request
    # Every request's: the owned httpx client's defaults, protocol, User-Agent.
    headers: Mapping[str, str]
    router: EndpointRouter  # each call's endpoint, signer and proxy
    retry: RetryStrategy
    min_compression_size: int | None
    validate: bool
    deadline: float | None


@attrs.frozen
class CallResult(Generic[Out]):
    """A call's output, and the response document it was read from (for waiters)."""

    output: Out
    document: Mapping[str, Any]


class CallPipeline:
    """Runs the calls of one client through the steps above."""

    def __init__(
        self,
        config: ResolvedConfig,
        credentials: CredentialsResolver,
        hooks: Hooks,
        clock: ClockSkew,
        *,
        client_name: str = "client",
    ) -> None:
        self.config = config
        self.credentials = credentials
        self.hooks = hooks
        self.clock = clock
        self.client_name = client_name
        self.closed = False
        # The cancel scopes of the calls in flight, so that close() can end
        # them; a scope belongs to its event loop, hence one set per loop.
        self._in_flight: LoopBound[set[anyio.CancelScope]] = LoopBound(set)

    def close(self) -> None:
        """End the calls in flight (in the running loop) and refuse retries.

        Each ends with ConfigurationError at its next await: waiting for a
        connection, reading a body, sleeping a backoff.
        """
        self.closed = True
        for scope in list(self._in_flight.get()):
            scope.cancel()

    async def sleep_unless_closed(self, delay: float) -> bool:
        """Sleep ``delay`` seconds; False at once when close() ends the sleep.

        A waiter's pause between polls: registered with the calls in flight,
        so that aclose() ends it as it ends them.
        """
        import anyio

        if self.closed:
            return False
        in_flight = self._in_flight.get()
        scope = anyio.CancelScope()
        in_flight.add(scope)
        try:
            with scope:
                await anyio.sleep(delay)
        finally:
            in_flight.discard(scope)
        return not scope.cancel_called

    async def run(
        self, operation: OperationSpec[Any, Out], input: Any
    ) -> CallResult[Out]:
        """Call ``operation`` with ``input``: its output, or its error raised."""
        import anyio

        context = InterceptorContext(
            operation=operation.name,
            input=input,
            service=self.config.protocol.service.sdk_id,
        )
        document: Mapping[str, Any] = {}
        in_flight = self._in_flight.get()
        scope = anyio.CancelScope()
        in_flight.add(scope)
        try:
            with scope:
                document = await self._execute(operation, context)
        except Exception as error:
            context.output, context.error = None, error
        finally:
            in_flight.discard(scope)
        if scope.cancel_called and (
            scope.cancelled_caught or context.error is not None
        ):
            # Closed meanwhile: whatever the attempt saw, the cause is aclose().
            context.output, context.error = None, self._closed_error(operation.name)
        if self.hooks:
            await self._complete(context)
        if context.error is not None:
            raise context.error
        return CallResult(context.output, document)

    def _closed_error(self, operation: str) -> ConfigurationError:
        return ConfigurationError(
            f"this {self.client_name} was closed (aclose()) while {operation} "
            "was in flight; the call was abandoned and may or may not have "
            "reached the service. Create a new client to make calls"
        )

    async def _complete(self, context: InterceptorContext) -> None:
        """modify_before_completion, then read_after_execution (which always runs)."""
        try:
            await self.hooks.modify_result("modify_before_completion", context)
        except Exception as error:
            context.output, context.error = None, error
        try:
            await self.hooks.read("read_after_execution", context)
        except Exception as error:
            context.output, context.error = None, error

    async def _execute(
        self, operation: OperationSpec[Any, Any], context: InterceptorContext
    ) -> Mapping[str, Any]:
        """Validate and serialize the input, then send it within the deadline."""
        hooks = self.hooks
        if hooks:
            await hooks.read("read_before_execution", context)
            await hooks.modify("modify_before_serialization", context, "input")
            await hooks.read("read_before_serialization", context)
        if self.config.validate and operation.validate is not None:
            operation.validate(context.input)
        wire = self.config.protocol.serialize_request(operation, context.input)
        deadline = self.config.deadline
        if deadline is None:
            return await self._send_routed(operation, context, wire)
        import anyio

        try:
            with anyio.fail_after(deadline):
                return await self._send_routed(operation, context, wire)
        except TimeoutError:
            where = display_url(context.request.url) if context.request else "?"
            raise RequestTimeoutError(
                f"{operation.name} to {where}: the call's deadline of "
                f"{deadline} s passed",
                url=where,
                proxy=self.config.router.proxy_for(context.request.url)
                if context.request
                else None,
            ) from None

    async def _send_routed(
        self,
        operation: OperationSpec[Any, Any],
        context: InterceptorContext,
        wire: WireRequest,
    ) -> Mapping[str, Any]:
        """Route the request and run its attempts.

        A discovered address the service calls invalid (its
        InvalidEndpointException, or HTTP 421) is forgotten and the call sent
        once more to a freshly discovered one, as botocore does.
        """
        router = self.config.router
        for discovery_round in (1, 2):
            route = await router.route(
                operation, context.input, wire.document, wire.path, self._describe
            )
            context.request = await self._build_request(operation, wire, route)
            if self.hooks:
                await self.hooks.read("read_after_serialization", context)
                await self.hooks.modify("modify_before_retry_loop", context, "request")
            try:
                return await self._retry_loop(operation, context, route)
            except ServiceError as error:
                if discovery_round == 2 or not router.forget_if_invalid(route, error):
                    raise
        raise AssertionError("unreachable")  # pragma: no cover

    async def _describe(
        self, operation: OperationSpec[Any, Any], input: Any
    ) -> Mapping[str, Any]:
        """Endpoint discovery's own call (DescribeEndpoints): its response document."""
        return (await self.run(operation, input)).document

    async def _build_request(
        self, operation: OperationSpec[Any, Any], wire: WireRequest, route: Route
    ) -> httpx.Request:
        """The protocol's request as an httpx.Request to the route.

        Compressed if allowed, then given its checksum (over the compressed
        bytes, as botocore orders them) when the operation has one.
        """
        config = self.config
        headers = {**config.headers, **route.headers, **wire.headers}
        body = wire.body
        if operation.request_compression and not isinstance(body, StreamingBody):
            from ._compression import compress_body

            body, encoding = compress_body(
                body, operation.request_compression, config.min_compression_size
            )
            if encoding is not None:
                _add_content_encoding(headers, encoding)
        if operation.checksum is not None or operation.checksum_required:
            from ._checksums import add_request_checksum

            body = await add_request_checksum(
                operation,
                wire.document,
                headers,
                body,
                config.settings,
                https=route.url.scheme == "https",
            )
        if isinstance(body, StreamingBody):
            return self._build_streaming_request(wire, body, route, headers)
        # One id for every attempt of the call (AWS SDKs' retry headers).
        headers["amz-sdk-invocation-id"] = invocation_id()
        return config.new_request(wire.method, route.url, headers, body)

    def _build_streaming_request(
        self,
        wire: WireRequest,
        body: StreamingBody,
        route: Route,
        headers: dict[str, str],
    ) -> httpx.Request:
        """A request whose body is sent as a stream (never compressed, never joined)."""
        headers.update(body.headers)
        if body.length is not None:
            headers["Content-Length"] = str(body.length)
        headers["amz-sdk-invocation-id"] = invocation_id()
        return self.config.new_request(
            wire.method, route.url, headers, body.open(), {STREAM_EXTENSION: body}
        )

    async def _retry_loop(
        self,
        operation: OperationSpec[Any, Any],
        context: InterceptorContext,
        route: Route,
    ) -> Mapping[str, Any]:
        """Attempts until one succeeds or ``CallAttempts`` says the error is final."""
        attempts = CallAttempts(self.config.retry, self.clock, operation.name)
        assert context.request is not None
        template = _RequestTemplate(context.request)
        while True:
            number = await attempts.start()
            if number > 1:
                context.request = template.build()
            document = await self._attempt(operation, context, attempts, route)
            error = context.error
            if error is None:
                attempts.succeeded()
                return document
            if not isinstance(error, SmithyGenError):
                raise error  # an interceptor's exception is not retried
            if self.closed:
                # Not a retry: the failure came from closing the client.
                raise self._closed_error(operation.name) from error
            response = context.response
            delay = attempts.retry_delay(
                error, response.headers if response is not None else None
            )
            if delay is None or not template.replayable:
                raise error
            logger.debug(
                "%s: attempt %d/%d failed (%s); retrying in %.3f s",
                operation.name,
                number,
                attempts.max_attempts,
                _describe(error),
                delay,
            )
            import anyio

            await anyio.sleep(delay)

    async def _attempt(
        self,
        operation: OperationSpec[Any, Any],
        context: InterceptorContext,
        attempts: CallAttempts,
        route: Route,
    ) -> Mapping[str, Any]:
        """One attempt; it leaves ``context.output`` or ``context.error`` set."""
        context.attempt = attempts.number
        context.response = context.output = context.error = None
        document: Mapping[str, Any] = {}
        try:
            if self.hooks:
                await self.hooks.read("read_before_attempt", context)
            await self._sign(operation, context, attempts, route)
            content = await self._transmit(operation, context)
            document = await self._read_response(operation, context, content)
        except Exception as error:
            context.output, context.error = None, error
        if self.hooks:
            await self._attempt_completion(context)
        return document

    async def _attempt_completion(self, context: InterceptorContext) -> None:
        """modify_before_attempt_completion, then read_after_attempt."""
        for step in ("modify_before_attempt_completion", "read_after_attempt"):
            try:
                if step.startswith("modify"):
                    await self.hooks.modify_result(step, context)
                else:
                    await self.hooks.read(step, context)
            except Exception as error:
                context.output, context.error = None, error

    async def _sign(
        self,
        operation: OperationSpec[Any, Any],
        context: InterceptorContext,
        attempts: CallAttempts,
        route: Route,
    ) -> None:
        """SigV4 over the request: a header added in modify_before_signing is signed.

        An operation without authentication (``smithy.api#auth([])``) is sent
        unsigned and needs no credentials, as botocore sends it.
        """
        request = context.request
        assert request is not None
        request.headers["amz-sdk-request"] = (
            f"attempt={attempts.number}; max={attempts.max_attempts}"
        )
        hooks = self.hooks
        if hooks:
            request = await hooks.modify("modify_before_signing", context, "request")
            await hooks.read("read_before_signing", context)
        if not operation.unsigned:
            credentials = await self.credentials.get()
            stream = request.extensions.get(STREAM_EXTENSION)
            if stream is None:
                route.signer.sign(request, credentials, now=self.clock.now())
            else:
                await self._sign_streaming(
                    operation, request, stream, credentials, route
                )
        if hooks:
            await hooks.read("read_after_signing", context)

    async def _sign_streaming(
        self,
        operation: OperationSpec[Any, Any],
        request: httpx.Request,
        stream: StreamingBody,
        credentials: Any,
        route: Route,
    ) -> None:
        """Sign with the stream's payload hash, then hand it the signature."""
        from ._streaming import RequestSignature

        unsigned = operation.unsigned_payload and request.url.scheme == "https"
        payload_hash = await stream.payload_hash(unsigned_allowed=unsigned)
        result = route.signer.sign(
            request, credentials, now=self.clock.now(), payload_hash=payload_hash
        )
        stream.signed(
            RequestSignature(
                signer=route.signer,
                credentials=credentials,
                signature=result.signature,
                now=self.clock.now,
            )
        )

    async def _transmit(
        self, operation: OperationSpec[Any, Any], context: InterceptorContext
    ) -> bytes | None:
        """Send the signed request; ``context.response`` gets the response.

        None instead of the body: a success of a streaming output, left unread.
        """
        hooks = self.hooks
        if hooks:
            await hooks.modify("modify_before_transmit", context, "request")
            await hooks.read("read_before_transmit", context)
        assert context.request is not None
        response, content = await send_and_read(
            self.config.http.for_running_loop(),
            context.request,
            operation=operation.name,
            attempt=context.attempt,
            max_attempts=self.config.retry.max_attempts,
            proxy_of=self.config.router.proxy_for,
            limit=MAX_RESPONSE_BYTES,
            keep_open=operation.output_stream is not None,
            owned=self.config.http.owned,
        )
        context.response = response
        if hooks:
            await hooks.read("read_after_transmit", context)
        return content

    async def _read_response(
        self,
        operation: OperationSpec[Any, Any],
        context: InterceptorContext,
        content: bytes | None,
    ) -> Mapping[str, Any]:
        """The output of a success, or the typed error of an error response."""
        hooks = self.hooks
        if hooks:
            content = await self._before_deserialization(context, content)
        response = context.response
        assert response is not None
        document: Mapping[str, Any] = {}
        checked = (
            _checked_response_algorithms(operation, context.request)
            if operation.checksum is not None and response.status_code < 300
            else ()
        )
        if content is None:
            document = await self._read_stream(operation, context, response, checked)
        elif response.status_code < 300:
            document = self._read_output(operation, context, response, content, checked)
        else:
            context.error = self.config.protocol.build_error(
                operation,
                response.status_code,
                response.reason_phrase,
                response.headers,
                content,
            )
        if hooks:
            await hooks.read("read_after_deserialization", context)
        return document

    async def _before_deserialization(
        self, context: InterceptorContext, content: bytes | None
    ) -> bytes | None:
        """modify_before_deserialization, then read_before_deserialization: the body to read."""
        received = context.response
        await self.hooks.modify("modify_before_deserialization", context, "response")
        if context.response is not received:
            # A replaced response brings its own body.
            content = context.response.content  # type: ignore[union-attr]
        await self.hooks.read("read_before_deserialization", context)
        return content

    async def _read_stream(
        self,
        operation: OperationSpec[Any, Any],
        context: InterceptorContext,
        response: httpx.Response,
        checked: tuple[str, ...],
    ) -> Mapping[str, Any]:
        """A streaming output's success: the protocol takes the unread body over."""
        protocol = self.config.protocol
        try:
            if checked:
                from ._checksums import validating_stream

                validating_stream(
                    checked, response, protocol.request_id(response.headers)
                )
            context.output, document = await protocol.deserialize_stream(
                operation, response
            )
        except BaseException:
            await close_response(response)
            raise
        return document

    def _read_output(
        self,
        operation: OperationSpec[Any, Any],
        context: InterceptorContext,
        response: httpx.Response,
        content: bytes,
        checked: tuple[str, ...],
    ) -> Mapping[str, Any]:
        """A success read whole: its checksum checked, then the protocol's output."""
        protocol = self.config.protocol
        if checked:
            from ._checksums import validate_body

            validate_body(
                checked,
                response.headers,
                content,
                status=response.status_code,
                request_id=protocol.request_id(response.headers),
            )
        context.output, document = protocol.deserialize_response(
            operation, response.status_code, response.headers, content
        )
        return document


class _RequestTemplate:
    """The request every attempt starts from (as it was after modify_before_retry_loop).

    An attempt adds its retry header and signature to the request in place;
    a retry starts again from a copy of the template's parts.
    """

    __slots__ = ("content", "extensions", "headers", "method", "stream", "url")

    def __init__(self, request: httpx.Request) -> None:
        self.method = request.method
        self.url = request.url
        # The raw (bytes) pairs: a copy without decoding every header again.
        self.headers = request.headers.raw
        self.extensions = dict(request.extensions)
        self.stream: StreamingBody | None = self.extensions.get(STREAM_EXTENSION)
        self.content = request.content if self.stream is None else b""

    @property
    def replayable(self) -> bool:
        """Whether a retry can send the body again (a one-pass stream cannot)."""
        return self.stream is None or self.stream.replayable

    def build(self) -> httpx.Request:
        import httpx

        return httpx.Request(
            self.method,
            self.url,
            headers=self.headers,
            content=self.content if self.stream is None else self.stream.open(),
            extensions=dict(self.extensions),
        )


def _checked_response_algorithms(
    operation: OperationSpec[Any, Any], request: httpx.Request | None
) -> tuple[str, ...]:
    """The response checksums to look for (() when the request did not ask)."""
    from ._checksums import response_algorithms

    return response_algorithms(operation, request.headers if request else {})


def _add_content_encoding(headers: dict[str, str], encoding: str) -> None:
    """Append ``encoding`` to a Content-Encoding the input set (one bound by
    @httpHeader), else set it: requestCompression.rst, the SDK's encoding comes last."""
    for name, value in headers.items():
        if name.lower() == "content-encoding":
            headers[name] = f"{value}, {encoding}"
            return
    headers["Content-Encoding"] = encoding


def _describe(error: SmithyGenError) -> str:
    if isinstance(error, ServiceError):
        return f"{error.code}, HTTP {error.status_code}"
    return type(error).__name__
