"""The one HTTP client for requests outside the browser (robots.txt, sitemaps, documents, probes).

It applies the scan's ``--connect-to`` mapping through its resolver (TLS still verifies and sends
SNI for the original host name) and trusts the scan's ``--ca-bundle`` in addition to the system
roots, exactly like the browser does. It holds the scan's DNS resolver (``client.dns``); where
DNS servers are configured, hosts without a mapping are reached at the addresses they answer.
"""

from __future__ import annotations

import ipaddress
import socket
from dataclasses import dataclass, field
from types import TracebackType
from typing import Any

import aiohttp
from aiohttp.abc import AbstractResolver, ResolveResult

from scanner.dns.resolver import DnsResolver
from scanner.dns.servers import DnsServer
from scanner.evidence import FailureClass
from scanner.net.connect_to import HostMap
from scanner.net.failures import classify_client_error
from scanner.net.hostnames import is_ip
from scanner.net.network import NetworkSettings
from scanner.net.trust import client_ssl_context

DEFAULT_TIMEOUT = 20.0
DEFAULT_MAX_BYTES = 20 * 1024 * 1024


class MappedResolver(AbstractResolver):
    """Answers mapped (host, port) pairs from the host map; everything else from normal DNS."""

    def __init__(self, host_map: HostMap, dns: DnsResolver | None = None) -> None:
        self.host_map = host_map
        self.fallback = aiohttp.ThreadedResolver()
        self.dns = dns  # the configured DNS servers; None: the system's resolver

    async def resolve(
        self, host: str, port: int = 0, family: socket.AddressFamily = socket.AF_INET
    ) -> list[ResolveResult]:
        target = self.host_map.resolve(host, port)
        if target is None:
            return await self._unmapped(host, port, family)
        address, address_port = target
        try:
            ip = ipaddress.ip_address(address)
        except ValueError:  # the mapping names another host: resolve that one
            results = await self._unmapped(address, address_port, family)
            return [{**result, "hostname": host} for result in results]
        address_family = socket.AF_INET6 if ip.version == 6 else socket.AF_INET
        return [
            ResolveResult(
                hostname=host,
                host=str(ip),
                port=address_port,
                family=address_family,
                proto=0,
                flags=socket.AI_NUMERICHOST,
            )
        ]

    async def _unmapped(self, host: str, port: int, family: socket.AddressFamily) -> list[ResolveResult]:
        if self.dns is None or is_ip(host):
            return await self.fallback.resolve(host, port, family)
        results = [
            ResolveResult(
                hostname=host, host=address, port=port, family=kind, proto=0, flags=socket.AI_NUMERICHOST
            )
            for kind, address in await self.dns.addresses(host)
        ]
        wanted = [result for result in results if family in (socket.AF_UNSPEC, result["family"])]
        return wanted or results

    async def close(self) -> None:
        await self.fallback.close()


class MappedConnector(aiohttp.TCPConnector):
    """A TCP connector whose every connection goes through the ``--connect-to`` mapping.

    aiohttp never asks the resolver about IP literals (``https://192.0.2.10/``): without this, a
    host given as an address would be reached at its real address while the browser and the TLS
    probe honour the mapping.
    """

    def __init__(self, resolver: MappedResolver, **options: Any) -> None:
        super().__init__(resolver=resolver, **options)
        self.mapped = resolver

    async def _resolve_host(self, host: str, port: int, traces: Any = None) -> list[ResolveResult]:
        if self.mapped.host_map.resolve(host, port) is not None:
            return await self.mapped.resolve(host, port, self._family)
        return await super()._resolve_host(host, port, traces)


@dataclass(frozen=True)
class HttpResponse:
    url: str  # final URL
    status: int
    headers: tuple[tuple[str, str], ...]  # raw, duplicates kept, names lower-cased
    body: bytes = b""
    truncated: bool = False
    history: tuple[tuple[str, int, str], ...] = ()  # (url, status, location) per redirect hop

    def header(self, name: str) -> str | None:
        name = name.lower()
        return next((value for key, value in self.headers if key == name), None)

    @property
    def content_type(self) -> str:
        return (self.header("content-type") or "").split(";")[0].strip().lower()


@dataclass(frozen=True)
class HttpFailure:
    url: str
    failure_class: FailureClass
    detail: str


@dataclass
class NetClient:
    """Use as ``async with NetClient(network, user_agent) as client: ...``."""

    network: NetworkSettings = field(default_factory=NetworkSettings)
    user_agent: str = ""
    timeout: float = DEFAULT_TIMEOUT
    # the scan's resolver, built from ``network`` when first needed (tests hand one in)
    dns_resolver: DnsResolver | None = field(default=None, repr=False)
    _session: aiohttp.ClientSession | None = field(default=None, init=False, repr=False)

    @property
    def dns(self) -> DnsResolver:
        """The scan's resolver: its answers (and DNSSEC results) are asked once per client."""
        if self.dns_resolver is None:
            self.dns_resolver = DnsResolver(
                tuple(DnsServer.parse(text) for text in self.network.dns_servers),
                trust_anchor=self.network.dns_trust_anchor,
                host_map=self.network.host_map,
            )
        return self.dns_resolver

    async def __aenter__(self) -> NetClient:
        connector = MappedConnector(
            MappedResolver(self.network.host_map, self.dns if self.network.dns_servers else None),
            ssl=client_ssl_context(self.network.ca_bundle),
            limit=32,
            limit_per_host=2,
        )
        headers = {"Accept-Language": "de-DE,de;q=0.9,en;q=0.5"}
        if self.user_agent:
            headers["User-Agent"] = self.user_agent
        self._session = aiohttp.ClientSession(
            connector=connector,
            headers=headers,
            timeout=aiohttp.ClientTimeout(total=self.timeout, connect=min(self.timeout, 10.0)),
            cookie_jar=aiohttp.DummyCookieJar(),  # probes must not carry state from one request to the next
            auto_decompress=True,
        )
        return self

    async def __aexit__(
        self, kind: type[BaseException] | None, error: BaseException | None, traceback: TracebackType | None
    ) -> None:
        if self._session is not None:
            await self._session.close()
            self._session = None

    async def fetch(
        self,
        url: str,
        *,
        method: str = "GET",
        follow_redirects: bool = True,
        max_bytes: int = DEFAULT_MAX_BYTES,
        headers: dict[str, str] | None = None,
        verify_tls: bool = True,
    ) -> HttpResponse | HttpFailure:
        """One request; never raises for network trouble, returns an HttpFailure with its class.

        ``verify_tls=False`` is for probes that must see what a site sends even when its
        certificate is not trusted (the finding is then about the certificate).
        """
        if self._session is None:
            raise RuntimeError("NetClient is not open; use 'async with NetClient(...)'")
        try:
            async with self._session.request(
                method,
                url,
                allow_redirects=follow_redirects,
                max_redirects=10,
                headers=headers,
                **({} if verify_tls else {"ssl": False}),
            ) as response:
                body, truncated = b"", False
                if method != "HEAD":
                    body = await _read_up_to(response, max_bytes + 1)
                    truncated = len(body) > max_bytes
                    body = body[:max_bytes]
                return HttpResponse(
                    url=str(response.url),
                    status=response.status,
                    headers=tuple(
                        (key.decode("latin-1").lower(), value.decode("latin-1"))
                        for key, value in response.raw_headers
                    ),
                    body=body,
                    truncated=truncated,
                    history=tuple(
                        (str(hop.url), hop.status, hop.headers.get("Location", ""))
                        for hop in response.history
                    ),
                )
        except (aiohttp.ClientError, TimeoutError, OSError) as error:
            return HttpFailure(url, classify_client_error(error), f"{type(error).__name__}: {error}")


async def _read_up_to(response: aiohttp.ClientResponse, limit: int) -> bytes:
    """Read the body until it ends or ``limit`` bytes arrived (one read() returns only what is buffered)."""
    chunks: list[bytes] = []
    size = 0
    while size < limit:
        chunk = await response.content.read(limit - size)
        if not chunk:
            break
        chunks.append(chunk)
        size += len(chunk)
    return b"".join(chunks)
