"""Sign the floor's request once, so the raw httpx floor pays no signing per call."""

from __future__ import annotations

from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials

from bench.worker import ACCESS_KEY, REGION, SECRET_KEY

FLOOR_BODY = b'{"MaxResults":50}'


def presigned_headers(endpoint: str) -> dict[str, str]:
    """SigV4 headers for ``DescribeInventoryDeletions(MaxResults=50)`` at ``endpoint``.

    The loopback server does not verify them; they are real so that the floor
    sends the same header bytes a signing client would.
    """
    request = AWSRequest(
        method="POST",
        url=endpoint,
        data=FLOOR_BODY,
        headers={
            "Content-Type": "application/x-amz-json-1.1",
            "X-Amz-Target": "AmazonSSM.DescribeInventoryDeletions",
        },
    )
    SigV4Auth(Credentials(ACCESS_KEY, SECRET_KEY), "ssm", REGION).add_auth(request)
    return {name: str(value) for name, value in request.headers.items()}
