"""The http-headers and security-txt probes against local sites, and a whole scan storing the grade."""

from __future__ import annotations

import hashlib
import json
import socket
from pathlib import Path

import pytest
import trustme
from sqlmodel import select

from scanner.crawl.scope import FirstPartySet
from scanner.datasets import data_dir
from scanner.findings.registry import CheckContext, load_all_checks
from scanner.findings.runner import run_host_checks
from scanner.net.client import NetClient
from scanner.net.network import NetworkSettings
from scanner.probes.http_headers import probe_http_headers
from scanner.probes.security_txt import probe_security_txt
from scanner.store.db import session
from scanner.store.models import HostResult
from scanner.store.security import HeaderGrade

from conftest import make_target
from localweb import LocalWeb, page
from tlsservers import TlsServer, server_context

GOOD_HEADERS = """
[headers]
"Strict-Transport-Security" = "max-age=31536000"
"Content-Security-Policy" = "default-src 'self'; frame-ancestors 'self'"
"X-Content-Type-Options" = "nosniff"
"Referrer-Policy" = "strict-origin-when-cross-origin"
"Set-Cookie" = "sid=geheim-123; Path=/; Secure; HttpOnly; SameSite=Lax"
"""


def findings(result, check_id: str) -> set[str]:
    outcome = run_host_checks(result, context_for(result), load_all_checks())
    return {located.finding.subject for located in outcome.findings if located.check.id == check_id}


def graded(result) -> dict:
    """The header grade as the scan stores it: the security.http-headers check's record."""
    outcome = run_host_checks(result, context_for(result), load_all_checks())
    [record] = [record for record in outcome.records if record.kind == "header-grade"]
    return record.data


def context_for(result) -> CheckContext:
    return CheckContext("Test", FirstPartySet([result.host]), "kreis")


@pytest.fixture(scope="module")
def header_sites(local_web: LocalWeb) -> None:
    local_web.site("www.kopf-gut.de", {"/": page("gut")}, host_toml=GOOD_HEADERS)
    local_web.site("www.kopf-nackt.de", {"/": page("nackt")}, host_toml="redirect_http_to_https = false\n")


async def test_well_configured_host_gets_a_plus_and_cookie_values_are_hashed(header_sites, network) -> None:
    async with NetClient(network) as client:
        result = await probe_http_headers("www.kopf-gut.de", 443, client)
    grade = graded(result)
    # CSP without unsafe +5, cookies Secure/HttpOnly/SameSite +5, Referrer-Policy +5, frame-ancestors +5
    assert (grade["score"], grade["grade"], grade["tests_failed"]) == (120, "A+", 0)
    assert grade["preload_list"] == "not installed"
    assert "geheim-123" not in json.dumps(result.data)
    assert findings(result, "security.http-headers") == set()


async def test_host_without_headers_and_without_redirect(header_sites, network) -> None:
    async with NetClient(network) as client:
        result = await probe_http_headers("www.kopf-nackt.de", 443, client)
    grade = graded(result)
    # CSP -25, redirection -20, HSTS -20, X-Content-Type-Options -5, X-Frame-Options -20: 10, F
    assert (grade["score"], grade["grade"]) == (10, "F")
    assert findings(result, "security.http-headers") == {
        "content-security-policy",
        "redirection",
        "strict-transport-security",
        "x-content-type-options",
        "x-frame-options",
    }


async def test_preload_bonus_only_with_an_installed_list(
    header_sites, network, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("GOVSCAN_DATA_DIR", str(tmp_path))
    body = (
        b'{"entries": [\n// a comment line, as in Chromium\'s file\n'
        b'{"name": "kopf-gut.de", "mode": "force-https", "include_subdomains": true}]}'
    )
    (data_dir() / "transport_security_state_static.json").write_bytes(body)
    (data_dir() / "hsts-preload.json").write_text(
        json.dumps(
            {
                "filename": "transport_security_state_static.json",
                "sha256": hashlib.sha256(body).hexdigest(),
                "version": None,
                "downloaded_at": "2026-11-01T00:00:00+00:00",
                "source": "test",
            }
        )
    )
    async with NetClient(network) as client:
        result = await probe_http_headers("www.kopf-gut.de", 443, client)
    tests = graded(result)["tests"]
    assert graded(result)["preload_list"] == "installed"
    assert tests["strict-transport-security"]["result"] == "hsts-preloaded"
    assert tests["redirection"]["result"] == "redirection-all-redirects-preloaded"
    assert graded(result)["score"] == 125


async def test_untrusted_certificate_is_fetched_unverified_and_penalised(tmp_path: Path) -> None:
    stranger = trustme.CA(organization_name="Unbekannte CA")
    server = TlsServer(server_context(stranger, "www.fremd-zertifikat.de"))
    with socket.socket() as placeholder:  # a port nobody listens on stands in for port 80
        placeholder.bind(("127.0.0.1", 0))
        closed = placeholder.getsockname()[1]
    try:
        network = NetworkSettings.build(
            [
                f"www.fremd-zertifikat.de:443:127.0.0.1:{server.port}",
                f"www.fremd-zertifikat.de:80:127.0.0.1:{closed}",
            ]
        )
        async with NetClient(network) as client:
            result = await probe_http_headers("www.fremd-zertifikat.de", 443, client)
    finally:
        server.close()
    tests = graded(result)["tests"]
    assert result.data["fetches"]["https"]["verified"] is False
    assert tests["strict-transport-security"]["result"] == "hsts-invalid-cert"
    assert tests["redirection"]["result"] == "redirection-not-needed-no-http"  # nothing on port 80


@pytest.fixture(scope="module")
def security_txt_sites(local_web: LocalWeb) -> None:
    local_web.site(
        "www.meldung-gut.de",
        {
            "/": page("x"),
            "/.well-known/security.txt": "Contact: mailto:sicherheit@meldung-gut.de\n"
            "Expires: 2099-01-01T00:00:00Z\n"
            "Canonical: https://www.meldung-gut.de/.well-known/security.txt\n",
        },
    )
    local_web.site(
        "www.meldung-alt.de",
        {"/": page("x"), "/security.txt": "Expires: 2020-01-01T00:00:00Z\n"},
    )
    local_web.site("www.meldung-keine.de", {"/": page("x")})


@pytest.mark.parametrize(
    ("host", "expected"),
    [
        ("www.meldung-gut.de", set()),
        ("www.meldung-alt.de", {"location", "expired", "no_contact"}),
        ("www.meldung-keine.de", {"missing"}),
    ],
)
async def test_security_txt(security_txt_sites, network, host: str, expected: set[str]) -> None:
    async with NetClient(network) as client:
        result = await probe_security_txt(host, 443, client)
    assert result.ok
    assert findings(result, "security.security-txt") == expected


async def test_a_scan_stores_grade_tls_and_findings_per_host(local_web: LocalWeb, run_scan, engine) -> None:
    origin = local_web.site("www.scan-kopf.de", {"/": page("Start")}, host_toml=GOOD_HEADERS)
    outcome = await run_scan(make_target("Kopf", [origin + "/"]))
    with session(engine) as db:
        grades = db.exec(select(HeaderGrade).where(HeaderGrade.scan_id == outcome.scan_id)).all()
        rows = db.exec(select(HostResult).where(HostResult.scan_id == outcome.scan_id)).all()
    probes = {row.probe: row for row in rows if row.host == "www.scan-kopf.de"}
    # the domain's DNS is not asked: the test network maps every host and names no DNS server
    domain = {row.probe: row.failure_class for row in rows if row.host == "scan-kopf.de"}
    assert domain == dict.fromkeys(("caa", "dnssec", "mail-policy", "smtp-tls"), "dns_not_asked")
    assert [(g.host, g.score, g.grade, g.algorithm_version) for g in grades] == [
        ("www.scan-kopf.de", 120, "A+", 5)
    ]
    assert set(probes) == {"http-redirect", "http-headers", "security-txt", "tls"}
    assert all(row.ok for row in probes.values())
    assert probes["tls"].data["protocols"]["TLSv1.3"]["offered"] is True
