"""DKIM presence, a heuristic: selectors cannot be listed, so only ``_domainkey.<domain>`` is asked.

NXDOMAIN there means no name below it exists, so no DKIM key under any selector (RFC 8020);
NOERROR (with or without data) means some name below exists, most likely a selector's key.
A provider may answer NOERROR for everything, and keys may sit elsewhere via CNAME: a presence
hint, never proof that mail is signed.
"""

from __future__ import annotations

import dns.name
import dns.rcode
import dns.rdatatype

from scanner.dns.query import DnsQuerier


async def domainkey_exists(querier: DnsQuerier, domain: str) -> bool:
    """Raises DnsQueryError when no server answers."""
    response = await querier.ask(dns.name.from_text(f"_domainkey.{domain}"), dns.rdatatype.TXT)
    return response.rcode() != dns.rcode.NXDOMAIN
