"""Page collector "keyboard-reflow": a keyboard walk, the skip link and reflow at 320 CSS px.

Its evidence is ``scanner.evidence.interaction.InteractionEvidence``.

These need interaction, which axe does not do, and cost about a second per page, so they run only
on a sample: the first ``interaction_pages`` pages a scan visits (the homepage first). Other pages
get no entry, and the checks reading it do not count them as evaluated.

- Keyboard walk (``keyboard_walk``): press Tab up to ``MAX_TABS`` times and record each focused
  element once, with its box, its computed focus styles (compared afterwards with the same element
  unfocused) and whatever covers its centre from a fixed or sticky layer (sticky header, cookie
  banner); a loop Tab goes round twice is tested for a way out (Shift+Tab, Escape).
- Skip link: the first focus stops, whether one is a same-page link, whether its target exists and
  whether it is visible when focused.
- Reflow: the viewport set to 320 CSS px wide; horizontal overflow of the document and the outermost
  elements reaching beyond the viewport. The viewport, focus and scroll position are restored after.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field, replace

from playwright.async_api import BrowserContext, Page

from scanner.capture.axe.source import DEFAULT_WCAG_VERSION
from scanner.capture.collectors import PageCollector
from scanner.capture.collectors.keyboard_walk import RESET, keyboard_walk
from scanner.capture.collectors.unique_selector import UNIQUE_SELECTOR_JS
from scanner.config.targets import TargetConfig
from scanner.evidence import PageCapture, Scenario
from scanner.evidence.interaction import InteractionDurations, InteractionEvidence, Reflow
from scanner.evidence.records import from_plain

REFLOW_WIDTH = 320  # CSS px (WCAG 1.4.10)
REFLOW_HEIGHT = 640

_REFLOW = """(width) => {
  const selector = SELECTOR;
  const root = document.documentElement;
  const scrollWidth = Math.max(root.scrollWidth, document.body ? document.body.scrollWidth : 0);
  const overflow = scrollWidth - root.clientWidth;
  const scrollsItself = (element) => {
    for (let node = element.parentElement; node && node !== document.body; node = node.parentElement) {
      const x = getComputedStyle(node).overflowX;
      if (x === 'auto' || x === 'scroll' || x === 'hidden' || x === 'clip') return true;
    }
    return false;
  };
  const offenders = [];
  const listed = [];
  for (const element of document.body ? document.body.querySelectorAll('*') : []) {
    if (offenders.length >= 10) break;
    const rect = element.getBoundingClientRect();
    if (rect.width === 0 || rect.right <= root.clientWidth + 1) continue;
    if (listed.some((outer) => outer.contains(element)) || scrollsItself(element)) continue;
    listed.push(element);
    offenders.push({ selector: selector(element), tag: element.localName, width: Math.round(rect.width),
                     right: Math.round(rect.right), html: element.outerHTML.slice(0, 200) });
  }
  return { width, client_width: root.clientWidth, overflow_px: Math.max(overflow, 0), offenders };
}"""


@dataclass
class InteractionCollector(PageCollector):
    name: str = InteractionEvidence.KIND
    scenarios: frozenset[Scenario] = frozenset({Scenario.FIRST_VISIT})
    time_allowance: float = 30.0
    sample_size: int = 10
    wcag_version: str = DEFAULT_WCAG_VERSION  # recorded with the evidence, for checks of newer criteria
    sampled: list[str] = field(default_factory=list)  # per scan: the pages that got the walk

    def for_target(self, target: TargetConfig) -> InteractionCollector:
        settings = target.accessibility
        return replace(
            self, sample_size=settings.interaction_pages, wcag_version=settings.wcag_version, sampled=[]
        )

    async def prepare(self, context: BrowserContext, page: Page) -> None:
        return None

    async def collect(self, page: Page, capture: PageCapture) -> InteractionEvidence | None:
        if len(self.sampled) >= self.sample_size:
            return None
        self.sampled.append(capture.final_url)
        started = time.monotonic()
        try:
            keyboard = await keyboard_walk(page)
            walked = time.monotonic()
            reflow = await reflow_at(page, REFLOW_WIDTH)
        finally:
            await page.evaluate(RESET)
        durations = InteractionDurations(
            keyboard=round((walked - started) * 1000),
            reflow=round((time.monotonic() - walked) * 1000),
        )
        return InteractionEvidence(keyboard, reflow, durations, self.wcag_version)


async def reflow_at(page: Page, width: int) -> Reflow:
    original = page.viewport_size
    await page.set_viewport_size({"width": width, "height": REFLOW_HEIGHT})
    try:
        await page.wait_for_timeout(150)  # resize handlers of the page
        return from_plain(Reflow, await page.evaluate(_REFLOW.replace("SELECTOR", UNIQUE_SELECTOR_JS), width))
    finally:
        if original:
            await page.set_viewport_size(original)
