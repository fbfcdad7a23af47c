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
# Checks of the cookie jar and of the privacy collector's visit log leave out "reject": the consent
# collector answers the banner on a first load in the same context, so that capture still holds
# what the load wrote before the answer (the demo's _ga) and cannot yet tell it from later writes.
# After "accept" such carry-over is harmless: the finding is on record as info.
JAR_SCENARIOS = (Scenario.FIRST_VISIT, Scenario.ACCEPTED)
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


def cookie_setters(capture: PageCapture) -> dict[tuple[str, str], dict]:
    """(name, domain) -> setter record from the privacy collector (empty when it did not run)."""
    evidence = capture.evidence(PrivacyEvidence)
    entries = evidence.cookie_setters if evidence else ()
    return {(entry.name, entry.domain): entry.setter.as_dict() if entry.setter else None for entry in entries}
