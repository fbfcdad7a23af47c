"""Find and launch Chromium for scanning, with the flags a locked-down server needs."""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path

from playwright.async_api import Browser, BrowserContext, Playwright, async_playwright

from scanner import user_agent_suffix
from scanner.capture.browser_features import privacy_flags
from scanner.net.network import NetworkSettings
from scanner.net.trust import make_chromium_home

SYSTEM_CHROMIUM_PATHS = ("/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/lib/chromium/chromium")

# Network chatter of the browser itself would pollute the evidence and fails on closed networks.
QUIET_BROWSER_FLAGS = (
    "--disable-quic",  # --connect-to maps TCP connections; QUIC would try the real address over UDP
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-default-apps",
    "--disable-domain-reliability",
    "--disable-client-side-phishing-detection",
    "--metrics-recording-only",
    "--disable-dev-shm-usage",  # containers often have a tiny /dev/shm
    "--disable-gpu",
    # Chromium still asks Google for signed-in accounts and component updates on its own; point
    # those clients at a closed local port so the scanning machine talks only to the scanned sites.
    "--gaia-url=http://127.0.0.1:9",
    "--component-updater=url-source=http://127.0.0.1:9/",
)

VIEWPORT = {"width": 1280, "height": 900}


class ChromiumNotFound(RuntimeError):
    pass


def find_chromium(playwright: Playwright | None = None) -> Path:
    """GOVSCAN_CHROMIUM, then the distribution's Chromium, then Playwright's own download."""
    configured = os.environ.get("GOVSCAN_CHROMIUM")
    if configured:
        path = Path(configured)
        if not (path.is_file() and os.access(path, os.X_OK)):
            raise ChromiumNotFound(f"GOVSCAN_CHROMIUM={configured} is not an executable file")
        return path
    for candidate in SYSTEM_CHROMIUM_PATHS:
        if os.access(candidate, os.X_OK):
            return Path(candidate)
    on_path = shutil.which("chromium") or shutil.which("chromium-browser")
    if on_path:
        return Path(on_path)
    if playwright is not None:
        bundled = Path(playwright.chromium.executable_path)
        if bundled.is_file():
            return bundled
    raise ChromiumNotFound(
        "No Chromium found. Install Debian's package ('apt install chromium'), or run "
        "'playwright install chromium', or point GOVSCAN_CHROMIUM at a Chromium binary."
    )


def chromium_flags(network: NetworkSettings) -> list[str]:
    flags = [*QUIET_BROWSER_FLAGS, *privacy_flags()]
    rules = network.host_map.chromium_host_resolver_rules()
    if rules:
        flags.append(f"--host-resolver-rules={rules}")
    return flags


def scanning_user_agent(browser_version: str) -> str:
    """A normal desktop Chrome UA plus our product token, so operators and robots.txt can see us.

    Headless Chromium announces "HeadlessChrome", which some sites answer with a bot wall; the
    evidence should show what a citizen's browser gets.
    """
    major = browser_version.split(".")[0]
    return (
        "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
        f"Chrome/{major}.0.0.0 Safari/537.36 {user_agent_suffix()}"
    )


@dataclass
class ScanBrowser:
    """A launched Chromium and how contexts for page visits are made."""

    browser: Browser
    executable: Path
    user_agent: str

    @property
    def version(self) -> str:
        return self.browser.version

    async def new_context(self) -> BrowserContext:
        """A fresh context per visit: no cookies or storage carried from one page to the next."""
        return await self.browser.new_context(
            user_agent=self.user_agent,
            locale="de-DE",
            timezone_id="Europe/Berlin",
            viewport=VIEWPORT,
            extra_http_headers={"Accept-Language": "de-DE,de;q=0.9,en;q=0.5"},
            accept_downloads=False,
        )


def prepare_profile() -> Path:
    """A fresh user-data directory whose profile accepts third-party cookies.

    Contexts for page visits are off-the-record children of this profile, and Chromium blocks
    third-party cookies in those by default ("Block third-party cookies in Incognito"), unlike a
    citizen's normal Chrome window. The profile preference ``cookie_controls_mode = 0`` ("allow
    all cookies") is inherited by them, so the evidence shows what a default browser stores.
    """
    profile = Path(tempfile.mkdtemp(prefix="govscan-profile-"))
    (profile / "Default").mkdir()
    preferences = {"profile": {"cookie_controls_mode": 0}}
    (profile / "Default" / "Preferences").write_text(json.dumps(preferences), encoding="utf-8")
    return profile


@asynccontextmanager
async def launch_browser(network: NetworkSettings) -> AsyncIterator[ScanBrowser]:
    home = make_chromium_home(network.ca_bundle) if network.ca_bundle else None
    profile = prepare_profile()
    try:
        async with async_playwright() as playwright:
            executable = find_chromium(playwright)
            environment = {**os.environ, "HOME": str(home)} if home else None
            # A persistent context only to own the profile; every visit gets a new context.
            holder = await playwright.chromium.launch_persistent_context(
                str(profile),
                executable_path=str(executable),
                headless=True,
                args=chromium_flags(network),
                env=environment,
            )
            try:
                browser = holder.browser
                assert browser is not None  # Chromium persistent contexts have one
                yield ScanBrowser(browser, executable, scanning_user_agent(browser.version))
            finally:
                await holder.close()
    finally:
        shutil.rmtree(profile, ignore_errors=True)
        if home:
            shutil.rmtree(home, ignore_errors=True)
