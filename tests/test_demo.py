"""`govscan demo` end to end: serve the bundled portal, scan, report, export (see scanner/demo/FAULTS.md)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from sqlmodel import select

from reports.diff_report import count_rows, diff_history
from reports.history import Change
from scanner.store.db import open_database, session
from scanner.store.models import Cookie, HostResult, Page, Scan
from scanner.store.security import HeaderGrade

GOVSCAN = str(Path(sys.executable).with_name("govscan"))
CHECKOUT = Path(__file__).resolve().parents[1]
PORTAL = "https://www.landkreis-beispielhausen.de"
TOURISM_HOST = "beispielhausen-entdecken.de"

pytestmark = pytest.mark.slow  # `govscan demo` serves and scans in a subprocess, unseen by tests/conftest.py


def govscan(*arguments: str) -> subprocess.CompletedProcess[str]:
    # The checkout under test, not whichever one the virtualenv's editable install points at.
    environment = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join(filter(None, (str(CHECKOUT), os.environ.get("PYTHONPATH")))),
    }
    return subprocess.run(
        [GOVSCAN, *arguments], capture_output=True, text=True, timeout=600, check=False, env=environment
    )


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> dict:
    directory = tmp_path_factory.mktemp("demo")
    database = f"sqlite:///{directory / 'govscan.db'}"
    result = govscan("demo", "--db", database, "--out", str(directory / "berichte"), "--json")
    assert result.returncode == 0, result.stderr
    return {"outcome": json.loads(result.stdout), "db": database, "directory": directory}


def test_demo_scan_finds_defects_of_all_three_families(demo: dict) -> None:
    [scan] = demo["outcome"]["scans"]
    assert scan["status"] == "completed" and scan["stopped_by"] == "frontier_exhausted"
    families = {key.split(":")[0] for key in scan["summary"]["findings"]}
    assert families == {"accessibility", "privacy", "security"}


def test_demo_report_is_written_and_shows_each_family(demo: dict) -> None:
    report = Path(demo["outcome"]["report"])
    assert report.is_file() and report.parent == demo["directory"] / "berichte"
    document = BeautifulSoup(report.read_text(encoding="utf-8"), "lxml")
    headings = [heading.get_text(" ", strip=True) for heading in document.find_all("h2")]
    for family in ("Barrierefreiheit", "Datenschutz", "Sicherheit"):
        assert f"Befunde: {family}" in headings
    text = document.get_text(" ")
    for check_id in ("accessibility.document-lang", "privacy.third-party-request", "security.https-redirect"):
        assert check_id in text


def test_demo_faults_from_the_answer_key_are_found(demo: dict) -> None:
    result = govscan("export", "--format", "json", "--db", demo["db"])
    assert result.returncode == 0, result.stderr
    findings = json.loads(result.stdout)["findings"]

    lang_pages = {
        finding["page_url"] for finding in findings if finding["check_id"] == "accessibility.document-lang"
    }
    assert lang_pages == {
        f"{PORTAL}/bauen/",  # A02
        f"{PORTAL}/jugend/",  # A03
        f"{PORTAL}/stellenangebote/sachbearbeitung-kfz-zulassung.html",  # A04
        f"{PORTAL}/archiv/pressemitteilung-2019-04.html",  # A05, reached only through sitemap.xml
        f"{PORTAL}/gesundheitsamt/",  # A06: lang="deutsch"
    }
    third_parties = {
        finding["subject"] for finding in findings if finding["check_id"] == "privacy.third-party-request"
    }
    assert {
        "www.googletagmanager.com",
        "www.google-analytics.com",
        "fonts.googleapis.com",
        "fonts.gstatic.com",
        "www.youtube.com",
        "cdn.jsdelivr.net",
    } <= third_parties
    redirects = [finding for finding in findings if finding["check_id"] == "security.https-redirect"]
    assert [(finding["host"], finding["evidence"]["problem"]) for finding in redirects] == [
        ("www.landkreis-beispielhausen.de", "no-redirect")  # the tourism site redirects properly
    ]


def test_demo_security_grade_tls_and_content_faults(demo: dict) -> None:
    engine = open_database(demo["db"])
    with session(engine) as db:
        grades = {
            row.host: (row.score, row.grade, row.algorithm_version) for row in db.exec(select(HeaderGrade))
        }
        tls = {row.host: row for row in db.exec(select(HostResult).where(HostResult.probe == "tls"))}
    portal_host = PORTAL.split("//")[1]
    assert grades == {portal_host: (0, "F", 5), TOURISM_HOST: (115, "A+", 5)}  # S14
    assert set(tls) == {portal_host, TOURISM_HOST} and all(row.ok for row in tls.values())  # S15

    result = govscan("export", "--format", "json", "--db", demo["db"])
    findings = [item for item in json.loads(result.stdout)["findings"] if item["family"] == "security"]

    def subjects(check_id: str) -> set[str]:
        return {item["subject"] for item in findings if item["check_id"] == check_id}

    assert not [item for item in findings if item["check_id"].startswith("security.tls.")]  # S15
    assert not [item for item in findings if TOURISM_HOST in (item["host"] or item["page_url"] or "")]
    assert subjects("security.security-txt") == {"location", "expired", "no_canonical_match"}  # S12, S13
    assert subjects("security.version-banner") == {
        "Server: Apache/2.4.41 (Ubuntu)",
        "X-Powered-By: PHP/7.4.3",
    }
    assert subjects("security.cookie-flags") == {"cookie:PHPSESSID", "cookie:lang"}  # S08
    mixed = {
        (item["page_url"], item["evidence"]["kind"])
        for item in findings
        if item["check_id"] == "security.mixed-content"
    }
    assert mixed == {(f"{PORTAL}/veranstaltungen/", "passive"), (f"{PORTAL}/kontakt/", "form")}  # S09, S11
    sri = {item["subject"]: item["result"] for item in findings if item["check_id"] == "security.sri-missing"}
    assert sri == {
        "https://cdn.jsdelivr.net/npm/demo-slider@1.0.0/slider.min.js": "fail",  # S10
        "https://www.googletagmanager.com/gtag/js": "review",  # a dynamic tag: SRI not applicable
    }
    assert subjects("security.http-headers") == {
        "content-security-policy",
        "cookies",
        "redirection",
        "strict-transport-security",
        "subresource-integrity",
        "x-content-type-options",
        "x-frame-options",
    }  # S02-S06, S08 as the grade's tests

    report = BeautifulSoup(Path(demo["outcome"]["report"]).read_text(encoding="utf-8"), "lxml")
    section = " ".join(report.find(id="security").get_text(" ").split())
    assert (
        "Note F (0 Punkte, Algorithmus v5)" in section and "Note A+ (115 Punkte, Algorithmus v5)" in section
    )


def test_demo_crawl_obeys_robots_records_documents_and_keeps_third_party_cookies(demo: dict) -> None:
    engine = open_database(demo["db"])
    with session(engine) as db:
        pages = {row.url: row for row in db.exec(select(Page))}
        cookies = {(row.domain, row.name) for row in db.exec(select(Cookie))}
    assert pages[f"{PORTAL}/intern/"].failure_class == "blocked_by_robots"
    pdf = pages[f"{PORTAL}/dokumente/haushaltsplan-2026.pdf"]
    assert (pdf.kind, pdf.content_type, pdf.status) == ("document", "application/pdf", "ok")
    assert (".youtube.com", "VISITOR_INFO1_LIVE") in cookies  # set inside the embedded player
    assert any(name == "_ga" for _, name in cookies)  # set by the tag manager script before any consent


def test_report_and_export_default_to_the_newest_scan(demo: dict, tmp_path: Path) -> None:
    report = govscan("report", "--db", demo["db"], "--out", str(tmp_path), "--lang", "en")
    assert report.returncode == 0, report.stderr
    path = Path(report.stdout.strip())
    assert path.is_file() and path.parent == tmp_path
    assert '<html lang="en"' in path.read_text(encoding="utf-8")

    csv = govscan("export", "--format", "csv", "--db", demo["db"], "--out", str(tmp_path / "befunde.csv"))
    assert csv.returncode == 0, csv.stderr
    lines = (tmp_path / "befunde.csv").read_text(encoding="utf-8").splitlines()
    assert lines[0].startswith("fingerprint,check_id,family")
    assert len(lines) > 10


def test_demo_accessibility_faults_from_the_answer_key_are_found(demo: dict) -> None:
    result = govscan("export", "--format", "json", "--db", demo["db"])
    assert result.returncode == 0, result.stderr
    exported = json.loads(result.stdout)
    findings = exported["findings"]

    def where(check_id: str, outcome: str | None = None) -> set[str]:
        return {
            finding["page_url"] or finding["subject"]
            for finding in findings
            if finding["check_id"] == check_id and (outcome is None or finding["result"] == outcome)
        }

    assert where("accessibility.axe.image-alt", "fail") == {
        f"{PORTAL}/kreisverwaltung/organisation/",  # A07
        f"{PORTAL}/abfall/",  # A08
    }
    assert where("accessibility.axe.html-has-lang", "fail") == {
        f"{PORTAL}/bauen/",
        f"{PORTAL}/jugend/",
        f"{PORTAL}/stellenangebote/sachbearbeitung-kfz-zulassung.html",
        f"{PORTAL}/archiv/pressemitteilung-2019-04.html",
    }  # A02-A05
    assert where("accessibility.axe.select-name", "fail") == {f"{PORTAL}/buergerservice/termin/"}  # A10
    assert where("accessibility.axe.frame-title", "fail") == {f"{PORTAL}/kreistag/"}  # A18
    assert where("accessibility.axe.skip-link") == {f"{PORTAL}/veranstaltungen/"}  # A27
    assert len(where("accessibility.axe.color-contrast", "fail")) >= 30  # A01, the footer template
    generic = [f for f in findings if f["check_id"] == "accessibility.link-text-generic"]
    assert (
        sorted(f["evidence"]["name"] for f in generic if f["page_url"] == f"{PORTAL}/") == ["weiterlesen"] * 3
    )
    assert where("accessibility.document-link-type") == {f"{PORTAL}/kreistag/"}  # A24, not the press release
    assert where("accessibility.video-captions") == {f"{PORTAL}/kreisverwaltung/"}  # A19, not the DGS page
    pdf = f"{PORTAL}/dokumente/haushaltsplan-2026.pdf"  # A25
    for check_id in ("accessibility.pdf.untagged", "accessibility.pdf.language", "accessibility.pdf.title"):
        assert where(check_id, "fail") == {pdf}
    # the German legal layer
    assert where("accessibility.statement-linked", "fail") == {f"{PORTAL}/suche/"}  # A26
    assert where("accessibility.statement-outdated") == {f"{PORTAL}/barrierefreiheit/"}  # A28
    assert where("accessibility.easy-language", "fail") == {f"{PORTAL}/leichte-sprache/start.html"}  # A29
    assert where("accessibility.sign-language") == set()  # linked, reachable, with video (control)
    assert where("accessibility.statement-content") == set()  # both statements are complete
    assert where("accessibility.axe-not-tested") == set()  # every frame answered
    # the good host: no accessibility defect
    tourism = [f for f in findings if "beispielhausen-entdecken.de" in (f["page_url"] or f["subject"] or "")]
    assert [f["check_id"] for f in tourism if f["family"] == "accessibility" and f["result"] == "fail"] == []
    axe = exported["scan"]["engine_versions"]["axe-core"]
    assert axe["version"] == "4.12.1" and axe["wcag_version"] == "2.1"


def test_demo_keyboard_walk_reaches_page_ends_and_reports_no_trap(demo: dict) -> None:
    """The portal plants no keyboard trap (FAULTS.md), and its target is WCAG 2.1: no 2.2 criteria."""
    result = govscan("export", "--format", "json", "--db", demo["db"])
    assert result.returncode == 0, result.stderr
    checks = {finding["check_id"] for finding in json.loads(result.stdout)["findings"]}
    outside = {"accessibility.keyboard-trap", "accessibility.focus-obscured", "accessibility.axe.target-size"}
    assert checks & outside == set()
    with session(open_database(demo["db"])) as db:
        walks = [
            page.extras["keyboard-reflow"]
            for page in db.exec(select(Page))
            if "keyboard-reflow" in page.extras
        ]
    assert len(walks) == 5  # interaction_pages in the demo target
    assert {walk["keyboard"]["ending"] for walk in walks} <= {"left-document", "limit"}
    assert all(walk["wcag_version"] == "2.1" for walk in walks)


def test_demo_privacy_faults_and_consent_scenarios(demo: dict) -> None:
    findings = json.loads(govscan("export", "--format", "json", "--db", demo["db"]).stdout)["findings"]

    def subjects(check_id: str) -> set[str]:
        return {finding["subject"] for finding in findings if finding["check_id"] == check_id}

    assert {"google-tag-manager", "google-analytics"} <= subjects(
        "privacy.tracker-before-consent"
    )  # P01, P03
    assert "_ga@landkreis-beispielhausen.de" in subjects("privacy.identifier-cookie-before-consent")  # P02
    ga = next(
        finding
        for finding in findings
        if finding["check_id"] == "privacy.identifier-cookie-before-consent"
        and finding["subject"].startswith("_ga@")
    )
    assert ga["evidence"]["set_by_third_party_script"] is True
    assert ga["evidence"]["setter_vendor"]["id"] == "google-tag-manager"
    assert subjects("privacy.remote-font") == {"google-fonts"}  # P04
    assert subjects("privacy.embed-without-consent") == {"youtube"}  # P05
    assert subjects("privacy.public-cdn") == {"jsdelivr"}  # P07
    assert subjects("privacy.analytics-tag") == {"google-analytics-4"}
    assert [f["page_url"] for f in findings if f["check_id"] == "privacy.form-over-http"] == [
        f"{PORTAL}/kontakt/"
    ]
    # P08: after "Nur notwendige Cookies" the tag manager still loads, Google Analytics does not
    assert subjects("privacy.tracking-after-reject") == {"google-tag-manager"}
    assert subjects("privacy.consent-gates-nothing") == set()
    assert {"google-analytics", "google-fonts", "youtube"} <= subjects("privacy.third-country-recipient")
    assert "jsdelivr" not in subjects("privacy.third-country-recipient")  # an EU company


def test_demo_report_has_the_dpo_section(demo: dict) -> None:
    document = BeautifulSoup(Path(demo["outcome"]["report"]).read_text(encoding="utf-8"), "lxml")
    section = document.find(id="dpo")
    assert section.find("h2").get_text() == "Datenschutz: Empfänger und Einwilligung"
    # It opens with the causes of the privacy findings, before the evidence tables.
    assert section.find("h3").get_text() == "Worum es geht: die Ursachen der Datenschutz-Befunde"
    rows = section.find(id="dpo-issue").find("tbody").find_all("tr")
    causes = [row.th.get_text() for row in rows]
    assert causes[0] == "Google Tag Manager"  # the tag that ignores "reject", on every page
    assert {"Google Analytics", "YouTube"} <= set(causes)
    assert all("Datenschutz" in row.td.get_text() for row in rows)  # the privacy family's causes only
    consent = section.find(id="dpo-consent")
    assert "german-text" in consent.get_text() and "beantwortet" in consent.get_text()
    assert section.find("img")["src"].startswith("data:image/jpeg;base64,")
    comparison = {
        row.th.get_text(): [cell.get_text() for cell in row.find_all("td")]
        for row in section.find(id="dpo-comparison").find("tbody").find_all("tr")
    }
    assert comparison["Google Analytics"] == ["ja", "nein", "ja"]  # respected
    assert comparison["Google Tag Manager"] == ["ja", "ja", "ja"]  # ignored
    vendors = {row.th.get_text(): row for row in section.find(id="dpo-vendors").find("tbody").find_all("tr")}
    google = [cell.get_text() for cell in vendors["Google LLC"].find_all("td")]  # one company, one row
    assert google[0].split("; ") == [
        "Google Analytics (Tracker/Pixel)",
        "Google Fonts (Funktional)",
        "Google Tag Manager (Tracker/Pixel)",
        "YouTube (Einbettung)",
    ]
    assert google[1] == "US (Drittland)"
    assert "Cookie _ga (.landkreis-beispielhausen.de)" in google[6]


def test_a_second_scan_of_the_unchanged_demo_changes_nothing(demo: dict, tmp_path: Path) -> None:
    """Issue 16, item 10: identical scans found the pre-consent _ga cookies on different pages."""
    copy = tmp_path / "govscan.db"
    shutil.copyfile(demo["directory"] / "govscan.db", copy)  # the module's database stays as it was
    database = f"sqlite:///{copy}"
    result = govscan("demo", "--db", database, "--out", str(tmp_path / "berichte"), "-q")
    assert result.returncode == 0, result.stderr
    engine = open_database(database)
    with session(engine) as db:
        first, second = (scan.id for scan in db.exec(select(Scan).order_by(Scan.id)).all())
    history = diff_history(engine, first, second)
    changed = sorted(
        f"{item.change.value} {item.finding.check_id} {item.finding.page_url} {item.finding.subject}"
        for item in (*history.findings, *history.gone)
        if item.change is not Change.PERSISTING
    )
    assert changed == []
    [(_, total)] = [row for row in count_rows(history) if row[0] == "total"]
    assert total["new"] == total["fixed"] == total["not-rechecked"] == 0 and total["persisting"] > 500
