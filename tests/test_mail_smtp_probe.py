"""The smtp-tls probe and the mail transport checks against real SMTP servers on 127.0.0.1
(aiosmtpd with STARTTLS, trustme certificates), MX and TLSA records on the signed test DNS server,
every ``mx:25`` reached through --connect-to. Each check has a clean and a failing server; a
closed port 25 is not tested, never a pass or a fail."""

from __future__ import annotations

import asyncio
import datetime
import ssl
import warnings

import dns.name
import dns.rdataclass
import dns.rdatatype
import pytest
import pytest_asyncio
import trustme
from cryptography import x509

from scanner.crawl.scope import FirstPartySet
from scanner.evidence import FailureClass, HostProbeResult
from scanner.evidence.mail import SmtpTlsEvidence
from scanner.families import import_modules
from scanner.findings.registry import REGISTRY, CheckContext
from scanner.findings.runner import run_host_checks
from scanner.mail.dane import association
from scanner.net.client import NetClient
from scanner.net.network import NetworkSettings
from scanner.probes.smtp import probe_smtp_tls

from dnsserver import DnsHandler, Zones, serving_dns, signed_zones
from smtpservers import free_port, smtp_server

pytestmark = pytest.mark.slow
NOW = datetime.datetime.now(datetime.UTC)
DOMAINS = ("post.de", "ohne.post.de", "alt.post.de", "name.post.de", "abgelaufen.post.de")
MX_LABELS = ("mx", "mx-ohne", "mx-alt", "mx-name", "mx-abgelaufen", "mx-zu", "mx-falsch", "mx-verfaelscht")
DOMAINS += ("zu.post.de", "falsch.post.de", "teil.post.de", "ohnesig.de", "verfaelscht.post.de")


def context_for(
    ca: trustme.CA, *names: str, tls10_only: bool = False, valid_days: tuple[int, int] = (-1, 90)
) -> tuple[ssl.SSLContext, x509.Certificate]:
    """A STARTTLS context like tlsservers.server_context (no profile objects to its defaults), and
    its leaf certificate for the TLSA records."""
    not_before, not_after = (NOW + datetime.timedelta(days=days) for days in valid_days)
    issued = ca.issue_cert(*names, key_type=trustme.KeyType.ECDSA, not_before=not_before, not_after=not_after)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    issued.configure_cert(context)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)  # TLS 1.0 on purpose
        if tls10_only:
            context.minimum_version = context.maximum_version = ssl.TLSVersion.TLSv1
        else:  # TLS 1.2 only: Python cannot leave out ChaCha20 among the TLS 1.3 suites, BSI does
            context.minimum_version = context.maximum_version = ssl.TLSVersion.TLSv1_2
    context.set_ciphers("ECDHE+AES:@SECLEVEL=0" if tls10_only else "ECDHE+AESGCM")
    context.set_ecdh_curve("prime256v1")
    return context, x509.load_pem_x509_certificate(issued.cert_chain_pems[0].bytes())


def _alter_tlsa(zones: Zones, owner: str) -> None:
    """Change a TLSA record after signing: its RRSIG no longer covers it (a forged answer)."""
    zone = zones.by_origin[dns.name.from_text("post.de.")]
    node = zone.find_node(dns.name.from_text(owner))
    tlsa = node.find_rdataset(dns.rdataclass.IN, dns.rdatatype.TLSA)
    changed = tlsa[0].replace(cert=bytes(32))
    tlsa.clear()
    tlsa.add(changed, tlsa.ttl)


@pytest.fixture(scope="module")
def mail_network(tmp_path_factory: pytest.TempPathFactory):
    ca = trustme.CA(organization_name="Mail-CA (Test)")
    folder = tmp_path_factory.mktemp("smtp")
    bundle = folder / "ca.pem"
    ca.cert_pem.write_to_path(str(bundle))
    good, leaf = context_for(ca, "mx.post.de", "mx-falsch.post.de", "mx.ohnesig.de", "mx-verfaelscht.post.de")
    contexts = {
        "mx-ohne.post.de": None,
        "mx-alt.post.de": context_for(ca, "mx-alt.post.de", tls10_only=True)[0],
        "mx-name.post.de": context_for(ca, "www.anderes-amt.de")[0],
        "mx-abgelaufen.post.de": context_for(ca, "mx-abgelaufen.post.de", valid_days=(-100, -2))[0],
    }
    ca_certificate = x509.load_pem_x509_certificate(ca.cert_pem.bytes())
    tlsa = f"3 1 1 {association(leaf, 1, 1)}"
    records = f"""
@ MX 10 mx.post.de.
_25._tcp.mx TLSA {tlsa}
_25._tcp.mx TLSA 2 1 1 {association(ca_certificate, 1, 1)}
ohne MX 10 mx-ohne.post.de.
alt MX 10 mx-alt.post.de.
name MX 10 mx-name.post.de.
abgelaufen MX 10 mx-abgelaufen.post.de.
zu MX 10 mx-zu.post.de.
falsch MX 10 mx-falsch.post.de.
_25._tcp.mx-falsch TLSA 3 1 1 {"00" * 32}
teil MX 10 mx.post.de.
teil MX 20 mx-zu.post.de.
verfaelscht MX 10 mx-verfaelscht.post.de.
_25._tcp.mx-verfaelscht TLSA {tlsa}
""" + "".join(f"{mx} A 127.0.0.1\n" for mx in MX_LABELS)
    zones = signed_zones(
        extra_signed={"post.de.": records},
        extra_unsigned={"ohnesig.de.": f"@ MX 10 mx.ohnesig.de.\nmx A 127.0.0.1\n_25._tcp.mx TLSA {tlsa}\n"},
    )
    _alter_tlsa(zones, "_25._tcp.mx-verfaelscht.post.de.")
    anchor = folder / "anchor.txt"
    anchor.write_text(zones.anchor, encoding="utf-8")
    with (
        smtp_server(good, "mx.post.de") as good_port,
        smtp_server(contexts["mx-ohne.post.de"]) as ohne,
        smtp_server(contexts["mx-alt.post.de"]) as alt,
        smtp_server(contexts["mx-name.post.de"]) as name,
        smtp_server(contexts["mx-abgelaufen.post.de"]) as abgelaufen,
    ):
        ports = {
            "mx.post.de": good_port,
            "mx-falsch.post.de": good_port,
            "mx-verfaelscht.post.de": good_port,
            "mx.ohnesig.de": good_port,
            "mx-ohne.post.de": ohne,
            "mx-alt.post.de": alt,
            "mx-name.post.de": name,
            "mx-abgelaufen.post.de": abgelaufen,
            "mx-zu.post.de": free_port(),  # nothing listens there
        }
        yield zones, anchor, bundle, ports


@pytest_asyncio.fixture(scope="module")
async def probed(mail_network) -> dict[str, HostProbeResult]:
    zones, anchor, bundle, ports = mail_network
    async with serving_dns(DnsHandler(zones)) as dns_port:
        mapping = [f"{host}:25:127.0.0.1:{port}" for host, port in ports.items()]
        network = NetworkSettings.build(mapping, bundle, [f"127.0.0.1:{dns_port}"], anchor)
        async with NetClient(network) as client:
            results = await asyncio.gather(*(probe_smtp_tls(domain, 25, client) for domain in DOMAINS))
    return dict(zip(DOMAINS, results, strict=True))


def judged(result: HostProbeResult, authority_level: str = "gemeinde") -> set[tuple[str, str | None]]:
    import_modules("checks")
    context = CheckContext("Test", FirstPartySet(["post.de"]), authority_level)
    outcome = run_host_checks(result, context, REGISTRY)
    assert all(delta.errors == 0 for delta in outcome.tallies.values())
    return {(found.check.id, found.finding.subject) for found in outcome.findings}


def test_a_good_mx_with_dane_and_dnssec_has_no_findings(probed) -> None:
    result = probed["post.de"]
    assert result.ok, result.failure_detail
    [server] = result.evidence(SmtpTlsEvidence).servers
    assert (server["starttls"], server["handshake"]) == (True, True)
    assert server["tls"]["protocols"]["TLSv1.2"]["offered"] is True
    assert [record["usage"] for record in server["tlsa"]["matching"]] == [3]
    assert server["tlsa"]["rollover"].startswith("current + next")
    assert result.evidence(SmtpTlsEvidence).dnssec["mx.post.de"]["status"] == "secure"
    assert judged(result) == set()
    assert judged(result, "bund") == set()


def test_an_mx_without_starttls_is_a_serious_finding(probed) -> None:
    result = probed["ohne.post.de"]
    assert judged(result) == {
        ("security.mail-starttls", "mx-ohne.post.de no-starttls"),
        ("security.mail-dane", "mx-ohne.post.de missing"),
        ("security.mail-tr-03108", "not-met"),
    }


def test_an_mx_with_tls_1_0_only_deviates_from_both_profiles(probed) -> None:
    result = probed["alt.post.de"]
    [server] = result.evidence(SmtpTlsEvidence).servers
    assert server["tls"]["protocols"]["TLSv1"]["offered"] is True
    assert server["tls"]["protocols"]["TLSv1.2"]["offered"] is False
    found = judged(result)
    assert ("security.mail-tls-profile", "mx-alt.post.de mozilla-intermediate") in found
    assert ("security.mail-tls-profile", "mx-alt.post.de bsi") not in found  # binds federal bodies
    assert ("security.mail-tls-profile", "mx-alt.post.de bsi") in judged(result, "bund")
    assert ("security.mail-tr-03108", "not-met") in found


def test_a_certificate_for_another_name_is_a_finding_without_dane(probed) -> None:
    assert ("security.mail-certificate", "mx-name.post.de name") in judged(probed["name.post.de"])


def test_an_expired_certificate_is_a_finding(probed) -> None:
    found = judged(probed["abgelaufen.post.de"])
    assert ("security.mail-certificate", "mx-abgelaufen.post.de expired") in found
    assert ("security.mail-certificate", "mx-abgelaufen.post.de untrusted") not in found


def test_a_closed_port_25_is_not_tested_and_says_why(probed) -> None:
    result = probed["zu.post.de"]
    assert (result.ok, result.failure_class) == (False, FailureClass.PORT_25_UNREACHABLE)
    assert "refused" in (result.failure_detail or "") and "many networks" in (result.failure_detail or "")
    assert judged(result) == set()


def test_an_mx_not_reached_beside_a_good_one_is_left_out_of_every_judgement(probed) -> None:
    result = probed["teil.post.de"]
    assert result.ok
    servers = {server["host"]: server for server in result.evidence(SmtpTlsEvidence).servers}
    assert servers["mx-zu.post.de"]["tested"] is False
    assert servers["mx-zu.post.de"]["failure_class"] == "port_25_unreachable"
    assert judged(result) == set()


def test_tlsa_records_that_do_not_match_the_chain_are_serious(probed) -> None:
    found = judged(probed["falsch.post.de"])
    assert ("security.mail-dane", "mx-falsch.post.de mismatch") in found
    # without valid DANE the PKIX certificate counts again: it is valid here
    assert not {subject for check, subject in found if check == "security.mail-certificate"}


def test_tlsa_without_dnssec_has_no_effect(probed) -> None:
    assert judged(probed["ohnesig.de"]) == {
        ("security.mail-dane", "mx.ohnesig.de unsigned"),
        ("security.mail-tr-03108", "not-met"),
    }


def test_a_tlsa_set_whose_signature_fails_is_bogus_and_serious(probed) -> None:
    [server] = probed["verfaelscht.post.de"].evidence(SmtpTlsEvidence).servers
    assert server["tlsa"]["dnssec"] == "bogus" and "signature is invalid" in server["tlsa"]["dnssec_problem"]
    found = judged(probed["verfaelscht.post.de"])
    assert ("security.mail-dane", "mx-verfaelscht.post.de bogus") in found
