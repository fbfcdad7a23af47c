"""Versions of the engines a family brings (axe-core, ...), recorded in every scan's engine_versions.

Every scan records Chromium, Playwright, its check ids, the fingerprint recipe and the datasets
(``scan_engine_versions``); a family whose results depend on an engine of its own names a hook in
its declaration (``FamilyDeclaration.engine_versions``). Hooks may use the browser (in a context of
their own).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable
from importlib.metadata import version as package_version
from typing import Any

from scanner.capture.browser import ScanBrowser
from scanner.config.targets import TargetConfig
from scanner.datasets import versions_in_use
from scanner.families import declarations, resolve
from scanner.findings.fingerprint import RECIPE as FINGERPRINT_RECIPE

VersionHook = Callable[[ScanBrowser, TargetConfig], Awaitable[dict[str, Any]]]


def _hooks() -> list[VersionHook]:
    return [resolve(path) for family in declarations() for path in family.engine_versions]


async def family_engine_versions(browser: ScanBrowser, target: TargetConfig) -> dict[str, Any]:
    versions: dict[str, Any] = {}
    for hook in _hooks():
        versions.update(await hook(browser, target))
    return versions


async def scan_engine_versions(
    browser: ScanBrowser, target: TargetConfig, check_ids: Iterable[str]
) -> dict[str, Any]:
    """Everything a scan's results depend on, as recorded in ``Scan.engine_versions``."""
    return {
        "chromium": browser.version,
        "playwright": package_version("playwright"),
        "user_agent": browser.user_agent,
        "checks": sorted(check_ids),
        "fingerprint": FINGERPRINT_RECIPE,
        "datasets": versions_in_use(),
        **await family_engine_versions(browser, target),
    }
