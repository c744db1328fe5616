"""Verifying the SigV4 signature of a received request with botocore's signer.

The emulator does not re-implement canonicalisation: it rebuilds the request
it received as a botocore ``AWSRequest`` and asks ``SigV4Auth`` for the
canonical request, string to sign and signature, restricted to exactly the
headers the client listed in ``SignedHeaders``.  What is ours is the checking
around it (the parts of the Authorization header, the credential scope, the
clock skew, the payload hash), with the messages AWS front ends use.
"""

from __future__ import annotations

import hashlib
import hmac
import re
from collections.abc import Callable, Sequence
from datetime import UTC, datetime, timedelta
from email.utils import parsedate_to_datetime
from typing import Any
from urllib.parse import unquote

import attrs
from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest, HTTPHeaders
from botocore.credentials import Credentials

from .errors import ApiError, incomplete_signature, invalid_signature
from .settings import EmulatorCredentials

__all__ = ["ReceivedRequest", "SigV4Verifier", "SignedHead"]

_ALGORITHM = "AWS4-HMAC-SHA256"
_AMZ_DATE_FORMAT = "%Y%m%dT%H%M%SZ"
_UNSIGNED_PAYLOAD = "UNSIGNED-PAYLOAD"
_REGION_SYNTAX = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
_SHA256_HEX = re.compile(r"[0-9a-f]{64}")
_SIGNATURE_MISMATCH = (
    "The request signature we calculated does not match the signature you "
    "provided. Check your AWS Secret Access Key and signing method. Consult the "
    "service documentation for details."
)
_INVALID_TOKEN = "The security token included in the request is invalid."


@attrs.frozen(kw_only=True)
class ReceivedRequest:
    """A request as it arrived: raw path and query, headers in order, body."""

    method: str
    path: str
    query: str
    headers: Sequence[tuple[str, str]]
    body: bytes

    def header(self, name: str) -> str | None:
        """The first value of a header, by case-insensitive name."""
        wanted = name.lower()
        for key, value in self.headers:
            if key.lower() == wanted:
                return value
        return None


class _ReceivedRequestSigner(SigV4Auth):
    """botocore's SigV4 canonicalisation over exactly the listed signed headers.

    botocore, when signing, picks every header except a small deny-list; a
    verifier must instead use the client's ``SignedHeaders`` list, which may
    name headers botocore would skip (user-agent, for one).
    """

    def __init__(
        self, credentials: Credentials, region: str, service: str, signed: Sequence[str]
    ) -> None:
        super().__init__(credentials, service, region)
        self._signed = tuple(signed)

    def headers_to_sign(self, request: AWSRequest) -> HTTPHeaders:
        selected = HTTPHeaders()
        for name in self._signed:
            for value in request.headers.get_all(name) or ():
                selected[name] = value
        return selected


@attrs.frozen
class _Authorization:
    credential: str
    signed_headers: tuple[str, ...]
    signature: str


@attrs.frozen(kw_only=True)
class SignedHead:
    """A request head that passed every check but the signature itself."""

    credentials: EmulatorCredentials
    authorization: _Authorization
    region: str
    service: str
    timestamp: datetime


class SigV4Verifier:
    """Checks requests against a set of credentials for one signing service."""

    def __init__(
        self,
        credentials: Sequence[EmulatorCredentials],
        *,
        service: str,
        region: str | None,
        clock: Callable[[], float],
        max_skew: float = 15 * 60,
    ) -> None:
        self._by_key = {c.access_key_id: c for c in credentials}
        self._service = service
        self._region = region
        self._clock = clock
        self._max_skew = timedelta(seconds=max_skew)

    def verify(self, request: ReceivedRequest) -> EmulatorCredentials:
        """Return the credentials that signed ``request``, or raise ``ApiError``."""
        return self.check_signature(self.check_head(request), request)

    def check_head(self, request: ReceivedRequest) -> SignedHead:
        """Every check that does not need the body; ``request.body`` is ignored.

        Run before the body is read, so a request that cannot be authentic
        (no or unknown key, wrong scope, stale date, unsigned headers) is
        refused without the server buffering its body.
        """
        header = request.header("authorization")
        if header is None:
            raise ApiError(
                "MissingAuthenticationTokenException", "Missing Authentication Token"
            )
        amz_date = request.header("x-amz-date")
        http_date = request.header("date")
        auth = _parse_authorization(
            header, has_date=amz_date is not None or http_date is not None
        )
        scope = auth.credential.split("/")
        if len(scope) != 5:
            raise incomplete_signature(
                "Credential must have exactly 5 slash-delimited elements, e.g. "
                f"keyid/date/region/service/term, got '{auth.credential}'"
            )
        access_key, scope_date, region, service, terminator = scope
        known = self._by_key.get(access_key)
        if (
            known is None
            or request.header("x-amz-security-token") != known.session_token
        ):
            raise ApiError("UnrecognizedClientException", _INVALID_TOKEN)

        timestamp, date_header = _request_time(amz_date, http_date)
        self._check_scope(
            scope_date, region, service, terminator, timestamp, date_header
        )
        self._check_skew(timestamp)
        _check_signed_headers(
            auth.signed_headers, request, uses_amz_date=amz_date is not None
        )
        _check_payload_hash_syntax(request)
        return SignedHead(
            credentials=known,
            authorization=auth,
            region=region,
            service=service,
            timestamp=timestamp,
        )

    def check_signature(
        self, head: SignedHead, request: ReceivedRequest
    ) -> EmulatorCredentials:
        """The checks that need the body: the payload hash and the signature."""
        _check_payload_hash(request)
        known, auth = head.credentials, head.authorization
        signer = _ReceivedRequestSigner(
            Credentials(
                known.access_key_id, known.secret_access_key, known.session_token
            ),
            head.region,
            head.service,
            auth.signed_headers,
        )
        aws_request = _as_aws_request(request, head.timestamp)
        canonical = signer.canonical_request(aws_request)
        string_to_sign = signer.string_to_sign(aws_request, canonical)
        expected = signer.signature(string_to_sign, aws_request)
        # Both sides as bytes: compare_digest refuses non-ASCII str (a 500 once).
        if not hmac.compare_digest(
            expected.encode(), auth.signature.encode("utf-8", "surrogatepass")
        ):
            # AWS front ends show both strings, which is what makes the error
            # debuggable; neither contains the secret.
            raise invalid_signature(
                f"{_SIGNATURE_MISMATCH}\n\nThe Canonical String for this request "
                f"should have been\n'{canonical}'\n\nThe String-to-Sign should have "
                f"been\n'{string_to_sign}'\n"
            )
        return known

    def _check_scope(
        self,
        scope_date: str,
        region: str,
        service: str,
        terminator: str,
        timestamp: datetime,
        date_header: str,
    ) -> None:
        if terminator != "aws4_request":
            raise invalid_signature(
                "Credential should be scoped with a valid terminator: "
                f"'aws4_request', not '{terminator}'. "
            )
        if service != self._service:
            raise invalid_signature(
                f"Credential should be scoped to correct service: '{self._service}'. "
            )
        if not _REGION_SYNTAX.match(region) or (
            self._region is not None and region != self._region
        ):
            raise invalid_signature(
                f"Credential should be scoped to a valid region, not '{region}'. "
            )
        request_day = timestamp.strftime("%Y%m%d")
        if scope_date != request_day:
            raise invalid_signature(
                "Date in Credential scope does not match YYYYMMDD from ISO-8601 "
                f"version of date from HTTP: '{scope_date}' != '{request_day}', "
                f"from '{date_header}'."
            )

    def _check_skew(self, timestamp: datetime) -> None:
        now = datetime.fromtimestamp(self._clock(), UTC).replace(microsecond=0)
        earliest, latest = now - self._max_skew, now + self._max_skew
        minutes = int(self._max_skew.total_seconds() // 60)
        if timestamp < earliest:
            raise invalid_signature(
                f"Signature expired: {_amz(timestamp)} is now earlier than "
                f"{_amz(earliest)} ({_amz(now)} - {minutes} min.)"
            )
        if timestamp > latest:
            raise invalid_signature(
                f"Signature not yet current: {_amz(timestamp)} is still later than "
                f"{_amz(latest)} ({_amz(now)} + {minutes} min.)"
            )


def _check_signed_headers(
    signed: Sequence[str], request: ReceivedRequest, *, uses_amz_date: bool
) -> None:
    if "host" not in signed:
        raise invalid_signature(
            "'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization."
        )
    date_name = "x-amz-date" if uses_amz_date else "date"
    if date_name not in signed:
        raise invalid_signature(
            f"'{date_name}' must be a 'SignedHeader' in the AWS Authorization."
        )
    for name in signed:
        if request.header(name) is None:
            raise invalid_signature(
                f"{_SIGNATURE_MISMATCH} The signed header '{name}' is not in the request."
            )
    # An unsigned X-Amz-Target could be rewritten in transit (a Describe
    # turned into a Delete) without breaking the signature; AWS requires
    # every x-amz-* header the request carries to be signed.
    unsigned = sorted(
        {
            key.lower()
            for key, _ in request.headers
            if key.lower().startswith("x-amz-") and key.lower() not in signed
        }
    )
    if unsigned:
        raise invalid_signature(
            "There were headers present in the request which were not signed: "
            + ", ".join(unsigned)
        )


def _parse_authorization(header: str, *, has_date: bool) -> _Authorization:
    scheme, _, rest = header.strip().partition(" ")
    parts: dict[str, str] = {}
    if scheme == _ALGORITHM:
        for raw in rest.split(","):
            item = raw.strip()
            if not item:
                continue
            key, equals, value = item.partition("=")
            if not equals:
                raise incomplete_signature(
                    f"'{item}' not a valid key=value pair (missing equal-sign) in "
                    f"Authorization header: '{header}'."
                )
            parts[key.strip()] = value.strip()
    missing = [
        f"Authorization header requires '{name}' parameter. "
        for name in ("Credential", "Signature", "SignedHeaders")
        if not parts.get(name)
    ]
    if not has_date:
        missing.append(
            "Authorization header requires existence of either a 'X-Amz-Date' or "
            "a 'Date' header. "
        )
    if missing:
        raise incomplete_signature("".join(missing) + f"Authorization={header}")
    return _Authorization(
        credential=parts["Credential"],
        signed_headers=tuple(
            h.strip().lower() for h in parts["SignedHeaders"].split(";")
        ),
        signature=parts["Signature"],
    )


def _request_time(amz_date: str | None, http_date: str | None) -> tuple[datetime, str]:
    if amz_date is not None:
        try:
            parsed = datetime.strptime(amz_date, _AMZ_DATE_FORMAT).replace(tzinfo=UTC)
        except ValueError:
            raise invalid_signature(
                f"Date must be in ISO-8601 'basic format'. Got '{amz_date}'. See "
                "http://en.wikipedia.org/wiki/ISO_8601"
            ) from None
        return parsed, amz_date
    assert http_date is not None  # _parse_authorization required one of the two
    try:
        parsed = parsedate_to_datetime(http_date).astimezone(UTC)
    except (TypeError, ValueError, IndexError, OverflowError):
        # OverflowError: a valid-looking date whose UTC form leaves the
        # datetime range (31 Dec 9999 at -2359).
        raise invalid_signature(
            f"Date header is not an RFC 1123 date: '{http_date}'."
        ) from None
    return parsed, http_date


def _check_payload_hash_syntax(request: ReceivedRequest) -> None:
    declared = request.header("x-amz-content-sha256")
    if declared is None:
        return  # botocore's canonical request then hashes the body itself
    if declared == _UNSIGNED_PAYLOAD:
        raise invalid_signature(
            "This service requires a signed payload; 'UNSIGNED-PAYLOAD' is not accepted."
        )
    if not _SHA256_HEX.fullmatch(declared):
        raise invalid_signature(
            "The provided 'x-amz-content-sha256' header must be the hex SHA-256 "
            "of the body (64 characters 0-9a-f)."
        )


def _check_payload_hash(request: ReceivedRequest) -> None:
    declared = request.header("x-amz-content-sha256")
    if declared is None:
        return
    # check_head has made sure the declared value is 64 ASCII hex digits.
    if not hmac.compare_digest(
        declared.encode("ascii"), hashlib.sha256(request.body).hexdigest().encode()
    ):
        raise invalid_signature(
            "The provided 'x-amz-content-sha256' header does not match what was computed."
        )


def _as_aws_request(request: ReceivedRequest, timestamp: datetime) -> AWSRequest:
    host = request.header("host") or ""
    aws_request = AWSRequest(
        method=request.method,
        url=f"http://{host}{request.path}",
        data=request.body,
        # Decoded pairs: botocore re-encodes them the SigV4 way, so a query a
        # client percent-encoded differently from SigV4 still canonicalises.
        # botocore accepts a list of pairs here (repeated keys), which its stubs
        # do not say.
        params=[  # type: ignore[arg-type]
            (unquote(key), unquote(value))
            for key, _, value in (
                p.partition("=") for p in request.query.split("&") if p
            )
        ],
    )
    headers = HTTPHeaders()
    for name, value in request.headers:
        headers[name] = value  # email.message semantics: repeated names are kept
    aws_request.headers = headers
    context: dict[str, Any] = aws_request.context
    context["timestamp"] = _amz(timestamp)
    return aws_request


def _amz(moment: datetime) -> str:
    return moment.strftime(_AMZ_DATE_FORMAT)
