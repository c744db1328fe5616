"""restXml services the project has never seen, against botocore: Route 53
and CloudFront.

Their models are rebuilt from botocore's data (``smithy_from_botocore``:
``@http`` with labels renamed to their members, ``@httpHeader``,
``@httpQuery``, ``@httpLabel``, ``@httpPayload``, ``@httpResponseCode``,
``@xmlName``, ``@xmlNamespace`` on members and input structures,
``@httpError``), generated into a temporary folder and driven beside
botocore's client with the same input (every member set), clock and UUIDs,
over a mock transport:

- requests: the same method, path, query (as sorted pairs: ours follows the
  model's member order; a date-time compared as an instant, botocore writing
  six fraction digits), HTTP-bound headers, Content-Type, and the same XML
  body compared structurally (both canonicalized, C14N 2.0: names,
  namespaces, attributes, text, order), botocore's ``.125000Z`` date-times
  read as the ``.125Z`` the runtime writes; a SigV4 Authorization that is
  botocore's signature of our bytes; the same header names and values but
  three documented differences: the User-Agent (each client names itself),
  ``Content-Type: application/xml`` on an XML body from us only (the restXml
  suite requires it; botocore sends none), and ``Content-Length: 0`` on a
  bodiless DELETE from botocore only (httpx follows RFC 9110 section 8.6).
  The bodies are compared structurally because botocore's ElementTree writes
  an empty element as ``<Items />`` and the runtime as ``<Items></Items>``;
- outputs: a response with every output member where its binding puts it
  (headers, status, the XML body or the payload) parses to the same values;
- modeled errors (each once, with the first operation declaring it), in
  ``<ErrorResponse><Error>``: the same class, code, message, status, request
  id and members; and an error neither service models, which keeps its code
  in the service's unknown-error class.
"""

from __future__ import annotations

import base64
import re
from typing import Any
from xml.etree.ElementTree import canonicalize

import httpx
import pytest
from smithy_python.model import OperationShape, ShapeType, StructureShape
from smithygen.emit.context import Context, Member
from smithygen.emit.traits import get_trait

from tests.equivalence.test_all_operations import sample
from tests.equivalence.test_botocore_equivalence import assert_same_parsed
from tests.equivalence.test_rest_json_operations import _header_text, _query
from tests.equivalence.unseen import (
    REST_XML_SERVICES,
    UnseenServices,
    assert_same_error_members,
    assert_same_headers,
    assert_signed_as_botocore_signs,
    botocore_error_of,
    call_both,
    compared_operations,
    header,
    member_elements,
    modeled_error_cases,
    operation_cases,
    rest_xml_error,
    without_message,
    xml_element,
)
from tests.equivalence.wire import Reply

pytestmark = [pytest.mark.slow, pytest.mark.usefixtures("isolated_aws")]

SERVICES = REST_XML_SERVICES
OPERATIONS = {name: compared_operations(name) for name in SERVICES}
XML = "application/xml"


def _binding(member: Member) -> str | None:
    for trait in (
        "httpLabel",
        "httpQuery",
        "httpQueryParams",
        "httpHeader",
        "httpPrefixHeaders",
        "httpPayload",
        "httpResponseCode",
    ):
        if member.shape.has_trait(f"smithy.api#{trait}"):
            return trait
    return None


# --- requests ---------------------------------------------------------------------------

_BOTOCORE_MICROSECONDS = re.compile(r"(T\d\d:\d\d:\d\d\.\d{3})000Z")


def canonical_xml(body: bytes) -> str:
    """The body in C14N 2.0 form; botocore's six-digit fractions cut to three."""
    text = _BOTOCORE_MICROSECONDS.sub(r"\1Z", body.decode("utf-8"))
    return canonicalize(xml_data=text)


def _body(request: Any) -> bytes:
    body = request.body if not isinstance(request, httpx.Request) else request.content
    if body is None:
        return b""
    return body.encode() if isinstance(body, str) else bytes(body)


@pytest.mark.parametrize(("name", "op_name"), operation_cases(OPERATIONS))
def test_same_request_as_botocore(
    name: str, op_name: str, unseen_services: UnseenServices
) -> None:
    service = unseen_services[name]
    ctx = service.ctx
    op = service.operation(op_name)
    reply = Reply(200, b"", {"Content-Type": XML})
    ours, result, _ = call_both(service, op, service.input(op), reply, freeze=True)
    assert not isinstance(result, Exception), result
    (theirs,) = service.boto.requests
    their_url = httpx.URL(theirs.url)
    assert ours.method == theirs.method
    assert (ours.url.host, ours.url.port) == (their_url.host, their_url.port)
    assert ours.url.raw_path.partition(b"?")[0] == their_url.raw_path.partition(b"?")[0]
    assert _query(ours.url) == _query(their_url)
    if not ctx.is_unit(op.input):
        for m in ctx.members(ctx.model.get_shape(op.input)):
            if _binding(m) == "httpHeader":
                field = str(m.shape.get_trait("smithy.api#httpHeader"))
                assert ours.headers.get(field) == header(theirs, field), field
    our_body, their_body = _body(ours), _body(theirs)
    if their_body:
        # An XML body: Content-Type application/xml from us, as the restXml
        # suite requires (HttpPayloadWithXmlNamespace and others); none from
        # botocore.
        assert ours.headers["Content-Type"] == XML
        assert header(theirs, "Content-Type") is None
        assert_same_headers(ours, theirs, only_ours=frozenset({"content-type"}))
        assert canonical_xml(our_body) == canonical_xml(their_body)
    elif ours.method == "DELETE":
        # botocore's AWSRequest sends Content-Length: 0 for a bodiless request
        # of any method but GET, HEAD and OPTIONS; httpx sends none for a
        # DELETE without content, as RFC 9110 section 8.6 advises.
        assert our_body == b"", our_body
        assert header(theirs, "Content-Length") == "0"
        assert_same_headers(ours, theirs, only_theirs=frozenset({"content-length"}))
    else:
        assert our_body == b"", our_body
        assert_same_headers(ours, theirs)
    assert_signed_as_botocore_signs(ours, ctx.signing_name)


# --- outputs ----------------------------------------------------------------------------


def _payload_reply(
    ctx: Context, member: Member, value: Any
) -> tuple[bytes, dict[str, str]]:
    target = member.target
    if target.type is ShapeType.BLOB:
        return base64.b64decode(value), {"Content-Type": "application/octet-stream"}
    if target.type is ShapeType.STRING:
        return str(value).encode(), {"Content-Type": "text/plain"}
    element = get_trait(member.shape, "xmlName")
    name = element if isinstance(element, str) else target.id.name
    return xml_element(ctx, name, value, target).encode(), {"Content-Type": XML}


def _reply_for(ctx: Context, op: OperationShape) -> Reply:
    """A response with every output member where its binding puts it."""
    shape = ctx.model.get_shape(op.output)
    node = sample(ctx, shape, "Output", 0, output=True)
    headers = {"x-amzn-RequestId": "req-1", "Content-Type": XML}
    body: dict[str, Any] = {}
    status = 200
    content: bytes | None = None
    for m in ctx.members(shape):
        value = node.get(m.wire)
        binding = _binding(m)
        if value is None:
            continue
        if binding == "httpHeader":
            headers[str(m.shape.get_trait("smithy.api#httpHeader"))] = _header_text(
                m, value
            )
        elif binding == "httpResponseCode":
            status = 200
        elif binding == "httpPayload":
            content, more = _payload_reply(ctx, m, value)
            headers |= more
        elif binding is None:
            body[m.wire] = value
    if content is None:
        content = xml_element(ctx, shape.id.name, body, shape).encode()
    return Reply(status, content, headers)


@pytest.mark.parametrize(("name", "op_name"), operation_cases(OPERATIONS))
def test_same_parsed_output_as_botocore(
    name: str, op_name: str, unseen_services: UnseenServices
) -> None:
    service = unseen_services[name]
    ctx = service.ctx
    op = service.operation(op_name)
    if ctx.is_unit(op.output):
        reply = Reply(200, b"", {"x-amzn-RequestId": "req-1"})
    else:
        reply = _reply_for(ctx, op)
    _, ours, theirs = call_both(service, op, service.input(op), reply)
    assert not isinstance(ours, Exception), ours
    assert theirs.pop("ResponseMetadata")["RequestId"] == "req-1"
    if ctx.is_unit(op.output):
        assert ours is None and theirs == {}
        return
    for key, value in list(theirs.items()):
        if hasattr(value, "read"):  # botocore streams a blob payload
            theirs[key] = value.read()
    shape = ctx.model.get_shape(op.output)
    assert_same_parsed(ours, theirs, shape, "output", ctx)
    assert theirs or not shape.members, "the sampled output sets members"


# --- errors -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "op_name", "error_name"), modeled_error_cases(SERVICES, OPERATIONS)
)
def test_same_modeled_error_as_botocore(
    name: str, op_name: str, error_name: str, unseen_services: UnseenServices
) -> None:
    service = unseen_services[name]
    ctx = service.ctx
    op = service.operation(op_name)
    error_id, shape = service.error_shape(op, error_name)
    assert isinstance(shape, StructureShape)
    fault = shape.get_trait("smithy.api#error")
    status = int(shape.get_trait("smithy.api#httpError") or 400)
    values = without_message(sample(ctx, shape, "Error", 0, output=True))
    members = member_elements(ctx, values, shape)
    kind = "Receiver" if fault == "server" else "Sender"
    reply = Reply(
        status, rest_xml_error(error_name, kind, members), {"Content-Type": XML}
    )
    _, ours, theirs = call_both(service, op, service.input(op), reply)
    parsed = botocore_error_of(ours, theirs)
    assert type(ours) is getattr(service.errors, ctx.class_of(error_id))
    assert type(theirs).__name__ == error_name
    assert (ours.code, ours.message) == (parsed["Code"], parsed["Message"])
    assert (ours.code, ours.message) == (error_name, "it failed")
    assert (ours.status_code, ours.request_id) == (status, "r-2")
    assert_same_error_members(ctx, ours, theirs, shape)


def test_every_operation_is_generated(unseen_services: UnseenServices) -> None:
    for name in SERVICES:
        service = unseen_services[name]
        assert not service.selection.skipped, (name, service.selection.skipped)
        assert {o.id.name for o in service.ctx.operations} == set(OPERATIONS[name])


@pytest.mark.parametrize("name", SERVICES)
def test_an_unmodeled_error_keeps_its_code(
    name: str, unseen_services: UnseenServices
) -> None:
    """A code the service does not model (nor the common errors): the
    service's unknown-error class, with botocore's code, message, status and
    request id."""
    service = unseen_services[name]
    op = service.operation(OPERATIONS[name][0])
    body = rest_xml_error("SomethingNew", "Sender", "")
    reply = Reply(409, body, {"Content-Type": XML})
    _, ours, theirs = call_both(service, op, service.input(op), reply)
    parsed = botocore_error_of(ours, theirs)
    assert type(ours) is getattr(service.errors, service.ctx.unknown_error)
    assert (ours.code, ours.message) == (parsed["Code"], parsed["Message"])
    assert ours.code == "SomethingNew"
    metadata = theirs.response["ResponseMetadata"]  # type: ignore[attr-defined]
    assert (ours.status_code, ours.request_id) == (409, metadata["RequestId"])
    assert ours.request_id == "r-2"
