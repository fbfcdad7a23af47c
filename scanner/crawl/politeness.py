"""Per-host politeness, the one place that limits what govscan does to one server at a time.

Page visits: at most ``per_host_concurrency`` pages of one host at a time, and a gap between their
starts (``request_delay``, longer where robots.txt asks for it). Host probes (TLS, headers,
security.txt, ...): at most ``min(per_host_concurrency, MAX_PROBE_CONNECTIONS)`` connections of
their own to the host at a time, each probe taking what it declares. Probes hold a budget beside
the page slots rather than sharing them, so that a TLS scan of twenty seconds never stalls the
crawl; both are sized from the same per-host setting, so a target configured for one connection
at a time gets one probe connection too.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections import defaultdict
from collections.abc import AsyncIterator

MAX_PROBE_CONNECTIONS = 2  # probes of one host share this; German federal servers refuse more


class ConnectionBudget:
    """At most ``size`` connections at a time; a taker waits until what it asks for is free."""

    def __init__(self, size: int) -> None:
        self.size = self.free = size
        self._changed = asyncio.Condition()

    @contextlib.asynccontextmanager
    async def take(self, connections: int) -> AsyncIterator[None]:
        wanted = min(max(connections, 1), self.size)
        async with self._changed:
            await self._changed.wait_for(lambda: self.free >= wanted)
            self.free -= wanted
        try:
            yield
        finally:
            async with self._changed:
                self.free += wanted
                self._changed.notify_all()


class HostPoliteness:
    def __init__(self, per_host_concurrency: int, delay: float, clock=time.monotonic) -> None:
        self.per_host_concurrency = per_host_concurrency
        self.delay = delay
        self.clock = clock
        self._active: dict[str, int] = defaultdict(int)
        self._next_start: dict[str, float] = {}
        self._delays: dict[str, float] = {}
        probe_size = min(per_host_concurrency, MAX_PROBE_CONNECTIONS)
        self._probe_budgets: dict[str, ConnectionBudget] = defaultdict(lambda: ConnectionBudget(probe_size))

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

    def probe_connections(self, host: str, connections: int) -> contextlib.AbstractAsyncContextManager[None]:
        """Hold ``connections`` of the host's probe budget (waiting until they are free)."""
        return self._probe_budgets[host].take(connections)
