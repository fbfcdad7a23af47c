"""axe-core in every frame: faults in the top page, a same-origin and a cross-origin iframe and an open
shadow root are each found with frame path and selector; a clean twin yields no fail; a frame that
does not answer becomes a review finding. Real Chromium, local HTTPS servers."""

from __future__ import annotations

import json

import pytest
from sqlmodel import select

from scanner.findings.runner import run_page_checks
from scanner.store.db import session
from scanner.store.models import CheckTally, Finding, Page, Scan

from conftest import make_target
from localweb import LocalWeb, page

SHADOW = (
    "<div id='widget'></div><script>"
    "document.getElementById('widget').attachShadow({mode: 'open'}).innerHTML = '%s';</script>"
)
SHADOW_IMAGE = SHADOW % '<img src="/schatten.svg">'
SHADOW_IMAGE_OK = SHADOW % '<img src="/schatten.svg" alt="Wappen">'
# A frame whose page sabotages axe: runPartial never settles, so the frame cannot answer.
SILENT_FRAME = page(
    "<p>Karte</p><script>Object.defineProperty(window, 'axe', {value: {configure() {}, "
    "utils: {getFrameContexts: () => []}, runPartial: () => new Promise(() => {})}, "
    "writable: false, configurable: false});</script>",
    title="Karte",
)


@pytest.fixture(scope="module")
def axe_sites(local_web: LocalWeb) -> dict[str, str]:
    local_web.site(
        "www.karten-dienst-axe.de",
        {
            "/fehler.html": page("<h1>Karte</h1><img src='/karte.svg'>", title="Fremder Rahmen"),
            "/gut.html": page("<h1>Karte</h1><img src='/karte.svg' alt='Stadtplan'>", title="Fremder Rahmen"),
            "/stumm.html": SILENT_FRAME,
        },
    )
    faulty = (
        "<h1>Fehler</h1><img src='/oben.svg'>"
        + SHADOW_IMAGE
        + "<iframe src='/eigen.html' title='Eigener Rahmen'></iframe>"
        + "<iframe src='https://www.karten-dienst-axe.de/fehler.html' title='Stadtplan'></iframe>"
    )
    clean = (
        "<h1>Sauber</h1><img src='/oben.svg' alt='Logo'>"
        + SHADOW_IMAGE_OK
        + "<iframe src='/eigen-gut.html' title='Eigener Rahmen'></iframe>"
        + "<iframe src='https://www.karten-dienst-axe.de/gut.html' title='Stadtplan'></iframe>"
    )
    silent = "<h1>Stumm</h1><iframe src='https://www.karten-dienst-axe.de/stumm.html' title='Karte'></iframe>"
    origin = local_web.site(
        "www.rahmen-pruefung.de",
        {
            "/": page("<h1>Start</h1><a href='/fehler/'>Fehler</a> <a href='/sauber/'>Sauber</a>"),
            "/fehler/": page(faulty, title="Fehlerseite"),
            "/sauber/": page(clean, title="Saubere Seite"),
            "/stumm/": page(silent, title="Stummer Rahmen"),
            "/eigen.html": page("<label>Name</label><input type='text'>", title="Eigen"),
            "/eigen-gut.html": page("<label>Name <input type='text'></label>", title="Eigen"),
        },
    )
    return {"origin": origin}


def _image_alt_targets(findings: list[Finding]) -> dict[str, Finding]:
    return {f.selector: f for f in findings if f.check_id == "accessibility.axe.image-alt"}


async def test_axe_finds_each_fault_with_frame_path_and_selector_and_not_in_the_clean_twin(
    axe_sites: dict[str, str], run_scan, engine
) -> None:
    origin = axe_sites["origin"]
    target = make_target(
        "Rahmen-Prüfung",
        [origin + "/"],
        accessibility={"interaction_pages": 0},
    )
    outcome = await run_scan(target)
    assert outcome.status == "completed"
    with session(engine) as db:
        findings = db.exec(select(Finding).where(Finding.scan_id == outcome.scan_id)).all()
        pages = {row.url: row for row in db.exec(select(Page).where(Page.scan_id == outcome.scan_id))}
        scan = db.get(Scan, outcome.scan_id)
        tallies = {row.check_id: row.evaluated for row in db.exec(select(CheckTally))}

    faulty = [f for f in findings if f.page_url == origin + "/fehler/"]
    images = _image_alt_targets(faulty)
    assert set(images) == {
        'img[src$="oben.svg"]',  # top document
        '#widget >> img[src$="schatten.svg"]',  # open shadow root
        'iframe[title="Stadtplan"] >>> img',  # cross-origin frame
    }
    cross = images['iframe[title="Stadtplan"] >>> img']
    assert cross.frame_url == "https://www.karten-dienst-axe.de/fehler.html"
    assert cross.evidence["frame_path"] == ['iframe[title="Stadtplan"]']
    assert cross.result == "fail" and cross.evidence["help_url"].endswith("/image-alt")
    assert "Alternativtext" in cross.message_de  # German messages from axe's locale
    [label] = [f for f in faulty if f.check_id == "accessibility.axe.label"]
    assert label.selector == 'iframe[src$="eigen.html"] >>> input'  # same-origin frame
    assert label.frame_url == origin + "/eigen.html"

    clean = [f for f in findings if f.page_url == origin + "/sauber/" and f.family == "accessibility"]
    assert [(f.check_id, f.selector) for f in clean if f.result == "fail"] == []

    # pass and inapplicable counts per rule are stored with the page
    rules = pages[origin + "/sauber/"].extras["axe"]["rules"]
    assert rules["image-alt"]["passes"] >= 1 and rules["image-alt"]["violations"] == 0
    assert rules["video-caption"]["inapplicable"] == 1
    frames = pages[origin + "/fehler/"].extras["axe"]["frames"]
    assert [frame["tested"] for frame in frames] == [True, True, True]

    # coverage counts a rule only where it ran: the WCAG 2.2 rule target-size not in a 2.1 scan
    assert (
        tallies["accessibility.axe.image-alt"] == len(pages)
        and "accessibility.axe.target-size" not in tallies
    )
    axe = scan.engine_versions["axe-core"]
    assert axe["version"] == "4.12.1" and axe["origin"].startswith("axe-playwright-python")
    assert len(axe["ruleset_sha256"]) == 64 and axe["locale"]["matches_engine"] is True
    assert "accessibility.axe.image-alt" in scan.engine_versions["checks"]


async def test_a_frame_that_does_not_answer_is_a_review_finding(
    axe_sites: dict[str, str], browser, engine
) -> None:
    from scanner.capture.collectors import for_target, load_all_collectors
    from scanner.capture.page import CaptureSettings, capture_page
    from scanner.findings.registry import CheckContext, load_all_checks

    origin = axe_sites["origin"]
    target = make_target("Stumm", [origin + "/stumm/"], accessibility={"axe_frame_timeout": 1.5})
    axe = [c for c in for_target(load_all_collectors(), target) if c.name == "axe"]
    capture = await capture_page(
        browser, origin + "/stumm/", settings=CaptureSettings(15, 0.2, 2), collectors=axe
    )
    frames = capture.extras["axe"]["frames"]
    assert [(frame["url"], frame["tested"]) for frame in frames] == [
        (origin + "/stumm/", True),
        ("https://www.karten-dienst-axe.de/stumm.html", False),
    ]
    context = CheckContext("Stumm", target.first_party, "kreis", start_urls=target.start_urls)
    outcome = run_page_checks(capture, context, load_all_checks())
    [review] = [
        located.finding for located in outcome.findings if located.check.id == "accessibility.axe-not-tested"
    ]
    assert review.result == "review" and review.selector == "iframe"  # axe's shortest unique selector
    assert review.frame_url == "https://www.karten-dienst-axe.de/stumm.html"
    json.dumps(capture.extras)  # stored as JSON


async def test_a_newer_axe_script_is_used_by_path_and_recorded(browser, tmp_path) -> None:
    from scanner.capture.axe.source import load_axe_source
    from scanner.capture.axe.versions import axe_versions

    script = tmp_path / "axe.min.js"
    script.write_text(load_axe_source().text, encoding="utf-8")
    target = make_target("Eigenes axe", ["https://www.eigenes-axe.de/"], accessibility={"axe_script": script})
    versions = (await axe_versions(browser, target))["axe-core"]
    assert versions["origin"] == str(script) and versions["version"] == "4.12.1"
    assert versions["rules"] == 89 and versions["tags"][-1] == "best-practice"
