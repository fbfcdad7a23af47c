"""Expected ACT outcome against what govscan reported, per case, per rule and in total (pure).

govscan's outcome for a case is read from the checks that answer for the case's ACT rule
(``act_mapping``): ``failed`` when one of them has a fail finding on the page, ``review`` when one
has only review findings, ``passed`` when none has a finding, ``not tested`` when the page could
not be tested (capture failed, axe gave no result for it or one of its frames).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from typing import Any

from benchmarks.act_cases import ActCase

FAILED, REVIEW, PASSED, NOT_TESTED = "failed", "review", "passed", "not tested"


@dataclass(frozen=True)
class CaseResult:
    case: ActCase
    tested: bool = True
    note: str = ""  # why it was not tested
    fails: tuple[str, ...] = ()  # answering checks with a fail finding
    reviews: tuple[str, ...] = ()  # answering checks with a review finding
    axe_violations: tuple[str, ...] = ()  # answering axe rules with violations, before govscan's capping
    other_fails: tuple[str, ...] = ()  # other accessibility checks failing on the page
    crashed: tuple[str, ...] = ()  # checks that raised on the page
    iframe: bool = False

    @property
    def outcome(self) -> str:
        if not self.tested:
            return NOT_TESTED
        if self.fails:
            return FAILED
        return REVIEW if self.reviews else PASSED

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["case"] = {key: data["case"][key] for key in ("rule_id", "case_id", "title", "expected", "url")}
        data["outcome"] = self.outcome
        return data


@dataclass
class RuleTally:
    """Counts of one ACT rule (or of many, added up)."""

    expected_failed: int = 0
    found: int = 0  # expected failed, govscan failed
    found_as_review: int = 0  # expected failed, govscan only asked for review
    missed: int = 0  # expected failed, govscan reported nothing
    failed_not_tested: int = 0
    axe_found: int = 0  # expected failed, axe had a violation (best practice not capped)
    non_failures: int = 0  # expected passed or inapplicable
    wrongly_failed: int = 0
    non_failure_reviews: int = 0
    non_failure_not_tested: int = 0
    axe_wrongly_failed: int = 0
    iframe_expected_failed: int = 0
    iframe_found: int = 0
    crashes: dict[str, int] = field(default_factory=dict)

    def add(self, result: CaseResult) -> None:
        outcome = result.outcome
        if result.case.expected_failure:
            self.expected_failed += 1
            self.found += outcome == FAILED
            self.found_as_review += outcome == REVIEW
            self.missed += outcome == PASSED
            self.failed_not_tested += outcome == NOT_TESTED
            self.axe_found += bool(result.axe_violations)
            self.iframe_expected_failed += result.iframe
            self.iframe_found += result.iframe and outcome == FAILED
        else:
            self.non_failures += 1
            self.wrongly_failed += outcome == FAILED
            self.non_failure_reviews += outcome == REVIEW
            self.non_failure_not_tested += outcome == NOT_TESTED
            self.axe_wrongly_failed += bool(result.axe_violations)
        for check_id in result.crashed:
            self.crashes[check_id] = self.crashes.get(check_id, 0) + 1

    def merge(self, other: RuleTally) -> None:
        for name, value in asdict(other).items():
            if name == "crashes":
                for check_id, count in value.items():
                    self.crashes[check_id] = self.crashes.get(check_id, 0) + count
            else:
                setattr(self, name, getattr(self, name) + value)


def tally_by_rule(results: Iterable[CaseResult]) -> dict[str, RuleTally]:
    tallies: dict[str, RuleTally] = {}
    for result in results:
        tallies.setdefault(result.case.rule_id, RuleTally()).add(result)
    return tallies


def total(tallies: Iterable[RuleTally]) -> RuleTally:
    summed = RuleTally()
    for tally in tallies:
        summed.merge(tally)
    return summed
