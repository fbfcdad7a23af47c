"""Versions of the engines a family brings (axe-core, ...), recorded in every scan's engine_versions.

``ScanRun`` records Chromium, Playwright and the datasets itself; a family whose results depend on
an engine of its own adds one hook here. Hooks may use the browser (in a context of their own).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from scanner.capture.browser import ScanBrowser
from scanner.config.targets import TargetConfig

VersionHook = Callable[[ScanBrowser, TargetConfig], Awaitable[dict[str, Any]]]


def _hooks() -> list[VersionHook]:
    from checks.privacy.versions import privacy_versions  # one import line per family
    from scanner.capture.axe.versions import axe_versions

    return [axe_versions, privacy_versions]


async def family_engine_versions(browser: ScanBrowser, target: TargetConfig) -> dict[str, Any]:
    versions: dict[str, Any] = {}
    for hook in _hooks():
        versions.update(await hook(browser, target))
    return versions
