"""The scan's resolver: servers, cache, trust anchor and validation behind one object.

One per scan (the HTTP client holds it): answers are asked once and shared by every probe.
"""

from __future__ import annotations

import ipaddress
import socket
from pathlib import Path

import dns.name
import dns.rdatatype

from scanner.dns.anchors import TrustAnchor, default_anchor
from scanner.dns.caa import CaaSet, relevant_caa
from scanner.dns.chain import ChainValidator
from scanner.dns.query import DEFAULT_ATTEMPTS, DEFAULT_TIMEOUT, DnsQuerier, DnsQueryError
from scanner.dns.servers import DnsServer, system_servers
from scanner.dns.status import DnssecResult
from scanner.net.connect_to import HostMap


class DnsResolver:
    def __init__(
        self,
        servers: tuple[DnsServer, ...] = (),
        *,
        trust_anchor: Path | None = None,
        host_map: HostMap | None = None,
        timeout: float = DEFAULT_TIMEOUT,
        attempts: int = DEFAULT_ATTEMPTS,
        now: float | None = None,
    ) -> None:
        self.configured = bool(servers)  # False: the system's servers (/etc/resolv.conf)
        self.servers = servers or system_servers()
        host_map = host_map or HostMap()
        addresses = []
        for server in self.servers:
            try:
                addresses.append(server.address(host_map))
            except OSError:  # a server named by a host that does not resolve: the others may answer
                continue
        self.querier = DnsQuerier(addresses, timeout=timeout, attempts=attempts)
        self.anchor: TrustAnchor = TrustAnchor.from_file(trust_anchor) if trust_anchor else default_anchor()
        self.validator = ChainValidator(self.querier, self.anchor, now=now)

    @property
    def server_names(self) -> list[str]:
        return [str(server) for server in self.servers]

    async def dnssec(self, domain: str) -> DnssecResult:
        return await self.validator.validate(domain)

    async def caa(self, domain: str) -> CaaSet:
        return await relevant_caa(self.querier, domain)

    async def addresses(self, host: str) -> list[tuple[socket.AddressFamily, str]]:
        """The IPv4 and IPv6 addresses of ``host``; OSError when there are none or no answer."""
        found: list[tuple[socket.AddressFamily, str]] = []
        problems = []
        for rdtype, family in ((dns.rdatatype.A, socket.AF_INET), (dns.rdatatype.AAAA, socket.AF_INET6)):
            try:
                response = await self.querier.ask(dns.name.from_text(host), rdtype)
            except DnsQueryError as error:
                problems.append(str(error))
                continue
            for rrset in response.answer:
                if rrset.rdtype == rdtype:
                    found.extend((family, str(ipaddress.ip_address(rdata.address))) for rdata in rrset)
        if not found:
            raise OSError(f"{host}: no address" + (f" ({'; '.join(problems)})" if problems else ""))
        return list(dict.fromkeys(found))
