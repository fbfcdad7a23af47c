"""The report section "Barrierefreiheit": status per Prüfschritt with its coverage, never "erfüllt"."""

from __future__ import annotations

from pathlib import Path

from bs4 import BeautifulSoup

from reports.html import render_scan_report
from scanner.capture.axe.runner import AxeOptions, run_axe
from scanner.capture.axe.source import load_axe_source, run_tags
from scanner.store.db import session
from scanner.store.models import CheckTally, Finding, Page

from populate import SITE, populate_scan


def _axe_extras(rules: dict[str, dict[str, int]]) -> dict:
    return {
        "axe": {"wcag_version": "2.1", "frames": [{"path": [], "url": SITE, "tested": True}], "rules": rules}
    }


def _image_alt(scan_id: int, page_id: int, url: str, number: int) -> Finding:
    return Finding(
        scan_id=scan_id,
        page_id=page_id,
        check_id="accessibility.axe.image-alt",
        family="accessibility",
        scope="page",
        result="fail",
        severity="critical",
        fingerprint=f"axe-image-alt-{number}",
        page_url=url,
        selector="header > img.logo:nth-child(2)",
        message_de="Abbildungen müssen einen Alternativtext besitzen.",
        message_en="Images must have alternative text",
    )


def populate_with_axe(engine) -> int:
    """The populated scan plus two pages with axe counts and one template fault on both."""
    populated = populate_scan(engine)
    counts = {
        "image-alt": {"violations": 1, "incomplete": 0, "passes": 0, "inapplicable": 0},
        "color-contrast": {"violations": 0, "incomplete": 0, "passes": 12, "inapplicable": 0},
        "meta-refresh": {"violations": 0, "incomplete": 0, "passes": 0, "inapplicable": 1},
    }
    with session(engine) as db:
        pages = []
        for path in ("/a11y-1.html", "/a11y-2.html"):
            page = Page(
                scan_id=populated.scan_id,
                url=SITE + path,
                url_key=path,
                scenario="first-visit",
                kind="html",
                status="ok",
                final_url=SITE + path,
                extras=_axe_extras(counts),
            )
            db.add(page)
            pages.append(page)
        db.flush()
        db.add_all(_image_alt(populated.scan_id, page.id, page.url, n) for n, page in enumerate(pages))
        db.add(CheckTally(scan_id=populated.scan_id, check_id="accessibility.axe.image-alt", evaluated=2))
        db.commit()
    return populated.scan_id


def test_each_step_has_a_status_with_its_coverage(engine, tmp_path: Path) -> None:
    path = render_scan_report(engine, populate_with_axe(engine), tmp_path)
    soup = BeautifulSoup(path.read_text(encoding="utf-8"), "lxml")
    section = soup.find(id="accessibility-steps")
    rows = {row["id"]: row for row in section.select("#steps tbody tr")}
    assert len(rows) == 60  # WCAG 2.1 AA: 50 criteria, 1.1.1 and 1.3.1 split

    def status(step: str) -> str:
        return rows["step-" + step.replace(".", "-")].select_one("td .check-status").get_text(strip=True)

    assert status("9.1.1.1b") == "nicht erfüllt"
    assert status("9.1.4.3") == "keine automatisch feststellbaren Mängel"
    assert status("9.2.2.1") == "nicht anwendbar"
    assert status("9.1.2.1") == "zu prüfen (keine automatische Prüfung)"
    image_row = rows["step-9-1-1-1b"].get_text(" ", strip=True)
    assert "axe: 1 Regel(n), anwendbar auf 2 von 2 Seiten" in image_row
    assert "header > img.logo – 2 Seiten" in image_row  # one template fault on both pages
    contrast = rows["step-9-1-4-3"].get_text(" ", strip=True)
    assert "anwendbar auf 2 von 2 Seiten" in contrast
    assert section.find_parent("main") is not None and soup.select_one('nav a[href="#accessibility-steps"]')


async def test_the_report_itself_passes_axe_for_wcag_22_aa(engine, tmp_path: Path, browser) -> None:
    report = render_scan_report(engine, populate_with_axe(engine), tmp_path)
    context = await browser.new_context()
    try:
        page = await context.new_page()
        await page.goto(report.as_uri())
        options = AxeOptions(run_tags("2.2"), enable_rules=("target-size",))
        run = await run_axe(page, load_axe_source(), options)
    finally:
        await context.close()
    violations = [
        (rule["id"], [node["target"] for node in rule["nodes"]][:3]) for rule in run.results["violations"]
    ]
    assert violations == []
    assert len(run.results["passes"]) > 20
