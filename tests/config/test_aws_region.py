"""AWS_REGION: the one setting deliberately resolved unlike botocore.

botocore reads only AWS_DEFAULT_REGION; the AWS CLI v2, the other AWS SDKs
and AWS Lambda's runtime environment set and read AWS_REGION. The client
honours it after an explicit region and before AWS_DEFAULT_REGION.
"""

from __future__ import annotations

import re

import anyio
import pytest
from ssm_inventory import SSMClient

from tests.config.servers import RecordingServer

pytestmark = pytest.mark.usefixtures("aws_home")


def _signed_region(server: RecordingServer) -> str:
    scope = re.search(
        r"Credential=[^/]+/\d{8}/([^/]+)/", server.requests[0]["authorization"]
    )
    assert scope is not None
    return scope.group(1)


async def _call(**options: str) -> None:
    async with SSMClient(**options) as client:  # type: ignore[arg-type]
        await client.describe_inventory_deletions()


def test_botocore_ignores_aws_region_and_the_client_uses_it(
    server: RecordingServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    import botocore.exceptions
    import botocore.session

    monkeypatch.setenv("AWS_REGION", "eu-west-3")
    monkeypatch.setenv("AWS_ENDPOINT_URL", server.url)
    with pytest.raises(botocore.exceptions.NoRegionError):
        botocore.session.Session().create_client("ssm")
    anyio.run(_call)
    assert _signed_region(server) == "eu-west-3"


def test_aws_region_wins_over_aws_default_region_and_the_profile(
    server: RecordingServer, monkeypatch: pytest.MonkeyPatch, aws_home: object
) -> None:
    from pathlib import Path

    Path(str(aws_home), "config").write_text("[default]\nregion = sa-east-1\n")
    monkeypatch.setenv("AWS_DEFAULT_REGION", "ap-south-1")
    monkeypatch.setenv("AWS_REGION", "eu-west-3")
    monkeypatch.setenv("AWS_ENDPOINT_URL", server.url)
    anyio.run(_call)
    assert _signed_region(server) == "eu-west-3"
    server.reset(200)
    anyio.run(lambda: _call(region="ca-central-1"))
    assert _signed_region(server) == "ca-central-1"
