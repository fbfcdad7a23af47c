"""PDF checks on PDFs the tests generate (pikepdf); one scan proves the bounded download end to end."""

from __future__ import annotations

from dataclasses import replace

from sqlmodel import select

from scanner.capture.pdf_analysis import analyse_pdf
from scanner.crawl.scope import FirstPartySet
from scanner.evidence import PageCapture, PageKind, Scenario
from scanner.evidence.pdf import PdfFacts, PdfNotAnalysed
from scanner.findings.registry import CheckContext, load_all_checks
from scanner.findings.runner import run_page_checks
from scanner.store.db import session
from scanner.store.models import Finding, Page

from conftest import make_target
from localweb import LocalWeb, page
from pdfs import tagged_pdf, untagged_pdf

REGISTRY = load_all_checks()
CONTEXT = CheckContext("PDF", FirstPartySet(["pdf-amt.de"]), "kreis")


def pdf_findings(facts: PdfFacts | PdfNotAnalysed) -> dict[str, list]:
    capture = PageCapture(
        url="https://www.pdf-amt.de/plan.pdf",
        scenario=Scenario.FIRST_VISIT,
        final_url="https://www.pdf-amt.de/plan.pdf",
        status=200,
        kind=PageKind.DOCUMENT,
        content_type="application/pdf",
        extras={"pdf": facts.to_json()},
    )
    found: dict[str, list] = {}
    for located in run_page_checks(capture, CONTEXT, REGISTRY).findings:
        found.setdefault(located.check.id, []).append(located.finding)
    return found


def test_an_untagged_pdf_fails_tags_language_and_title() -> None:
    found = pdf_findings(analyse_pdf(untagged_pdf()))
    assert set(found) == {
        "accessibility.pdf.untagged",
        "accessibility.pdf.language",
        "accessibility.pdf.title",
        "accessibility.pdf.ua-identifier",
    }
    assert [f.result for f in found["accessibility.pdf.untagged"]] == ["fail"]
    assert [f.result for f in found["accessibility.pdf.ua-identifier"]] == ["review"]


def test_a_tagged_pdf_with_faults_names_figures_links_and_scanned_pages() -> None:
    found = pdf_findings(analyse_pdf(tagged_pdf(faults=True)))
    [figures] = found["accessibility.pdf.figure-alt"]
    assert figures.evidence == {"figures": 2, "figures_without_alt": 1}  # the RoleMap'd figure counts
    [links] = found["accessibility.pdf.link-description"]
    assert links.evidence == {"links": 1, "links_without_contents": 1}
    scanned, blank = found["accessibility.pdf.no-text"]
    assert (scanned.result, scanned.evidence["pages"]) == ("fail", [2])
    assert (blank.result, blank.evidence["pages"]) == ("review", [3])
    assert "accessibility.pdf.untagged" not in found and "accessibility.pdf.language" not in found


def test_a_well_made_pdf_has_no_findings() -> None:
    assert pdf_findings(analyse_pdf(tagged_pdf(faults=False))) == {}


def test_a_title_that_is_not_displayed_fails() -> None:
    facts = replace(analyse_pdf(tagged_pdf(faults=False)), display_doc_title=False)
    [title] = pdf_findings(facts)["accessibility.pdf.title"]
    assert title.subject == "pdf:display-doc-title"


def test_an_unreadable_pdf_is_not_tested_never_passed() -> None:
    found = pdf_findings(analyse_pdf(b"%PDF-1.7 kaputt"))
    assert set(found) == {"accessibility.pdf.not-tested"}
    assert found["accessibility.pdf.not-tested"][0].evidence["kind"] == "unreadable"


async def test_crawled_pdfs_are_downloaded_within_the_limit_and_analysed(
    local_web: LocalWeb, run_scan, engine
) -> None:
    big = untagged_pdf() + b"%" + b"x" * 4000 + b"\n"  # still a PDF, but over the limit below
    origin = local_web.site(
        "www.pdf-download-amt.de",
        {
            "/": page("<a href='/plan.pdf'>Plan (PDF)</a> <a href='/gross.pdf'>Groß (PDF)</a>"),
            "/plan.pdf": untagged_pdf(),
            "/gross.pdf": big,
        },
    )
    target = make_target(
        "PDF-Download", [origin + "/"], accessibility={"pdf_max_bytes": 3000, "interaction_pages": 0}
    )
    outcome = await run_scan(target)
    with session(engine) as db:
        pages = {row.url: row for row in db.exec(select(Page).where(Page.scan_id == outcome.scan_id))}
        findings = db.exec(select(Finding).where(Finding.scan_id == outcome.scan_id)).all()
    assert pages[origin + "/plan.pdf"].extras["pdf"]["marked"] is False
    assert pages[origin + "/gross.pdf"].extras["pdf"]["kind"] == "too_large"
    by_check = {(f.check_id, f.page_url) for f in findings}
    assert ("accessibility.pdf.untagged", origin + "/plan.pdf") in by_check
    assert ("accessibility.pdf.not-tested", origin + "/gross.pdf") in by_check
    assert ("accessibility.pdf.untagged", origin + "/gross.pdf") not in by_check
