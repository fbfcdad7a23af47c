"""The dnssec and caa probes and checks against the signed test DNS server on 127.0.0.1; the
HTTP client reaching hosts at the addresses the configured servers answer (a mapped host keeps
its mapping); a whole scan storing the findings of the domains of its hosts."""

from __future__ import annotations

from pathlib import Path

import dns.rcode
import pytest
import pytest_asyncio
from aiohttp import web
from sqlmodel import select

from reports.html import render_scan_report
from scanner.crawl.scope import FirstPartySet
from scanner.dns.resolver import DnsResolver
from scanner.dns.servers import DnsServer
from scanner.evidence import FailureClass, HostProbeResult
from scanner.evidence.dns import CaaEvidence, DnssecEvidence
from scanner.families import import_modules
from scanner.findings.registry import REGISTRY, CheckContext, Severity
from scanner.findings.runner import run_host_checks
from scanner.net.client import HttpResponse, NetClient
from scanner.net.network import NetworkSettings
from scanner.probes.dns import probe_caa, probe_dnssec
from scanner.store.db import session
from scanner.store.models import Finding, HostResult

from conftest import make_target
from dnsserver import DnsHandler, serving_dns, silent_dns
from localweb import LocalWeb, page

pytestmark = pytest.mark.slow
CONTEXT = CheckContext("Test", FirstPartySet(["signed.de"]), "gemeinde")


def client_for(port: int, anchor: Path, connect_to: tuple[str, ...] = ()) -> NetClient:
    return NetClient(NetworkSettings.build(connect_to, None, [f"127.0.0.1:{port}"], anchor))


def judged(result: HostProbeResult) -> list[tuple[str, str | None, Severity | None]]:
    import_modules("checks")
    outcome = run_host_checks(result, CONTEXT, REGISTRY)
    return [
        (found.check.id, found.finding.subject, found.finding.severity or found.check.severity)
        for found in outcome.findings
    ]


async def test_a_signed_domain_with_caa_has_no_findings(dns_port, anchor_file):
    client = client_for(dns_port, anchor_file)
    dnssec = await probe_dnssec("signed.de", 53, client)
    caa = await probe_caa("signed.de", 53, client)
    assert dnssec.ok and caa.ok
    evidence = dnssec.evidence(DnssecEvidence)
    assert (evidence.status, evidence.zone, evidence.servers) == (
        "secure",
        "signed.de.",
        (f"127.0.0.1:{dns_port}",),
    )
    assert "test-root.txt" in evidence.trust_anchor
    assert caa.evidence(CaaEvidence).issuers == ("harica.gr", "letsencrypt.org")
    assert judged(dnssec) == [] and judged(caa) == []


async def test_an_unsigned_domain_without_caa_has_two_findings(dns_port, anchor_file):
    client = client_for(dns_port, anchor_file)
    dnssec = await probe_dnssec("unsigned.de", 53, client)
    caa = await probe_caa("unsigned.de", 53, client)
    assert judged(dnssec) == [("security.dnssec", "insecure", Severity.MODERATE)]
    assert judged(caa) == [("security.caa", "missing", Severity.MINOR)]


@pytest.mark.parametrize("domain", ["bogus.de", "altered.de", "expired.de"])
async def test_bogus_domains_are_serious_findings(dns_port, anchor_file, domain):
    result = await probe_dnssec(domain, 53, client_for(dns_port, anchor_file))
    assert judged(result) == [("security.dnssec", "bogus", Severity.SERIOUS)]


async def test_a_silent_server_leaves_both_probes_not_tested(anchor_file):
    async with silent_dns() as port:
        resolver = DnsResolver(
            (DnsServer("127.0.0.1", port),), trust_anchor=anchor_file, timeout=0.2, attempts=1
        )
        network = NetworkSettings.build(dns_servers=[f"127.0.0.1:{port}"])
        client = NetClient(network, dns_resolver=resolver)
        dnssec = await probe_dnssec("signed.de", 53, client)
        caa = await probe_caa("signed.de", 53, client)
    assert (dnssec.ok, dnssec.failure_class) == (False, FailureClass.TIMEOUT)
    assert DnssecEvidence.from_json(dnssec.data).status == "indeterminate"
    assert (caa.ok, caa.failure_class) == (False, FailureClass.TIMEOUT)
    assert judged(dnssec) == [] and judged(caa) == []


@pytest.mark.parametrize(
    ("rcode", "dnssec_detail", "caa_detail"),
    [
        (dns.rcode.SERVFAIL, "SERVFAIL", "SERVFAIL"),
        # a resolver without a way out (a sandbox, a captive network) says nothing exists
        (dns.rcode.NXDOMAIN, "no DNSKEY of the trust anchor's zone . (NXDOMAIN)", "does not exist"),
    ],
)
async def test_servfail_or_nothing_existing_leaves_the_probes_not_tested(
    zones, anchor_file, rcode, dnssec_detail, caa_detail
):
    async with serving_dns(DnsHandler(zones, rcode=rcode)) as port:
        client = client_for(port, anchor_file)
        dnssec = await probe_dnssec("signed.de", 53, client)
        caa = await probe_caa("signed.de", 53, client)
    assert (dnssec.failure_class, caa.failure_class) == (FailureClass.DNS_ERROR, FailureClass.DNS_ERROR)
    assert dnssec_detail in (dnssec.failure_detail or "") and caa_detail in (caa.failure_detail or "")


@pytest_asyncio.fixture
async def web_port():
    app = web.Application()

    async def echo_host(request: web.Request) -> web.Response:
        return web.Response(text=request.host)

    app.router.add_get("/", echo_host)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    try:
        yield site._server.sockets[0].getsockname()[1]
    finally:
        await runner.cleanup()


async def test_configured_servers_answer_for_connections_and_mapped_hosts_keep_their_mapping(
    dns_port, anchor_file, web_port
):
    # www.signed.de is 192.0.2.10 in DNS: only the mapping brings it to 127.0.0.1.
    mapping = (f"www.signed.de:{web_port}:127.0.0.1:{web_port}",)
    async with client_for(dns_port, anchor_file, mapping) as client:
        resolved = await client.fetch(f"http://local.signed.de:{web_port}/")
        mapped = await client.fetch(f"http://www.signed.de:{web_port}/")
        unknown = await client.fetch(f"http://nowhere.signed.de:{web_port}/")
    assert isinstance(resolved, HttpResponse) and resolved.body == f"local.signed.de:{web_port}".encode()
    assert isinstance(mapped, HttpResponse) and mapped.body == f"www.signed.de:{web_port}".encode()
    assert not isinstance(unknown, HttpResponse) and unknown.failure_class is FailureClass.DNS_ERROR


async def test_a_scan_judges_the_dns_of_the_domains_of_its_hosts(
    local_web: LocalWeb, run_scan, engine, dns_port, anchor_file, tmp_path
):
    signed = local_web.site("www.signed.de", {"/": page('<a href="https://www.unsigned.de/">Partner</a>')})
    local_web.site("www.unsigned.de", {"/": page("Partnerseite")})
    dns = {"dns_servers": [f"127.0.0.1:{dns_port}"], "dns_trust_anchor": anchor_file}
    target = make_target("DNS", [signed + "/"], ["signed.de", "unsigned.de"], crawl=dns)
    outcome = await run_scan(target)

    with session(engine) as db:
        results = {
            (row.host, row.probe): row.ok
            for row in db.exec(select(HostResult).where(HostResult.scan_id == outcome.scan_id))
            if row.port == 53
        }
        findings = {
            (row.host, row.check_id, row.subject, row.severity)
            for row in db.exec(select(Finding).where(Finding.scan_id == outcome.scan_id))
            if row.check_id in ("security.dnssec", "security.caa")
        }
    assert results == {
        ("signed.de", "dnssec"): True,
        ("signed.de", "caa"): True,
        ("unsigned.de", "dnssec"): True,
        ("unsigned.de", "caa"): True,
    }
    assert findings == {
        ("unsigned.de", "security.dnssec", "insecure", "moderate"),
        ("unsigned.de", "security.caa", "missing", "minor"),
    }
    report = render_scan_report(engine, outcome.scan_id, tmp_path)
    assert "nicht mit DNSSEC signiert" in report.read_text(encoding="utf-8")
