"""One Chromium per worker process, shared by its concurrent jobs and relaunched now and then.

Long-running headless browsers leak memory (GSA/site-scanning#10, #1217), so a browser that has
rendered ``max_pages`` pages is retired: jobs already using it finish on it, new jobs get a fresh
one, and the old one closes when its last job ends. A browser that crashed is replaced likewise.
So a browser renders at most ``max_pages`` plus the pages of the scans that overlap its end.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, AsyncExitStack

from scanner.capture.browser import ScanBrowser, launch_browser
from scanner.net.network import NetworkSettings
from scanner.run.outcome import ScanProgress

log = logging.getLogger(__name__)

Launcher = Callable[[NetworkSettings], AbstractAsyncContextManager[ScanBrowser]]


class _Generation:
    """One launched browser and how much it has been used."""

    def __init__(self, browser: ScanBrowser, stack: AsyncExitStack) -> None:
        self.browser, self._stack = browser, stack
        self.pages = 0
        self.leases = 0
        self.retired = False

    async def close(self) -> None:
        await self._stack.aclose()


class BrowserLease:
    """A job's hold on the shared browser; counts the pages the job renders on it."""

    def __init__(self, generation: _Generation, pool: RecyclingBrowser) -> None:
        self._generation, self._pool = generation, pool
        self._seen = 0

    @property
    def browser(self) -> ScanBrowser:
        return self._generation.browser

    def on_progress(self, progress: ScanProgress) -> None:
        """A ``scan_target`` progress callback: every rendered page (tested or not) counts."""
        rendered = progress.pages_done + progress.pages_failed
        self._pool.count_pages(self._generation, rendered - self._seen)
        self._seen = rendered


class RecyclingBrowser:
    def __init__(self, network: NetworkSettings, max_pages: int, launch: Launcher = launch_browser) -> None:
        self.network, self.max_pages, self._launch = network, max_pages, launch
        self._current: _Generation | None = None
        self._lock = asyncio.Lock()
        self.launches = 0

    async def __aenter__(self) -> RecyclingBrowser:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        if self._current is not None:
            await self._current.close()
            self._current = None

    @contextlib.asynccontextmanager
    async def lease(self) -> AsyncIterator[BrowserLease]:
        generation = await self._acquire()
        try:
            yield BrowserLease(generation, self)
        finally:
            generation.leases -= 1
            if generation.retired and generation.leases == 0 and generation is not self._current:
                await generation.close()

    def count_pages(self, generation: _Generation, pages: int) -> None:
        generation.pages += pages
        if generation.pages >= self.max_pages and not generation.retired:
            generation.retired = True
            log.info("browser retired after %d pages; the next job gets a fresh one", generation.pages)

    async def _acquire(self) -> _Generation:
        async with self._lock:
            current = self._current
            if current is not None and not current.browser.browser.is_connected():
                current.retired = True  # crashed: never hand it out again
            if current is None or current.retired:
                if current is not None and current.leases == 0:
                    await current.close()
                self._current = current = await self._start()
            current.leases += 1
            return current

    async def _start(self) -> _Generation:
        stack = AsyncExitStack()
        browser = await stack.enter_async_context(self._launch(self.network))
        self.launches += 1
        return _Generation(browser, stack)
