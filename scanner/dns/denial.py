"""Proofs that a name has no DS record (RFC 4035 §5.4 NSEC, RFC 5155 §8 NSEC3).

A DS query answered without a DS is only trusted when a signed NSEC or NSEC3 record in the
parent zone says why: the name is a delegation without DS (the chain ends: insecure), the name
is no delegation at all (the parent zone goes on), or the name does not exist. A proof govscan
cannot check (an unknown NSEC3 hash, too many iterations, a missing piece) is indeterminate.
"""

from __future__ import annotations

import base64
from collections.abc import Iterable
from enum import StrEnum

import dns.dnssec
import dns.message
import dns.name
import dns.rcode
import dns.rdataset
import dns.rdatatype
import dns.rrset

from scanner.dns.signatures import SignatureError, signatures_of, verify
from scanner.dns.status import DnssecStatus

NSEC3_SHA1 = 1
NSEC3_OPT_OUT = 0x01
MAX_NSEC3_ITERATIONS = 150  # RFC 9276 §3.2: validators may stop trusting proofs above this


class NoDs(StrEnum):
    UNSIGNED_DELEGATION = "unsigned-delegation"  # a zone cut without DS: insecure below it
    NOT_A_ZONE_CUT = "not-a-zone-cut"  # the name belongs to the parent zone (or is an empty non-terminal)
    NAME_ABSENT = "name-absent"  # the name does not exist


class DenialError(Exception):
    def __init__(self, status: DnssecStatus, message: str) -> None:
        super().__init__(message)
        self.status = status


def prove_no_ds(
    response: dns.message.Message,
    name: dns.name.Name,
    zone: dns.name.Name,
    keys: dns.rdataset.Rdataset,
    now: float | None = None,
) -> tuple[NoDs, str]:
    """What the signed denial in ``response`` (from ``zone``) proves about the DS of ``name``."""
    for rrset in response.authority:
        if rrset.rdtype == dns.rdatatype.SOA and rrset.name != zone:
            # The DS lives in the parent: a denial from another zone is the server's mistake, not the zone's.
            raise DenialError(
                DnssecStatus.INDETERMINATE,
                f"the answer about the DS of {name} came from the zone {rrset.name}, not from {zone}",
            )
    nsec = _validated(response, dns.rdatatype.NSEC, zone, keys, now)
    if nsec:
        return _from_nsec(nsec, name)
    nsec3 = _validated(response, dns.rdatatype.NSEC3, zone, keys, now)
    if nsec3:
        return _from_nsec3(nsec3, name, zone, response.rcode() == dns.rcode.NXDOMAIN)
    raise DenialError(
        DnssecStatus.BOGUS, f"no DS for {name}, and no signed NSEC or NSEC3 record of {zone} says why"
    )


def rdtypes_in(windows: Iterable[tuple[int, bytes]]) -> set[int]:
    """The record types of an NSEC or NSEC3 type bitmap."""
    types = set()
    for window, bitmap in windows:
        for index, byte in enumerate(bitmap):
            for bit in range(8):
                if byte & (0x80 >> bit):
                    types.add(window * 256 + index * 8 + bit)
    return types


def _validated(
    response: dns.message.Message,
    rdtype: int,
    zone: dns.name.Name,
    keys: dns.rdataset.Rdataset,
    now: float | None,
) -> list[dns.rrset.RRset]:
    records = [rrset for rrset in response.authority if rrset.rdtype == rdtype]
    for rrset in records:
        if not rrset.name.is_subdomain(zone):
            raise DenialError(
                DnssecStatus.BOGUS, f"{rrset.name} {dns.rdatatype.to_text(rdtype)} is outside {zone}"
            )
        try:
            verify(rrset, signatures_of(response.authority, rrset), zone, keys, now)
        except SignatureError as error:
            status = DnssecStatus.INSECURE if error.unsupported else DnssecStatus.BOGUS
            raise DenialError(status, f"denial of DS: {error}") from None
    return records


def _from_nsec(records: list[dns.rrset.RRset], name: dns.name.Name) -> tuple[NoDs, str]:
    for rrset in records:
        if rrset.name == name:
            types = rdtypes_in(rrset[0].windows)
            return _from_types(types, name, "NSEC")
    for rrset in records:
        owner, following = rrset.name, rrset[0].next
        if _covers(owner, following, name):
            if following.is_subdomain(name):
                return NoDs.NOT_A_ZONE_CUT, f"{name} is an empty non-terminal (NSEC {owner} -> {following})"
            return NoDs.NAME_ABSENT, f"{name} does not exist (NSEC {owner} -> {following})"
    raise DenialError(DnssecStatus.BOGUS, f"no NSEC record matches or covers {name}")


def _from_types(types: set[int], name: dns.name.Name, kind: str) -> tuple[NoDs, str]:
    if dns.rdatatype.DS in types:
        raise DenialError(DnssecStatus.BOGUS, f"the {kind} record of {name} lists a DS that was not returned")
    if dns.rdatatype.NS in types and dns.rdatatype.SOA not in types:
        return NoDs.UNSIGNED_DELEGATION, f"{name} is delegated without DS (proven by {kind})"
    if dns.rdatatype.SOA in types:
        raise DenialError(
            DnssecStatus.BOGUS, f"the {kind} record comes from the zone {name} itself, not its parent"
        )
    return NoDs.NOT_A_ZONE_CUT, f"{name} is no zone cut (proven by {kind})"


def _covers(owner: dns.name.Name, following: dns.name.Name, name: dns.name.Name) -> bool:
    """Whether the NSEC span owner -> following holds ``name`` (the last span wraps to the apex)."""
    if owner < following:
        return owner < name < following
    return name > owner or name < following


def _from_nsec3(
    records: list[dns.rrset.RRset], name: dns.name.Name, zone: dns.name.Name, nxdomain: bool
) -> tuple[NoDs, str]:
    first = records[0][0]
    if first.algorithm != NSEC3_SHA1:
        raise DenialError(DnssecStatus.INDETERMINATE, f"NSEC3 hash algorithm {first.algorithm} is not known")
    if first.iterations > MAX_NSEC3_ITERATIONS:
        raise DenialError(
            DnssecStatus.INDETERMINATE,
            f"NSEC3 with {first.iterations} iterations (more than {MAX_NSEC3_ITERATIONS}): proof not checked",
        )
    spans = [
        (rrset.name.labels[0].decode("ascii").upper(), _base32hex(rrset[0].next), rrset[0])
        for rrset in records
        if rrset.name.parent() == zone
    ]

    def hashed(owner: dns.name.Name) -> str:
        return dns.dnssec.nsec3_hash(owner, first.salt, first.iterations, NSEC3_SHA1).upper()

    target = hashed(name)
    for owner, _, rdata in spans:
        if owner == target:
            return _from_types(rdtypes_in(rdata.windows), name, "NSEC3")
    # No record for the name itself: the closest encloser proof (RFC 5155 §7.2.1, §8.6).
    encloser = name.parent()
    closer = name
    while encloser.is_subdomain(zone):
        if any(owner == hashed(encloser) for owner, _, _ in spans):
            break
        closer, encloser = encloser, encloser.parent()
    else:
        raise DenialError(DnssecStatus.INDETERMINATE, f"NSEC3 records prove no closest encloser of {name}")
    closer_hash = hashed(closer)
    for owner, following, rdata in spans:
        if _covers_hash(owner, following, closer_hash):
            if rdata.flags & NSEC3_OPT_OUT:
                return NoDs.UNSIGNED_DELEGATION, f"{name} lies in an NSEC3 opt-out span: no DS, not signed"
            if nxdomain:
                return NoDs.NAME_ABSENT, f"{name} does not exist (NSEC3 closest encloser {encloser})"
            raise DenialError(
                DnssecStatus.INDETERMINATE,
                f"NSEC3 covers {closer} but the answer is no NXDOMAIN: proof not checked",
            )
    raise DenialError(DnssecStatus.INDETERMINATE, f"no NSEC3 record covers the next closer name {closer}")


def _covers_hash(owner: str, following: str, target: str) -> bool:
    if owner < following:
        return owner < target < following
    return target > owner or target < following


def _base32hex(raw: bytes) -> str:
    return base64.b32hexencode(raw).decode("ascii").rstrip("=").upper()
