"""The mapping data: WCAG SC -> EN 301 549 clause -> BITV-Test step, and every axe rule into it."""

from __future__ import annotations

import json
import tomllib

import pytest

from checks.accessibility.mapping import DATA, all_steps, axe_rules, axe_table_version, steps_in_scope
from scanner.capture.axe.rules import list_rules
from scanner.capture.axe.source import german_locale, load_axe_source
from scanner.findings.registry import load_all_checks

# The 66 clause-9 Prüfschritte of the BITV-Test (WCAG 2.1 A/AA with 1.1.1 a-d and 1.3.1 a-h split,
# plus the six WCAG 2.2 steps), written out here so the data cannot silently lose one.
CLAUSE_9 = [
    "9.1.1.1a",
    "9.1.1.1b",
    "9.1.1.1c",
    "9.1.1.1d",
    "9.1.2.1",
    "9.1.2.2",
    "9.1.2.3",
    "9.1.2.4",
    "9.1.2.5",
    "9.1.3.1a",
    "9.1.3.1b",
    "9.1.3.1c",
    "9.1.3.1d",
    "9.1.3.1e",
    "9.1.3.1f",
    "9.1.3.1g",
    "9.1.3.1h",
    "9.1.3.2",
    "9.1.3.3",
    "9.1.3.4",
    "9.1.3.5",
    "9.1.4.1",
    "9.1.4.2",
    "9.1.4.3",
    "9.1.4.4",
    "9.1.4.5",
    "9.1.4.10",
    "9.1.4.11",
    "9.1.4.12",
    "9.1.4.13",
    "9.2.1.1",
    "9.2.1.2",
    "9.2.1.4",
    "9.2.2.1",
    "9.2.2.2",
    "9.2.3.1",
    "9.2.4.1",
    "9.2.4.2",
    "9.2.4.3",
    "9.2.4.4",
    "9.2.4.5",
    "9.2.4.6",
    "9.2.4.7",
    "9.2.4.11",
    "9.2.5.1",
    "9.2.5.2",
    "9.2.5.3",
    "9.2.5.4",
    "9.2.5.7",
    "9.2.5.8",
    "9.3.1.1",
    "9.3.1.2",
    "9.3.2.1",
    "9.3.2.2",
    "9.3.2.3",
    "9.3.2.4",
    "9.3.2.6",
    "9.3.3.1",
    "9.3.3.2",
    "9.3.3.3",
    "9.3.3.4",
    "9.3.3.7",
    "9.3.3.8",
    "9.4.1.1",
    "9.4.1.2",
    "9.4.1.3",
]
WCAG_22_ONLY = {"9.2.4.11", "9.2.5.7", "9.2.5.8", "9.3.2.6", "9.3.3.7", "9.3.3.8"}


def test_every_clause_9_step_exists_once_and_in_order() -> None:
    assert len(CLAUSE_9) == 66
    assert [step.id for step in steps_in_scope("2.2")] == CLAUSE_9
    assert [step.id for step in steps_in_scope("2.1")] == [s for s in CLAUSE_9 if s not in WCAG_22_ONLY]


@pytest.mark.parametrize("wcag_version", ["2.1", "2.2"])
def test_every_enabled_axe_rule_maps_to_a_criterion_and_a_step_or_is_best_practice(wcag_version: str) -> None:
    hand = tomllib.loads((DATA / "axe_rule_steps.toml").read_text(encoding="utf-8"))
    in_scope = {step.id for step in steps_in_scope(wcag_version)}
    enabled = [rule for rule in axe_rules().values() if rule.runs_for(wcag_version)]
    assert len(enabled) > 80
    for rule in enabled:
        if rule.best_practice:
            assert rule.id in hand["best-practice"], (
                f"{rule.id}: best-practice rule missing in the hand table"
            )
            assert set(rule.steps) <= set(all_steps())
            continue
        assert rule.criteria, f"{rule.id} names no success criterion"
        assert rule.steps and set(rule.steps) <= in_scope, f"{rule.id} -> {rule.steps} not in {wcag_version}"
        assert all(clause.startswith("9.") for clause in rule.clauses)


def test_the_hand_table_names_only_known_rules_and_steps() -> None:
    hand = tomllib.loads((DATA / "axe_rule_steps.toml").read_text(encoding="utf-8"))
    for section in ("wcag", "best-practice"):
        for rule_id, steps in hand[section].items():
            assert rule_id in axe_rules(), f"{section}.{rule_id} is not an axe rule"
            assert set(steps) <= set(all_steps()), f"{rule_id}: unknown step in {steps}"


def test_split_criteria_are_mapped_by_hand_never_to_the_unsplit_clause() -> None:
    for rule in axe_rules().values():
        assert "9.1.1.1" not in rule.steps and "9.1.3.1" not in rule.steps
    assert axe_rules()["image-alt"].steps == ("9.1.1.1b",)
    assert axe_rules()["input-image-alt"].steps[0] == "9.1.1.1a"
    assert axe_rules()["list"].steps == ("9.1.3.1b",)


def test_each_rule_that_runs_is_a_check_with_its_references() -> None:
    registry = load_all_checks()
    for rule in axe_rules().values():
        if rule.runs_for("2.1") or rule.runs_for("2.2"):
            declared = registry.get(f"accessibility.axe.{rule.id}")
            assert declared.references.bitv == rule.steps and declared.requires is not None
    target_size = registry.get("accessibility.axe.target-size")
    assert target_size.references.wcag == ("2.5.8",)  # runs only with wcag_version = "2.2"


async def test_the_rules_table_matches_the_bundled_axe_and_its_locale(browser) -> None:
    source = load_axe_source()
    assert axe_table_version() == source.version == "4.12.1"
    context = await browser.new_context()
    try:
        rules = await list_rules(await context.new_page(), source)
    finally:
        await context.close()
    table = json.loads((DATA / "axe_rules.json").read_text(encoding="utf-8"))["rules"]
    assert rules == table, "run scripts/update-axe-rules.py after upgrading axe-core"
    assert german_locale()["lang"] == "de"
