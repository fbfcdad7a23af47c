"""An incomplete scan is never a clean one: real scans of a local site, full, cut short, full again.

    scan 1: every page: /, /a/, /b/, /barrierefreiheit/   /b/ has an image without alt and no link
            to the accessibility statement (a page finding and a site-check finding on /b/)
    scan 2: max_pages = 1: only / is visited, three URLs stay queued    -> incomplete
    scan 3: every page again, nothing changed on the site

Scan 2 must say it is incomplete everywhere (status, banner, notes, export, trend mark), must not
call the defects on /b/ fixed, and must not become the baseline of scan 3.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import jsonschema
import pytest_asyncio
from bs4 import BeautifulSoup

from reports.diff_report import diff_history, render_diff_report
from reports.export import export_document
from reports.history import PREVIOUS, Change, scan_history
from reports.html import render_scan_report
from reports.trend_report import render_trend_report
from reports.trends import trend_for_target
from reports.webteam import render_webteam_report
from scanner.run.scan import scan_target
from scanner.store.db import open_database, session
from scanner.store.scans import get_scan, scan_status

from conftest import make_target
from localweb import page

HOST = "www.unvollstaendig-amt.de"
TARGET = "Amt Unvollständig"
STATEMENT_LINK = '<footer><a href="/barrierefreiheit/">Erklärung zur Barrierefreiheit</a></footer>'
NAVIGATION = '<a href="/a/">A</a> <a href="/b/">B</a>'
SCHEMA = json.loads((Path(__file__).parent.parent / "docs" / "export-schema.json").read_text())


def site() -> dict[str, str]:
    return {
        "/": page(NAVIGATION + STATEMENT_LINK, title="Start"),
        "/a/": page("<p>A</p>" + STATEMENT_LINK, title="A"),
        "/b/": page('<p>B</p><img src="/bild.png">', title="B"),  # no alt, no statement link
        "/barrierefreiheit/": page("<h1>Erklärung zur Barrierefreiheit</h1>" + STATEMENT_LINK, title="E"),
        "/bild.png": "png",
    }


@dataclass(frozen=True)
class Scans:
    engine: object
    ids: list[int]
    statuses: list[str]
    out: Path


@pytest_asyncio.fixture(scope="module")
async def scans(tmp_path_factory, local_web, browser, network) -> Scans:
    folder = tmp_path_factory.mktemp("incomplete")
    engine = open_database(f"sqlite:///{folder / 'govscan.db'}")
    origin = local_web.site(HOST, site())
    ids, statuses = [], []
    for max_pages in (100, 1, 100):
        target = make_target(TARGET, [origin + "/"], max_pages=max_pages, crawl={"use_sitemaps": False})
        outcome = await scan_target(target, engine=engine, network=network, browser=browser)
        ids.append(outcome.scan_id)
        statuses.append(outcome.status)
    yield Scans(engine, ids, statuses, folder / "reports")
    engine.dispose()


def gone_on_b(history, change: Change) -> set[str]:
    return {
        item.finding.check_id
        for item in history.gone
        if item.change is change and (item.finding.page_url or item.finding.subject or "").endswith("/b/")
    }


def test_a_scan_stopped_by_its_page_limit_with_urls_left_is_incomplete(scans):
    assert scans.statuses == ["completed", "incomplete", "completed"]
    with session(scans.engine) as db:
        short = get_scan(db, scans.ids[1])
        assert short.stopped_by == "max_pages" and short.summary["not_visited"] == 3
        assert scan_status(short).value == "incomplete"


def test_defects_on_a_page_the_short_scan_never_visited_are_not_rechecked_never_fixed(scans):
    history = diff_history(scans.engine, scans.ids[0], scans.ids[1])

    assert gone_on_b(history, Change.FIXED) == set()
    # the page check (image without alt) and the site check (statement not linked from /b/)
    assert {"accessibility.axe.image-alt", "accessibility.statement-linked"} <= gone_on_b(
        history, Change.NOT_RECHECKED
    )
    assert history.count(Change.FIXED) == 0


def test_the_next_full_scan_is_compared_with_the_last_complete_scan_not_the_short_one(scans):
    history = scan_history(scans.engine, scans.ids[2], PREVIOUS)

    assert history.baseline is not None and history.baseline.id == scans.ids[0]
    assert history.new_in_site == 0  # the defects on /b/ persist; they did not come back as "new"


def test_the_scan_report_opens_with_a_banner_in_both_languages(scans):
    texts = {
        "de": ("Unvollständiger Scan", "unvollständig", "Seitenlimit erreicht (max_pages)", "3 Adressen"),
        "en": ("Incomplete scan", "incomplete", "page limit reached (max_pages)", "3 addresses"),
    }
    for language, (heading, status, reason, left) in texts.items():
        path = render_scan_report(scans.engine, scans.ids[1], scans.out, language)
        document = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
        notice = document.select_one(".notice")
        assert notice is not None, language
        assert heading in notice.get_text() and reason in notice.get_text() and left in notice.get_text()
        assert f": {status}" in document.select_one(".status-line").get_text()

    complete = render_scan_report(scans.engine, scans.ids[2], scans.out, "de")
    assert BeautifulSoup(complete.read_text(encoding="utf-8"), "html.parser").select_one(".notice") is None


def notes(path: Path) -> str:
    document = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
    return " ".join(note.get_text() for note in document.select("header .notice"))


def test_the_diff_webteam_and_trend_views_say_the_scan_is_incomplete(scans):
    engine, out, (full, short, again) = scans.engine, scans.out, scans.ids

    diff = notes(render_diff_report(engine, full, short, out, "de"))
    assert f"Scan {short} ist unvollständig" in diff and "nie als behoben" in diff
    reverse = notes(render_diff_report(engine, short, again, out, "en"))
    assert f"The baseline scan {short} is incomplete" in reverse
    assert f"Scan {short} is incomplete" in notes(render_webteam_report(engine, short, out, "en"))
    assert notes(render_webteam_report(engine, again, out, "de")) == ""

    trend = render_trend_report(engine, out, "de", target_name=TARGET).read_text(encoding="utf-8")
    assert f"#{short} " in trend and "(unvollständig)" in trend
    rows = BeautifulSoup(trend, "html.parser").select("#scans tbody tr")
    assert [row.find_all(["th", "td"])[2].get_text() for row in rows] == [
        "abgeschlossen",
        "unvollständig",
        "abgeschlossen",
    ]


def test_the_trend_marks_the_incomplete_point_and_does_not_count_it_as_fixes(scans):
    trend = trend_for_target(scans.engine, TARGET)

    assert [point.scan.id for point in trend.points] == scans.ids
    assert [point.incomplete for point in trend.points] == [False, True, False]
    assert trend.points[1].fixed == 0 and trend.points[1].not_rechecked > 0
    assert trend.points[2].new == 0  # compared with scan 1, not with the short scan
    assert trend.latest is trend.points[2]


def test_the_json_export_says_incomplete_and_validates(scans):
    document = export_document(scans.engine, scans.ids[1])

    jsonschema.validate(document, SCHEMA)
    assert document["scan"]["status"] == "incomplete"
    assert document["scan"]["stopped_by"] == "max_pages"
    assert document["comparison"]["fixed"] == 0
    assert export_document(scans.engine, scans.ids[2])["scan"]["status"] == "completed"
