"""Versions of the engines a family brings (axe-core, ...), recorded in every scan's engine_versions.

``ScanRun`` records Chromium, Playwright and the datasets itself; a family whose results depend on
an engine of its own names a hook in its declaration (``FamilyDeclaration.engine_versions``).
Hooks may use the browser (in a context of their own).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from scanner.capture.browser import ScanBrowser
from scanner.config.targets import TargetConfig
from scanner.families import declarations, resolve

VersionHook = Callable[[ScanBrowser, TargetConfig], Awaitable[dict[str, Any]]]


def _hooks() -> list[VersionHook]:
    return [resolve(path) for family in declarations() for path in family.engine_versions]


async def family_engine_versions(browser: ScanBrowser, target: TargetConfig) -> dict[str, Any]:
    versions: dict[str, Any] = {}
    for hook in _hooks():
        versions.update(await hook(browser, target))
    return versions
