"""The awsQuery row of ``make bench``: STS ``GetCallerIdentity``.

Three contenders call GetCallerIdentity against the same canned server
(:mod:`bench.server` answers a form body starting ``Action=GetCallerIdentity``
with :data:`IDENTITY_RESPONSE`, 0.4 kB of XML):

``sts_floor``        raw httpx: POST of form bytes signed once, and the XML
                     parsed by ``xml.etree.ElementTree`` for the account.
``sts_client``       the STS client ``smithygen generate`` makes from the
                     official model (``../shared/aws-models``), generated into
                     ``build/bench-sts`` when the bench starts.
``sts_aiobotocore``  aiobotocore's ``sts`` client with its defaults.

Each answers 1 per call when the account in the answer is right (the
workloads check every call). Only the standard library is imported at module
level: workers import their contender's packages when it loads.
"""

from __future__ import annotations

import importlib
import json
import os
from pathlib import Path
from typing import Any

from bench.codegen import generate_official_client
from bench.worker import (
    ACCESS_KEY,
    REGION,
    SECRET_KEY,
    Contender,
    GeneratedClientContender,
)

ROOT = Path(__file__).resolve().parent.parent
STS_SERVICE = "com.amazonaws.sts#AWSSecurityTokenServiceV20110615"
STS_PACKAGE = "sts_bench"
STS_DIR = ROOT / "build" / "bench-sts"
CONTENDERS = ("sts_floor", "sts_client", "sts_aiobotocore")
IMPORT_STATEMENTS = {
    "sts_floor": "import httpx, xml.etree.ElementTree",
    # The generated package sits in build/bench-sts (BENCH_STS_DIR).
    "sts_client": "import os, sys; sys.path.insert(0, os.environ['BENCH_STS_DIR']); "
    f"from {STS_PACKAGE} import STSClient",
    "sts_aiobotocore": "from aiobotocore.session import get_session",
}

FORM_BODY = b"Action=GetCallerIdentity&Version=2011-06-15"
ACCOUNT = "123456789012"
IDENTITY_RESPONSE = (
    '<GetCallerIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">\n'
    "  <GetCallerIdentityResult>\n"
    f"    <Arn>arn:aws:iam::{ACCOUNT}:user/bench</Arn>\n"
    "    <UserId>AIDACKCEVSQ6C2EXAMPLE</UserId>\n"
    f"    <Account>{ACCOUNT}</Account>\n"
    "  </GetCallerIdentityResult>\n"
    "  <ResponseMetadata>\n"
    "    <RequestId>01234567-89ab-cdef-0123-456789abcdef</RequestId>\n"
    "  </ResponseMetadata>\n"
    "</GetCallerIdentityResponse>\n"
).encode()


def generate_client() -> str | None:
    """Generate the STS client into ``build/bench-sts``; None, or why it could not."""
    return generate_official_client(
        "STS", "sts-2011-06-15.json", STS_SERVICE, STS_PACKAGE, STS_DIR
    )


def presigned_headers(endpoint: str) -> dict[str, str]:
    """SigV4 headers for GetCallerIdentity at ``endpoint`` (the floor signs once)."""
    from botocore.auth import SigV4Auth
    from botocore.awsrequest import AWSRequest
    from botocore.credentials import Credentials

    request = AWSRequest(
        method="POST",
        url=endpoint,
        data=FORM_BODY,
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )
    SigV4Auth(Credentials(ACCESS_KEY, SECRET_KEY), "sts", REGION).add_auth(request)
    return {name: str(value) for name, value in request.headers.items()}


def environment(endpoint: str) -> dict[str, str]:
    """What the STS workers need in their environment."""
    return {
        "BENCH_STS_DIR": str(STS_DIR),
        "BENCH_STS_FLOOR_HEADERS": json.dumps(presigned_headers(endpoint)),
    }


class StsFloorContender(Contender):
    """Raw httpx and ElementTree: the least a client of this call can do."""

    expected = 1

    def load(self) -> None:
        import xml.etree.ElementTree as ElementTree

        import httpx

        self._httpx = httpx
        self._parse = ElementTree.fromstring

    async def open(self) -> None:
        httpx = self._httpx
        self._headers = json.loads(os.environ["BENCH_STS_FLOOR_HEADERS"])
        self._client = httpx.AsyncClient(limits=self.pool_limits(httpx))

    async def call(self) -> int:
        response = await self._client.post(
            self.endpoint, content=FORM_BODY, headers=self._headers
        )
        root = self._parse(response.content)
        account = root.findtext(
            "{https://sts.amazonaws.com/doc/2011-06-15/}GetCallerIdentityResult/"
            "{https://sts.amazonaws.com/doc/2011-06-15/}Account"
        )
        return int(account == ACCOUNT)

    async def close(self) -> None:
        await self._client.aclose()


class StsClientContender(GeneratedClientContender):
    """The generated STS client on ``smithygen_runtime``."""

    expected = 1
    package = STS_PACKAGE
    client_class = "STSClient"
    folder_variable = "BENCH_STS_DIR"

    async def call(self) -> int:
        result = await self._client.get_caller_identity()
        return int(result.account == ACCOUNT)


class StsAiobotocoreContender(Contender):
    """aiobotocore's ``sts`` client with its defaults."""

    expected = 1

    def load(self) -> None:
        self._get_session: Any = importlib.import_module(
            "aiobotocore.session"
        ).get_session

    async def open(self) -> None:
        self._context = self._get_session().create_client(
            "sts",
            region_name=REGION,
            endpoint_url=self.endpoint,
            aws_access_key_id=ACCESS_KEY,
            aws_secret_access_key=SECRET_KEY,
        )
        self._client = await self._context.__aenter__()

    async def call(self) -> int:
        result = await self._client.get_caller_identity()
        return int(result["Account"] == ACCOUNT)

    async def close(self) -> None:
        await self._context.__aexit__(None, None, None)


STS_CONTENDERS: dict[str, type[Contender]] = {
    "sts_floor": StsFloorContender,
    "sts_client": StsClientContender,
    "sts_aiobotocore": StsAiobotocoreContender,
}
