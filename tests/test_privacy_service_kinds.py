"""Service kinds in the vendor registry, and the severity of a check's findings per consent scenario."""

from __future__ import annotations

import pytest

from checks.privacy.vendors import RegistryError, default_kind, parse_registry, vendor_registry
from reports.dpo import LABELS, _vendor_row
from scanner.crawl.scope import FirstPartySet
from scanner.evidence import PageCapture, RequestRecord, Scenario
from scanner.findings.fingerprint import page_location
from scanner.findings.registry import CheckContext, Family, Scope, Severity, load_all_checks
from scanner.findings.runner import run_page_checks

REGISTRY = load_all_checks()
CONTEXT = CheckContext("Prüfamt", FirstPartySet(["pruefamt.de"]), "kreis")
HOME = "https://www.pruefamt.de/"


def capture(scenario: Scenario, *urls: str) -> PageCapture:
    requests = tuple(
        RequestRecord(
            url=url,
            method="GET",
            resource_type="script",
            frame_url=HOME,
            is_main_frame=True,
            is_navigation=False,
        )
        for url in urls
    )
    return PageCapture(url=HOME, scenario=scenario, final_url=HOME, status=200, requests=requests)


@pytest.mark.parametrize(
    ("url", "service", "kind"),
    [
        ("https://connect.facebook.net/en_US/fbevents.js", "meta-pixel", "tracker"),
        ("https://connect.facebook.net/de_DE/fbevents.js", "meta-pixel", "tracker"),
        ("https://www.facebook.com/tr?id=1&ev=PageView", "meta-pixel", "tracker"),
        ("https://connect.facebook.net/de_DE/sdk.js", "facebook", "embed"),
        ("https://www.facebook.com/plugins/page.php?href=x", "facebook", "embed"),
        ("https://www.youtube.com/embed/x", "youtube", "embed"),
        ("https://www.google-analytics.com/g/collect", "google-analytics", "tracker"),
        ("https://www.google.com/recaptcha/api.js", "google-recaptcha", "functional"),
        ("https://fonts.googleapis.com/css2?family=X", "google-fonts", "functional"),
    ],
)
def test_services_of_one_company_have_kinds_of_their_own(url: str, service: str, kind: str) -> None:
    vendor = vendor_registry().lookup_url(url)
    assert vendor is not None and (vendor.id, vendor.service_kind) == (service, kind)
    assert vendor.summary()["kind"] == kind


def test_one_company_is_one_vendor_with_named_services() -> None:
    services = {vendor.id for vendor in vendor_registry().services_of("Meta Platforms, Inc.")}
    assert {"facebook", "meta-pixel", "instagram"} <= services
    assert vendor_registry().vendors["meta-pixel"].label == "Meta-Pixel (Meta Platforms, Inc.)"


def test_an_unknown_kind_is_refused_with_entry_and_field() -> None:
    text = """
version = "1"
[[vendor]]
id = "beispiel"
name = "Beispiel"
company = "Beispiel GmbH"
country = "DE"
eea = true
dpf = "not-applicable"
dpf_checked = 2026-11-26
category = "analytics"
kind = "pixel"
domains = ["beispiel.de"]
"""
    with pytest.raises(RegistryError, match=r"beispiel\).*field 'kind': 'pixel' is not one of"):
        parse_registry(text, "test.toml")


def test_a_stored_vendor_record_without_kind_still_renders_with_the_kind_of_its_category() -> None:
    stored = {  # as attribution stored it before services had kinds
        "id": "youtube",
        "name": "YouTube",
        "company": "Google LLC",
        "country": "US",
        "eea": False,
        "dpf": "yes",
        "dpf_checked": "2026-11-26",
        "category": "video",
    }
    row = _vendor_row(stored, "www.youtube.com", LABELS["en"])
    assert row.services == ["YouTube (embed)"]
    assert default_kind("session-recording") == "tracker"


def test_the_meta_pixel_loader_is_a_tracker_finding_not_an_embed() -> None:
    page = capture(Scenario.FIRST_VISIT, "https://connect.facebook.net/en_US/fbevents.js")
    found = {
        (item.check.id, item.finding.subject) for item in run_page_checks(page, CONTEXT, REGISTRY).findings
    }
    assert ("privacy.tracker-before-consent", "meta-pixel") in found
    assert not any(check == "privacy.embed-without-consent" for check, _ in found)


def test_after_accept_findings_are_info_unless_the_check_declares_otherwise() -> None:
    urls = ("https://www.googletagmanager.com/gtag/js?id=G-ABC123", "https://static.hotjar.com/c/hotjar-1.js")
    severities = {
        scenario: {
            (item.check.id, item.finding.subject): item.finding.severity or item.check.severity
            for item in run_page_checks(capture(scenario, *urls), CONTEXT, REGISTRY).findings
        }
        for scenario in Scenario
    }
    accepted = severities[Scenario.ACCEPTED]
    assert accepted[("privacy.tracker-before-consent", "google-tag-manager")] is Severity.INFO
    assert accepted[("privacy.third-party-request", "www.googletagmanager.com")] is Severity.INFO
    assert accepted[("privacy.session-recording", "hotjar")] is Severity.SERIOUS
    first_visit = severities[Scenario.FIRST_VISIT]
    assert first_visit[("privacy.tracker-before-consent", "google-tag-manager")] is Severity.SERIOUS
    assert first_visit[("privacy.session-recording", "hotjar")] is Severity.CRITICAL
    rejected = severities[Scenario.REJECTED]
    assert rejected[("privacy.third-party-request", "www.googletagmanager.com")] is Severity.MODERATE
    assert ("privacy.tracker-before-consent", "google-tag-manager") not in rejected  # tracking-after-reject


def test_accessibility_and_security_page_checks_stay_with_the_first_visit() -> None:
    for check in REGISTRY.of_scope(Scope.PAGE):
        if check.family is not Family.PRIVACY:
            assert check.scenarios == {Scenario.FIRST_VISIT}, check.id


def test_first_visit_locations_are_unchanged_and_other_scenarios_are_apart() -> None:
    url = "https://www.pruefamt.de/seite/"
    assert page_location(url, Scenario.FIRST_VISIT) == page_location(url) == "www.pruefamt.de/seite/"
    assert page_location(url, Scenario.ACCEPTED) == "www.pruefamt.de/seite/#accepted"
