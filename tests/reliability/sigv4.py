"""Check a recorded request's SigV4 signature independently, with botocore."""

from __future__ import annotations

import re

from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials as BotocoreCredentials
from smithygen_runtime import Credentials

from tests.support.loopback_server import Request

_AUTHORIZATION = re.compile(
    r"^AWS4-HMAC-SHA256 Credential=(?P<key>[^/]+)/(?P<date>\d{8})/(?P<region>[^/]+)/"
    r"(?P<service>[^/]+)/aws4_request, SignedHeaders=(?P<signed>[a-z0-9;-]+), "
    r"Signature=(?P<signature>[0-9a-f]{64})$"
)


def signature_of(request: Request) -> str:
    """The Signature= value of the request's Authorization header."""
    match = _AUTHORIZATION.match(request.headers["authorization"])
    assert match, request.headers["authorization"]
    return match["signature"]


def expected_signature(request: Request, credentials: Credentials) -> str:
    """The signature botocore computes for the request as the server received it.

    Only the headers the client listed in SignedHeaders take part, with the
    values that arrived on the wire, and the request's own X-Amz-Date.
    """
    match = _AUTHORIZATION.match(request.headers["authorization"])
    assert match, request.headers["authorization"]
    assert match["key"] == credentials.access_key_id
    signed = match["signed"].split(";")
    missing = [name for name in signed if name not in request.headers]
    assert not missing, f"signed headers absent from the request: {missing}"
    aws_request = AWSRequest(
        method=request.method,
        url=f"http://{request.headers['host']}{request.target}",
        data=request.body,
        headers={name: request.headers[name] for name in signed},
    )
    aws_request.context["timestamp"] = request.headers["x-amz-date"]
    auth = SigV4Auth(
        BotocoreCredentials(
            credentials.access_key_id,
            credentials.secret_access_key,
            credentials.session_token,
        ),
        match["service"],
        match["region"],
    )
    canonical = auth.canonical_request(aws_request)
    signature: str = auth.signature(
        auth.string_to_sign(aws_request, canonical), aws_request
    )
    return signature
