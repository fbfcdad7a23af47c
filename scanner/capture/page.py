"""One visit -> one PageCapture: the only place where a page is navigated.

Settling is bounded: the load event (or the page timeout), then a network-quiet window in which no
frame has a short timer due or a cookie or storage write just made (``settle.py``), with a hard cap.
Waiting for "networkidle" would hang on pages with analytics or long polling.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Sequence
from dataclasses import replace
from typing import Any

from playwright.async_api import BrowserContext, Frame, Page, Response
from playwright.async_api import Error as PlaywrightError
from playwright.async_api import TimeoutError as PlaywrightTimeout

from scanner.capture.browser import BrowserDied, ScanBrowser
from scanner.capture.collectors import PageCollector, for_scenario
from scanner.capture.page_reading import read_cookies, read_html_lang, read_links, read_storage
from scanner.capture.recorder import ARRIVED, NetworkRecorder
from scanner.capture.settings import CaptureSettings
from scanner.capture.settle import StoppedEarly, install_probe, wait_until_settled
from scanner.capture.visit_budget import END_MARGIN, READ_MINIMUM, VisitBudget
from scanner.evidence import (
    OUT_OF_TIME,
    FailureClass,
    PageCapture,
    PageKind,
    PageStatus,
    Redirect,
    Scenario,
    Timings,
    TlsDetails,
)
from scanner.evidence.typed import TypedEvidence
from scanner.net.failures import classify_browser_error

log = logging.getLogger(__name__)

HTML_TYPES = {"text/html", "application/xhtml+xml"}
CLOSE_TIMEOUT = END_MARGIN  # closing the context ends the page's renderer, busy or not
BROWSER_ATTEMPTS = 2  # a page is visited again once after the browser died during its visit
CAPTURE_STARTS_TIMEOUT = 2.0  # seconds a collector may take to set apart what the consent step left
READ_ATTEMPTS = 3  # reads of a page that keeps navigating itself before it counts as self_navigating
_CRASHED = "Target crashed"
# Playwright's words when a read met a document being replaced by a navigation of the page's own.
_NAVIGATING = ("page is navigating", "Execution context was destroyed", "most likely because of a navigation")


async def capture_page(
    browser: ScanBrowser,
    url: str,
    *,
    scenario: Scenario = Scenario.FIRST_VISIT,
    settings: CaptureSettings = CaptureSettings(),
    collectors: Sequence[PageCollector] = (),
) -> PageCapture:
    """Visit ``url`` in a fresh context and return what the browser saw.

    When the browser dies during the visit it is relaunched and the page visited once more; a page
    during which it dies twice is recorded as ``renderer_crash`` and not tried again.
    """
    for attempt in range(1, BROWSER_ATTEMPTS + 1):
        launch = browser.launches
        try:
            return await _capture_once(browser, launch, url, scenario, settings, collectors)
        except BrowserDied as died:
            log.warning("browser died while visiting %s (attempt %d): %s", url, attempt, died)
            await browser.relaunch(launch)
            detail = f"the browser died during the visit, {attempt} times: {died}"[:500]
    return _failure(url, scenario, FailureClass.RENDERER_CRASH, detail)


async def _capture_once(
    browser: ScanBrowser,
    launch: int,
    url: str,
    scenario: Scenario,
    settings: CaptureSettings,
    collectors: Sequence[PageCollector],
) -> PageCapture:
    """One visit within its page timeout (``visit_budget.py``), with a hard stop on top: a renderer
    that stops answering, crashes or swallows a huge document costs one page (recorded as such),
    never the scan. Closing the context ends the page's renderer, whatever it is doing.
    """
    active = for_scenario(collectors, scenario)
    navigations = 2 if any(collector.before_visit_allowance > 0 for collector in active) else 1
    hard_limit = navigations * settings.page_timeout + END_MARGIN
    try:
        context = await browser.new_context()
    except PlaywrightError as error:
        raise BrowserDied(str(error).splitlines()[0]) from error
    try:
        page = await context.new_page()
        recorder = NetworkRecorder(context, page, max_document_bytes=settings.max_document_bytes)
        crashed = asyncio.Event()
        page.on("crash", lambda _page: crashed.set())
        visit = asyncio.ensure_future(
            asyncio.wait_for(_visit(context, page, recorder, url, scenario, settings, active), hard_limit)
        )
        stopped_by = await _first_of(visit, crashed, recorder.document_over_limit)
        if stopped_by is not None:  # what the renderer was doing will never answer, or answered in part
            visit.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await visit
            if stopped_by is crashed:
                return _failure(url, scenario, FailureClass.RENDERER_CRASH, "the page's renderer crashed")
            detail = (
                f"the document exceeded {settings.max_document_bytes:,} bytes "
                f"(decoded: a huge page or a compression bomb); it was not read"
            )
            return _failure(url, scenario, FailureClass.DOCUMENT_TOO_LARGE, detail)
        capture = visit.result()
        # A navigation that failed because the browser went away is the browser's failure, not the page's.
        if capture.page_status is PageStatus.FAILED and await _browser_gone(browser, launch):
            raise BrowserDied(capture.failure_detail or "the browser went away")
        return capture
    except TimeoutError:
        if await _browser_gone(browser, launch):
            raise BrowserDied(f"no answer from the browser within {hard_limit:.0f} s") from None
        detail = f"no answer from the page within {hard_limit:.0f} s"
        return _failure(url, scenario, FailureClass.UNRESPONSIVE, detail)
    except PlaywrightError as error:
        message = str(error).splitlines()[0][:500] if str(error) else type(error).__name__
        if _CRASHED in message:
            return _failure(url, scenario, FailureClass.RENDERER_CRASH, message)
        if await _browser_gone(browser, launch):
            raise BrowserDied(message) from error
        return _failure(url, scenario, FailureClass.BROWSER_ERROR, message)
    finally:
        with contextlib.suppress(PlaywrightError, TimeoutError):
            await asyncio.wait_for(context.close(), timeout=CLOSE_TIMEOUT)


async def _first_of(visit: asyncio.Future, *events: asyncio.Event) -> asyncio.Event | None:
    """Wait until the visit ends or one of ``events`` is set; returns that event, None for the visit."""
    waiters = [asyncio.ensure_future(event.wait()) for event in events]
    try:
        await asyncio.wait({visit, *waiters}, return_when=asyncio.FIRST_COMPLETED)
    finally:
        for waiter in waiters:
            waiter.cancel()
    return next((event for event in events if event.is_set()), None)


async def _browser_gone(browser: ScanBrowser, launch: int) -> bool:
    """Whether the browser this visit ran in is gone: dead, not answering, or already replaced."""
    return browser.launches != launch or not await browser.answers()


async def _visit(
    context: BrowserContext,
    page: Page,
    recorder: NetworkRecorder,
    url: str,
    scenario: Scenario,
    settings: CaptureSettings,
    collectors: Sequence[PageCollector],
) -> PageCapture:
    await recorder.attach_devtools(context)
    await install_probe(context)
    extras: dict[str, Any] = {}
    for collector in collectors:
        try:
            await collector.prepare(context, page)
        except Exception as error:
            extras[collector.name] = _collector_error(collector, "prepare", error)
    await _before_visit(page, url, scenario, settings, collectors, extras)
    for collector in collectors:
        if collector.name not in extras:
            try:
                await asyncio.wait_for(collector.capture_starts(page), CAPTURE_STARTS_TIMEOUT)
            except Exception as error:
                extras[collector.name] = _collector_error(collector, "capture_starts", error)
    recorder.forget()
    budget = VisitBudget.start(settings.page_timeout)
    navigations = _Navigations(page)
    try:
        response = await page.goto(url, wait_until="commit", timeout=_ms(budget.remaining_for_load()))
    except (PlaywrightError, PlaywrightTimeout) as error:
        return _failed_navigation(url, scenario, str(error), recorder)
    if response is None:
        return _failure(url, scenario, FailureClass.BROWSER_ERROR, "navigation produced no response")
    recorder.watch_document(response.request)
    dom_content_loaded = await _wait_for(page, "domcontentloaded", budget, recorder)
    load = await _wait_for(page, "load", budget, recorder) if dom_content_loaded is not None else None
    if (cut_off := await _document_cut_off(page, response, recorder, load is not None)) is not None:
        failure = _failure(url, scenario, *cut_off)
        return replace(failure, requests=recorder.records(), console=tuple(recorder.console))
    loaded = navigations.count
    stopped_early = await wait_until_settled(page, recorder, _within(settings, budget))
    if stopped_early == StoppedEarly.UNRESPONSIVE and not await _answers(page):
        detail = "the page's scripts kept its renderer from answering after it loaded (an endless script?)"
        failure = _failure(url, scenario, FailureClass.UNRESPONSIVE, detail)
        return replace(failure, requests=recorder.records(), console=tuple(recorder.console))
    settled = recorder.elapsed_ms()
    capture = await _read_settled(
        url, scenario, page, response, recorder, settings, budget, navigations, loaded
    )
    if capture.failure_class in (FailureClass.SELF_NAVIGATING, FailureClass.TIMEOUT):
        return replace(capture, requests=recorder.records(), console=tuple(recorder.console))
    timings = Timings(
        dom_content_loaded,
        load,
        settled,
        recorder.elapsed_ms(),
        load_timed_out=load is None,
        settle_stopped_early=stopped_early,
    )
    capture = replace(capture, timings=timings)
    if capture.is_testable:
        await _run_collectors(collectors, page, capture, budget, extras)
        # Beacons sent on leaving are evidence, but not worth running past the page timeout for.
        time_left = budget.remaining() >= settings.exit_window
        left_page = await _leave_page(page, recorder, settings) if time_left else None
        capture = replace(capture, requests=recorder.records(), timings=replace(timings, left_page=left_page))
    return replace(capture, extras=extras)


async def _before_visit(
    page: Page,
    url: str,
    scenario: Scenario,
    settings: CaptureSettings,
    collectors: Sequence[PageCollector],
    extras: dict[str, Any],
) -> None:
    """E.g. answer the consent banner: a navigation of its own, with a page timeout of its own."""
    budget = VisitBudget.start(settings.page_timeout)
    for collector in collectors:
        if collector.name in extras or collector.before_visit_allowance <= 0:
            continue
        allowance = budget.bound(collector.before_visit_allowance)
        try:  # what this loads is not part of the capture
            await asyncio.wait_for(collector.before_visit(page, url, scenario, settings), allowance)
        except TimeoutError:
            extras[collector.name] = {"error": f"before_visit: no result within {allowance:.0f} s"}
        except Exception as error:
            extras[collector.name] = _collector_error(collector, "before_visit", error)


async def _run_collectors(
    collectors: Sequence[PageCollector],
    page: Page,
    capture: PageCapture,
    budget: VisitBudget,
    extras: dict[str, Any],
) -> None:
    """Each collector in turn, on what is left of the page timeout; one that finds it spent says so."""
    for collector in collectors:
        if collector.name in extras:
            continue
        allowance = budget.bound(collector.time_allowance)
        if allowance <= 0:
            spent = f"not run: the page timeout ({budget.seconds:.0f} s) was spent before this collector"
            extras[collector.name] = {"error": spent, OUT_OF_TIME: True}
            continue
        evidence = await _collect(collector, page, capture, allowance)
        if evidence is not None:  # None: the collector skipped this page
            extras[collector.name] = evidence


async def _document_cut_off(
    page: Page, response: Response, recorder: NetworkRecorder, loaded: bool
) -> tuple[FailureClass, str] | None:
    """Why the top document did not arrive whole (a stall, a drip, a reset), None when it did.

    What arrived of such a document is a part: judging it would report what the missing part has
    (a footer link, a ``lang``) as missing. Once the load event came the answer is moments away.
    A document that no longer grows and whose renderer does not answer is kept from finishing by
    its own scripts.
    """
    arrival = await recorder.arrival(response.request, within=1.0 if loaded else 0.2)
    if arrival == ARRIVED:
        return None
    if arrival is None:
        received = recorder.document_bytes
        if not await _answers(page) and recorder.document_bytes == received:
            detail = (
                "the page's renderer stopped answering while it loaded "
                "(an endless script, or a document too big to parse in time)"
            )
            return FailureClass.UNRESPONSIVE, detail
        detail = "the document had not arrived completely when the page's time for loading was up"
        if recorder.document_bytes:
            detail += f" ({recorder.document_bytes:,} bytes so far)"
        return FailureClass.DOCUMENT_INCOMPLETE, detail
    failure_class = classify_browser_error(arrival)
    if failure_class in (FailureClass.NETWORK_ERROR, FailureClass.BROWSER_ERROR):
        failure_class = FailureClass.DOCUMENT_INCOMPLETE
    return failure_class, f"the document was cut off: {arrival}"[:500]


async def _answers(page: Page, within: float = 1.0) -> bool:
    """Whether the page's main frame still runs anything we ask it to."""
    try:
        await asyncio.wait_for(page.evaluate("1"), timeout=within)
    except (TimeoutError, PlaywrightError):
        return False
    return True


def _within(settings: CaptureSettings, budget: VisitBudget) -> CaptureSettings:
    """Settle at most what is left of the page timeout."""
    return replace(settings, settle_cap=min(settings.settle_cap, budget.remaining()))


def _ms(seconds: float) -> float:
    """Playwright's timeout in milliseconds; never 0, which would mean "no timeout"."""
    return max(seconds, 0.1) * 1000


async def _leave_page(page: Page, recorder: NetworkRecorder, settings: CaptureSettings) -> float | None:
    """Let the page believe it is being left, and record what it sends: unload beacons.

    Requests that a page sends while it is really unloading (keepalive, sendBeacon) leave from a
    renderer that DevTools and Playwright no longer follow, so they would be lost. Instead every
    frame first gets the events a page sees when a visitor leaves (visibilitychange to hidden,
    pagehide) while it is still observed; then the tab goes to about:blank. None if that failed.
    """
    left_at = recorder.elapsed_ms()
    await asyncio.gather(*(_dispatch_exit_events(frame) for frame in page.frames))
    await recorder.wait_until_quiet(min(settings.settle_quiet, settings.exit_window), settings.exit_window)
    try:
        await page.goto("about:blank", timeout=settings.exit_window * 1000)
    except (PlaywrightError, PlaywrightTimeout):
        return None
    return left_at


_EXIT_EVENTS = """() => {
  Object.defineProperty(document, 'visibilityState', { value: 'hidden', configurable: true });
  Object.defineProperty(document, 'hidden', { value: true, configurable: true });
  document.dispatchEvent(new Event('visibilitychange'));
  window.dispatchEvent(new PageTransitionEvent('pagehide', { persisted: false }));
}"""


async def _dispatch_exit_events(frame) -> None:
    with contextlib.suppress(PlaywrightError, TimeoutError):
        await asyncio.wait_for(frame.evaluate(_EXIT_EVENTS), timeout=1.0)


async def _collect(collector: PageCollector, page: Page, capture: PageCapture, allowance: float) -> Any:
    try:
        evidence = await asyncio.wait_for(collector.collect(page, capture), timeout=allowance)
        return evidence.to_json() if isinstance(evidence, TypedEvidence) else evidence
    except TimeoutError:
        return {"error": f"no result within {allowance:.0f} s", OUT_OF_TIME: True}
    except Exception as error:
        return _collector_error(collector, "collect", error)


def _collector_error(collector: PageCollector, step: str, error: Exception) -> dict[str, str]:
    log.warning("collector %s failed in %s: %s", collector.name, step, error)
    return {"error": f"{step}: {type(error).__name__}: {error}"[:1000]}


async def _wait_for(page: Page, state: str, budget: VisitBudget, recorder: NetworkRecorder) -> float | None:
    """Milliseconds until the page reached ``state``, or None when its time for loading ran out first
    or its document was cut off (a reset: nothing more will arrive, so there is no point waiting).
    """
    reached = asyncio.ensure_future(page.wait_for_load_state(state, timeout=_ms(budget.remaining_for_load())))
    # A crash may fail it while the visit is being ended: that is the visit's to report, not asyncio's.
    reached.add_done_callback(lambda done: done.cancelled() or done.exception())
    cut_off = asyncio.ensure_future(recorder.document_failed.wait())
    try:
        await asyncio.wait({reached, cut_off}, return_when=asyncio.FIRST_COMPLETED)
    finally:
        cut_off.cancel()
        if not reached.done():
            reached.cancel()  # the document was cut off, or the visit itself is being ended
    if not reached.done() or reached.cancelled():
        return None
    try:
        reached.result()
    except PlaywrightTimeout:
        return None  # capture what is there; the timings record that the event never came
    return recorder.elapsed_ms()


class _Navigations:
    """Counts the main frame's navigations: a page that navigated while it settled has not settled."""

    def __init__(self, page: Page) -> None:
        self.count = 0
        page.on("framenavigated", lambda frame: self._seen(page, frame))

    def _seen(self, page: Page, frame: Frame) -> None:
        if frame is page.main_frame:
            self.count += 1


async def _read_settled(
    url: str,
    scenario: Scenario,
    page: Page,
    response: Response,
    recorder: NetworkRecorder,
    settings: CaptureSettings,
    budget: VisitBudget,
    navigations: _Navigations,
    loaded: int,
) -> PageCapture:
    """Read the page once it stayed put from its load through settling and reading.

    A page that replaces itself (a meta refresh, ``location.reload()``) gets the new document's
    load and another settle, a few times at most, on what is left of the page timeout; the response
    headers stay those of the URL's own answer, the DOM is the document that stayed. A page that
    never stays is ``self_navigating``; one that cannot be read in the time left is ``timeout``.
    """
    for attempt in range(1, READ_ATTEMPTS + 1):
        reading = max(budget.remaining(), READ_MINIMUM)
        try:
            capture: PageCapture | None = await asyncio.wait_for(
                _read_page(url, scenario, page, response, recorder), reading
            )
        except TimeoutError:
            if navigations.count != loaded:  # it kept replacing itself while it was read
                break
            # Whether the page or our reading keeps its renderer busy cannot be told apart now.
            detail = f"the page could not be read within the page timeout ({budget.seconds:.0f} s)"
            return _failure(url, scenario, FailureClass.TIMEOUT, detail)
        except PlaywrightError as error:
            if not any(sign in str(error) for sign in _NAVIGATING):
                raise
            capture = None
        if capture is not None and navigations.count == loaded:
            return capture
        if attempt < READ_ATTEMPTS:
            # The new document's load is part of settling: bounded like it, and by the page timeout.
            again = replace(settings, settle_cap=min(settings.settle_cap / 2, budget.remaining()))
            with contextlib.suppress(PlaywrightError):  # e.g. "navigation interrupted by another one"
                await page.wait_for_load_state("load", timeout=_ms(again.settle_cap))
            loaded = navigations.count
            await wait_until_settled(page, recorder, again)
    detail = f"the page navigated itself while it settled, {READ_ATTEMPTS} times in a row"
    return _failure(url, scenario, FailureClass.SELF_NAVIGATING, detail)


async def _read_page(
    url: str, scenario: Scenario, page: Page, response: Response, recorder: NetworkRecorder
) -> PageCapture:
    headers = tuple((item["name"].lower(), item["value"]) for item in await response.headers_array())
    content_type = next((value for key, value in headers if key == "content-type"), "")
    mime = content_type.split(";")[0].strip().lower()
    is_html = mime in HTML_TYPES or not mime
    status, failure_class, failure_detail = _page_status(response.status, is_html, mime)
    common = dict(
        url=url,
        scenario=scenario,
        final_url=page.url,
        status=response.status,
        page_status=status,
        failure_class=failure_class,
        failure_detail=failure_detail,
        redirect_chain=await _redirect_chain(response),
        response_headers=headers,
        content_type=mime or None,
        content_length=_int(next((value for key, value in headers if key == "content-length"), None)),
        tls=await _tls_details(response),
    )
    if not is_html:
        return PageCapture(**common, requests=recorder.records(), console=tuple(recorder.console))
    html, title, lang, links, storage, cookies = await asyncio.gather(
        page.content(),
        page.title(),
        read_html_lang(page),
        read_links(page),
        read_storage(page),
        read_cookies(page.context),
    )
    return PageCapture(
        **common,
        kind=PageKind.HTML,
        requests=recorder.records(),
        cookies=cookies,
        storage=storage,
        console=tuple(recorder.console),
        links=links,
        frames=tuple(frame.url for frame in page.frames),
        dom_html=html,
        title=title or None,
        html_lang=lang,
    )


def _page_status(
    http_status: int, is_html: bool, mime: str
) -> tuple[PageStatus, FailureClass | None, str | None]:
    if http_status >= 400:
        return PageStatus.FAILED, FailureClass.HTTP_ERROR, f"HTTP {http_status}"
    if not is_html:
        return PageStatus.NOT_TESTED, FailureClass.NOT_HTML, f"content type {mime}"
    return PageStatus.OK, None, None


async def _redirect_chain(response: Response) -> tuple[Redirect, ...]:
    hops = []
    request = response.request.redirected_from
    while request is not None:
        hop = await request.response()
        if hop is not None:
            hops.append(Redirect(request.url, hop.status, hop.headers.get("location", "")))
        request = request.redirected_from
    return tuple(reversed(hops))


async def _tls_details(response: Response) -> TlsDetails | None:
    details = await response.security_details()
    address = await response.server_addr()
    if not details:
        return None
    return TlsDetails(
        protocol=details.get("protocol"),
        subject=details.get("subjectName") or None,
        issuer=details.get("issuer") or None,
        valid_from=details.get("validFrom"),
        valid_to=details.get("validTo"),
        server_ip=address.get("ipAddress") if address else None,
        server_port=address.get("port") if address else None,
    )


def _failed_navigation(url: str, scenario: Scenario, message: str, recorder: NetworkRecorder) -> PageCapture:
    if "Download is starting" in message:  # the browser would save the file: not a page
        failure = _failure(url, scenario, FailureClass.NOT_HTML, "download")
    elif _CRASHED in message:
        failure = _failure(url, scenario, FailureClass.RENDERER_CRASH, message.splitlines()[0][:500])
    else:
        failure = _failure(url, scenario, classify_browser_error(message), message.splitlines()[0][:500])
    return replace(failure, requests=recorder.records(), console=tuple(recorder.console))


def _failure(url: str, scenario: Scenario, failure_class: FailureClass, detail: str) -> PageCapture:
    status = PageStatus.NOT_TESTED if failure_class is FailureClass.NOT_HTML else PageStatus.FAILED
    return PageCapture(
        url=url,
        scenario=scenario,
        final_url=url,
        status=None,
        page_status=status,
        failure_class=failure_class,
        failure_detail=detail,
    )


def _int(value: str | None) -> int | None:
    try:
        return int(value) if value is not None else None
    except ValueError:
        return None
