"""The query protocols' wire core: form pairs from layouts, XML read into documents.

Spec: aws-query-serialization.rst.template (keys, lists, maps, RFC 3986) and
aws-xml-serialization.rst.template with protocol-traits.rst's XML bindings
(flattened lists and maps, names, attributes; namespaces do not change a
name). The official suites (tests/protocol) cover the generated clients;
these pin the runtime's pieces on their own, including what the suites do
not reach (errors naming their member path, Unicode, surrogates).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from smithygen_runtime import (
    XML_BIG_DECIMAL,
    XML_BOOL,
    XML_EPOCH,
    XML_FLOAT,
    XML_INT,
    XML_TEXT,
    ValidationError,
    WrongShape,
    XmlList,
    XmlMap,
    XmlMember,
    XmlStructure,
)
from smithygen_runtime._query import encode_form, form_pairs
from smithygen_runtime._xml import MAX_DEPTH, UnsafeXml, parse_xml, read_document

ITEM = XmlStructure("Item").define(
    XmlMember("Name", XML_TEXT, xml_name="name", query_name="Name"),
    XmlMember("Size", XML_INT),
)
ROOT = XmlStructure("Root").define(
    XmlMember("Items", XmlList(ITEM, "item")),
    XmlMember("Flat", XmlList(XML_TEXT), flattened=True),
    XmlMember("Tags", XmlMap(XML_TEXT, "K", "V")),
    XmlMember("FlatMap", XmlMap(XML_INT), flattened=True, xml_name="Entry"),
    XmlMember("When", XML_EPOCH),
    XmlMember("Ok", XML_BOOL),
    XmlMember("Ratio", XML_FLOAT),
    XmlMember("Exact", XML_BIG_DECIMAL),
    XmlMember("Id", XML_TEXT, attribute=True, xml_name="id"),
)


def _read(xml: str) -> object:
    return read_document(parse_xml(xml.encode()), ROOT)


def test_xml_is_read_by_local_names_into_a_member_named_document() -> None:
    document = _read(
        '<Root xmlns="urn:a" xmlns:b="urn:b" id="r-1">'
        "<Items><item><name>a</name><Size>1</Size></item>"
        "<b:item><b:name>b</b:name><Size> 2 </Size></b:item></Items>"
        "<Flat>x</Flat><Other>ignored</Other><Flat>y</Flat>"
        "<Tags><entry><K>k1</K><V>v1</V></entry><entry><K>k2</K><V/></entry></Tags>"
        "<Entry><key>one</key><value>1</value></Entry>"
        "<Entry><key>two</key><value>2</value></Entry>"
        "<When>1398796238</When><Ok>false</Ok><Ratio>-Infinity</Ratio>"
        "<Exact>1.10000000000000000001</Exact></Root>"
    )
    assert document == {
        "Items": [{"Name": "a", "Size": 1}, {"Name": "b", "Size": 2}],
        "Flat": ["x", "y"],
        "Tags": {"k1": "v1", "k2": ""},
        "FlatMap": {"one": 1, "two": 2},
        "When": 1398796238,
        "Ok": False,
        "Ratio": "-Infinity",
        "Exact": Decimal("1.10000000000000000001"),
        "Id": "r-1",
    }


def test_empty_elements_read_as_empty_collections_and_text() -> None:
    assert _read("<Root><Items/><Tags></Tags><Flat/></Root>") == {
        "Items": [],
        "Tags": {},
        "Flat": [""],
    }


def test_fractional_epoch_seconds_stay_fractional() -> None:
    assert _read("<Root><When>1.5</When></Root>") == {"When": 1.5}


@pytest.mark.parametrize(
    ("xml", "path"),
    [
        ("<Root><Items><item><Size>big</Size></item></Items></Root>", "Items[0].Size"),
        ("<Root><Ok>yes</Ok></Root>", "Ok"),
        ("<Root><Entry><key>k</key><value>x</value></Entry></Root>", "FlatMap['k']"),
        ("<Root><Tags><entry><V>v</V></entry></Tags></Root>", "Tags"),
    ],
)
def test_a_value_of_the_wrong_type_names_its_member_path(xml: str, path: str) -> None:
    with pytest.raises(WrongShape) as caught:
        _read(xml)
    assert caught.value.path == path


@pytest.mark.parametrize(
    "xml",
    [
        b'<!DOCTYPE r [<!ENTITY e "x">]><r>&e;</r>',
        b"<!DOCTYPE r SYSTEM 'http://127.0.0.1:9/x.dtd'><r/>",
        b"<r>" * 300 + b"</r>" * 300,
        # Encodings in which "<!DOCTYPE" is not those bytes: the guarded builder reads them.
        '<?xml version="1.0" encoding="UTF-16"?><!DOCTYPE r [<!ENTITY e "x">]><r>&e;</r>'.encode(
            "utf-16"
        ),
        b'<?xml version="1.0" encoding="ISO-8859-1"?><!DOCTYPE r SYSTEM "x.dtd"><r/>',
        b"\xef\xbb\xbf<!DOCTYPE r [<!ENTITY e 'x'>]><r>&e;</r>",
    ],
)
def test_doctypes_and_deep_nesting_are_refused(xml: bytes) -> None:
    with pytest.raises(UnsafeXml):
        parse_xml(xml)


def test_nesting_up_to_the_limit_is_read() -> None:
    depth = MAX_DEPTH
    root = parse_xml(b"<r>" * depth + b"x" + b"</r>" * depth)
    assert root.tag == "r" and "".join(root.itertext()) == "x"


# --- form pairs -------------------------------------------------------------------

DOCUMENT = {
    "Items": [{"Name": "a b", "Size": 1}, {"Name": "é/ü", "Size": 2}],
    "Flat": ["x"],
    "Tags": {"k1": "v1"},
    "FlatMap": {"one": 1},
    "Ok": True,
    "Ratio": float("nan"),
}


def test_awsquery_pairs_name_list_members_and_map_entries() -> None:
    assert form_pairs(DOCUMENT, ROOT) == [
        ("Items.item.1.Name", "a b"),
        ("Items.item.1.Size", "1"),
        ("Items.item.2.Name", "é/ü"),
        ("Items.item.2.Size", "2"),
        ("Flat.1", "x"),
        ("Tags.entry.1.K", "k1"),
        ("Tags.entry.1.V", "v1"),
        ("FlatMap.1.key", "one"),
        ("FlatMap.1.value", "1"),
        ("Ok", "true"),
        ("Ratio", "NaN"),
    ]


def test_ec2query_pairs_flatten_every_list_and_leave_empty_ones_out() -> None:
    pairs = form_pairs(
        {**DOCUMENT, "Flat": []}, ROOT, flatten_lists=True, empty_lists=False
    )
    assert pairs[:2] == [("Items.1.Name", "a b"), ("Items.1.Size", "1")]
    assert not [key for key, _ in pairs if key.startswith("Flat.")]
    assert form_pairs({"Flat": []}, ROOT) == [("Flat", "")]


def test_form_encoding_is_rfc_3986() -> None:
    body = encode_form([("A.b~c", "a b+c/é:="), ("Empty", "")])
    assert body == b"A.b~c=a%20b%2Bc%2F%C3%A9%3A%3D&Empty="


def test_a_lone_surrogate_is_a_validation_error() -> None:
    with pytest.raises(ValidationError) as caught:
        encode_form([("Name", "bad \ud800")])
    assert caught.value.rule == "utf8"


def _query_protocol(protocol: str) -> Any:
    """awsQuery's or ec2Query's ClientProtocol for a service of two operations."""
    from smithygen_runtime import ServiceError, ServiceSpec, WireSchema
    from smithygen_runtime._query import AwsQueryProtocol, Ec2QueryProtocol

    service = ServiceSpec(
        sdk_id="Demo",
        target_prefix="Demo",
        signing_name="demo",
        protocol=protocol,  # type: ignore[arg-type]
        api_version="2020-01-08",
        endpoint_prefix=None,
        endpoint_ruleset=None,
        base_error=ServiceError,
        unknown_error=ServiceError,
        errors={},
        wire_schema=WireSchema(
            outputs={"GetItem": ITEM, "Ping": XmlStructure("PingOutput").define()}
        ),
    )
    cls = AwsQueryProtocol if protocol == "awsQuery" else Ec2QueryProtocol
    return cls(service)


def _operation(name: str) -> Any:
    from smithygen_runtime import OperationSpec

    return OperationSpec(
        name=name,
        serialize=lambda value: {},
        deserialize=dict,
        validate=None,
        errors={},
    )


@pytest.mark.parametrize(
    ("protocol", "body", "words"),
    [
        ("awsQuery", b"", "no <GetItemResult> element (the body is empty)"),
        ("awsQuery", b"  \n", "no <GetItemResult> element (the body is empty)"),
        (
            "awsQuery",
            b"<GetItemResponse><ResponseMetadata><RequestId>r</RequestId>"
            b"</ResponseMetadata></GetItemResponse>",
            "no <GetItemResult> element (not found)",
        ),
        ("ec2Query", b"", "no <GetItemResponse> element (the body is empty)"),
    ],
)
def test_a_query_output_with_members_needs_its_result_element(
    protocol: str, body: bytes, words: str
) -> None:
    # aws-query-protocol.rst, "Response serialization": the output's members
    # sit in <OpResult> inside <OpResponse> (ec2Query: in <OpResponse>). An
    # empty body or a missing result element is a broken response: reading
    # it as an output whose members are all absent would hide it. botocore
    # raises too (an XML parse error; a KeyError for a missing <OpResult>).
    from smithygen_runtime import ResponseParseError

    with pytest.raises(ResponseParseError) as caught:
        _query_protocol(protocol).deserialize_response(
            _operation("GetItem"), 200, {"x-amzn-requestid": "rid-9"}, body
        )
    assert str(caught.value).startswith(f"GetItem response has {words}")
    assert (caught.value.status_code, caught.value.request_id) == (200, "rid-9")


@pytest.mark.parametrize("protocol", ["awsQuery", "ec2Query"])
def test_an_empty_body_is_the_empty_output_of_an_operation_without_members(
    protocol: str,
) -> None:
    # The awsQuery suite's QueryNoInputAndOutput and
    # QueryEmptyInputAndEmptyOutput: an empty 200 body, an output without members.
    output, document = _query_protocol(protocol).deserialize_response(
        _operation("Ping"), 200, {}, b""
    )
    assert output == {} and document == {}
