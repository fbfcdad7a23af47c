"""A visit with the browser to itself: for a page whose collectors ran out of time under load.

While such a visit waits, no page starts; it begins once the pages still open have ended, and one
such visit runs at a time. Used once per page at most (``ScanRun._once_more_when_quiet``).
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TypeVar

T = TypeVar("T")
POLL = 0.1  # seconds between looks at the pages still open


class QuietGate:
    def __init__(self, open_pages: Callable[[], int]) -> None:
        self._open_pages = open_pages  # pages open in the scan, the visits waiting here included
        self._one_at_a_time = asyncio.Lock()
        self.waiting = 0  # visits waiting here or running behind the gate

    @property
    def closed(self) -> bool:
        """No page may start: a visit waits for the browser to itself."""
        return self.waiting > 0

    async def run(self, visit: Callable[[], Awaitable[T]]) -> T:
        self.waiting += 1
        try:
            async with self._one_at_a_time:
                while self._open_pages() - self.waiting > 0:
                    await asyncio.sleep(POLL)
                return await visit()
        finally:
            self.waiting -= 1


@dataclass
class OpenVisit:
    shared: bool = False  # another visit was open at some moment of this one


class Overlaps:
    """Which visits shared the browser with another, at any moment of their run (not only at its
    end, when the other may just have finished)."""

    def __init__(self) -> None:
        self._open: list[OpenVisit] = []

    @contextmanager
    def visit(self) -> Iterator[OpenVisit]:
        this = OpenVisit(shared=bool(self._open))
        for other in self._open:
            other.shared = True
        self._open.append(this)
        try:
            yield this
        finally:
            self._open.remove(this)
