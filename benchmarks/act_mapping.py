"""Which govscan checks answer for an ACT rule, and why the others are left.

axe-core names the ACT rules each of its rules implements (``actIds`` in its rule metadata, read
from the installed axe in a blank page). An axe rule govscan runs is the check
``accessibility.axe.<rule id>``; a few of govscan's own checks test what an ACT rule tests and are
listed by hand in ``OWN_CHECKS``. Pure functions of that metadata: no browser here.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from scanner.capture.axe.source import BEST_PRACTICE_TAG, SKIPPED_TAGS, WCAG_TAGS, runs_rule

AXE_PREFIX = "accessibility.axe."
# govscan's own checks that test what these ACT rules test (by the check's documentation).
OWN_CHECKS: dict[str, tuple[str, ...]] = {
    "accessibility.document-lang": ("b5c3f8", "bf051a"),
    "accessibility.media-autoplay": ("80f0bf",),
    "accessibility.video-captions": ("f51b46", "eac66b"),
    "accessibility.keyboard-trap": ("80af7b", "a1b64e", "ebe86a"),
    "accessibility.focus-visible": ("oj04fd",),
    "accessibility.skip-link": ("ye5d6e", "cf77f2"),
}
# Checks that read the keyboard walk, which a scan runs on a sample of pages: the benchmark runs the
# walk on the cases of the ACT rules they answer for, and only there.
INTERACTION_CHECKS = frozenset(
    {"accessibility.keyboard-trap", "accessibility.focus-visible", "accessibility.skip-link"}
)

COVERED = "covered"  # a check that can fail runs
REVIEW_ONLY = "review only"  # only best-practice checks run: they never fail
NOT_RUN = "not run"  # axe has rules for it, govscan runs none of them
NO_AXE_RULE = "no axe rule"  # axe implements no rule for it (and no own check answers)


@dataclass(frozen=True)
class AxeRuleInfo:
    id: str
    tags: tuple[str, ...]
    enabled: bool
    act_ids: tuple[str, ...]

    @classmethod
    def from_raw(cls, raw: Mapping[str, Any]) -> AxeRuleInfo:
        return cls(
            raw["id"],
            tuple(raw.get("tags", ())),
            raw.get("enabled", True) is not False,
            tuple(raw.get("actIds") or ()),
        )

    @property
    def best_practice(self) -> bool:
        return BEST_PRACTICE_TAG in self.tags


@dataclass(frozen=True)
class RuleCoverage:
    act_id: str
    status: str  # COVERED, REVIEW_ONLY, NOT_RUN or NO_AXE_RULE
    axe_rules: tuple[str, ...]  # every axe rule naming this ACT rule
    checks: tuple[str, ...]  # the govscan checks that answer for it in this benchmark
    left: tuple[tuple[str, str], ...]  # (axe rule, why govscan does not run it)
    reason: str  # one line for the README's list

    @property
    def axe_implements(self) -> bool:
        return bool(self.axe_rules)


def why_not_run(rule: AxeRuleInfo, wcag_version: str) -> str:
    """Why govscan's rule selection (``scanner.capture.axe.source.runs_rule``) leaves an axe rule out."""
    tags = set(rule.tags)
    skipped = sorted(tags & SKIPPED_TAGS)
    if skipped:
        return skipped[0]  # experimental or deprecated
    if "wcag2aaa" in tags:
        return "AAA"
    if "wcag22aa" in tags and wcag_version != "2.2":
        return "WCAG 2.2 only"
    if not tags & (set(WCAG_TAGS[wcag_version]) | {BEST_PRACTICE_TAG}):
        return "outside WCAG " + wcag_version + " A/AA"
    return "disabled by default in axe"


def coverage(
    act_ids: Iterable[str], axe: Iterable[AxeRuleInfo], wcag_version: str, registered: frozenset[str]
) -> dict[str, RuleCoverage]:
    """Per ACT rule: the checks a govscan scan with ``wcag_version`` runs for it, and what is left.

    ``registered``: the ids of the checks govscan has (an axe rule without its check is not run).
    """
    rules = list(axe)
    result = {}
    for act_id in act_ids:
        mapped = [rule for rule in rules if act_id in rule.act_ids]
        run = [
            rule
            for rule in mapped
            if runs_rule({"id": rule.id, "tags": rule.tags, "enabled": rule.enabled}, wcag_version)
            and AXE_PREFIX + rule.id in registered
        ]
        left = tuple((rule.id, why_not_run(rule, wcag_version)) for rule in mapped if rule not in run)
        own = [check for check, ids in OWN_CHECKS.items() if act_id in ids and check in registered]
        checks = tuple([AXE_PREFIX + rule.id for rule in run] + own)
        failing = [rule for rule in run if not rule.best_practice]
        if failing or own:
            status, reason = COVERED, _covered_reason(run, own)
        elif run:
            status = REVIEW_ONLY
            reason = (
                "best practice in axe ("
                + ", ".join(rule.id for rule in run)
                + "): govscan reports it as review"
            )
        elif mapped:
            status = NOT_RUN
            reason = "; ".join(f"{rule}: {why}" for rule, why in left)
        else:
            status, reason = NO_AXE_RULE, "axe-core has no rule for it; govscan has no check of its own"
        result[act_id] = RuleCoverage(act_id, status, tuple(rule.id for rule in mapped), checks, left, reason)
    return result


def _covered_reason(run: list[AxeRuleInfo], own: list[str]) -> str:
    parts = [f"axe {rule.id}" + (" (best practice: review)" if rule.best_practice else "") for rule in run]
    return ", ".join(parts + own)
