"""Opaque pagination tokens: a position, signed so clients cannot forge one.

A token carries the sequence number of the last deletion a page returned and
the time it was issued, as compact JSON, base64url-encoded and followed by an
HMAC-SHA256 tag under the emulator's secret.  A token whose tag does not verify
(edited, invented, or issued by another emulator's database) is forged; one
older than the time-to-live is stale.  Both are ``InvalidNextToken``.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
from collections.abc import Callable

from .errors import ApiError

__all__ = ["NextTokenCodec"]

_VERSION = 1


def _invalid(reason: str) -> ApiError:
    return ApiError("InvalidNextToken", reason, modeled=True)


class NextTokenCodec:
    """Issues and checks NextTokens for one emulator database."""

    def __init__(
        self, secret: bytes, *, ttl: float, clock: Callable[[], float]
    ) -> None:
        self._secret = secret
        self._ttl = ttl
        self._clock = clock

    def issue(self, after_seq: int) -> str:
        """A token resuming the listing after the deletion numbered ``after_seq``."""
        payload = json.dumps(
            {"v": _VERSION, "after": after_seq, "iat": int(self._clock())},
            separators=(",", ":"),
        ).encode()
        return f"{_b64(payload)}.{_b64(self._tag(payload))}"

    def position(self, token: str) -> int:
        """The sequence number a token resumes after; ``ApiError`` if invalid."""
        encoded_payload, dot, encoded_tag = token.partition(".")
        try:
            payload = _unb64(encoded_payload)
            tag = _unb64(encoded_tag)
        except (binascii.Error, ValueError):
            raise _invalid("The specified NextToken is not valid.") from None
        if not dot or not hmac.compare_digest(tag, self._tag(payload)):
            raise _invalid("The specified NextToken is not valid.")
        # The tag verified, so the payload is one we wrote.
        fields = json.loads(payload)
        if self._clock() - fields["iat"] > self._ttl:
            raise _invalid("The specified NextToken has expired.")
        after = fields["after"]
        assert isinstance(after, int)
        return after

    def _tag(self, payload: bytes) -> bytes:
        return hmac.new(
            self._secret, b"NextToken\x00" + payload, hashlib.sha256
        ).digest()


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _unb64(text: str) -> bytes:
    if not text.isascii():
        raise ValueError("not ASCII")
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
