"""The web-team view of one scan: grouped issues with selector, snippet, pages and how to fix them.

Each template group (``reports.grouping``) is one entry, "fix once, N occurrences on M pages",
with its occurrences marked new or persisting against the baseline scan and with their review
state. Suppressed findings are counted and listed, never silently dropped. What vanished since
the baseline is split into fixed and not re-checked.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from reports.formatting import css_token
from reports.grouping import FindingGroup, group_findings
from reports.history import PREVIOUS, Baseline, Change, ReviewState, ScanHistory, TrackedFinding, scan_history
from reports.html import reference_texts
from reports.incomplete import history_notes
from reports.labels import ViewTexts
from reports.queries import load_scan_data
from reports.report_issues import issue_rows
from reports.root_causes import root_causes
from reports.views import Cell, Table, TocEntry, file_name, format_date, frame, render, texts_for, write
from scanner.findings.registry import SEVERITY_ORDER, CheckRegistry, References, load_all_checks
from scanner.store.models import Finding, Scan

if TYPE_CHECKING:
    from sqlalchemy.engine import Engine

COLLAPSE_OVER = 5  # occurrences; longer lists start collapsed
MAX_VARIANTS = 3  # snippets shown per group


@dataclass(frozen=True)
class Mark:
    key: str  # css token: new, persisting, suppressed, confirmed, lapsed, ...
    label: str


@dataclass(frozen=True)
class OccurrenceRow:
    where: str
    marks: list[Mark]
    fingerprint: str
    message: str  # only when the group's occurrences say different things


@dataclass(frozen=True)
class IssueView:
    anchor: str
    title: str
    check_id: str
    family_label: str
    severity: str
    severity_label: str
    result: str
    result_label: str
    fix_once: str
    marks: list[Mark]  # template, new, suppressed
    anchor_label: str
    anchor_value: str
    variants: list[str]
    more_variants: str
    message: str
    how_to_fix: str
    references: list[str]
    occurrences_caption: str
    occurrences: list[OccurrenceRow]
    collapsed: bool
    show_label: str


@dataclass(frozen=True)
class WebTeamView:
    summary: list[str]
    causes: Table | None  # the open findings by root cause (reports/root_causes.py), widest first
    groups_intro: str
    no_open: str
    issues: list[IssueView]
    suppressed_intro: str
    suppressed_issues: list[IssueView]
    has_baseline: bool
    gone_heading: str
    fixed: Table | None
    not_rechecked: Table | None
    versions: Table | None


def render_webteam_report(
    engine: Engine,
    scan_id: int,
    out_dir: Path,
    language: str = "de",
    *,
    baseline: Baseline = PREVIOUS,
    registry: CheckRegistry | None = None,
    now: datetime | None = None,
) -> Path:
    html = webteam_html(engine, scan_id, language, baseline=baseline, registry=registry, now=now)
    data = load_scan_data(engine, scan_id)
    return write(out_dir, file_name("webteam", f"{scan_id}-{data.target_name}", language), html)


def webteam_html(
    engine: Engine,
    scan_id: int,
    language: str = "de",
    *,
    baseline: Baseline = PREVIOUS,
    registry: CheckRegistry | None = None,
    now: datetime | None = None,
) -> str:
    texts = texts_for(language)
    registry = registry if registry is not None else load_all_checks()
    data = load_scan_data(engine, scan_id)
    history = scan_history(engine, scan_id, baseline)
    view = build_webteam_view(history, registry, texts, data.vendors_by_host)
    lines = [texts["scan_line"].format(scan=scan_id, date=format_date(data.scan.started_at))]
    notes = history_notes(history, texts)
    if history.baseline is not None:
        lines.append(baseline_line(history.baseline, texts))
    else:
        notes.append(texts["no_baseline"])
    toc = [
        TocEntry("summary", texts["summary"]),
        TocEntry("causes", texts["issues_heading"]),
        TocEntry("issues", texts["groups_heading"]),
        TocEntry("suppressed", texts["suppressed_heading"]),
    ]
    if history.baseline is not None:
        toc.append(TocEntry("gone", view.gone_heading))
    if view.versions is not None:
        toc.append(TocEntry("versions", texts["version_heading"]))
    heading = texts["webteam_heading"].format(target=data.target_name)
    page = frame(texts, "webteam", heading, lines, toc, now, notes)
    return render("webteam.html.j2", page, view)


def baseline_line(baseline: Scan, texts: ViewTexts) -> str:
    return texts["baseline_line"].format(scan=baseline.id, date=format_date(baseline.started_at))


def build_webteam_view(
    history: ScanHistory,
    registry: CheckRegistry,
    texts: ViewTexts,
    vendors_by_host: Mapping[str, tuple[str, str]] | None = None,
) -> WebTeamView:
    groups = group_findings(history.findings)
    open_groups = [group for group in groups if group.open_members]
    suppressed_items = [item for item in history.findings if item.suppressed]
    issues = [
        _issue(group, registry, texts, f"issue-{number}") for number, group in enumerate(open_groups, 1)
    ]
    suppressed_groups = group_findings(suppressed_items)
    suppressed_issues = [
        _issue(group, registry, texts, f"suppressed-{number}", suppressed_view=True)
        for number, group in enumerate(suppressed_groups, 1)
    ]
    open_items = [item for item in history.findings if not item.suppressed]
    pages = {item.finding.page_url for item in open_items if item.finding.page_url}
    summary = [
        texts.plural("n_groups", len(open_groups)),
        texts.plural("n_occurrences_plain", len(open_items)),
        texts.plural("n_suppressed", len(suppressed_items)),
    ]
    if history.baseline is not None:
        summary += [
            f"{texts['changes'][change.value]}: {texts.number(history.count(change))}" for change in Change
        ]
    return WebTeamView(
        summary=summary,
        causes=causes_table(open_items, registry, texts, vendors_by_host or {}),
        groups_intro=texts["groups_intro"].format(
            groups=texts.plural("n_groups", len(open_groups)),
            occurrences=texts.plural("n_occurrences_plain", len(open_items)),
            pages=texts.plural("n_pages", len(pages)),
        ),
        no_open=texts["no_open"],
        issues=issues,
        suppressed_intro=texts["suppressed_intro"] if suppressed_items else texts["suppressed_none"],
        suppressed_issues=suppressed_issues,
        has_baseline=history.baseline is not None,
        gone_heading=texts["gone_heading"].format(scan=history.baseline.id if history.baseline else ""),
        fixed=gone_table("fixed", Change.FIXED, history, registry, texts),
        not_rechecked=gone_table("not-rechecked", Change.NOT_RECHECKED, history, registry, texts),
        versions=version_table(history, texts),
    )


def _issue(
    group: FindingGroup,
    registry: CheckRegistry,
    texts: ViewTexts,
    anchor: str,
    *,
    suppressed_view: bool = False,
) -> IssueView:
    check = registry.get(group.check_id) if group.check_id in registry else None
    title = check.doc.title.get(texts.language) if check else group.check_id
    members = group.members if suppressed_view else group.open_members
    severity = group.worst_severity
    result = group.result
    pages = {item.finding.page_url for item in members if item.finding.page_url}
    if pages:
        fix_once = texts["fix_once"].format(
            occurrences=texts.plural("n_occurrences_plain", len(members)),
            pages=texts.plural("n_pages", len(pages)),
        )
    else:
        fix_once = texts["fix_once_hosts"].format(
            occurrences=texts.plural("n_occurrences_plain", len(members))
        )
    variants = group.snippets
    messages = {finding_message(item.finding, texts) for item in members}
    common_message = messages.pop() if len(messages) == 1 else ""
    return IssueView(
        anchor=anchor,
        title=title,
        check_id=group.check_id,
        family_label=texts["families"].get(group.family, group.family),
        severity=css_token(severity, SEVERITY_ORDER),
        severity_label=texts["severities"].get(severity, severity),
        result=css_token(result, ("fail", "review")),
        result_label=texts["results"].get(result, result),
        fix_once=fix_once,
        marks=_group_marks(group, members, texts, suppressed_view),
        anchor_label=texts[_ANCHOR_LABELS[group.anchor_kind]],
        anchor_value=group.anchor,
        variants=variants[:MAX_VARIANTS],
        more_variants=texts.plural("more_variants", len(variants) - MAX_VARIANTS)
        if len(variants) > MAX_VARIANTS
        else "",
        message=common_message,
        how_to_fix=check.doc.how_to_fix.get(texts.language) if check else texts["doc_unknown"],
        references=reference_texts(check.references if check else References(), texts),
        occurrences_caption=f"{texts['occurrences']}: {title}",
        occurrences=[_occurrence(item, texts, with_message=not common_message) for item in members],
        collapsed=len(members) > COLLAPSE_OVER,
        show_label=texts.plural("show_pages", len(members)),
    )


_ANCHOR_LABELS = {
    "selector": "selector",
    "subject": "subject",
    "snippet": "snippet",
    "host": "host",
    "none": "without_location",
}


def _group_marks(
    group: FindingGroup, members: list[TrackedFinding], texts: ViewTexts, suppressed_view: bool
) -> list[Mark]:
    marks = []
    if group.region is not None:
        region = texts["regions"][group.region]
        marks.append(Mark("template", texts["template_region"].format(region=region)))
    elif len(group.pages) > 1:
        marks.append(Mark("template", texts["template_pages"]))
    new = sum(1 for item in members if item.change is Change.NEW)
    if new:
        marks.append(Mark("new", texts.plural("n_new", new)))
    if not suppressed_view and group.suppressed_count:
        marks.append(Mark("suppressed", texts.plural("n_suppressed", group.suppressed_count)))
    return marks


def _occurrence(item: TrackedFinding, texts: ViewTexts, *, with_message: bool) -> OccurrenceRow:
    finding = item.finding
    marks = []
    if item.change is not None:
        marks.append(Mark(item.change.value, texts["changes"][item.change.value]))
    if item.check_added:
        marks.append(Mark("persisting", texts["check_added"]))
    if item.review is not None:
        marks.append(review_mark(item.review, texts))
    return OccurrenceRow(
        where=finding_place(finding, texts),
        marks=marks,
        fingerprint=finding.fingerprint,
        message=finding_message(finding, texts) if with_message else "",
    )


def review_mark(review: ReviewState, texts: ViewTexts) -> Mark:
    decision = review.decision
    label = texts["decisions"].get(decision.decision, decision.decision)
    if review.lapsed:
        return Mark(
            "lapsed", texts["decision_lapsed"].format(decision=label, date=format_date(decision.decided_at))
        )
    key = "suppressed" if review.suppressed else "confirmed"
    text = texts["decision_by"].format(
        decision=label, reason=decision.reason, by=decision.decided_by, date=format_date(decision.decided_at)
    )
    return Mark(key, text)


def finding_place(finding: Finding, texts: ViewTexts) -> str:
    if finding.page_url:
        if finding.scenario and finding.scenario != "first-visit":
            return f"{finding.page_url} ({texts['scenario']}: {finding.scenario})"
        return finding.page_url
    return finding.host or texts["website"]


def finding_message(finding: Finding, texts: ViewTexts) -> str:
    return finding.message_en if texts.language == "en" else finding.message_de


def gone_table(
    table_id: str, change: Change, history: ScanHistory, registry: CheckRegistry, texts: ViewTexts
) -> Table | None:
    """Findings of the baseline that are gone (fixed, or not re-checked), one row per template group."""
    items = [item for item in history.gone if item.change is change]
    if history.baseline is None or not items:
        return None
    caption = f"{texts['changes'][change.value]}: {texts.plural('n_occurrences_plain', len(items))}"
    return group_table(f"gone-{table_id}", caption, items, registry, texts)


def group_table(
    table_id: str, caption: str, items: list[TrackedFinding], registry: CheckRegistry, texts: ViewTexts
) -> Table:
    """One row per template group: check, what it is about, worst severity, pages (or hosts)."""
    columns = [
        Cell(texts["check"]),
        Cell(texts["what"]),
        Cell(texts["severity"]),
        Cell(texts["occurrences"], numeric=True),
        Cell(texts["pages"], numeric=True),
    ]
    rows = []
    for group in group_findings(items):
        check = registry.get(group.check_id) if group.check_id in registry else None
        title = check.doc.title.get(texts.language) if check else group.check_id
        rows.append(
            [
                Cell(f"{title} ({group.check_id})"),
                Cell(group.anchor or texts["none"], code=bool(group.anchor)),
                Cell(texts["severities"].get(group.worst_severity, group.worst_severity)),
                Cell(texts.number(group.occurrences), numeric=True),
                Cell(texts.number(len(group.pages)), numeric=True),
            ]
        )
    return Table(table_id, caption, columns, rows)


def causes_table(
    items: list[TrackedFinding],
    registry: CheckRegistry,
    texts: ViewTexts,
    vendors_by_host: Mapping[str, tuple[str, str]],
) -> Table | None:
    """One row per root cause of the open findings: one fix, how many findings and pages it closes."""
    issues = root_causes([item.finding for item in items], vendors_by_host)
    if not issues:
        return None
    columns = [
        Cell(texts["cause"]),
        Cell(texts["cause_kind"]),
        Cell(texts["severity"]),
        Cell(texts["issue_findings"], numeric=True),
        Cell(texts["issue_pages"], numeric=True),
    ]
    rows = [
        [
            Cell(row.cause),
            Cell(row.kind),
            Cell(f"{row.result}, {row.severity}"),
            Cell(texts.number(row.findings), numeric=True),
            Cell(texts.number(row.pages), numeric=True),
        ]
        for row in issue_rows(issues, registry, texts)
    ]
    return Table("causes", texts["issues_caption"], columns, rows)


def version_table(history: ScanHistory, texts: ViewTexts) -> Table | None:
    if not history.version_changes:
        return None
    columns = [Cell(texts["component"]), Cell(texts["before"]), Cell(texts["after"])]
    rows = [
        [Cell(change.name), Cell(change.before or texts["none"]), Cell(change.after or texts["none"])]
        for change in history.version_changes
    ]
    return Table("version-changes", texts["version_caption"], columns, rows)
