"""Consent buttons by their words: the German fallback when no autoconsent rule knows the banner.

Authorities often build their own banners (TYPO3, Government Site Builder). Their buttons say
"Alle ablehnen", "Nur notwendige Cookies" or "Alle akzeptieren"; this module finds such visible
buttons in every frame, open shadow roots included, and tells which choice each one makes.
"""

from __future__ import annotations

import asyncio
import contextlib
from dataclasses import dataclass

from playwright.async_api import Error as PlaywrightError
from playwright.async_api import Frame, Page
from playwright.async_api import TimeoutError as PlaywrightTimeout

# Whole button texts (lower case, spaces collapsed). "reject" is tested first: "Nur notwendige
# Cookies akzeptieren" rejects everything else, whatever its last word says.
REJECT_TEXTS = (
    "alle ablehnen",
    "ablehnen",
    "alles ablehnen",
    "cookies ablehnen",
    "nur notwendige",
    "nur notwendige cookies",
    "nur notwendige cookies akzeptieren",
    "nur notwendige cookies zulassen",
    "nur essenzielle",
    "nur essenzielle cookies",
    "nur essentielle cookies",
    "nur erforderliche",
    "nur erforderliche cookies",
    "nur technisch notwendige cookies",
    "nicht zustimmen",
    "nicht einverstanden",
    "reject all",
    "reject",
    "decline",
    "only necessary",
    "only essential cookies",
)
ACCEPT_TEXTS = (
    "alle akzeptieren",
    "alle cookies akzeptieren",
    "akzeptieren",
    "alles akzeptieren",
    "alle zulassen",
    "alle cookies zulassen",
    "allen zustimmen",
    "zustimmen",
    "alle auswählen und bestätigen",
    "einverstanden",
    "accept all",
    "accept",
    "allow all",
    "agree",
)
MARK = "data-govscan-consent"

_FIND = """([rejectTexts, acceptTexts, mark]) => {
  const found = [];
  const visible = (element) => {
    const box = element.getBoundingClientRect();
    const style = getComputedStyle(element);
    return box.width > 0 && box.height > 0 && style.visibility !== 'hidden' && style.display !== 'none';
  };
  const visit = (root) => {
    for (const element of root.querySelectorAll(
        'button, a, [role=button], input[type=button], input[type=submit]')) {
      const text = (element.innerText || element.value || element.getAttribute('aria-label') || '')
        .replace(/\\s+/g, ' ').trim().toLowerCase();
      if (!text || text.length > 60 || !visible(element)) continue;
      const kind = rejectTexts.includes(text) ? 'reject' : acceptTexts.includes(text) ? 'accept' : null;
      if (!kind) continue;
      element.setAttribute(mark, String(found.length));
      found.push([kind, text]);
    }
    for (const host of root.querySelectorAll('*')) if (host.shadowRoot) visit(host.shadowRoot);
  };
  visit(document);
  return found;
}"""


@dataclass(frozen=True)
class ConsentButton:
    kind: str  # "reject" | "accept"
    text: str
    frame: Frame
    index: int

    async def click(self) -> bool:
        locator = self.frame.locator(f"[{MARK}='{self.index}']")
        try:
            await locator.first.click(timeout=2000)
        except (PlaywrightError, PlaywrightTimeout):
            return False
        return True


async def find_consent_buttons(page: Page) -> list[ConsentButton]:
    """Visible buttons whose whole text is a known reject or accept wording, in every frame."""
    results = await asyncio.gather(*(_in_frame(frame) for frame in page.frames))
    return [button for buttons in results for button in buttons]


async def _in_frame(frame: Frame) -> list[ConsentButton]:
    with contextlib.suppress(PlaywrightError, TimeoutError):
        rows = await asyncio.wait_for(frame.evaluate(_FIND, [REJECT_TEXTS, ACCEPT_TEXTS, MARK]), 2.0)
        return [ConsentButton(kind, text, frame, index) for index, (kind, text) in enumerate(rows)]
    return []
