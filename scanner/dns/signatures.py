"""RRSIG checks with a reason a person can read: which signature failed, and why."""

from __future__ import annotations

import time
from collections.abc import Iterable
from datetime import UTC, datetime

import dns.dnssec
import dns.message
import dns.name
import dns.rdataset
import dns.rdatatype
import dns.rrset


class SignatureError(Exception):
    """No RRSIG over the rrset validated; ``unsupported``: only algorithms govscan cannot check."""

    def __init__(self, message: str, *, unsupported: bool = False) -> None:
        super().__init__(message)
        self.unsupported = unsupported


def find_rrset(
    section: Iterable[dns.rrset.RRset], name: dns.name.Name, rdtype: int, covers: int = dns.rdatatype.NONE
) -> dns.rrset.RRset | None:
    for rrset in section:
        if rrset.name == name and rrset.rdtype == rdtype and rrset.covers == covers:
            return rrset
    return None


def signatures_of(section: Iterable[dns.rrset.RRset], rrset: dns.rrset.RRset) -> dns.rrset.RRset | None:
    return find_rrset(section, rrset.name, dns.rdatatype.RRSIG, rrset.rdtype)


def verify(
    rrset: dns.rrset.RRset,
    rrsigs: dns.rrset.RRset | None,
    zone: dns.name.Name,
    keys: dns.rdataset.Rdataset,
    now: float | None = None,
) -> None:
    """Raise SignatureError unless one RRSIG by ``zone`` over ``rrset`` validates with ``keys``."""
    what = f"{rrset.name} {dns.rdatatype.to_text(rrset.rdtype)}"
    if rrsigs is None or not len(rrsigs):
        raise SignatureError(f"{what} is not signed")
    now = time.time() if now is None else now
    problems: list[str] = []
    unsupported = 0
    for rrsig in rrsigs:
        tag = f"RRSIG key tag {rrsig.key_tag}"
        if rrsig.signer != zone:
            problems.append(f"{tag} is signed by {rrsig.signer}, not by the zone {zone}")
            continue
        if now > rrsig.expiration:
            problems.append(f"{tag} expired on {_date(rrsig.expiration)}")
            continue
        if now < rrsig.inception:
            problems.append(f"{tag} is valid only from {_date(rrsig.inception)}")
            continue
        try:
            dns.dnssec.validate_rrsig(rrset, rrsig, {zone: keys}, now=now)
            return
        except (dns.dnssec.UnsupportedAlgorithm, dns.dnssec.DeniedByPolicy) as error:
            unsupported += 1
            problems.append(f"{tag}: {error}")
        except dns.dnssec.ValidationFailure as error:
            reason = (
                "no key matches the signature" if str(error) == "unknown key" else "the signature is invalid"
            )
            problems.append(f"{tag}: {reason} ({error})")
    raise SignatureError(f"{what}: " + "; ".join(problems), unsupported=unsupported == len(rrsigs))


def _date(timestamp: int) -> str:
    return datetime.fromtimestamp(timestamp, UTC).isoformat(timespec="seconds")
