"""Deployment gate: ``govscan scan ... --fail-on new:serious`` fails a CI job on new findings.

A rule is ``WHICH:LEVEL``:

- ``WHICH`` is ``new`` (findings missing from the baseline scan) or ``any`` (every finding);
- ``LEVEL`` is a severity (``critical``, ``serious``, ``moderate``, ``minor``, ``info``): that
  severity or worse; ``any`` means every severity.

Only open defects trip a rule: result ``fail`` (``review`` findings need a person, not a red
build), not suppressed by a review decision (false positive, accepted). "New" excludes findings
of checks the baseline did not run (a govscan upgrade is not a regression of the site). Without
a baseline (the target's first completed scan) every finding is new.
"""

from __future__ import annotations

from dataclasses import dataclass

from reports.history import Change, ScanHistory, TrackedFinding
from scanner.findings.registry import Severity

GATE_EXIT_CODE = 4  # distinct from 1 (a scan failed), 2 (bad input), 3 (environment)
WHICH = ("new", "any")
LEVELS = ("any", *(severity.value for severity in Severity))


class GateRuleError(ValueError):
    pass


@dataclass(frozen=True)
class GateRule:
    which: str  # new | any
    level: str  # any | a severity

    @property
    def text(self) -> str:
        return f"{self.which}:{self.level}"

    def matches(self, item: TrackedFinding, has_baseline: bool) -> bool:
        finding = item.finding
        if finding.result != "fail" or item.suppressed:
            return False
        if self.level != "any" and _rank(finding.severity) < Severity(self.level).rank:
            return False
        if self.which == "any" or not has_baseline:
            return True
        return item.change is Change.NEW and not item.check_added


@dataclass(frozen=True)
class GateVerdict:
    rule: GateRule
    scan_id: int
    baseline_scan_id: int | None
    findings: list[TrackedFinding]

    @property
    def tripped(self) -> bool:
        return bool(self.findings)


def parse_rules(values: list[str]) -> list[GateRule]:
    rules = []
    for value in values:
        which, _, level = value.strip().lower().partition(":")
        if which not in WHICH or level not in LEVELS:
            raise GateRuleError(
                f"--fail-on {value!r}: expected WHICH:LEVEL with WHICH one of {', '.join(WHICH)} "
                f"and LEVEL one of {', '.join(LEVELS)} (e.g. new:serious)"
            )
        rules.append(GateRule(which, level))
    return rules


def judge(history: ScanHistory, rules: list[GateRule]) -> list[GateVerdict]:
    has_baseline = history.baseline is not None
    baseline_id = history.baseline.id if history.baseline else None
    return [
        GateVerdict(
            rule,
            history.scan.id,
            baseline_id,
            [item for item in history.findings if rule.matches(item, has_baseline)],
        )
        for rule in rules
    ]


def _rank(severity: str) -> int:
    try:
        return Severity(severity).rank
    except ValueError:
        return -1
