"""Probes ``dnssec`` and ``caa``: the DNS of each registrable domain of the first-party hosts.

Both ask the scan's resolver (``client.dns``), which validates DNSSEC from the trust anchor and
asks each question once per scan. A domain whose DNS did not answer is "not tested" with its
failure class, as is an indeterminate DNSSEC status: never a pass, never a fail. When the scan
reaches the domain's hosts through ``--connect-to`` and no DNS servers are configured, the
system's DNS is not asked (the mapping says those hosts are somewhere else; tests and the demo
stay off the internet): configure ``dns_servers`` to test such a domain.
"""

from __future__ import annotations

from scanner.dns.query import DnsQueryError
from scanner.dns.resolver import DnsResolver
from scanner.evidence import FailureClass, HostProbeResult
from scanner.evidence.dns import (
    CAA_PROBE,
    DNS_PROBE_PORT,
    DNSSEC_PROBE,
    CaaEvidence,
    DnssecEvidence,
    DnssecStatus,
)
from scanner.net.client import NetClient
from scanner.probes import host_probe


@host_probe(DNSSEC_PROBE, port=DNS_PROBE_PORT, per_domain=True)
async def probe_dnssec(domain: str, port: int, client: NetClient) -> HostProbeResult:
    if (skipped := not_asked(domain, port, DNSSEC_PROBE, client)) is not None:
        return skipped
    resolver = client.dns
    result = await resolver.dnssec(domain)
    evidence = DnssecEvidence(
        domain=domain,
        status=result.status.value,
        reason=result.reason,
        zone=result.zone,
        steps=tuple(result.steps_json()),
        servers=tuple(resolver.server_names),
        trust_anchor=_anchor(resolver),
    )
    if result.status is DnssecStatus.INDETERMINATE:
        failure = FailureClass.TIMEOUT if result.unreachable else FailureClass.DNS_ERROR
        return HostProbeResult(domain, port, DNSSEC_PROBE, False, evidence.to_json(), failure, result.reason)
    return HostProbeResult(domain, port, DNSSEC_PROBE, True, evidence.to_json())


@host_probe(CAA_PROBE, port=DNS_PROBE_PORT, per_domain=True)
async def probe_caa(domain: str, port: int, client: NetClient) -> HostProbeResult:
    if (skipped := not_asked(domain, port, CAA_PROBE, client)) is not None:
        return skipped
    resolver = client.dns
    try:
        found = await resolver.caa(domain)
    except DnsQueryError as error:
        failure = FailureClass.TIMEOUT if error.unreachable else FailureClass.DNS_ERROR
        return HostProbeResult(domain, port, CAA_PROBE, False, {}, failure, str(error))
    evidence = CaaEvidence(
        domain=domain,
        found_at=found.found_at,
        records=tuple({"flags": item.flags, "tag": item.tag, "value": item.value} for item in found.records),
        issuers=found.issuers,
        wildcard_issuers=found.wildcard_issuers,
        looked_at=found.looked_at,
        servers=tuple(resolver.server_names),
    )
    return HostProbeResult(domain, port, CAA_PROBE, True, evidence.to_json())


def not_asked(domain: str, port: int, probe: str, client: NetClient) -> HostProbeResult | None:
    network = client.network
    if network.dns_servers:
        return None
    suffix = "." + domain
    if any(rule.host == "" or rule.host == domain or rule.host.endswith(suffix) for rule in network.host_map):
        detail = (
            f"the scan reaches hosts of {domain} through --connect-to and no dns_servers are configured: "
            "its DNS was not asked"
        )
        return HostProbeResult(domain, port, probe, False, {}, FailureClass.DNS_NOT_ASKED, detail)
    return None


def _anchor(resolver: DnsResolver) -> str:
    anchor = resolver.anchor
    tags = ", ".join(str(record.key_tag) for record in anchor.ds) or f"{len(anchor.dnskeys)} DNSKEY"
    return f"{anchor.source} ({anchor.zone} key tags {tags})"
