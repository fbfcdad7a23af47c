"""Identity over time through the real pipeline: a site whose faults change over four scans.

One history is built per module (real Chromium, local HTTPS servers): the site is rewritten between
scans. Besides the three skeleton checks, two test checks on the captured DOM produce element
findings with selectors and snippets (images without alt, vague link texts), so that grouping,
the fingerprint recipe and review decisions meet real element findings. Scan 1 runs without them:
their findings in scan 2 are "newly checked", and the check list counts as a tool change.

    scan 1: /, /a/, /b/ (no lang); stylesheet from a third party on every page; http:// not redirected
    scan 2: + /c/ (no lang); header logo without alt on every page; two images without alt on /a/;
            footer link "hier" on every page          -> decisions D1 (x1 image), D2 (footer link on /),
                                                         D3 (third party on /)
    scan 3: /b/ gets lang; a third image inserted above the two on /a/; /c/ gone; /a/ without the
            third party
    scan 4: the footer link says "mehr" instead of "hier" (D2 lapses)
"""

from __future__ import annotations

import csv
import importlib.util
import io
import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from xml.etree import ElementTree

import jsonschema
import pytest
import pytest_asyncio
import rdflib
from bs4 import BeautifulSoup, Tag
from sqlmodel import select

from reports.diff_report import count_rows, diff_history, render_diff_report
from reports.earl import earl_document
from reports.export import export_document, export_findings
from reports.gate import judge, parse_rules
from reports.grouping import group_findings
from reports.history import PREVIOUS, Change, scan_history
from reports.html import render_scan_report
from reports.junit import export_junit
from reports.portfolio_report import render_portfolio_report
from reports.trend_report import render_trend_report
from reports.trends import trend_for_target
from reports.webteam import render_webteam_report
from scanner.evidence import PageCapture
from scanner.findings.registry import (
    CheckDoc,
    CheckRegistry,
    Family,
    Finding,
    References,
    Result,
    Scope,
    Severity,
    Text,
    check,
    load_all_checks,
)
from scanner.run.scan import scan_target
from scanner.store.db import open_database, session
from scanner.store.models import Finding as FindingRow
from scanner.store.reviews import Decision, record_decision

from conftest import make_target
from populate import INJECTION_SELECTOR, INJECTION_SNIPPET, INJECTION_TITLE, INJECTION_URL, populate_scan

HOST = "www.verlauf-amt.de"
THIRD_PARTY = "cdn.verlauf-fremd.de"
TARGET = "Amt Verlauf"
HOSTILE_TITLE = '<script>alert("titel")</script>'
DOC = CheckDoc(
    title=Text("Testprüfung", "Test check"),
    what=Text("w", "w"),
    why=Text("y", "y"),
    how_to_fix=Text("Alternativtext ergänzen.", "Add a text alternative."),
)

# --- two element checks on the captured DOM (test only) -------------------------------------------

ELEMENT_CHECKS = CheckRegistry()


def css_path(element: Tag) -> str:
    """A selector like axe writes one: tag names, ids, positions among siblings of the same tag."""
    parts = []
    while isinstance(element, Tag) and element.name != "[document]":
        part = element.name
        if element.get("id"):
            part += f"#{element['id']}"
        siblings = (
            [s for s in element.parent.find_all(element.name, recursive=False)] if element.parent else []
        )
        if len(siblings) > 1:
            part += f":nth-of-type({siblings.index(element) + 1})"
        parts.append(part)
        element = element.parent
    return " > ".join(reversed(parts))


def start_tag_of(element: Tag) -> str:
    return str(element).split(">", 1)[0] + ">"


@check(
    id="accessibility.test-image-alt",
    family=Family.ACCESSIBILITY,
    scope=Scope.PAGE,
    severity=Severity.SERIOUS,
    doc=DOC,
    references=References(wcag=("1.1.1",)),
    registry=ELEMENT_CHECKS,
)
def image_alt(capture: PageCapture, context) -> Iterator[Finding]:
    for image in BeautifulSoup(capture.dom_html, "lxml").find_all("img"):
        if not image.has_attr("alt"):
            yield Finding(
                Result.FAIL, Text("Bild ohne Alternativtext.", "Image without alt."),
                selector=css_path(image), snippet=start_tag_of(image),
            )  # fmt: skip


@check(
    id="accessibility.test-vague-link",
    family=Family.ACCESSIBILITY,
    scope=Scope.PAGE,
    severity=Severity.MODERATE,
    doc=DOC,
    references=References(wcag=("2.4.4",)),
    registry=ELEMENT_CHECKS,
)
def vague_link(capture: PageCapture, context) -> Iterator[Finding]:
    for link in BeautifulSoup(capture.dom_html, "lxml").find_all("a"):
        if link.get_text(strip=True).lower() in {"hier", "mehr"}:
            yield Finding(
                Result.REVIEW, Text("Linktext ohne Ziel.", "Vague link text."),
                selector=css_path(link), snippet=str(link),
            )  # fmt: skip


SKELETON_CHECKS = {"accessibility.document-lang", "privacy.third-party-request", "security.https-redirect"}


def registry(with_element_checks: bool) -> CheckRegistry:
    """The three skeleton checks (the counts below are about them), plus the element checks."""
    combined = CheckRegistry()
    for declared in load_all_checks():
        if declared.id in SKELETON_CHECKS:
            combined.add(declared)
    if with_element_checks:
        for declared in ELEMENT_CHECKS:
            combined.add(declared)
    return combined


# --- the site in its four versions ------------------------------------------------------------------


def page_html(title: str, body: str, *, lang: bool, third_party: bool, nav: list[str], footer: str) -> str:
    links = " ".join(f'<a href="{path}">Seite {path}</a>' for path in nav)
    head = f'<link rel="stylesheet" href="https://{THIRD_PARTY}/s.css">' if third_party else ""
    title_element = BeautifulSoup("", "lxml").new_tag("title")
    title_element.string = title
    html_tag = '<html lang="de">' if lang else "<html>"
    return (
        f"<!doctype html>{html_tag}<head><meta charset='utf-8'>{title_element}{head}"
        f'</head><body><header><img src="/logo.png"><nav>{links}</nav></header>'
        f"<main><h1>Amt</h1>{body}</main>"
        f'<footer><p>Kontakt: <a href="/a/">{footer}</a></p></footer></body></html>'
    )


IMAGES_V2 = '<p><img src="/x1.png"><img src="/x2.png" onmouseover="alert(2)"></p>'
IMAGES_V3 = '<p><img src="/x0.png"><img src="/x1.png"><img src="/x2.png" onmouseover="alert(2)"></p>'


def site(version: int) -> dict[str, str]:
    paths = ["/", "/a/", "/b/"] + (["/c/"] if version == 2 else [])
    footer = "mehr" if version == 4 else "hier"

    def make(path: str, title: str, body: str = "<p>Text</p>", lang: bool = True, third_party: bool = True):
        return page_html(title, body, lang=lang, third_party=third_party, nav=paths, footer=footer)

    files = {
        "/": make("/", "Start"),
        "/a/": make("/a/", HOSTILE_TITLE, IMAGES_V3 if version >= 3 else IMAGES_V2, third_party=version < 3),
        "/b/": make("/b/", "B", lang=version >= 3),
        "/logo.png": b"",
    }
    if version == 2:
        files["/c/"] = make("/c/", "C", lang=False)
    return files


@dataclass(frozen=True)
class History:
    engine: object
    scans: list[int]  # scan ids, oldest first
    registry: CheckRegistry
    out: Path


def find(engine, scan_id: int, check_id: str, *, page: str | None = None, snippet: str | None = None):
    with session(engine) as db:
        rows = db.exec(
            select(FindingRow).where(FindingRow.scan_id == scan_id, FindingRow.check_id == check_id)
        ).all()
    rows = [row for row in rows if page is None or (row.page_url or "").endswith(page)]
    rows = [row for row in rows if snippet is None or snippet in (row.snippet or "")]
    assert len(rows) == 1, [(row.page_url, row.snippet) for row in rows]
    return rows[0]


@pytest_asyncio.fixture(scope="module")
async def history(tmp_path_factory, local_web, browser, network) -> History:
    folder = tmp_path_factory.mktemp("history")
    engine = open_database(f"sqlite:///{folder / 'govscan.db'}")
    local_web.site(THIRD_PARTY, {"/s.css": "body { margin: 0 }"})
    origin = local_web.site(HOST, site(1), host_toml="redirect_http_to_https = false\n")
    target = make_target(TARGET, [origin + "/"], ["verlauf-amt.de"], crawl={"use_sitemaps": False})
    full = registry(True)
    scans = []
    for version in (1, 2, 3, 4):
        if version > 1:
            local_web.rewrite(HOST, site(version))
        outcome = await scan_target(
            target, engine=engine, network=network, browser=browser, registry=registry(version > 1)
        )
        assert outcome.status == "completed", outcome
        scans.append(outcome.scan_id)
        if version == 2:
            with session(engine) as db:
                x1 = find(engine, outcome.scan_id, "accessibility.test-image-alt", snippet="x1.png")
                footer = find(engine, outcome.scan_id, "accessibility.test-vague-link", page=f"{HOST}/")
                third = find(engine, outcome.scan_id, "privacy.third-party-request", page=f"{HOST}/")
                record_decision(
                    db, x1.fingerprint, Decision.FALSE_POSITIVE, reason="dekorativ", decided_by="A. Prüfer"
                )
                record_decision(
                    db, footer.fingerprint, Decision.ACCEPTED, reason="Kontext klar", decided_by="B. Web"
                )
                record_decision(
                    db, third.fingerprint[:12], Decision.ACCEPTED, reason="AV-Vertrag", decided_by="C. DSB"
                )
    yield History(engine, scans, full, folder / "reports")
    engine.dispose()


def changes(history_, scan_index: int) -> dict[str, int]:
    tracked = scan_history(history_.engine, history_.scans[scan_index])
    return {change.value: tracked.count(change) for change in Change} | {
        "suppressed": len(tracked.suppressed),
        "check_added": sum(1 for item in tracked.findings if item.check_added),
        "total": len(tracked.findings),
    }


# --- new / fixed / persisting -----------------------------------------------------------------------


def test_first_scan_has_no_baseline_and_marks_nothing(history):
    tracked = scan_history(history.engine, history.scans[0])
    assert tracked.baseline is None
    assert len(tracked.findings) == 5  # lang on /b/, third party on 3 pages, http:// not redirected
    assert {item.change for item in tracked.findings} == {None}


def test_findings_of_added_checks_are_new_but_marked_as_newly_checked(history):
    assert changes(history, 1) == {
        "new": 12,  # /c/: lang + third party; 10 by the two checks that scan 1 did not run
        "persisting": 5,
        "fixed": 0,
        "not-rechecked": 0,
        "suppressed": 3,
        "check_added": 10,
        "total": 17,
    }
    tracked = scan_history(history.engine, history.scans[1])
    assert sorted(item.finding.page_url for item in tracked.findings if item.counts_as_new) == [
        f"https://{HOST}/c/",
        f"https://{HOST}/c/",
    ]
    assert [change.name for change in tracked.version_changes] == ["checks"]
    assert "+accessibility.test-image-alt" in tracked.version_changes[0].after


def test_fixed_needs_a_second_look_and_a_vanished_page_is_not_a_fix(history):
    assert changes(history, 2) == {
        "new": 1,  # the image inserted above the two others on /a/
        "persisting": 11,
        "fixed": 2,  # lang on /b/, third party on /a/
        "not-rechecked": 4,  # /c/ is gone: its four findings were not checked again
        "suppressed": 3,
        "check_added": 0,
        "total": 12,
    }
    tracked = scan_history(history.engine, history.scans[2])
    fixed = {
        (item.finding.check_id, item.finding.page_url) for item in tracked.gone if item.change is Change.FIXED
    }
    assert fixed == {
        ("accessibility.document-lang", f"https://{HOST}/b/"),
        ("privacy.third-party-request", f"https://{HOST}/a/"),
    }
    assert {item.finding.page_url for item in tracked.gone if item.change is Change.NOT_RECHECKED} == {
        f"https://{HOST}/c/"
    }


def test_an_element_inserted_above_identical_ones_is_the_one_marked_new(history):
    """Fingerprint recipe v2: the start tag tells the images apart, so no counter shifts."""
    tracked = scan_history(history.engine, history.scans[2])
    images = {
        item.finding.snippet: item
        for item in tracked.findings
        if item.finding.check_id == "accessibility.test-image-alt" and "/a/" in item.finding.page_url
        if "logo" not in item.finding.snippet
    }
    assert {snippet: item.change for snippet, item in images.items()} == {
        '<img src="/x0.png"/>': Change.NEW,
        '<img src="/x1.png"/>': Change.PERSISTING,
        '<img onmouseover="alert(2)" src="/x2.png"/>': Change.PERSISTING,
    }
    assert images['<img src="/x1.png"/>'].suppressed  # the decision stayed with the image it was made on
    assert not images['<img src="/x0.png"/>'].suppressed


def test_any_two_scans_of_a_target_compare(history):
    first, last = history.scans[0], history.scans[3]
    rows = dict(count_rows(diff_history(history.engine, first, last)))
    assert rows["total"] == {"new": 9, "fixed": 2, "not-rechecked": 0, "persisting": 3, "suppressed": 2}
    assert rows["accessibility"]["new"] == 9 and rows["accessibility"]["fixed"] == 1


# --- grouping ------------------------------------------------------------------------------------------


def test_the_same_problem_on_many_pages_is_one_group_and_template_regions_are_recognised(history):
    tracked = scan_history(history.engine, history.scans[1])
    groups = {(group.check_id, group.anchor): group for group in group_findings(tracked.findings)}
    summary = {key: (group.occurrences, len(group.pages), group.region) for key, group in groups.items()}
    assert summary == {
        ("accessibility.document-lang", "html"): (2, 2, None),
        ("privacy.third-party-request", THIRD_PARTY): (4, 4, None),
        ("security.https-redirect", f"http://{HOST}/"): (1, 0, None),
        ("accessibility.test-image-alt", "html > body > header > img"): (4, 4, "header"),
        ("accessibility.test-image-alt", "html > body > main > p > img"): (2, 1, None),
        ("accessibility.test-vague-link", "html > body > footer > p > a"): (4, 4, "footer"),
    }
    assert groups[("privacy.third-party-request", THIRD_PARTY)].suppressed_count == 1


# --- decisions ---------------------------------------------------------------------------------------------


def test_decisions_survive_a_rescan_and_lapse_when_the_judged_element_changes(history):
    third = scan_history(history.engine, history.scans[2])
    fourth = scan_history(history.engine, history.scans[3])
    assert len(third.suppressed) == 3
    assert changes(history, 3)["persisting"] == 12 and changes(history, 3)["new"] == 0
    states = {item.finding.check_id: item.review for item in fourth.findings if item.review is not None}
    assert states["accessibility.test-image-alt"].suppressed
    assert states["privacy.third-party-request"].suppressed
    footer = states["accessibility.test-vague-link"]
    assert footer.lapsed and not footer.suppressed  # "hier" became "mehr": the decision no longer holds
    assert len(fourth.suppressed) == 2


def test_review_command_refuses_unknown_or_ambiguous_fingerprints(history):
    from typer.testing import CliRunner

    from scanner.cli import app

    database = str(history.engine.url)
    runner = CliRunner()
    unknown = runner.invoke(
        app,
        ["review", "ffffffffffff", "--decision", "accepted", "--reason", "x", "--by", "y", "--db", database],
    )
    assert unknown.exit_code == 2 and "no finding with fingerprint" in unknown.output
    short = runner.invoke(
        app, ["review", "abc", "--decision", "accepted", "--reason", "x", "--by", "y", "--db", database]
    )
    assert short.exit_code == 2 and "at least 8" in short.output
    no_reason = runner.invoke(
        app,
        ["review", "ffffffffffff", "--decision", "accepted", "--reason", " ", "--by", "y", "--db", database],
    )
    assert no_reason.exit_code == 2 and "--reason" in no_reason.output
    listing = runner.invoke(app, ["reviews", "--target", TARGET, "--json", "--db", database])
    assert listing.exit_code == 0, listing.output
    assert sorted(
        (row["decision"], row["state"], row["decided_by"]) for row in json.loads(listing.output)
    ) == [
        ("accepted", "current", "C. DSB"),
        ("accepted", "lapsed", "B. Web"),
        ("false-positive", "current", "A. Prüfer"),
    ]


# --- trend numbers ---------------------------------------------------------------------------------


def test_trend_counts_open_findings_per_scan_with_todays_decisions_and_marks_tool_changes(history):
    trend = trend_for_target(history.engine, TARGET)
    assert [point.scan.id for point in trend.points] == history.scans
    assert [point.open_total for point in trend.points] == [4, 14, 9, 10]
    assert [dict(point.open_by_family) for point in trend.points][-1] == {
        "accessibility": 8,
        "privacy": 1,
        "security": 1,
    }
    assert [point.new for point in trend.points] == [None, 2, 1, 0]
    assert [point.new_by_added_checks for point in trend.points] == [None, 10, 0, 0]
    assert [point.fixed for point in trend.points] == [None, 0, 2, 0]
    assert [point.not_rechecked for point in trend.points] == [None, 0, 4, 0]
    assert [bool(point.version_changes) for point in trend.points] == [False, True, False, False]
    assert [point.tested_pages for point in trend.points] == [3, 4, 3, 3]


# --- gate -----------------------------------------------------------------------------------------------


def test_gate_counts_only_new_open_defects_at_or_above_the_level(history):
    def tripped(scan_index: int, rule: str, baseline="previous") -> int:
        tracked = scan_history(history.engine, history.scans[scan_index], baseline)
        return len(judge(tracked, parse_rules([rule]))[0].findings)

    assert tripped(2, "new:serious") == 1  # the inserted image
    assert tripped(2, "new:critical") == 0
    assert tripped(3, "new:any") == 0
    assert tripped(1, "new:serious") == 1  # /c/ without lang; findings of the added checks never count
    assert tripped(1, "new:moderate") == 2  # and the third party on /c/
    assert tripped(3, "any:serious") == 6  # http:// + header logo x3 + x0 + x2 (x1 is a false positive)
    assert (
        tripped(3, "new:serious", history.scans[0]) == 0
    )  # against scan 1 only added checks' findings are new
    assert tripped(0, "new:moderate") == 4  # without baseline every open defect is new (one is accepted)


# --- reports of every kind: accessible (axe, WCAG 2.2 AA) and safe against hostile pages ----------------

AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
AXE_SOURCE = Path(importlib.util.find_spec("axe_playwright_python").origin).parent / "axe.min.js"
HOSTILE_TARGET = '<script>alert("ziel")</script> Amt'
AXE_RUN = "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})"


@pytest.fixture(scope="module")
def reports(history) -> dict[str, Path]:
    """Every report kind in German and English: of the history target and of a hostile hand-made one."""
    first, second = (populate_scan(history.engine, target_name=HOSTILE_TARGET).scan_id for _ in range(2))
    engine, out, last = history.engine, history.out, history.scans[-1]
    made: dict[str, Path] = {}
    for language in ("de", "en"):
        for name, scan_id, baseline in (("history", last, PREVIOUS), ("hostile", second, first)):
            made[f"scan-{name}-{language}"] = render_scan_report(
                engine, scan_id, out, language, registry=history.registry
            )
            made[f"webteam-{name}-{language}"] = render_webteam_report(
                engine, scan_id, out, language, baseline=baseline, registry=history.registry
            )
            made[f"trend-{name}-{language}"] = render_trend_report(engine, out, language, scan_id=scan_id)
        made[f"diff-history-{language}"] = render_diff_report(
            engine, history.scans[0], last, out, language, registry=history.registry
        )
        made[f"diff-hostile-{language}"] = render_diff_report(engine, first, second, out, language)
        made[f"portfolio-{language}"] = render_portfolio_report(engine, out, language)
    return made


async def test_every_report_kind_passes_axe_and_loads_nothing_from_outside(reports, browser):
    context = await browser.new_context()
    page = await context.new_page()
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    axe = AXE_SOURCE.read_text(encoding="utf-8")
    violations = {}
    try:
        for name, path in reports.items():
            await page.goto(path.as_uri())
            await page.evaluate(axe)
            result = await page.evaluate(AXE_RUN, AXE_TAGS)
            violations[name] = [
                (rule["id"], [node["target"] for node in rule["nodes"][:3]]) for rule in result["violations"]
            ]
            assert result["testEngine"]["name"] == "axe-core" and result["passes"], name  # axe ran
    finally:
        await context.close()
    assert {name: found for name, found in violations.items() if found} == {}
    assert len(violations) == 18
    assert set(requested) == {
        path.as_uri() for path in reports.values()
    }  # self-contained: nothing else loaded


def test_hostile_titles_urls_selectors_and_snippets_are_shown_as_text_in_every_report_kind(reports):
    shown = {
        "scan-hostile": [
            HOSTILE_TARGET,
            INJECTION_TITLE,
            INJECTION_URL,
            INJECTION_SELECTOR,
            INJECTION_SNIPPET,
        ],
        "webteam-hostile": [HOSTILE_TARGET, INJECTION_URL, INJECTION_SELECTOR, INJECTION_SNIPPET],
        "diff-hostile": [HOSTILE_TARGET, INJECTION_SELECTOR],
        "trend-hostile": [HOSTILE_TARGET],
        "portfolio": [HOSTILE_TARGET],
        "scan-history": [HOSTILE_TITLE, '<img onmouseover="alert(2)" src="/x2.png"/>'],
        "webteam-history": ['<img onmouseover="alert(2)" src="/x2.png"/>'],
    }
    for name, path in reports.items():
        html = path.read_text(encoding="utf-8")
        for parser in ("html.parser", "lxml"):
            soup = BeautifulSoup(html, parser)
            assert soup.find("script") is None, name
            handlers = [
                (element.name, attribute)
                for element in soup.find_all(True)
                for attribute in element.attrs
                if attribute.lower().startswith("on")
            ]
            assert handlers == [], name
            text = soup.get_text()
            for value in shown.get(
                name.rsplit("-", 1)[0] if not name.startswith("portfolio") else "portfolio", []
            ):
                assert value in text, (name, value)


def test_web_team_view_groups_marks_changes_and_counts_suppressed_findings(reports):
    soup = BeautifulSoup(reports["webteam-history-de"].read_text(encoding="utf-8"), "lxml")
    summary = [" ".join(item.get_text(" ").split()) for item in soup.select("#summary li")]
    assert summary[:3] == ["5 Probleme", "10 Fundstellen", "2 unterdrückt"]
    issues = {
        " ".join(section.select_one("h3").get_text().split()): section
        for section in soup.select("#issues section.issue")
    }
    assert len(soup.select("#issues section.issue")) == 5
    header = next(
        section for section in soup.select("#issues section.issue") if "header > img" in section.get_text()
    )
    assert "Einmal beheben: 3 Fundstellen auf 3 Seiten" in header.get_text()
    assert "wahrscheinlich Seitenvorlage (Kopfbereich)" in header.get_text()
    footer = next(
        section for section in soup.select("#issues section.issue") if "footer > p > a" in section.get_text()
    )
    assert "frühere Bewertung hinfällig" in footer.get_text()
    assert len(soup.select("#suppressed section.issue")) == 2
    assert "dekorativ (A. Prüfer" in soup.select_one("#suppressed").get_text()
    assert issues  # every issue has a heading
    # the open findings by root cause come first: every open finding in exactly one cause
    causes = soup.select("#causes tbody tr")
    assert causes and soup.select_one("main section")["id"] in ("summary", "causes")
    assert sum(int(row.select("td")[-2].get_text()) for row in causes) == 10


def test_exports_carry_change_group_and_decision_and_keep_schema_1(history, tmp_path):
    schema = json.loads((Path(__file__).parent.parent / "docs" / "export-schema.json").read_text())
    document = export_document(history.engine, history.scans[2], registry=history.registry)
    jsonschema.validate(document, schema)
    assert document["schema_version"] == "1.2"
    comparison = document["comparison"]
    assert (
        comparison["baseline_scan_id"],
        comparison["new"],
        comparison["fixed"],
        comparison["not_rechecked"],
    ) == (
        history.scans[1],
        1,
        2,
        4,
    )
    x1 = next(f for f in document["findings"] if (f["snippet"] or "").startswith('<img src="/x1.png'))
    assert x1["change"] == "persisting" and x1["suppressed"] is True
    assert x1["review"] | {"decided_at": None} == {
        "decision": "false-positive",
        "reason": "dekorativ",
        "decided_by": "A. Prüfer",
        "decided_at": None,
        "state": "current",
    }
    header_groups = {f["group"] for f in document["findings"] if "header > img" in (f["selector"] or "")}
    assert len(header_groups) == 1

    buffer = io.StringIO()
    export_findings(history.engine, history.scans[2], "csv", buffer, registry=history.registry)
    rows = list(csv.DictReader(io.StringIO(buffer.getvalue())))
    assert list(rows[0])[-5:] == ["change", "group", "review_decision", "review_state", "suppressed"]
    assert sorted(row["suppressed"] for row in rows).count("true") == 3


def test_earl_export_is_json_ld_with_failed_and_cant_tell_assertions(history):
    document = earl_document(history.engine, history.scans[3], registry=history.registry)
    graph = rdflib.Graph().parse(data=json.dumps(document), format="json-ld")
    earl = rdflib.Namespace("http://www.w3.org/ns/earl#")
    outcomes = sorted(str(outcome).rsplit("#", 1)[1] for outcome in graph.objects(None, earl.outcome))
    assert outcomes == ["cantTell"] * 3 + ["failed"] * 6  # vague links to review; images without alt
    pointers = {
        str(value)
        for value in graph.objects(None, rdflib.URIRef("http://www.w3.org/2009/pointers#expression"))
    }
    assert "html > body > header > img" in pointers
    assert all(
        str(value) != "http://www.w3.org/ns/earl#passed" for value in graph.objects(None, earl.outcome)
    )


def test_junit_export_has_a_suite_per_check_and_a_case_per_group(history):
    buffer = io.StringIO()
    export_junit(history.engine, history.scans[3], buffer, registry=history.registry)
    root = ElementTree.fromstring(buffer.getvalue())
    suites = {suite.get("name"): suite for suite in root.findall("testsuite")}
    images = suites["accessibility.test-image-alt"]
    assert (images.get("tests"), images.get("failures")) == ("2", "2")  # header logo, images in main
    links = suites["accessibility.test-vague-link"]
    assert (links.get("tests"), links.get("skipped"), links.get("failures")) == (
        "1",
        "1",
        "0",
    )  # review: skipped
    lang = suites["accessibility.document-lang"]
    assert lang.get("tests") == "0"  # nothing detected: no test case, never a "pass"
    assert root.get("failures") == str(sum(int(suite.get("failures")) for suite in suites.values()))
