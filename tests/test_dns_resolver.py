"""The DNS layer against a signed DNS server on 127.0.0.1: DNSSEC chain validation from a test
root (secure, insecure by proven absence of DS with NSEC and NSEC3 opt-out, bogus, expired,
indeterminate), CAA lookup, TCP after truncation, and a server that never answers."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from scanner.dns.resolver import DnsResolver
from scanner.dns.servers import DnsServer
from scanner.dns.status import DnssecStatus

from dnsserver import DnsHandler, serving_dns, silent_dns

pytestmark = pytest.mark.slow


def resolver_for(port: int, anchor: Path, **options) -> DnsResolver:
    return DnsResolver((DnsServer("127.0.0.1", port),), trust_anchor=anchor, timeout=1.0, **options)


@pytest.mark.parametrize(
    ("domain", "status", "reason"),
    [
        ("signed.de", DnssecStatus.SECURE, "signed chain from the trust anchor to signed.de."),
        ("www.signed.de", DnssecStatus.SECURE, "to signed.de."),
        ("de", DnssecStatus.SECURE, "to de."),
        ("unsigned.de", DnssecStatus.INSECURE, "delegated without DS (proven by NSEC)"),
        ("www.unsigned.de", DnssecStatus.INSECURE, "unsigned.de. is delegated without DS"),
        ("bogus.de", DnssecStatus.BOGUS, "no DNSKEY of bogus.de. matches the DS"),
        ("altered.de", DnssecStatus.BOGUS, "altered.de. SOA: RRSIG key tag"),
        ("expired.de", DnssecStatus.BOGUS, "expired on"),
        ("n3.zz", DnssecStatus.SECURE, "to n3.zz."),
        ("plain.zz", DnssecStatus.INSECURE, "delegated without DS (proven by NSEC3)"),
        ("optout.zz", DnssecStatus.INSECURE, "NSEC3 opt-out span"),
        (
            "plain.hi",
            DnssecStatus.INDETERMINATE,
            "NSEC3 with 200 iterations (more than 150): proof not checked",
        ),
    ],
)
async def test_dnssec_status_of_each_test_domain(dns_port, anchor_file, domain, status, reason):
    result = await resolver_for(dns_port, anchor_file).dnssec(domain)
    assert (result.status, reason in result.reason) == (status, True), result


async def test_a_name_in_the_parent_zone_without_delegation_has_the_parent_status(dns_port, anchor_file):
    result = await resolver_for(dns_port, anchor_file).dnssec("caa.de")
    assert (result.status, result.zone) == (DnssecStatus.SECURE, "de.")


async def test_a_name_that_does_not_exist_is_indeterminate(dns_port, anchor_file):
    result = await resolver_for(dns_port, anchor_file).dnssec("nowhere.de")
    assert result.status is DnssecStatus.INDETERMINATE
    assert "does not exist" in result.reason


async def test_another_trust_anchor_makes_the_test_root_bogus(dns_port):
    result = await DnsResolver((DnsServer("127.0.0.1", dns_port),), timeout=1.0).dnssec("signed.de")
    assert result.status is DnssecStatus.BOGUS  # the IANA root keys do not sign the test root
    assert "no DNSKEY of . matches the DS" in result.reason


async def test_steps_record_each_zone_of_the_chain(dns_port, anchor_file):
    result = await resolver_for(dns_port, anchor_file).dnssec("www.signed.de")
    assert [(step.zone, step.status) for step in result.steps] == [
        (".", DnssecStatus.SECURE),
        ("de.", DnssecStatus.SECURE),
        ("signed.de.", DnssecStatus.SECURE),
    ]


async def test_answers_are_asked_once_per_scan(zones, anchor_file):
    handler = DnsHandler(zones)
    async with serving_dns(handler) as port:
        resolver = resolver_for(port, anchor_file)
        await resolver.dnssec("signed.de")
        asked = len(handler.queries)
        await resolver.dnssec("www.signed.de")
    assert asked and len(handler.queries) == asked + 1  # only the DS of www.signed.de is new


async def test_truncated_answers_are_asked_again_over_tcp(zones, anchor_file):
    handler = DnsHandler(zones, truncate_udp=True)
    async with serving_dns(handler) as port:
        result = await resolver_for(port, anchor_file).dnssec("signed.de")
    assert result.status is DnssecStatus.SECURE
    assert {transport for transport, _, _ in handler.queries} == {"udp", "tcp"}


async def test_a_server_that_does_not_answer_is_indeterminate_within_the_timeout(anchor_file):
    async with silent_dns() as port:
        resolver = DnsResolver(
            (DnsServer("127.0.0.1", port),), trust_anchor=anchor_file, timeout=0.3, attempts=2
        )
        started = time.monotonic()
        result = await resolver.dnssec("signed.de")
    assert result.status is DnssecStatus.INDETERMINATE and result.unreachable
    assert "no answer within 0.3 s" in result.reason
    assert time.monotonic() - started < 2.0


async def test_the_relevant_caa_set_is_the_first_found_climbing_up(dns_port, anchor_file):
    resolver = resolver_for(dns_port, anchor_file)
    found = await resolver.caa("www.signed.de")
    assert found.found_at == "signed.de."
    assert found.looked_at == ("www.signed.de.", "signed.de.")
    assert found.issuers == ("harica.gr", "letsencrypt.org")
    assert found.wildcard_issuers == ()  # issuewild ";": no CA may issue wildcards
    assert found.values("iodef") == ("mailto:security@signed.de",)


async def test_no_caa_up_to_the_top_level_domain(dns_port, anchor_file):
    found = await resolver_for(dns_port, anchor_file).caa("www.unsigned.de")
    assert found.found_at is None and found.records == ()
    assert found.looked_at == ("www.unsigned.de.", "unsigned.de.", "de.")


async def test_addresses_come_from_the_configured_server(dns_port, anchor_file):
    addresses = await resolver_for(dns_port, anchor_file).addresses("www.signed.de")
    assert [address for _, address in addresses] == ["192.0.2.10", "2001:db8::10"]


async def test_a_trust_anchor_may_be_the_root_dnskey_itself(dns_port, zones, tmp_path):
    anchor = tmp_path / "root-key.txt"
    anchor.write_text(f". IN DNSKEY {zones.keys['root'][1].to_text()}\n", encoding="utf-8")
    result = await resolver_for(dns_port, anchor).dnssec("signed.de")
    assert result.status is DnssecStatus.SECURE
