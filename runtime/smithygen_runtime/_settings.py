"""Client settings: explicit argument, then environment, then profile, then default.

Resolution goes through botocore's own configuration machinery (its config
chains, config store and providers, ``ConfiguredEndpointProvider`` for
endpoint URLs, through the session subset of ``_config_session``),
so a setting means here what it means to boto3. It happens in two steps:

* at construction, without file I/O or heavy imports (the event loop may be
  running): the explicit arguments and the environment variables that would
  be used are checked, so a bad value there is a ConfigurationError at once;
* in the client's set-up thread (first call, ``async with`` or
  ``await client.resolve_configuration()``): botocore reads the config and
  credentials files and resolves every setting into one frozen
  ``ClientSettings``; a missing profile, an unparsable file or a bad value in
  a profile is a ConfigurationError naming the setting and its source.

One deliberate difference from botocore: ``AWS_REGION`` (ignored by botocore,
used by the AWS CLI, the other SDKs and AWS Lambda) is honoured after an
explicit region and before ``AWS_DEFAULT_REGION``.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Literal

import attrs

from ._endpoints import check_endpoint_url
from ._errors import ConfigurationError

if TYPE_CHECKING:
    from ._config_session import ConfigSession

__all__ = [
    "RETRY_MODES",
    "ClientSettings",
    "ExplicitSettings",
    "check_environment",
    "environment_endpoint_url",
    "resolve_settings",
    "safe_url",
]

RetryMode = Literal["standard", "legacy", "adaptive"]
ChecksumWhen = Literal["when_supported", "when_required"]
# request_checksum_calculation and response_checksum_validation (botocore >= 1.36):
# a checksum for every operation that supports one, or only where required.
CHECKSUM_WHEN: tuple[ChecksumWhen, ...] = ("when_supported", "when_required")
CHECKSUM_SETTINGS = {
    "request_checksum_calculation": "AWS_REQUEST_CHECKSUM_CALCULATION",
    "response_checksum_validation": "AWS_RESPONSE_CHECKSUM_VALIDATION",
}
RETRY_MODES: tuple[RetryMode, ...] = ("standard", "legacy", "adaptive")
# Attempts (the first one included) when nothing sets max_attempts: the
# standard and adaptive modes' 3; legacy's 5 (botocore's _retry.json).
DEFAULT_MAX_ATTEMPTS: Mapping[str, int] = {"standard": 3, "adaptive": 3, "legacy": 5}
# botocore warns past this length and sends the id anyway (args.py).
APP_ID_MAX_LENGTH = 50

ARGUMENT = "argument"
DEFAULT = "default"


@attrs.frozen(kw_only=True)
class ExplicitSettings:
    """What the caller passed to the client; None means "not given"."""

    region: str | None = None
    endpoint_url: str | None = None
    profile: str | None = None
    max_attempts: int | None = None
    retry_mode: str | None = None
    ca_bundle: str | None = None
    use_fips: bool | None = None
    use_dual_stack: bool | None = None
    request_checksum_calculation: str | None = None
    response_checksum_validation: str | None = None


@attrs.frozen(kw_only=True)
class ClientSettings:
    """Every resolved setting of one client, and where each came from.

    ``sources`` maps a setting name (``region``, ``endpoint_url``, ...) to
    ``"argument"``, ``"environment variable NAME"``, ``"profile 'p' (FILE)"``,
    a services section, or ``"default"``. ``endpoint_url`` is the configured
    endpoint (None: the service's endpoint rules decide).
    """

    profile: str | None
    region: str
    endpoint_url: str | None
    retry_mode: RetryMode
    max_attempts: int
    ca_bundle: str | None
    use_fips: bool
    use_dual_stack: bool
    app_id: str | None
    min_compression_size: int | None
    """Bodies from this size are gzipped (operations that allow it); None: never."""
    sources: Mapping[str, str]
    request_checksum_calculation: ChecksumWhen = "when_supported"
    """when_supported: a checksum on every request whose operation supports
    one (aws.protocols#httpChecksum); when_required: only where required."""
    response_checksum_validation: ChecksumWhen = "when_supported"
    """when_supported: ask for and validate the response checksum wherever
    the operation supports it; when_required: only when the caller asks."""

    def __repr__(self) -> str:
        return (
            f"ClientSettings(profile={self.profile!r}, region={self.region!r}, "
            f"endpoint_url={safe_url(self.endpoint_url)!r}, "
            f"retry_mode={self.retry_mode!r}, max_attempts={self.max_attempts!r}, "
            f"ca_bundle={self.ca_bundle!r}, use_fips={self.use_fips!r}, "
            f"use_dual_stack={self.use_dual_stack!r}, app_id={self.app_id!r}, "
            f"min_compression_size={self.min_compression_size!r})"
        )


# --- checks shared by both steps: each names the setting and its source ---


def _check_max_attempts(value: object, source: str) -> int:
    try:
        number = int(str(value).strip()) if isinstance(value, str) else value
    except ValueError:
        number = None
    if isinstance(number, bool) or not isinstance(number, int) or number < 1:
        raise ConfigurationError(
            f"max_attempts from {source} must be an integer >= 1, got {value!r}"
        )
    return number


def _check_retry_mode(value: object, source: str) -> RetryMode:
    for mode in RETRY_MODES:
        if value == mode:
            return mode
    raise ConfigurationError(
        f"retry_mode from {source} must be one of {', '.join(RETRY_MODES)}, "
        f"got {value!r}"
    )


def _check_boolean(name: str, value: object, source: str) -> bool:
    # botocore reads anything but "true" as False; a typo there would silently
    # turn a setting off, so anything but true/false is refused.
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().lower() in ("true", "false"):
        return value.strip().lower() == "true"
    raise ConfigurationError(
        f"{name} from {source} must be true or false, got {value!r}"
    )


# request_min_compression_size_bytes: the AWS SDKs' bounds.
MAX_MIN_COMPRESSION_SIZE = 10_485_760


def _check_compression_size(value: object, source: str) -> int:
    try:
        number = int(str(value).strip())
    except ValueError:
        number = -1
    if isinstance(value, bool) or not 0 <= number <= MAX_MIN_COMPRESSION_SIZE:
        raise ConfigurationError(
            f"request_min_compression_size_bytes from {source} must be an integer "
            f"from 0 to {MAX_MIN_COMPRESSION_SIZE}, got {value!r}"
        )
    return number


def check_checksum_setting(name: str, value: object, source: str) -> ChecksumWhen:
    """``value`` as when_supported / when_required (any case, as botocore reads it)."""
    text = value.strip().lower() if isinstance(value, str) else value
    for allowed in CHECKSUM_WHEN:
        if text == allowed:
            return allowed
    raise ConfigurationError(
        f"{name} from {source} must be when_supported or when_required, "
        f"got {str(value)[:40]!r}"
    )


def _check_region(value: object, source: str) -> str:
    from ._config import check_region

    if not isinstance(value, str) or not value:
        raise ConfigurationError(f"region from {source} must be a non-empty string")
    try:
        return check_region(value)
    except ConfigurationError as exc:
        raise ConfigurationError(f"region from {source}: {exc}") from None


def _check_url(value: object, source: str) -> str:
    if not isinstance(value, str):
        raise ConfigurationError(f"endpoint_url from {source} must be a string")
    try:
        check_endpoint_url(value)
    except ConfigurationError as exc:
        raise ConfigurationError(f"endpoint_url from {source}: {exc}") from None
    return value


def _env_source(name: str) -> str:
    return f"environment variable {name}"


def service_env_suffix(sdk_id: str) -> str:
    """The service part of AWS_ENDPOINT_URL_<SERVICE>: the sdkId upper-cased, _ for space and -."""
    return sdk_id.upper().replace(" ", "_").replace("-", "_")


def check_environment(explicit: ExplicitSettings, sdk_id: str) -> None:
    """ConfigurationError for an environment value the client would use and cannot.

    Runs at construction: reads os.environ only (no files, no botocore).
    """
    env = os.environ
    if explicit.region is None:
        for name in ("AWS_REGION", "AWS_DEFAULT_REGION"):
            if env.get(name):
                _check_region(env[name], _env_source(name))
                break
    if explicit.max_attempts is None and "AWS_MAX_ATTEMPTS" in env:
        _check_max_attempts(env["AWS_MAX_ATTEMPTS"], _env_source("AWS_MAX_ATTEMPTS"))
    if explicit.retry_mode is None and "AWS_RETRY_MODE" in env:
        _check_retry_mode(env["AWS_RETRY_MODE"], _env_source("AWS_RETRY_MODE"))
    flags = (
        ("use_fips_endpoint", "AWS_USE_FIPS_ENDPOINT", explicit.use_fips),
        (
            "use_dualstack_endpoint",
            "AWS_USE_DUALSTACK_ENDPOINT",
            explicit.use_dual_stack,
        ),
        (
            "ignore_configured_endpoint_urls",
            "AWS_IGNORE_CONFIGURED_ENDPOINT_URLS",
            None,
        ),
    )
    for setting, name, given in flags:
        if given is None and name in env:
            _check_boolean(setting, env[name], _env_source(name))
    for setting, name in CHECKSUM_SETTINGS.items():
        if getattr(explicit, setting) is None and name in env:
            check_checksum_setting(setting, env[name], _env_source(name))
    if explicit.endpoint_url is None:
        environment_endpoint_url(sdk_id)


def environment_endpoint_url(sdk_id: str) -> str | None:
    """The endpoint URL the environment configures, checked; None when none applies.

    AWS_ENDPOINT_URL_<SERVICE>, then AWS_ENDPOINT_URL, unless
    AWS_IGNORE_CONFIGURED_ENDPOINT_URLS is true (read as the set-up reads it:
    anything but true/false is a ConfigurationError). Reads os.environ only.
    """
    env = os.environ
    ignore = env.get("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS")
    if ignore is not None and _check_boolean(
        "ignore_configured_endpoint_urls",
        ignore,
        _env_source("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS"),
    ):
        return None
    for name in ("AWS_ENDPOINT_URL_" + service_env_suffix(sdk_id), "AWS_ENDPOINT_URL"):
        if env.get(name):
            return _check_url(env[name], _env_source(name))
    return None


# --- the set-up step: botocore's session reads the files ---


def resolve_settings(
    explicit: ExplicitSettings, sdk_id: str
) -> tuple[ClientSettings, ConfigSession]:
    """Resolve every setting through botocore's config chains (blocking: file I/O).

    Returns the settings and the config session, from which the client's
    credential chain starts (same profile, same explicit values).
    """
    import botocore.exceptions

    from ._config_session import ConfigSession

    session = ConfigSession(explicit.profile)
    try:
        return _Resolution(session, explicit, sdk_id).settings(), session
    except botocore.exceptions.ProfileNotFound:
        raise ConfigurationError(_missing_profile(session, explicit)) from None
    except botocore.exceptions.ConfigParseError as exc:
        raise ConfigurationError(
            f"the AWS config or credentials file {exc.kwargs.get('path')!r} "
            "could not be parsed "
            "(expected INI sections such as [default] or [profile NAME] with "
            "key = value lines)"
        ) from None
    except botocore.exceptions.InvalidConfigError as exc:
        raise ConfigurationError(f"AWS configuration: {exc}") from None


def _missing_profile(session: ConfigSession, explicit: ExplicitSettings) -> str:
    name = session.get_config_variable("profile")
    if explicit.profile is not None:
        source = "the profile argument"
    else:
        source = next(
            (
                _env_source(var)
                for var in ("AWS_DEFAULT_PROFILE", "AWS_PROFILE")
                if os.environ.get(var) == name
            ),
            "the environment",
        )
    return (
        f"profile {name!r} (from {source}) is not in the AWS config file "
        f"{session.get_config_variable('config_file')!r} or the credentials file "
        f"{session.get_config_variable('credentials_file')!r}"
    )


class _Resolution:
    """One resolution: botocore's config store, plus where each value came from."""

    def __init__(
        self, session: ConfigSession, explicit: ExplicitSettings, sdk_id: str
    ) -> None:
        from botocore.configprovider import BOTOCORE_DEFAUT_SESSION_VARIABLES

        self._session = session
        self._explicit = explicit
        self._sdk_id = sdk_id
        self._chains = BOTOCORE_DEFAUT_SESSION_VARIABLES
        # Raises ProfileNotFound / ConfigParseError: the files are read here.
        self._scoped: Mapping[str, Any] = session.get_scoped_config()
        self._full: Mapping[str, Any] = session.full_config
        profile = session.get_config_variable("profile")
        self._profile_label = (
            f"profile {profile or 'default'!r} "
            f"({session.get_config_variable('config_file')})"
        )
        self._sources: dict[str, str] = {}

    def _source(self, logical_name: str) -> str:
        """Where botocore's chain for ``logical_name`` finds its value, in its order."""
        if logical_name in self._session.instance_variables():
            return ARGUMENT
        config_key, env_names, _default, _convert = self._chains[logical_name]
        names = [env_names] if isinstance(env_names, str) else list(env_names or ())
        for name in names:
            if name in os.environ:
                return _env_source(name)
        if config_key is not None and config_key in self._scoped:
            return f"{config_key} in {self._profile_label}"
        return DEFAULT

    def _lookup(
        self, name: str, logical_name: str, explicit: object
    ) -> tuple[Any, str]:
        """(value, source) of one setting: explicit first, then botocore's chain."""
        if explicit is not None:
            self._session.set_config_variable(logical_name, explicit)
        source = self._source(logical_name)
        try:
            value = self._session.get_config_variable(logical_name)
        except ValueError:
            # botocore's int() conversion of a value that is not a number.
            raw = self._raw(logical_name, source)
            raise ConfigurationError(
                f"{name} from {source} must be an integer >= 1, got {raw!r}"
            ) from None
        self._sources[name] = source
        return value, source

    def _raw(self, logical_name: str, source: str) -> object:
        """The unconverted value at ``source`` (to check booleans strictly)."""
        config_key = self._chains[logical_name][0]
        if source.startswith("environment variable "):
            return os.environ.get(source.rsplit(" ", 1)[1])
        if source != DEFAULT and source != ARGUMENT and config_key is not None:
            return self._scoped.get(config_key)
        return None

    def _flag(self, name: str, logical_name: str, explicit: bool | None) -> bool:
        value, source = self._lookup(name, logical_name, explicit)
        if source in (ARGUMENT, DEFAULT):
            return bool(value)
        return _check_boolean(name, self._raw(logical_name, source), source)

    def settings(self) -> ClientSettings:
        # The lookups run in this order so that ``sources`` lists the
        # settings in the order they were resolved, as before.
        region = self._region()
        retry_mode, max_attempts = self._retry_settings()
        app_id, _ = self._lookup("app_id", "user_agent_appid", None)
        min_compression_size = self._min_compression_size()
        endpoint_url, use_fips, use_dual_stack = self._endpoint_choice()
        return ClientSettings(
            profile=self._session.get_config_variable("profile"),
            region=region,
            endpoint_url=endpoint_url,
            retry_mode=retry_mode,
            max_attempts=max_attempts,
            ca_bundle=self._ca_bundle(),
            use_fips=use_fips,
            use_dual_stack=use_dual_stack,
            app_id=str(app_id) if app_id else None,
            min_compression_size=min_compression_size,
            request_checksum_calculation=self._checksum_setting(
                "request_checksum_calculation",
                self._explicit.request_checksum_calculation,
            ),
            response_checksum_validation=self._checksum_setting(
                "response_checksum_validation",
                self._explicit.response_checksum_validation,
            ),
            sources=dict(self._sources),
        )

    def _retry_settings(self) -> tuple[RetryMode, int]:
        """The retry mode, then the attempts (the mode decides their default)."""
        retry_value, retry_source = self._lookup(
            "retry_mode", "retry_mode", self._explicit.retry_mode
        )
        retry_mode = _check_retry_mode(retry_value, retry_source)
        attempts, attempts_source = self._lookup(
            "max_attempts", "max_attempts", self._explicit.max_attempts
        )
        if attempts is None:
            return retry_mode, DEFAULT_MAX_ATTEMPTS[retry_mode]
        return retry_mode, _check_max_attempts(attempts, attempts_source)

    def _min_compression_size(self) -> int | None:
        """The compression threshold, or None when compression is turned off."""
        compression_off = self._flag(
            "disable_request_compression", "disable_request_compression", None
        )
        size, size_source = self._lookup(
            "request_min_compression_size_bytes",
            "request_min_compression_size_bytes",
            None,
        )
        return None if compression_off else _check_compression_size(size, size_source)

    def _endpoint_choice(self) -> tuple[str | None, bool, bool]:
        """The custom endpoint URL, FIPS and dual-stack, refused together."""
        endpoint_url = self._endpoint_url()
        use_fips = self._flag("use_fips", "use_fips_endpoint", self._explicit.use_fips)
        use_dual_stack = self._flag(
            "use_dual_stack", "use_dualstack_endpoint", self._explicit.use_dual_stack
        )
        if endpoint_url is not None and (use_fips or use_dual_stack):
            self._refuse_custom_endpoint_with(
                "use_fips" if use_fips else "use_dual_stack"
            )
        return endpoint_url, use_fips, use_dual_stack

    def _checksum_setting(self, name: str, explicit: str | None) -> ChecksumWhen:
        value, source = self._lookup(name, name, explicit)
        return check_checksum_setting(name, value, source)

    def _refuse_custom_endpoint_with(self, flag: str) -> None:
        """ConfigurationError: FIPS or dual-stack cannot go to a configured endpoint.

        As the AWS rule sets refuse it ("FIPS and custom endpoint are not
        supported"); checked here, on the resolved values, so a service
        without a rule set refuses it too and the message names both sources.
        """
        from ._endpoints import conflict_message

        raise ConfigurationError(
            f"{conflict_message(flag == 'use_fips')} (endpoint_url from "
            f"{self._sources['endpoint_url']}, {flag} from {self._sources[flag]})"
        )

    def _region(self) -> str:
        from ._config import MISSING_REGION

        explicit = self._explicit.region
        if explicit is None and os.environ.get("AWS_REGION"):
            # The one deliberate difference from botocore (module docstring).
            self._sources["region"] = _env_source("AWS_REGION")
            return _check_region(os.environ["AWS_REGION"], self._sources["region"])
        value, source = self._lookup("region", "region", explicit)
        if not value:
            raise ConfigurationError(MISSING_REGION)
        return _check_region(value, source)

    def _endpoint_url(self) -> str | None:
        if self._explicit.endpoint_url is not None:
            self._sources["endpoint_url"] = ARGUMENT
            return self._explicit.endpoint_url
        ignore = self._flag(
            "ignore_configured_endpoint_urls", "ignore_configured_endpoint_urls", None
        )
        if ignore:
            self._sources["endpoint_url"] = DEFAULT
            return None
        from botocore.configprovider import ConfiguredEndpointProvider

        provider = ConfiguredEndpointProvider(
            full_config=self._full,
            scoped_config=self._scoped,
            # botocore takes a client name and derives the service id from it;
            # the hyphenated sdkId is the service id itself.
            client_name=self._sdk_id.lower().replace(" ", "-"),
        )
        url = provider.provide()
        if not url:
            self._sources["endpoint_url"] = DEFAULT
            return None
        source = self._endpoint_source()
        self._sources["endpoint_url"] = source
        return _check_url(url, source)

    def _endpoint_source(self) -> str:
        # The order of ConfiguredEndpointProvider: service variable, global
        # variable, the profile's services section, the profile's endpoint_url.
        for name in (
            "AWS_ENDPOINT_URL_" + service_env_suffix(self._sdk_id),
            "AWS_ENDPOINT_URL",
        ):
            if os.environ.get(name):
                return _env_source(name)
        section = self._scoped.get("services")
        service_key = service_env_suffix(self._sdk_id).lower()
        services = self._full.get("services", {}).get(section) or {}
        if section and (services.get(service_key) or {}).get("endpoint_url"):
            return f"services section {section!r} ({service_key}.endpoint_url)"
        return f"endpoint_url in {self._profile_label}"

    def _ca_bundle(self) -> str | None:
        value, source = self._lookup("ca_bundle", "ca_bundle", self._explicit.ca_bundle)
        if not value and os.environ.get("REQUESTS_CA_BUNDLE"):
            # botocore's endpoint falls back to requests' variable as well.
            source = self._sources["ca_bundle"] = _env_source("REQUESTS_CA_BUNDLE")
            value = os.environ["REQUESTS_CA_BUNDLE"]
        if not value:
            return None
        path = str(value)
        if not os.path.isfile(path):
            raise ConfigurationError(
                f"ca_bundle from {source} names {path!r}, which is not a file"
            )
        return path


def safe_url(url: str | None, *, with_path: bool = True) -> str | None:
    """``url`` without user name, password, query or fragment (for messages and reprs).

    ``with_path=False`` keeps only scheme, host and port (for a proxy).
    """
    if url is None:
        return None
    from urllib.parse import urlsplit

    try:
        parts = urlsplit(url)
        host = parts.hostname or ""
        port = parts.port
    except ValueError:
        return "<invalid URL>"
    if ":" in host:
        host = f"[{host}]"
    netloc = host if port is None else f"{host}:{port}"
    if not with_path:
        return f"{parts.scheme}://{netloc}"
    # An HTTP request always targets a path: "/" at least.
    return f"{parts.scheme}://{netloc}{parts.path or '/'}"
