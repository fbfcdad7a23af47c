"""Read side of the axe evidence: per rule, on how many pages it applied, failed, needed review.

The pages keep axe's counts per rule in ``Page.extras["axe"]["rules"]`` (see the collector
``scanner/capture/collectors/accessibility_axe.py``); the report's section "Barrierefreiheit" shows them as
coverage behind each BITV-Test step.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

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
        _add_page(coverage, (extras or {}).get("axe"))
    return coverage


def _add_page(coverage: AxeCoverage, axe: dict | None) -> None:
    if not isinstance(axe, dict):
        return
    if "error" in axe:
        coverage.pages_failed += 1
        return
    coverage.pages_tested += 1
    coverage.wcag_version = coverage.wcag_version or axe.get("wcag_version")
    coverage.frames_untested += sum(1 for frame in axe.get("frames", []) if not frame.get("tested", True))
    for rule_id, counts in axe.get("rules", {}).items():
        rule = coverage.rules.setdefault(rule_id, RuleCoverage())
        if counts.get("passes") or counts.get("violations") or counts.get("incomplete"):
            rule.applicable_pages += 1
        elif counts.get("inapplicable"):
            rule.inapplicable_pages += 1
        rule.violation_pages += bool(counts.get("violations"))
        rule.incomplete_pages += bool(counts.get("incomplete"))
