"""The part of a botocore session that settings read: its config chains and files.

``botocore.session.Session`` also registers event handlers, data loaders and
its client machinery: importing it loads ``botocore.client`` and 76 modules
more than settings need (5 MB more peak RSS here, with httpx and
``botocore.auth`` loaded already), and building one takes tens of
milliseconds more, in the set-up thread of every first client. ``ConfigSession`` holds only what botocore's
own config chain asks of a session (``ConfigChainFactory`` calls
``instance_variables`` and ``get_scoped_config``) and answers with botocore's
own pieces: ``configprovider``'s chain mapping and ``ConfigValueStore``,
``configloader``'s parsers. The lookups, their order and their errors
(``ProfileNotFound``, ``ConfigParseError``) are therefore botocore's.

The credential chain needs a full session (its providers create STS and SSO
clients through it): ``full_session`` builds one, with the same profile and
explicit values, only when the credentials come from that chain.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

__all__ = ["ConfigSession"]


class ConfigSession:
    """Settings lookups of one profile, as ``botocore.session.Session`` makes them."""

    def __init__(self, profile: str | None) -> None:
        """Blocking only in that it imports botocore's config modules; files are read on use."""
        from botocore.configprovider import (
            ConfigValueStore,
            create_botocore_default_config_mapping,
        )

        self._instance_vars: dict[str, Any] = {}
        if profile is not None:
            self._instance_vars["profile"] = profile
        self._config: dict[str, Any] | None = None
        self._store = ConfigValueStore(
            mapping=create_botocore_default_config_mapping(self)
        )

    def instance_variables(self) -> dict[str, Any]:
        """Values set on the session (explicit arguments), by logical name."""
        return dict(self._instance_vars)

    def set_config_variable(self, logical_name: str, value: Any) -> None:
        self._instance_vars[logical_name] = value

    def get_config_variable(self, logical_name: str) -> Any:
        """Instance value, then environment, then profile, then default (botocore's chain)."""
        return self._store.get_config_variable(logical_name)

    @property
    def full_config(self) -> Mapping[str, Any]:
        """The config file's profiles, with the credentials file's merged in.

        As botocore's session: a missing file is an empty one; a profile only
        in the credentials file still exists.
        """
        if self._config is None:
            self._config = self._load_files()
        return self._config

    def _load_files(self) -> dict[str, Any]:
        from botocore.configloader import load_config, raw_config_parse
        from botocore.exceptions import ConfigNotFound

        try:
            config: dict[str, Any] = load_config(
                self.get_config_variable("config_file")
            )
        except ConfigNotFound:
            config = {"profiles": {}}
        try:
            credentials = raw_config_parse(self.get_config_variable("credentials_file"))
        except ConfigNotFound:
            credentials = {}
        profiles = config["profiles"]
        for name, values in credentials.items():
            profiles.setdefault(name, {}).update(values)
        return config

    def get_scoped_config(self) -> Mapping[str, Any]:
        """The selected profile's values; ProfileNotFound when it was named and is absent."""
        from botocore.exceptions import ProfileNotFound

        name = self.get_config_variable("profile")
        profiles = self.full_config["profiles"]
        if name is None:
            default: Mapping[str, Any] = profiles.get("default", {})
            return default
        if name not in profiles:
            raise ProfileNotFound(profile=name)
        scoped: Mapping[str, Any] = profiles[name]
        return scoped

    def full_session(self) -> Any:
        """A ``botocore.session.Session`` with this profile and explicit values."""
        import botocore.session

        session = botocore.session.Session()
        for name, value in self._instance_vars.items():
            session.set_config_variable(name, value)
        return session
