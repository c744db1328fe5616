"""Fuzzing the response side of both operations through httpx.MockTransport.

Hypothesis draws up to three responses per call (one per attempt): status,
headers (error type, retry hint, Date, encodings) and a body that is random
bytes, a random JSON value, a valid SSM output, a valid output with one node
replaced by a random JSON value, or a valid output cut short. Whatever comes
back, only two outcomes are allowed: an output object of the operation's
result class whose attributes all hold values of their declared types, or an
exception from the project's hierarchy (SmithyGenError). A valid output in a
200 must come out as an output, with its members unchanged.

Budget: FUZZ_EXAMPLES examples over both operations (300 by default, as
``make test`` runs them); e.g. ``FUZZ_EXAMPLES=5000 pytest
tests/reliability/test_fuzz.py``.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from datetime import UTC
from email.utils import format_datetime
from typing import Any

import anyio
import attrs
import httpx
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from smithygen_runtime import ResponseParseError, RetryConfig, SmithyGenError
from ssm_inventory import (
    DeleteInventoryResult,
    DescribeInventoryDeletionsResult,
    SSMClient,
    SSMError,
)
from ssm_inventory._service import SERVICE

from tests.reliability.conformance import type_errors
from tests.reliability.conftest import CREDENTIALS

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "300"))
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
NO_WAIT = RetryConfig(base_delay=0, max_backoff=0)

# --- bodies ----------------------------------------------------------------------

json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=12),
    lambda children: (
        st.lists(children, max_size=4)
        | st.dictionaries(st.text(max_size=10), children, max_size=4)
    ),
    max_leaves=16,
)
texts = st.text(max_size=20)
counts = st.integers(0, 10**6)
epochs = st.integers(0, 4_102_444_800) | st.floats(0, 4_102_444_800)

summary_items = st.fixed_dictionaries(
    {}, optional={"Version": texts, "Count": counts, "RemainingCount": counts}
)
summaries = st.fixed_dictionaries(
    {},
    optional={
        "TotalCount": counts,
        "RemainingCount": counts,
        "SummaryItems": st.lists(summary_items, max_size=3),
    },
)
status_items = st.fixed_dictionaries(
    {},
    optional={
        "DeletionId": texts,
        "TypeName": texts,
        "DeletionStartTime": epochs,
        "LastStatus": st.sampled_from(["InProgress", "Complete"]) | texts,
        "LastStatusMessage": texts,
        "DeletionSummary": summaries,
        "LastStatusUpdateTime": epochs,
        "SomeFutureMember": json_values,
    },
)
VALID_OUTPUTS: dict[str, st.SearchStrategy[dict[str, Any]]] = {
    "DescribeInventoryDeletions": st.fixed_dictionaries(
        {},
        optional={
            "InventoryDeletions": st.lists(status_items, max_size=3),
            "NextToken": texts,
        },
    ),
    "DeleteInventory": st.fixed_dictionaries(
        {},
        optional={"DeletionId": texts, "TypeName": texts, "DeletionSummary": summaries},
    ),
}


@st.composite
def mutated(draw: st.DrawFn, value: Any) -> Any:
    """``value`` with one node (perhaps the root) replaced by a random JSON value."""
    children = (
        list(value.items())
        if isinstance(value, dict)
        else list(enumerate(value))
        if isinstance(value, list)
        else []
    )
    if not children or draw(st.integers(0, 3)) == 0:
        return draw(json_values)
    key, child = draw(st.sampled_from(children))
    copy: Any = dict(value) if isinstance(value, dict) else list(value)
    copy[key] = draw(mutated(child))
    return copy


@attrs.frozen
class Body:
    """A response body and whether it is a valid output of the operation."""

    content: bytes
    valid: Any = None  # the JSON value when valid, else None
    operation: str | None = None  # whose output it is valid for


@st.composite
def bodies(draw: st.DrawFn, operation: str) -> Body:
    # Now and then the other operation's valid output: plausible but wrong.
    if draw(st.integers(0, 4)) == 0:
        operation = draw(st.sampled_from(sorted(VALID_OUTPUTS)))
    kind = draw(
        st.sampled_from(
            ["valid", "valid", "mutated", "mutated", "cut", "json", "bytes"]
        )
    )
    if kind == "bytes":
        return Body(draw(st.binary(max_size=64)))
    if kind == "json":
        return Body(json.dumps(draw(json_values)).encode())
    valid = draw(VALID_OUTPUTS[operation])
    if kind == "valid":
        return Body(json.dumps(valid).encode(), valid, operation)
    if kind == "mutated":
        return Body(json.dumps(draw(mutated(valid))).encode())
    text = json.dumps(valid).encode()
    return Body(text[: draw(st.integers(0, max(0, len(text) - 1)))])


# --- responses -------------------------------------------------------------------

ERROR_CODES = [
    *sorted(SERVICE.errors),
    "ThrottlingException",
    "RequestTimeTooSkewed",
    "InvalidSignatureException",
    "AccessDeniedException",
    "com.amazonaws.ssm#InvalidNextToken",
    "InvalidDeletionIdException:http://internal.amazon.com/",
    "",
]
header_text = st.text(
    st.characters(min_codepoint=0x20, max_codepoint=0x7E), max_size=20
)
statuses = (
    st.just(200)
    | st.sampled_from([400, 403, 404, 429, 500, 502, 503, 504])
    | st.integers(200, 599)
)


@attrs.frozen
class Drawn:
    status: int
    headers: dict[str, str]
    body: Body

    def response(self) -> httpx.Response:
        return httpx.Response(
            self.status, headers=self.headers, content=self.body.content
        )

    def plain_valid(self, operation: str) -> bool:
        """A 200 with a valid output of ``operation``, nothing altering its reading."""
        return (
            self.status == 200
            and self.body.operation == operation
            and "content-encoding" not in self.headers
        )


@st.composite
def responses(draw: st.DrawFn, operation: str) -> Drawn:
    headers: dict[str, str] = {}
    if draw(st.booleans()):
        headers["x-amzn-errortype"] = draw(st.sampled_from(ERROR_CODES) | header_text)
    if draw(st.integers(0, 4)) == 0:
        # Small hints only: a real wait would make each example take seconds.
        headers["x-amz-retry-after"] = draw(
            st.integers(0, 20).map(str) | st.sampled_from(["soon", "", "-1", "1.5"])
        )
    if draw(st.integers(0, 3)) == 0:
        moment = draw(st.datetimes(timezones=st.just(UTC)))
        headers["date"] = draw(
            st.just(format_datetime(moment, usegmt=True)) | header_text
        )
    if draw(st.integers(0, 5)) == 0:
        headers["content-encoding"] = draw(
            st.sampled_from(["gzip", "deflate", "identity"])
        )
    if draw(st.integers(0, 5)) == 0:
        headers["content-type"] = draw(header_text)
    return Drawn(draw(statuses), headers, draw(bodies(operation)))


# --- the calls ---------------------------------------------------------------------

CALLS: dict[str, tuple[Callable[[SSMClient], Any], type]] = {
    "DescribeInventoryDeletions": (
        lambda client: client.describe_inventory_deletions(),
        DescribeInventoryDeletionsResult,
    ),
    "DeleteInventory": (
        lambda client: client.delete_inventory(type_name="Custom:Fuzz"),
        DeleteInventoryResult,
    ),
}


@attrs.define
class Outcome:
    result: Any = None
    error: BaseException | None = None
    served: list[Drawn] = attrs.Factory(list)


async def run_call(operation: str, script: list[Drawn]) -> Outcome:
    """One call on a fresh client (a fresh clock offset and retry quota)."""
    outcome = Outcome()

    def handler(request: httpx.Request) -> httpx.Response:
        drawn = script[min(len(outcome.served), len(script) - 1)]
        outcome.served.append(drawn)
        return drawn.response()

    http = httpx.AsyncClient(transport=httpx.MockTransport(handler))
    try:
        async with (
            http,
            SSMClient(
                region="us-east-1",
                endpoint_url="https://ssm.fuzz.example",
                credentials=CREDENTIALS,
                http_client=http,
                retry=NO_WAIT,
            ) as client,
        ):
            with anyio.fail_after(10):
                outcome.result = await CALLS[operation][0](client)
    except Exception as exc:  # judged by the caller
        outcome.error = exc
    return outcome


async def check(operation: str, script: list[Drawn]) -> Outcome:
    outcome = await run_call(operation, script)
    assert outcome.served, "nothing was sent"
    last = outcome.served[-1]
    error = outcome.error
    if error is not None:
        assert isinstance(error, SmithyGenError), (
            f"raw {type(error).__name__} escaped: {error!r}"
        )
        if last.status < 300:
            assert isinstance(error, ResponseParseError), repr(error)
            assert not last.plain_valid(operation), (
                f"a valid output was rejected: {error!r}"
            )
        else:
            assert isinstance(error, SSMError | ResponseParseError), repr(error)
            code = last.headers.get("x-amzn-errortype", "")
            if isinstance(error, SSMError) and code in SERVICE.errors:
                assert isinstance(error, SERVICE.errors[code])
        return outcome
    assert last.status < 300, "an error status produced an output"
    assert isinstance(outcome.result, CALLS[operation][1])
    if last.plain_valid(operation):
        _check_fields(outcome.result, last.body.valid)
    return outcome


def _check_fields(result: Any, wire: dict[str, Any]) -> None:
    """The main members of a valid output arrive unchanged."""
    for attribute, member in (
        ("next_token", "NextToken"),
        ("deletion_id", "DeletionId"),
        ("type_name", "TypeName"),
    ):
        if hasattr(result, attribute):
            assert getattr(result, attribute) == wire.get(member)
    if isinstance(result, DescribeInventoryDeletionsResult):
        items = wire.get("InventoryDeletions")
        got = result.inventory_deletions
        assert (got is None) == (items is None)
        if items is not None and got is not None:
            assert [i.deletion_id for i in got] == [i.get("DeletionId") for i in items]


def scripts(operation: str) -> st.SearchStrategy[list[Drawn]]:
    """One response per attempt; the last one repeats if the client asks for more."""
    return st.lists(responses(operation), min_size=1, max_size=3)


@pytest.fixture
def anyio_backend() -> str:
    """One backend: the fuzzing is about parsing, not the event loop."""
    return "asyncio"


calls = st.sampled_from(sorted(CALLS)).flatmap(
    lambda operation: st.tuples(st.just(operation), scripts(operation))
)


@pytest.mark.anyio
@FUZZ
@given(call=calls)
@example(
    call=(
        "DescribeInventoryDeletions",
        [Drawn(200, {}, Body(b'{"NextToken": 5, "InventoryDeletions": [{}]}'))],
    )
)
@example(
    call=(
        "DeleteInventory",
        [Drawn(200, {}, Body(b'{"DeletionSummary": {"TotalCount": true}}'))],
    )
)
async def test_fuzzed_responses_give_valid_outputs_or_typed_errors(
    call: tuple[str, list[Drawn]],
) -> None:
    operation, script = call
    outcome = await check(operation, script)
    if outcome.error is None:
        # "Valid" means every attribute holds a value of its declared type.
        errors = type_errors(outcome.result, CALLS[operation][1])
        assert not errors, "; ".join(errors)
