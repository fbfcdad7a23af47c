"""What the browser saw: the plain data that flows from capture to checks and to the store.

Checks are pure functions of these records. Nothing here talks to a browser or a database, so a
saved capture can be replayed through every check in a unit test.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import TYPE_CHECKING, Any, TypeVar
from urllib.parse import urlsplit

if TYPE_CHECKING:
    from scanner.evidence.typed import TypedEvidence

T = TypeVar("T", bound="TypedEvidence")


class Scenario(StrEnum):
    """A visit belongs to one consent scenario (see ARCHITECTURE.md, "Scenarios")."""

    FIRST_VISIT = "first-visit"
    REJECTED = "rejected"
    ACCEPTED = "accepted"


class PageKind(StrEnum):
    HTML = "html"
    DOCUMENT = "document"  # PDF, Office: recorded with type and size, never rendered


class PageStatus(StrEnum):
    OK = "ok"  # rendered, 2xx: checks ran on it
    FAILED = "failed"  # tried and could not be tested (failure_class says why)
    NOT_TESTED = "not_tested"  # deliberately not visited (robots.txt, out of scope after redirect)


class FailureClass(StrEnum):
    """Why a page or host could not be tested. Never counted as a pass."""

    DNS_ERROR = "dns_error"
    TIMEOUT = "timeout"
    CONNECTION_REFUSED = "connection_refused"
    CONNECTION_RESET = "connection_reset"
    TLS_ERROR = "tls_error"
    HTTP_ERROR = "http_error"
    BLOCKED_BY_ROBOTS = "blocked_by_robots"
    TOO_MANY_REDIRECTS = "too_many_redirects"
    REDIRECTED_OUT_OF_SCOPE = "redirected_out_of_scope"
    NOT_HTML = "not_html"
    BROWSER_ERROR = "browser_error"
    NETWORK_ERROR = "network_error"
    HOST_LIMIT = "host_limit"  # a host beyond the target's max_probed_hosts: its host checks did not run
    SELF_NAVIGATING = "self_navigating"  # the page kept replacing itself (refresh, reload) while it was read
    RENDERER_CRASH = "renderer_crash"  # the page's renderer crashed, or the browser died twice on it
    DOCUMENT_INCOMPLETE = "document_incomplete"  # the document stalled or was cut off: not judged on a part
    DOCUMENT_TOO_LARGE = "document_too_large"  # the document (decoded) exceeded the size limit
    UNRESPONSIVE = "unresponsive"  # the page's scripts kept its renderer from answering (an endless loop)
    DNS_NOT_ASKED = "dns_not_asked"  # hosts reached through --connect-to, no DNS servers configured
    PORT_25_UNREACHABLE = (
        "port_25_unreachable"  # an MX's port 25 refused or silent: outbound SMTP is often blocked
    )


@dataclass(frozen=True)
class Redirect:
    url: str
    status: int
    location: str


@dataclass(frozen=True)
class Initiator:
    """Who caused a request, as far as the browser tells (CDP Network.Initiator)."""

    type: str  # parser, script, preload, other, ...
    url: str | None = None  # the script or document that caused it
    line: int | None = None


@dataclass(frozen=True)
class RequestRecord:
    url: str
    method: str
    resource_type: str
    frame_url: str | None
    is_main_frame: bool
    is_navigation: bool
    initiator: Initiator | None = None
    status: int | None = None
    mime_type: str | None = None
    remote_address: str | None = None
    failure: str | None = None  # net::ERR_... when the request failed or was blocked
    response_headers: tuple[tuple[str, str], ...] = ()
    started_ms: float | None = None  # milliseconds since navigation start

    @property
    def host(self) -> str:
        return (urlsplit(self.url).hostname or "").lower()

    @property
    def scheme(self) -> str:
        return urlsplit(self.url).scheme.lower()


@dataclass(frozen=True)
class CookieRecord:
    name: str
    value: str
    domain: str
    path: str
    expires: float | None  # epoch seconds; None for a session cookie
    http_only: bool
    secure: bool
    same_site: str | None
    partition_key: str | None = None


@dataclass(frozen=True)
class StorageRecord:
    origin: str
    kind: str  # "local" or "session"
    key: str
    value: str


@dataclass(frozen=True)
class ConsoleMessage:
    type: str
    text: str
    url: str | None = None


@dataclass(frozen=True)
class Link:
    href: str  # absolute
    text: str
    rel: str = ""


@dataclass(frozen=True)
class TlsDetails:
    protocol: str | None
    subject: str | None
    issuer: str | None
    valid_from: float | None
    valid_to: float | None
    server_ip: str | None
    server_port: int | None


@dataclass(frozen=True)
class Timings:
    """Milliseconds since the navigation started."""

    dom_content_loaded: float | None = None
    load: float | None = None
    settled: float | None = None
    total: float | None = None
    load_timed_out: bool = False
    left_page: float | None = None  # when the page was left for about:blank; later requests fired on exit
    # None: the page settled; else what was still pending when the settle cap was reached
    # ("network", "timers", "storage-writes", "frame-unresponsive"): read as it was, not as settled
    settle_stopped_early: str | None = None


@dataclass(frozen=True)
class PageCapture:
    """Everything one navigation yields. Every check family reads the same capture."""

    url: str  # as requested
    scenario: Scenario
    final_url: str
    status: int | None
    kind: PageKind = PageKind.HTML
    page_status: PageStatus = PageStatus.OK
    failure_class: FailureClass | None = None
    failure_detail: str | None = None
    redirect_chain: tuple[Redirect, ...] = ()
    response_headers: tuple[tuple[str, str], ...] = ()  # raw, duplicates kept, names lower-cased
    content_type: str | None = None
    content_length: int | None = None
    requests: tuple[RequestRecord, ...] = ()
    cookies: tuple[CookieRecord, ...] = ()
    storage: tuple[StorageRecord, ...] = ()
    console: tuple[ConsoleMessage, ...] = ()
    links: tuple[Link, ...] = ()
    frames: tuple[str, ...] = ()  # frame URLs, main frame first
    dom_html: str = ""
    title: str | None = None
    html_lang: str | None = None  # the lang attribute of <html> as written; None when absent
    tls: TlsDetails | None = None
    timings: Timings = field(default_factory=Timings)
    extras: dict[str, Any] = field(default_factory=dict)  # page collectors' evidence, by collector name
    _parsed: dict[type, Any] = field(default_factory=dict, init=False, repr=False, compare=False)

    def evidence(self, kind: type[T]) -> T | None:
        """A collector's typed evidence; None when it did not run here or failed (``collector_error``)."""
        raw = self.extras.get(kind.KIND)
        return _parse(raw if _error(raw) is None else None, kind, self._parsed)

    def collector_error(self, name: str) -> str | None:
        """Why collector ``name`` left no evidence on this page, if it failed."""
        return _error(self.extras.get(name))

    def out_of_time(self) -> tuple[str, ...]:
        """The collectors that found no time left on this page (``OUT_OF_TIME`` in their error)."""
        return tuple(
            name for name, raw in self.extras.items() if isinstance(raw, dict) and raw.get(OUT_OF_TIME)
        )

    def has_evidence(self, name: str) -> bool:
        """Collector ``name`` ran on this page and left evidence, not an error."""
        return isinstance(self.extras.get(name), dict) and self.collector_error(name) is None

    def fired_on_exit(self, request: RequestRecord) -> bool:
        """Whether a request started after the page was left (unload beacons, keepalive fetches)."""
        left = self.timings.left_page
        return left is not None and request.started_ms is not None and request.started_ms >= left

    def header(self, name: str) -> str | None:
        """The first value of a response header of the main document, or None."""
        name = name.lower()
        return next((value for key, value in self.response_headers if key == name), None)

    @property
    def is_testable(self) -> bool:
        return self.page_status is PageStatus.OK


@dataclass(frozen=True)
class HostProbeResult:
    """What one host-level probe found out about one host (run once per host and scan)."""

    host: str
    port: int
    probe: str
    ok: bool
    data: dict = field(default_factory=dict)
    failure_class: FailureClass | None = None
    failure_detail: str | None = None
    _parsed: dict[type, Any] = field(default_factory=dict, init=False, repr=False, compare=False)

    def evidence(self, kind: type[T]) -> T | None:
        """The probe's typed evidence; None when the probe failed or is of another kind."""
        if not self.ok or self.probe != kind.KIND:
            return None
        return _parse(self.data, kind, self._parsed)


def _parse(raw: Any, kind: type[T], cache: dict[type, Any]) -> T | None:
    if kind not in cache:
        cache[kind] = kind.from_json(raw) if isinstance(raw, dict) else None
    return cache[kind]


OUT_OF_TIME = "out_of_time"  # marks a collector error: the page timeout ended it, not the page


def _error(raw: Any) -> str | None:
    if isinstance(raw, dict) and isinstance(raw.get("error"), str):
        return raw["error"]
    return None
