"""The ASGI application: awsJson 1.1 framing around the SSM operations.

A request goes through the steps an AWS front end takes, and the first that
fails decides the answer:

1. check that the Host header names this server (``hosts.py``), else 421
   ``MisdirectedRequestException``;
2. claim it as awsJson 1.1: ``POST /`` with ``Content-Type:
   application/x-amz-json-1.1`` (aws-json.rst.template, "Identification for
   claiming"); anything else is not an operation of this service, 404
   ``UnknownOperationException``;
3. resolve ``X-Amz-Target`` to ``AmazonSSM.<Operation>``; absent or unknown is
   400 ``UnknownOperationException``;
4. check everything of the SigV4 signature that the head decides
   (``sigv4.py``), so that a request which cannot be authentic is refused
   before its body is read;
5. read the body, within ``max_body_bytes`` (413) and ``body_timeout``
   seconds (408), then check the payload hash and the signature;
6. parse the body as a JSON object (an empty body is ``{}``, as the protocol
   requires servers to accept); otherwise 400 ``SerializationException``;
7. run the operation.

Every response, error or not, carries ``x-amzn-RequestId`` and the protocol's
content type; one sent before the body was read in full also closes the
connection, so a client cannot keep feeding it.  An unexpected exception
becomes 500 ``InternalServerError`` (the model's server error) and is logged;
it never reaches the server.
"""

from __future__ import annotations

import json
import logging
import uuid
from collections.abc import Awaitable, Callable, MutableMapping, Sequence
from typing import Any

import anyio
import attrs

from .errors import ApiError, serialization_error, unknown_operation
from .hosts import check_host
from .operations import Operation
from .sigv4 import ReceivedRequest, SigV4Verifier
from .store import StoreBusy

__all__ = ["CONTENT_TYPE", "TARGET_PREFIX", "EmulatorApp"]

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]

CONTENT_TYPE = "application/x-amz-json-1.1"
TARGET_PREFIX = "AmazonSSM"
_log = logging.getLogger("ssm_emulator")


class _ClientGone(Exception):
    """The client disconnected before its request body arrived in full."""


@attrs.define
class _Exchange:
    """What the app learnt of one request while answering it."""

    body_read: bool = False


class EmulatorApp:
    """ASGI 3 application serving the given operations."""

    def __init__(
        self,
        operations: dict[str, Operation],
        verifier: SigV4Verifier,
        *,
        max_body_bytes: int,
        body_timeout: float,
        allowed_hosts: Sequence[str] = (),
    ) -> None:
        self._operations = operations
        self._verifier = verifier
        self._max_body_bytes = max_body_bytes
        self._body_timeout = body_timeout
        self._allowed_hosts = tuple(allowed_hosts)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            return  # lifespan is off; websockets are not part of the protocol
        request_id = str(uuid.uuid4())
        exchange = _Exchange()
        try:
            status, document = 200, await self._handle(scope, receive, exchange)
        except _ClientGone:
            return
        except ApiError as error:
            status, document = error.status, error.body()
        except StoreBusy as busy:
            # Another process sharing the database file held its lock.
            status, document = (
                503,
                ApiError("ServiceUnavailableException", f"{busy}; retry.").body(),
            )
        except Exception:
            _log.exception("request %s failed", request_id)
            status, document = (
                500,
                {
                    "__type": "InternalServerError",
                    "message": "An internal error occurred.",
                    "Message": "An internal error occurred.",
                },
            )
        body = json.dumps(document, separators=(",", ":")).encode()
        headers = [
            (b"content-type", CONTENT_TYPE.encode()),
            (b"content-length", str(len(body)).encode()),
            (b"x-amzn-requestid", request_id.encode()),
        ]
        if not exchange.body_read:
            # The rest of the body may still be on its way (slowly, or never):
            # closing is the only way not to keep reading it.
            headers.append((b"connection", b"close"))
        await send(
            {"type": "http.response.start", "status": status, "headers": headers}
        )
        await send({"type": "http.response.body", "body": body})

    async def _handle(
        self, scope: Scope, receive: Receive, exchange: _Exchange
    ) -> dict[str, Any]:
        headers = [
            (k.decode("latin-1"), v.decode("latin-1")) for k, v in scope["headers"]
        ]
        check_host(
            [v for k, v in headers if k.lower() == "host"],
            scope.get("server"),
            self._allowed_hosts,
        )
        content_type = next((v for k, v in headers if k.lower() == "content-type"), "")
        media_type = content_type.split(";", 1)[0].strip().lower()
        if (
            scope["method"] != "POST"
            or scope["path"] != "/"
            or media_type != CONTENT_TYPE
        ):
            raise unknown_operation(
                f"No operation matches {scope['method']} {scope['path']} with "
                f"Content-Type '{content_type}'; this service speaks {CONTENT_TYPE} "
                "on POST /.",
                status=404,
            )
        target = next((v for k, v in headers if k.lower() == "x-amz-target"), None)
        service, _, name = (target or "").partition(".")
        operation = self._operations.get(name) if service == TARGET_PREFIX else None
        if operation is None:
            raise unknown_operation(
                "Missing X-Amz-Target header"
                if target is None
                else f"Unknown operation: {target}"
            )

        raw_path = scope.get("raw_path") or scope["path"].encode()
        head = ReceivedRequest(
            method=scope["method"],
            path=raw_path.decode("latin-1"),
            query=scope.get("query_string", b"").decode("latin-1"),
            headers=headers,
            body=b"",
        )
        signed = self._verifier.check_head(head)
        body = await self._read_body(receive)
        exchange.body_read = True
        self._verifier.check_signature(signed, attrs.evolve(head, body=body))
        return await operation(_parse_object(body))

    async def _read_body(self, receive: Receive) -> bytes:
        with anyio.move_on_after(self._body_timeout):
            return await self._read_capped_body(receive)
        raise ApiError(
            "RequestTimeoutException",
            f"The request body did not arrive within {self._body_timeout:g} seconds.",
            status=408,
        )

    async def _read_capped_body(self, receive: Receive) -> bytes:
        body = bytearray()
        while True:
            message = await receive()
            if message["type"] == "http.disconnect":
                raise _ClientGone
            body += message.get("body", b"")
            if len(body) > self._max_body_bytes:
                raise ApiError(
                    "RequestEntityTooLargeException",
                    f"Request body exceeds {self._max_body_bytes} bytes.",
                    status=413,
                )
            if not message.get("more_body", False):
                return bytes(body)


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not valid JSON")


def _parse_object(body: bytes) -> dict[str, Any]:
    if not body.strip():
        return {}
    try:
        document = json.loads(body.decode("utf-8"), parse_constant=_reject_constant)
    except (UnicodeDecodeError, ValueError) as error:
        raise serialization_error(
            f"The request body is not valid JSON: {error}"
        ) from None
    except RecursionError:
        raise serialization_error(
            "The request body is not valid JSON: it is nested too deeply."
        ) from None
    if not isinstance(document, dict):
        kind = "list" if isinstance(document, list) else "scalar value"
        raise serialization_error(f"Start of {kind} found where not expected")
    if _holds_a_lone_surrogate(document):
        # JSON can escape half a UTF-16 pair ("\ud800"); no Unicode text
        # holds one, and nothing downstream (SQLite, hashing) can store it.
        raise serialization_error(
            "The request body is not valid JSON: a string holds an unpaired "
            "UTF-16 surrogate escape, which is not a Unicode character."
        )
    return document


def _holds_a_lone_surrogate(document: object) -> bool:
    # Iterative: json.loads accepted the nesting, a recursive walk might not.
    pending = [document]
    while pending:
        value = pending.pop()
        if isinstance(value, str):
            try:
                value.encode("utf-8")
            except UnicodeEncodeError:
                return True
        elif isinstance(value, dict):
            pending.extend(value.keys())
            pending.extend(value.values())
        elif isinstance(value, list):
            pending.extend(value)
    return False
