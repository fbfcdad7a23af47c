"""How long the event loop was blocked: synchronous work (SQLite, checks) stalls every visit at once.

A watcher task sleeps ``interval`` seconds over and over; when it wakes later than asked by more
than ``threshold``, the loop was busy with something that did not yield, and the lateness counts.
"""

from __future__ import annotations

import asyncio
import contextlib
import time

INTERVAL = 0.05
THRESHOLD = 0.02  # lateness below this is ordinary scheduling, not a blocked loop


class LoopLag:
    """``async with LoopLag() as lag:`` ... ``lag.blocked_seconds``."""

    def __init__(self) -> None:
        self.blocked_seconds = 0.0
        self.worst_seconds = 0.0
        self._task: asyncio.Task | None = None

    async def __aenter__(self) -> LoopLag:
        self._task = asyncio.create_task(self._watch())
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        assert self._task is not None
        self._task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await self._task

    async def _watch(self) -> None:
        while True:
            asked = time.monotonic()
            await asyncio.sleep(INTERVAL)
            late = time.monotonic() - asked - INTERVAL
            if late > THRESHOLD:
                self.blocked_seconds += late
                self.worst_seconds = max(self.worst_seconds, late)
