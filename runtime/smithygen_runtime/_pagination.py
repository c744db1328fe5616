"""The pagination engine generated paginators drive."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from typing import TypeVar

from ._errors import PaginationError

__all__ = ["paginate"]

Out = TypeVar("Out")


async def paginate(
    fetch: Callable[[str | None], Awaitable[Out]],
    *,
    get_token: Callable[[Out], str | None],
    first_token: str | None = None,
    operation: str,
) -> AsyncIterator[Out]:
    """Yield pages from ``fetch(token)`` until the output token is absent or empty.

    Every page received is yielded, including the one that carries a repeated
    token; then PaginationError is raised rather than looping forever.
    """
    seen: set[str] = set()
    token = first_token
    if token:
        seen.add(token)
    while True:
        page = await fetch(token)
        yield page
        next_token = get_token(page)
        if not next_token:
            return
        if next_token in seen:
            raise PaginationError(
                f"{operation}: the service returned the pagination token "
                f"{_short(next_token)} a second time; stopping to avoid an endless loop"
            )
        seen.add(next_token)
        token = next_token


def _short(token: str, limit: int = 40) -> str:
    return repr(token if len(token) <= limit else token[:limit] + "...")
