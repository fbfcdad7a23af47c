"""DANE for SMTP (RFC 7672, RFC 6698): the TLSA records at ``_25._tcp.<mx>`` and which of them
match the certificate chain the server presented.

Only DANE-TA(2) and DANE-EE(3) count for SMTP (RFC 7672 §3.1.3); PKIX-TA(0) and PKIX-EE(1) are
listed as unusable. DANE-EE matches the leaf; DANE-TA matches a certificate the server sent above
the leaf (the chain below it is not re-validated here). The TLSA set counts only when its own
signature validates with the keys of a secure zone.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

import dns.name
import dns.rcode
import dns.rdatatype
from cryptography import x509
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

from scanner.dns.resolver import DnsResolver
from scanner.dns.signatures import SignatureError, find_rrset, signatures_of, verify

USABLE_FOR_SMTP = (2, 3)
USAGES = {0: "PKIX-TA", 1: "PKIX-EE", 2: "DANE-TA", 3: "DANE-EE"}


@dataclass(frozen=True)
class Tlsa:
    usage: int
    selector: int  # 0: the whole certificate, 1: its SubjectPublicKeyInfo
    matching_type: int  # 0: exact, 1: SHA-256, 2: SHA-512
    data: str  # hex

    def to_json(self) -> dict:
        return {
            "usage": self.usage,
            "selector": self.selector,
            "matching_type": self.matching_type,
            "data": self.data,
        }


def tlsa_name(mx: str) -> str:
    return f"_25._tcp.{mx}"


@dataclass(frozen=True)
class TlsaSet:
    records: tuple[Tlsa, ...]
    dnssec: str  # the zone's DNSSEC status, "bogus" when the TLSA set's own signature fails
    problem: str | None = None  # why the set's signature did not validate


async def tlsa_set(resolver: DnsResolver, mx: str, zone: str | None, zone_status: str) -> TlsaSet:
    """The TLSA records of ``mx`` and, in a secure zone, whether their own RRSIG validates with the
    zone's DNSKEYs (which the chain walk validated). Raises DnsQueryError when no server answers."""
    name = dns.name.from_text(tlsa_name(mx))
    response = await resolver.querier.ask(name, dns.rdatatype.TLSA)
    if response.rcode() == dns.rcode.NXDOMAIN:
        return TlsaSet((), zone_status)
    records = tuple(
        sorted(
            {
                Tlsa(rdata.usage, rdata.selector, rdata.mtype, rdata.cert.hex())
                for rrset in response.answer
                if rrset.rdtype == dns.rdatatype.TLSA
                for rdata in rrset
            },
            key=lambda record: (record.usage, record.selector, record.matching_type, record.data),
        )
    )
    if not records or zone_status != "secure" or zone is None:
        return TlsaSet(records, zone_status)
    rrset = find_rrset(response.answer, name, dns.rdatatype.TLSA)
    if rrset is None:
        return TlsaSet(records, "indeterminate", f"{name} is an alias (CNAME); its target is not validated")
    origin = dns.name.from_text(zone)
    keys = find_rrset(
        (await resolver.querier.ask(origin, dns.rdatatype.DNSKEY)).answer, origin, dns.rdatatype.DNSKEY
    )
    if keys is None:
        return TlsaSet(records, "bogus", f"{origin} returned no DNSKEY")
    try:
        verify(rrset, signatures_of(response.answer, rrset), origin, keys, resolver.validator.now)
    except SignatureError as error:
        return TlsaSet(records, "insecure" if error.unsupported else "bogus", str(error))
    return TlsaSet(records, "secure")


def association(certificate: x509.Certificate, selector: int, matching_type: int) -> str | None:
    """The certificate association data a TLSA record of this selector and matching type holds."""
    if selector == 0:
        data = certificate.public_bytes(Encoding.DER)
    elif selector == 1:
        data = certificate.public_key().public_bytes(Encoding.DER, PublicFormat.SubjectPublicKeyInfo)
    else:
        return None
    if matching_type == 0:
        return data.hex()
    if matching_type == 1:
        return hashlib.sha256(data).hexdigest()
    if matching_type == 2:
        return hashlib.sha512(data).hexdigest()
    return None


def matches(record: Tlsa, chain: list[x509.Certificate]) -> bool:
    """Whether a usable record matches the presented chain (index 0 is the leaf)."""
    if record.usage not in USABLE_FOR_SMTP or not chain:
        return False
    candidates = chain[:1] if record.usage == 3 else chain[1:]
    wanted = record.data.lower()
    return any(association(cert, record.selector, record.matching_type) == wanted for cert in candidates)


def rollover_scheme(records: list[Tlsa]) -> str:
    """How a key change can happen without an outage (RFC 7671 §8): a note, never a finding alone."""
    usable = [record for record in records if record.usage in USABLE_FOR_SMTP]
    if len(usable) >= 2:
        kinds = {record.usage for record in usable}
        if kinds == {2, 3}:
            return "current + next: DANE-EE and DANE-TA published together"
        return "current + next: several records of the same usage"
    return "single record: a key change needs a new record published ahead of time" if usable else "none"
