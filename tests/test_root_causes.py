"""One fault, one issue: findings that share a cause roll up, across checks and pages, with stable keys."""

from __future__ import annotations

from reports.root_causes import cause_of, issue_key, root_causes
from scanner.store.models import Finding

PIXEL = {"id": "meta-pixel", "name": "Meta Pixel", "company": "Meta Platforms Ireland Ltd."}
VENDORS = {"connect.facebook.net": ("meta-pixel", "Meta Pixel")}


def finding(check_id: str, page: str | None = None, **fields) -> Finding:
    family = check_id.split(".", 1)[0]
    values = {
        "scan_id": 1,
        "check_id": check_id,
        "family": family,
        "scope": "host" if fields.get("host") else "page",
        "result": "fail",
        "severity": "serious",
        "fingerprint": f"{check_id}|{page}|{fields.get('subject')}|{fields.get('selector')}",
        "page_url": page,
        "message_de": "x",
        "message_en": "x",
    }
    return Finding(**(values | fields))


def pages(n: int) -> list[str]:
    return [f"https://www.amt.de/seite-{index}/" for index in range(n)]


def test_a_pixel_across_checks_and_pages_is_one_issue() -> None:
    findings = []
    for page in pages(5):
        findings += [
            finding("privacy.tracker-before-consent", page, subject="meta-pixel", evidence={"vendor": PIXEL}),
            finding(
                "privacy.third-party-request",
                page,
                subject="connect.facebook.net",
                evidence={"host": "connect.facebook.net"},
            ),
            finding(
                "privacy.identifier-cookie-before-consent",
                page,
                subject="_fbp@.amt.de",
                evidence={"setter": {"url": "https://connect.facebook.net/en_US/fbevents.js"}},
            ),
            finding(
                "security.sri-missing",
                page,
                subject="https://connect.facebook.net/en_US/fbevents.js",
                evidence={"host": "connect.facebook.net"},
                result="review",
            ),
        ]
    [issue] = root_causes(findings, VENDORS)
    assert (issue.cause.kind, issue.cause.value, issue.cause.label) == ("service", "meta-pixel", "Meta Pixel")
    assert len(issue.findings) == 20 and issue.pages == pages(5)
    assert issue.families == ["privacy", "security"] and len(issue.checks) == 4
    assert issue.result == "fail"


def test_host_facts_are_one_issue_per_host_and_tls_checks_one_per_server() -> None:
    findings = [
        finding("security.version-banner", page, subject="Server: Apache/2.4.41") for page in pages(4)
    ]
    findings += [
        finding("security.version-banner", "https://formulare.amt.de/a", subject="Server: Apache/2.4.41")
    ]
    findings += [
        finding("security.tls.protocols", host="www.amt.de", subject="TLSv1.0"),
        finding("security.tls.profile", host="www.amt.de", subject="mozilla-intermediate"),
        finding("security.http-headers", host="www.amt.de", subject="strict-transport-security"),
        finding("security.http-headers", host="www.amt.de", subject="x-frame-options"),
    ]
    labels = sorted(issue.cause.label for issue in root_causes(findings))
    assert labels == [
        "formulare.amt.de: Server: Apache/2.4.41",
        "www.amt.de: Server: Apache/2.4.41",
        "www.amt.de: strict-transport-security",
        "www.amt.de: tls",
        "www.amt.de: x-frame-options",
    ]


def test_overlapping_checks_of_a_family_are_one_issue_and_template_elements_group() -> None:
    findings = []
    for page in pages(3):
        findings += [
            finding("accessibility.document-lang", page),
            finding("accessibility.axe.html-has-lang", page, selector="html"),
            finding("accessibility.axe.color-contrast", page, selector="footer > p:nth-child(2)"),
        ]
    issues = root_causes(findings)
    assert [(issue.cause.label, len(issue.findings), len(issue.pages)) for issue in issues] == [
        ("accessibility.document-lang", 6, 3),  # govscan's and axe's check of one attribute
        ("footer > p", 3, 3),  # one template element on every page
    ]


def test_issue_keys_are_stable_and_distinct() -> None:
    one = cause_of(finding("privacy.tracker-before-consent", "https://a.de/", evidence={"vendor": PIXEL}))
    again = cause_of(finding("privacy.tracker-before-consent", "https://a.de/x", evidence={"vendor": PIXEL}))
    other = cause_of(finding("security.version-banner", "https://a.de/", subject="Server: nginx/1.2"))
    assert issue_key(one) == issue_key(again) != issue_key(other)
    assert len(issue_key(one)) == 16
