"""The ACT benchmark's printed table and JSON document."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import asdict
from typing import Any

from benchmarks.act_compare import CaseResult, RuleTally, total
from benchmarks.act_mapping import COVERED, NO_AXE_RULE, RuleCoverage

_WIDTHS = (8, 5, 4, 4, 3, 1, 5, 5, 4, 3)
_HEADER = (
    f"{'ACT':<7} {'rule':<44} {'govscan':<12} {'exp.fail':>8} {'found':>5} {'rev':>4} {'miss':>4} "
    f"{'n/t':>3} | {'non-f':>5} {'wrong':>5} {'rev':>4} {'n/t':>3}  checks"
)


def rule_table(
    names: Mapping[str, str], coverage: Mapping[str, RuleCoverage], tallies: Mapping[str, RuleTally]
) -> str:
    lines = [_HEADER, "-" * len(_HEADER)]
    for act_id in sorted(tallies, key=lambda rule: (coverage[rule].status, names[rule])):
        rule, tally = coverage[act_id], tallies[act_id]
        checks = ", ".join(check.removeprefix("accessibility.") for check in rule.checks) or rule.reason
        counts = (
            tally.expected_failed,
            tally.found,
            tally.found_as_review,
            tally.missed,
            tally.failed_not_tested,
            "|",
            tally.non_failures,
            tally.wrongly_failed,
            tally.non_failure_reviews,
            tally.non_failure_not_tested,
        )
        columns = " ".join(f"{value:>{width}}" for value, width in zip(counts, _WIDTHS, strict=True))
        lines.append(f"{act_id:<7} {names[act_id][:44]:<44} {rule.status:<12} {columns}  {checks}")
    return "\n".join(lines)


def totals(coverage: Mapping[str, RuleCoverage], tallies: Mapping[str, RuleTally]) -> dict[str, RuleTally]:
    """Totals over the rules axe implements, over those govscan covers, and over every measured rule."""
    return {
        "axe implements": total(t for rule, t in tallies.items() if coverage[rule].axe_implements),
        "govscan covers": total(t for rule, t in tallies.items() if coverage[rule].status == COVERED),
        "all measured": total(tallies.values()),
    }


def totals_text(summed: Mapping[str, RuleTally]) -> str:
    lines = []
    for name, tally in summed.items():
        lines.append(
            f"{name}: {tally.found} of {tally.expected_failed} expected failures found as fail "
            f"({tally.found_as_review} only as review, {tally.missed} missed, "
            f"{tally.failed_not_tested} not tested; axe itself {tally.axe_found}); "
            f"{tally.wrongly_failed} of {tally.non_failures} non-failures wrongly failed "
            f"({tally.non_failure_reviews} with review, {tally.non_failure_not_tested} not tested; "
            f"axe itself {tally.axe_wrongly_failed}); iframe cases: {tally.iframe_found} of "
            f"{tally.iframe_expected_failed} expected failures found"
        )
    crashes = summed["all measured"].crashes
    lines.append("check crashes: " + (", ".join(f"{c} on {n} pages" for c, n in crashes.items()) or "none"))
    return "\n".join(lines)


def left_text(names: Mapping[str, str], coverage: Mapping[str, RuleCoverage]) -> str:
    """The ACT rules govscan does not fail on, and why (for the README's list)."""
    lines = []
    for act_id, rule in sorted(coverage.items(), key=lambda item: (item[1].status, names.get(item[0], ""))):
        if rule.status != COVERED and rule.status != NO_AXE_RULE:
            lines.append(f"  {act_id} {names.get(act_id, '')}: {rule.status}; {rule.reason}")
    return "\n".join(lines)


def document(
    meta: Mapping[str, Any],
    names: Mapping[str, str],
    coverage: Mapping[str, RuleCoverage],
    tallies: Mapping[str, RuleTally],
    results: Sequence[CaseResult],
) -> dict[str, Any]:
    return {
        **meta,
        "totals": {name: asdict(tally) for name, tally in totals(coverage, tallies).items()},
        "rules": {
            act_id: {
                "name": names.get(act_id, ""),
                **asdict(rule),
                "tally": asdict(tallies[act_id]) if act_id in tallies else None,
            }
            for act_id, rule in coverage.items()
        },
        "cases": [result.to_json() for result in results],
    }
