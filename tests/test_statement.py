"""The German legal layer: statement heuristics (German and English, missing parts, dates) and the
site checks for statement, Leichte Sprache, DGS and feedback on hand-made stored pages."""

from __future__ import annotations

from datetime import date

import pytest

from checks.accessibility.statement import statement_outdated
from checks.accessibility.statement_text import StatementLink, analyse_statement, statement_date
from scanner.config.accessibility import AccessibilitySettings
from scanner.crawl.scope import FirstPartySet
from scanner.evidence import FailureClass, Link, PageCapture, PageStatus, Scenario
from scanner.findings.registry import CheckContext, load_all_checks
from scanner.findings.runner import run_site_checks

GERMAN = """
Erklärung zur Barrierefreiheit. Der Landkreis ist bemüht, seine Website barrierefrei zugänglich zu machen.
Stand der Vereinbarkeit mit den Anforderungen: Maßstab ist die EN 301 549 V3.2.1 und damit die WCAG 2.1
auf Stufe AA. Diese Website ist wegen der folgenden Unvereinbarkeiten teilweise mit den Anforderungen
vereinbar. Nicht barrierefreie Inhalte: Ältere PDF-Dokumente sind nicht barrierefrei. Begründung:
unverhältnismäßige Belastung. Diese Erklärung wurde am 15. März 2024 erstellt. Die Aussagen beruhen auf
einer Selbstbewertung. Barrieren melden: Kontakt zur Internetredaktion per E-Mail.
Schlichtungsverfahren: Sie können sich an die Schlichtungsstelle wenden.
"""
GERMAN_LINKS = [
    StatementLink("mailto:barrierefreiheit@kreis.example", "barrierefreiheit@kreis.example"),
    StatementLink("https://www.schlichtungsstelle-bgg.de/", "www.schlichtungsstelle-bgg.de"),
]
ENGLISH = """
Accessibility statement. This website is partially compliant with the Web Content Accessibility
Guidelines WCAG 2.1 level AA and EN 301 549. Non-accessible content: some PDF documents; reason:
disproportionate burden. This statement was prepared on March 3, 2026, based on a self-assessment.
Feedback: contact us by e-mail. Enforcement procedure: you may turn to the conciliation body.
"""
ENGLISH_LINKS = [
    StatementLink("mailto:web@city.example", "web@city.example"),
    StatementLink("https://www.schlichtungsstelle-bgg.de/", "Conciliation body"),
]


def test_a_complete_german_statement_has_every_part() -> None:
    analysis = analyse_statement(" ".join(GERMAN.split()), GERMAN_LINKS)
    assert analysis.missing == []
    assert analysis.status == "partial" and analysis.statement_date == date(2024, 3, 15)
    assert analysis.method == "Selbstbewertung"


def test_a_complete_english_statement_has_every_part() -> None:
    analysis = analyse_statement(" ".join(ENGLISH.split()), ENGLISH_LINKS)
    assert analysis.missing == []
    assert analysis.status == "partial" and analysis.statement_date == date(2026, 3, 3)


def test_missing_parts_are_named() -> None:
    text = "Erklärung zur Barrierefreiheit. Diese Website ist vollständig mit den Anforderungen vereinbar."
    analysis = analyse_statement(text, [])
    # fully compliant: nothing to list as non-accessible content
    assert analysis.missing == ["standard", "date_and_method", "feedback", "enforcement"]
    without_link = analyse_statement(" ".join(GERMAN.split()), GERMAN_LINKS[:1])
    assert without_link.missing == ["enforcement"]  # the Schlichtung paragraph needs its link


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Zuletzt überprüft am 01.02.2025.", date(2025, 2, 1)),
        ("Stand: 2025-11-30", date(2025, 11, 30)),
        ("Last reviewed on 7 October 2025.", date(2025, 10, 7)),
        ("Erstellt am 3. Jänner 2023, überprüft am 4. Mai 2024", date(2024, 5, 4)),
        ("Kein Datum hier.", None),
    ],
)
def test_the_statement_date_is_the_newest_date_named_after_a_date_word(text: str, expected) -> None:
    assert statement_date(text) == expected


# --- site checks ------------------------------------------------------------------------------------

SITE = "https://www.amt-erklaerung.de"
STATEMENT_HTML = (
    f"<html><body><header>Stand 20.11.2026</header><main>{GERMAN}<a href='mailto:x@y.de'>x</a>"
    + ("<a href='https://www.schlichtungsstelle-bgg.de/'>Schlichtungsstelle</a></main></body></html>")
)
STATEMENT = Link(f"{SITE}/barrierefreiheit/", "Erklärung zur Barrierefreiheit")
EASY = Link(f"{SITE}/leichte-sprache/", "Leichte Sprache")
SIGN = Link(f"{SITE}/gebaerdensprache/", "Gebärdensprache")


def stored(path: str, *links: Link, html: str = "", status: int = 200) -> PageCapture:
    failed = status >= 400
    return PageCapture(
        url=SITE + path,
        scenario=Scenario.FIRST_VISIT,
        final_url=SITE + path,
        status=status,
        page_status=PageStatus.FAILED if failed else PageStatus.OK,
        failure_class=FailureClass.HTTP_ERROR if failed else None,
        failure_detail=f"HTTP {status}" if failed else None,
        links=links,
        dom_html=html,
    )


class FakeSite:
    def __init__(self, pages: list[PageCapture]) -> None:
        self._pages = pages

    def pages(self, scenario: Scenario = Scenario.FIRST_VISIT, *, with_dom: bool = False):
        return iter(self._pages)


def site_findings(pages: list[PageCapture], level: str = "bund", **obligations) -> dict[str, list]:
    context = CheckContext(
        "Erklärung",
        FirstPartySet(["amt-erklaerung.de"]),
        level,
        start_urls=(SITE + "/",),
        accessibility=AccessibilitySettings(obligations=obligations),
    )
    found: dict[str, list] = {}
    for located in run_site_checks(FakeSite(pages), context, load_all_checks()).findings:
        found.setdefault(located.check.id, []).append(located.finding)
    return found


def test_site_checks_find_missing_statement_link_broken_offer_and_video_less_dgs_page() -> None:
    pages = [
        stored("/", STATEMENT, EASY, SIGN),
        stored("/suche/", Link(f"{SITE}/", "Start")),  # no statement link, no feedback link
        stored("/barrierefreiheit/", STATEMENT, html=STATEMENT_HTML),
        stored("/leichte-sprache/", STATEMENT, status=404),
        stored("/gebaerdensprache/", STATEMENT, html="<main><p>Willkommen</p></main>"),
    ]
    found = site_findings(pages)
    [unlinked] = found["accessibility.statement-linked"]
    assert (unlinked.result, unlinked.subject) == ("fail", f"{SITE}/suche/")
    [broken] = found["accessibility.easy-language"]
    assert broken.result == "fail" and "HTTP 404" in broken.evidence["failure"]
    [no_video] = found["accessibility.sign-language"]
    assert no_video.result == "review" and no_video.subject == f"{SITE}/gebaerdensprache/#video"
    [feedback] = found["accessibility.feedback-mechanism"]
    assert feedback.subject == f"{SITE}/suche/"
    assert "accessibility.statement-content" not in found  # the statement has every part
    assert "accessibility.statement-reachable" not in found


def test_advisory_obligations_only_review_and_off_ones_are_not_checked() -> None:
    pages = [stored("/", STATEMENT), stored("/barrierefreiheit/", STATEMENT, html=STATEMENT_HTML)]
    kreis = site_findings(pages, "kreis")
    assert [(f.result, f.severity.value) for f in kreis["accessibility.easy-language"]] == [
        ("review", "minor")
    ]
    switched_off = site_findings(pages, "kreis", **{"easy-language": "off", "sign-language": "off"})
    assert (
        "accessibility.easy-language" not in switched_off
        and "accessibility.sign-language" not in switched_off
    )


def test_a_statement_that_was_not_crawled_is_a_review_with_its_reason() -> None:
    found = site_findings([stored("/", STATEMENT, EASY, SIGN)])
    [not_crawled] = found["accessibility.statement-reachable"]
    assert not_crawled.result == "review" and not_crawled.evidence["reason"] == "not crawled"


def test_an_old_statement_is_flagged_with_its_age() -> None:
    site = FakeSite([stored("/", STATEMENT), stored("/barrierefreiheit/", STATEMENT, html=STATEMENT_HTML)])
    context = CheckContext("Alt", FirstPartySet(["amt-erklaerung.de"]), "bund", start_urls=(SITE + "/",))
    [old] = statement_outdated(site, context, today=date(2025, 9, 1))
    assert old.evidence == {"url": f"{SITE}/barrierefreiheit/", "date": "2024-03-15", "age_days": 535}
    assert list(statement_outdated(site, context, today=date(2024, 9, 1))) == []  # the header date is ignored
