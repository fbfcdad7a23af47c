"""Privacy collector: who wrote what to the visitor's device, in every frame.

An init script (``privacy_probe.js``) wraps ``document.cookie``, ``Storage.setItem``,
``indexedDB.open``, ``serviceWorker.register``, ``sendBeacon`` and canvas read-backs and reports
each call with its script stack through a binding; ``Set-Cookie`` headers come from every response
of every frame. After the page settled, each cookie in the jar is attributed to its last writer
(response or script), and writes the browser did not keep (blocked third-party cookies, for
example) are listed as attempts, with Chromium's reasons where DevTools saw them. The result lands
as ``PrivacyEvidence`` (``scanner.evidence.privacy``); values are never kept in clear.
"""

from __future__ import annotations

import asyncio
import contextlib
import weakref
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urljoin, urlsplit

from playwright.async_api import BrowserContext, Frame, Page, Response
from playwright.async_api import Error as PlaywrightError

from scanner.capture.collectors import PageCollector
from scanner.evidence import CookieRecord, PageCapture, Scenario
from scanner.evidence.privacy import COLLECTOR, PrivacyEvidence
from scanner.evidence.redact import redact_url
from scanner.net.cookie_lines import CookieWrite, parse_cookie_line
from scanner.net.hostnames import host_of

PROBE_SCRIPT = (Path(__file__).parent / "privacy_probe.js").read_text(encoding="utf-8")
BINDING = "__govscanRecord"
MAX_HEADER_COOKIES = 1000
FRAME_READ_TIMEOUT = 2.0

_READ_DEVICE_STORAGE = """async () => {
  const found = { origin: location.origin, indexeddb: [], service_workers: [], caches: [] };
  try { found.indexeddb = (await indexedDB.databases()).map((db) => db.name); } catch (e) {}
  try {
    found.service_workers = (await navigator.serviceWorker.getRegistrations()).map((r) => ({
      scope: r.scope, script: ((r.active || r.waiting || r.installing) || {}).scriptURL || null }));
  } catch (e) {}
  try { found.caches = await caches.keys(); } catch (e) {}
  return found;
}"""


@dataclass
class _Write:
    """A cookie write as seen by the browser: by a response header or by a script."""

    cookie: CookieWrite
    via: str  # "header" | "script"
    url: str  # the response URL, or the innermost script of the stack ("" when unknown)
    frame_url: str | None
    host: str  # the host a host-only cookie belongs to
    stack: list[list[Any]] = field(default_factory=list)
    stored_at_write: bool | None = None  # scripts only: whether document.cookie showed it right after

    def as_setter(self) -> dict[str, Any]:
        return {
            "via": self.via,
            "url": redact_url(self.url) if self.url else None,
            "frame_url": redact_url(self.frame_url) if self.frame_url else None,
            "stack": [[redact_url(url), line] for url, line in self.stack],
            "lifetime_seconds": self.cookie.lifetime_seconds,
        }


@dataclass
class _VisitLog:
    """Everything reported during one visit (one browser context)."""

    writes: list[_Write] = field(default_factory=list)
    # the consent step's load, before the banner was answered: what it wrote may linger in the jar
    writes_before_answer: list[_Write] = field(default_factory=list)
    reports: list[tuple[str, dict[str, Any]]] = field(default_factory=list)
    pending: list[asyncio.Task] = field(default_factory=list)
    blocked: dict[str, list[str]] = field(default_factory=dict)  # cookie line -> Chromium's reasons
    header_cookies: int = 0

    def on_report(self, source: dict[str, Any], kind: str, data: dict[str, Any]) -> None:
        if kind == "cookie":
            cookie = parse_cookie_line(str(data.get("line", "")))
            if cookie is not None:
                stack = [list(item) for item in data.get("stack") or []]
                frame_url = str(data.get("frame") or "")
                self.writes.append(
                    _Write(
                        cookie,
                        "script",
                        stack[0][0] if stack else "",
                        frame_url,
                        host_of(frame_url),
                        stack,
                        bool(data.get("stored")),
                    )
                )
            return
        self.reports.append((kind, data))

    def on_response(self, response: Response) -> None:
        # The frame's URL now, before a later navigation changes it; a document sets its own frame.
        frame_url = response.url if response.request.is_navigation_request() else _frame_url(response)
        self.pending.append(asyncio.ensure_future(self._read_set_cookie(response, frame_url)))

    async def _read_set_cookie(self, response: Response, frame_url: str | None) -> None:
        try:
            lines = await response.header_values("set-cookie")
        except PlaywrightError:
            return
        for line in lines:
            cookie = parse_cookie_line(line)
            if cookie is None or self.header_cookies >= MAX_HEADER_COOKIES:
                continue
            self.header_cookies += 1
            self.writes.append(_Write(cookie, "header", response.url, frame_url, host_of(response.url)))

    def on_extra_info(self, event: dict[str, Any]) -> None:
        for blocked in event.get("blockedCookies") or []:
            line = blocked.get("cookieLine") or ""
            self.blocked[line.split(";")[0].split("=")[0].strip()] = list(blocked.get("blockedReasons") or [])


class PrivacyCollector(PageCollector):
    name = COLLECTOR
    scenarios = frozenset(Scenario)
    time_allowance = 8.0

    def __init__(self) -> None:
        self._visits: weakref.WeakKeyDictionary[BrowserContext, _VisitLog] = weakref.WeakKeyDictionary()

    async def prepare(self, context: BrowserContext, page: Page) -> None:
        log = _VisitLog()
        self._visits[context] = log
        await context.expose_binding(BINDING, log.on_report)
        await context.add_init_script(script=PROBE_SCRIPT)
        context.on("response", log.on_response)
        with contextlib.suppress(PlaywrightError):  # blocked-cookie reasons are a bonus, not required
            session = await context.new_cdp_session(page)
            session.on("Network.responseReceivedExtraInfo", log.on_extra_info)
            await session.send("Network.enable")

    async def capture_starts(self, page: Page) -> None:
        """Writes and calls of the consent step's load are not the capture's: keep its cookie writes
        apart (a cookie they left in the jar is marked ``before_answer``), drop the rest."""
        log = self._visits.get(page.context)
        if log is None:
            return
        if log.pending:  # Set-Cookie headers still being read
            await asyncio.wait(log.pending, timeout=1.0)
        log.writes_before_answer, log.writes = log.writes, []
        log.pending, log.reports = [], []

    async def collect(self, page: Page, capture: PageCapture) -> PrivacyEvidence:
        log = self._visits.pop(page.context, None) or _VisitLog()
        if log.pending:
            await asyncio.wait(log.pending, timeout=2.0)
        frames = await asyncio.gather(*(_device_storage(frame) for frame in page.frames))
        return PrivacyEvidence.from_fields(
            {
                # hosts contacted by this visit: site checks compare scenarios and pages with them
                "hosts": sorted({request.host for request in capture.requests if request.host}),
                "cookie_setters": _cookie_setters(capture.cookies, log.writes, log.writes_before_answer),
                "cookies_not_stored": _not_stored(capture.cookies, log),
                **_reported(log.reports),
                **_device_inventory([found for found in frames if found]),
            }
        )


def _cookie_setters(
    jar: tuple[CookieRecord, ...], writes: list[_Write], before_answer: list[_Write] = ()
) -> list[dict[str, Any]]:
    """Each cookie in the jar with its last writer; ``setter`` None when no write was seen, and
    ``before_answer`` when that writer was the consent step's load and nothing wrote it since."""
    result = []
    for cookie in jar:
        writer = _last_write(writes, cookie)
        earlier = None if writer else _last_write(before_answer, cookie)
        result.append(
            {
                "name": cookie.name,
                "domain": cookie.domain,
                "path": cookie.path,
                "partition_key": _partition_site(cookie.partition_key),
                "setter": (writer or earlier).as_setter() if writer or earlier else None,
                "before_answer": earlier is not None,
            }
        )
    return result


def _last_write(writes: list[_Write], cookie: CookieRecord) -> _Write | None:
    return next((write for write in reversed(writes) if _same_cookie(write, cookie)), None)


def _not_stored(jar: tuple[CookieRecord, ...], log: _VisitLog) -> list[dict[str, Any]]:
    """Writes of non-empty cookies that are not in the jar: blocked by the browser, or rejected."""
    attempts: dict[tuple[str, str], dict[str, Any]] = {}
    for write in log.writes:
        if write.cookie.is_deletion or any(_same_cookie(write, cookie) for cookie in jar):
            continue
        domain = (write.cookie.domain or write.host).lstrip(".")
        attempts[(write.cookie.name, domain)] = {
            "name": write.cookie.name,
            "domain": domain,
            "via": write.via,
            "url": redact_url(write.url) if write.url else None,
            "frame_url": redact_url(write.frame_url) if write.frame_url else None,
            "reasons": log.blocked.get(write.cookie.name, []),
        }
    return list(attempts.values())


def _same_cookie(write: _Write, cookie: CookieRecord) -> bool:
    if write.cookie.name != cookie.name:
        return False
    written_domain = (write.cookie.domain or write.host).lstrip(".")
    return written_domain == cookie.domain.lstrip(".")


def _reported(reports: list[tuple[str, dict[str, Any]]]) -> dict[str, list[dict[str, Any]]]:
    """Storage writes, IndexedDB opens, service-worker registrations, beacons, canvas reads."""
    result: dict[str, list[dict[str, Any]]] = {
        "storage_writers": [],
        "indexeddb_opened": [],
        "service_workers_registered": [],
        "beacons": [],
        "canvas_reads": [],
    }
    seen_storage: set[tuple[str, str, str]] = set()
    for kind, data in reports:
        frame = str(data.get("frame") or "")
        script = _innermost_script(data)
        where = {"frame_url": redact_url(frame), "origin": _origin(frame), "script": script}
        if kind == "storage":
            key = (where["origin"], str(data.get("kind")), str(data.get("key")))
            if key not in seen_storage:
                seen_storage.add(key)
                result["storage_writers"].append({**where, "kind": key[1], "key": key[2]})
        elif kind == "indexeddb":
            result["indexeddb_opened"].append({**where, "name": str(data.get("name"))})
        elif kind == "service_worker":
            script_url = urljoin(frame, str(data.get("script") or ""))
            result["service_workers_registered"].append(
                {**where, "script_url": redact_url(script_url), "scope": data.get("scope")}
            )
        elif kind == "beacon":
            result["beacons"].append({**where, "url": redact_url(str(data.get("url") or ""))})
        elif kind == "canvas":
            keys = ("method", "width", "height", "distinct_chars", "colours", "fingerprint_like")
            result["canvas_reads"].append({**where, **{name: data.get(name) for name in keys}})
    return result


def _device_inventory(frames: list[dict[str, Any]]) -> dict[str, list[dict[str, Any]]]:
    """IndexedDB databases, service workers and Cache Storage per frame origin, once per origin."""
    by_origin: dict[str, dict[str, Any]] = {}
    for found in frames:
        origin = found.get("origin") or ""
        if origin and origin != "null":
            by_origin.setdefault(origin, found)
    return {
        "indexeddb": [
            {"origin": origin, "name": name}
            for origin, found in by_origin.items()
            for name in found["indexeddb"]
        ],
        "service_workers": [
            {"origin": origin, "scope": item.get("scope"), "script_url": redact_url(item.get("script") or "")}
            for origin, found in by_origin.items()
            for item in found["service_workers"]
        ],
        "cache_storage": [
            {"origin": origin, "names": list(found["caches"])}
            for origin, found in by_origin.items()
            if found["caches"]
        ],
    }


async def _device_storage(frame: Frame) -> dict[str, Any] | None:
    try:
        return await asyncio.wait_for(frame.evaluate(_READ_DEVICE_STORAGE), FRAME_READ_TIMEOUT)
    except (PlaywrightError, TimeoutError):  # detached or unresponsive frames have nothing to read
        return None


def _innermost_script(data: dict[str, Any]) -> str | None:
    stack = data.get("stack") or []
    return redact_url(str(stack[0][0])) if stack else None


def _partition_site(partition_key: Any) -> str | None:
    if isinstance(
        partition_key, dict
    ):  # newer Playwright: {"topLevelSite": ..., "hasCrossSiteAncestor": ...}
        return partition_key.get("topLevelSite")
    return partition_key or None


def _frame_url(response: Response) -> str | None:
    try:
        return response.frame.url
    except PlaywrightError:  # service-worker responses belong to no frame
        return None


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}" if parts.scheme in {"http", "https"} else ""
