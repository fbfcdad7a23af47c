"""Trust anchors: the DS (or DNSKEY) records validation starts from.

A file in zone-file syntax (``;`` comments, one record a line, absolute owner names), by default
the IANA root KSKs bundled beside this module. Tests and private roots point
``dns_trust_anchor`` at a file of their own.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import dns.exception
import dns.name
import dns.rdataclass
import dns.rdatatype
import dns.rdtypes.ANY.DNSKEY
import dns.rdtypes.ANY.DS
import dns.zonefile

ROOT_ANCHORS = Path(__file__).with_name("root-anchors.txt")


class TrustAnchorError(ValueError):
    pass


@dataclass(frozen=True)
class TrustAnchor:
    zone: dns.name.Name
    ds: tuple[dns.rdtypes.ANY.DS.DS, ...] = ()
    dnskeys: tuple[dns.rdtypes.ANY.DNSKEY.DNSKEY, ...] = ()
    source: str = ""

    @classmethod
    def from_text(cls, text: str, source: str = "") -> TrustAnchor:
        try:
            rrsets = dns.zonefile.read_rrsets(
                text, origin=dns.name.root, relativize=False, rdclass=None, default_ttl=0
            )
        except (dns.exception.DNSException, ValueError) as error:
            raise TrustAnchorError(f"{source or 'trust anchor'}: not DS or DNSKEY records: {error}") from None
        owners = {rrset.name for rrset in rrsets}
        if len(owners) != 1:
            found = ", ".join(sorted(map(str, owners))) or "none"
            raise TrustAnchorError(
                f"{source or 'trust anchor'}: expected DS or DNSKEY records of one zone, "
                f"found owners: {found}"
            )
        ds, keys = [], []
        for rrset in rrsets:
            if rrset.rdtype == dns.rdatatype.DS:
                ds.extend(rrset)
            elif rrset.rdtype == dns.rdatatype.DNSKEY:
                keys.extend(rrset)
            else:
                kind = dns.rdatatype.to_text(rrset.rdtype)
                raise TrustAnchorError(
                    f"{source or 'trust anchor'}: expected DS or DNSKEY records, got {kind}"
                )
        return cls(owners.pop(), tuple(ds), tuple(keys), source)

    @classmethod
    def from_file(cls, path: Path) -> TrustAnchor:
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as error:
            raise TrustAnchorError(f"{path}: cannot read the trust anchor: {error}") from None
        return cls.from_text(text, str(path))


def default_anchor() -> TrustAnchor:
    return TrustAnchor.from_file(ROOT_ANCHORS)
