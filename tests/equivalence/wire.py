"""Both SSM clients on a scripted wire: the generated ``SSMClient`` (httpx
MockTransport) and botocore's ``ssm`` client (its ``before-send`` event), with
the same credentials, region, clock and UUIDs.

Where each client reads the time: the runtime's pipeline calls
``datetime.now(UTC)`` in ``smithygen_runtime._retries`` and hands it to its
signer; botocore's ``SigV4Auth.add_auth`` calls ``botocore.auth.
get_current_datetime()``. Both are patched to one instant. Idempotency tokens
come from ``uuid.uuid4`` in both, and so do botocore's invocation ids; the
runtime's pipeline makes its own (``invocation_id``): all are patched too.
"""

from __future__ import annotations

import contextlib
import uuid
from collections.abc import Iterator, Mapping
from datetime import UTC, datetime
from typing import Any
from unittest import mock

import anyio
import httpx
from botocore.awsrequest import AWSPreparedRequest, AWSResponse
from botocore.compat import HTTPHeaders
from botocore.config import Config
from botocore.session import get_session
from smithygen_runtime import Credentials, RetryConfig
from ssm_inventory import SSMClient

ACCESS_KEY = "AKIDEXAMPLE"
SECRET_KEY = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"
REGION = "us-east-1"
NOW = datetime(2024, 5, 6, 7, 8, 9, tzinfo=UTC)
FIXED_UUID = uuid.UUID("5a0c8f4e-7d2b-4c1e-9f3a-0123456789ab")


class _FrozenDatetime(datetime):
    """``datetime`` whose ``now`` is NOW (the runtime asks ``now(UTC)``)."""

    @classmethod
    def now(cls, tz: Any = None) -> Any:
        return NOW.astimezone(tz) if tz is not None else NOW.replace(tzinfo=None)


def _botocore_now(remove_tzinfo: bool = True) -> datetime:
    return NOW.replace(tzinfo=None) if remove_tzinfo else NOW


@contextlib.contextmanager
def frozen() -> Iterator[None]:
    """One clock and one UUID for both clients."""
    with (
        mock.patch("smithygen_runtime._retries.datetime", _FrozenDatetime),
        mock.patch("botocore.auth.get_current_datetime", _botocore_now),
        mock.patch("uuid.uuid4", lambda: FIXED_UUID),
        mock.patch(
            "smithygen_runtime._pipeline.invocation_id", lambda: str(FIXED_UUID)
        ),
    ):
        yield


class Reply:
    """A scripted HTTP response."""

    def __init__(
        self, status: int = 200, body: bytes = b"{}", headers: Mapping[str, str] = {}
    ) -> None:
        self.status = status
        self.body = body
        self.headers = {"Content-Type": "application/x-amz-json-1.1", **headers}


class RawBody:
    """The ``raw`` object botocore's AWSResponse streams its content from."""

    def __init__(self, body: bytes) -> None:
        self._body = body

    def stream(self, **_: Any) -> Iterator[bytes]:
        yield self._body

    def read(self, amount: int | None = None) -> bytes:
        """What botocore's StreamingBody reads (a blob payload, Lambda's Invoke)."""
        data, self._body = self._body, b""
        return data


class Botocore:
    """botocore's client of a service (SSM by default) answering from a Reply,
    keeping the prepared requests."""

    def __init__(self, service: str = "ssm", *, validate: bool = True) -> None:
        self.client: Any = get_session().create_client(
            service,
            region_name=REGION,
            aws_access_key_id=ACCESS_KEY,
            aws_secret_access_key=SECRET_KEY,
            config=Config(
                retries={"total_max_attempts": 1, "mode": "standard"},
                parameter_validation=validate,
            ),
        )
        self.reply = Reply()
        self.requests: list[AWSPreparedRequest] = []
        service_id = self.client.meta.service_model.service_id.hyphenize()
        self.client.meta.events.register(
            f"before-send.{service_id}",
            self._before_send,  # type: ignore[arg-type]  # a response ends the send
        )

    def _before_send(self, request: AWSPreparedRequest, **_: Any) -> AWSResponse:
        self.requests.append(request)
        headers = HTTPHeaders()
        for name, value in self.reply.headers.items():
            headers[name] = value
        return AWSResponse(
            request.url,
            self.reply.status,
            headers,
            RawBody(self.reply.body),
        )

    def call(self, operation: str, params: Mapping[str, Any], reply: Reply) -> Any:
        """Call ``operation`` (snake_case); returns the parsed dict or the ClientError."""
        self.reply = reply
        self.requests.clear()
        try:
            return getattr(self.client, operation)(**params)
        except self.client.exceptions.ClientError as exc:
            return exc


def call_ours(
    operation: str,
    kwargs: Mapping[str, Any],
    reply: Reply,
    *,
    client_class: Any = SSMClient,
    validate: bool = True,
) -> tuple[httpx.Request, Any]:
    """Call a generated client (SSMClient by default); returns the request and
    the output or the error."""
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(reply.status, headers=reply.headers, content=reply.body)

    async def run() -> Any:
        http = httpx.AsyncClient(transport=httpx.MockTransport(handler))
        client = client_class(
            region=REGION,
            credentials=Credentials(ACCESS_KEY, SECRET_KEY),
            http_client=http,
            retry=RetryConfig(max_attempts=1),
            validate=validate,
        )
        try:
            async with client:
                return await getattr(client, operation)(**kwargs)
        except Exception as exc:
            return exc
        finally:
            await http.aclose()

    result = anyio.run(run)
    assert len(seen) == 1, f"expected one request, got {len(seen)} ({result!r})"
    return seen[0], result


def botocore_signature(request: Any, endpoint: str, signing_name: str) -> str:
    """The Authorization botocore's SigV4Auth computes for a request the loopback
    server recorded (tests/support/loopback_server.Request), over the headers our
    signature names: proof that ours is botocore's signature of our bytes."""
    from botocore.auth import SigV4Auth
    from botocore.awsrequest import AWSRequest
    from botocore.credentials import Credentials as BotoCredentials

    signed = request.headers["authorization"].split("SignedHeaders=")[1]
    names = signed.split(",")[0].split(";")
    headers = {
        name: request.headers[name] for name in names if name not in ("x-amz-date",)
    }
    boto_request = AWSRequest(
        method=request.method,
        url=endpoint + request.target,
        data=request.body,
        headers=headers,
    )
    with frozen():
        SigV4Auth(
            BotoCredentials(ACCESS_KEY, SECRET_KEY), signing_name, REGION
        ).add_auth(boto_request)
    return str(boto_request.headers["Authorization"])
