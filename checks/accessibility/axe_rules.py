"""accessibility.axe.<rule-id>: one check per axe-core rule govscan runs, generated from the mapping.

Ids: every other check writes its id as a literal string in the module that implements it, so one
grep finds it. These ids are the one exception, and they are mechanical: ``check_id(rule)`` is
``PREFIX + <axe rule id>`` for every rule of ``data/axe_rules.json`` a scan runs (WCAG 2.1 or 2.2),
e.g. ``accessibility.axe.image-alt`` for axe's rule ``image-alt``; nothing else goes into them. grep
the rule id in ``data/axe_rules.json``; the implementation is this module.

Each rule keeps its own stable id, references (WCAG SC, EN 301 549 clause, BITV-Test step) and
documentation: title and description are axe's own help and description (English from
``data/axe_rules.json``, German from axe's locale ``scanner/capture/axe/locales/de.json``), the fix points
to axe's helpUrl (Deque University). An example per rule, and German for a rule axe's locale does not
translate, come from ``data/axe_rule_docs.toml``. Violations are ``fail``, incomplete results
``review``; best-practice rules are never a fail, they serve no success criterion.
The evidence is the page collector "axe" (``scanner.evidence.axe.AxeEvidence``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from typing import Any

from checks.accessibility.axe_review import review_note
from checks.accessibility.mapping import (
    AxeRule,
    all_steps,
    axe_rule_docs,
    axe_rules,
    criteria,
    within_standard,
)
from scanner.capture.axe.source import german_locale
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


def rule_ran(rule: AxeRule) -> Callable[[PageCapture], bool]:
    """The rule ran on the page and serves a criterion of the scan's WCAG version: only then is it
    evaluated. A WCAG 2.1 scan does not run the 2.2 rules; should one run anyway (a newer axe
    script tagging it differently), its results stay out of the 2.1 scan."""

    def ran(capture: PageCapture) -> bool:
        evidence = capture.evidence(AxeEvidence)
        if evidence is None or rule.id not in evidence.rules:
            return False
        return within_standard(rule.criteria, evidence.wcag_version)

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
    note = review_note(rule, node, outcome) if result is Result.REVIEW else None
    if note is not None:
        # For incomplete nodes axe's summary is its fail text ("contrast of 0"): the note says why instead.
        message = note.message(Text(de=rule.help_de, en=rule.help_en))
    else:
        message = Text(de=rule.help_de + (f"\n{summary}" if summary else ""), en=rule.help_en)
    return Finding(
        result=result,
        message=message,
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
            **(note.evidence() if note else {}),
        },
    )


def _sentence(text: str) -> str:
    """axe's English descriptions mostly lack the final full stop, its German ones have it."""
    text = text.strip()
    return text if text.endswith((".", "!", "?")) else text + "."


def german_texts(rule: AxeRule) -> tuple[str, str, bool]:
    """German help and description of a rule, and whether they are axe-core's own.

    axe's locale, where it translates the rule; else govscan's translation from
    data/axe_rule_docs.toml; else the mapping's fallback (axe's English, marked as untranslated).
    """
    if rule.id in german_locale()["rules"]:
        return rule.help_de, rule.description_de, True
    ours = axe_rule_docs()["german"].get(rule.id)
    if ours is None:
        return rule.help_de, rule.description_de, False
    return ours["help"], ours["description"], False


def _documentation(rule: AxeRule) -> CheckDoc:
    steps = all_steps()
    known = criteria()
    if rule.best_practice:
        related = [steps[step] for step in rule.steps if step in steps]
        related_de = ", ".join(f"{step.id} ({step.de})" for step in related)
        related_en = ", ".join(f"{step.id} ({step.en})" for step in related)
        why_de = (
            "Bewährte Praxis aus axe-core, keine Anforderung der WCAG; Befunde sind daher nie "
            "ein Mangel, sondern „zu prüfen“."
        )
        why_en = "A best practice of axe-core, not a WCAG requirement; its findings are never a fail."
        if len(related) == 1:
            why_de += f" Die Regel hilft beim Prüfschritt {related_de}."
            why_en += f" It helps to review step {related_en}."
        elif related:
            why_de += f" Die Regel hilft bei den Prüfschritten {related_de}."
            why_en += f" It helps to review steps {related_en}."
    else:
        served = [known[sc] for sc in rule.criteria if sc in known]
        criteria_de = ", ".join(f"{item.sc} {item.de} (Stufe {item.level})" for item in served)
        criteria_en = ", ".join(f"{item.sc} {item.en} (level {item.level})" for item in served)
        clauses = ", ".join(rule.clauses)
        bitv_steps = ", ".join(rule.steps)
        newer = [item.sc for item in served if item.wcag == "2.2"]
        if newer and len(newer) == len(served):
            why_de = f"Die Regel deckt einen automatisch prüfbaren Teil von WCAG {criteria_de} ab."
            why_en = f"The rule covers an automatically testable part of WCAG {criteria_en}."
        else:
            why_de = (
                f"Die Regel deckt einen automatisch prüfbaren Teil von WCAG {criteria_de} ab "
                f"(EN 301 549 {clauses}; BITV 2.0 §3)."
            )
            why_en = (
                f"The rule covers an automatically testable part of WCAG {criteria_en} "
                f"(EN 301 549 {clauses}; BITV 2.0 §3)."
            )
        if len(newer) == 1:
            why_de += (
                f" Das Erfolgskriterium {newer[0]} ist neu in WCAG 2.2; EN 301 549 V3.2.1, auf die "
                "BITV 2.0 §3 verweist, enthält es noch nicht."
            )
            why_en += (
                f" Success criterion {newer[0]} is new in WCAG 2.2; EN 301 549 V3.2.1, which BITV 2.0 §3 "
                "refers to, does not contain it yet."
            )
        elif newer:
            why_de += (
                f" Die Erfolgskriterien {', '.join(newer)} sind neu in WCAG 2.2; EN 301 549 V3.2.1, auf die "
                "BITV 2.0 §3 verweist, enthält sie noch nicht."
            )
            why_en += (
                f" Success criteria {', '.join(newer)} are new in WCAG 2.2; EN 301 549 V3.2.1, which "
                "BITV 2.0 §3 refers to, does not contain them yet."
            )
        if len(rule.steps) == 1:
            why_de += f" Im BITV-Test gehört die Regel zum Prüfschritt {bitv_steps}."
            why_en += f" In the BITV-Test the rule belongs to step {bitv_steps}."
        else:
            why_de += f" Im BITV-Test gehört die Regel zu den Prüfschritten {bitv_steps}."
            why_en += f" In the BITV-Test the rule belongs to steps {bitv_steps}."
    help_de, description_de, from_axe = german_texts(rule)
    what_de = f"{_sentence(description_de)} Die axe-core-Regel „{rule.id}“ läuft in jedem Frame der Seite."
    if not from_axe:
        what_de += (
            " Das deutsche Sprachpaket von axe-core übersetzt diese Regel nicht; diese Fassung stammt "
            "von govscan."
        )
    return CheckDoc(
        title=Text(de=help_de.rstrip("."), en=rule.help_en),
        what=Text(
            de=what_de,
            en=f"{_sentence(rule.description_en)} The axe-core rule '{rule.id}' runs in every frame of "
            "the page.",
        ),
        why=Text(de=why_de, en=why_en),
        how_to_fix=Text(
            de="Jedes gemeldete Element so ändern, dass es die Anforderung der Regel erfüllt. "
            f"Erläuterung und Beispiele von Deque University: {rule.help_url}?lang=de",
            en="Change every reported element so that it meets the rule's requirement. "
            f"Explanation and examples by Deque University: {rule.help_url}",
        ),
        example=axe_rule_docs()["example"].get(rule.id, ""),
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
        requires=rule_ran(rule),
    )
    decorate(run)


for _rule in axe_rules().values():
    if _rule.runs_for("2.1") or _rule.runs_for("2.2"):
        _register(_rule)
