"""security.http-headers: the HTTP header grade (MDN HTTP Observatory algorithm v5) and its tests.

The grade is judged here, at scan time, from what the ``http-headers`` probe fetched, and stored
as the check's ``header-grade`` record; every test the grade counts against the host is a finding.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from checks.security.observatory import ALGORITHM_VERSION, grade_site
from checks.security.observatory.descriptions import RESULTS, TEST_TITLES
from checks.security.observatory.preload import installed_preload_list
from checks.security.review_notes import NOTES
from scanner.evidence import HostProbeResult
from scanner.evidence.http_headers import HttpHeadersEvidence
from scanner.evidence.site_fetches import SiteFetches
from scanner.findings.registry import (
    CheckContext,
    CheckDoc,
    Family,
    Finding,
    Record,
    References,
    Result,
    Scope,
    Severity,
    Text,
    check,
)

HEADER_GRADE = "header-grade"  # the record kind, stored in the header_grade table
PRELOAD_STATES = {True: "installed", False: "not installed"}


def header_grade(evidence: HttpHeadersEvidence) -> dict[str, Any]:
    """The Observatory grade of what the probe fetched (``SiteGrade`` JSON), or why there is none.

    Both carry the algorithm version and whether the HSTS preload list was installed, since the
    preload bonus can only be reached with it.
    """
    preload = installed_preload_list()
    fetches = SiteFetches.from_json(evidence.fetches)
    noted = {"algorithm_version": ALGORITHM_VERSION, "preload_list": PRELOAD_STATES[preload is not None]}
    graded = fetches.auto
    if graded is None:
        return {**noted, "not_graded": "no answer over HTTP or HTTPS"}
    if not 200 <= graded.status < 300:  # the Observatory grades 2xx pages only
        return {**noted, "not_graded": f"HTTP {graded.status} at {graded.url}"}
    return {**noted, **grade_site(fetches, preload).as_json()}


def severity_for(modifier: int) -> Severity:
    if modifier <= -40:
        return Severity.SERIOUS
    if modifier <= -20:
        return Severity.MODERATE
    return Severity.MINOR


@check(
    id="security.http-headers",
    review=NOTES["security.http-headers"],
    family=Family.SECURITY,
    scope=Scope.HOST,
    severity=Severity.MODERATE,
    probe="http-headers",
    references=References(
        law=("DSGVO Art. 32",),
        standards=("MDN HTTP Observatory (Algorithmus v5)", "RFC 6797", "W3C CSP Level 3", "W3C SRI"),
    ),
    doc=CheckDoc(
        title=Text("Sicherheits-Header nach MDN HTTP Observatory", "Security headers (MDN HTTP Observatory)"),
        what=Text(
            "Die zehn Tests der HTTP-Observatory-Bewertung (Algorithmus v5) auf der Startseite des Hosts: "
            "CSP, Cookies, CORS, Umleitung, Referrer-Policy, HSTS, SRI, X-Content-Type-Options, "
            "X-Frame-Options und CORP. Ein Test, den das Verfahren als Fehlschlag wertet, ist ein "
            "Mangel mit seinem Punktabzug; ein Test mit Abzug, den es nicht als Fehlschlag wertet, ist "
            "zu prüfen. Note und Punktzahl stehen im Abschnitt Sicherheit des Berichts.",
            "The ten tests of the HTTP Observatory grade (algorithm v5) on the host's home page: CSP, "
            "cookies, CORS, redirection, Referrer-Policy, HSTS, SRI, X-Content-Type-Options, "
            "X-Frame-Options and CORP. A test the method counts as failed is a defect with its score "
            "modifier; a test with a penalty that it does not count as failed is for review. Grade and "
            "score are in the report's security section.",
        ),
        why=Text(
            "Die Header schützen Bürgerinnen und Bürger vor Skripteinschleusung, Clickjacking, "
            "Herabstufung auf HTTP und dem Abfluss von Adressen an Dritte. Die Observatory-Note ist "
            "Webteams vertraut und vergleichbar. DSGVO Art. 32.",
            "These headers protect citizens from script injection, clickjacking, downgrades to HTTP and "
            "addresses leaking to third parties. Web teams know the Observatory grade and can compare "
            "it. GDPR Art. 32.",
        ),
        how_to_fix=Text(
            "Die fehlenden Header im Webserver setzen, z. B. 'Strict-Transport-Security: max-age=31536000', "
            "'Content-Security-Policy: default-src 'self'; frame-ancestors 'self'', "
            "'X-Content-Type-Options: nosniff', 'Referrer-Policy: strict-origin-when-cross-origin'.",
            "Set the missing headers in the web server, e.g. 'Strict-Transport-Security: max-age=31536000', "
            "'Content-Security-Policy: default-src 'self'; frame-ancestors 'self'', "
            "'X-Content-Type-Options: nosniff', 'Referrer-Policy: strict-origin-when-cross-origin'.",
        ),
        example="strict-transport-security: hsts-not-implemented (-20)",
    ),
)
def http_headers(probe: HostProbeResult, context: CheckContext) -> Iterator[Finding | Record]:
    evidence = probe.evidence(HttpHeadersEvidence)
    if evidence is None:
        return
    grade = header_grade(evidence)
    yield Record(HEADER_GRADE, grade)
    if "not_graded" in grade:
        return  # not graded (no 2xx page): the report says so, no finding either way
    for name, test in grade["tests"].items():
        modifier = test["modifier"]
        if test["pass"] and modifier >= 0:
            continue
        title, result = TEST_TITLES[name], RESULTS[test["result"]]
        yield Finding(
            result=Result.REVIEW if test["pass"] else Result.FAIL,
            severity=severity_for(modifier),
            message=Text(
                f"{title.de}: {result.de} ({modifier:+d} Punkte).",
                f"{title.en}: {result.en} ({modifier:+d} points).",
            ),
            subject=name,
            evidence={
                "test": name,
                "result": test["result"],
                "modifier": modifier,
                "score": grade["score"],
                "grade": grade["grade"],
                "algorithm_version": grade["algorithm_version"],
                "data": test["data"],
            },
        )
