"""Shared judgement for the privacy checks: the vendor of a request, and what looks like an identifier."""

from __future__ import annotations

import math
import re
import time
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from checks.privacy.vendors import Vendor, vendor_registry
from scanner.evidence import CookieRecord, PageCapture, RequestRecord, Scenario
from scanner.evidence.privacy import PrivacyEvidence
from scanner.evidence.redact import redact_url
from scanner.findings.registry import CheckContext

# The privacy page checks that judge what a visit processed run in every consent scenario: after
# "reject" it is as unconsented as on the first visit, after "accept" it is on record (``info``
# unless the check declares otherwise), so exports, diffs and --fail-on see it too.
EVERY_SCENARIO = (Scenario.FIRST_VISIT, Scenario.REJECTED, Scenario.ACCEPTED)
# Checks of the cookie jar judge a "rejected" capture only on what was written after the answer:
# the consent collector answers the banner on a first load in the same context, so the jar still
# holds what that load wrote before (the demo's _ga), which the first visit already judges
# (``carried_over_cookies``, ``carried_over_storage``). After "accept" carry-over is harmless: the
# finding is on record as info.
MIN_IDENTIFIER_LENGTH = 10
MIN_IDENTIFIER_ENTROPY = 3.0  # bits per character; "necessary" or "de" stay below, client ids above
ONE_DAY = 86400.0


@dataclass(frozen=True)
class VendorRequests:
    vendor: Vendor | None  # None: a third party the registry does not know
    host: str
    requests: tuple[RequestRecord, ...]

    @property
    def subject(self) -> str:
        return self.vendor.id if self.vendor else self.host


def third_party_by_vendor(capture: PageCapture, context: CheckContext) -> list[VendorRequests]:
    """Third-party requests grouped by vendor (unknown hosts grouped by host), in a stable order."""
    groups: dict[str, list[RequestRecord]] = {}
    vendors: dict[str, Vendor | None] = {}
    for request in capture.requests:
        if not context.first_party.is_third_party_url(request.url):
            continue
        vendor = vendor_registry().lookup_url(request.url)
        key = vendor.id if vendor else request.host
        groups.setdefault(key, []).append(request)
        vendors[key] = vendor
    return [
        VendorRequests(vendors[key], requests[0].host, tuple(requests))
        for key, requests in sorted(groups.items())
    ]


def vendors_of_hosts(hosts: Iterable[str], context: CheckContext) -> Iterator[tuple[str, Vendor | None]]:
    for host in hosts:
        if not context.first_party.contains_host(host):
            yield host, vendor_registry().lookup_host(host)


def requests_evidence(capture: PageCapture, requests: Iterable[RequestRecord], limit: int = 10) -> list[dict]:
    """Request URL with query values hashed, type, initiator, frame, and whether it fired on exit."""
    evidence = []
    for request in list(requests)[:limit]:
        initiator = request.initiator
        evidence.append(
            {
                "url": redact_url(request.url),
                "resource_type": request.resource_type,
                "initiator": redact_url(initiator.url) if initiator and initiator.url else None,
                "initiator_type": initiator.type if initiator else None,
                "frame_url": redact_url(request.frame_url) if request.frame_url else None,
                "on_page_exit": capture.fired_on_exit(request),
            }
        )
    return evidence


def entropy(value: str) -> float:
    if not value:
        return 0.0
    counts = Counter(value)
    return -sum(count / len(value) * math.log2(count / len(value)) for count in counts.values())


_RUN = re.compile(r"[0-9A-Za-z]+")
_HEX = re.compile(r"[0-9a-fA-F]+")
_DIGITS = "0123456789"
_HEX_DIGITS = "0123456789abcdef"
_ALPHANUMERIC = _DIGITS + "abcdefghijklmnopqrstuvwxyz" + "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
MIN_NUMBER_RUN = 4  # "GA1", "v2" stay as written; counters, ids and timestamps are judged by form
MIN_RANDOM_RUN = 8


def _canonical_run(match: re.Match[str]) -> str:
    run = match.group(0)
    if run.isdigit():
        alphabet = _DIGITS if len(run) >= MIN_NUMBER_RUN else ""
    elif run.isalpha() or len(run) < MIN_RANDOM_RUN:
        alphabet = ""  # words ("necessary", "consentGiven") keep their letters
    else:
        alphabet = _HEX_DIGITS if _HEX.fullmatch(run) else _ALPHANUMERIC
    return "".join(alphabet[index % len(alphabet)] for index in range(len(run))) if alphabet else run


def identifier_form(value: str) -> str:
    """``value`` with its random-looking runs replaced by the most varied run of the same form.

    The letter counts of a short random run swing its entropy across the threshold from visit to
    visit (a random 16-digit hex id scores below 3 bits on one visit in seven, a time stamp with
    it), so the same cookie would be found on some pages and missed on others. Judging the form
    (a 10-digit number, a 14-character hex id) gives the same verdict on every visit.
    """
    return _RUN.sub(_canonical_run, value)


def identifier_entropy(value: str) -> float:
    return entropy(identifier_form(value))


def looks_like_identifier(value: str) -> bool:
    return len(value) >= MIN_IDENTIFIER_LENGTH and identifier_entropy(value) >= MIN_IDENTIFIER_ENTROPY


def cookie_lifetime(cookie: CookieRecord, setter: dict | None, now: float | None = None) -> float | None:
    """Seconds the cookie lives: from its setter's Max-Age/Expires, else from the jar's expiry."""
    if setter and setter.get("lifetime_seconds") is not None:
        return float(setter["lifetime_seconds"])
    if cookie.expires is None:
        return None
    return cookie.expires - (now if now is not None else time.time())


def carried_over_cookies(capture: PageCapture) -> set[tuple[str, str]]:
    """(name, domain) of the cookies a "rejected" capture holds without a write seen after the
    answer: left by the consent step's load, or by a writer not seen at all. Empty otherwise."""
    if capture.scenario is not Scenario.REJECTED:
        return set()
    evidence = capture.evidence(PrivacyEvidence)
    if evidence is None:  # no record of the writes: nothing in the jar can be put after the answer
        return {(cookie.name, cookie.domain) for cookie in capture.cookies}
    written_after = {(e.name, e.domain) for e in evidence.cookie_setters if e.setter and not e.before_answer}
    return {(cookie.name, cookie.domain) for cookie in capture.cookies} - written_after


def carried_over_storage(capture: PageCapture) -> set[tuple[str, str, str]]:
    """(origin, kind, key) of the web-storage entries a "rejected" capture holds without a write
    seen after the answer (the privacy collector keeps only the capture's own writes). Empty otherwise."""
    if capture.scenario is not Scenario.REJECTED:
        return set()
    evidence = capture.evidence(PrivacyEvidence)
    written_after = {(e.origin, e.kind, e.key) for e in evidence.storage_writers} if evidence else set()
    return {(item.origin, item.kind, item.key) for item in capture.storage} - written_after


def cookie_setters(capture: PageCapture) -> dict[tuple[str, str], dict]:
    """(name, domain) -> setter record from the privacy collector (empty when it did not run)."""
    evidence = capture.evidence(PrivacyEvidence)
    entries = evidence.cookie_setters if evidence else ()
    return {(entry.name, entry.domain): entry.setter.as_dict() if entry.setter else None for entry in entries}
