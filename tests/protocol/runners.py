"""Drive a generated client through one protocol test case (httpx.MockTransport).

Request cases: build the input from ``params``, call the client method,
compare the captured request. Response cases: answer with the case's status,
headers and body, compare the output or the raised typed error with ``params``.
"""

from __future__ import annotations

import base64
import contextlib
import json
import math
from collections.abc import Mapping
from typing import Any
from unittest import mock

import cbor2
import httpx
from smithy_python.model import (
    EnumShape,
    IntEnumShape,
    ListShape,
    MapShape,
    OperationShape,
    Shape,
    ShapeType,
    StructureShape,
    UnionShape,
)
from smithygen.emit.context import Context
from smithygen_runtime import Credentials, RetryConfig, ServiceError

from tests.protocol.harness import Case, Generated
from tests.protocol.values import assert_same, json_equal

# http-protocol-compliance-tests.rst, "Parameter format": clients that fill
# @idempotencyToken members MUST use this constant in protocol tests.
IDEMPOTENCY_TOKEN = "00000000-0000-4000-8000-000000000000"
CREDENTIALS = Credentials("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY")
REGION = "us-east-1"
DEFAULT_HOST = "example.com"


def _endpoint(data: Mapping[str, Any]) -> str:
    # "host" may carry a base path ("example.com/custom"); the spec's example
    # endpoints are HTTPS.
    return "https://" + str(data.get("host") or DEFAULT_HOST)


def _make_client(gen: Generated, data: Mapping[str, Any], handler: Any) -> Any:
    cls = getattr(gen.client, gen.ctx.client_class)
    http = httpx.AsyncClient(transport=httpx.MockTransport(handler))
    # validate=False: constraint-traits.rst, "Constraint trait enforcement":
    # constraints SHOULD NOT be enforced when serializing, so a case whose
    # params break a constraint must still produce its request.
    return cls(
        region=REGION,
        endpoint_url=_endpoint(data),
        credentials=CREDENTIALS,
        http_client=http,
        validate=False,
        retry=RetryConfig(max_attempts=1),
    ), http


def _call_kwargs(gen: Generated, op: OperationShape, params: Any) -> dict[str, Any]:
    if gen.ctx.is_unit(op.input):
        assert not params, f"{op.id} takes no input, but the case has params {params}"
        return {}
    shape = gen.ctx.model.get_shape(op.input)
    return gen.converter.kwargs(params or {}, shape)


def _token_patch(gen: Generated) -> Any:
    """Make the client fill idempotency tokens with the spec's constant."""
    if hasattr(gen.client, "new_idempotency_token"):
        return mock.patch.object(
            gen.client, "new_idempotency_token", lambda: IDEMPOTENCY_TOKEN
        )
    return contextlib.nullcontext()


async def run_request_case(gen: Generated, case: Case) -> None:
    """Build the input from params, call the client, check the captured request."""
    data = case.data
    (op,) = case.operations
    captured: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        captured.append(request)
        return httpx.Response(200, headers={"Content-Type": "application/json"})

    kwargs = _call_kwargs(gen, op, data.get("params"))
    client, http = _make_client(gen, data, handler)
    method = getattr(client, gen.ctx.method_names[op.id])
    failure: Exception | None = None
    with _token_patch(gen):
        try:
            async with client:
                await method(**kwargs)
        except Exception as exc:  # only the request matters; reported if none left
            failure = exc
        finally:
            await http.aclose()
    if not captured:
        raise AssertionError(f"no request was sent: {failure!r}") from failure
    assert len(captured) == 1, f"expected one request, got {len(captured)}"
    check_request(captured[0], data)


def check_request(request: httpx.Request, data: Mapping[str, Any]) -> None:
    """Compare a captured request with an httpRequestTests case."""
    assert request.method == data["method"], (
        f"method: expected {data['method']}, got {request.method}"
    )
    raw_path, _, raw_query = request.url.raw_path.decode("ascii").partition("?")
    assert raw_path == data["uri"], f"uri: expected {data['uri']!r}, got {raw_path!r}"
    query = [p for p in raw_query.split("&") if p]
    for param in data.get("queryParams", []):
        assert param in query, f"query parameter {param!r} missing from {query}"
    names = {p.split("=", 1)[0] for p in query}
    for name in data.get("forbidQueryParams", []):
        assert name not in names, f"forbidden query parameter {name!r} sent"
    for name in data.get("requireQueryParams", []):
        assert name in names, f"required query parameter {name!r} missing"
    if "resolvedHost" in data:
        host = request.headers.get("host")
        assert host == data["resolvedHost"], (
            f"host: expected {data['resolvedHost']!r}, got {host!r}"
        )
    check_headers(request.headers, data)
    if "body" in data:
        check_body(request.content, data["body"], data.get("bodyMediaType"))


def check_headers(headers: httpx.Headers, data: Mapping[str, Any]) -> None:
    """``headers`` (exact values), ``forbidHeaders`` and ``requireHeaders``."""
    for name, value in data.get("headers", {}).items():
        assert headers.get(name) == value, (
            f"header {name}: expected {value!r}, got {headers.get(name)!r}"
        )
    for name in data.get("forbidHeaders", []):
        assert name not in headers, f"forbidden header {name} sent: {headers[name]!r}"
    for name in data.get("requireHeaders", []):
        assert name in headers, f"required header {name} missing"


# The suites write these bodies in base64 (rpcv2Cbor); every other body,
# application/octet-stream and image/jpg ones included (restJson1's
# "blobby blob blob", "1234"), is the literal text of the bytes.
_BASE64_MEDIA_TYPES = ("application/cbor",)


def _is_text(media_type: str | None) -> bool:
    return media_type not in _BASE64_MEDIA_TYPES


def _is_json(media_type: str | None) -> bool:
    return media_type is not None and "json" in media_type


def _is_form(media_type: str | None) -> bool:
    return media_type is not None and "x-www-form-urlencoded" in media_type


def check_form_body(actual: bytes, expected: str) -> None:
    """Form bodies compare as their key/value pairs, in any order.

    The query protocols' keys name their place (``List.member.2``), so the
    order of the pairs carries nothing; the input-maps suite says a client
    may write map entries sorted by key or in insertion order. The pairs are
    compared as sent, percent-encoding included (aws-query-serialization:
    "All keys and values MUST be encoded according to RFC 3986"), so a
    ``:`` left unescaped or a space sent as ``+`` fails.
    """
    text = actual.decode("ascii")  # a form body is ASCII: the rest is escaped
    ours = sorted(text.split("&")) if text else []
    theirs = sorted(expected.split("&")) if expected else []
    assert ours == theirs, f"body: expected {expected!r}, got {text!r}"


def _is_xml(media_type: str | None) -> bool:
    return media_type is not None and "xml" in media_type


def check_xml_body(actual: bytes, expected: str) -> None:
    """XML bodies compare as trees: names with their namespace URIs, attributes,
    text (surrounding whitespace aside) and children.

    Children of one name keep their order (list items); children of
    different names may come in any order (a structure's members are not
    ordered). Prefixes and the layout of the expected text do not matter; a
    missing or different namespace does (the restXml suites test
    @xmlNamespace).
    """
    import xml.etree.ElementTree as ElementTree

    if not expected.strip():
        assert not actual.strip(), f"body: expected none, got {actual!r}"
        return
    assert actual.strip(), f"body: expected {expected!r}, got an empty body"
    ours = ElementTree.fromstring(actual)
    theirs = ElementTree.fromstring(expected.encode("utf-8"))
    _same_xml(ours, theirs, theirs.tag)


def _same_xml(ours: Any, theirs: Any, path: str) -> None:
    assert ours.tag == theirs.tag, f"{path}: expected <{theirs.tag}>, got <{ours.tag}>"
    assert ours.attrib == theirs.attrib, (
        f"{path}: attributes {ours.attrib} != {theirs.attrib}"
    )
    assert (ours.text or "").strip() == (theirs.text or "").strip(), (
        f"{path}: text {ours.text!r} != {theirs.text!r}"
    )

    def by_tag(element: Any) -> dict[str, list[Any]]:
        groups: dict[str, list[Any]] = {}
        for child in element:
            groups.setdefault(child.tag, []).append(child)
        return groups

    mine, expected = by_tag(ours), by_tag(theirs)
    assert {t: len(c) for t, c in mine.items()} == {
        t: len(c) for t, c in expected.items()
    }, f"{path}: children {[c.tag for c in ours]} != {[c.tag for c in theirs]}"
    for tag, children in expected.items():
        for index, (a, b) in enumerate(zip(mine[tag], children, strict=True)):
            _same_xml(a, b, f"{path}/{tag}[{index}]")


def check_body(actual: bytes, expected: str, media_type: str | None) -> None:
    """JSON and form bodies compare as values; others byte for byte.

    Spec: "bodyMediaType" helps runners "parse and validate the expected data
    against generated data"; binary media types carry ``body`` in base64.
    """
    if _is_form(media_type):
        check_form_body(actual, expected)
    elif _is_xml(media_type):
        check_xml_body(actual, expected)
    elif _is_json(media_type) and expected.strip():
        assert actual.strip(), f"body: expected {expected!r}, got an empty body"
        json_equal(json.loads(actual), json.loads(expected), "body")
    elif _is_cbor(media_type) and expected:
        check_cbor_body(actual, expected)
    elif _is_text(media_type):
        assert actual == expected.encode("utf-8"), (
            f"body: expected {expected!r}, got {actual!r}"
        )
    else:
        assert actual == base64.b64decode(expected), "body differs"


def _is_cbor(media_type: str | None) -> bool:
    return media_type == "application/cbor"


def check_cbor_body(actual: bytes, expected: str) -> None:
    """CBOR bodies compare as decoded data items (``expected`` is base64).

    http-protocol-compliance-tests.rst: bodies of a known media type are
    compared structurally, so an indefinite-length map equals a definite one,
    and a float sent in 64 bits equals the same value written in 32 or 16.
    """
    assert actual, f"body: expected CBOR {expected!r}, got an empty body"
    cbor_equal(cbor2.loads(actual), cbor2.loads(base64.b64decode(expected)), "body")


def cbor_equal(actual: Any, expected: Any, path: str) -> None:
    """Decoded CBOR equality: maps unordered, NaN equal to NaN, bools strictly."""
    if isinstance(expected, dict):
        assert isinstance(actual, dict), f"{path}: expected a map, got {actual!r}"
        assert set(actual) == set(expected), (
            f"{path}: expected keys {sorted(map(str, expected))}, "
            f"got {sorted(map(str, actual))}"
        )
        for key in expected:
            cbor_equal(actual[key], expected[key], f"{path}.{key}")
    elif isinstance(expected, list):
        assert isinstance(actual, list), f"{path}: expected an array, got {actual!r}"
        assert len(actual) == len(expected), (
            f"{path}: expected {len(expected)} items, got {actual!r}"
        )
        for i, (a, e) in enumerate(zip(actual, expected, strict=True)):
            cbor_equal(a, e, f"{path}[{i}]")
    elif isinstance(expected, bool) or isinstance(actual, bool) or expected is None:
        assert actual is expected, f"{path}: expected {expected!r}, got {actual!r}"
    elif isinstance(expected, float) and math.isnan(expected):
        assert isinstance(actual, float) and math.isnan(actual), (
            f"{path}: expected NaN, got {actual!r}"
        )
    else:
        assert type(actual) is type(expected) or (
            isinstance(actual, int | float) and isinstance(expected, int | float)
        ), f"{path}: expected {expected!r}, got {actual!r}"
        assert actual == expected, f"{path}: expected {expected!r}, got {actual!r}"


def _response_body(data: Mapping[str, Any]) -> bytes:
    body = str(data.get("body", ""))
    if _is_text(data.get("bodyMediaType")):
        return body.encode("utf-8")
    return base64.b64decode(body)


async def run_response_case(gen: Generated, case: Case) -> None:
    """Feed the case's response and compare the output or the raised error."""
    data = case.data

    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(
            int(data["code"]),
            headers=data.get("headers", {}),
            content=_response_body(data),
        )

    assert case.operations, "no operation of the service can return this error"
    for op in case.operations:
        client, http = _make_client(gen, data, handler)
        method = getattr(client, gen.ctx.method_names[op.id])
        kwargs = _minimal_kwargs(gen, op)
        try:
            async with client:
                if case.error is None:
                    result = await method(**kwargs)
                    _check_output(gen, op, result, data.get("params"))
                else:
                    try:
                        await method(**kwargs)
                    except ServiceError as exc:
                        _check_error(gen, case.error, exc, data)
                    else:
                        raise AssertionError(
                            f"{op.id.name}: expected {case.error.id.name} to be raised"
                        )
        finally:
            await http.aclose()


def _check_output(gen: Generated, op: OperationShape, result: Any, params: Any) -> None:
    if gen.ctx.is_unit(op.output):
        assert not params, f"{op.id} has no output, but the case has params {params}"
        assert result is None, f"expected None for a Unit output, got {result!r}"
        return
    shape = gen.ctx.model.get_shape(op.output)
    assert_same(result, gen.converter.structure(params or {}, shape), "output")


def _check_error(
    gen: Generated, shape: StructureShape, error: ServiceError, data: Mapping[str, Any]
) -> None:
    cls = getattr(gen.converter.errors, gen.ctx.class_of(shape.id))
    assert type(error) is cls, f"expected {cls.__name__}, got {error!r}"
    # The wire code: the shape's name, awsQuery's awsQueryError code, or the
    # query code an awsQueryCompatible case gives in its vendorParams.
    expected_code, expected_fault = _expected_code_and_fault(shape, data)
    if not (data.get("vendorParams") or {}).get("code"):
        expected_code = gen.ctx.error_code(shape.id)
    assert error.code == expected_code, (
        f"code: expected {expected_code}, got {error.code}"
    )
    if expected_fault is not None:
        assert error.fault == expected_fault, (
            f"fault: expected {expected_fault}, got {error.fault}"
        )
    assert error.status_code == int(data["code"]), f"status_code {error.status_code}"
    params = data.get("params") or {}
    given = gen.converter.kwargs(params, shape)
    for member in gen.ctx.members(shape):
        if member.attr == "message" and member.attr not in given:
            continue  # the exception message is always a string; nothing to expect
        expected = given.get(member.attr)
        if member.attr not in given and not member.optional:
            expected = gen.converter.value(member.default, member.target)
        assert_same(getattr(error, member.attr), expected, f"error.{member.attr}")


# The awsQuery <Type> of an error (x-amzn-query-error's second part) -> our fault.
_QUERY_FAULTS = {"Sender": "client", "Receiver": "server"}


def _expected_code_and_fault(
    shape: StructureShape, data: Mapping[str, Any]
) -> tuple[str, str | None]:
    """The error code (and fault) a case expects: its shape name by default.

    The awsQueryCompatible cases give the query code and type in their
    ``vendorParams`` (shape ``ErrorCodeParams``: ``code``, ``type``).
    """
    vendor = data.get("vendorParams") or {}
    code = vendor.get("code") if isinstance(vendor, Mapping) else None
    kind = vendor.get("type") if isinstance(vendor, Mapping) else None
    fault = _QUERY_FAULTS[kind] if isinstance(kind, str) else None
    return (code if isinstance(code, str) else shape.id.name), fault


# --- minimal inputs for response cases ------------------------------------------------


def _minimal_kwargs(gen: Generated, op: OperationShape) -> dict[str, Any]:
    """Any valid call: required members without defaults get placeholder values."""
    if gen.ctx.is_unit(op.input):
        return {}
    shape = gen.ctx.model.get_shape(op.input)
    return gen.converter.kwargs(_minimal_node(gen.ctx, shape, 0), shape)


def _minimal_node(ctx: Context, shape: Shape, depth: int) -> Any:
    assert depth < 20, f"{shape.id}: required members recurse without end"
    if isinstance(shape, StructureShape):
        return {
            m.shape.name: _minimal_node(ctx, m.target, depth + 1)
            for m in ctx.members(shape)
            if m.required and not m.has_default
        }
    if isinstance(shape, UnionShape):
        name, member = next(iter(shape.members.items()))
        return {name: _minimal_node(ctx, ctx.model.get_target(member), depth + 1)}
    if isinstance(shape, EnumShape | IntEnumShape):
        first = next(iter(shape.members.values()))
        return first.get_trait("enumValue")
    if isinstance(shape, ListShape):
        return []
    if isinstance(shape, MapShape):
        return {}
    placeholders: Mapping[ShapeType, Any] = {
        ShapeType.STRING: "a",  # also a valid host label
        ShapeType.BLOB: "a",
        ShapeType.BOOLEAN: False,
        ShapeType.TIMESTAMP: 0,
        ShapeType.DOCUMENT: {},
    }
    return placeholders.get(shape.type, 0)
