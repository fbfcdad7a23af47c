"""Consent collector: answers the cookie banner before the visits of the "rejected" and "accepted" scenarios.

Before the page is captured, ``before_visit`` loads it once in the fresh context and answers the
banner: with a recipe from targets.toml when one is given for the scenario, else with DuckDuckGo's
autoconsent rules (Usercentrics, Cookiebot, Borlabs, Klaro, CCM19, consentmanager, OneTrust, ...),
else by German button texts. The capture then loads the page again, so its evidence shows what
the site does once the choice is stored. The record says how the banner was answered:

- ``answered``: a reject/accept control was operated and the banner went away;
- ``preset``: a recipe preset the consent cookie;
- ``hidden``: autoconsent's rule for this banner only hides it (cosmetic): nothing was answered;
- ``failed``: a banner was found but could not be answered;
- ``no-banner``: no banner was found, so nothing could be answered.

Only ``answered`` and ``preset`` are a known consent state; checks treat the rest as unknown and
never as "rejected".
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import weakref
from dataclasses import dataclass, field
from typing import Any

from duckduckgo_autoconsent import __version__ as AUTOCONSENT_VERSION
from duckduckgo_autoconsent import bundle, rules_json
from playwright.async_api import BrowserContext, Frame, Page
from playwright.async_api import Error as PlaywrightError
from playwright.async_api import TimeoutError as PlaywrightTimeout

from scanner.capture.collectors import PageCollector
from scanner.capture.collectors.consent_buttons import ConsentButton, find_consent_buttons
from scanner.config.consent import ConsentSettings
from scanner.evidence import PageCapture, Scenario
from scanner.evidence.consent import COLLECTOR, KNOWN_STATES, ConsentEvidence, is_known_consent

__all__ = ["AUTOCONSENT_VERSION", "ConsentCollector", "is_known_consent"]

ACTION_TIMEOUT = 8.0  # seconds for autoconsent to finish opting out or in
UNKNOWN_BANNER_AFTER = 1.0  # seconds a banner shows without autoconsent naming its CMP: no rule knows it
AUTOCONSENT_CONFIG = {
    "enabled": True,
    "autoAction": None,  # we decide when to act: after the banner screenshot
    "enablePrehide": False,  # prehiding would hide the banner from the screenshot
    "enableCosmeticRules": True,
    "enableGeneratedRules": True,
    "detectRetries": 20,  # every 0.5 s; we stop waiting earlier (see _detection_window)
    "isMainWorld": True,
    # The page's console is evidence: autoconsent must not write to it.
    "logs": {
        name: False
        for name in ("lifecycle", "rulesteps", "detectionsteps", "evals", "errors", "messages", "waits")
    },
}
_RULES_SCRIPT = f"window.__govscanAutoconsentRules = {rules_json()};"
_ANSWER_INIT = """(config) => window.autoconsentReceiveMessage({
  type: 'initResp', config, rules: { autoconsent: window.__govscanAutoconsentRules || [] } })"""


@dataclass
class _Visit:
    """Autoconsent's messages and our record for one visit (one browser context)."""

    scenario: Scenario = Scenario.REJECTED
    detected: list[str] = field(default_factory=list)  # CMP names
    popup: tuple[str, Frame] | None = None
    result: dict[str, Any] | None = None  # optOutResult / optInResult
    done: dict[str, Any] | None = None  # autoconsentDone
    self_test: bool | None = None
    nothing_found: bool = False
    changed: asyncio.Event = field(default_factory=asyncio.Event)
    record: dict[str, Any] = field(default_factory=dict)

    def reset_for_capture(self) -> None:
        self.detected, self.popup, self.nothing_found = [], None, False

    async def on_message(self, source: dict[str, Any], message: dict[str, Any]) -> None:
        frame: Frame = source["frame"]
        kind = message.get("type")
        if kind == "init":
            await _send(frame, _ANSWER_INIT, AUTOCONSENT_CONFIG)
        elif kind == "cmpDetected":
            self.detected.append(str(message.get("cmp")))
        elif kind == "popupFound" and self.popup is None:
            self.popup = (str(message.get("cmp")), frame)
        elif kind in ("optOutResult", "optInResult"):
            self.result = message
            if message.get("scheduleSelfTest"):
                await _send(frame, "(m) => window.autoconsentReceiveMessage(m)", {"type": "selfTest"})
        elif kind == "autoconsentDone":
            self.done = message
        elif kind == "selfTestResult":
            self.self_test = bool(message.get("result"))
        elif kind == "report" and message.get("mainFrame"):
            self.nothing_found = (message.get("state") or {}).get("lifecycle") == "nothingDetected"
        elif kind == "eval":  # only when not in the main world; answer in the frame that asked
            result = await _evaluate(frame, str(message.get("code")))
            await _send(frame, "(m) => window.autoconsentReceiveMessage(m)", _eval_answer(message, result))
        self.changed.set()

    async def wait_for(self, condition, timeout: float) -> bool:
        deadline = asyncio.get_running_loop().time() + timeout
        while not condition():
            remaining = deadline - asyncio.get_running_loop().time()
            if remaining <= 0:
                return False
            self.changed.clear()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self.changed.wait(), remaining)
        return True


class ConsentCollector(PageCollector):
    name = COLLECTOR
    scenarios = frozenset({Scenario.REJECTED, Scenario.ACCEPTED})
    time_allowance = 5.0
    before_visit_allowance = ACTION_TIMEOUT + 30.0

    def __init__(self, settings: ConsentSettings | None = None) -> None:
        self.settings = settings or ConsentSettings()
        self._visits: weakref.WeakKeyDictionary[BrowserContext, _Visit] = weakref.WeakKeyDictionary()

    def for_target(self, target: Any) -> ConsentCollector:
        """A collector that knows the target's recipes (targets.toml [target.consent])."""
        return ConsentCollector(target.consent)

    async def prepare(self, context: BrowserContext, page: Page) -> None:
        visit = _Visit()
        self._visits[context] = visit
        await context.expose_binding("autoconsentSendMessage", visit.on_message)
        await context.add_init_script(script=_RULES_SCRIPT)
        await context.add_init_script(script=bundle())

    async def before_visit(self, page: Page, url: str, scenario: Scenario, settings: Any) -> None:
        visit = self._visits[page.context]
        visit.scenario = scenario
        visit.record = {"scenario": scenario.value, "autoconsent": AUTOCONSENT_VERSION, "clicked": []}
        preset = self.settings.cookies(scenario.value)
        if preset:
            await page.context.add_cookies([_cookie(line, url) for line in preset])
            names = [line.split("=")[0] for line in preset]
            visit.record.update(method="recipe-cookies", state="preset", preset_cookies=names)
            return
        await page.goto(url, wait_until="load", timeout=settings.page_timeout * 1000)
        buttons = await self._detect(page, visit, _detection_window(settings))
        banner_seen = visit.popup is not None or bool(buttons)
        visit.record.update(
            cmp=visit.popup[0] if visit.popup else (visit.detected[0] if visit.detected else None),
            banner_found=banner_seen,
            reject_on_first_layer=any(button.kind == "reject" for button in buttons) if banner_seen else None,
            buttons=sorted({f"{button.kind}: {button.text}" for button in buttons}),
        )
        if banner_seen and visit.scenario is Scenario.REJECTED:
            visit.record["banner_screenshot"] = await _screenshot(page)
        before = await _consent_storage(page)
        await self._answer(page, visit, buttons)
        await asyncio.sleep(settings.settle_quiet + 0.3)  # for the site to store the choice
        visit.record["consent_storage"] = sorted(set(await _consent_storage(page)) - set(before))
        visit.reset_for_capture()

    async def _detect(self, page: Page, visit: _Visit, window: float) -> list[ConsentButton]:
        """Wait for autoconsent to find a banner; stop early once German buttons show and it found none.

        Autoconsent names a CMP it recognises (``cmpDetected``) before it reports the popup: a banner
        showing for a second with no CMP named is one no rule knows, and the German fallback answers it.
        """
        waited, step = 0.0, 0.5
        while waited < window:
            if await visit.wait_for(lambda: visit.popup is not None or visit.nothing_found, step):
                break
            waited += step
            unknown = waited >= UNKNOWN_BANNER_AFTER and not visit.detected
            if (unknown or waited >= 2 * UNKNOWN_BANNER_AFTER) and await find_consent_buttons(page):
                break  # a banner no rule knows (or one whose popup autoconsent does not confirm)
        # A banner may still be fading in: read its buttons until two reads agree (at most 2 s).
        buttons = await find_consent_buttons(page)
        for _ in range(8):
            if not buttons and visit.popup is None:
                break  # no banner at all
            await asyncio.sleep(0.25)
            again = await find_consent_buttons(page)
            if again and [button.text for button in again] == [button.text for button in buttons]:
                break
            buttons = again
        return buttons

    async def _answer(self, page: Page, visit: _Visit, buttons: list[ConsentButton]) -> None:
        record = visit.record
        scenario = visit.scenario.value
        wanted = "reject" if visit.scenario is Scenario.REJECTED else "accept"
        if self.settings.clicks(scenario):
            record["method"] = "recipe-clicks"
            clicked = await _click_selectors(page, self.settings.clicks(scenario))
            record["clicked"] = clicked
            record["state"] = "answered" if len(clicked) == len(self.settings.clicks(scenario)) else "failed"
            return
        if visit.popup is not None:
            record["method"] = "autoconsent"
            frame = visit.popup[1]
            action = "optOut" if wanted == "reject" else "optIn"
            await _send(frame, "(m) => window.autoconsentReceiveMessage(m)", {"type": action})
            await visit.wait_for(lambda: visit.done is not None or visit.result is not None, ACTION_TIMEOUT)
            if visit.result and visit.result.get("result") and visit.done is None:
                await visit.wait_for(lambda: visit.done is not None, 2.0)  # multi-step (intermediate) rules
            if visit.done is not None and visit.done.get("isCosmetic"):
                record["state"] = "hidden"
            elif visit.result and visit.result.get("result"):
                record["state"] = "answered"
                if visit.self_test is None and visit.result.get("scheduleSelfTest"):
                    await visit.wait_for(lambda: visit.self_test is not None, 2.0)
                record["self_test"] = visit.self_test
            else:
                record["state"] = "failed"
            if record["state"] != "failed":
                return
        matching = [button for button in buttons if button.kind == wanted]
        if matching:
            record["method"] = "+".join(filter(None, (record.get("method"), "german-text")))
            if await matching[0].click():
                record["clicked"] = [matching[0].text]
                await asyncio.sleep(0.3)
                still_there = [b for b in await find_consent_buttons(page) if b.text == matching[0].text]
                record["state"] = "answered" if not still_there else "failed"
            else:
                record["state"] = "failed"
            return
        if "state" not in record:
            record.update(method=None, state="failed" if record.get("banner_found") else "no-banner")

    async def collect(self, page: Page, capture: PageCapture) -> ConsentEvidence | dict[str, Any]:
        visit = self._visits.pop(page.context, None)
        if visit is None:
            return {"error": "the consent step did not run"}
        buttons = await find_consent_buttons(page)
        return ConsentEvidence.from_fields(
            {
                **visit.record,
                "known_state": visit.record.get("state") in KNOWN_STATES,
                "banner_shown_again": visit.popup is not None or bool(buttons),
            }
        )


def _detection_window(settings: Any) -> float:
    """Seconds to wait for autoconsent to find a banner after load: CMPs load late, like trackers."""
    return settings.settle_cap + 1.0


async def _send(frame: Frame, script: str, argument: Any) -> None:
    with contextlib.suppress(PlaywrightError):
        await frame.evaluate(script, argument)


async def _evaluate(frame: Frame, code: str) -> bool:
    try:
        return bool(
            await frame.evaluate(f"() => {{ try {{ return !!({code}); }} catch (e) {{ return false; }} }}")
        )
    except PlaywrightError:
        return False


def _eval_answer(message: dict[str, Any], result: bool) -> dict[str, Any]:
    return {"type": "evalResp", "id": message.get("id"), "result": result}


async def _click_selectors(page: Page, selectors: tuple[str, ...]) -> list[str]:
    clicked = []
    for selector in selectors:
        try:
            await page.locator(selector).first.click(timeout=5000)
        except (PlaywrightError, PlaywrightTimeout):
            break
        clicked.append(selector)
        await asyncio.sleep(0.3)
    return clicked


async def _consent_storage(page: Page) -> list[str]:
    """Names of cookies and main-frame localStorage keys: what a banner writes to keep the choice."""
    cookies = [f"cookie:{cookie['name']}" for cookie in await page.context.cookies()]
    with contextlib.suppress(PlaywrightError):
        keys = await page.evaluate("() => Object.keys(window.localStorage)")
        cookies += [f"localStorage:{key}" for key in keys]
    return cookies


async def _screenshot(page: Page) -> str | None:
    with contextlib.suppress(PlaywrightError, PlaywrightTimeout):
        image = await page.screenshot(type="jpeg", quality=45, timeout=5000)
        return base64.b64encode(image).decode("ascii")
    return None


def _cookie(line: str, url: str) -> dict[str, str]:
    name, _, value = line.partition("=")
    return {"name": name, "value": value, "url": url}
