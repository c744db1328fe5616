"""Which event loop is running, and state that belongs to one event loop.

Locks, events and pooled connections belong to the event loop (asyncio) or
run (trio) that made them; used from another, they fail deep inside the
library ("Event loop is closed", "bound to a different event loop"). A client
outlives loops in ordinary programs: created at module level and used from
two ``asyncio.run`` calls, or from pytest's per-test loops. What the runtime
keeps across calls is therefore either loop-independent (settings, the retry
quota, credentials, the clock offset) or made again for each loop, through
``current_loop`` and ``LoopBound``; ``HttpClientForLoop`` does it for the
client's httpx client, which it must not do for a user's.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING, Generic, TypeVar

from ._errors import ConfigurationError

if TYPE_CHECKING:
    import httpx

__all__ = ["OTHER_LOOP_FIX", "HttpClientForLoop", "LoopBound", "current_loop"]

_logger = logging.getLogger("smithygen_runtime")

T = TypeVar("T")


def current_loop() -> object:
    """The running asyncio loop or trio run, as an identity to compare with ``is``.

    An asyncio loop object, or trio's token for the current run. Kept as a
    strong reference by whoever stores it, so a new loop can never reuse the
    identity of a dead one (as ``id()`` could after garbage collection).
    """
    import sniffio

    if sniffio.current_async_library() == "trio":
        import trio

        return trio.lowlevel.current_trio_token()
    import asyncio

    return asyncio.get_running_loop()


class LoopBound(Generic[T]):
    """A value made by ``make`` for the running event loop, made again in another.

    The value made for an earlier loop is dropped, never awaited: that loop
    may be closed. One loop at a time: a client is not shared between loops
    running at once in different threads.
    """

    __slots__ = ("_loop", "_make", "_value")

    def __init__(self, make: Callable[[], T]) -> None:
        self._make = make
        self._loop: object = None
        self._value: T | None = None

    def get(self) -> T:
        """The value for the running loop (made now if this loop has none yet)."""
        loop = current_loop()
        if loop is not self._loop or self._value is None:
            self._value = self._make()
            self._loop = loop
        return self._value


OTHER_LOOP_FIX = (
    "Create the httpx.AsyncClient, and the client given it, inside the event "
    "loop that uses them (for example inside the function asyncio.run() runs, "
    "or in a per-test fixture), or leave http_client out: the client's own "
    "httpx client follows the running event loop"
)


class HttpClientForLoop:
    """The httpx client a call sends with, valid in the running event loop.

    httpx pools connections, and a connection belongs to the event loop (or
    trio run) that opened it: used from another loop, the next request fails
    inside httpx with a bare ``RuntimeError: Event loop is closed`` (or hangs
    on a loop that is not running). The runtime's own httpx client is bound
    to the loop of its first request and replaced by a new one with the same
    settings (``make``) when a call comes from another loop; the old one is
    dropped without awaiting anything on its loop, which may be closed, and
    its sockets close when it is garbage collected. A client the user gave
    (``http_client=``, ``make`` None) is never replaced or closed: a call from
    another loop is a ConfigurationError naming the fix.
    """

    __slots__ = ("_client", "_loop", "_make", "_owner")

    def __init__(
        self,
        client: httpx.AsyncClient,
        make: Callable[[], httpx.AsyncClient] | None,
        owner: str,
    ) -> None:
        self._client: httpx.AsyncClient | None = client
        self._make = make
        self._owner = owner
        self._loop: object = None  # the loop of the first request, once sent

    @property
    def owned(self) -> bool:
        """Whether the httpx client is the runtime's own (not one the user gave)."""
        return self._make is not None

    @property
    def client(self) -> httpx.AsyncClient | None:
        """The httpx client in use (None once dropped by aclose from another loop)."""
        return self._client

    def for_running_loop(self) -> httpx.AsyncClient:
        """The httpx client to send with from the running loop."""
        loop = current_loop()
        if loop is not self._loop:
            self._follow(loop)
        if self._client is None:
            raise ConfigurationError(f"this {self._owner}'s HTTP client is closed")
        return self._client

    def _follow(self, loop: object) -> None:
        """Bind to ``loop``: the first one, or a new one after another."""
        if self._loop is not None:
            if self._make is None:
                raise ConfigurationError(
                    f"http_client: the httpx.AsyncClient given to this "
                    f"{self._owner} was first used from another event loop (or "
                    "trio run), and its pooled connections belong to that loop. "
                    + OTHER_LOOP_FIX
                )
            _logger.debug(
                "%s used from a new event loop: its HTTP connections are "
                "replaced (the old ones belong to the previous loop)",
                self._owner,
            )
            if self._client is not None:
                self._client = self._make()
        self._loop = loop

    async def aclose(self) -> None:
        """Close the runtime's own httpx client (the user's stays open).

        Its connections are closed on their own loop; from another loop they
        are dropped instead (that loop may be closed).
        """
        client = self._client
        if self._make is None or client is None:
            return
        if self._loop is not None and self._loop is not current_loop():
            self._client = None
            return
        import anyio

        # Shielded: a close cut short by a cancellation would leave sockets open.
        with anyio.CancelScope(shield=True):
            await client.aclose()
