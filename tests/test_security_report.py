"""The report section "Sicherheit": grade per host, TLS profiles side by side, certificate expiry."""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from checks.security.observatory import FetchedResponse, SiteFetches, grade_site
from reports.html import render_scan_report
from scanner.store.db import session
from scanner.store.models import HostResult, Scan

from populate import fresh_database, populate_scan

COMPLIANCE_WORDS = re.compile(
    r"\b(konform\w*|erfüllt\w*|bestanden|compliant|compliance|passed|pass|conform\w*)\b", re.IGNORECASE
)
HOST = "www.beispielhausen.de"
SUITE = {
    "name": "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256",
    "kex": "ECDH",
    "group": "secp256r1",
    "kex_bits": 256,
}
TLS_FACTS = {
    "probed_at": "2026-11-20T08:00:00+00:00",
    "protocols": {
        "SSLv2": {"offered": False, "suites": []},
        "SSLv3": {"offered": False, "suites": []},
        "TLSv1": {"offered": True, "suites": [{**SUITE, "name": "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA"}]},
        "TLSv1.1": {"offered": False, "suites": []},
        "TLSv1.2": {"offered": True, "suites": [SUITE]},
        "TLSv1.3": {"offered": False, "suites": []},
    },
    "groups": ["secp256r1"],
    "certificate": {
        "subject": "CN=www.beispielhausen.de",
        "issuer": "CN=Test-CA,O=Beispiel",
        "dns_names": [HOST],
        "not_before": "2026-10-01T00:00:00+00:00",
        "not_after": "2026-12-10T00:00:00+00:00",
        "key_type": "ecdsa",
        "key_bits": 256,
        "curve": "secp256r1",
        "signature_algorithm": "ecdsa-with-SHA256",
    },
    "trust": {"trusted": True},
    "vulnerabilities": {
        "compression": False,
        "secure_renegotiation": True,
        "client_renegotiation": False,
        "extended_master_secret": True,
        "fallback_scsv": True,
        "heartbleed": False,
        "ccs_injection": False,
        "robot": "NOT_VULNERABLE_RSA_NOT_SUPPORTED",
        "early_data": False,
    },
}


def populate(engine, authority_level: str = "gemeinde") -> int:
    scan_id = populate_scan(engine).scan_id
    page = FetchedResponse(f"https://{HOST}/", 200, (("content-type", "text/html"),), "<p>x</p>")
    http = FetchedResponse(
        f"https://{HOST}/", 200, page.headers, "", chain=((f"http://{HOST}/", 301), (page.url, 200))
    )
    grade = grade_site(SiteFetches(HOST, http=http, https=page)).as_json()
    with session(engine) as db:
        scan = db.get(Scan, scan_id)
        scan.config_json = {**scan.config_json, "authority_level": authority_level}
        db.add(scan)
        db.add_all(
            [
                HostResult(
                    scan_id=scan_id,
                    host=HOST,
                    port=443,
                    probe="http-headers",
                    ok=True,
                    data={"grade": grade, "preload_list": "not installed", "algorithm_version": 5},
                ),
                HostResult(scan_id=scan_id, host=HOST, port=443, probe="tls", ok=True, data=TLS_FACTS),
                HostResult(
                    scan_id=scan_id,
                    host="service.beispielhausen.de",
                    port=443,
                    probe="tls",
                    ok=False,
                    failure_class="timeout",
                    failure_detail="no answer",
                ),
            ]
        )
        db.commit()
    return scan_id


def render(tmp_path, authority_level: str = "gemeinde", language: str = "de") -> BeautifulSoup:
    engine = fresh_database(tmp_path / "govscan.db")
    path = render_scan_report(engine, populate(engine, authority_level), tmp_path, language)
    engine.dispose()
    return BeautifulSoup(path.read_text(encoding="utf-8"), "lxml")


def text(element) -> str:
    return " ".join(element.get_text(" ").split())


def test_section_shows_grade_with_its_test_table(tmp_path) -> None:
    soup = render(tmp_path)
    section = soup.find(id="security")
    assert text(section.h2) == "Sicherheit: Header und TLS je Host"
    assert soup.select_one('nav a[href="#security"]') is not None
    # no headers at all: CSP -25, HSTS -20, X-Content-Type-Options -5, X-Frame-Options -20 -> 30, D
    assert "Note D (30 Punkte, Algorithmus v5); unauffällige Tests: 6 von 10" in text(section)
    assert "HSTS-Preload-Liste: nicht installiert" in text(section)
    rows = {
        text(row.th): [text(cell) for cell in row.find_all("td")]
        for row in section.select("#grade-www-beispielhausen-de-443 tbody tr")
    }
    assert rows["HTTP Strict Transport Security (HSTS)"] == [
        "Kein Strict-Transport-Security-Header",
        "-20",
        "Mangel",
    ]
    assert rows["Referrer-Policy"] == ["Keine Referrer-Policy (Browser-Standard)", "+0", "unauffällig"]


@pytest.mark.parametrize(("level", "bsi_role"), [("gemeinde", "Vergleich"), ("bund", "verbindlich")])
def test_tls_profiles_side_by_side(tmp_path, level: str, bsi_role: str) -> None:
    soup = render(tmp_path, level)
    table = soup.find(id="tls-www-beispielhausen-de-443")
    columns = [text(th) for th in table.thead.find_all("th")]
    assert columns[1] == "Mozilla Intermediate (5.7) (verbindlich)"
    assert columns[3] == f"BSI TR-02102-2 / TR-03116-4 ({bsi_role})"
    rows = {text(row.th): [text(cell) for cell in row.find_all("td")] for row in table.tbody.find_all("tr")}
    assert rows["Protokollversionen"] == [
        "Abweichung: TLSv1",
        "Abweichung: TLSv1, TLSv1.2",
        "Abweichung: TLSv1",
    ]
    assert rows["TLS-Kompression"] == ["keine Abweichung"] * 3
    assert rows["Pflicht: Cipher-Suite"][0] == "—"  # Mozilla has no such rule
    assert "Nicht getestet: Zeitüberschreitung" in text(soup.find(id="security"))


def test_certificate_expiry_dates_and_no_compliance_wording(tmp_path) -> None:
    soup = render(tmp_path, language="en")
    [row] = soup.select("#certificates tbody tr")
    assert [text(cell) for cell in row.find_all(["th", "td"])][:3] == [
        f"{HOST}:443",
        "2026-12-10 00:00 UTC",
        "19",
    ]
    assert COMPLIANCE_WORDS.findall(text(soup.find(id="security"))) == []


AXE_SOURCE = Path(importlib.util.find_spec("axe_playwright_python").origin).parent / "axe.min.js"
AXE_RUN = "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})"


@pytest.mark.parametrize("language", ["de", "en"])
async def test_the_section_passes_axe(tmp_path, browser, language: str) -> None:
    engine = fresh_database(tmp_path / "govscan.db")
    path = render_scan_report(engine, populate(engine, "bund"), tmp_path, language)
    engine.dispose()
    context = await browser.new_context()
    try:
        page = await context.new_page()
        await page.goto(path.as_uri())
        assert await page.locator("#security table").count() == 3  # grade, TLS profiles, certificates
        await page.evaluate(AXE_SOURCE.read_text(encoding="utf-8"))
        result = await page.evaluate(AXE_RUN, ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"])
    finally:
        await context.close()
    assert result["passes"] and [rule["id"] for rule in result["violations"]] == []
