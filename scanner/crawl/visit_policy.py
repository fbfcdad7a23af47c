"""Visit policy: which URLs are not visited (robots.txt), and what a visit turned out to be
(a document, a redirect out of scope). The crawler decides; checks never see these as passes.
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from scanner.capture.document_content import document_extras
from scanner.crawl.documents import probe_document
from scanner.crawl.urls import is_document_content_type
from scanner.evidence import FailureClass, PageCapture, PageKind, PageStatus, Scenario
from scanner.net.hostnames import host_of

if TYPE_CHECKING:
    from scanner.config.accessibility import AccessibilitySettings
    from scanner.crawl.politeness import HostPoliteness
    from scanner.crawl.robots import RobotsCache
    from scanner.crawl.scope import CrawlScope
    from scanner.net.client import NetClient

MAX_CRAWL_DELAY = 30.0  # seconds; a longer Crawl-delay is capped


async def robots_refusal(url: str, robots: RobotsCache, politeness: HostPoliteness) -> PageCapture | None:
    """None when robots.txt lets us visit ``url``; else the record of why the page was not visited.

    A Crawl-delay the file asks for becomes the host's delay between page starts.
    """
    policy = await robots.policy_for(url)
    if policy.crawl_delay:
        politeness.set_host_delay(host_of(url), min(policy.crawl_delay, MAX_CRAWL_DELAY))
    if policy.allows(url):
        return None
    if policy.status == "unreachable" and policy.failure_class is not None:
        # RFC 9309: an unreachable robots.txt means "disallow all"; the reason is the network's.
        detail = f"robots.txt unreachable ({policy.detail}), so not visited (RFC 9309)"
        return replace(not_tested(url, policy.failure_class, detail), page_status=PageStatus.FAILED)
    return not_tested(url, FailureClass.BLOCKED_BY_ROBOTS, "disallowed by robots.txt")


async def record_document(client: NetClient, url: str, accessibility: AccessibilitySettings) -> PageCapture:
    """A document (PDF, Office) recorded with HEAD, and a PDF within the size limit analysed."""
    info = await probe_document(client, url)
    extras = await document_extras(client, info, accessibility)
    failure = info.failure_class
    if failure is None and info.status is not None and info.status >= 400:
        failure = FailureClass.HTTP_ERROR
    return PageCapture(
        url=url,
        scenario=Scenario.FIRST_VISIT,
        final_url=info.final_url or url,
        status=info.status,
        kind=PageKind.DOCUMENT,
        page_status=PageStatus.FAILED if failure else PageStatus.OK,
        failure_class=failure,
        failure_detail=info.failure_detail or (f"HTTP {info.status}" if failure else None),
        content_type=info.content_type,
        content_length=info.size,
        extras=extras,
    )


async def classify_visit(
    capture: PageCapture, scope: CrawlScope, client: NetClient, accessibility: AccessibilitySettings
) -> PageCapture:
    """Documents found by navigation, and redirects that leave the crawl scope."""
    if capture.failure_class is FailureClass.NOT_HTML and (
        capture.failure_detail == "download" or is_document_content_type(capture.content_type)
    ):
        return await record_document(client, capture.url, accessibility)
    if capture.is_testable and not scope.allows(capture.final_url):
        return replace(
            capture,
            page_status=PageStatus.NOT_TESTED,
            failure_class=FailureClass.REDIRECTED_OUT_OF_SCOPE,
            failure_detail=f"redirected to {capture.final_url}",
        )
    return capture


def not_tested(url: str, failure: FailureClass, detail: str) -> PageCapture:
    return PageCapture(
        url=url,
        scenario=Scenario.FIRST_VISIT,
        final_url=url,
        status=None,
        page_status=PageStatus.NOT_TESTED,
        failure_class=failure,
        failure_detail=detail,
    )
