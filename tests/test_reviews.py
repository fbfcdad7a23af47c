"""Reviews that mean something: a clean page whose header text lies over a background image gets
axe "incomplete" colour-contrast results; each review names the reason and what to look at, and the
same doubt in the same template region on every page is one issue. Real Chromium, local HTTPS server."""

from __future__ import annotations

from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from sqlmodel import select

from reports.html import render_scan_report
from reports.root_causes import root_causes
from reports.webteam import render_webteam_report
from scanner.store.db import session
from scanner.store.models import Finding, Scan
from scanner.store.scans import review_counts

from conftest import make_target
from localweb import LocalWeb

# A real image behind the header text, so axe cannot compute its contrast.
HEADER_IMAGE = (
    '<svg xmlns="http://www.w3.org/2000/svg" width="40" height="40">'
    '<rect width="40" height="40" fill="#345"/><circle cx="20" cy="20" r="12" fill="#789"/></svg>'
)
TEMPLATE = """<!doctype html>
<html lang="de"><head><meta charset="utf-8"><title>{title}</title>
<style>
  .kopf {{ background: #234 url(/bild/kopf.svg) repeat; color: #fff; padding: 1em; }}
  nav a {{ color: #024; }}
</style></head>
<body>
<header class="kopf"><p class="claim">Landkreis Musterhausen</p><p class="motto">Gemeinsam für die Region</p>
<span class="datum">{title}</span></header>
<nav aria-label="Hauptmenü"><a href="/">Start</a> <a href="/bauen/">Bauen</a>
<a href="/kontakt/">Kontakt</a></nav>
<main><h1>{title}</h1><p>Sachlicher Text auf weißem Grund, gut lesbar.</p></main>
<footer><p>Kontakt: Musterstraße 1</p></footer>
</body></html>"""


@pytest.fixture(scope="module")
def template_site(local_web: LocalWeb) -> str:
    return local_web.site(
        "www.landkreis-musterhausen-pruefen.de",
        {
            "/": TEMPLATE.format(title="Startseite"),
            "/bauen/": TEMPLATE.format(title="Bauen und Wohnen"),
            "/kontakt/": TEMPLATE.format(title="Kontakt"),
            "/bild/kopf.svg": HEADER_IMAGE,
        },
    )


async def test_reviews_say_why_and_the_template_doubt_is_one_issue(
    template_site: str, run_scan, engine, tmp_path: Path
) -> None:
    outcome = await run_scan(make_target("Musterhausen", [template_site + "/"]))
    assert outcome.status == "completed"
    with session(engine) as db:
        findings = list(db.exec(select(Finding).where(Finding.scan_id == outcome.scan_id)))
        scan = db.get(Scan, outcome.scan_id)
        counts = review_counts(db, outcome.scan_id)

    axe_fails = [f for f in findings if f.result == "fail" and f.check_id.startswith("accessibility.axe.")]
    assert not axe_fails, "the pages are clean for axe"
    contrast = [f for f in findings if f.check_id == "accessibility.axe.color-contrast"]
    assert {f.page_url for f in contrast} == {template_site + page for page in ("/", "/bauen/", "/kontakt/")}
    assert len(contrast) >= 6  # several texts in the header of each page
    for finding in contrast:
        note = finding.evidence["review_note"]
        assert note["reason"] == "axe:color-contrast:bgImage"
        # says what to look at and why axe could not decide, in both languages
        assert "Hintergrundbild" in finding.message_de and "Warum nicht automatisch" in finding.message_de
        assert "background image" in finding.message_en and "Look at:" in finding.message_en
        # not axe's fail text, which it attaches to incomplete nodes after finishRun
        assert "Kontrast von 0" not in finding.message_de

    # every review, of any check, carries its note
    for finding in findings:
        if finding.result == "review":
            note = finding.evidence.get("review_note")
            assert note and all(note[part]["de"] and note[part]["en"] for part in ("look_at", "why")), finding

    # the same doubt in the header of every page is one issue with its pages counted
    issues = [issue for issue in root_causes(findings) if issue.result == "review"]
    [header] = [issue for issue in issues if "accessibility.axe.color-contrast" in issue.checks]
    assert header.cause.kind == "review" and len(header.pages) == 3
    assert len(header.findings) == len(contrast)
    page_issues = [issue for issue in issues if issue.pages]  # the rest: site checks (statement, ...)
    assert page_issues == [header], [issue.cause.label for issue in page_issues]

    # the reports name the issue by what to judge and why it is open
    for language, words in (("de", "CSS-Hintergrundbild"), ("en", "CSS background image")):
        html = render_scan_report(engine, outcome.scan_id, tmp_path, language).read_text(encoding="utf-8")
        row = BeautifulSoup(html, "lxml").find(id=f"issue-{header.key}")
        assert row is not None and words in row.get_text(" "), language
        html = render_webteam_report(engine, outcome.scan_id, tmp_path, language).read_text(encoding="utf-8")
        assert words in BeautifulSoup(html, "lxml").get_text(" "), language

    # the review count per page is there for a benchmark to watch
    assert set(counts) == {template_site + page for page in ("/", "/bauen/", "/kontakt/")}
    load = scan.summary["reviews_per_page"]
    assert load["pages"] == 3 and load["reviews"] == sum(counts.values())
    assert load["max"] == max(counts.values())
