"""Bare navigation: the same browser visits govscan makes, with its launch and settle policy, nothing else.

Per visit: a fresh context (``ScanBrowser.new_context``), the settle probe (``install_probe``) and a
``NetworkRecorder`` for the network-quiet window (listeners only, no DevTools session), navigation
to commit, the DOMContentLoaded and load events, ``wait_until_settled``, closing the context. No
collectors, no page reading, no consent answering, no checks, no database: the physical floor.
First visits run first, then the consent-scenario revisits, with the same overall and per-host
concurrency. (A scan starts each revisit as soon as its page is chosen, during the crawl; since
every visit here goes through the same per-host slots, the order changes only the tail.)
"""

from __future__ import annotations

import asyncio
import contextlib
from collections import defaultdict
from dataclasses import dataclass
from urllib.parse import urlsplit

from playwright.async_api import Error as PlaywrightError

from scanner.capture.browser import ScanBrowser, launch_browser
from scanner.capture.recorder import NetworkRecorder
from scanner.capture.settings import CaptureSettings
from scanner.capture.settle import install_probe, wait_until_settled
from scanner.evidence import Scenario
from scanner.net.network import NetworkSettings

FIRST_VISIT = Scenario.FIRST_VISIT.value


@dataclass(frozen=True)
class Visit:
    url: str
    scenario: str  # first-visit, rejected, accepted: only the order differs here


async def bare_navigation(
    visits: list[Visit],
    network: NetworkSettings,
    settings: CaptureSettings,
    *,
    concurrency: int,
    per_host: int,
) -> int:
    """Make ``visits``; returns how many failed (an error or a timeout)."""
    limit = asyncio.Semaphore(concurrency)
    hosts: defaultdict[str, asyncio.Semaphore] = defaultdict(lambda: asyncio.Semaphore(per_host))
    failed = 0

    async def visit(planned: Visit, browser: ScanBrowser) -> None:
        nonlocal failed
        async with limit, hosts[urlsplit(planned.url).hostname or ""]:
            try:
                await asyncio.wait_for(_visit(browser, planned.url, settings), settings.hard_limit)
            except (PlaywrightError, TimeoutError):
                failed += 1

    async with launch_browser(network) as browser:
        first = [planned for planned in visits if planned.scenario == FIRST_VISIT]
        again = [planned for planned in visits if planned.scenario != FIRST_VISIT]
        for batch in (first, again):
            await asyncio.gather(*(visit(planned, browser) for planned in batch))
    return failed


async def _visit(browser: ScanBrowser, url: str, settings: CaptureSettings) -> None:
    context = await browser.new_context()
    try:
        page = await context.new_page()
        recorder = NetworkRecorder(context, page)
        await install_probe(context)
        await page.goto(url, wait_until="commit", timeout=settings.page_timeout * 1000)
        await page.wait_for_load_state("domcontentloaded", timeout=settings.page_timeout * 1000)
        await page.wait_for_load_state("load", timeout=settings.page_timeout * 1000)
        await wait_until_settled(page, recorder, settings)
    finally:
        with contextlib.suppress(PlaywrightError, TimeoutError):
            await asyncio.wait_for(context.close(), timeout=10)
