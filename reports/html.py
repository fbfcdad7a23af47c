"""The single-scan HTML report: one self-contained, accessible file per scan, in German or English.

Everything shown comes from the store (``reports.queries``) and from the check declarations in the
registry; the report never re-runs a check. Values from scanned pages (titles, URLs, selectors,
snippets, messages, evidence) are only ever printed through Jinja's autoescaping, never marked
safe, and URLs of scanned pages are shown as text, not as links.

Wording rule (ARCHITECTURE.md): results are never phrased as compliance. A check that found
nothing says "keine automatisch feststellbaren Mängel" together with its coverage; a check that
crashed says so and is never counted as clean.

The strings live in ``reports.labels``, the shaping of finding evidence in ``reports.evidence_view``.
"""

from __future__ import annotations

import itertools
import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from reports.accessibility_view import AccessibilitySection, build_accessibility_section
from reports.dpo import DpoView, build_dpo_view
from reports.evidence_view import EvidenceNode, shape_evidence
from reports.labels import LANGUAGES, Texts
from reports.queries import (
    FAMILIES,
    CheckInScan,
    ScanData,
    checks_in_scan,
    load_scan_data,
    pages_in_reach,
)
from reports.security_view import SecurityView, build_security_view
from scanner import PROJECT_URL, __version__
from scanner.findings.registry import CheckDoc, CheckRegistry, References, Severity, load_all_checks
from scanner.store.models import Finding, HostResult
from scanner.store.report_queries import PageRow, TallyCounts

if TYPE_CHECKING:
    from sqlalchemy.engine import Engine

TEMPLATES = Path(__file__).parent / "templates"
SEVERITIES: tuple[str, ...] = tuple(severity.value for severity in sorted(Severity, key=lambda s: -s.rank))
COLLAPSE_GROUPS_OVER = 5  # occurrences; longer lists of pages start collapsed


# --- view model --------------------------------------------------------------------------------


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
    port: int
    probe: str
    outcome: str
    detail: str
    ok: bool


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


# --- public API --------------------------------------------------------------------------------


def render_scan_report(
    engine: Engine,
    scan_id: int,
    out_dir: Path,
    language: str = "de",
    *,
    registry: CheckRegistry | None = None,
    now: datetime | None = None,
) -> Path:
    """Write ``out_dir/govscan-scan-<id>-<target-slug>.html`` (``-en.html`` in English); return the path."""
    data = load_scan_data(engine, scan_id)
    dpo = build_dpo_view(engine, scan_id, language)
    html = render_report_html(data, language, registry=registry, now=now, dpo=dpo)
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    path = out_dir / report_file_name(data.scan.id, data.target_name, language)
    path.write_text(html, encoding="utf-8")
    return path


def render_report_html(
    data: ScanData,
    language: str = "de",
    *,
    registry: CheckRegistry | None = None,
    now: datetime | None = None,
    dpo: DpoView | None = None,
) -> str:
    if language not in LANGUAGES:
        raise ValueError(
            f"report language {language!r} is not available; choose one of {', '.join(LANGUAGES)}"
        )
    registry = registry if registry is not None else load_all_checks()
    view = build_view(data, registry, language, now or datetime.now(UTC))
    return template_environment().get_template("report.html.j2").render(report=view, L=view.labels, dpo=dpo)


def report_file_name(scan_id: int, target_name: str, language: str = "de") -> str:
    """German (the default) without suffix; other languages add theirs, so both fit in one folder."""
    suffix = "" if language == "de" else f"-{language}"
    return f"govscan-scan-{scan_id}-{slug(target_name)}{suffix}.html"


def css_token(value: str | None, known: tuple[str, ...]) -> str:
    """A value from the database used in a class attribute: only known words, else 'unknown'."""
    return value if value in known else "unknown"


def slug(name: str) -> str:
    """A file-name-safe form of a target name: 'Stadt Müllheim (Baden)' -> 'stadt-muellheim-baden'."""
    text = name.lower()
    for umlaut, spelled in (("ä", "ae"), ("ö", "oe"), ("ü", "ue"), ("ß", "ss")):
        text = text.replace(umlaut, spelled)
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    text = re.sub(r"[^a-z0-9]+", "-", text).strip("-")[:60].strip("-")
    return text or "target"


def template_environment() -> Environment:
    return Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=select_autoescape(
            enabled_extensions=("html", "j2"), default_for_string=True, default=True
        ),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )


# --- building the view ---------------------------------------------------------------------------


def build_view(data: ScanData, registry: CheckRegistry, language: str, now: datetime) -> ReportView:
    texts = Texts(language)
    ids = itertools.count(1)
    scan = data.scan
    status_label = texts["statuses"].get(scan.status, scan.status)
    checks = checks_in_scan(data, registry)
    # Built before the scan facts: evidence tables in the findings take the first table ids.
    families = _families(data, checks, texts, ids)
    return ReportView(
        language=language,
        labels=texts.labels,
        page_title=f"{texts['report']}: {data.target_name} – {texts['scan_id']} {scan.id}",
        heading=f"{texts['report']}: {data.target_name}",
        status_line=f"{texts['scan_id']} {scan.id} · {texts['status']}: {status_label}",
        notice=_notice(data, texts),
        scan_facts=_scan_facts(data, texts, ids),
        coverage=_coverage(data, texts),
        families=families,
        accessibility=build_accessibility_section(data, registry, language),
        generated=texts["generated"].format(version=__version__, time=format_datetime(now)),
        project_url=PROJECT_URL,
        security=build_security_view(
            data.hosts,
            scan.config_json.get("crawl", {}).get("tls_profile", "mozilla-intermediate"),
            data.authority_level,
            texts,
        ),
    )


def _notice(data: ScanData, texts: Texts) -> Notice | None:
    scan = data.scan
    if scan.status == "failed":
        lines = [f"{texts['failure_class']}: {texts.reason(scan.failure_class)}"]
        if scan.failure_detail:
            lines.append(scan.failure_detail)
        lines.append(texts["failed_note"])
        return Notice("failed", texts["scan_failed"], lines)
    if data.is_partial:
        return Notice("partial", texts["partial"], [texts[f"{scan.status}_note"]])
    return None


def _scan_facts(data: ScanData, texts: Texts, ids: Iterator[int]) -> list[Fact]:
    scan = data.scan
    level = data.authority_level
    facts = [
        Fact(texts["target"], data.target_name),
        Fact(
            texts["authority_level"], texts["authority_levels"].get(level, level) if level else texts["none"]
        ),
        Fact(texts["scan_id"], str(scan.id)),
        Fact(texts["status"], texts["statuses"].get(scan.status, scan.status)),
        Fact(texts["started"], format_datetime(scan.started_at)),
        Fact(
            texts["finished"],
            format_datetime(scan.finished_at) if scan.finished_at else texts["not_finished"],
        ),
        Fact(texts["duration"], format_duration(scan.active_seconds)),
        Fact(texts["stopped_by"], _stop_reason(data, texts)),
        Fact(texts["govscan_version"], scan.govscan_version or texts["none"]),
        Fact(texts["chromium_version"], scan.chromium_version or texts["none"]),
    ]
    if scan.engine_versions:
        node = shape_evidence(scan.engine_versions, texts, ids, caption=texts["engine_versions"])
        facts.append(Fact(texts["engine_versions"], node=node))
    facts.append(Fact(texts["config_hash"], (scan.config_hash or "")[:12] or texts["none"], code=True))
    return facts


def _stop_reason(data: ScanData, texts: Texts) -> str:
    scan = data.scan
    if scan.status == "running":
        return texts["statuses"]["running"]
    if scan.stopped_by:
        return texts["stop_reasons"].get(scan.stopped_by, scan.stopped_by)
    return texts["none"]


# --- coverage ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _PageSets:
    """The pages of the first visit by kind; visits in other consent scenarios are only counted."""

    html: list[PageRow]
    documents: list[PageRow]
    other_scenarios: int
    not_visited: int

    @classmethod
    def of(cls, data: ScanData) -> _PageSets:
        first_visit = [page for page in data.pages if page.scenario == "first-visit"]
        return cls(
            html=[page for page in first_visit if page.kind == "html"],
            documents=[page for page in first_visit if page.kind == "document"],
            other_scenarios=len(data.pages) - len(first_visit),
            not_visited=int(data.summary.get("not_visited", 0) or 0),
        )

    @property
    def tested(self) -> list[PageRow]:
        return [page for page in self.html if page.status == "ok"]

    @property
    def untested(self) -> list[PageRow]:
        return [page for page in self.html if page.status != "ok"]

    def reasons(self, status: str) -> Counter[str | None]:
        """Failure classes of the HTML pages with this status."""
        return Counter(page.failure_class for page in self.html if page.status == status)


def _coverage(data: ScanData, texts: Texts) -> Coverage:
    pages = _PageSets.of(data)
    hosts = [_host_row(host, texts) for host in data.hosts]
    return Coverage(
        intro=_coverage_intro(pages, texts),
        rows=_coverage_rows(pages, texts),
        hosts_intro=_hosts_intro(hosts, texts),
        hosts=hosts,
        tested=[_page_view(page, texts) for page in pages.tested],
        untested=[_page_view(page, texts) for page in pages.untested],
        documents=[_page_view(page, texts) for page in pages.documents],
        tested_label=texts["tested_list"].format(n=texts.number(len(pages.tested))),
        untested_label=texts["untested_list"].format(n=texts.number(len(pages.untested))),
        documents_label=texts["documents_list"].format(n=texts.number(len(pages.documents))),
    )


def _coverage_intro(pages: _PageSets, texts: Texts) -> str:
    return texts["coverage_intro"].format(
        tested=texts.plural("n_pages", len(pages.tested)),
        failed=texts.plural("n_pages", pages.reasons("failed").total()),
        not_tested=texts.plural("n_pages", pages.reasons("not_tested").total()),
        documents=texts.plural("n_documents", len(pages.documents)),
        not_visited=texts.plural("n_urls", pages.not_visited),
    )


def _coverage_rows(pages: _PageSets, texts: Texts) -> list[CountRow]:
    documents_failed = Counter(page.failure_class for page in pages.documents if page.status != "ok")
    documents_ok = sum(1 for page in pages.documents if page.status == "ok")
    failed, not_tested = pages.reasons("failed"), pages.reasons("not_tested")
    rows = [CountRow(texts["row_tested"], len(pages.tested))]
    rows += _reason_rows(failed, texts, "row_failed") or [CountRow(texts["row_failed_none"], 0)]
    rows += _reason_rows(not_tested, texts, "row_not_tested") or [CountRow(texts["row_not_tested_none"], 0)]
    rows.append(CountRow(texts["row_documents"], documents_ok))
    rows += _reason_rows(documents_failed, texts, "row_documents_failed")
    rows.append(CountRow(texts["row_not_visited"], pages.not_visited))
    if pages.other_scenarios:
        rows.append(CountRow(texts["row_other_scenarios"], pages.other_scenarios))
    return rows


def _reason_rows(reasons: Counter[str | None], texts: Texts, label: str) -> list[CountRow]:
    ordered = sorted(reasons.items(), key=lambda item: (-item[1], item[0] or ""))
    return [CountRow(texts[label].format(reason=texts.reason(reason)), count) for reason, count in ordered]


def _hosts_intro(hosts: list[HostRow], texts: Texts) -> str:
    if not hosts:
        return texts["hosts_none"]
    probed = sum(1 for host in hosts if host.ok)
    return texts["hosts_intro"].format(probed=probed, total=len(hosts), not_tested=len(hosts) - probed)


def _host_row(host: HostResult, texts: Texts) -> HostRow:
    outcome = (
        texts["probed"]
        if host.ok
        else texts["not_tested_because"].format(reason=texts.reason(host.failure_class))
    )
    return HostRow(host.host, host.port, host.probe, outcome, host.failure_detail or "", host.ok)


def _page_view(page: PageRow, texts: Texts) -> PageView:
    statuses = texts["document_status"] if page.kind == "document" else texts["page_status"]
    return PageView(
        url=page.url,
        title=page.title or texts["none"],
        http_status=str(page.http_status) if page.http_status is not None else texts["none"],
        depth=page.depth,
        status=statuses.get(page.status, page.status),
        reason=texts.reason(page.failure_class) if page.status != "ok" else texts["none"],
        detail=page.failure_detail or texts["none"],
        content_type=page.content_type or texts["none"],
        size=texts.size(page.content_length),
    )


# --- families and checks -------------------------------------------------------------------------


def _families(
    data: ScanData, checks: list[CheckInScan], texts: Texts, ids: Iterator[int]
) -> list[FamilyView]:
    findings_by_check: dict[str, list[Finding]] = defaultdict(list)
    for finding in data.findings:
        findings_by_check[finding.check_id].append(finding)
    anchors = _Anchors()
    occurrence_numbers = itertools.count(1)  # one sequence through the whole report
    families = []
    for family in FAMILIES:
        check_views = [
            _check_view(data, check, findings_by_check[check.id], texts, ids, anchors, occurrence_numbers)
            for check in checks
            if check.family == family
        ]
        findings = [finding for finding in data.findings if finding.family == family]
        families.append(_family_view(family, findings, check_views, texts))
    return families


def _family_view(family: str, findings: list[Finding], checks: list[CheckView], texts: Texts) -> FamilyView:
    label = texts["families"][family]
    fails = Counter(finding.severity for finding in findings if finding.result == "fail")
    reviews = Counter(finding.severity for finding in findings if finding.result != "fail")
    return FamilyView(
        key=family,
        label=label,
        heading=texts["findings_of"].format(family=label),
        anchor=f"findings-{family}",
        summary=texts["family_summary"].format(
            fails=texts.plural("n_fails", fails.total()),
            reviews=texts.plural("n_reviews", reviews.total()),
            checks=texts.plural("n_checks", len(checks)),
        ),
        severity_rows=[
            SeverityRow(severity, texts["severities"][severity], fails[severity], reviews[severity])
            for severity in SEVERITIES
        ],
        checks=checks,
    )


class _Anchors:
    """Unique, fragment-safe ids for check sections."""

    def __init__(self) -> None:
        self.used: set[str] = set()

    def make(self, prefix: str, text: str) -> str:
        base = f"{prefix}-{re.sub(r'[^a-z0-9]+', '-', text.lower()).strip('-')}"
        anchor, number = base, 2
        while anchor in self.used:
            anchor, number = f"{base}-{number}", number + 1
        self.used.add(anchor)
        return anchor


def _check_view(
    data: ScanData,
    check: CheckInScan,
    findings: list[Finding],
    texts: Texts,
    ids: Iterator[int],
    anchors: _Anchors,
    occurrence_numbers: Iterator[int],
) -> CheckView:
    declared = check.check
    doc = declared.doc if declared else None
    severity = check.severity or ""
    status, status_text = check_status(data, check, findings, texts)
    return CheckView(
        id=check.id,
        anchor=anchors.make("check", check.id),
        title=doc.title.get(texts.language) if doc else check.id,
        scope_label=texts["scopes"].get(check.scope or "", texts["none"]),
        severity=css_token(severity, SEVERITIES),
        severity_label=texts["severities"].get(severity, severity or texts["none"]),
        references=reference_texts(declared.references if declared else References(), texts),
        tally=check.tally,
        status=status,
        status_text=status_text,
        doc=_doc_view(doc, texts.language) if doc else None,
        groups=_groups(findings, texts, ids, occurrence_numbers),
    )


def _doc_view(doc: CheckDoc, language: str) -> CheckDocView:
    return CheckDocView(
        what=doc.what.get(language),
        why=doc.why.get(language),
        example=doc.example,
        how_to_fix=doc.how_to_fix.get(language),
    )


def check_status(
    data: ScanData, check: CheckInScan, findings: list[Finding], texts: Texts
) -> tuple[str, str]:
    """The wording rule in one place: found / errors / not run / no automatically detectable defects."""
    tally = check.tally
    subject_key = "n_hosts" if check.scope == "host" else "n_pages"
    parts = [_found_text(check, findings, texts, subject_key)] if findings else []
    if tally.errors:
        parts.append(texts["status_errors"].format(subjects=texts.plural(subject_key, tally.errors)))
    if parts:
        kind = "errors" if tally.errors else "found"
        return kind, "; ".join(parts) + f" – {_reach_text(data, check, texts)}"
    if tally.evaluated == 0:
        return "not-run", texts["status_not_run_host" if check.scope == "host" else "status_not_run"]
    return "clean", f"{texts['status_clean']} – {_reach_text(data, check, texts)}"


def _found_text(check: CheckInScan, findings: list[Finding], texts: Texts, subject_key: str) -> str:
    fails = sum(1 for finding in findings if finding.result == "fail")
    reviews = len(findings) - fails
    counts = ", ".join(
        [texts.plural("n_fails", fails)] * bool(fails) + [texts.plural("n_reviews", reviews)] * bool(reviews)
    )
    if check.scope == "site":
        return counts
    subjects = {finding.page_url or finding.host or "" for finding in findings}
    return texts["status_found"].format(counts=counts, subjects=texts.plural(subject_key, len(subjects)))


def _reach_text(data: ScanData, check: CheckInScan, texts: Texts) -> str:
    """On how many of the subjects it could have run the check did run (errors do not count)."""
    if check.scope == "site":
        return texts["reach_site"]
    checked = max(check.tally.evaluated - check.tally.errors, 0)
    reach_total = pages_in_reach(data, check)
    singular, plural = texts["reach_hosts" if check.scope == "host" else "reach_pages"]
    return (singular if reach_total == 1 else plural).format(
        n=texts.number(checked), m=texts.number(reach_total)
    )


def reference_texts(references: References, texts: Texts) -> list[str]:
    return (
        [texts["ref_wcag"].format(value=value) for value in references.wcag]
        + [texts["ref_en301549"].format(value=value) for value in references.en301549]
        + [texts["ref_bitv"].format(value=value) for value in references.bitv]
        + list(references.law)
        + list(references.standards)
    )


# --- findings ------------------------------------------------------------------------------------


def _groups(findings: list[Finding], texts: Texts, ids: Iterator[int], numbers: Iterator[int]) -> list[Group]:
    """Findings grouped so a web team can act: one group per element or subject, its pages below."""
    grouped: dict[tuple[str, str], list[Finding]] = defaultdict(list)
    for finding in findings:
        grouped[_group_key(finding)].append(finding)
    ordered = sorted(grouped.items(), key=_group_order)
    return [_group(kind, key, members, texts, ids, numbers) for (kind, key), members in ordered]


def _group_order(item: tuple[tuple[str, str], list[Finding]]) -> tuple[int, str, str]:
    """Groups touching the most pages or hosts first."""
    (kind, key), members = item
    return (-len({finding.page_url or finding.host for finding in members}), kind, key)


def _group(
    kind: str, key: str, members: list[Finding], texts: Texts, ids: Iterator[int], numbers: Iterator[int]
) -> Group:
    members = sorted(
        members, key=lambda finding: (finding.page_url or "", finding.host or "", finding.fingerprint)
    )
    if all(finding.scope == "page" for finding in members):
        count_label = texts.plural("n_pages", len({finding.page_url for finding in members}))
    else:
        count_label = texts.plural("n_findings", len(members))
    return Group(
        key_label=texts[kind],
        key=key,
        count_label=count_label,
        collapsed=len(members) > COLLAPSE_GROUPS_OVER,
        collapse_label=texts.plural("n_occurrences", len(members)),
        occurrences=[_occurrence(finding, kind, texts, ids, next(numbers)) for finding in members],
    )


def _group_key(finding: Finding) -> tuple[str, str]:
    """(what the group is keyed on, its value): hosts for host findings, else selector or subject."""
    if finding.scope == "host" and finding.host:
        return "host", finding.host
    if finding.selector:
        return "selector", finding.selector
    if finding.subject:
        return "subject", finding.subject
    return "without_location", ""


def _occurrence(
    finding: Finding, group_kind: str, texts: Texts, ids: Iterator[int], number: int
) -> Occurrence:
    where_label, where = _where(finding, texts)
    label = texts["occurrence"].format(n=number)
    return Occurrence(
        number=number,
        label=label,
        anchor=f"occurrence-{number}",
        where_label=where_label,
        where=where,
        result=css_token(finding.result, ("fail", "review")),
        result_label=texts["results"].get(finding.result, finding.result),
        severity=css_token(finding.severity, SEVERITIES),
        severity_label=texts["severities"].get(finding.severity, finding.severity),
        message=finding.message_en if texts.language == "en" else finding.message_de,
        facts=_occurrence_facts(finding, group_kind, texts),
        evidence=shape_evidence(finding.evidence, texts, ids, caption=label) if finding.evidence else None,
    )


def _where(finding: Finding, texts: Texts) -> tuple[str, str]:
    if finding.page_url:
        return texts["page"], finding.page_url
    if finding.host:
        return texts["host"], finding.host
    return texts["website"], texts["none"]


def _occurrence_facts(finding: Finding, group_kind: str, texts: Texts) -> list[Fact]:
    """What locates this occurrence beyond its page; the group's own key is not repeated."""
    facts = []
    if finding.selector and group_kind != "selector":
        facts.append(Fact(texts["selector"], finding.selector, code=True))
    if finding.subject and group_kind != "subject":
        facts.append(Fact(texts["subject"], finding.subject))
    if finding.snippet:
        facts.append(Fact(texts["snippet"], finding.snippet, code=True))
    if finding.frame_url:
        facts.append(Fact(texts["frame"], finding.frame_url))
    if finding.scenario and finding.scenario != "first-visit":
        facts.append(Fact(texts["scenario"], finding.scenario))
    return facts


# --- formatting ----------------------------------------------------------------------------------


def format_datetime(value: datetime | None) -> str:
    """'2025-03-03 08:00:00 UTC'. SQLite returns naive datetimes; they are UTC."""
    if value is None:
        return ""
    aware = value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)
    return aware.strftime("%Y-%m-%d %H:%M:%S UTC")


def format_duration(seconds: float) -> str:
    total = round(seconds)
    hours, rest = divmod(total, 3600)
    minutes, secs = divmod(rest, 60)
    if hours:
        return f"{hours} h {minutes:02d} min {secs:02d} s"
    if minutes:
        return f"{minutes} min {secs:02d} s"
    return f"{secs} s"
