"""A whole scan with configured DNS servers: the mail domains are the registrable domains of the
hosts plus the mailto: domains of contact pages and of security.txt, each gets the mail probes
(stored under the domain, port 25, no host of its own), and an MX without an address is not
tested, never a fail."""

from __future__ import annotations

import pytest
from sqlmodel import select

from reports.html import render_scan_report
from scanner.store.db import session
from scanner.store.models import Finding, HostResult

from conftest import make_target
from dnsserver import Zones, signed_zones
from localweb import LocalWeb, page

pytestmark = pytest.mark.slow

POST = """
@ MX 10 mx.postamt.de.
@ TXT "v=spf1 mx -all"
_dmarc TXT "v=DMARC1; p=reject"
sel._domainkey TXT "v=DKIM1; p=x"
_mta-sts TXT "v=STSv1; id=1"
_smtp._tls TXT "v=TLSRPTv1; rua=mailto:tls@postamt.de"
"""


@pytest.fixture(scope="module")
def zones() -> Zones:
    return signed_zones(
        extra_signed={"postamt.de.": POST},
        extra_unsigned={"buergerpost.de.": "@ MX 10 mx.buergerpost.de.\n", "csirt-land.de.": "@ MX 0 .\n"},
    )


async def test_a_scan_probes_the_mail_domains_of_hosts_contact_pages_and_security_txt(
    local_web: LocalWeb, run_scan, engine, dns_port, zones, tmp_path
):
    contact = (
        '<a href="mailto:poststelle@postamt.de">Post</a> <a href="mailto:info@buergerpost.de">Bürger</a>'
    )
    origin = local_web.site(
        "www.postamt.de",
        {
            "/": page('<a href="/kontakt/">Kontakt</a> <a href="mailto:presse@zeitung-extern.de">Presse</a>'),
            "/kontakt/": page(contact, title="Kontakt"),
            "/.well-known/security.txt": "Contact: mailto:cert@csirt-land.de\n"
            "Expires: 2099-01-01T00:00:00Z\n",
        },
    )
    local_web.site(
        "mta-sts.postamt.de",
        {"/.well-known/mta-sts.txt": "version: STSv1\nmode: enforce\nmx: mx.postamt.de\nmax_age: 1209600\n"},
    )
    anchor = tmp_path / "anchor.txt"
    anchor.write_text(zones.anchor, encoding="utf-8")
    dns = {"dns_servers": [f"127.0.0.1:{dns_port}"], "dns_trust_anchor": anchor}
    outcome = await run_scan(make_target("Post", [origin + "/"], ["postamt.de"], crawl=dns))

    with session(engine) as db:
        rows = db.exec(select(HostResult).where(HostResult.scan_id == outcome.scan_id, HostResult.port == 25))
        results = {(row.host, row.probe): (row.ok, row.failure_class) for row in rows}
        findings = {
            (row.host, row.check_id, row.subject)
            for row in db.exec(select(Finding).where(Finding.scan_id == outcome.scan_id))
            if row.check_id.startswith("security.mail-")
        }
    # the front page's press address is no contact page's: zeitung-extern.de is not in scope
    assert {host for host, _ in results} == {"postamt.de", "buergerpost.de", "csirt-land.de"}
    assert results[("postamt.de", "mail-policy")] == (True, None)
    # mx.postamt.de has no address: the MX is not tested, and so the domain's transport
    assert results[("postamt.de", "smtp-tls")] == (False, "dns_error")
    assert results[("csirt-land.de", "smtp-tls")] == (True, None)  # null MX: nothing to connect to
    assert not {finding for finding in findings if finding[0] == "postamt.de"}
    assert ("buergerpost.de", "security.mail-spf", "missing") in findings
    assert ("csirt-land.de", "security.mail-mta-sts", "missing") not in findings  # it receives no mail
    report = render_scan_report(engine, outcome.scan_id, tmp_path).read_text(encoding="utf-8")
    assert "buergerpost.de hat keinen SPF-Eintrag" in report
