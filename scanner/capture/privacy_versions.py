"""What shapes the privacy family's results, recorded in every scan's engine_versions."""

from __future__ import annotations

from typing import Any

from checks.privacy.vendors import vendor_registry
from scanner.capture.browser import ScanBrowser
from scanner.capture.browser_features import privacy_configuration
from scanner.capture.collectors.consent import AUTOCONSENT_VERSION
from scanner.config.targets import TargetConfig


async def privacy_versions(browser: ScanBrowser, target: TargetConfig) -> dict[str, Any]:
    return {
        "browser_configuration": privacy_configuration(),
        "vendor_registry": vendor_registry().record(),
        "autoconsent": AUTOCONSENT_VERSION,
    }
