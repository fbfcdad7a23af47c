"""Per-host politeness: at most N pages of one host at a time, and a gap between their starts."""

from __future__ import annotations

import time
from collections import defaultdict


class HostPoliteness:
    def __init__(self, per_host_concurrency: int, delay: float, clock=time.monotonic) -> None:
        self.per_host_concurrency = per_host_concurrency
        self.delay = delay
        self.clock = clock
        self._active: dict[str, int] = defaultdict(int)
        self._next_start: dict[str, float] = {}
        self._delays: dict[str, float] = {}

    def set_host_delay(self, host: str, delay: float) -> None:
        """A longer delay for one host, e.g. from its robots.txt Crawl-delay."""
        self._delays[host] = max(self.delay, delay)

    def is_free(self, host: str) -> bool:
        return self._active[host] < self.per_host_concurrency and self.clock() >= self._next_start.get(
            host, 0.0
        )

    def seconds_until_free(self, hosts) -> float:
        now = self.clock()
        waits = [
            max(0.0, self._next_start.get(host, 0.0) - now)
            for host in hosts
            if self._active[host] < self.per_host_concurrency
        ]
        return min(waits, default=0.05)

    def started(self, host: str) -> None:
        self._active[host] += 1
        self._next_start[host] = self.clock() + self._delays.get(host, self.delay)

    def finished(self, host: str) -> None:
        self._active[host] -= 1
