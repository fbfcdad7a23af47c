"""The CAA record set relevant to a name (RFC 8659 §3): the first one found climbing from the
name towards the root. No set anywhere means every CA may issue certificates for the name."""

from __future__ import annotations

from dataclasses import dataclass, field

import dns.name
import dns.rcode
import dns.rdatatype

from scanner.dns.query import DnsQuerier, DnsQueryError


@dataclass(frozen=True, order=True)
class CaaRecord:
    flags: int
    tag: str
    value: str

    @property
    def critical(self) -> bool:
        return bool(self.flags & 0x80)


@dataclass(frozen=True)
class CaaSet:
    name: str  # the name asked about
    found_at: str | None = None  # where the relevant set is; None: no CAA up to the top-level domain
    records: tuple[CaaRecord, ...] = ()
    looked_at: tuple[str, ...] = field(default=())  # every name asked, first to last

    def values(self, tag: str) -> tuple[str, ...]:
        return tuple(record.value for record in self.records if record.tag == tag)

    @property
    def issuers(self) -> tuple[str, ...]:
        """The CA domains of ``issue`` (an empty value, ";", forbids every CA)."""
        return _issuer_domains(self.values("issue"))

    @property
    def wildcard_issuers(self) -> tuple[str, ...]:
        """``issuewild`` if present, otherwise ``issue`` governs wildcard certificates (§4.3)."""
        wild = self.values("issuewild")
        return _issuer_domains(wild) if wild else self.issuers


async def relevant_caa(querier: DnsQuerier, domain: str) -> CaaSet:
    """Raises DnsQueryError when a server does not answer on the way up, or says that the domain
    itself does not exist (the scan reached its hosts: that DNS view cannot be judged)."""
    name = dns.name.from_text(domain)
    looked_at: list[str] = []
    while len(name) > 1:  # the root is never asked (RFC 8659 §3)
        looked_at.append(str(name))
        response = await querier.ask(name, dns.rdatatype.CAA)
        if len(looked_at) == 1 and response.rcode() == dns.rcode.NXDOMAIN:
            raise DnsQueryError(f"{name} CAA: the DNS servers say {name} does not exist", unreachable=False)
        # An alias is followed by the recursive server: the CAA set may sit under the target's name.
        for rrset in response.answer:
            if rrset.rdtype == dns.rdatatype.CAA and len(rrset):
                records = tuple(  # sorted: a record set has no order, the evidence keeps one
                    sorted(
                        CaaRecord(
                            rdata.flags, rdata.tag.decode("ascii", "replace").lower(), _text(rdata.value)
                        )
                        for rdata in rrset
                    )
                )
                return CaaSet(domain, str(rrset.name), records, tuple(looked_at))
        name = name.parent()
    return CaaSet(domain, None, (), tuple(looked_at))


def _text(value: bytes) -> str:
    return value.decode("utf-8", "replace")


def _issuer_domains(values: tuple[str, ...]) -> tuple[str, ...]:
    domains = (value.split(";", 1)[0].strip().lower() for value in values)
    return tuple(dict.fromkeys(domain for domain in domains if domain))
