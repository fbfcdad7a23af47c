"""Records what a page does on the network and on the console while it loads.

Playwright's events see every request of every frame, out-of-process iframes included. Chromium's
DevTools protocol adds what Playwright does not expose: who initiated a request and the server's IP
address. Those come from a CDP session on the page, which sees the frames rendered in the page's
process; for other frames the initiator stays unknown rather than guessed.
"""

from __future__ import annotations

import asyncio
import time
from collections import defaultdict
from typing import Any

from playwright.async_api import BrowserContext, CDPSession, ConsoleMessage, Page, Request, Response
from playwright.async_api import Error as PlaywrightError

from scanner.evidence import ConsoleMessage as ConsoleRecord
from scanner.evidence import Initiator, RequestRecord

MAX_CONSOLE_MESSAGES = 500
MAX_REQUESTS = 5000
ARRIVED = "arrived"
MAX_DOCUMENT_BYTES = 16 * 1024 * 1024  # decoded: a larger top document, or a compression bomb, is not read


class NetworkRecorder:
    """Attach before navigating; read ``records()`` after the page settled."""

    def __init__(
        self, context: BrowserContext, page: Page, *, max_document_bytes: int = MAX_DOCUMENT_BYTES
    ) -> None:
        self.page = page
        self.max_document_bytes = max_document_bytes
        self.document_over_limit = asyncio.Event()  # the top document grew past the limit: stop
        self.document_failed = asyncio.Event()  # the watched document was cut off: no load to wait for
        self._document_request: Request | None = None
        self.document_bytes = 0  # decoded bytes of the top document so far
        self._document_id: str | None = None  # DevTools id of the top document's request
        self._main_frame_id: str | None = None
        self.started = time.monotonic()
        self.last_activity = self.started
        self.in_flight = 0
        self._requests: list[tuple[Request, float, str | None]] = []  # with the frame's URL at that time
        self._responses: dict[Request, Response] = {}
        self._failures: dict[Request, str] = {}
        self._finished: set[Request] = set()
        self._initiators: dict[str, list[Initiator]] = defaultdict(list)
        self._remote_addresses: dict[str, str] = {}
        self.console: list[ConsoleRecord] = []
        context.on("request", self._on_request)
        context.on("response", self._on_response)
        context.on("requestfinished", self._on_finished)
        context.on("requestfailed", self._on_failed)
        page.on("console", self._on_console)
        page.on("pageerror", self._on_page_error)

    async def attach_devtools(self, context: BrowserContext) -> None:
        """Initiators and IP addresses from CDP; best effort, the capture works without them."""
        try:
            session: CDPSession = await context.new_cdp_session(self.page)
            session.on("Network.requestWillBeSent", self._on_cdp_request)
            session.on("Network.responseReceived", self._on_cdp_response)
            session.on("Network.dataReceived", self._on_cdp_data)
            await session.send("Network.enable")
            tree = await session.send("Page.getFrameTree")
            self._main_frame_id = tree["frameTree"]["frame"]["id"]
        except PlaywrightError:
            pass

    def watch_document(self, request: Request) -> None:
        """Set ``document_failed`` as soon as this request (the page's document) fails."""
        self._document_request = request
        if request in self._failures:
            self.document_failed.set()

    def reset_clock(self) -> None:
        self.started = self.last_activity = time.monotonic()

    def forget(self) -> None:
        """Drop what was recorded so far (a preparatory load) and restart the clock."""
        self._requests.clear()
        self._responses.clear()
        self._failures.clear()
        self._finished.clear()
        self._initiators.clear()
        self._document_id, self.document_bytes = None, 0
        self.document_failed.clear()
        self._document_request = None
        self.console.clear()
        self.in_flight = 0
        self.reset_clock()

    def elapsed_ms(self) -> float:
        return (time.monotonic() - self.started) * 1000

    async def wait_until_quiet(self, quiet: float, cap: float) -> bool:
        """Wait until no request was in flight for ``quiet`` seconds, at most ``cap`` seconds.

        True when that quiet was reached, False when the cap ran out first.
        """
        deadline = time.monotonic() + cap
        while True:
            now = time.monotonic()
            if self.in_flight <= 0 and now - self.last_activity >= quiet:
                return True
            if now >= deadline:
                return False
            await asyncio.sleep(min(0.05, max(0.0, deadline - now)))

    # --- Playwright events ---------------------------------------------------------------

    def _touch(self) -> None:
        self.last_activity = time.monotonic()

    def _on_request(self, request: Request) -> None:
        self._touch()
        self.in_flight += 1
        if len(self._requests) < MAX_REQUESTS:
            # The frame's URL now (a later navigation changes it); a document is its frame's URL.
            frame = _frame_of(request)
            frame_url = request.url if request.is_navigation_request() else frame.url if frame else None
            self._requests.append((request, self.elapsed_ms(), frame_url))

    def _on_response(self, response: Response) -> None:
        self._touch()
        self._responses[response.request] = response

    def _on_finished(self, request: Request) -> None:
        self._touch()
        self.in_flight -= 1
        self._finished.add(request)

    def _on_failed(self, request: Request) -> None:
        self._touch()
        self.in_flight -= 1
        self._failures[request] = request.failure or "failed"
        if request is self._document_request:
            self.document_failed.set()

    def _on_console(self, message: ConsoleMessage) -> None:
        if len(self.console) < MAX_CONSOLE_MESSAGES:
            location = message.location or {}
            self.console.append(ConsoleRecord(message.type, message.text, location.get("url") or None))

    def _on_page_error(self, error: Any) -> None:
        if len(self.console) < MAX_CONSOLE_MESSAGES:
            self.console.append(ConsoleRecord("pageerror", str(error), None))

    # --- DevTools events -----------------------------------------------------------------

    def _on_cdp_request(self, event: dict[str, Any]) -> None:
        initiator = event.get("initiator") or {}
        url = initiator.get("url")
        line = initiator.get("lineNumber")
        frames = ((initiator.get("stack") or {}).get("callFrames")) or []
        if not url and frames:  # a script: the innermost frame with a URL is the caller
            caller = next((frame for frame in frames if frame.get("url")), None)
            if caller:
                url, line = caller["url"], caller.get("lineNumber")
        if event.get("type") == "Document" and event.get("frameId") == self._main_frame_id:
            self._document_id, self.document_bytes = event.get("requestId"), 0  # a new top document
        kind = initiator.get("type", "other")
        if event.get("type") == "Ping":
            kind = "beacon"
        self._initiators[event["request"]["url"]].append(Initiator(kind, url or None, line))

    def _on_cdp_response(self, event: dict[str, Any]) -> None:
        response = event.get("response") or {}
        if (
            event.get("requestId") == self._document_id
            and _declared_length(response) > self.max_document_bytes
        ):
            self.document_over_limit.set()  # a Content-Length over the limit: no need to wait for it
        if response.get("remoteIPAddress"):
            self._remote_addresses[response["url"]] = response["remoteIPAddress"]

    def _on_cdp_data(self, event: dict[str, Any]) -> None:
        if event.get("requestId") != self._document_id:
            return
        self.document_bytes += int(event.get("dataLength") or 0)
        if self.document_bytes > self.max_document_bytes:
            self.document_over_limit.set()

    # --- Results -------------------------------------------------------------------------

    async def arrival(self, request: Request, within: float) -> str | None:
        """Whether ``request``'s response arrived whole, waiting up to ``within`` seconds.

        ``ARRIVED``, the network error that cut it off (a reset, a body shorter than its
        Content-Length), or None while it is still coming in (a stall, a slow drip).
        """
        deadline = time.monotonic() + within
        while True:
            if request in self._failures:
                return self._failures[request]
            if request in self._finished:
                return ARRIVED
            if time.monotonic() >= deadline:
                return None
            await asyncio.sleep(0.05)

    def records(self) -> tuple[RequestRecord, ...]:
        main_frame = self.page.main_frame
        records = []
        seen: dict[str, int] = defaultdict(int)  # the n-th request of a URL gets the n-th initiator
        for request, started_ms, frame_url in self._requests:
            response = self._responses.get(request)
            frame = _frame_of(request)
            initiators = self._initiators.get(request.url) or ()
            index = seen[request.url]
            seen[request.url] += 1
            records.append(
                RequestRecord(
                    url=request.url,
                    method=request.method,
                    resource_type=request.resource_type,
                    frame_url=frame_url,
                    is_main_frame=frame is main_frame,
                    is_navigation=request.is_navigation_request(),
                    initiator=initiators[index] if index < len(initiators) else None,
                    status=response.status if response else None,
                    mime_type=_mime(response),
                    remote_address=self._remote_addresses.get(request.url),
                    failure=self._failures.get(request),
                    started_ms=round(started_ms, 1),
                )
            )
        return tuple(records)


def _declared_length(response: dict[str, Any]) -> int:
    headers = {name.lower(): value for name, value in (response.get("headers") or {}).items()}
    try:
        return int(headers.get("content-length", 0))
    except ValueError:
        return 0


def _frame_of(request: Request):
    try:
        return request.frame
    except PlaywrightError:  # requests of service workers belong to no frame
        return None


def _mime(response: Response | None) -> str | None:
    if response is None:
        return None
    content_type = response.headers.get("content-type")
    return content_type.split(";")[0].strip().lower() if content_type else None
