"""Page-level security checks on real captures: mixed content, cookie flags, SRI, version banners."""

from __future__ import annotations

import pytest

from scanner.capture.page import CaptureSettings, capture_page
from scanner.crawl.scope import FirstPartySet
from scanner.evidence import PageCapture
from scanner.findings.registry import CheckContext, load_all_checks
from scanner.findings.runner import run_page_checks

from localweb import LocalWeb, page

HOST = "www.mischamt.de"
SETTINGS = CaptureSettings(page_timeout=15, settle_quiet=0.2, settle_cap=2)
CONTEXT = CheckContext("Mischamt", FirstPartySet(["mischamt.de"]), "kreis")
HOST_TOML = """
[headers]
"Server" = "Apache/2.4.41 (Ubuntu)"
"X-Powered-By" = "PHP/7.4.3"
"Set-Cookie" = [
    "PHPSESSID=abc123; path=/",
    "pref=hell; Path=/; Secure; SameSite=Lax",
    "ok_sess=1; Secure; HttpOnly; SameSite=Strict",
]
"""
BODY = f"""
<img src="http://{HOST}/bild.svg" alt="Bild">
<form action="http://{HOST}/senden" method="post"><label>Name <input name="n"></label></form>
<script src="http://{HOST}/alt.js"></script>
<script src="https://cdn.fremd-cdn.de/lib@1.0/lib.min.js"></script>
<script src="https://cdn.fremd-cdn.de/ok.js" integrity="sha384-abc" crossorigin="anonymous"></script>
<script async src="https://tags.fremd-cdn.de/tag.js?id=X1"></script>
<script src="/eigen.js"></script>
"""


@pytest.fixture(scope="module")
async def captured(local_web: LocalWeb, browser) -> PageCapture:
    svg = '<svg xmlns="http://www.w3.org/2000/svg" width="1" height="1"></svg>'
    local_web.site(
        HOST,
        {"/": page(BODY), "/bild.svg": svg, "/alt.js": "1;", "/eigen.js": "1;"},
        host_toml=HOST_TOML,
    )
    local_web.site("cdn.fremd-cdn.de", {"/lib@1.0/lib.min.js": "1;", "/ok.js": "1;"})
    local_web.site("tags.fremd-cdn.de", {"/tag.js": "1;"})
    return await capture_page(browser, f"https://{HOST}/", settings=SETTINGS)


def subjects(capture: PageCapture, check_id: str) -> dict[str, str]:
    outcome = run_page_checks(capture, CONTEXT, load_all_checks())
    return {
        located.finding.subject: located.finding.result.value
        for located in outcome.findings
        if located.check.id == check_id
    }


def test_mixed_content_from_dom_and_console(captured: PageCapture) -> None:
    outcome = run_page_checks(captured, CONTEXT, load_all_checks())
    mixed = {
        located.finding.subject: located.finding.evidence
        for located in outcome.findings
        if located.check.id == "security.mixed-content"
    }
    assert set(mixed) == {f"http://{HOST}/bild.svg", f"http://{HOST}/senden", f"http://{HOST}/alt.js"}
    assert mixed[f"http://{HOST}/bild.svg"]["kind"] == "passive"
    assert mixed[f"http://{HOST}/bild.svg"]["browser"] == "upgraded"  # Chromium said so on the console
    assert mixed[f"http://{HOST}/senden"]["kind"] == "form"
    assert mixed[f"http://{HOST}/alt.js"]["kind"] == "active"
    assert "console" in mixed[f"http://{HOST}/senden"]["sources"]


def test_cookie_flags_of_server_set_cookies(captured: PageCapture) -> None:
    outcome = run_page_checks(captured, CONTEXT, load_all_checks())
    problems = {
        located.finding.subject: located.finding.evidence["problems"]
        for located in outcome.findings
        if located.check.id == "security.cookie-flags"
    }
    assert problems == {"cookie:PHPSESSID": ["Secure", "HttpOnly", "SameSite"]}


def test_third_party_scripts_without_sri(captured: PageCapture) -> None:
    assert subjects(captured, "security.sri-missing") == {
        "https://cdn.fremd-cdn.de/lib@1.0/lib.min.js": "fail",
        "https://tags.fremd-cdn.de/tag.js": "review",  # a dynamic tag cannot carry a fixed hash
    }


def test_version_banners(captured: PageCapture) -> None:
    assert subjects(captured, "security.version-banner") == {
        "Server: Apache/2.4.41 (Ubuntu)": "fail",
        "X-Powered-By: PHP/7.4.3": "fail",
    }
