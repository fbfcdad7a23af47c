"""One place limits what govscan does to one server: page slots, start gaps and probe connections."""

from __future__ import annotations

import asyncio

from scanner.crawl.politeness import MAX_PROBE_CONNECTIONS, HostPoliteness


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_pages_of_one_host_are_limited_and_spaced() -> None:
    clock = Clock()
    politeness = HostPoliteness(2, 1.0, clock=clock)
    politeness.started("a.de")
    assert not politeness.is_free("a.de")  # the gap between starts
    assert politeness.is_free("b.de")
    clock.now += 1.0
    politeness.started("a.de")
    clock.now += 1.0
    assert not politeness.is_free("a.de")  # two pages at a time
    politeness.finished("a.de")
    assert politeness.is_free("a.de")


async def peak_probe_connections(per_host_concurrency: int, declared: list[int]) -> int:
    """The most probe connections held on one host at once, for probes declaring ``declared``."""
    politeness = HostPoliteness(per_host_concurrency, 0.0)
    held, peak = 0, 0

    async def probe(connections: int) -> None:
        nonlocal held, peak
        async with politeness.probe_connections("a.de", connections):
            held += min(connections, per_host_concurrency, MAX_PROBE_CONNECTIONS)
            peak = max(peak, held)
            await asyncio.sleep(0.01)
            held -= min(connections, per_host_concurrency, MAX_PROBE_CONNECTIONS)

    await asyncio.gather(*(probe(connections) for connections in declared))
    return peak


async def test_probes_share_a_budget_sized_from_the_per_host_setting() -> None:
    assert await peak_probe_connections(2, [2, 1, 1, 1]) == 2
    assert await peak_probe_connections(8, [1, 1, 1, 1]) == MAX_PROBE_CONNECTIONS
    assert await peak_probe_connections(1, [2, 1, 1]) == 1  # a target asking for one connection


async def test_probes_do_not_take_page_slots() -> None:
    politeness = HostPoliteness(1, 0.0)
    async with politeness.probe_connections("a.de", 2):
        assert politeness.is_free("a.de")  # a twenty-second TLS scan never stalls the crawl
