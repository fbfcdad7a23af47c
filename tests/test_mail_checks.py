"""The mail parts that need no network: mailto: domains of contact pages, SPF counted over a
stand-in DNS, DMARC, MTA-STS and TLS-RPT parsing, TLSA matching, and every mail check on
hand-made evidence, a clean and a failing case each, "not tested" parts judged neither way."""

from __future__ import annotations

import datetime

import dns.message
import dns.name
import dns.rcode
import dns.rdatatype
import dns.rrset
import pytest
import trustme
from cryptography import x509

from checks.security.mail_transport import dane_state, tr_03108_view
from scanner.crawl.scope import FirstPartySet
from scanner.evidence import HostProbeResult, Link, PageCapture, Scenario
from scanner.evidence.mail import MailPolicyEvidence, SmtpTlsEvidence
from scanner.families import import_modules
from scanner.findings.registry import REGISTRY, CheckContext
from scanner.findings.runner import run_host_checks
from scanner.mail.dane import Tlsa, association, matches, rollover_scheme
from scanner.mail.dmarc import DmarcPolicy, parse_tags
from scanner.mail.mta_sts import covers, parse_policy, uncovered
from scanner.mail.mx import mail_exchangers
from scanner.mail.scope import is_contact_page, mail_domains, mailto_domain, security_txt_mail_domains
from scanner.mail.spf import spf_policy

pytestmark = pytest.mark.fast
CONTEXT = CheckContext("Test", FirstPartySet(["amt.de"]), "gemeinde")


class TxtOnly:
    """A stand-in for the scan's querier: TXT records by name, NXDOMAIN for the rest."""

    def __init__(self, records: dict[str, list[str]]) -> None:
        self.records = records
        self.asked: list[str] = []

    async def ask(self, name, rdtype) -> dns.message.Message:
        text = str(name).rstrip(".")
        self.asked.append(text)
        response = dns.message.make_response(dns.message.make_query(name, rdtype))
        if text not in self.records:
            response.set_rcode(dns.rcode.NXDOMAIN)
            return response
        quoted = [f'"{value}"' for value in self.records[text]]
        response.answer.append(dns.rrset.from_text_list(name, 300, "IN", "TXT", quoted))
        return response


def judged(probe: str, data: dict) -> set[tuple[str, str | None]]:
    import_modules("checks")
    result = HostProbeResult(data["domain"], 25, probe, True, {"version": 1, **data})
    outcome = run_host_checks(result, CONTEXT, REGISTRY)
    assert all(delta.errors == 0 for delta in outcome.tallies.values()), outcome.tallies
    return {(found.check.id, found.finding.subject) for found in outcome.findings}


def capture(url: str, hrefs: list[str], title: str = "") -> PageCapture:
    links = tuple(Link(href, "Mail") for href in hrefs)
    return PageCapture(url, Scenario.FIRST_VISIT, url, 200, links=links, title=title)


# --- mail domains ---------------------------------------------------------------------------


def test_mailto_domains_come_from_contact_and_legal_pages_only() -> None:
    hrefs = ["mailto:Poststelle@Amt.DE?subject=Hallo", "mailto:a@b.example,c@d.example", "https://amt.de/"]
    assert mail_domains(capture("https://www.amt.de/kontakt/", hrefs)) == ["amt.de", "b.example"]
    assert mail_domains(capture("https://www.amt.de/start", hrefs, title="Impressum")) == [
        "amt.de",
        "b.example",
    ]
    assert mail_domains(capture("https://www.amt.de/aktuelles/", hrefs)) == []
    assert is_contact_page(capture("https://www.amt.de/datenschutzerkl%C3%A4rung", []))


def test_mail_domains_of_security_txt_contacts() -> None:
    content = "Contact: mailto:cert@Amt.de\ncontact: https://amt.de/melden\nContact: mailto:x@csirt.example\n"
    data = {"version": 1, "found": True, "content": content}
    result = HostProbeResult("www.amt.de", 443, "security-txt", True, data)
    assert security_txt_mail_domains(result) == ["amt.de", "csirt.example"]
    missing = HostProbeResult("www.amt.de", 443, "security-txt", True, {"version": 1, "found": False})
    assert security_txt_mail_domains(missing) == []


@pytest.mark.parametrize(
    ("href", "domain"),
    [
        ("mailto:x@stadt-müll.de", "xn--stadt-mll-w9a.de"),
        ("mailto:x%40amt.de", "amt.de"),
        ("mailto:", None),
        ("mailto:nobody", None),
        ("mailto:x@localhost", None),
        ("mailto:x@192.0.2.1", None),
        ("tel:+4930", None),
    ],
)
def test_mailto_domain(href: str, domain: str | None) -> None:
    assert mailto_domain(href) == domain


# --- SPF ---------------------------------------------------------------------------------------


async def test_spf_lookups_are_counted_through_include_and_redirect() -> None:
    querier = TxtOnly(
        {
            "amt.de": ["v=spf1 redirect=_spf.amt.de", "google-site-verification=x"],
            "_spf.amt.de": ["v=spf1 a mx include:relay.example ~all"],
            "relay.example": ["v=spf1 ip4:192.0.2.0/24 exists:%{i}.x.example -all"],
        }
    )
    policy = await spf_policy(querier, "amt.de")
    assert (policy.lookups, policy.all_qualifier, policy.redirect) == (5, "~", "_spf.amt.de")
    assert policy.includes == ["_spf.amt.de", "relay.example"] and policy.problems == []


async def test_a_redirect_beside_an_all_is_ignored() -> None:
    policy = await spf_policy(TxtOnly({"amt.de": ["v=spf1 mx redirect=x.example -all"]}), "amt.de")
    assert (policy.lookups, policy.all_qualifier, policy.redirect, policy.includes) == (1, "-", None, [])


async def test_an_spf_include_loop_stops_and_is_a_problem() -> None:
    querier = TxtOnly({"amt.de": ["v=spf1 include:amt.de -all"]})
    policy = await spf_policy(querier, "amt.de")
    assert policy.lookups > 10 and "nested deeper" in policy.problems[0]


SPF_CASES = {
    "clean": (["v=spf1 mx -all"], set()),
    "softfail": (["v=spf1 mx ~all"], set()),
    "missing": ([], {("security.mail-spf", "missing")}),
    "two": (["v=spf1 -all", "v=spf1 mx -all"], {("security.mail-spf", "multiple")}),
    "plus": (["v=spf1 +all"], {("security.mail-spf", "pass-all")}),
    "neutral": (["v=spf1 mx ?all"], {("security.mail-spf", "neutral")}),
    "no-all": (["v=spf1 mx"], {("security.mail-spf", "neutral")}),
}


@pytest.mark.parametrize("case", SPF_CASES)
async def test_spf_check(case: str) -> None:
    records, expected = SPF_CASES[case]
    policy = await spf_policy(TxtOnly({"amt.de": records}), "amt.de")
    data = {"domain": "amt.de", "mx": {"exchangers": []}, "spf": policy.to_json()}
    assert {found for found in judged("mail-policy", data) if found[0] == "security.mail-spf"} == expected


# --- DMARC ---------------------------------------------------------------------------------------


def dmarc(record: str, found_at: str = "_dmarc.amt.de", domain: str = "amt.de", **extra) -> dict:
    policy = DmarcPolicy(domain, found_at, [record], parse_tags(record), **extra)
    return policy.to_json()


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (dmarc("v=DMARC1; p=reject"), set()),
        (dmarc("v=DMARC1; p=quarantine; rua=mailto:d@amt.de"), set()),
        (dmarc("v=DMARC1; p=reject; t=y"), {"testing"}),
        (dmarc("v=DMARC1; p=quarantine; pct=20"), {"testing"}),
        (dmarc("v=DMARC1; p=reject; sp=none"), {"subdomain-policy-none"}),
        (dmarc("v=DMARC1; p=none"), {"policy-none"}),
        (dmarc("v=DMARC1; p=reject", external_rua={"ext.example": False}), {"rua-unauthorised ext.example"}),
        (dmarc("v=DMARC1; p=reject", external_rua={"ext.example": None}), set()),  # no answer: not judged
        (dmarc("v=DMARC1; p=reject", problems=["2 DMARC records (exactly one needed)"]), {"invalid"}),
        ({**dmarc("v=DMARC1"), "records": [], "found_at": None}, {"missing"}),
    ],
)
def test_dmarc_check(data: dict, expected: set[str]) -> None:
    found = judged("mail-policy", {"domain": "amt.de", "mx": {"exchangers": []}, "dmarc": data})
    assert {subject for check, subject in found if check == "security.mail-dmarc"} == expected


def test_a_subdomain_without_its_own_record_gets_the_organisational_sp() -> None:
    policy = DmarcPolicy("post.amt.de", "_dmarc.amt.de", ["x"], parse_tags("v=DMARC1; p=reject; sp=none"))
    assert policy.policy == "none"
    found = judged(
        "mail-policy", {"domain": "post.amt.de", "mx": {"exchangers": []}, "dmarc": policy.to_json()}
    )
    assert ("security.mail-dmarc", "policy-none") in found


# --- DKIM ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("spf", "dmarc_policy", "exists", "expected"),
    [
        ("v=spf1 mx -all", "reject", True, set()),
        ("v=spf1 mx -all", "reject", False, {("security.mail-dkim", "missing")}),
        ("v=spf1 -all", "reject", False, set()),  # says it never sends: DKIM skipped
    ],
)
def test_dkim_presence(spf: str, dmarc_policy: str, exists: bool, expected: set) -> None:
    data = {
        "domain": "amt.de",
        "mx": {"exchangers": []},
        "spf": {"records": [spf], "lookups": 1, "all": "-", "problems": []},
        "dmarc": dmarc(f"v=DMARC1; p={dmarc_policy}"),
        "dkim": {"name": "_domainkey.amt.de", "exists": exists},
    }
    assert {found for found in judged("mail-policy", data) if found[0] == "security.mail-dkim"} == expected


def test_parts_the_dns_did_not_answer_are_judged_neither_way() -> None:
    data = {"domain": "amt.de", "mx": {"exchangers": [{"preference": 10, "host": "mx.amt.de"}]}}
    data["not_tested"] = {
        part: "no answer within 3 s" for part in ("spf", "dmarc", "dkim", "mta_sts", "tls_rpt")
    }
    assert judged("mail-policy", data) == set()
    assert MailPolicyEvidence.from_json(data).receives_mail


# --- MTA-STS and TLS-RPT -------------------------------------------------------------------------


def test_mta_sts_policy_parsing_and_mx_patterns() -> None:
    policy = parse_policy(
        "version: STSv1\r\nmode: enforce\r\nmx: mx1.amt.de\r\nmx: *.mail.amt.de\r\nmax_age: 604800\r\n"
    )
    assert (policy.mode, policy.max_age, policy.mx, policy.problems) == (
        "enforce",
        604800,
        ("mx1.amt.de", "*.mail.amt.de"),
        (),
    )
    assert covers("*.mail.amt.de", "a.mail.amt.de") and not covers("*.mail.amt.de", "a.b.mail.amt.de")
    assert not covers("*.mail.amt.de", "mail.amt.de")
    assert uncovered(policy, ("mx1.amt.de", "x.mail.amt.de", "mx2.amt.de")) == ["mx2.amt.de"]
    broken = parse_policy("version: STSv2\nmode: strict\nmax_age: 99999999999\n")
    assert len(broken.problems) == 3


def sts(**changes) -> dict:
    policy = {"version": "STSv1", "mode": "enforce", "max_age": 1209600, "mx": ["mx.amt.de"], "problems": []}
    found = {
        "records": ["v=STSv1; id=1"],
        "id": "1",
        "record_problems": [],
        "policy_url": "https://mta-sts.amt.de/.well-known/mta-sts.txt",
        "fetch": {"ok": True, "status": 200, "problems": []},
        "policy": policy,
        "uncovered": [],
    }
    for key, value in changes.items():
        (policy if key in policy else found)[key] = value
    return found


MX = {"exchangers": [{"preference": 10, "host": "mx.amt.de"}]}


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (sts(), set()),
        (sts(records=[]), {"missing"}),
        (sts(record_problems=["id='' is not 1-32 letters or digits"]), {"invalid-record"}),
        (
            sts(fetch={"ok": False, "failure_class": "tls_error", "detail": "certificate"}),
            {"policy-unreachable"},
        ),
        (sts(fetch={"ok": False, "status": 404, "problems": ["HTTP 404"]}), {"policy-unreachable"}),
        (sts(fetch={"ok": False, "failure_class": "timeout", "detail": "slow"}), set()),  # not tested
        (sts(problems=["no mx lines"]), {"invalid-policy"}),
        (sts(mode="none"), {"mode-none"}),
        (sts(max_age=86400), {"short-max-age"}),
        (sts(uncovered=["mx2.amt.de"]), {"mx-not-covered"}),
    ],
)
def test_mta_sts_check(data: dict, expected: set[str]) -> None:
    found = judged("mail-policy", {"domain": "amt.de", "mx": MX, "mta_sts": data})
    assert {subject for check, subject in found if check == "security.mail-mta-sts"} == expected


def test_no_mta_sts_or_tls_rpt_is_asked_of_a_null_mx_domain() -> None:
    null = {"exchangers": [{"preference": 0, "host": "."}], "null_mx": True}
    data = {
        "domain": "amt.de",
        "mx": null,
        "mta_sts": sts(records=[]),
        "tls_rpt": {"records": [], "rua": [], "problems": []},
    }
    assert judged("mail-policy", data) == set()


@pytest.mark.parametrize(
    ("record", "expected"),
    [
        ({"records": ["v=TLSRPTv1; rua=mailto:t@amt.de"], "rua": ["mailto:t@amt.de"], "problems": []}, set()),
        ({"records": [], "rua": [], "problems": []}, {"missing"}),
        ({"records": ["v=TLSRPTv1; rua=ftp://x"], "rua": [], "problems": ["no rua"]}, {"invalid"}),
    ],
)
def test_tls_rpt_check(record: dict, expected: set[str]) -> None:
    found = judged("mail-policy", {"domain": "amt.de", "mx": MX, "tls_rpt": record})
    assert {subject for check, subject in found if check == "security.mail-tls-rpt"} == expected


# --- DANE and the transport checks ---------------------------------------------------------------


@pytest.fixture(scope="module")
def chain() -> list[x509.Certificate]:
    ca = trustme.CA()
    intermediate = ca.create_child_ca()
    leaf = intermediate.issue_cert("mx.amt.de")
    return [x509.load_pem_x509_certificate(pem.bytes()) for pem in leaf.cert_chain_pems]


def test_tlsa_matching_by_usage_selector_and_matching_type(chain) -> None:
    leaf, issuer = chain[0], chain[1]
    for selector in (0, 1):
        for matching_type in (0, 1, 2):
            data = association(leaf, selector, matching_type)
            assert matches(Tlsa(3, selector, matching_type, data), chain)
            assert not matches(Tlsa(2, selector, matching_type, data), chain)  # DANE-TA is above the leaf
            assert not matches(Tlsa(1, selector, matching_type, data), chain)  # PKIX-EE: not for SMTP
    assert matches(Tlsa(2, 1, 1, association(issuer, 1, 1)), chain)
    assert not matches(Tlsa(3, 1, 1, "00" * 32), chain)
    records = [Tlsa(3, 1, 1, "aa"), Tlsa(3, 1, 1, "bb")]
    assert rollover_scheme(records).startswith("current + next") and rollover_scheme([]) == "none"


def server(host: str = "mx.amt.de", **changes) -> dict:
    tlsa = {
        "name": f"_25._tcp.{host}",
        "dnssec": "secure",
        "records": [{"usage": 3}],
        "matching": [{"usage": 3}],
    }
    entry = {"host": host, "tested": True, "starttls": True, "handshake": True, "tlsa": tlsa}
    for key, value in changes.items():
        (tlsa if key in ("dnssec", "records", "matching") else entry)[key] = value
    return entry


@pytest.mark.parametrize(
    ("entry", "state"),
    [
        (server(), "valid"),
        (server(matching=[]), "mismatch"),
        (server(records=[]), "absent"),
        (server(dnssec="insecure"), "unsigned"),
        (server(dnssec="bogus"), "bogus"),
        (server(dnssec="indeterminate"), "not_tested"),
        (server(records=[{"usage": 1}], matching=[]), "unusable"),
        ({"host": "mx.amt.de", "tlsa": {"not_tested": "no answer"}}, "not_tested"),
    ],
)
def test_dane_state(entry: dict, state: str) -> None:
    assert dane_state(entry) == state


def smtp(servers: list[dict], dnssec: dict | None = None) -> dict:
    return {
        "domain": "amt.de",
        "mx": MX,
        "servers": servers,
        "dnssec": dnssec or {"amt.de": {"status": "secure", "reason": ""}},
    }


@pytest.mark.parametrize(
    ("servers", "expected"),
    [
        ([server(starttls=False, handshake=False, reason="no STARTTLS")], {"mx.amt.de no-starttls"}),
        ([server(handshake=False, reason="handshake failed")], {"mx.amt.de handshake"}),
        ([server(tested=False, failure_class="timeout", reason="port 25 filtered")], set()),
    ],
)
def test_starttls_check(servers: list[dict], expected: set[str]) -> None:
    found = judged("smtp-tls", smtp(servers))
    assert {subject for check, subject in found if check == "security.mail-starttls"} == expected


def test_dnssec_of_the_domain_and_each_mx_zone() -> None:
    states = {
        "amt.de": {"status": "secure", "reason": ""},
        "mx.provider.example": {"status": "bogus", "reason": "expired"},
        "mx2.other.example": {"status": "indeterminate", "reason": "no answer"},
    }
    found = judged("mail-policy", {"domain": "amt.de", "mx": MX, "dnssec": states})
    assert found == {("security.mail-dnssec", "mx.provider.example bogus")}


def test_tr_03108_view_marks_each_mandatory_part() -> None:
    not_reached = server("mx2.amt.de", tested=False, failure_class="timeout")
    evidence = SmtpTlsEvidence.from_json(smtp([server(starttls=False, handshake=False), not_reached]))
    assert tr_03108_view(evidence) == {
        "dnssec": "met",
        "starttls": "not_met",
        "dane": "not_tested",  # no handshake: the match cannot be known
        "tr_03116_4": "not_met",
    }
    only_unreached = SmtpTlsEvidence.from_json(smtp([not_reached]))
    assert set(tr_03108_view(only_unreached).values()) == {"met", "not_tested"}


def test_an_expired_certificate_is_no_finding_under_dane_ee() -> None:
    now = datetime.datetime.now(datetime.UTC)
    certificate = {
        "subject": "CN=mx.amt.de",
        "key_type": "ecdsa",
        "curve": "secp256r1",
        "signature_algorithm": "ecdsa-with-SHA256",
        "dns_names": ["other.example"],
        "not_before": (now - datetime.timedelta(days=100)).isoformat(),
        "not_after": (now - datetime.timedelta(days=1)).isoformat(),
    }
    tls = {
        "certificate": certificate,
        "trust": {"trusted": False},
        "probed_at": now.isoformat(),
        "protocols": {},
    }
    found = judged("smtp-tls", smtp([server(tls=tls)]))
    assert not {subject for check, subject in found if check == "security.mail-certificate"}
    without_dane = judged("smtp-tls", smtp([server(tls=tls, records=[])]))
    assert {subject for check, subject in without_dane if check == "security.mail-certificate"} == {
        "mx.amt.de expired",
        "mx.amt.de name",
        "mx.amt.de untrusted",
    }


def test_port_25_unreachable_has_a_label_in_every_language() -> None:
    from reports.labels import LABELS
    from scanner.evidence import FailureClass

    for language, labels in LABELS.items():
        assert "port 25" in labels["failure_classes"][FailureClass.PORT_25_UNREACHABLE].lower(), language


class Answers:
    """A stand-in querier with records by (name, type); a name without any is NXDOMAIN."""

    def __init__(self, records: dict[tuple[str, str], list[str]]) -> None:
        self.records = records

    async def ask(self, name, rdtype) -> dns.message.Message:
        text, kind = str(name).rstrip("."), dns.rdatatype.to_text(dns.rdatatype.RdataType.make(rdtype))
        response = dns.message.make_response(dns.message.make_query(name, rdtype))
        if not any(owner == text for owner, _ in self.records):
            response.set_rcode(dns.rcode.NXDOMAIN)
        elif values := self.records.get((text, kind)):
            response.answer.append(dns.rrset.from_text_list(name, 300, "IN", kind, values))
        return response


@pytest.mark.parametrize(
    ("records", "hosts", "null_mx", "implicit", "exists"),
    [
        (
            {("amt.de", "MX"): ["20 mx2.amt.de.", "10 mx1.amt.de.", "30 mx1.amt.de."]},
            ("mx1.amt.de", "mx2.amt.de"),
            False,
            False,
            True,
        ),
        ({("amt.de", "MX"): ["0 ."]}, (".",), True, False, True),
        ({("amt.de", "A"): ["192.0.2.1"]}, ("amt.de",), False, True, True),
        ({("amt.de", "TXT"): ['"v=spf1 -all"']}, (), False, False, True),
        ({}, (), False, False, False),
    ],
)
async def test_mail_exchangers(records, hosts, null_mx, implicit, exists) -> None:
    found = await mail_exchangers(Answers(records), "amt.de")
    assert (found.hosts, found.null_mx, found.implicit, found.domain_exists) == (
        hosts,
        null_mx,
        implicit,
        exists,
    )
    assert found.receives_mail is (bool(hosts) and not null_mx)
