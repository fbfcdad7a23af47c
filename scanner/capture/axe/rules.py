"""The rules of an axe-core build, as axe itself lists them: read in a blank page of the browser.

Which of them a scan runs, and the hash over those, are plain data (``scanner.capture.axe.source``).
"""

from __future__ import annotations

from typing import Any

from playwright.async_api import Page

from scanner.capture.axe.source import AxeSource

_LIST_RULES = """() => {
  const enabled = Object.fromEntries(window.axe._audit.rules.map((rule) => [rule.id, rule.enabled]));
  return window.axe.getRules().map((rule) => ({
    id: rule.ruleId, tags: rule.tags, help: rule.help, description: rule.description,
    helpUrl: rule.helpUrl.split('?')[0], enabled: enabled[rule.ruleId] !== false,
  }));
}"""


async def list_rules(page: Page, source: AxeSource) -> list[dict[str, Any]]:
    """Every rule of ``source``, read in ``page`` (a blank page: nothing of a site runs there)."""
    await page.evaluate(source.text)
    return sorted(await page.evaluate(_LIST_RULES), key=lambda rule: rule["id"])
