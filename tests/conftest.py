"""Fixtures shared by every test package."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

PROJECT_ROOT = Path(__file__).resolve().parent.parent


def shared_dir() -> Path:
    """The reference data folder: $SMITHYGEN_SHARED, or ../shared beside the project."""
    return Path(os.environ.get("SMITHYGEN_SHARED", PROJECT_ROOT.parent / "shared"))


def require_shared(*parts: str) -> Path:
    """Return a path inside the shared reference data, or skip when it is absent.

    Under CI (``CI`` set) a missing path is a failure, never a skip: CI always
    has ../shared beside the checkout, so its absence means a broken set-up.
    """
    path = shared_dir().joinpath(*parts)
    if not path.exists():
        reason = f"reference data {path} is absent (set SMITHYGEN_SHARED)"
        if os.environ.get("CI"):
            pytest.fail(reason)
        pytest.skip(reason)
    return path


@pytest.fixture(params=["asyncio", "trio"])
def anyio_backend(request: pytest.FixtureRequest) -> str:
    """Run every ``@pytest.mark.anyio`` test under asyncio and trio alike."""
    return str(request.param)


# Every AWS setting botocore or the runtime reads from the environment.
AWS_ENVIRONMENT_VARIABLES = (
    "AWS_REGION",
    "AWS_DEFAULT_REGION",
    "AWS_PROFILE",
    "AWS_DEFAULT_PROFILE",
    "AWS_ACCESS_KEY_ID",
    "AWS_SECRET_ACCESS_KEY",
    "AWS_SESSION_TOKEN",
    "AWS_ENDPOINT_URL",
    "AWS_ENDPOINT_URL_DEMO",
    "AWS_ENDPOINT_URL_SSM",
    "AWS_IGNORE_CONFIGURED_ENDPOINT_URLS",
    "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI",
    "AWS_CONTAINER_CREDENTIALS_FULL_URI",
    "AWS_WEB_IDENTITY_TOKEN_FILE",
    "AWS_ROLE_ARN",
    "AWS_MAX_ATTEMPTS",
    "AWS_RETRY_MODE",
    "AWS_CA_BUNDLE",
    "AWS_SDK_UA_APP_ID",
    "AWS_USE_FIPS_ENDPOINT",
    "AWS_USE_DUALSTACK_ENDPOINT",
    "AWS_DEFAULTS_MODE",
    "AWS_REQUEST_CHECKSUM_CALCULATION",
    "AWS_RESPONSE_CHECKSUM_VALIDATION",
    "AWS_CONFIG_FILE",
    "AWS_SHARED_CREDENTIALS_FILE",
)


def isolate_aws_environment(monkeypatch: pytest.MonkeyPatch, home: Path) -> None:
    """No test reads the real ~/.aws, the caller's AWS settings, or IMDS.

    Used by the autouse fixtures of the test packages that build clients.
    """
    for name in AWS_ENVIRONMENT_VARIABLES:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AWS_CONFIG_FILE", str(home / "config"))
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(home / "credentials"))
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")
