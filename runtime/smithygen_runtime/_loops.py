"""Which event loop is running, and state that belongs to one event loop.

Locks, events and pooled connections belong to the event loop (asyncio) or
run (trio) that made them; used from another, they fail deep inside the
library ("Event loop is closed", "bound to a different event loop"). A client
outlives loops in ordinary programs: created at module level and used from
two ``asyncio.run`` calls, or from pytest's per-test loops. What the runtime
keeps across calls is therefore either loop-independent (settings, the retry
quota, credentials, the clock offset) or made again for each loop, through
``current_loop`` and ``LoopBound``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Generic, TypeVar

__all__ = ["LoopBound", "current_loop"]

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
