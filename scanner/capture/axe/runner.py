"""axe-core in every frame: ``axe.runPartial`` per frame, ``axe.finishRun`` in a blank page.

This is the algorithm of ``@axe-core/playwright`` (axe-core's doc/run-partial.md), written anew in
Python. Plain ``axe.run`` in the top document cannot look into cross-origin frames; runPartial
needs no frame messaging, so every frame is tested where it lives, cross-origin ones included:

1. inject axe into the frame, ask it for its child frames (``axe.utils.getFrameContexts``) and
   start ``axe.runPartial`` there at once (the flattened tree it built is still fresh);
2. recurse into each child frame, depth first, so the partial results come out in the order
   ``finishRun`` requires: a frame, then its descendants, then its next sibling;
3. a frame that does not answer within the bound contributes ``None`` and its descendants are left
   out (as finishRun requires); it is recorded as not tested, never silently dropped;
4. ``axe.finishRun`` runs in a blank page away from the site's scripts, with the German locale
   configured, so messages come out in German (rule ids stay English). @axe-core/playwright opens
   that page in the visited page's context each time; we keep one blank page per browser (in a
   context of its own, nothing of any site ever loads there) with axe and the locale loaded once,
   which saves loading 570 KB of axe twice per page visit (about 1-2 s per page on two cores).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import time
import uuid
import weakref
from dataclasses import dataclass, field
from typing import Any

from playwright.async_api import Browser, Frame, Page
from playwright.async_api import Error as PlaywrightError

from scanner.capture.axe.source import AxeSource, german_locale

FINISH_CHUNK = 8_000_000  # characters of partial-result JSON sent to the blank page per call

_CONFIGURE = """
;axe.configure({ allowedOrigins: ['<unsafe_all_origins>'], branding: { application: 'govscan' } });
"""
_FRAME_CONTEXTS = "(context) => window.axe.utils.getFrameContexts(context || document)"
_RUN_PARTIAL = "([context, options]) => window.axe.runPartial(context || document, options)"
_SHADOW_SELECT = "(selector) => window.axe.utils.shadowSelect(selector)"
_APPEND_CHUNK = """([key, chunk]) => {
  window.__govscanPartials = window.__govscanPartials || {};
  window.__govscanPartials[key] = (window.__govscanPartials[key] || '') + chunk;
}"""
_FINISH = """async ([key, options]) => {
  const partials = JSON.parse(window.__govscanPartials[key] || '[]');
  delete window.__govscanPartials[key];
  return await window.axe.finishRun(partials, options);
}"""


class AxeRunError(RuntimeError):
    """axe could not test the page at all (its top document failed or did not answer)."""


@dataclass
class FrameRecord:
    """One frame axe was asked to test: where it is (axe frame selectors) and whether it answered."""

    path: list[Any]  # frame selectors as axe writes them in node targets; [] for the top document
    url: str
    tested: bool = True
    reason: str | None = None
    ancestry: list[str] = field(default_factory=list)  # positional path, as getFrameContexts gives it
    child_selectors: dict[str, Any] = field(default_factory=dict)  # child ancestry -> target selector


@dataclass
class AxeRun:
    results: dict[str, Any]  # axe's own result object from finishRun
    frames: list[FrameRecord] = field(default_factory=list)
    duration_ms: float = 0.0


@dataclass(frozen=True)
class AxeOptions:
    tags: tuple[str, ...]
    frame_timeout: float = 15.0  # seconds an embedded frame may take to inject, list its frames and run
    enable_rules: tuple[str, ...] = ()  # rules axe keeps off by default that this run wants

    def run_options(self) -> dict[str, Any]:
        return {
            "runOnly": {"type": "tag", "values": list(self.tags)},
            "rules": {rule: {"enabled": True} for rule in self.enable_rules},
            # Passing nodes are counted per rule, not listed: one example node is enough.
            "resultTypes": ["violations", "incomplete"],
            "selectors": True,
            "ancestry": False,
            "xpath": False,
        }


async def run_axe(page: Page, source: AxeSource, options: AxeOptions) -> AxeRun:
    started = time.monotonic()
    runner = _PartialRunner(source.text + _CONFIGURE, options)
    partials = await runner.run_frame(page.main_frame, None, [])
    if partials[0] is None:  # the top document itself did not answer: nothing was tested
        raise AxeRunError(f"the page did not answer axe: {runner.frames[0].reason}")
    runner.resolve_target_paths()
    results = await _finish_run(page, source, partials, options.run_options())
    return AxeRun(results, runner.frames, (time.monotonic() - started) * 1000)


class _PartialRunner:
    def __init__(self, script: str, options: AxeOptions) -> None:
        self.script = script
        self.options = options
        self.frames: list[FrameRecord] = []

    async def run_frame(self, frame: Frame, context: Any, path: list[str]) -> list[Any]:
        record = FrameRecord(list(path), frame.url, ancestry=path)
        self.frames.append(record)
        # The top document is bounded by the collector's time allowance; embedded frames by their own.
        limit = self.options.frame_timeout if path else None
        try:
            child_contexts = await asyncio.wait_for(self._prepare(frame, context), limit)
        except (PlaywrightError, TimeoutError) as error:
            return self._untested(record, error)
        partial = frame.evaluate(_RUN_PARTIAL, [context, self.options.run_options()])
        own = asyncio.ensure_future(asyncio.wait_for(partial, limit))
        descendants: list[Any] = []
        for child in child_contexts:
            descendants += await self._run_child(frame, child, path)
        try:
            result = await own
        except (PlaywrightError, TimeoutError) as error:
            return self._untested(record, error)
        for spec in (result or {}).get("frames") or []:
            selector = spec.get("selector") or []
            target = selector[0] if len(selector) == 1 else selector
            record.child_selectors[json.dumps(spec.get("ancestry"))] = target
        return [result, *descendants]

    def resolve_target_paths(self) -> None:
        """Node targets name frames by axe's short selectors; translate each frame's position to them."""
        by_ancestry = {json.dumps(record.ancestry): record for record in self.frames}
        for record in self.frames:  # parents come before their children
            if not record.ancestry:
                continue
            parent = by_ancestry.get(json.dumps(record.ancestry[:-1]))
            own = parent.child_selectors.get(json.dumps([record.ancestry[-1]])) if parent else None
            if parent is not None and own is not None:
                record.path = [*parent.path, own]

    async def _prepare(self, frame: Frame, context: Any) -> list[dict[str, Any]]:
        await frame.evaluate(self.script)
        return await frame.evaluate(_FRAME_CONTEXTS, context)

    async def _run_child(self, parent: Frame, child: dict[str, Any], path: list[Any]) -> list[Any]:
        selector = child["frameSelector"]
        child_path = [*path, selector]
        try:
            handle = await self._bounded(parent.evaluate_handle(_SHADOW_SELECT, selector))
            element = handle.as_element()
            child_frame = await element.content_frame() if element else None
        except (PlaywrightError, TimeoutError) as error:
            child_frame, reason = None, _reason(error)
        else:
            reason = "the frame element has no document"
        if child_frame is None:
            self.frames.append(FrameRecord(child_path, "", False, reason, ancestry=child_path))
            return [None]
        return await self.run_frame(child_frame, child.get("frameContext"), child_path)

    async def _bounded(self, awaitable):
        return await asyncio.wait_for(awaitable, timeout=self.options.frame_timeout)

    def _untested(self, record: FrameRecord, error: Exception) -> list[Any]:
        """finishRun wants None for a frame that failed, and nothing for its descendants."""
        record.tested, record.reason = False, _reason(error)
        for other in self.frames:
            inside = other.ancestry[: len(record.ancestry)] == record.ancestry
            if other is not record and inside and other.tested:
                other.tested, other.reason = False, "results dropped: an enclosing frame did not answer"
        return [None]


def _reason(error: Exception) -> str:
    if isinstance(error, TimeoutError):
        return "no answer within the time limit"
    return str(error).splitlines()[0][:300] or type(error).__name__


async def _finish_run(
    page: Page, source: AxeSource, partials: list[Any], options: dict[str, Any]
) -> dict[str, Any]:
    """finishRun in a blank page: no site script can interfere there."""
    browser = page.context.browser
    if browser is None:  # not a context of a launched browser: a blank page of its own, once
        blank = await page.context.new_page()
        try:
            await _load_axe(blank, source)
            return await _finish_in(blank, partials, options)
        finally:
            await blank.close()
    finishers = _FINISHERS.setdefault(browser, {})
    finisher = finishers.setdefault(source.sha256, _FinishingPage(browser, source))
    try:
        return await _finish_in(await finisher.page(), partials, options)
    except PlaywrightError:
        await finisher.discard()  # a crashed or closed page: the next visit gets a new one
        raise


async def _load_axe(page: Page, source: AxeSource) -> None:
    await page.evaluate(source.text + _CONFIGURE)
    await page.evaluate("(locale) => window.axe.configure({ locale })", german_locale())


async def _finish_in(blank: Page, partials: list[Any], options: dict[str, Any]) -> dict[str, Any]:
    key = uuid.uuid4().hex  # several page visits may finish in the same blank page at once
    payload = json.dumps(partials)
    for start in range(0, len(payload), FINISH_CHUNK):
        await blank.evaluate(_APPEND_CHUNK, [key, payload[start : start + FINISH_CHUNK]])
    return await blank.evaluate(_FINISH, [key, options])


class _FinishingPage:
    """One blank page per browser and axe source, in a context of its own, axe and locale loaded once."""

    def __init__(self, browser: Browser, source: AxeSource) -> None:
        self.browser = browser
        self.source = source
        self.lock = asyncio.Lock()
        self._page: Page | None = None

    async def page(self) -> Page:
        async with self.lock:
            if self._page is None or self._page.is_closed():
                context = await self.browser.new_context()
                page = await context.new_page()
                await _load_axe(page, self.source)
                self._page = page
            return self._page

    async def discard(self) -> None:
        async with self.lock:
            page, self._page = self._page, None
        if page is not None:
            with contextlib.suppress(PlaywrightError):
                await page.context.close()


_FINISHERS: weakref.WeakKeyDictionary[Browser, dict[str, _FinishingPage]] = weakref.WeakKeyDictionary()
