"""The network a scan sees: host mapping (``--connect-to``), extra trust (``--ca-bundle``) and
the DNS servers and trust anchor of the scan's resolver (``--dns-server``, ``dns_trust_anchor``).

One value, handed to the browser launcher and to the HTTP client alike, so that both reach the
same servers and trust the same certificates.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from scanner.net.connect_to import ConnectTo, HostMap


@dataclass(frozen=True)
class NetworkSettings:
    connect_to: tuple[ConnectTo, ...] = ()
    ca_bundle: Path | None = None
    dns_servers: tuple[str, ...] = ()  # HOST:PORT; none: the servers of /etc/resolv.conf
    dns_trust_anchor: Path | None = None  # None: the IANA root KSKs (scanner/dns/root-anchors.txt)
    host_map: HostMap = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "host_map", HostMap(self.connect_to))

    @classmethod
    def build(
        cls,
        connect_to: Iterable[str] = (),
        ca_bundle: Path | None = None,
        dns_servers: Iterable[str] = (),
        dns_trust_anchor: Path | None = None,
    ) -> NetworkSettings:
        return cls(
            tuple(ConnectTo.parse(text) for text in connect_to),
            ca_bundle,
            tuple(dns_servers),
            dns_trust_anchor,
        )

    def merged(self, other: NetworkSettings) -> NetworkSettings:
        """Command-line options first (they win), then the target's own settings."""
        return NetworkSettings(
            self.connect_to + other.connect_to,
            self.ca_bundle or other.ca_bundle,
            self.dns_servers or other.dns_servers,  # a list of servers replaces the other, never mixes
            self.dns_trust_anchor or other.dns_trust_anchor,
        )
