"""The keyboard walk of collector "keyboard-reflow": Tab through the page, one record per element.

Focus stops are told apart by the element itself: the page holds them in an array that only our
handle reaches (nothing is written into the DOM, so no later reader sees a marker), and a Tab
press that lands on an element already in it returns that element's index. Selectors are only
for the evidence, and unique (``unique_selector``).

Returning to an earlier stop is not yet a trap: focus may have been moved by a script once. It is
a loop when Tab goes round the same elements a second time in the same order; then the walk tries
to get out (Shift+Tab, then Escape and Tab) and records which key, if any, took focus out
(``TrapTest``). Every part is bounded in key presses; the collector bounds it in time.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from playwright.async_api import JSHandle, Page

from scanner.capture.collectors.unique_selector import UNIQUE_SELECTOR_JS
from scanner.evidence.interaction import FocusStop, KeyboardWalk, TrapTest
from scanner.evidence.records import from_plain

MAX_TABS = 40  # Tab presses for the walk itself (a second round of a loop may add as many)
MAX_PRESSES = 2 * MAX_TABS  # all Tab presses of the walk, the second round of a loop included
STUCK_AFTER = 12  # Tab presses that leave focus on the same element (or inside it) before we call it stuck
MAX_EXIT_PRESSES = 40  # per key tried on a loop (presses that stay inside a frame count here only)
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

# (seen, properties) -> the focused element's stop. ``seen`` is the walk's array of elements;
# an element met before returns only its index. Compared with ===, which a page cannot override.
_FOCUS_STOP = """(seen, properties) => {
  const selector = SELECTOR;
  let element = document.activeElement;
  while (element && element.shadowRoot && element.shadowRoot.activeElement) {
    element = element.shadowRoot.activeElement;
  }
  if (!element || element === document.body || element === document.documentElement) return { kind: 'body' };
  const kind = element.localName === 'iframe' || element.localName === 'frame' ? 'frame' : 'element';
  let index = 0;
  while (index < seen.length && seen[index] !== element) index++;
  if (index < seen.length) return { kind, index, known: true };
  seen[index] = element;
  const stop = { kind, index, known: false, selector: selector(element), tag: element.localName,
                 html: element.outerHTML.slice(0, 200),
                 text: (element.innerText || element.value || '').replace(/\\s+/g, ' ').trim().slice(0, 80) };
  if (kind === 'frame') return stop;
  const rect = element.getBoundingClientRect();
  const style = getComputedStyle(element);
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
}""".replace("SELECTOR", UNIQUE_SELECTOR_JS)

# (seen, [indices, properties]) -> the same styles of those elements, unfocused; null if gone.
_UNFOCUSED_STYLES = """(seen, [indices, properties]) => {
  if (document.activeElement && document.activeElement.blur) document.activeElement.blur();
  return indices.map((index) => {
    const element = seen[index];
    if (!element || !element.isConnected) return null;
    const style = getComputedStyle(element);
    return Object.fromEntries(properties.map((name) => [name, style[name]]));
  });
}"""

RESET = """() => {
  if (document.activeElement && document.activeElement.blur) document.activeElement.blur();
  scrollTo(0, 0);
}"""


async def keyboard_walk(page: Page) -> KeyboardWalk:
    await page.evaluate(RESET)
    seen = await page.evaluate_handle("() => []")
    try:
        walk = await _walk(page, seen)
        elements = [index for index, stop in enumerate(walk.stops) if stop["kind"] == "element"]
        unfocused = await seen.evaluate(_UNFOCUSED_STYLES, [elements, list(STYLE_PROPERTIES)])
    finally:
        await seen.dispose()
    for index, style in zip(elements, unfocused, strict=True):
        walk.stops[index]["unfocused_style"] = style
    return KeyboardWalk(
        MAX_TABS,
        walk.ending,
        walk.loop[0] if walk.loop else None,
        tuple(from_plain(FocusStop, stop) for stop in walk.stops),
        walk.trap,
    )


@dataclass
class _Walked:
    stops: list[dict[str, Any]] = field(default_factory=list)  # in Tab order; index = position in seen
    ending: str = "limit"
    loop: list[int] = field(default_factory=list)  # indices into stops
    trap: TrapTest | None = None


async def _focus_after(page: Page, seen: JSHandle, key: str) -> dict[str, Any]:
    await page.keyboard.press(key)
    return await seen.evaluate(_FOCUS_STOP, list(STYLE_PROPERTIES))


async def _walk(page: Page, seen: JSHandle) -> _Walked:
    walked = _Walked()
    visits: list[int] = []  # indices in the order focus reached them, repeats in a row merged
    expected: list[int] = []  # while Tab goes round a suspected loop again: the indices still to come
    repeats = presses = 0
    budget = MAX_TABS
    while presses < budget:
        stop = await _focus_after(page, seen, "Tab")
        presses += 1
        if stop["kind"] == "body":
            walked.ending = "left-document" if walked.stops else "nothing-focusable"
            return walked
        index = stop["index"]
        if visits and index == visits[-1]:
            # Tab moves on inside a frame, a video's controls or a date field's parts while the
            # top document still points at the element; only a long stay there is suspicious.
            repeats += stop["kind"] != "frame"  # a frame may hold a whole application
            if repeats >= STUCK_AFTER:
                walked.ending, walked.loop = "stuck", [index]
                break
            continue
        repeats = 0
        if not stop["known"]:
            walked.stops.append(stop)
            visits.append(index)
            expected = []
            continue
        visits.append(index)
        if expected and index == expected[0]:
            expected.pop(0)
            if not expected:
                walked.ending = "cycle"
                break
            continue
        if index == 0:
            walked.ending = "wrapped"
            return walked
        # Back at an earlier stop: a loop only if Tab goes round the same elements once more.
        start = len(visits) - 2 - visits[-2::-1].index(index)
        walked.loop = visits[start:-1]
        expected = [*walked.loop[1:], index]
        budget = min(max(budget, presses + len(expected)), MAX_PRESSES)
    if walked.ending not in ("cycle", "stuck"):
        walked.loop = []  # the presses ran out before a loop was confirmed
        return walked
    walked.trap = await _try_exits(page, seen, walked.loop)
    return walked


async def _try_exits(page: Page, seen: JSHandle, loop: list[int]) -> TrapTest:
    """Tab went round ``loop`` twice; whether Shift+Tab, or Escape then Tab, takes focus out of it."""
    region = frozenset(loop)
    moves = len(loop) + 1  # enough to go round the loop backwards once
    if await _leaves(page, seen, "Shift+Tab", region, moves):
        return TrapTest(tuple(loop), ("tab", "shift-tab"), "shift-tab")
    # A modal dialog closes on Escape and gives focus back to its opener.
    after_escape = await _focus_after(page, seen, "Escape")
    moved_out = after_escape["kind"] != "body" and after_escape["index"] not in region
    if moved_out or await _leaves(page, seen, "Tab", region, moves):
        return TrapTest(tuple(loop), ("tab", "shift-tab", "escape"), "escape")
    return TrapTest(tuple(loop), ("tab", "shift-tab", "escape"), None)


async def _leaves(page: Page, seen: JSHandle, key: str, region: frozenset[int], moves: int) -> bool:
    """Pressing ``key`` up to ``moves`` times (a stay inside a frame is no move) reaches a stop outside."""
    last: int | None = None
    for _ in range(MAX_EXIT_PRESSES):
        stop = await _focus_after(page, seen, key)
        if stop["kind"] == "body" or stop["index"] not in region:
            return True
        if stop["index"] != last or stop["kind"] != "frame":
            moves -= 1
            if moves <= 0:
                return False
        last = stop["index"]
    return False
