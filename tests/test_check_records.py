"""Judgement happens in checks: the header grade and the TLS profile outcomes are records the security
checks yield at scan time, written by the store; probes only fetch, reports only read."""

from __future__ import annotations

import pytest
from sqlmodel import select
from test_security_report import HOST, TLS_FACTS

from checks.security.http_headers import header_grade
from checks.security.observatory import FetchedResponse, SiteFetches, grade_site
from checks.security.tls_profiles import all_profiles, evaluate
from scanner.crawl.scope import FirstPartySet
from scanner.evidence import HostProbeResult
from scanner.evidence.http_headers import HttpHeadersEvidence
from scanner.findings.located import CheckOutcome, LocatedRecord
from scanner.findings.registry import CheckContext, load_all_checks
from scanner.findings.runner import run_host_checks
from scanner.probes.http_headers import _essentials
from scanner.store.db import session
from scanner.store.evidence_rows import add_findings
from scanner.store.security import HeaderGrade, TlsProfileOutcome

from populate import populate_scan

CONTEXT = CheckContext("Test", FirstPartySet([HOST]), "kreis")
HTML = (("content-type", "text/html; charset=utf-8"),)
PAGE = """<!doctype html><html lang="de"><head><title>Start</title>
<meta name="referrer" content="no-referrer">
<script src="https://cdn.example.net/lib-1.2.js"></script>
</head><body><main>{filler}</main>
<meta http-equiv="Content-Security-Policy" content="default-src 'self'">
<script src="/own.js" integrity="sha384-abc"></script>
<script>var inline = "<meta http-equiv='refresh'>";</script>
</body></html>"""


def headers_result(page: FetchedResponse) -> HostProbeResult:
    fetches = SiteFetches(HOST, http=None, https=page)
    return HostProbeResult(HOST, 443, "http-headers", True, HttpHeadersEvidence(fetches.as_json()).to_json())


def stored(engine, outcome: CheckOutcome) -> int:
    scan_id = populate_scan(engine).scan_id
    with session(engine) as db:
        add_findings(db, scan_id, None, outcome)
        db.commit()
    return scan_id


def test_header_grade_is_the_checks_record_and_stored(engine) -> None:
    page = FetchedResponse(f"https://{HOST}/", 200, HTML, PAGE.format(filler="x"))
    outcome = run_host_checks(headers_result(page), CONTEXT, load_all_checks())
    [record] = [record for record in outcome.records if record.kind == "header-grade"]
    expected = grade_site(SiteFetches(HOST, http=None, https=page)).as_json()
    assert (record.check_id, record.host, record.port) == ("security.http-headers", HOST, 443)
    assert record.data["score"] == expected["score"] and record.data["tests"] == expected["tests"]
    assert record.data["preload_list"] == "not installed"
    scan_id = stored(engine, outcome)
    with session(engine) as db:
        [row] = db.exec(select(HeaderGrade).where(HeaderGrade.scan_id == scan_id)).all()
    assert (row.host, row.score, row.grade, row.tests) == (
        HOST,
        expected["score"],
        expected["grade"],
        expected["tests"],
    )


def test_a_page_that_is_not_2xx_is_recorded_as_not_graded(engine) -> None:
    page = FetchedResponse(f"https://{HOST}/", 404, HTML, "<p>weg</p>")
    grade = header_grade(HttpHeadersEvidence.from_json(headers_result(page).data))
    assert grade["not_graded"] == f"HTTP 404 at https://{HOST}/" and "score" not in grade
    outcome = run_host_checks(headers_result(page), CONTEXT, load_all_checks())
    assert not [f for f in outcome.findings if f.check.id == "security.http-headers"]
    scan_id = stored(engine, outcome)
    with session(engine) as db:
        [row] = db.exec(select(HeaderGrade).where(HeaderGrade.scan_id == scan_id)).all()
    assert (row.score, row.not_graded) == (None, f"HTTP 404 at https://{HOST}/")


def test_the_stored_body_grades_exactly_as_the_whole_page() -> None:
    whole = FetchedResponse(f"https://{HOST}/", 200, HTML, PAGE.format(filler="<p>Text</p>" * 20_000))
    kept = _essentials(whole)
    assert kept is not None and len(kept.body) < 1_000 < len(whole.body)
    assert "inline" not in kept.body  # script contents are not graded, so not kept
    full = grade_site(SiteFetches(HOST, http=None, https=whole)).as_json()
    assert grade_site(SiteFetches(HOST, http=None, https=kept)).as_json() == full
    assert full["tests"]["content-security-policy"]["result"] != "csp-not-implemented"  # the <meta> counted
    assert full["tests"]["subresource-integrity"]["data"]["scripts"]  # the foreign script counted


def test_every_tls_profile_outcome_is_a_record_of_the_profile_check(engine) -> None:
    result = HostProbeResult(HOST, 443, "tls", True, TLS_FACTS)
    outcome = run_host_checks(result, CONTEXT, load_all_checks())
    records = {r.data["profile"]: r for r in outcome.records if r.kind == "tls-profile-outcome"}
    assert set(records) == {profile.name for profile in all_profiles()}
    for profile in all_profiles():
        assert records[profile.name].data["deviations"] == evaluate(profile, TLS_FACTS).deviations
    scan_id = stored(engine, outcome)
    with session(engine) as db:
        rows = db.exec(select(TlsProfileOutcome).where(TlsProfileOutcome.scan_id == scan_id)).all()
    assert {(row.host, row.port, row.profile) for row in rows} == {(HOST, 443, name) for name in records}


def test_a_record_nobody_stores_fails_loudly(engine) -> None:
    outcome = CheckOutcome(records=[LocatedRecord("x.check", "no-such-kind", {}, HOST, 443)])
    with pytest.raises(LookupError, match="no-such-kind"):
        stored(engine, outcome)
