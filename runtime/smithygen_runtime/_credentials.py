"""AWS credentials: an explicit value, or botocore's standard provider chain.

Everything that may block (reading files, calling IMDS, SSO or STS) runs in a
worker thread, so resolution and refresh never stall the event loop. One
refresh is in flight at a time; concurrent callers wait for it.
"""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta
from typing import Any

import attrs

from ._errors import CredentialsError
from ._loops import LoopBound

__all__ = ["Credentials", "CredentialsResolver", "credentials_from_key_pair"]

_REDACTED = "<redacted>"


@attrs.frozen(repr=False)
class Credentials:
    """An AWS access key pair, an optional session token and its expiry.

    The secret key and the session token never appear in ``repr`` or ``str``.
    """

    access_key_id: str
    secret_access_key: str
    session_token: str | None = None
    expiry: datetime | None = None
    # The account the credentials belong to, when their source says (the
    # AWS::Auth::AccountId endpoint parameter); not a secret.
    account_id: str | None = None

    def __attrs_post_init__(self) -> None:
        if not isinstance(self.access_key_id, str) or not self.access_key_id:
            raise CredentialsError("access_key_id must be a non-empty string")
        if not isinstance(self.secret_access_key, str) or not self.secret_access_key:
            raise CredentialsError("secret_access_key must be a non-empty string")
        if self.session_token is not None and not isinstance(self.session_token, str):
            raise CredentialsError("session_token must be a string or None")
        if self.account_id is not None and not isinstance(self.account_id, str):
            raise CredentialsError("account_id must be a string or None")
        for name in ("access_key_id", "secret_access_key", "session_token"):
            _check_header_safe(name, getattr(self, name))

    def __repr__(self) -> str:
        token = None if self.session_token is None else _REDACTED
        return (
            f"Credentials(access_key_id={self.access_key_id!r}, "
            f"secret_access_key={_REDACTED!r}, session_token={token!r}, "
            f"expiry={self.expiry!r}, account_id={self.account_id!r})"
        )

    __str__ = __repr__

    def expired(self, margin: float = 0.0) -> bool:
        """True when ``expiry`` is set and falls within ``margin`` seconds from now."""
        if self.expiry is None:
            return False
        expiry = self.expiry if self.expiry.tzinfo else self.expiry.replace(tzinfo=UTC)
        return expiry <= datetime.now(UTC) + timedelta(seconds=margin)


def _check_header_safe(name: str, value: str | None) -> None:
    """CredentialsError when ``value`` cannot travel in an HTTP header.

    The key id goes into ``Authorization`` and the token into
    ``X-Amz-Security-Token``: a line break (a token pasted with its newline)
    or a non-ASCII character would fail deep in the HTTP library, whose error
    and DEBUG log quote the header, secret included. The message names the
    field and the position, never the value.
    """
    if value is None:
        return
    for position, char in enumerate(value):
        if not " " <= char <= "~":
            kind = (
                "a line break"
                if char in "\r\n"
                else "a control character"
                if char < " " or char == "\x7f"
                else "a non-ASCII character"
            )
            raise CredentialsError(
                f"{name} holds {kind} at position {position}, which cannot be "
                "sent in an HTTP header; check the credentials' source (for "
                "example a trailing newline in AWS_SESSION_TOKEN)"
            )
    if value != value.strip():
        raise CredentialsError(
            f"{name} starts or ends with a space; check the credentials' source"
        )


def credentials_from_key_pair(value: object) -> Credentials:
    """Credentials from any object with ``access_key_id`` and ``secret_access_key``.

    So a key pair held by another library (the emulator's ``emu.credentials``,
    for one) is accepted as it is; ``session_token`` is read when present. The
    error names the type only, never a value, which may be secret.
    """
    key_id = getattr(value, "access_key_id", None)
    secret = getattr(value, "secret_access_key", None)
    token = getattr(value, "session_token", None)
    account = getattr(value, "account_id", None)
    if isinstance(key_id, str) and isinstance(secret, str):
        return Credentials(
            key_id,
            secret,
            token if isinstance(token, str) else None,
            account_id=account if isinstance(account, str) else None,
        )
    raise CredentialsError(
        "credentials must be a smithygen_runtime.Credentials, or an object with"
        " access_key_id and secret_access_key strings; got"
        f" {type(value).__name__}"
    )


_NO_CREDENTIALS = (
    "no AWS credentials found: pass credentials=Credentials(...), set "
    "AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or configure a profile "
    "(~/.aws/credentials, ~/.aws/config, 'aws sso login')"
)

# How often (seconds, monotonic) to ask botocore whether refreshable
# credentials are within their refresh window; the check reads the clock in
# the local time zone, which is too slow to repeat on every call.
_REFRESH_CHECK_INTERVAL = 1.0


class CredentialsResolver:
    """Hands out frozen credentials for each request attempt."""

    def __init__(self, given: object, profile: str | None) -> None:
        explicit = (
            given
            if given is None or isinstance(given, Credentials)
            else credentials_from_key_pair(given)
        )
        self._explicit = explicit
        self._profile = profile
        self._current: Credentials | None = explicit
        self._source: Any = None  # botocore Credentials / RefreshableCredentials
        self._next_check = 0.0
        # An anyio lock belongs to one event loop; a client may outlive it.
        self._lock: LoopBound[Any] = LoopBound(_new_lock)
        # The client's ConfigSession (its settings' profile and explicit values).
        self._session: Any = None

    def __repr__(self) -> str:
        source = "explicit" if self._explicit is not None else "default chain"
        return f"CredentialsResolver(source={source!r}, profile={self._profile!r})"

    def use_session(self, session: Any) -> None:
        """Take credentials from the chain of this ``ConfigSession``'s full session."""
        self._session = session

    async def get(self) -> Credentials:
        """Current credentials, resolving or refreshing them first when needed."""
        explicit = self._explicit
        if explicit is not None:
            if explicit.expiry is not None and explicit.expired():
                raise CredentialsError(
                    f"the explicit credentials expired at {explicit.expiry.isoformat()}"
                )
            return explicit
        current = self._current
        if current is not None and not self._refresh_due():
            return current
        import anyio

        async with self._lock.get():
            # Another task may have refreshed while this one waited.
            if self._current is None or self._refresh_due(force_check=True):
                self._current = await anyio.to_thread.run_sync(self._load)
            return self._current

    def _refresh_due(self, force_check: bool = False) -> bool:
        source = self._source
        if source is None or not hasattr(source, "refresh_needed"):
            return False
        now = time.monotonic()
        if not force_check and now < self._next_check:
            return False
        self._next_check = now + _REFRESH_CHECK_INTERVAL
        return bool(source.refresh_needed())

    def _botocore_session(self) -> Any:
        # Built only here, for the default chain: a client with explicit
        # credentials never imports botocore.session.
        if self._session is not None:
            return self._session.full_session()
        import botocore.session

        return botocore.session.Session(profile=self._profile)

    def _load(self) -> Credentials:
        # Runs in a worker thread: botocore's providers do blocking I/O.
        import botocore.exceptions

        try:
            if self._source is None:
                self._source = self._botocore_session().get_credentials()
                if self._source is None:
                    raise CredentialsError(_NO_CREDENTIALS)
            frozen = self._source.get_frozen_credentials()
        except CredentialsError:
            raise
        except botocore.exceptions.ProfileNotFound as exc:
            raise CredentialsError(f"AWS profile not found: {exc}") from None
        except botocore.exceptions.BotoCoreError as exc:
            raise CredentialsError(
                f"credential provider failed ({type(exc).__name__}): {exc}"
            ) from None
        except Exception as exc:
            # Unknown failures: the type only, as the text could quote a response.
            raise CredentialsError(
                f"credential provider failed with {type(exc).__name__}"
            ) from None
        if not frozen.access_key or not frozen.secret_key:
            raise CredentialsError(_NO_CREDENTIALS)
        return Credentials(
            frozen.access_key,
            frozen.secret_key,
            frozen.token or None,
            account_id=getattr(frozen, "account_id", None) or None,
        )


def _new_lock() -> Any:
    import anyio

    return anyio.Lock()
