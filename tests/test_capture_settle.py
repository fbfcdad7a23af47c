"""The settle policy: cookies and storage that scripts write after load are in every capture.

Issue 16, items 7 and 10. Real Chromium against local HTTPS servers. The writes come from short
timers and after a fetch, with no request in flight, so a network-quiet window alone read the jar
before them on most visits.
"""

from __future__ import annotations

import pytest

from scanner.capture.collectors.privacy import PrivacyCollector
from scanner.capture.page import CaptureSettings, capture_page
from scanner.capture.settle import StoppedEarly
from scanner.evidence.privacy import PrivacyEvidence

from localweb import LocalWeb, page

SETTINGS = CaptureSettings(page_timeout=15, settle_quiet=0.3, settle_cap=3)
VISITS = 4

LATE_TAG_JS = """
setTimeout(() => {
  document.cookie = "_spaet_id=SP1.1.4827361950.1796330334; path=/; max-age=63072000";
}, 350);
setTimeout(() => { localStorage.setItem("spaet_besucher", "b7f3a9c2e1d4f6a8"); }, 750);
fetch("/konfiguration.json").then((answer) => answer.json()).then((config) => {
  setTimeout(() => { sessionStorage.setItem("nach_abruf", config.kennung); }, 400);
});
"""

KEEPS_WRITING_JS = """setInterval(() => localStorage.setItem("takt", String(Date.now())), 40);"""

POLLS_FOREVER_JS = """
(function poll() { setTimeout(poll, 100); })();
(function frame() { setTimeout(() => {}, 100); requestAnimationFrame(frame); })();
setInterval(() => setTimeout(() => {}, 50), 80);
"""


@pytest.fixture(scope="module")
def settle_site(local_web: LocalWeb) -> str:
    return local_web.site(
        "www.nachlauf-amt.de",
        {
            "/": page("<h1>Spät schreibender Tag</h1><script src='/tag.js'></script>", title="Nachlauf"),
            "/tag.js": LATE_TAG_JS,
            "/konfiguration.json": '{"kennung": "c4e1a7f9b2d8e3a6"}',
            "/schreibt-immer/": page(f"<h1>Takt</h1><script>{KEEPS_WRITING_JS}</script>", title="Takt"),
            "/fragt-immer/": page(f"<h1>Abfrage</h1><script>{POLLS_FOREVER_JS}</script>", title="Abfrage"),
        },
    )


async def test_cookie_and_storage_written_after_load_are_in_every_capture(browser, settle_site: str) -> None:
    for _ in range(VISITS):
        capture = await capture_page(
            browser, settle_site + "/", settings=SETTINGS, collectors=[PrivacyCollector()]
        )
        assert "_spaet_id" in {cookie.name for cookie in capture.cookies}
        assert {(item.kind, item.key) for item in capture.storage} >= {
            ("local", "spaet_besucher"),
            ("session", "nach_abruf"),
        }
        assert capture.timings.settle_stopped_early is None
        assert capture.timings.settled - capture.timings.load < SETTINGS.settle_cap * 1000
        privacy = capture.evidence(PrivacyEvidence)  # the privacy probe still sees the write beside ours
        [setter] = [entry.setter for entry in privacy.cookie_setters if entry.name == "_spaet_id"]
        assert setter is not None and setter.via == "script" and setter.url.endswith("/tag.js")


async def test_a_page_that_never_stops_writing_is_read_at_the_cap_and_says_so(
    browser, settle_site: str
) -> None:
    capture = await capture_page(browser, settle_site + "/schreibt-immer/", settings=SETTINGS)
    assert capture.is_testable and ("local", "takt") in {(item.kind, item.key) for item in capture.storage}
    assert capture.timings.settle_stopped_early == StoppedEarly.WRITES
    assert capture.timings.settled - capture.timings.load < (SETTINGS.settle_cap + 1.5) * 1000


async def test_polling_loops_and_animation_timers_do_not_hold_the_capture(browser, settle_site: str) -> None:
    capture = await capture_page(browser, settle_site + "/fragt-immer/", settings=SETTINGS)
    assert capture.timings.settle_stopped_early is None
    assert capture.timings.settled - capture.timings.load < 1500
