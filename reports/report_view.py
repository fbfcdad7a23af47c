"""The scan report's view model: plain records the template renders, nothing computed there."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from reports.accessibility_view import AccessibilitySection
from reports.evidence_view import EvidenceNode
from reports.queries import TallyCounts
from reports.report_issues import IssuesView
from reports.security_view import SecurityView


@dataclass(frozen=True)
class Fact:
    label: str
    text: str = ""
    code: bool = False
    node: EvidenceNode | None = None


@dataclass(frozen=True)
class CountRow:
    label: str
    count: int


@dataclass(frozen=True)
class HostRow:
    host: str
    port: int | None  # None: no probe result at all for this host
    probe: str
    outcome: str
    detail: str
    ok: bool
    role: str = ""  # how the browser met the host: pages, frames, requests only


@dataclass(frozen=True)
class PageView:
    url: str
    title: str
    http_status: str
    depth: int
    status: str
    reason: str
    detail: str
    content_type: str
    size: str


@dataclass(frozen=True)
class Coverage:
    intro: str
    rows: list[CountRow]
    hosts_intro: str
    hosts: list[HostRow]
    tested: list[PageView]
    untested: list[PageView]
    documents: list[PageView]
    tested_label: str
    untested_label: str
    documents_label: str


@dataclass(frozen=True)
class Occurrence:
    number: int
    label: str
    anchor: str
    where_label: str
    where: str
    result: str
    result_label: str
    severity: str
    severity_label: str
    message: str
    facts: list[Fact]  # selector/subject when not the group key, snippet, frame, scenario
    evidence: EvidenceNode | None


@dataclass(frozen=True)
class Group:
    key_label: str
    key: str
    count_label: str
    collapsed: bool
    collapse_label: str
    occurrences: list[Occurrence]


@dataclass(frozen=True)
class CheckDocView:
    what: str
    why: str
    example: str
    how_to_fix: str


# CheckView.status values the report leads with: found something, crashed, or could not run (never
# to be read as clean); the checks that ran and found nothing go to the appendix
SHOWN_FIRST = frozenset({"found", "errors", "not-run"})


@dataclass(frozen=True)
class CheckView:
    id: str
    anchor: str
    title: str
    scope_label: str
    severity: str
    severity_label: str
    references: list[str]
    tally: TallyCounts
    status: str  # clean | found | errors | not-run
    status_text: str
    doc: CheckDocView | None
    groups: list[Group]


@dataclass(frozen=True)
class SeverityRow:
    severity: str
    label: str
    fails: int
    reviews: int


@dataclass(frozen=True)
class FamilyView:
    key: str
    label: str
    heading: str
    anchor: str
    summary: str
    severity_rows: list[SeverityRow]
    checks: list[CheckView]

    @property
    def with_findings(self) -> list[CheckView]:
        """Checks with findings, errors, or not run: the overview and the family's section show them."""
        return [check for check in self.checks if check.status in SHOWN_FIRST]

    @property
    def without_findings(self) -> list[CheckView]:
        """Checks that ran and found no automatically detectable defects: the appendix lists them."""
        return [check for check in self.checks if check.status not in SHOWN_FIRST]


@dataclass(frozen=True)
class Notice:
    kind: str  # failed | partial
    heading: str
    lines: list[str]


@dataclass(frozen=True)
class ReportView:
    language: str
    labels: dict[str, Any]
    page_title: str
    heading: str
    status_line: str
    notice: Notice | None
    scan_facts: list[Fact]
    coverage: Coverage
    families: list[FamilyView]
    accessibility: AccessibilitySection | None
    generated: str
    project_url: str
    security: SecurityView | None = None  # the "Sicherheit" section (reports/security_view.py)
    issues: IssuesView | None = None  # what to fix first (reports/report_issues.py)
