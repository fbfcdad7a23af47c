"""The privacy collector: who set each cookie, who wrote storage, beacons on exit, blocked attempts."""

from __future__ import annotations

import pytest

from scanner.capture.collectors import COLLECTORS, load_all_collectors
from scanner.capture.page import CaptureSettings, capture_page
from scanner.evidence import PageCapture

from localweb import LocalWeb, page
from privacy_sites import tracker_hosts

FAST = CaptureSettings(page_timeout=15, settle_quiet=0.3, settle_cap=3, exit_window=1.0)


@pytest.fixture(scope="module")
def privacy_site(local_web: LocalWeb) -> str:
    tracker_hosts(local_web)
    body = (
        "<h1>Start</h1>"
        '<script async src="https://www.googletagmanager.com/gtag/js?id=G-TEST1"></script>'
        '<script src="https://fp.tracker-beispiel.com/fp.js"></script>'
        '<script>sessionStorage.setItem("eigene_sitzung", "1");'
        'navigator.serviceWorker.register("/sw.js", {scope: "/"});</script>'
        '<iframe src="https://www.youtube.com/embed/abc/" title="Video"></iframe>'
    )
    return local_web.site(
        "www.privat-amt.de",
        {"/": page(body, title="Start"), "/sw.js": "self.addEventListener('fetch', () => {});"},
        host_toml='[headers]\n"Set-Cookie" = "PHPSESSID=3f9a1b; Path=/; HttpOnly"\n',
    )


@pytest.fixture(scope="module")
async def privacy_capture(browser, privacy_site: str) -> PageCapture:
    collectors = load_all_collectors()
    assert COLLECTORS["privacy"] in collectors
    return await capture_page(browser, privacy_site + "/", settings=FAST, collectors=collectors)


def _setter(capture: PageCapture, name: str) -> dict:
    entries = [entry for entry in capture.extras["privacy"]["cookie_setters"] if entry["name"] == name]
    assert entries, f"cookie {name} missing from {capture.extras['privacy']['cookie_setters']}"
    return entries[0]


def test_cookie_set_by_third_party_script_is_attributed_to_it(privacy_capture: PageCapture) -> None:
    ga = _setter(privacy_capture, "_ga")
    assert ga["domain"].lstrip(".") == "www.privat-amt.de"  # first party by domain ...
    assert ga["setter"]["via"] == "script"  # ... but written by the tag manager's script
    assert ga["setter"]["url"].startswith("https://www.googletagmanager.com/gtag/js?id=~")
    assert ga["setter"]["lifetime_seconds"] == 63072000


def test_cookie_from_set_cookie_header_is_attributed_to_the_response(privacy_capture: PageCapture) -> None:
    session = _setter(privacy_capture, "PHPSESSID")
    assert session["setter"] == {
        "via": "header",
        "url": "https://www.privat-amt.de/",
        "frame_url": "https://www.privat-amt.de/",
        "stack": [],
        "lifetime_seconds": None,
    }
    visitor = _setter(privacy_capture, "VISITOR_INFO1_LIVE")
    assert visitor["setter"]["via"] == "header"
    assert visitor["setter"]["url"] == "https://www.youtube.com/embed/abc/"


def test_third_party_frame_cookies_are_stored_with_partition_key(privacy_capture: PageCapture) -> None:
    assert _setter(privacy_capture, "YSC")["partition_key"] is None  # the profile accepts 3p cookies
    assert _setter(privacy_capture, "CHIPS_ID")["partition_key"] == "https://privat-amt.de"
    frame_cookie = _setter(privacy_capture, "frame_js")
    assert frame_cookie["setter"]["via"] == "script"
    assert frame_cookie["setter"]["frame_url"] == "https://www.youtube.com/embed/abc/"


def test_cookies_the_browser_refused_are_recorded_as_attempts(privacy_capture: PageCapture) -> None:
    refused = {entry["name"]: entry for entry in privacy_capture.extras["privacy"]["cookies_not_stored"]}
    assert set(refused) == {"NO_SAMESITE"}  # SameSite=Lax by default: not stored in a third-party frame
    assert refused["NO_SAMESITE"]["via"] == "header"
    assert refused["NO_SAMESITE"]["domain"] == "youtube.com"


def test_storage_writers_per_frame_origin(privacy_capture: PageCapture) -> None:
    evidence = privacy_capture.extras["privacy"]
    writers = {(item["origin"], item["kind"], item["key"]): item for item in evidence["storage_writers"]}
    gcl = writers["https://www.privat-amt.de", "local", "_gcl_ls"]
    assert gcl["script"].startswith("https://www.googletagmanager.com/gtag/js")
    assert (
        writers["https://www.privat-amt.de", "session", "eigene_sitzung"]["script"]
        == "https://www.privat-amt.de/"
    )
    assert ("https://www.youtube.com", "local", "yt-remote-device-id") in writers
    stored = {(item.origin, item.kind, item.key) for item in privacy_capture.storage}
    assert ("https://www.youtube.com", "local", "yt-remote-device-id") in stored
    assert {"origin": "https://www.privat-amt.de", "name": "tracker-db"} in evidence["indexeddb"]
    opened = evidence["indexeddb_opened"][0]
    assert opened["name"] == "tracker-db" and opened["script"].startswith("https://www.googletagmanager.com/")


def test_service_worker_registration_and_its_registering_script(privacy_capture: PageCapture) -> None:
    evidence = privacy_capture.extras["privacy"]
    [registered] = evidence["service_workers_registered"]
    assert registered["script_url"] == "https://www.privat-amt.de/sw.js"
    assert registered["scope"] == "/" and registered["script"] == "https://www.privat-amt.de/"
    assert {"origin": "https://www.privat-amt.de", "scope": "https://www.privat-amt.de/",
            "script_url": "https://www.privat-amt.de/sw.js"} in evidence["service_workers"]  # fmt: skip


def test_beacon_fired_on_page_exit_is_recorded(privacy_capture: PageCapture) -> None:
    beacons = [request for request in privacy_capture.requests if request.host == "www.google-analytics.com"]
    assert len(beacons) == 1
    assert privacy_capture.fired_on_exit(beacons[0])
    assert beacons[0].initiator is not None and beacons[0].initiator.type == "beacon"
    assert not any(privacy_capture.fired_on_exit(r) for r in privacy_capture.requests if r is not beacons[0])


def test_canvas_read_back_meeting_fingerprinting_criteria(privacy_capture: PageCapture) -> None:
    reads = privacy_capture.extras["privacy"]["canvas_reads"]
    assert reads == [
        {
            "frame_url": "https://www.privat-amt.de/",
            "origin": "https://www.privat-amt.de",
            "script": "https://fp.tracker-beispiel.com/fp.js",
            "method": "toDataURL",
            "width": 220,
            "height": 30,
            "distinct_chars": 27,
            "colours": 1,
            "fingerprint_like": True,
        }
    ]
