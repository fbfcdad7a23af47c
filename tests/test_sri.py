"""security.sri-missing: a defect only where SRI can work (a fixed version), a review with its reason
where it cannot (dynamic addresses, unversioned vendor loaders such as pixels and captcha api.js)."""

from __future__ import annotations

from scanner.crawl.scope import FirstPartySet
from scanner.evidence import PageCapture, Scenario
from scanner.findings.registry import CheckContext, load_all_checks
from scanner.findings.runner import run_page_checks

HOME = "https://www.sri-amt.de/"
SCRIPTS = {
    "https://cdn.jsdelivr.net/npm/slider@1.0.0/slider.min.js": ("fail", None),
    "https://cdnjs.cloudflare.com/ajax/libs/jquery/3.7.1/jquery.min.js": ("fail", None),
    "https://static.example-cdn.net/build/main.4f3a9c2b.js": ("fail", None),  # a content hash
    "https://connect.facebook.net/en_US/fbevents.js": ("review", "unversioned"),  # the Meta pixel
    "https://www.google.com/recaptcha/api.js": ("review", "unversioned"),
    "https://www.googletagmanager.com/gtag/js?id=G-1": ("review", "dynamic"),
}


def test_only_versioned_third_party_files_are_defects() -> None:
    body = "".join(f'<script src="{url}"></script>' for url in SCRIPTS)
    body += '<script src="/eigen.js"></script>'  # our own
    body += '<script src="https://x.de/a@1.0/a.js" integrity="sha384-x"></script>'  # with SRI
    capture = PageCapture(HOME, Scenario.FIRST_VISIT, HOME, 200, dom_html=f"<html><head>{body}</head></html>")
    context = CheckContext("SRI", FirstPartySet(["sri-amt.de"]), "kreis")
    found = {
        located.finding.evidence["url"]: (
            located.finding.result.value,
            located.finding.evidence["review_reason"],
        )
        for located in run_page_checks(capture, context, load_all_checks()).findings
        if located.check.id == "security.sri-missing"
    }
    assert found == {url.split("?")[0]: expected for url, expected in SCRIPTS.items()}
