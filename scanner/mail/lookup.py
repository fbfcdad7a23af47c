"""TXT and address answers through the scan's DNS querier, as plain strings."""

from __future__ import annotations

from dataclasses import dataclass

import dns.name
import dns.rcode
import dns.rdatatype

from scanner.dns.query import DnsQuerier


@dataclass(frozen=True)
class TxtAnswer:
    name: str
    exists: bool  # False: NXDOMAIN
    texts: tuple[str, ...] = ()  # each TXT record's strings joined (RFC 7208 §3.3)


async def txt(querier: DnsQuerier, name: str) -> TxtAnswer:
    """Raises DnsQueryError when no server gives an answer."""
    response = await querier.ask(dns.name.from_text(name), dns.rdatatype.TXT)
    texts = [
        b"".join(rdata.strings).decode("utf-8", "replace")
        for rrset in response.answer
        if rrset.rdtype == dns.rdatatype.TXT
        for rdata in rrset
    ]
    return TxtAnswer(name, response.rcode() != dns.rcode.NXDOMAIN, tuple(texts))


async def has_address(querier: DnsQuerier, name: str) -> bool:
    """Whether ``name`` has an A or AAAA record; raises DnsQueryError when no server answers."""
    for rdtype in (dns.rdatatype.A, dns.rdatatype.AAAA):
        response = await querier.ask(dns.name.from_text(name), rdtype)
        if any(rrset.rdtype == rdtype and len(rrset) for rrset in response.answer):
            return True
    return False


def starting_with(answer: TxtAnswer, prefix: str) -> list[str]:
    """The records whose version tag is ``prefix`` (case-insensitive, then a space, ';' or the end)."""
    wanted = prefix.lower()
    found = []
    for text in answer.texts:
        head = text.strip().lower()
        if head == wanted or head.startswith((wanted + " ", wanted + ";")):
            found.append(text.strip())
    return found
