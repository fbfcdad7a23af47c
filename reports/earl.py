"""Accessibility findings of a scan as EARL 1.0 (W3C Evaluation and Report Language) in JSON-LD.

One ``earl:Assertion`` per accessibility finding: the page (``earl:TestSubject``, a schema.org
WebPage with its URL as ``dct:source``), the govscan check (``earl:TestCase`` with its WCAG, EN
301 549 and BITV references), and the result: ``earl:failed`` for ``fail``, ``earl:cantTell`` for
``review``, with the CSS selector as ``ptr:CSSSelectorPointer``, the snippet as ``earl:info`` and
the message as ``dct:description``. The JSON-LD context is inline, so no processor fetches
anything.

Nothing is asserted as ``earl:passed``: a check that found nothing on a page has only not
detected a defect automatically (ARCHITECTURE.md); the JSON export's ``checks[].tally`` carries
that coverage. Review decisions and the change against the baseline travel as govscan
properties (``govscan:review``, ``govscan:change``); the tool's outcome itself stays as found.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any, TextIO

from reports.history import PREVIOUS, Baseline, TrackedFinding, scan_history
from reports.queries import iso_datetime, load_scan_data
from scanner import PROJECT_URL, __version__
from scanner.findings.registry import CheckRegistry, Family, load_all_checks

if TYPE_CHECKING:
    from sqlalchemy.engine import Engine

GOVSCAN_VOCABULARY = f"{PROJECT_URL}/docs/earl#"
CHECKS_BASE = f"{PROJECT_URL}/docs/checks#"
OUTCOMES = {"fail": "earl:failed", "review": "earl:cantTell"}

CONTEXT: dict[str, Any] = {
    "@vocab": "http://www.w3.org/ns/earl#",
    "earl": "http://www.w3.org/ns/earl#",
    "dct": "http://purl.org/dc/terms/",
    "doap": "http://usefulinc.com/ns/doap#",
    "foaf": "http://xmlns.com/foaf/0.1/",
    "ptr": "http://www.w3.org/2009/pointers#",
    "sch": "https://schema.org/",
    "govscan": GOVSCAN_VOCABULARY,
    "WebPage": "sch:WebPage",
    "source": "dct:source",
    "title": "dct:title",
    "description": "dct:description",
    "date": {"@id": "dct:date", "@type": "http://www.w3.org/2001/XMLSchema#dateTime"},
    "assertedBy": {"@type": "@id"},
    "outcome": {"@type": "@id"},
    "mode": {"@type": "@id"},
    "expression": "ptr:expression",
    "name": "doap:name",
    "revision": "doap:revision",
    "wcag": "govscan:wcagSuccessCriterion",
    "en301549": "govscan:en301549Clause",
    "bitv": "govscan:bitvTestStep",
    "severity": "govscan:severity",
    "fingerprint": "govscan:fingerprint",
    "change": "govscan:change",
    "review": "govscan:review",
    "decision": "govscan:decision",
    "reason": "govscan:reason",
    "decidedBy": "govscan:decidedBy",
    "state": "govscan:reviewState",
    "scan": "govscan:scan",
}


def export_earl(
    engine: Engine,
    scan_id: int,
    out: TextIO,
    *,
    registry: CheckRegistry | None = None,
    baseline: Baseline = PREVIOUS,
) -> None:
    json.dump(
        earl_document(engine, scan_id, registry=registry, baseline=baseline),
        out,
        ensure_ascii=False,
        indent=2,
    )
    out.write("\n")


def earl_document(
    engine: Engine, scan_id: int, *, registry: CheckRegistry | None = None, baseline: Baseline = PREVIOUS
) -> dict[str, Any]:
    registry = registry if registry is not None else load_all_checks()
    data = load_scan_data(engine, scan_id)
    history = scan_history(engine, scan_id, baseline)
    titles = {page.final_url or page.url: page.title for page in data.pages}
    titles.update({page.url: page.title for page in data.pages})
    assertor_id = f"{PROJECT_URL}/releases/{__version__}"
    assertor = {
        "@id": assertor_id,
        "@type": ["earl:Assertor", "earl:Software", "doap:Project"],
        "name": "govscan",
        "revision": __version__,
        "description": f"Chromium {data.scan.chromium_version or 'unknown'}",
    }
    tested = iso_datetime(data.scan.finished_at or data.scan.started_at)
    accessibility = [item for item in history.findings if item.finding.family == Family.ACCESSIBILITY.value]
    test_cases = {
        item.finding.check_id: _test_case(item.finding.check_id, registry) for item in accessibility
    }
    return {
        "@context": CONTEXT,
        "@graph": [
            assertor,
            *test_cases.values(),
            *(_assertion(item, assertor_id, titles, tested, scan_id) for item in accessibility),
        ],
    }


def _test_case(check_id: str, registry: CheckRegistry) -> dict[str, Any]:
    case: dict[str, Any] = {"@id": CHECKS_BASE + check_id, "@type": "earl:TestCase", "title": check_id}
    if check_id in registry:
        check = registry.get(check_id)
        case["title"] = check.doc.title.en
        case["description"] = check.doc.what.en
        references = check.references
        for key, values in (
            ("wcag", references.wcag),
            ("en301549", references.en301549),
            ("bitv", references.bitv),
        ):
            if values:
                case[key] = list(values)
    return case


def _assertion(
    item: TrackedFinding, assertor_id: str, titles: dict[str, str | None], tested: str | None, scan_id: int
) -> dict[str, Any]:
    finding = item.finding
    subject: dict[str, Any] = {
        "@type": ["earl:TestSubject", "WebPage"],
        "source": finding.page_url or finding.host,
    }
    if titles.get(finding.page_url or ""):
        subject["title"] = titles[finding.page_url]
    result: dict[str, Any] = {
        "@type": "earl:TestResult",
        "outcome": OUTCOMES.get(finding.result, "earl:cantTell"),
        "description": finding.message_en,
        "date": tested,
    }
    if finding.selector:
        result["pointer"] = {"@type": "ptr:CSSSelectorPointer", "expression": finding.selector}
    if finding.snippet:
        result["info"] = finding.snippet
    assertion: dict[str, Any] = {
        "@type": "earl:Assertion",
        "assertedBy": assertor_id,
        "mode": "earl:automatic",
        "subject": subject,
        "test": {"@id": CHECKS_BASE + finding.check_id},
        "result": result,
        "severity": finding.severity,
        "fingerprint": finding.fingerprint,
        "scan": scan_id,
    }
    if item.change is not None:
        assertion["change"] = item.change.value
    if item.review is not None:
        decision = item.review.decision
        assertion["review"] = {
            "decision": decision.decision,
            "reason": decision.reason,
            "decidedBy": decision.decided_by,
            "date": iso_datetime(decision.decided_at),
            "state": "current" if item.review.current else "lapsed",
        }
    return assertion
