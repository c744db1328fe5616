"""SigV4 signing of httpx requests, with botocore doing the canonicalisation.

The signer works on the ``httpx.Request`` that is about to be sent, so the
signature covers exactly the method, URL, headers and body on the wire.
botocore's ``SigV4Auth`` builds the canonical request and string to sign and
computes the HMACs. Two of its results are kept here: the derived signing
key, per day, region and service, so each request costs one HMAC instead of
five; and the canonical headers of the last header set signed, which the
next call of the same operation signs again.
"""

from __future__ import annotations

import functools
import hashlib
from collections.abc import Generator, Iterator
from datetime import datetime
from typing import Any

import attrs
import httpx

from ._credentials import Credentials

__all__ = ["SigV4HttpxAuth", "SigV4Signer", "SigningResult", "load_botocore_signer"]

SIGV4_TIMESTAMP = "%Y%m%dT%H%M%SZ"

# Headers left out of the signature besides botocore's own list (connection,
# expect, user-agent, ...): httpx adds Content-Length, Accept and
# Accept-Encoding itself and proxies may rewrite them; the payload hash
# already covers the body. The amz-sdk-* retry headers stay unsigned as in
# botocore (which adds them after signing), so both sign the same headers.
# An Accept a protocol sets (rpcv2Cbor's application/cbor) is signed, as
# botocore signs it; only httpx's own "*/*" is left out.
UNSIGNED_HEADERS = frozenset(
    {
        "authorization",
        "content-length",
        "accept",
        "accept-encoding",
        "user-agent",
        "amz-sdk-invocation-id",
        "amz-sdk-request",
    }
)


# The Accept header httpx adds to every request that has none.
HTTPX_ACCEPT = "*/*"


@attrs.frozen(repr=False)
class SigningResult:
    """The intermediate values of one signature (for tests and debugging).

    Never printed: the canonical request holds the session token.
    """

    canonical_request: str
    string_to_sign: str
    authorization: str
    signature: str = ""

    def __repr__(self) -> str:
        return "SigningResult(<redacted>)"


class _RequestView:
    """The attributes botocore's SigV4Auth reads from a request."""

    __slots__ = (
        "body",
        "context",
        "headers",
        "method",
        "params",
        "payload_hash",
        "url",
    )

    def __init__(
        self, method: str, url: str, headers: Any, body: bytes, timestamp: str
    ) -> None:
        self.method = method
        self.url = url
        self.headers = headers
        self.body = body
        self.params: dict[str, str] = {}
        self.context = {"timestamp": timestamp}
        self.payload_hash: str | None = None


class _Headers:
    """The header multimap botocore's canonicalisation reads (names lower-cased).

    botocore's own HTTPHeaders is an email.message.Message, whose every access
    rescans and re-encodes; this list of pairs answers the same questions
    (iteration over names, ``get_all``, ``in``, ``items``) at a fraction of
    the cost, and keeps repeated headers repeated.
    """

    __slots__ = ("_pairs",)

    def __init__(self, pairs: list[tuple[str, str]]) -> None:
        self._pairs = pairs

    @property
    def key(self) -> tuple[tuple[str, str], ...]:
        """The pairs as a value to compare (the canonical headers' memo key)."""
        return tuple(self._pairs)

    def __iter__(self) -> Iterator[str]:
        return (name for name, _ in self._pairs)

    def __contains__(self, name: object) -> bool:
        wanted = str(name).lower()
        return any(key == wanted for key, _ in self._pairs)

    def get_all(self, name: str, failobj: Any = None) -> Any:
        wanted = name.lower()
        values = [value for key, value in self._pairs if key == wanted]
        return values or failobj

    def items(self) -> list[tuple[str, str]]:
        return list(self._pairs)

    def __getitem__(self, name: str) -> str:
        # botocore reads X-Amz-Content-SHA256 by name when a request carries
        # it (Glacier's uploads): the payload hash is then that value.
        values = self.get_all(name)
        if values is None:
            raise KeyError(name)
        return str(values[0])


@functools.cache
def _botocore_auth_class(s3: bool = False) -> Any:
    """botocore's SigV4 signer class (its S3 variant for S3: the path as sent,
    neither normalized nor encoded again)."""
    # Imported on first use: botocore.auth pulls in urllib3 and http.client.
    from botocore.auth import SIGNED_HEADERS_BLACKLIST, S3SigV4Auth, SigV4Auth

    unsigned = UNSIGNED_HEADERS | frozenset(SIGNED_HEADERS_BLACKLIST)
    base = S3SigV4Auth if s3 else SigV4Auth

    class _SigV4Auth(base):  # type: ignore[valid-type,misc]
        """botocore's SigV4 with our choice of signed headers.

        A request whose body is a stream carries its payload hash in the
        view (``payload_hash``), computed before signing as botocore's
        ``payload`` would (or its UNSIGNED-PAYLOAD / events placeholder).
        """

        def payload(self, request: Any) -> str:
            given: str | None = getattr(request, "payload_hash", None)
            return given if given is not None else str(super().payload(request))

        def headers_to_sign(self, request: Any) -> _Headers:
            return _Headers(
                [
                    (k, v)
                    for k, v in request.headers.items()
                    if k not in unsigned or (k == "accept" and v != HTTPX_ACCEPT)
                ]
            )

        # The signed headers of a client's calls are the same from one call
        # to the next (X-Amz-Date changes once a second): botocore's canonical
        # headers and signed-headers line of the last set signed are kept and
        # given again for the same set (about 6 us of a signature's 27).
        _last_headers: tuple[tuple[tuple[str, str], ...], str, str] | None = None

        def _canonical_parts(self, headers_to_sign: _Headers) -> tuple[str, str]:
            key = headers_to_sign.key
            last = self._last_headers
            if last is not None and last[0] == key:
                return last[1], last[2]
            canonical = str(super().canonical_headers(headers_to_sign))
            signed = str(super().signed_headers(headers_to_sign))
            self._last_headers = (key, canonical, signed)
            return canonical, signed

        def canonical_headers(self, headers_to_sign: _Headers) -> str:
            return self._canonical_parts(headers_to_sign)[0]

        def signed_headers(self, headers_to_sign: _Headers) -> str:
            return self._canonical_parts(headers_to_sign)[1]

    return _SigV4Auth


def load_botocore_signer() -> None:
    """Import botocore's signer now (blocking; clients call it in a worker thread)."""
    _botocore_auth_class()


class SigV4Signer:
    """Signs requests for one service name and region."""

    def __init__(self, *, service: str, region: str, s3: bool = False) -> None:
        self.service = service
        self.region = region
        # S3's SigV4 (botocore's S3SigV4Auth): X-Amz-Content-SHA256 carries
        # the payload's hash and is signed; the path is signed as sent.
        self.s3 = s3
        self._key: tuple[str, str, bytes] | None = None  # (secret, date, key)
        self._last_timestamp: tuple[datetime, str] | None = None
        self._auth: tuple[Credentials, Any] | None = None

    def __repr__(self) -> str:
        return f"SigV4Signer(service={self.service!r}, region={self.region!r})"

    def _timestamp(self, now: datetime) -> str:
        # strftime is slow next to the rest of signing; calls in the same
        # second share the string.
        second = now.replace(microsecond=0)
        cached = self._last_timestamp
        if cached is not None and cached[0] == second:
            return cached[1]
        text = second.strftime(SIGV4_TIMESTAMP)
        self._last_timestamp = (second, text)
        return text

    def _signing_key(self, auth: Any, secret: str, date: str) -> bytes:
        cached = self._key
        if cached is not None and cached[0] == secret and cached[1] == date:
            return cached[2]
        k_date = auth._sign(f"AWS4{secret}".encode(), date)
        k_region = auth._sign(k_date, self.region)
        k_service = auth._sign(k_region, self.service)
        key: bytes = auth._sign(k_service, "aws4_request")
        self._key = (secret, date, key)
        return key

    def scope(self, date: str) -> str:
        """The credential scope of a day (``YYYYMMDD``): date/region/service/aws4_request."""
        return f"{date}/{self.region}/{self.service}/aws4_request"

    def sign_string(
        self, string_to_sign: str, credentials: Credentials, date: str
    ) -> str:
        """The hex HMAC of ``string_to_sign`` under the day's signing key (event signing)."""
        auth = self._auth_for(credentials)
        key = self._signing_key(auth, credentials.secret_access_key, date)
        signature: str = auth._sign(key, string_to_sign, hex=True)
        return signature

    def _auth_for(self, credentials: Credentials) -> Any:
        # botocore's signer for these credentials, kept while they stay the
        # same object (Credentials are frozen; a refresh brings a new one).
        cached = self._auth
        if cached is not None and cached[0] is credentials:
            return cached[1]
        auth = _botocore_auth_class(self.s3)(
            _BotocoreCredentials(credentials), self.service, self.region
        )
        self._auth = (credentials, auth)
        return auth

    def sign(
        self,
        request: httpx.Request,
        credentials: Credentials,
        *,
        now: datetime,
        payload_hash: str | None = None,
    ) -> SigningResult:
        """Sign ``request`` in place: X-Amz-Date, X-Amz-Security-Token, Authorization.

        ``payload_hash`` is required for a streamed body (which cannot be
        read here): its SHA-256, or UNSIGNED-PAYLOAD / the events placeholder.
        """
        timestamp = self._timestamp(now)
        headers = request.headers
        if "authorization" in headers:
            del headers["authorization"]
        headers["X-Amz-Date"] = timestamp
        if credentials.session_token:
            headers["X-Amz-Security-Token"] = credentials.session_token
        elif "x-amz-security-token" in headers:
            del headers["x-amz-security-token"]

        if self.s3:
            # S3 signs the payload hash as a header: the given one for a
            # streamed body, else the in-memory body's SHA-256 (botocore's
            # choice for a body that is not a streaming upload).
            headers["X-Amz-Content-SHA256"] = (
                payload_hash
                if payload_hash is not None
                else hashlib.sha256(request.content).hexdigest()
            )
        # httpx's multi_items() gives lower-cased names, repeated headers repeated.
        view = _RequestView(
            request.method,
            str(request.url),
            _Headers(headers.multi_items()),
            request.content if payload_hash is None else b"",
            timestamp,
        )
        view.payload_hash = payload_hash
        auth = self._auth_for(credentials)
        canonical_request = auth.canonical_request(view)
        string_to_sign = auth.string_to_sign(view, canonical_request)
        key = self._signing_key(auth, credentials.secret_access_key, timestamp[:8])
        signature = auth._sign(key, string_to_sign, hex=True)
        # The signed-headers line of botocore's own canonical request (the
        # one before the payload hash), rather than selecting and sorting the
        # headers a second time.
        signed = canonical_request.rsplit("\n", 2)[1]
        authorization = (
            f"AWS4-HMAC-SHA256 Credential={auth.scope(view)}, "
            f"SignedHeaders={signed}, Signature={signature}"
        )
        headers["Authorization"] = authorization
        return SigningResult(
            canonical_request, string_to_sign, authorization, signature
        )


class _BotocoreCredentials:
    """The attribute names botocore's signer reads; never printed."""

    __slots__ = ("access_key", "secret_key", "token")

    def __init__(self, credentials: Credentials) -> None:
        self.access_key = credentials.access_key_id
        self.secret_key = credentials.secret_access_key
        self.token = credentials.session_token

    def __repr__(self) -> str:
        return "<credentials>"


class SigV4HttpxAuth(httpx.Auth):
    """An httpx.Auth that signs each request with SigV4 just before it is sent."""

    requires_request_body = True

    def __init__(
        self, signer: SigV4Signer, credentials: Credentials, now: datetime
    ) -> None:
        self._signer = signer
        self._credentials = credentials
        self._now = now
        self.result: SigningResult | None = None

    def __repr__(self) -> str:
        return f"SigV4HttpxAuth({self._signer!r})"

    def auth_flow(
        self, request: httpx.Request
    ) -> Generator[httpx.Request, httpx.Response, None]:
        self.result = self._signer.sign(request, self._credentials, now=self._now)
        yield request
