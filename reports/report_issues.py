"""The scan report's first section: what to fix first, as root causes (``reports.root_causes``).

Every finding stays in its family's section; this section counts them by cause, so a pixel on
every page reads as one issue with its reach, not as a hundred rows.
"""

from __future__ import annotations

from dataclasses import dataclass

from reports.history import Change, ScanHistory
from reports.labels import Texts
from reports.queries import ScanData
from reports.root_causes import Issue, root_causes
from scanner.findings.registry import REVIEW_NOTE_KEY, CheckRegistry

SHOWN = 15  # issues listed; the rest are counted


@dataclass(frozen=True)
class IssueRow:
    key: str
    cause: str
    kind: str
    families: str
    checks: str
    findings: int
    pages: int
    severity: str
    result: str


@dataclass(frozen=True)
class IssuesView:
    intro: str
    rows: list[IssueRow]
    more: str | None  # "… and N more issues" when not all are listed
    changes: str | None  # what changed since the baseline scan; None when no history was given
    untested: str  # what the scan could not test
    privacy: list[IssueRow]  # the causes of the privacy findings alone: the DPO section opens with them


def build_issues_view(
    data: ScanData, registry: CheckRegistry, texts: Texts, history: ScanHistory | None = None
) -> IssuesView:
    issues = root_causes(data.findings, data.vendors_by_host)
    intro = texts["issues_intro"].format(
        findings=texts.plural("n_findings", len(data.findings)),
        issues=texts.plural("n_issues", len(issues)),
    )
    rows = issue_rows(issues[:SHOWN], registry, texts)
    hidden = len(issues) - len(rows)
    more = texts["issues_more"].format(more=texts.plural("n_issues", hidden)) if hidden > 0 else None
    privacy = root_causes((f for f in data.findings if f.family == "privacy"), data.vendors_by_host)
    return IssuesView(
        intro,
        rows,
        more,
        _changes(history, texts),
        _untested(data, texts),
        issue_rows(privacy, registry, texts),
    )


def issue_rows(issues: list[Issue], registry: CheckRegistry, texts: Texts) -> list[IssueRow]:
    return [_row(issue, registry, texts) for issue in issues]


def _changes(history: ScanHistory | None, texts: Texts) -> str | None:
    if history is None:
        return None
    if history.baseline is None:
        return texts["summary_first_scan"]
    return texts["summary_changes"].format(
        baseline=history.baseline.id,
        new=texts.number(history.count(Change.NEW)),
        fixed=texts.number(history.count(Change.FIXED)),
        not_rechecked=texts.number(history.count(Change.NOT_RECHECKED)),
    )


def _untested(data: ScanData, texts: Texts) -> str:
    # first visits, as the coverage section counts them (scenario revisits are counted there apart)
    pages = sum(
        1
        for page in data.pages
        if page.scenario == "first-visit" and page.kind == "html" and page.status != "ok"
    )
    hosts = sum(1 for host in data.hosts if not host.ok)
    return texts["summary_untested"].format(
        pages=texts.plural("n_pages", pages), probes=texts.plural("n_host_probes", hosts)
    )


def _cause_text(issue: Issue, registry: CheckRegistry, texts: Texts) -> str:
    """A template cause is named by what is wrong there (the check's title), then where."""
    cause = issue.cause
    if cause.kind == "review":
        return _review_text(issue, registry, texts)
    if cause.kind != "template":
        return cause.label
    if cause.value in registry:  # a page-level fault several checks saw: named by the linking check
        return registry.get(cause.value).doc.title.get(texts.language)
    check = issue.findings[0].check_id
    if check not in registry:  # a check this version no longer knows
        return cause.label
    title = registry.get(check).doc.title.get(texts.language)
    return f"{title}: {cause.label}" if cause.label and cause.label != check else title


def _review_text(issue: Issue, registry: CheckRegistry, texts: Texts) -> str:
    """A review issue by what is to be judged (the check), why it is open, and where."""
    first = issue.findings[0]
    check = registry.get(first.check_id).doc.title.get(texts.language) if first.check_id in registry else ""
    note = first.evidence.get(REVIEW_NOTE_KEY) if isinstance(first.evidence, dict) else None
    why = note.get("why", {}).get(texts.language, "") if isinstance(note, dict) else ""
    _check, _reason, region, frame = issue.cause.value.split("\x1f")
    where = texts["review_regions"].get(region, region)
    if frame:
        where += texts["review_region_frame"].format(host=frame)
    return " – ".join(part for part in (check or first.check_id, why) if part) + f" ({where})"


def _row(issue: Issue, registry: CheckRegistry, texts: Texts) -> IssueRow:
    return IssueRow(
        key=issue.key,
        cause=_cause_text(issue, registry, texts),
        kind=texts["cause_kinds"][issue.cause.kind],
        families=", ".join(texts["families"].get(family, family) for family in issue.families),
        checks=", ".join(issue.checks),
        findings=len(issue.findings),
        pages=len(issue.pages),
        severity=texts["severities"].get(issue.worst_severity, issue.worst_severity),
        result=texts["results"].get(issue.result, issue.result),
    )
