"""The check contract, the three skeleton checks and fingerprints, on hand-made evidence."""

from __future__ import annotations

import pytest

from scanner.crawl.scope import FirstPartySet
from scanner.evidence import HostProbeResult, Initiator, PageCapture, PageStatus, RequestRecord, Scenario
from scanner.findings.fingerprint import fingerprint, normalise_selector, page_location
from scanner.findings.registry import (
    CHECK_ID,
    CheckContext,
    CheckDoc,
    CheckRegistry,
    Family,
    Finding,
    Result,
    Scope,
    Severity,
    Text,
    check,
    load_all_checks,
)
from scanner.findings.runner import run_host_checks, run_page_checks

REGISTRY = load_all_checks()
CONTEXT = CheckContext("Prüfamt", FirstPartySet(["pruefamt.de", "pruefamt-service.de"]), "kreis")


def capture(**fields) -> PageCapture:
    values = {
        "url": "https://www.pruefamt.de/",
        "scenario": Scenario.FIRST_VISIT,
        "final_url": "https://www.pruefamt.de/",
        "status": 200,
        "html_lang": "de",
    }
    return PageCapture(**(values | fields))


def findings(page: PageCapture, check_id: str) -> list[Finding]:
    return [
        located.finding
        for located in run_page_checks(page, CONTEXT, REGISTRY).findings
        if located.check.id == check_id
    ]


def request(url: str, **fields) -> RequestRecord:
    values = {
        "url": url,
        "method": "GET",
        "resource_type": "script",
        "frame_url": "https://www.pruefamt.de/",
        "is_main_frame": True,
        "is_navigation": False,
    }
    return RequestRecord(**(values | fields))


def test_every_registered_check_declares_its_contract() -> None:
    assert {"accessibility.document-lang", "privacy.third-party-request", "security.https-redirect"} <= {
        registered.id for registered in REGISTRY
    }
    for registered in REGISTRY:
        assert CHECK_ID.match(registered.id) and registered.id.startswith(registered.family.value + ".")
        for text in (
            registered.doc.title,
            registered.doc.what,
            registered.doc.why,
            registered.doc.how_to_fix,
        ):
            assert text.de.strip() and text.en.strip() and text.de != text.en
        assert registered.references.as_dict(), f"{registered.id} names no norm"


def test_the_registry_refuses_bad_ids_and_duplicates() -> None:
    registry = CheckRegistry()
    doc = CheckDoc(Text("t", "t"), Text("w", "w"), Text("y", "y"), Text("h", "h"))
    declare = check(
        id="privacy.example",
        family=Family.PRIVACY,
        scope=Scope.PAGE,
        severity=Severity.MINOR,
        doc=doc,
        registry=registry,
    )
    declare(lambda capture, context: [])
    with pytest.raises(ValueError, match="twice"):
        declare(lambda capture, context: [])
    with pytest.raises(ValueError, match="must look like"):
        check(
            id="security.Upper Case",
            family=Family.SECURITY,
            scope=Scope.PAGE,
            severity=Severity.MINOR,
            doc=doc,
            registry=registry,
        )(lambda capture, context: [])
    with pytest.raises(ValueError, match="must look like"):
        check(
            id="privacy.misfiled",
            family=Family.SECURITY,
            scope=Scope.PAGE,
            severity=Severity.MINOR,
            doc=doc,
            registry=registry,
        )(lambda capture, context: [])


@pytest.mark.parametrize("lang", ["de", "de-DE", "en-GB", "de-CH-1996", "gsw", "DE"])
def test_document_lang_passes_valid_language_tags(lang: str) -> None:
    assert findings(capture(html_lang=lang), "accessibility.document-lang") == []


@pytest.mark.parametrize(
    ("lang", "problem"),
    [
        (None, None),
        ("", "empty"),
        ("  ", "empty"),
        ("deutsch", "not a language tag"),
        ("de_DE", "not a language tag"),
        ("xx", "unknown language code"),
        ("qq-DE", "unknown language code"),
    ],
)
def test_document_lang_fails_missing_or_invalid_tags(lang: str | None, problem: str | None) -> None:
    [finding] = findings(capture(html_lang=lang), "accessibility.document-lang")
    assert finding.result is Result.FAIL
    assert finding.selector == "html"
    assert finding.evidence.get("problem") == problem


def test_checks_do_not_run_on_pages_that_could_not_be_tested() -> None:
    failed = capture(html_lang=None, page_status=PageStatus.FAILED)
    assert run_page_checks(failed, CONTEXT, REGISTRY).findings == []


def test_third_party_requests_are_grouped_per_host_with_redacted_evidence() -> None:
    page = capture(
        requests=(
            request("https://www.pruefamt.de/app.js"),
            request("https://cdn.pruefamt-service.de/lib.js"),  # a declared first-party domain
            request("data:image/png;base64,AAAA", resource_type="image"),
            request(
                "https://www.google-analytics.com/g/collect?cid=555.777&tid=G-1",
                resource_type="ping",
                initiator=Initiator("beacon", "https://www.googletagmanager.com/gtag/js?id=G-1"),
            ),
            request(
                "https://www.googletagmanager.com/gtag/js?id=G-1",
                initiator=Initiator("parser", "https://www.pruefamt.de/"),
            ),
        )
    )

    found = findings(page, "privacy.third-party-request")

    assert [finding.subject for finding in found] == ["www.google-analytics.com", "www.googletagmanager.com"]
    beacon = found[0].evidence["requests"][0]
    assert beacon["resource_type"] == "ping"
    assert "555.777" not in beacon["url"] and beacon["url"].startswith(
        "https://www.google-analytics.com/g/collect?cid=~"
    )
    assert beacon["initiator"].startswith("https://www.googletagmanager.com/gtag/js?id=~")
    assert found[0].evidence["registrable_domain"] == "google-analytics.com"


def test_a_page_with_only_first_party_requests_has_no_third_party_finding() -> None:
    page = capture(requests=(request("https://www.pruefamt.de/a.js"), request("https://pruefamt.de/b.css")))
    assert findings(page, "privacy.third-party-request") == []


def probe(*hops: dict, available: bool = True, ok: bool = True) -> HostProbeResult:
    return HostProbeResult(
        "www.pruefamt.de", 80, "http-redirect", ok, {"http_available": available, "hops": list(hops)}
    )


def redirect_findings(result: HostProbeResult) -> list[str]:
    return [
        located.finding.evidence["problem"] for located in run_host_checks(result, CONTEXT, REGISTRY).findings
    ]


@pytest.mark.parametrize(
    ("hops", "problem"),
    [
        ([{"url": "http://www.pruefamt.de/", "status": 200}], "no-redirect"),
        (
            [{"url": "http://www.pruefamt.de/", "status": 301, "location": "http://www.pruefamt.de/start"}],
            "first-redirect-not-https",
        ),
        (
            [{"url": "http://www.pruefamt.de/", "status": 301, "location": "https://pruefamt.de/"}],
            "first-redirect-off-host",
        ),
        (
            [
                {"url": "http://www.pruefamt.de/", "status": 302, "location": "https://www.pruefamt.de/"},
                {"url": "https://www.pruefamt.de/", "status": 301, "location": "http://www.pruefamt.de/x"},
                {"url": "http://www.pruefamt.de/x", "status": 200},
            ],
            "final-not-https",
        ),
    ],
)
def test_https_redirect_fails_each_kind_of_bad_redirect(hops: list[dict], problem: str) -> None:
    assert redirect_findings(probe(*hops)) == [problem]


def test_https_redirect_passes_a_direct_redirect_and_hosts_without_plain_http() -> None:
    good = probe(
        {"url": "http://www.pruefamt.de/", "status": 301, "location": "https://www.pruefamt.de/"},
        {"url": "https://www.pruefamt.de/", "status": 200},
    )
    assert redirect_findings(good) == []
    assert redirect_findings(probe(available=False)) == []


def test_an_untested_host_yields_neither_finding_nor_pass() -> None:
    outcome = run_host_checks(probe(ok=False, available=False), CONTEXT, REGISTRY)
    assert outcome.findings == [] and outcome.tallies == {}  # no tally: nothing was evaluated


def test_fingerprints_ignore_positions_and_fragments_but_not_place_or_subject() -> None:
    finding = Finding(Result.FAIL, Text("x", "x"), selector="main > p:nth-child(3) > img")
    moved = Finding(Result.FAIL, Text("y", "y"), selector="main > p:nth-child(4) > img")
    page = page_location("https://www.pruefamt.de/a?b=1#oben")

    assert normalise_selector(finding.selector) == "main > p > img"
    assert fingerprint("accessibility.x", page, finding) == fingerprint("accessibility.x", page, moved)
    assert page == page_location("http://WWW.pruefamt.de/a?b=1")
    assert fingerprint("accessibility.x", page, finding) != fingerprint("accessibility.y", page, finding)
    assert fingerprint("accessibility.x", page, finding) != fingerprint(
        "accessibility.x", page_location("https://www.pruefamt.de/c"), finding
    )
    assert page_location("https://www.pruefamt.de/", Scenario.REJECTED) != page_location(
        "https://www.pruefamt.de/"
    )


def test_identical_findings_on_one_page_get_distinct_fingerprints() -> None:
    registry = CheckRegistry()
    doc = CheckDoc(Text("t", "t"), Text("w", "w"), Text("y", "y"), Text("h", "h"))
    same = Finding(Result.REVIEW, Text("gleich", "same"), selector="img")
    check(
        id="accessibility.twice",
        family=Family.ACCESSIBILITY,
        scope=Scope.PAGE,
        severity=Severity.MINOR,
        doc=doc,
        registry=registry,
    )(lambda capture, context: [same, same])

    outcome = run_page_checks(capture(), CONTEXT, registry)

    assert len(outcome.findings) == 2
    assert len({located.fingerprint for located in outcome.findings}) == 2
    assert outcome.tallies["accessibility.twice"].findings == 2


def test_a_crashing_check_is_counted_as_an_error_not_a_pass() -> None:
    registry = CheckRegistry()
    doc = CheckDoc(Text("t", "t"), Text("w", "w"), Text("y", "y"), Text("h", "h"))

    def broken(capture, context):
        raise RuntimeError("bug")

    check(
        id="privacy.broken",
        family=Family.PRIVACY,
        scope=Scope.PAGE,
        severity=Severity.MINOR,
        doc=doc,
        registry=registry,
    )(broken)

    tally = run_page_checks(capture(), CONTEXT, registry).tallies["privacy.broken"]

    assert (tally.evaluated, tally.errors, tally.with_findings) == (1, 1, 0)
