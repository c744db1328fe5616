"""The pagination engine."""

from __future__ import annotations

import pytest
from smithygen_runtime import PaginationError, paginate

pytestmark = pytest.mark.anyio


class Pages:
    def __init__(self, tokens: dict[str | None, str | None]) -> None:
        self.tokens = tokens
        self.asked: list[str | None] = []

    async def fetch(self, token: str | None) -> dict[str, str | None]:
        self.asked.append(token)
        return {"page": token, "next": self.tokens[token]}


def next_of(page: dict[str, str | None]) -> str | None:
    return page["next"]


async def test_follows_tokens_until_absent() -> None:
    pages = Pages({None: "a", "a": "b", "b": None})
    got = [
        p["page"]
        async for p in paginate(pages.fetch, get_token=next_of, operation="Op")
    ]
    assert got == [None, "a", "b"]


async def test_empty_token_stops() -> None:
    pages = Pages({None: "a", "a": ""})
    got = [p async for p in paginate(pages.fetch, get_token=next_of, operation="Op")]
    assert len(got) == 2


async def test_single_empty_page() -> None:
    pages = Pages({None: None})
    got = [p async for p in paginate(pages.fetch, get_token=next_of, operation="Op")]
    assert got == [{"page": None, "next": None}]


async def test_first_token_is_used() -> None:
    pages = Pages({"b": None})
    got = [
        p
        async for p in paginate(
            pages.fetch, get_token=next_of, first_token="b", operation="Op"
        )
    ]
    assert pages.asked == ["b"] and len(got) == 1


@pytest.mark.parametrize(
    "tokens",
    [
        {None: "a", "a": "a"},  # the same token twice in a row
        {None: "a", "a": "b", "b": "a"},  # a cycle
    ],
)
async def test_repeated_token_raises_after_yielding_the_page(
    tokens: dict[str | None, str | None],
) -> None:
    pages = Pages(tokens)
    got = []
    with pytest.raises(PaginationError, match=r"Op.*'a'"):
        async for page in paginate(pages.fetch, get_token=next_of, operation="Op"):
            got.append(page)
    assert len(got) == len(tokens)


async def test_first_token_returned_again_is_a_repeat() -> None:
    pages = Pages({"a": "a"})
    with pytest.raises(PaginationError):
        async for _ in paginate(
            pages.fetch, get_token=next_of, first_token="a", operation="Op"
        ):
            pass
