"""Running checks on evidence: findings with fingerprints, plus the coverage tally per check.

A check that crashes is a bug in govscan, not a property of the site: it is counted as an error
for that subject (shown in the report's coverage) and never as a pass.
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Iterable

from scanner.evidence import HostProbeResult, PageCapture
from scanner.findings.fingerprint import fingerprint, page_location
from scanner.findings.located import CheckOutcome, LocatedFinding, LocatedRecord, TallyDelta
from scanner.findings.registry import (
    Check,
    CheckContext,
    CheckRegistry,
    Finding,
    Record,
    Scope,
    SiteEvidence,
)
from scanner.findings.review import with_note

log = logging.getLogger(__name__)


def run_page_checks(capture: PageCapture, context: CheckContext, registry: CheckRegistry) -> CheckOutcome:
    if not capture.is_testable:
        return CheckOutcome()
    location = page_location(capture.final_url or capture.url, capture.scenario)
    checks = [check for check in registry.of_scope(Scope.PAGE) if check.applies_to(capture)]
    return _run(
        checks,
        lambda check: check.run_on_page(capture, context),
        location,
        page_url=capture.final_url or capture.url,
        scenario=capture.scenario,
    )


def run_host_checks(probe: HostProbeResult, context: CheckContext, registry: CheckRegistry) -> CheckOutcome:
    if not probe.ok:
        return CheckOutcome()  # not tested: the probe's failure class is the record
    checks = [check for check in registry.of_scope(Scope.HOST) if check.probe == probe.probe]
    return _run(
        checks,
        lambda check: check.run(probe, context),
        f"{probe.host}:{probe.port}",
        host=probe.host,
        port=probe.port,
    )


def run_site_checks(site: SiteEvidence, context: CheckContext, registry: CheckRegistry) -> CheckOutcome:
    return _run(registry.of_scope(Scope.SITE), lambda check: check.run(site, context), "site")


def _run(checks: list[Check], call, location: str, port: int | None = None, **where) -> CheckOutcome:
    """Run ``checks``; ``where`` places their findings (page, scenario, host), ``port`` their records."""
    outcome = CheckOutcome()
    for check in checks:
        delta = outcome.tallies.setdefault(check.id, TallyDelta())
        delta.evaluated += 1
        try:
            items = list(call(check))
        except Exception:
            log.exception("check %s crashed at %s", check.id, location)
            delta.errors += 1
            continue
        findings = [with_note(item, check.review) for item in items if isinstance(item, Finding)]
        outcome.records.extend(
            LocatedRecord(check.id, item.kind, item.data, where.get("host"), port)
            for item in items
            if isinstance(item, Record)
        )
        if findings:
            delta.with_findings += 1
            delta.findings += len(findings)
        outcome.findings.extend(_locate(check, findings, location, **where))
    return outcome


def _locate(check: Check, findings: Iterable[Finding], location: str, **where) -> list[LocatedFinding]:
    seen: Counter[str] = Counter()
    located = []
    for finding in findings:
        base = fingerprint(check.id, location, finding)
        occurrence = seen[base]
        seen[base] += 1
        located.append(
            LocatedFinding(check, finding, fingerprint(check.id, location, finding, occurrence), **where)
        )
    return located
