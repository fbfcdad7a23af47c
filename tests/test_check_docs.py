"""Checks document themselves: every registered check, in both languages, found by its id in one grep."""

from __future__ import annotations

import ast
import inspect
import json
from functools import cache
from pathlib import Path

import pytest

from checks.accessibility import axe_rules as axe_module
from checks.accessibility.mapping import DATA, axe_rule_docs, axe_rules
from scanner.capture.axe.source import german_locale
from scanner.findings.registry import Check, load_all_checks

REGISTRY = load_all_checks()
CHECKS = list(REGISTRY)
AXE_PREFIX = axe_module.PREFIX
AXE_CHECKS = [registered for registered in CHECKS if registered.id.startswith(AXE_PREFIX)]
OWN_CHECKS = [registered for registered in CHECKS if not registered.id.startswith(AXE_PREFIX)]
RAW_AXE_RULES = {
    rule["id"]: rule for rule in json.loads((DATA / "axe_rules.json").read_text(encoding="utf-8"))["rules"]
}
LOCALE = german_locale()["rules"]


@cache
def string_literals(path: str) -> frozenset[str]:
    """Every string constant written in a module (implicitly concatenated pieces count as one)."""
    tree = ast.parse(Path(path).read_text(encoding="utf-8"))
    constants = (node for node in ast.walk(tree) if isinstance(node, ast.Constant))
    return frozenset(node.value for node in constants if isinstance(node.value, str))


def source_file(registered: Check) -> str:
    path = inspect.getsourcefile(registered.run)
    assert path is not None, f"{registered.id}: no source file for {registered.run!r}"
    return path


def ids(checks: list[Check]) -> list[str]:
    return [registered.id for registered in checks]


def test_the_registry_has_both_kinds_of_checks() -> None:
    assert len(OWN_CHECKS) >= 50 and len(AXE_CHECKS) >= 80


@pytest.mark.parametrize("registered", CHECKS, ids=ids(CHECKS))
def test_every_check_is_documented_in_german_and_english(registered: Check) -> None:
    doc = registered.doc
    for part in ("title", "what", "why", "how_to_fix"):
        text = getattr(doc, part)
        assert text.de.strip(), f"{registered.id}: {part} has no German text"
        assert text.en.strip(), f"{registered.id}: {part} has no English text"
        if part != "title":  # titles may share a name; prose must be translated, not copied
            assert text.de.strip() != text.en.strip(), f"{registered.id}: {part} is the same in de and en"
    assert doc.example.strip(), f"{registered.id}: no example"


@pytest.mark.parametrize("registered", OWN_CHECKS, ids=ids(OWN_CHECKS))
def test_every_check_id_is_a_literal_in_the_module_that_implements_it(registered: Check) -> None:
    path = source_file(registered)
    assert registered.id in string_literals(path), (
        f"{registered.id} is not written as a string literal in {path}; write the id out in full "
        "(no formatting, no loops) so that grep finds the implementation"
    )


@pytest.mark.parametrize("registered", AXE_CHECKS, ids=ids(AXE_CHECKS))
def test_axe_check_ids_are_derived_mechanically_from_the_axe_rule_id(registered: Check) -> None:
    """The one exception to literal ids: accessibility.axe.<rule id>, generated in axe_rules.py."""
    assert source_file(registered) == inspect.getsourcefile(axe_module)
    rule_id = registered.id.removeprefix(AXE_PREFIX)
    assert rule_id in RAW_AXE_RULES, f"{registered.id}: {rule_id!r} is not a rule of data/axe_rules.json"
    assert axe_module.check_id(rule_id) == registered.id
    assert f'"id": "{rule_id}"' in (DATA / "axe_rules.json").read_text(encoding="utf-8")
    rule = axe_rules()[rule_id]
    assert rule.runs_for("2.1") or rule.runs_for("2.2")
    assert registered.references.standards == (f"axe-core {rule_id}",)


def test_every_axe_rule_a_scan_runs_is_a_check_and_nothing_else_uses_the_axe_prefix() -> None:
    running = {rule.id for rule in axe_rules().values() if rule.runs_for("2.1") or rule.runs_for("2.2")}
    assert {registered.id.removeprefix(AXE_PREFIX) for registered in AXE_CHECKS} == running
    axe_file = inspect.getsourcefile(axe_module)
    assert all(source_file(registered) != axe_file for registered in OWN_CHECKS)


@pytest.mark.parametrize("registered", AXE_CHECKS, ids=ids(AXE_CHECKS))
def test_axe_checks_carry_axes_help_and_description_in_both_languages(registered: Check) -> None:
    rule_id = registered.id.removeprefix(AXE_PREFIX)
    raw = RAW_AXE_RULES[rule_id]
    doc = registered.doc
    assert doc.title.en == raw["help"]
    assert raw["description"].rstrip(".") in doc.what.en
    german = LOCALE.get(rule_id) or axe_rule_docs()["german"].get(rule_id)
    assert german, f"{rule_id}: neither axe's German locale nor data/axe_rule_docs.toml translates it"
    assert doc.title.de == german["help"].rstrip(".")
    assert german["description"].rstrip(".") in doc.what.de
    if rule_id not in LOCALE:
        assert "stammt von govscan" in doc.what.de  # our translation says it is ours


@pytest.mark.parametrize("registered", AXE_CHECKS, ids=ids(AXE_CHECKS))
def test_axe_checks_link_axes_help_url(registered: Check) -> None:
    help_url = RAW_AXE_RULES[registered.id.removeprefix(AXE_PREFIX)]["helpUrl"]
    assert help_url.startswith("https://dequeuniversity.com/rules/axe/")
    assert help_url in registered.doc.how_to_fix.en
    assert help_url in registered.doc.how_to_fix.de


def test_the_axe_doc_table_names_only_rules_that_need_it() -> None:
    docs = axe_rule_docs()
    assert set(docs["example"]) <= set(RAW_AXE_RULES), "an example for a rule axe does not have"
    for rule_id, texts in docs["german"].items():
        assert rule_id in RAW_AXE_RULES, f"German for {rule_id}, which axe does not have"
        assert rule_id not in LOCALE, f"axe's locale translates {rule_id} now: remove ours"
        assert texts["help"].strip() and texts["description"].strip()
