"""The rules of an axe-core build, as axe itself lists them, and which of them a scan runs."""

from __future__ import annotations

import hashlib
import json
from typing import Any

from playwright.async_api import Page

from scanner.capture.axe.source import BEST_PRACTICE_TAG, WCAG_TAGS, AxeSource

_LIST_RULES = """() => {
  const enabled = Object.fromEntries(window.axe._audit.rules.map((rule) => [rule.id, rule.enabled]));
  return window.axe.getRules().map((rule) => ({
    id: rule.ruleId, tags: rule.tags, help: rule.help, description: rule.description,
    helpUrl: rule.helpUrl.split('?')[0], enabled: enabled[rule.ruleId] !== false,
  }));
}"""

# Rules axe keeps disabled by default that the WCAG 2.2 target switches on: target-size is the
# one automated rule for a new WCAG 2.2 criterion (2.5.8).
ENABLED_FOR = {"2.2": ("target-size",)}
SKIPPED_TAGS = frozenset({"experimental", "deprecated"})


async def list_rules(page: Page, source: AxeSource) -> list[dict[str, Any]]:
    """Every rule of ``source``, read in ``page`` (a blank page: nothing of a site runs there)."""
    await page.evaluate(source.text)
    return sorted(await page.evaluate(_LIST_RULES), key=lambda rule: rule["id"])


def runs_rule(rule: dict[str, Any], wcag_version: str) -> bool:
    """Whether a scan with this WCAG target runs the rule (experimental and deprecated rules never)."""
    tags = set(rule["tags"])
    wanted = set(WCAG_TAGS[wcag_version]) | {BEST_PRACTICE_TAG}
    if not tags & wanted or tags & SKIPPED_TAGS:
        return False
    return bool(rule.get("enabled", True)) or rule["id"] in ENABLED_FOR.get(wcag_version, ())


def enabled_rule_ids(rules: list[dict[str, Any]], wcag_version: str) -> list[str]:
    return [rule["id"] for rule in rules if runs_rule(rule, wcag_version)]


def ruleset_hash(rules: list[dict[str, Any]], wcag_version: str) -> str:
    """sha256 over the ids and tags of the rules a scan runs: changes when axe's rules change."""
    chosen = [[rule["id"], sorted(rule["tags"])] for rule in rules if runs_rule(rule, wcag_version)]
    return hashlib.sha256(json.dumps(chosen, separators=(",", ":")).encode("utf-8")).hexdigest()
