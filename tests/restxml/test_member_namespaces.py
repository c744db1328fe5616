"""restXml request bodies take a payload member's @xmlNamespace.

protocol-traits.rst, "xmlNamespace trait": the trait adds an ``xmlns`` to
the element of the shape or member it is on. A structure bound with
``@httpPayload`` is written as the member's element (its ``@xmlName``, the
suite's HttpPayloadWithMemberXmlName), so the member's namespace is that
element's too, before the target structure's and the service's. The
client wrote the structure's or the service's namespace and dropped the
member's: botocore's CloudFront client sends
``<DistributionConfig xmlns="http://cloudfront.amazonaws.com/doc/2020-05-31/">``
from a member-level namespace (found by
tests/equivalence/test_unseen_rest_xml_services.py).
"""

from __future__ import annotations

from types import ModuleType
from typing import Any

import anyio
import httpx

from tests.support.generated_client import client_on_mock_transport


def _sent(package: ModuleType, method: str, **kwargs: Any) -> httpx.Request:
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200)

    async def run() -> None:
        client, http = client_on_mock_transport(
            package.client.XmlMembersClient, handler, "https://xml.example"
        )
        async with client:
            await getattr(client, method)(**kwargs)
        await http.aclose()

    anyio.run(run)
    (request,) = seen
    return request


def test_a_payload_member_namespace_is_written_on_the_payload_element(
    xml_members: ModuleType,
) -> None:
    config = xml_members.ConfigBody(name="a")
    request = _sent(xml_members, "put_config", config=config)
    assert request.content == (
        b'<Config xmlns="https://member.example.com/"><name>a</name></Config>'
    )
    assert request.headers["Content-Type"] == "application/xml"


def test_without_one_the_structure_namespace_applies(xml_members: ModuleType) -> None:
    config = xml_members.NamespacedBody(name="b")
    request = _sent(xml_members, "put_plain_config", config=config)
    assert request.content == (
        b'<NamespacedBody xmlns="https://structure.example.com/">'
        b"<name>b</name></NamespacedBody>"
    )
