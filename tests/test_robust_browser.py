"""Pages that replace themselves, crash their renderer or kill the browser cost one page, never the scan;
and no browser process outlives govscan, not even after a SIGKILL."""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import sys
import time
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlsplit

from playwright.async_api import BrowserContext, Page, Request
from playwright.async_api import Error as PlaywrightError
from sqlmodel import select

from scanner.capture.browser import ScanBrowser
from scanner.capture.settings import CaptureSettings
from scanner.cli.status import collect_status
from scanner.net.network import NetworkSettings
from scanner.run.scan import scan_target
from scanner.store.db import open_database, session
from scanner.store.models import Page as PageRow

from conftest import FAST_CRAWL, make_target
from localweb import LocalWeb, page
from processes import (
    Process,
    browser_processes,
    descendants,
    launch_processes,
    main_chromium,
    parent_of,
    still_running,
)

ROOT = Path(__file__).resolve().parents[1]
GOVSCAN = str(Path(sys.executable).with_name("govscan"))
FAST = CaptureSettings(FAST_CRAWL["page_timeout"], FAST_CRAWL["settle_quiet"], FAST_CRAWL["settle_cap"])
GONE_WITHIN = 10.0  # seconds a dead parent's browser processes may take to end


def pages_of(engine, scan_id: int) -> dict[str, PageRow]:
    """The scan's pages by URL path."""
    with session(engine) as db:
        return {
            urlsplit(row.url).path: row for row in db.exec(select(PageRow).where(PageRow.scan_id == scan_id))
        }


def table(pages: dict[str, PageRow]) -> dict[str, tuple[str, str | None]]:
    return {path: (row.status, row.failure_class) for path, row in pages.items()}


async def wait_until_gone(processes: list[Process], *, may_stay: int = 0) -> list[Process]:
    """Those of ``processes`` still running when at most ``may_stay`` are left, or after GONE_WITHIN."""
    deadline = time.monotonic() + GONE_WITHIN
    while len(left := still_running(processes)) > may_stay and time.monotonic() < deadline:
        await asyncio.sleep(0.2)
    return left


def links(*paths: str) -> str:
    return "".join(f'<a href="{path}">{path}</a>' for path in paths)


# A page that reloads itself on every load, forever; and one that stops after three reloads.
RELOAD_FOREVER = "<script>addEventListener('load', () => location.reload());</script>"
RELOAD_THREE_TIMES = """<script>
const round = Number(sessionStorage.getItem('round') || 0);
document.title = 'Durchlauf ' + round;
if (round < 3) { sessionStorage.setItem('round', String(round + 1)); location.reload(); }
</script>"""


async def test_pages_that_replace_themselves_cost_one_page_never_the_scan(
    local_web: LocalWeb, run_scan, engine, browser: ScanBrowser
) -> None:
    paths = ("/neu-laden.html", "/immer-wieder.html", "/dreimal.html")
    origin = local_web.site(
        "www.selbst-neuladen.de",
        {
            "/": page(links(*paths)),
            "/neu-laden.html": page("Weiter", head='<meta http-equiv="refresh" content="0">'),
            "/immer-wieder.html": page("Noch einmal" + RELOAD_FOREVER),
            "/dreimal.html": page("Fertig" + RELOAD_THREE_TIMES, title="Anfang"),
        },
    )
    before = browser_processes(descendants(os.getpid()))
    started = time.monotonic()
    outcome = await run_scan(make_target("Selbst neu laden", [origin + "/"]))
    seconds = time.monotonic() - started

    pages = pages_of(engine, outcome.scan_id)
    assert outcome.status == "completed" and outcome.stopped_by == "frontier_exhausted"
    assert table(pages) == {
        "/": ("ok", None),
        "/neu-laden.html": ("failed", "self_navigating"),
        "/immer-wieder.html": ("failed", "self_navigating"),
        "/dreimal.html": ("ok", None),
    }
    assert pages["/dreimal.html"].title == "Durchlauf 3"  # read after it settled, not mid-reload
    assert seconds < 2 * FAST.hard_limit  # two pages at a time: each within its own bound
    # The pages' renderers ended with their contexts (Chromium's own WebUI renderer stays with it).
    during = [process for process in browser_processes(descendants(os.getpid())) if process not in before]
    renderers = [
        p for p in during if "--type=renderer" in p.command and "--top-chrome-webui" not in p.command
    ]
    assert len(await wait_until_gone(renderers, may_stay=1)) <= 1  # Chromium keeps a spare renderer warm


class HostileBrowser(ScanBrowser):
    """A browser with the test's hand in it: when the main frame navigates to a path named here, the
    page's renderer is crashed (CDP ``Page.crash``, what an out-of-memory renderer looks like to the
    browser), or Chromium (or its Playwright driver) is killed with SIGKILL while the slow answer is
    still on its way."""

    def __init__(
        self, network: NetworkSettings, *, crash: set[str], kills: dict[str, int], driver_kills: set[str]
    ) -> None:
        super().__init__(network)
        self.crash, self.kills, self.driver_kills = crash, dict(kills), set(driver_kills)
        self.visits: Counter[str] = Counter()
        self.seen: list[Process] = []  # every browser process alive at a kill
        self._tasks: set[asyncio.Task] = set()

    async def new_context(self) -> BrowserContext:
        context = await super().new_context()
        context.on("request", self._on_request)
        return context

    def _on_request(self, request: Request) -> None:
        if not request.is_navigation_request() or request.frame.parent_frame is not None:
            return
        path = urlsplit(request.url).path
        self.visits[path] += 1
        if path in self.crash:
            request.frame.page.once("domcontentloaded", self._crash_renderer)
        elif self.kills.get(path, 0) > 0:
            self.kills[path] -= 1
            self.seen += launch_processes(self.profile)
            os.kill(main_chromium(self.profile), signal.SIGKILL)
        elif path in self.driver_kills:
            self.driver_kills.discard(path)
            self.seen += launch_processes(self.profile)
            os.kill(parent_of(main_chromium(self.profile)), signal.SIGKILL)

    def _crash_renderer(self, page: Page) -> None:
        task = asyncio.ensure_future(self._send_crash(page))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    @staticmethod
    async def _send_crash(page: Page) -> None:
        with contextlib.suppress(PlaywrightError, TimeoutError):  # a crashed renderer never answers
            session_ = await page.context.new_cdp_session(page)
            await asyncio.wait_for(session_.send("Page.crash"), timeout=5)


async def test_a_crashed_renderer_and_a_killed_browser_cost_one_page_and_the_scan_goes_on(
    local_web: LocalWeb, network: NetworkSettings, engine
) -> None:
    paths = ("/absturz.html", "/einmal.html", "/zweimal.html", "/treiber.html", "/danach.html")
    origin = local_web.site(
        "www.absturz-amt.de",
        {"/": page(links(*paths))} | {path: page(f"Inhalt {path}") for path in paths},
        host_toml="delay_ms = 150\n",  # the browser dies while the answer is still on its way
    )
    browser = HostileBrowser(
        network,
        crash={"/absturz.html"},
        kills={"/einmal.html": 1, "/zweimal.html": 9},
        driver_kills={"/treiber.html"},
    )
    await browser.start()
    try:
        started = time.monotonic()
        target = make_target("Absturz", [origin + "/"], crawl={"concurrency": 1})
        outcome = await scan_target(target, engine=engine, network=network, browser=browser)
        seconds = time.monotonic() - started
        browser.seen += launch_processes(browser.profile)
    finally:
        await browser.close()

    pages = pages_of(engine, outcome.scan_id)
    assert outcome.status == "completed" and outcome.stopped_by == "frontier_exhausted"
    assert table(pages) == {
        "/": ("ok", None),
        "/absturz.html": ("failed", "renderer_crash"),
        "/einmal.html": ("ok", None),  # the browser died once: relaunched, visited again, tested
        "/zweimal.html": ("failed", "renderer_crash"),  # it died twice: not tried a third time
        "/treiber.html": ("ok", None),  # the driver died: both relaunched, visited again
        "/danach.html": ("ok", None),
    }
    assert browser.visits["/absturz.html"] == 1  # a crashed renderer is not a reason to come back
    assert browser.visits["/einmal.html"] == 2 and browser.visits["/zweimal.html"] == 2
    assert browser.visits["/treiber.html"] == 2
    assert browser.launches == 1 + 4
    assert seconds < 5 * FAST.hard_limit  # 9 visits and 4 launches one after another, none hung
    assert not await wait_until_gone(browser.seen)  # the killed browsers' helpers ended with them


def targets_file(tmp_path: Path, origin: str) -> Path:
    path = tmp_path / "targets.toml"
    path.write_text(
        f"""
[[target]]
name = "Abgebrochen"
start_urls = ["{origin}/"]
authority_level = "gemeinde"
request_delay = 0
concurrency = 2
settle_quiet = 0.1
settle_cap = 1
interaction_pages = 0
[target.consent]
enabled = false
""",
        encoding="utf-8",
    )
    return path


async def test_no_browser_process_outlives_a_killed_govscan_and_status_says_interrupted(
    local_web: LocalWeb, tmp_path: Path
) -> None:
    files = {"/": page(links(*(f"/seite-{index}.html" for index in range(20))))}
    files |= {f"/seite-{index}.html": page(f"Inhalt {index}") for index in range(20)}
    origin = local_web.site("www.abgebrochen-amt.de", files, host_toml="delay_ms = 200\n")
    database = tmp_path / "scan.db"
    server = local_web.server
    command = [GOVSCAN, "scan", "--targets", str(targets_file(tmp_path, origin))]
    command += ["--db", f"sqlite:///{database}", "--ca-bundle", str(server.ca_bundle), "--quiet"]
    for rule in server.connect_all():
        command += ["--connect-to", rule]
    engine = open_database(f"sqlite:///{database}")
    environment = {**os.environ, "NO_COLOR": "1", "PYTHONPATH": str(ROOT)}
    govscan = await asyncio.create_subprocess_exec(*command, env=environment)
    started: list[Process] = []
    try:
        for _ in range(600):  # until pages are being visited, at most 60 s
            await asyncio.sleep(0.1)
            if len(pages_of(engine, 1)) >= 1:
                break
        started = browser_processes(descendants(govscan.pid))
        assert any("--type=renderer" in process.command for process in started)  # mid-scan indeed
        # A wedged driver (stopped here) cannot close its browser when govscan's pipe closes: only
        # the parent-death signals end it and Chromium, as they would a driver stuck in a busy loop.
        drivers = [process for process in started if parent_of(process.pid) == govscan.pid]
        assert drivers
        for driver in drivers:
            os.kill(driver.pid, signal.SIGSTOP)
        govscan.kill()
        await govscan.wait()
        left = await wait_until_gone(started)
    finally:
        if govscan.returncode is None:
            govscan.kill()
            await govscan.wait()
        for process in still_running(started):  # never leave what this test started behind
            os.kill(process.pid, signal.SIGKILL)

    assert govscan.returncode == -signal.SIGKILL
    assert not left, [process.command[:120] for process in left]
    status = collect_status(engine, datetime.now(UTC))
    assert status.running == []
    assert [(target.name, target.last_status) for target in status.targets] == [
        ("Abgebrochen", "interrupted")
    ]
