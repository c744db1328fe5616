"""The runtime's HTTP binding rules (smithygen_runtime._http_bindings) on their own.

The protocol suite covers them through generated clients; these cases pin the
rules it reaches only in part (http-bindings.rst sections cited per test).
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import attrs
import pytest
from smithygen_runtime import HttpBinding, HttpMember, ValidationError
from smithygen_runtime._http_bindings import (
    bind_request,
    parse_header_value,
    read_bound_members,
    split_header_list,
)

INSTANT = datetime(2019, 12, 16, 23, 48, 18, tzinfo=UTC)


@attrs.frozen
class Input:
    id: Any = None
    key: Any = None
    tags: Any = None
    params: Any = None
    when: Any = None
    names: Any = None


BINDING = HttpBinding(
    method="GET",
    uri="/things/{Id}/{Key+}?mode=full&flag",
    input=(
        HttpMember(attr="id", location="label", name="Id", key="Id"),
        HttpMember(attr="key", location="label", name="Key", key="Key"),
        HttpMember(attr="tags", location="query", name="tag", key="Tags", list_of=True),
        HttpMember(attr="params", location="query_params", key="Params"),
        HttpMember(
            attr="when", location="header", name="X-When", key="When", kind="timestamp"
        ),
        HttpMember(
            attr="names", location="header", name="X-Names", key="Names", list_of=True
        ),
    ),
)


def test_labels_query_and_headers_leave_the_body() -> None:
    document = {"Id": "a b", "Key": "x/y", "Tags": ["1"], "Other": 5}
    bound = bind_request(BINDING, Input(id="a b", key="x/y", tags=["1"]), document)
    assert bound.target == "/things/a%20b/x/y?mode=full&flag&tag=1"
    assert bound.body == {"Other": 5}


def test_an_http_query_wins_over_a_query_params_entry_of_the_same_key() -> None:
    """http-bindings.rst, "httpQueryParams trait": httpQuery takes precedence."""
    bound = bind_request(
        BINDING,
        Input(id="i", key="k", tags=["t"], params={"tag": "lost", "extra": "a&b"}),
        {},
    )
    assert bound.target.endswith("?mode=full&flag&tag=t&extra=a%26b")


def test_a_non_greedy_label_encodes_its_slashes() -> None:
    with pytest.raises(ValidationError):
        bind_request(BINDING, Input(id=None, key="k"), {})
    bound = bind_request(BINDING, Input(id="a/b", key="k"), {})
    assert bound.target.startswith("/things/a%2Fb/k?")


def test_header_timestamps_default_to_http_date_and_lists_quote_commas() -> None:
    """http-bindings.rst, "httpHeader serialization rules"."""
    bound = bind_request(
        BINDING, Input(id="i", key="k", when=INSTANT, names=["a", 'b,"c"', ""]), {}
    )
    assert bound.headers["X-When"] == "Mon, 16 Dec 2019 23:48:18 GMT"
    assert bound.headers["X-Names"] == 'a, "b,\\"c\\"", '
    assert split_header_list(bound.headers["X-Names"]) == ["a", 'b,"c"', ""]


def test_epoch_seconds_headers_read_fractions_and_http_date_lists_split_in_pairs() -> (
    None
):
    member = HttpMember(
        attr="t",
        location="header",
        name="X-T",
        kind="timestamp",
        timestamp_format="epoch-seconds",
    )
    assert parse_header_value(member, "1576540098.5") == datetime(
        2019, 12, 16, 23, 48, 18, 500000, tzinfo=UTC
    )
    dates = HttpMember(
        attr="d", location="header", name="X-D", kind="timestamp", list_of=True
    )
    values = read_bound_members(
        (dates,),
        200,
        {"X-D": "Mon, 16 Dec 2019 23:48:18 GMT, Tue, 17 Dec 2019 00:00:00 GMT"},
    )
    assert values["d"] == [INSTANT, datetime(2019, 12, 17, tzinfo=UTC)]


def test_a_boolean_header_is_true_or_false_only() -> None:
    flag = HttpMember(attr="f", location="header", name="X-F", kind="boolean")
    assert read_bound_members((flag,), 200, {"X-F": "false"}) == {"f": False}
    with pytest.raises(ValueError, match="header X-F"):
        read_bound_members((flag,), 200, {"X-F": "yes"})
