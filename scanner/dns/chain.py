"""The DNSSEC chain from the trust anchor down to a name, checked zone by zone.

At each zone: its DNSKEY set must hold a key matching a trusted DS (the anchor's, or the DS the
parent signed) and be signed by that key. Then one label deeper: a signed DS makes the next zone
cut, a signed denial says the name stays in this zone or that the chain ends (insecure). At the
end the zone's SOA must validate with its keys, so that altered data is caught, not just keys.
"""

from __future__ import annotations

import dns.dnssec
import dns.message
import dns.name
import dns.rcode
import dns.rdataset
import dns.rdatatype
import dns.rrset

from scanner.dns.anchors import TrustAnchor
from scanner.dns.denial import DenialError, NoDs, prove_no_ds
from scanner.dns.query import DnsQuerier, DnsQueryError
from scanner.dns.signatures import SignatureError, find_rrset, signatures_of, verify
from scanner.dns.status import DnssecResult, DnssecStatus, ZoneStep

SUPPORTED_DIGESTS = (1, 2, 4)  # SHA-1, SHA-256, SHA-384 (RFC 4509, 6605)


class _Stop(Exception):
    """The walk ends here with ``status`` (bogus, insecure or indeterminate)."""

    def __init__(self, status: DnssecStatus, reason: str, *, unreachable: bool = False) -> None:
        super().__init__(reason)
        self.status = status
        self.unreachable = unreachable


class ChainValidator:
    def __init__(self, querier: DnsQuerier, anchor: TrustAnchor, now: float | None = None) -> None:
        self.querier = querier
        self.anchor = anchor
        self.now = now  # None: the clock at each check (tests pin it)

    async def validate(self, domain: str) -> DnssecResult:
        name = dns.name.from_text(domain)
        if not name.is_subdomain(self.anchor.zone):
            reason = f"{name} is outside the trust anchor {self.anchor.zone}"
            return DnssecResult(str(name), DnssecStatus.INDETERMINATE, reason)
        steps: list[ZoneStep] = []
        zone = at = self.anchor.zone
        try:
            keys = await self._zone_keys(zone, list(self.anchor.ds), list(self.anchor.dnskeys), anchor=True)
            steps.append(ZoneStep(str(zone), DnssecStatus.SECURE, "DNSKEY validated from the trust anchor"))
            for depth in range(len(zone) + 1, len(name) + 1):
                at = name.split(depth)[1]
                outcome = await self._descend(zone, keys, at)
                if outcome is None:  # no zone cut: the name stays in this zone
                    continue
                if isinstance(outcome, tuple):  # proven: no DS, or no such name
                    kind, detail = outcome
                    status = (
                        DnssecStatus.INSECURE
                        if kind is NoDs.UNSIGNED_DELEGATION
                        else DnssecStatus.INDETERMINATE
                    )
                    steps.append(ZoneStep(str(at), status, detail))
                    end = str(at) if status is DnssecStatus.INSECURE else str(zone)
                    return DnssecResult(str(name), status, detail, end, tuple(steps))
                zone, keys = at, outcome
                steps.append(
                    ZoneStep(str(zone), DnssecStatus.SECURE, "DS signed by the parent, DNSKEY validated")
                )
            at = zone
            await self._check_soa(zone, keys)
        except _Stop as stop:
            steps.append(ZoneStep(str(at), stop.status, str(stop)))
            return DnssecResult(
                str(name), stop.status, str(stop), str(zone), tuple(steps), unreachable=stop.unreachable
            )
        reason = f"signed chain from the trust anchor to {zone}"
        return DnssecResult(str(name), DnssecStatus.SECURE, reason, str(zone), tuple(steps))

    async def _ask(self, name: dns.name.Name, rdtype: int) -> dns.message.Message:
        try:
            return await self.querier.ask(name, rdtype)
        except DnsQueryError as error:
            raise _Stop(DnssecStatus.INDETERMINATE, str(error), unreachable=error.unreachable) from None

    async def _descend(
        self, zone: dns.name.Name, keys: dns.rdataset.Rdataset, child: dns.name.Name
    ) -> dns.rdataset.Rdataset | tuple[NoDs, str] | None:
        """The child's validated DNSKEYs (a signed zone cut), a proven end of the chain, or None."""
        response = await self._ask(child, dns.rdatatype.DS)
        ds = find_rrset(response.answer, child, dns.rdatatype.DS)
        if ds is None:
            if find_rrset(response.answer, child, dns.rdatatype.CNAME) is not None:
                raise _Stop(
                    DnssecStatus.INDETERMINATE, f"{child} is an alias (CNAME); its target is not followed"
                )
            try:
                kind, detail = prove_no_ds(response, child, zone, keys, self.now)
            except DenialError as error:
                raise _Stop(error.status, str(error)) from None
            return None if kind is NoDs.NOT_A_ZONE_CUT else (kind, detail)
        try:
            verify(ds, signatures_of(response.answer, ds), zone, keys, self.now)
        except SignatureError as error:
            status = DnssecStatus.INSECURE if error.unsupported else DnssecStatus.BOGUS
            raise _Stop(status, f"DS of {child}: {error}") from None
        return await self._zone_keys(child, list(ds), [], anchor=False)

    async def _zone_keys(
        self, zone: dns.name.Name, ds: list, trusted_keys: list, *, anchor: bool
    ) -> dns.rdataset.Rdataset:
        response = await self._ask(zone, dns.rdatatype.DNSKEY)
        dnskeys = find_rrset(response.answer, zone, dns.rdatatype.DNSKEY)
        if dnskeys is None and anchor:
            # The anchor's zone surely has keys: the server cannot reach the DNS or drops DNSSEC data.
            rcode = dns.rcode.to_text(response.rcode())
            message = f"the DNS server returned no DNSKEY of the trust anchor's zone {zone} ({rcode})"
            raise _Stop(DnssecStatus.INDETERMINATE, message)
        if dnskeys is None:
            raise _Stop(DnssecStatus.BOGUS, f"{zone} has a DS in its parent but no DNSKEY records")
        rrsigs = signatures_of(response.answer, dnskeys)
        if anchor and rrsigs is None:
            # The root is signed: a DNSKEY set without RRSIG means the server drops DNSSEC data.
            raise _Stop(
                DnssecStatus.INDETERMINATE, f"the DNS server returned {zone} DNSKEY without signatures"
            )
        usable = [
            record
            for record in ds
            if record.digest_type in SUPPORTED_DIGESTS and _supported(record.algorithm)
        ]
        if ds and not usable and not trusted_keys:
            raise _Stop(DnssecStatus.INSECURE, f"the DS records of {zone} use only unsupported algorithms")
        matching = [key for key in dnskeys if key in trusted_keys or _matches_any(zone, key, usable)]
        if not matching:
            tags = ", ".join(str(record.key_tag) for record in usable) or "the anchor's keys"
            raise _Stop(DnssecStatus.BOGUS, f"no DNSKEY of {zone} matches the DS (key tag {tags})")
        trusted = dns.rdataset.from_rdata_list(dnskeys.ttl, matching)
        try:
            verify(dnskeys, rrsigs, zone, trusted, self.now)
        except SignatureError as error:
            status = DnssecStatus.INSECURE if error.unsupported else DnssecStatus.BOGUS
            raise _Stop(status, str(error)) from None
        return dns.rdataset.from_rdata_list(dnskeys.ttl, list(dnskeys))

    async def _check_soa(self, zone: dns.name.Name, keys: dns.rdataset.Rdataset) -> None:
        response = await self._ask(zone, dns.rdatatype.SOA)
        soa = find_rrset(response.answer, zone, dns.rdatatype.SOA)
        if soa is None:
            raise _Stop(DnssecStatus.BOGUS, f"{zone} returned no SOA record")
        try:
            verify(soa, signatures_of(response.answer, soa), zone, keys, self.now)
        except SignatureError as error:
            raise _Stop(DnssecStatus.BOGUS, str(error)) from None


def _matches_any(zone: dns.name.Name, key, ds_records: list) -> bool:
    for record in ds_records:
        if record.key_tag != dns.dnssec.key_id(key) or record.algorithm != key.algorithm:
            continue
        try:
            if dns.dnssec.make_ds(zone, key, record.digest_type) == record:
                return True
        except (dns.dnssec.UnsupportedAlgorithm, dns.dnssec.DeniedByPolicy, ValueError):
            continue
    return False


def _supported(algorithm: int) -> bool:
    try:
        dns.dnssec.get_algorithm_cls(algorithm)
    except dns.dnssec.UnsupportedAlgorithm:
        return False
    return True
