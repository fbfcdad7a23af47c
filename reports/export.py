"""Findings of one scan as JSON (the whole scan; docs/export-schema.json) or CSV (one row a finding).

Both formats promise compatibility within schema major version 1: fields are only added, CSV
columns only appended at the end (docs/export.md). Since 1.1 every finding carries its change
against a baseline scan, its template group and its review decision (``reports.history``).
"""

from __future__ import annotations

import csv
import json
from collections import Counter
from typing import TYPE_CHECKING, Any, Literal, TextIO

from reports.grouping import group_key
from reports.history import PREVIOUS, Baseline, Change, ScanHistory, TrackedFinding, scan_history
from reports.queries import CheckInScan, ScanData, checks_in_scan, iso_datetime, load_scan_data
from reports.root_causes import Issue, root_causes
from scanner import PROJECT_URL, __version__
from scanner.findings.registry import CheckRegistry, References, load_all_checks
from scanner.store.models import Finding, HostResult
from scanner.store.report_queries import PageRow
from scanner.store.scans import scan_status
from scanner.text_safety import FORMULA_TRIGGERS, csv_cell, defuse_formula  # noqa: F401  (re-exported)

if TYPE_CHECKING:
    from sqlalchemy.engine import Engine

SCHEMA_URL = f"{PROJECT_URL}/docs/export-schema.json"
SCHEMA_VERSION = "1.2"  # 1.2: scan status "incomplete" (docs/export.md)

CSV_COLUMNS: tuple[str, ...] = (
    "fingerprint",
    "check_id",
    "family",
    "scope",
    "result",
    "severity",
    "page_url",
    "host",
    "scenario",
    "frame_url",
    "selector",
    "subject",
    "snippet",
    "message_de",
    "message_en",
    "evidence_json",
    # 1.1
    "change",
    "group",
    "review_decision",
    "review_state",
    "suppressed",
)

ExportFormat = Literal["json", "csv"]


def export_findings(
    engine: Engine,
    scan_id: int,
    fmt: ExportFormat,
    out: TextIO,
    *,
    registry: CheckRegistry | None = None,
    baseline: Baseline = PREVIOUS,
) -> None:
    """Write the scan's findings to ``out`` as JSON or CSV, compared with ``baseline``.

    For CSV, open files with ``newline=""`` so that the RFC 4180 line ends (CRLF) reach the disk
    unchanged.
    """
    if fmt not in ("json", "csv"):
        raise ValueError(f"unknown export format {fmt!r}; expected 'json' or 'csv'")
    document = export_document(engine, scan_id, registry=registry, baseline=baseline)
    if fmt == "json":
        json.dump(document, out, ensure_ascii=False, indent=2)
        out.write("\n")
    else:
        write_findings_csv(document["findings"], out)


def export_document(
    engine: Engine, scan_id: int, *, registry: CheckRegistry | None = None, baseline: Baseline = PREVIOUS
) -> dict[str, Any]:
    """The JSON export of one scan as a dict (keys in the documented order)."""
    data = load_scan_data(engine, scan_id)
    history = scan_history(engine, scan_id, baseline)
    tracked = history.by_fingerprint()
    registry = registry if registry is not None else load_all_checks()
    reviews = Counter(finding.page_id for finding in data.findings if finding.result == "review")
    return {
        "schema": SCHEMA_URL,
        "schema_version": SCHEMA_VERSION,
        "generator": {"name": "govscan", "version": __version__},
        "scan": _scan(data),
        "checks": [_check(check) for check in checks_in_scan(data, registry)],
        "pages": [_page(page, reviews.get(page.id, 0)) for page in data.pages],
        "hosts": [_host(host) for host in data.hosts],
        "findings": [
            _finding(finding) | _tracking(tracked[finding.fingerprint]) for finding in data.findings
        ],
        "comparison": _comparison(history),
        "issues": [_issue(issue) for issue in root_causes(data.findings, data.vendors_by_host)],
    }


def write_findings_csv(findings: list[dict[str, Any]], out: TextIO) -> None:
    """One row a finding, columns as CSV_COLUMNS; every cell defused against formula injection and
    its control characters escaped (``scanner.text_safety.csv_cell``)."""
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for finding in findings:
        review = finding.get("review") or {}
        row = {
            **finding,
            "evidence_json": compact_json(finding["evidence"]),
            "review_decision": review.get("decision"),
            "review_state": review.get("state"),
            "suppressed": "true" if finding.get("suppressed") else "false",
        }
        writer.writerow([csv_cell(row[column]) for column in CSV_COLUMNS])


def compact_json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def _scan(data: ScanData) -> dict[str, Any]:
    scan = data.scan
    return {
        "id": scan.id,
        "target": data.target_name,
        "authority_level": data.authority_level,
        "status": scan_status(scan).value,  # incomplete also for scans stored before it existed
        "stopped_by": scan.stopped_by,
        "failure_class": scan.failure_class,
        "failure_detail": scan.failure_detail,
        "started_at": iso_datetime(scan.started_at),
        "finished_at": iso_datetime(scan.finished_at),
        "active_seconds": round(scan.active_seconds, 3),
        "govscan_version": scan.govscan_version,
        "chromium_version": scan.chromium_version,
        "engine_versions": _sorted_keys(scan.engine_versions or {}),
        "config_hash": scan.config_hash,
        "summary": _sorted_keys(data.summary),
    }


def _check(item: CheckInScan) -> dict[str, Any]:
    doc = item.check.doc if item.check else None
    references = item.check.references if item.check else References()
    return {
        "id": item.id,
        "family": item.family,
        "scope": item.scope,
        "severity": item.severity,
        "title_de": doc.title.de if doc else item.id,
        "title_en": doc.title.en if doc else item.id,
        "references": {
            "wcag": list(references.wcag),
            "en301549": list(references.en301549),
            "bitv": list(references.bitv),
            "law": list(references.law),
            "standards": list(references.standards),
        },
        "tally": {
            "evaluated": item.tally.evaluated,
            "with_findings": item.tally.with_findings,
            "findings": item.tally.findings,
            "errors": item.tally.errors,
        },
    }


def _page(page: PageRow, reviews: int) -> dict[str, Any]:
    return {
        "url": page.url,
        "final_url": page.final_url,
        "kind": page.kind,
        "status": page.status,
        "failure_class": page.failure_class,
        "http_status": page.http_status,
        "content_type": page.content_type,
        "content_length": page.content_length,
        "title": page.title,
        "depth": page.depth,
        "scenario": page.scenario,
        "failure_detail": page.failure_detail,
        "reviews": reviews,  # review findings of this visit: what a person has to look at there
    }


def _host(host: HostResult) -> dict[str, Any]:
    return {
        "host": host.host,
        "port": host.port,
        "probe": host.probe,
        "ok": host.ok,
        "failure_class": host.failure_class,
        "failure_detail": host.failure_detail,
    }


def _issue(issue: Issue) -> dict[str, Any]:
    return {
        "key": issue.key,
        "kind": issue.cause.kind,
        "cause": issue.cause.label,
        "result": issue.result,
        "severity": issue.worst_severity,
        "families": issue.families,
        "checks": issue.checks,
        "pages": len(issue.pages),
        "hosts": issue.hosts,
        "fingerprints": [finding.fingerprint for finding in issue.findings],
    }


def _finding(finding: Finding) -> dict[str, Any]:
    return {
        "fingerprint": finding.fingerprint,
        "check_id": finding.check_id,
        "family": finding.family,
        "scope": finding.scope,
        "result": finding.result,
        "severity": finding.severity,
        "page_url": finding.page_url,
        "host": finding.host,
        "scenario": finding.scenario,
        "frame_url": finding.frame_url,
        "selector": finding.selector,
        "snippet": finding.snippet,
        "subject": finding.subject,
        "message_de": finding.message_de,
        "message_en": finding.message_en,
        "evidence": _sorted_keys(finding.evidence or {}),
    }


def _tracking(item: TrackedFinding) -> dict[str, Any]:
    review = item.review
    return {
        "change": item.change.value if item.change else None,
        "check_added": item.check_added,
        "group": group_key(item.finding),
        "suppressed": item.suppressed,
        "review": None
        if review is None
        else {
            "decision": review.decision.decision,
            "reason": review.decision.reason,
            "decided_by": review.decision.decided_by,
            "decided_at": iso_datetime(review.decision.decided_at),
            "state": "current" if review.current else "lapsed",
        },
    }


def _comparison(history: ScanHistory) -> dict[str, Any]:
    """The baseline and what changed since: counts, findings gone, versions that differ."""
    baseline = history.baseline
    return {
        "baseline_scan_id": baseline.id if baseline else None,
        "new": history.new_in_site,
        "new_by_added_checks": history.new_by_added_checks,
        "persisting": history.count(Change.PERSISTING),
        "fixed": history.count(Change.FIXED),
        "not_rechecked": history.count(Change.NOT_RECHECKED),
        "suppressed": len(history.suppressed),
        "gone": [
            {
                "fingerprint": item.finding.fingerprint,
                "change": item.change.value if item.change else None,
                "check_id": item.finding.check_id,
                "family": item.finding.family,
                "result": item.finding.result,
                "severity": item.finding.severity,
                "page_url": item.finding.page_url,
                "host": item.finding.host,
            }
            for item in history.gone
        ],
        "version_changes": [change.__dict__ for change in history.version_changes],
    }


def _sorted_keys(value: Any) -> Any:
    """Free-form JSON with its object keys sorted: PostgreSQL's JSONB does not keep key order."""
    if isinstance(value, dict):
        return {str(key): _sorted_keys(value[key]) for key in sorted(value, key=str)}
    if isinstance(value, list):
        return [_sorted_keys(item) for item in value]
    return value
