"""Identity over time: what is new, fixed or persisting in a scan compared with an earlier one.

Findings are matched by fingerprint (``scanner.findings.fingerprint``). A finding of the earlier scan that
is missing from the later one counts as *fixed* only if the later scan looked again: the same
check ran, did not crash, and tested the same page (or probed the same host; site checks: the
scan completed whole, not stopped early by a limit). Otherwise it is *not re-checked*: a page that
timed out, a page an incomplete scan never reached, a host beyond ``max_probed_hosts`` is never a fix.
The default baseline is the previous scan that completed whole, never an incomplete one.

A finding missing from the earlier scan is *new*. When the earlier scan did not run its check at
all (a check added by a govscan upgrade), it is marked ``check_added``: such findings are shown
as new but never trip the ``--fail-on new:...`` gate, so an engine upgrade is not taken for a
regression of the site. Version changes between the two scans are listed beside every comparison.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from enum import StrEnum
from typing import TYPE_CHECKING, Any, Literal

from scanner.findings.fingerprint import page_location
from scanner.store.db import session as open_session
from scanner.store.models import Finding, Scan
from scanner.store.report_queries import (
    check_tallies,
    finding_rows,
    host_rows,
    page_rows,
    previous_completed_scan,
)
from scanner.store.reviews import Decision, ReviewDecision, judged_hash, latest_decisions
from scanner.store.scans import ScanLookupError, get_scan, is_complete

if TYPE_CHECKING:
    from sqlalchemy.engine import Engine
    from sqlmodel import Session

PREVIOUS: Literal["previous"] = "previous"  # baseline: the previous complete scan of the same target
Baseline = int | None | Literal["previous"]


class Change(StrEnum):
    NEW = "new"
    PERSISTING = "persisting"
    FIXED = "fixed"
    NOT_RECHECKED = "not-rechecked"  # gone from the later scan, but it did not look there again


class ScanMismatch(ScanLookupError):
    """Two scans that cannot be compared (different targets)."""


@dataclass(frozen=True)
class ReviewState:
    decision: ReviewDecision
    current: bool  # the finding is unchanged since it was judged

    @property
    def suppressed(self) -> bool:
        return self.current and Decision(self.decision.decision).suppresses

    @property
    def lapsed(self) -> bool:
        return not self.current


@dataclass(frozen=True)
class TrackedFinding:
    """A finding with its place in history and its review state."""

    finding: Finding
    change: Change | None  # None: no baseline to compare with
    check_added: bool = False  # new only because the baseline did not run the check
    review: ReviewState | None = None

    @property
    def suppressed(self) -> bool:
        return self.review is not None and self.review.suppressed

    @property
    def counts_as_new(self) -> bool:
        """New in the sense of the deployment gate: the site changed, not govscan."""
        return self.change is Change.NEW and not self.check_added


@dataclass(frozen=True)
class VersionChange:
    name: str  # govscan, chromium, checks, fingerprint, axe-core, datasets.<name>, ...
    before: str
    after: str


@dataclass(frozen=True)
class ScanHistory:
    """One scan's findings against a baseline scan (or none)."""

    scan: Scan
    baseline: Scan | None
    findings: list[TrackedFinding]  # the scan's own findings, in report order
    gone: list[TrackedFinding] = field(default_factory=list)  # baseline findings: fixed or not re-checked
    version_changes: list[VersionChange] = field(default_factory=list)

    def count(self, change: Change) -> int:
        if change in (Change.FIXED, Change.NOT_RECHECKED):
            return sum(1 for item in self.gone if item.change is change)
        return sum(1 for item in self.findings if item.change is change)

    @property
    def new_in_site(self) -> int:
        """New findings that count as a change of the site (not of govscan's checks)."""
        return sum(1 for item in self.findings if item.counts_as_new)

    @property
    def new_by_added_checks(self) -> int:
        return sum(1 for item in self.findings if item.check_added)

    @property
    def open(self) -> list[TrackedFinding]:
        return [item for item in self.findings if not item.suppressed]

    @property
    def suppressed(self) -> list[TrackedFinding]:
        return [item for item in self.findings if item.suppressed]

    def by_fingerprint(self) -> dict[str, TrackedFinding]:
        return {item.finding.fingerprint: item for item in self.findings}


# --- finding the baseline ------------------------------------------------------------------------


def resolve_baseline(db: Session, scan: Scan, baseline: Baseline) -> Scan | None:
    """The scan to compare with: given by id (same target only), the previous completed one, or none."""
    if baseline is None:
        return None
    if baseline == PREVIOUS:
        return previous_completed_scan(db, scan)
    other = get_scan(db, int(baseline))
    if other.target_id != scan.target_id:
        raise ScanMismatch(
            f"scans {other.id} and {scan.id} belong to different targets; "
            "only scans of the same target can be compared"
        )
    return other


# --- comparing ------------------------------------------------------------------------------------


def scan_history(engine: Engine, scan_id: int, baseline: Baseline = PREVIOUS) -> ScanHistory:
    """The scan's findings marked new / persisting against ``baseline``, plus what is gone since."""
    with open_session(engine) as db:
        scan = get_scan(db, scan_id)
        before = resolve_baseline(db, scan, baseline)
        return compare(db, before, scan)


def compare(db: Session, before: Scan | None, after: Scan) -> ScanHistory:
    after_findings = finding_rows(db, after.id)
    before_findings = finding_rows(db, before.id) if before is not None else []
    reviews = review_states(db, after_findings + before_findings)
    if before is None:
        tracked = [TrackedFinding(f, None, review=reviews.get(_key(f))) for f in after_findings]
        return ScanHistory(after, None, tracked)
    earlier = {finding.fingerprint: finding for finding in before_findings}
    later = {finding.fingerprint: finding for finding in after_findings}
    before_coverage, after_coverage = coverage_of(db, before), coverage_of(db, after)
    tracked = []
    for finding in after_findings:
        if finding.fingerprint in earlier:
            tracked.append(TrackedFinding(finding, Change.PERSISTING, review=reviews.get(_key(finding))))
        else:
            added = not before_coverage.ran(finding.check_id)
            tracked.append(TrackedFinding(finding, Change.NEW, added, reviews.get(_key(finding))))
    gone = [
        TrackedFinding(
            finding,
            Change.FIXED if after_coverage.looked_again(finding) else Change.NOT_RECHECKED,
            review=reviews.get(_key(finding)),
        )
        for finding in before_findings
        if finding.fingerprint not in later
    ]
    return ScanHistory(after, before, tracked, gone, version_changes(before, after))


def review_states(db: Session, findings: list[Finding]) -> dict[tuple[str, str], ReviewState]:
    """Per (fingerprint, judged hash): the newest decision on the fingerprint and whether it still holds."""
    decisions = latest_decisions(db, {finding.fingerprint for finding in findings})
    states = {}
    for finding in findings:
        decision = decisions.get(finding.fingerprint)
        if decision is not None:
            current = decision.judged_hash == judged_hash(finding)
            states[_key(finding)] = ReviewState(decision, current)
    return states


def _key(finding: Finding) -> tuple[str, str]:
    return finding.fingerprint, judged_hash(finding)


@dataclass(frozen=True)
class ScanCoverage:
    """What a scan looked at: which checks ran (and did not crash), which pages and hosts it tested."""

    scan: Scan
    checks: frozenset[str] | None  # None: the scan did not record its checks (then: all)
    crashed: frozenset[str]
    tested_pages: frozenset[str]  # page locations, as in fingerprints
    tested_hosts: frozenset[str]

    def ran(self, check_id: str) -> bool:
        return self.checks is None or check_id in self.checks

    def looked_again(self, finding: Finding) -> bool:
        if not self.ran(finding.check_id) or finding.check_id in self.crashed:
            return False
        if finding.scope == "page":
            return page_location(finding.page_url or "", finding.scenario or "") in self.tested_pages
        if finding.scope == "host":
            return (finding.host or "") in self.tested_hosts
        # A site check judges the pages it saw: after an incomplete scan, a missing finding may lie
        # on a page it never reached.
        return is_complete(self.scan)


def coverage_of(db: Session, scan: Scan) -> ScanCoverage:
    recorded = (scan.engine_versions or {}).get("checks")
    pages = [page for page in page_rows(db, scan.id) if page.status == "ok"]
    return ScanCoverage(
        scan=scan,
        checks=frozenset(recorded) if isinstance(recorded, list) else None,
        crashed=frozenset(check_id for check_id, tally in check_tallies(db, scan.id).items() if tally.errors),
        tested_pages=frozenset(page_location(page.final_url or page.url, page.scenario) for page in pages),
        tested_hosts=frozenset(host.host for host in host_rows(db, scan.id) if host.ok),
    )


# --- versions ---------------------------------------------------------------------------------------

IGNORED_VERSION_KEYS = frozenset({"user_agent"})  # follows from the Chromium version


def scan_versions(scan: Scan) -> dict[str, str]:
    """The versions that shape results, flattened to ``name -> text``; check ids as one entry."""
    versions: dict[str, str] = {"govscan": scan.govscan_version or ""}
    for key, value in sorted((scan.engine_versions or {}).items()):
        if key in IGNORED_VERSION_KEYS or key == "checks":
            continue
        if isinstance(value, dict):
            for inner, inner_value in sorted(value.items()):
                versions[f"{key}.{inner}"] = _version_text(inner_value)
        else:
            versions[key] = _version_text(value)
    versions.setdefault("chromium", scan.chromium_version or "")
    versions.setdefault("fingerprint", "v1")  # scans before the recipe was recorded
    return versions


def version_changes(before: Scan, after: Scan) -> list[VersionChange]:
    old, new = scan_versions(before), scan_versions(after)
    changes = [
        VersionChange(name, old.get(name, ""), new.get(name, ""))
        for name in sorted(set(old) | set(new))
        if old.get(name, "") != new.get(name, "")
    ]
    old_checks = set((before.engine_versions or {}).get("checks") or [])
    new_checks = set((after.engine_versions or {}).get("checks") or [])
    if old_checks and new_checks and old_checks != new_checks:
        added, removed = sorted(new_checks - old_checks), sorted(old_checks - new_checks)
        changes.append(
            VersionChange("checks", " ".join(f"-{c}" for c in removed), " ".join(f"+{c}" for c in added))
        )
    return changes


def _version_text(value: Any) -> str:
    if isinstance(value, str):
        return value
    return json.dumps(value, sort_keys=True, ensure_ascii=False)
