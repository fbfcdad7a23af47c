"""Find and launch Chromium for scanning, with the flags a locked-down server needs."""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import os
import shutil
import tempfile
from collections.abc import AsyncIterator
from contextlib import AsyncExitStack, asynccontextmanager
from pathlib import Path

from playwright._impl._driver import compute_driver_executable
from playwright.async_api import Browser, BrowserContext, Playwright, async_playwright
from playwright.async_api import Error as PlaywrightError

from scanner import user_agent_suffix
from scanner.capture import orphans
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
DRIVER_VARIABLE = "PLAYWRIGHT_NODEJS_PATH"
ANSWER_TIMEOUT = 5.0  # seconds a live browser takes at most to open a CDP session
STOP_TIMEOUT = 15.0  # seconds to close a browser (or what is left of it) before giving up on it

log = logging.getLogger(__name__)


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


class BrowserDied(RuntimeError):
    """Chromium or its driver ended (or stopped answering) while a page was being visited."""


class ScanBrowser:
    """A launched Chromium and how contexts for page visits are made.

    When Chromium or its driver dies, ``relaunch`` starts a fresh one behind the same object, so a
    browser shared by tests or a worker's jobs survives it as well as one launched per scan.
    """

    def __init__(self, network: NetworkSettings) -> None:
        self.network = network
        self.launches = 0  # which launch is current: visits name it when they ask for a relaunch
        self._lock = asyncio.Lock()
        self._stack: AsyncExitStack | None = None  # the driver and the temporary folders
        self._holder: BrowserContext  # the persistent context that owns the profile
        self.browser: Browser
        self.executable: Path
        self.profile: Path  # the user-data directory: names this launch's processes (--user-data-dir)
        self.user_agent: str

    @property
    def version(self) -> str:
        return self.browser.version

    async def new_context(self) -> BrowserContext:
        """A fresh context per visit: no cookies or storage carried from one page to the next."""
        async with self._lock:  # a relaunch under way: wait for its browser
            browser = self.browser
        return await browser.new_context(
            user_agent=self.user_agent,
            locale="de-DE",
            timezone_id="Europe/Berlin",
            viewport=VIEWPORT,
            extra_http_headers={"Accept-Language": "de-DE,de;q=0.9,en;q=0.5"},
            accept_downloads=False,
        )

    async def answers(self) -> bool:
        """Whether Chromium and its driver still answer: one round trip to the browser process."""
        if not self.browser.is_connected():
            return False
        try:
            session = await asyncio.wait_for(self.browser.new_browser_cdp_session(), timeout=ANSWER_TIMEOUT)
            await asyncio.wait_for(session.detach(), timeout=ANSWER_TIMEOUT)
        except (PlaywrightError, TimeoutError):
            return False
        return True

    async def relaunch(self, launch: int) -> None:
        """Replace the browser of launch number ``launch``; a no-op if another visit already did."""
        async with self._lock:
            if launch != self.launches:
                return
            log.warning("the browser died (launch %d); starting a new one", launch)
            await self._stop(graceful=False)
            await self._start()

    async def start(self) -> None:
        async with self._lock:
            await self._start()

    async def close(self) -> None:
        async with self._lock:
            await self._stop(graceful=True)

    async def _start(self) -> None:
        stack = AsyncExitStack()
        try:
            self._holder, self.executable, self.profile = await _launch(stack, self.network)
        except BaseException:
            await stack.aclose()
            raise
        browser = self._holder.browser
        assert browser is not None  # Chromium persistent contexts have one
        self.browser, self._stack = browser, stack
        self.user_agent = scanning_user_agent(self.browser.version)
        self.launches += 1

    async def _stop(self, *, graceful: bool) -> None:
        """End the browser: closed when it is well, else left to die with its driver, which stops."""
        stack, self._stack = self._stack, None
        if stack is not None:
            # A dead browser (or one whose driver died) never answers "close": do not ask it.
            if graceful and self.browser.is_connected():
                with contextlib.suppress(PlaywrightError, TimeoutError):
                    await asyncio.wait_for(self._holder.close(), timeout=STOP_TIMEOUT)
            # The driver's end ends a Chromium still running (parent-death signal); then the folders go.
            with contextlib.suppress(PlaywrightError, TimeoutError):
                await asyncio.wait_for(stack.aclose(), timeout=STOP_TIMEOUT)


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
    browser = ScanBrowser(network)
    await browser.start()
    try:
        yield browser
    finally:
        await browser.close()


async def _launch(stack: AsyncExitStack, network: NetworkSettings) -> tuple[BrowserContext, Path, Path]:
    """Driver and Chromium, each armed to die with its parent; ``stack`` closes and removes them."""
    home = make_chromium_home(network.ca_bundle) if network.ca_bundle else None
    profile = prepare_profile()
    wrappers = Path(tempfile.mkdtemp(prefix="govscan-wrappers-"))
    for folder in (home, profile, wrappers):
        if folder is not None:
            stack.callback(shutil.rmtree, folder, ignore_errors=True)
    armed = orphans.supported(wrappers)
    if not armed:
        log.warning("%s cannot hold programs: the browser may outlive govscan if it is killed", wrappers)
    playwright = await _start_driver(wrappers if armed else None)
    stack.push_async_callback(playwright.stop)
    executable = find_chromium(playwright)
    run = orphans.chromium_wrapper(wrappers, executable) if armed else executable
    environment = {**os.environ, "HOME": str(home)} if home else None
    # A persistent context only to own the profile; every visit gets a new context.
    holder = await playwright.chromium.launch_persistent_context(
        str(profile),
        executable_path=str(run),
        headless=True,
        args=chromium_flags(network),
        env=environment,
    )
    return holder, executable, profile


async def _start_driver(wrappers: Path | None) -> Playwright:
    """Playwright's Node.js driver, started through the parent-death wrapper written into ``wrappers``."""
    if wrappers is None:
        return await async_playwright().start()
    node, _ = compute_driver_executable()
    previous = os.environ.get(DRIVER_VARIABLE)
    # Playwright reads the driver's path from the environment when it starts it, and only then.
    os.environ[DRIVER_VARIABLE] = str(orphans.driver_wrapper(wrappers, Path(node)))
    try:
        return await async_playwright().start()
    finally:
        if previous is None:
            os.environ.pop(DRIVER_VARIABLE, None)
        else:
            os.environ[DRIVER_VARIABLE] = previous
