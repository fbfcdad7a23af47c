"""Page collector "keyboard-reflow": a keyboard walk, the skip link and reflow at 320 CSS px.

Its evidence is ``scanner.evidence.interaction.InteractionEvidence``.

These need interaction, which axe does not do, and cost about a second per page, so they run only
on a sample: the first ``interaction_pages`` pages a scan visits (the homepage first). Other pages
get no entry, and the checks reading it do not count them as evaluated.

- Keyboard walk: press Tab up to ``MAX_TABS`` times and record each focus stop with its box, its
  computed focus styles (compared afterwards with the same element unfocused) and whatever covers
  its centre from a fixed or sticky layer (sticky header, cookie banner).
- Skip link: the first focus stops, whether one is a same-page link, whether its target exists and
  whether it is visible when focused.
- Reflow: the viewport set to 320 CSS px wide; horizontal overflow of the document and the outermost
  elements reaching beyond the viewport. The viewport, focus and scroll position are restored after.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field, replace
from typing import Any

from playwright.async_api import BrowserContext, Page

from scanner.capture.collectors import PageCollector
from scanner.capture.collectors.accessibility_dom import SELECTOR_JS
from scanner.config.targets import TargetConfig
from scanner.evidence import PageCapture, Scenario
from scanner.evidence.interaction import (
    FocusStop,
    InteractionDurations,
    InteractionEvidence,
    KeyboardWalk,
    Reflow,
)
from scanner.evidence.records import from_plain

MAX_TABS = 40
STUCK_AFTER = 12  # Tab presses that leave focus on the same element (or inside it) before we call it stuck
REFLOW_WIDTH = 320  # CSS px (WCAG 1.4.10)
REFLOW_HEIGHT = 640
STYLE_PROPERTIES = (
    "outlineStyle",
    "outlineWidth",
    "outlineColor",
    "boxShadow",
    "backgroundColor",
    "color",
    "borderTopColor",
    "borderBottomColor",
    "borderTopWidth",
    "textDecorationLine",
)

_FOCUS_STOP = """(properties) => {
  const selector = SELECTOR;
  let element = document.activeElement;
  while (element && element.shadowRoot && element.shadowRoot.activeElement) {
    element = element.shadowRoot.activeElement;
  }
  if (!element || element === document.body || element === document.documentElement) return { kind: 'body' };
  const stop = { selector: selector(element), tag: element.localName, html: element.outerHTML.slice(0, 200),
                 text: (element.innerText || element.value || '').replace(/\\s+/g, ' ').trim().slice(0, 80) };
  if (element.localName === 'iframe' || element.localName === 'frame') return { kind: 'frame', ...stop };
  const rect = element.getBoundingClientRect();
  const style = getComputedStyle(element);
  stop.kind = 'element';
  stop.rect = [rect.left, rect.top, rect.width, rect.height].map(Math.round);
  stop.style = Object.fromEntries(properties.map((name) => [name, style[name]]));
  stop.visible = rect.width > 1 && rect.height > 1 && rect.bottom > 0 && rect.right > 0
    && rect.top < innerHeight && rect.left < innerWidth && style.visibility !== 'hidden'
    && Number(style.opacity) > 0;
  const href = element.getAttribute('href');
  if (element.localName === 'a' && href && href.startsWith('#') && href.length > 1) {
    const id = decodeURIComponent(href.slice(1));
    stop.fragment = id;
    stop.target_exists = Boolean(document.getElementById(id) || document.getElementsByName(id).length);
  }
  const x = rect.left + rect.width / 2, y = rect.top + rect.height / 2;
  if (stop.visible && x >= 0 && y >= 0 && x < innerWidth && y < innerHeight) {
    const top = document.elementFromPoint(x, y);
    if (top && top !== element && !element.contains(top) && !top.contains(element)) {
      for (let node = top; node && node !== document.body; node = node.parentElement) {
        const position = getComputedStyle(node).position;
        if (position === 'fixed' || position === 'sticky') {
          stop.covered_by = { selector: selector(node), position, html: node.outerHTML.slice(0, 200) };
          break;
        }
      }
    }
  }
  return stop;
}"""

_UNFOCUSED_STYLES = """([selectors, properties]) => {
  if (document.activeElement && document.activeElement.blur) document.activeElement.blur();
  return selectors.map((selector) => {
    const element = document.querySelector(selector);
    if (!element) return null;
    const style = getComputedStyle(element);
    return Object.fromEntries(properties.map((name) => [name, style[name]]));
  });
}"""

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

_RESET = """() => {
  if (document.activeElement && document.activeElement.blur) document.activeElement.blur();
  scrollTo(0, 0);
}"""


@dataclass
class InteractionCollector(PageCollector):
    name: str = InteractionEvidence.KIND
    scenarios: frozenset[Scenario] = frozenset({Scenario.FIRST_VISIT})
    time_allowance: float = 30.0
    sample_size: int = 10
    sampled: list[str] = field(default_factory=list)  # per scan: the pages that got the walk

    def for_target(self, target: TargetConfig) -> InteractionCollector:
        return replace(self, sample_size=target.accessibility.interaction_pages, sampled=[])

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
            await page.evaluate(_RESET)
        durations = InteractionDurations(
            keyboard=round((walked - started) * 1000),
            reflow=round((time.monotonic() - walked) * 1000),
        )
        return InteractionEvidence(keyboard, reflow, durations)


async def keyboard_walk(page: Page) -> KeyboardWalk:
    await page.evaluate(_RESET)
    script = _FOCUS_STOP.replace("SELECTOR", SELECTOR_JS)
    stops: list[dict[str, Any]] = []
    keys: list[str] = []
    ending = "limit"
    cycle_start: int | None = None
    repeats = 0
    for _ in range(MAX_TABS):
        await page.keyboard.press("Tab")
        stop = await page.evaluate(script, list(STYLE_PROPERTIES))
        if stop["kind"] == "body":
            ending = "left-document" if stops else "nothing-focusable"
            break
        key = f"{stop['kind']}:{stop['selector']}"
        if keys and key == keys[-1]:
            # Tab moves on inside a frame, a video's controls or a date field's parts while the
            # top document still points at the element; only a long stay there is suspicious.
            repeats += stop["kind"] != "frame"  # a frame may hold a whole application
            if repeats >= STUCK_AFTER:
                ending, cycle_start = "stuck", len(keys) - 1
                break
            continue
        repeats = 0
        if key in keys:
            cycle_start = keys.index(key)
            ending = "wrapped" if cycle_start == 0 else "cycle"
            break
        keys.append(key)
        stops.append(stop)
    elements = [stop for stop in stops if stop["kind"] == "element"]
    unfocused = await page.evaluate(
        _UNFOCUSED_STYLES, [[stop["selector"] for stop in elements], list(STYLE_PROPERTIES)]
    )
    for stop, style in zip(elements, unfocused, strict=True):
        stop["unfocused_style"] = style
    return KeyboardWalk(MAX_TABS, ending, cycle_start, tuple(from_plain(FocusStop, stop) for stop in stops))


async def reflow_at(page: Page, width: int) -> Reflow:
    original = page.viewport_size
    await page.set_viewport_size({"width": width, "height": REFLOW_HEIGHT})
    try:
        await page.wait_for_timeout(150)  # resize handlers of the page
        return from_plain(Reflow, await page.evaluate(_REFLOW.replace("SELECTOR", SELECTOR_JS), width))
    finally:
        if original:
            await page.set_viewport_size(original)
