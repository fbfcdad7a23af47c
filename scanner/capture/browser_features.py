"""Chromium features that shape privacy evidence, set deliberately and recorded with every scan.

Chromium honours only the last ``--disable-features`` switch, and Playwright passes its own list,
which turns off third-party storage partitioning. Our switch comes last and therefore replaces
Playwright's list: it repeats Playwright's entries that keep automation stable and quiet, and
leaves partitioning on, as it is in a citizen's Chrome since version 115. Third-party cookies are
allowed by the profile (``browser.prepare_profile``); the 3PCD tracking-protection experiment is
switched off so that no field trial can change that between builds.
"""

from __future__ import annotations

# Playwright's defaults (chromiumSwitches.ts), less ThirdPartyStoragePartitioning.
PLAYWRIGHT_DISABLED_FEATURES = (
    "AvoidUnnecessaryBeforeUnloadCheckSync",
    "DestroyProfileOnBrowserClose",
    "HttpsUpgrades",
    "HttpsFirstBalancedModeAutoEnable",
    "LensOverlay",
    "MediaRouter",
    "PaintHolding",
    "AvoidCorsURLLoaderRestartOnRedirect",
    "OptimizationHints",
    "NetworkTimeServiceQuerying",
    "AimEnabled",
    "PreconnectToSearch",
)
PRIVACY_DISABLED_FEATURES = ("TrackingProtection3pcd",)
DISABLED_FEATURES = PLAYWRIGHT_DISABLED_FEATURES + PRIVACY_DISABLED_FEATURES


# navigator.webdriver = true makes consent managers hide their banner from "bots" (for example
# vanilla-cookieconsent's hideFromBots) and trackers behave differently: the evidence should show
# what a citizen's browser gets, as the user agent does (browser.scanning_user_agent).
AUTOMATION_FLAG = "--disable-blink-features=AutomationControlled"


def privacy_flags() -> list[str]:
    return ["--disable-features=" + ",".join(DISABLED_FEATURES), AUTOMATION_FLAG]


def privacy_configuration() -> dict[str, object]:
    """What a DPO needs to know about the browser that produced the evidence."""
    return {
        "third_party_cookies": "allowed (profile cookie_controls_mode = 0)",
        "third_party_storage_partitioning": "on (Chromium default)",
        "disabled_features": list(DISABLED_FEATURES),
        "navigator_webdriver": "false (AutomationControlled disabled)",
        "locale": "de-DE",
        "timezone": "Europe/Berlin",
    }
