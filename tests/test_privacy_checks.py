"""Each privacy check on hand-made evidence: a page (or site) that fails it and a clean one."""

from __future__ import annotations

import random
import time
from collections.abc import Iterator

import pytest

from scanner.crawl.scope import FirstPartySet
from scanner.evidence import (
    CookieRecord,
    Initiator,
    Link,
    PageCapture,
    RequestRecord,
    Scenario,
    StorageRecord,
)
from scanner.findings.registry import CheckContext, Finding, Result, load_all_checks
from scanner.findings.runner import run_page_checks, run_site_checks

REGISTRY = load_all_checks()
CONTEXT = CheckContext("Prüfamt", FirstPartySet(["pruefamt.de"]), "kreis")
HOME = "https://www.pruefamt.de/"
LEGAL_LINKS = (Link(HOME + "impressum/", "Impressum"), Link(HOME + "datenschutz/", "Datenschutzerklärung"))
KNOWN_REJECT = {"consent": {"state": "answered", "known_state": True, "banner_shown_again": False}}


def capture(scenario: Scenario = Scenario.FIRST_VISIT, url: str = HOME, **fields) -> PageCapture:
    values = {"url": url, "scenario": scenario, "final_url": url, "status": 200, "links": LEGAL_LINKS}
    return PageCapture(**(values | fields))


def request(url: str, resource_type: str = "script", **fields) -> RequestRecord:
    values = {"url": url, "method": "GET", "resource_type": resource_type, "frame_url": HOME}
    return RequestRecord(**({"is_main_frame": True, "is_navigation": False} | values | fields))


EMBED = "privacy.embed-without-consent"
TAGS = "privacy.analytics-tag"


def found(page: PageCapture, check_id: str) -> list[Finding]:
    outcome = run_page_checks(page, CONTEXT, REGISTRY)
    return [located.finding for located in outcome.findings if located.check.id == check_id]


CLEAN = capture(requests=(request(HOME), request(HOME + "assets/app.js")))


def test_tracker_before_consent_by_vendor_category_and_beacon() -> None:
    page = capture(
        requests=(
            request("https://www.googletagmanager.com/gtag/js?id=G-ABC123"),
            request("https://stats.unbekannt-tracker.net/hit", "ping", initiator=Initiator("beacon", HOME)),
            request("https://fonts.googleapis.com/css2?family=Roboto", "stylesheet"),
        )
    )
    findings = {finding.subject: finding for finding in found(page, "privacy.tracker-before-consent")}
    assert set(findings) == {"google-tag-manager", "stats.unbekannt-tracker.net"}  # fonts are not trackers
    assert findings["google-tag-manager"].evidence["why_tracking"] == {"vendor_category": "tag-manager"}
    assert findings["stats.unbekannt-tracker.net"].evidence["why_tracking"] == {"beacons": 1}
    assert (
        findings["google-tag-manager"]
        .evidence["requests"][0]["url"]
        .startswith("https://www.googletagmanager.com/gtag/js?id=~")
    )
    assert found(CLEAN, "privacy.tracker-before-consent") == []


def test_tracking_after_reject_is_fail_only_when_the_reject_is_known() -> None:
    tracker = (request("https://static.hotjar.com/c/hotjar-1.js"),)
    known = capture(Scenario.REJECTED, requests=tracker, extras=KNOWN_REJECT)
    hidden = capture(
        Scenario.REJECTED, requests=tracker, extras={"consent": {"state": "hidden", "known_state": False}}
    )
    assert [finding.result for finding in found(known, "privacy.tracking-after-reject")] == [Result.FAIL]
    assert [finding.result for finding in found(hidden, "privacy.tracking-after-reject")] == [Result.REVIEW]
    assert found(capture(Scenario.REJECTED, extras=KNOWN_REJECT), "privacy.tracking-after-reject") == []
    assert (
        found(capture(requests=tracker), "privacy.tracking-after-reject") == []
    )  # first visit: another check


def test_identifier_cookie_names_the_script_that_set_it() -> None:
    value = "GA1.1.1234567890.1700000000"
    setter = {
        "via": "script",
        "url": "https://www.googletagmanager.com/gtag/js?id=~1",
        "lifetime_seconds": 63072000,
    }
    page = capture(
        cookies=(
            CookieRecord("_ga", value, ".pruefamt.de", "/", time.time() + 63072000, False, False, "Lax"),
            CookieRecord("PHPSESSID", "3f9a1b2c3d4e5f6a7b", "www.pruefamt.de", "/", None, True, True, "Lax"),
            CookieRecord(
                "bh_consent", "necessary", ".pruefamt.de", "/", time.time() + 3e7, False, False, "Lax"
            ),
        ),
        extras={"privacy": {"cookie_setters": [{"name": "_ga", "domain": ".pruefamt.de", "setter": setter}]}},
    )
    [finding] = found(page, "privacy.identifier-cookie-before-consent")
    assert finding.subject == "_ga@pruefamt.de"
    assert finding.evidence["set_by_third_party_script"] is True
    assert finding.evidence["setter_vendor"]["id"] == "google-tag-manager"
    assert finding.evidence["lifetime_days"] == 730.0
    assert value not in str(finding.evidence)  # hashed
    assert found(CLEAN, "privacy.identifier-cookie-before-consent") == []


def test_identifier_cookie_verdict_does_not_depend_on_the_digits_of_its_value() -> None:
    # A GA4 session cookie holds the visit's time twice; at some seconds its letter counts fall
    # below the entropy threshold, so identical scans found it on different pages.
    setter = {"via": "script", "url": "https://www.googletagmanager.com/gtag/js?id=~1"}
    stamps = [1796330334, 1796295334, *range(1796330000, 1796330600, 7)]
    random_ids = ["".join(random.Random(seed).choices("0123456789abcdef", k=16)) for seed in range(200)]
    values = [f"GS1.1.{stamp}.1.0.{stamp}.0.0.0" for stamp in stamps] + random_ids
    for value in values:
        page = capture(
            cookies=(
                CookieRecord("_ga_X", value, ".pruefamt.de", "/", time.time() + 6e7, False, False, "Lax"),
            ),
            extras={
                "privacy": {"cookie_setters": [{"name": "_ga_X", "domain": ".pruefamt.de", "setter": setter}]}
            },
        )
        [finding] = found(page, "privacy.identifier-cookie-before-consent")
        assert finding.subject == "_ga_X@pruefamt.de", value
    words = ("necessary", "preferences", "2024-03-15", "1")
    for value in words:
        page = capture(
            cookies=(
                CookieRecord("pref", value, ".pruefamt.de", "/", time.time() + 6e7, False, False, "Lax"),
            )
        )
        assert found(page, "privacy.identifier-cookie-before-consent") == [], value


def test_identifier_in_web_storage_with_its_writer() -> None:
    page = capture(
        storage=(
            StorageRecord("https://www.pruefamt.de", "local", "_hjSessionUser_1", '{"id":"f3a9c2e1b7d4a6"}'),
            StorageRecord("https://www.pruefamt.de", "local", "schriftgroesse", "gross"),
        ),
        extras={
            "privacy": {
                "storage_writers": [
                    {"origin": "https://www.pruefamt.de", "kind": "local", "key": "_hjSessionUser_1",
                     "script": "https://static.hotjar.com/c/hotjar-1.js"},
                ]
            }
        },
    )  # fmt: skip
    [finding] = found(page, "privacy.identifier-storage-before-consent")
    assert finding.evidence["writer_vendor"]["id"] == "hotjar"
    assert found(CLEAN, "privacy.identifier-storage-before-consent") == []


@pytest.mark.parametrize(
    ("check_id", "url", "subject", "result"),
    [
        ("privacy.remote-font", "https://fonts.gstatic.com/s/roboto.woff2", "google-fonts", Result.FAIL),
        ("privacy.remote-font", "https://use.typekit.net/abc.css", "adobe-fonts", Result.FAIL),
        ("privacy.public-cdn", "https://cdnjs.cloudflare.com/ajax/libs/jquery.js", "cdnjs", Result.FAIL),
        (EMBED, "https://www.youtube.com/embed/x", "youtube", Result.FAIL),
        (EMBED, "https://www.youtube-nocookie.com/embed/x", "youtube", Result.REVIEW),
        (EMBED, "https://www.google.com/maps/embed?pb=1", "google-maps", Result.FAIL),
        (EMBED, "https://www.google.com/recaptcha/api.js", "google-recaptcha", Result.FAIL),
        (EMBED, "https://platform.twitter.com/widgets.js", "x-twitter", Result.FAIL),
        ("privacy.session-recording", "https://www.clarity.ms/tag/abc", "microsoft-clarity", Result.FAIL),
        ("privacy.analytics-tag", "https://www.googletagmanager.com/gtm.js?id=GTM-ABC1", "google-tag-manager",
         Result.FAIL),
        (TAGS, "https://www.facebook.com/tr?id=1234&ev=PageView", "meta-pixel", Result.FAIL),
        (TAGS, "https://www.pruefamt.de/matomo/matomo.js", "matomo-self-hosted", Result.FAIL),
    ],
)  # fmt: skip
def test_third_party_content_checks(check_id: str, url: str, subject: str, result: Result) -> None:
    [finding] = found(capture(requests=(request(url),)), check_id)
    assert (finding.subject, finding.result) == (subject, result)
    assert found(CLEAN, check_id) == []


def test_canvas_fingerprinting_indicator() -> None:
    read = {"script": "https://fp.example.net/fp.js", "method": "toDataURL", "fingerprint_like": True}
    chart = {"script": "https://www.pruefamt.de/chart.js", "method": "toDataURL", "fingerprint_like": False}
    [finding] = found(
        capture(extras={"privacy": {"canvas_reads": [read, chart]}}), "privacy.canvas-fingerprinting"
    )
    assert (finding.subject, finding.result) == ("https://fp.example.net/fp.js", Result.REVIEW)
    assert (
        found(capture(extras={"privacy": {"canvas_reads": [chart]}}), "privacy.canvas-fingerprinting") == []
    )


def test_form_over_http() -> None:
    insecure = capture(
        dom_html='<form id="kontakt" action="http://www.pruefamt.de/senden" method="post"></form>'
    )
    secure = capture(dom_html='<form action="/senden" method="post"></form>')
    [finding] = found(insecure, "privacy.form-over-http")
    assert finding.selector == "form#kontakt" and finding.evidence["method"] == "post"
    assert found(secure, "privacy.form-over-http") == []


def test_legal_links_on_every_page() -> None:
    missing = capture(links=(Link(HOME + "kontakt/", "Kontakt"), Link(HOME + "impressum/", "Impressum")))
    assert [finding.subject for finding in found(missing, "privacy.legal-links")] == ["datenschutz"]
    assert found(capture(), "privacy.legal-links") == []


class Site:
    """SiteEvidence over hand-made captures."""

    def __init__(self, *captures: PageCapture) -> None:
        self.captures = captures

    def pages(
        self, scenario: Scenario = Scenario.FIRST_VISIT, *, with_dom: bool = False
    ) -> Iterator[PageCapture]:
        return iter([page for page in self.captures if page.scenario is scenario])


def site_findings(site: Site, check_id: str) -> list[Finding]:
    return [
        located.finding
        for located in run_site_checks(site, CONTEXT, REGISTRY).findings
        if located.check.id == check_id
    ]


def hosts(*names: str, **extras) -> dict:
    return {"privacy": {"hosts": list(names)}, **extras}


def test_consent_gates_nothing_compares_reject_and_accept() -> None:
    known_accept = {"consent": {"state": "answered", "known_state": True, "banner_shown_again": False}}
    same = Site(
        capture(Scenario.REJECTED, extras=hosts("static.hotjar.com", **KNOWN_REJECT)),
        capture(Scenario.ACCEPTED, extras=hosts("static.hotjar.com", **known_accept)),
    )
    gated = Site(
        capture(Scenario.REJECTED, extras=hosts("fonts.gstatic.com", **KNOWN_REJECT)),
        capture(
            Scenario.ACCEPTED, extras=hosts("fonts.gstatic.com", "www.google-analytics.com", **known_accept)
        ),
    )
    [finding] = site_findings(same, "privacy.consent-gates-nothing")
    assert finding.result is Result.FAIL and finding.evidence["after_reject"] == ["hotjar"]
    assert site_findings(gated, "privacy.consent-gates-nothing") == []


def test_third_country_recipients_with_dpf_status() -> None:
    site = Site(capture(extras=hosts("www.google-analytics.com", "cdn.jsdelivr.net", "www.pruefamt.de")))
    [finding] = site_findings(site, "privacy.third-country-recipient")
    assert finding.subject == "google-analytics"
    assert finding.evidence["vendor"]["dpf"] == "yes" and finding.evidence["before_consent"] is True
    assert (
        site_findings(Site(capture(extras=hosts("cdn.jsdelivr.net"))), "privacy.third-country-recipient")
        == []
    )


def test_legal_pages_reachable_and_vendors_named_in_the_policy() -> None:
    policy = capture(
        url=HOME + "datenschutz/", dom_html="<main>Wir nutzen Google Fonts der Google LLC.</main>"
    )
    home = capture(extras=hosts("fonts.gstatic.com", "static.hotjar.com"))
    broken = capture(url=HOME + "impressum/", page_status="failed", failure_detail="HTTP 404")
    findings = site_findings(Site(home, policy, broken), "privacy.legal-pages-reachable")
    assert [(finding.result, finding.evidence["url"]) for finding in findings] == [
        (Result.FAIL, HOME + "impressum/")
    ]
    named = site_findings(Site(home, policy), "privacy.vendor-not-in-policy")
    assert [finding.subject for finding in named] == ["hotjar"]  # Google Fonts is named
