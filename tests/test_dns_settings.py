"""The DNS layer's settings and pure parts: server and trust-anchor syntax, the configuration
keys and the command-line option, NSEC bitmaps, CAA issuers, the two checks on evidence, and the
host runner probing each registrable domain once."""

from __future__ import annotations

from pathlib import Path

import dns.message
import dns.name
import dns.rdataclass
import dns.rdataset
import dns.rdatatype
import dns.rrset
import pytest
from sqlmodel import select
from typer.testing import CliRunner

from checks.security.dns import caa, dnssec
from scanner.cli import app
from scanner.config.targets import ConfigError, load_targets
from scanner.crawl.politeness import HostPoliteness
from scanner.crawl.scope import FirstPartySet
from scanner.dns.anchors import TrustAnchor, TrustAnchorError, default_anchor
from scanner.dns.caa import CaaRecord, CaaSet
from scanner.dns.denial import DenialError, prove_no_ds, rdtypes_in
from scanner.dns.servers import DnsServer, DnsServerError
from scanner.evidence import FailureClass, HostProbeResult
from scanner.evidence.dns import CAA_PROBE, DNSSEC_PROBE, CaaEvidence, DnssecEvidence, DnssecStatus
from scanner.findings.registry import CheckContext, CheckRegistry, Result, Severity
from scanner.net.client import NetClient
from scanner.net.connect_to import HostMap
from scanner.net.network import NetworkSettings
from scanner.probes import HostProbe
from scanner.probes.dns import probe_caa
from scanner.run.hosts import HostProbeRunner, domain_of
from scanner.store.db import open_database, session
from scanner.store.models import HostResult

from populate import populate_failed_scan

pytestmark = pytest.mark.fast

TARGET = '[[target]]\nname = "a"\nstart_urls = ["https://www.a.de/"]\nauthority_level = "bund"\n'
ROOT_DIGEST = "E06D44B80B8F1D39A95C0B0D7C65D08458E880409BBC683457104237C7F8EC8D"
CONTEXT = CheckContext("a", FirstPartySet(["a.de"]), "bund")


@pytest.mark.parametrize(
    ("text", "server"),
    [
        ("192.0.2.53:5353", DnsServer("192.0.2.53", 5353)),
        ("192.0.2.53", DnsServer("192.0.2.53", 53)),
        ("[2001:db8::53]:53", DnsServer("2001:db8::53", 53)),
        ("2001:db8::53", DnsServer("2001:db8::53", 53)),
        ("NS.Example.DE:53", DnsServer("ns.example.de", 53)),
    ],
)
def test_dns_servers_are_host_and_port(text, server):
    assert DnsServer.parse(text) == server
    assert DnsServer.parse(str(server)) == server


@pytest.mark.parametrize("text", ["127.0.0.1:99999", "[nope]:53", "a b:53", ":53", "[::1]:x"])
def test_bad_dns_servers_are_refused(text):
    with pytest.raises(DnsServerError):
        DnsServer.parse(text)


def test_the_default_trust_anchor_is_the_iana_root_ksks():
    anchor = default_anchor()
    assert str(anchor.zone) == "."
    assert sorted(record.key_tag for record in anchor.ds) == [20326, 38696]
    assert "data.iana.org/root-anchors" in Path(anchor.source).read_text(encoding="utf-8")


def test_a_trust_anchor_must_be_ds_or_dnskey_records_of_one_zone():
    with pytest.raises(TrustAnchorError, match="expected DS or DNSKEY records, got A"):
        TrustAnchor.from_text("example. IN A 192.0.2.1\n")
    with pytest.raises(TrustAnchorError, match="of one zone"):
        TrustAnchor.from_text(f". IN DS 20326 8 2 {ROOT_DIGEST}\nde. IN DS 1 8 2 {ROOT_DIGEST}\n")
    with pytest.raises(TrustAnchorError, match="not DS or DNSKEY records"):
        TrustAnchor.from_text("das ist kein Anker\n")


def test_dns_settings_are_read_and_resolved(tmp_path):
    (tmp_path / "anchor.txt").write_text(
        ". IN DS 20326 8 2 E06D44B80B8F1D39A95C0B0D7C65D08458E880409BBC683457104237C7F8EC8D\n"
    )
    path = tmp_path / "targets.toml"
    path.write_text(
        '[settings]\ndns_servers = ["192.0.2.53:53", "[2001:db8::53]:53"]\n'
        'dns_trust_anchor = "anchor.txt"\n\n' + TARGET,
        encoding="utf-8",
    )
    crawl = load_targets(path).get("a").crawl
    assert crawl.dns_servers == ("192.0.2.53:53", "[2001:db8::53]:53")
    assert crawl.dns_trust_anchor == (tmp_path / "anchor.txt").resolve()


def test_bad_dns_settings_name_file_line_field_and_what_was_expected(tmp_path):
    (tmp_path / "kein-anker.txt").write_text("www.a.de. IN A 192.0.2.1\n")
    path = tmp_path / "targets.toml"
    path.write_text(
        '[settings]\ndns_servers = ["192.0.2.53:53", "ns:99999"]\ndns_trust_anchor = "kein-anker.txt"\n\n'
        + TARGET
        + 'dns_trust_anchor = "fehlt.txt"\n',
        encoding="utf-8",
    )
    with pytest.raises(ConfigError) as info:
        load_targets(path)
    found = [(problem.file, problem.line, problem.field) for problem in info.value.problems]
    assert found == [
        (path, 2, "settings.dns_servers[2]"),
        (path, 3, "settings.dns_trust_anchor"),
        (path, 9, "target[1].dns_trust_anchor"),
    ]
    messages = [problem.message for problem in info.value.problems]
    assert "port 99999 out of range 1-65535" in messages[0]
    assert "expected DS or DNSKEY records, got A" in messages[1] and ". IN DS 20326" in messages[1]
    assert "file not found" in messages[2]


def test_a_bad_dns_server_option_exits_with_2(tmp_path):
    path = tmp_path / "targets.toml"
    path.write_text(TARGET, encoding="utf-8")
    database = tmp_path / "nie.db"
    result = CliRunner().invoke(
        app, ["scan", "--targets", str(path), "--db", f"sqlite:///{database}", "--dns-server", "a b:53"]
    )
    assert result.exit_code == 2
    assert "--dns-server a b:53: expected HOST:PORT" in result.output
    assert not database.exists()


def test_command_line_dns_servers_replace_the_targets_own():
    command_line = NetworkSettings.build(dns_servers=["192.0.2.1:53"])
    target = NetworkSettings.build(dns_servers=["192.0.2.2:53"], dns_trust_anchor=Path("/anchor"))
    merged = command_line.merged(target)
    assert (merged.dns_servers, merged.dns_trust_anchor) == (("192.0.2.1:53",), Path("/anchor"))
    assert NetworkSettings().merged(target).dns_servers == ("192.0.2.2:53",)


@pytest.mark.parametrize(
    ("host", "domain"),
    [("www.stadt-beispiel.de", "stadt-beispiel.de"), ("127.0.0.1", None), ("::1", None), ("localhost", None)],
)
def test_the_dns_probes_ask_about_registrable_domains(host, domain):
    assert domain_of(host) == domain


async def test_hosts_reached_through_connect_to_are_not_asked_without_dns_servers():
    client = NetClient(NetworkSettings.build([":443:127.0.0.1:8443"]))
    result = await probe_caa("stadt-beispiel.de", 53, client)
    assert (result.ok, result.failure_class) == (False, FailureClass.DNS_NOT_ASKED)


def test_nsec_type_bitmaps_are_read():
    assert rdtypes_in([(0, b"\x62\x01\x80\x08\x00\x03\x80")]) == {1, 2, 6, 15, 16, 28, 46, 47, 48}
    assert rdtypes_in([(1, b"\x40")]) == {257}


def test_caa_issuers_and_wildcard_issuers():
    records = (
        CaaRecord(0, "issue", "letsencrypt.org"),
        CaaRecord(0, "issue", "Harica.gr; validationmethods=dns-01"),
        CaaRecord(0, "issue", ";"),
        CaaRecord(128, "tbs", "x"),
    )
    found = CaaSet("a.de", "a.de.", records)
    assert found.issuers == ("letsencrypt.org", "harica.gr")
    assert found.wildcard_issuers == found.issuers  # no issuewild: issue governs wildcards
    assert records[3].critical


def _dnssec(status: str) -> HostProbeResult:
    evidence = DnssecEvidence(domain="a.de", status=status, reason="why", zone="de.")
    return HostProbeResult("a.de", 53, DNSSEC_PROBE, True, evidence.to_json())


def test_dnssec_insecure_is_a_moderate_finding_and_bogus_a_serious_one():
    [insecure] = dnssec(_dnssec("insecure"), CONTEXT)
    [bogus] = dnssec(_dnssec("bogus"), CONTEXT)
    assert (insecure.result, insecure.severity, insecure.subject) == (Result.FAIL, None, "insecure")
    assert (bogus.result, bogus.severity, bogus.subject) == (Result.FAIL, Severity.SERIOUS, "bogus")
    assert list(dnssec(_dnssec("secure"), CONTEXT)) == []


def _caa(**fields) -> HostProbeResult:
    evidence = CaaEvidence(domain="a.de", looked_at=("a.de.", "de."), **fields)
    return HostProbeResult("a.de", 53, CAA_PROBE, True, evidence.to_json())


def test_caa_missing_or_without_issue_is_a_finding_and_issuers_pass():
    [missing] = caa(_caa(), CONTEXT)
    assert (missing.subject, missing.evidence) == ("missing", {"looked_at": ["a.de.", "de."]})
    [no_issue] = caa(
        _caa(found_at="a.de.", records=({"flags": 0, "tag": "iodef", "value": "mailto:x@a.de"},)), CONTEXT
    )
    assert no_issue.subject == "no-issue"
    issuing = ({"flags": 0, "tag": "issue", "value": "letsencrypt.org"},)
    assert list(caa(_caa(found_at="a.de.", records=issuing, issuers=("letsencrypt.org",)), CONTEXT)) == []


async def test_the_runner_probes_each_registrable_domain_once(tmp_path):
    engine = open_database(f"sqlite:///{tmp_path / 'govscan.db'}")
    scan_id = populate_failed_scan(engine)
    asked: list[str] = []

    async def per_domain(host: str, port: int, client: NetClient) -> HostProbeResult:
        asked.append(host)
        return HostProbeResult(host, port, "fake-dns", True, {})

    async def per_host(host: str, port: int, client: NetClient) -> HostProbeResult:
        return HostProbeResult(host, port, "fake-host", True, {})

    probes = [
        HostProbe("fake-dns", 53, 1, per_domain, per_domain=True),
        HostProbe("fake-host", 443, 1, per_host),
    ]
    runner = HostProbeRunner(
        engine, scan_id, probes, NetClient(), CONTEXT, CheckRegistry(), HostPoliteness(2, 0.0), max_hosts=30
    )
    for host in ("www.signed.de", "service.signed.de", "127.0.0.1", "www.signed.de"):
        runner.ensure(host)
    await runner.finish(timeout=5)
    with session(engine) as db:
        rows = {
            (row.host, row.probe)
            for row in db.exec(select(HostResult).where(HostResult.scan_id == scan_id))
            if row.probe.startswith("fake-")
        }
    assert asked == ["signed.de"]
    assert rows == {
        ("signed.de", "fake-dns"),
        ("www.signed.de", "fake-host"),
        ("service.signed.de", "fake-host"),
        ("127.0.0.1", "fake-host"),
    }


def test_a_dns_server_named_by_a_mapped_host_is_reached_where_the_mapping_says():
    host_map = HostMap.from_strings(["ns.pruef-resolver.de:53:127.0.0.1:5353"])
    assert DnsServer("ns.pruef-resolver.de", 53).address(host_map) == ("127.0.0.1", 5353)
    assert DnsServer("192.0.2.53", 53).address(host_map) == ("192.0.2.53", 53)


def test_a_denial_of_ds_from_the_wrong_zone_is_indeterminate_not_bogus():
    response = dns.message.make_response(dns.message.make_query("a.de.", "DS"))
    soa = dns.rrset.from_text("a.de.", 300, "IN", "SOA", "ns.a.de. hostmaster.a.de. 1 3600 600 86400 300")
    response.authority.append(soa)
    keys = dns.rdataset.Rdataset(dns.rdataclass.IN, dns.rdatatype.DNSKEY)
    with pytest.raises(DenialError) as info:
        prove_no_ds(response, dns.name.from_text("a.de."), dns.name.from_text("de."), keys)
    assert info.value.status is DnssecStatus.INDETERMINATE
