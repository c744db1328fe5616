"""The generated SSM client and botocore agree on the wire.

For ``DescribeInventoryDeletions`` and ``DeleteInventory``, on hypothesis-made
valid inputs, with the same credentials, region, clock and UUIDs (see
``wire.py``): the same URL, method, X-Amz-Target, Content-Type, X-Amz-Date and
JSON body; the same SigV4 Authorization header; and for the same response
bytes (successes and every modeled error) the same parsed values.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Mapping
from datetime import datetime
from enum import Enum
from typing import Any

import httpx
import pytest
from botocore.awsrequest import AWSPreparedRequest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from smithy_python.model import (
    ListShape,
    MapShape,
    Shape,
    ShapeType,
    StructureShape,
    UnionShape,
    load_model,
)
from smithygen.emit.context import Context
from smithygen.idl import load_files
from smithygen.select import select
from smithygen_runtime import ServiceError

from tests.conftest import PROJECT_ROOT
from tests.equivalence.wire import Botocore, Reply, call_ours, frozen
from tests.protocol.values import json_equal

SERVICE = "com.amazonaws.ssm#AmazonSSM"
# "<test>:<operation>" -> why our client cannot match botocore there yet (strict xfails).
KNOWN_FAILURES: dict[str, str] = {}
EXAMPLES = settings(
    max_examples=50,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)


@functools.cache
def ssm_context() -> Context:
    """The generator's view of model/ssm.smithy: wire names, attributes, defaults."""
    files = sorted((PROJECT_ROOT / "model").glob("*.smithy"))
    model = load_model(load_files(files))
    return Context(model, select(model, SERVICE), package="ssm_inventory", sources=[])


def _operation(name: str) -> Any:
    ctx = ssm_context()
    (op,) = [o for o in ctx.operations if o.id.name == name]
    return op


def _shape(shape_id: Any) -> Shape:
    return ssm_context().model.get_shape(shape_id)


@pytest.fixture(autouse=True, scope="module")
def _no_endpoint_overrides() -> Any:
    """Neither client may pick an endpoint or profile up from the environment."""
    with pytest.MonkeyPatch.context() as patch:
        for name in ("AWS_ENDPOINT_URL", "AWS_ENDPOINT_URL_SSM", "AWS_PROFILE"):
            patch.delenv(name, raising=False)
        yield


@pytest.fixture(scope="module")
def boto() -> Botocore:
    return Botocore()


# --- inputs ---------------------------------------------------------------------------

# ECMAScript's "." (Smithy @pattern) matches no line terminator.
_LINE_TERMINATORS = "\n\r\u2028\u2029"
_text = st.text(st.characters(codec="utf-8", exclude_characters=_LINE_TERMINATORS))
_uuids = st.from_regex(
    r"[a-f0-9]{8}-[a-f0-9]{4}-[a-f0-9]{4}-[a-f0-9]{4}-[a-f0-9]{12}", fullmatch=True
)
_type_names = st.builds(
    str.__add__,
    st.sampled_from(["AWS:", "Custom:"]),
    st.text(
        st.characters(codec="utf-8", exclude_characters=_LINE_TERMINATORS),
        max_size=93,
    ),
)


def _optional(**members: st.SearchStrategy[Any]) -> st.SearchStrategy[dict[str, Any]]:
    """Wire dicts in model member order, each member present or not."""
    return st.fixed_dictionaries({}, optional=members)


DESCRIBE_INPUTS = _optional(
    DeletionId=_uuids,
    NextToken=_text,
    MaxResults=st.integers(1, 50),
)
DELETE_INPUTS = st.builds(
    lambda required, rest: {**required, **rest},
    st.fixed_dictionaries({"TypeName": _type_names}),
    _optional(
        SchemaDeleteOption=st.sampled_from(["DisableSchema", "DeleteSchema"]),
        DryRun=st.booleans(),
        ClientToken=_uuids,
    ),
)
OPERATIONS = {
    "DescribeInventoryDeletions": DESCRIBE_INPUTS,
    "DeleteInventory": DELETE_INPUTS,
}


def _kwargs(op_name: str, wire: Mapping[str, Any]) -> dict[str, Any]:
    """The generated method's keyword arguments for a wire-named input."""
    members = ssm_context().members(_shape(_operation(op_name).input))
    by_wire = {m.wire: m.attr for m in members}
    return {by_wire[name]: value for name, value in wire.items()}


def _in_model_order(op_name: str, wire: Mapping[str, Any]) -> dict[str, Any]:
    members = ssm_context().members(_shape(_operation(op_name).input))
    return {m.wire: wire[m.wire] for m in members if m.wire in wire}


def _method(op_name: str) -> str:
    return ssm_context().method_names[_operation(op_name).id]


# --- requests ---------------------------------------------------------------------------


def _text_header(value: str | bytes) -> str:
    return value.decode() if isinstance(value, bytes) else value


def _wire_target(url: httpx.URL) -> tuple[str, str, int | None, bytes]:
    return url.scheme, url.host, url.port, url.raw_path or b"/"


def _both_requests(
    boto: Botocore, op_name: str, wire: Mapping[str, Any]
) -> tuple[httpx.Request, AWSPreparedRequest]:
    with frozen():
        ours, _ = call_ours(_method(op_name), _kwargs(op_name, wire), Reply())
        # botocore writes members in the caller's dict order, we in model order:
        # give botocore the same order so the signed bytes can be compared.
        boto.call(_method(op_name), _in_model_order(op_name, wire), Reply())
    (theirs,) = boto.requests
    return ours, theirs


def assert_same_request(
    op_name: str, ours: httpx.Request, theirs: AWSPreparedRequest
) -> None:
    """URL, method, target, content type, date and body (as JSON) agree.

    The bodies hold exactly the same members: DeleteInventory's input is an
    @input structure, so DryRun (default false) is optional for the client and
    not sent unless given, as botocore does (aggregate-types.rst, "Structure
    member optionality").
    """
    assert _wire_target(ours.url) == _wire_target(httpx.URL(theirs.url))
    assert ours.method == theirs.method
    for name in ("X-Amz-Target", "Content-Type", "X-Amz-Date"):
        assert ours.headers[name] == _text_header(theirs.headers[name]), name
    our_body = json.loads(ours.content)
    assert isinstance(theirs.body, bytes | str | None)
    their_body = json.loads(theirs.body or b"{}")
    json_equal(our_body, their_body, "body")


@pytest.mark.parametrize("op_name", list(OPERATIONS))
def test_same_request_as_botocore(op_name: str, boto: Botocore) -> None:
    @EXAMPLES
    @given(wire=OPERATIONS[op_name])
    def check(wire: dict[str, Any]) -> None:
        ours, theirs = _both_requests(boto, op_name, wire)
        assert_same_request(op_name, ours, theirs)

    check()


def _known(key: str) -> list[Any]:
    if key in KNOWN_FAILURES:
        return [pytest.mark.xfail(strict=True, reason=KNOWN_FAILURES[key])]
    return []


@pytest.mark.parametrize(
    "op_name",
    [
        pytest.param(name, marks=_known(f"equivalence:signature-{name}"))
        for name in OPERATIONS
    ],
)
def test_same_sigv4_signature_as_botocore(op_name: str, boto: Botocore) -> None:
    """Same Authorization header: same signed headers, canonical request and key."""

    # Shrinking a known mismatch would only cost time.
    @settings(EXAMPLES, phases=(Phase.explicit, Phase.generate))
    @given(wire=OPERATIONS[op_name])
    def check(wire: dict[str, Any]) -> None:
        ours, theirs = _both_requests(boto, op_name, wire)
        assert ours.headers["Authorization"] == _text_header(
            theirs.headers["Authorization"]
        )

    check()


# --- responses ----------------------------------------------------------------------------

_counts = st.integers(0, 2**31 - 1)
# Epoch seconds with millisecond precision, as SSM sends them.
_epochs = st.integers(0, 4_102_444_800_000).map(lambda ms: ms / 1000)
_statuses = st.sampled_from(["InProgress", "Complete"]) | _text
_summary_items = st.lists(
    _optional(
        Version=st.from_regex(r"[0-9]{1,6}\.[0-9]{1,6}", fullmatch=True),
        Count=_counts,
        RemainingCount=_counts,
    ),
    max_size=3,
)
_summaries = _optional(
    TotalCount=_counts, RemainingCount=_counts, SummaryItems=_summary_items
)
_items = _optional(
    DeletionId=_uuids,
    TypeName=_type_names,
    DeletionStartTime=_epochs,
    LastStatus=_statuses,
    LastStatusMessage=_text,
    DeletionSummary=_summaries,
    LastStatusUpdateTime=_epochs,
)
OUTPUTS = {
    "DescribeInventoryDeletions": _optional(
        InventoryDeletions=st.lists(_items, max_size=4), NextToken=_text
    ),
    "DeleteInventory": _optional(
        DeletionId=_uuids, TypeName=_type_names, DeletionSummary=_summaries
    ),
}
_MINIMAL_INPUT = {
    "DescribeInventoryDeletions": {},
    "DeleteInventory": {"TypeName": "Custom:A"},
}


def assert_same_parsed(
    ours: Any, theirs: Any, shape: Shape, path: str, ctx: Context | None = None
) -> None:
    """Our object equals botocore's parsed dict, member by member (wire names).

    ``ctx`` is the generator's view of the model (default: model/ssm.smithy).
    """
    ctx = ctx or ssm_context()
    if isinstance(shape, UnionShape):
        assert isinstance(theirs, dict) and len(theirs) == 1, f"{path}: {theirs!r}"
        ((name, value),) = theirs.items()
        assert type(ours).__name__ == ctx.union_variants[shape.id, name], path
        target = ctx.model.get_target(shape.members[name])
        assert_same_parsed(ours.value, value, target, f"{path}.{name}", ctx)
    elif isinstance(shape, StructureShape):
        assert isinstance(theirs, dict), f"{path}: botocore gave {theirs!r}"
        members = ctx.members(shape)
        assert set(theirs) <= {m.wire for m in members}, f"{path}: {sorted(theirs)}"
        for m in members:
            value = getattr(ours, m.attr)
            if m.wire in theirs:
                assert_same_parsed(
                    value, theirs[m.wire], m.target, f"{path}.{m.wire}", ctx
                )
            else:  # botocore leaves absent members out; we fill modeled defaults
                assert value is None or (m.has_default and value == m.default), (
                    f"{path}.{m.wire}: {value!r} but absent for botocore"
                )
    elif isinstance(shape, ListShape):
        element = ctx.model.get_target(shape.member)
        assert isinstance(ours, list) and isinstance(theirs, list), path
        assert len(ours) == len(theirs), f"{path}: {ours!r} vs {theirs!r}"
        for i, (a, b) in enumerate(zip(ours, theirs, strict=True)):
            assert_same_parsed(a, b, element, f"{path}[{i}]", ctx)
    elif isinstance(shape, MapShape):
        element = ctx.model.get_target(shape.value)
        assert set(ours) == set(theirs), path
        for key in ours:
            assert_same_parsed(ours[key], theirs[key], element, f"{path}[{key!r}]", ctx)
    elif shape.type is ShapeType.TIMESTAMP:
        assert isinstance(ours, datetime) and isinstance(theirs, datetime), path
        assert ours == theirs, f"{path}: {ours!r} vs botocore {theirs!r}"
    else:
        raw = ours.value if isinstance(ours, Enum) else ours
        assert type(raw) is type(theirs), f"{path}: {ours!r} vs botocore {theirs!r}"
        assert raw == theirs, f"{path}: {ours!r} vs botocore {theirs!r}"


@pytest.mark.parametrize("op_name", list(OPERATIONS))
def test_same_parsed_output_as_botocore(op_name: str, boto: Botocore) -> None:
    op = _operation(op_name)

    @EXAMPLES
    @given(body=OUTPUTS[op_name])
    def check(body: dict[str, Any]) -> None:
        reply = Reply(200, json.dumps(body).encode(), {"x-amzn-RequestId": "req-1"})
        wire = _MINIMAL_INPUT[op_name]
        _, ours = call_ours(_method(op_name), _kwargs(op_name, wire), reply)
        theirs = boto.call(_method(op_name), wire, reply)
        assert not isinstance(ours, Exception), ours
        assert theirs.pop("ResponseMetadata")["RequestId"] == "req-1"
        assert_same_parsed(ours, theirs, _shape(op.output), "output")

    check()


def _modeled_errors() -> list[Any]:
    return [
        pytest.param(op_name, error.name, id=f"{op_name}-{error.name}")
        for op_name in OPERATIONS
        for error in _operation(op_name).errors
    ]


@pytest.mark.parametrize(("op_name", "code"), _modeled_errors())
def test_same_parsed_error_as_botocore(op_name: str, code: str, boto: Botocore) -> None:
    """Each modeled error of each operation, named in each form awsJson allows
    in ``__type`` (bare, namespaced, with a ':' suffix)."""
    ctx = ssm_context()
    shape = ctx.model.get_shape(f"com.amazonaws.ssm#{code}")
    status = 500 if shape.get_trait("error") == "server" else 400

    @settings(EXAMPLES, max_examples=15)
    @given(
        form=st.sampled_from(["{}", "com.amazonaws.ssm#{}", "{}:http://internal/"]),
        message_key=st.sampled_from(["message", "Message"]),
        message=_text,
    )
    def check(form: str, message_key: str, message: str) -> None:
        body = {"__type": form.format(code), message_key: message}
        reply = Reply(status, json.dumps(body).encode(), {"x-amzn-RequestId": "r-2"})
        wire = _MINIMAL_INPUT[op_name]
        _, ours = call_ours(_method(op_name), _kwargs(op_name, wire), reply)
        theirs = boto.call(_method(op_name), wire, reply)
        assert isinstance(ours, ServiceError), ours
        assert isinstance(theirs, Exception), theirs
        error = theirs.response["Error"]  # type: ignore[attr-defined]
        assert (ours.code, ours.message) == (error["Code"], error["Message"])
        assert type(ours).__name__ == ctx.class_of(shape.id)
        assert type(theirs).__name__ == code  # botocore's modeled class too
        assert ours.status_code == status
        assert ours.request_id == "r-2"

    check()
