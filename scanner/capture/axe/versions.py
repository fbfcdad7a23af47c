"""What a scan records about axe-core: version, origin, file hash, ruleset hash, locale."""

from __future__ import annotations

import contextlib
from typing import Any

from playwright.async_api import Error as PlaywrightError

from scanner.capture.axe.rules import list_rules
from scanner.capture.axe.source import (
    enabled_rule_ids,
    load_axe_source,
    locale_record,
    ruleset_hash,
    run_tags,
)
from scanner.capture.browser import ScanBrowser
from scanner.config.targets import TargetConfig

_RULES: dict[str, list[dict[str, Any]]] = {}  # by sha256 of the axe source: read once per process


async def axe_versions(browser: ScanBrowser, target: TargetConfig) -> dict[str, Any]:
    """Reads the rules from the axe that will run (a blank page of its own), so the hash is true."""
    settings = target.accessibility
    source = load_axe_source(settings.axe_script)
    if source.sha256 not in _RULES:
        context = await browser.new_context()
        try:
            _RULES[source.sha256] = await list_rules(await context.new_page(), source)
        finally:
            with contextlib.suppress(PlaywrightError):
                await context.close()
    rules = _RULES[source.sha256]
    return {
        "axe-core": {
            **source.describe(),
            "wcag_version": settings.wcag_version,
            "tags": list(run_tags(settings.wcag_version)),
            "rules": len(enabled_rule_ids(rules, settings.wcag_version)),
            "ruleset_sha256": ruleset_hash(rules, settings.wcag_version),
            "locale": locale_record(source.version),
        }
    }
