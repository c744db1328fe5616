"""The canned loopback server answers the pages the benchmarks rely on."""

from __future__ import annotations

import json

import httpx

from bench.runner import loopback_server, server_stats
from bench.server import PAGE_SIZE, PAGES
from bench.sts import FORM_BODY, IDENTITY_RESPONSE


def test_pagination_serves_ten_thousand_distinct_deletions_then_stops() -> None:
    with loopback_server() as endpoint, httpx.Client() as client:
        seen: set[str] = set()
        token: str | None = None
        pages = 0
        while True:
            request: dict[str, object] = {"MaxResults": PAGE_SIZE}
            if token is not None:
                request["NextToken"] = token
            response = client.post(endpoint, content=json.dumps(request))
            assert response.status_code == 200
            assert response.headers["content-type"] == "application/x-amz-json-1.1"
            page = response.json()
            assert len(page["InventoryDeletions"]) == PAGE_SIZE
            seen.update(item["DeletionId"] for item in page["InventoryDeletions"])
            pages += 1
            token = page.get("NextToken")
            if token is None:
                break
        assert pages == PAGES
        assert len(seen) == PAGES * PAGE_SIZE


def test_request_without_token_always_gets_the_first_page() -> None:
    with loopback_server() as endpoint, httpx.Client() as client:
        first = client.post(endpoint, content=b'{"MaxResults":50}').content
        again = client.post(endpoint, content=b"{}").content
        assert first == again
        assert json.loads(first)["NextToken"] == "page-1"


def test_unknown_token_is_an_invalid_next_token_error() -> None:
    with loopback_server() as endpoint, httpx.Client() as client:
        for token in ("page-0", "page-999", "nonsense", "page-"):
            response = client.post(endpoint, content=json.dumps({"NextToken": token}))
            assert response.status_code == 400, token
            assert response.json()["__type"] == "InvalidNextToken"


def test_stats_count_requests_and_connections_but_not_themselves() -> None:
    with loopback_server() as endpoint:
        before = server_stats(endpoint)
        with httpx.Client() as client:
            for _ in range(3):
                client.post(endpoint, content=b"{}")
        after = server_stats(endpoint)
        assert after["requests"] - before["requests"] == 3
        # one keep-alive connection for the three posts, one for the stats call
        assert after["connections"] - before["connections"] == 2
        assert after["cpu_seconds"] >= before["cpu_seconds"]


def test_a_get_caller_identity_form_gets_the_sts_answer() -> None:
    """bench.sts's row: the awsQuery request gets STS's XML, not an SSM page."""
    with loopback_server() as endpoint, httpx.Client() as client:
        response = client.post(endpoint, content=FORM_BODY)
        assert response.status_code == 200
        assert response.headers["content-type"] == "text/xml"
        assert response.content == IDENTITY_RESPONSE
        assert b"<Account>123456789012</Account>" in response.content


def test_list_functions_answers_the_canned_fifty_function_page() -> None:
    """The restJson1 row's page: Lambda's wire format, 50 distinct functions."""
    with loopback_server() as endpoint, httpx.Client() as client:
        response = client.get(endpoint + "2015-03-31/functions?MaxItems=50")
        assert response.status_code == 200
        assert response.headers["content-type"] == "application/json"
        functions = response.json()["Functions"]
        assert len({f["FunctionName"] for f in functions}) == 50
        # The SSM answer is unchanged for a POST after it.
        assert "InventoryDeletions" in client.post(endpoint, content=b"{}").json()
