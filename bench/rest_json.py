"""The restJson1 row of ``make bench``: Lambda ``ListFunctions``, a 50-function page.

The same three kinds of contender as the awsJson rows, on a restJson1
operation: a raw httpx GET of pre-signed headers (the floor), the client
``smithygen generate`` makes from the official Lambda model in ``../shared``
(generated into ``build/bench/lambda`` at the start of the run), and
aiobotocore's ``lambda`` client. The loopback server (``bench.server``)
answers ``GET /2015-03-31/functions`` with the page :func:`list_functions_body`
renders once at start-up (about 26 kB).
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from bench.environments import ROOT
from bench.runner import FLOOR_POOL, Job, Sizes

PAGE_SIZE = 50
LIST_FUNCTIONS_PATH = "/2015-03-31/functions"
LAMBDA_MODEL = ROOT.parent / "shared" / "aws-models" / "lambda-2015-03-31.json"
LAMBDA_SERVICE = "com.amazonaws.lambda#AWSGirApiService"
LAMBDA_OUT = ROOT / "build" / "bench" / "lambda"
# bench contender -> the restJson1 contender of the same kind
CONTENDERS = {
    "floor": "floor_lambda",
    "ssm_inventory": "lambda_client",
    "aiobotocore": "aiobotocore_lambda",
}


def function_item(index: int) -> dict[str, Any]:
    """One ``FunctionConfiguration`` as Lambda sends it, distinct per index."""
    name = f"bench-function-{index:03d}"
    return {
        "FunctionName": name,
        "FunctionArn": f"arn:aws:lambda:us-east-1:123456789012:function:{name}",
        "Runtime": ("python3.12", "nodejs20.x", "java21")[index % 3],
        "Role": "arn:aws:iam::123456789012:role/service-role/bench",
        "Handler": "app.handler",
        "CodeSize": 4096 + index * 17,
        "Description": f"function {index} of the benchmark page",
        "Timeout": 30,
        "MemorySize": 128 * (1 + index % 4),
        "LastModified": "2026-11-27T00:00:00.000+0000",
        "CodeSha256": "47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=",
        "Version": "$LATEST",
        "Environment": {"Variables": {"STAGE": "prod", "INDEX": str(index)}},
        "TracingConfig": {"Mode": "PassThrough"},
        "RevisionId": f"{index:08x}-7d2b-4c1e-9f3a-0123456789ab",
        "PackageType": "Zip",
        "Architectures": ["x86_64"],
        "EphemeralStorage": {"Size": 512},
        "SnapStart": {"ApplyOn": "None", "OptimizationStatus": "Off"},
        "LoggingConfig": {"LogFormat": "Text", "LogGroup": f"/aws/lambda/{name}"},
    }


def list_functions_body() -> bytes:
    """The JSON body of the canned 50-function ``ListFunctions`` page."""
    document = {
        "Functions": [function_item(i) for i in range(PAGE_SIZE)],
        "NextMarker": "bench-next-page",
    }
    return json.dumps(document, separators=(",", ":")).encode()


def generate_lambda_client(out: Path = LAMBDA_OUT) -> Path | None:
    """``smithygen generate`` the Lambda client into ``out``; None without the model."""
    if not LAMBDA_MODEL.exists():
        return None
    command = [
        sys.executable,
        "-m",
        "smithygen.cli",
        "generate",
        str(LAMBDA_MODEL),
        "--service",
        LAMBDA_SERVICE,
        "--package",
        "lambda_client",
        "--out",
        str(out),
    ]
    subprocess.run(command, cwd=ROOT, check=True, capture_output=True)
    return out


def lambda_environment(endpoint: str, out: Path | None) -> dict[str, str]:
    """What the restJson1 workers need: the floor's signed headers, the client's folder."""
    env = {"BENCH_FLOOR_LAMBDA_HEADERS": json.dumps(presigned_list_functions(endpoint))}
    if out is not None:
        env["BENCH_LAMBDA_PATH"] = str(out)
    return env


def rest_json_jobs(sizes: Sizes) -> Callable[[list[str]], list[Job]]:
    """One round of the restJson1 row: per call at concurrency 1 and 32."""

    def jobs(order: list[str]) -> list[Job]:
        result = []
        for key, concurrency, calls, warmup in (
            ("restjson_c1", 1, sizes.calls_c1, sizes.warmup_c1),
            ("restjson_c32", 32, sizes.calls_c32, sizes.warmup),
        ):
            for name in order:
                args = [
                    "percall",
                    "--concurrency",
                    str(concurrency),
                    "--calls",
                    str(calls),
                    "--warmup",
                    str(warmup),
                ]
                if name == "floor_lambda" and concurrency > 1:
                    args += ["--pool", str(FLOOR_POOL)]
                result.append(Job(key, name, tuple(args)))
        return result

    return jobs


def presigned_list_functions(endpoint: str) -> dict[str, str]:
    """SigV4 headers for the floor's ``GET .../functions?MaxItems=50``, signed once."""
    from botocore.auth import SigV4Auth
    from botocore.awsrequest import AWSRequest
    from botocore.credentials import Credentials

    from bench.worker import ACCESS_KEY, REGION, SECRET_KEY

    url = endpoint.rstrip("/") + LIST_FUNCTIONS_PATH + f"?MaxItems={PAGE_SIZE}"
    request = AWSRequest(method="GET", url=url)
    SigV4Auth(Credentials(ACCESS_KEY, SECRET_KEY), "lambda", REGION).add_auth(request)
    return {name: str(value) for name, value in request.headers.items()}
