"""Bad configuration is a ConfigurationError naming the setting and its source.

Explicit arguments and environment variables are checked when the client is
constructed (no file I/O, nothing imported: the event loop may be running);
the config files are read in the set-up thread, so their errors surface at
``async with`` (or ``await client.resolve_configuration()``, or the first
call), before any request is sent.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from smithygen_runtime import ConfigurationError
from ssm_inventory import SSMClient

from tests.config.servers import RecordingServer

pytestmark = pytest.mark.usefixtures("aws_home")


@pytest.mark.parametrize(
    ("variable", "value", "fragments"),
    [
        ("AWS_RETRY_MODE", "bogus", ["retry_mode", "AWS_RETRY_MODE", "'bogus'"]),
        ("AWS_MAX_ATTEMPTS", "0", ["max_attempts", "AWS_MAX_ATTEMPTS", ">= 1"]),
        ("AWS_MAX_ATTEMPTS", "three", ["max_attempts", "AWS_MAX_ATTEMPTS"]),
        (
            "AWS_USE_FIPS_ENDPOINT",
            "yes",
            ["use_fips_endpoint", "AWS_USE_FIPS_ENDPOINT"],
        ),
        ("AWS_ENDPOINT_URL", "localhost:4566", ["endpoint_url", "AWS_ENDPOINT_URL"]),
        ("AWS_ENDPOINT_URL_SSM", "ftp://x", ["endpoint_url", "AWS_ENDPOINT_URL_SSM"]),
        ("AWS_DEFAULT_REGION", "us east 1", ["region", "AWS_DEFAULT_REGION"]),
        (
            "AWS_IGNORE_CONFIGURED_ENDPOINT_URLS",
            "maybe",
            ["ignore_configured_endpoint_urls", "AWS_IGNORE_CONFIGURED_ENDPOINT_URLS"],
        ),
    ],
)
def test_a_bad_environment_value_fails_at_construction(
    monkeypatch: pytest.MonkeyPatch, variable: str, value: str, fragments: list[str]
) -> None:
    monkeypatch.setenv(variable, value)
    with pytest.raises(ConfigurationError) as caught:
        SSMClient()
    for fragment in fragments:
        assert fragment in str(caught.value)


def test_an_explicit_argument_wins_over_a_bad_environment_value(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("AWS_RETRY_MODE", "bogus")
    monkeypatch.setenv("AWS_MAX_ATTEMPTS", "0")
    SSMClient(region="us-east-1", retry_mode="standard", max_attempts=2)


@pytest.mark.anyio
@pytest.mark.parametrize(
    ("profile_lines", "fragments"),
    [
        ("retry_mode = bogus", ["retry_mode", "profile 'dev'", "'bogus'"]),
        ("max_attempts = 0", ["max_attempts", "profile 'dev'", ">= 1"]),
        ("max_attempts = many", ["max_attempts", "profile 'dev'", "'many'"]),
        ("use_fips_endpoint = yes", ["use_fips", "profile 'dev'"]),
        ("region = not/a/region", ["region", "profile 'dev'", "not/a/region"]),
        ("endpoint_url = localhost:4566", ["endpoint_url", "profile 'dev'"]),
        (
            "ca_bundle = /no/such/ca.pem",
            ["ca_bundle", "profile 'dev'", "/no/such/ca.pem"],
        ),
        ("services = missing", ["services", "missing"]),
    ],
)
async def test_a_bad_profile_value_fails_before_any_request(
    aws_home: Path, server: RecordingServer, profile_lines: str, fragments: list[str]
) -> None:
    region = "" if profile_lines.startswith("region") else "region = us-east-1\n"
    (aws_home / "config").write_text(f"[profile dev]\n{region}{profile_lines}\n")
    client = SSMClient(profile="dev", endpoint_url=None)
    with pytest.raises(ConfigurationError) as caught:
        async with client:
            await client.describe_inventory_deletions()
    message = str(caught.value)
    for fragment in fragments:
        assert fragment in message
    assert server.requests == []


@pytest.mark.anyio
async def test_the_profile_value_error_names_the_config_file(aws_home: Path) -> None:
    config = aws_home / "config"
    config.write_text("[profile dev]\nregion = us-east-1\nretry_mode = sometimes\n")
    with pytest.raises(ConfigurationError, match=str(config)):
        await SSMClient(profile="dev").resolve_configuration()


@pytest.mark.anyio
async def test_a_missing_profile_names_it_and_where_it_was_chosen(
    aws_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (aws_home / "config").write_text("[profile dev]\nregion = us-east-1\n")
    with pytest.raises(ConfigurationError) as by_argument:
        await SSMClient(profile="nope").resolve_configuration()
    assert "profile 'nope'" in str(by_argument.value)
    assert "profile argument" in str(by_argument.value)
    monkeypatch.setenv("AWS_PROFILE", "gone")
    with pytest.raises(ConfigurationError) as by_variable:
        await SSMClient().resolve_configuration()
    assert "profile 'gone'" in str(by_variable.value)
    assert "AWS_PROFILE" in str(by_variable.value)


@pytest.mark.anyio
async def test_an_unparsable_config_file_is_named(aws_home: Path) -> None:
    config = aws_home / "config"
    config.write_text("[profile dev\nregion = us-east-1\n")
    client = SSMClient(profile="dev")  # construction reads no file
    with pytest.raises(ConfigurationError, match="could not be parsed") as caught:
        await client.resolve_configuration()
    assert str(config) in str(caught.value)


def test_constructing_with_a_profile_reads_no_file_and_imports_no_botocore(
    aws_home: Path,
) -> None:
    import subprocess
    import sys

    (aws_home / "config").write_text("[profile dev\nthis is not INI\n")
    code = (
        "import sys\n"
        "from ssm_inventory import SSMClient\n"
        "SSMClient(profile='dev')\n"
        "print('botocore' in sys.modules)\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert out.stdout.strip() == "False"


@pytest.mark.anyio
async def test_an_unparsable_credentials_file_is_named(aws_home: Path) -> None:
    (aws_home / "config").write_text("[profile dev]\nregion = us-east-1\n")
    credentials = aws_home / "credentials"
    credentials.write_text("[dev\naws_access_key_id = x\n")
    with pytest.raises(ConfigurationError, match="could not be parsed") as caught:
        await SSMClient(profile="dev").resolve_configuration()
    assert str(credentials) in str(caught.value)
