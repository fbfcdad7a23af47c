"""PageCapture, host probe results and check outcomes -> rows, with the evidence-hygiene rules applied."""

from __future__ import annotations

import gzip
from dataclasses import asdict
from typing import TYPE_CHECKING, Any, Protocol

from sqlmodel import Session

from scanner.evidence import HostProbeResult, PageCapture
from scanner.evidence.redact import redact_url, short_hash
from scanner.net.domains import registrable_domain
from scanner.store.check_records import add_records
from scanner.store.models import CheckTally, Cookie, Finding, HostResult, Page, Request, StorageItem
from scanner.store.upsert import add_to_counters

if TYPE_CHECKING:
    from scanner.findings.located import CheckOutcome

MAX_STORED_HTML = 5 * 1024 * 1024  # bytes of DOM kept per page (compressed on disk)


class FirstParty(Protocol):
    """Who is "us" (``scanner.crawl.scope.FirstPartySet`` is one): marks requests and cookies third-party."""

    def is_third_party_url(self, url: str) -> bool: ...

    def contains_host(self, host: str | None) -> bool: ...


class VendorAttribution(Protocol):
    """Who is behind a request, cookie or storage item, decided at scan time and stored with it
    (``checks.privacy.attribution`` is one; the store only keeps what it is given)."""

    def request_attribution(self, url: str, host: str) -> dict[str, Any] | None: ...

    def cookie_attributions(self, capture: PageCapture) -> list[dict[str, Any]]: ...

    def storage_attributions(self, capture: PageCapture) -> list[dict[str, Any]]: ...


def add_page(
    session: Session,
    scan_id: int,
    capture: PageCapture,
    *,
    url_key: str,
    first_party: FirstParty,
    vendors: VendorAttribution,
    depth: int = 0,
    referrer: str | None = None,
    store_dom: bool = True,
) -> Page:
    """Add the page and its requests, cookies and storage to the session (flushed, not committed).

    ``url_key`` is the crawler's dedupe key of ``capture.url`` (``scanner.crawl.urls.url_key``).
    """
    page = Page(
        scan_id=scan_id,
        url=capture.url,
        url_key=url_key,
        scenario=capture.scenario.value,
        kind=capture.kind.value,
        depth=depth,
        referrer=referrer,
        status=capture.page_status.value,
        failure_class=capture.failure_class.value if capture.failure_class else None,
        failure_detail=capture.failure_detail,
        final_url=capture.final_url,
        http_status=capture.status,
        content_type=capture.content_type,
        content_length=capture.content_length,
        title=capture.title,
        html_lang=capture.html_lang,
        redirect_chain=[asdict(hop) for hop in capture.redirect_chain],
        response_headers=[list(header) for header in capture.response_headers],
        tls=asdict(capture.tls) if capture.tls else None,
        timings=asdict(capture.timings),
        console=[asdict(message) for message in capture.console],
        frames=list(capture.frames),
        links=[[link.href, link.text, link.rel] for link in capture.links],
        extras=capture.extras,
        dom_html_gz=_compressed(capture.dom_html) if store_dom and capture.dom_html else None,
    )
    session.add(page)
    session.flush()  # assigns page.id
    session.add_all(_requests(page.id, capture, first_party, vendors))
    session.add_all(_cookies(page.id, capture, first_party, vendors))
    session.add_all(_storage(page.id, capture, vendors))
    return page


def add_findings(session: Session, scan_id: int, page_id: int | None, outcome: CheckOutcome) -> None:
    for located in outcome.findings:
        finding = located.finding
        session.add(
            Finding(
                scan_id=scan_id,
                page_id=page_id,
                check_id=located.check.id,
                family=located.check.family.value,
                scope=located.check.scope.value,
                result=finding.result.value,
                severity=(finding.severity or located.check.severity).value,
                fingerprint=located.fingerprint,
                page_url=located.page_url,
                host=located.host,
                scenario=located.scenario.value if located.scenario else None,
                frame_url=finding.frame_url,
                selector=finding.selector,
                snippet=finding.snippet,
                subject=finding.subject,
                message_de=finding.message.de,
                message_en=finding.message.en,
                evidence=finding.evidence,
            )
        )
    add_records(session, scan_id, outcome.records)
    for check_id, delta in outcome.tallies.items():
        add_to_counters(
            session,
            CheckTally,
            {"scan_id": scan_id, "check_id": check_id},
            {
                "evaluated": delta.evaluated,
                "with_findings": delta.with_findings,
                "findings": delta.findings,
                "errors": delta.errors,
            },
        )


def add_host_result(session: Session, scan_id: int, result: HostProbeResult) -> None:
    """Add one probe's result (not committed)."""
    session.add(
        HostResult(
            scan_id=scan_id,
            host=result.host,
            port=result.port,
            probe=result.probe,
            ok=result.ok,
            failure_class=result.failure_class.value if result.failure_class else None,
            failure_detail=result.failure_detail,
            data=result.data,
        )
    )


def _compressed(html: str) -> bytes:
    return gzip.compress(html.encode("utf-8", "surrogatepass")[:MAX_STORED_HTML], compresslevel=6)


def _requests(
    page_id: int, capture: PageCapture, first_party: FirstParty, vendors: VendorAttribution
) -> list[Request]:
    rows = []
    for request in capture.requests:
        initiator = request.initiator
        url = redact_url(request.url)
        third_party = first_party.is_third_party_url(request.url)
        rows.append(
            Request(
                page_id=page_id,
                url=url,
                host=request.host,
                registrable_domain=registrable_domain(request.host) if request.host else "",
                third_party=third_party,
                method=request.method,
                resource_type=request.resource_type,
                frame_url=redact_url(request.frame_url) if request.frame_url else None,
                is_main_frame=request.is_main_frame,
                is_navigation=request.is_navigation,
                initiator_type=initiator.type if initiator else None,
                initiator_url=redact_url(initiator.url) if initiator and initiator.url else None,
                status=request.status,
                mime_type=request.mime_type,
                remote_address=request.remote_address,
                failure=request.failure,
                started_ms=request.started_ms,
                vendor=vendors.request_attribution(url, request.host) if third_party else None,
            )
        )
    return rows


def _cookies(
    page_id: int, capture: PageCapture, first_party: FirstParty, vendors: VendorAttribution
) -> list[Cookie]:
    return [
        Cookie(
            page_id=page_id,
            name=cookie.name,
            domain=cookie.domain,
            path=cookie.path,
            expires=cookie.expires,
            http_only=cookie.http_only,
            secure=cookie.secure,
            same_site=cookie.same_site,
            partition_key=cookie.partition_key,
            third_party=not first_party.contains_host(cookie.domain.lstrip(".")),
            value_hash=short_hash(cookie.value),
            value_length=len(cookie.value),
            vendor=vendor,
        )
        for cookie, vendor in zip(capture.cookies, vendors.cookie_attributions(capture), strict=True)
    ]


def _storage(page_id: int, capture: PageCapture, vendors: VendorAttribution) -> list[StorageItem]:
    return [
        StorageItem(
            page_id=page_id,
            origin=item.origin,
            kind=item.kind,
            key=item.key,
            value_hash=short_hash(item.value),
            value_length=len(item.value),
            vendor=vendor,
        )
        for item, vendor in zip(capture.storage, vendors.storage_attributions(capture), strict=True)
    ]
