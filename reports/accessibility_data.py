"""Read side of the axe evidence: per rule, on how many pages it applied, failed, needed review.

The pages keep axe's counts per rule with their axe evidence (``scanner.evidence.axe.AxeEvidence``,
stored in ``Page.extras``); the report's section "Barrierefreiheit" shows them as coverage behind
each BITV-Test step.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from scanner.evidence.axe import AxeEvidence
from scanner.store.report_queries import tested_html_extras

if TYPE_CHECKING:
    from sqlmodel import Session


@dataclass
class RuleCoverage:
    applicable_pages: int = 0  # pages where the rule found elements to test (pass, fail or review)
    inapplicable_pages: int = 0
    violation_pages: int = 0
    incomplete_pages: int = 0


@dataclass
class AxeCoverage:
    wcag_version: str | None = None
    pages_tested: int = 0  # pages axe ran on
    pages_failed: int = 0  # pages where axe itself failed (not tested)
    frames_untested: int = 0
    rules: dict[str, RuleCoverage] = field(default_factory=dict)


def load_axe_coverage(db: Session, scan_id: int) -> AxeCoverage:
    coverage = AxeCoverage()
    for extras in tested_html_extras(db, scan_id):
        _add_page(coverage, (extras or {}).get(AxeEvidence.KIND))
    return coverage


def _add_page(coverage: AxeCoverage, stored: Any) -> None:
    """One page's axe evidence as stored: absent, a collector failure (``{"error": ...}``) or axe's."""
    if not isinstance(stored, dict):
        return
    if "error" in stored:
        coverage.pages_failed += 1
        return
    axe = AxeEvidence.from_json(stored)
    coverage.pages_tested += 1
    coverage.wcag_version = coverage.wcag_version or axe.wcag_version
    coverage.frames_untested += len(axe.untested_frames)
    for rule_id, counts in axe.rules.items():
        rule = coverage.rules.setdefault(rule_id, RuleCoverage())
        if counts.applicable:
            rule.applicable_pages += 1
        elif counts.inapplicable:
            rule.inapplicable_pages += 1
        rule.violation_pages += bool(counts.violations)
        rule.incomplete_pages += bool(counts.incomplete)
