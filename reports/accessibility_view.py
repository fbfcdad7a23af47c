"""The report section "Barrierefreiheit": one row per BITV-Test Prüfschritt, with the coverage behind it.

A step is "nicht erfüllt" when a conformance check failed, "zu prüfen" when something needs a person
(or nothing automated covers it), "keine automatisch feststellbaren Mängel" when the automated checks
ran on applicable content and found nothing, and "nicht anwendbar" when every automated rule of the
step found nothing to test. Never "erfüllt": automated checks cannot show conformance. Below each
step: per rule or check the pages affected, and the templates (selectors) that recur across pages.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from checks.accessibility.axe_rules import PREFIX as AXE_PREFIX
from checks.accessibility.mapping import axe_rules, steps_in_scope
from reports.accessibility_data import AxeCoverage
from reports.queries import ScanData
from scanner.capture.axe.source import DEFAULT_WCAG_VERSION
from scanner.findings.fingerprint import normalise_selector
from scanner.findings.registry import Check, CheckRegistry, Family
from scanner.store.models import Finding

MAX_TEMPLATES = 3

LABELS = {
    "de": {
        "heading": "Barrierefreiheit nach Prüfschritten",
        "intro": "Automatisch prüfbare Teile der {n} Prüfschritte für WCAG {version} AA (EN 301 549 "
        "Kapitel 9, BITV 2.0). Prüfschritt-Nummern nach dem BITV-Test, Bezeichnungen von govscan. "
        "Automatische Prüfungen allein können nie zeigen, dass ein Prüfschritt vollständig eingehalten ist.",
        "axe_line": "axe-core lief auf {tested} Seiten ({failed} Seiten nicht geprüft, {frames} Frames "
        "ohne Antwort).",
        "summary_caption": "Prüfschritte nach Ergebnis",
        "steps_caption": "Ergebnis je Prüfschritt",
        "step": "Prüfschritt",
        "result": "Ergebnis",
        "coverage": "Abdeckung",
        "count": "Anzahl",
        "fails": "Mängel",
        "reviews": "Zu prüfen",
        "details": "Regeln und Prüfungen zu {step}",
        "rule": "Regel / Prüfung",
        "pages_fail": "Seiten mit Mangel",
        "pages_review": "Seiten zu prüfen",
        "templates": "Wiederkehrende Stellen (Vorlage)",
        "template": "{selector} – {n} Seiten",
        "statuses": {
            "fail": "nicht erfüllt",
            "review": "zu prüfen",
            "clean": "keine automatisch feststellbaren Mängel",
            "not-applicable": "nicht anwendbar",
            "manual": "zu prüfen (keine automatische Prüfung)",
        },
        "axe_cover": "axe: {rules} Regel(n), anwendbar auf {applicable} von {tested} Seiten",
        "own_cover": "govscan: {checks} Prüfung(en), ausgeführt auf {evaluated} Seiten bzw. Dokumenten",
        "no_cover": "keine automatische Prüfung – nur von Hand prüfbar",
        "best_practice": " (bewährte Praxis)",
        "applicable": "anwendbar auf {n} Seiten",
        "evaluated": "ausgeführt auf {n}",
        "none": "—",
    },
    "en": {
        "heading": "Accessibility by BITV-Test step",
        "intro": "Automatically testable parts of the {n} steps for WCAG {version} AA (EN 301 549 clause 9, "
        "BITV 2.0). Step ids as in the BITV-Test, labels by govscan. Automated checks alone can never show "
        "that a step is fully met.",
        "axe_line": "axe-core ran on {tested} pages ({failed} pages not tested, {frames} frames did not "
        "answer).",
        "summary_caption": "Steps by result",
        "steps_caption": "Result per step",
        "step": "Step",
        "result": "Result",
        "coverage": "Coverage",
        "count": "Count",
        "fails": "Defects",
        "reviews": "To review",
        "details": "Rules and checks of {step}",
        "rule": "Rule / check",
        "pages_fail": "Pages with defects",
        "pages_review": "Pages to review",
        "templates": "Recurring places (template)",
        "template": "{selector} – {n} pages",
        "statuses": {
            "fail": "not met",
            "review": "to review",
            "clean": "no automatically detectable defects",
            "not-applicable": "not applicable",
            "manual": "to review (no automated check)",
        },
        "axe_cover": "axe: {rules} rule(s), applicable on {applicable} of {tested} pages",
        "own_cover": "govscan: {checks} check(s), run on {evaluated} pages or documents",
        "no_cover": "no automated check – manual review only",
        "best_practice": " (best practice)",
        "applicable": "applicable on {n} pages",
        "evaluated": "run on {n}",
        "none": "—",
    },
}
STATUS_ORDER = ("fail", "review", "clean", "not-applicable", "manual")


@dataclass(frozen=True)
class RuleRow:
    check_id: str
    title: str
    coverage: str
    fail_pages: int
    review_pages: int
    templates: list[str]


@dataclass(frozen=True)
class StepRow:
    id: str
    anchor: str
    label: str
    status: str
    status_label: str
    coverage: str
    fails: int
    reviews: int
    details_label: str
    rules: list[RuleRow]


@dataclass(frozen=True)
class StatusCount:
    status: str
    label: str
    count: int


@dataclass(frozen=True)
class AccessibilitySection:
    labels: dict
    intro: str
    axe_line: str
    summary: list[StatusCount]
    steps: list[StepRow]


def build_accessibility_section(
    data: ScanData, registry: CheckRegistry, language: str
) -> AccessibilitySection | None:
    """None when the scan ran no accessibility check at all (older scans, other families only)."""
    labels = LABELS["en" if language == "en" else "de"]
    coverage = data.axe or AxeCoverage()
    version = _wcag_version(data, coverage)
    by_step = _checks_by_step(registry, version)
    findings: dict[str, list[Finding]] = defaultdict(list)
    for finding in data.findings:
        if finding.family == Family.ACCESSIBILITY.value:
            findings[finding.check_id].append(finding)
    if (
        not coverage.pages_tested
        and not findings
        and not any(check_id.startswith("accessibility.") for check_id in data.tallies)
    ):
        return None
    steps = [
        _step_row(step.id, step.label(language), by_step.get(step.id, []), findings, coverage, data, labels)
        for step in steps_in_scope(version)
    ]
    counts = {status: sum(1 for step in steps if step.status == status) for status in STATUS_ORDER}
    return AccessibilitySection(
        labels=labels,
        intro=labels["intro"].format(n=len(steps), version=version),
        axe_line=labels["axe_line"].format(
            tested=coverage.pages_tested, failed=coverage.pages_failed, frames=coverage.frames_untested
        ),
        summary=[StatusCount(status, labels["statuses"][status], counts[status]) for status in STATUS_ORDER],
        steps=steps,
    )


def _wcag_version(data: ScanData, coverage: AxeCoverage) -> str:
    configured = (data.scan.config_json or {}).get("accessibility", {}).get("wcag_version")
    return coverage.wcag_version or configured or DEFAULT_WCAG_VERSION


def _checks_by_step(registry: CheckRegistry, version: str) -> dict[str, list[Check]]:
    rules = axe_rules()
    by_step: dict[str, list[Check]] = defaultdict(list)
    for declared in registry:
        if declared.family is not Family.ACCESSIBILITY:
            continue
        rule = rules.get(declared.id.removeprefix(AXE_PREFIX)) if declared.id.startswith(AXE_PREFIX) else None
        if rule is not None and not rule.runs_for(version):
            continue
        for step in declared.references.bitv:
            by_step[step].append(declared)
    return by_step


def _is_best_practice(declared: Check) -> bool:
    rule = axe_rules().get(declared.id.removeprefix(AXE_PREFIX))
    return declared.id.startswith(AXE_PREFIX) and rule is not None and rule.best_practice


def _step_row(
    step_id: str,
    label: str,
    checks: list[Check],
    findings: dict[str, list[Finding]],
    coverage: AxeCoverage,
    data: ScanData,
    labels: dict,
) -> StepRow:
    conformance = [declared for declared in checks if not _is_best_practice(declared)]
    fails = [f for declared in conformance for f in findings[declared.id] if f.result == "fail"]
    reviews = [f for declared in checks for f in findings[declared.id] if f.result != "fail"]
    axe_checks = [declared for declared in conformance if declared.id.startswith(AXE_PREFIX)]
    own_checks = [declared for declared in conformance if not declared.id.startswith(AXE_PREFIX)]
    rule_ids = [declared.id.removeprefix(AXE_PREFIX) for declared in axe_checks]
    ran_rules = [rule_id for rule_id in rule_ids if rule_id in coverage.rules]
    applicable = max((coverage.rules[rule_id].applicable_pages for rule_id in ran_rules), default=0)
    evaluated = sum(
        data.tallies[declared.id].evaluated for declared in own_checks if declared.id in data.tallies
    )
    parts = []
    if ran_rules:
        parts.append(
            labels["axe_cover"].format(
                rules=len(ran_rules), applicable=applicable, tested=coverage.pages_tested
            )
        )
    if evaluated:
        ran_own = sum(
            1
            for declared in own_checks
            if data.tallies.get(declared.id) and data.tallies[declared.id].evaluated
        )
        parts.append(labels["own_cover"].format(checks=ran_own, evaluated=evaluated))
    if fails:
        status = "fail"
    elif reviews:
        status = "review"
    elif evaluated or applicable:
        status = "clean"
    elif ran_rules:
        status = "not-applicable"
    else:
        status = "manual"
    return StepRow(
        id=step_id,
        anchor="step-" + step_id.replace(".", "-"),
        label=label,
        status=status,
        status_label=labels["statuses"][status],
        coverage="; ".join(parts) or labels["no_cover"],
        fails=len(fails),
        reviews=len(reviews),
        details_label=labels["details"].format(step=step_id),
        rules=[_rule_row(declared, findings[declared.id], coverage, data, labels) for declared in checks],
    )


def _rule_row(
    declared: Check, findings: list[Finding], coverage: AxeCoverage, data: ScanData, labels: dict
) -> RuleRow:
    language = "en" if labels is LABELS["en"] else "de"
    title = declared.doc.title.get(language) + (
        labels["best_practice"] if _is_best_practice(declared) else ""
    )
    if declared.id.startswith(AXE_PREFIX):
        rule = coverage.rules.get(declared.id.removeprefix(AXE_PREFIX))
        covered = labels["applicable"].format(n=rule.applicable_pages) if rule else labels["none"]
    else:
        tally = data.tallies.get(declared.id)
        covered = labels["evaluated"].format(n=tally.evaluated) if tally else labels["none"]
    return RuleRow(
        check_id=declared.id,
        title=title,
        coverage=covered,
        fail_pages=len({f.page_url or f.subject for f in findings if f.result == "fail"}),
        review_pages=len({f.page_url or f.subject for f in findings if f.result != "fail"}),
        templates=_templates(findings, labels),
    )


def _templates(findings: list[Finding], labels: dict) -> list[str]:
    """Selectors that recur on several pages: one fix in the template resolves them all."""
    pages: dict[str, set[str]] = defaultdict(set)
    for finding in findings:
        if finding.selector and finding.page_url:
            pages[normalise_selector(finding.selector)].add(finding.page_url)
    recurring = sorted(
        ((selector, len(urls)) for selector, urls in pages.items() if len(urls) > 1),
        key=lambda item: (-item[1], item[0]),
    )
    return [labels["template"].format(selector=selector, n=n) for selector, n in recurring[:MAX_TEMPLATES]]
