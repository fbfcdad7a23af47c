"""Host probes: evidence gathered once per host and scan, beside the browsing.

A probe is the host-level counterpart of a page capture: it talks to the network and returns a
HostProbeResult; host checks then judge that result without touching the network. A probe never
grades: what a check judges beyond findings (the header grade, a TLS profile's outcome) it yields
as a record. Each probe says how many connections it opens at once, so politeness towards one
server lives in one place.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from scanner.evidence import HostProbeResult
from scanner.families import import_modules
from scanner.net.client import NetClient

ProbeFn = Callable[[str, int, NetClient], Awaitable[HostProbeResult]]


@dataclass(frozen=True)
class HostProbe:
    name: str
    port: int  # the port probed on every first-party host (80: plain HTTP, 443: TLS)
    connections: int  # the most connections the probe opens to one server at a time
    run: ProbeFn
    # True: run once per registrable domain of the hosts (DNS), handed the domain instead of a
    # host; it asks the scan's DNS servers, not the host, so the host's connection budget is not held
    per_domain: bool = False
    # True: also run for the mail domains pages name (``mailto:`` on contact and legal pages)
    mail_domain: bool = False


PROBES: dict[str, HostProbe] = {}


def host_probe(
    name: str, *, port: int, connections: int = 1, per_domain: bool = False, mail_domain: bool = False
) -> Callable[[ProbeFn], ProbeFn]:
    def register(function: ProbeFn) -> ProbeFn:
        if name in PROBES:
            raise ValueError(f"host probe {name!r} is registered twice")
        PROBES[name] = HostProbe(name, port, connections, function, per_domain, mail_domain)
        return function

    return register


def load_all_probes() -> dict[str, HostProbe]:
    """Every family's host probes (their modules register them when imported)."""
    import_modules("host_probes")
    return PROBES
