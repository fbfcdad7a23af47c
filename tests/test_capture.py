"""One navigation yields a complete PageCapture: real Chromium against local HTTPS servers."""

from __future__ import annotations

import asyncio
import time

import pytest

from scanner.capture.browser import launch_browser
from scanner.capture.collectors import PageCollector
from scanner.capture.page import CaptureSettings, capture_page
from scanner.evidence import FailureClass, PageStatus, Scenario
from scanner.net.network import NetworkSettings

from localweb import LocalWeb, page

FAST = CaptureSettings(page_timeout=15, settle_quiet=0.3, settle_cap=3)

APP_JS = """
document.cookie = "app_besuch=1; path=/; max-age=3600";
localStorage.setItem("app_schluessel", "wert-lokal");
sessionStorage.setItem("app_sitzung", "wert-sitzung");
console.log("app geladen");
"""

THIRD_PARTY_JS = """navigator.sendBeacon("https://cdn.skript-dritt.de/collect?cid=12345&tid=X-1");"""

FRAME_HTML = page(
    "<p>Rahmen</p><script>localStorage.setItem('dritt', '1');"
    "document.cookie = 'dritt_id=xyz; path=/; SameSite=None; Secure';</script>",
    title="Eingebettet",
)


@pytest.fixture(scope="module")
def capture_site(local_web: LocalWeb) -> str:
    local_web.site("www.eingebettet-dritt.de", {"/frame.html": FRAME_HTML})
    local_web.site("cdn.skript-dritt.de", {"/lib.js": THIRD_PARTY_JS})
    body = (
        '<h1>Start</h1><a href="/a/">Erste Seite</a> <a href="mailto:amt@example.org">Mail</a>'
        '<a href="/b.html#abschnitt"><img src="/logo.png" alt="Logo der Verwaltung"></a>'
        '<iframe src="/rahmen.html" title="Eigener Rahmen"></iframe>'
        '<iframe src="https://www.eingebettet-dritt.de/frame.html" title="Fremder Rahmen"></iframe>'
        '<script src="/app.js"></script><script src="https://cdn.skript-dritt.de/lib.js"></script>'
    )
    return local_web.site(
        "www.erfassung-amt.de",
        {
            "/": page(body, title="Startseite Erfassung"),
            "/app.js": APP_JS,
            "/rahmen.html": page("<p>eigener Rahmen</p>", title="Rahmen"),
            "/logo.png": b"\x89PNG\r\n\x1a\n",
            "/umleitung/": page("<p>Ziel</p>", title="Ziel der Umleitung"),
            "/nicht-html.json": '{"a": 1}',
        },
        host_toml='[headers]\n"Set-Cookie" = "sitzung=abc123; Path=/; HttpOnly; Secure"\n'
        '"X-Doppelt" = ["eins", "zwei"]\n',
    )


async def test_capture_records_document_facts(browser, capture_site: str) -> None:
    capture = await capture_page(browser, capture_site + "/", settings=FAST)

    assert capture.page_status is PageStatus.OK
    assert capture.status == 200
    assert capture.final_url == capture_site + "/"
    assert capture.title == "Startseite Erfassung"
    assert capture.html_lang == "de"
    assert capture.content_type == "text/html"
    assert "<h1>Start</h1>" in capture.dom_html
    assert [value for name, value in capture.response_headers if name == "x-doppelt"] == ["eins", "zwei"]
    assert capture.tls is not None and capture.tls.protocol.startswith("TLS 1.")
    assert capture.tls.server_ip == "127.0.0.1"
    assert capture.timings.load is not None and not capture.timings.load_timed_out
    assert capture.timings.dom_content_loaded <= capture.timings.load <= capture.timings.settled


async def test_capture_sees_requests_of_every_frame_with_initiators(browser, capture_site: str) -> None:
    capture = await capture_page(browser, capture_site + "/", settings=FAST)
    by_url = {request.url: request for request in capture.requests}

    third_party_script = by_url["https://cdn.skript-dritt.de/lib.js"]
    assert third_party_script.resource_type == "script"
    assert third_party_script.initiator.type == "parser"
    assert third_party_script.initiator.url == capture_site + "/"
    assert third_party_script.status == 200

    beacon = by_url["https://cdn.skript-dritt.de/collect?cid=12345&tid=X-1"]
    assert beacon.resource_type == "ping"
    assert beacon.method == "POST"
    assert beacon.initiator.type == "beacon"
    assert beacon.initiator.url == "https://cdn.skript-dritt.de/lib.js"

    frame_document = by_url["https://www.eingebettet-dritt.de/frame.html"]
    assert frame_document.resource_type == "document"
    assert not frame_document.is_main_frame
    assert frame_document.frame_url == "https://www.eingebettet-dritt.de/frame.html"
    assert by_url[capture_site + "/rahmen.html"].resource_type == "document"
    assert by_url[capture_site + "/"].is_main_frame and by_url[capture_site + "/"].is_navigation
    assert set(capture.frames) == {
        capture_site + "/",
        capture_site + "/rahmen.html",
        "https://www.eingebettet-dritt.de/frame.html",
    }


async def test_capture_reads_cookies_storage_console_and_links(browser, capture_site: str) -> None:
    capture = await capture_page(browser, capture_site + "/", settings=FAST)
    cookies = {cookie.name: cookie for cookie in capture.cookies}

    assert cookies["sitzung"].http_only and cookies["sitzung"].secure
    assert cookies["sitzung"].domain == "www.erfassung-amt.de"
    assert cookies["app_besuch"].expires is not None and not cookies["app_besuch"].http_only
    assert cookies["dritt_id"].domain == "www.eingebettet-dritt.de"  # set inside the third-party frame

    storage = {(item.origin, item.kind, item.key): item.value for item in capture.storage}
    assert storage[(capture_site, "local", "app_schluessel")] == "wert-lokal"
    assert storage[(capture_site, "session", "app_sitzung")] == "wert-sitzung"
    assert storage[("https://www.eingebettet-dritt.de", "local", "dritt")] == "1"

    assert any(message.type == "log" and message.text == "app geladen" for message in capture.console)
    hrefs = {link.href: link.text for link in capture.links}
    assert hrefs[capture_site + "/a/"] == "Erste Seite"
    assert hrefs["mailto:amt@example.org"] == "Mail"
    assert hrefs[capture_site + "/b.html#abschnitt"] == "Logo der Verwaltung"  # image link: its alt text


async def test_capture_follows_redirects_and_keeps_the_chain(browser, capture_site: str) -> None:
    capture = await capture_page(browser, capture_site + "/umleitung", settings=FAST)

    assert capture.final_url == capture_site + "/umleitung/"
    assert [(hop.url, hop.status, hop.location) for hop in capture.redirect_chain] == [
        (capture_site + "/umleitung", 301, "/umleitung/")
    ]
    assert capture.title == "Ziel der Umleitung"


async def test_error_pages_and_non_html_are_recorded_not_tested(browser, capture_site: str) -> None:
    missing = await capture_page(browser, capture_site + "/gibt-es-nicht.html", settings=FAST)
    assert missing.page_status is PageStatus.FAILED
    assert missing.failure_class is FailureClass.HTTP_ERROR
    assert missing.status == 404

    data = await capture_page(browser, capture_site + "/nicht-html.json", settings=FAST)
    assert data.page_status is PageStatus.NOT_TESTED
    assert data.failure_class is FailureClass.NOT_HTML


async def test_settling_is_bounded_when_a_resource_never_finishes(browser, local_web: LocalWeb) -> None:
    local_web.site("www.haengt-dritt.de", {"/ewig.js": "1"}, host_toml="delay_ms = 20000\n")
    origin = local_web.site(
        "www.wartet-amt.de", {"/": page('<script src="https://www.haengt-dritt.de/ewig.js"></script>')}
    )
    settings = CaptureSettings(page_timeout=2, settle_quiet=0.2, settle_cap=1)

    capture = await capture_page(browser, origin + "/", settings=settings)

    assert capture.page_status is PageStatus.OK  # what was there is captured
    assert capture.timings.load_timed_out
    assert capture.timings.total < 6_000  # milliseconds: page timeout plus settle cap, not 20 s


async def test_a_page_that_freezes_its_renderer_costs_one_timeout_not_the_scan(
    browser, local_web: LocalWeb
) -> None:
    frozen = page("<p>gleich friert alles ein</p><script>setTimeout(() => { while (true) {} }, 300)</script>")
    origin = local_web.site("www.eingefroren-amt.de", {"/": frozen, "/danach.html": page("geht wieder")})
    settings = CaptureSettings(page_timeout=3, settle_quiet=0.5, settle_cap=1)

    started = time.monotonic()
    capture = await capture_page(browser, origin + "/", settings=settings)
    seconds = time.monotonic() - started
    after = await capture_page(browser, origin + "/danach.html", settings=FAST)

    assert (capture.page_status, capture.failure_class) == (PageStatus.FAILED, FailureClass.UNRESPONSIVE)
    assert seconds < settings.hard_limit  # the page timeout and the margin to end it, nothing more
    assert after.page_status is PageStatus.OK  # the browser is still usable


class WindowNameCollector(PageCollector):
    """A toy collector: marks the page before navigation, reads the mark back afterwards."""

    name = "toy"
    scenarios = frozenset({Scenario.FIRST_VISIT})
    time_allowance = 5.0

    async def prepare(self, context, page) -> None:
        await context.add_init_script("window.__govscanMark = 'vorbereitet';")

    async def collect(self, page, capture):
        return {"mark": await page.evaluate("window.__govscanMark"), "title": capture.title}


class BrokenCollector(WindowNameCollector):
    name = "kaputt"

    async def collect(self, page, capture):
        raise RuntimeError("Fehler im Sammler")


async def test_collectors_prepare_the_context_and_add_their_evidence(browser, capture_site: str) -> None:
    capture = await capture_page(
        browser, capture_site + "/", settings=FAST, collectors=[WindowNameCollector(), BrokenCollector()]
    )

    assert capture.page_status is PageStatus.OK  # a failing collector does not fail the page
    assert capture.extras["toy"] == {"mark": "vorbereitet", "title": "Startseite Erfassung"}
    assert capture.extras["kaputt"] == {"error": "collect: RuntimeError: Fehler im Sammler"}


async def test_without_the_authority_ca_the_page_is_a_tls_error_never_a_pass(local_web: LocalWeb) -> None:
    origin = local_web.site("www.eigene-ca-amt.de", {"/": page("<p>vertraulich</p>")})
    untrusting = NetworkSettings.build(local_web.server.connect_all())  # no --ca-bundle

    async with launch_browser(untrusting) as browser:
        capture = await capture_page(browser, origin + "/", settings=FAST)

    assert capture.page_status is PageStatus.FAILED
    assert capture.failure_class is FailureClass.TLS_ERROR
    assert "ERR_CERT_AUTHORITY_INVALID" in capture.failure_detail


async def test_the_browser_itself_contacts_no_host_but_the_scanned_site(local_web: LocalWeb, network) -> None:
    origin = local_web.site("www.ruhiger-browser-amt.de", {"/": page("<p>nur diese Seite</p>")})
    before = len(local_web.server.requests_seen)

    async with launch_browser(network) as fresh:  # its start-up counts too
        await capture_page(fresh, origin + "/", settings=FAST)
        await asyncio.sleep(2)  # background clients (sign-in, component updates) start within seconds

    hosts = {host for host, _ in local_web.server.requests_seen[before:]}
    assert hosts == {"www.ruhiger-browser-amt.de"}
