"""The DNS servers a scan asks: ``HOST:PORT`` from the settings or the command line, else
/etc/resolv.conf. A server given by name, or mapped by ``--connect-to``, is reached where the
mapping says, like every other connection of the scan."""

from __future__ import annotations

import re
import socket
from dataclasses import dataclass

import dns.resolver

from scanner.net.connect_to import HostMap
from scanner.net.hostnames import ascii_host, is_ip

DNS_PORT = 53
_SERVER = re.compile(r"^(?:\[(?P<v6>[0-9a-fA-F:.]+)\]|(?P<host>[^:\[\]\s]+))(?::(?P<port>\d{1,5}))?$")


class DnsServerError(ValueError):
    pass


@dataclass(frozen=True)
class DnsServer:
    host: str
    port: int = DNS_PORT

    @classmethod
    def parse(cls, text: str) -> DnsServer:
        text = text.strip()
        if is_ip(text) and ":" in text:  # a bare IPv6 address: no port to split off
            return cls(text, DNS_PORT)
        match = _SERVER.match(text)
        if not match:
            raise DnsServerError(
                f'expected HOST:PORT like "192.0.2.53:53" or "[2001:db8::53]:53", got "{text}"'
            )
        port = int(match["port"] or DNS_PORT)
        if not 1 <= port <= 65535:
            raise DnsServerError(f'port {port} out of range 1-65535 in "{text}"')
        if match["v6"] is not None:
            if not is_ip(match["v6"]):
                raise DnsServerError(f'"{match["v6"]}" in "{text}" is not an IPv6 address')
            return cls(match["v6"], port)
        host = match["host"]
        if not is_ip(host):
            name = ascii_host(host)
            if name is None:
                raise DnsServerError(f'"{host}" in "{text}" is neither an IP address nor a host name')
            host = name
        return cls(host, port)

    def __str__(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"{host}:{self.port}"

    def address(self, host_map: HostMap) -> tuple[str, int]:
        """Where to send queries: the ``--connect-to`` mapping first, a name through the system."""
        mapped = host_map.resolve(self.host, self.port)
        host, port = mapped if mapped else (self.host, self.port)
        if not is_ip(host):
            host = socket.getaddrinfo(host, port, type=socket.SOCK_DGRAM)[0][4][0]
        return host, port


def system_servers() -> tuple[DnsServer, ...]:
    """The servers of /etc/resolv.conf (as dnspython reads it); none when there is no such file."""
    try:
        system = dns.resolver.Resolver(configure=True)
    except (dns.resolver.NoResolverConfiguration, OSError):
        return ()
    port = getattr(system, "port", DNS_PORT)
    return tuple(DnsServer(str(address), port) for address in system.nameservers if is_ip(str(address)))
