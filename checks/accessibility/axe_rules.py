"""accessibility.axe.<rule-id>: one check per axe-core rule govscan runs, generated from the mapping.

Each rule keeps its own stable id, references (WCAG SC, EN 301 549 clause, BITV-Test step) and
documentation (axe's own help, German from axe's locale). Violations are ``fail``, incomplete
results ``review``; best-practice rules are never a fail, they serve no success criterion.
The evidence is the page collector "axe" (``scanner.evidence.axe.AxeEvidence``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from typing import Any

from checks.accessibility.mapping import AxeRule, all_steps, axe_rules, criteria
from scanner.evidence import PageCapture
from scanner.evidence.axe import AxeEvidence, AxeNode, AxeRuleResult
from scanner.findings.registry import (
    CheckContext,
    CheckDoc,
    Family,
    Finding,
    References,
    Result,
    Scope,
    Severity,
    Text,
    check,
)

PREFIX = "accessibility.axe."
FRAME_BOUNDARY = " >>> "  # selector of a frame, then of the element inside it
SHADOW_BOUNDARY = " >> "  # selector of a shadow host, then of the element inside its shadow root
IMPACT_SEVERITY = {
    "critical": Severity.CRITICAL,
    "serious": Severity.SERIOUS,
    "moderate": Severity.MODERATE,
    "minor": Severity.MINOR,
}


def check_id(rule_id: str) -> str:
    return PREFIX + rule_id


def selector_text(target: Sequence[Any]) -> str:
    """axe's target (frames, shadow roots) as one line: 'iframe#karte >>> #host >> button'."""
    return FRAME_BOUNDARY.join(
        SHADOW_BOUNDARY.join(part) if isinstance(part, list | tuple) else str(part) for part in target
    )


def rule_ran(rule_id: str) -> Callable[[PageCapture], bool]:
    """The rule ran on the page (in a WCAG 2.1 scan the 2.2 rules do not): only then is it evaluated."""

    def ran(capture: PageCapture) -> bool:
        evidence = capture.evidence(AxeEvidence)
        return evidence is not None and rule_id in evidence.rules

    return ran


def rule_findings(rule: AxeRule, capture: PageCapture) -> Iterator[Finding]:
    evidence = capture.evidence(AxeEvidence)
    if evidence is None:
        return
    outcomes = (
        ("violations", evidence.violations, Result.FAIL),
        ("incomplete", evidence.incomplete, Result.REVIEW),
    )
    for outcome, entries, result in outcomes:
        if rule.best_practice:
            result = Result.REVIEW
        for entry in entries:
            if entry.id != rule.id:
                continue
            for node in entry.nodes:
                yield _finding(rule, entry, node, outcome, result)


def _finding(rule: AxeRule, entry: AxeRuleResult, node: AxeNode, outcome: str, result: Result) -> Finding:
    impact = node.impact or entry.impact
    summary = node.summary.strip()
    prefix_de = "Zu prüfen: " if outcome == "incomplete" else ""
    prefix_en = "Needs review: " if outcome == "incomplete" else ""
    return Finding(
        result=result,
        message=Text(
            de=f"{prefix_de}{rule.help_de}" + (f"\n{summary}" if summary else ""),
            en=f"{prefix_en}{rule.help_en}",
        ),
        severity=IMPACT_SEVERITY.get(impact or ""),
        selector=selector_text(node.target),
        snippet=node.html or None,
        frame_url=node.frame_url if node.frame_path else None,
        evidence={
            "rule": rule.id,
            "outcome": outcome,
            "impact": impact,
            "frame_path": list(node.frame_path),
            "target": list(node.target),
            "summary": summary,
            **({"data": node.data} if node.data else {}),
            **({"nodes_on_page": entry.node_count} if entry.nodes_left_out else {}),
            "help_url": rule.help_url,
        },
    )


def _documentation(rule: AxeRule) -> CheckDoc:
    steps = all_steps()
    known = criteria()
    if rule.best_practice:
        related = ", ".join(f"{step} ({steps[step].de})" for step in rule.steps if step in steps)
        why_de = (
            "Bewährte Praxis aus axe-core, keine Anforderung der WCAG; Befunde sind daher nie "
            "ein Mangel, sondern „zu prüfen“."
        )
        why_en = "A best practice of axe-core, not a WCAG requirement; its findings are never a fail."
        if related:
            why_de += f" Hilft beim Prüfschritt {related}."
            why_en += f" Helps to review step {related}."
    else:
        served = [known[sc] for sc in rule.criteria if sc in known]
        criteria_de = ", ".join(f"{item.sc} {item.de} (Stufe {item.level})" for item in served)
        criteria_en = ", ".join(f"{item.sc} {item.en} (level {item.level})" for item in served)
        why_de = (
            f"WCAG {criteria_de}; EN 301 549 {', '.join(rule.clauses)}; BITV 2.0 §3 mit BITV-Prüfschritt "
            f"{', '.join(rule.steps)}."
        )
        why_en = (
            f"WCAG {criteria_en}; EN 301 549 {', '.join(rule.clauses)}; "
            f"BITV-Test step {', '.join(rule.steps)}."
        )
    return CheckDoc(
        title=Text(de=rule.help_de.rstrip("."), en=rule.help_en),
        what=Text(
            de=f"{rule.description_de} (axe-core-Regel „{rule.id}“, in jedem Frame der Seite.)",
            en=f"{rule.description_en} (axe-core rule '{rule.id}', in every frame of the page.)",
        ),
        why=Text(de=why_de, en=why_en),
        how_to_fix=Text(
            de=f"Erläuterung und Beispiele von Deque: {rule.help_url}?lang=de",
            en=f"Explanation and examples by Deque: {rule.help_url}",
        ),
    )


def _register(rule: AxeRule) -> None:
    def run(capture: PageCapture, context: CheckContext) -> Iterator[Finding]:
        return rule_findings(rule, capture)

    decorate: Callable = check(
        id=check_id(rule.id),
        family=Family.ACCESSIBILITY,
        scope=Scope.PAGE,
        severity=Severity.MINOR if rule.best_practice else Severity.SERIOUS,
        references=References(
            wcag=rule.criteria,
            en301549=rule.clauses,
            bitv=rule.steps,
            law=() if rule.best_practice else ("BITV 2.0 §3",),
            standards=(f"axe-core {rule.id}",),
        ),
        doc=_documentation(rule),
        requires=rule_ran(rule.id),
    )
    decorate(run)


for _rule in axe_rules().values():
    if _rule.runs_for("2.1") or _rule.runs_for("2.2"):
        _register(_rule)
