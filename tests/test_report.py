"""The single-scan HTML report: content, wording, accessibility structure and safety against hostile pages."""

from __future__ import annotations

import itertools
import re
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from reports.html import render_scan_report, slug
from scanner.store.scans import ScanLookupError

from populate import (
    INJECTION_MESSAGE_DE,
    INJECTION_MESSAGE_EN,
    INJECTION_SELECTOR,
    INJECTION_SNIPPET,
    INJECTION_TITLE,
    INJECTION_URL,
    fresh_database,
    populate_failed_scan,
    populate_scan,
)

# Results are never phrased as compliance (ARCHITECTURE.md). The footer's disclaimer, which denies
# any statement about conformity, is the one place such a word may appear.
COMPLIANCE_WORDS = re.compile(
    r"\b(konform\w*|erfüllt\w*|bestanden|compliant|compliance|passed|pass|conform\w*)\b", re.IGNORECASE
)
DISCLAIMERS = {
    "de": "Automatisierte Prüfung: deckt nur einen Teil der Anforderungen ab; "
    "keine Aussage über Konformität.",
    "en": "Automated testing: covers only part of the requirements; no statement about conformance.",
}


@pytest.fixture
def engine(tmp_path):
    engine = fresh_database(tmp_path / "govscan.db")
    yield engine
    engine.dispose()


def render(engine, scan_id: int, out_dir: Path, language: str = "de") -> tuple[Path, str, BeautifulSoup]:
    path = render_scan_report(engine, scan_id, out_dir, language)
    html = path.read_text(encoding="utf-8")
    return path, html, BeautifulSoup(html, "lxml")


def text_of(element) -> str:
    return " ".join(element.get_text(" ").split())


def coverage_counts(soup: BeautifulSoup) -> dict[str, int]:
    rows = soup.select("#coverage-pages tbody tr")
    return {text_of(row.th): int(text_of(row.td)) for row in rows}


def test_german_report_is_one_file_named_after_scan_and_target(engine, tmp_path):
    populated = populate_scan(engine)

    path, html, soup = render(engine, populated.scan_id, tmp_path / "out")

    assert path == tmp_path / "out" / f"govscan-scan-{populated.scan_id}-gemeinde-beispielhausen.html"
    assert list(path.parent.iterdir()) == [path]
    assert soup.html["lang"] == "de"
    assert [text_of(h1) for h1 in soup.find_all("h1")] == ["Prüfbericht: Gemeinde Beispielhausen"]
    assert [text_of(h2) for h2 in soup.find_all("h2")] == [
        "Inhaltsverzeichnis",
        "Was zuerst zu beheben ist",  # the causes of the findings open the report
        "Abdeckung",
        "Überblick",
        "Barrierefreiheit nach Prüfschritten",
        "Befunde: Barrierefreiheit",
        "Befunde: Datenschutz",
        "Befunde: Sicherheit",
        "Datenschutz: Empfänger und Einwilligung",
        "Anhang: Prüfungen ohne Befunde",  # the checks that found nothing, and the scan's metadata, last
        "Anhang: Angaben zum Scan",
    ]
    assert "Seitenlimit erreicht (max_pages)" in html
    assert "12 min 34 s" in html
    assert "2025-03-03 08:00:00 UTC" in html


def test_english_report_uses_english_labels_and_messages(engine, tmp_path):
    populated = populate_scan(engine)

    path, _, soup = render(engine, populated.scan_id, tmp_path, "en")

    assert path.name == f"govscan-scan-{populated.scan_id}-gemeinde-beispielhausen-en.html"
    assert soup.html["lang"] == "en"
    assert [text_of(h2) for h2 in soup.find_all("h2")][1:4] == ["What to fix first", "Coverage", "Overview"]
    assert [text_of(h2) for h2 in soup.find_all("h2")][-2:] == [
        "Appendix: checks without findings",
        "Appendix: about this scan",
    ]
    assert "Findings: Data protection" in text_of(soup)
    text = soup.get_text()
    assert "<html> has no lang attribute." in text
    assert "<html> hat kein lang-Attribut." not in text
    assert INJECTION_MESSAGE_EN in text
    assert "Main language of the page missing or invalid" in text


def test_coverage_counts_pages_by_outcome_and_reason(engine, tmp_path):
    populated = populate_scan(engine)

    _, _, soup = render(engine, populated.scan_id, tmp_path)

    assert coverage_counts(soup) == {
        "Getestete Seiten (HTML)": 3,
        "Fehlgeschlagen: Zeitüberschreitung (timeout)": 1,
        "Nicht getestet: durch robots.txt gesperrt (blocked_by_robots)": 1,
        "Nicht getestet: Weiterleitung aus dem Prüfbereich (redirected_out_of_scope)": 1,
        "Erfasste Dokumente (PDF, Office)": 1,
        "Gefundene, nicht besuchte Adressen": 4,
    }
    documents = text_of(soup.select_one("#documents"))
    assert "antrag.pdf" in documents and "application/pdf" in documents and "470,8 KiB" in documents
    hosts = {text_of(row.th): text_of(row) for row in soup.select("#coverage-hosts tbody tr")}
    assert "nicht getestet: Zeitüberschreitung (timeout)" in hosts["service.beispielhausen.de"]
    assert "durchgeführt" in hosts["www.beispielhausen.de"]


def test_overview_states_coverage_and_crashes_per_check(engine, tmp_path):
    populated = populate_scan(engine)

    _, _, soup = render(engine, populated.scan_id, tmp_path)

    rows = {row.th.code.get_text(): row for row in soup.select("#overview tbody tr") if row.th.code}
    lang_row = [text_of(cell) for cell in rows["accessibility.document-lang"].find_all("td")]
    assert lang_row[:5] == [
        "schwerwiegend",
        "WCAG 3.1.1 EN 301 549 9.3.1.1 BITV-Prüfschritt 9.3.1.1 BITV 2.0 §3",
        "3",
        "3",
        "0",
    ]
    assert lang_row[5] == "3 Mängel auf 3 Seiten – auf 3 von 3 getesteten Seiten geprüft"
    privacy_status = text_of(rows["privacy.third-party-request"].find_all("td")[-1])
    assert "Prüfung fehlerhaft auf 1 Seite" in privacy_status
    assert "1 zu prüfen" in privacy_status
    security_status = text_of(rows["security.https-redirect"].find_all("td")[-1])
    assert security_status == "1 Mangel auf 1 Host – auf 1 von 2 Hosts geprüft"
    severities = {
        text_of(row.th): [text_of(td) for td in row.find_all("td")]
        for row in soup.select("#severity-privacy tbody tr")
    }
    assert severities["mittel"] == ["3", "0"]
    assert severities["gering"] == ["0", "1"]


def test_check_without_findings_says_no_automatically_detectable_defects_with_coverage(engine, tmp_path):
    populated = populate_scan(engine, with_findings=False)

    _, _, soup = render(engine, populated.scan_id, tmp_path)

    def statuses_in(section: str) -> dict[str, str]:
        rows = soup.select(f"#{section} tbody tr")
        return {row.th.code.get_text(): text_of(row.find_all("td")[-1]) for row in rows if row.th.code}

    # checks without findings are listed in the appendix, with their coverage; a crashed one up front
    assert "accessibility.document-lang" not in statuses_in("overview")
    assert "privacy.third-party-request" in statuses_in("overview")
    statuses = statuses_in("overview") | statuses_in("appendix-checks")
    assert statuses["accessibility.document-lang"] == (
        "keine automatisch feststellbaren Mängel – auf 3 von 3 getesteten Seiten geprüft"
    )
    assert (
        statuses["security.https-redirect"]
        == "keine automatisch feststellbaren Mängel – auf 1 von 2 Hosts geprüft"
    )
    # A check that crashed is never reported as clean.
    assert statuses["privacy.third-party-request"].startswith("Prüfung fehlerhaft auf 1 Seite")
    assert "keine automatisch feststellbaren" not in statuses["privacy.third-party-request"]


@pytest.mark.parametrize("language", ["de", "en"])
@pytest.mark.parametrize("with_findings", [True, False])
def test_report_never_claims_compliance(engine, tmp_path, language, with_findings):
    populated = populate_scan(engine, with_findings=with_findings)

    _, _, soup = render(engine, populated.scan_id, tmp_path, language)

    disclaimer = text_of(soup.footer.p)
    assert disclaimer == DISCLAIMERS[language]
    text = text_of(soup).replace(disclaimer, "")
    # Negations and axe's own ARIA wording ("roles must conform to valid values") claim nothing.
    text = re.sub(r"nicht erfüllt|must conform to", "", text)
    assert COMPLIANCE_WORDS.findall(text) == []


def test_findings_are_grouped_by_selector_or_subject_with_their_pages(engine, tmp_path):
    populated = populate_scan(engine)

    _, _, soup = render(engine, populated.scan_id, tmp_path)

    lang_section = soup.select_one("#check-accessibility-document-lang")
    groups = [text_of(h4) for h4 in lang_section.find_all("h4")]
    assert groups[0] == "Selektor: html (2 Seiten)"
    first_group_pages = [text_of(dd) for dd in lang_section.select("ul.occurrences")[0].select("dd.url")]
    assert first_group_pages == ["https://www.beispielhausen.de/", "https://www.beispielhausen.de/rathaus/"]
    assert lang_section.find("details").summary is not None  # the check's documentation, collapsible

    privacy_groups = [text_of(h4) for h4 in soup.select("#check-privacy-third-party-request h4")]
    assert privacy_groups[0] == "Betroffen: fonts.googleapis.com (2 Seiten)"
    review = soup.select_one("#check-privacy-third-party-request li.result-review")
    assert "zu prüfen" in text_of(review)
    requests_table = soup.select_one("#check-privacy-third-party-request table.evidence-table")
    assert [text_of(th) for th in requests_table.thead.find_all("th")] == ["URL", "Typ", "Auslöser", "Status"]
    assert requests_table.caption is not None

    host_group = soup.select_one("#check-security-https-redirect h4")
    assert text_of(host_group) == "Host: www.beispielhausen.de (1 Befund)"
    assert "Mangel" in text_of(soup.select_one("#check-security-https-redirect li.result-fail"))


@pytest.mark.parametrize("parser", ["lxml", "html.parser"])
def test_hostile_page_content_appears_only_as_escaped_text(engine, tmp_path, parser):
    populated = populate_scan(engine)

    _, html, _ = render(engine, populated.scan_id, tmp_path)
    soup = BeautifulSoup(html, parser)

    assert soup.find_all("script") == []
    assert soup.find_all(["img", "svg", "b", "iframe", "object", "embed"]) == []
    handlers = [
        (element.name, name)
        for element in soup.find_all(True)
        for name in element.attrs
        if name.lower().startswith("on")
    ]
    assert handlers == []
    text = soup.get_text()
    for hostile in (
        INJECTION_TITLE,
        INJECTION_URL,
        INJECTION_SELECTOR,
        INJECTION_SNIPPET,
        INJECTION_MESSAGE_DE,
    ):
        assert hostile in text
    assert "<script" not in html.lower()
    assert "onerror=alert(1)>" not in html  # the URL's markup is escaped, not passed through
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_urls_of_scanned_pages_are_not_links(engine, tmp_path):
    populated = populate_scan(engine)

    _, _, soup = render(engine, populated.scan_id, tmp_path)

    assert [anchor["href"] for anchor in soup.find_all("a") if not anchor["href"].startswith("#")] == []


def test_report_is_self_contained(engine, tmp_path):
    populated = populate_scan(engine)

    _, html, soup = render(engine, populated.scan_id, tmp_path)

    for element in soup.find_all(["link", "script", "img", "iframe", "source", "object"]):
        for attribute in ("src", "href", "data"):
            assert not re.match(r"\s*(https?:)?//", element.get(attribute, "")), element
    assert soup.find_all("link") == []
    style = "".join(style.get_text() for style in soup.find_all("style"))
    assert "@import" not in style and "url(" not in style
    assert not re.search(r"""(src|href)\s*=\s*["']?\s*(https?:)?//""", html)


def test_report_structure_supports_assistive_technology(engine, tmp_path):
    populated = populate_scan(engine)

    _, _, soup = render(engine, populated.scan_id, tmp_path)

    assert soup.find("meta", attrs={"name": "viewport"})["content"] == "width=device-width, initial-scale=1"
    for landmark in ("header", "nav", "main", "footer"):
        assert len(soup.find_all(landmark)) == 1, landmark
    skip = soup.find("a", class_="skip-link")
    assert soup.find(id=skip["href"][1:]).name == "main"
    ids = [element["id"] for element in soup.find_all(id=True)]
    assert len(ids) == len(set(ids))
    for anchor in soup.select('a[href^="#"]'):
        assert soup.find(id=anchor["href"][1:]) is not None, anchor
    levels = [int(heading.name[1]) for heading in soup.find_all(re.compile(r"^h[1-6]$"))]
    assert levels[0] == 1
    assert all(after <= before + 1 for before, after in itertools.pairwise(levels))
    tables = soup.find_all("table")
    assert tables
    for table in tables:
        assert table.caption is not None and text_of(table.caption)
        assert all(th.get("scope") in ("col", "row") for th in table.find_all("th"))
        wrapper = table.parent
        assert wrapper["tabindex"] == "0" and wrapper["role"] == "region"
        assert soup.find(id=wrapper["aria-labelledby"]) is table.caption
    for badge in soup.select(".badge"):
        assert text_of(badge)  # colour is an accent only, every badge has its text


def test_failed_scan_says_so_with_its_failure_class(engine, tmp_path):
    scan_id = populate_failed_scan(engine)

    _, _, soup = render(engine, scan_id, tmp_path)
    _, _, english = render(engine, scan_id, tmp_path, "en")

    header = text_of(soup.header)
    assert "Scan fehlgeschlagen" in header
    assert "DNS-Fehler (dns_error)" in header
    assert "www.amt-nirgendwo.de: Name or service not known" in header
    assert coverage_counts(soup)["Fehlgeschlagen: DNS-Fehler (dns_error)"] == 1
    assert coverage_counts(soup)["Getestete Seiten (HTML)"] == 0
    assert "keine automatisch feststellbaren Mängel" not in text_of(soup)
    assert "nicht geprüft" in text_of(soup.select_one("#overview"))
    assert "Scan failed" in text_of(english.header)


@pytest.mark.parametrize(("status", "note"), [("running", "läuft noch"), ("interrupted", "unterbrochen")])
def test_unfinished_scan_is_marked_as_partial(engine, tmp_path, status, note):
    populated = populate_scan(engine, status=status)

    _, _, soup = render(engine, populated.scan_id, tmp_path)

    header = text_of(soup.header)
    assert "Bericht unvollständig" in header
    assert note in header
    assert coverage_counts(soup)["Gefundene, nicht besuchte Adressen"] == 4


def test_unknown_language_and_unknown_scan_are_refused(engine, tmp_path):
    populated = populate_scan(engine)

    with pytest.raises(ValueError, match="language"):
        render_scan_report(engine, populated.scan_id, tmp_path, "fr")
    with pytest.raises(ScanLookupError):
        render_scan_report(engine, populated.scan_id + 100, tmp_path)


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Stadt Müllheim (Baden)", "stadt-muellheim-baden"),
        ("Landkreis Oberhavel", "landkreis-oberhavel"),
        ("Straße/../../etc", "strasse-etc"),
        ("***", "target"),
    ],
)
def test_slug(name, expected):
    assert slug(name) == expected


def test_templates_never_mark_values_as_safe():
    templates = Path(__file__).parent.parent / "reports" / "templates"
    sources = {path.name: path.read_text(encoding="utf-8") for path in templates.glob("*.j2")}

    assert sources
    for name, source in sources.items():
        assert not re.search(r"\|\s*safe\b", source), name
        assert "autoescape false" not in source, name


def test_the_report_opens_with_the_causes_of_its_findings(engine, tmp_path):
    populated = populate_scan(engine)

    _, _, soup = render(engine, populated.scan_id, tmp_path)

    first = soup.select_one("main > section")
    assert first["id"] == "issues"
    lines = [text_of(p) for p in first.find_all("p", recursive=False)]
    assert lines[0].startswith("8 Befunde gehen auf 5 Ursachen zurück")
    assert lines[1] == "Erster abgeschlossener Scan dieses Ziels: noch kein Vergleich."
    assert lines[2].startswith("Nicht getestet: 3 Seiten, 1 hostbezogene Prüfung ")
    rows = {text_of(row.th): [text_of(cell) for cell in row.select("td")] for row in first.select("tbody tr")}
    # the missing lang on three pages is one issue; the two requests to googleapis.com are one too
    lang = next(cells for cause, cells in rows.items() if cause.startswith("Hauptsprache der Seite"))
    assert lang[2:4] == ["3", "3"]
    assert rows["googleapis.com"][0] == "fremder Host · Datenschutz" and rows["googleapis.com"][2:4] == [
        "2",
        "2",
    ]
