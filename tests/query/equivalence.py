"""Our STS client and botocore's, side by side on one loopback STS.

Both run with the same credentials, region and clock (``tests.equivalence.
wire.frozen``) against ``sts_server.sts_handler``; ``as_wire`` turns our
output objects into botocore's shape (member names as keys) so the parsed
responses compare as values.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from datetime import datetime
from enum import Enum
from typing import Any

import anyio
import attrs
from botocore.config import Config
from botocore.session import get_session
from smithy_python.model import (
    ListShape,
    MapShape,
    Shape,
    StructureShape,
    UnionShape,
    load_model,
)
from smithygen.emit.context import Context
from smithygen.idl import load_files
from smithygen.select import select
from smithygen_runtime import Credentials, RetryConfig

from tests.conftest import require_shared
from tests.query.conftest import STS_PACKAGE, STS_SERVICE

ACCESS_KEY = "AKIDEXAMPLE"
SECRET_KEY = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"
REGION = "us-east-1"


@functools.cache
def sts_context() -> Context:
    """The generator's view of STS: wire names and attribute names."""
    files = [require_shared("aws-models", "sts-2011-06-15.json")]
    model = load_model(load_files(files))
    return Context(model, select(model, STS_SERVICE), package=STS_PACKAGE, sources=[])


def output_shape(operation: str) -> Shape:
    ctx = sts_context()
    (op,) = [o for o in ctx.operations if o.id.name == operation]
    return ctx.model.get_shape(op.output)


def input_shape(operation: str) -> Shape:
    ctx = sts_context()
    (op,) = [o for o in ctx.operations if o.id.name == operation]
    return ctx.model.get_shape(op.input)


def as_wire(value: Any, shape: Shape) -> Any:
    """A generated object as botocore parses it: member names as keys, None left out."""
    ctx = sts_context()
    if isinstance(shape, StructureShape | UnionShape) and attrs.has(type(value)):
        found = {}
        for member in ctx.members(shape):
            item = getattr(value, member.attr)
            if item is not None:
                found[member.wire] = as_wire(item, member.target)
        return found
    if isinstance(shape, ListShape):
        element = ctx.model.get_target(shape.member)
        return [as_wire(v, element) for v in value]
    if isinstance(shape, MapShape):
        element = ctx.model.get_target(shape.value)
        return {k: as_wire(v, element) for k, v in value.items()}
    if isinstance(value, Enum):
        return value.value
    return value


def same_values(ours: Any, theirs: Any, path: str = "$") -> None:
    """Deep equality; datetimes compare as instants (botocore's carry tzutc)."""
    if isinstance(theirs, Mapping):
        assert isinstance(ours, Mapping), f"{path}: {ours!r} is not a map"
        assert set(ours) == set(theirs), f"{path}: {sorted(ours)} != {sorted(theirs)}"
        for key in theirs:
            same_values(ours[key], theirs[key], f"{path}.{key}")
    elif isinstance(theirs, list):
        assert isinstance(ours, list) and len(ours) == len(theirs), path
        for index, (a, b) in enumerate(zip(ours, theirs, strict=True)):
            same_values(a, b, f"{path}[{index}]")
    elif isinstance(theirs, datetime):
        assert isinstance(ours, datetime) and ours == theirs, f"{path}: {ours!r}"
    else:
        assert type(ours) is type(theirs) and ours == theirs, (
            f"{path}: ours {ours!r}, botocore {theirs!r}"
        )


def botocore_sts(endpoint_url: str | None, region: str = REGION, **config: Any) -> Any:
    """botocore's STS client: one attempt, our credentials."""
    return get_session().create_client(
        "sts",
        region_name=region,
        endpoint_url=endpoint_url,
        aws_access_key_id=ACCESS_KEY,
        aws_secret_access_key=SECRET_KEY,
        config=Config(retries={"total_max_attempts": 1, "mode": "standard"}, **config),
    )


def call_ours(
    sts: Any, operation: str, kwargs: Mapping[str, Any], **options: Any
) -> Any:
    """Call the generated client; the output, or the exception raised."""

    async def run() -> Any:
        client = sts.STSClient(
            region=options.pop("region", REGION),
            credentials=Credentials(ACCESS_KEY, SECRET_KEY),
            retry=RetryConfig(max_attempts=1),
            **options,
        )
        try:
            async with client:
                return await getattr(client, operation)(**kwargs)
        except Exception as exc:
            return exc

    return anyio.run(run)
