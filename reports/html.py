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
from collections import Counter, defaultdict
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from reports.accessibility_view import build_accessibility_section
from reports.dpo import DpoView, build_dpo_view
from reports.evidence_view import shape_evidence
from reports.formatting import css_token, format_datetime, format_duration, slug
from reports.history import ScanHistory, scan_history
from reports.incomplete import incomplete_report_note, is_incomplete
from reports.labels import LANGUAGES, Texts
from reports.queries import (
    FAMILIES,
    CheckInScan,
    ScanData,
    checks_in_scan,
    load_scan_data,
    pages_in_reach,
)
from reports.report_coverage import coverage
from reports.report_groups import finding_groups
from reports.report_issues import build_issues_view
from reports.report_view import (
    CheckDocView,
    CheckView,
    Fact,
    FamilyView,
    Notice,
    ReportView,
    SeverityRow,
)
from reports.security_view import build_security_view
from scanner import PROJECT_URL, __version__
from scanner.evidence.tls import DEFAULT_TLS_PROFILE
from scanner.findings.registry import (
    SEVERITY_ORDER,
    CheckDoc,
    CheckRegistry,
    References,
    load_all_checks,
)
from scanner.store.models import Finding
from scanner.store.scans import scan_status

if TYPE_CHECKING:
    from sqlalchemy.engine import Engine

TEMPLATES = Path(__file__).parent / "templates"


# --- view model --------------------------------------------------------------------------------


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
    history = scan_history(engine, scan_id)
    html = render_report_html(data, language, registry=registry, now=now, dpo=dpo, history=history)
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
    history: ScanHistory | None = None,
) -> str:
    if language not in LANGUAGES:
        raise ValueError(
            f"report language {language!r} is not available; choose one of {', '.join(LANGUAGES)}"
        )
    registry = registry if registry is not None else load_all_checks()
    view = build_view(data, registry, language, now or datetime.now(UTC), history)
    return template_environment().get_template("report.html.j2").render(report=view, L=view.labels, dpo=dpo)


def report_file_name(scan_id: int, target_name: str, language: str = "de") -> str:
    """German (the default) without suffix; other languages add theirs, so both fit in one folder."""
    suffix = "" if language == "de" else f"-{language}"
    return f"govscan-scan-{scan_id}-{slug(target_name)}{suffix}.html"


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


def build_view(
    data: ScanData,
    registry: CheckRegistry,
    language: str,
    now: datetime,
    history: ScanHistory | None = None,
) -> ReportView:
    texts = Texts(language)
    ids = itertools.count(1)
    scan = data.scan
    status_label = texts["statuses"][scan_status(scan).value]
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
        coverage=coverage(data, texts),
        families=families,
        accessibility=build_accessibility_section(data, registry, language),
        generated=texts["generated"].format(version=__version__, time=format_datetime(now)),
        project_url=PROJECT_URL,
        issues=build_issues_view(data, registry, texts, history),
        security=build_security_view(
            data.hosts,
            scan.config_json.get("crawl", {}).get("tls_profile", DEFAULT_TLS_PROFILE),
            data.authority_level,
            texts,
            data.tls_outcomes,
            data.header_grades,
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
    if is_incomplete(scan):
        return Notice("partial", texts["scan_incomplete"], [incomplete_report_note(scan, texts)])
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
        Fact(texts["status"], texts["statuses"][scan_status(scan).value]),
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
            for severity in SEVERITY_ORDER
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
        severity=css_token(severity, SEVERITY_ORDER),
        severity_label=texts["severities"].get(severity, severity or texts["none"]),
        references=reference_texts(declared.references if declared else References(), texts),
        tally=check.tally,
        status=status,
        status_text=status_text,
        doc=_doc_view(doc, texts.language) if doc else None,
        groups=finding_groups(findings, texts, ids, occurrence_numbers),
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


# --- formatting ----------------------------------------------------------------------------------
