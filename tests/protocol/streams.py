"""Streams in protocol test outputs: a streaming blob read whole before comparing."""

from __future__ import annotations

from typing import Any

import attrs
from smithygen_runtime import ByteStream


async def read_blob_streams(output: Any) -> Any:
    """``output`` with each ByteStream member replaced by its bytes.

    The cases give a streaming payload as its bytes; an empty body stands
    for an unset member (None), as for a non-streaming payload.
    """
    if output is None or not attrs.has(type(output)):
        return output
    read: dict[str, Any] = {}
    for field in attrs.fields(type(output)):
        value = getattr(output, field.name)
        if isinstance(value, ByteStream):
            async with value:
                data = await value.read()
            read[field.name] = data or None
    return attrs.evolve(output, **read) if read else output
