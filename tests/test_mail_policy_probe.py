"""The mail-policy probe and its checks against the signed test DNS server on 127.0.0.1, with the
MTA-STS policy on a local HTTPS server (trustme CA): a domain whose mail policies are clean, one
where every policy fails, a null MX, an implicit MX, and DNS that does not answer (not tested)."""

from __future__ import annotations

import ssl
from pathlib import Path

import pytest
import pytest_asyncio
import trustme
from aiohttp import web

from scanner.crawl.scope import FirstPartySet
from scanner.evidence import FailureClass, HostProbeResult
from scanner.evidence.mail import MailPolicyEvidence
from scanner.families import import_modules
from scanner.findings.registry import REGISTRY, CheckContext
from scanner.findings.runner import run_host_checks
from scanner.net.client import NetClient
from scanner.net.network import NetworkSettings
from scanner.probes.mail import probe_mail_policy
from scanner.probes.smtp import probe_smtp_tls

from dnsserver import Zones, signed_zones, silent_dns
from httpserver import running

pytestmark = pytest.mark.slow
CONTEXT = CheckContext("Test", FirstPartySet(["post.de", "luecke.de"]), "gemeinde")

GOOD = """
@ MX 10 mx.post.de.
@ TXT "v=spf1 mx include:_spf.post.de -all"
_spf TXT "v=spf1 a -all"
_dmarc TXT "v=DMARC1; p=reject; rua=mailto:dmarc@post.de,mailto:berichte@berichte.de"
sel1._domainkey TXT "v=DKIM1; k=ed25519; p=11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo="
_mta-sts TXT "v=STSv1; id=20261204T1"
_smtp._tls TXT "v=TLSRPTv1; rua=mailto:tls-berichte@post.de"
"""
BAD = """
@ MX 10 mx1.luecke.de.
@ MX 20 mx2.luecke.de.
@ TXT "v=spf1 a mx include:s1.luecke.de include:s2.luecke.de ?all"
s1 TXT "v=spf1 a mx ptr exists:e.luecke.de include:s3.luecke.de"
s3 TXT "v=spf1 a mx -all"
_dmarc TXT "v=DMARC1; p=none; sp=none; rua=mailto:x@fremd.de"
_mta-sts TXT "v=STSv1; id=1"
"""
NULL_MX = '@ MX 0 .\n@ TXT "v=spf1 -all"\n_dmarc TXT "v=DMARC1; p=reject"\n'
IMPLICIT = '@ A 127.0.0.1\n@ TXT "v=spf1 a -all"\n_dmarc TXT "v=DMARC1; p=quarantine"\n'
BERICHTE = 'post.de._report._dmarc TXT "v=DMARC1"\n'
POLICIES = {
    "mta-sts.post.de": "version: STSv1\nmode: enforce\nmx: mx.post.de\nmax_age: 1209600\n",
    "mta-sts.luecke.de": "version: STSv1\nmode: testing\nmx: mx1.luecke.de\nmax_age: 3600\n",
}


@pytest.fixture(scope="module")
def zones() -> Zones:
    return signed_zones(
        extra_signed={"post.de.": GOOD, "berichte.de.": BERICHTE},
        extra_unsigned={"luecke.de.": BAD, "nullmx.de.": NULL_MX, "implizit.de.": IMPLICIT},
    )


@pytest.fixture(scope="module")
def ca(tmp_path_factory: pytest.TempPathFactory) -> tuple[trustme.CA, Path]:
    authority = trustme.CA(organization_name="Mail-CA (Test)")
    bundle = tmp_path_factory.mktemp("mail-ca") / "ca.pem"
    authority.cert_pem.write_to_path(str(bundle))
    return authority, bundle


@pytest_asyncio.fixture(scope="module")
async def policy_port(ca):
    async def policy(request: web.Request) -> web.Response:
        text = POLICIES.get(request.host.split(":")[0])
        if text is None:
            return web.Response(status=404)
        return web.Response(text=text, content_type="text/plain")

    app = web.Application()
    app.router.add_get("/.well-known/mta-sts.txt", policy)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ca[0].issue_cert("mta-sts.post.de", "mta-sts.luecke.de").configure_cert(context)
    async with running(app, ssl_context=context) as port:
        yield port


def client_for(dns_port: int, anchor: Path, bundle: Path | None, policy_port: int | None) -> NetClient:
    mapping = [f"mta-sts.{domain}:443:127.0.0.1:{policy_port}" for domain in ("post.de", "luecke.de")]
    servers = [f"127.0.0.1:{dns_port}"]
    return NetClient(NetworkSettings.build(mapping if policy_port else [], bundle, servers, anchor))


def judged(result: HostProbeResult) -> set[tuple[str, str | None]]:
    import_modules("checks")
    outcome = run_host_checks(result, CONTEXT, REGISTRY)
    return {(found.check.id, found.finding.subject) for found in outcome.findings}


async def test_a_domain_with_clean_mail_policies_has_no_findings(dns_port, anchor_file, ca, policy_port):
    async with client_for(dns_port, anchor_file, ca[1], policy_port) as client:
        result = await probe_mail_policy("post.de", 25, client)
    assert result.ok, result.failure_detail
    evidence = result.evidence(MailPolicyEvidence)
    assert evidence.mx["exchangers"] == [{"preference": 10, "host": "mx.post.de"}]
    assert (evidence.spf["lookups"], evidence.spf["all"], evidence.spf["includes"]) == (
        3,
        "-",
        ["_spf.post.de"],
    )
    assert evidence.dmarc["external_rua"] == {"berichte.de": True}
    assert evidence.dkim == {"name": "_domainkey.post.de", "exists": True}
    assert evidence.mta_sts["policy"]["mode"] == "enforce" and evidence.mta_sts["uncovered"] == []
    assert evidence.tls_rpt["rua"] == ["mailto:tls-berichte@post.de"]
    assert evidence.not_tested == {}
    assert judged(result) == set()


async def test_a_domain_whose_mail_policies_fail_has_a_finding_per_check(
    dns_port, anchor_file, ca, policy_port
):
    async with client_for(dns_port, anchor_file, ca[1], policy_port) as client:
        result = await probe_mail_policy("luecke.de", 25, client)
    evidence = result.evidence(MailPolicyEvidence)
    assert evidence.spf["lookups"] == 11
    assert evidence.mta_sts["uncovered"] == ["mx2.luecke.de"]
    assert judged(result) == {
        ("security.mail-spf", "lookup-limit"),
        ("security.mail-spf", "include-error"),  # s2.luecke.de has no SPF record
        ("security.mail-spf", "neutral"),
        ("security.mail-dmarc", "policy-none"),
        ("security.mail-dmarc", "rua-unauthorised fremd.de"),
        ("security.mail-dkim", "missing"),
        ("security.mail-mta-sts", "mode-testing"),
        ("security.mail-mta-sts", "short-max-age"),
        ("security.mail-mta-sts", "mx-not-covered"),
        ("security.mail-tls-rpt", "missing"),
        # luecke.de itself is a first-party domain: security.dnssec judges it, its MX zones are mail's
        ("security.mail-dnssec", "mx1.luecke.de insecure"),
        ("security.mail-dnssec", "mx2.luecke.de insecure"),
    }


async def test_a_policy_not_served_over_trusted_https_is_a_finding(dns_port, anchor_file, policy_port):
    async with client_for(dns_port, anchor_file, None, policy_port) as client:  # the test CA not trusted
        result = await probe_mail_policy("post.de", 25, client)
    fetch = result.evidence(MailPolicyEvidence).mta_sts["fetch"]
    assert (fetch["ok"], fetch["failure_class"]) == (False, FailureClass.TLS_ERROR.value)
    assert ("security.mail-mta-sts", "policy-unreachable") in judged(result)


async def test_a_null_mx_domain_receives_no_mail_and_sends_none(dns_port, anchor_file):
    async with client_for(dns_port, anchor_file, None, None) as client:
        result = await probe_mail_policy("nullmx.de", 25, client)
    evidence = result.evidence(MailPolicyEvidence)
    assert evidence.mx["null_mx"] is True and not evidence.receives_mail
    # no MTA-STS and TLS-RPT for a domain without mail; no DKIM for one that says it never sends
    assert judged(result) == set()


async def test_a_domain_without_mx_but_an_address_is_its_own_exchanger(dns_port, anchor_file):
    async with client_for(dns_port, anchor_file, None, None) as client:
        result = await probe_mail_policy("implizit.de", 25, client)
    evidence = result.evidence(MailPolicyEvidence)
    assert (evidence.mx["implicit"], evidence.mx_hosts) == (True, ["implizit.de"])
    assert ("security.mail-mta-sts", "missing") in judged(result)


async def test_dns_without_answer_leaves_the_domain_and_its_transport_not_tested(anchor_file):
    async with silent_dns() as port, client_for(port, anchor_file, None, None) as client:
        client.dns.querier.timeout, client.dns.querier.attempts = 0.2, 1
        result = await probe_mail_policy("post.de", 25, client)
        transport = await probe_smtp_tls("post.de", 25, client)
    assert (result.ok, result.failure_class) == (False, FailureClass.TIMEOUT)
    assert (transport.ok, transport.failure_class) == (False, FailureClass.TIMEOUT)
    assert judged(result) == set() and judged(transport) == set()
