"""The mail exchangers of a domain (RFC 5321 §5.1, RFC 7505)."""

from __future__ import annotations

from dataclasses import dataclass

import dns.name
import dns.rcode
import dns.rdatatype

from scanner.dns.query import DnsQuerier
from scanner.mail.lookup import has_address

MAX_MX = 4  # the MX looked at per domain (DNSSEC of their zones, STARTTLS), lowest preference first


@dataclass(frozen=True)
class MxSet:
    domain: str
    exchangers: tuple[tuple[int, str], ...] = ()  # (preference, host) lowest preference first
    null_mx: bool = False  # "MX 0 ." only: the domain accepts no mail (RFC 7505)
    implicit: bool = False  # no MX but an address: the domain itself is the exchanger (RFC 5321 §5.1)
    domain_exists: bool = True

    @property
    def hosts(self) -> tuple[str, ...]:
        """Each exchanger once (a host may be listed under two preferences), lowest preference first."""
        return tuple(dict.fromkeys(host for _, host in self.exchangers))

    @property
    def receives_mail(self) -> bool:
        return bool(self.exchangers) and not self.null_mx

    def to_json(self) -> dict:
        return {
            "domain": self.domain,
            "exchangers": [{"preference": pref, "host": host} for pref, host in self.exchangers],
            "null_mx": self.null_mx,
            "implicit": self.implicit,
            "domain_exists": self.domain_exists,
        }


async def mail_exchangers(querier: DnsQuerier, domain: str) -> MxSet:
    """Raises DnsQueryError when no server answers."""
    response = await querier.ask(dns.name.from_text(domain), dns.rdatatype.MX)
    if response.rcode() == dns.rcode.NXDOMAIN:
        return MxSet(domain, domain_exists=False)
    records = sorted(
        {
            (rdata.preference, "." if rdata.exchange == dns.name.root else _host(rdata.exchange))
            for rrset in response.answer
            if rrset.rdtype == dns.rdatatype.MX
            for rdata in rrset
        }
    )
    if records:
        if all(host == "." for _, host in records):
            return MxSet(domain, tuple(records), null_mx=True)
        return MxSet(domain, tuple((pref, host) for pref, host in records if host != "."))
    if await has_address(querier, domain):
        return MxSet(domain, ((0, domain),), implicit=True)
    return MxSet(domain)


def _host(name: dns.name.Name) -> str:
    return name.to_text(omit_final_dot=True).lower()
